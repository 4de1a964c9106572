//! The knee charts of a rate sweep (plotters, SVG): per runtime, one panel
//! per worker count (and other setting), latency against offered numbers
//! per second on log-log axes, one colour per variant: its p99 as a thick
//! line, its p50 as a thin one, its p99.9 as crosses. Where a thick line
//! turns up, queueing has begun: that is the knee ([`crate::knee`]).

use crate::knee::{self, Curve};
use crate::results::Results;
use anyhow::{Result, anyhow};
use dispenser_core::table::format_ns;
use plotters::prelude::*;

/// Width of one panel and height of the chart, pixels.
const PANEL_W: u32 = 460;
const HEIGHT: u32 = 520;
/// Height of the title band and of the foot, pixels.
const TITLE_H: u32 = 62;
const FOOT_H: u32 = 40;

/// Every runtime's knee chart: `(file stem, SVG)`, e.g. `sweep-sync-knee`.
pub fn render_all(results: &Results, foot: &str) -> Result<Vec<(String, String)>> {
    let all = knee::curves(results);
    let mut stems: Vec<&str> = all.iter().map(|c| c.stem.as_str()).collect();
    stems.dedup();
    let y = y_range(&all);
    let x = x_range(&all);
    stems
        .into_iter()
        .map(|stem| {
            let ours: Vec<&Curve> = all.iter().filter(|c| c.stem == stem).collect();
            Ok((format!("sweep-{stem}-knee"), render(stem, &ours, x, y, foot)?))
        })
        .collect()
}

/// The latency range every knee chart shares.
fn y_range(all: &[Curve]) -> (f64, f64) {
    let values: Vec<f64> = all
        .iter()
        .flat_map(|c| &c.points)
        .flat_map(|p| [p.p50_ns, p.p99_ns, p.p999_ns])
        .flatten()
        .filter(|v| *v > 0.0)
        .collect();
    let lo = values.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = values.iter().copied().fold(0.0, f64::max);
    if values.is_empty() { (10.0, 1e9) } else { ((lo / 2.0).max(1.0), (hi * 2.0).max(lo * 10.0)) }
}

/// The offered-rate range every knee chart shares.
fn x_range(all: &[Curve]) -> (f64, f64) {
    let rates: Vec<f64> = all.iter().flat_map(|c| &c.points).map(|p| p.rate as f64).collect();
    let lo = rates.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = rates.iter().copied().fold(0.0, f64::max);
    if rates.is_empty() { (1.0, 10.0) } else { (lo / 1.3, (hi * 1.3).max(lo * 2.0)) }
}

/// One runtime's chart.
fn render(stem: &str, curves: &[&Curve], x: (f64, f64), y: (f64, f64), foot: &str) -> Result<String> {
    let mut panels: Vec<String> = curves.iter().map(|c| panel_of(c)).collect();
    panels.dedup();
    let mut variants: Vec<&str> = Vec::new();
    for c in curves {
        if !variants.contains(&c.variant.as_str()) {
            variants.push(&c.variant);
        }
    }
    let color = |v: &str| {
        let i = variants.iter().position(|x| *x == v).unwrap_or(0);
        let c = Palette99::pick(i).to_rgba();
        RGBColor(c.0, c.1, c.2)
    };
    let width = (PANEL_W * panels.len() as u32).max(640);
    let mut rates: Vec<f64> = curves.iter().flat_map(|c| &c.points).map(|p| p.rate as f64).collect();
    rates.sort_by(f64::total_cmp);
    rates.dedup();
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the knee chart: {e}");
        let root = SVGBackend::with_string(&mut svg, (width, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (head, rest) = root.split_vertically(TITLE_H);
        let (body, base) = rest.split_vertically(HEIGHT - TITLE_H - FOOT_H);
        let title = format!("{stem} · latency against offered load (open loop, log-log)");
        head.draw_text(&title, &("sans-serif", 17).into_font().color(&BLACK), (12, 8)).map_err(|e| err(&e))?;
        let mut at = 16;
        for v in &variants {
            let c = color(v);
            head.draw(&PathElement::new(vec![(at, 44), (at + 22, 44)], c.stroke_width(3))).map_err(|e| err(&e))?;
            head.draw_text(v, &("sans-serif", 13).into_font().color(&BLACK), (at + 28, 37)).map_err(|e| err(&e))?;
            at += 40 + 8 * v.chars().count() as i32;
        }
        let small = ("sans-serif", 12).into_font().color(&RGBColor(80, 80, 80));
        base.draw_text(&format!("machine: {foot}"), &small, (12, 6)).map_err(|e| err(&e))?;
        let legend = format!(
            "thick: p99 · thin: p50 · ×: p99.9, from each take's scheduled time. The knee: p99 past {:.0}× the p99 at the lowest rate.",
            knee::BOUND
        );
        base.draw_text(&legend, &small, (12, 22)).map_err(|e| err(&e))?;
        let areas = body.split_evenly((1, panels.len()));
        for (pi, (area, panel)) in areas.iter().zip(&panels).enumerate() {
            let mut chart = ChartBuilder::on(area)
                .caption(panel.as_str(), ("sans-serif", 14))
                .margin(8)
                .margin_right(16)
                .x_label_area_size(38)
                .y_label_area_size(62)
                .build_cartesian_2d((x.0..x.1).log_scale().with_key_points(rates.clone()), (y.0..y.1).log_scale())
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc("offered numbers per second")
                .y_desc(if pi == 0 { "latency" } else { "" })
                .x_label_formatter(&|v| knee::rate_label(*v as u64))
                .y_label_formatter(&|v| format_ns(*v))
                .label_style(("sans-serif", 12))
                .light_line_style(RGBColor(238, 238, 238))
                .draw()
                .map_err(|e| err(&e))?;
            for c in curves.iter().filter(|c| &panel_of(c) == panel) {
                let col = color(&c.variant);
                let series = |f: fn(&knee::RatePoint) -> Option<f64>| -> Vec<(f64, f64)> {
                    c.points.iter().filter_map(|p| f(p).map(|v| (p.rate as f64, v))).collect()
                };
                let p99 = series(|p| p.p99_ns);
                chart.draw_series(LineSeries::new(p99.clone(), col.stroke_width(3))).map_err(|e| err(&e))?;
                chart.draw_series(p99.iter().map(|p| Circle::new(*p, 3, col.filled()))).map_err(|e| err(&e))?;
                chart.draw_series(LineSeries::new(series(|p| p.p50_ns), col.stroke_width(1))).map_err(|e| err(&e))?;
                chart
                    .draw_series(series(|p| p.p999_ns).into_iter().map(|p| Cross::new(p, 4, col.stroke_width(1))))
                    .map_err(|e| err(&e))?;
            }
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

/// The panel a curve belongs to: its short runtime label and context.
fn panel_of(c: &Curve) -> String {
    if c.context.is_empty() { c.runtime.clone() } else { format!("{} · {}", c.runtime, c.context) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::knee::tests::rate_results;

    #[test]
    fn one_well_formed_chart_per_runtime_with_every_variant() {
        let charts = render_all(&rate_results(), "test machine").unwrap();
        assert_eq!(charts.len(), 1);
        let (stem, svg) = &charts[0];
        assert_eq!(stem, "sweep-sync-knee");
        crate::render::html::tests::well_formed(svg);
        for needle in ["std-mutex", "flume-bounded", "kanal-bounded", "test machine", "offered numbers per second"] {
            assert!(svg.contains(needle), "no {needle}");
        }
    }
}
