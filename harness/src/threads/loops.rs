//! The blocking-style dispensing loops, written once: a participant harness
//! over any [`Blocking`] (OS threads or coroutines), the single-thread
//! baseline, the shared counter, the round trip over any [`Channel`] and
//! the actor with a [`Oneshot`] reply.

use super::{Blocking, Channel, Counter, FinishLine, Oneshot, StartLine};
use crossbeam_utils::CachePadded;
use dispenser_core::{
    Capacity, Consumed, Family, Mode, Probe, Sample, SampleError, Stamp, Timeline, Variant, Workload, reserve_list,
};
use std::sync::Arc;

/// The single-thread baseline as a variant.
pub const fn baseline_variant<R: Blocking>(name: &'static str, primitive: &'static str) -> Variant<R> {
    Variant { name, family: Family::Baseline, primitive, capacity: None, run: single_thread::<R> }
}

/// A shared-counter variant (family atomic or lock) over counter `K`.
pub const fn counter_variant<R: Blocking, K: Counter>(
    name: &'static str,
    family: Family,
    primitive: &'static str,
) -> Variant<R> {
    Variant { name, family, primitive, capacity: None, run: counter::<R, K> }
}

/// A round-trip variant over channel `C`; `B` is
/// [`dispenser_core::variant::BOUNDED`] or [`dispenser_core::variant::UNBOUNDED`].
pub const fn channel_variant<R: Blocking, C: Channel, const B: bool>(
    name: &'static str,
    primitive: &'static str,
) -> Variant<R> {
    Variant { name, family: Family::Channel, primitive, capacity: Some(Capacity::new(B)), run: round_trip::<R, C, B> }
}

/// An actor variant: requests on `C` carry an `O` one-shot sender; `B` is
/// [`dispenser_core::variant::BOUNDED`] (one request in flight per consumer)
/// or [`dispenser_core::variant::UNBOUNDED`], for a channel without a
/// bounded form.
pub const fn actor_variant<R: Blocking, C: Channel, O: Oneshot, const B: bool>(
    name: &'static str,
    primitive: &'static str,
) -> Variant<R> {
    Variant { name, family: Family::Actor, primitive, capacity: Some(Capacity::new(B)), run: actor::<R, C, O, B> }
}

/// One thread (the sample's own) fills the lists one after the other,
/// without synchronisation: the floor every concurrent variant is measured
/// against.
pub fn single_thread<R: Blocking>(_: &R, w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
    with_probe!(mode, baseline(w))
}

fn baseline<P: Probe>(w: &Workload) -> Result<Sample, SampleError> {
    let mut timeline = Timeline::begin();
    let mut lists: Vec<Vec<u64>> = (0..w.consumers).map(|_| reserve_list(w.per_consumer)).collect();
    let mut probe = P::default();
    probe.reserve(w.total() as usize);
    let work = dispenser_core::work::per_number();
    // The same dispense clock as every concurrent variant: opened just
    // before the first number, closed just after the last.
    timeline.open();
    let mut next = 0u64;
    // List by list rather than round robin: N interleaved write streams can
    // alias in the L1 cache (equal page offsets) and the floor would measure that.
    for list in lists.iter_mut() {
        for _ in 0..w.per_consumer {
            if let Some(due) = probe.due() {
                dispenser_core::latency::wait_until(due);
            }
            let mark = probe.start();
            list.push(std::hint::black_box(next));
            next += 1;
            probe.stop(mark);
            work.spin();
        }
    }
    timeline.close(Some(Stamp::closing()));
    timeline.end(lists, probe.into_histogram())
}

/// Every consumer takes the next number from a shared counter `K`.
pub fn counter<R: Blocking, K: Counter>(r: &R, w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
    with_probe!(mode, counter_sample::<R, K>(r, w))
}

