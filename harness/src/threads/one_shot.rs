//! Blocking one-shot reply channels for the actor loop.

/// A crate's one-shot channel: one value, sent without waiting, received
/// once with a blocking (thread- or coroutine-parking) wait.
pub trait Oneshot: 'static {
    /// Sending half, carried inside the request.
    type Sender<T: Send + 'static>: Send + 'static;
    /// Receiving half, kept by the consumer.
    type Receiver<T: Send + 'static>: Send + 'static;
    /// A fresh one-shot channel.
    fn oneshot<T: Send + 'static>() -> (Self::Sender<T>, Self::Receiver<T>);
    /// Sends the value; false if the receiver is gone.
    fn send<T: Send + 'static>(tx: Self::Sender<T>, value: T) -> bool;
    /// Blocks for the value; `None` if the sender was dropped unsent.
    fn recv<T: Send + 'static>(rx: Self::Receiver<T>) -> Option<T>;
}

/// The `oneshot` crate's blocking `recv` (parks the OS thread).
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
    fn recv<T: Send + 'static>(rx: Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}
