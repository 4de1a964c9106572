//! `flume`: one adapter for both sides, its blocking API on threads
//! (`send` / `recv`) and its async API on tasks (`send_async` / `recv_async`).

use super::by_capacity;
use crate::{tasks, threads};

/// `flume::{unbounded, bounded}`.
pub struct Flume;

impl threads::Channel for Flume {
    type Sender<T: Send + 'static> = ::flume::Sender<T>;
    type Receiver<T: Send + 'static> = ::flume::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, ::flume::bounded, ::flume::unbounded)
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

impl tasks::Channel for Flume {
    type Sender<T: Send + 'static> = ::flume::Sender<T>;
    type Receiver<T: Send + 'static> = ::flume::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        by_capacity(capacity, ::flume::bounded, ::flume::unbounded)
    }
    async fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send_async(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv_async().await.ok()
    }
}
