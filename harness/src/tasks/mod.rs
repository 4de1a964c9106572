//! The async side of the suite, written once for every async runtime.
//!
//! A runtime crate (`tokio-bench`, `async-std-bench`, `smol-bench`) supplies
//! only a [`Spawner`] (how it spawns and joins a task, and how the
//! coordinator blocks on a future) and a variant list, built with
//! [`async_variants!`](crate::async_variants) from the core matrix every async
//! runtime shares (in the `channels` module) plus its own extras; the loops
//! live here:
//!
//! - [`counter`]: every consumer task takes the next number from a shared
//!   [`Counter`] (an atomic, or an async or sync mutex);
//! - [`round_trip`]: consumer `i` sends `i` on a shared request [`Channel`]
//!   and awaits its number on its own reply channel; a producer task owns
//!   the counter;
//! - [`actor`]: the request carries a [`Oneshot`] sender; the producer task
//!   answers on it.
//!
//! Every consumer and the producer are spawned tasks that park at an async
//! [`StartLine`]; the coordinator (the future the runtime blocks on) opens the
//! line once all are parked, waits at the [`FinishLine`] for the last
//! consumer, then joins them through owned handles. It never dispenses itself. The channel adapters every runtime
//! shares live in the `channels` module (which uses this one, never the
//! reverse), the `oneshot`
//! crate's here; each runtime crate adapts its own extras.

mod channel;
mod counter;
mod loops;
mod one_shot;
mod spawn;
mod start_line;

pub use channel::Channel;
pub use counter::Counter;
pub use loops::{actor, actor_variant, channel_variant, counter, counter_variant, round_trip};
pub use one_shot::{Oneshot, OneshotCrate};
pub use spawn::{Join, Spawner};
pub use start_line::{FinishLine, Pass, StartLine};
