//! `cargo xtask sweep`: how each way of dispensing scales. Chosen variants
//! run over a range of consumer counts at a fixed total of numbers, and the
//! async runtimes over a range of worker counts too. The plan is one group
//! of cells per worker count ([`plan::sweep`]); everything else is the
//! shared [`pipeline`](crate::pipeline), which also writes sweep.html and
//! one SVG chart per runtime: ns per number against consumers, log-log.

use crate::cli::SweepArgs;
use crate::pipeline::{self, Kind, Request};
use crate::plan;
use anyhow::Result;
use std::process::ExitCode;

/// Runs the task: exit 0 when every point is ok, 1 otherwise, 2 for bad
/// usage, 128 + signal when interrupted.
pub fn run(args: SweepArgs) -> Result<ExitCode> {
    let sweep = args.sweep()?;
    let request = Request {
        kind: Kind::Sweep {
            total: sweep.workloads.first().map_or(0, |w| w.total()),
            consumer_counts: sweep.workloads.len(),
            workers: sweep.workers.clone(),
            work: sweep.work.clone(),
            cpus: sweep.cpus.clone(),
            load: sweep.load.clone(),
            rate: sweep.rate.clone(),
            capacity: sweep.capacity.clone(),
        },
        runtimes: args.runtimes,
        settings: sweep.settings.clone(),
        out: args.run.out,
        seed: args.run.seed,
        dry_run: args.run.dry_run,
        wide: false,
    };
    pipeline::run(request, |listed, seed| plan::sweep(listed, &args.variants, &sweep, seed))
}
