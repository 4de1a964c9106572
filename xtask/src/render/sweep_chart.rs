//! The sweep's charts (plotters, SVG): for every [`Axis`] the sweep varies
//! (consumers, work per number, CPUs), one SVG per runtime, one panel per
//! worker count (OS threads: one panel) and per value of the other varied
//! axes, one line per variant, ns per number against that axis on log-log
//! axes (no work sits at the left edge, labelled 0). Every chart of a sweep
//! shares its time axis, so threads and tasks compare by eye; the machine
//! line sits at the foot of each SVG, which is also saved as a file.

use crate::results::Results;
use anyhow::{Result, anyhow};
use dispenser_core::stats::Stats;
use dispenser_core::table::format_ns;
use dispenser_core::{Family, Record, Status};
use plotters::prelude::*;
use std::collections::BTreeSet;

/// Width of one panel, pixels.
const PANEL_W: u32 = 430;
/// Most panels in one row of a chart.
const MAX_COLUMNS: usize = 4;
/// Height of the chart, pixels.
const HEIGHT: u32 = 500;
/// Height of the title band and of the machine line band, pixels.
const TITLE_H: u32 = 58;
const FOOT_H: u32 = 40;

pub use crate::axis::Axis;

/// One point of a line: a value on the chart's axis and what its cell gave.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The cell's value on the chart's [`Axis`].
    pub x: u64,
    /// Median ns per number, when the cell was ok.
    pub ns_per_number: Option<f64>,
    /// The share of it that is the work (with `--work`).
    pub work_share: Option<f64>,
    /// The cell's status.
    pub status: Status,
}

/// A variant's points in one panel, fewest consumers first.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// Variant name.
    pub variant: String,
    /// Its family (for the colour).
    pub family: Family,
    /// Points.
    pub points: Vec<Point>,
}

/// One worker count of a runtime (and one value of every other varied axis).
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Executor workers; `None` for OS threads.
    pub workers: Option<u64>,
    /// The values of the other varied axes, e.g. `[(Work, 1000)]`.
    pub fixed: Vec<(Axis, u64)>,
    /// One line per variant, in family order.
    pub lines: Vec<Line>,
}

impl Panel {
    /// `4 workers` (see [`panel_title`]) with the other axes' values: `4 workers · 1000 ns work`.
    pub fn title(&self, cores: usize) -> String {
        let mut parts = vec![panel_title(self.workers, cores)];
        parts.extend(self.fixed.iter().map(|(a, x)| a.label(*x)));
        parts.join(" · ")
    }
}

/// One runtime (and flavor) along one axis: its panels, fewest workers first.
#[derive(Debug, Clone, PartialEq)]
pub struct RuntimeSweep {
    /// What the x axis is.
    pub axis: Axis,
    /// Runtime name.
    pub runtime: String,
    /// Executor flavor, e.g. `threads`, `multi-thread`.
    pub flavor: String,
    /// File name stem: `sync`, `tokio` (`tokio-current-thread` when a
    /// runtime has several flavors), with the axis's [`Axis::suffix`].
    pub stem: String,
    /// Panels.
    pub panels: Vec<Panel>,
}

impl RuntimeSweep {
    /// `tokio (multi-thread)`.
    pub fn label(&self) -> String {
        format!("{} ({})", self.runtime, self.flavor)
    }
}

/// Median ns per number of a record, if it is ok.
pub fn ns_per_number(r: &Record) -> Option<f64> {
    Stats::compute(&r.dispense_ns, &r.setup_ns, r.workload.total()).filter(|_| r.is_ok()).map(|s| s.ns_per_number)
}

/// The point of one cell at `x` from its processes' records: the point
/// estimate per number when every process is ok, else the first failure's
/// status.
fn point(x: u64, records: Vec<&Record>) -> Point {
    let failed = records.iter().find(|r| !r.is_ok());
    let samples: Vec<Vec<f64>> = records.iter().map(|r| r.dispense_ns.iter().map(|&ns| ns as f64).collect()).collect();
    let estimate = dispenser_core::evidence::estimate(&samples, 0).filter(|_| failed.is_none());
    let first = records[0];
    let per_number = estimate.map(|e| e.point / first.workload.total().max(1) as f64);
    Point {
        x,
        ns_per_number: if records.len() == 1 { ns_per_number(first) } else { per_number },
        work_share: first.work_share().filter(|_| failed.is_none()),
        status: failed.map_or(first.status, |r| r.status),
    }
}

