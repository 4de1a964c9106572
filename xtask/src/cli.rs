//! The command line of every task, parsed in one place (clap derive), and
//! the checks that turn a mistake into one line on stderr and status 2.

use crate::axis::DEFAULT_CAPACITY;
use crate::error::UsageError;
use crate::results::{BenchSettings, check_capacity, check_cpus, check_load, check_rate, check_work, check_workers};
use clap::{Args, CommandFactory, Parser, Subcommand};
use dispenser_core::Workload;
use std::path::PathBuf;

/// Processes per cell in a default run. Samples inside one process are not
/// independent: a process can land in a mode and stay there, so a cell's
/// evidence is several processes, run in shuffled rounds. Five, not three:
/// on a 2-core machine two default runs with three processes ranked the
/// cells with a Spearman correlation of 0.95; with five, 0.997 (the median
/// of five processes lands in a mode far less often than that of three).
pub const DEFAULT_PROCESSES: u64 = 5;
/// Counted samples per process in a default run. With the budget below,
/// fast variants take all three in each process; slow ones (seconds per
/// sample) take one per process (see [`min_samples`]).
pub const DEFAULT_SAMPLES: u64 = 3;
/// Counted samples a cell never has fewer of, over all its processes.
pub const MIN_CELL_SAMPLES: u64 = 3;
/// Warm-up samples per cell in a default run: none. On a small machine the
/// OS-thread channel cells take seconds per sample and dominate the run, so
/// a warm-up sample would lengthen it by a large share; those seconds-long
/// samples are warm anyway, and for fast cells the median of up to ten
/// samples shrugs off a cold first one. `--warmup 1` restores it.
pub const DEFAULT_WARMUP: u64 = 0;
/// `--quick`: warm-up samples per cell (its samples take milliseconds).
pub const QUICK_WARMUP: u64 = 1;
/// Seconds per process after which no new counted sample starts: keeps
/// the default run under ten minutes on a 2-core machine.
pub const DEFAULT_BUDGET_S: f64 = 0.3;
/// `--quick`: counted samples per process.
pub const QUICK_SAMPLES: u64 = 3;
/// `--quick`: seconds per process.
pub const QUICK_BUDGET_S: f64 = 0.3;
/// Seconds a runtime process may run before it is killed: generous (the
/// slowest default cell takes about a minute on two busy cores) but finite.
pub const DEFAULT_TIMEOUT_S: f64 = 300.0;

/// `sweep`: consumer counts of a default sweep, 1 to 1,024 in steps of 4×.
pub const SWEEP_DEFAULT_CONSUMERS: [u64; 6] = [1, 4, 16, 64, 256, 1024];
/// Numbers per sample at the no-work points of a default sweep: 2^16, and
/// divisible by every default consumer count (a power of ten is not
/// divisible by 256 or 1024, and a total that changed from consumer count
/// to consumer count would not be a fixed total). Small enough that the
/// slowest point (one OS thread's round trips through a parked server
/// thread, about 60 µs each on a 2-core VM) takes seconds, not a minute.
pub const SWEEP_DEFAULT_TOTAL: u64 = 1 << 16;
/// Work per number of a default sweep, ns: none, 1, 10 and 100 µs, the
/// range over which the primitives go from all that is measured to noise
/// beside the work.
pub const SWEEP_DEFAULT_WORK: [u64; 4] = [0, 1_000, 10_000, 100_000];
/// Request channel capacities of a default sweep: rendezvous, one slot,
/// and N (one slot per consumer, the bench default).
pub const SWEEP_DEFAULT_CAPACITY: [Option<u64>; 3] = [Some(0), Some(1), None];
/// Busy work a sample of a work point is held to, ns: at a point with work
/// W the total is halved until TOTAL x W fits (see [`Sweep::total_at`]), so
/// that a 100 µs point takes a tenth of a second per sample, not a minute.
pub const SWEEP_WORK_PER_SAMPLE_NS: u64 = 50_000_000;
/// Counted samples per point: the floor the runtime binaries keep anyway.
pub const SWEEP_DEFAULT_SAMPLES: u64 = 3;
/// Warm-up samples per point: one. With one process per point a cold
/// first sample (may's mutex at 16 consumers: 10.3 ms, then 0.72 and 0.71)
/// widens the point's interval until a 14x lead reads as a tie; a warm-up
/// costs about 30% more time (402 s of points without, 519 s with) and
/// removes it.
pub const SWEEP_DEFAULT_WARMUP: u64 = 1;
/// Seconds per point after which no counted sample starts: small, so every
/// point but the fastest takes exactly [`SWEEP_DEFAULT_SAMPLES`].
pub const SWEEP_DEFAULT_BUDGET_S: f64 = 0.25;
/// Seconds a point may run before it is killed (a 1,024-thread channel
/// point takes about a minute on two busy cores).
pub const SWEEP_DEFAULT_TIMEOUT_S: f64 = 180.0;
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
    /// Compare two runs cell by cell: NEW/OLD ratio of typical times and a verdict.
    Compare(CompareArgs),
    /// Render the terminal tables, CSV, Markdown and HTML again from a results file; with several runs (one per machine), one report setting the machines side by side.
    Report(ReportArgs),
    /// Scaling: chosen variants over consumer counts at a fixed total (and worker counts); writes sweep.html.
    Sweep(SweepArgs),
    /// The suite's own noise and power: run bench's plan twice back to back; print the A/A comparison (cells called changed, rank correlation, unstable cells) and the share of cells a known injected slowdown (x1.10, x1.25) is seen in.
    Noise(BenchArgs),
}

