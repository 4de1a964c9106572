//! Every variant tokio-bench runs, in `--list` order: the core matrix that
//! every async runtime shares, then tokio's own primitives.

use crate::adapters::{Postage, StdMutex, TokioMutex, TokioOneshot};
use crate::runtime::Tokio;
use dispenser_core::variant::BOUNDED;
use dispenser_core::{Family, Variant};
use dispenser_harness::async_variants;
use dispenser_harness::channels::TokioMpsc;
use dispenser_harness::tasks::{actor_variant, channel_variant, counter_variant};

/// The list `--list` prints.
pub static VARIANTS: &[Variant<Tokio>] = async_variants![Tokio;
    counter_variant::<Tokio, TokioMutex>("tokio-mutex", Family::Lock, "tokio::sync::Mutex"),
    counter_variant::<Tokio, StdMutex>("std-mutex", Family::Lock, "std::sync::Mutex (held only between awaits)"),
    channel_variant::<Tokio, Postage, BOUNDED>("postage-mpsc", "postage::mpsc::channel"),
    actor_variant::<Tokio, TokioMpsc, TokioOneshot>(
        "tokio-oneshot-actor",
        "tokio::sync::mpsc::channel + tokio::sync::oneshot::channel",
    ),
];

/// The harness's faulty variants, listed only with `--faults`.
pub static FAULTS: [Variant<Tokio>; 2] = dispenser_harness::faults::tasks::<Tokio>();

#[cfg(test)]
mod tests {
    use super::{FAULTS, VARIANTS};
    use crate::runtime::{Flavor, Tokio};
    use dispenser_core::runner::run_sample;
    use dispenser_core::{Mode, SampleError, Workload, validate};
    use std::sync::Arc;
    use std::time::Duration;

    /// On a current-thread runtime the hung sample's thread keeps the
    /// runtime's core; the next sample must still end, valid or hung, within
    /// its deadline, never hang the process.
    #[test]
    fn after_a_hung_current_thread_sample_the_next_one_still_ends() {
        let ctx = Arc::new(Tokio::new(Flavor::CurrentThread, 1).unwrap());
        let w = Workload { consumers: 3, per_consumer: 10 };
        let lost = run_sample(&ctx, FAULTS[0].run, w, Mode::Throughput, Duration::from_secs(1));
        assert!(matches!(lost, Err(SampleError::Hung { .. })), "{lost:?}");
        match run_sample(&ctx, VARIANTS[0].run, w, Mode::Throughput, Duration::from_secs(2)) {
            Ok(sample) => validate(&w, &sample.lists).unwrap(),
            Err(e) => assert!(matches!(e, SampleError::Hung { .. }), "{e}"),
        }
    }
}
