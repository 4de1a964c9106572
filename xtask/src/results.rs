//! The results file: run settings, machine info and every record, and how
//! one is read back — a results.json, a run folder, or the bare JSON Lines
//! file an interrupted run leaves. Reports are computed from this alone.

use crate::error::UsageError;
use crate::machine::Machine;
use dispenser_core::record::SCHEMA_VERSION;
use dispenser_core::{Family, Record, Workload, limits};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Families in the order every report, chart legend and default sweep
/// lists them: from no synchronisation to the most machinery.
pub const FAMILY_ORDER: [Family; 5] = [Family::Baseline, Family::Atomic, Family::Lock, Family::Channel, Family::Actor];

/// The `format` field of every results.json.
pub const FORMAT: &str = "dispenser-bench results";
/// Bumped when the results file changes shape.
pub const VERSION: u32 = 1;
/// File names inside a run folder.
pub const RESULTS_JSON: &str = "results.json";
/// The JSON Lines file records are appended to as they arrive.
pub const RESULTS_JSONL: &str = "results.jsonl";

/// What every cell of a run is measured with, once defaults are applied.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct BenchSettings {
    /// Workloads, in report order.
    pub workloads: Vec<Workload>,
    /// Processes per cell (records written before processes existed: 1).
    #[serde(default = "one")]
    pub processes: u64,
    /// Counted samples per process, at most.
    pub samples: u64,
    /// Counted samples per process the budget never cuts below (older records: 3).
    #[serde(default = "three")]
    pub min_samples: u64,
    /// Whether a cell's first process to succeed fixed the counted samples
    /// of its other processes (see `run::SampleCounts`; older runs: no).
    #[serde(default)]
    pub fixed_counts: bool,
    /// Warm-up samples per cell.
    pub warmup: u64,
    /// Seconds per process after which no counted sample starts (once `min_samples` are in).
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
    /// Busy work per number, ns (`--work`; a sweep sets it per group).
    #[serde(default)]
    pub work_ns: u64,
    /// CPUs every process is pinned to (`--cpus`; a sweep sets it per group).
    #[serde(default)]
    pub cpus: Option<u64>,
    /// Threads placed on CPUs by rule in every process (`--pin`; false in
    /// runs written before it existed).
    #[serde(default)]
    pub pin: bool,
    /// Busy threads of background load beside every process (`--load`; a sweep sets it per group).
    #[serde(default)]
    pub load: u64,
    /// Open loop: numbers per second offered (`--rate`; a sweep sets it per group).
    #[serde(default)]
    pub rate: Option<u64>,
    /// Request channel capacity of the bounded variants (`--capacity`; only
    /// they run with it; a sweep sets it per group); `None`: N.
    #[serde(default)]
    pub capacity: Option<u64>,
}

fn one() -> u64 {
    1
}

fn three() -> u64 {
    3
}

impl BenchSettings {
    /// Itself, when every number is within the limits the runtime binaries
    /// enforce (`dispenser_core::limits`, the one place they are written);
    /// else the first number that is not, worded as for the command line.
    /// Checked before anything is built, so a mistake is refused once
    /// instead of failing every cell, and on every results file read.
    pub fn checked(self) -> Result<Self, UsageError> {
        limits::processes(self.processes)?;
        limits::samples(self.samples)?;
        limits::min_samples(self.min_samples)?;
        limits::warmup(self.warmup)?;
        limits::seconds("budget", self.budget_s)?;
        limits::seconds("timeout", self.timeout_s)?;
        if let Some(k) = self.workers {
            check_workers(k)?;
        }
        check_work(self.work_ns)?;
        check_load(self.load)?;
        if let Some(r) = self.rate {
            check_rate(r)?;
        }
        if let Some(c) = self.capacity {
            check_capacity(c)?;
        }
        if let Some(k) = self.cpus {
            check_cpus(k)?;
        }
        if self.pin {
            check_pin()?;
        }
        Ok(self)
    }

    /// The per-process time limit.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs_f64(self.timeout_s)
    }
}

/// `--workers K` within the binaries' limit.
pub fn check_workers(k: u64) -> Result<(), UsageError> {
    limits::workers(k).map(drop).map_err(UsageError::from)
}

/// `--work NS` within core's limit.
pub fn check_work(ns: u64) -> Result<(), UsageError> {
    limits::work_ns(ns).map(drop).map_err(UsageError::from)
}

/// `--capacity C`: 0 ..= `MAX_CAPACITY` request slots, checked before anything is built.
pub fn check_capacity(c: u64) -> Result<(), UsageError> {
    limits::capacity(c).map(drop).map_err(UsageError::from)
}

/// `--rate R`: 1 ..= `MAX_RATE` numbers per second, checked before anything is built.
pub fn check_rate(r: u64) -> Result<(), UsageError> {
    limits::rate(r).map(drop).map_err(UsageError::from)
}

/// `--load K`: 0 ..= `MAX_LOAD` busy threads, checked before anything is built.
pub fn check_load(k: u64) -> Result<(), UsageError> {
    limits::load(k).map(drop).map_err(UsageError::from)
}

