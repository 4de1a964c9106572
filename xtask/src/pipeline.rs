//! The one pipeline bench and sweep run through, each step visited once:
//! checked settings (from [`crate::cli`]) → claim the run folder → discover
//! → build → list → plan (the task's own) → run → collate and render into
//! the run folder. The two tasks differ only in their plan and their words.

use crate::build;
use crate::discover;
use crate::interrupt;
use crate::list;
use crate::machine::Machine;
use crate::plan::{Group, Listed};
use crate::render;
use crate::results::{BenchSettings, Results, RunInfo};
use crate::run::{self, RunEnd};
use crate::rundir::{self, RunDir};
use anyhow::Result;
use chrono::{SecondsFormat, Utc};
use dispenser_core::Status;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

/// Which task runs the pipeline, and what it says about itself.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `cargo xtask bench`: every variant on the reference workloads.
    Bench,
    /// `cargo xtask sweep`: chosen variants over consumer (and worker,
    /// work and CPU) counts.
    Sweep {
        /// Numbers per sample at every point.
        total: u64,
        /// Consumer counts.
        consumer_counts: usize,
        /// Worker counts for the runtimes that take them.
        workers: Vec<u64>,
        /// Work per number, ns.
        work: Vec<u64>,
        /// CPU counts to pin to (`[None]`: not pinned).
        cpus: Vec<Option<u64>>,
        /// Busy threads of background load.
        load: Vec<u64>,
        /// Offered rates (`[None]`: closed loop).
        rate: Vec<Option<u64>>,
        /// Request channel capacities (`[None]`: the default, N).
        capacity: Vec<Option<u64>>,
    },
}

impl Kind {
    /// What the units of the plan are called in messages.
    fn unit(&self) -> &'static str {
        match self {
            Kind::Bench => "cells",
            Kind::Sweep { .. } => "points",
        }
    }

    /// What one unit of the plan is called.
    fn one_unit(&self) -> &'static str {
        match self {
            Kind::Bench => "cell",
            Kind::Sweep { .. } => "point",
        }
    }

    /// The folder under `target/` that holds this task's run folders.
    fn base(&self, target_dir: PathBuf) -> PathBuf {
        match self {
            Kind::Bench => target_dir.join("dispenser-bench"),
            Kind::Sweep { .. } => target_dir.join("dispenser-bench").join("sweep"),
        }
    }
}

/// Everything the pipeline needs from a task's command line, checked.
#[derive(Debug, Clone)]
pub struct Request {
    /// The task.
    pub kind: Kind,
    /// `--runtime` names.
    pub runtimes: Vec<String>,
    /// What every cell runs with (a sweep group overrides `workers`).
    pub settings: BenchSettings,
    /// `--out`.
    pub out: Option<PathBuf>,
    /// `--seed`.
    pub seed: Option<u64>,
    /// `--dry-run`.
    pub dry_run: bool,
    /// `--wide`: the terminal table keeps every column.
    pub wide: bool,
}

