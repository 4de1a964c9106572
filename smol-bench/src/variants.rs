//! Every variant smol-bench runs, in `--list` order: the core matrix that
//! every async runtime shares, with async-lock's mutex (smol's own).

use crate::runtime::Smol;
use dispenser_core::tasks::{
    AsyncChannel, Flume, OneshotCrate, TokioMpsc, TokioUnbounded, actor_variant, channel_variant, counter_variant,
};
use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<Smol>] = &[
    counter_variant::<Smol, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<Smol, async_lock::Mutex<u64>>("async-lock-mutex", Family::Lock, "async_lock::Mutex"),
    channel_variant::<Smol, AsyncChannel, UNBOUNDED>("async-channel-unbounded"),
    channel_variant::<Smol, AsyncChannel, BOUNDED>("async-channel-bounded"),
    channel_variant::<Smol, Flume, UNBOUNDED>("flume-unbounded"),
    channel_variant::<Smol, Flume, BOUNDED>("flume-bounded"),
    channel_variant::<Smol, TokioUnbounded, UNBOUNDED>("tokio-mpsc-unbounded"),
    channel_variant::<Smol, TokioMpsc, BOUNDED>("tokio-mpsc-bounded"),
    actor_variant::<Smol, AsyncChannel, OneshotCrate>("oneshot-actor", "async_channel::bounded + oneshot::channel"),
];

#[cfg(test)]
mod tests {
    use super::VARIANTS;
    use crate::runtime::Smol;
    use dispenser_core::SampleError;
    use dispenser_core::runner::Runtime;
    use dispenser_core::tasks::CORE_MATRIX;
    use dispenser_core::tasks::testing::{assert_every_variant_valid, run_with_lost_reply};
    use std::sync::Arc;
    use std::time::Duration;

    fn runtime(workers: usize) -> Runtime<Smol> {
        let smol = Smol::new(workers).unwrap();
        Runtime { name: "smol", executor: smol.executor(), ctx: Arc::new(smol), variants: VARIANTS }
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
        assert_every_variant_valid(&runtime(1));
    }

    #[test]
    fn every_variant_is_valid_on_two_workers() {
        assert_every_variant_valid(&runtime(2));
    }

    #[test]
    fn a_lost_reply_is_reported_as_hung() {
        for workers in [1, 2] {
            let result = run_with_lost_reply(&Arc::new(Smol::new(workers).unwrap()), Duration::from_secs(2));
            assert!(matches!(result, Err(SampleError::Hung { .. })), "{workers} workers: {result:?}");
        }
    }
}
