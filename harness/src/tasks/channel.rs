//! A small async-channel abstraction so the round trip and the actor are
//! written once. Each crate's channel is adapted in a few lines, used as its
//! documentation recommends; these crates run on any executor. A variant's
//! primitive is named where the variant is declared, not here.

use crate::capacity::by_capacity;
use std::future::Future;

/// A channel crate's async MPSC (or MPMC) channel.
pub trait Channel: 'static {
    /// Sending half; cloned once per consumer before the clock starts.
    type Sender<T: Send + 'static>: Clone + Send + 'static;
    /// Receiving half.
    type Receiver<T: Send + 'static>: Send + 'static;
    /// A channel holding at most `capacity` messages (`None`: unbounded).
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>);
    /// Sends, waiting while full; false if the receiver is gone.
    fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send;
    /// Receives, waiting while empty; `None` once every sender is gone.
    fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> impl Future<Output = Option<T>> + Send;
}

/// `async_channel::{bounded, unbounded}` (also `async_std::channel` and
/// `smol::channel`): MPMC, `send(..).await` / `recv().await`.
pub struct AsyncChannel;
/// `flume::{bounded, unbounded}` through its async API: `send_async` / `recv_async`.
pub struct Flume;
/// `tokio::sync::mpsc::channel` (bounded only; a capacity is required).
pub struct TokioMpsc;
/// `tokio::sync::mpsc::unbounded_channel` (a capacity is ignored): `send`
/// never waits, so it is a plain call, as tokio documents it.
pub struct TokioUnbounded;

impl Channel for AsyncChannel {
    type Sender<T: Send + 'static> = async_channel::Sender<T>;
    type Receiver<T: Send + 'static> = async_channel::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, async_channel::bounded, async_channel::unbounded)
    }
    async fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await.ok()
    }
}

impl Channel for Flume {
    type Sender<T: Send + 'static> = flume::Sender<T>;
    type Receiver<T: Send + 'static> = flume::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, flume::bounded, flume::unbounded)
    }
    async fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send_async(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv_async().await.ok()
    }
}

impl Channel for TokioMpsc {
    type Sender<T: Send + 'static> = tokio::sync::mpsc::Sender<T>;
    type Receiver<T: Send + 'static> = tokio::sync::mpsc::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        // The variant lists pair this adapter with Bounded only.
        tokio::sync::mpsc::channel(capacity.expect("tokio-mpsc-bounded is listed only as bounded"))
    }
    async fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await
    }
}

impl Channel for TokioUnbounded {
    type Sender<T: Send + 'static> = tokio::sync::mpsc::UnboundedSender<T>;
    type Receiver<T: Send + 'static> = tokio::sync::mpsc::UnboundedReceiver<T>;
    fn channel<T: Send + 'static>(_capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        tokio::sync::mpsc::unbounded_channel()
    }
    fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send {
        std::future::ready(tx.send(value).is_ok())
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await
    }
}
