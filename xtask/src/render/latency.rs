//! Per-request latency in the report (runs with `--latency`): per workload
//! a table of p50, p90, p99, p99.9 and max per cell, and in report.html a
//! chart (plotters, SVG) with a row per cell and a dot per percentile on a
//! log time axis. Shown only for cells that carry latency data.

use super::Section;
use super::text::html_escape as escape;
use anyhow::{Result, anyhow};
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use dispenser_core::Record;
use dispenser_core::latency::LatencyStats;
use dispenser_core::table::format_ns;
use plotters::coord::ranged1d::SegmentValue;
use plotters::prelude::*;
use std::fmt::Write;

/// Column titles of the latency table.
pub const HEADER: [&str; 8] = ["runtime (flavor, workers)", "variant", "p50", "p90", "p99", "p99.9", "max", "requests"];

/// The percentiles drawn, with their names and colours.
const MARKS: [(&str, RGBColor); 5] = [
    ("p50", RGBColor(44, 160, 44)),
    ("p90", RGBColor(31, 119, 180)),
    ("p99", RGBColor(255, 127, 14)),
    ("p99.9", RGBColor(214, 39, 40)),
    ("max", RGBColor(60, 60, 60)),
];

/// Dot radius of mark `k`: shrinking, so coinciding percentiles stay visible.
fn radius(k: usize) -> i32 {
    8 - k as i32
}

/// The percentiles of `l` in [`MARKS`] order.
pub fn values(l: &LatencyStats) -> [u64; 5] {
    [l.p50_ns, l.p90_ns, l.p99_ns, l.p999_ns, l.max_ns]
}

/// The section's ranked cells that carry latency, lowest p50 first.
pub fn rows<'s, 'a>(section: &'s Section<'a>) -> Vec<(&'a Record, &'s LatencyStats)> {
    let mut rows: Vec<(&Record, &LatencyStats)> =
        section.rows.iter().filter_map(|r| r.latency.as_ref().map(|l| (r.record, l))).collect();
    rows.sort_by_key(|(r, l)| (l.p50_ns, l.p99_ns, r.variant.clone()));
    rows
}

/// One row's cells, in [`HEADER`] order.
pub fn cells(r: &Record, l: &LatencyStats) -> [String; 8] {
    let [p50, p90, p99, p999, max] = values(l).map(|v| format_ns(v as f64));
    [r.runtime_label(), r.variant.clone(), p50, p90, p99, p999, max, super::thousands(l.count)]
}

/// `Latency per request, 10 x 100,000`.
fn title(section: &Section) -> String {
    format!("Latency per request · {}", super::title(section))
}

const NOTE: &str = "Every request (round trip, or lock or counter take) timed by its consumer in separate latency \
                    samples, merged over consumers and samples into an HDR histogram.";

/// The terminal table, if any cell has latency: with `wide` every column;
/// otherwise the runtime's short label and no request count, within
/// [`super::text::WIDTH`] columns.
pub fn render_terminal(out: &mut String, section: &Section, wide: bool) {
    let rows = rows(section);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "{}", title(section));
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    if wide {
        table.set_content_arrangement(ContentArrangement::Disabled).set_header(HEADER);
        for (r, l) in &rows {
            table.add_row(cells(r, l));
        }
    } else {
        let width = super::text::columns() as u16;
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(width)
            .set_header(["runtime", "variant", "p50", "p90", "p99", "p99.9", "max"]);
        for (r, l) in &rows {
            let mut row = cells(r, l);
            row[0] = crate::cells::short_runtime(r);
            table.add_row(row[..7].to_vec());
        }
    }
    for i in 2..HEADER.len() {
        if let Some(col) = table.column_mut(i) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let _ = writeln!(out, "{table}");
}

/// The Markdown table, if any cell has latency.
pub fn render_markdown(out: &mut String, section: &Section) {
    let rows = rows(section);
    if rows.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n### {}\n\n{NOTE}\n", title(section));
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(out, "|---|---|{}", "---:|".repeat(HEADER.len() - 2));
    for (r, l) in &rows {
        let _ = writeln!(out, "| {} |", cells(r, l).map(|c| super::text::md_escape(&c)).join(" | "));
    }
}

