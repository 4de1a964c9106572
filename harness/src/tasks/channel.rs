//! A small async-channel abstraction so the round trip and the actor are
//! written once. Each crate's adapter lives in the `channels` module.

use std::future::Future;

/// A channel crate's async MPSC (or MPMC) channel.
pub trait Channel: 'static {
    /// Sending half; cloned once per consumer before the clock starts.
    type Sender<T: Send + 'static>: Clone + Send + 'static;
    /// Receiving half.
    type Receiver<T: Send + 'static>: Send + 'static;
    /// A channel holding at most `capacity` messages (`None`: unbounded).
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>);
    /// Sends, waiting while full; false if the receiver is gone. Messages
    /// are `Unpin` (a number or a one-shot sender): crossfire's send future
    /// is a future only for `Unpin` items, and an adapter may ask no more.
    fn send<T: Send + Unpin + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send;
    /// Receives, waiting while empty; `None` once every sender is gone.
    fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> impl Future<Output = Option<T>> + Send;
}
