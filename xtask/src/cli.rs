//! The command line of every task, parsed in one place (clap derive), and
//! the checks that turn a mistake into one line on stderr and status 2.

use clap::{Args, CommandFactory, Parser, Subcommand};
use dispenser_core::Workload;
use std::path::PathBuf;
use std::time::Duration;

/// Counted samples per cell in a default run. With the budget below, fast
/// variants take all ten; slow ones (OS-thread channel round trips take
/// seconds per sample on two cores) stop at the floor of three.
pub const DEFAULT_SAMPLES: u64 = 10;
/// Warm-up samples per cell in a default run: none. The sixteen OS-thread
/// channel cells take 7-17 s per sample on two cores and dominate the run;
/// a warm-up would add a quarter to them (measured: 346 s of 494). Their
/// seconds-long samples are warm anyway, and for fast cells the median of
/// up to ten samples shrugs off a cold first one. `--warmup 1` restores it.
pub const DEFAULT_WARMUP: u64 = 0;
/// `--quick`: warm-up samples per cell (its samples take milliseconds).
pub const QUICK_WARMUP: u64 = 1;
/// Seconds per cell after which no new counted sample starts: keeps the
/// default run (about 90 cells) under ten minutes on a 2-core machine.
pub const DEFAULT_BUDGET_S: f64 = 1.5;
/// `--quick`: counted samples per cell.
pub const QUICK_SAMPLES: u64 = 3;
/// `--quick`: seconds per cell.
pub const QUICK_BUDGET_S: f64 = 1.0;
/// Seconds a runtime process may run before it is killed: generous (the
/// slowest default cell takes about a minute on two busy cores) but finite.
pub const DEFAULT_TIMEOUT_S: f64 = 300.0;

/// Limits the runtime binaries enforce too; checked here so a mistake is
/// refused once, before anything is built.
const MAX_SAMPLES: u64 = 100_000;
const MAX_WARMUP: u64 = 1_000;
const MAX_SECS: f64 = 86_400.0;
const MAX_WORKERS: u64 = 4_096;

/// `cargo xtask`: build, run and report the dispenser-bench suite.
#[derive(Debug, Parser)]
#[command(name = "cargo xtask", bin_name = "cargo xtask", version, about)]
struct Xtask {
    #[command(subcommand)]
    task: Option<Task>,
}

/// One task of `cargo xtask`.
#[derive(Debug, Subcommand)]
pub enum Task {
    /// Build every runtime in release, run every variant on every workload, write the report.
    Bench(BenchArgs),
    /// Compare two runs cell by cell: NEW/OLD median ratio and a verdict.
    Compare(CompareArgs),
    /// Render the terminal tables, CSV, Markdown and HTML again from a results file.
    Report(ReportArgs),
    /// Scaling: chosen variants over consumer counts at a fixed total (and worker counts); writes sweep.html.
    Sweep(crate::sweep::SweepArgs),
}

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Smoke run: workload 4x10000, 3 samples, 1 s per cell (well under a minute after the build).
    #[arg(long)]
    pub quick: bool,
    /// Only this runtime (repeatable): its name (`sync`, `tokio`) or its package (`tokio-bench`).
    #[arg(long = "runtime", value_name = "NAME")]
    pub runtimes: Vec<String>,
    /// Only variants whose name matches this glob (repeatable), e.g. `'*-bounded'`.
    #[arg(long = "variant", value_name = "GLOB", value_parser = parse_glob)]
    pub variants: Vec<glob::Pattern>,
    /// A workload, consumers x numbers each (repeatable) [default: 10x100000 and 1000x1000].
    #[arg(long = "workload", value_name = "NxT", value_parser = parse_workload)]
    pub workloads: Vec<Workload>,
    /// Counted samples per cell [default: 10; 3 with --quick].
    #[arg(long, value_name = "S")]
    pub samples: Option<u64>,
    /// Warm-up samples per cell, validated but not counted [default: 0; 1 with --quick].
    #[arg(long, value_name = "W")]
    pub warmup: Option<u64>,
    /// Seconds per cell after which no new counted sample starts; at least 3 are taken [default: 1.5; 1 with --quick].
    #[arg(long, value_name = "SECS")]
    pub budget: Option<f64>,
    /// Executor threads for the async runtimes [default: each runtime's own, the machine's cores].
    #[arg(long, value_name = "K")]
    pub workers: Option<u64>,
    /// Seconds a runtime process may run before it is killed and its cell recorded as `timeout`.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
    /// Write the run folder here instead of target/dispenser-bench/<UTC time>/ (then latest/ is left alone).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of the shuffled cell order [default: random; the report gives it].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
    /// Also take latency samples (per-request percentiles).
    #[arg(long)]
    pub latency: bool,
    /// Build and list, print the planned cells in run order, run nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Extra argument for every runtime process (repeatable), e.g. `--bench-arg=--sample-timeout=30`.
    #[arg(long = "bench-arg", value_name = "ARG", allow_hyphen_values = true)]
    pub bench_args: Vec<String>,
}

