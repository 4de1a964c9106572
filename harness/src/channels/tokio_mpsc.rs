//! `tokio::sync::mpsc`: tasks only. It runs on any executor (it needs no
//! tokio reactor), so every async runtime lists it.

use crate::tasks::Channel;
use std::future::Future;

/// `tokio::sync::mpsc::channel` (bounded only; a capacity is required, and
/// 0 is taken as 1: it has no rendezvous).
pub struct TokioMpsc;
/// `tokio::sync::mpsc::unbounded_channel` (a capacity is ignored): `send`
/// never waits, so it is a plain call, as tokio documents it.
pub struct TokioUnbounded;

impl Channel for TokioMpsc {
    type Sender<T: Send + 'static> = tokio::sync::mpsc::Sender<T>;
    type Receiver<T: Send + 'static> = tokio::sync::mpsc::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        // The matrix pairs this adapter with Bounded only. No rendezvous:
        // channel(0) panics, so --capacity 0 gets 1, its minimum.
        tokio::sync::mpsc::channel(capacity.expect("tokio-mpsc-bounded is listed only as bounded").max(1))
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
