//! `async-std-bench`: the dispenser on async-std's global executor, with
//! `--workers K` executor threads. async-std is discontinued upstream; it is
//! kept for comparison.

mod runtime;
mod variants;

use dispenser_core::cli;
use dispenser_core::runner::Runtime;
use runtime::AsyncStd;
use std::process::ExitCode;

dispenser_core::workers_cli! {
    /// The dispenser on async-std: every consumer and the producer are tasks on
    /// its global executor. async-std is discontinued upstream; kept for comparison.
    ///
    /// `--workers K` sets ASYNC_STD_THREAD_COUNT=K for this process (overriding any
    /// value in the environment) before the global executor starts.
}

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let runtime = cli.workers.workers().map(|k| {
        // SAFETY: first thing after parsing, while this is the only thread.
        let async_std = unsafe { AsyncStd::start(k) };
        Runtime::new("async-std", async_std.executor(), async_std, variants::VARIANTS, &variants::FAULTS)
    });
    cli::main_or_refuse(&cli.common, runtime)
}
