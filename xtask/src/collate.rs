//! Collation: a run's records become one [`Section`] per workload, its ok
//! cells ranked by median with their ratio to the fastest, the cells that
//! did not finish kept apart (never ranked, no statistics), and the notes
//! for reading its numbers. Every report format lays these sections out.

use crate::results::Results;
use crate::units::thousands;
use dispenser_core::stats::Stats;
use dispenser_core::{Record, Workload};

/// A ranked cell.
#[derive(Debug, Clone)]
pub struct Row<'a> {
    /// 1 is the fastest median.
    pub rank: usize,
    /// The record.
    pub record: &'a Record,
    /// Its statistics, computed from its raw samples by core.
    pub stats: Stats,
    /// Median over the fastest median.
    pub ratio: f64,
    /// Uncertainty of `ratio`, from both spreads.
    pub ratio_err: f64,
}

/// Everything a report shows for one workload.
#[derive(Debug, Clone)]
pub struct Section<'a> {
    /// The workload.
    pub workload: Workload,
    /// Valid cells, fastest first.
    pub rows: Vec<Row<'a>>,
    /// Cells that timed out, failed, hung or were invalid: never ranked.
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
    workloads.into_iter().map(|w| section(results, w, cores)).collect()
}

fn section(results: &Results, workload: Workload, cores: Option<usize>) -> Section<'_> {
    let records: Vec<&Record> = results.records.iter().filter(|r| r.workload == workload).collect();
    let mut ranked: Vec<(&Record, Stats)> = Vec::new();
    let mut unranked = Vec::new();
    for r in records.iter().copied() {
        match Stats::compute(&r.dispense_ns, &r.setup_ns, r.workload.total()).filter(|_| r.is_ok()) {
            Some(s) => ranked.push((r, s)),
            None => unranked.push(r),
        }
    }
    ranked.sort_by(|a, b| a.1.median_ns.total_cmp(&b.1.median_ns));
    let rows = match ranked.first() {
        None => Vec::new(),
        Some((_, best)) => {
            let best = best.clone();
            ranked
                .into_iter()
                .enumerate()
                .map(|(i, (record, stats))| {
                    let (ratio, ratio_err) = ratio(&stats, &best);
                    Row { rank: i + 1, record, stats, ratio, ratio_err }
                })
                .collect()
        }
    };
    // Pinned (`--cpus K`), the cells had K cores whatever the machine has.
    let pinned = records.iter().find_map(|r| r.settings.cpus);
    let cores = pinned.or(cores).or_else(|| records.first().map(|r| r.host.logical_cores)).unwrap_or(1);
    Section { workload, rows, unranked, notes: notes(workload, cores) }
}

fn notes(w: Workload, cores: usize) -> Vec<String> {
    let mut notes = vec![format!(
        "{} consumers x {} numbers each = {} numbers per sample, on {cores} logical core{}.",
        thousands(w.consumers as u64),
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

/// A rough standard deviation from a record's spread: the IQR of a normal
/// distribution is 1.349 σ. Used to carry uncertainty into ratios.
pub fn sigma(s: &Stats) -> f64 {
    s.iqr_ns / 1.349
}

/// `a / b` of medians with its uncertainty propagated from both spreads, as
/// hyperfine does; a zero median gives an infinite ratio, never a panic.
pub fn ratio(a: &Stats, b: &Stats) -> (f64, f64) {
    if a.median_ns <= 0.0 || b.median_ns <= 0.0 {
        return if a.median_ns == b.median_ns { (1.0, 0.0) } else { (f64::INFINITY, 0.0) };
    }
    let r = a.median_ns / b.median_ns;
    let rel = ((sigma(a) / a.median_ns).powi(2) + (sigma(b) / b.median_ns).powi(2)).sqrt();
    (r, r * rel)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_results;
    use crate::units::format_ratio;
    use dispenser_core::Status;

    #[test]
    fn sections_rank_by_median_and_keep_failures_apart() {
        let results = sample_results();
        let s = sections(&results);
        assert_eq!(s.iter().map(|s| s.workload).collect::<Vec<_>>(), [Workload::FEW, Workload::MANY]);
        let names: Vec<&str> = s[0].rows.iter().map(|r| r.record.variant.as_str()).collect();
        assert_eq!(names, ["single-thread", "atomic", "std-mutex", "oneshot-actor", "crossbeam-bounded"]);
        assert_eq!(s[0].rows[0].ratio, 1.0);
        assert!((s[0].rows[1].ratio - 3.8 / 1.45).abs() < 1e-9);
        assert!(s[0].rows[1].ratio_err > 0.0);
        assert_eq!(s[0].unranked.len(), 1);
        assert_eq!(s[0].unranked[0].status, Status::Timeout);
        assert!(s[1].notes.iter().any(|n| n.contains("Oversubscribed: 1,000 consumers")));
    }

    #[test]
    fn pinned_cells_are_read_against_their_cpus() {
        let mut results = sample_results();
        results.records.iter_mut().for_each(|r| r.settings.cpus = Some(1));
        let s = sections(&results);
        assert!(s[0].notes[0].ends_with("on 1 logical core."), "{:?}", s[0].notes);
        assert!(s[0].notes.iter().any(|n| n.contains("Oversubscribed: 10 consumers + 1 producer on 1 cores")));
    }

    #[test]
    fn ratios_are_guarded_and_formatted() {
        let s = |m: f64, iqr: f64| {
            Stats::compute(&[m as u64], &[], 1)
                .map(|mut s| {
                    s.iqr_ns = iqr;
                    s
                })
                .unwrap()
        };
        assert_eq!(ratio(&s(0.0, 0.0), &s(0.0, 0.0)), (1.0, 0.0));
        assert!(ratio(&s(5.0, 0.0), &s(0.0, 0.0)).0.is_infinite());
        let (r, e) = ratio(&s(200.0, 0.0), &s(100.0, 13.49));
        assert_eq!(r, 2.0);
        assert!((e - 0.2).abs() < 1e-9);
        assert_eq!(format_ratio(2.0, 0.2), "2.00 ± 0.20");
        assert_eq!(format_ratio(123.4, 5.0), "123 ± 5");
    }
}
