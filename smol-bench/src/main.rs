//! `smol-bench`: the dispenser on smol's executor, an
//! `async_executor::Executor` driven by `--workers K` threads.

mod runtime;
mod variants;

use clap::Parser;
use dispenser_core::cli::{self, CommonArgs, UsageError, WorkerArgs};
use dispenser_core::runner::Runtime;
use runtime::Smol;
use std::process::ExitCode;
use std::sync::Arc;

/// The dispenser on smol: every consumer and the producer are tasks on one
/// `async_executor::Executor` (smol's executor).
///
/// `--workers K` runs it on K threads: the thread that blocks on each
/// sample's coordinator plus K - 1 more (K = 1: single-threaded).
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
    let smol = match cli.workers.workers().and_then(|k| Smol::new(k).map_err(UsageError::from)) {
        Ok(smol) => smol,
        Err(e) => return cli::usage_exit(e),
    };
    let runtime = Runtime {
        name: "smol",
        executor: smol.executor(),
        ctx: Arc::new(smol),
        variants: variants::VARIANTS,
        faults: &variants::FAULTS,
    };
    cli::main(&cli.common, runtime)
}
