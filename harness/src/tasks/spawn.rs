//! How a runtime spawns and joins tasks, and blocks on the coordinator.

use dispenser_core::SampleError;
use std::future::Future;
use std::pin::Pin;

/// An owned handle on a spawned task: a future that resolves to the task's
/// output once it has finished (or to an error if the executor lost it).
pub type Join<T> = Pin<Box<dyn Future<Output = Result<T, SampleError>> + Send + 'static>>;

/// An async runtime, as the loops need it.
///
/// Implementations are a few lines over the runtime's own API: `spawn` is the
/// runtime's task spawn with an owned join handle (never a scoped helper that
/// blocks a worker), `block_on` runs the coordinator future on the calling
/// thread. The loops wrap every spawned future in `catch_unwind`, so a panic
/// inside a task comes back as [`SampleError::Panicked`] through its handle.
pub trait Spawner: Send + Sync + 'static {
    /// Spawns `task` on the runtime's workers and returns its join handle.
    fn spawn<T: Send + 'static>(&self, task: impl Future<Output = T> + Send + 'static) -> Join<T>;

    /// Drives `future` to completion on the calling thread. Only the
    /// coordinator runs here: it spawns, opens the start line and joins.
    fn block_on<T>(&self, future: impl Future<Output = T>) -> T;
}
