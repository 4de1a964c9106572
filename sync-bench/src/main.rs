//! `sync-bench`: the dispenser on OS threads, one thread per consumer.

mod variants;

use clap::Parser;
use dispenser_core::cli::{self, CommonArgs};
use dispenser_core::record::Executor;
use dispenser_core::runner::Runtime;
use dispenser_harness::threads::Threads;
use std::process::ExitCode;

/// The dispenser on OS threads: one thread per consumer (and one producer).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
}

dispenser_core::common_args!(Cli);

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let threads = Executor { flavor: "threads".into(), workers: None };
    cli::main(&cli.common, Runtime::new("sync", threads, Threads, variants::VARIANTS, &variants::FAULTS))
}
