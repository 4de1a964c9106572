//! Reports, computed from a [`Results`] alone so `cargo xtask report`
//! rebuilds them. [`crate::collate`] ranks the cells into one [`Section`]
//! per workload; this module holds the report's wording (header, summary,
//! column notes, the cells of a row) and one [`Exporter`] per format, each
//! of which only lays the sections out.

pub mod answer;
pub mod chart;
pub mod crossover_chart;
pub mod csv;
pub mod fairness;
pub mod frontier_chart;
pub mod html;
pub mod knee_chart;
pub mod latency;
pub mod machines;
pub mod markdown;
pub mod matrix;
pub mod sweep_chart;
pub mod sweep_html;
pub mod terminal;
pub mod text;

pub use crate::collate::{Row, Section, sections};
use crate::results::{FAMILY_ORDER, Results};
pub use crate::units::{figures, format_ratio, thousands};
use anyhow::Result;
use dispenser_core::evidence::Winner;
use dispenser_core::table::{format_kib, format_ns, format_ns_per_number};
use dispenser_core::{Family, Record};

/// One output format: turns a whole run into the bytes of one file (or
/// of the terminal report), as hyperfine's exporters do.
pub trait Exporter {
    /// The file it writes in a run folder; `None` for the terminal.
    fn file_name(&self) -> Option<&'static str>;
    /// The rendered bytes.
    fn serialize(&self, results: &Results) -> Result<Vec<u8>>;
}

/// results.json: the run itself, from which every other format is rebuilt.
pub struct Json;

impl Exporter for Json {
    fn file_name(&self) -> Option<&'static str> {
        Some(crate::results::RESULTS_JSON)
    }
    fn serialize(&self, results: &Results) -> Result<Vec<u8>> {
        Ok(serde_json::to_vec_pretty(results)?)
    }
}

/// The formats of a report, in the order they are written (results.json
/// is written apart: only a run writes it, never `cargo xtask report`).
pub fn report_exporters() -> [&'static dyn Exporter; 3] {
    [&csv::Csv, &markdown::Markdown, &html::Html]
}

/// Prints what `exporter` renders on stdout (the terminal report).
pub fn print(exporter: &dyn Exporter, results: &Results) -> Result<()> {
    use std::io::Write;
    let bytes = exporter.serialize(results)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&bytes)?;
    out.flush()?;
    Ok(())
}

/// True when `results` came from `cargo xtask sweep` (its command line says so).
pub fn is_sweep(results: &Results) -> bool {
    results.run.command.get(1).is_some_and(|a| a == "sweep")
}

/// Every report file of a run, rendered in memory: (file name, bytes).
/// Rendering all of them before writing any means a results file that
/// cannot be rendered leaves no partial outputs behind.
pub fn report_files(results: &Results) -> Result<Vec<(String, Vec<u8>)>> {
    let mut files = Vec::new();
    for e in report_exporters() {
        if let Some(name) = e.file_name() {
            files.push((name.to_string(), e.serialize(results)?));
        }
    }
    for (name, svg) in latency::charts(results)? {
        files.push((name, svg.into_bytes()));
    }
    if is_sweep(results) {
        let charts = sweep_chart::render_all(results)?;
        for (stem, svg) in &charts {
            files.push((format!("sweep-{stem}.svg"), svg.clone().into_bytes()));
        }
        let crossovers = crate::crossover::crossovers(results);
        let maps = crossover_chart::render_all(&crossovers, &sweep_chart::machine_line(results))?;
        for (stem, svg) in &maps {
            files.push((format!("{stem}.svg"), svg.clone().into_bytes()));
        }
        let knees = knee_chart::render_all(results, &sweep_chart::machine_line(results))?;
        for (stem, svg) in &knees {
            files.push((format!("{stem}.svg"), svg.clone().into_bytes()));
        }
        let charts = sweep_html::Charts { runtimes: &charts, maps: &maps, knees: &knees };
        files.push(("sweep.html".into(), sweep_html::render(results, &charts, &crossovers).into_bytes()));
    }
    Ok(files)
}

/// Column titles of the ranked tables, shared by every format.
pub const HEADER: [&str; 11] = [
    "#",
    "runtime (flavor, workers)",
    "variant",
    "time",
    "95% interval",
    "spread in / between",
    "ns/number",
    "× fastest [95%]",
    "CPU/wall",
    "peak mem",
    "samples",
];

/// Columns aligned right (numbers).
pub const NUMERIC: [bool; 11] = [true, false, false, true, true, true, true, true, true, true, true];

/// Marks an unstable cell (processes disagree far beyond their own spread).
pub const UNSTABLE_MARK: &str = " ⚠ unstable";

