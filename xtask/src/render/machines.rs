//! The report of several runs, one per machine, merged: `cargo xtask
//! report RUN RUN... --out DIR`. The machines are described at the top;
//! then, per workload, a table with a row per cell (runtime and variant)
//! and a column per machine holding its median ns per number and its ratio
//! to that machine's fastest, what each machine found (its fastest cell
//! and the best of every family), and a chart setting the machines' bars
//! side by side. Each machine's ranking is its own run's, from
//! [`crate::collate`]: nothing is recomputed here.

use super::chart::{band_chart, band_legend};
use super::html::{page_end, page_start};
use super::text::{html_escape as escape, inline_svg};
use super::{Section, sections, thousands};
use crate::results::{FAMILY_ORDER, Results};
use crate::units::times;
use anyhow::{Result, anyhow};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use dispenser_core::table::format_ns;
use dispenser_core::{Family, Record, Workload};
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use std::fmt::Write;

/// One run and the name of its machine in the merged report.
pub struct MachineRun {
    /// Unique within the report: the machine's label, numbered when two
    /// runs share a machine.
    pub name: String,
    /// The run.
    pub results: Results,
}

/// Names the runs after their machines; runs from one machine, or with no
/// machine recorded, are told apart by their place on the command line.
pub fn name_runs(runs: Vec<Results>) -> Vec<MachineRun> {
    let labels: Vec<String> = runs
        .iter()
        .enumerate()
        .map(|(i, r)| r.machine.as_ref().map_or_else(|| format!("run {}", i + 1), |m| m.label()))
        .collect();
    runs.into_iter()
        .enumerate()
        .map(|(i, results)| {
            let twins = labels.iter().filter(|l| **l == labels[i]).count();
            let name = if twins > 1 { format!("{} (run {})", labels[i], i + 1) } else { labels[i].clone() };
            MachineRun { name, results }
        })
        .collect()
}

/// One cell on one machine.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// Ranked: its median ns per number and its ratio to the machine's fastest.
    Ranked {
        /// Median ns per number.
        ns_per_number: f64,
        /// Median over that machine's fastest median.
        ratio: f64,
    },
    /// Ran but did not finish (timeout, failed, hung, invalid).
    Unranked(&'static str),
    /// Not run on that machine.
    Missing,
}

impl Entry {
    /// `5.2 ns ×1.0`, `TIMEOUT` or `–`.
    pub fn text(&self) -> String {
        match self {
            Entry::Ranked { ns_per_number, ratio } => format!("{} {}", format_ns(*ns_per_number), times(*ratio)),
            Entry::Unranked(status) => status.to_uppercase(),
            Entry::Missing => "–".into(),
        }
    }
}

/// A cell across machines.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedRow {
    /// `sync (threads)`.
    pub runtime: String,
    /// The variant.
    pub variant: String,
    /// Its family.
    pub family: Family,
    /// One entry per machine, in run order.
    pub entries: Vec<Entry>,
}

impl MergedRow {
    /// `atomic · sync (threads)`.
    pub fn label(&self) -> String {
        format!("{} · {}", self.variant, self.runtime)
    }
}

/// One workload across machines.
#[derive(Debug, Clone, PartialEq)]
pub struct MergedSection {
    /// The workload.
    pub workload: Workload,
    /// Its cells, in the order of the first machine that ranked them.
    pub rows: Vec<MergedRow>,
    /// Per machine, what it found (see [`findings`]); empty when it did not run the workload.
    pub findings: Vec<Vec<String>>,
}

/// The merged sections, fewest consumers first.
pub fn merge(runs: &[MachineRun]) -> Vec<MergedSection> {
    let per_run: Vec<Vec<Section>> = runs.iter().map(|r| sections(&r.results)).collect();
    let mut workloads: Vec<Workload> = per_run.iter().flatten().map(|s| s.workload).collect();
    workloads.sort_by_key(|w| (w.consumers, w.per_consumer));
    workloads.dedup();
    workloads
        .into_iter()
        .map(|w| {
            let ours: Vec<Option<&Section>> = per_run.iter().map(|ss| ss.iter().find(|s| s.workload == w)).collect();
            // Ranked cells first, in their machine's order, machine by machine; then the unranked.
            let mut keys: Vec<(String, String, Family)> = Vec::new();
            let records = ours.iter().flatten().flat_map(|s| s.rows.iter().map(|r| r.record));
            let unranked = ours.iter().flatten().flat_map(|s| s.unranked.iter().copied());
            for r in records.chain(unranked) {
                let k = (r.runtime_label(), r.variant.clone(), r.family);
                if !keys.contains(&k) {
                    keys.push(k);
                }
            }
            let rows = keys
                .into_iter()
                .map(|(runtime, variant, family)| {
                    let entries = ours.iter().map(|s| entry(*s, &runtime, &variant)).collect();
                    MergedRow { runtime, variant, family, entries }
                })
                .collect();
            let findings = ours.iter().map(|s| s.map(findings).unwrap_or_default()).collect();
            MergedSection { workload: w, rows, findings }
        })
        .collect()
}

