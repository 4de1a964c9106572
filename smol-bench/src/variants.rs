//! Every variant smol-bench runs, in `--list` order: the core matrix that
//! every async runtime shares, with async-lock's mutex (smol's own).

use crate::runtime::Smol;
use dispenser_core::{Family, Variant};
use dispenser_harness::async_variants;
use dispenser_harness::tasks::counter_variant;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<Smol>] = async_variants![Smol;
    counter_variant::<Smol, async_lock::Mutex<u64>>("async-lock-mutex", Family::Lock, "async_lock::Mutex"),
];

/// The harness's faulty variants, listed only with `--faults`.
pub static FAULTS: [Variant<Smol>; 2] = dispenser_harness::faults::tasks::<Smol>();
