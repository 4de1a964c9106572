//! `tokio-bench`: the dispenser on tokio tasks, on a multi-thread runtime
//! with `--workers K` workers or on a current-thread runtime.

mod adapters;
mod runtime;
mod variants;

use clap::Parser;
use dispenser_core::cli::{self, CommonArgs, UsageError, WorkerArgs};
use dispenser_core::runner::Runtime;
use runtime::{Flavor, Tokio};
use std::process::ExitCode;
use std::sync::Arc;

/// The dispenser on tokio: every consumer and the producer are spawned tasks.
///
/// `--flavor current-thread` runs everything on one thread: it implies
/// `--workers 1`, and any other worker count is refused.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
    #[command(flatten)]
    workers: WorkerArgs,
    /// Tokio scheduler: a work-stealing pool of K workers, or one thread.
    #[arg(long, value_enum, default_value_t = Flavor::MultiThread)]
    flavor: Flavor,
}

impl AsRef<CommonArgs> for Cli {
    fn as_ref(&self) -> &CommonArgs {
        &self.common
    }
}

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let tokio = match workers(&cli).and_then(|k| Tokio::new(cli.flavor, k).map_err(UsageError::from)) {
        Ok(tokio) => tokio,
        Err(e) => return cli::usage_exit(e),
    };
    let runtime = Runtime {
        name: "tokio",
        executor: tokio.executor(),
        ctx: Arc::new(tokio),
        variants: variants::VARIANTS,
        faults: &variants::FAULTS,
    };
    cli::main(&cli.common, runtime)
}

/// The worker count for the chosen flavor.
fn workers(cli: &Cli) -> Result<usize, UsageError> {
    match (cli.flavor, cli.workers.workers) {
        (Flavor::CurrentThread, None | Some(1)) => Ok(1),
        (Flavor::CurrentThread, Some(k)) => Err(UsageError(format!(
            "--flavor current-thread runs on exactly 1 worker; drop --workers or pass --workers 1 (got {k})"
        ))),
        (Flavor::MultiThread, _) => cli.workers.workers(),
    }
}
