//! `kanal`: threads (its blocking API). Its async API is not listed yet.

use super::by_capacity;
use crate::threads::Channel;

/// `kanal::{unbounded, bounded}`.
pub struct Kanal;

impl Channel for Kanal {
    type Sender<T: Send + 'static> = kanal::Sender<T>;
    type Receiver<T: Send + 'static> = kanal::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, kanal::bounded, kanal::unbounded)
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}
