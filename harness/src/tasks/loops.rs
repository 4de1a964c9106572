//! The dispensing loops for async tasks, written once: a task harness, the
//! shared counter, the round trip over any [`Channel`] and the actor with a
//! [`Oneshot`] reply. Runtimes differ only in their [`Spawner`].

use super::start_line::CallOffOnDrop;
use super::{Channel, Counter, FinishLine, Oneshot, Spawner, StartLine};
use crossbeam_utils::CachePadded;
use dispenser_core::runner::panic_message;
use dispenser_core::{
    Capacity, Consumed, Family, Mode, Probe, Sample, SampleError, Timeline, Variant, Workload, collect, reserve_list,
};
use futures_lite::FutureExt;
use std::future::Future;
use std::panic::AssertUnwindSafe;
use std::sync::Arc;

/// A shared-counter variant on runtime `S` (family atomic or lock).
pub const fn counter_variant<S: Spawner, K: Counter>(
    name: &'static str,
    family: Family,
    primitive: &'static str,
) -> Variant<S> {
    Variant { name, family, primitive, capacity: None, run: counter::<S, K> }
}

/// A round-trip variant over channel `C` on runtime `S`; `B` is
/// [`dispenser_core::variant::BOUNDED`] or [`dispenser_core::variant::UNBOUNDED`].
pub const fn channel_variant<S: Spawner, C: Channel, const B: bool>(
    name: &'static str,
    primitive: &'static str,
) -> Variant<S> {
    Variant { name, family: Family::Channel, primitive, capacity: Some(Capacity::new(B)), run: round_trip::<S, C, B> }
}

/// An actor variant: requests on `C` (bounded: one in flight per consumer)
/// carry an `O` one-shot sender.
pub const fn actor_variant<S: Spawner, C: Channel, O: Oneshot>(
    name: &'static str,
    primitive: &'static str,
) -> Variant<S> {
    Variant { name, family: Family::Actor, primitive, capacity: Some(Capacity::Bounded), run: actor::<S, C, O> }
}

/// Every consumer task takes the next number from a shared counter `K`.
pub fn counter<S: Spawner, K: Counter>(s: &S, w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
    with_probe!(mode, counter_sample::<S, K>(s, w))
}

fn counter_sample<S: Spawner, K: Counter, P: Probe>(s: &S, w: &Workload) -> Result<Sample, SampleError> {
    let timeline = Timeline::begin();
    // On a cache line of its own: in a bare `Arc` the count's neighbours
    // (the refcounts, whatever the heap put next to it) depend on heap
    // history, a per-process mode.
    let counter = Arc::new(CachePadded::new(K::default()));
    let takers = (0..w.consumers).map(|_| Shared(Arc::clone(&counter))).collect();
    // No producer: a task that only passed the start line would still be
    // scheduled with the consumers and compete with them for a worker.
    run_tasks::<S, P, _>(s, timeline, w, takers, None::<std::future::Ready<Result<(), SampleError>>>)
}

/// Round trip: consumer `i` sends `i` on a shared request channel and awaits
/// its number on reply channel `i`; a producer task owns the counter.
/// `BOUNDED` picks [`Capacity::Bounded`] over [`Capacity::Unbounded`].
pub fn round_trip<S: Spawner, C: Channel, const BOUNDED: bool>(
    s: &S,
    w: &Workload,
    mode: Mode,
) -> Result<Sample, SampleError> {
    with_probe!(mode, round_trip_sample::<S, C>(s, w, Capacity::new(BOUNDED)))
}

fn round_trip_sample<S: Spawner, C: Channel, P: Probe>(
    s: &S,
    w: &Workload,
    capacity: Capacity,
) -> Result<Sample, SampleError> {
    let timeline = Timeline::begin();
    let (request_tx, request_rx) = C::channel::<usize>(capacity.requests(w));
    let (reply_txs, reply_rxs): (Vec<_>, Vec<_>) =
        (0..w.consumers).map(|_| C::channel::<u64>(capacity.replies())).unzip();
    let takers = reply_rxs
        .into_iter()
        .enumerate()
        .map(|(index, replies)| Ask::<C> { index, requests: request_tx.clone(), replies })
        .collect();
    // Only consumers hold request senders, so the producer sees the channel
    // close if they all die instead of waiting forever.
    drop(request_tx);
    run_tasks::<S, P, _>(s, timeline, w, takers, Some(serve::<C>(request_rx, reply_txs, w.total())))
}

/// The producer of a round trip: receive `i`, reply with the next number.
async fn serve<C: Channel>(
    mut requests: C::Receiver<usize>,
    mut replies: Vec<C::Sender<u64>>,
    total: u64,
) -> Result<(), SampleError> {
    for next in 0..total {
        let i =
            C::recv(&mut requests).await.ok_or(SampleError::Closed("every consumer gone before the last request"))?;
        if !C::send(&mut replies[i], next).await {
            return Err(SampleError::Closed("a consumer left before its reply"));
        }
    }
    Ok(())
}

