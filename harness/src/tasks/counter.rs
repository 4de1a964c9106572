//! Shared counters for async tasks: every consumer takes the next number itself.

use std::future::Future;
use std::sync::atomic::{AtomicU64, Ordering};

/// A counter many tasks can bump.
pub trait Counter: Default + Send + Sync + 'static {
    /// Returns the current value and increments it, atomically with respect
    /// to every other take. A lock is held only inside one take.
    fn take(&self) -> impl Future<Output = u64> + Send;
}

impl Counter for AtomicU64 {
    #[inline]
    async fn take(&self) -> u64 {
        // Relaxed is enough: read-modify-writes on one atomic are totally
        // ordered, so every value is returned once; nothing else is published.
        self.fetch_add(1, Ordering::Relaxed)
    }
}

/// `async_lock::Mutex` (also `async_std::sync::Mutex`, a re-export of it).
impl Counter for async_lock::Mutex<u64> {
    #[inline]
    async fn take(&self) -> u64 {
        let mut n = self.lock().await;
        let taken = *n;
        *n += 1;
        taken
    }
}
