//! Test-only adapters (feature `testing`): a channel that loses a reply, to
//! prove a lost message is reported as a hung sample, never waited on forever.

use super::Channel;
use std::any::TypeId;
use std::future::Future;
use std::marker::PhantomData;

/// Channel `C`, except that the first reply (a `u64`) sent through each
/// sender vanishes while `send` still reports success. Requests (`usize`)
/// pass through untouched, so the consumer waits for a reply that never
/// comes: the sample can only end by its deadline.
pub struct LosesFirstReply<C>(PhantomData<C>);

/// A sender of [`LosesFirstReply`].
pub struct LossySender<C: Channel, T: Send + 'static> {
    inner: C::Sender<T>,
    lost_one: bool,
}

impl<C: Channel, T: Send + 'static> Clone for LossySender<C, T> {
    fn clone(&self) -> Self {
        LossySender { inner: self.inner.clone(), lost_one: self.lost_one }
    }
}

impl<C: Channel> Channel for LosesFirstReply<C> {
    const BOUNDED: &'static str = "lossy (test only)";
    const UNBOUNDED: &'static str = "lossy (test only)";
    type Sender<T: Send + 'static> = LossySender<C, T>;
    type Receiver<T: Send + 'static> = C::Receiver<T>;
    fn channel<T: Send + 'static>(capacity: Option<usize>) -> (Self::Sender<T>, Self::Receiver<T>) {
        let (inner, rx) = C::channel(capacity);
        (LossySender { inner, lost_one: false }, rx)
    }
    fn send<T: Send + 'static>(tx: &mut Self::Sender<T>, value: T) -> impl Future<Output = bool> + Send {
        let lose = TypeId::of::<T>() == TypeId::of::<u64>() && !tx.lost_one;
        async move {
            if lose {
                tx.lost_one = true;
                drop(value);
                true
            } else {
                C::send(&mut tx.inner, value).await
            }
        }
    }
    fn recv<T: Send + 'static>(rx: &mut Self::Receiver<T>) -> impl Future<Output = Option<T>> + Send {
        C::recv(rx)
    }
}
