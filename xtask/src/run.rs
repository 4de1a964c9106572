//! Runs the cells of a plan in order, one runtime process each, hands each
//! record on as soon as it exists, and shows progress on stderr. While a
//! cell runs xtask only waits: the child is waited on with a blocking wait
//! and a deadline, and progress is redrawn between cells, never on a timer,
//! so nothing here competes with the cell for the machine's cores.

use crate::outcome::{record_from, unmeasured_cell};
use crate::plan::{Cell, Target};
use crate::process;
use crate::results::BenchSettings;
use dispenser_core::Record;
use dispenser_core::Status;
use dispenser_core::table::format_ns;
use indicatif::{ProgressBar, ProgressStyle};
use std::collections::HashMap;
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// The command line of one cell: explicit settings, so a record never
/// depends on a binary's defaults. `fixed`: the counted samples this
/// process must take, set by an earlier process of the same cell (see
/// [`SampleCounts`]); `None` lets the budget decide.
pub fn command(cell: &Cell, settings: &BenchSettings, fixed: Option<u64>) -> Command {
    let mut cmd = Command::new(&cell.target.exe);
    cmd.args(["--variant", &cell.variant.name, "--format", "json"]);
    cmd.args(["--consumers", &cell.workload.consumers.to_string()]);
    cmd.args(["--per-consumer", &cell.workload.per_consumer.to_string()]);
    let (samples, floor) = match fixed {
        Some(k) => (k, k),
        None => (settings.samples, settings.min_samples),
    };
    cmd.args(["--samples", &samples.to_string(), "--warmup", &settings.warmup.to_string()]);
    cmd.args(["--min-samples", &floor.to_string()]);
    cmd.args(["--budget", &settings.budget_s.to_string()]);
    if settings.latency {
        cmd.arg("--latency");
    }
    executor_args(&mut cmd, &cell.target, settings);
    if !settings.bench_args.iter().any(|a| a.starts_with("--sample-timeout")) {
        cmd.args(["--sample-timeout", &sample_timeout_s(settings.timeout_s).to_string()]);
    }
    cmd
}

/// The `--sample-timeout` xtask gives every cell: three quarters of the
/// cell's `--timeout`. A sample stuck on a lost message then ends in the
/// binary as `hung`, with the samples before it kept in its record, while
/// the last quarter leaves room for those earlier samples and the record's
/// writing; only a process stuck outside any sample reaches the cell's
/// timeout (and keeps nothing). `--bench-arg=--sample-timeout=S` overrides it.
pub fn sample_timeout_s(timeout_s: f64) -> f64 {
    timeout_s * 0.75
}

/// `--flavor`, `--workers`, `--work`, `--cpus`, `--pin` and the pass-through
/// arguments: everything that shapes the process, so the executor probe
/// sees the worker count the cells get (pinned, the default is K).
pub fn executor_args(cmd: &mut Command, target: &Target, settings: &BenchSettings) {
    if let Some(flavor) = &target.flavor {
        cmd.args(["--flavor", flavor]);
    }
    if let Some(k) = settings.workers.filter(|_| target.takes_workers()) {
        cmd.args(["--workers", &k.to_string()]);
    }
    if settings.work_ns > 0 {
        cmd.args(["--work", &settings.work_ns.to_string()]);
    }
    if let Some(k) = settings.cpus {
        cmd.args(["--cpus", &k.to_string()]);
    }
    if settings.pin {
        cmd.arg("--pin");
    }
    if settings.load > 0 {
        cmd.args(["--load", &settings.load.to_string()]);
    }
    if let Some(r) = settings.rate {
        cmd.args(["--rate", &r.to_string()]);
    }
    if let Some(rate) = work_rate(target).filter(|_| settings.work_ns > 0) {
        let steps = dispenser_core::work::Work::at_rate(settings.work_ns, rate).steps();
        cmd.args(["--work-steps", &steps.to_string()]);
    }
    // The plan gives a capacity only to cells of bounded variants (the
    // binaries refuse it for any other).
    if let Some(c) = settings.capacity {
        cmd.args(["--capacity", &c.to_string()]);
    }
    cmd.args(&settings.bench_args);
}

/// Spin steps per ns for `--work`, measured once per run: the first
/// binary asked prints its calibration (`--print-work-rate`), and every
/// process gets its step count from that one figure (`--work-steps`), so
/// processes do not each spin a different amount at whatever clock
/// frequency held when they started. `None` if the binary could not say:
/// each process then calibrates itself, as before.
fn work_rate(target: &Target) -> Option<f64> {
    static RATE: std::sync::OnceLock<Option<f64>> = std::sync::OnceLock::new();
    *RATE.get_or_init(|| {
        let out = Command::new(&target.exe).arg("--print-work-rate").output().ok()?;
        let rate: f64 = String::from_utf8(out.stdout).ok()?.trim().parse().ok()?;
        (out.status.success() && rate.is_finite() && rate > 0.0).then_some(rate)
    })
}

/// The counted samples per process of each cell, fixed by its first
/// process to succeed. That one takes as many as the budget allows (up to
/// `--samples`); every later process of the cell takes exactly as many,
/// whatever its own speed. With the budget alone, a process in a fast mode
/// took more samples than one in a slow mode, so the processes' medians
/// rested on unequal evidence; and the count no longer depends on how
/// busy the machine was when each process ran.
#[derive(Debug, Default)]
pub struct SampleCounts(HashMap<String, u64>);

impl SampleCounts {
    /// The count fixed for `cell`'s processes, if one of them has succeeded.
    pub fn get(&self, cell: &Cell) -> Option<u64> {
        self.0.get(&cell.key()).copied()
    }