fn is(r: &Record, runtime: &str, variant: &str) -> bool {
    r.variant == variant && r.runtime_label() == runtime
}

fn entry(section: Option<&Section>, runtime: &str, variant: &str) -> Entry {
    let Some(s) = section else { return Entry::Missing };
    if let Some(row) = s.rows.iter().find(|r| is(r.record, runtime, variant)) {
        return Entry::Ranked { ns_per_number: row.ns_per_number(), ratio: row.ratio.point };
    }
    match s.unranked.iter().find(|r| is(r, runtime, variant)) {
        Some(r) => Entry::Unranked(r.status.as_str()),
        None => Entry::Missing,
    }
}

/// What one machine found on one workload: its fastest cell, then the best
/// cell of every other family with its ratio to the fastest.
pub fn findings(section: &Section) -> Vec<String> {
    let Some(first) = section.rows.first() else { return vec!["no cell finished".into()] };
    let mut out = vec![format!(
        "fastest: {} on {}, {} per number",
        first.record.variant,
        first.record.runtime_label(),
        format_ns(first.ns_per_number())
    )];
    for family in FAMILY_ORDER.into_iter().filter(|f| *f != first.record.family) {
        if let Some(best) = section.rows.iter().find(|r| r.record.family == family) {
            out.push(format!(
                "best {}: {} on {}, {}",
                family.as_str(),
                best.record.variant,
                best.record.runtime_label(),
                times(best.ratio.point)
            ));
        }
    }
    out
}

/// `Workload 10 x 100,000`.
fn title(w: &Workload) -> String {
    format!("Workload {} x {}", thousands(w.consumers as u64), thousands(w.per_consumer as u64))
}

/// One line per machine: its name, what it is, its commit and when it ran.
pub fn machine_lines(runs: &[MachineRun]) -> Vec<String> {
    runs.iter()
        .map(|r| {
            let what = r
                .results
                .machine
                .as_ref()
                .map_or("machine not recorded".into(), |m| format!("{} · commit {}", m.summary(), m.commit()));
            let when = r.results.run.started_utc.as_deref().unwrap_or("undated");
            format!("{}: {what} · {when}", r.name)
        })
        .collect()
}

/// Header cells of a merged table: runtime, variant, one per machine.
fn header(runs: &[MachineRun]) -> Vec<String> {
    let mut h = vec!["runtime".to_string(), "variant".to_string()];
    h.extend(runs.iter().map(|r| r.name.clone()));
    h
}

fn cells(row: &MergedRow) -> Vec<String> {
    let mut c = vec![row.runtime.clone(), row.variant.clone()];
    c.extend(row.entries.iter().map(Entry::text));
    c
}

/// The note under every merged table.
const NOTE: &str = "Each machine's column: median ns per number and × its own fastest cell on this workload. \
                    Compare the ratios across machines; the absolute times measure the machines.";