/// Options of `cargo xtask bench`.
#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Smoke run: workload 4x10000, 3 samples, 0.3 s per process (about a minute of cells after the build).
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
    /// Processes per cell, run in rounds (every cell once per round, each round shuffled).
    #[arg(long, value_name = "R", default_value_t = DEFAULT_PROCESSES)]
    pub processes: u64,
    /// Counted samples per process, at most [default: 3].
    #[arg(long, value_name = "S")]
    pub samples: Option<u64>,
    /// Warm-up samples per cell, validated but not counted [default: 0; 1 with --quick].
    #[arg(long, value_name = "W")]
    pub warmup: Option<u64>,
    /// Seconds per process after which no new counted sample starts; a cell keeps at least 3 samples in all [default: 0.3].
    #[arg(long, value_name = "SECS")]
    pub budget: Option<f64>,
    /// Executor threads for the async runtimes [default: each runtime's own, the machine's cores].
    #[arg(long, value_name = "K")]
    pub workers: Option<u64>,
    /// Seconds a runtime process may run before it is killed and its cell recorded as `timeout`; a sample stuck for 3/4 of it is recorded as `hung`, keeping the samples before it.
    #[arg(long, value_name = "SECS", default_value_t = DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
    /// Also take latency samples (per-request percentiles).
    #[arg(long)]
    pub latency: bool,
    /// Busy work each consumer does after taking each number, ns (passed to every process).
    #[arg(long, value_name = "NS", default_value_t = 0)]
    pub work: u64,
    /// Pin every runtime process to the first K CPUs xtask may use [default: not pinned].
    #[arg(long, value_name = "K")]
    pub cpus: Option<u64>,
    /// Place every runtime process's threads on distinct CPUs (after --cpus), round robin (passed to every process) [default: the OS places them].
    #[arg(long)]
    pub pin: bool,
    /// K busy threads (in a separate process) compete for the cores while every cell runs (0: an idle machine).
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub load: u64,
    /// Open loop: offer R numbers per second per cell, each request timed from when it was due (latency includes queueing) [default: closed loop].
    #[arg(long, value_name = "R")]
    pub rate: Option<u64>,
    /// Request channel capacity C of every bounded channel and actor variant (0: rendezvous where the crate has one, else its minimum, 1); only those cells run [default: N, one slot per consumer].
    #[arg(long, value_name = "C")]
    pub capacity: Option<u64>,
    /// Print every column of the table and every finding's details (wider than 100 columns).
    #[arg(long)]
    pub wide: bool,
    /// Where the run goes, its order, and what every process gets.
    #[command(flatten)]
    pub run: RunArgs,
}

/// Options of every task that runs cells (bench and sweep).
#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// Write the run folder here instead of a new one under target/dispenser-bench/ (then latest/ is left alone).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Seed of the shuffled run order [default: random; the report gives it].
    #[arg(long, value_name = "N")]
    pub seed: Option<u64>,
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
    pub old: Option<PathBuf>,
    /// The later run, likewise.
    pub new: Option<PathBuf>,
    /// Read the two as an A/A pair (two runs of one plan), as `cargo xtask noise` does after running them: false alarms, the detection of a known injected slowdown, minimum detectable effects, interval widths.
    #[arg(long)]
    pub aa: bool,
    /// Print every column: OLD and NEW with their intervals, full runtime names (wider than 100 columns).
    #[arg(long)]
    pub wide: bool,
}

