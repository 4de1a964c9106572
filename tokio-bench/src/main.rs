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

dispenser_core::common_args!(Cli);

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let tokio = workers(&cli).and_then(|k| Tokio::new(cli.flavor, k).map_err(UsageError::from));
    let runtime = tokio.map(|t| Runtime::new("tokio", t.executor(), t, variants::VARIANTS, &variants::FAULTS));
    cli::main_or_refuse(&cli.common, runtime)
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