/// The terminal report.
pub fn render_terminal(runs: &[MachineRun]) -> String {
    let mut out = String::from("Machines:\n");
    for line in machine_lines(runs) {
        let _ = writeln!(out, "  {line}");
    }
    for s in merge(runs) {
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED).set_header(header(runs));
        for row in &s.rows {
            t.add_row(cells(row));
        }
        for col in 2..2 + runs.len() {
            if let Some(c) = t.column_mut(col) {
                c.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = writeln!(out, "\n{}\n{t}", title(&s.workload));
        for (run, found) in runs.iter().zip(&s.findings).filter(|(_, f)| !f.is_empty()) {
            let _ = writeln!(out, "{}: {}", run.name, found.join("; "));
        }
    }
    let _ = writeln!(out, "\n{NOTE}");
    out
}

/// report.md.
pub fn render_markdown(runs: &[MachineRun]) -> String {
    let md = super::text::md_escape;
    let mut out = String::from("# dispenser-bench: machines side by side\n\n");
    for line in machine_lines(runs) {
        let _ = writeln!(out, "- {}", md(&line));
    }
    for s in merge(runs) {
        let _ = writeln!(out, "\n## {}\n", title(&s.workload));
        let h: Vec<String> = header(runs).iter().map(|c| md(c)).collect();
        let _ = writeln!(out, "| {} |\n|---|---|{}", h.join(" | "), "---:|".repeat(runs.len()));
        for row in &s.rows {
            let c: Vec<String> = cells(row).iter().map(|c| md(c)).collect();
            let _ = writeln!(out, "| {} |", c.join(" | "));
        }
        out.push('\n');
        for (run, found) in runs.iter().zip(&s.findings).filter(|(_, f)| !f.is_empty()) {
            let _ = writeln!(out, "- **{}**: {}", md(&run.name), md(&found.join("; ")));
        }
    }
    let _ = writeln!(out, "\n{}", md(NOTE));
    out
}

/// report.html, with `charts` (file name, SVG) as rendered for the files.
pub fn render_html(runs: &[MachineRun], charts: &[(String, String)]) -> String {
    let mut out = String::new();
    page_start(&mut out, "dispenser-bench machines", "dispenser-bench: machines side by side");
    for line in machine_lines(runs) {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&line));
    }
    let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(NOTE));
    for s in merge(runs) {
        let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&title(&s.workload)));
        if let Some((_, svg)) = charts.iter().find(|(name, _)| *name == chart_name(&s.workload)) {
            let _ = writeln!(out, "<div class=\"chart\">{}</div>", inline_svg(svg));
        }
        out.push_str("<table>\n<thead><tr>");
        for h in header(runs) {
            let _ = write!(out, "<th>{}</th>", escape(&h));
        }
        out.push_str("</tr></thead>\n<tbody>\n");
        for row in &s.rows {
            out.push_str("<tr>");
            for (i, c) in cells(row).iter().enumerate() {
                let class = match (i, row.entries.get(i.wrapping_sub(2))) {
                    (0 | 1, _) => "",
                    (_, Some(Entry::Unranked(_))) => " class=\"bad\"",
                    _ => " class=\"num\"",
                };
                let _ = write!(out, "<td{class}>{}</td>", escape(c));
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n</table>\n<ul>\n");
        for (run, found) in runs.iter().zip(&s.findings).filter(|(_, f)| !f.is_empty()) {
            let _ = writeln!(out, "<li><b>{}</b>: {}</li>", escape(&run.name), escape(&found.join("; ")));
        }
        out.push_str("</ul>\n</section>\n");
    }
    page_end(&mut out);
    out
}

/// `machines-10x100000.svg`.
pub fn chart_name(w: &Workload) -> String {
    format!("machines-{w}.svg")
}

/// A machine's colour in the charts.
fn color(i: usize) -> RGBColor {
    let c = Palette99::pick(i).to_rgba();
    RGBColor(c.0, c.1, c.2)
}

/// One chart per workload: a band per cell, a bar per machine inside it up
/// to its median ns per number (log scale).
pub fn charts(runs: &[MachineRun]) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    for s in merge(runs) {
        let ranked = |r: &MergedRow| r.entries.iter().any(|e| matches!(e, Entry::Ranked { .. }));
        let rows: Vec<&MergedRow> = s.rows.iter().filter(|r| ranked(r)).collect();
        if rows.is_empty() {
            continue;
        }
        let values: Vec<f64> = rows
            .iter()
            .flat_map(|r| &r.entries)
            .filter_map(|e| match e {
                Entry::Ranked { ns_per_number, .. } => Some(*ns_per_number),
                _ => None,
            })
            .collect();
        let lo = values.iter().copied().fold(f64::INFINITY, f64::min).max(0.01) / 2.0;
        let hi = values.iter().copied().fold(0.0, f64::max).max(lo * 10.0) * 3.0;
        let labels: Vec<String> = rows.iter().map(|r| r.label()).collect();
        let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32;
        let (n, m) = (rows.len(), runs.len() as u32);
        // A band holds one bar per machine.
        let band = (10 * m + 8).max(24);
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, (1100, 110 + band * n as u32)).into_drawing_area();
            let err = |e: &dyn std::fmt::Display| anyhow!("drawing the machines chart: {e}");
            root.fill(&WHITE).map_err(|e| err(&e))?;
            let caption = format!("{} · median ns per number on each machine (log scale)", title(&s.workload));
            let label_px = (longest * 8 + 16).clamp(160, 500);
            let mut chart = band_chart(&root, caption, &labels, label_px, (lo, hi), "ns per number (log scale)")?;
            let sub = (band - 6) / m;
            for (j, run) in runs.iter().enumerate() {
                let c = color(j);
                let bars = rows.iter().enumerate().filter_map(|(i, r)| match r.entries[j] {
                    Entry::Ranked { ns_per_number, .. } => {
                        let b = n - 1 - i;
                        let mut bar = Rectangle::new(
                            [(lo, SegmentValue::Exact(b)), (ns_per_number, SegmentValue::Exact(b + 1))],
                            c.filled(),
                        );
                        let top = 3 + sub * j as u32;
                        bar.set_margin(top, band - top - sub, 0, 0);
                        Some(bar)
                    }
                    _ => None,
                });
                chart
                    .draw_series(bars)
                    .map_err(|e| err(&e))?
                    .label(run.name.clone())
                    .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
            }
            band_legend(&mut chart)?;
            root.present().map_err(|e| err(&e))?;
        }
        out.push((chart_name(&s.workload), svg));
    }
    Ok(out)
}

