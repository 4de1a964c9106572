//! `crossbeam-channel`: threads only (its `recv` parks the OS thread).

use super::by_capacity;
use crate::threads::Channel;

/// `crossbeam_channel::{unbounded, bounded}`.
pub struct Crossbeam;

impl Channel for Crossbeam {
    type Sender<T: Send + 'static> = crossbeam_channel::Sender<T>;
    type Receiver<T: Send + 'static> = crossbeam_channel::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, crossbeam_channel::bounded, crossbeam_channel::unbounded)
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}
