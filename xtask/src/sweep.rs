//! `cargo xtask sweep`: how each way of dispensing scales. Chosen variants
//! run over a range of consumer counts at a fixed total of numbers, and the
//! async runtimes over a range of worker counts too; each point is one cell
//! run by bench's machinery (discover, build, list, [`run::run_all`]). It
//! writes the same results files as bench plus sweep.html and one SVG chart
//! per runtime: ns per number against consumers, log-log.

use crate::bench::{self, STOP};
use crate::cli::{BenchSettings, UsageError, usage};
use crate::collate::{self, Journal};
use crate::machine::Machine;
use crate::plan::{self, Cell, Target, VariantInfo};
use crate::render::{sweep_chart, sweep_html};
use crate::results::{Results, RunInfo};
use crate::{build, discover, run};
use anyhow::{Context, Result};
use chrono::{SecondsFormat, Utc};
use clap::Args;
use dispenser_core::{Family, Record, Status, Workload};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Instant;

/// Consumer counts of a default sweep.
pub const DEFAULT_CONSUMERS: [u64; 8] = [1, 2, 4, 8, 16, 64, 256, 1024];
/// Numbers per sample at every point of a default sweep: 2^20, about a
/// million, and divisible by every default consumer count (1,000,000 is not
/// divisible by 256 or 1024, and a total that changed from point to point
/// would not be a fixed total).
pub const DEFAULT_TOTAL: u64 = 1 << 20;
/// Counted samples per point: the floor the runtime binaries keep anyway.
pub const DEFAULT_SAMPLES: u64 = 3;
/// Warm-up samples per point: none, to keep the default sweep short.
pub const DEFAULT_WARMUP: u64 = 0;
/// Seconds per point after which no counted sample starts: small, so every
/// point but the fastest takes exactly [`DEFAULT_SAMPLES`].
pub const DEFAULT_BUDGET_S: f64 = 0.5;
/// Seconds a point may run before it is killed (a 1,024-thread channel
/// point takes about a minute on two busy cores).
pub const DEFAULT_TIMEOUT_S: f64 = 180.0;
/// Variants a default sweep prefers within their family, when a runtime
/// has them: the same channel (flume, bounded) and the same actor (the
/// `oneshot` crate) on threads and on every executor, so the lines compare
/// across runtimes. Other families take the runtime's first listed variant
/// (its own mutex: `std-mutex`, `tokio-mutex`, `async-std-mutex`, `async-lock-mutex`).
pub const PREFERRED: [&str; 3] = ["atomic", "flume-bounded", "oneshot-actor"];
/// Families a default sweep covers, in legend order.
pub const FAMILIES: [Family; 5] = [Family::Baseline, Family::Atomic, Family::Lock, Family::Channel, Family::Actor];
/// Upper bounds, as in bench.
const MAX_WORKERS: u64 = 4_096;

/// Options of `cargo xtask sweep`.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Only this runtime (repeatable): its name (`sync`, `tokio`) or its package.
    #[arg(long = "runtime", value_name = "NAME")]
    pub runtimes: Vec<String>,
    /// Only variants whose name matches this glob (repeatable) [default: one per family per runtime].
    #[arg(long = "variant", value_name = "GLOB", value_parser = crate::cli::parse_glob)]
    pub variants: Vec<glob::Pattern>,
    /// Consumer counts, comma separated.
    #[arg(long, value_name = "N,N..", value_delimiter = ',', default_values_t = DEFAULT_CONSUMERS)]
    pub consumers: Vec<u64>,
    /// Numbers per sample at every point; each consumer takes TOTAL / N, so N must divide it.
    #[arg(long, value_name = "TOTAL", default_value_t = DEFAULT_TOTAL)]
    pub total: u64,
    /// Executor threads of the async runtimes, comma separated [default: powers of two up to the cores, and 2x the cores].
    #[arg(long, value_name = "K,K..", value_delimiter = ',')]
    pub workers: Vec<u64>,
    /// Counted samples per point.
    #[arg(long, value_name = "S", default_value_t = DEFAULT_SAMPLES)]
    pub samples: u64,
    /// Warm-up samples per point.
    #[arg(long, value_name = "W", default_value_t = DEFAULT_WARMUP)]
    pub warmup: u64,
    /// Seconds per point after which no counted sample starts (at least 3 are taken).
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_BUDGET_S)]
    pub budget: f64,
    /// Seconds a point's process may run before it is killed and recorded as `timeout`.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
    /// Write the run folder here instead of target/dispenser-bench/sweep/<UTC time>/.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of the shuffled point order [default: random].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Build and list, print the planned points in run order, run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Extra argument for every runtime process (repeatable).
    #[arg(long = "bench-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub bench_args: Vec<String>,
}

