//! Every variant async-std-bench runs, in `--list` order: the core matrix
//! that every async runtime shares, with async-std's mutex. There is no
//! `async-std-channel` variant: `async_std::channel` is async-channel.

use crate::runtime::AsyncStd;
use dispenser_core::tasks::{
    AsyncChannel, Flume, OneshotCrate, TokioMpsc, TokioUnbounded, actor_variant, channel_variant, counter_variant,
};
use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<AsyncStd>] = &[
    counter_variant::<AsyncStd, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<AsyncStd, async_std::sync::Mutex<u64>>(
        "async-std-mutex",
        Family::Lock,
        "async_std::sync::Mutex (= async_lock::Mutex)",
    ),
    channel_variant::<AsyncStd, AsyncChannel, UNBOUNDED>("async-channel-unbounded"),
    channel_variant::<AsyncStd, AsyncChannel, BOUNDED>("async-channel-bounded"),
    channel_variant::<AsyncStd, Flume, UNBOUNDED>("flume-unbounded"),
    channel_variant::<AsyncStd, Flume, BOUNDED>("flume-bounded"),
    channel_variant::<AsyncStd, TokioUnbounded, UNBOUNDED>("tokio-mpsc-unbounded"),
    channel_variant::<AsyncStd, TokioMpsc, BOUNDED>("tokio-mpsc-bounded"),
    actor_variant::<AsyncStd, AsyncChannel, OneshotCrate>("oneshot-actor", "async_channel::bounded + oneshot::channel"),
];

#[cfg(test)]
mod tests {
    use super::VARIANTS;
    use crate::runtime::AsyncStd;
    use dispenser_core::SampleError;
    use dispenser_core::runner::Runtime;
    use dispenser_core::tasks::CORE_MATRIX;
    use dispenser_core::tasks::testing::{assert_every_variant_valid, run_with_lost_reply};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn names_are_unique_and_cover_the_core_matrix() {
        dispenser_core::Variant::check_names(VARIANTS).unwrap();
        for name in CORE_MATRIX {
            assert!(VARIANTS.iter().any(|v| v.name == *name), "{name} missing");
        }
    }

    /// In this process the global executor has its default thread count; the
    /// binary is run with `--workers 1` and `--workers 2` in tests/cli.rs.
    #[test]
    fn every_variant_is_valid_on_the_global_executor() {
        let async_std = AsyncStd::started();
        let runtime =
            Runtime { name: "async-std", executor: async_std.executor(), ctx: Arc::new(async_std), variants: VARIANTS };
        assert_every_variant_valid(&runtime);
    }

    #[test]
    fn a_lost_reply_is_reported_as_hung() {
        let result = run_with_lost_reply(&Arc::new(AsyncStd::started()), Duration::from_secs(2));
        assert!(matches!(result, Err(SampleError::Hung { .. })), "{result:?}");
    }
}
