//! Every variant sync-bench runs, in `--list` order.

use crate::channel::{Crossbeam, Flume, Kanal, StdMpsc, StdSyncChannel};
use crate::loops::{counter, round_trip, single_thread};
use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use std::sync::atomic::AtomicU64;

/// A round-trip variant over channel `C`.
const fn channel<C: crate::channel::Channel, const B: bool>(
    name: &'static str,
    primitive: &'static str,
) -> Variant<()> {
    Variant { name, family: Family::Channel, primitive, run: round_trip::<C, B> }
}

/// The list `--list` prints.
pub static VARIANTS: &[Variant<()>] = &[
    Variant { name: "single-thread", family: Family::Baseline, primitive: "Vec::push", run: single_thread },
    Variant { name: "atomic", family: Family::Atomic, primitive: "AtomicU64::fetch_add", run: counter::<AtomicU64> },
    Variant {
        name: "std-mutex",
        family: Family::Lock,
        primitive: "std::sync::Mutex",
        run: counter::<std::sync::Mutex<u64>>,
    },
    Variant {
        name: "parking_lot-mutex",
        family: Family::Lock,
        primitive: "parking_lot::Mutex",
        run: counter::<parking_lot::Mutex<u64>>,
    },
    channel::<StdMpsc, UNBOUNDED>("std-mpsc", "std::sync::mpsc::channel"),
    channel::<StdSyncChannel, BOUNDED>("std-mpsc-bounded", "std::sync::mpsc::sync_channel"),
    channel::<Crossbeam, UNBOUNDED>("crossbeam-unbounded", "crossbeam_channel::unbounded"),
    channel::<Crossbeam, BOUNDED>("crossbeam-bounded", "crossbeam_channel::bounded"),
    channel::<Flume, UNBOUNDED>("flume-unbounded", "flume::unbounded"),
    channel::<Flume, BOUNDED>("flume-bounded", "flume::bounded"),
    channel::<Kanal, UNBOUNDED>("kanal-unbounded", "kanal::unbounded"),
    channel::<Kanal, BOUNDED>("kanal-bounded", "kanal::bounded"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique() {
        dispenser_core::Variant::check_names(super::VARIANTS).unwrap();
    }
}

#[cfg(test)]
mod every_variant {
    use dispenser_core::runner::{RunConfig, Runtime, run_variant};
    use dispenser_core::{Executor, Status, Workload};
    use std::sync::Arc;
    use std::time::Duration;

    /// Every variant, on few and many consumers, throughput and latency
    /// samples, each sample validated by the runner.
    #[test]
    fn every_variant_is_valid_on_small_workloads() {
        let runtime = Runtime {
            name: "sync",
            executor: Executor { flavor: "threads".into(), workers: None },
            ctx: Arc::new(()),
            variants: super::VARIANTS,
        };
        let cfg = RunConfig {
            samples: 3,
            warmup: 1,
            budget: Duration::from_secs(10),
            sample_timeout: Duration::from_secs(60),
            latency: true,
        };
        for workload in [Workload { consumers: 3, per_consumer: 200 }, Workload { consumers: 64, per_consumer: 20 }] {
            for v in super::VARIANTS {
                let r = run_variant(&runtime, v, workload, &cfg);
                assert_eq!(r.status, Status::Ok, "{} on {workload}: {:?}", v.name, r.error);
                assert_eq!(r.validated_samples, 1 + 3 + dispenser_core::runner::LATENCY_SAMPLES);
                assert_eq!(r.latency.unwrap().count, workload.total() * 3, "{}", v.name);
            }
        }
    }
}