/// The sweep's points, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// One workload per consumer count, fewest first; all of `total` numbers.
    pub workloads: Vec<Workload>,
    /// Worker counts for runtimes that take `--workers`, ascending.
    pub workers: Vec<u64>,
    /// What every cell runs with (`workers` is set per group).
    pub settings: BenchSettings,
}

impl SweepArgs {
    /// Checks the numbers and applies the defaults; a mistake is a usage error (exit 2).
    pub fn sweep(&self) -> Result<Sweep, UsageError> {
        let mut consumers = self.consumers.clone();
        consumers.sort_unstable();
        consumers.dedup();
        if consumers.is_empty() {
            return Err(UsageError("--consumers needs at least one count".into()));
        }
        let mut workloads = Vec::new();
        for &c in &consumers {
            if c == 0 {
                return Err(UsageError("--consumers: a count must be at least 1".into()));
            }
            if self.total < c {
                return Err(UsageError(format!(
                    "--total {} is too small for {c} consumers: each must take at least one number",
                    self.total
                )));
            }
            if self.total % c != 0 {
                return Err(UsageError(format!(
                    "--total {} is not divisible by {c} consumers; try a power of two such as {DEFAULT_TOTAL}",
                    self.total
                )));
            }
            let w = Workload::new(c, self.total / c)
                .map_err(|e| UsageError(format!("--total {} with {c} consumers: {e}", self.total)))?;
            workloads.push(w);
        }
        let mut workers = if self.workers.is_empty() {
            default_workers(dispenser_core::workload::available_parallelism() as u64)
        } else {
            self.workers.clone()
        };
        workers.sort_unstable();
        workers.dedup();
        if let Some(k) = workers.iter().find(|k| !(1..=MAX_WORKERS).contains(*k)) {
            return Err(UsageError(format!("--workers must be between 1 and {MAX_WORKERS}, got {k}")));
        }
        let bench = crate::cli::BenchArgs {
            quick: false,
            runtimes: Vec::new(),
            variants: Vec::new(),
            workloads: workloads.clone(),
            samples: Some(self.samples),
            warmup: Some(self.warmup),
            budget: Some(self.budget),
            workers: None,
            timeout: self.timeout,
            out: None,
            seed: None,
            latency: false,
            dry_run: false,
            bench_args: self.bench_args.clone(),
        };
        // Bench's own checks of samples, warm-up, budget and timeout.
        let settings = bench.settings()?;
        Ok(Sweep { workloads, workers, settings })
    }
}

/// 1, 2, 4 .. up to `cores` (and `cores` itself), then `2 * cores`
/// oversubscribed: `1,2,4` on two cores, `1,2,4,8,16` on eight.
pub fn default_workers(cores: u64) -> Vec<u64> {
    let cores = cores.max(1);
    let mut out: Vec<u64> = std::iter::successors(Some(1u64), |k| Some(k * 2)).take_while(|k| *k <= cores).collect();
    out.push(cores);
    out.push(cores * 2);
    out.sort_unstable();
    out.dedup();
    out
}

/// A variant's family: the binary's word if it gave one, else a guess from its name.
pub fn family(v: &VariantInfo) -> Family {
    v.family.unwrap_or_else(|| run::guess_family(&v.name))
}

