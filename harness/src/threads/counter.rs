//! Shared counters for threads: every consumer takes the next number itself.

use std::sync::atomic::{AtomicU64, Ordering};

/// A counter many threads can bump.
pub trait Counter: Default + Send + Sync + 'static {
    /// Returns the current value and increments it, atomically.
    fn take(&self) -> u64;
}

impl Counter for AtomicU64 {
    #[inline]
    fn take(&self) -> u64 {
        // Relaxed is enough: read-modify-writes on one atomic are totally
        // ordered, so every value is returned once; nothing else is published.
        self.fetch_add(1, Ordering::Relaxed)
    }
}

impl Counter for std::sync::Mutex<u64> {
    #[inline]
    fn take(&self) -> u64 {
        // A poisoned lock means a consumer panicked; that panic is reported
        // on join, and the count itself is still consistent.
        let mut n = self.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let taken = *n;
        *n += 1;
        taken
    }
}

impl Counter for parking_lot::Mutex<u64> {
    #[inline]
    fn take(&self) -> u64 {
        let mut n = self.lock();
        let taken = *n;
        *n += 1;
        taken
    }
}
