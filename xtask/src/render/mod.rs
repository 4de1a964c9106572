//! Reports, computed from a [`Results`] alone so `cargo xtask report`
//! rebuilds them: one [`Section`] per workload holds the ranked rows, the
//! unranked cells and the notes; each output format only lays them out.

pub mod chart;
pub mod csv;
pub mod html;
pub mod latency;
pub mod markdown;
pub mod sweep_chart;
pub mod sweep_html;
pub mod terminal;

use crate::results::Results;
use dispenser_core::stats::Stats;
use dispenser_core::table::{format_kib, format_ns};
use dispenser_core::{Family, Record, Workload};

/// Column titles of the ranked tables, shared by every format.
pub const HEADER: [&str; 10] = [
    "#",
    "runtime (flavor, workers)",
    "variant",
    "median",
    "spread (IQR)",
    "min … max",
    "ns/number",
    "× fastest",
    "CPU/wall",
    "peak mem",
];

/// Columns aligned right (numbers).
pub const NUMERIC: [bool; 10] = [true, false, false, true, true, true, true, true, true, true];

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
    let cores = cores.or_else(|| records.first().map(|r| r.host.logical_cores)).unwrap_or(1);
    Section { workload, rows, unranked, notes: notes(workload, cores) }
}

fn notes(w: Workload, cores: usize) -> Vec<String> {
    let mut notes = vec![format!(
        "{} consumers x {} numbers each = {} numbers per sample, on {cores} logical core{}.",
        group(w.consumers as u64),
        group(w.per_consumer as u64),
        group(w.total()),
        if cores == 1 { "" } else { "s" }
    )];
    if w.consumers + 1 > cores {
        notes.push(format!(
            "Oversubscribed: {} consumers + 1 producer on {cores} cores. OS-thread variants take turns on the cores \
             (a round trip costs context switches); async variants multiplex their tasks on the runtime's workers.",
            group(w.consumers as u64)
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

/// `1,000,000`.
pub fn group(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `12.3 ± 0.4` (or `1.00` for the fastest).
pub fn format_ratio(ratio: f64, err: f64) -> String {
    if ratio == 1.0 && err == 0.0 {
        return "1.00".into();
    }
    let digits = if ratio >= 100.0 {
        0
    } else if ratio >= 10.0 {
        1
    } else {
        2
    };
    format!("{ratio:.digits$} ± {err:.digits$}")
}

/// A ranked row's cells, in [`HEADER`] order.
pub fn row_cells(row: &Row) -> [String; 10] {
    let s = &row.stats;
    let (cpu, mem) = match &row.record.resources {
        Some(res) => (format!("{:.2}", res.cpu_per_wall), format_kib(res.peak_rss_kib)),
        None => (String::new(), String::new()),
    };
    [
        row.rank.to_string(),
        row.record.runtime_label(),
        row.record.variant.clone(),
        format_ns(s.median_ns),
        format!("± {}", format_ns(s.iqr_ns)),
        format!("{} … {}", format_ns(s.min_ns), format_ns(s.max_ns)),
        format!("{:.1}", s.ns_per_number),
        if row.rank == 1 { "1.00".into() } else { format_ratio(row.ratio, row.ratio_err) },
        cpu,
        mem,
    ]
}

/// An unranked cell's cells: its status where the median would be.
pub fn unranked_cells(r: &Record) -> [String; 10] {
    let mut cells: [String; 10] = Default::default();
    cells[0] = "–".into();
    cells[1] = r.runtime_label();
    cells[2] = r.variant.clone();
    cells[3] = r.status.as_str().to_uppercase();
    cells
}

/// `atomic on sync (threads)`.
pub fn cell_name(r: &Record) -> String {
    format!("{} on {}", r.variant, r.runtime_label())
}

/// Why an unranked cell is unranked, on one line.
pub fn failure_line(r: &Record) -> String {
    let why = r.error.as_deref().unwrap_or("no reason given").replace('\n', " | ");
    format!("{} ({}): {why}", cell_name(r), r.status.as_str())
}

/// The hyperfine-like summary: the fastest cell, then how many times faster
/// it ran than the best of every family and than the slowest.
pub fn summary(section: &Section) -> Vec<String> {
    let Some(first) = section.rows.first() else { return Vec::new() };
    let mut picks: Vec<(&Row, String)> = Vec::new();
    for family in [Family::Baseline, Family::Atomic, Family::Lock, Family::Channel, Family::Actor] {
        if let Some(best) = section.rows.iter().skip(1).find(|r| r.record.family == family) {
            picks.push((best, format!("fastest {}", family.as_str())));
        }
    }
    if let Some(last) = section.rows.last().filter(|r| r.rank > 1) {
        if let Some(p) = picks.iter_mut().find(|(r, _)| r.rank == last.rank) {
            p.1.push_str(", slowest");
        } else {
            picks.push((last, "slowest".into()));
        }
    }
    picks.sort_by_key(|(r, _)| r.rank);
    let mut lines = vec![format!("{} ran", cell_name(first.record))];
    for (row, why) in picks {
        lines.push(format!(
            "  {:>14} times faster than {} [{why}]",
            format_ratio(row.ratio, row.ratio_err),
            cell_name(row.record)
        ));
    }
    lines
}

/// The run's header lines: machine, commit, seed, settings.
pub fn header(results: &Results) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(m) = &results.machine {
        lines.push(format!("machine: {}", m.summary()));
        lines.push(format!("commit: {}", m.commit()));
        if !m.crates.is_empty() {
            lines.push(format!("crates: {}", m.crate_list()));
        }
    }
    let run = &results.run;
    let mut run_line = Vec::new();
    if let Some(t) = &run.started_utc {
        run_line.push(format!("started {t}"));
    }
    if let Some(e) = run.elapsed_s {
        run_line.push(format!("{e:.0} s of cells"));
    }
    if let Some(seed) = run.seed {
        run_line.push(format!("order shuffled with --seed {seed}"));
    }
    if let Some(s) = &run.settings {
        run_line.push(format!(
            "{} samples max, {} warm-up, {} s budget per cell, {} s timeout",
            s.samples, s.warmup, s.budget_s, s.timeout_s
        ));
    }
    if !run_line.is_empty() {
        lines.push(format!("run: {}", run_line.join(" · ")));
    }
    if run.interrupted {
        let planned = run.cells.map(|c| format!(" of {c}")).unwrap_or_default();
        lines.push(format!("INTERRUPTED: {} cells{planned} finished", results.records.len()));
    }
    lines
}

/// What each column means, for the foot of the Markdown and HTML reports.
pub const COLUMN_NOTES: [(&str, &str); 9] = [
    (
        "median",
        "median dispense time of the counted samples: first consumer leaving the start line to last number taken",
    ),
    ("spread (IQR)", "interquartile range of those samples (Q3 - Q1)"),
    ("min … max", "fastest and slowest counted sample"),
    ("ns/number", "median divided by the numbers dispensed per sample"),
    ("× fastest", "median over the workload's fastest median, ± propagated from both spreads (σ ≈ IQR / 1.349)"),
    (
        "CPU/wall",
        "user + system CPU seconds per wall second while dispensing, as the runtime binary measures it: \
         near the core count when threads spin, low when they park",
    ),
    ("peak mem", "peak resident memory of the runtime process"),
    (
        "p50 … max (latency, with --latency)",
        "time of one request as its consumer saw it (round trip, or lock or counter take), from 3 latency samples \
         taken after the counted ones, merged into one HDR histogram",
    ),
    (
        "unranked",
        "timeout (killed by xtask), failed (crash, error or exit status), hung (a sample passed its deadline), invalid (a number lost, duplicated or out of order)",
    ),
];

/// `10x100000`, as a heading.
pub fn title(section: &Section) -> String {
    format!("Workload {} x {}", group(section.workload.consumers as u64), group(section.workload.per_consumer as u64))
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::results::tests::{failed, record};
    use crate::results::{Results, RunInfo};
    use dispenser_core::Status;

    /// Two workloads, five runtimes' worth of rows, a timeout and a failure.
    pub fn sample_results() -> Results {
        let few = Workload::FEW;
        let many = Workload::MANY;
        let mut records = vec![
            record("sync", "single-thread", few, &[1_400_000, 1_500_000, 1_450_000]),
            record("sync", "atomic", few, &[3_700_000, 3_800_000, 3_900_000]),
            record("sync", "std-mutex", few, &[12_000_000, 12_500_000, 13_000_000]),
            record("sync", "crossbeam-bounded", few, &[6_500_000_000, 6_600_000_000, 6_700_000_000]),
            record("sync", "std-mpsc", many, &[17_000_000_000, 18_000_000_000, 19_000_000_000]),
            record("sync", "atomic", many, &[50_000_000, 53_000_000, 56_000_000]),
            failed(record("sync", "flume-bounded", few, &[]), Status::Timeout, "killed after 300 s (--timeout)"),
            failed(record("sync", "kanal-bounded", many, &[]), Status::Failed, "exit status 3; stderr: boom"),
        ];
        let mut tokio = record("tokio", "oneshot-actor", few, &[200_000_000, 210_000_000, 220_000_000]);
        tokio.executor = dispenser_core::Executor { flavor: "multi-thread".into(), workers: Some(2) };
        records.push(tokio);
        let machine = crate::machine::Machine {
            cpu: "Test CPU".into(),
            logical_cores: 2,
            physical_cores: Some(1),
            memory_bytes: 24 << 30,
            os: "Linux".into(),
            kernel: "6.1".into(),
            arch: "x86_64".into(),
            rustc: "rustc 1.95.0".into(),
            crates: [("tokio".to_string(), vec!["1.48.0".to_string()])].into(),
            git: Some(crate::machine::Git { commit: "0123456789abcdef".into(), dirty: true }),
        };
        let run = RunInfo { seed: Some(42), started_utc: Some("2026-11-28T12:00:00Z".into()), ..RunInfo::default() };
        Results::new(run, Some(machine), records)
    }

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
    fn the_summary_names_the_best_of_each_family_and_the_slowest() {
        let results = sample_results();
        let s = sections(&results);
        let lines = summary(&s[0]);
        assert_eq!(lines[0], "single-thread on sync (threads) ran");
        assert!(lines[1].contains("times faster than atomic on sync (threads) [fastest atomic]"), "{lines:?}");
        assert!(lines.last().unwrap().contains("crossbeam-bounded on sync (threads) [fastest channel, slowest]"));
        assert!(lines.iter().any(|l| l.contains("oneshot-actor on tokio (multi-thread, 2 workers) [fastest actor]")));
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
        assert_eq!(group(1_000_000), "1,000,000");
        assert_eq!(group(10), "10");
    }
}
