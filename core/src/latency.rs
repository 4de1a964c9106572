//! Per-request latency probes: a consumer brackets every take with
//! [`Probe::start`] / [`Probe::stop`]. Throughput samples use [`NoProbe`],
//! which compiles to nothing, so timestamps never slow the throughput figures.

use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};
use std::time::Instant;

/// Highest latency the histogram tracks exactly (60 s); longer ones saturate.
const MAX_TRACKED_NS: u64 = 60_000_000_000;

/// Something that may time each take of a number.
pub trait Probe: Default + Send + 'static {
    /// What `start` hands to `stop`.
    type Mark: Copy + Send;
    /// Called just before a consumer asks for a number.
    fn start(&self) -> Self::Mark;
    /// Called just after it got the number.
    fn stop(&mut self, mark: Self::Mark);
    /// Makes room for `requests` timings before the clock starts.
    fn reserve(&mut self, requests: usize) {
        let _ = requests;
    }
    /// When the next request is due, for an open-loop probe (the loop waits
    /// until then before asking); `None`, ask at once, for every other.
    /// Called once per request, before [`Probe::start`].
    #[inline(always)]
    fn due(&mut self) -> Option<Instant> {
        None
    }
    /// The recorded latencies, if this probe records any.
    fn into_histogram(self) -> Option<Histogram<u64>>;
}

/// Records nothing and costs nothing.
#[derive(Debug, Default, Clone, Copy)]
pub struct NoProbe;

impl Probe for NoProbe {
    type Mark = ();
    #[inline(always)]
    fn start(&self) {}
    #[inline(always)]
    fn stop(&mut self, _mark: ()) {}
    fn into_histogram(self) -> Option<Histogram<u64>> {
        None
    }
}

/// Records every take's time in nanoseconds; the HDR histogram is built
/// from them after the clock stops, so the timed loop only stores a number
/// (and a consumer does not carry a ~200 KiB histogram of its own).
#[derive(Debug, Clone, Default)]
pub struct Latency {
    nanos: Vec<u32>,
}

/// An empty histogram with the suite's bounds (1 ns .. 60 s, 3 significant digits).
pub fn new_histogram() -> Histogram<u64> {
    Histogram::new_with_bounds(1, MAX_TRACKED_NS, 3).expect("static histogram bounds are valid")
}

impl Probe for Latency {
    type Mark = Instant;
    #[inline]
    fn start(&self) -> Instant {
        Instant::now()
    }
    #[inline]
    fn stop(&mut self, mark: Instant) {
        // u32 ns holds 4.29 s; a longer single request saturates there.
        let ns = u32::try_from(mark.elapsed().as_nanos()).unwrap_or(u32::MAX);
        self.nanos.push(ns);
    }
    fn reserve(&mut self, requests: usize) {
        self.nanos.reserve_exact(requests);
        // Touch the pages now, as for the number lists.
        for slot in self.nanos.spare_capacity_mut() {
            slot.write(0);
        }
    }
    fn into_histogram(self) -> Option<Histogram<u64>> {
        let mut h = new_histogram();
        for ns in self.nanos {
            h.saturating_record(u64::from(ns).max(1));
        }
        Some(h)
    }
}

/// How long one open-loop sample's timetable lasts: the total of numbers at
/// the offered rate. Installed once per process (like the work per number),
/// read by every [`Scheduled`] probe as it reserves.
static SPAN: std::sync::OnceLock<std::time::Duration> = std::sync::OnceLock::new();

/// Makes every [`Scheduled`] probe of this process offer `total` numbers at
/// `rate` per second: each of the takers of a sample (a consumer, or the
/// baseline's one thread) spreads its requests evenly over `total / rate`
/// seconds. Returns the span in force (the first installation wins).
pub fn install_open_loop(total: u64, rate: u64) -> std::time::Duration {
    *SPAN.get_or_init(|| std::time::Duration::from_secs_f64(total as f64 / rate.max(1) as f64))
}

/// The open-loop probe: a fixed timetable per taker. A consumer's k-th
/// request is due k periods after its first (which is due as it passes the
/// start line), the period being its share of the offered rate; the loop
/// waits until a request is due, and its latency runs from that due time
/// to the answer. A dispenser that keeps up shows its service time; one
/// that falls behind shows the queue growing with every request
/// (coordinated omission avoided: a late request is still timed from when
/// it should have been sent).
#[derive(Debug, Clone, Default)]
pub struct Scheduled {
    period: std::time::Duration,
    next: Option<Instant>,
    due: Option<Instant>,
    nanos: Vec<u64>,
}

