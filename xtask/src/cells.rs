//! A workload's ok cells as the findings, the runtime matrix and the
//! fairness views read them: collate's ranked rows (every process of a cell
//! and the interval `dispenser_core::evidence` gives them) with figures per
//! number, so cells of different workloads compare, and the cell-level
//! fairness, switches and CPU (medians over processes, from collate). No statement rests
//! on one process when the cell has several.

use crate::collate::{CellRecords, Section};
use dispenser_core::evidence::{self, Estimate, Interval, Ratio};
use dispenser_core::fairness::Fairness;
use dispenser_core::{Family, Record};

/// One ok cell of a workload, as the findings and the views read it: a
/// ranked row of [`crate::collate`] (its processes and their estimate),
/// with per-number figures.
#[derive(Debug, Clone)]
pub struct Cell<'a> {
    /// The first process's record: names, family, workload.
    pub record: &'a Record,
    /// Every process's record, in process order.
    pub processes: CellRecords<'a>,
    /// The cell's typical dispense time and its interval, ns (collate's).
    pub estimate: Estimate,
}

impl<'a> Cell<'a> {
    /// The runtime with its executor, e.g. `tokio (multi-thread, 2 workers)`.
    pub fn runtime(&self) -> String {
        self.record.runtime_label()
    }

    /// The variant's name.
    pub fn variant(&self) -> &'a str {
        &self.record.variant
    }

    /// The variant's family.
    pub fn family(&self) -> Family {
        self.record.family
    }

    /// Numbers dispensed per sample.
    pub fn numbers(&self) -> f64 {
        self.record.workload.total().max(1) as f64
    }

    /// The point estimate, ns per number.
    pub fn ns_per_number(&self) -> f64 {
        self.estimate.point / self.numbers()
    }

    /// The interval of the point estimate, ns per number.
    pub fn interval_per_number(&self) -> Interval {
        let n = self.numbers();
        Interval { lo: self.estimate.interval.lo / n, hi: self.estimate.interval.hi / n }
    }

    /// Each process's samples, ns per number (comparable across workloads).
    pub fn samples_per_number(&self) -> Vec<Vec<f64>> {
        let n = self.numbers();
        self.processes.records.iter().map(|r| r.dispense_ns.iter().map(|&x| x as f64 / n).collect()).collect()
    }

    /// How evenly the numbers went round: see [`fairness`].
    pub fn fairness(&self) -> Option<Fairness> {
        self.processes.fairness()
    }

    /// Context switches per number: see [`switches_per_number`].
    pub fn switches_per_number(&self) -> Option<f64> {
        self.processes.switches_per_number()
    }

    /// CPU ns per number: see [`cpu_ns_per_number`].
    pub fn cpu_ns_per_number(&self) -> Option<f64> {
        self.processes.cpu_ns_per_number()
    }

    /// `variant on runtime`.
    pub fn name(&self) -> String {
        format!("{} on {}", self.variant(), self.runtime())
    }

    /// The runtime's short label (`tokio-mt/2`): see [`short_runtime`].
    pub fn short_runtime(&self) -> String {
        short_runtime(self.record)
    }

    /// `variant · tokio-mt/2`: the cell named once, short.
    pub fn short_name(&self) -> String {
        format!("{} · {}", self.variant(), self.short_runtime())
    }

    /// True when no contention happened: see [`uncontended`].
    pub fn uncontended(&self) -> bool {
        uncontended(self.fairness(), self.record)
    }
}

/// Share of `T` (numbers per consumer) from which a cell's mean run counts as
/// no contention. A mean run of at least T/2 means fewer than two runs per
/// consumer on average: the consumers took their numbers one after another
/// (a task that never yields on a current-thread executor takes all T in one
/// poll, a thread may finish its T inside one time slice), not against each
/// other, so the cell measures an uncontended path, not the shared one.
pub const UNCONTENDED_SHARE: f64 = 0.5;

/// True when a cell's fairness says no contention happened (its mean run is
/// at least [`UNCONTENDED_SHARE`] of the numbers per consumer). Never for a
/// baseline (one thread: contention is not the question) or a cell without
/// fairness figures.
pub fn uncontended(fairness: Option<Fairness>, record: &Record) -> bool {
    let t = record.workload.per_consumer as f64;
    record.family != Family::Baseline
        && record.workload.consumers > 1
        && fairness.is_some_and(|f| f.mean_run >= UNCONTENDED_SHARE * t)
}

