//! smol's executor, built once per process, as a [`Spawner`].

use async_executor::Executor as TaskExecutor;
use dispenser_core::Executor;
use dispenser_harness::tasks::{Join, Spawner};
use std::future::Future;
use std::sync::Arc;

/// An `async_executor::Executor` (what `smol::Executor` is) run by K threads:
/// the thread that blocks on a sample's coordinator, via
/// `futures_lite::future::block_on(ex.run(coordinator))`, plus K - 1 threads
/// started here that run `ex.run(..)` until this value is dropped.
pub struct Smol {
    ex: Arc<TaskExecutor<'static>>,
    workers: usize,
    /// Closing this channel (on drop) ends the extra threads' `run`.
    _stop: async_channel::Sender<()>,
}

impl Smol {
    /// Starts the K - 1 extra executor threads.
    pub fn new(workers: usize) -> std::io::Result<Self> {
        let ex = Arc::new(TaskExecutor::new());
        let (stop, stopped) = async_channel::bounded::<()>(1);
        for i in 1..workers {
            let (ex, stopped) = (Arc::clone(&ex), stopped.clone());
            std::thread::Builder::new()
                .name(format!("smol-worker-{i}"))
                .spawn(move || futures_lite::future::block_on(ex.run(stopped.recv())))?;
        }
        Ok(Smol { ex, workers, _stop: stop })
    }

    /// Flavor and worker count, for every record.
    pub fn executor(&self) -> Executor {
        Executor { flavor: "async-executor".into(), workers: Some(self.workers) }
    }
}

impl Spawner for Smol {
    fn spawn<T: Send + 'static>(&self, task: impl Future<Output = T> + Send + 'static) -> Join<T> {
        // Awaited to the end: a dropped `Task` would cancel it.
        let task = self.ex.spawn(task);
        Box::pin(async move { Ok(task.await) })
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        futures_lite::future::block_on(self.ex.run(future))
    }
}