/// Options of `cargo xtask report`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// A results.json (or results.jsonl) file, or a run folder; several (e.g. run folders copied from other machines) merge into one report with a column per machine.
    #[arg(required = true, num_args = 1..)]
    pub results: Vec<PathBuf>,
    /// Folder for the rendered files [default: the results file's folder; required with several runs].
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print every column of the table and every finding's details (wider than 100 columns).
    #[arg(long)]
    pub wide: bool,
}

/// Options of `cargo xtask sweep`.
#[derive(Debug, Clone, Args)]
pub struct SweepArgs {
    /// Only this runtime (repeatable): its name (`sync`, `tokio`) or its package.
    #[arg(long = "runtime", value_name = "NAME")]
    pub runtimes: Vec<String>,
    /// Only variants whose name matches this glob (repeatable) [default: one per family per runtime].
    #[arg(long = "variant", value_name = "GLOB", value_parser = parse_glob)]
    pub variants: Vec<glob::Pattern>,
    /// Consumer counts, comma separated.
    #[arg(long, value_name = "N,N..", value_delimiter = ',', default_values_t = SWEEP_DEFAULT_CONSUMERS)]
    pub consumers: Vec<u64>,
    /// Numbers per sample at the points without work; each consumer takes TOTAL / N, so N must divide it. A point with W ns of work halves it until TOTAL x W is at most 0.05 s.
    #[arg(long, value_name = "TOTAL", default_value_t = SWEEP_DEFAULT_TOTAL)]
    pub total: u64,
    /// Executor threads of the async runtimes, comma separated, e.g. `1,2,4` for the workers axis [default: the cores].
    #[arg(long, value_name = "K,K..", value_delimiter = ',')]
    pub workers: Vec<u64>,
    /// Busy work per number, ns, comma separated: an axis with its own chart (ns/number against work) [default: 0,1000,10000,100000; 0 when another axis (--capacity, --load, --rate, --cpus) is given].
    #[arg(long, value_name = "NS,NS..", value_delimiter = ',')]
    pub work: Vec<u64>,
    /// CPUs to pin each process to, comma separated: an axis with its own chart [default: not pinned].
    #[arg(long, value_name = "K,K..", value_delimiter = ',')]
    pub cpus: Vec<u64>,
    /// Place every process's threads on distinct CPUs (after --cpus), round robin, at every point [default: the OS places them].
    #[arg(long)]
    pub pin: bool,
    /// Busy threads of background load beside each process, comma separated: an axis with its own chart [default: 0].
    #[arg(long, value_name = "K,K..", value_delimiter = ',')]
    pub load: Vec<u64>,
    /// Open loop at these offered rates, numbers per second, comma separated: an axis, with latency percentiles against offered load [default: closed loop].
    #[arg(long, value_name = "R,R..", value_delimiter = ',')]
    pub rate: Vec<u64>,
    /// Request channel capacities of the bounded channel and actor variants, comma separated (0: rendezvous where the crate has one; N: one slot per consumer, the bench default): an axis with its own chart; at a point other than N only those variants run [default: 0,1,N; N when another axis (--work, --load, --rate, --cpus) is given].
    #[arg(long, value_name = "C,C..", value_delimiter = ',', value_parser = parse_capacity)]
    pub capacity: Vec<u64>,
    /// Processes per point, run in rounds: with more than one, every crossover and load finding rests on the spread between processes.
    #[arg(long, value_name = "R", default_value_t = 1)]
    pub processes: u64,
    /// Counted samples per point.
    #[arg(long, value_name = "S", default_value_t = SWEEP_DEFAULT_SAMPLES)]
    pub samples: u64,
    /// Warm-up samples per point.
    #[arg(long, value_name = "W", default_value_t = SWEEP_DEFAULT_WARMUP)]
    pub warmup: u64,
    /// Seconds per point after which no counted sample starts (at least 3 are taken).
    #[arg(long, value_name = "SECS", default_value_t = SWEEP_DEFAULT_BUDGET_S)]
    pub budget: f64,
    /// Seconds a point's process may run before it is killed and recorded as `timeout`.
    #[arg(long, value_name = "SECS", default_value_t = SWEEP_DEFAULT_TIMEOUT_S)]
    pub timeout: f64,
    /// Where the run goes, its order, and what every process gets.
    #[command(flatten)]
    pub run: RunArgs,
}

