//! Collation: a run's records become one [`Section`] per workload. A cell
//! (runtime, executor, variant, workload) is measured in several processes,
//! one record each; its evidence is every process's samples, summarised by
//! `dispenser_core::evidence` (an interval from the spread between
//! processes). Ok cells are sorted by their point estimate and given the
//! rank ranges pairwise tests allow, each with its ratio to the fastest and
//! that ratio's interval; cells with any
//! process that did not finish are kept apart (never ranked, no
//! statistics). Every report format lays these sections out.

use crate::results::Results;
use crate::units::thousands;
use dispenser_core::evidence::{self, Estimate, Rank, Ratio};
use dispenser_core::fairness::Fairness;
use dispenser_core::latency::LatencyStats;
use dispenser_core::resources::Resources;
use dispenser_core::stats::{self, Stats};
use dispenser_core::{Record, Workload};

/// One cell: the records of its processes, in the order they ran.
#[derive(Debug, Clone)]
pub struct CellRecords<'a> {
    /// One record per process (at least one).
    pub records: Vec<&'a Record>,
}

impl<'a> CellRecords<'a> {
    /// The first process's record: names, family, primitive, executor.
    pub fn first(&self) -> &'a Record {
        self.records[0]
    }

    /// The first process that did not finish, if any: the cell is then unranked.
    pub fn failure(&self) -> Option<&'a Record> {
        self.records.iter().copied().find(|r| !r.is_ok())
    }

    /// Every process's counted samples, as the evidence module takes them.
    pub fn samples_by_process(&self) -> Vec<Vec<f64>> {
        self.records.iter().map(|r| r.dispense_ns.iter().map(|&ns| ns as f64).collect()).collect()
    }

    /// `runtime/flavor/workers/variant/NxT/work/cpus`: seeds the cell's own bootstrap stream.
    pub fn key(&self) -> String {
        let r = self.first();
        let (e, s) = (&r.executor, &r.settings);
        let key = format!(
            "{}/{}/{:?}/{}/{}/{}/{:?}",
            r.runtime, e.flavor, e.workers, r.variant, r.workload, s.work_ns, s.cpus
        );
        // Unloaded cells keep the key (and so the bootstrap seed) they always had.
        let key = if s.load > 0 { format!("{key}/load{}", s.load) } else { key };
        let key = match s.rate {
            Some(r) => format!("{key}/rate{r}"),
            None => key,
        };
        let key = match s.capacity {
            Some(c) => format!("{key}/cap{c}"),
            None => key,
        };
        if s.pin { format!("{key}/pin") } else { key }
    }

    /// Statistics over every counted sample of every process (core's one function).
    pub fn stats(&self) -> Option<Stats> {
        let dispense: Vec<u64> = self.records.iter().flat_map(|r| r.dispense_ns.iter().copied()).collect();
        let setup: Vec<u64> = self.records.iter().flat_map(|r| r.setup_ns.iter().copied()).collect();
        Stats::compute(&dispense, &setup, self.first().workload.total())
    }

    /// What the processes say together (interval, spreads, instability).
    pub fn estimate(&self) -> Option<Estimate> {
        evidence::estimate(&self.samples_by_process(), evidence::seed_for(&self.key()))
    }

    /// Resource use summed over the processes (peak memory: the largest).
    pub fn resources(&self) -> Option<Resources> {
        self.records.iter().filter_map(|r| r.resources.as_ref()).fold(None, |acc, r| {
            let mut sum = acc.unwrap_or_default();
            sum.absorb(r);
            Some(sum)
        })
    }

    /// Per-request latency over the processes that took it: requests and
    /// samples summed, each percentile the median over processes (a
    /// process's histogram is not kept, so percentiles cannot be re-merged),
    /// the slowest request the largest.
    pub fn latency(&self) -> Option<LatencyStats> {
        let all: Vec<&LatencyStats> = self.records.iter().filter_map(|r| r.latency.as_ref()).collect();
        let first = all.first()?;
        let median = |f: fn(&LatencyStats) -> u64| {
            let mut v: Vec<u64> = all.iter().map(|l| f(l)).collect();
            v.sort_unstable();
            v[v.len() / 2]
        };
        Some(LatencyStats {
            count: all.iter().map(|l| l.count).sum(),
            samples: all.iter().map(|l| l.samples).sum(),
            p50_ns: median(|l| l.p50_ns),
            p90_ns: median(|l| l.p90_ns),
            p99_ns: median(|l| l.p99_ns),
            p999_ns: median(|l| l.p999_ns),
            max_ns: all.iter().map(|l| l.max_ns).max().unwrap_or(first.max_ns),
        })
    }

    /// How evenly the numbers went round: the median over the processes
    /// of each figure (each process already holds the median over its samples).
    pub fn fairness(&self) -> Option<Fairness> {
        let each: Vec<Fairness> = self.records.iter().filter_map(|r| r.fairness).collect();
        Fairness::median(&each)
    }

    /// Context switches per number: the median over the processes.
    pub fn switches_per_number(&self) -> Option<f64> {
        stats::median(self.records.iter().filter_map(|r| r.switches_per_number).collect())
    }

    /// CPU ns per number: the median over the processes.
    pub fn cpu_ns_per_number(&self) -> Option<f64> {
        stats::median(self.records.iter().filter_map(|r| r.cpu_ns_per_number).collect())
    }

    fn same_cell(a: &Record, b: &Record) -> bool {
        a.runtime == b.runtime
            && a.executor == b.executor
            && a.variant == b.variant
            && a.workload == b.workload
            && a.settings.work_ns == b.settings.work_ns
            && a.settings.cpus == b.settings.cpus
            && a.settings.load == b.settings.load
            && a.settings.rate == b.settings.rate
            && a.settings.capacity == b.settings.capacity
            && a.settings.pin == b.settings.pin
    }
}

