//! The async side of the suite, written once for every async runtime.
//!
//! A runtime crate (`tokio-bench`, `async-std-bench`, `smol-bench`) supplies
//! only a [`Spawner`] (how it spawns and joins a task, and how the
//! coordinator blocks on a future) and a variant list, built with
//! [`async_variants!`](crate::async_variants) from the core matrix every async
//! runtime shares plus its own extras; the loops live here:
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
//! consumer, then joins them through owned handles. It never dispenses itself. Adapters for the executor-agnostic crates that every
//! runtime shares (async-channel, flume, tokio's mpsc, the `oneshot` crate,
//! async-lock) live here too; each runtime crate adapts its own extras.

mod channel;
mod counter;
mod loops;
mod one_shot;
mod spawn;
mod start_line;

pub use channel::{AsyncChannel, Channel, Flume, TokioMpsc, TokioUnbounded};
pub use counter::Counter;
pub use loops::{actor, actor_variant, channel_variant, counter, counter_variant, round_trip};
pub use one_shot::{Oneshot, OneshotCrate};
pub use spawn::{Join, Spawner};
pub use start_line::{FinishLine, Pass, StartLine};

/// The names of the core matrix: the variants every async runtime lists
/// under the same names (see [`async_variants!`](crate::async_variants)), so a
/// channel crate can be compared across runtimes.
pub const CORE_MATRIX: &[&str] = &[
    "atomic",
    "async-channel-unbounded",
    "async-channel-bounded",
    "flume-unbounded",
    "flume-bounded",
    "tokio-mpsc-unbounded",
    "tokio-mpsc-bounded",
    "oneshot-actor",
];

/// A runtime's variant list: the core matrix (the [`CORE_MATRIX`] names, on
/// spawner `$s`), then the runtime's own extras, as one `&[Variant<$s>]`
/// usable in a `static`:
///
/// ```ignore
/// pub static VARIANTS: &[Variant<Smol>] = dispenser_harness::async_variants![Smol;
///     counter_variant::<Smol, async_lock::Mutex<u64>>("async-lock-mutex", Family::Lock, "async_lock::Mutex"),
/// ];
/// ```
#[macro_export]
macro_rules! async_variants {
    ($s:ty; $($extra:expr),* $(,)?) => {
        &[
            $crate::tasks::counter_variant::<$s, ::std::sync::atomic::AtomicU64>(
                "atomic",
                ::dispenser_core::Family::Atomic,
                "AtomicU64::fetch_add",
            ),
            $crate::tasks::channel_variant::<$s, $crate::tasks::AsyncChannel, false>(
                "async-channel-unbounded",
                "async_channel::unbounded",
            ),
            $crate::tasks::channel_variant::<$s, $crate::tasks::AsyncChannel, true>(
                "async-channel-bounded",
                "async_channel::bounded",
            ),
            $crate::tasks::channel_variant::<$s, $crate::tasks::Flume, false>(
                "flume-unbounded",
                "flume::unbounded (async)",
            ),
            $crate::tasks::channel_variant::<$s, $crate::tasks::Flume, true>("flume-bounded", "flume::bounded (async)"),
            $crate::tasks::channel_variant::<$s, $crate::tasks::TokioUnbounded, false>(
                "tokio-mpsc-unbounded",
                "tokio::sync::mpsc::unbounded_channel",
            ),
            $crate::tasks::channel_variant::<$s, $crate::tasks::TokioMpsc, true>(
                "tokio-mpsc-bounded",
                "tokio::sync::mpsc::channel",
            ),
            $crate::tasks::actor_variant::<$s, $crate::tasks::AsyncChannel, $crate::tasks::OneshotCrate>(
                "oneshot-actor",
                "async_channel::bounded + oneshot::channel",
            ),
            $($extra),*
        ]
    };
}
