//! Runs cells, one runtime process each, and turns however a process ended
//! into a record: the binary's own, or one made here when the process timed
//! out, crashed or printed nothing usable. Progress goes to stderr.

use crate::cli::BenchSettings;
use crate::plan::{Cell, Target, VariantInfo};
use crate::process::{self, End, Outcome};
use dispenser_core::record::{Executor, Host, SCHEMA_VERSION, Settings};
use dispenser_core::table::format_ns;
use dispenser_core::{Family, Record, Status, Workload};
use indicatif::{ProgressBar, ProgressStyle};
use std::process::Command;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

/// Seconds `--list` may take.
const LIST_TIMEOUT: Duration = Duration::from_secs(60);

/// Asks a binary for its variants (`--list --format json`: a name per line,
/// or a JSON object per line from binaries that describe their variants).
pub fn list(target: &Target, stop: &AtomicBool) -> Result<Vec<VariantInfo>, String> {
    let mut cmd = Command::new(&target.exe);
    cmd.args(["--list", "--format", "json"]);
    let out =
        process::run(cmd, LIST_TIMEOUT, stop).map_err(|e| format!("could not run {}: {e}", target.exe.display()))?;
    let why = match &out.end {
        End::Exited(s) if s.success() => return VariantInfo::parse_list(&out.stdout),
        End::Exited(s) => process::describe(s),
        End::TimedOut => format!("no answer within {} s", LIST_TIMEOUT.as_secs()),
        End::Interrupted => "interrupted".into(),
    };
    Err(format!("`{} --list` failed: {why}{}", target.runtime.binary, tail(&out.stderr_tail)))
}

/// The command line of one cell: explicit settings, so a record never
/// depends on a binary's defaults.
pub fn command(cell: &Cell, settings: &BenchSettings) -> Command {
    let mut cmd = Command::new(&cell.target.exe);
    cmd.args(["--variant", &cell.variant.name, "--format", "json"]);
    cmd.args(["--consumers", &cell.workload.consumers.to_string()]);
    cmd.args(["--per-consumer", &cell.workload.per_consumer.to_string()]);
    cmd.args(["--samples", &settings.samples.to_string(), "--warmup", &settings.warmup.to_string()]);
    cmd.args(["--budget", &settings.budget_s.to_string()]);
    if settings.latency {
        cmd.arg("--latency");
    }
    executor_args(&mut cmd, &cell.target, settings);
    cmd
}

/// `--flavor`, `--workers` and the pass-through arguments.
fn executor_args(cmd: &mut Command, target: &Target, settings: &BenchSettings) {
    if let Some(flavor) = &target.flavor {
        cmd.args(["--flavor", flavor]);
    }
    if let Some(k) = settings.workers.filter(|_| target.takes_workers()) {
        cmd.args(["--workers", &k.to_string()]);
    }
    cmd.args(&settings.bench_args);
}

/// Runs one sample of one number to learn the executor the binary reports
/// (flavor and worker count); `None` if that fails, which the real cells
/// will then show.
pub fn probe_executor(
    target: &Target,
    variant: &VariantInfo,
    settings: &BenchSettings,
    stop: &AtomicBool,
) -> Option<Executor> {
    let mut cmd = Command::new(&target.exe);
    cmd.args(["--variant", &variant.name, "--format", "json", "--consumers", "1", "--per-consumer", "1"]);
    cmd.args(["--samples", "1", "--warmup", "0", "--budget", "1"]);
    executor_args(&mut cmd, target, settings);
    let out = process::run(cmd, LIST_TIMEOUT, stop).ok()?;
    let line = out.stdout.iter().find(|l| !l.trim().is_empty())?;
    Some(serde_json::from_str::<Record>(line).ok()?.executor)
}

/// The record of a cell whose process has ended; `None` when the run was
/// interrupted (an unfinished cell is not a result).
pub fn record_from(cell: &Cell, settings: &BenchSettings, out: &Outcome) -> Option<Record> {
    let status = match &out.end {
        End::Interrupted => return None,
        End::TimedOut => {
            let why = format!("killed after {} s (--timeout){}", settings.timeout_s, tail(&out.stderr_tail));
            return Some(made_up(cell, settings, Status::Timeout, why));
        }
        End::Exited(status) => status,
    };
    let fail = |why: String| Some(made_up(cell, settings, Status::Failed, format!("{why}{}", tail(&out.stderr_tail))));
    let mut records = Vec::new();
    for line in out.stdout.iter().filter(|l| !l.trim().is_empty()) {
        match serde_json::from_str::<Record>(line) {
            Ok(r) => records.push(r),
            Err(e) => {
                return fail(format!("{} and printed a line that is not a record ({e})", process::describe(status)));
            }
        }
    }
    let Some(mut record) = records.pop() else {
        return fail(format!("{} without a record", process::describe(status)));
    };
    if !records.is_empty() || record.variant != cell.variant.name || record.workload != cell.workload {
        let got = format!("{} {}", record.variant, record.workload);
        return fail(format!("expected one record of {} {}, got {got}", cell.variant.name, cell.workload));
    }
    // Exit 0 with any record, or 1 with a record that says what went wrong,
    // is the binary's contract; anything else is a crash around the record.
    let consistent = status.success() || (status.code() == Some(1) && !record.is_ok());
    if !consistent {
        record.status = Status::Failed;
        let before = record.error.map(|e| format!("; {e}")).unwrap_or_default();
        record.error =
            Some(format!("{} after its record{before}{}", process::describe(status), tail(&out.stderr_tail)));
    }
    Some(record)
}

