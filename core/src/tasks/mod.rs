//! The async side of the suite, written once for every async runtime.
//!
//! A runtime crate (`tokio-bench`, `async-std-bench`, `smol-bench`) supplies
//! only a [`Spawner`] (how it spawns and joins a task, and how the
//! coordinator blocks on a future) and a variant list; the loops live here:
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
//! line once all are parked, then joins them through owned handles. It never
//! dispenses itself. Adapters for the executor-agnostic crates that every
//! runtime shares (async-channel, flume, tokio's mpsc, the `oneshot` crate,
//! async-lock) live here too; each runtime crate adapts its own extras.

mod channel;
mod counter;
mod loops;
mod one_shot;
mod spawn;
mod start_line;
#[cfg(feature = "testing")]
pub mod testing;
mod workers;

pub use channel::{AsyncChannel, Channel, Flume, TokioMpsc, TokioUnbounded};
pub use counter::Counter;
pub use loops::{CORE_MATRIX, actor, actor_variant, channel_variant, counter, counter_variant, round_trip};
pub use one_shot::{Oneshot, OneshotCrate};
pub use spawn::{Join, Spawner};
pub use start_line::StartLine;
pub use workers::{MAX_WORKERS, WorkerArgs};