/// A runtime's short label, for narrow tables: `threads`, `tokio-mt/2`,
/// `tokio-ct`, `async-std/2`, `smol/2`, `may/2`; another runtime is its name
/// with `/workers` when it has workers. [`runtime_legend`] says what each is.
pub fn short_runtime(r: &Record) -> String {
    match (r.runtime.as_str(), r.executor.flavor.as_str(), r.executor.workers) {
        ("sync", _, None) => "threads".into(),
        ("tokio", "current-thread", _) => "tokio-ct".into(),
        ("tokio", "multi-thread", Some(w)) => format!("tokio-mt/{w}"),
        (name, _, Some(w)) => format!("{name}/{w}"),
        (name, _, None) => name.into(),
    }
}

/// `tokio-mt/2 = tokio (multi-thread, 2 workers)`: what a short label
/// stands for, one entry per distinct label in `records`, in the order of
/// [`runtimes`].
pub fn runtime_legend<'r>(records: impl IntoIterator<Item = &'r Record>) -> Vec<String> {
    let mut out: Vec<(usize, String, String)> = Vec::new();
    for r in records {
        let short = short_runtime(r);
        if !out.iter().any(|(_, s, _)| *s == short) {
            let rank = RUNTIME_ORDER.iter().position(|o| *o == r.runtime).unwrap_or(RUNTIME_ORDER.len());
            out.push((rank, short, r.runtime_label()));
        }
    }
    // As the matrix orders its columns: OS threads first, current-thread last in its runtime.
    out.sort_by_key(|(rank, _, long)| (*rank, long.contains("current-thread")));
    out.into_iter().map(|(_, short, long)| format!("{short} = {long}")).collect()
}

/// Runtime names in report order (OS threads first); others follow in the
/// order they appear.
const RUNTIME_ORDER: [&str; 5] = ["sync", "tokio", "async-std", "smol", "may"];

/// The runtimes (with executor) of some cells, in [`RUNTIME_ORDER`]; the
/// executors of one runtime current-thread last, otherwise in the order
/// their cells come (fastest first).
pub fn runtimes(cells: &[Cell]) -> Vec<String> {
    let mut out: Vec<(usize, String)> = Vec::new();
    for c in cells {
        let rank = RUNTIME_ORDER.iter().position(|r| *r == c.record.runtime).unwrap_or(RUNTIME_ORDER.len());
        if !out.iter().any(|(_, name)| *name == c.runtime()) {
            out.push((rank, c.runtime()));
        }
    }
    // A runtime's current-thread executor after its multi-threaded one: the
    // default first.
    out.sort_by_key(|(rank, name)| (*rank, name.contains("current-thread")));
    out.into_iter().map(|(_, name)| name).collect()
}

/// `b / a` in ns per number with its interval (a ratio above 1 means `b`
/// is slower); seeded by both names so a report reproduces.
pub fn ratio(a: &Cell, b: &Cell) -> Option<Ratio> {
    let seed = evidence::seed_for(&format!("{}/{}/{}", a.name(), b.name(), a.record.workload));
    evidence::ratio(&a.samples_per_number(), &b.samples_per_number(), seed)
}

/// The ok cells of a section, fastest point estimate first.
pub fn cells<'a>(section: &Section<'a>) -> Vec<Cell<'a>> {
    let mut cells: Vec<Cell<'a>> = section
        .rows
        .iter()
        .map(|row| Cell { record: row.record, processes: row.cell.clone(), estimate: row.estimate })
        .collect();
    cells.sort_by(|a, b| a.estimate.point.total_cmp(&b.estimate.point));
    cells
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::sections;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::Workload;

    #[test]
    fn records_of_one_cell_are_its_processes() {
        let w = Workload::QUICK;
        let results = Results::new(
            RunInfo::default(),
            None,
            vec![
                record("sync", "atomic", w, &[100, 110, 105]),
                record("sync", "std-mutex", w, &[400, 410, 405]),
                record("sync", "atomic", w, &[120, 130, 125]),
            ],
        );
        let s = sections(&results);
        let cells = cells(&s[0]);
        assert_eq!(cells.len(), 2);
        assert_eq!(
            (cells[0].variant(), cells[0].processes.records.len(), cells[0].estimate.processes),
            ("atomic", 2, 2)
        );
        assert_eq!(cells[1].estimate.processes, 1);
        let r = ratio(&cells[0], &cells[1]).unwrap();
        assert!(r.point > 3.0 && r.interval.lo > 1.0, "{r:?}");
    }
}
