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
    /// The dispense clock: from the coordinator opening the start line to
    /// the last consumer crossing the finish line with its last number.
    pub dispense: Duration,
    /// Spawning, waiting at the start line and joining: the rest of the
    /// sample's wall time.
    pub setup: Duration,
    /// Every take's latency, merged across consumers (latency samples only).
    pub latency: Option<Histogram<u64>>,
    /// OS counters read beside the two stamps of the dispense clock: the
    /// resource use of exactly the [`Sample::dispense`] span.
    pub window: (Usage, Usage),
    /// When each consumer took its last number, ns after the dispense clock
    /// opened, in consumer order; `None` where the harness does not stamp
    /// consumers (the single-thread baseline). Read by [`crate::fairness`].
    pub finish_offsets_ns: Option<Vec<u64>>,
    /// The start skew: the last consumer's first take minus the first
    /// consumer's, ns; how unevenly the start line released them. Measured
    /// apart from [`Sample::dispense`] (which it is part of, not added to);
    /// `None` where the harness does not stamp consumers (the baseline).
    pub start_skew_ns: Option<u64>,
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
    /// A thread could not be pinned to its CPU (`--pin`).
    #[error("could not place a thread: {0}")]
    Placement(String),
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
    /// The harness never stamped the opening or the end of the dispensing,
    /// so the sample has no dispense time (a bug in the variant's harness).
    #[error("the sample has no {0} stamp, so no dispense time")]
    Unstamped(&'static str),
}

/// One end of the dispense clock: the time, and the OS counters read beside
/// it (outside the span, so the counters cover all of it).
#[derive(Debug, Clone, Copy)]
pub struct Stamp {
    /// When.
    pub at: Instant,
    /// Cumulative OS counters of the process at that moment.
    pub usage: Usage,
}

impl Stamp {
    /// The opening stamp, read by the coordinator just before it opens the
    /// start line: counters first, then the clock.
    pub fn opening() -> Stamp {
        let usage = Usage::now();
        Stamp { at: Instant::now(), usage }
    }

    /// The closing stamp, read by the last consumer as it crosses the finish
    /// line: the clock first, then the counters.
    pub fn closing() -> Stamp {
        let at = Instant::now();
        Stamp { at, usage: Usage::now() }
    }
}

/// The clocks of one sample: its whole wall time (from [`Timeline::begin`],
/// before anything is spawned, to [`Timeline::end`], after every join) and
/// the dispense clock inside it, from the [`Stamp::opening`] to the
/// [`Stamp::closing`]. The same span is used for the CPU and wall figures.
#[derive(Debug)]
pub struct Timeline {
    began: Instant,
    opened: Option<Stamp>,
    closed: Option<Stamp>,
}

impl Timeline {
    /// Starts the sample's wall clock; call before spawning anything.
    pub fn begin() -> Self {
        Timeline { began: Instant::now(), opened: None, closed: None }
    }

    /// Starts the dispense clock: call just before releasing the participants.
    pub fn open(&mut self) {
        self.opened = Some(Stamp::opening());
    }

    /// Stops the dispense clock with the stamp the last consumer took (`None`
    /// if no consumer crossed, which [`Timeline::end`] reports).
    pub fn close(&mut self, stamp: Option<Stamp>) {
        self.closed = stamp;
    }

    /// Closes the sample once everything is joined; a sample whose dispense
    /// clock was not both started and stopped is an error, never a zero time.
    pub fn end(self, lists: Vec<Vec<u64>>, latency: Option<Histogram<u64>>) -> Result<Sample, SampleError> {
        let wall = self.began.elapsed();
        let opened = self.opened.ok_or(SampleError::Unstamped("opening"))?;
        let closed = self.closed.ok_or(SampleError::Unstamped("closing"))?;
        let dispense = closed.at.saturating_duration_since(opened.at);
        Ok(Sample {
            lists,
            dispense,
            setup: wall.saturating_sub(dispense),
            latency,
            window: (opened.usage, closed.usage),
            finish_offsets_ns: None,
            start_skew_ns: None,
        })
    }
}

/// An empty list with room for `capacity` numbers whose memory is already
/// touched, so first-touch page faults happen in setup, not on the clock.
///
/// The room is rounded up to whole cache lines plus [`LIST_SLACK`] numbers
/// never written, so the tail a consumer writes last never shares a line
/// (or the adjacent line the prefetcher pairs with it) with the next
/// allocation, another consumer's list in the usual heap order.
pub fn reserve_list(capacity: usize) -> Vec<u64> {
    let mut list = Vec::with_capacity(capacity.next_multiple_of(LINE_NUMBERS).saturating_add(LIST_SLACK));
    // Writing the spare capacity makes the OS back every page now. Not with
    // zeros: LLVM folds malloc + memset(0) into calloc, and calloc skips
    // the memset for memory fresh from mmap or brk (the OS zeroes it), so
    // the pages stayed unmapped and faulted on the clock. That made the
    // first samples of a process (before freed lists could be reused) up to
    // 3x slower: single-thread 10x100000 read 6.5 ms, then 2.2 ms.
    for slot in list.spare_capacity_mut() {
        slot.write(UNWRITTEN);
    }
    std::hint::black_box(list)
}