impl Probe for Scheduled {
    type Mark = Instant;
    #[inline]
    fn due(&mut self) -> Option<Instant> {
        let due = *self.next.get_or_insert_with(Instant::now);
        self.next = Some(due + self.period);
        self.due = Some(due);
        Some(due)
    }
    #[inline]
    fn start(&self) -> Instant {
        self.due.unwrap_or_else(Instant::now)
    }
    #[inline]
    fn stop(&mut self, mark: Instant) {
        self.nanos.push(u64::try_from(mark.elapsed().as_nanos()).unwrap_or(u64::MAX));
    }
    fn reserve(&mut self, requests: usize) {
        // On the thread that will wait on this timetable, before the clock:
        // the syscall stays out of the first request's latency.
        no_timer_slack();
        let span = SPAN.get().copied().unwrap_or_default();
        self.period = span / u32::try_from(requests.max(1)).unwrap_or(u32::MAX);
        self.nanos.reserve_exact(requests);
        for slot in self.nanos.spare_capacity_mut() {
            slot.write(0);
        }
    }
    fn into_histogram(self) -> Option<Histogram<u64>> {
        let mut h = new_histogram();
        for ns in self.nanos {
            h.saturating_record(ns.max(1));
        }
        Some(h)
    }
}

/// Waits on this thread until `due`: sleeps while more than a timer's
/// overshoot away, then yields until it is time, so a request leaves close
/// to its time without a thread burning a core through long gaps. Yielding
/// rather than spinning in the last stretch matters with more consumers
/// than cores: a spinning waiter would take the core from the participant
/// whose turn it is and turn its own wait into everyone's queueing.
pub fn wait_until(due: Instant) {
    // Past a 100 µs sleep this 2-core VM wakes 80 µs late at the median with
    // Linux's default 50 µs timer slack, 34 µs (p99 114 µs) with a slack of
    // 1 ns: the slack goes, and the margin covers most of what is left.
    const SPIN: std::time::Duration = std::time::Duration::from_micros(120);
    loop {
        let now = Instant::now();
        if now >= due {
            return;
        }
        let left = due - now;
        if left > SPIN {
            std::thread::sleep(left - SPIN);
        } else {
            std::thread::yield_now();
        }
    }
}

/// Sets this thread's timer slack to 1 ns (once per thread): the kernel
/// may otherwise end a sleep up to 50 µs late to batch wake-ups, and an
/// open loop's latency runs from the scheduled time, so that lateness
/// would be measured as queueing. [`wait_until`] relies on it; the
/// open-loop probe sets it as it is reserved, on the waiting thread.
fn no_timer_slack() {
    #[cfg(target_os = "linux")]
    {
        thread_local!(static DONE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) });
        DONE.with(|done| {
            if !done.replace(true) {
                // SAFETY: PR_SET_TIMERSLACK takes one integer argument and
                // touches only the calling thread's timer slack.
                unsafe { libc::prctl(libc::PR_SET_TIMERSLACK, 1 as libc::c_ulong) };
            }
        });
    }
}

/// Percentiles of every request's latency, merged across consumers and samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LatencyStats {
    /// Requests recorded.
    pub count: u64,
    /// Samples the requests came from.
    pub samples: usize,
    /// Median, ns.
    pub p50_ns: u64,
    /// 90th percentile, ns.
    pub p90_ns: u64,
    /// 99th percentile, ns.
    pub p99_ns: u64,
    /// 99.9th percentile, ns.
    pub p999_ns: u64,
    /// Slowest request, ns.
    pub max_ns: u64,
}

impl LatencyStats {
    /// Summarises a merged histogram.
    pub fn from_histogram(h: &Histogram<u64>, samples: usize) -> Self {
        LatencyStats {
            count: h.len(),
            samples,
            p50_ns: h.value_at_quantile(0.5),
            p90_ns: h.value_at_quantile(0.9),
            p99_ns: h.value_at_quantile(0.99),
            p999_ns: h.value_at_quantile(0.999),
            max_ns: h.max(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_monotonic_and_count_every_request() {
        let mut probe = Latency::default();
        for _ in 0..1000 {
            let mark = probe.start();
            std::hint::black_box((0..50).sum::<u64>());
            probe.stop(mark);
        }
        let h = probe.into_histogram().unwrap();
        let s = LatencyStats::from_histogram(&h, 1);
        assert_eq!(s.count, 1000);
        assert!(s.p50_ns <= s.p90_ns && s.p90_ns <= s.p99_ns && s.p99_ns <= s.p999_ns && s.p999_ns <= s.max_ns);
        assert!(s.p50_ns >= 1);
    }

    #[test]
    fn no_probe_records_nothing() {
        let mut p = NoProbe;
        p.start();
        p.stop(());
        assert!(p.into_histogram().is_none());
    }
}