fn counter_sample<R: Blocking, K: Counter, P: Probe>(r: &R, w: &Workload) -> Result<Sample, SampleError> {
    let timeline = Timeline::begin();
    // On a cache line of its own: in a bare `Arc` the count's neighbours
    // (the refcounts, whatever the heap put next to it) depend on heap
    // history, a per-process mode.
    let counter = Arc::new(CachePadded::new(K::default()));
    let takers = (0..w.consumers)
        .map(|_| {
            let counter = Arc::clone(&counter);
            move || Ok(counter.take())
        })
        .collect();
    // No producer: a thread that only passed the start line would still be
    // woken with the consumers and compete with them for a core.
    run_participants::<R, P, _>(r, timeline, w, takers, None::<fn() -> Result<(), SampleError>>)
}

/// Round trip: consumer `i` sends `i` on a shared request channel and waits
/// for its number on reply channel `i`; one producer owns the counter.
/// `BOUNDED` picks [`Capacity::Bounded`] over [`Capacity::Unbounded`].
pub fn round_trip<R: Blocking, C: Channel, const BOUNDED: bool>(
    r: &R,
    w: &Workload,
    mode: Mode,
) -> Result<Sample, SampleError> {
    with_probe!(mode, round_trip_sample::<R, C>(r, w, Capacity::new(BOUNDED)))
}

fn round_trip_sample<R: Blocking, C: Channel, P: Probe>(
    r: &R,
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
        .map(|(i, reply_rx)| {
            let request_tx = request_tx.clone();
            move || {
                if !C::send(&request_tx, i) {
                    return Err(SampleError::Closed("producer gone before a request was sent"));
                }
                C::recv(&reply_rx).ok_or(SampleError::Closed("producer gone before it replied"))
            }
        })
        .collect();
    // Only consumers hold request senders, so the producer sees the channel
    // close if they all die instead of waiting forever.
    drop(request_tx);
    let total = w.total();
    let producer = move || {
        for next in 0..total {
            let i = C::recv(&request_rx).ok_or(SampleError::Closed("every consumer gone before the last request"))?;
            if !C::send(&reply_txs[i], next) {
                return Err(SampleError::Closed("a consumer left before its reply"));
            }
        }
        Ok(())
    };
    run_participants::<R, P, _>(r, timeline, w, takers, Some(producer))
}

/// Actor: each request carries a fresh one-shot sender; the producer
/// answers on it. `BOUNDED`: the request channel holds one request per
/// consumer, as on the task side.
pub fn actor<R: Blocking, C: Channel, O: Oneshot, const BOUNDED: bool>(
    r: &R,
    w: &Workload,
    mode: Mode,
) -> Result<Sample, SampleError> {
    with_probe!(mode, actor_sample::<R, C, O>(r, w, Capacity::new(BOUNDED)))
}

fn actor_sample<R: Blocking, C: Channel, O: Oneshot, P: Probe>(
    r: &R,
    w: &Workload,
    capacity: Capacity,
) -> Result<Sample, SampleError> {
    let timeline = Timeline::begin();
    let (request_tx, request_rx) = C::channel::<O::Sender<u64>>(capacity.requests(w));
    let takers = (0..w.consumers)
        .map(|_| {
            let request_tx = request_tx.clone();
            move || {
                let (reply_tx, reply_rx) = O::oneshot();
                if !C::send(&request_tx, reply_tx) {
                    return Err(SampleError::Closed("actor gone before a request was sent"));
                }
                O::recv(reply_rx).ok_or(SampleError::Closed("actor dropped a request unanswered"))
            }
        })
        .collect();
    drop(request_tx);
    let total = w.total();
    let actor = move || {
        for next in 0..total {
            let reply =
                C::recv(&request_rx).ok_or(SampleError::Closed("every consumer gone before the last request"))?;
            if !O::send(reply, next) {
                return Err(SampleError::Closed("a consumer dropped its one-shot receiver"));
            }
        }
        Ok(())
    };
    run_participants::<R, P, _>(r, timeline, w, takers, Some(actor))
}