/// Runs the pipeline with the task's `plan`. Exit status: 0 when every cell
/// is ok, 1 otherwise (or when the journal could not be written), 2 for bad
/// usage (returned as a usage error), 128 + signal when interrupted.
pub fn run(req: Request, plan: impl FnOnce(&Listed, u64) -> Result<Vec<Group>>) -> Result<ExitCode> {
    let unit = req.kind.unit();
    // A bad or busy --out is refused before anything is built or printed.
    let claimed = match (&req.out, req.dry_run) {
        (Some(out), false) => Some(RunDir::claim(out)?),
        _ => None,
    };
    let root = discover::project_root();
    let cargo = build::cargo();
    let metadata = discover::load_metadata(&cargo, &root)?;
    let runtimes = discover::discover(&metadata)?;
    let chosen = crate::plan::select_runtimes(&runtimes, &req.runtimes)?;
    if chosen.is_empty() {
        anyhow::bail!("no runtime crate found: none carries [package.metadata.{}] runtime = true", discover::MARKER);
    }
    if req.kind == Kind::Bench {
        for r in chosen.iter().filter(|r| req.settings.workers.is_some() && r.workers == discover::Workers::No) {
            eprintln!("note: --workers does not apply to {} (its crate does not declare `workers`)", r.name);
        }
    }
    interrupt::install();
    let built = build::build(&cargo, &root, &chosen)?;
    let seed = req.seed.unwrap_or_else(rand::random);
    let (listed, unlisted) = list::list_targets(&chosen, &built, &req.settings);
    list::check_bench_args(&listed, &req.settings)?;
    if interrupt::requested() {
        eprintln!("interrupted before any {} ran", req.kind.one_unit());
        return Ok(ExitCode::from(interrupt::exit_status()));
    }
    let groups = plan(&listed, seed)?;
    let planned: usize = groups.iter().map(|g| g.cells.len()).sum();
    let processes = (req.settings.processes as usize).max(1);
    let plan_line = if processes > 1 {
        format!(
            "{} {unit} x {processes} processes = {planned} runs in {processes} shuffled rounds",
            planned / processes
        )
    } else {
        format!("{planned} {unit}")
    };
    // Records are one per process: with several, the messages below count runs.
    let runs = if processes > 1 { "runs" } else { unit };
    if req.dry_run {
        println!("# {plan_line}, --seed {seed}");
        for g in &groups {
            let knobs = match &req.kind {
                Kind::Sweep { .. } => g.knobs.flags(),
                Kind::Bench => String::new(),
            };
            for cell in &g.cells {
                println!("{cell}{knobs}");
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    let base = req.kind.base(metadata.target_directory.as_std_path().to_path_buf());
    let started = Utc::now();
    let dir = match claimed {
        Some(dir) => dir,
        None => RunDir::create_new(&base, started)?,
    };
    let machine = Machine::capture(&root, &discover::measured_crates(&metadata, &chosen));
    match &req.kind {
        Kind::Bench => eprintln!(
            "dispenser-bench: {plan_line} ({} runtime{}), order --seed {seed}, results in {}",
            listed.len(),
            if listed.len() == 1 { "" } else { "s" },
            dir.path().display()
        ),
        Kind::Sweep { total, consumer_counts, workers, work, cpus, load, rate, capacity } => {
            let mut axes = format!("{consumer_counts} consumer counts x {total} total");
            // Worker counts are an axis only for runtimes that take them.
            if listed.iter().any(|(t, _)| t.takes_workers()) {
                axes.push_str(&format!(", workers {workers:?}"));
            }
            if work.iter().any(|ns| *ns > 0) {
                axes.push_str(&format!(", work {work:?} ns (fewer numbers where the work is long)"));
            }
            if cpus.iter().any(Option::is_some) {
                let cpus: Vec<u64> = cpus.iter().flatten().copied().collect();
                axes.push_str(&format!(", pinned to {cpus:?} CPUs"));
            }
            if load.iter().any(|k| *k > 0) {
                axes.push_str(&format!(", load {load:?} busy threads"));
            }
            if rate.iter().any(Option::is_some) {
                let rate: Vec<u64> = rate.iter().flatten().copied().collect();
                axes.push_str(&format!(", open loop at {rate:?} numbers/s"));
            }
            if capacity.iter().any(Option::is_some) {
                let n = if capacity.contains(&None) { " and N" } else { "" };
                let capacity: Vec<u64> = capacity.iter().flatten().copied().collect();
                axes.push_str(&format!(", bounded variants at capacity {capacity:?}{n}"));
            }
            if req.settings.pin {
                axes.push_str(", threads placed on CPUs round robin (--pin)");
            }
            eprintln!(
                "dispenser-bench sweep: {planned} points ({axes}), order --seed {seed}, results in {}",
                dir.path().display()
            )
        }
    }
    let mut journal = dir.journal()?;
    let mut records = Vec::new();
    let mut write_error = None;
    for r in unlisted {
        if write_error.is_none() {
            write_error = journal.append(&r).err();
        }
        records.push(r);
    }
    let clock = Instant::now();
    let mut interrupted = false;
    for g in &groups {
        if write_error.is_some() {
            break;
        }
        let settings = g.knobs.apply(&req.settings);
        if let Kind::Sweep { .. } = req.kind {
            let mut what = match g.knobs.workers {
                Some(k) => format!("{k} worker{}", if k == 1 { "" } else { "s" }),
                None => "one OS thread per consumer".into(),
            };
            if g.knobs.work_ns > 0 {
                what.push_str(&format!(", {} ns of work per number", g.knobs.work_ns));
            }
            if let Some(k) = g.knobs.cpus {
                what.push_str(&format!(", pinned to {k} CPU{}", if k == 1 { "" } else { "s" }));
            }
            if let Some(r) = g.knobs.rate {
                what.push_str(&format!(", open loop at {r} numbers/s"));
            }
            if let Some(c) = g.knobs.capacity {
                what.push_str(&format!(", request capacity {c}"));
            }
            if g.knobs.load > 0 {
                what.push_str(&format!(
                    ", {} busy thread{} of load",
                    g.knobs.load,
                    if g.knobs.load == 1 { "" } else { "s" }
                ));
            }
            eprintln!("-- {what}: {} points", g.cells.len());
        }
        let end = run::run_all(&g.cells, &settings, &interrupt::STOP, |record| {
            let appended = journal.append(&record);
            records.push(record);
            appended
        });
        match end {
            Ok(RunEnd::Complete) => {}
            Ok(RunEnd::Interrupted) => {
                interrupted = true;
                break;
            }
            Err(e) => write_error = Some(e),
        }
    }
    let info = RunInfo {
        started_utc: Some(started.to_rfc3339_opts(SecondsFormat::Secs, true)),
        finished_utc: Some(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)),
        elapsed_s: Some(clock.elapsed().as_secs_f64()),
        seed: Some(seed),
        command: std::env::args().collect(),
        settings: Some(req.settings.clone()),
        cells: Some(planned),
        interrupted: interrupted || write_error.is_some(),
    };
    let results = Results::new(info, Some(machine), records);
    // The tables of what finished are printed even when the disk is full.
    let written = rundir::write_outputs(dir.path(), &results, true);
    let terminal: &dyn render::Exporter = match &req.kind {
        Kind::Bench => &render::terminal::Terminal { wide: req.wide },
        Kind::Sweep { .. } => &render::sweep_html::SweepTerminal,
    };
    render::print(terminal, &results)?;
    if let Err(e) = written {
        let first = write_error.map(|w| format!("{w:#}; ")).unwrap_or_default();
        return Err(e.context(format!("{first}the reports of {} could not be written", dir.path().display())));
    }
    if req.out.is_none() {
        rundir::publish_latest(&base, dir.path())?;
    }
    match &req.kind {
        Kind::Bench => eprintln!("report: {}", dir.path().join("report.html").display()),
        Kind::Sweep { .. } => eprintln!(
            "sweep: {} ({:.0} s of points)",
            dir.path().join("sweep.html").display(),
            clock.elapsed().as_secs_f64()
        ),
    }
    if let Some(e) = write_error {
        eprintln!("error: the run stopped: {e:#}; {} of {planned} {runs} kept", results.records.len());
        return Ok(ExitCode::FAILURE);
    }
    if interrupted {
        eprintln!("interrupted: {} of {planned} {runs} kept in {}", results.records.len(), dir.path().display());
        return Ok(ExitCode::from(interrupt::exit_status()));
    }
    let not_ok = results.records.iter().filter(|r| r.status != Status::Ok).count();
    if not_ok > 0 {
        eprintln!("{not_ok} of {} {runs} did not succeed", results.records.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
