//! `sync-bench`: the dispenser on OS threads, one thread per consumer.

mod variants;

use clap::Parser;
use dispenser_core::cli::{self, CommonArgs};
use dispenser_core::record::Executor;
use dispenser_core::runner::Runtime;
use std::process::ExitCode;
use std::sync::Arc;

/// The dispenser on OS threads: one thread per consumer (and one producer).
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    #[command(flatten)]
    common: CommonArgs,
}

impl AsRef<CommonArgs> for Cli {
    fn as_ref(&self) -> &CommonArgs {
        &self.common
    }
}

fn main() -> ExitCode {
    let cli: Cli = cli::parse_and_pin();
    let runtime = Runtime {
        name: "sync",
        executor: Executor { flavor: "threads".into(), workers: None },
        ctx: Arc::new(()),
        variants: variants::VARIANTS,
        faults: &variants::FAULTS,
    };
    cli::main(&cli.common, runtime)
}
