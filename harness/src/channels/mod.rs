//! Every channel crate the suite measures, described in one place.
//!
//! A crate gets one file here (`<crate>.rs`) with its adapter: a unit type
//! that implements [`crate::threads::Channel`] (blocking API, for OS
//! threads), [`crate::tasks::Channel`] (async API, for every async runtime),
//! or both, each used as the crate's own documentation recommends. Then its
//! variants get one line each in the matrix below that fits:
//! [`thread_variants!`](crate::thread_variants) reaches sync-bench,
//! [`async_variants!`](crate::async_variants) reaches tokio-bench,
//! async-std-bench and smol-bench. No runtime crate names a matrix channel
//! itself, so adding a crate touches no runtime crate. may-bench lists
//! neither matrix: a channel that parks the OS thread deadlocks may's
//! coroutines (see may-bench's variants). docs/adding-a-variant.md walks
//! through an addition.

mod async_channel;
mod crossbeam;
mod crossfire;
mod flume;
mod kanal;
mod std_mpsc;
mod tokio_mpsc;

pub use self::async_channel::AsyncChannel;
pub use self::crossbeam::Crossbeam;
pub use self::crossfire::{CrossfireBounded, CrossfireUnbounded};
pub use self::flume::Flume;
pub use self::kanal::Kanal;
pub use self::std_mpsc::{StdMpsc, StdSyncChannel};
pub use self::tokio_mpsc::{TokioMpsc, TokioUnbounded};

/// `bounded(n)` for a capacity of `Some(n)`, else `unbounded()`: how a crate
/// with both constructors is adapted, on threads and tasks alike.
pub(crate) fn by_capacity<P>(
    capacity: Option<usize>,
    bounded: impl FnOnce(usize) -> P,
    unbounded: impl FnOnce() -> P,
) -> P {
    match capacity {
        Some(n) => bounded(n),
        None => unbounded(),
    }
}

/// A blocking runtime's variant list (sync-bench's): the runtime's own
/// variants before the channels, the thread channel matrix, then the
/// runtime's variants after it, as one `&[Variant<$r>]` usable in a `static`:
///
/// ```ignore
/// pub static VARIANTS: &[Variant<Threads>] = dispenser_harness::thread_variants![Threads;
///     counter_variant::<Threads, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add");
///     actor_variant::<Threads, Crossbeam, OneshotCrate, BOUNDED>("crossbeam-oneshot-actor", "..."),
/// ];
/// ```
///
/// The matrix: one line per variant, `(name, adapter, bounded?, primitive)`.
#[macro_export]
macro_rules! thread_variants {
    ($r:ty; $($before:expr),* $(,)?; $($after:expr),* $(,)?) => {
        $crate::thread_variants!(@list $r; [$($before),*]; [$($after),*];
            ("std-mpsc", StdMpsc, UNBOUNDED, "std::sync::mpsc::channel"),
            ("std-mpsc-bounded", StdSyncChannel, BOUNDED, "std::sync::mpsc::sync_channel"),
            ("crossbeam-unbounded", Crossbeam, UNBOUNDED, "crossbeam_channel::unbounded"),
            ("crossbeam-bounded", Crossbeam, BOUNDED, "crossbeam_channel::bounded"),
            ("flume-unbounded", Flume, UNBOUNDED, "flume::unbounded"),
            ("flume-bounded", Flume, BOUNDED, "flume::bounded"),
            ("kanal-unbounded", Kanal, UNBOUNDED, "kanal::unbounded"),
            ("kanal-bounded", Kanal, BOUNDED, "kanal::bounded"),
            ("crossfire-unbounded", CrossfireUnbounded, UNBOUNDED, "crossfire::mpsc::unbounded_blocking"),
            ("crossfire-bounded", CrossfireBounded, BOUNDED, "crossfire::mpsc::bounded_blocking"),
        )
    };
    (@list $r:ty; [$($before:expr),*]; [$($after:expr),*]; $(($name:literal, $c:ident, $b:ident, $p:literal)),* $(,)?) => {
        &[
            $($before,)*
            $($crate::threads::channel_variant::<$r, $crate::channels::$c, { ::dispenser_core::variant::$b }>($name, $p),)*
            $($after),*
        ]
    };
}

/// An async runtime's variant list: the core matrix every async runtime
/// shares (the atomic, the async channel matrix, the `oneshot` actor, on
/// spawner `$s`), then the runtime's own extras, as one `&[Variant<$s>]`
/// usable in a `static`:
///
/// ```ignore
/// pub static VARIANTS: &[Variant<Smol>] = dispenser_harness::async_variants![Smol;
///     counter_variant::<Smol, async_lock::Mutex<u64>>("async-lock-mutex", Family::Lock, "async_lock::Mutex"),
/// ];
/// ```
///
/// The channel matrix: one line per variant, `(name, adapter, bounded?,
/// primitive)`. Its names are the same on every async runtime, so a channel
/// crate can be compared across runtimes.
#[macro_export]
macro_rules! async_variants {
    ($s:ty; $($extra:expr),* $(,)?) => {
        $crate::async_variants!(@list $s; [$($extra),*];
            ("async-channel-unbounded", AsyncChannel, UNBOUNDED, "async_channel::unbounded"),
            ("async-channel-bounded", AsyncChannel, BOUNDED, "async_channel::bounded"),
            ("flume-unbounded", Flume, UNBOUNDED, "flume::unbounded (async)"),
            ("flume-bounded", Flume, BOUNDED, "flume::bounded (async)"),
            ("tokio-mpsc-unbounded", TokioUnbounded, UNBOUNDED, "tokio::sync::mpsc::unbounded_channel"),
            ("tokio-mpsc-bounded", TokioMpsc, BOUNDED, "tokio::sync::mpsc::channel"),
            ("crossfire-unbounded", CrossfireUnbounded, UNBOUNDED, "crossfire::mpsc::unbounded_async"),
            ("crossfire-bounded", CrossfireBounded, BOUNDED, "crossfire::mpsc::bounded_async"),
        )
    };
    (@list $s:ty; [$($extra:expr),*]; $(($name:literal, $c:ident, $b:ident, $p:literal)),* $(,)?) => {
        &[
            $crate::tasks::counter_variant::<$s, ::std::sync::atomic::AtomicU64>(
                "atomic",
                ::dispenser_core::Family::Atomic,
                "AtomicU64::fetch_add",
            ),
            $($crate::tasks::channel_variant::<$s, $crate::channels::$c, { ::dispenser_core::variant::$b }>($name, $p),)*
            $crate::tasks::actor_variant::<$s, $crate::channels::AsyncChannel, $crate::tasks::OneshotCrate>(
                "oneshot-actor",
                "async_channel::bounded + oneshot::channel",
            ),
            $($extra),*
        ]
    };
}
