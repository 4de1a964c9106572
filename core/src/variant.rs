//! A variant: one way of dispensing, on one runtime.

use crate::{Sample, SampleError, Workload};
use serde::{Deserialize, Serialize};

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
    /// Runs one sample.
    pub run: RunFn<C>,
}

impl<C> Variant<C> {
    /// Checks that every name in a variant list is unique and non-empty.
    pub fn check_names(variants: &[Variant<C>]) -> Result<(), String> {
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
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Capacity {
    /// No bound on either channel.
    Unbounded,
    /// Requests hold `consumers` messages (each consumer has at most one in
    /// flight, so senders never wait for room); replies hold 1.
    Bounded,
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

    /// Capacity of the shared request channel: `None` is unbounded.
    pub fn requests(self, workload: &Workload) -> Option<usize> {
        match self {
            Capacity::Unbounded => None,
            Capacity::Bounded => Some(workload.consumers),
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
