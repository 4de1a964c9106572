//! `smol-bench`: the dispenser on smol's executor, an
//! `async_executor::Executor` driven by `--workers K` threads.

mod runtime;
mod variants;

use dispenser_core::cli::{self, UsageError};
use dispenser_core::runner::Runtime;
use runtime::Smol;
use std::process::ExitCode;

dispenser_core::workers_cli! {
    /// The dispenser on smol: every consumer and the producer are tasks on one
    /// `async_executor::Executor` (smol's executor).
    ///
    /// `--workers K` runs it on K threads: the thread that blocks on each
    /// sample's coordinator plus K - 1 more (K = 1: single-threaded).
}

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let smol = cli.workers.workers().and_then(|k| Smol::new(k).map_err(UsageError::from));
    let runtime = smol.map(|s| Runtime::new("smol", s.executor(), s, variants::VARIANTS, &variants::FAULTS));
    cli::main_or_refuse(&cli.common, runtime)
}