/// The default set of a runtime: one variant per family, the [`PREFERRED`]
/// one where the runtime has it, else the first listed.
pub fn default_variants(listed: &[VariantInfo]) -> Vec<VariantInfo> {
    let mut out = Vec::new();
    for f in FAMILIES {
        let ours: Vec<&VariantInfo> = listed.iter().filter(|v| family(v) == f).collect();
        let pick = ours.iter().find(|v| PREFERRED.contains(&v.name.as_str())).or(ours.first());
        if let Some(v) = pick {
            out.push((*v).clone());
        }
    }
    out
}

/// A group of cells that share a worker count (`None`: OS threads, or a
/// flavor without one).
#[derive(Debug, Clone)]
pub struct Group {
    /// `--workers` for every cell of the group.
    pub workers: Option<u64>,
    /// The cells, in a seeded shuffled order.
    pub cells: Vec<Cell>,
}

/// The cells of a sweep: every chosen variant of every listed target at
/// every workload, once per worker count for targets that take one.
pub fn plan(
    listed: &[(Arc<Target>, Vec<VariantInfo>)],
    globs: &[glob::Pattern],
    sweep: &Sweep,
    seed: u64,
) -> Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut group = |workers: Option<u64>, cells: Vec<Cell>| match groups.iter_mut().find(|g| g.workers == workers) {
        Some(g) => g.cells.extend(cells),
        None => groups.push(Group { workers, cells }),
    };
    for (target, variants) in listed {
        let chosen = if globs.is_empty() { default_variants(variants) } else { variants.clone() };
        let one = [(Arc::clone(target), chosen)];
        // bench's planner: the filters, and a usage error when they match nothing.
        let cells = plan::plan(&one, globs, &sweep.workloads, seed)
            .or_else(|e| if listed.len() > 1 && crate::cli::is_usage(&e) { Ok(Vec::new()) } else { Err(e) })?;
        if target.takes_workers() {
            for &k in &sweep.workers {
                let mut t = (**target).clone();
                if let Some(ex) = t.executor.as_mut() {
                    ex.workers = Some(k as usize);
                }
                let t = Arc::new(t);
                group(Some(k), cells.iter().map(|c| Cell { target: Arc::clone(&t), ..c.clone() }).collect());
            }
        } else {
            group(None, cells);
        }
    }
    groups.retain(|g| !g.cells.is_empty());
    if groups.is_empty() && !listed.is_empty() {
        let asked: Vec<String> = globs.iter().map(|g| format!("'{g}'")).collect();
        return Err(usage(format!("no variant of the chosen runtimes matches --variant {}", asked.join(", "))));
    }
    groups.sort_by_key(|g| g.workers);
    for (i, g) in groups.iter_mut().enumerate() {
        plan::shuffle(&mut g.cells, seed.wrapping_add(i as u64));
    }
    Ok(groups)
}

