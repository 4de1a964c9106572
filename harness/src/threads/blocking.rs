//! Where the blocking-style loops run: one OS thread per participant
//! ([`Threads`]), or anything else that spawns, joins, parks and unparks a
//! participant the way a thread does, such as stackful coroutines
//! (may-bench implements [`Blocking`] for may's coroutines).
//!
//! The loops and the start and finish lines park participants only through
//! this trait, never with `std::thread::park`, so the same `counter`,
//! `round_trip` and `actor` run on a coroutine scheduler whose workers are
//! fewer than the participants: a participant waiting at a line parks itself
//! (a coroutine yields its worker), not the thread it happens to run on. The
//! coordinator is always an OS thread (the sample's own), outside them.

use dispenser_core::SampleError;

/// How participants (the consumers and the producer) are spawned, joined,
/// parked and unparked. The implementing type is the variants' context.
pub trait Blocking: Send + Sync + 'static {
    /// Whether a participant may block on a start line's gate word itself
    /// (a futex wait), so the coordinator opens the line with one store and
    /// one wake-all instead of one unpark per participant in a fixed order.
    /// Only OS threads may: a coroutine blocking on the word would block its
    /// worker, so the default parks through [`Blocking::park`].
    const WAITS_ON_WORD: bool = false;
    /// Wakes one parked participant (`std::thread::Thread` for threads).
    type Unparker: Send + Sync + std::fmt::Debug + 'static;
    /// A spawned participant, to join.
    type Handle<T: Send + 'static>;

    /// Runs `f` as a new participant.
    fn spawn<T: Send + 'static>(
        &self,
        name: Option<&'static str>,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Self::Handle<T>, SampleError>;
    /// Waits for a participant to end; its panic becomes
    /// [`SampleError::Panicked`]. Called from the coordinator thread.
    fn join<T: Send + 'static>(handle: Self::Handle<T>) -> Result<T, SampleError>;
    /// The calling participant's unparker.
    fn current() -> Self::Unparker;
    /// Parks the calling participant until it is unparked; an unpark that
    /// came first makes it return at once, and it may wake spuriously.
    fn park();
    /// Unparks the participant `unparker` belongs to; callable from any
    /// participant or thread.
    fn unpark(unparker: &Self::Unparker);
    /// Places the calling participant at `slot` (see
    /// `dispenser_core::placement`; 0 is the producer's, consumer `i`'s is
    /// `i + 1`), called as it starts, before its start line. An OS thread
    /// pins itself there with `--pin`; a coroutine does nothing (it moves
    /// between its scheduler's workers, which the runner places).
    fn place(slot: usize) -> Result<(), SampleError> {
        let _ = slot;
        Ok(())
    }
    /// Waits until `due` (an open-loop request's scheduled time) without
    /// holding up other participants: a thread sleeps then spins; a
    /// coroutine must yield its worker instead.
    fn wait_until(due: std::time::Instant) {
        dispenser_core::latency::wait_until(due);
    }
}

/// One OS thread per participant: the context of sync-bench's variants.
#[derive(Debug, Default, Clone, Copy)]
pub struct Threads;

impl Blocking for Threads {
    const WAITS_ON_WORD: bool = true;
    type Unparker = std::thread::Thread;
    type Handle<T: Send + 'static> = std::thread::JoinHandle<T>;

    fn spawn<T: Send + 'static>(
        &self,
        name: Option<&'static str>,
        f: impl FnOnce() -> T + Send + 'static,
    ) -> Result<Self::Handle<T>, SampleError> {
        let builder = std::thread::Builder::new();
        let builder = match name {
            Some(name) => builder.name(name.into()),
            None => builder,
        };
        builder.spawn(f).map_err(|e| SampleError::Spawn(e.to_string()))
    }

    fn join<T: Send + 'static>(handle: Self::Handle<T>) -> Result<T, SampleError> {
        handle.join().map_err(|p| SampleError::Panicked(dispenser_core::runner::panic_message(&*p)))
    }

    fn current() -> Self::Unparker {
        std::thread::current()
    }

    fn park() {
        std::thread::park();
    }

    fn unpark(unparker: &Self::Unparker) {
        unparker.unpark();
    }

    fn place(slot: usize) -> Result<(), SampleError> {
        dispenser_core::placement::pin_this_thread(slot).map_err(|e| SampleError::Placement(e.to_string()))
    }
}