/// Options of `cargo xtask compare`.
#[derive(Debug, Clone, Args)]
pub struct CompareArgs {
    /// The earlier run: a results.json (or results.jsonl) file, or a run folder.
    pub old: PathBuf,
    /// The later run, likewise.
    pub new: PathBuf,
}

/// Options of `cargo xtask report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// A results.json (or results.jsonl) file, or a run folder.
    pub results: PathBuf,
    /// Folder for the rendered files [default: the results file's folder].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

/// A mistake of the user's (bad option, unreadable results file): `main`
/// prints it as one line and exits with status 2.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// Shorthand for an `anyhow::Error` carrying a [`UsageError`].
pub fn usage(msg: impl Into<String>) -> anyhow::Error {
    UsageError(msg.into()).into()
}

/// True when `e` (or anything in its chain) is a [`UsageError`].
pub fn is_usage(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.is::<UsageError>())
}

/// Parses the command line; a mistake exits with 2 and its first line, as
/// the runtime binaries do. `None` is a bare `cargo xtask`.
pub fn parse() -> Option<Task> {
    dispenser_core::cli::parse::<Xtask>().task
}

/// Lists the tasks, for a bare `cargo xtask`.
pub fn print_tasks() {
    print!("{}", Xtask::command().render_help());
}

/// Reads `NxT` (e.g. `10x100000`, `1000x1_000`) and checks it against the
/// workload limits in core (zero, overflow, memory).
pub fn parse_workload(s: &str) -> Result<Workload, String> {
    let (n, t) = s
        .split_once(['x', 'X'])
        .ok_or_else(|| format!("expected consumers x numbers each, like 10x100000, got '{s}'"))?;
    let number = |part: &str| -> Result<u64, String> {
        let digits = part.trim().replace('_', "");
        digits.parse().map_err(|_| format!("'{part}' in '{s}' is not a whole number"))
    };
    Workload::new(number(n)?, number(t)?).map_err(|e| format!("workload {s}: {}", e.to_string().replace("--", "")))
}

/// Reads a variant glob.
pub fn parse_glob(s: &str) -> Result<glob::Pattern, String> {
    glob::Pattern::new(s).map_err(|e| format!("bad glob '{s}': {e}"))
}

/// What every cell of a run is measured with, once defaults are applied.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BenchSettings {
    /// Workloads, in report order.
    pub workloads: Vec<Workload>,
    /// Counted samples per cell.
    pub samples: u64,
    /// Warm-up samples per cell.
    pub warmup: u64,
    /// Seconds per cell after which no counted sample starts.
    pub budget_s: f64,
    /// Executor threads asked for, if any.
    pub workers: Option<u64>,
    /// Seconds before a process is killed.
    pub timeout_s: f64,
    /// Latency samples taken.
    pub latency: bool,
    /// Whether `--quick` chose the defaults.
    pub quick: bool,
    /// Extra arguments given to every runtime process.
    #[serde(default)]
    pub bench_args: Vec<String>,
}

impl BenchSettings {
    /// The per-process time limit.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs_f64(self.timeout_s)
    }
}

impl BenchArgs {
    /// Applies the defaults (or `--quick`'s) and checks every number.
    pub fn settings(&self) -> Result<BenchSettings, UsageError> {
        let workloads = match (self.workloads.is_empty(), self.quick) {
            (false, _) => dedup(&self.workloads),
            (true, true) => vec![Workload::QUICK],
            (true, false) => vec![Workload::FEW, Workload::MANY],
        };
        let samples = self.samples.unwrap_or(if self.quick { QUICK_SAMPLES } else { DEFAULT_SAMPLES });
        if !(1..=MAX_SAMPLES).contains(&samples) {
            return Err(UsageError(format!("--samples must be between 1 and {MAX_SAMPLES}, got {samples}")));
        }
        let warmup = self.warmup.unwrap_or(if self.quick { QUICK_WARMUP } else { DEFAULT_WARMUP });
        if warmup > MAX_WARMUP {
            return Err(UsageError(format!("--warmup must be at most {MAX_WARMUP}, got {warmup}")));
        }
        let budget_s = self.budget.unwrap_or(if self.quick { QUICK_BUDGET_S } else { DEFAULT_BUDGET_S });
        check_secs("budget", budget_s)?;
        check_secs("timeout", self.timeout)?;
        if let Some(k) = self.workers.filter(|k| !(1..=MAX_WORKERS).contains(k)) {
            return Err(UsageError(format!("--workers must be between 1 and {MAX_WORKERS}, got {k}")));
        }
        Ok(BenchSettings {
            workloads,
            samples,
            warmup,
            budget_s,
            workers: self.workers,
            timeout_s: self.timeout,
            latency: self.latency,
            quick: self.quick,
            bench_args: self.bench_args.clone(),
        })
    }
}

