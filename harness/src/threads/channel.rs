//! A small blocking-channel abstraction so the round-trip loop is written
//! once: each crate's channel is adapted here in a few lines, used as its
//! documentation recommends (`send` / `recv` on the blocking API).
//!
//! Every channel here parks the OS thread when it blocks, so none of them
//! may run inside coroutines that outnumber their scheduler's threads: a
//! parked worker runs no other coroutine (see may-bench).

use crate::capacity::by_capacity;

/// A channel crate's blocking MPSC (or MPMC) channel.
pub trait Channel: 'static {
    /// Sending half; cloned once per consumer before the clock starts.
    type Sender<T: Send + 'static>: Clone + Send + 'static;
    /// Receiving half.
    type Receiver<T: Send + 'static>: Send + 'static;
    /// A channel holding at most `capacity` messages (`None`: unbounded).
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>);
    /// Sends, blocking while full; false if the receiver is gone.
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool;
    /// Receives, blocking while empty; `None` if every sender is gone.
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T>;
}

/// `std::sync::mpsc::channel`: always unbounded (a capacity is ignored).
pub struct StdMpsc;
/// `std::sync::mpsc::sync_channel`: bounded.
pub struct StdSyncChannel;
/// `crossbeam_channel::{unbounded, bounded}`.
pub struct Crossbeam;
/// `flume::{unbounded, bounded}`.
pub struct Flume;
/// `kanal::{unbounded, bounded}`.
pub struct Kanal;

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
        // "unbounded" stand-in; the variant list only pairs it with Bounded.
        std::sync::mpsc::sync_channel(capacity.expect("std-mpsc-bounded is listed only as bounded"))
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

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

impl Channel for Flume {
    type Sender<T: Send + 'static> = flume::Sender<T>;
    type Receiver<T: Send + 'static> = flume::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, flume::bounded, flume::unbounded)
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

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