/// What the producer does after leaving the start line (shared counters
/// have none).
trait Producer: FnOnce() -> Result<(), SampleError> + Send + 'static {}
impl<F: FnOnce() -> Result<(), SampleError> + Send + 'static> Producer for F {}

/// Spawns one participant per taker (and one for the producer, if any), parks them
/// all at the start line, releases them together and joins them; the
/// calling thread is the coordinator and never dispenses.
///
/// `takers` yield numbers; a consumer calls its taker T times. The producer
/// runs after the start line too.
fn run_participants<R: Blocking, P: Probe, F>(
    r: &R,
    mut timeline: Timeline,
    w: &Workload,
    takers: Vec<F>,
    producer: Option<impl Producer>,
) -> Result<Sample, SampleError>
where
    F: FnMut() -> Result<u64, SampleError> + Send + 'static,
{
    // Consumers plus the producer, if any.
    let participants = takers.len() + usize::from(producer.is_some());
    let lines = Arc::new((StartLine::<R>::new(participants), FinishLine::<R>::new(takers.len())));
    let (producer, consumers) = match spawn_all::<R, P, F>(r, &lines, w.per_consumer, takers, producer) {
        Ok(handles) => handles,
        Err(e) => {
            // Whoever was spawned leaves the start line with "called off".
            lines.0.call_off();
            return Err(e);
        }
    };
    let (line, finish) = &*lines;
    line.wait_until_parked();
    timeline.open();
    line.open();
    // Every participant is joined before an error is returned, as a scope would.
    let consumed: Vec<Result<Consumed<P>, SampleError>> = consumers.into_iter().map(join::<R, _>).collect();
    let produced = producer.map(join::<R, _>).transpose();
    let consumed = consumed.into_iter().collect::<Result<Vec<_>, _>>()?;
    produced?;
    timeline.close(finish.closing());
    dispenser_core::collect(timeline, consumed)
}

type Handles<R, P> = (
    Option<<R as Blocking>::Handle<Result<(), SampleError>>>,
    Vec<<R as Blocking>::Handle<Result<Consumed<P>, SampleError>>>,
);

fn spawn_all<R: Blocking, P: Probe, F>(
    r: &R,
    lines: &Arc<(StartLine<R>, FinishLine<R>)>,
    per_consumer: usize,
    takers: Vec<F>,
    producer: Option<impl Producer>,
) -> Result<Handles<R, P>, SampleError>
where
    F: FnMut() -> Result<u64, SampleError> + Send + 'static,
{
    // Read once per sample, outside the clock (see dispenser_core::work).
    let work = dispenser_core::work::per_number();
    let producer = match producer {
        Some(producer) => {
            let lines = Arc::clone(lines);
            Some(r.spawn(Some("producer"), move || {
                // Placed before the line, its error reported after it: a
                // participant that never reached the line would hang the sample.
                let placed = R::place(0);
                if lines.0.wait() { placed.and_then(|()| producer()) } else { Ok(()) }
            })?)
        }
        None => None,
    };
    let mut consumers = Vec::with_capacity(takers.len());
    for (i, mut take) in takers.into_iter().enumerate() {
        let lines = Arc::clone(lines);
        let handle = r.spawn(None, move || {
            let placed = R::place(i + 1);
            let (line, finish) = &*lines;
            let mut numbers = reserve_list(per_consumer);
            let mut probe = P::default();
            probe.reserve(per_consumer);
            let pass = finish.pass();
            if !line.wait() {
                return Err(SampleError::Closed("start called off"));
            }
            placed?;
            // The first take starts now: the start skew's stamp.
            let started = std::time::Instant::now();
            for _ in 0..per_consumer {
                if let Some(due) = probe.due() {
                    R::wait_until(due);
                }
                let mark = probe.start();
                let number = take()?;
                probe.stop(mark);
                numbers.push(number);
                // The consumer's own work with its number: on the dispense
                // clock, off the request's latency.
                work.spin();
            }
            let finished = std::time::Instant::now();
            // Park until the last consumer is done: exiting now would put
            // teardown and the coordinator's join on the clock.
            drop(pass);
            finish.wait_for_all();
            Ok(Consumed { numbers, probe, finished, started })
        })?;
        consumers.push(handle);
    }
    Ok((producer, consumers))
}