/// A ranked row's cells, in [`HEADER`] order.
pub fn row_cells(row: &Row) -> [String; 11] {
    let e = &row.estimate;
    let (cpu, mem) = match &row.resources {
        Some(res) => (format!("{:.2}", res.cpu_per_wall), format_kib(res.peak_rss_kib)),
        None => (String::new(), String::new()),
    };
    let variant =
        if e.unstable { format!("{}{UNSTABLE_MARK}", row.record.variant) } else { row.record.variant.clone() };
    let within = e.within.map_or("–".to_string(), |w| format!("{:.1}%", w * 100.0));
    [
        row.rank_label(),
        row.record.runtime_label(),
        variant,
        format_ns(e.point),
        format!("{} … {}", format_ns(e.interval.lo), format_ns(e.interval.hi)),
        format!("{within} / {:.1}%", e.between * 100.0),
        format_ns_per_number(row.record, row.ns_per_number()),
        if row.is_fastest() { "1.00".into() } else { format_ratio(&row.ratio) },
        cpu,
        mem,
        format!("{} in {}", e.samples, e.processes),
    ]
}

/// Column titles of the compact terminal table (at most [`text::WIDTH`]
/// columns; `--wide` shows [`HEADER`]).
pub const COMPACT_HEADER: [&str; 6] = ["#", "runtime", "variant", "ns/number [95%]", "× fastest [95%]", "flag"];

/// Columns of [`COMPACT_HEADER`] aligned right.
pub const COMPACT_NUMERIC: [bool; 6] = [true, false, false, true, true, false];

/// The flag of an unstable cell in the compact table.
pub const UNSTABLE_FLAG: char = '!';
/// The flag of a cell where no contention happened.
pub const UNCONTENDED_FLAG: char = '~';

/// What the compact table's flags mean, for the legend under it.
pub const FLAG_LEGEND: [&str; 2] = [
    "! unstable: the processes disagree far beyond their own noise (spreads: --wide)",
    "~ no contention: each consumer took its numbers in one go (mean run ≥ T/2)",
];

/// `!`, `~`, both (`!~`) or nothing: what to keep in mind reading a row.
pub fn flags(row: &Row) -> String {
    let mut out = String::new();
    if row.estimate.unstable {
        out.push(UNSTABLE_FLAG);
    }
    if crate::cells::uncontended(row.cell.fairness(), row.record) {
        out.push(UNCONTENDED_FLAG);
    }
    out
}

/// `3.80 [3.70–3.90]`: ns per number with its interval, about three figures each.
pub fn per_number_with_interval(row: &Row) -> String {
    let n = row.record.workload.total().max(1) as f64;
    let iv = row.estimate.interval;
    format!("{} [{}–{}]", figures(row.ns_per_number()), figures(iv.lo / n), figures(iv.hi / n))
}

/// A ranked row's cells, in [`COMPACT_HEADER`] order.
pub fn compact_cells(row: &Row) -> [String; 6] {
    [
        row.rank_label(),
        crate::cells::short_runtime(row.record),
        row.record.variant.clone(),
        per_number_with_interval(row),
        if row.is_fastest() { "1.00".into() } else { format_ratio(&row.ratio) },
        flags(row),
    ]
}

/// An unranked cell's compact cells: its status where the figure would be.
pub fn compact_unranked_cells(r: &Record) -> [String; 6] {
    [
        "–".into(),
        crate::cells::short_runtime(r),
        r.variant.clone(),
        r.status.as_str().to_uppercase(),
        String::new(),
        String::new(),
    ]
}