/// A record for a cell that left none of its own.
fn made_up(cell: &Cell, settings: &BenchSettings, status: Status, error: String) -> Record {
    unmeasured(&cell.target, &cell.variant, cell.workload, settings, status, error)
}

/// A record that holds no measurement: the cell timed out, crashed, or its
/// runtime did not build or list. Only the names are known; the family,
/// when the binary did not say, is guessed from the name (see
/// [`guess_family`]) and the primitive is left `unknown`.
pub fn unmeasured(
    target: &Target,
    variant: &VariantInfo,
    workload: Workload,
    settings: &BenchSettings,
    status: Status,
    error: String,
) -> Record {
    let workers = settings.workers.filter(|_| target.takes_workers()).map(|k| k as usize);
    let guess = || Executor { flavor: target.flavor.clone().unwrap_or_else(|| "?".into()), workers };
    Record {
        schema: SCHEMA_VERSION,
        runtime: target.runtime.name.clone(),
        executor: target.executor.clone().unwrap_or_else(guess),
        variant: variant.name.clone(),
        family: variant.family.unwrap_or_else(|| guess_family(&variant.name)),
        primitive: variant.primitive.clone().unwrap_or_else(|| "unknown".into()),
        workload,
        host: Host::current(),
        settings: Settings {
            samples: settings.samples as usize,
            warmup: settings.warmup as usize,
            budget_s: settings.budget_s,
            latency: settings.latency,
        },
        status,
        error: Some(error),
        violation: None,
        validated_samples: 0,
        dispense_ns: Vec::new(),
        setup_ns: Vec::new(),
        stats: None,
        resources: None,
        latency: None,
    }
}

/// A family for a record the binary never wrote, from the variant's name.
/// Only unranked records ever carry a guess.
pub fn guess_family(name: &str) -> Family {
    match name {
        n if n.contains("actor") => Family::Actor,
        n if n.contains("mutex") || n.contains("lock") => Family::Lock,
        n if n.contains("atomic") => Family::Atomic,
        n if n.contains("single") || n.contains("baseline") => Family::Baseline,
        _ => Family::Channel,
    }
}

fn tail(lines: &[String]) -> String {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() { String::new() } else { format!("; stderr: {}", lines.join(" | ")) }
}

/// How a run of cells ended.
#[derive(Debug, PartialEq, Eq)]
pub enum RunEnd {
    /// Every cell ran.
    Complete,
    /// Ctrl-C stopped it; the unfinished cell was dropped.
    Interrupted,
}

