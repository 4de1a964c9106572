//! The two atomic words both harnesses' lines are built on, so threads and
//! tasks decide "open", "called off" and "last one across" the same way;
//! each side adds only how it parks and wakes (thread park/unpark and a
//! condvar, or event-listener for tasks).
//!
//! Each word sits on a cache line of its own (`CachePadded`): the lines are
//! built in one allocation beside the shared counter or channel, and a
//! neighbour sharing the line would make every take bounce it, by heap
//! history that differs from process to process.

use crossbeam_utils::CachePadded;
use dispenser_core::Stamp;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, AtomicUsize, Ordering::SeqCst};

/// The gate word while the start is undecided (what a futex waiter waits on).
pub(crate) const WAITING: u32 = 0;
const OPEN: u32 = 1;
const CALLED_OFF: u32 = 2;

/// A start line's state: waiting, then open or called off, once. A 32-bit
/// word, so OS threads can futex-wait on it and be released by one wake-all.
#[derive(Debug)]
pub(crate) struct Gate(CachePadded<AtomicU32>);

impl Gate {
    /// A gate still waiting.
    pub(crate) fn new() -> Self {
        Gate(CachePadded::new(AtomicU32::new(WAITING)))
    }

    /// Opens the gate; false if it was already decided.
    pub(crate) fn open(&self) -> bool {
        self.0.compare_exchange(WAITING, OPEN, SeqCst, SeqCst).is_ok()
    }

    /// Calls the start off; false if it was already decided.
    pub(crate) fn call_off(&self) -> bool {
        self.0.compare_exchange(WAITING, CALLED_OFF, SeqCst, SeqCst).is_ok()
    }

    /// The gate word itself, for a futex wait (while it reads [`WAITING`])
    /// and a wake-all after [`Gate::open`] or [`Gate::call_off`].
    pub(crate) fn word(&self) -> &AtomicU32 {
        &self.0
    }

    /// `None` while waiting, then whether the start went ahead.
    pub(crate) fn outcome(&self) -> Option<bool> {
        match self.0.load(SeqCst) {
            WAITING => None,
            s => Some(s == OPEN),
        }
    }
}

/// A finish line's count: consumers still running, and the closing stamp
/// the last one takes as it crosses.
#[derive(Debug)]
pub(crate) struct Tally {
    remaining: CachePadded<AtomicUsize>,
    closing: OnceLock<Stamp>,
}

impl Tally {
    /// A tally of `consumers`.
    pub(crate) fn new(consumers: usize) -> Self {
        Tally { remaining: CachePadded::new(AtomicUsize::new(consumers)), closing: OnceLock::new() }
    }

    /// One consumer crosses; true for the last one, after it has stamped.
    pub(crate) fn cross(&self) -> bool {
        let last = self.remaining.fetch_sub(1, SeqCst) == 1;
        if last {
            let _ = self.closing.set(Stamp::closing());
        }
        last
    }

    /// The closing stamp, once every consumer has crossed.
    pub(crate) fn closing(&self) -> Option<Stamp> {
        self.closing.get().copied()
    }
}