/// The sweep's points, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// Numbers per sample at the points without work.
    pub total: u64,
    /// One workload per consumer count, fewest first; all of `total` numbers.
    pub workloads: Vec<Workload>,
    /// Worker counts for runtimes that take `--workers`, ascending.
    pub workers: Vec<u64>,
    /// Work per number, ns, ascending.
    pub work: Vec<u64>,
    /// CPU counts to pin to, ascending; `[None]`: not pinned.
    pub cpus: Vec<Option<u64>>,
    /// Busy threads of background load, ascending.
    pub load: Vec<u64>,
    /// Offered rates, ascending; `[None]`: closed loop.
    pub rate: Vec<Option<u64>>,
    /// Request channel capacities, ascending; `[None]`: the default, N.
    pub capacity: Vec<Option<u64>>,
    /// What every cell runs with (`workers`, `work_ns` and `cpus` are set per group).
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
                    "--total {} is too small for {c} consumer{}: each must take at least one number",
                    self.total,
                    if c == 1 { "" } else { "s" }
                )));
            }
            if !self.total.is_multiple_of(c) {
                return Err(UsageError(format!(
                    "--total {} is not divisible by {c} consumers; try a power of two such as {SWEEP_DEFAULT_TOTAL}",
                    self.total
                )));
            }
            let w = Workload::new(c, self.total / c)
                .map_err(|e| UsageError(format!("--total {} with {c} consumers: {e}", self.total)))?;
            workloads.push(w);
        }
        let workers = if self.workers.is_empty() {
            vec![dispenser_core::workload::available_parallelism().max(1) as u64]
        } else {
            sorted_unique(&self.workers)
        };
        for &k in &workers {
            check_workers(k)?;
        }
        // A bare sweep maps work and capacity; one that names an axis asks
        // about that axis, and the axes it does not name hold still.
        let named = [&self.work, &self.capacity, &self.load, &self.rate, &self.cpus].iter().any(|a| !a.is_empty());
        let work = match sorted_unique(&self.work) {
            list if list.is_empty() && named => vec![0],
            list if list.is_empty() => SWEEP_DEFAULT_WORK.to_vec(),
            list => list,
        };
        for &ns in &work {
            check_work(ns)?;
        }
        let cpus: Vec<Option<u64>> = match sorted_unique(&self.cpus) {
            list if list.is_empty() => vec![None],
            list => list.into_iter().map(Some).collect(),
        };
        for k in cpus.iter().flatten() {
            check_cpus(*k)?;
        }
        let load = match sorted_unique(&self.load) {
            list if list.is_empty() => vec![0],
            list => list,
        };
        for &k in &load {
            check_load(k)?;
        }
        let rate: Vec<Option<u64>> = match sorted_unique(&self.rate) {
            list if list.is_empty() => vec![None],
            list => list.into_iter().map(Some).collect(),
        };
        for r in rate.iter().flatten() {
            check_rate(*r)?;
        }
        // N (parsed as DEFAULT_CAPACITY) sorts last, as it is drawn.
        let capacity: Vec<Option<u64>> = match sorted_unique(&self.capacity) {
            list if list.is_empty() && named => vec![None],
            list if list.is_empty() => SWEEP_DEFAULT_CAPACITY.to_vec(),
            list => list.into_iter().map(|c| (c != DEFAULT_CAPACITY).then_some(c)).collect(),
        };
        for c in capacity.iter().flatten() {
            check_capacity(*c)?;
        }
        let settings = BenchSettings {
            workloads: workloads.clone(),
            processes: self.processes,
            samples: self.samples,
            min_samples: MIN_CELL_SAMPLES,
            fixed_counts: true,
            warmup: self.warmup,
            budget_s: self.budget,
            timeout_s: self.timeout,
            workers: None,
            latency: false,
            quick: false,
            bench_args: self.run.bench_args.clone(),
            work_ns: 0,
            cpus: None,
            pin: self.pin,
            load: 0,
            rate: None,
            capacity: None,
        }
        .checked()?;
        Ok(Sweep { total: self.total, workloads, workers, work, cpus, load, rate, capacity, settings })
    }
}

impl Sweep {
    /// Numbers per sample at a point with `work_ns` of work: the total,
    /// halved while the work alone would take more than
    /// [`SWEEP_WORK_PER_SAMPLE_NS`] and every consumer count still divides
    /// it with a number each. At no work, the total itself.
    pub fn total_at(&self, work_ns: u64) -> u64 {
        let mut total = self.total;
        let divides =
            |t: u64| self.workloads.iter().all(|w| t >= w.consumers as u64 && t.is_multiple_of(w.consumers as u64));
        while total.saturating_mul(work_ns) > SWEEP_WORK_PER_SAMPLE_NS && total.is_multiple_of(2) && divides(total / 2)
        {
            total /= 2;
        }
        total
    }

