//! `cargo xtask bench`: discover the runtime crates, build them in release,
//! list their variants, run every cell in its own process in a seeded
//! shuffled order, journal each record as it arrives, then write the
//! report files and print the tables.

use crate::cli::{BenchArgs, BenchSettings};
use crate::collate::{self, Journal};
use crate::discover::RuntimeCrate;
use crate::machine::Machine;
use crate::plan::{self, Target, VariantInfo};
use crate::results::{Results, RunInfo};
use crate::{build, discover, render, run};
use anyhow::{Context, Result};
use chrono::{SecondsFormat, Utc};
use dispenser_core::{Record, Status};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Set by Ctrl-C: the running cell is killed and the run wraps up.
pub static STOP: AtomicBool = AtomicBool::new(false);
/// Exit status of an interrupted run, as a shell reports SIGINT.
pub const INTERRUPTED: u8 = 130;

/// The workspace root: xtask lives one folder below it.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs the task. Exit status: 0 when every cell is ok, 1 otherwise, 2 for
/// bad usage (returned as a usage error), 130 when interrupted.
pub fn run(args: BenchArgs) -> Result<ExitCode> {
    let settings = args.settings()?;
    let root = project_root();
    let cargo = build::cargo();
    let metadata = discover::load_metadata(&cargo, &root)?;
    let runtimes = discover::discover(&metadata)?;
    let chosen = plan::select_runtimes(&runtimes, &args.runtimes)?;
    if chosen.is_empty() {
        anyhow::bail!("no runtime crate found: none carries [package.metadata.{}] runtime = true", discover::MARKER);
    }
    for r in chosen.iter().filter(|r| settings.workers.is_some() && r.workers == discover::Workers::No) {
        eprintln!("note: --workers does not apply to {} (its crate does not declare `workers`)", r.name);
    }
    install_ctrlc();
    let built = build::build(&cargo, &root, &chosen)?;
    let seed = args.seed.unwrap_or_else(rand::random);

    let (listed, early) = list_targets(&chosen, &built, &settings);
    if STOP.load(Ordering::SeqCst) {
        eprintln!("interrupted before any cell ran");
        return Ok(ExitCode::from(INTERRUPTED));
    }
    let cells = plan::plan(&listed, &args.variants, &settings.workloads, seed)?;
    if args.dry_run {
        println!("# {} cells, --seed {seed}", cells.len());
        for cell in &cells {
            println!("{cell}");
        }
        return Ok(ExitCode::SUCCESS);
    }

    let base = metadata.target_directory.as_std_path().join("dispenser-bench");
    let started = Utc::now();
    let dir = match &args.out {
        Some(out) => {
            std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
            out.clone()
        }
        None => collate::create_run_dir(&base, started)?,
    };
    let machine = Machine::capture(&root, &discover::measured_crates(&metadata, &chosen));
    eprintln!(
        "dispenser-bench: {} cells ({} runtime{}), order --seed {seed}, results in {}",
        cells.len(),
        listed.len(),
        if listed.len() == 1 { "" } else { "s" },
        dir.display()
    );
    let mut journal = Journal::create(&dir)?;
    let mut records = Vec::new();
    for r in early {
        journal.append(&r)?;
        records.push(r);
    }
    let clock = Instant::now();
    let end = run::run_all(&cells, &settings, &STOP, |record| {
        journal.append(&record)?;
        records.push(record);
        Ok(())
    })?;
    let interrupted = end == run::RunEnd::Interrupted;
    let info = RunInfo {
        started_utc: Some(started.to_rfc3339_opts(SecondsFormat::Secs, true)),
        finished_utc: Some(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)),
        elapsed_s: Some(clock.elapsed().as_secs_f64()),
        seed: Some(seed),
        command: std::env::args().collect(),
        settings: Some(settings),
        cells: Some(cells.len()),
        interrupted,
    };
    let results = Results::new(info, Some(machine), records);
    collate::write_outputs(&dir, &results, true)?;
    if args.out.is_none() {
        collate::publish_latest(&base, &dir)?;
    }
    print!("{}", render::terminal::render(&results));
    eprintln!("report: {}", dir.join("report.html").display());
    if interrupted {
        eprintln!("interrupted: {} of {} cells kept in {}", results.records.len(), cells.len(), dir.display());
        return Ok(ExitCode::from(INTERRUPTED));
    }
    let not_ok = results.records.iter().filter(|r| r.status != Status::Ok).count();
    if not_ok > 0 {
        eprintln!("{not_ok} of {} cells did not succeed", results.records.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// Targets that listed their variants, each with its list.
pub type Listed = Vec<(Arc<Target>, Vec<VariantInfo>)>;

/// Lists the variants of every target of the built crates (and probes its
/// executor). Crates that did not build or list still get records: their
/// cells failed. Shared by bench and sweep.
pub fn list_targets(chosen: &[RuntimeCrate], built: &build::Built, settings: &BenchSettings) -> (Listed, Vec<Record>) {
    let mut early: Vec<Record> = Vec::new();
    let mut listed: Listed = Vec::new();
    for r in chosen {
        let Some(exe) = built.executables.get(&r.package) else {
            let why = built.failed.get(&r.package).cloned().unwrap_or_default();
            for target in plan::targets(r, PathBuf::new()) {
                early.extend(broken(&target, settings, why.clone()));
            }
            continue;
        };
        for mut target in plan::targets(r, exe.clone()) {
            match run::list(&target, &STOP) {
                Ok(variants) => {
                    target.executor = run::probe_executor(&target, &variants[0], settings, &STOP);
                    listed.push((Arc::new(target), variants));
                }
                Err(why) => {
                    eprintln!("warning: {why}");
                    early.extend(broken(&target, settings, why));
                }
            }
        }
    }
    (listed, early)
}

/// Records for a target that could not run at all: one per workload, named `*`.
fn broken(target: &Target, settings: &BenchSettings, why: String) -> Vec<Record> {
    let all = VariantInfo { name: "*".into(), family: None, primitive: None };
    settings
        .workloads
        .iter()
        .map(|&w| run::unmeasured(target, &all, w, settings, Status::Failed, why.clone()))
        .collect()
}

/// First Ctrl-C: stop after killing the running cell, keep what finished.
/// Second: leave at once (the journal already holds every finished record).
pub fn install_ctrlc() {
    let result = ctrlc::set_handler(|| {
        if STOP.swap(true, Ordering::SeqCst) {
            std::process::exit(i32::from(INTERRUPTED));
        }
    });
    if let Err(e) = result {
        eprintln!("warning: Ctrl-C will not stop cleanly: {e}");
    }
}
