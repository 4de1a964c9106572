//! One-shot reply channels for the actor loop.

use std::future::Future;

/// A crate's one-shot channel: one value, sent without waiting, awaited once.
pub trait Oneshot: 'static {
    /// Sending half, carried inside the request (so `Unpin`, as every
    /// request is: see [`Channel::send`](super::Channel::send)).
    type Sender<T: Send + 'static>: Send + Unpin + 'static;
    /// Receiving half, kept by the consumer.
    type Receiver<T: Send + 'static>: Send + 'static;
    /// A fresh one-shot channel.
    fn oneshot<T: Send + 'static>() -> (Self::Sender<T>, Self::Receiver<T>);
    /// Sends the value; false if the receiver is gone.
    fn send<T: Send + 'static>(tx: Self::Sender<T>, value: T) -> bool;
    /// Waits for the value; `None` if the sender was dropped unsent.
    fn recv<T: Send + 'static>(rx: Self::Receiver<T>) -> impl Future<Output = Option<T>> + Send;
}

/// The `oneshot` crate: runtime-agnostic, its `Receiver` is a future.
pub struct OneshotCrate;

impl Oneshot for OneshotCrate {
    type Sender<T: Send + 'static> = oneshot::Sender<T>;
    type Receiver<T: Send + 'static> = oneshot::Receiver<T>;
    fn oneshot<T: Send + 'static>() -> (Self::Sender<T>, Self::Receiver<T>) {
        oneshot::channel()
    }
    fn send<T: Send + 'static>(tx: Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    async fn recv<T: Send + 'static>(rx: Self::Receiver<T>) -> Option<T> {
        rx.await.ok()
    }
}
