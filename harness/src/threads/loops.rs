//! The dispensing loops on OS threads, written once: a thread harness, the
//! single-thread baseline, the shared counter, and the round trip over any
//! [`Channel`].

use super::{Channel, Counter, FinishLine, StartLine};
use dispenser_core::{
    Capacity, Consumed, Family, Mode, Probe, Sample, SampleError, Stamp, Timeline, Variant, Workload, reserve_list,
};
use std::thread::{Builder, Scope, ScopedJoinHandle};

/// The single-thread baseline as a variant.
pub const fn baseline_variant(name: &'static str, primitive: &'static str) -> Variant<()> {
    Variant { name, family: Family::Baseline, primitive, capacity: None, run: single_thread }
}

/// A shared-counter variant (family atomic or lock) over counter `K`.
pub const fn counter_variant<K: Counter>(name: &'static str, family: Family, primitive: &'static str) -> Variant<()> {
    Variant { name, family, primitive, capacity: None, run: counter::<K> }
}

/// A round-trip variant over channel `C`; `B` is
/// [`dispenser_core::variant::BOUNDED`] or [`dispenser_core::variant::UNBOUNDED`].
pub const fn channel_variant<C: Channel, const B: bool>(name: &'static str, primitive: &'static str) -> Variant<()> {
    Variant { name, family: Family::Channel, primitive, capacity: Some(Capacity::new(B)), run: round_trip::<C, B> }
}

/// One thread fills the lists one after the other, without
/// synchronisation: the floor every concurrent variant is measured against.
pub fn single_thread(_: &(), w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
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
pub fn counter<K: Counter>(_: &(), w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
    with_probe!(mode, counter_sample::<K>(w))
}

fn counter_sample<K: Counter, P: Probe>(w: &Workload) -> Result<Sample, SampleError> {
    let timeline = Timeline::begin();
    let counter = K::default();
    let takers = (0..w.consumers).map(|_| || Ok(counter.take())).collect();
    run_threads::<P, _>(timeline, w, takers, |_| Ok(()))
}

/// Round trip: consumer `i` sends `i` on a shared request channel and waits
/// for its number on reply channel `i`; one producer owns the counter.
/// `BOUNDED` picks [`Capacity::Bounded`] over [`Capacity::Unbounded`].
pub fn round_trip<C: Channel, const BOUNDED: bool>(_: &(), w: &Workload, mode: Mode) -> Result<Sample, SampleError> {
    with_probe!(mode, round_trip_sample::<C>(w, Capacity::new(BOUNDED)))
}

fn round_trip_sample<C: Channel, P: Probe>(w: &Workload, capacity: Capacity) -> Result<Sample, SampleError> {
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
    let producer = move |_: ()| {
        for next in 0..total {
            let i = C::recv(&request_rx).ok_or(SampleError::Closed("every consumer gone before the last request"))?;
            if !C::send(&reply_txs[i], next) {
                return Err(SampleError::Closed("a consumer left before its reply"));
            }
        }
        Ok(())
    };
    run_threads::<P, _>(timeline, w, takers, producer)
}

/// What a thread does after leaving the start line, besides the consumers.
trait Producer: FnOnce(()) -> Result<(), SampleError> + Send {}
impl<F: FnOnce(()) -> Result<(), SampleError> + Send> Producer for F {}

/// Spawns one thread per taker (and one for the producer), parks them all at
/// the start line, releases them together and joins them.
///
/// `takers` yield numbers; a consumer thread calls its taker T times. The
/// producer (a no-op for shared counters) runs after the start line too.
fn run_threads<P: Probe, F>(
    mut timeline: Timeline,
    w: &Workload,
    takers: Vec<F>,
    producer: impl Producer,
) -> Result<Sample, SampleError>
where
    F: FnMut() -> Result<u64, SampleError> + Send,
{
    // Consumers plus the producer.
    let line = StartLine::new(takers.len() + 1);
    let finish = FinishLine::new(takers.len());
    let per_consumer = w.per_consumer;
    std::thread::scope(|s| {
        let spawned = spawn_all::<P, F>(s, (&line, &finish), per_consumer, takers, producer);
        let (producer, consumers) = match spawned {
            Ok(handles) => handles,
            Err(e) => {
                line.call_off();
                return Err(e);
            }
        };
        line.wait_until_parked();
        timeline.open();
        line.open();
        let consumed: Vec<Consumed<P>> = consumers.into_iter().map(join).collect::<Result<_, _>>()?;
        join(producer)?;
        timeline.close(finish.closing());
        dispenser_core::collect(timeline, consumed)
    })
}

type Handles<'s, P> =
    (ScopedJoinHandle<'s, Result<(), SampleError>>, Vec<ScopedJoinHandle<'s, Result<Consumed<P>, SampleError>>>);

fn spawn_all<'s, 'e, P: Probe, F>(
    s: &'s Scope<'s, 'e>,
    (line, finish): (&'s StartLine, &'s FinishLine),
    per_consumer: usize,
    takers: Vec<F>,
    producer: impl Producer + 's,
) -> Result<Handles<'s, P>, SampleError>
where
    F: FnMut() -> Result<u64, SampleError> + Send + 's,
{
    let spawn_error = |e: std::io::Error| SampleError::Spawn(e.to_string());
    // Read once per sample, outside the clock (see dispenser_core::work).
    let work = dispenser_core::work::per_number();
    let producer = Builder::new()
        .name("producer".into())
        .spawn_scoped(s, move || if line.wait() { producer(()) } else { Ok(()) })
        .map_err(spawn_error)?;
    let mut consumers = Vec::with_capacity(takers.len());
    for mut take in takers {
        let handle = Builder::new()
            .spawn_scoped(s, move || {
                let mut numbers = reserve_list(per_consumer);
                let mut probe = P::default();
                probe.reserve(per_consumer);
                let pass = finish.pass();
                if !line.wait() {
                    return Err(SampleError::Closed("start called off"));
                }
                for _ in 0..per_consumer {
                    let mark = probe.start();
                    let number = take()?;
                    probe.stop(mark);
                    numbers.push(number);
                    // The consumer's own work with its number: on the
                    // dispense clock, off the request's latency.
                    work.spin();
                }
                let finished = std::time::Instant::now();
                // Park until the last consumer is done: exiting now would
                // put thread teardown and the coordinator's join on the clock.
                drop(pass);
                finish.wait_for_all();
                Ok(Consumed { numbers, probe, finished })
            })
            .map_err(spawn_error)?;
        consumers.push(handle);
    }
    Ok((producer, consumers))
}

fn join<T>(handle: ScopedJoinHandle<'_, Result<T, SampleError>>) -> Result<T, SampleError> {
    handle.join().map_err(|p| SampleError::Panicked(dispenser_core::runner::panic_message(&*p)))?
}
