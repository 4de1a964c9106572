//! `cargo xtask compare OLD NEW`: per cell (runtime, flavor, workers,
//! variant, workload), the NEW/OLD ratio of typical process medians with its 95% interval
//! and a verdict that calls a change only when the evidence holds across
//! processes (`dispenser_core::evidence::verdict`); cells found on one side
//! only are listed. [`aa_summary`] reads two runs of one plan as a noise
//! measurement (`cargo xtask noise`). Runs from different machines are
//! compared too, but the header says so: the ratios then measure the
//! machines as much as the code.

use crate::cli::CompareArgs;
use crate::collate::{CellRecords, group_cells};
use crate::error::usage;
use crate::render::text::{columns, wrap_words};
use crate::results::{self, Results};
use crate::units::format_ratio;
use anyhow::Result;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use dispenser_core::evidence::{self, Estimate, Ratio, Verdict};
use dispenser_core::table::format_ns;
use std::collections::BTreeMap;
use std::collections::BTreeSet;
use std::fmt::Write;
use std::process::ExitCode;

/// The word a verdict is shown as (`faster`, `slower`, `no change`).
pub fn verdict_word(v: Verdict) -> &'static str {
    match v {
        Verdict::Slower => "slower",
        Verdict::Faster => "faster",
        Verdict::NoChange => "no change",
    }
}

/// Regressions first, then improvements, then the rest.
fn verdict_order(v: Verdict) -> u8 {
    match v {
        Verdict::Slower => 0,
        Verdict::Faster => 1,
        Verdict::NoChange => 2,
    }
}

/// A cell of both runs, compared.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Change {
    /// NEW / OLD point estimates, with its interval.
    pub ratio: Ratio,
    /// The call.
    pub verdict: Verdict,
    /// What OLD's processes say.
    pub old: Estimate,
    /// What NEW's processes say.
    pub new: Estimate,
    /// The smallest change this pair of runs would call at 80% power (a
    /// share); `None` when a side has one process.
    pub detectable: Option<f64>,
}

/// Compares one cell of two runs; `None` unless both finished with samples.
pub fn change(old: &CellRecords, new: &CellRecords) -> Option<Change> {
    if old.failure().is_some() || new.failure().is_some() {
        return None;
    }
    let (o, n) = (old.samples_by_process(), new.samples_by_process());
    let seed = evidence::seed_for(&old.key());
    let ratio = evidence::ratio(&o, &n, seed)?;
    let (eo, en) = (evidence::estimate(&o, seed)?, evidence::estimate(&n, seed)?);
    let detectable = evidence::min_detectable(&o, &n);
    Some(Change { ratio, verdict: evidence::verdict(&ratio), old: eo, new: en, detectable })
}

/// What identifies a cell across runs: workload (consumers, per consumer),
/// runtime, flavor, workers, variant, work per number, pinned CPUs, load,
/// rate, capacity and whether threads were placed (`--pin`).
type Key = (
    (usize, usize),
    String,
    String,
    Option<usize>,
    String,
    u64,
    Option<usize>,
    usize,
    Option<u64>,
    Option<usize>,
    bool,
);

