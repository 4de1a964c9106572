//! Every variant sync-bench runs, in `--list` order.

use crate::channel::{Crossbeam, Flume, Kanal, StdMpsc, StdSyncChannel};
use crate::loops::{counter, round_trip, single_thread};
use dispenser_core::variant::{BOUNDED, UNBOUNDED};
use dispenser_core::{Family, Variant};
use std::sync::atomic::AtomicU64;

/// A round-trip variant over channel `C`.
const fn channel<C: crate::channel::Channel, const B: bool>(
    name: &'static str,
    primitive: &'static str,
) -> Variant<()> {
    Variant {
        name,
        family: Family::Channel,
        primitive,
        run: round_trip::<C, B>,
    }
}

/// The list `--list` prints.
pub static VARIANTS: &[Variant<()>] = &[
    Variant {
        name: "single-thread",
        family: Family::Baseline,
        primitive: "Vec::push",
        run: single_thread,
    },
    Variant {
        name: "atomic",
        family: Family::Atomic,
        primitive: "AtomicU64::fetch_add",
        run: counter::<AtomicU64>,
    },
    Variant {
        name: "std-mutex",
        family: Family::Lock,
        primitive: "std::sync::Mutex",
        run: counter::<std::sync::Mutex<u64>>,
    },
    Variant {
        name: "parking_lot-mutex",
        family: Family::Lock,
        primitive: "parking_lot::Mutex",
        run: counter::<parking_lot::Mutex<u64>>,
    },
    channel::<StdMpsc, UNBOUNDED>("std-mpsc", "std::sync::mpsc::channel"),
    channel::<StdSyncChannel, BOUNDED>("std-mpsc-bounded", "std::sync::mpsc::sync_channel"),
    channel::<Crossbeam, UNBOUNDED>("crossbeam-unbounded", "crossbeam_channel::unbounded"),
    channel::<Crossbeam, BOUNDED>("crossbeam-bounded", "crossbeam_channel::bounded"),
    channel::<Flume, UNBOUNDED>("flume-unbounded", "flume::unbounded"),
    channel::<Flume, BOUNDED>("flume-bounded", "flume::bounded"),
    channel::<Kanal, UNBOUNDED>("kanal-unbounded", "kanal::unbounded"),
    channel::<Kanal, BOUNDED>("kanal-bounded", "kanal::bounded"),
];

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_unique() {
        dispenser_core::Variant::check_names(super::VARIANTS).unwrap();
    }
}
