//! `crossfire` 3: both sides, through its `mpsc` module (the round trip has
//! many senders and one receiver, the producer). Its channels are generic
//! over a queue flavor (`List` unbounded, `Array` bounded), so the unbounded
//! and bounded forms are two adapters, each with a blocking side (threads:
//! `*_blocking`, `send` / `recv`) and an async side (tasks: `*_async`,
//! `send(..).await` / `recv().await`).
//!
//! crossfire has no rendezvous: its docs say a bounded size of 0 is taken
//! as 1, which is what `--capacity 0` gets.

use crate::{tasks, threads};
use ::crossfire::mpsc::{self, Array, List};
use ::crossfire::{AsyncRx, MAsyncTx, MTx, Rx};
use std::future::Future;

/// `crossfire::mpsc::unbounded_{blocking,async}`.
pub struct CrossfireUnbounded;
/// `crossfire::mpsc::bounded_{blocking,async}` (a capacity is required).
pub struct CrossfireBounded;

/// The capacity of a bounded variant; the matrix pairs [`CrossfireBounded`]
/// with bounded variants only.
fn bound(capacity: Option<usize>) -> usize {
    capacity.expect("crossfire-bounded is listed only as bounded")
}

impl threads::Channel for CrossfireUnbounded {
    type Sender<T: Send + 'static> = MTx<List<T>>;
    type Receiver<T: Send + 'static> = Rx<List<T>>;
    fn channel<T: Send + 'static>(_capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        mpsc::unbounded_blocking()
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

impl threads::Channel for CrossfireBounded {
    type Sender<T: Send + 'static> = MTx<Array<T>>;
    type Receiver<T: Send + 'static> = Rx<Array<T>>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        mpsc::bounded_blocking(bound(capacity))
    }
    fn send<T: Send + 'static>(tx: &Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    fn recv<T: Send + 'static>(rx: &Self::Receiver<T>) -> Option<T> {
        rx.recv().ok()
    }
}

impl tasks::Channel for CrossfireUnbounded {
    // `unbounded_async` pairs a blocking sender with the async receiver: an
    // unbounded send never waits, so it is a plain call, not a future.
    type Sender<T: Send + 'static> = MTx<List<T>>;
    type Receiver<T: Send + 'static> = AsyncRx<List<T>>;
    fn channel<T: Send + 'static>(_capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        mpsc::unbounded_async()
    }
    fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send {
        std::future::ready(tx.send(value).is_ok())
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await.ok()
    }
}

impl tasks::Channel for CrossfireBounded {
    type Sender<T: Send + 'static> = MAsyncTx<Array<T>>;
    type Receiver<T: Send + 'static> = AsyncRx<Array<T>>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        mpsc::bounded_async(bound(capacity))
    }
    async fn send<T: Send + Unpin + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await.ok()
    }
}
