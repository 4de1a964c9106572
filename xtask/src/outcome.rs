//! Turns however a cell's process ended into a record: the binary's own,
//! or one made here when the process timed out, crashed or printed nothing
//! usable ("unmeasured": only the names are known, no statistics).

use crate::plan::{Cell, Target, VariantInfo};
use crate::process::{self, End, Outcome};
use crate::results::BenchSettings;
use dispenser_core::record::{Executor, Settings};
use dispenser_core::{Record, Status, Workload};

/// The record of a cell whose process has ended; `None` when the run was
/// interrupted (an unfinished cell is not a result).
pub fn record_from(cell: &Cell, settings: &BenchSettings, out: &Outcome) -> Option<Record> {
    let status = match &out.end {
        End::Interrupted => return None,
        End::TimedOut => {
            let why = format!("killed after {} s (--timeout){}", settings.timeout_s, tail(&out.stderr_tail));
            return Some(unmeasured_cell(cell, settings, Status::Timeout, why));
        }
        End::Exited(status) => status,
    };
    let fail =
        |why: String| Some(unmeasured_cell(cell, settings, Status::Failed, format!("{why}{}", tail(&out.stderr_tail))));
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
    // A cell that did not finish carries no statistics (its raw samples
    // stay): figures computed from part of a run could be ranked by mistake.
    record.process = Some(cell.process);
    if !record.is_ok() {
        record.clear_figures();
    }
    Some(record)
}

/// The record of a cell that left none of its own (see [`unmeasured`]).
pub fn unmeasured_cell(cell: &Cell, settings: &BenchSettings, status: Status, error: String) -> Record {
    Record {
        process: Some(cell.process),
        ..unmeasured(&cell.target, &cell.variant, cell.workload, settings, status, error)
    }
}

/// A record that holds no measurement: the cell timed out, crashed, or its
/// runtime did not build or list. Only what the binary listed is known (for
/// a runtime that could not list: variant `*`, family unknown).
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
    let record_settings = Settings {
        samples: settings.samples as usize,
        min_samples: settings.min_samples as usize,
        warmup: settings.warmup as usize,
        primed: false,
        budget_s: settings.budget_s,
        latency: settings.latency,
        work_ns: settings.work_ns,
        work_steps: None,
        cpus: settings.cpus.map(|k| k as usize),
        pin: settings.pin,
        placement: Vec::new(),
        load: settings.load as usize,
        rate: settings.rate,
        capacity: settings.capacity.map(|c| c as usize),
    };
    Record {
        status,
        error: Some(error),
        ..Record::unmeasured(
            target.runtime.name.clone(),
            target.executor.clone().unwrap_or_else(guess),
            variant.name.clone(),
            variant.family,
            variant.primitive.clone(),
            workload,
            record_settings,
        )
    }
}

/// `; stderr: a | b`, or nothing when the process wrote nothing on stderr.
pub fn tail(lines: &[String]) -> String {
    let lines: Vec<&str> = lines.iter().map(|l| l.trim()).filter(|l| !l.is_empty()).collect();
    if lines.is_empty() { String::new() } else { format!("; stderr: {}", lines.join(" | ")) }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::discover::RuntimeCrate;
    use std::os::unix::process::ExitStatusExt;
    use std::process::ExitStatus;
    use std::sync::Arc;
    use std::time::Duration;

    /// Settings for tests.
    pub fn settings() -> BenchSettings {
        BenchSettings {
            workloads: vec![Workload::QUICK],
            processes: 1,
            min_samples: 3,
            fixed_counts: true,
            samples: 3,
            warmup: 0,
            budget_s: 1.0,
            workers: Some(2),
            timeout_s: 5.0,
            latency: false,
            quick: true,
            bench_args: vec!["--sample-timeout=9".into()],
            work_ns: 0,
            cpus: None,
            pin: false,
            load: 0,
            rate: None,
            capacity: None,
        }
    }

    /// A tokio-like cell with these flavors, taking `--workers` or not.
    pub fn cell(flavors: &[&str], workers: bool) -> Cell {
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
            variant: crate::plan::tests_listing("flume-bounded"),
            workload: Workload::QUICK,
            process: 0,
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
    fn a_clean_exit_keeps_the_binarys_record() {
        let c = cell(&[], false);
        let r = record_from(&c, &settings(), &outcome(exit(0), vec![good_record(&c, Status::Ok)])).unwrap();
        assert_eq!((r.status, r.error), (Status::Ok, None));
        let r = record_from(&c, &settings(), &outcome(exit(1), vec![good_record(&c, Status::Invalid)])).unwrap();
        assert_eq!(r.status, Status::Invalid);
        // A hung record with samples and figures keeps its samples, not its figures.
        let mut hung: Record = serde_json::from_str(&good_record(&c, Status::Hung)).unwrap();
        hung.dispense_ns = vec![5, 6, 7];
        hung.stats = dispenser_core::stats::Stats::compute(&hung.dispense_ns, &[], 10);
        let line = serde_json::to_string(&hung).unwrap();
        let r = record_from(&c, &settings(), &outcome(exit(1), vec![line])).unwrap();
        assert_eq!((r.status, r.dispense_ns.len(), r.stats), (Status::Hung, 3, None));
    }

    #[test]
    fn a_timeout_is_recorded_as_such() {
        let c = cell(&["multi-thread"], true);
        let r = record_from(&c, &settings(), &outcome(End::TimedOut, vec![])).unwrap();
        assert_eq!(r.status, Status::Timeout);
        assert!(r.error.as_deref().unwrap().starts_with("killed after 5 s (--timeout); stderr: thread 'main'"));
        assert_eq!(r.executor, Executor { flavor: "multi-thread".into(), workers: Some(2) });
        assert_eq!(r.family, dispenser_core::Family::Channel);
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
}
