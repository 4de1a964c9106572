//! What a dispenser-bench runtime crate runs: OS threads ([`threads`]) and
//! async tasks ([`tasks`]) side by side, with one vocabulary.
//!
//! Both sides have a `StartLine` (participants park until the coordinator
//! opens it; it can be called off), a `FinishLine` (each consumer holds a
//! `Pass` and crosses when it drops it; the last one stamps the end of the
//! dispense clock), a `Counter` and a `Channel` trait (a `Oneshot` too on
//! the task side), and the same loops: `counter`, `round_trip` and, for
//! tasks, `actor`, each with a `*_variant` constructor. A variant's primitive
//! is always the string given where the variant is declared. [`faults`]
//! holds the variants that break on purpose, for the contract test.
//!
//! The records, statistics and command line live in `dispenser-core`,
//! which needs no async runtime.

/// Runs `$f::<.., P>` with the latency probe that `mode` asks for.
macro_rules! with_probe {
    ($mode:expr, $f:ident $(:: <$($t:ty),*>)? ($($arg:expr),*)) => {
        match $mode {
            ::dispenser_core::Mode::Throughput => $f::<$($($t,)*)? ::dispenser_core::NoProbe>($($arg),*),
            ::dispenser_core::Mode::Latency => $f::<$($($t,)*)? ::dispenser_core::Latency>($($arg),*),
            ::dispenser_core::Mode::OpenLoop => $f::<$($($t,)*)? ::dispenser_core::Scheduled>($($arg),*),
        }
    };
}

pub mod channels;
pub mod faults;
mod lines;
pub mod tasks;
pub mod threads;
