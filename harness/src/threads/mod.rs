//! The blocking side of the suite: one participant per consumer, plus one
//! producer for the round trip and the actor. A participant is an OS thread
//! ([`Threads`], sync-bench) or anything else that implements [`Blocking`]
//! (may-bench's stackful coroutines): the loops and lines are the same.
//!
//! - [`counter`]: every consumer thread takes the next number from a shared
//!   [`Counter`] (an atomic or a lock);
//! - [`round_trip`]: consumer `i` sends `i` on a shared request [`Channel`]
//!   and waits for its number on its own reply channel; a producer thread
//!   owns the counter;
//! - [`actor`]: the request carries a [`Oneshot`] sender; the producer
//!   answers on it (sync-bench lists none; may-bench does);
//! - [`single_thread`]: the baseline, one thread filling every list.
//!
//! Every participant parks at the [`StartLine`] once it has reserved its
//! list; the coordinator (the sample's OS thread) opens the line when all
//! are parked, and consumers wait at the [`FinishLine`] for the last one
//! before they exit. The blocking channel crates are adapted in
//! the `channels` module (which uses this one, never the reverse), the
//! `oneshot` crate here.

mod blocking;
mod channel;
mod counter;
mod loops;
mod one_shot;
mod start_line;

pub use blocking::{Blocking, Threads};
pub use channel::Channel;
pub use counter::Counter;
pub use loops::{
    actor, actor_variant, baseline_variant, channel_variant, counter, counter_variant, round_trip, single_thread,
};
pub use one_shot::{Oneshot, OneshotCrate};
pub use start_line::{FinishLine, Pass, StartLine};
