//! Tokio's own primitives (and postage), adapted to the harness traits. The
//! executor-agnostic ones every runtime shares live in `dispenser_harness::tasks`.

use dispenser_harness::tasks::{Channel, Counter, Oneshot};
use postage::prelude::{Sink, Stream};

/// `tokio::sync::Mutex<u64>`: an async mutex, the guard taken with `.await`.
#[derive(Default)]
pub struct TokioMutex(tokio::sync::Mutex<u64>);

impl Counter for TokioMutex {
    async fn take(&self) -> u64 {
        let mut n = self.0.lock().await;
        let taken = *n;
        *n += 1;
        taken
    }
}

/// `std::sync::Mutex<u64>` from a task: locked and released between awaits
/// (never held across one), as tokio's docs recommend for short sections.
#[derive(Default)]
pub struct StdMutex(std::sync::Mutex<u64>);

impl Counter for StdMutex {
    async fn take(&self) -> u64 {
        // No await while the guard lives. A poisoned lock means a task
        // panicked, which its handle reports; the count is still consistent.
        let mut n = self.0.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let taken = *n;
        *n += 1;
        taken
    }
}

/// `postage::mpsc::channel`: always bounded (a lock-free array queue); sent
/// and received through postage's `Sink` / `Stream` traits.
pub struct Postage;

impl Channel for Postage {
    type Sender<T: Send + 'static> = postage::mpsc::Sender<T>;
    type Receiver<T: Send + 'static> = postage::mpsc::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        // No rendezvous (its queue cannot have 0 slots): --capacity 0 gets 1.
        postage::mpsc::channel(capacity.expect("postage-mpsc is listed only as bounded").max(1))
    }
    async fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> bool {
        tx.send(value).await.is_ok()
    }
    async fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> Option<T> {
        rx.recv().await
    }
}

/// `tokio::sync::oneshot`: the reply channel of tokio's actor idiom.
pub struct TokioOneshot;

impl Oneshot for TokioOneshot {
    type Sender<T: Send + 'static> = tokio::sync::oneshot::Sender<T>;
    type Receiver<T: Send + 'static> = tokio::sync::oneshot::Receiver<T>;
    fn oneshot<T: Send + 'static>() -> (Self::Sender<T>, Self::Receiver<T>) {
        tokio::sync::oneshot::channel()
    }
    fn send<T: Send + 'static>(tx: Self::Sender<T>, value: T) -> bool {
        tx.send(value).is_ok()
    }
    async fn recv<T: Send + 'static>(rx: Self::Receiver<T>) -> Option<T> {
        rx.await.ok()
    }
}