fn key(c: &CellRecords) -> Key {
    let r = c.first();
    let w = (r.workload.consumers, r.workload.per_consumer);
    let s = &r.settings;
    (
        w,
        r.runtime.clone(),
        r.executor.flavor.clone(),
        r.executor.workers,
        r.variant.clone(),
        s.work_ns,
        s.cpus,
        s.load,
        s.rate,
        s.capacity,
        s.pin,
    )
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
    if k.7 > 0 {
        out.push_str(&format!(", load {}", k.7));
    }
    if let Some(r) = k.8 {
        out.push_str(&format!(", {r}/s open loop"));
    }
    if let Some(c) = k.9 {
        out.push_str(&format!(", capacity {c}"));
    }
    if k.10 {
        out.push_str(", --pin");
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

/// The header line of two runs whose records follow different schemas
/// (their clocks or fields mean different things); nothing when they agree.
pub fn schemas_line(old: &Results, new: &Results) -> Option<String> {
    let schemas = |r: &Results| r.records.iter().map(|r| r.schema).collect::<BTreeSet<_>>();
    let (o, n) = (schemas(old), schemas(new));
    let list = |s: &BTreeSet<u32>| s.iter().map(u32::to_string).collect::<Vec<_>>().join(", ");
    (o != n).then(|| {
        format!(
            "Different record schemas: OLD {}, NEW {}; what a field or the clock measures changed between them (see SCHEMA_VERSION in core/src/record.rs), so a ratio may reflect the definition, not the code.",
            list(&o),
            list(&n)
        )
    })
}

fn index(results: &Results) -> BTreeMap<Key, CellRecords<'_>> {
    group_cells(&results.records).into_iter().map(|c| (key(&c), c)).collect()
}

/// `3.80 ms [3.71 ms–3.90 ms]`, or the status of a cell that did not finish.
fn point(c: &CellRecords) -> String {
    match (c.failure(), c.estimate()) {
        (None, Some(e)) => {
            format!("{} [{}–{}]", format_ns(e.point), format_ns(e.interval.lo), format_ns(e.interval.hi))
        }
        (Some(f), _) => f.status.as_str().to_uppercase(),
        (None, None) => "NO SAMPLES".into(),
    }
}

/// `3.80 ms`, or the status of a cell that did not finish: the compact table's OLD and NEW.
fn point_only(c: &CellRecords) -> String {
    match (c.failure(), c.estimate()) {
        (None, Some(e)) => format_ns(e.point),
        (Some(f), _) => f.status.as_str().to_uppercase(),
        (None, None) => "NO SAMPLES".into(),
    }
}

/// The comparison as text, within [`crate::render::text::WIDTH`] columns: see [`render_with`].
pub fn render(old: &Results, new: &Results) -> String {
    render_with(old, new, false)
}

/// The comparison as text: a table per workload, one-sided cells, totals.
/// By default within [`crate::render::text::WIDTH`] columns (short runtime labels, OLD and NEW
/// as points, `~` for no change, prose wrapped); `wide` keeps every column
/// (OLD and NEW with their intervals, full runtime names).
pub fn render_with(old: &Results, new: &Results, wide: bool) -> String {
    let (old_cells, new_cells) = (index(old), index(new));
    let mut out = String::new();
    let say = |out: &mut String, line: &str, indent: &str| {
        if wide {
            let _ = writeln!(out, "{line}");
        } else {
            let lead = &line[..line.len() - line.trim_start().len()];
            for l in wrap_words(lead, line, indent, columns()) {
                let _ = writeln!(out, "{l}");
            }
        }
    };
    for line in [machines_line(old, new), schemas_line(old, new)].into_iter().flatten() {
        say(&mut out, &line, "  ");
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut detectable: Vec<f64> = Vec::new();
    let mut ratios: Vec<f64> = Vec::new();
    let mut workloads: Vec<(usize, usize)> = old_cells.keys().chain(new_cells.keys()).map(|k| k.0).collect();
    workloads.sort();
    workloads.dedup();
    for w in workloads {
        let mut rows: Vec<(Option<Change>, [String; 7])> = Vec::new();
        for (k, o) in old_cells.iter().filter(|(k, _)| k.0 == w) {
            let Some(n) = new_cells.get(k) else { continue };
            let label = match wide {
                true => format!("{} ({}{})", k.1, n.first().executor, knobs(k)),
                false => format!("{}{}", crate::cells::short_runtime(n.first()), knobs(k)),
            };
            let c = change(o, n);
            let (verdict, ratio) = match (c, o.failure(), n.failure()) {
                (Some(c), ..) if !wide && c.verdict == Verdict::NoChange => ("~".to_string(), format_ratio(&c.ratio)),
                (Some(c), ..) => (verdict_word(c.verdict).to_string(), format_ratio(&c.ratio)),
                // Compact: OLD and NEW already show the statuses.
                (None, None, Some(_)) if !wide => ("broke".into(), String::new()),
                (None, Some(_), None) if !wide => ("fixed".into(), String::new()),
                (None, Some(_), Some(_)) if !wide => ("not ok".into(), String::new()),
                (None, None, Some(f)) => (format!("now {}", f.status.as_str()), String::new()),
                (None, Some(f), None) => (format!("fixed (was {})", f.status.as_str()), String::new()),
                (None, Some(_), Some(f)) => (format!("not ok in both ({})", f.status.as_str()), String::new()),
                (None, None, None) => ("no samples".into(), String::new()),
            };
            *counts.entry(c.map_or("not comparable", |c| verdict_word(c.verdict))).or_default() += 1;
            if let Some(d) = c.and_then(|c| c.detectable) {
                detectable.push(d);
            }
            ratios.extend(c.map(|c| c.ratio.point));
            let mde = c.and_then(|c| c.detectable).map_or(String::new(), |d| format!("{:.0}%", d * 100.0));
            let (po, pn) = if wide { (point(o), point(n)) } else { (point_only(o), point_only(n)) };
            let cells = [label, k.4.clone(), po, pn, ratio, verdict, mde];
            rows.push((c, cells));
        }
        if rows.is_empty() {
            continue;
        }
        // Regressions first, the largest on top; then improvements; then the rest.
        rows.sort_by(|a, b| match (a.0, b.0) {
            (Some(x), Some(y)) => {
                verdict_order(x.verdict).cmp(&verdict_order(y.verdict)).then(y.ratio.point.total_cmp(&x.ratio.point))
            }
            (Some(_), None) => std::cmp::Ordering::Greater,
            (None, Some(_)) => std::cmp::Ordering::Less,
            (None, None) => a.1.cmp(&b.1),
        });
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED);
        if wide {
            table.set_header(["runtime", "variant", "OLD [95%]", "NEW [95%]", "NEW/OLD [95%]", "verdict", "MDE"]);
        } else {
            // Dynamic only bites when the data would be wider than WIDTH.
            table.set_content_arrangement(ContentArrangement::Dynamic).set_width(columns() as u16);
            table.set_header(["runtime", "variant", "OLD", "NEW", "NEW/OLD [95%]", "verdict", "MDE"]);
        }
        for (_, cells) in rows {
            table.add_row(cells);
        }
        for col in [2, 3, 4, 6] {
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
            .map(|(k, c)| format!("  {} on {} ({}{}), {}", k.4, k.1, c.first().executor, knobs(k), c.first().workload))
            .collect();
        if !only.is_empty() {
            let _ = writeln!(out, "\nOnly in {side} ({}):", only.len());
            for line in only {
                say(&mut out, &line, "      ");
            }
        }
        *counts.entry(if side == "OLD" { "only in OLD" } else { "only in NEW" }).or_default() +=
            only_count(here, there);
    }
    let totals: Vec<String> = ["faster", "slower", "no change", "not comparable", "only in OLD", "only in NEW"]
        .iter()
        .map(|k| format!("{} {k}", counts.get(k).copied().unwrap_or(0)))
        .collect();
    let mde = match detectable.is_empty() {
        true => String::new(),
        false => format!(
            "; median minimum detectable change {:.1}%",
            dispenser_core::stats::median(detectable).unwrap_or(0.0) * 100.0
        ),
    };
    out.push('\n');
    say(&mut out, &format!("{}{mde}", totals.join(", ")), "  ");
    if let Some(shift) = evidence::shift(&ratios) {
        say(&mut out, &shift_line(&shift), "  ");
    }
    let tilde = if wide { "" } else { "~: no change; " };
    say(
        &mut out,
        &format!(
            "({tilde}a change counts when the 95% interval of NEW/OLD, Welch's t on both runs' log process medians, \
             excludes 1 and the change exceeds {:.0}%; MDE: the smallest change this pair of runs would call {:.0}% of \
             the time)",
            evidence::PRACTICAL * 100.0,
            evidence::POWER * 100.0
        ),
        " ",
    );
    out
}

/// One line on how the whole run moved (see [`evidence::shift`]), and,
/// when it moved significantly, what that means for the verdicts above.
pub fn shift_line(s: &evidence::Shift) -> String {
    let mut line = format!(
        "Whole run: NEW/OLD median over cells {:.3} [{:.3}–{:.3}], {} of {} cells slower (sign test {})",
        s.median,
        s.interval.0,
        s.interval.1,
        s.slower,
        s.cells,
        if s.p < 0.001 { "p < 0.001".to_string() } else { format!("p {:.3}", s.p) }
    );
    if s.is_significant() {
        line.push_str(
            "; the cells moved together: a change that touches every cell, or the machine's speed drifting \
             between the runs (the single-thread baseline shares nothing, so its move is the machine's); cells \
             called changed by about this much may be the machine, not the code",
        );
    }
    line
}

/// Cells of `here` that `there` does not have.
fn only_count(here: &BTreeMap<Key, CellRecords>, there: &BTreeMap<Key, CellRecords>) -> usize {
    here.keys().filter(|k| !there.contains_key(*k)).count()
}

/// Slowdowns injected into the B run of an A/A pair: what compare must see.
pub const INJECTED: [f64; 2] = [1.10, 1.25];

/// `b` with every counted sample multiplied by `factor`: a known, uniform
/// change at the machine's real noise.
fn scaled(b: &Results, factor: f64) -> Results {
    let mut out = b.clone();
    for r in &mut out.records {
        for ns in &mut r.dispense_ns {
            *ns = (*ns as f64 * factor).round() as u64;
        }
    }
    out
}

/// The `q` quantile of `xs` (any order); 0 for none.
fn quantile_of(mut xs: Vec<f64>, q: f64) -> f64 {
    xs.sort_by(f64::total_cmp);
    if xs.is_empty() { 0.0 } else { dispenser_core::stats::quantile(&xs, q) }
}

/// `12 of 118 (10.2%)`.
fn share(n: usize, of: usize) -> String {
    format!("{n} of {of} ({:.1}%)", if of == 0 { 0.0 } else { n as f64 * 100.0 / of as f64 })
}

/// Two runs of one plan read as a noise measurement (A/A): the false
/// alarms (cells compare calls changed), how much the cells moved
/// (|ln(B/A)|), the rank correlation per workload, the power (the share of
/// cells called slower when B is made 10% and 25% slower), the minimum
/// detectable change, the interval widths, the spread between processes
/// by runtime, and the cells flagged unstable in either run.
pub fn aa_summary(a: &Results, b: &Results) -> String {
    let (a_cells, b_cells) = (index(a), index(b));
    let mut changed = Vec::new();
    let (mut moved, mut detectable, mut half_widths) = (Vec::new(), Vec::new(), Vec::new());
    let mut ratios = Vec::new();
    let mut unstable = Vec::new();
    let mut between_by_runtime: BTreeMap<String, Vec<f64>> = BTreeMap::new();
    let mut by_workload: BTreeMap<(usize, usize), (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let mut compared = Vec::new();
    for (k, ca) in &a_cells {
        let Some(cb) = b_cells.get(k) else { continue };
        let Some(c) = change(ca, cb) else { continue };
        compared.push(k.clone());
        let name = format!("{} on {} ({}), {}x{}", k.4, k.1, cb.first().executor, k.0.0, k.0.1);
        if c.verdict != Verdict::NoChange {
            changed.push(format!("  {name}: {} {}", verdict_word(c.verdict), format_ratio(&c.ratio)));
        }
        moved.push(c.ratio.point.ln().abs());
        ratios.push(c.ratio.point);
        detectable.extend(c.detectable);
        half_widths.extend([c.old.interval.half_width(), c.new.interval.half_width()]);
        let runtime = format!("{} ({})", k.1, cb.first().executor.flavor);
        between_by_runtime.entry(runtime).or_default().extend([c.old.between, c.new.between]);
        if c.old.unstable || c.new.unstable {
            unstable.push(format!(
                "  {name}: processes spread {:.0}% / {:.0}% (log sd)",
                c.old.between * 100.0,
                c.new.between * 100.0
            ));
        }
        let points = by_workload.entry(k.0).or_default();
        points.0.push(c.old.point);
        points.1.push(c.new.point);
    }
    let n = compared.len();
    let mut out = String::new();
    let _ = writeln!(
        out,
        "A/A: compare called {} cells changed; an honest suite on a quiet machine stays under 5%",
        share(changed.len(), n)
    );
    let _ = writeln!(
        out,
        "A/A: cells moved |ln(B/A)| p50 {:.1}%, p95 {:.1}%",
        quantile_of(moved.clone(), 0.5) * 100.0,
        quantile_of(moved, 0.95) * 100.0
    );
    let shift = evidence::shift(&ratios);
    if let Some(shift) = &shift {
        let _ = writeln!(out, "A/A: {}", shift_line(shift));
    }
    for (w, (x, y)) in &by_workload {
        let rho = evidence::spearman(x, y).map_or("n/a".into(), |r| format!("{r:.3}"));
        let _ = writeln!(out, "A/A: Spearman rank correlation, workload {}x{}: {rho} ({} cells)", w.0, w.1, x.len());
    }
    // The injected change is measured from where A's cells are: B is first
    // divided by the whole run's shift, so a machine that drifted between
    // the runs neither adds to the injected slowdown nor hides it (the
    // shift itself is the line above).
    let recentre = shift.map_or(1.0, |s| s.median);
    for factor in INJECTED {
        let b_slower = scaled(b, factor / recentre);
        let slower = index(&b_slower);
        let seen = compared
            .iter()
            .filter(|k| {
                let (Some(ca), Some(cb)) = (a_cells.get(*k), slower.get(*k)) else { return false };
                change(ca, cb).is_some_and(|c| c.verdict == Verdict::Slower)
            })
            .count();
        let _ = writeln!(
            out,
            "Power: B made {factor:.2}x slower (after dividing out its whole-run shift {recentre:.3}) is called slower in {}",
            share(seen, n)
        );
    }
    let _ = writeln!(
        out,
        "Power: minimum detectable change (80% power) p50 {:.1}%, p90 {:.1}% ({} cells with two processes or more a side)",
        quantile_of(detectable.clone(), 0.5) * 100.0,
        quantile_of(detectable.clone(), 0.9) * 100.0,
        detectable.len()
    );
    let _ = writeln!(
        out,
        "Intervals: median 95% half-width ±{:.1}% (p90 ±{:.1}%)",
        quantile_of(half_widths.clone(), 0.5) * 100.0,
        quantile_of(half_widths, 0.9) * 100.0
    );
    let by_runtime: Vec<String> = between_by_runtime
        .iter()
        .map(|(r, sds)| format!("{r} {:.1}%", quantile_of(sds.clone(), 0.5) * 100.0))
        .collect();
    let all: Vec<f64> = between_by_runtime.values().flatten().copied().collect();
    let _ = writeln!(
        out,
        "Spread between processes (log sd, random effects): median {:.1}%, p90 {:.1}%; by runtime: {}",
        quantile_of(all.clone(), 0.5) * 100.0,
        quantile_of(all, 0.9) * 100.0,
        by_runtime.join(", ")
    );
    if !changed.is_empty() {
        let _ = writeln!(out, "Called changed:\n{}", changed.join("\n"));
    }
    let _ = writeln!(
        out,
        "Unstable cells (processes disagree significantly and by more than {:.0}%) in either run: {}",
        evidence::UNSTABLE_SD * 100.0,
        share(unstable.len(), n)
    );
    if !unstable.is_empty() {
        let _ = writeln!(out, "{}", unstable.join("\n"));
    }
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
    print!("{}", render_with(&old, &new, args.wide));
    if args.aa {
        println!();
        print!("{}", aa_summary(&old, &new));
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::text::WIDTH;
    use crate::results::tests::{failed, record};
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Record, Status, Workload};

    /// One cell measured in three processes.
    fn cell(variant: &str, per_process: [&[u64]; 3]) -> Vec<Record> {
        per_process
            .iter()
            .enumerate()
            .map(|(i, ns)| Record { process: Some(i as u32), ..record("sync", variant, Workload::QUICK, ns) })
            .collect()
    }

    fn run(cells: Vec<Vec<Record>>) -> Results {
        Results::new(RunInfo::default(), None, cells.into_iter().flatten().collect())
    }

    #[test]
    fn verdicts_need_evidence_across_processes() {
        let base = run(vec![cell("atomic", [&[100, 101, 102], &[103, 104, 105], &[101, 102, 103]])]);
        let same = run(vec![cell("atomic", [&[101, 102, 103], &[100, 101, 102], &[104, 105, 106]])]);
        let slower = run(vec![cell("atomic", [&[200, 201, 202], &[206, 207, 208], &[202, 203, 204]])]);
        let modes = run(vec![cell("atomic", [&[100, 101, 102], &[200, 201, 202], &[150, 151, 152]])]);
        assert!(render(&base, &same).contains("0 faster, 0 slower, 1 no change"));
        assert!(render(&base, &slower).contains("0 faster, 1 slower, 0 no change"));
        assert!(render(&slower, &base).contains("1 faster, 0 slower, 0 no change"));
        // 50% slower on average, but NEW's own processes disagree by 100%: no call.
        assert!(render(&base, &modes).contains("0 faster, 0 slower, 1 no change"), "{}", render(&base, &modes));
    }

    #[test]
    fn a_run_that_moved_as_a_whole_says_so() {
        let variants: Vec<String> = (0..12).map(|i| format!("v{i}")).collect();
        let base =
            run(variants.iter().map(|v| cell(v, [&[100, 101, 102], &[103, 104, 105], &[101, 102, 103]])).collect());
        let same =
            run(variants.iter().map(|v| cell(v, [&[101, 102, 103], &[100, 101, 102], &[104, 105, 106]])).collect());
        let quiet = render_with(&base, &same, true);
        assert!(quiet.contains("Whole run: NEW/OLD median over cells") && !quiet.contains("moved together"), "{quiet}");
        let drifted = render_with(&base, &scaled(&same, 1.05), true);
        assert!(drifted.contains("12 of 12 cells slower") && drifted.contains("moved together"), "{drifted}");
        assert!(aa_summary(&base, &scaled(&same, 1.05)).contains("A/A: Whole run"));
        // B ran 10% fast: the injected 1.10 is measured from A's level, not lost in the drift.
        let fast = aa_summary(&base, &scaled(&same, 0.9));
        assert!(
            fast.contains("1.10x slower (after dividing out its whole-run shift 0.905) is called slower in 12 of 12"),
            "{fast}"
        );
        // Too few cells to say.
        let one = run(vec![cell("atomic", [&[100, 101, 102], &[103, 104, 105], &[101, 102, 103]])]);
        assert!(!render(&one, &one).contains("Whole run"));
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
        assert!(text.contains("TIMEOUT ┆") && text.contains("┆ broke "), "{text}");
        assert!(render_with(&old, &new, true).contains("now timeout"));
        assert!(text.lines().all(|l| crate::render::text::width(l) <= WIDTH), "{text}");
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

    #[test]
    fn cells_with_and_without_pin_are_different_cells() {
        let w = Workload::QUICK;
        let mut placed = record("sync", "atomic", w, &[100, 101, 102]);
        placed.settings.pin = true;
        let old = Results::new(RunInfo::default(), None, vec![record("sync", "atomic", w, &[100, 101, 102])]);
        let new = Results::new(RunInfo::default(), None, vec![placed]);
        let text = render(&old, &new);
        assert!(text.contains("Only in NEW (1):\n  atomic on sync (threads, --pin), 4x10000"), "{text}");
        assert!(text.contains("Only in OLD (1):\n  atomic on sync (threads), 4x10000"), "{text}");
    }

    #[test]
    fn runs_with_different_record_schemas_say_so() {
        let w = Workload::QUICK;
        let new = Results::new(RunInfo::default(), None, vec![record("sync", "atomic", w, &[100, 101, 102])]);
        let mut old = new.clone();
        old.records[0].schema = 1;
        let text = render(&old, &new);
        let head = format!("Different record schemas: OLD 1, NEW {};", dispenser_core::record::SCHEMA_VERSION);
        assert!(text.starts_with(&head), "{text}");
        assert!(!render(&new, &new).contains("Different record schemas"));
    }

    #[test]
    fn the_aa_summary_counts_changes_and_correlates_ranks() {
        let a = run(vec![
            cell("atomic", [&[100, 101, 102], &[103, 104, 105], &[101, 102, 103]]),
            cell("std-mutex", [&[300, 301, 302], &[303, 304, 305], &[301, 302, 303]]),
            cell("std-mpsc", [&[900, 901, 902], &[903, 904, 905], &[901, 902, 903]]),
        ]);
        let b = run(vec![
            cell("atomic", [&[101, 102, 103], &[100, 101, 102], &[104, 105, 106]]),
            cell("std-mutex", [&[600, 601, 602], &[606, 607, 608], &[603, 604, 605]]),
            cell("std-mpsc", [&[901, 902, 903], &[900, 901, 902], &[904, 905, 906]]),
        ]);
        let text = aa_summary(&a, &b);
        assert!(text.contains("compare called 1 of 3 (33.3%) cells changed"), "{text}");
        assert!(text.contains("workload 4x10000: 1.000 (3 cells)"), "{text}");
        assert!(text.contains("std-mutex on sync (threads), 4x10000: slower"), "{text}");
    }
}