/// An unranked cell's cells: its status where the median would be.
pub fn unranked_cells(r: &Record) -> [String; 11] {
    let mut cells: [String; 11] = Default::default();
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

/// `atomic · tokio-mt/2`: a cell named short (the legend says what the
/// runtime label stands for).
pub fn short_name(r: &Record) -> String {
    format!("{} · {}", r.variant, crate::cells::short_runtime(r))
}

/// True for a row that answers the contended question: not the baseline
/// (the floor), not of an unknown family, and contended.
fn is_real(row: &Row) -> bool {
    !matches!(row.record.family, Family::Baseline | Family::Unknown)
        && !crate::cells::uncontended(row.cell.fairness(), row.record)
}

/// The hyperfine-like summary, against the fastest real cell (contended,
/// not the baseline; see [`is_real`]): it (or, when the pairwise tests
/// cannot separate it from others, the cells tied with it), then how many
/// times faster it ran than the best of every other family and than the
/// slowest, each ratio with its 95% interval; then the baseline as one
/// reference line, and the uncontended cells it left out.
pub fn summary(section: &Section) -> Vec<String> {
    let real: Vec<&Row> = section.rows.iter().filter(|r| is_real(r)).collect();
    let floor = section.rows.iter().find(|r| r.record.family == Family::Baseline);
    let Some(first) = real.first().copied() else {
        return match section.rows.first() {
            Some(only) => vec![format!(
                "{} is the only kind of cell that finished; nothing contended to compare",
                short_name(only.record)
            )],
            None => Vec::new(),
        };
    };
    let processes: Vec<Vec<Vec<f64>>> = real.iter().map(|r| r.cell.samples_by_process()).collect();
    let estimates: Vec<_> = real.iter().map(|r| r.estimate).collect();
    let against = |row: &Row| {
        dispenser_core::evidence::ratio(
            &first.cell.samples_by_process(),
            &row.cell.samples_by_process(),
            dispenser_core::evidence::seed_for(&format!("{}/{}", first.cell.key(), row.cell.key())),
        )
    };
    let mut picks: Vec<(usize, String)> = Vec::new();
    for family in FAMILY_ORDER {
        if let Some(best) = real.iter().skip(1).position(|r| r.record.family == family) {
            picks.push((best + 1, format!("fastest {}", family.as_str())));
        }
    }
    let last = real.len() - 1;
    if last > 0 {
        match picks.iter_mut().find(|(i, _)| *i == last) {
            Some(p) => p.1.push_str(", slowest"),
            None => picks.push((last, "slowest".into())),
        }
    }
    picks.sort_by_key(|(i, _)| *i);
    let tied: Vec<&Row> = match dispenser_core::evidence::winner(&processes, &estimates) {
        Some(Winner::Tied(idx)) => idx.iter().filter_map(|&i| real.get(i).copied()).collect(),
        _ => Vec::new(),
    };
    let mut lines = if tied.len() > 1 {
        let names: Vec<String> = tied.iter().take(3).map(|r| short_name(r.record)).collect();
        let more = match tied.len() {
            n if n > 3 => format!(" and {} more (see the ranks)", n - 3),
            _ => String::new(),
        };
        vec![
            format!("fastest: can't be told apart: {}{more}", names.join(", ")),
            format!("{} has the lowest time; against it,", short_name(first.record)),
        ]
    } else if picks.is_empty() {
        // Nothing to set it against: hyperfine's "ran" would dangle.
        vec![format!("{} was the only contended cell that finished", short_name(first.record))]
    } else {
        vec![format!("{} ran", short_name(first.record))]
    };
    for (i, why) in picks {
        let row = real[i];
        let ratio = against(row).map_or_else(|| "?".into(), |r| format_ratio(&r));
        lines.push(format!("  {ratio:>18} times faster than {} [{why}]", short_name(row.record)));
    }
    if let Some(floor) = floor
        && let Some(r) = against(floor)
    {
        let inverse = dispenser_core::evidence::Ratio {
            point: 1.0 / r.point,
            interval: dispenser_core::evidence::Interval { lo: 1.0 / r.interval.hi, hi: 1.0 / r.interval.lo },
        };
        let (ratio, how) = if inverse.point >= 1.0 {
            (format_ratio(&inverse), "times faster")
        } else {
            (format_ratio(&r), "times slower")
        };
        lines.push(format!(
            "reference: the floor, {} (one thread, no sharing), ran {ratio} {how}",
            short_name(floor.record)
        ));
    }
    let left_out: Vec<String> = section
        .rows
        .iter()
        .filter(|r| r.record.family != Family::Baseline && !is_real(r))
        .map(|r| short_name(r.record))
        .collect();
    if !left_out.is_empty() {
        lines.push(format!("left out, no contention (~): {}", left_out.join(", ")));
    }
    lines
}

/// The run's header lines: machine, commit, seed, settings.
pub fn header(results: &Results) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(m) = &results.machine {
        lines.push(format!("machine: {}", m.summary()));
        let timing = m.timing();
        if !timing.is_empty() {
            lines.push(format!("timing: {timing}"));
        }
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
            "{} process{} per cell, each {} samples max ({} min{}), {} warm-up, {} s budget, {} s timeout",
            s.processes,
            if s.processes == 1 { "" } else { "es" },
            s.samples,
            s.min_samples,
            if s.fixed_counts && s.processes > 1 { "; a cell's first process fixes its count" } else { "" },
            s.warmup,
            s.budget_s,
            s.timeout_s
        ));
        if s.work_ns > 0 {
            run_line.push(format!("{} of work per number", format_ns(s.work_ns as f64)));
        }
        if let Some(k) = s.cpus {
            run_line.push(format!("pinned to {k} CPU{}", if k == 1 { "" } else { "s" }));
        }
        if s.pin {
            run_line.push("threads placed on CPUs round robin (--pin)".into());
        }
        if s.load > 0 {
            run_line.push(format!("{} busy thread{} of load", s.load, if s.load == 1 { "" } else { "s" }));
        }
        if let Some(r) = s.rate {
            run_line.push(format!("open loop at {r} numbers/s"));
        }
        if let Some(c) = s.capacity {
            run_line.push(format!("request channel capacity {c}"));
        }
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
pub const COLUMN_NOTES: [(&str, &str); 11] = [
    (
        "#",
        "rank, or the range of ranks the data allow (2–4): 1 + the cells clearly faster, up to the cells less those clearly slower; \
         clearly: Welch's t test on the two cells' log process medians, Holm-corrected over the cell's comparisons",
    ),
    (
        "time",
        "the typical dispense time (the start line opening to the last number taken): the geometric mean of the \
         processes' medians, the centre of the 95% interval; with one process, the median of its samples",
    ),
    (
        "95% interval",
        "where the typical time lies: a t interval over the processes' medians on a log scale (a bootstrap of the samples with one process)",
    ),
    (
        "spread in / between",
        "standard deviations on the log scale (about relative spreads), split by a random-effects analysis of variance: \
         within a process (– with one sample per process), and between processes beyond what within explains; \
         ⚠ unstable when the F test puts between beyond within (p < 0.001) and between exceeds 10%",
    ),
    (
        "ns/number",
        "time divided by the numbers dispensed per sample; with --work, (N% work) is the share of it that the \
         work alone takes on min(consumers, cores) cores (one for the baseline)",
    ),
    (
        "× fastest [95%]",
        "time over the workload's fastest time, with a Welch t interval over both cells' process medians",
    ),
    (
        "CPU/wall",
        "user + system CPU seconds per wall second while dispensing, as the runtime binary measures it: \
         near the core count when threads spin, low when they park",
    ),
    ("peak mem", "peak resident memory of the runtime process (the largest of the cell's processes)"),
    ("samples", "counted samples in all, and the processes that took them"),
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
    format!(
        "Workload {} x {}",
        thousands(section.workload.consumers as u64),
        thousands(section.workload.per_consumer as u64)
    )
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::results::tests::{failed, record};
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Status, Workload};

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
            host_name: None,
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
            clocksource: Some("tsc".into()),
            governor: Some("none".into()),
            topology: Some("1 socket, 1 NUMA node".into()),
        };
        let run = RunInfo { seed: Some(42), started_utc: Some("2026-11-28T12:00:00Z".into()), ..RunInfo::default() };
        Results::new(run, Some(machine), records)
    }

    #[test]
    fn the_summary_names_the_best_of_each_family_and_the_slowest() {
        let results = sample_results();
        let s = sections(&results);
        let lines = summary(&s[0]);
        // Against the fastest real cell, not the single-thread floor.
        assert_eq!(lines[0], "atomic · threads ran");
        assert!(lines[1].contains("times faster than std-mutex · threads [fastest lock]"), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("oneshot-actor · tokio-mt/2 [fastest actor]")), "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("crossbeam-bounded · threads [fastest channel, slowest]")));
        let floor = lines.last().unwrap();
        assert!(
            floor.starts_with("reference: the floor, single-thread · threads (one thread, no sharing), ran 2.6"),
            "{floor}"
        );
        // One cell: nothing to be faster than, and no dangling "ran".
        let mut one = sample_results();
        let first = one.records.iter().find(|r| r.is_ok() && r.variant == "atomic").unwrap().clone();
        one.records = vec![first];
        assert_eq!(summary(&sections(&one)[0]), ["atomic · threads was the only contended cell that finished"]);
    }

    #[test]
    fn the_summary_leaves_out_cells_without_contention() {
        let mut results = sample_results();
        for r in results.records.iter_mut().filter(|r| r.variant == "atomic") {
            r.fairness = Some(dispenser_core::fairness::Fairness {
                mean_run: r.workload.per_consumer as f64,
                longest_run: r.workload.per_consumer as u64,
                handoff_share: 0.0,
                finish_spread: None,
            });
        }
        let lines = summary(&sections(&results)[0]);
        assert_eq!(lines[0], "std-mutex · threads ran");
        assert_eq!(lines.last().unwrap(), "left out, no contention (~): atomic · threads");
        let row = sections(&results)[0].rows.iter().find(|r| r.record.variant == "atomic").map(compact_cells).unwrap();
        assert_eq!(row[5], "~");
    }
}
