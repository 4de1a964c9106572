//! One sample: the numbers each consumer got, how long the dispensing took,
//! and how long spawning and joining took around it.

use crate::Violation;
use crate::resources::Usage;
use hdrhistogram::Histogram;
use std::time::{Duration, Instant};
use thiserror::Error;

/// The raw result of running a variant once on a workload.
#[derive(Debug)]
pub struct Sample {
    /// Consumer `i`'s numbers, in the order it got them.
    pub lists: Vec<Vec<u64>>,
    /// From the first participant leaving the start line to the last
    /// consumer holding its last number.
    pub dispense: Duration,
    /// Spawning, waiting at the start line and joining: the rest of the
    /// sample's wall time.
    pub setup: Duration,
    /// Every take's latency, merged across consumers (latency samples only).
    pub latency: Option<Histogram<u64>>,
    /// OS counters when the start line opened and when the last consumer
    /// finished, if the harness read them: resource use of the dispensing
    /// alone, without spawning and joining.
    pub window: Option<(Usage, Usage)>,
}

/// Why a sample produced no valid result.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum SampleError {
    /// A channel or actor closed while a participant still needed it.
    #[error("{0}")]
    Closed(&'static str),
    /// A thread or task could not be spawned.
    #[error("could not spawn: {0}")]
    Spawn(String),
    /// A participant panicked.
    #[error("panicked: {0}")]
    Panicked(String),
    /// The sample did not finish within its deadline (a lost message or a deadlock).
    #[error("sample did not finish within {secs} s: hung")]
    Hung {
        /// The deadline, in seconds.
        secs: f64,
    },
    /// The sample finished but broke the dispenser's contract.
    #[error("invalid sample: {0}")]
    Invalid(Violation),
}

/// Collects the start and finish stamps of a sample's participants.
///
/// Each participant stamps `Instant::now()` right after it leaves the start
/// line (consumers also right after their last number). The dispense time is
/// the earliest start to the latest finish, so wake-up order at the start
/// line and the joins afterwards never leak into it.
#[derive(Debug)]
pub struct Timeline {
    began: Instant,
    first_start: Option<Instant>,
    last_finish: Option<Instant>,
    at_open: Option<Usage>,
    at_finish: Option<Usage>,
}

impl Timeline {
    /// Starts the sample's wall clock; call before spawning anything.
    pub fn begin() -> Self {
        Timeline { began: Instant::now(), first_start: None, last_finish: None, at_open: None, at_finish: None }
    }

    /// Records a participant leaving the start line.
    pub fn started(&mut self, at: Instant) {
        self.first_start = Some(self.first_start.map_or(at, |s| s.min(at)));
    }

    /// Records a consumer holding its last number.
    pub fn finished(&mut self, at: Instant) {
        self.last_finish = Some(self.last_finish.map_or(at, |f| f.max(at)));
    }

    /// Records the OS counters read just before the start line opened.
    pub fn opening(&mut self, usage: Usage) {
        self.at_open = Some(usage);
    }

    /// Records the OS counters read just after the last consumer finished.
    pub fn all_finished(&mut self, usage: Option<Usage>) {
        self.at_finish = usage;
    }

    /// Closes the sample once everything is joined.
    pub fn end(self, lists: Vec<Vec<u64>>, latency: Option<Histogram<u64>>) -> Sample {
        let wall = self.began.elapsed();
        let dispense = match (self.first_start, self.last_finish) {
            (Some(s), Some(f)) => f.saturating_duration_since(s),
            _ => Duration::ZERO,
        };
        let window = self.at_open.zip(self.at_finish);
        Sample { lists, dispense, setup: wall.saturating_sub(dispense), latency, window }
    }
}

/// An empty list with room for `capacity` numbers whose memory is already
/// touched, so first-touch page faults happen in setup, not on the clock.
pub fn reserve_list(capacity: usize) -> Vec<u64> {
    let mut list = Vec::with_capacity(capacity);
    // Writing the spare capacity (not `vec![0; n]`, which may get lazily
    // mapped zero pages from calloc) makes the OS back every page now.
    for slot in list.spare_capacity_mut() {
        slot.write(0);
    }
    std::hint::black_box(list)
}

/// What one consumer hands back when it is joined.
#[derive(Debug)]
pub struct Consumed<P> {
    /// Its numbers, in the order it got them.
    pub numbers: Vec<u64>,
    /// When it left the start line.
    pub started: Instant,
    /// When it held its last number.
    pub finished: Instant,
    /// Its latency probe.
    pub probe: P,
}

/// Folds joined consumers (in index order) into a [`Sample`].
pub fn collect<P: crate::Probe>(mut timeline: Timeline, consumed: impl IntoIterator<Item = Consumed<P>>) -> Sample {
    let mut lists = Vec::new();
    let mut latency: Option<Histogram<u64>> = None;
    for c in consumed {
        timeline.started(c.started);
        timeline.finished(c.finished);
        lists.push(c.numbers);
        if let Some(h) = c.probe.into_histogram() {
            match latency.as_mut() {
                // Same bounds everywhere, so adding cannot fail.
                Some(all) => all.add(&h).expect("histograms share bounds"),
                None => latency = Some(h),
            }
        }
    }
    timeline.end(lists, latency)
}
