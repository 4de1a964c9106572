//! `async-std-bench`: the dispenser on async-std's global executor, with
//! `--workers K` executor threads. async-std is discontinued upstream; it is
//! kept for comparison.

mod runtime;
mod variants;

use clap::Parser;
use dispenser_core::cli::{self, CommonArgs, WorkerArgs};
use dispenser_core::runner::Runtime;
use runtime::AsyncStd;
use std::process::ExitCode;
use std::sync::Arc;

/// The dispenser on async-std: every consumer and the producer are tasks on
/// its global executor. async-std is discontinued upstream; kept for comparison.
///
/// `--workers K` sets ASYNC_STD_THREAD_COUNT=K for this process (overriding any
/// value in the environment) before the global executor starts.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    workers: WorkerArgs,
}

impl AsRef<CommonArgs> for Cli {
    fn as_ref(&self) -> &CommonArgs {
        &self.common
    }
}

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let workers = match cli.workers.workers() {
        Ok(k) => k,
        Err(e) => return cli::usage_exit(e),
    };
    // SAFETY: first thing after parsing, while this is the only thread.
    let async_std = unsafe { AsyncStd::start(workers) };
    let runtime = Runtime {
        name: "async-std",
        executor: async_std.executor(),
        ctx: Arc::new(async_std),
        variants: variants::VARIANTS,
        faults: &variants::FAULTS,
    };
    cli::main(&cli.common, runtime)
}
