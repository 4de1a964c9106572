//! The blocking start and finish lines. Participants park at the start
//! line until every one is spawned, then all are released at once; unlike
//! `std::sync::Barrier` it can be called off, so a failed spawn never leaves
//! parked participants behind. Participants park and unpark through
//! [`Blocking`] (a thread, or a coroutine that yields its worker); the
//! coordinator is always an OS thread and parks with `std::thread::park`.
//!
//! Why this design: with a mutex and a condvar, every arrival would
//! `notify_all` (about N²/2 wake-ups at N = 1,000, all in setup), and on
//! opening every thread would wake onto that one mutex and leave it one by
//! one, staggering the start. Here an arrival is one atomic increment (the
//! last one unparks the coordinator, once), and opening is one store of the
//! state word followed by one wake-all on that word (a futex broadcast): OS
//! threads wait on the gate word itself, so the release is not staggered by
//! the coordinator waking them one by one, in a fixed order, while the
//! first woken ones preempt it. A woken thread reads the atomic state and
//! goes, taking no lock on the way out. Participants that cannot block on
//! the word (coroutines, see [`Blocking::WAITS_ON_WORD`]) register a handle
//! instead and are unparked one by one; the registration lock is held only
//! to push a handle at arrival, and by the coordinator to take them all once.

use super::{Blocking, Threads};
use crate::lines::{Gate, Tally, WAITING};
use crossbeam_utils::CachePadded;
use dispenser_core::Stamp;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};
use std::sync::{Mutex, PoisonError};
use std::thread::Thread;

/// Participants parked on a line, woken together once: each registers its
/// handle before it reads the line's state, and whoever changes the state
/// takes every handle after the change, so no participant misses it.
///
/// The std mutex is held only for a push or a take, and nothing in between
/// parks or yields, so a coroutine that finds it contended blocks its worker
/// for that instant only: it cannot deadlock.
#[derive(Debug)]
struct Parked<R: Blocking>(Mutex<Vec<R::Unparker>>);

impl<R: Blocking> Parked<R> {
    fn with_room(participants: usize) -> Self {
        Parked(Mutex::new(Vec::with_capacity(participants)))
    }

    /// Registers the calling participant; call before reading the state.
    fn register(&self) {
        let me = R::current();
        self.0.lock().unwrap_or_else(PoisonError::into_inner).push(me);
    }

    /// Takes every registered handle, once, and unparks it; call after
    /// changing the state.
    fn unpark_all(&self) {
        let parked = std::mem::take(&mut *self.0.lock().unwrap_or_else(PoisonError::into_inner));
        for participant in &parked {
            R::unpark(participant);
        }
    }
}

/// Where participants wait for the coordinator's signal.
///
/// Create it on the coordinator thread: that thread is the one
/// [`StartLine::wait_until_parked`] parks and the last arrival unparks.
#[derive(Debug)]
pub struct StartLine<R: Blocking = Threads> {
    participants: usize,
    /// Padded: every arrival bumps it while the gate is read (see crate::lines).
    arrived: CachePadded<AtomicUsize>,
    gate: Gate,
    coordinator: Thread,
    parked: Parked<R>,
}

impl<R: Blocking> StartLine<R> {
    /// A start line that opens for `participants`, coordinated by the
    /// calling thread.
    pub fn new(participants: usize) -> Self {
        StartLine {
            participants,
            arrived: CachePadded::new(AtomicUsize::new(0)),
            gate: Gate::new(),
            coordinator: std::thread::current(),
            parked: Parked::with_room(participants),
        }
    }

    /// Parks until the line opens; false if the start was called off.
    pub fn wait(&self) -> bool {
        if R::WAITS_ON_WORD {
            if self.arrived.fetch_add(1, SeqCst) + 1 == self.participants {
                self.coordinator.unpark();
            }
            loop {
                if let Some(go) = self.outcome() {
                    return go;
                }
                // Returns at once if the word no longer reads WAITING, so an
                // open between the read above and this wait is not missed.
                atomic_wait::wait(self.gate.word(), WAITING);
            }
        }
        // Registered before the state is read: `open` and `call_off` store
        // the state before taking the handles, so either this participant sees
        // the new state below or its handle is taken and unparked.
        self.parked.register();
        if self.arrived.fetch_add(1, SeqCst) + 1 == self.participants {
            self.coordinator.unpark();
        }
        loop {
            if let Some(go) = self.outcome() {
                return go;
            }
            // A spurious or early wake-up just checks the state again.
            R::park();
        }
    }

