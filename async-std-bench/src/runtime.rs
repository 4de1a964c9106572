//! async-std's global executor as a [`Spawner`].

use dispenser_core::Executor;
use dispenser_harness::tasks::{Join, Spawner};
use std::future::Future;

/// The variable async-std reads, once, for its executor's thread count.
pub const THREAD_COUNT_VAR: &str = "ASYNC_STD_THREAD_COUNT";

/// async-std's global executor (async-global-executor, itself an
/// `async_executor::Executor` run by a fixed pool of threads). Tasks go there
/// with `async_std::task::spawn`; the coordinator runs on the sample's own
/// thread with `async_std::task::block_on`.
pub struct AsyncStd {
    workers: usize,
}

impl AsyncStd {
    /// Sets [`THREAD_COUNT_VAR`] to `workers` and starts the global executor
    /// now, so its threads exist before the first sample.
    ///
    /// # Safety
    /// Writes the environment: call it before any other thread exists.
    pub unsafe fn start(workers: usize) -> Self {
        // SAFETY: the caller guarantees no other thread is running.
        unsafe { std::env::set_var(THREAD_COUNT_VAR, workers.to_string()) };
        Self::started()
    }

    /// The global executor with whatever thread count it was (or will be)
    /// started with: [`THREAD_COUNT_VAR`] if set, else the available parallelism.
    pub fn started() -> Self {
        async_std::task::block_on(async_std::task::spawn(async {}));
        let workers = std::env::var(THREAD_COUNT_VAR)
            .ok()
            .and_then(|k| k.parse().ok())
            .unwrap_or_else(dispenser_core::workload::available_parallelism);
        AsyncStd { workers }
    }

    /// Flavor and worker count, for every record.
    pub fn executor(&self) -> Executor {
        Executor { flavor: "global-executor".into(), workers: Some(self.workers) }
    }
}

impl Spawner for AsyncStd {
    fn spawn<T: Send + 'static>(&self, task: impl Future<Output = T> + Send + 'static) -> Join<T> {
        let handle = async_std::task::spawn(task);
        Box::pin(async move { Ok(handle.await) })
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        async_std::task::block_on(future)
    }
}
