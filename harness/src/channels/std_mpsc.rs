//! `std::sync::mpsc`: threads only (std has no async channel).

use crate::threads::Channel;

/// `std::sync::mpsc::channel`: always unbounded (a capacity is ignored).
pub struct StdMpsc;
/// `std::sync::mpsc::sync_channel`: bounded.
pub struct StdSyncChannel;

impl Channel for StdMpsc {
    type Sender<T: Send + 'static> = std::sync::mpsc::Sender<T>;
    type Receiver<T: Send + 'static> = std::sync::mpsc::Receiver<T>;
    fn channel<T: Send + 'static>(_capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        std::sync::mpsc::channel()
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

impl Channel for StdSyncChannel {
    type Sender<T: Send + 'static> = std::sync::mpsc::SyncSender<T>;
    type Receiver<T: Send + 'static> = std::sync::mpsc::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        // sync_channel allocates its whole buffer up front, so there is no
        // "unbounded" stand-in; the matrix only pairs it with Bounded.
        std::sync::mpsc::sync_channel(capacity.expect("std-mpsc-bounded is listed only as bounded"))
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}