/// Every file of the merged report: report.md, report.html and a chart per
/// workload, rendered in memory before any is written.
pub fn report_files(runs: &[MachineRun]) -> Result<Vec<(String, Vec<u8>)>> {
    let charts = charts(runs)?;
    let mut files = vec![
        ("report.md".to_string(), render_markdown(runs).into_bytes()),
        ("report.html".to_string(), render_html(runs, &charts).into_bytes()),
    ];
    files.extend(charts.into_iter().map(|(name, svg)| (name, svg.into_bytes())));
    Ok(files)
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::machine::Machine;
    use crate::render::tests::sample_results;

    /// The sample run on two machines: a laptop where every cell takes
    /// twice as long, and a server.
    pub fn two_machines() -> Vec<MachineRun> {
        let server = sample_results();
        let mut laptop = sample_results();
        for r in &mut laptop.records {
            r.dispense_ns.iter_mut().for_each(|ns| *ns *= 2);
        }
        let m = server.machine.clone().unwrap();
        laptop.machine = Some(Machine { host_name: Some("laptop".into()), logical_cores: 8, ..m.clone() });
        let server =
            Results { machine: Some(Machine { host_name: Some("server".into()), logical_cores: 64, ..m }), ..server };
        name_runs(vec![laptop, server])
    }

    #[test]
    fn machines_are_named_and_set_side_by_side() {
        let runs = two_machines();
        assert_eq!(runs.iter().map(|r| r.name.as_str()).collect::<Vec<_>>(), ["laptop", "server"]);
        let merged = merge(&runs);
        let first = &merged[0].rows[0];
        let (Entry::Ranked { ns_per_number: a, ratio: ra }, Entry::Ranked { ns_per_number: b, ratio: rb }) =
            (&first.entries[0], &first.entries[1])
        else {
            panic!("{first:?}")
        };
        assert!((a / b - 2.0).abs() < 1e-9, "the laptop takes twice as long");
        assert_eq!((*ra, *rb), (1.0, 1.0), "each machine's own fastest");
        let text = render_terminal(&runs);
        assert!(
            text.contains("laptop: Test CPU · 8 logical cores") && text.contains("server: Test CPU · 64"),
            "{text}"
        );
        assert!(text.contains("laptop: fastest: "), "{text}");
        let html = render_html(&runs, &charts(&runs).unwrap());
        crate::render::html::tests::well_formed(&html);
        assert!(html.contains("<th>laptop</th><th>server</th>"), "{html}");
        for (_, svg) in charts(&runs).unwrap() {
            crate::render::html::tests::well_formed(&svg);
            assert!(svg.contains("laptop") && svg.contains("server"));
        }
        assert!(render_markdown(&runs).contains("| runtime | variant | laptop | server |"));
    }

    #[test]
    fn runs_from_one_machine_are_numbered() {
        let runs = name_runs(vec![sample_results(), sample_results(), Results { machine: None, ..sample_results() }]);
        let names: Vec<&str> = runs.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["Test CPU, 2 cores (run 1)", "Test CPU, 2 cores (run 2)", "run 3"]);
    }
}