/// `--cpus K` within the CPUs this process may use (the runtime processes
/// inherit the same mask), checked before anything is built.
pub fn check_cpus(k: u64) -> Result<(), UsageError> {
    let allowed = dispenser_core::cpus::allowed().map_err(|e| UsageError(e.to_string()))?;
    limits::cpus(k, allowed.len()).map(drop).map_err(UsageError::from)
}

/// `--pin` where the runtime processes can place threads (Linux), checked
/// before anything is built.
pub fn check_pin() -> Result<(), UsageError> {
    if !cfg!(target_os = "linux") {
        return Err(UsageError(dispenser_core::cpus::PinError::PinUnsupported.to_string()));
    }
    Ok(())
}

/// How the run went, apart from its records.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct RunInfo {
    /// When the first cell started, UTC, RFC 3339.
    pub started_utc: Option<String>,
    /// When the last cell ended, UTC, RFC 3339.
    pub finished_utc: Option<String>,
    /// Wall seconds of the cells (build excluded).
    pub elapsed_s: Option<f64>,
    /// Seed of the shuffled order: `--seed` repeats it.
    pub seed: Option<u64>,
    /// The xtask command line.
    pub command: Vec<String>,
    /// Settings every cell ran with.
    pub settings: Option<BenchSettings>,
    /// Cells planned.
    pub cells: Option<usize>,
    /// True when Ctrl-C stopped the run before every cell ran.
    pub interrupted: bool,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Results {
    /// Always [`FORMAT`], so a stray JSON file is recognised as not ours.
    pub format: String,
    /// [`VERSION`] when written.
    pub version: u32,
    /// The run.
    pub run: RunInfo,
    /// The machine; absent when read from a bare JSON Lines file.
    pub machine: Option<Machine>,
    /// Every record, in the order the cells ran.
    pub records: Vec<Record>,
}

impl Results {
    /// A results value for `records`.
    pub fn new(run: RunInfo, machine: Option<Machine>, records: Vec<Record>) -> Self {
        Results { format: FORMAT.into(), version: VERSION, run, machine, records }
    }
}

/// Reads a results.json, a results.jsonl, or a run folder holding either.
/// Every failure is a [`UsageError`] of one line naming the file. A torn
/// last line of a journal (a crash or a full disk mid-write) is skipped
/// with a warning on stderr; a bad line before the last is an error.
/// Every number is checked as the command line checks it ([`check`]).
pub fn load(path: &Path) -> Result<Results, UsageError> {
    let file = resolve(path)?;
    let text =
        std::fs::read_to_string(&file).map_err(|e| UsageError(format!("cannot read {}: {e}", file.display())))?;
    let bad = |why: String| UsageError(format!("{} is not a dispenser-bench results file: {why}", file.display()));
    let results = if file.extension().is_some_and(|e| e == "jsonl") {
        let lines: Vec<(usize, &str)> = text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()).collect();
        let mut records = Vec::new();
        for (k, (i, line)) in lines.iter().enumerate() {
            match serde_json::from_str(line) {
                Ok(r) => records.push(r),
                // Torn: the JSON stops short, as a write cut off by a crash or a full disk leaves it.
                Err(e) if k + 1 == lines.len() && e.is_eof() => {
                    eprintln!("warning: {} line {}: skipped a torn last line ({e})", file.display(), i + 1);
                }
                Err(e) => return Err(bad(format!("line {}: {e}", i + 1))),
            }
        }
        Results::new(RunInfo::default(), None, records)
    } else {
        let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| bad(e.to_string()))?;
        if value.get("format").and_then(|f| f.as_str()) != Some(FORMAT) {
            return Err(bad(format!("no \"format\": \"{FORMAT}\" field")));
        }
        match value.get("version").map(|v| (v, v.as_u64())) {
            Some((_, Some(v))) if v <= u64::from(VERSION) => {}
            Some((_, Some(v))) => {
                return Err(bad(format!("its version {v} is newer than this xtask reads (up to {VERSION})")));
            }
            Some((v, None)) => return Err(bad(format!("its version {v} is not a whole number"))),
            None => return Err(bad("it has no \"version\" field".into())),
        }
        serde_json::from_value(value).map_err(|e| bad(e.to_string()))?
    };
    if let Some(r) = results.records.iter().find(|r| r.schema > SCHEMA_VERSION) {
        return Err(bad(format!("record schema {} is newer than this xtask reads ({SCHEMA_VERSION})", r.schema)));
    }
    check(&results).map_err(bad)?;
    Ok(results)
}

/// Checks every number of a results file that the command line would
/// check: each record's workload (zero, overflow of N x T, memory) and the
/// run's settings, so nothing read from a file can make a report panic.
pub fn check(results: &Results) -> Result<(), String> {
    let workload = |w: &Workload| {
        let (n, t) = (w.consumers as u64, w.per_consumer as u64);
        Workload::new(n, t).map(|_| ()).map_err(|e| format!("workload {n}x{t}: {}", e.to_string().replace("--", "")))
    };
    for (i, r) in results.records.iter().enumerate() {
        workload(&r.workload).map_err(|e| format!("record {} ({}): {e}", i + 1, r.variant))?;
    }
    if let Some(s) = &results.run.settings {
        for w in &s.workloads {
            workload(w).map_err(|e| format!("run settings: {e}"))?;
        }
        s.clone().checked().map_err(|e| format!("run settings: {e}"))?;
    }
    Ok(())
}

