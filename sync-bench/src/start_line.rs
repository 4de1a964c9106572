//! The start line: threads park here until every participant is spawned,
//! then all are released at once. Unlike `std::sync::Barrier` it can be
//! called off, so a failed spawn never leaves parked threads behind.

use dispenser_core::resources::Usage;
use std::sync::{Condvar, Mutex, PoisonError};

#[derive(Default)]
struct State {
    parked: usize,
    open: Option<bool>,
}

/// Where participants wait for the coordinator's signal.
#[derive(Default)]
pub struct StartLine {
    state: Mutex<State>,
    changed: Condvar,
}

impl StartLine {
    /// Parks until the line opens; false if the start was called off.
    pub fn wait(&self) -> bool {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.parked += 1;
        self.changed.notify_all();
        loop {
            if let Some(go) = s.open {
                return go;
            }
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Blocks until `participants` are parked.
    pub fn wait_until_parked(&self, participants: usize) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        while s.parked < participants {
            s = self.changed.wait(s).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// Releases everyone.
    pub fn open(&self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.open = Some(true);
        self.changed.notify_all();
    }

    /// Releases everyone parked now or later with "called off".
    pub fn call_off(&self) {
        let mut s = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        s.open = Some(false);
        self.changed.notify_all();
    }
}

/// Where finished consumers wait for the last one, so thread exits and joins
/// (and the coordinator's wake-ups) happen after the clock, not while other
/// consumers are still dispensing.
pub struct FinishLine {
    /// Consumers still running, and the OS counters read by the last one.
    remaining: Mutex<(usize, Option<Usage>)>,
    all_done: Condvar,
}

impl FinishLine {
    /// A finish line for `consumers` threads.
    pub fn new(consumers: usize) -> Self {
        FinishLine { remaining: Mutex::new((consumers, None)), all_done: Condvar::new() }
    }

    /// A consumer's pass: it crosses when the pass is dropped, so a consumer
    /// that fails or panics still counts and never strands the others.
    pub fn pass(&self) -> Pass<'_> {
        Pass(self)
    }

    /// Blocks until every consumer has crossed.
    pub fn wait_for_all(&self) {
        let mut remaining = self.remaining.lock().unwrap_or_else(PoisonError::into_inner);
        while remaining.0 > 0 {
            remaining = self.all_done.wait(remaining).unwrap_or_else(PoisonError::into_inner);
        }
    }

    /// The OS counters read as the last consumer crossed.
    pub fn usage(&self) -> Option<Usage> {
        self.remaining.lock().unwrap_or_else(PoisonError::into_inner).1
    }
}

/// A consumer's pass over the [`FinishLine`]: crosses when dropped.
pub struct Pass<'a>(&'a FinishLine);

impl Drop for Pass<'_> {
    fn drop(&mut self) {
        let mut remaining = self.0.remaining.lock().unwrap_or_else(PoisonError::into_inner);
        remaining.0 -= 1;
        if remaining.0 == 0 {
            remaining.1 = Some(Usage::now());
            self.0.all_done.notify_all();
        }
    }
}
