//! `--cpus K`: pin the whole process to K CPUs.
//!
//! Linux gives each thread its own CPU mask and a new thread inherits its
//! creator's, so pinning the main thread before any other thread exists
//! pins every thread the process will ever start: the sample threads, the
//! consumer and producer threads, and the executor workers of tokio, smol
//! and async-std (all built after the command line is parsed). That is why
//! [`crate::cli::parse_and_pin`] pins right after parsing, first thing in
//! every runtime binary's `main`.
//!
//! The chosen CPUs are the first K of those the process may use
//! (`sched_getaffinity`), so `--cpus` composes with `taskset` or a cgroup's
//! cpuset. Other systems than Linux refuse `--cpus`.

use crate::limits::{self, LimitError};
use std::sync::OnceLock;
use thiserror::Error;

/// Why the process could not be pinned.
#[derive(Debug, Error, PartialEq)]
pub enum PinError {
    /// K outside 1 ..= the CPUs the process may use.
    #[error(transparent)]
    Limit(#[from] LimitError),
    /// The OS refused to read or set the CPU mask.
    #[error("cannot pin to CPUs {cpus:?}: {reason}")]
    Os {
        /// The CPUs asked for.
        cpus: Vec<usize>,
        /// The OS's error.
        reason: String,
    },
    /// Pinning is only implemented on Linux.
    #[error("--cpus is only supported on Linux")]
    Unsupported,
    /// Placing threads (`--pin`) is only implemented on Linux.
    #[error("--pin is only supported on Linux")]
    PinUnsupported,
}

/// Pins this thread, and so every thread it starts from now on, to the
/// first `k` CPUs it may use; returns their ids. Call while it is the only
/// thread of the process.
pub fn pin_first(k: u64) -> Result<Vec<usize>, PinError> {
    let allowed = allowed()?;
    let k = limits::cpus(k, allowed.len())?;
    let chosen = allowed[..k].to_vec();
    set(&chosen)?;
    // The first pinning is the process's: later ones only pin scratch threads (tests).
    let _ = PINNED.set(chosen.clone());
    Ok(chosen)
}

/// The CPUs [`pin_first`] pinned the process to, for the record.
static PINNED: OnceLock<Vec<usize>> = OnceLock::new();

/// The CPUs the process was pinned to, if [`pin_first`] ran.
pub fn pinned() -> Option<&'static [usize]> {
    PINNED.get().map(Vec::as_slice)
}

/// The CPUs this thread may run on, in increasing order.
#[cfg(target_os = "linux")]
pub fn allowed() -> Result<Vec<usize>, PinError> {
    // SAFETY: sched_getaffinity writes into a zeroed cpu_set_t we own, of
    // the size we pass; CPU_ISSET reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        if libc::sched_getaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &mut set) != 0 {
            let reason = std::io::Error::last_os_error().to_string();
            return Err(PinError::Os { cpus: Vec::new(), reason });
        }
        Ok((0..libc::CPU_SETSIZE as usize).filter(|&c| libc::CPU_ISSET(c, &set)).collect())
    }
}

fn set(cpus: &[usize]) -> Result<(), PinError> {
    set_for(0, cpus)
}

/// Pins thread `tid` of this process (0: the calling thread) to `cpus`,
/// each an id [`allowed`] returned. Only that thread: the others, and the
/// threads it already started, keep their masks.
#[cfg(target_os = "linux")]
pub fn set_for(tid: libc::pid_t, cpus: &[usize]) -> Result<(), PinError> {
    // SAFETY: CPU_SET writes bits of a zeroed cpu_set_t we own (every id came
    // from CPU_ISSET, so it is below CPU_SETSIZE); sched_setaffinity reads it.
    unsafe {
        let mut set: libc::cpu_set_t = std::mem::zeroed();
        for &c in cpus {
            libc::CPU_SET(c, &mut set);
        }
        if libc::sched_setaffinity(tid, std::mem::size_of::<libc::cpu_set_t>(), &set) != 0 {
            let reason = std::io::Error::last_os_error().to_string();
            return Err(PinError::Os { cpus: cpus.to_vec(), reason });
        }
    }
    Ok(())
}

/// The CPUs this thread may run on (Linux only).
#[cfg(not(target_os = "linux"))]
pub fn allowed() -> Result<Vec<usize>, PinError> {
    Err(PinError::Unsupported)
}

/// Pins one thread of this process (Linux only).
#[cfg(not(target_os = "linux"))]
pub fn set_for(_tid: i32, _cpus: &[usize]) -> Result<(), PinError> {
    Err(PinError::Unsupported)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    #[test]
    fn a_new_thread_inherits_the_mask_and_too_many_cpus_are_refused() {
        let all = allowed().unwrap();
        assert!(!all.is_empty());
        // Pin a scratch thread, never the test harness's own threads.
        std::thread::spawn(move || {
            assert!(matches!(pin_first(0), Err(PinError::Limit(_))));
            let too_many = pin_first(all.len() as u64 + 1).unwrap_err().to_string();
            assert!(too_many.starts_with("--cpus must be between 1 and"), "{too_many}");
            assert_eq!(pin_first(1).unwrap(), vec![all[0]]);
            let child = std::thread::spawn(|| allowed().unwrap()).join().unwrap();
            assert_eq!(child, vec![all[0]], "threads started after pinning are pinned");
        })
        .join()
        .unwrap();
    }
}
