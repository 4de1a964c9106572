//! The workload: `consumers` x `per_consumer` numbers, and its limits.

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Bytes a sample costs per number: the number in a consumer's list (8),
/// its owner in validation (4) and its latency with `--latency` (4).
const BYTES_PER_NUMBER: u64 = 16;
/// Rough bytes a sample costs per consumer on top of its numbers: a thread's
/// touched stack or a task, its reply channel and its list header.
const BYTES_PER_CONSUMER: u64 = 64 * 1024;

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
    /// The sample would need more than half of the machine's memory.
    #[error(
        "{consumers} x {per_consumer} needs about {need_mib} MiB, more than half of this machine's {total_mib} MiB"
    )]
    TooBig {
        /// N as given.
        consumers: u64,
        /// T as given.
        per_consumer: u64,
        /// Estimated MiB one sample needs.
        need_mib: u64,
        /// MiB of memory the machine has.
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

    /// Checks the limits against this machine's memory, before anything is allocated.
    pub fn new(consumers: u64, per_consumer: u64) -> Result<Self, WorkloadError> {
        Self::with_memory(consumers, per_consumer, total_memory_bytes())
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
        if need > memory_bytes / 2 {
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
    fn more_than_half_the_memory_is_refused() {
        assert!(matches!(Workload::with_memory(1000, 100_000_000, 24 * GIB), Err(WorkloadError::TooBig { .. })));
        let ok = Workload::with_memory(1000, 1000, 24 * GIB).unwrap();
        assert_eq!(ok.total(), 1_000_000);
    }
}