    /// The workloads at a point with `work_ns` of work: each consumer count
    /// sharing [`Sweep::total_at`].
    pub fn workloads_at(&self, work_ns: u64) -> Vec<Workload> {
        let total = self.total_at(work_ns);
        self.workloads
            .iter()
            .map(|w| Workload { consumers: w.consumers, per_consumer: (total / w.consumers as u64) as usize })
            .collect()
    }
}

/// `--capacity C`: a number of slots, or `N` for the default (one slot per
/// consumer), which stands as [`DEFAULT_CAPACITY`] until [`SweepArgs::sweep`].
fn parse_capacity(s: &str) -> Result<u64, String> {
    if s.eq_ignore_ascii_case("n") {
        return Ok(DEFAULT_CAPACITY);
    }
    s.parse().map_err(|_| format!("'{s}' is not a capacity: a whole number of slots, or N for one per consumer"))
}
/// Counted samples per process the budget never cuts below, so that a cell
/// of `processes` processes keeps at least [`MIN_CELL_SAMPLES`] in all: one
/// per process from three processes on (a slow cell then costs no more
/// than one process of three samples did).
pub fn min_samples(processes: u64) -> u64 {
    MIN_CELL_SAMPLES.div_ceil(processes.max(1))
}

/// A list given on the command line, ascending, each once.
fn sorted_unique(list: &[u64]) -> Vec<u64> {
    let mut out = list.to_vec();
    out.sort_unstable();
    out.dedup();
    out
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

impl BenchArgs {
    /// Applies the defaults (or `--quick`'s) and checks every number.
    pub fn settings(&self) -> Result<BenchSettings, UsageError> {
        let workloads = match (self.workloads.is_empty(), self.quick) {
            (false, _) => dedup(&self.workloads),
            (true, true) => vec![Workload::QUICK],
            (true, false) => vec![Workload::FEW, Workload::MANY],
        };
        BenchSettings {
            workloads,
            processes: self.processes,
            samples: self.samples.unwrap_or(if self.quick { QUICK_SAMPLES } else { DEFAULT_SAMPLES }),
            min_samples: min_samples(self.processes),
            fixed_counts: true,
            warmup: self.warmup.unwrap_or(if self.quick { QUICK_WARMUP } else { DEFAULT_WARMUP }),
            budget_s: self.budget.unwrap_or(if self.quick { QUICK_BUDGET_S } else { DEFAULT_BUDGET_S }),
            timeout_s: self.timeout,
            workers: self.workers,
            latency: self.latency,
            quick: self.quick,
            bench_args: self.run.bench_args.clone(),
            work_ns: self.work,
            cpus: self.cpus,
            pin: self.pin,
            load: self.load,
            rate: self.rate,
            capacity: self.capacity,
        }
        .checked()
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
pub mod tests {
    use super::*;

    fn bench(args: &[&str]) -> Result<BenchArgs, clap::Error> {
        let argv = ["cargo xtask", "bench"].iter().chain(args);
        match Xtask::try_parse_from(argv)?.task {
            Some(Task::Bench(b)) => Ok(b),
            other => panic!("not bench: {other:?}"),
        }
    }

    /// `cargo xtask sweep ARGS`, parsed.
    pub fn sweep_args(a: &[&str]) -> SweepArgs {
        let argv = ["cargo xtask", "sweep"].iter().chain(a);
        match Xtask::try_parse_from(argv).unwrap().task {
            Some(Task::Sweep(s)) => s,
            other => panic!("not sweep: {other:?}"),
        }
    }

    #[test]
    fn defaults_are_powers_of_two_at_a_fixed_total() {
        let s = sweep_args(&[]).sweep().unwrap();
        assert_eq!(s.workloads.len(), 6);
        assert!(s.workloads.iter().all(|w| w.total() == SWEEP_DEFAULT_TOTAL));
        assert_eq!(s.workloads[5], Workload { consumers: 1024, per_consumer: 64 });
        assert_eq!((s.settings.samples, s.settings.warmup), (3, 1));
        assert_eq!(s.work, SWEEP_DEFAULT_WORK);
        assert_eq!(s.capacity, [Some(0), Some(1), None]);
        assert_eq!(s.workers, [dispenser_core::workload::available_parallelism().max(1) as u64]);
    }

    #[test]
    fn work_points_take_fewer_numbers_but_every_consumer_keeps_one() {
        let s = sweep_args(&[]).sweep().unwrap();
        let totals: Vec<u64> = SWEEP_DEFAULT_WORK.iter().map(|&w| s.total_at(w)).collect();
        // 2^16 at no work, then halved until TOTAL x W <= 0.05 s, never below 1,024 (the most consumers).
        assert_eq!(totals, [1 << 16, 1 << 15, 4096, 1024]);
        assert!(s.workloads_at(100_000).iter().all(|w| w.total() == 1024 && w.per_consumer >= 1));
        // An odd total cannot be halved: it stays whole rather than break a consumer count.
        let s = sweep_args(&["--consumers", "3", "--total", "999", "--work", "1000000"]).sweep().unwrap();
        assert_eq!(s.total_at(1_000_000), 999);
    }

    #[test]
    fn naming_an_axis_holds_the_unnamed_ones_still() {
        let s = sweep_args(&["--load", "0,2"]).sweep().unwrap();
        assert_eq!(
            (s.work.as_slice(), s.capacity.as_slice(), s.load.as_slice()),
            ([0].as_slice(), [None].as_slice(), [0, 2].as_slice())
        );
        let s = sweep_args(&["--work", "0,500"]).sweep().unwrap();
        assert_eq!((s.work.as_slice(), s.capacity.as_slice()), ([0, 500].as_slice(), [None].as_slice()));
        let s = sweep_args(&["--capacity", "1"]).sweep().unwrap();
        assert_eq!((s.work.as_slice(), s.capacity.as_slice()), ([0].as_slice(), [Some(1)].as_slice()));
        let s = sweep_args(&["--consumers", "4"]).sweep().unwrap();
        assert_eq!((s.work.as_slice(), s.capacity.len()), (SWEEP_DEFAULT_WORK.as_slice(), 3));
    }

    #[test]
    fn capacity_takes_n_for_the_default() {
        let s = sweep_args(&["--capacity", "16,n,0"]).sweep().unwrap();
        assert_eq!(s.capacity, [Some(0), Some(16), None]);
        let e = Xtask::try_parse_from(["cargo xtask", "sweep", "--capacity", "x"]).unwrap_err().to_string();
        assert!(e.contains("not a capacity"), "{e}");
    }

    #[test]
    fn a_total_that_does_not_divide_or_is_too_small_is_refused() {
        let e = sweep_args(&["--consumers", "1,3", "--total", "100"]).sweep().unwrap_err().0;
        assert!(e.contains("not divisible by 3"), "{e}");
        let e = sweep_args(&["--consumers", "1,2,4", "--total", "2"]).sweep().unwrap_err().0;
        assert!(e.contains("too small for 4"), "{e}");
        assert!(sweep_args(&["--consumers", "0"]).sweep().is_err());
        assert!(sweep_args(&["--workers", "0"]).sweep().is_err());
        assert!(sweep_args(&["--samples", "0"]).sweep().is_err());
        let s = sweep_args(&["--consumers", "2,1,2", "--total", "100", "--workers", "4,1"]).sweep().unwrap();
        assert_eq!(s.workloads.iter().map(|w| w.per_consumer).collect::<Vec<_>>(), [100, 50]);
        assert_eq!(s.workers, [1, 4]);
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
    fn pin_is_off_unless_asked_and_reaches_bench_noise_and_sweep() {
        assert!(!bench(&[]).unwrap().settings().unwrap().pin);
        assert!(bench(&["--pin"]).unwrap().settings().unwrap().pin);
        let noise = Xtask::try_parse_from(["cargo xtask", "noise", "--pin"]).unwrap().task;
        assert!(matches!(noise, Some(Task::Noise(b)) if b.settings().unwrap().pin));
        assert!(!sweep_args(&[]).sweep().unwrap().settings.pin);
        assert!(sweep_args(&["--pin", "--cpus", "1"]).sweep().unwrap().settings.pin);
    }

    #[test]
    fn variant_globs_and_pass_through_args() {
        let b = bench(&["--variant", "*-bounded", "--bench-arg", "--sample-timeout=3"]).unwrap();
        assert!(b.variants[0].matches("flume-bounded") && !b.variants[0].matches("flume-unbounded"));
        assert_eq!(b.run.bench_args, vec!["--sample-timeout=3"]);
    }
}
