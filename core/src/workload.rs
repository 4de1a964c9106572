//! The workload: `consumers` x `per_consumer` numbers, and its limits.

use crate::limits::{BYTES_PER_CONSUMER, BYTES_PER_NUMBER, MEMORY_SHARE};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// N consumers each take T numbers; together they take `0 .. N*T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workload {
    /// N: how many threads or tasks take numbers.
    pub consumers: usize,
    /// T: how many numbers each consumer takes.
    pub per_consumer: usize,
}

/// Why a workload was refused.
#[derive(Debug, Error, PartialEq, Eq)]
pub enum WorkloadError {
    /// A count was zero.
    #[error("--{0} must be at least 1")]
    Zero(&'static str),
    /// N*T does not fit in a 64-bit count.
    #[error("{consumers} x {per_consumer} numbers overflow a 64-bit count")]
    Overflow {
        /// N as given.
        consumers: u64,
        /// T as given.
        per_consumer: u64,
    },
    /// The sample would need more than half of the memory this process may
    /// use (the machine's, or less under an rlimit or a cgroup limit).
    #[error(
        "{consumers} x {per_consumer} needs about {need_mib} MiB, more than half of the {total_mib} MiB this process may use"
    )]
    TooBig {
        /// N as given.
        consumers: u64,
        /// T as given.
        per_consumer: u64,
        /// Estimated MiB one sample needs.
        need_mib: u64,
        /// MiB of memory this process may use.
        total_mib: u64,
    },
}

impl Workload {
    /// The reference workload with few consumers and long runs.
    pub const FEW: Workload = Workload { consumers: 10, per_consumer: 100_000 };
    /// The reference workload with many consumers and short runs.
    pub const MANY: Workload = Workload { consumers: 1_000, per_consumer: 1_000 };
    /// The smoke-test workload.
    pub const QUICK: Workload = Workload { consumers: 4, per_consumer: 10_000 };

    /// Checks the limits against the memory this process may use (see
    /// [`usable_memory_bytes`]), before anything is allocated.
    pub fn new(consumers: u64, per_consumer: u64) -> Result<Self, WorkloadError> {
        Self::with_memory(consumers, per_consumer, usable_memory_bytes())
    }

    /// Checks the limits against `memory_bytes` of memory (testable form of [`Workload::new`]).
    pub fn with_memory(consumers: u64, per_consumer: u64, memory_bytes: u64) -> Result<Self, WorkloadError> {
        if consumers == 0 {
            return Err(WorkloadError::Zero("consumers"));
        }
        if per_consumer == 0 {
            return Err(WorkloadError::Zero("per-consumer"));
        }
        let overflow = WorkloadError::Overflow { consumers, per_consumer };
        let total = consumers.checked_mul(per_consumer).ok_or(overflow)?;
        let need = total.saturating_mul(BYTES_PER_NUMBER).saturating_add(consumers.saturating_mul(BYTES_PER_CONSUMER));
        if need > memory_bytes / MEMORY_SHARE {
            return Err(WorkloadError::TooBig {
                consumers,
                per_consumer,
                need_mib: need >> 20,
                total_mib: memory_bytes >> 20,
            });
        }
        // Fits in half the memory, so it fits in usize on this target.
        Ok(Workload { consumers: consumers as usize, per_consumer: per_consumer as usize })
    }

    /// N*T: how many numbers one sample dispenses. Never overflows once constructed.
    pub fn total(&self) -> u64 {
        self.consumers as u64 * self.per_consumer as u64
    }
}

impl std::fmt::Display for Workload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}x{}", self.consumers, self.per_consumer)
    }
}

/// Total physical memory in bytes (falls back to 1 GiB if the OS will not say).
pub fn total_memory_bytes() -> u64 {
    let mut sys = sysinfo::System::new();
    sys.refresh_memory();
    match sys.total_memory() {
        0 => 1 << 30,
        bytes => bytes,
    }
}

/// The memory this process may use: the smallest of the machine's memory,
/// `RLIMIT_AS`, `RLIMIT_DATA` and the cgroup v2 `memory.max`, so a workload
/// the check accepts is not killed by a limit the check ignored.
pub fn usable_memory_bytes() -> u64 {
    smallest_limit(total_memory_bytes(), &[rlimit(Rlimit::AddressSpace), rlimit(Rlimit::Data), cgroup_memory_max()])
}

