//! Variants that break on purpose, written once for threads and tasks: a
//! round trip whose producer loses a reply (the sample can only end by its
//! deadline: `hung`) and a counter that hands one number out twice
//! (`invalid`). Every runtime binary lists them, built on its own context,
//! only under the hidden `--faults` flag, so the contract test can check that
//! each runtime reports them as such.

use crate::{tasks, threads};
use dispenser_core::variant::UNBOUNDED;
use dispenser_core::{Family, Variant};
use std::any::TypeId;
use std::future::Future;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

/// Name of the variant whose producer loses a reply.
pub const LOST_REPLY: &str = "fault-lost-reply";
/// Name of the variant that hands one number out twice.
pub const DUPLICATE: &str = "fault-duplicate";

/// The faulty variants on blocking participants `R` ([`threads::Threads`]
/// for OS threads). The lossy channel wraps crossbeam, so its consumer
/// blocks an OS thread for good: on a coroutine scheduler that only takes
/// one worker out of K, and the sample ends `hung` all the same.
pub const fn threads<R: threads::Blocking>() -> [Variant<R>; 2] {
    [
        threads::channel_variant::<R, LosesFirstReply<crate::channels::Crossbeam>, UNBOUNDED>(
            LOST_REPLY,
            "lossy (fault)",
        ),
        threads::counter_variant::<R, Stutter>(DUPLICATE, Family::Atomic, "stutter (fault)"),
    ]
}

/// The faulty variants on tasks of runtime `S`.
pub const fn tasks<S: tasks::Spawner>() -> [Variant<S>; 2] {
    [
        tasks::channel_variant::<S, LosesFirstReply<crate::channels::AsyncChannel>, UNBOUNDED>(
            LOST_REPLY,
            "lossy (fault)",
        ),
        tasks::counter_variant::<S, Stutter>(DUPLICATE, Family::Atomic, "stutter (fault)"),
    ]
}

/// A counter that hands out 0 twice (and never 1).
#[derive(Debug, Default)]
pub struct Stutter(AtomicU64);

impl Stutter {
    fn next(&self) -> u64 {
        match self.0.fetch_add(1, Ordering::Relaxed) {
            1 => 0,
            n => n,
        }
    }
}

impl threads::Counter for Stutter {
    fn take(&self) -> u64 {
        self.next()
    }
}

impl tasks::Counter for Stutter {
    async fn take(&self) -> u64 {
        self.next()
    }
}

/// Channel `C`, except that the first reply (a `u64`) sent through each
/// sender vanishes while `send` still reports success. Requests (`usize`)
/// pass through untouched, so the consumer waits for a reply that never
/// comes.
#[derive(Debug)]
pub struct LosesFirstReply<C>(PhantomData<C>);

/// A sender of [`LosesFirstReply`].
#[derive(Debug)]
pub struct LossySender<S> {
    inner: S,
    lost_one: AtomicBool,
}

impl<S: Clone> Clone for LossySender<S> {
    fn clone(&self) -> Self {
        LossySender { inner: self.inner.clone(), lost_one: AtomicBool::new(self.lost_one.load(Ordering::Relaxed)) }
    }
}

impl<S> LossySender<S> {
    fn new(inner: S) -> Self {
        LossySender { inner, lost_one: AtomicBool::new(false) }
    }

    /// True if this `T` is the reply to lose.
    fn loses<T: 'static>(&self) -> bool {
        TypeId::of::<T>() == TypeId::of::<u64>() && !self.lost_one.swap(true, Ordering::Relaxed)
    }
}

impl<C: threads::Channel> threads::Channel for LosesFirstReply<C> {
    type Sender<T: Send + 'static> = LossySender<C::Sender<T>>;
    type Receiver<T: Send + 'static> = C::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        let (tx, rx) = C::channel(capacity);
        (LossySender::new(tx), rx)
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.loses::<T>() || C::send(&tx.inner, value)
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        C::recv(rx)
    }
}

impl<C: tasks::Channel> tasks::Channel for LosesFirstReply<C> {
    type Sender<T: Send + 'static> = LossySender<C::Sender<T>>;
    type Receiver<T: Send + 'static> = C::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        let (tx, rx) = C::channel(capacity);
        (LossySender::new(tx), rx)
    }
    fn send<T: Send + Unpin + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send {
        let lose = tx.loses::<T>();
        async move { lose || C::send(&mut tx.inner, value).await }
    }
    fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> impl Future<Output = Option<T>> + Send {
        C::recv(rx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispenser_core::runner::run_sample;
    use dispenser_core::{Mode, SampleError, Violation, Workload, validate};
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn on_threads_a_lost_reply_hangs_and_a_stutter_duplicates() {
        let [lost, duplicate] = threads::<threads::Threads>();
        let w = Workload { consumers: 3, per_consumer: 5 };
        let hung = run_sample(&Arc::new(threads::Threads), lost.run, w, Mode::Throughput, Duration::from_millis(300));
        assert!(matches!(hung, Err(SampleError::Hung { .. })), "{hung:?}");
        let sample = (duplicate.run)(&threads::Threads, &w, Mode::Throughput).unwrap();
        assert!(matches!(
            validate(&w, &sample.lists),
            Err(Violation::Duplicate { .. } | Violation::NotIncreasing { .. })
        ));
    }
}