/// What tells panels apart: the worker count and the other varied axes' values.
type PanelKey = (Option<u64>, Vec<(Axis, u64)>);

/// The sweep's records along every varied axis ([`Axis::varied`]): the
/// runtimes of the first axis, then of the next.
pub fn collect_all(results: &Results) -> Vec<RuntimeSweep> {
    Axis::varied(results).into_iter().flat_map(|a| collect(results, a)).collect()
}

/// The sweep's records grouped into runtimes, panels and lines along
/// `axis`. Records with variant `*` (a runtime that did not build) carry no line.
pub fn collect(results: &Results, axis: Axis) -> Vec<RuntimeSweep> {
    let others: Vec<Axis> = Axis::varied(results).into_iter().filter(|a| *a != axis).collect();
    let mut keys: Vec<(String, String)> = Vec::new();
    for r in &results.records {
        let k = (r.runtime.clone(), r.executor.flavor.clone());
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    keys.sort();
    let mut out = Vec::new();
    for (runtime, flavor) in &keys {
        let several = keys.iter().filter(|(r, _)| r == runtime).count() > 1;
        let stem = if several { format!("{runtime}-{flavor}") } else { runtime.clone() };
        let ours: Vec<&Record> =
            results.records.iter().filter(|r| &r.runtime == runtime && &r.executor.flavor == flavor).collect();
        let panel_of = |r: &Record| {
            let fixed: Vec<(Axis, u64)> = others.iter().map(|a| (*a, a.of(r))).collect();
            (r.executor.workers.map(|k| k as u64), fixed)
        };
        let panels: BTreeSet<PanelKey> = ours.iter().map(|r| panel_of(r)).collect();
        let panels = panels
            .into_iter()
            .map(|key| {
                let cells: Vec<&Record> =
                    ours.iter().copied().filter(|r| panel_of(r) == key && r.variant != "*").collect();
                let mut variants: Vec<(usize, String, Family)> = Vec::new();
                for r in &cells {
                    if !variants.iter().any(|(_, v, _)| v == &r.variant) {
                        let order = crate::results::FAMILY_ORDER.iter().position(|f| *f == r.family).unwrap_or(9);
                        variants.push((order, r.variant.clone(), r.family));
                    }
                }
                variants.sort();
                let lines = variants
                    .into_iter()
                    .map(|(_, variant, family)| {
                        let ours: Vec<&Record> = cells.iter().copied().filter(|r| r.variant == variant).collect();
                        let xs: BTreeSet<u64> = ours.iter().map(|r| axis.of(r)).collect();
                        // A point is a cell: with several processes, their
                        // records combine into its point estimate.
                        let points: Vec<Point> = xs
                            .into_iter()
                            .map(|x| point(x, ours.iter().copied().filter(|r| axis.of(r) == x).collect()))
                            .collect();
                        Line { variant, family, points }
                    })
                    .collect();
                let (workers, fixed) = key;
                Panel { workers, fixed, lines }
            })
            .collect();
        let stem = format!("{stem}{}", axis.suffix());
        out.push(RuntimeSweep { axis, runtime: runtime.clone(), flavor: flavor.clone(), stem, panels });
    }
    out
}

/// `4 workers`, `one OS thread per consumer`, with `(oversubscribed)` past the cores.
pub fn panel_title(workers: Option<u64>, cores: usize) -> String {
    match workers {
        None => "one OS thread per consumer".into(),
        Some(k) => {
            let over = if k > cores as u64 { ", more than the cores" } else { "" };
            format!("{k} worker{}{over}", if k == 1 { "" } else { "s" })
        }
    }
}

/// The machine line under every chart: CPU, cores, date.
pub fn machine_line(results: &Results) -> String {
    let date = results.run.started_utc.as_deref().map(|d| d.get(..10).unwrap_or(d)).unwrap_or("undated");
    match &results.machine {
        Some(m) => format!("{} · {} logical cores · {} · {date}", m.cpu, m.logical_cores, m.os),
        None => format!("unknown machine · {date}"),
    }
}

/// The variants of a chart (every panel's), in family order, each with its
/// colour: the family's when families are unique (the default set), else a
/// palette's. The same variant has the same colour in every panel.
fn legend(panels: &[&Panel]) -> Vec<(String, RGBColor)> {
    let mut lines: Vec<&Line> = Vec::new();
    for line in panels.iter().flat_map(|p| &p.lines) {
        if !lines.iter().any(|l| l.variant == line.variant) {
            lines.push(line);
        }
    }
    let unique = lines.iter().map(|l| l.family).collect::<BTreeSet<_>>().len() == lines.len();
    lines
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let c = if unique {
                super::chart::color(l.family)
            } else {
                let c = Palette99::pick(i).to_rgba();
                RGBColor(c.0, c.1, c.2)
            };
            (l.variant.clone(), c)
        })
        .collect()
}