/// The cells of `records`, in the order each first appears.
pub fn group_cells(records: &[Record]) -> Vec<CellRecords<'_>> {
    let mut cells: Vec<CellRecords> = Vec::new();
    for r in records {
        match cells.iter_mut().find(|c| CellRecords::same_cell(c.first(), r)) {
            Some(c) => c.records.push(r),
            None => cells.push(CellRecords { records: vec![r] }),
        }
    }
    for c in &mut cells {
        c.records.sort_by_key(|r| r.process.unwrap_or(0));
    }
    cells
}

/// A ranked cell.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// The ranks the data allow it (from pairwise tests, see
    /// `dispenser_core::evidence::ranks`), shown `3` or `2–5`.
    pub rank: Rank,
    /// The cell's first record (names, family, primitive, executor).
    pub record: &'a Record,
    /// Every process's record, in process order (the first is `record`).
    pub cell: CellRecords<'a>,
    /// Statistics over every counted sample of every process, by core.
    pub stats: Stats,
    /// What the processes say together: interval, spreads, instability.
    pub estimate: Estimate,
    /// Resource use summed over the processes (peak memory: the largest).
    pub resources: Option<Resources>,
    /// Per-request latency over the processes (with `--latency`).
    pub latency: Option<LatencyStats>,
    /// Point estimate over the fastest one, with its interval (exactly 1 for the fastest).
    pub ratio: Ratio,
}

impl Row<'_> {
    /// The point estimate per number dispensed, ns.
    pub fn ns_per_number(&self) -> f64 {
        self.estimate.point / self.record.workload.total().max(1) as f64
    }

    /// `1` or `2–5`: the rank as the tables print it.
    pub fn rank_label(&self) -> String {
        self.rank.label()
    }

    /// True for the section's fastest point estimate (the reference of every ratio).
    pub fn is_fastest(&self) -> bool {
        self.ratio == Ratio::ONE
    }
}

/// Everything a report shows for one workload.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// The workload.
    pub workload: Workload,
    /// Valid cells, fastest point estimate first.
    pub rows: Vec<Row<'a>>,
    /// Cells with a process that timed out, failed, hung or was invalid:
    /// never ranked; the record is that process's.
    pub unranked: Vec<&'a Record>,
    /// Caveats for reading this workload's numbers (cores vs consumers).
    pub notes: Vec<String>,
}

/// The sections of a run, fewest consumers first.
pub fn sections(results: &Results) -> Vec<Section<'_>> {
    let mut workloads: Vec<Workload> = Vec::new();
    for r in &results.records {
        if !workloads.contains(&r.workload) {
            workloads.push(r.workload);
        }
    }
    workloads.sort_by_key(|w| (w.consumers, w.per_consumer));
    let cores = results.machine.as_ref().map(|m| m.logical_cores);
    let all = group_cells(&results.records);
    workloads.into_iter().map(|w| section(&all, w, cores)).collect()
}

fn section<'a>(all: &[CellRecords<'a>], workload: Workload, cores: Option<usize>) -> Section<'a> {
    let mut measured: Vec<(CellRecords<'a>, Stats, Estimate)> = Vec::new();
    let mut unranked = Vec::new();
    for cell in all.iter().filter(|c| c.first().workload == workload) {
        if let Some(failed) = cell.failure() {
            unranked.push(failed);
            continue;
        }
        match cell.stats().zip(cell.estimate()) {
            Some((stats, estimate)) => measured.push((cell.clone(), stats, estimate)),
            None => unranked.push(cell.first()),
        }
    }
    // Sorted by the point estimate, the one figure every view shows.
    measured.sort_by(|a, b| a.2.point.total_cmp(&b.2.point));
    let processes: Vec<Vec<Vec<f64>>> = measured.iter().map(|(c, _, _)| c.samples_by_process()).collect();
    let estimates: Vec<Estimate> = measured.iter().map(|(_, _, e)| *e).collect();
    let ranks = evidence::ranks(&processes, &estimates);
    let rows: Vec<Row<'a>> = measured
        .iter()
        .enumerate()
        .map(|(i, (cell, stats, estimate))| {
            let ratio = match i {
                0 => None,
                _ => evidence::ratio(&processes[0], &processes[i], evidence::seed_for(&cell.key())),
            }
            .unwrap_or(Ratio::ONE);
            Row {
                rank: ranks[i],
                record: cell.first(),
                cell: cell.clone(),
                stats: stats.clone(),
                estimate: *estimate,
                resources: cell.resources(),
                latency: cell.latency(),
                ratio,
            }
        })
        .collect();
    // Pinned (`--cpus K`), the cells had K cores whatever the machine has.
    let here = || all.iter().filter(|c| c.first().workload == workload);
    let pinned = here().find_map(|c| c.first().settings.cpus);
    let cores = pinned.or(cores).or_else(|| here().next().map(|c| c.first().host.logical_cores)).unwrap_or(1);
    Section { workload, rows, unranked, notes: notes(workload, cores) }
}

