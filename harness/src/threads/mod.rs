//! The OS-thread side of the suite: one thread per consumer, plus one
//! producer thread for the round trip.
//!
//! - [`counter`]: every consumer thread takes the next number from a shared
//!   [`Counter`] (an atomic or a lock);
//! - [`round_trip`]: consumer `i` sends `i` on a shared request [`Channel`]
//!   and waits for its number on its own reply channel; a producer thread
//!   owns the counter;
//! - [`single_thread`]: the baseline, one thread filling every list.
//!
//! Every thread parks at the [`StartLine`] once it has reserved its list;
//! the coordinator opens the line when all are parked, and consumers wait at
//! the [`FinishLine`] for the last one before they exit. The blocking
//! channel crates (std, crossbeam, flume, kanal) are adapted here.

mod channel;
mod counter;
mod loops;
mod start_line;

pub use channel::{Channel, Crossbeam, Flume, Kanal, StdMpsc, StdSyncChannel};
pub use counter::Counter;
pub use loops::{baseline_variant, channel_variant, counter, counter_variant, round_trip, single_thread};
pub use start_line::{FinishLine, Pass, StartLine};
