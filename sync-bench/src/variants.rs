//! Every variant sync-bench runs, in `--list` order.

use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use dispenser_harness::threads::{
    Crossbeam, Flume, Kanal, StdMpsc, StdSyncChannel, baseline_variant, channel_variant, counter_variant,
};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<()>] = &[
    baseline_variant("single-thread", "Vec::push"),
    counter_variant::<AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<std::sync::Mutex<u64>>("std-mutex", Family::Lock, "std::sync::Mutex"),
    counter_variant::<parking_lot::Mutex<u64>>("parking_lot-mutex", Family::Lock, "parking_lot::Mutex"),
    channel_variant::<StdMpsc, UNBOUNDED>("std-mpsc", "std::sync::mpsc::channel"),
    channel_variant::<StdSyncChannel, BOUNDED>("std-mpsc-bounded", "std::sync::mpsc::sync_channel"),
    channel_variant::<Crossbeam, UNBOUNDED>("crossbeam-unbounded", "crossbeam_channel::unbounded"),
    channel_variant::<Crossbeam, BOUNDED>("crossbeam-bounded", "crossbeam_channel::bounded"),
    channel_variant::<Flume, UNBOUNDED>("flume-unbounded", "flume::unbounded"),
    channel_variant::<Flume, BOUNDED>("flume-bounded", "flume::bounded"),
    channel_variant::<Kanal, UNBOUNDED>("kanal-unbounded", "kanal::unbounded"),
    channel_variant::<Kanal, BOUNDED>("kanal-bounded", "kanal::bounded"),
];

/// The harness's faulty variants, listed only with `--faults`.
pub static FAULTS: [Variant<()>; 2] = dispenser_harness::faults::threads();
