//! `--pin`: every thread on one CPU of the allowed set, chosen by rule.
//!
//! Unpinned, the scheduler puts a process's threads wherever it likes and
//! moves them; executor workers live for the whole process, so where they
//! land (two workers sharing a core, a worker beside the producer) is a
//! per-process mode that its samples share. `--pin` replaces the accident
//! with a rule, over the CPUs the process may use (after `--cpus`, if
//! given), in slots taken round robin (slot `s` is CPU `allowed[s % n]`):
//!
//! - slot 0: the sample thread, which coordinates every sample (and runs
//!   the tasks of tokio's current-thread flavor and one of smol's executor
//!   threads in `block_on`), and the producer thread of the OS-thread
//!   channel and actor variants;
//! - slots 1, 2, ...: the process's long-lived threads (executor workers)
//!   in creation order, placed once by [`place_process`], and consumer `i`
//!   of the OS-thread variants at slot `i + 1`, placed by itself
//!   ([`pin_this_thread`]) before it reaches the start line.
//!
//! A thread started later inherits its creator's mask, hence the per-sample
//! threads placing themselves. It is opt-in: a placement is one machine
//! layout among many, and the default keeps the one a service would get.
//! Other systems than Linux refuse `--pin`.

use crate::cpus::{self, PinError};
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

/// The name of the runner's per-sample thread: it places itself, so
/// [`place_process`] leaves it (and one still exiting) alone.
pub const SAMPLE_THREAD: &str = "sample";

/// One long-lived thread and the CPU [`place_process`] pinned it to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Placed {
    /// The thread's name (`/proc/self/task/TID/comm`, at most 15 bytes).
    pub thread: String,
    /// The CPU it may run on.
    pub cpu: usize,
}

/// The CPUs `--pin` places on: the process's allowed set, read once by
/// [`enable`]; unset without `--pin`.
static CPUS: OnceLock<Vec<usize>> = OnceLock::new();

/// The long-lived threads [`place_process`] placed, once per process.
static PLACED: OnceLock<Vec<Placed>> = OnceLock::new();

/// Turns `--pin` on for the process: reads the CPUs it may use (so call it
/// after `--cpus` pinned the main thread) and returns them.
pub fn enable() -> Result<&'static [usize], PinError> {
    if !cfg!(target_os = "linux") {
        return Err(PinError::PinUnsupported);
    }
    let allowed = cpus::allowed()?;
    Ok(CPUS.get_or_init(|| allowed).as_slice())
}

/// Whether `--pin` is on.
pub fn enabled() -> bool {
    CPUS.get().is_some()
}

/// The CPU of slot `slot`: round robin over `cpus`.
pub fn cpu_for(cpus: &[usize], slot: usize) -> usize {
    cpus[slot % cpus.len()]
}

/// Pins the calling thread to the CPU of `slot`, with `--pin`; without it,
/// does nothing. One system call, made by a thread as it starts, before its
/// start line: never on a clock.
pub fn pin_this_thread(slot: usize) -> Result<(), PinError> {
    match CPUS.get() {
        Some(cpus) => cpus::set_for(0, &[cpu_for(cpus, slot)]),
        None => Ok(()),
    }
}

/// With `--pin`, places the process's long-lived threads once: every thread
/// but the main thread (which only starts samples and waits) and the
/// sample threads (which place themselves), in creation order, at slots 1,
/// 2, ... (see the module docs). Later calls return the first placement;
/// without `--pin`, nothing is placed. Call it once the executor's threads
/// exist (after the primer, which starts a lazy executor) and before the
/// first sample.
pub fn place_process() -> Result<&'static [Placed], PinError> {
    let Some(cpus) = CPUS.get() else { return Ok(&[]) };
    if let Some(placed) = PLACED.get() {
        return Ok(placed);
    }
    let main = std::process::id();
    let threads: Vec<(u32, String)> =
        threads()?.into_iter().filter(|(tid, name)| *tid != main && name != SAMPLE_THREAD).collect();
    let placed = place(&threads, cpus, 1)?;
    Ok(PLACED.get_or_init(|| placed))
}

/// What [`place_process`] placed (empty before it ran, or without `--pin`).
pub fn placed() -> &'static [Placed] {
    PLACED.get().map_or(&[], Vec::as_slice)
}