/// The time range every chart of a sweep shares: min/2 .. max*2.
fn y_range(all: &[RuntimeSweep]) -> (f64, f64) {
    let values: Vec<f64> = all
        .iter()
        .flat_map(|s| &s.panels)
        .flat_map(|p| &p.lines)
        .flat_map(|l| &l.points)
        .filter_map(|p| p.ns_per_number)
        .filter(|v| *v > 0.0)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    if values.is_empty() { (0.1, 10_000.0) } else { ((lo / 2.0).max(0.01), (hi * 2.0).max(lo * 10.0)) }
}

/// Where values sit along one axis, shared by every chart of that axis:
/// log scale, with 0 (no work) a step left of the smallest other value.
#[derive(Debug, Clone, PartialEq)]
struct XScale {
    /// Left and right edge.
    range: (f64, f64),
    /// Labelled values.
    ticks: Vec<f64>,
    /// Where 0 is drawn, when a point has it.
    zero_at: Option<f64>,
}

impl XScale {
    /// The scale of `axis` over every chart of it in `all`.
    fn new(all: &[RuntimeSweep], axis: Axis) -> XScale {
        let mut xs: Vec<u64> = all
            .iter()
            .filter(|s| s.axis == axis)
            .flat_map(|s| &s.panels)
            .flat_map(|p| &p.lines)
            .flat_map(|l| &l.points)
            .map(|p| p.x)
            .collect();
        xs.sort_unstable();
        xs.dedup();
        let smallest = xs.iter().copied().find(|x| *x > 0).map_or(1.0, |x| x as f64);
        let zero_at = xs.contains(&0).then_some(smallest / 4.0);
        let pos = |x: u64| if x == 0 { zero_at.unwrap_or(1.0) } else { x as f64 };
        let lo = xs.first().map_or(1.0, |x| pos(*x));
        let hi = xs.last().map_or(1.0, |x| pos(*x));
        let range = (lo / 1.3, (hi * 1.3).max(lo * 2.0));
        let ticks = match axis {
            // Powers of four: consumer counts are powers of two, and every
            // other one keeps the labels apart.
            Axis::Consumers => std::iter::successors(Some(1.0f64), |v| Some(v * 4.0))
                .take_while(|v| *v <= range.1)
                .filter(|v| *v >= range.0)
                .collect(),
            Axis::Work | Axis::Cpus | Axis::Load | Axis::Rate | Axis::Capacity => xs.iter().map(|x| pos(*x)).collect(),
        };
        XScale { range, ticks, zero_at }
    }

    /// Where `x` is drawn.
    fn pos(&self, x: u64) -> f64 {
        match (x, self.zero_at) {
            (0, Some(z)) => z,
            _ => x as f64,
        }
    }

    /// The label of a tick.
    fn label(&self, v: f64) -> String {
        match self.zero_at {
            Some(z) if (v - z).abs() < z * 1e-6 => "0".into(),
            _ => format!("{v:.0}"),
        }
    }
}

/// Every runtime's chart along every varied axis: `(file stem, SVG)`, in
/// axis order, then runtime order.
pub fn render_all(results: &Results) -> Result<Vec<(String, String)>> {
    let all = collect_all(results);
    let cores = results.machine.as_ref().map_or(1, |m| m.logical_cores);
    let total = results.records.first().map_or(0, |r| r.workload.total());
    let y = y_range(&all);
    let foot = machine_line(results);
    all.iter()
        .map(|s| Ok((s.stem.clone(), render(s, &XScale::new(&all, s.axis), y, cores, total, &foot)?)))
        .collect::<Result<Vec<_>>>()
        .map(|v| v.into_iter().filter(|(_, svg)| !svg.is_empty()).collect())
}

