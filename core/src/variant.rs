//! A variant: one way of dispensing, on one runtime.

use crate::{Sample, SampleError, Workload};
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicUsize, Ordering};

/// The shape of dispenser a variant uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Family {
    /// One thread fills every list in turn: the floor.
    Baseline,
    /// Every consumer does `fetch_add` on a shared atomic.
    Atomic,
    /// Every consumer bumps a counter behind a lock.
    Lock,
    /// Request on a shared channel, reply on the consumer's own channel.
    Channel,
    /// The request carries a one-shot reply sender.
    Actor,
    /// Not known: a row for a runtime that could not even list its
    /// variants (or a family newer than this reader). Never ranked.
    #[serde(other)]
    Unknown,
}

impl Family {
    /// The lowercase name used in records and tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Family::Baseline => "baseline",
            Family::Atomic => "atomic",
            Family::Lock => "lock",
            Family::Channel => "channel",
            Family::Actor => "actor",
            Family::Unknown => "unknown",
        }
    }
}

/// What a sample records besides the numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only the dispense time: nothing extra runs per request.
    Throughput,
    /// Every request is timed into a latency histogram.
    Latency,
    /// Open loop (`--rate`): every request waits for its scheduled time and
    /// is timed from that time, not from when it was sent, so queueing shows.
    OpenLoop,
}

/// Runs one sample of a workload on a runtime context `C`.
pub type RunFn<C> = fn(&C, &Workload, Mode) -> Result<Sample, SampleError>;

/// One way of dispensing, as listed by `--list`.
pub struct Variant<C> {
    /// Name on the command line and in reports, unique within a runtime.
    pub name: &'static str,
    /// Its family.
    pub family: Family,
    /// The primitive it exercises, as a Rust path (e.g. `flume::bounded`).
    pub primitive: &'static str,
    /// Channel capacities of a round-trip or actor variant; `None` for the
    /// families without channels.
    pub capacity: Option<Capacity>,
    /// Runs one sample.
    pub run: RunFn<C>,
}

impl<C> Variant<C> {
    /// What `--list --format json` prints for this variant.
    pub fn listing(&self) -> Listing {
        Listing {
            name: self.name.to_string(),
            family: self.family,
            primitive: self.primitive.to_string(),
            capacity: self.capacity,
        }
    }
}

/// One line of `--list --format json`: a variant as xtask plans it. The
/// same type serializes in the binaries and deserializes in xtask.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Listing {
    /// Name for `--variant`.
    pub name: String,
    /// Its family.
    pub family: Family,
    /// The primitive it exercises.
    pub primitive: String,
    /// `bounded` or `unbounded` channels; `null` for families without channels.
    pub capacity: Option<Capacity>,
}

impl<C> Variant<C> {
    /// Checks that every name in a variant list is unique and non-empty.
    pub fn check_names<'a>(variants: impl IntoIterator<Item = &'a Variant<C>>) -> Result<(), String>
    where
        C: 'a,
    {
        let mut seen = std::collections::HashSet::new();
        for v in variants {
            if v.name.is_empty() || v.name.contains(char::is_whitespace) {
                return Err(format!("bad variant name {:?}", v.name));
            }
            if !seen.insert(v.name) {
                return Err(format!("variant {} is listed twice", v.name));
            }
        }
        Ok(())
    }
}

/// Channel capacities of a round-trip or actor variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Capacity {
    /// No bound on either channel.
    Unbounded,
    /// Requests hold `consumers` messages (each consumer has at most one in
    /// flight, so senders never wait for room); replies hold 1.
    Bounded,
}

/// [`REQUEST_CAPACITY`] when `--capacity` was not given: N, one per consumer.
const DEFAULT_CAPACITY: usize = usize::MAX;
/// The request capacity every bounded variant of this process uses. A
/// process-wide setting rather than an argument of [`RunFn`]: one process
/// runs one configuration, and every variant list stays `fn` pointers.
static REQUEST_CAPACITY: AtomicUsize = AtomicUsize::new(DEFAULT_CAPACITY);

/// Sets the request channel capacity of every bounded variant in this
/// process (`--capacity`); `None` restores the default, N.
pub fn set_request_capacity(capacity: Option<usize>) {
    REQUEST_CAPACITY.store(capacity.unwrap_or(DEFAULT_CAPACITY), Ordering::Relaxed);
}

/// `const BOUNDED: bool` argument for a bounded variant (see [`Capacity::new`]).
pub const BOUNDED: bool = true;
/// `const BOUNDED: bool` argument for an unbounded variant.
pub const UNBOUNDED: bool = false;

impl Capacity {
    /// [`Capacity::Bounded`] if `bounded`, else [`Capacity::Unbounded`]; lets
    /// a variant list pick the capacity with a const generic.
    pub const fn new(bounded: bool) -> Self {
        if bounded { Capacity::Bounded } else { Capacity::Unbounded }
    }

    /// Capacity of the shared request channel: `None` is unbounded; bounded,
    /// the process's `--capacity` (see [`set_request_capacity`]), else N.
    pub fn requests(self, workload: &Workload) -> Option<usize> {
        match self {
            Capacity::Unbounded => None,
            Capacity::Bounded => Some(match REQUEST_CAPACITY.load(Ordering::Relaxed) {
                DEFAULT_CAPACITY => workload.consumers,
                c => c,
            }),
        }
    }

    /// Capacity of each reply channel: `None` is unbounded.
    pub fn replies(self) -> Option<usize> {
        match self {
            Capacity::Unbounded => None,
            Capacity::Bounded => Some(1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_is_one_json_object_with_its_capacity() {
        let v: Variant<()> = Variant {
            name: "flume-bounded",
            family: Family::Channel,
            primitive: "flume::bounded",
            capacity: Some(Capacity::Bounded),
            run: |_, _, _| Err(SampleError::Closed("never run")),
        };
        let line = serde_json::to_string(&v.listing()).unwrap();
        assert_eq!(
            line,
            r#"{"name":"flume-bounded","family":"channel","primitive":"flume::bounded","capacity":"bounded"}"#
        );
        assert_eq!(serde_json::from_str::<Listing>(&line).unwrap(), v.listing());
        let atomic = Listing { capacity: None, ..v.listing() };
        assert!(serde_json::to_string(&atomic).unwrap().ends_with(r#""capacity":null}"#));
    }
}
