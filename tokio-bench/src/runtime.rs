//! The tokio runtime, built once per process, as a [`Spawner`].

use clap::ValueEnum;
use dispenser_core::runner::panic_message;
use dispenser_core::{Executor, SampleError};
use dispenser_harness::tasks::{Join, Spawner};
use std::future::Future;
use std::mem::ManuallyDrop;

/// Which tokio scheduler runs the tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Flavor {
    /// `Builder::new_multi_thread().worker_threads(K)`: work-stealing workers.
    MultiThread,
    /// `Builder::new_current_thread()`: every task on the thread in `block_on`.
    CurrentThread,
}

/// A tokio runtime and how it was built.
pub struct Tokio {
    /// Never dropped: after a hung sample, the abandoned sample thread still
    /// sits in `block_on`; a current-thread runtime's core is then out, and
    /// tokio panics when such a runtime is dropped. Process exit reclaims it.
    rt: ManuallyDrop<tokio::runtime::Runtime>,
    flavor: Flavor,
    workers: usize,
}

impl Tokio {
    /// Builds the runtime as `#[tokio::main]` would (every driver compiled
    /// in enabled); `workers` must be 1 for the current-thread flavor.
    pub fn new(flavor: Flavor, workers: usize) -> std::io::Result<Self> {
        let mut builder = match flavor {
            Flavor::MultiThread => {
                let mut b = tokio::runtime::Builder::new_multi_thread();
                b.worker_threads(workers);
                b
            }
            Flavor::CurrentThread => {
                assert_eq!(workers, 1, "a current-thread runtime has one worker");
                tokio::runtime::Builder::new_current_thread()
            }
        };
        let rt = builder.enable_all().thread_name("tokio-worker").build()?;
        Ok(Tokio { rt: ManuallyDrop::new(rt), flavor, workers })
    }

    /// Flavor and worker count, for every record.
    pub fn executor(&self) -> Executor {
        let flavor = match self.flavor {
            Flavor::MultiThread => "multi-thread",
            Flavor::CurrentThread => "current-thread",
        };
        Executor { flavor: flavor.into(), workers: Some(self.workers) }
    }
}

impl Spawner for Tokio {
    fn spawn<T: Send + 'static>(&self, task: impl Future<Output = T> + Send + 'static) -> Join<T> {
        let handle = self.rt.spawn(task);
        Box::pin(async move {
            handle.await.map_err(|e| match e.try_into_panic() {
                Ok(panic) => SampleError::Panicked(panic_message(&*panic)),
                Err(_) => SampleError::Closed("tokio cancelled the task"),
            })
        })
    }

    fn block_on<T>(&self, future: impl Future<Output = T>) -> T {
        self.rt.block_on(future)
    }
}