/// Runs the task: exit 0 when every point is ok, 1 otherwise, 2 for bad
/// usage, 130 when interrupted.
pub fn run(args: SweepArgs) -> Result<ExitCode> {
    let sweep = args.sweep()?;
    let root = bench::project_root();
    let cargo = build::cargo();
    let metadata = discover::load_metadata(&cargo, &root)?;
    let runtimes = discover::discover(&metadata)?;
    let chosen = plan::select_runtimes(&runtimes, &args.runtimes)?;
    if chosen.is_empty() {
        anyhow::bail!("no runtime crate found: none carries [package.metadata.{}] runtime = true", discover::MARKER);
    }
    bench::install_ctrlc();
    let built = build::build(&cargo, &root, &chosen)?;
    let seed = args.seed.unwrap_or_else(rand::random);
    let (listed, early) = bench::list_targets(&chosen, &built, &sweep.settings);
    if STOP.load(Ordering::SeqCst) {
        eprintln!("interrupted before any point ran");
        return Ok(ExitCode::from(bench::INTERRUPTED));
    }
    let groups = plan(&listed, &args.variants, &sweep, seed)?;
    let total_cells: usize = groups.iter().map(|g| g.cells.len()).sum();
    if args.dry_run {
        println!("# {total_cells} points, --seed {seed}");
        for g in &groups {
            for cell in &g.cells {
                println!("{cell}{}", g.workers.map(|k| format!(" --workers {k}")).unwrap_or_default());
            }
        }
        return Ok(ExitCode::SUCCESS);
    }

    let base = metadata.target_directory.as_std_path().join("dispenser-bench").join("sweep");
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
        "dispenser-bench sweep: {total_cells} points ({} consumer counts x {} total, workers {:?}), order --seed {seed}, \
         results in {}",
        sweep.workloads.len(),
        sweep.workloads.first().map_or(0, |w| w.total()),
        sweep.workers,
        dir.display()
    );
    let mut journal = Journal::create(&dir)?;
    let mut records: Vec<Record> = Vec::new();
    for r in early {
        journal.append(&r)?;
        records.push(r);
    }
    let clock = Instant::now();
    let mut interrupted = false;
    for g in &groups {
        let settings = BenchSettings { workers: g.workers, ..sweep.settings.clone() };
        match g.workers {
            Some(k) => eprintln!("-- {k} worker{}: {} points", if k == 1 { "" } else { "s" }, g.cells.len()),
            None => eprintln!("-- one OS thread per consumer: {} points", g.cells.len()),
        }
        let end = run::run_all(&g.cells, &settings, &STOP, |record| {
            journal.append(&record)?;
            records.push(record);
            Ok(())
        })?;
        if end == run::RunEnd::Interrupted {
            interrupted = true;
            break;
        }
    }
    let info = RunInfo {
        started_utc: Some(started.to_rfc3339_opts(SecondsFormat::Secs, true)),
        finished_utc: Some(Utc::now().to_rfc3339_opts(SecondsFormat::Secs, true)),
        elapsed_s: Some(clock.elapsed().as_secs_f64()),
        seed: Some(seed),
        command: std::env::args().collect(),
        settings: Some(sweep.settings.clone()),
        cells: Some(total_cells),
        interrupted,
    };
    let results = Results::new(info, Some(machine), records);
    collate::write_outputs(&dir, &results, true)?;
    write_sweep(&dir, &results)?;
    if args.out.is_none() {
        collate::publish_latest(&base, &dir)?;
    }
    print!("{}", sweep_html::render_terminal(&results));
    eprintln!("sweep: {} ({:.0} s of points)", dir.join("sweep.html").display(), clock.elapsed().as_secs_f64());
    if interrupted {
        eprintln!("interrupted: {} of {total_cells} points kept in {}", results.records.len(), dir.display());
        return Ok(ExitCode::from(bench::INTERRUPTED));
    }
    let not_ok = results.records.iter().filter(|r| r.status != Status::Ok).count();
    if not_ok > 0 {
        eprintln!("{not_ok} of {} points did not succeed", results.records.len());
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}

/// True when `results` came from `cargo xtask sweep` (its command line says so).
pub fn is_sweep(results: &Results) -> bool {
    results.run.command.get(1).is_some_and(|a| a == "sweep")
}

