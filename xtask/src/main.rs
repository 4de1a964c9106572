//! `cargo xtask`: the suite's front door. `bench` builds, runs and collates
//! every runtime; `compare` sets two runs side by side; `report` renders a
//! results file again; `sweep` runs variants over consumer and worker
//! counts. `main` only dispatches; each task lives in its module.
//!
//! bench and sweep are two plans over one pipeline ([`pipeline`]): `cli` →
//! `discover` → `build` → `list` → `plan` → `run` → `collate` → `render`,
//! each step a module the data passes once; `tests/tidy.rs` keeps the
//! top-level modules free of import cycles.

mod axis;
mod bench;
mod build;
mod cells;
mod cli;
mod collate;
mod compare;
mod crossover;
mod crossover_grid;
mod discover;
mod error;
mod findings;
mod frontier;
mod interrupt;
mod knee;
mod list;
mod machine;
mod noise;
mod outcome;
mod pipeline;
mod plan;
mod process;
mod render;
mod report;
mod results;
mod run;
mod rundir;
mod sweep;
mod units;

use cli::Task;
use std::process::ExitCode;

fn main() -> ExitCode {
    let Some(task) = cli::parse() else {
        cli::print_tasks();
        return ExitCode::SUCCESS;
    };
    let outcome = match task {
        Task::Bench(args) => bench::run(args),
        Task::Compare(args) => compare::run(args),
        Task::Report(args) => report::run(args),
        Task::Sweep(args) => sweep::run(args),
        Task::Noise(args) => noise::run(args),
    };
    match outcome {
        Ok(code) => code,
        // A mistake of the user's: one line and status 2, as the runtime binaries do.
        Err(e) if error::is_usage(&e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::FAILURE
        }
    }
}