/// The file to read for `path`: itself, or a folder's results.json, else
/// its results.jsonl.
pub fn resolve(path: &Path) -> Result<PathBuf, UsageError> {
    if path.is_dir() {
        return [RESULTS_JSON, RESULTS_JSONL]
            .iter()
            .map(|name| path.join(name))
            .find(|p| p.is_file())
            .ok_or_else(|| UsageError(format!("{} holds no {RESULTS_JSON} or {RESULTS_JSONL}", path.display())));
    }
    if !path.exists() {
        return Err(UsageError(format!("{} does not exist", path.display())));
    }
    Ok(path.to_path_buf())
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use dispenser_core::Status;
    use dispenser_core::record::{Executor, Host, Settings};
    use dispenser_core::stats::Stats;

    /// A valid record for tests: `ns` are its samples.
    pub fn record(runtime: &str, variant: &str, workload: Workload, ns: &[u64]) -> Record {
        let setup: Vec<u64> = ns.iter().map(|_| 1000).collect();
        Record {
            schema: SCHEMA_VERSION,
            runtime: runtime.into(),
            executor: Executor { flavor: "threads".into(), workers: None },
            variant: variant.into(),
            family: crate::plan::tests_listing(variant).family,
            primitive: format!("{variant}::primitive"),
            workload,
            host: Host { logical_cores: 2, os: "linux".into() },
            settings: Settings {
                samples: ns.len(),
                min_samples: 3,
                warmup: 1,
                primed: false,
                budget_s: 2.0,
                latency: false,
                work_ns: 0,
                work_steps: None,
                cpus: None,
                pin: false,
                placement: Vec::new(),
                load: 0,
                rate: None,
                capacity: None,
            },
            status: Status::Ok,
            error: None,
            violation: None,
            validated_samples: ns.len() + 1,
            dispense_ns: ns.to_vec(),
            setup_ns: setup.clone(),
            start_skew_ns: Vec::new(),
            stats: Stats::compute(ns, &setup, workload.total()),
            resources: Some(dispenser_core::resources::Resources {
                wall_s: 0.1,
                user_cpu_s: 0.15,
                system_cpu_s: 0.05,
                cpu_per_wall: 2.0,
                voluntary_switches: 10,
                involuntary_switches: 2,
                peak_rss_kib: 20_480,
            }),
            latency: None,
            process: None,
            fairness: None,
            switches_per_number: None,
            cpu_ns_per_number: None,
        }
    }

    /// The same record, failed.
    pub fn failed(mut r: Record, status: Status, why: &str) -> Record {
        r.status = status;
        r.error = Some(why.into());
        r.dispense_ns.clear();
        r.setup_ns.clear();
        r.stats = None;
        r.resources = None;
        r.family = Family::Channel;
        r
    }

    #[test]
    fn a_file_a_folder_and_json_lines_all_load() {
        let dir = tempfile::tempdir().unwrap();
        let r = record("sync", "atomic", Workload::QUICK, &[10, 20, 30]);
        let results = Results::new(RunInfo { seed: Some(5), ..RunInfo::default() }, None, vec![r.clone()]);
        std::fs::write(dir.path().join(RESULTS_JSON), serde_json::to_string(&results).unwrap()).unwrap();
        assert_eq!(load(&dir.path().join(RESULTS_JSON)).unwrap(), results);
        assert_eq!(load(dir.path()).unwrap(), results);
        let jsonl = dir.path().join("x.jsonl");
        std::fs::write(
            &jsonl,
            format!("{}\n\n{}\n", serde_json::to_string(&r).unwrap(), serde_json::to_string(&r).unwrap()),
        )
        .unwrap();
        assert_eq!(load(&jsonl).unwrap().records.len(), 2);
    }

    #[test]
    fn bad_files_are_one_line_usage_errors() {
        let dir = tempfile::tempdir().unwrap();
        let check = |name: &str, text: &str, expect: &str| {
            let p = dir.path().join(name);
            std::fs::write(&p, text).unwrap();
            let e = load(&p).unwrap_err().0;
            assert!(e.contains(expect) && !e.contains('\n'), "{name}: {e}");
        };
        check("a.json", "{not json", "is not a dispenser-bench results file");
        check("b.json", r#"{"records": []}"#, "no \"format\"");
        check("c.json", r#"{"format": "dispenser-bench results", "version": 99}"#, "newer");
        check("d.json", r#"{"format": "dispenser-bench results", "version": 1, "records": 3}"#, "invalid type");
        check("e.jsonl", "{\"x\": 1}\n", "line 1");
        let e = load(&dir.path().join("missing.json")).unwrap_err().0;
        assert!(e.ends_with("missing.json does not exist"), "{e}");
        let empty = tempfile::tempdir().unwrap();
        assert!(load(empty.path()).unwrap_err().0.contains("holds no results.json"));
    }
}
