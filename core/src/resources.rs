//! Resource use from the OS (getrusage): CPU time, context switches and
//! peak resident memory of the whole process, all threads included.

use serde::{Deserialize, Serialize};
use std::time::Duration;

/// A reading of the process's cumulative counters.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Usage {
    user: Duration,
    system: Duration,
    voluntary: u64,
    involuntary: u64,
    max_rss_kib: u64,
}

impl Usage {
    /// Reads the counters now; zeros where the OS does not report them.
    pub fn now() -> Usage {
        read()
    }
}

#[cfg(unix)]
fn read() -> Usage {
    // SAFETY: getrusage writes a plain C struct we own; zeroed is a valid start.
    let ru = unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        if libc::getrusage(libc::RUSAGE_SELF, &mut ru) != 0 {
            return Usage::default();
        }
        ru
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    Usage {
        user: tv(ru.ru_utime),
        system: tv(ru.ru_stime),
        voluntary: ru.ru_nvcsw as u64,
        involuntary: ru.ru_nivcsw as u64,
        // Linux reports KiB (macOS bytes; we document Linux).
        max_rss_kib: ru.ru_maxrss as u64,
    }
}

#[cfg(not(unix))]
fn read() -> Usage {
    Usage::default()
}

/// Resource use summed over a variant's counted samples, each over exactly
/// its dispense clock (from the coordinator opening the start line to the
/// last consumer crossing the finish line; spawning, joining and validation
/// excluded), and the process's peak memory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Resources {
    /// Wall seconds of the measured spans, summed.
    pub wall_s: f64,
    /// User CPU seconds, all threads.
    pub user_cpu_s: f64,
    /// System CPU seconds, all threads.
    pub system_cpu_s: f64,
    /// (user + system) CPU seconds per wall second of the measured spans:
    /// near 1 per busy core when threads spin, low when they park.
    pub cpu_per_wall: f64,
    /// Voluntary context switches (a thread blocked).
    pub voluntary_switches: u64,
    /// Involuntary context switches (a thread was preempted).
    pub involuntary_switches: u64,
    /// Peak resident memory of the whole process so far, KiB.
    pub peak_rss_kib: u64,
}

impl Resources {
    /// Adds the counters between `before` and `after` for a span of `wall` time.
    pub fn add_span(&mut self, before: Usage, after: Usage, wall: Duration) {
        self.user_cpu_s += after.user.saturating_sub(before.user).as_secs_f64();
        self.system_cpu_s += after.system.saturating_sub(before.system).as_secs_f64();
        self.voluntary_switches += after.voluntary.saturating_sub(before.voluntary);
        self.involuntary_switches += after.involuntary.saturating_sub(before.involuntary);
        self.peak_rss_kib = self.peak_rss_kib.max(after.max_rss_kib);
        self.wall_s += wall.as_secs_f64();
        self.update_ratio();
    }

    /// Adds another process's resources: counters and wall time sum, the
    /// peak is the larger one, CPU/wall is recomputed over the sum.
    pub fn absorb(&mut self, other: &Resources) {
        self.user_cpu_s += other.user_cpu_s;
        self.system_cpu_s += other.system_cpu_s;
        self.voluntary_switches += other.voluntary_switches;
        self.involuntary_switches += other.involuntary_switches;
        self.peak_rss_kib = self.peak_rss_kib.max(other.peak_rss_kib);
        self.wall_s += other.wall_s;
        self.update_ratio();
    }

    fn update_ratio(&mut self) {
        let cpu = self.user_cpu_s + self.system_cpu_s;
        self.cpu_per_wall = if self.wall_s > 0.0 { cpu / self.wall_s } else { 0.0 };
    }

    /// Context switches (voluntary plus involuntary) per number, when the
    /// spans dispensed `numbers` numbers in all; `None` for none.
    pub fn switches_per_number(&self, numbers: u64) -> Option<f64> {
        let switches = self.voluntary_switches + self.involuntary_switches;
        (numbers > 0).then(|| switches as f64 / numbers as f64)
    }

    /// User plus system CPU ns per number over the spans that dispensed
    /// `numbers` numbers in all; `None` for none.
    pub fn cpu_ns_per_number(&self, numbers: u64) -> Option<f64> {
        (numbers > 0).then(|| (self.user_cpu_s + self.system_cpu_s) * 1e9 / numbers as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_work_shows_cpu_time() {
        let before = Usage::now();
        let start = std::time::Instant::now();
        let mut x = 0u64;
        while start.elapsed() < Duration::from_millis(50) {
            x = std::hint::black_box(x.wrapping_add(1));
        }
        let mut r = Resources::default();
        r.add_span(before, Usage::now(), start.elapsed());
        assert!(r.user_cpu_s + r.system_cpu_s > 0.0);
        assert!(r.peak_rss_kib > 0);
    }

    #[test]
    fn per_number_figures_divide_by_every_number_dispensed() {
        let r = Resources {
            user_cpu_s: 0.003,
            system_cpu_s: 0.001,
            voluntary_switches: 30,
            involuntary_switches: 10,
            ..Resources::default()
        };
        assert_eq!(r.switches_per_number(20), Some(2.0));
        assert!((r.cpu_ns_per_number(1_000).unwrap() - 4_000.0).abs() < 1e-6);
        assert_eq!(r.switches_per_number(0), None);
    }
}