/// Actor: each request carries a fresh one-shot sender; the producer task
/// answers on it. The request channel is bounded to one request per consumer.
pub fn actor<S: Spawner, C: Channel, O: Oneshot>(s: &S, w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
    with_probe!(mode, actor_sample::<S, C, O>(s, w))
}

fn actor_sample<S: Spawner, C: Channel, O: Oneshot, P: Probe>(s: &S, w: &Workload) -> Result<Sample, SampleError> {
    let timeline = Timeline::begin();
    let (request_tx, request_rx) = C::channel::<O::Sender<u64>>(Capacity::Bounded.requests(w));
    let takers = (0..w.consumers).map(|_| Mailbox::<C, O> { requests: request_tx.clone() }).collect();
    drop(request_tx);
    run_tasks::<S, P, _>(s, timeline, w, takers, Some(answer::<C, O>(request_rx, w.total())))
}

/// The actor: receive a one-shot sender, answer with the next number.
async fn answer<C: Channel, O: Oneshot>(
    mut requests: C::Receiver<O::Sender<u64>>,
    total: u64,
) -> Result<(), SampleError> {
    for next in 0..total {
        let reply =
            C::recv(&mut requests).await.ok_or(SampleError::Closed("every consumer gone before the last request"))?;
        if !O::send(reply, next) {
            return Err(SampleError::Closed("a consumer dropped its one-shot receiver"));
        }
    }
    Ok(())
}

/// What a consumer task awaits for each number.
trait Taker: Send + 'static {
    fn take(&mut self) -> impl Future<Output = Result<u64, SampleError>> + Send;
}

/// A consumer of a shared counter.
struct Shared<K>(Arc<CachePadded<K>>);

impl<K: Counter> Taker for Shared<K> {
    async fn take(&mut self) -> Result<u64, SampleError> {
        Ok(self.0.take().await)
    }
}

/// A round-trip consumer: its index, a request sender and its reply channel.
struct Ask<C: Channel> {
    index: usize,
    requests: C::Sender<usize>,
    replies: C::Receiver<u64>,
}

impl<C: Channel> Taker for Ask<C> {
    async fn take(&mut self) -> Result<u64, SampleError> {
        if !C::send(&mut self.requests, self.index).await {
            return Err(SampleError::Closed("producer gone before a request was sent"));
        }
        C::recv(&mut self.replies).await.ok_or(SampleError::Closed("producer gone before it replied"))
    }
}

/// An actor's client: a request sender; every request brings its own reply channel.
struct Mailbox<C: Channel, O: Oneshot> {
    requests: C::Sender<O::Sender<u64>>,
}

impl<C: Channel, O: Oneshot> Taker for Mailbox<C, O> {
    async fn take(&mut self) -> Result<u64, SampleError> {
        let (reply_tx, reply_rx) = O::oneshot();
        if !C::send(&mut self.requests, reply_tx).await {
            return Err(SampleError::Closed("actor gone before a request was sent"));
        }
        O::recv(reply_rx).await.ok_or(SampleError::Closed("actor dropped a request unanswered"))
    }
}

/// Spawns the producer (if any) and one task per taker, parks them all at the start
/// line, opens it, waits for the last consumer to finish, and joins them;
/// all from the coordinator future that the runtime blocks on. The
/// coordinator never dispenses, and is woken once during the dispensing.
fn run_tasks<S: Spawner, P: Probe, K: Taker>(
    s: &S,
    mut timeline: Timeline,
    w: &Workload,
    takers: Vec<K>,
    producer: Option<impl Future<Output = Result<(), SampleError>> + Send + 'static>,
) -> Result<Sample, SampleError> {
    let participants = takers.len() + usize::from(producer.is_some());
    let lines = Arc::new((StartLine::new(participants), FinishLine::new(takers.len())));
    let per_consumer = w.per_consumer;
    s.block_on(async {
        let (start, finish) = &*lines;
        let _call_off = CallOffOnDrop(start);
        let producer = producer.map(|producer| {
            let lines = Arc::clone(&lines);
            s.spawn(catching(async move { if lines.0.wait().await { producer.await } else { Ok(()) } }))
        });
        let consumers: Vec<_> = takers
            .into_iter()
            .map(|t| s.spawn(catching(consume::<P, K>(Arc::clone(&lines), per_consumer, t))))
            .collect();
        start.wait_until_parked().await;
        timeline.open();
        start.open();
        finish.wait_for_all().await;
        timeline.close(finish.closing());
        let mut consumed = Vec::with_capacity(consumers.len());
        for consumer in consumers {
            consumed.push(consumer.await??);
        }
        if let Some(producer) = producer {
            producer.await??;
        }
        collect(timeline, consumed)
    })
}

