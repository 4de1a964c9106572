//! `cargo xtask compare OLD NEW`: per cell (runtime, flavor, workers,
//! variant, workload), the NEW/OLD ratio of medians and a verdict that
//! weighs the change against both runs' spread; cells found on one side
//! only are listed. Runs from different machines are compared too, but the
//! header says so: the ratios then measure the machines as much as the code.

use crate::cli::CompareArgs;
use crate::error::usage;
use crate::results::{self, Results};
use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use dispenser_core::Record;
use dispenser_core::stats::{Stats, quantile};
use dispenser_core::table::format_ns;
use std::collections::BTreeMap;
use std::fmt::Write;
use std::process::ExitCode;

/// Below this relative change nothing is called faster or slower, however
/// tight the samples: a 1% shift is within what a busy machine drifts.
pub const NOISE: f64 = 0.02;

/// What a cell did between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// NEW's median is clearly above OLD's.
    Slower,
    /// NEW's median is clearly below OLD's.
    Faster,
    /// The change is inside the noise.
    NoChange,
}

impl Verdict {
    /// The word shown.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Slower => "slower",
            Verdict::Faster => "faster",
            Verdict::NoChange => "no change",
        }
    }
}

/// The middle half of a cell's samples.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Quartiles {
    /// First quartile, ns.
    pub q1: f64,
    /// Median, ns.
    pub median: f64,
    /// Third quartile, ns.
    pub q3: f64,
}

impl Quartiles {
    /// From raw dispense times (core's quantile, as the reports use); `None` when empty.
    pub fn of(samples_ns: &[u64]) -> Option<Quartiles> {
        let mut v: Vec<f64> = samples_ns.iter().map(|&x| x as f64).collect();
        if v.is_empty() {
            return None;
        }
        v.sort_by(f64::total_cmp);
        Some(Quartiles { q1: quantile(&v, 0.25), median: quantile(&v, 0.5), q3: quantile(&v, 0.75) })
    }
}

/// NEW/OLD and its verdict.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// NEW median / OLD median.
    pub ratio: f64,
    /// The call.
    pub verdict: Verdict,
}

/// Compares two cells: a change counts when the medians differ by more
/// than [`NOISE`] and the middle halves of the two sets of samples (Q1..Q3,
/// the spread the reports show) do not overlap. Rank-based, so it holds for
/// skewed timings and for as few as three samples.
pub fn change(old: Quartiles, new: Quartiles) -> Change {
    let ratio = if old.median > 0.0 {
        new.median / old.median
    } else if new.median > 0.0 {
        f64::INFINITY
    } else {
        1.0
    };
    let verdict = if ratio > 1.0 + NOISE && new.q1 > old.q3 {
        Verdict::Slower
    } else if ratio < 1.0 - NOISE && new.q3 < old.q1 {
        Verdict::Faster
    } else {
        Verdict::NoChange
    };
    Change { ratio, verdict }
}

/// What identifies a cell across runs: workload (consumers, per consumer),
/// runtime, flavor, workers, variant, work per number and pinned CPUs.
type Key = ((usize, usize), String, String, Option<usize>, String, u64, Option<usize>);

fn key(r: &Record) -> Key {
    let w = (r.workload.consumers, r.workload.per_consumer);
    let s = &r.settings;
    (w, r.runtime.clone(), r.executor.flavor.clone(), r.executor.workers, r.variant.clone(), s.work_ns, s.cpus)
}

/// `, 500 ns work, 1 CPU`: the knobs of a cell, when it has any.
fn knobs(k: &Key) -> String {
    let mut out = String::new();
    if k.5 > 0 {
        out.push_str(&format!(", {} ns work", k.5));
    }
    if let Some(c) = k.6 {
        out.push_str(&format!(", {c} CPU{}", if c == 1 { "" } else { "s" }));
    }
    out
}

/// The header line of two runs from different machines; nothing when they
/// ran on the same one or a run does not say.
pub fn machines_line(old: &Results, new: &Results) -> Option<String> {
    let (o, n) = (old.machine.as_ref()?, new.machine.as_ref()?);
    (!o.same_machine(n)).then(|| {
        format!(
            "Different machines: OLD ran on {} ({}), NEW on {} ({}); the ratios compare the machines as much as the code.",
            o.label(),
            o.summary(),
            n.label(),
            n.summary()
        )
    })
}

