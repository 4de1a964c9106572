//! Every variant sync-bench runs, in `--list` order: its own counters, the
//! thread channel matrix (`dispenser_harness::channels`), then its actor.

use dispenser_core::variant::BOUNDED;
use dispenser_core::{Family, Variant};
use dispenser_harness::channels::Crossbeam;
use dispenser_harness::threads::{OneshotCrate, Threads, actor_variant, baseline_variant, counter_variant};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<Threads>] = dispenser_harness::thread_variants![Threads;
    baseline_variant::<Threads>("single-thread", "Vec::push"),
    counter_variant::<Threads, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<Threads, std::sync::Mutex<u64>>("std-mutex", Family::Lock, "std::sync::Mutex"),
    counter_variant::<Threads, parking_lot::Mutex<u64>>("parking_lot-mutex", Family::Lock, "parking_lot::Mutex");
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
