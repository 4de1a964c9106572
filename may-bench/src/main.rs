//! `may-bench`: the dispenser on may's stackful coroutines. Every consumer
//! and the producer is a coroutine on `--workers K` scheduler threads, run
//! by the same blocking-style loops as sync-bench's threads
//! (`dispenser_harness::threads` over [`runtime::May`]); the coordinator
//! (start line, finish line, joins, validation) is the sample's own OS
//! thread, outside the scheduler. Coroutine stacks are
//! [`runtime::STACK_WORDS`] words (16 KiB). Which primitives are safe inside
//! coroutines, and which are not, is in `variants`.

mod runtime;
mod variants;

use dispenser_core::cli;
use dispenser_core::runner::Runtime;
use runtime::May;
use std::process::ExitCode;

dispenser_core::workers_cli! {
    /// The dispenser on may's stackful coroutines: every consumer and the
    /// producer are coroutines on `--workers K` scheduler threads.
}

fn main() -> ExitCode {
    // Pins the process for `--cpus K` before may starts its workers (in
    // `May::new`), so they inherit the mask; may's own pinning is off.
    let cli: Cli = cli::parse_and_pin();
    let may = cli.workers.workers().and_then(|k| May::new(k).map_err(cli::UsageError::from));
    let runtime = may.map(|m| Runtime::new("may", m.executor(), m, variants::VARIANTS, &variants::FAULTS));
    cli::main_or_refuse(&cli.common, runtime)
}
