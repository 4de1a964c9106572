//! Every variant async-std-bench runs, in `--list` order: the core matrix
//! that every async runtime shares, with async-std's mutex. There is no
//! `async-std-channel` variant: `async_std::channel` is async-channel.

use crate::runtime::AsyncStd;
use dispenser_core::{Family, Variant};
use dispenser_harness::async_variants;
use dispenser_harness::tasks::counter_variant;

/// The list `--list` prints.
pub static VARIANTS: &[Variant<AsyncStd>] = async_variants![AsyncStd;
    counter_variant::<AsyncStd, async_std::sync::Mutex<u64>>(
        "async-std-mutex",
        Family::Lock,
        "async_std::sync::Mutex (= async_lock::Mutex)",
    ),
];

/// The harness's faulty variants, listed only with `--faults`.
pub static FAULTS: [Variant<AsyncStd>; 2] = dispenser_harness::faults::tasks::<AsyncStd>();
