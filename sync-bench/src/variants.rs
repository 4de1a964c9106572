//! Every variant sync-bench runs, in `--list` order.

use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use dispenser_harness::threads::{
    Crossbeam, Flume, Kanal, OneshotCrate, StdMpsc, StdSyncChannel, Threads, actor_variant, baseline_variant,
    channel_variant, counter_variant,
};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<Threads>] = &[
    baseline_variant::<Threads>("single-thread", "Vec::push"),
    counter_variant::<Threads, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<Threads, std::sync::Mutex<u64>>("std-mutex", Family::Lock, "std::sync::Mutex"),
    counter_variant::<Threads, parking_lot::Mutex<u64>>("parking_lot-mutex", Family::Lock, "parking_lot::Mutex"),
    channel_variant::<Threads, StdMpsc, UNBOUNDED>("std-mpsc", "std::sync::mpsc::channel"),
    channel_variant::<Threads, StdSyncChannel, BOUNDED>("std-mpsc-bounded", "std::sync::mpsc::sync_channel"),
    channel_variant::<Threads, Crossbeam, UNBOUNDED>("crossbeam-unbounded", "crossbeam_channel::unbounded"),
    channel_variant::<Threads, Crossbeam, BOUNDED>("crossbeam-bounded", "crossbeam_channel::bounded"),
    channel_variant::<Threads, Flume, UNBOUNDED>("flume-unbounded", "flume::unbounded"),
    channel_variant::<Threads, Flume, BOUNDED>("flume-bounded", "flume::bounded"),
    channel_variant::<Threads, Kanal, UNBOUNDED>("kanal-unbounded", "kanal::unbounded"),
    channel_variant::<Threads, Kanal, BOUNDED>("kanal-bounded", "kanal::bounded"),
    // The thread twin of the async runtimes' `oneshot-actor`: the request
    // channel is the one crossbeam's docs offer threads, the reply the same
    // `oneshot` crate, received with its blocking `recv`.
    actor_variant::<Threads, Crossbeam, OneshotCrate, BOUNDED>(
        "crossbeam-oneshot-actor",
        "crossbeam_channel::bounded + oneshot::channel",
    ),
];

/// The harness's faulty variants, listed only with `--faults`.
pub static FAULTS: [Variant<Threads>; 2] = dispenser_harness::faults::threads::<Threads>();
