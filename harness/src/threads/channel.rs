//! A small blocking-channel abstraction so the round-trip loop is written
//! once. Each crate's adapter lives in the `channels` module, on its blocking
//! API (`send` / `recv`).
//!
//! Every channel here parks the OS thread when it blocks, so none of them
//! may run inside coroutines that outnumber their scheduler's threads: a
//! parked worker runs no other coroutine (see may-bench).

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
