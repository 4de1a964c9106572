//! may's coroutine scheduler, configured once per process, as the
//! harness's [`Blocking`] participants.

use dispenser_core::{Executor, SampleError};
use dispenser_harness::threads::Blocking;

/// Coroutine stack size, in machine words (`may::config().set_stack_size`
/// counts words, not bytes): 2,048 words, 16 KiB on 64-bit targets, half of
/// may's default of 4,096 words (32 KiB).
///
/// A consumer's deepest frame is its loop plus one blocking call into may
/// (a channel `recv`, a mutex `lock`, a park); its list, the latency
/// histogram's counts and every channel buffer are on the heap. Measured in
/// release: the atomic consumer's high-water mark is 193 words (may's usage
/// tracking), and every variant in both modes is still valid at 50x200 with
/// 512 words (4 KiB); 16 KiB leaves four times that for debug builds' larger
/// frames. An overflow hits the guard page below each stack: a crash, never
/// a wrong number. Only touched pages are resident, so the size bounds
/// address space (16 MiB for 1,000 coroutines) more than peak RSS, which
/// measured the same as with may's default (see the README).
pub const STACK_WORDS: usize = 2048;

/// may's scheduler on K worker threads. may's configuration is global and
/// read when the scheduler starts (at the first spawn), so [`May::new`]
/// sets it and then starts the scheduler, exactly once per process.
#[derive(Debug)]
pub struct May {
    workers: usize,
}

impl May {
    /// Configures K workers and the coroutine stack size, then starts the
    /// scheduler; call once, before any other coroutine is spawned.
    pub fn new(workers: usize) -> std::io::Result<Self> {
        may::config().set_workers(workers).set_stack_size(STACK_WORDS);
        // may pins worker i to core i by default, which would override the
        // process's `--cpus` mask (and no other runtime here pins): off, so
        // the workers inherit the mask like every other runtime's threads.
        may::config().set_worker_pin(false);
        // The scheduler starts its threads (a timer, then the K workers) at
        // the first spawn: made here, from the main thread, so they exist
        // before the first sample, as the other executors' do, with or
        // without the primer, for `--pin` to place them (a sample thread
        // pinned to one CPU would otherwise hand them its mask).
        // SAFETY: the empty coroutine holds no thread-local and uses a few
        // words of its stack.
        let started = unsafe { may::coroutine::Builder::new().name("start".into()).spawn(|| {}) }?;
        started.join().map_err(|_| std::io::Error::other("may's first coroutine panicked"))?;
        Ok(May { workers })
    }

    /// Flavor and worker count, for every record.
    pub fn executor(&self) -> Executor {
        Executor { flavor: "coroutines".into(), workers: Some(self.workers) }
    }
}

impl Blocking for May {
    type Unparker = may::coroutine::Coroutine;
    type Handle<T: Send + 'static> = may::coroutine::JoinHandle<T>;

    fn spawn<T: Send + 'static>(
        &self,
        name: Option<&'static str>,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Self::Handle<T>, SampleError> {
        let builder = may::coroutine::Builder::new();
        let builder = match name {
            Some(name) => builder.name(name.into()),
            None => builder,
        };
        // SAFETY: may's two conditions for a spawn. (1) No thread-local is
        // held across a point where the coroutine can switch worker threads:
        // the harness's loops park only through `Blocking::park` (may's
        // `coroutine::park`) and block only in may's primitives, and the
        // variants listed here use no `thread_local!` (never
        // `std::thread::current()` inside a coroutine). (2) The stack is
        // large enough: see `STACK_WORDS`; an overflow hits a guard page.
        unsafe { builder.spawn(f) }.map_err(|e| SampleError::Spawn(e.to_string()))
    }

    fn join<T: Send + 'static>(handle: Self::Handle<T>) -> Result<T, SampleError> {
        // The coordinator is an OS thread: `join` parks it, not a worker.
        handle.join().map_err(|p| SampleError::Panicked(dispenser_core::runner::panic_message(&*p)))
    }

    fn current() -> Self::Unparker {
        may::coroutine::current()
    }

    fn park() {
        may::coroutine::park();
    }

    fn unpark(unparker: &Self::Unparker) {
        unparker.unpark();
    }

    fn wait_until(due: std::time::Instant) {
        // A coroutine sleeps on may's timer and yields its worker meanwhile;
        // std's sleep would stall every coroutine on that worker.
        let left = due.saturating_duration_since(std::time::Instant::now());
        if !left.is_zero() {
            may::coroutine::sleep(left);
        }
    }
}