/// Height of each extra row of the legend, pixels.
const LEGEND_ROW_H: u32 = 18;

/// Where each legend entry starts (x, row), wrapping before an entry that
/// would cross the right edge of a chart `width` wide; and how many rows.
fn legend_layout(entries: &[(String, RGBColor)], width: u32) -> (Vec<(i32, i32)>, usize) {
    let (mut at, mut row) = (16i32, 0i32);
    let mut spots = Vec::with_capacity(entries.len());
    for (variant, _) in entries {
        let w = 40 + 8 * variant.chars().count() as i32;
        if at > 16 && at + w > width as i32 - 8 {
            at = 16;
            row += 1;
        }
        spots.push((at, row));
        at += w;
    }
    (spots, row as usize + 1)
}

/// One runtime's chart; empty when it has no line.
fn render(s: &RuntimeSweep, x: &XScale, y: (f64, f64), cores: usize, total: u64, foot: &str) -> Result<String> {
    let panels: Vec<&Panel> = s.panels.iter().filter(|p| !p.lines.is_empty()).collect();
    if panels.is_empty() {
        return Ok(String::new());
    }
    // At most MAX_COLUMNS panels side by side, then another row: a default
    // sweep has 12 panels per runtime (work x capacity), unreadable in one.
    let cols = panels.len().min(MAX_COLUMNS);
    let rows_of_panels = panels.len().div_ceil(cols) as u32;
    let panel_h = HEIGHT - TITLE_H - FOOT_H;
    let width = (PANEL_W * cols as u32).max(620);
    // One legend for every panel, above them, so it never hides a line;
    // wrapped into rows so that many variants still fit the width.
    let colors = legend(&panels);
    let (spots, rows) = legend_layout(&colors, width);
    let extra = LEGEND_ROW_H * (rows.saturating_sub(1) as u32);
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the sweep chart: {e}");
        let height = TITLE_H + extra + panel_h * rows_of_panels + FOOT_H;
        let root = SVGBackend::with_string(&mut svg, (width, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (head, rest) = root.split_vertically(TITLE_H + extra);
        let (body, base) = rest.split_vertically(panel_h * rows_of_panels);
        let title = format!(
            "{} · ns per number vs {}, {} numbers per point (log-log, median)",
            s.label(),
            s.axis.name(),
            super::thousands(total)
        );
        head.draw_text(&title, &("sans-serif", 17).into_font().color(&BLACK), (12, 8)).map_err(|e| err(&e))?;
        for ((variant, c), &(at, row)) in colors.iter().zip(&spots) {
            let y = 42 + LEGEND_ROW_H as i32 * row;
            head.draw(&PathElement::new(vec![(at, y), (at + 22, y)], c.stroke_width(3))).map_err(|e| err(&e))?;
            head.draw(&Circle::new((at + 11, y), 3, c.filled())).map_err(|e| err(&e))?;
            let text = ("sans-serif", 13).into_font().color(&BLACK);
            head.draw_text(variant, &text, (at + 28, y - 7)).map_err(|e| err(&e))?;
        }
        let small = ("sans-serif", 12).into_font().color(&RGBColor(80, 80, 80));
        base.draw_text(&format!("machine: {foot}"), &small, (12, 6)).map_err(|e| err(&e))?;
        base.draw_text(
            "Lower is better. A point missing from a line timed out or failed (see the tables).",
            &small,
            (12, 22),
        )
        .map_err(|e| err(&e))?;
        let areas = body.split_evenly((rows_of_panels as usize, cols));
        for (pi, (area, panel)) in areas.iter().zip(&panels).enumerate() {
            let mut chart = ChartBuilder::on(area)
                .caption(panel.title(cores), ("sans-serif", 14))
                .margin(8)
                .margin_right(16)
                .x_label_area_size(38)
                .y_label_area_size(62)
                .build_cartesian_2d(
                    (x.range.0..x.range.1).log_scale().with_key_points(x.ticks.clone()),
                    (y.0..y.1).log_scale(),
                )
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc(s.axis.name())
                .y_desc(if pi % cols == 0 { "ns per number" } else { "" })
                .x_label_formatter(&|v| x.label(*v))
                .y_label_formatter(&|v| format_ns(*v))
                .label_style(("sans-serif", 12))
                .light_line_style(RGBColor(238, 238, 238))
                .draw()
                .map_err(|e| err(&e))?;
            for line in &panel.lines {
                let c = colors.iter().find(|(v, _)| v == &line.variant).map_or(BLACK, |(_, c)| *c);
                let pts: Vec<(f64, f64)> =
                    line.points.iter().filter_map(|p| p.ns_per_number.map(|v| (x.pos(p.x), v))).collect();
                chart.draw_series(LineSeries::new(pts.clone(), c.stroke_width(2))).map_err(|e| err(&e))?;
                chart.draw_series(pts.iter().map(|p| Circle::new(*p, 3, c.filled()))).map_err(|e| err(&e))?;
            }
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Executor, Workload};

    /// A small sweep: sync with two variants, smol with two worker counts, one failed point.
    pub fn sweep_results() -> Results {
        let mut records = Vec::new();
        for c in [1u64, 4, 16] {
            let w = Workload { consumers: c as usize, per_consumer: (64 / c) as usize };
            records.push(record("sync", "atomic", w, &[1000 * c, 1100 * c, 1200 * c]));
            records.push(record("sync", "std-mutex", w, &[3000 * c, 3100 * c, 3200 * c]));
            for k in [1, 4] {
                let mut r = record("smol", "oneshot-actor", w, &[20_000, 21_000, 22_000]);
                r.executor = Executor { flavor: "async-executor".into(), workers: Some(k) };
                if c == 16 && k == 4 {
                    r = crate::results::tests::failed(r, Status::Timeout, "killed");
                }
                records.push(r);
            }
        }
        let machine = crate::render::tests::sample_results().machine;
        let run = RunInfo { started_utc: Some("2026-11-28T12:00:00Z".into()), ..RunInfo::default() };
        Results::new(run, machine, records)
    }

    #[test]
    fn records_become_runtimes_panels_and_lines() {
        let all = collect_all(&sweep_results());
        assert_eq!(all.iter().map(|s| s.stem.as_str()).collect::<Vec<_>>(), ["smol", "sync"]);
        assert_eq!(all[0].panels.iter().map(|p| p.workers).collect::<Vec<_>>(), [Some(1), Some(4)]);
        let sync = &all[1].panels[0];
        assert_eq!(sync.lines.iter().map(|l| l.variant.as_str()).collect::<Vec<_>>(), ["atomic", "std-mutex"]);
        assert_eq!(sync.lines[0].points.iter().map(|p| p.x).collect::<Vec<_>>(), [1, 4, 16]);
        let failed = &all[0].panels[1].lines[0].points[2];
        assert_eq!((failed.status, failed.ns_per_number), (Status::Timeout, None));
    }

    #[test]
    fn each_chart_is_well_formed_svg_with_its_machine_line() {
        let charts = render_all(&sweep_results()).unwrap();
        assert_eq!(charts.len(), 2);
        for (_, svg) in &charts {
            crate::render::html::tests::well_formed(svg);
            assert!(svg.contains("machine: Test CPU · 2 logical cores"), "{svg}");
        }
        assert!(charts[0].1.contains("4 workers, more than the cores"));
        assert!(charts[1].1.contains("one OS thread per consumer"));
    }

    #[test]
    fn a_long_legend_wraps_into_rows_within_the_width() {
        let entry = |name: &str| (name.to_string(), RGBColor(0, 0, 0));
        let few = [entry("atomic"), entry("std-mutex")];
        assert_eq!(legend_layout(&few, 620), (vec![(16, 0), (104, 0)], 1));
        let many: Vec<_> = (0..12).map(|i| entry(&format!("crossbeam-unbounded-{i}"))).collect();
        let (spots, rows) = legend_layout(&many, 620);
        assert!(rows > 1, "{spots:?}");
        assert!(spots.iter().zip(&many).all(|(&(x, _), (v, _))| x + 40 + 8 * v.len() as i32 <= 620 - 8));
    }
}
