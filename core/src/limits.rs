//! Every limit on what a run may ask for, in one place: the runtime binaries
//! check their command line with these functions, and xtask can check its
//! own flags with the same ones before it builds anything. A workload is
//! checked by `Workload::new`, with the memory constants below.

use std::time::Duration;
use thiserror::Error;

/// The budget never cuts the counted samples below this many, unless the
/// run asks for fewer (`--min-samples`; xtask takes one per process for
/// slow cells and spreads the rest over processes).
pub const MIN_SAMPLES: usize = 3;
/// Most counted samples a run may ask for.
pub const MAX_SAMPLES: u64 = 100_000;
/// Most warm-up samples a run may ask for.
pub const MAX_WARMUP: u64 = 1_000;
/// Longest budget or deadline, seconds (a day).
pub const MAX_SECS: f64 = 86_400.0;
/// Most processes per cell `cargo xtask bench --processes` accepts.
pub const MAX_PROCESSES: u64 = 100;
/// Most executor threads `--workers` accepts.
pub const MAX_WORKERS: u64 = 1024;
/// Most busy work per number `--work` accepts, ns (1 s: beyond that the
/// dispenser is noise and a sample would take hours).
pub const MAX_WORK_NS: u64 = 1_000_000_000;
/// Most busy threads `--load` starts: far past any core count this suite
/// meets, well short of exhausting the machine's threads.
pub const MAX_LOAD: u64 = 256;
/// Highest `--rate`, numbers per second: ten per nanosecond, far past what
/// any dispenser serves, so "above saturation" is always within reach.
pub const MAX_RATE: u64 = 10_000_000_000;
/// Largest `--capacity`: a million slots, past any consumer count a sample
/// can hold (some crates allocate every slot up front).
pub const MAX_CAPACITY: u64 = 1 << 20;
/// Bytes a sample costs per number: the number in a consumer's list (8),
/// its owner in validation (4) and its latency with `--latency` (4).
pub const BYTES_PER_NUMBER: u64 = 16;
/// Rough bytes a sample costs per consumer on top of its numbers: a thread's
/// touched stack or a task, its reply channel and its list header.
pub const BYTES_PER_CONSUMER: u64 = 64 * 1024;
/// A workload may need at most memory / `MEMORY_SHARE` (half the memory the
/// process may use), so validation and the allocator's slack still fit.
pub const MEMORY_SHARE: u64 = 2;

/// A value outside its limit, as one line for the user.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum LimitError {
    /// A count outside its range.
    #[error("--{flag} must be between {min} and {max}, got {got}")]
    Count {
        /// The flag, without dashes.
        flag: &'static str,
        /// Smallest accepted.
        min: u64,
        /// Largest accepted.
        max: u64,
        /// What was given.
        got: u64,
    },
    /// A number of seconds that is not finite, not positive or too long.
    #[error("--{flag} must be more than 0 and at most {MAX_SECS} seconds, got {got:?}")]
    Seconds {
        /// The flag, without dashes.
        flag: &'static str,
        /// What was given.
        got: f64,
    },
}

fn count(flag: &'static str, min: u64, max: u64, got: u64) -> Result<usize, LimitError> {
    if (min..=max).contains(&got) {
        // max is far below usize::MAX on every supported target.
        Ok(got as usize)
    } else {
        Err(LimitError::Count { flag, min, max, got })
    }
}

/// `--samples`: 1 ..= [`MAX_SAMPLES`].
pub fn samples(got: u64) -> Result<usize, LimitError> {
    count("samples", 1, MAX_SAMPLES, got)
}

/// `--processes` (xtask): 1 ..= [`MAX_PROCESSES`].
pub fn processes(got: u64) -> Result<usize, LimitError> {
    count("processes", 1, MAX_PROCESSES, got)
}

/// `--min-samples`: 1 ..= [`MAX_SAMPLES`] (the sample loop caps it at `--samples`).
pub fn min_samples(got: u64) -> Result<usize, LimitError> {
    count("min-samples", 1, MAX_SAMPLES, got)
}

/// `--warmup`: 0 ..= [`MAX_WARMUP`].
pub fn warmup(got: u64) -> Result<usize, LimitError> {
    count("warmup", 0, MAX_WARMUP, got)
}

/// `--workers`: 1 ..= [`MAX_WORKERS`].
pub fn workers(got: u64) -> Result<usize, LimitError> {
    count("workers", 1, MAX_WORKERS, got)
}

/// `--work`: 0 ..= [`MAX_WORK_NS`] nanoseconds per number.
pub fn work_ns(got: u64) -> Result<u64, LimitError> {
    count("work", 0, MAX_WORK_NS, got).map(|ns| ns as u64)
}

/// `--load`: 0 ..= [`MAX_LOAD`] busy threads.
pub fn load(got: u64) -> Result<usize, LimitError> {
    count("load", 0, MAX_LOAD, got)
}

/// `--rate`: 1 ..= [`MAX_RATE`] numbers per second.
pub fn rate(got: u64) -> Result<u64, LimitError> {
    count("rate", 1, MAX_RATE, got).map(|r| r as u64)
}

/// `--capacity`: 0 (rendezvous) ..= [`MAX_CAPACITY`] request slots.
pub fn capacity(got: u64) -> Result<usize, LimitError> {
    count("capacity", 0, MAX_CAPACITY, got)
}

/// `--cpus`: 1 ..= `allowed`, the CPUs the process may use.
pub fn cpus(got: u64, allowed: usize) -> Result<usize, LimitError> {
    count("cpus", 1, allowed as u64, got)
}

/// A count of seconds (`--budget`, `--sample-timeout`, a cell timeout):
/// finite, more than 0, at most [`MAX_SECS`].
pub fn seconds(flag: &'static str, got: f64) -> Result<Duration, LimitError> {
    if got.is_finite() && got > 0.0 && got <= MAX_SECS {
        Ok(Duration::from_secs_f64(got))
    } else {
        Err(LimitError::Seconds { flag, got })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_outside_their_range_are_refused_in_one_line() {
        assert!(workers(0).is_err());
        assert!(workers(MAX_WORKERS + 1).is_err());
        assert_eq!(workers(3), Ok(3));
        assert_eq!(samples(0).unwrap_err().to_string(), "--samples must be between 1 and 100000, got 0");
        assert_eq!(warmup(0), Ok(0));
        assert!(warmup(MAX_WARMUP + 1).is_err());
        assert_eq!(work_ns(0), Ok(0));
        assert!(work_ns(MAX_WORK_NS + 1).is_err());
        assert_eq!(cpus(2, 2), Ok(2));
        assert_eq!(cpus(3, 2).unwrap_err().to_string(), "--cpus must be between 1 and 2, got 3");
        assert!(cpus(0, 2).is_err());
    }

    #[test]
    fn seconds_must_be_finite_and_positive() {
        for bad in [0.0, -1.0, f64::NAN, f64::INFINITY, MAX_SECS * 2.0] {
            assert!(seconds("budget", bad).is_err(), "{bad}");
        }
        assert_eq!(seconds("budget", 1.5), Ok(Duration::from_millis(1500)));
        // A huge value is echoed short, not as 300 digits.
        let huge = seconds("sample-timeout", 1e300).unwrap_err().to_string();
        assert!(huge.ends_with("got 1e300"), "{huge}");
    }
}