fn join<R: Blocking, T: Send + 'static>(handle: R::Handle<Result<T, SampleError>>) -> Result<T, SampleError> {
    R::join(handle)?
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::channels::Crossbeam;
    use crate::threads::{OneshotCrate, Threads};
    use dispenser_core::validate;
    use dispenser_core::variant::{BOUNDED, UNBOUNDED};
    use std::sync::atomic::AtomicU64;

    static VARIANTS: &[Variant<Threads>] = &[
        baseline_variant::<Threads>("single-thread", "Vec::push"),
        counter_variant::<Threads, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
        channel_variant::<Threads, Crossbeam, BOUNDED>("crossbeam-bounded", "crossbeam_channel::bounded"),
        actor_variant::<Threads, Crossbeam, OneshotCrate, BOUNDED>("actor", "crossbeam + oneshot"),
        actor_variant::<Threads, Crossbeam, OneshotCrate, UNBOUNDED>("actor-unbounded", "crossbeam + oneshot"),
    ];

    #[test]
    fn every_loop_dispenses_each_number_once_on_threads() {
        for w in [Workload { consumers: 3, per_consumer: 50 }, Workload { consumers: 40, per_consumer: 3 }] {
            for v in VARIANTS {
                for mode in [Mode::Throughput, Mode::Latency] {
                    let sample = (v.run)(&Threads, &w, mode).unwrap_or_else(|e| panic!("{} on {w}: {e}", v.name));
                    validate(&w, &sample.lists).unwrap_or_else(|e| panic!("{} on {w}: {e}", v.name));
                    assert_eq!(sample.start_skew_ns.is_some(), v.family != Family::Baseline, "{}", v.name);
                    assert_eq!(sample.latency.map(|h| h.len()), (mode == Mode::Latency).then_some(w.total()));
                }
            }
        }
        assert_eq!(VARIANTS[3].capacity, Some(Capacity::Bounded));
        assert_eq!(VARIANTS[4].capacity, Some(Capacity::Unbounded));
    }

    /// OS threads that count their spawns.
    #[derive(Default)]
    struct Counted(std::sync::atomic::AtomicUsize);

    impl Blocking for Counted {
        const WAITS_ON_WORD: bool = true;
        type Unparker = std::thread::Thread;
        type Handle<T: Send + 'static> = std::thread::JoinHandle<T>;
        fn spawn<T: Send + 'static>(
            &self,
            name: Option<&'static str>,
            f: impl FnOnce() -> T + Send + 'static,
        ) -> Result<Self::Handle<T>, SampleError> {
            self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            Threads.spawn(name, f)
        }
        fn join<T: Send + 'static>(handle: Self::Handle<T>) -> Result<T, SampleError> {
            Threads::join(handle)
        }
        fn current() -> Self::Unparker {
            Threads::current()
        }
        fn park() {
            Threads::park()
        }
        fn unpark(unparker: &Self::Unparker) {
            Threads::unpark(unparker)
        }
    }

    #[test]
    fn a_shared_counter_spawns_consumers_only_and_a_round_trip_a_producer_too() {
        let w = Workload { consumers: 3, per_consumer: 20 };
        let spawned = |run: dispenser_core::variant::RunFn<Counted>| {
            let r = Counted::default();
            let sample = run(&r, &w, Mode::Throughput).unwrap();
            validate(&w, &sample.lists).unwrap();
            r.0.into_inner()
        };
        assert_eq!(spawned(counter::<Counted, AtomicU64>), w.consumers);
        assert_eq!(spawned(round_trip::<Counted, Crossbeam, BOUNDED>), w.consumers + 1);
    }
}