fn check_secs(name: &str, secs: f64) -> Result<(), UsageError> {
    if secs.is_finite() && secs > 0.0 && secs <= MAX_SECS {
        Ok(())
    } else {
        Err(UsageError(format!("--{name} must be more than 0 and at most {MAX_SECS} seconds, got {secs}")))
    }
}

/// Workloads in the order given, each once.
fn dedup(workloads: &[Workload]) -> Vec<Workload> {
    let mut out: Vec<Workload> = Vec::new();
    for w in workloads {
        if !out.contains(w) {
            out.push(*w);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bench(args: &[&str]) -> Result<BenchArgs, clap::Error> {
        let argv = ["cargo xtask", "bench"].iter().chain(args);
        match Xtask::try_parse_from(argv)?.task {
            Some(Task::Bench(b)) => Ok(b),
            other => panic!("not bench: {other:?}"),
        }
    }

    #[test]
    fn workloads_parse_with_separators_and_limits() {
        assert_eq!(parse_workload("10x100000"), Ok(Workload::FEW));
        assert_eq!(parse_workload("1_000X1_000"), Ok(Workload::MANY));
        assert!(parse_workload("10").unwrap_err().contains("like 10x100000"));
        assert!(parse_workload("10xabc").unwrap_err().contains("not a whole number"));
        assert!(parse_workload("0x5").unwrap_err().contains("consumers must be at least 1"));
        assert!(parse_workload("-1x5").is_err());
        assert!(parse_workload("100000000000x100000000000").unwrap_err().contains("workload"));
    }

    #[test]
    fn defaults_are_the_reference_workloads() {
        let s = bench(&[]).unwrap().settings().unwrap();
        assert_eq!(s.workloads, vec![Workload::FEW, Workload::MANY]);
        assert_eq!((s.samples, s.warmup, s.budget_s), (DEFAULT_SAMPLES, DEFAULT_WARMUP, DEFAULT_BUDGET_S));
        assert!(!s.quick && s.workers.is_none());
    }

    #[test]
    fn quick_is_small_but_explicit_options_win() {
        let s = bench(&["--quick"]).unwrap().settings().unwrap();
        assert_eq!((s.workloads.as_slice(), s.samples), ([Workload::QUICK].as_slice(), QUICK_SAMPLES));
        assert_eq!((s.warmup, s.budget_s), (QUICK_WARMUP, QUICK_BUDGET_S));
        let s = bench(&["--quick", "--workload", "2x100", "--workload", "2x100", "--samples", "5"]).unwrap();
        let s = s.settings().unwrap();
        assert_eq!((s.workloads, s.samples), (vec![Workload { consumers: 2, per_consumer: 100 }], 5));
    }

    #[test]
    fn bad_numbers_are_usage_errors() {
        for args in [
            &["--samples", "0"][..],
            &["--warmup", "5000"],
            &["--budget", "0"],
            &["--budget", "NaN"],
            &["--timeout=-1"],
            &["--workers", "0"],
        ] {
            assert!(bench(args).unwrap().settings().is_err(), "{args:?}");
        }
        assert!(bench(&["--workload", "3"]).is_err());
        assert!(bench(&["--variant", "[unclosed"]).is_err());
        assert!(bench(&["--samples", "abc"]).is_err());
    }

    #[test]
    fn variant_globs_and_pass_through_args() {
        let b = bench(&["--variant", "*-bounded", "--bench-arg", "--sample-timeout=3"]).unwrap();
        assert!(b.variants[0].matches("flume-bounded") && !b.variants[0].matches("flume-unbounded"));
        assert_eq!(b.bench_args, vec!["--sample-timeout=3"]);
    }
}
