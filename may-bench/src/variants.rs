//! Every variant may-bench runs, in `--list` order, and the adapters that
//! put may's primitives behind the harness's blocking traits.
//!
//! Only primitives that park the *coroutine* when they wait are listed. An
//! OS-thread blocking primitive parks the scheduler *thread* the coroutine
//! happens to run on, and that worker then runs no other coroutine: with N
//! consumers on K < N workers, K consumers blocked in `std::sync::mpsc`,
//! crossbeam-channel, flume or kanal `recv` (or `send` on a full bounded
//! channel) leave no worker for the producer that would wake them, a
//! deadlock; with K >= N they would merely serialise. So no OS-thread channel
//! is listed, and neither are std's or parking_lot's mutexes: held for one
//! increment they rarely deadlock (the holder never yields inside, so it
//! always finishes), but a contended lock parks or spins the worker instead
//! of the coroutine, which measures the OS's lock, not may's. The atomic
//! never waits at all.

use crate::runtime::May;
use dispenser_core::variant::UNBOUNDED;
use dispenser_core::{Family, Variant};
use dispenser_harness::threads::{Channel, Counter, Oneshot, actor_variant, channel_variant, counter_variant};
use std::sync::atomic::AtomicU64;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<May>] = &[
    counter_variant::<May, AtomicU64>("atomic", Family::Atomic, "AtomicU64::fetch_add"),
    counter_variant::<May, MayMutex>("may-mutex", Family::Lock, "may::sync::Mutex"),
    channel_variant::<May, MayMpsc, UNBOUNDED>("may-mpsc", "may::sync::mpsc::channel"),
    actor_variant::<May, MayMpsc, MayMpscOneshot, UNBOUNDED>(
        "may-oneshot-actor",
        "may::sync::mpsc::channel requests, each carrying a fresh may::sync::mpsc::channel reply sender",
    ),
];

/// The harness's faulty variants, listed only with `--faults`.
pub static FAULTS: [Variant<May>; 2] = dispenser_harness::faults::threads::<May>();

/// `may::sync::Mutex<u64>`, which parks the coroutine while contended: a
/// newtype, because neither the harness's `Counter` nor the mutex is
/// defined in this crate.
#[derive(Debug, Default)]
pub struct MayMutex(may::sync::Mutex<u64>);

impl Counter for MayMutex {
    fn take(&self) -> u64 {
        // Poisoned only if a consumer panicked, which its join reports.
        let mut n = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let taken = *n;
        *n += 1;
        taken
    }
}

/// `may::sync::mpsc::channel`: unbounded only (may has no bounded mpsc), so
/// a capacity is ignored and the variants using it say `unbounded`. In the
/// round trip and the actor a consumer has at most one request in flight,
/// so the request queue never holds more than N all the same.
pub struct MayMpsc;

impl Channel for MayMpsc {
    type Sender<T: Send + 'static> = may::sync::mpsc::Sender<T>;
    type Receiver<T: Send + 'static> = may::sync::mpsc::Receiver<T>;
    fn channel<T: Send + 'static>(_capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        may::sync::mpsc::channel()
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

/// A one-shot reply on may's channel: a fresh `may::sync::mpsc::channel`
/// per request, used once (Go's `reply := make(chan int, 1)` idiom; may has
/// no one-shot type). A hand-made one-shot (the value in a
/// `may::sync::AtomicOption`, a `may::sync::Blocker` parked by the receiving
/// coroutine and unparked by the sender) hung about one process in 25 at
/// 1,000 x 100, so it is not used.
pub struct MayMpscOneshot;

impl Oneshot for MayMpscOneshot {
    type Sender<T: Send + 'static> = may::sync::mpsc::Sender<T>;
    type Receiver<T: Send + 'static> = may::sync::mpsc::Receiver<T>;
    fn oneshot<T: Send + 'static>() -> (Self::Sender<T>, Self::Receiver<T>) {
        may::sync::mpsc::channel()
    }
    fn send<T: Send + 'static>(tx: Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispenser_core::{Mode, Workload, validate};

    #[test]
    fn names_are_unique() {
        Variant::check_names(VARIANTS.iter().chain(&FAULTS)).unwrap();
    }

    /// More consumers than workers, in both modes: a variant that blocked a
    /// worker thread instead of a coroutine would hang here.
    #[test]
    fn every_variant_dispenses_each_number_once_on_two_workers() {
        let may = May::new(2).unwrap();
        for w in [Workload { consumers: 3, per_consumer: 50 }, Workload { consumers: 200, per_consumer: 5 }] {
            for v in VARIANTS {
                for mode in [Mode::Throughput, Mode::Latency] {
                    let sample = (v.run)(&may, &w, mode).unwrap_or_else(|e| panic!("{} on {w}: {e}", v.name));
                    validate(&w, &sample.lists).unwrap_or_else(|e| panic!("{} on {w}: {e}", v.name));
                }
            }
        }
    }
}