    /// Parks the coordinator until every participant has arrived; returns
    /// at once if the start was called off.
    pub fn wait_until_parked(&self) {
        while self.arrived.load(SeqCst) < self.participants && self.outcome().is_none() {
            std::thread::park();
        }
    }

    /// Releases every parked participant (and any latecomer), unless the
    /// start was called off.
    pub fn open(&self) {
        if self.gate.open() {
            self.release();
        }
    }

    /// Wakes every participant after the gate changed: one wake-all on the
    /// word for threads, one unpark per registered coroutine otherwise.
    fn release(&self) {
        if R::WAITS_ON_WORD {
            atomic_wait::wake_all(self.gate.word());
        } else {
            self.parked.unpark_all();
        }
    }

    /// Releases everyone parked now or later with "called off", unless the
    /// line is already open.
    pub fn call_off(&self) {
        if self.gate.call_off() {
            self.release();
        }
        self.coordinator.unpark();
    }

    fn outcome(&self) -> Option<bool> {
        self.gate.outcome()
    }
}

/// Where finished consumers wait for the last one, so exits and joins (and
/// the coordinator's wake-ups) happen after the clock, not while other
/// consumers are still dispensing. The last consumer to cross stamps the end
/// of the dispense clock. Crossing is one atomic decrement; the last
/// crossing wakes every waiting participant with one unpark each, like the
/// start line's release.
#[derive(Debug)]
pub struct FinishLine<R: Blocking = Threads> {
    tally: Tally,
    parked: Parked<R>,
}

impl<R: Blocking> FinishLine<R> {
    /// A finish line for `consumers`.
    pub fn new(consumers: usize) -> Self {
        FinishLine { tally: Tally::new(consumers), parked: Parked::with_room(consumers) }
    }

    /// A consumer's pass: it crosses when the pass is dropped, so a consumer
    /// that fails or panics still counts and never strands the others.
    pub fn pass(&self) -> Pass<'_, R> {
        Pass(self)
    }

    /// Blocks until every consumer has crossed.
    pub fn wait_for_all(&self) {
        // The closing stamp is set before the last crossing unparks anyone.
        self.parked.register();
        while self.closing().is_none() {
            R::park();
        }
    }

    /// The stamp the last consumer took as it crossed, once all have.
    pub fn closing(&self) -> Option<Stamp> {
        self.tally.closing()
    }
}

/// A consumer's pass over the [`FinishLine`]: crosses when dropped.
#[derive(Debug)]
pub struct Pass<'a, R: Blocking = Threads>(&'a FinishLine<R>);

impl<R: Blocking> Drop for Pass<'_, R> {
    fn drop(&mut self) {
        if self.0.tally.cross() {
            self.0.parked.unpark_all();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::time::Duration;

    #[test]
    fn opens_only_when_everyone_is_parked() {
        let line = Arc::new(StartLine::<Threads>::new(50));
        let waiters: Vec<_> = (0..50)
            .map(|_| {
                let line = Arc::clone(&line);
                std::thread::spawn(move || line.wait())
            })
            .collect();
        line.wait_until_parked();
        assert_eq!(line.arrived.load(SeqCst), 50);
        assert_eq!(line.outcome(), None, "nobody leaves before the line opens");
        line.open();
        assert!(waiters.into_iter().all(|w| w.join().unwrap()));
    }

    #[test]
    fn a_called_off_start_releases_with_false_and_frees_the_coordinator() {
        let line = Arc::new(StartLine::<Threads>::new(5));
        let waiter = {
            let line = Arc::clone(&line);
            std::thread::spawn(move || line.wait())
        };
        // Only one of five arrives (the other spawns "failed").
        while line.arrived.load(SeqCst) < 1 {
            std::thread::yield_now();
        }
        line.call_off();
        assert!(!waiter.join().unwrap());
        assert!(!line.wait(), "a latecomer is told too");
        line.wait_until_parked(); // returns: the start is off
        line.open(); // cannot reopen
        assert_eq!(line.outcome(), Some(false));
    }

    #[test]
    fn the_last_crossing_stamps_and_releases_the_others() {
        let finish = Arc::new(FinishLine::<Threads>::new(3));
        let threads: Vec<_> = (0..3)
            .map(|i| {
                let finish = Arc::clone(&finish);
                std::thread::spawn(move || {
                    std::thread::sleep(Duration::from_millis(10 * i));
                    drop(finish.pass());
                    finish.wait_for_all();
                })
            })
            .collect();
        threads.into_iter().for_each(|t| t.join().unwrap());
        assert!(finish.closing().is_some());
        assert!(FinishLine::<Threads>::new(1).closing().is_none(), "no stamp until the last one crosses");
    }
}