    /// Fixes the count from `record` unless already fixed: only an `ok`
    /// record with counted samples fixes it.
    pub fn learn(&mut self, cell: &Cell, record: &Record) {
        let taken = record.dispense_ns.len() as u64;
        if record.is_ok() && taken > 0 {
            self.0.entry(cell.key()).or_insert(taken);
        }
    }
}

/// How a run of cells ended.
#[derive(Debug, PartialEq, Eq)]
pub enum RunEnd {
    /// Every cell ran.
    Complete,
    /// A stop was asked for (Ctrl-C, SIGTERM, SIGHUP); the unfinished cell was dropped.
    Interrupted,
}

/// Runs `cells` in order, handing each record to `sink` as soon as it
/// exists (which appends it to the journal). An error from `sink` (a full
/// disk) ends the run at once and is returned with the cells done so far
/// already handed on.
pub fn run_all(
    cells: &[Cell],
    settings: &BenchSettings,
    stop: &AtomicBool,
    mut sink: impl FnMut(Record) -> anyhow::Result<()>,
) -> anyhow::Result<RunEnd> {
    let bar = ProgressBar::new(cells.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("[{elapsed_precise}] {bar:30} {pos}/{len} cells · {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = Instant::now();
    let width = cells.len().to_string().len();
    let mut counts = SampleCounts::default();
    for (i, cell) in cells.iter().enumerate() {
        // Drawn once per cell: the bar has no ticker thread of its own.
        bar.set_message(format!("{cell} ({} left)", cells.len() - i));
        let out = process::run(
            command(cell, settings, counts.get(cell).filter(|_| settings.fixed_counts)),
            settings.timeout(),
            stop,
        );
        let (record, took) = match out {
            Ok(out) => (record_from(cell, settings, &out), out.elapsed),
            Err(e) => {
                let why = format!("could not start the process: {e}");
                (Some(unmeasured_cell(cell, settings, Status::Failed, why)), Duration::ZERO)
            }
        };
        let Some(record) = record else {
            bar.abandon_with_message(format!("interrupted: {cell} dropped, {i} of {} cells kept", cells.len()));
            return Ok(RunEnd::Interrupted);
        };
        let outcome = match &record.stats {
            Some(s) if record.is_ok() => format!("{:>10}", format_ns(s.median_ns)),
            _ => format!("{:>10}", record.status.as_str()),
        };
        let elapsed = started.elapsed().as_secs();
        let line = format!(
            "[{:>width$}/{}] {outcome}  {cell}  (took {:.1} s; {}:{:02} so far)",
            i + 1,
            cells.len(),
            took.as_secs_f64(),
            elapsed / 60,
            elapsed % 60
        );
        counts.learn(cell, &record);
        // suspend() prints even when the bar is hidden (stderr not a terminal).
        bar.suspend(|| eprintln!("{line}"));
        if let Err(e) = sink(record) {
            bar.abandon();
            return Err(e);
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(RunEnd::Complete)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outcome::tests::{cell, settings};

    #[test]
    fn the_command_passes_every_setting() {
        let cmd = command(&cell(&["current-thread"], true), &settings(), None);
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        let line = args.join(" ");
        assert_eq!(
            line,
            "--variant flume-bounded --format json --consumers 4 --per-consumer 10000 --samples 3 --warmup 0 \
             --min-samples 3 --budget 1 --flavor current-thread --workers 2 --sample-timeout=9"
        );
        let cmd = command(&cell(&[], false), &settings(), None);
        assert!(!cmd.get_args().any(|a| a == "--workers" || a == "--flavor"));
        // Without one of the user's, the cell gets a sample timeout under its own.
        let own = BenchSettings { bench_args: Vec::new(), ..settings() };
        let args: Vec<String> =
            command(&cell(&[], false), &own, None).get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert!(args.ends_with(&["--sample-timeout".to_string(), "3.75".to_string()]), "{args:?}");
        // Work and pinning reach every process, threads included.
        let knobs = BenchSettings { work_ns: 500, cpus: Some(1), pin: true, ..settings() };
        let line: Vec<String> =
            command(&cell(&[], false), &knobs, None).get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        assert!(line.join(" ").contains("--work 500 --cpus 1 --pin"), "{line:?}");
        assert!(!args.contains(&"--pin".to_string()), "not placed unless asked: {args:?}");
    }

    #[test]
    fn a_cells_first_success_fixes_the_sample_count_of_its_other_processes() {
        let first = cell(&[], false);
        let later = Cell { process: 3, ..first.clone() };
        let other = Cell { workload: dispenser_core::Workload { consumers: 9, per_consumer: 10 }, ..first.clone() };
        let mut counts = SampleCounts::default();
        let mut failed = unmeasured_cell(&first, &settings(), Status::Failed, "boom".into());
        counts.learn(&first, &failed);
        assert_eq!(counts.get(&later), None, "a failed process fixes nothing");
        failed.status = Status::Ok;
        failed.dispense_ns = vec![5, 6];
        counts.learn(&first, &failed);
        failed.dispense_ns = vec![5, 6, 7];
        counts.learn(&later, &failed);
        assert_eq!(counts.get(&later), Some(2), "the first success fixes it, later ones do not change it");
        assert_eq!(counts.get(&other), None, "another workload is another cell");
        let line: Vec<String> = command(&later, &settings(), counts.get(&later))
            .get_args()
            .map(|a| a.to_string_lossy().into_owned())
            .collect();
        assert!(line.join(" ").contains("--samples 2 --warmup 0 --min-samples 2"), "{line:?}");
    }
}