/// Cells by key; a key seen twice keeps its last record (a later rerun).
fn index(results: &Results) -> BTreeMap<Key, &Record> {
    results.records.iter().map(|r| (key(r), r)).collect()
}

/// The quartiles of a cell that may be compared (it is ok and has samples).
fn quartiles(r: &Record) -> Option<Quartiles> {
    Quartiles::of(&r.dispense_ns).filter(|_| r.is_ok())
}

fn median(r: &Record) -> String {
    match Stats::compute(&r.dispense_ns, &r.setup_ns, r.workload.total()).filter(|_| r.is_ok()) {
        Some(s) => format!("{} ± {}", format_ns(s.median_ns), format_ns(s.iqr_ns)),
        None => r.status.as_str().to_uppercase(),
    }
}

/// The comparison as text: a table per workload, one-sided cells, totals.
pub fn render(old: &Results, new: &Results) -> String {
    let (old_cells, new_cells) = (index(old), index(new));
    let mut out = String::new();
    if let Some(line) = machines_line(old, new) {
        let _ = writeln!(out, "{line}");
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut workloads: Vec<(usize, usize)> = old_cells.keys().chain(new_cells.keys()).map(|k| k.0).collect();
    workloads.sort();
    workloads.dedup();
    for w in workloads {
        let mut rows: Vec<(Option<Change>, [String; 6])> = Vec::new();
        for (k, o) in old_cells.iter().filter(|(k, _)| k.0 == w) {
            let Some(n) = new_cells.get(k) else { continue };
            let label = format!("{} ({}{})", k.1, n.executor, knobs(k));
            let (c, verdict, ratio) = match (quartiles(o), quartiles(n)) {
                (Some(qo), Some(qn)) => {
                    let c = change(qo, qn);
                    (Some(c), c.verdict.as_str().to_string(), format!("{:.2}", c.ratio))
                }
                (Some(_), None) => (None, format!("now {}", n.status.as_str()), String::new()),
                (None, Some(_)) => (None, format!("fixed (was {})", o.status.as_str()), String::new()),
                (None, None) => (None, format!("not ok in both ({})", n.status.as_str()), String::new()),
            };
            *counts.entry(c.map_or("not comparable", |c| c.verdict.as_str())).or_default() += 1;
            rows.push((c, [label, k.4.clone(), median(o), median(n), ratio, verdict]));
        }
        if rows.is_empty() {
            continue;
        }
        // Regressions first, the largest on top; then improvements; then the rest.
        rows.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => x.verdict.cmp(&y.verdict).then(y.ratio.total_cmp(&x.ratio)),
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (None, None) => a.1.cmp(&b.1),
        });
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header([
            "runtime",
            "variant",
            "OLD median",
            "NEW median",
            "NEW/OLD",
            "verdict",
        ]);
        for (_, cells) in rows {
            table.add_row(cells);
        }
        for col in 2..5 {
            if let Some(c) = table.column_mut(col) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = writeln!(out, "\nWorkload {}x{}\n{table}", w.0, w.1);
    }
    for (side, here, there) in [("OLD", &old_cells, &new_cells), ("NEW", &new_cells, &old_cells)] {
        let only: Vec<String> = here
            .iter()
            .filter(|(k, _)| !there.contains_key(*k))
            .map(|(k, r)| format!("  {} on {} ({}{}), {}", k.4, k.1, r.executor, knobs(k), r.workload))
            .collect();
        if !only.is_empty() {
            let _ = writeln!(out, "\nOnly in {side} ({}):\n{}", only.len(), only.join("\n"));
        }
        *counts.entry(if side == "OLD" { "only in OLD" } else { "only in NEW" }).or_default() += only.len();
    }
    let totals: Vec<String> = ["faster", "slower", "no change", "not comparable", "only in OLD", "only in NEW"]
        .iter()
        .map(|k| format!("{} {k}", counts.get(k).copied().unwrap_or(0)))
        .collect();
    let _ = writeln!(
        out,
        "\n{}\n(a change counts when the medians differ by more than {:.0}% and the middle halves \
         of the samples, Q1..Q3, do not overlap)",
        totals.join(", "),
        NOISE * 100.0
    );
    out
}