/// What a reserved list's spare room holds until a consumer writes it:
/// any value but zero (see [`reserve_list`]), and not a number a sample
/// dispenses.
const UNWRITTEN: u64 = u64::MAX;

/// Numbers per 64-byte cache line.
const LINE_NUMBERS: usize = 64 / std::mem::size_of::<u64>();

/// Unwritten numbers at the end of every list: 128 bytes, two cache lines
/// (the spatial prefetcher fetches lines in pairs), as `CachePadded` pads.
pub const LIST_SLACK: usize = 2 * LINE_NUMBERS;

/// What one consumer hands back when it is joined.
#[derive(Debug)]
pub struct Consumed<P> {
    /// Its numbers, in the order it got them.
    pub numbers: Vec<u64>,
    /// Its latency probe.
    pub probe: P,
    /// When it held its last number: taken by the consumer itself before it
    /// crosses the finish line, so fairness can say who finished early.
    pub finished: Instant,
    /// When it started its first take, just after leaving the start line:
    /// one clock read per consumer per sample, for the start skew.
    pub started: Instant,
}

/// Folds joined consumers (in index order) into a [`Sample`].
pub fn collect<P: crate::Probe>(
    timeline: Timeline,
    consumed: impl IntoIterator<Item = Consumed<P>>,
) -> Result<Sample, SampleError> {
    let mut lists = Vec::new();
    let mut finished = Vec::new();
    let mut started: Option<(Instant, Instant)> = None;
    let mut latency: Option<Histogram<u64>> = None;
    for c in consumed {
        lists.push(c.numbers);
        finished.push(c.finished);
        started = Some(match started {
            Some((first, last)) => (first.min(c.started), last.max(c.started)),
            None => (c.started, c.started),
        });
        if let Some(h) = c.probe.into_histogram() {
            match latency.as_mut() {
                // Same bounds everywhere, so adding cannot fail.
                Some(all) => all.add(&h).expect("histograms share bounds"),
                None => latency = Some(h),
            }
        }
    }
    let opened = timeline.opened.map(|s| s.at);
    let mut sample = timeline.end(lists, latency)?;
    sample.start_skew_ns = started.map(|(first, last)| nanos(last.saturating_duration_since(first)));
    sample.finish_offsets_ns = opened.map(|o| finished.iter().map(|f| nanos(f.saturating_duration_since(o))).collect());
    Ok(sample)
}

/// A duration in whole ns, saturating (a u64 of ns is 584 years).
pub(crate) fn nanos(d: Duration) -> u64 {
    u64::try_from(d.as_nanos()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_dispense_time_is_the_span_between_the_two_stamps() {
        let mut t = Timeline::begin();
        t.open();
        std::thread::sleep(Duration::from_millis(5));
        let closing = Stamp::closing();
        let opened = t.opened.unwrap();
        t.close(Some(closing));
        let sample = t.end(Vec::new(), None).unwrap();
        assert_eq!(sample.dispense, closing.at - opened.at);
        assert_eq!(sample.window, (opened.usage, closing.usage), "CPU is read over the same span");
        assert!(sample.dispense >= Duration::from_millis(5));
    }

    #[test]
    fn a_list_keeps_two_unwritten_lines_after_its_room() {
        for n in [0, 1, 7, 8, 1000] {
            let list = reserve_list(n);
            assert!(list.is_empty());
            assert!(list.capacity() >= n.next_multiple_of(8) + LIST_SLACK, "{n}: {}", list.capacity());
        }
    }

    /// The pages a reserved list's numbers will land in are resident before
    /// the clock opens. This fails when the touch is optimised into a lazy
    /// calloc (core's tests build with optimisation for this reason).
    #[cfg(target_os = "linux")]
    #[test]
    fn a_reserved_list_is_backed_by_memory_before_any_push() {
        // 8 MB: above glibc's mmap threshold, so fresh pages the OS zeroes.
        let list = reserve_list(1 << 20);
        let page = 4096;
        let start = (list.as_ptr() as usize) & !(page - 1);
        let end = list.as_ptr() as usize + list.capacity() * std::mem::size_of::<u64>();
        let mut resident = vec![0u8; (end - start).div_ceil(page)];
        // SAFETY: the range covers memory `list` owns (rounded down to its
        // page); mincore only writes one byte per page into `resident`.
        let rc = unsafe { libc::mincore(start as *mut libc::c_void, end - start, resident.as_mut_ptr()) };
        assert_eq!(rc, 0);
        let missing = resident.iter().filter(|&&b| b & 1 == 0).count();
        assert_eq!(missing, 0, "{missing} of {} pages would fault on the clock", resident.len());
    }

    #[test]
    fn a_sample_without_stamps_is_an_error_not_a_zero_time() {
        assert_eq!(Timeline::begin().end(Vec::new(), None).unwrap_err(), SampleError::Unstamped("opening"));
        let mut t = Timeline::begin();
        t.open();
        t.close(None);
        assert_eq!(t.end(Vec::new(), None).unwrap_err(), SampleError::Unstamped("closing"));
    }
}
