//! `async-channel` (also `async_std::channel` and `smol::channel`): tasks
//! only, MPMC, `send(..).await` / `recv().await`.

use super::by_capacity;
use crate::tasks::Channel;

/// `async_channel::{bounded, unbounded}`; a capacity of 0 is taken as 1
/// (it has no rendezvous).
pub struct AsyncChannel;

impl Channel for AsyncChannel {
    type Sender<T: Send + 'static> = async_channel::Sender<T>;
    type Receiver<T: Send + 'static> = async_channel::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        // No rendezvous: bounded(0) panics, so --capacity 0 gets 1, its minimum.
        by_capacity(capacity.map(|n| n.max(1)), async_channel::bounded, async_channel::unbounded)
    }
    async fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await.ok()
    }
}
