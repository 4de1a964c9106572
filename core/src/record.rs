//! The result record: one per (runtime, executor, variant, workload), one
//! JSON line on stdout with `--format json`. Every raw sample is kept so
//! reports can be recomputed from records alone.

use crate::fairness::Fairness;
use crate::latency::LatencyStats;
use crate::placement::Placed;
use crate::resources::Resources;
use crate::stats::Stats;
use crate::{Family, Violation, Workload};
use serde::{Deserialize, Serialize};

/// Bumped whenever a field changes meaning or disappears.
///
/// - 1: the first records.
/// - 2: the dispense clock starts at the coordinator's stamp as it opens the
///   start line (it started at the first consumer's stamp), and CPU time,
///   context switches and wall time share that one window; records carry
///   their process index, fairness, `--work` and `--cpus`. (Records from the
///   development commits between those changes and this bump, never
///   released, say 1 but follow 2.)
pub const SCHEMA_VERSION: u32 = 2;

/// How the runtime executes consumers.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Executor {
    /// e.g. `threads`, `multi-thread`, `current-thread`, `async-executor`.
    pub flavor: String,
    /// Executor worker threads; `None` for OS threads (one per consumer).
    pub workers: Option<usize>,
}

impl std::fmt::Display for Executor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.workers {
            Some(w) => write!(f, "{}, {} worker{}", self.flavor, w, if w == 1 { "" } else { "s" }),
            None => write!(f, "{}", self.flavor),
        }
    }
}

/// How a cell ended. Only `Ok` is ever ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Every sample ran and validated.
    Ok,
    /// A sample broke the contract (a number lost, duplicated, out of order).
    Invalid,
    /// A sample errored or panicked, or the process crashed.
    Failed,
    /// A sample did not finish within its deadline.
    Hung,
    /// The process was killed for exceeding its time limit (set by xtask).
    Timeout,
}

impl Status {
    /// The lowercase name used in tables.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Invalid => "invalid",
            Status::Failed => "failed",
            Status::Hung => "hung",
            Status::Timeout => "timeout",
        }
    }
}

/// The settings a record was measured with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Counted samples asked for.
    pub samples: usize,
    /// Counted samples the budget never cut below (3 in records that predate the field).
    #[serde(default = "default_min_samples")]
    pub min_samples: usize,
    /// Warm-up samples run first and not counted.
    pub warmup: usize,
    /// Whether an untimed primer (1% of the workload, see
    /// [`crate::runner::primer`]) ran before the first sample; absent when
    /// not (`--no-prime`, and records written before it existed).
    #[serde(default, skip_serializing_if = "is_false")]
    pub primed: bool,
    /// Seconds after which no further counted sample starts (once `min_samples` are in).
    pub budget_s: f64,
    /// Whether latency samples were taken.
    pub latency: bool,
    /// Busy work per number, ns (`--work`; 0 in records written before it existed).
    #[serde(default)]
    pub work_ns: u64,
    /// Spin steps per number that made up `work_ns` (`--work-steps`, passed
    /// by xtask from one calibration per run, or calibrated by the process);
    /// absent without work and in records written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub work_steps: Option<u64>,
    /// CPUs the process was pinned to (`--cpus`); `None`: not pinned.
    #[serde(default)]
    pub cpus: Option<usize>,
    /// Whether threads were placed on CPUs by rule (`--pin`, see
    /// [`crate::placement`]); absent when not, and in records written
    /// before it existed.
    #[serde(default, skip_serializing_if = "is_false")]
    pub pin: bool,
    /// With `--pin`, the process's long-lived threads (executor workers) in
    /// creation order, each with the CPU it was pinned to; the per-sample
    /// threads follow the rule in [`crate::placement`] and are not listed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub placement: Vec<Placed>,
    /// Busy threads of background load in a separate process while the
    /// samples ran (`--load`; 0, none, in records written before it existed).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub load: usize,
    /// Open loop: numbers per second offered (`--rate`); `None`: closed
    /// loop, each consumer asks again as soon as it has its number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<u64>,
    /// Request channel capacity of a bounded variant (`--capacity`); `None`:
    /// the default, N (one slot per consumer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<usize>,
}

fn is_false(b: &bool) -> bool {
    !*b
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

fn default_min_samples() -> usize {
    crate::limits::MIN_SAMPLES
}

/// The machine, as far as a runtime binary can tell cheaply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Host {
    /// Logical cores available to the process (with `--cpus K`: K).
    pub logical_cores: usize,
    /// Operating system family.
    pub os: String,
}

impl Host {
    /// Reads this machine.
    pub fn current() -> Host {
        Host { logical_cores: crate::workload::available_parallelism(), os: std::env::consts::OS.to_string() }
    }
}