/// The HTML chart and table, if any cell has latency.
pub fn render_html(out: &mut String, section: &Section) -> Result<()> {
    let rows = rows(section);
    if rows.is_empty() {
        return Ok(());
    }
    let _ = writeln!(out, "<h3>{}</h3>\n<p class=\"note\">{}</p>", escape(&title(section)), escape(NOTE));
    if let Some(svg) = chart(section)? {
        let _ = writeln!(out, "<div class=\"chart\">{}</div>", super::text::inline_svg(&svg));
    }
    out.push_str("<div class=\"wide\">\n<table>\n<thead><tr>");
    for h in HEADER {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (r, l) in &rows {
        out.push_str("<tr>");
        for (i, c) in cells(r, l).iter().enumerate() {
            let class = if i >= 2 { " class=\"num\"" } else { "" };
            let _ = write!(out, "<td{class}>{}</td>", escape(c));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    Ok(())
}

/// `latency-<N>x<T>.svg` for every workload with latency data, with the
/// machine line (CPU, cores, date) at its foot: (file name, SVG).
pub fn charts(results: &crate::results::Results) -> Result<Vec<(String, String)>> {
    let foot = super::sweep_chart::machine_line(results);
    let mut out = Vec::new();
    for section in super::sections(results) {
        if let Some(svg) = chart_with_foot(&section, Some(&foot))? {
            let name = format!("latency-{}x{}.svg", section.workload.consumers, section.workload.per_consumer);
            out.push((name, svg));
        }
    }
    Ok(out)
}

/// The section's latency chart as an SVG document; `None` without latency data.
pub fn chart(section: &Section) -> Result<Option<String>> {
    chart_with_foot(section, None)
}

/// [`chart`] with a line of text at the foot (the machine line, for docs/).
pub fn chart_with_foot(section: &Section, foot: Option<&str>) -> Result<Option<String>> {
    let rows = rows(section);
    if rows.is_empty() {
        return Ok(None);
    }
    let n = rows.len();
    let labels: Vec<String> = rows.iter().map(|(r, _)| format!("{} · {}", r.variant, r.runtime_label())).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32;
    let label_px = (longest * 7 + 16).clamp(160, 480);
    let all: Vec<f64> = rows.iter().flat_map(|(_, l)| values(l)).map(|v| (v as f64).max(1.0)).collect();
    let lo = all.iter().copied().fold(f64::INFINITY, f64::min) / 2.0;
    let hi = all.iter().copied().fold(0.0, f64::max).max(lo * 10.0) * 2.0;
    let foot_h = if foot.is_some() { 48 } else { 26 };
    let height = 120 + 26 * n as u32 + foot_h;
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the latency chart: {e}");
        let root = SVGBackend::with_string(&mut svg, (1100, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (top, base) = root.split_vertically(height - foot_h);
        // The legend sits below the chart, where it hides no dot.
        let mut at = 24;
        for (k, (name, c)) in MARKS.iter().enumerate() {
            base.draw(&Circle::new((at, 10), radius(k), c.filled())).map_err(|e| err(&e))?;
            let text = ("sans-serif", 13).into_font().color(&BLACK);
            base.draw_text(name, &text, (at + 12, 3)).map_err(|e| err(&e))?;
            at += 80;
        }
        if let Some(text) = foot {
            let style = ("sans-serif", 12).into_font().color(&RGBColor(80, 80, 80));
            base.draw_text(&format!("machine: {text}"), &style, (12, 28)).map_err(|e| err(&e))?;
        }
        let caption = format!("{} · percentiles per cell (log scale)", title(section));
        let mut chart =
            super::chart::band_chart(&top, caption, &labels, label_px, (lo, hi), "time per request (log scale)")?;
        let band = |i: usize| n - 1 - i;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, (_, l))| {
                let y = SegmentValue::CenterOf(band(i));
                let v = values(l);
                PathElement::new(
                    vec![((v[0] as f64).max(1.0), y.clone()), ((v[4] as f64).max(1.0), y)],
                    RGBColor(170, 170, 170).stroke_width(2),
                )
            }))
            .map_err(|e| err(&e))?;
        // Largest dot first: percentiles that coincide show as rings.
        for (k, (_, color)) in MARKS.iter().enumerate() {
            let c = *color;
            chart
                .draw_series(rows.iter().enumerate().map(|(i, (_, l))| {
                    let x = (values(l)[k] as f64).max(1.0);
                    Circle::new((x, SegmentValue::CenterOf(band(i))), radius(k), c.filled())
                }))
                .map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Some(svg))
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::render::{sections, tests::sample_results};
    use crate::results::Results;

    /// True when p50 ≤ p90 ≤ p99 ≤ p99.9 ≤ max.
    pub fn monotonic(l: &LatencyStats) -> bool {
        values(l).windows(2).all(|w| w[0] <= w[1])
    }

    /// The sample results with latency on every ranked cell of 10 x 100,000.
    pub fn latency_results() -> Results {
        let mut results = sample_results();
        for (i, r) in results.records.iter_mut().enumerate().filter(|(_, r)| r.workload.consumers == 10 && r.is_ok()) {
            let base = 50 * (i as u64 + 1);
            r.latency = Some(LatencyStats {
                count: 3_000_000,
                samples: 3,
                p50_ns: base,
                p90_ns: base * 2,
                p99_ns: base * 10,
                p999_ns: base * 40,
                max_ns: base * 1000,
            });
        }
        results
    }

    #[test]
    fn tables_and_chart_appear_only_with_latency_data() {
        let results = latency_results();
        let s = sections(&results);
        let ranked = rows(&s[0]);
        assert_eq!(ranked.len(), s[0].rows.len());
        assert!(ranked.windows(2).all(|w| w[0].1.p50_ns <= w[1].1.p50_ns));
        assert!(ranked.iter().all(|(_, l)| monotonic(l)));
        assert!(rows(&s[1]).is_empty(), "no latency data, no table");
        let mut text = String::new();
        render_terminal(&mut text, &s[1], false);
        assert!(text.is_empty());
        render_terminal(&mut text, &s[0], false);
        assert!(text.contains("Latency per request · Workload 10 x 100,000") && text.contains("p99.9"), "{text}");
        assert!(text.lines().all(|l| crate::render::text::width(l) <= crate::render::text::WIDTH), "{text}");
        let mut wide = String::new();
        render_terminal(&mut wide, &s[0], true);
        assert!(wide.contains("requests") && wide.contains("tokio (multi-thread, 2 workers)"), "{wide}");
        let svg = chart_with_foot(&s[0], Some("Test CPU · 2 cores · 2026-11-28")).unwrap().unwrap();
        crate::render::html::tests::well_formed(&svg);
        assert!(svg.contains("machine: Test CPU") && svg.contains("p99.9"));
        assert!(chart(&s[1]).unwrap().is_none());
    }

    #[test]
    fn monotonic_catches_a_crossed_pair() {
        let l = LatencyStats { count: 1, samples: 1, p50_ns: 5, p90_ns: 4, p99_ns: 6, p999_ns: 7, max_ns: 8 };
        assert!(!monotonic(&l));
    }
}