/// Pins thread `i` of `threads` (tid and name) to the CPU of slot
/// `first_slot + i`. A thread that ended meanwhile is skipped.
fn place(threads: &[(u32, String)], cpus: &[usize], first_slot: usize) -> Result<Vec<Placed>, PinError> {
    let mut placed = Vec::with_capacity(threads.len());
    for (tid, name) in threads {
        let cpu = cpu_for(cpus, first_slot + placed.len());
        match cpus::set_for(*tid as i32, &[cpu]) {
            Ok(()) => placed.push(Placed { thread: name.clone(), cpu }),
            Err(_) if !std::path::Path::new(&format!("/proc/self/task/{tid}")).exists() => {}
            Err(e) => return Err(e),
        }
    }
    Ok(placed)
}

/// This process's threads, tid and name, by tid: the order they were
/// created in (tids only wrap after `pid_max` threads).
fn threads() -> Result<Vec<(u32, String)>, PinError> {
    let os = |e: std::io::Error| PinError::Os { cpus: Vec::new(), reason: format!("/proc/self/task: {e}") };
    let mut threads = Vec::new();
    for entry in std::fs::read_dir("/proc/self/task").map_err(os)? {
        let entry = entry.map_err(os)?;
        let Some(tid) = entry.file_name().to_str().and_then(|s| s.parse().ok()) else { continue };
        // A thread that ended since the listing has no name to read; its
        // pin is skipped in `place` all the same.
        let name = std::fs::read_to_string(entry.path().join("comm")).unwrap_or_default();
        threads.push((tid, name.trim_end().to_string()));
    }
    threads.sort_unstable();
    Ok(threads)
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use std::sync::mpsc;

    /// The calling thread's id.
    fn tid() -> u32 {
        // SAFETY: gettid has no preconditions.
        unsafe { libc::gettid() as u32 }
    }

    #[test]
    fn scratch_threads_are_placed_round_robin_and_keep_their_cpu() {
        let all = cpus::allowed().unwrap();
        // Scratch threads only, never the test harness's own: each reports
        // its tid, waits to be placed, then reports its mask.
        let (tids_tx, tids_rx) = mpsc::channel();
        let mut go = Vec::new();
        let mut handles = Vec::new();
        for _ in 0..3 {
            let (tids_tx, (go_tx, go_rx)) = (tids_tx.clone(), mpsc::channel::<()>());
            go.push(go_tx);
            handles.push(std::thread::spawn(move || {
                tids_tx.send(tid()).unwrap();
                go_rx.recv().unwrap();
                (tid(), cpus::allowed().unwrap())
            }));
        }
        let mut scratch: Vec<(u32, String)> = (0..3).map(|_| (tids_rx.recv().unwrap(), "scratch".into())).collect();
        scratch.sort_unstable();
        let listed = threads().unwrap();
        assert!(scratch.iter().all(|(t, _)| listed.iter().any(|(l, _)| l == t)), "/proc/self/task lists them");
        assert!(listed.windows(2).all(|w| w[0].0 < w[1].0), "sorted by tid");
        let placed = place(&scratch, &all, 1).unwrap();
        let expected: Vec<usize> = (1..4).map(|slot| all[slot % all.len()]).collect();
        assert_eq!(placed.iter().map(|p| p.cpu).collect::<Vec<_>>(), expected);
        go.into_iter().for_each(|g| g.send(()).unwrap());
        for (t, mask) in handles.into_iter().map(|h| h.join().unwrap()) {
            let i = scratch.iter().position(|(s, _)| *s == t).unwrap();
            assert_eq!(mask, vec![expected[i]], "the thread at slot {}", i + 1);
        }
        // A thread gone since the listing is skipped, not an error.
        let gone = std::thread::spawn(tid).join().unwrap();
        assert!(place(&[(gone, "gone".into())], &all, 0).unwrap().is_empty());
    }

    #[test]
    fn a_thread_pins_itself_to_its_slot_and_its_children_inherit_it() {
        let all = cpus::allowed().unwrap();
        let slot = 1;
        let (mine, child) = std::thread::spawn(move || {
            cpus::set_for(0, &[cpu_for(&all, slot)]).unwrap();
            (cpus::allowed().unwrap(), std::thread::spawn(|| cpus::allowed().unwrap()).join().unwrap())
        })
        .join()
        .unwrap();
        let cpu = cpu_for(&cpus::allowed().unwrap(), slot);
        assert_eq!((mine, child), (vec![cpu], vec![cpu]));
        assert_eq!(cpu_for(&[4, 6], 5), 6, "round robin");
    }
}