/// One cell's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Record {
    /// [`SCHEMA_VERSION`] when written.
    pub schema: u32,
    /// Runtime name, e.g. `sync`, `tokio`.
    pub runtime: String,
    /// Executor details.
    pub executor: Executor,
    /// Variant name.
    pub variant: String,
    /// Variant family.
    pub family: Family,
    /// Primitive exercised.
    pub primitive: String,
    /// Workload measured.
    pub workload: Workload,
    /// Machine it ran on.
    pub host: Host,
    /// Settings it ran with.
    pub settings: Settings,
    /// How it ended.
    pub status: Status,
    /// What went wrong, for any status but `ok`.
    pub error: Option<String>,
    /// The broken contract, for `invalid`.
    pub violation: Option<Violation>,
    /// Samples (warm-up, counted and latency) that ran and passed validation.
    pub validated_samples: usize,
    /// Every counted sample's dispense time, ns, in order.
    pub dispense_ns: Vec<u64>,
    /// Every counted sample's setup time (spawn, start line, join), ns.
    pub setup_ns: Vec<u64>,
    /// Every counted sample's start skew, ns: the last consumer's first
    /// take minus the first one's (see [`crate::Sample::start_skew_ns`]),
    /// part of the dispense time, reported apart; empty for the baseline
    /// and in records written before it existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub start_skew_ns: Vec<u64>,
    /// Summary of `dispense_ns`; absent when no sample was counted.
    pub stats: Option<Stats>,
    /// OS resource use over the counted samples.
    pub resources: Option<Resources>,
    /// Per-request latency percentiles (with `--latency`).
    pub latency: Option<LatencyStats>,
    /// Which of a cell's processes took these samples (0, 1, ...), set by
    /// xtask, which measures every cell in several processes; absent for a
    /// binary run on its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub process: Option<u32>,
    /// How evenly the numbers went round: the median of each figure over the
    /// counted samples, measured outside the clock. Ok records only; absent
    /// in files written before it existed.
    #[serde(default)]
    pub fairness: Option<Fairness>,
    /// Voluntary plus involuntary context switches of the whole process in
    /// the dispensing windows, per number dispensed. Ok records only.
    #[serde(default)]
    pub switches_per_number: Option<f64>,
    /// User plus system CPU time in the dispensing windows, ns per number
    /// dispensed (all threads: above ns/number when several cores work).
    /// Ok records only.
    #[serde(default)]
    pub cpu_ns_per_number: Option<f64>,
}

impl Record {
    /// A record of one cell before anything is measured: this machine,
    /// status ok, no sample, no statistics. The sample loop fills it in; xtask
    /// keeps it as it is (with a status and an error) for a cell that left
    /// no record of its own.
    pub fn unmeasured(
        runtime: String,
        executor: Executor,
        variant: String,
        family: Family,
        primitive: String,
        workload: Workload,
        settings: Settings,
    ) -> Record {
        Record {
            schema: SCHEMA_VERSION,
            runtime,
            executor,
            variant,
            family,
            primitive,
            workload,
            host: Host::current(),
            settings,
            process: None,
            status: Status::Ok,
            error: None,
            violation: None,
            validated_samples: 0,
            dispense_ns: Vec::new(),
            setup_ns: Vec::new(),
            start_skew_ns: Vec::new(),
            stats: None,
            resources: None,
            latency: None,
            fairness: None,
            switches_per_number: None,
            cpu_ns_per_number: None,
        }
    }

    /// True when the record may be ranked.
    pub fn is_ok(&self) -> bool {
        self.status == Status::Ok
    }

    /// How many consumers can do their `--work` at once: the baseline's one
    /// thread, else the consumers, at most one per logical core the process
    /// may use (with `--cpus K`, K).
    pub fn work_parallelism(&self) -> usize {
        match self.family {
            Family::Baseline => 1,
            _ => self.workload.consumers.min(self.host.logical_cores).max(1),
        }
    }

    /// The share of ns/number that is the `--work` itself: the work alone,
    /// spread over [`Record::work_parallelism`] cores, divided by the median
    /// ns/number. 1.0: the dispenser adds nothing on top of the work; `None`
    /// without work or statistics.
    pub fn work_share(&self) -> Option<f64> {
        let per_number = self.stats.as_ref()?.ns_per_number;
        if self.settings.work_ns == 0 || per_number <= 0.0 {
            return None;
        }
        Some(self.settings.work_ns as f64 / self.work_parallelism() as f64 / per_number)
    }

    /// Drops every figure computed from the samples (statistics, resources,
    /// latency, fairness and the per-number figures) while keeping the raw
    /// samples: a cell that did not finish must never be ranked or plotted.
    pub fn clear_figures(&mut self) {
        self.stats = None;
        self.resources = None;
        self.latency = None;
        self.fairness = None;
        self.switches_per_number = None;
        self.cpu_ns_per_number = None;
    }

    /// Human name of the runtime with its executor, e.g. `tokio (multi-thread, 2 workers)`.
    pub fn runtime_label(&self) -> String {
        format!("{} ({})", self.runtime, self.executor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_written_before_work_cpus_and_pin_still_read() {
        let old = r#"{"samples":3,"warmup":1,"budget_s":5.0,"latency":false}"#;
        let s: Settings = serde_json::from_str(old).unwrap();
        assert_eq!((s.work_ns, s.cpus, s.pin, s.placement.len()), (0, None, false, 0));
    }
}