/// One consumer task: reserve its list, park, then take T numbers; crosses
/// the finish line however it ends.
async fn consume<P: Probe, K: Taker>(
    lines: Arc<(StartLine, FinishLine)>,
    per_consumer: usize,
    taker: K,
) -> Result<Consumed<P>, SampleError> {
    let (start, finish) = &*lines;
    let _pass = finish.pass();
    // The consumer's hot state (its list's length, its probe, its taker) on
    // cache lines of its own: the task's future, and so the task's
    // allocation, is then aligned and sized to whole lines, and no
    // neighbouring task's state shares a line with it.
    let mut hot = CachePadded::new((reserve_list(per_consumer), P::default(), taker));
    let (numbers, probe, taker) = &mut *hot;
    probe.reserve(per_consumer);
    // Read once per sample, outside the clock (see dispenser_core::work).
    let work = dispenser_core::work::per_number();
    if !start.wait().await {
        return Err(SampleError::Closed("start called off"));
    }
    // The first take starts now: the start skew's stamp.
    let started = std::time::Instant::now();
    for _ in 0..per_consumer {
        if let Some(due) = probe.due() {
            // Yield until due rather than block: a sleeping task must leave
            // its worker to the others (no timer is shared by every runtime).
            while std::time::Instant::now() < due {
                futures_lite::future::yield_now().await;
            }
        }
        let mark = probe.start();
        let number = taker.take().await?;
        probe.stop(mark);
        numbers.push(number);
        // The consumer's own work with its number: on the dispense clock,
        // off the request's latency, holding its worker as real work would.
        work.spin();
    }
    let finished = std::time::Instant::now();
    let (numbers, probe, _) = CachePadded::into_inner(hot);
    Ok(Consumed { numbers, probe, finished, started })
}

/// Turns a panic inside a task into [`SampleError::Panicked`], so every
/// runtime reports it the same way through the join handle.
async fn catching<T>(task: impl Future<Output = Result<T, SampleError>>) -> Result<T, SampleError> {
    AssertUnwindSafe(task).catch_unwind().await.map_err(|p| SampleError::Panicked(panic_message(&*p)))?
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispenser_core::validate;

    /// The smallest spawner: an `async_executor::Executor` driven only by the
    /// thread that blocks on the coordinator.
    #[derive(Default)]
    struct OneThread(async_executor::Executor<'static>);

    impl Spawner for OneThread {
        fn spawn<T: Send + 'static>(&self, task: impl Future<Output = T> + Send + 'static) -> super::super::Join<T> {
            let task = self.0.spawn(task);
            Box::pin(async move { Ok(task.await) })
        }
        fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
            futures_lite::future::block_on(self.0.run(future))
        }
    }

    static VARIANTS: &[Variant<OneThread>] = crate::async_variants![OneThread;
        counter_variant::<OneThread, async_lock::Mutex<u64>>("async-lock-mutex", Family::Lock, "async_lock::Mutex"),
    ];

    /// The core matrix alone: the list with no extras.
    static CORE: &[Variant<OneThread>] = crate::async_variants![OneThread;];

    #[test]
    fn the_core_matrix_comes_first_under_its_names() {
        let names: Vec<_> = VARIANTS.iter().map(|v| v.name).collect();
        let core: Vec<_> = CORE.iter().map(|v| v.name).collect();
        assert_eq!(names[..core.len()], core[..]);
        assert_eq!(names.len(), core.len() + 1, "one extra after the core matrix");
        Variant::check_names(VARIANTS).unwrap();
    }

    #[test]
    fn every_loop_dispenses_each_number_once_with_both_stamps() {
        let s = OneThread::default();
        for w in [Workload { consumers: 3, per_consumer: 50 }, Workload { consumers: 40, per_consumer: 3 }] {
            for v in VARIANTS {
                for mode in [Mode::Throughput, Mode::Latency] {
                    let sample = (v.run)(&s, &w, mode).unwrap_or_else(|e| panic!("{} on {w}: {e}", v.name));
                    validate(&w, &sample.lists).unwrap_or_else(|e| panic!("{} on {w}: {e}", v.name));
                    assert_eq!(sample.latency.map(|h| h.len()), (mode == Mode::Latency).then_some(w.total()));
                }
            }
        }
    }

    #[test]
    fn a_panicking_task_is_an_error_through_its_handle() {
        #[derive(Default)]
        struct Broken;
        impl Counter for Broken {
            async fn take(&self) -> u64 {
                panic!("counter broke")
            }
        }
        let r = counter::<OneThread, Broken>(
            &OneThread::default(),
            &Workload { consumers: 2, per_consumer: 2 },
            Mode::Throughput,
        );
        assert_eq!(r.unwrap_err(), SampleError::Panicked("counter broke".into()));
    }
}
