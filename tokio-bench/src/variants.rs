//! Every variant tokio-bench runs, in `--list` order: the core matrix that
//! every async runtime shares, then tokio's own primitives.

use crate::adapters::{Postage, StdMutex, TokioMutex, TokioOneshot};
use crate::runtime::Tokio;
use dispenser_core::tasks::{
    AsyncChannel, Flume, OneshotCrate, TokioMpsc, TokioUnbounded, actor_variant, channel_variant, counter_variant,
};
use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<Tokio>] = &[
    counter_variant::<Tokio, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<Tokio, TokioMutex>("tokio-mutex", Family::Lock, "tokio::sync::Mutex"),
    counter_variant::<Tokio, StdMutex>("std-mutex", Family::Lock, "std::sync::Mutex (held only between awaits)"),
    channel_variant::<Tokio, AsyncChannel, UNBOUNDED>("async-channel-unbounded"),
    channel_variant::<Tokio, AsyncChannel, BOUNDED>("async-channel-bounded"),
    channel_variant::<Tokio, Flume, UNBOUNDED>("flume-unbounded"),
    channel_variant::<Tokio, Flume, BOUNDED>("flume-bounded"),
    channel_variant::<Tokio, TokioUnbounded, UNBOUNDED>("tokio-mpsc-unbounded"),
    channel_variant::<Tokio, TokioMpsc, BOUNDED>("tokio-mpsc-bounded"),
    channel_variant::<Tokio, Postage, BOUNDED>("postage-mpsc"),
    actor_variant::<Tokio, AsyncChannel, OneshotCrate>("oneshot-actor", "async_channel::bounded + oneshot::channel"),
    actor_variant::<Tokio, TokioMpsc, TokioOneshot>(
        "tokio-oneshot-actor",
        "tokio::sync::mpsc::channel + tokio::sync::oneshot::channel",
    ),
];

#[cfg(test)]
mod tests {
    use super::VARIANTS;
    use crate::runtime::{Flavor, Tokio};
    use dispenser_core::SampleError;
    use dispenser_core::runner::Runtime;
    use dispenser_core::tasks::CORE_MATRIX;
    use dispenser_core::tasks::testing::{assert_every_variant_valid, run_with_lost_reply};
    use std::sync::Arc;
    use std::time::Duration;

    fn runtime(flavor: Flavor, workers: usize) -> Runtime<Tokio> {
        let tokio = Tokio::new(flavor, workers).unwrap();
        Runtime { name: "tokio", executor: tokio.executor(), ctx: Arc::new(tokio), variants: VARIANTS }
    }

    #[test]
    fn names_are_unique_and_cover_the_core_matrix() {
        dispenser_core::Variant::check_names(VARIANTS).unwrap();
        for name in CORE_MATRIX {
            assert!(VARIANTS.iter().any(|v| v.name == *name), "{name} missing");
        }
    }

    #[test]
    fn every_variant_is_valid_on_one_worker() {
        assert_every_variant_valid(&runtime(Flavor::MultiThread, 1));
    }

    #[test]
    fn every_variant_is_valid_on_two_workers() {
        assert_every_variant_valid(&runtime(Flavor::MultiThread, 2));
    }

    #[test]
    fn every_variant_is_valid_on_the_current_thread_flavor() {
        let rt = runtime(Flavor::CurrentThread, 1);
        assert_eq!(rt.executor.flavor, "current-thread");
        assert_every_variant_valid(&rt);
    }

    #[test]
    fn a_lost_reply_is_reported_as_hung_on_multi_thread() {
        let ctx = Arc::new(Tokio::new(Flavor::MultiThread, 2).unwrap());
        let result = run_with_lost_reply(&ctx, Duration::from_secs(2));
        assert!(matches!(result, Err(SampleError::Hung { .. })), "{result:?}");
    }

    /// On a current-thread runtime the hung sample's thread keeps the
    /// runtime's core; the next sample must still end, valid or hung, within
    /// its deadline, never hang the process.
    #[test]
    fn a_lost_reply_is_reported_as_hung_on_current_thread_and_later_samples_end() {
        let ctx = Arc::new(Tokio::new(Flavor::CurrentThread, 1).unwrap());
        let result = run_with_lost_reply(&ctx, Duration::from_secs(2));
        assert!(matches!(result, Err(SampleError::Hung { .. })), "{result:?}");
        let atomic = &VARIANTS[0];
        let w = dispenser_core::Workload { consumers: 3, per_consumer: 10 };
        let next = dispenser_core::runner::run_sample(
            &ctx,
            atomic.run,
            w,
            dispenser_core::Mode::Throughput,
            Duration::from_secs(2),
        );
        match &next {
            Ok((sample, ..)) => dispenser_core::validate(&w, &sample.lists).unwrap(),
            Err(e) => assert!(matches!(e, SampleError::Hung { .. }), "{e}"),
        }
        eprintln!("after a hung current-thread sample, the next one: {:?}", next.map(|_| "ok"));
    }
}