/// Writes sweep.html and `sweep-<runtime>.svg` per runtime into `dir`.
pub fn write_sweep(dir: &std::path::Path, results: &Results) -> Result<()> {
    let charts = sweep_chart::render_all(results)?;
    for (stem, svg) in &charts {
        collate::write_atomic(&dir.join(format!("sweep-{stem}.svg")), svg.as_bytes())?;
    }
    collate::write_atomic(&dir.join("sweep.html"), sweep_html::render(results, &charts).as_bytes())?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{RuntimeCrate, Workers};
    use clap::Parser;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        sweep: SweepArgs,
    }

    fn args(a: &[&str]) -> SweepArgs {
        Cli::try_parse_from(std::iter::once("sweep").chain(a.iter().copied())).unwrap().sweep
    }

    #[test]
    fn defaults_are_powers_of_two_at_a_fixed_total() {
        let s = args(&[]).sweep().unwrap();
        assert_eq!(s.workloads.len(), 8);
        assert!(s.workloads.iter().all(|w| w.total() == DEFAULT_TOTAL));
        assert_eq!(s.workloads[7], Workload { consumers: 1024, per_consumer: 1024 });
        assert_eq!((s.settings.samples, s.settings.warmup), (3, 0));
        assert_eq!(default_workers(2), [1, 2, 4]);
        assert_eq!(default_workers(1), [1, 2]);
        assert_eq!(default_workers(6), [1, 2, 4, 6, 12]);
    }

    #[test]
    fn a_total_that_does_not_divide_or_is_too_small_is_refused() {
        let e = args(&["--consumers", "1,3", "--total", "100"]).sweep().unwrap_err().0;
        assert!(e.contains("not divisible by 3"), "{e}");
        let e = args(&["--consumers", "1,2,4", "--total", "2"]).sweep().unwrap_err().0;
        assert!(e.contains("too small for 4"), "{e}");
        assert!(args(&["--consumers", "0"]).sweep().is_err());
        assert!(args(&["--workers", "0"]).sweep().is_err());
        assert!(args(&["--samples", "0"]).sweep().is_err());
        let s = args(&["--consumers", "2,1,2", "--total", "100", "--workers", "4,1"]).sweep().unwrap();
        assert_eq!(s.workloads.iter().map(|w| w.per_consumer).collect::<Vec<_>>(), [100, 50]);
        assert_eq!(s.workers, [1, 4]);
    }

    fn info(names: &[&str]) -> Vec<VariantInfo> {
        names.iter().map(|n| VariantInfo { name: n.to_string(), family: None, primitive: None }).collect()
    }

    #[test]
    fn the_default_set_is_one_per_family_preferring_shared_crates() {
        let sync = info(&["single-thread", "atomic", "std-mutex", "parking_lot-mutex", "std-mpsc", "flume-bounded"]);
        let names: Vec<String> = default_variants(&sync).into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["single-thread", "atomic", "std-mutex", "flume-bounded"]);
        let tokio =
            info(&["atomic", "tokio-mutex", "std-mutex", "async-channel-unbounded", "flume-bounded", "oneshot-actor"]);
        let names: Vec<String> = default_variants(&tokio).into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["atomic", "tokio-mutex", "flume-bounded", "oneshot-actor"]);
    }

    #[test]
    fn async_targets_get_a_group_per_worker_count() {
        let rt = |name: &str, workers| RuntimeCrate {
            name: name.into(),
            package: format!("{name}-bench"),
            id: name.into(),
            binary: format!("{name}-bench"),
            flavors: Vec::new(),
            workers,
        };
        let sync = Arc::new(plan::targets(&rt("sync", Workers::No), "/s".into()).remove(0));
        let smol = Arc::new(plan::targets(&rt("smol", Workers::All), "/m".into()).remove(0));
        let listed = vec![(sync, info(&["atomic", "std-mpsc"])), (smol, info(&["atomic", "async-lock-mutex"]))];
        let s = args(&["--consumers", "1,2", "--total", "8", "--workers", "1,2"]).sweep().unwrap();
        let groups = plan(&listed, &[], &s, 1).unwrap();
        let shape: Vec<(Option<u64>, usize)> = groups.iter().map(|g| (g.workers, g.cells.len())).collect();
        assert_eq!(shape, [(None, 4), (Some(1), 4), (Some(2), 4)]);
        let globs = [glob::Pattern::new("atomic").unwrap()];
        assert_eq!(plan(&listed, &globs, &s, 1).unwrap().iter().map(|g| g.cells.len()).sum::<usize>(), 6);
        let none = [glob::Pattern::new("nope").unwrap()];
        assert!(crate::cli::is_usage(&plan(&listed, &none, &s, 1).unwrap_err()));
    }
}