/// The smallest of `total` and every limit that is set (testable part of
/// [`usable_memory_bytes`]).
pub fn smallest_limit(total: u64, limits: &[Option<u64>]) -> u64 {
    limits.iter().flatten().fold(total, |least, &limit| least.min(limit))
}

/// Which resource limit to read.
#[derive(Debug, Clone, Copy)]
enum Rlimit {
    AddressSpace,
    Data,
}

/// The soft limit, or `None` when unlimited or unreadable.
#[cfg(unix)]
fn rlimit(which: Rlimit) -> Option<u64> {
    let resource = match which {
        Rlimit::AddressSpace => libc::RLIMIT_AS,
        Rlimit::Data => libc::RLIMIT_DATA,
    };
    let mut limit = libc::rlimit { rlim_cur: 0, rlim_max: 0 };
    // SAFETY: getrlimit writes the struct we own and reads nothing else.
    if unsafe { libc::getrlimit(resource, &mut limit) } != 0 || limit.rlim_cur == libc::RLIM_INFINITY {
        return None;
    }
    #[allow(clippy::unnecessary_cast, reason = "rlim_t is not u64 on every unix")]
    Some(limit.rlim_cur as u64)
}

#[cfg(not(unix))]
fn rlimit(_: Rlimit) -> Option<u64> {
    None
}

/// This process's cgroup v2 `memory.max`, if it has one.
fn cgroup_memory_max() -> Option<u64> {
    let cgroup = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    let path = cgroup_v2_path(&cgroup)?;
    let max = std::fs::read_to_string(format!("/sys/fs/cgroup{path}/memory.max")).ok()?;
    parse_memory_max(&max)
}

/// The cgroup v2 path in `/proc/self/cgroup` (the `0::PATH` line).
pub fn cgroup_v2_path(proc_self_cgroup: &str) -> Option<&str> {
    proc_self_cgroup.lines().find_map(|l| l.strip_prefix("0::")).map(str::trim).filter(|p| p.starts_with('/'))
}

/// A `memory.max` file: a byte count, or `max` for no limit.
pub fn parse_memory_max(text: &str) -> Option<u64> {
    text.trim().parse().ok()
}

/// Logical cores the process may use.
pub fn available_parallelism() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

#[cfg(test)]
mod tests {
    use super::*;

    const GIB: u64 = 1 << 30;

    #[test]
    fn zero_is_refused() {
        assert_eq!(Workload::with_memory(0, 5, GIB), Err(WorkloadError::Zero("consumers")));
        assert_eq!(Workload::with_memory(5, 0, GIB), Err(WorkloadError::Zero("per-consumer")));
    }

    #[test]
    fn overflow_is_refused() {
        assert!(matches!(Workload::with_memory(u64::MAX, 2, GIB), Err(WorkloadError::Overflow { .. })));
    }

    #[test]
    fn the_smallest_limit_wins_and_unset_limits_are_ignored() {
        assert_eq!(smallest_limit(24 * GIB, &[None, None, None]), 24 * GIB);
        assert_eq!(smallest_limit(24 * GIB, &[Some(4 * GIB), Some(8 * GIB), None]), 4 * GIB);
        assert_eq!(smallest_limit(24 * GIB, &[None, None, Some(GIB)]), GIB);
        // A workload fine for the machine is refused under a 1 GiB limit.
        let limit = smallest_limit(24 * GIB, &[Some(GIB)]);
        assert!(Workload::with_memory(100, 1_000_000, 24 * GIB).is_ok());
        assert!(matches!(Workload::with_memory(100, 1_000_000, limit), Err(WorkloadError::TooBig { .. })));
    }

    #[test]
    fn cgroup_files_are_read() {
        assert_eq!(cgroup_v2_path("0::/user.slice/session-1.scope\n"), Some("/user.slice/session-1.scope"));
        assert_eq!(cgroup_v2_path("12:memory:/docker/abc\n"), None, "cgroup v1 is not read");
        assert_eq!(cgroup_v2_path("0::/\n"), Some("/"));
        assert_eq!(parse_memory_max("max\n"), None);
        assert_eq!(parse_memory_max("1073741824\n"), Some(GIB));
    }

    #[test]
    fn more_than_half_the_memory_is_refused() {
        assert!(matches!(Workload::with_memory(1000, 100_000_000, 24 * GIB), Err(WorkloadError::TooBig { .. })));
        let ok = Workload::with_memory(1000, 1000, 24 * GIB).unwrap();
        assert_eq!(ok.total(), 1_000_000);
    }
}