fn notes(w: Workload, cores: usize) -> Vec<String> {
    let mut notes = vec![format!(
        "{} consumer{} x {} numbers each = {} numbers per sample, on {cores} logical core{}.",
        thousands(w.consumers as u64),
        if w.consumers == 1 { "" } else { "s" },
        thousands(w.per_consumer as u64),
        thousands(w.total()),
        if cores == 1 { "" } else { "s" }
    )];
    if w.consumers + 1 > cores {
        notes.push(format!(
            "Oversubscribed: {} consumers + 1 producer on {cores} cores. OS-thread variants take turns on the cores \
             (a round trip costs context switches); async variants multiplex their tasks on the runtime's workers.",
            thousands(w.consumers as u64)
        ));
    }
    notes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_results;
    use crate::results::tests::record;
    use dispenser_core::Status;

    #[test]
    fn sections_rank_by_median_and_keep_failures_apart() {
        let results = sample_results();
        let s = sections(&results);
        assert_eq!(s.iter().map(|s| s.workload).collect::<Vec<_>>(), [Workload::FEW, Workload::MANY]);
        let names: Vec<&str> = s[0].rows.iter().map(|r| r.record.variant.as_str()).collect();
        assert_eq!(names, ["single-thread", "atomic", "std-mutex", "oneshot-actor", "crossbeam-bounded"]);
        assert!(s[0].rows[0].is_fastest());
        assert!((s[0].rows[1].ratio.point - 3.8 / 1.45).abs() < 1e-9);
        assert!(s[0].rows[1].ratio.interval.contains(s[0].rows[1].ratio.point));
        assert_eq!(s[0].unranked.len(), 1);
        assert_eq!(s[0].unranked[0].status, Status::Timeout);
        assert!(s[1].notes.iter().any(|n| n.contains("Oversubscribed: 1,000 consumers")));
    }

    /// Three processes of one cell, each with its own samples.
    fn processes(variant: &str, per_process: &[&[u64]]) -> Vec<Record> {
        per_process
            .iter()
            .enumerate()
            .map(|(i, ns)| {
                let mut r = record("sync", variant, Workload::QUICK, ns);
                r.process = Some(i as u32);
                r
            })
            .collect()
    }

    #[test]
    fn processes_of_a_cell_are_one_row_and_overlapping_cells_tie() {
        let mut records = processes("atomic", &[&[100, 101, 102], &[110, 111, 112], &[104, 105, 106]]);
        records.extend(processes("std-mutex", &[&[103, 104, 105], &[108, 109, 110], &[101, 102, 103]]));
        records.extend(processes("std-mpsc", &[&[900, 910, 920], &[950, 960, 970], &[930, 940, 950]]));
        let results = Results::new(Default::default(), None, records);
        let s = &sections(&results)[0];
        assert_eq!(s.rows.len(), 3, "one row per cell, not per process");
        assert_eq!(s.rows[0].stats.samples, 9);
        assert_eq!(s.rows[0].estimate.processes, 3);
        let labels: Vec<String> = s.rows.iter().map(|r| r.rank_label()).collect();
        assert_eq!(labels, ["1–2", "1–2", "3"]);
        assert!(s.rows[2].ratio.interval.lo > 5.0);
    }

    #[test]
    fn a_cell_with_one_failed_process_is_not_ranked() {
        let mut records = processes("atomic", &[&[100, 101], &[102, 103]]);
        records[1].status = Status::Hung;
        records.extend(processes("std-mutex", &[&[300, 301], &[302, 303]]));
        let results = Results::new(Default::default(), None, records);
        let s = &sections(&results)[0];
        assert_eq!(s.rows.len(), 1);
        assert_eq!(s.unranked[0].status, Status::Hung);
    }

    #[test]
    fn pinned_cells_are_read_against_their_cpus() {
        let mut results = sample_results();
        results.records.iter_mut().for_each(|r| r.settings.cpus = Some(1));
        let s = sections(&results);
        assert!(s[0].notes[0].ends_with("on 1 logical core."), "{:?}", s[0].notes);
        assert!(s[0].notes.iter().any(|n| n.contains("Oversubscribed: 10 consumers + 1 producer on 1 cores")));
    }
}