/// Runs the task: loads both files (a bad one is a usage error) and prints.
pub fn run(args: CompareArgs) -> Result<ExitCode> {
    let (old_path, new_path) = match (args.old, args.new) {
        (Some(old), Some(new)) => (old, new),
        (old, _) => {
            let missing = if old.is_none() { "OLD and NEW are" } else { "NEW is" };
            return Err(usage(format!(
                "compare needs two runs: {missing} missing (usage: cargo xtask compare OLD NEW)"
            )));
        }
    };
    let old = results::load(&old_path)?;
    let new = results::load(&new_path)?;
    println!("OLD: {}\nNEW: {}", old_path.display(), new_path.display());
    print!("{}", render(&old, &new));
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::{failed, record};
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Status, Workload};

    fn q(ns: &[u64]) -> Quartiles {
        Quartiles::of(ns).unwrap()
    }

    #[test]
    fn verdicts_weigh_the_change_against_the_spread() {
        let base = q(&[100, 101, 102, 103, 104]);
        assert_eq!(change(base, base).verdict, Verdict::NoChange);
        assert_eq!(change(base, q(&[200, 201, 202, 203, 204])).verdict, Verdict::Slower);
        assert_eq!(change(base, q(&[50, 51, 52, 53, 54])).verdict, Verdict::Faster);
        // 1% is below the noise floor even with tight samples.
        assert_eq!(change(base, q(&[101, 102, 103, 104, 105])).verdict, Verdict::NoChange);
        // 20% slower, but the samples are all over the place: no call.
        let c = change(q(&[50, 80, 120, 160, 200]), q(&[60, 96, 144, 192, 240]));
        assert!((c.ratio - 1.2).abs() < 1e-9);
        assert_eq!(c.verdict, Verdict::NoChange, "{c:?}");
        // Three skewed samples, three times slower: clear.
        assert_eq!(change(q(&[20, 38, 60]), q(&[60, 114, 180])).verdict, Verdict::Slower);
        // A zero median never panics.
        assert_eq!(change(q(&[0, 0, 0]), q(&[5, 5, 5])).verdict, Verdict::Slower);
        assert_eq!(change(q(&[0, 0, 0]), q(&[0, 0, 0])).verdict, Verdict::NoChange);
        assert!(Quartiles::of(&[]).is_none());
    }

    #[test]
    fn one_sided_and_failed_cells_are_listed() {
        let w = Workload::QUICK;
        let old = Results::new(
            RunInfo::default(),
            None,
            vec![
                record("sync", "atomic", w, &[100, 101, 102]),
                record("sync", "std-mutex", w, &[100, 101, 102]),
                record("sync", "kanal-bounded", w, &[100, 101, 102]),
            ],
        );
        let new = Results::new(
            RunInfo::default(),
            None,
            vec![
                record("sync", "atomic", w, &[300, 301, 302]),
                failed(record("sync", "kanal-bounded", w, &[]), Status::Timeout, "killed"),
                record("sync", "flume-bounded", w, &[100, 101, 102]),
            ],
        );
        let text = render(&old, &new);
        assert!(text.contains("slower") && text.contains("2.98"), "{text}");
        assert!(text.contains("now timeout"));
        assert!(text.contains("Only in OLD (1):\n  std-mutex on sync (threads), 4x10000"));
        assert!(text.contains("Only in NEW (1):\n  flume-bounded on sync (threads), 4x10000"));
        assert!(text.contains("0 faster, 1 slower, 0 no change, 1 not comparable, 1 only in OLD, 1 only in NEW"));
        assert!(!text.contains("Different machines"), "no machine, no claim");
    }

    #[test]
    fn runs_from_different_machines_say_so_and_work_keeps_cells_apart() {
        let w = Workload::QUICK;
        let mut slow = record("sync", "atomic", w, &[300, 301, 302]);
        slow.settings.work_ns = 500;
        let machine = crate::render::tests::sample_results().machine;
        let old =
            Results::new(RunInfo::default(), machine.clone(), vec![record("sync", "atomic", w, &[100, 101, 102])]);
        let laptop = machine.map(|m| crate::machine::Machine { host_name: Some("laptop".into()), ..m });
        let new = Results::new(RunInfo::default(), laptop, vec![slow]);
        let text = render(&old, &new);
        assert!(text.starts_with("Different machines: OLD ran on Test CPU, 2 cores ("), "{text}");
        assert!(text.contains("NEW on laptop (Test CPU"), "{text}");
        assert!(text.contains("Only in NEW (1):\n  atomic on sync (threads, 500 ns work), 4x10000"), "{text}");
        assert!(render(&old, &old).lines().all(|l| !l.starts_with("Different machines")));
    }
}
