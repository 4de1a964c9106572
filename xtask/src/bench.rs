//! `cargo xtask bench`: every variant of every runtime on the reference
//! workloads (or `--workload`s), each cell in its own process in a seeded
//! shuffled order. The plan is one group of cells; everything else is the
//! shared [`pipeline`](crate::pipeline).

use crate::cli::BenchArgs;
use crate::pipeline::{self, Kind, Request};
use crate::plan;
use anyhow::Result;
use std::process::ExitCode;

/// Runs the task. Exit status: 0 when every cell is ok, 1 otherwise, 2 for
/// bad usage (returned as a usage error), 128 + signal when interrupted.
pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let settings = args.settings()?;
    let (workloads, knobs, processes) =
        (settings.workloads.clone(), plan::Knobs::of(&settings), settings.processes as u32);
    let request = Request {
        kind: Kind::Bench,
        runtimes: args.runtimes,
        settings,
        out: args.run.out,
        seed: args.run.seed,
        dry_run: args.run.dry_run,
        wide: args.wide,
    };
    pipeline::run(request, |listed, seed| plan::bench(listed, &args.variants, &workloads, knobs, processes, seed))
}
