//! Test support for the async runtime crates (feature `testing`, enabled in
//! their dev-dependencies only): a channel that loses a reply, to prove a lost
//! message is reported as a hung sample rather than waited on forever, and
//! the every-variant check each runtime runs on its own executor.

use super::{AsyncChannel, Channel, Spawner, round_trip};
use crate::runner::{LATENCY_SAMPLES, RunConfig, Runtime, run_sample, run_variant};
use crate::variant::{RunFn, UNBOUNDED};
use crate::{Mode, SampleError, Status, Workload};
use std::any::TypeId;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Channel `C`, except that the first reply (a `u64`) sent through each
/// sender vanishes while `send` still reports success. Requests (`usize`)
/// pass through untouched, so the consumer waits for a reply that never
/// comes: the sample can only end by its deadline.
pub struct LosesFirstReply<C>(PhantomData<C>);

/// A sender of [`LosesFirstReply`].
pub struct LossySender<C: Channel, T: Send + 'static> {
    inner: C::Sender<T>,
    lost_one: bool,
}

impl<C: Channel, T: Send + 'static> Clone for LossySender<C, T> {
    fn clone(&self) -> Self {
        LossySender { inner: self.inner.clone(), lost_one: self.lost_one }
    }
}

impl<C: Channel> Channel for LosesFirstReply<C> {
    const BOUNDED: &'static str = "lossy (test only)";
    const UNBOUNDED: &'static str = "lossy (test only)";
    type Sender<T: Send + 'static> = LossySender<C, T>;
    type Receiver<T: Send + 'static> = C::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        let (inner, rx) = C::channel(capacity);
        (LossySender { inner, lost_one: false }, rx)
    }
    fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send {
        let lose = TypeId::of::<T>() == TypeId::of::<u64>() && !tx.lost_one;
        async move {
            if lose {
                tx.lost_one = true;
                drop(value);
                true
            } else {
                C::send(&mut tx.inner, value).await
            }
        }
    }
    fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> impl Future<Output = Option<T>> + Send {
        C::recv(rx)
    }
}

/// The small workloads every async variant is tested on: few consumers with
/// long runs, many consumers with short runs.
pub const SMALL_WORKLOADS: [Workload; 2] =
    [Workload { consumers: 3, per_consumer: 200 }, Workload { consumers: 200, per_consumer: 5 }];

/// Runs every variant of `runtime` on [`SMALL_WORKLOADS`]: a warm-up, 3
/// counted and 3 latency samples each, every one validated by the runner.
/// Panics naming the first variant that is not `ok`.
pub fn assert_every_variant_valid<S: Spawner>(runtime: &Runtime<S>) {
    let cfg = RunConfig {
        samples: 3,
        warmup: 1,
        budget: Duration::from_secs(10),
        sample_timeout: Duration::from_secs(60),
        latency: true,
    };
    for workload in SMALL_WORKLOADS {
        for v in runtime.variants {
            let r = run_variant(runtime, v, workload, &cfg);
            let on = format!("{} on {} ({}), {workload}", v.name, runtime.name, runtime.executor);
            assert_eq!(r.status, Status::Ok, "{on}: {:?}", r.error);
            assert_eq!(r.executor, runtime.executor);
            assert_eq!(r.validated_samples, 1 + 3 + LATENCY_SAMPLES, "{on}");
            assert_eq!(r.latency.map(|l| l.count), Some(workload.total() * LATENCY_SAMPLES as u64), "{on}");
        }
    }
}

/// Runs a round trip whose replies get lost on `ctx` under a `timeout`
/// deadline and returns how the sample ended, after checking that the
/// deadline bounded the wait.
pub fn run_with_lost_reply<S: Spawner>(ctx: &Arc<S>, timeout: Duration) -> Result<(), SampleError> {
    let started = Instant::now();
    let run: RunFn<S> = round_trip::<S, LosesFirstReply<AsyncChannel>, UNBOUNDED>;
    let result = run_sample(ctx, run, Workload { consumers: 3, per_consumer: 5 }, Mode::Throughput, timeout);
    assert!(started.elapsed() < timeout + Duration::from_secs(5), "the deadline did not bound the wait");
    result.map(|_| ())
}
