//! The async start line: tasks park here until every participant is
//! spawned, then all are released at once. Like the threads' start line it
//! can be called off, so an abandoned coordinator never leaves tasks parked.

use crate::lines::{Gate, Tally};
use crossbeam_utils::CachePadded;
use dispenser_core::Stamp;
use event_listener::Event;
use std::sync::atomic::{AtomicUsize, Ordering::SeqCst};

/// Where participant tasks wait for the coordinator's signal.
///
/// Executor-agnostic (event-listener), so it parks tasks the same way on
/// every runtime: a parked task is a pending future, not a blocked thread.
#[derive(Debug)]
pub struct StartLine {
    participants: usize,
    /// Padded: every arrival bumps it while the gate is read (see crate::lines).
    parked: CachePadded<AtomicUsize>,
    gate: Gate,
    all_parked: Event,
    released: Event,
}

impl StartLine {
    /// A start line that opens for `participants` tasks.
    pub fn new(participants: usize) -> Self {
        StartLine {
            participants,
            parked: CachePadded::new(AtomicUsize::new(0)),
            gate: Gate::new(),
            all_parked: Event::new(),
            released: Event::new(),
        }
    }

    /// Parks until the line opens; false if the start was called off.
    pub async fn wait(&self) -> bool {
        if self.parked.fetch_add(1, SeqCst) + 1 == self.participants {
            self.all_parked.notify(usize::MAX);
        }
        loop {
            if let Some(go) = self.outcome() {
                return go;
            }
            let listener = self.released.listen();
            if let Some(go) = self.outcome() {
                return go;
            }
            listener.await;
        }
    }

    /// Waits (asynchronously) until every participant is parked; returns at
    /// once if the start was called off.
    pub async fn wait_until_parked(&self) {
        while !self.ready_to_open() {
            let listener = self.all_parked.listen();
            if self.ready_to_open() {
                break;
            }
            listener.await;
        }
    }

    /// Releases every parked participant (and any latecomer), unless the
    /// start was called off.
    pub fn open(&self) {
        if self.gate.open() {
            self.released.notify(usize::MAX);
        }
    }

    /// Releases everyone parked now or later with "called off", unless the
    /// line is already open.
    pub fn call_off(&self) {
        if self.gate.call_off() {
            self.released.notify(usize::MAX);
            self.all_parked.notify(usize::MAX);
        }
    }

    fn ready_to_open(&self) -> bool {
        self.parked.load(SeqCst) >= self.participants || self.outcome().is_some()
    }

    fn outcome(&self) -> Option<bool> {
        self.gate.outcome()
    }
}

/// Where the coordinator waits for every consumer to be done, so that it is
/// woken once, by the last consumer, rather than by each join handle in turn
/// while others are still dispensing; the joins afterwards find every task
/// finished. The last consumer to cross stamps the end of the dispense clock.
#[derive(Debug)]
pub struct FinishLine {
    tally: Tally,
    all_done: Event,
}

impl FinishLine {
    /// A finish line for `consumers` tasks.
    pub fn new(consumers: usize) -> Self {
        FinishLine { tally: Tally::new(consumers), all_done: Event::new() }
    }

    /// A consumer's pass: it crosses when the pass is dropped, so a task
    /// that fails, panics or is cancelled still counts.
    pub fn pass(&self) -> Pass<'_> {
        Pass(self)
    }

    /// Waits until every consumer has crossed and the last one has stamped
    /// the closing (waiting on the count alone would race that stamp).
    pub async fn wait_for_all(&self) {
        while self.closing().is_none() {
            let listener = self.all_done.listen();
            if self.closing().is_some() {
                break;
            }
            listener.await;
        }
    }

    /// The stamp the last consumer took as it crossed, once all have.
    pub fn closing(&self) -> Option<Stamp> {
        self.tally.closing()
    }
}

/// A consumer's pass over the [`FinishLine`]: crosses when dropped.
pub struct Pass<'a>(&'a FinishLine);

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        if self.0.tally.cross() {
            self.0.all_done.notify(usize::MAX);
        }
    }
}

/// Calls the start off when dropped (a no-op once the line is open): held by
/// the coordinator so that a panic or an early return frees parked tasks.
pub(crate) struct CallOffOnDrop<'a>(pub(crate) &'a StartLine);

impl Drop for CallOffOnDrop<'_> {
    fn drop(&mut self) {
        self.0.call_off();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures_lite::future::block_on;
    use std::sync::Arc;

    #[test]
    fn opens_only_when_everyone_is_parked() {
        let line = Arc::new(StartLine::new(3));
        let waiters: Vec<_> = (0..3)
            .map(|_| {
                let line = Arc::clone(&line);
                std::thread::spawn(move || block_on(line.wait()))
            })
            .collect();
        block_on(line.wait_until_parked());
        assert_eq!(line.parked.load(SeqCst), 3);
        line.open();
        assert!(waiters.into_iter().all(|w| w.join().unwrap()));
    }

    #[test]
    fn a_called_off_start_releases_with_false() {
        let line = Arc::new(StartLine::new(5));
        let waiter = {
            let line = Arc::clone(&line);
            std::thread::spawn(move || block_on(line.wait()))
        };
        line.call_off();
        assert!(!waiter.join().unwrap());
        assert!(!block_on(line.wait()), "a latecomer is told too");
        block_on(line.wait_until_parked()); // returns: the start is off
        line.open(); // cannot reopen
        assert_eq!(line.outcome(), Some(false));
    }
}