/// Runs `cells` in order, handing each record to `sink` as soon as it
/// exists (which appends it to the JSON Lines file).
pub fn run_all(
    cells: &[Cell],
    settings: &BenchSettings,
    stop: &AtomicBool,
    mut sink: impl FnMut(Record) -> anyhow::Result<()>,
) -> anyhow::Result<RunEnd> {
    let bar = ProgressBar::new(cells.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{spinner} [{elapsed_precise}] {bar:30} {pos}/{len} cells · {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    bar.enable_steady_tick(Duration::from_millis(200));
    let started = Instant::now();
    let width = cells.len().to_string().len();
    for (i, cell) in cells.iter().enumerate() {
        bar.set_message(format!("{cell} ({} left)", cells.len() - i));
        let out = process::run(command(cell, settings), settings.timeout(), stop);
        let (record, took) = match out {
            Ok(out) => (record_from(cell, settings, &out), out.elapsed),
            Err(e) => {
                let why = format!("could not start the process: {e}");
                (Some(made_up(cell, settings, Status::Failed, why)), Duration::ZERO)
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
        // suspend() prints even when the bar is hidden (stderr not a terminal).
        bar.suspend(|| eprintln!("{line}"));
        sink(record)?;
        bar.inc(1);
    }
    bar.finish_and_clear();
    Ok(RunEnd::Complete)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::RuntimeCrate;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;
    use std::sync::Arc;

    fn settings() -> BenchSettings {
        BenchSettings {
            workloads: vec![Workload::QUICK],
            samples: 3,
            warmup: 0,
            budget_s: 1.0,
            workers: Some(2),
            timeout_s: 5.0,
            latency: false,
            quick: true,
            bench_args: vec!["--sample-timeout=9".into()],
        }
    }

    fn cell(flavors: &[&str], workers: bool) -> Cell {
        let workers = if workers { crate::discover::Workers::All } else { crate::discover::Workers::No };
        let runtime = RuntimeCrate {
            name: "tokio".into(),
            package: "tokio-bench".into(),
            id: "tokio-bench".into(),
            binary: "tokio-bench".into(),
            flavors: flavors.iter().map(|s| s.to_string()).collect(),
            workers,
        };
        let target = crate::plan::targets(&runtime, "/bin/tokio-bench".into()).remove(0);
        Cell {
            target: Arc::new(target),
            variant: VariantInfo { name: "flume-bounded".into(), family: None, primitive: None },
            workload: Workload::QUICK,
        }
    }

    fn outcome(end: End, stdout: Vec<String>) -> Outcome {
        Outcome { end, stdout, stderr_tail: vec!["thread 'main' panicked".into()], elapsed: Duration::ZERO }
    }

    fn exit(code: i32) -> End {
        End::Exited(ExitStatus::from_raw(code << 8))
    }

    fn good_record(c: &Cell, status: Status) -> String {
        let mut r = unmeasured(&c.target, &c.variant, c.workload, &settings(), status, String::new());
        r.error = None;
        serde_json::to_string(&r).unwrap()
    }

    #[test]
    fn the_command_passes_every_setting() {
        let cmd = command(&cell(&["current-thread"], true), &settings());
        let args: Vec<String> = cmd.get_args().map(|a| a.to_string_lossy().into_owned()).collect();
        let line = args.join(" ");
        assert_eq!(
            line,
            "--variant flume-bounded --format json --consumers 4 --per-consumer 10000 --samples 3 --warmup 0 \
             --budget 1 --flavor current-thread --workers 2 --sample-timeout=9"
        );
        let cmd = command(&cell(&[], false), &settings());
        assert!(!cmd.get_args().any(|a| a == "--workers" || a == "--flavor"));
    }

    #[test]
    fn a_clean_exit_keeps_the_binarys_record() {
        let c = cell(&[], false);
        let r = record_from(&c, &settings(), &outcome(exit(0), vec![good_record(&c, Status::Ok)])).unwrap();
        assert_eq!((r.status, r.error), (Status::Ok, None));
        let r = record_from(&c, &settings(), &outcome(exit(1), vec![good_record(&c, Status::Invalid)])).unwrap();
        assert_eq!(r.status, Status::Invalid);
    }

    #[test]
    fn a_timeout_is_recorded_as_such() {
        let c = cell(&["multi-thread"], true);
        let r = record_from(&c, &settings(), &outcome(End::TimedOut, vec![])).unwrap();
        assert_eq!(r.status, Status::Timeout);
        assert!(r.error.as_deref().unwrap().starts_with("killed after 5 s (--timeout); stderr: thread 'main'"));
        assert_eq!(r.executor, Executor { flavor: "multi-thread".into(), workers: Some(2) });
        assert_eq!(r.family, Family::Channel);
        assert!(r.stats.is_none());
    }

    #[test]
    fn crashes_and_garbage_are_failures_with_stderr() {
        let c = cell(&[], false);
        let r = record_from(&c, &settings(), &outcome(exit(3), vec![])).unwrap();
        assert_eq!(r.status, Status::Failed);
        assert_eq!(r.error.as_deref(), Some("exit status 3 without a record; stderr: thread 'main' panicked"));
        let r = record_from(&c, &settings(), &outcome(exit(0), vec!["hello".into()])).unwrap();
        assert!(r.error.unwrap().contains("not a record"));
        // A crash after an ok record still fails the cell.
        let segv = End::Exited(ExitStatus::from_raw(libc::SIGSEGV));
        let r = record_from(&c, &settings(), &outcome(segv, vec![good_record(&c, Status::Ok)])).unwrap();
        assert_eq!(r.status, Status::Failed);
        assert!(r.error.unwrap().starts_with("killed by signal 11 (SIGSEGV) after its record"));
        // So does exit 1 with a record claiming success.
        let r = record_from(&c, &settings(), &outcome(exit(1), vec![good_record(&c, Status::Ok)])).unwrap();
        assert_eq!(r.status, Status::Failed);
    }

    #[test]
    fn a_record_of_another_cell_is_refused() {
        let c = cell(&[], false);
        let mut other = c.clone();
        other.variant.name = "atomic".into();
        let r = record_from(&c, &settings(), &outcome(exit(0), vec![good_record(&other, Status::Ok)])).unwrap();
        assert_eq!(r.status, Status::Failed);
        assert!(r.error.unwrap().contains("expected one record of flume-bounded 4x10000, got atomic 4x10000"));
    }

    #[test]
    fn an_interrupted_cell_leaves_no_record() {
        assert!(record_from(&cell(&[], false), &settings(), &outcome(End::Interrupted, vec![])).is_none());
    }

    #[test]
    fn families_are_guessed_from_names() {
        assert_eq!(guess_family("tokio-oneshot-actor"), Family::Actor);
        assert_eq!(guess_family("async-lock-mutex"), Family::Lock);
        assert_eq!(guess_family("atomic"), Family::Atomic);
        assert_eq!(guess_family("single-thread"), Family::Baseline);
        assert_eq!(guess_family("kanal-bounded"), Family::Channel);
    }
}
