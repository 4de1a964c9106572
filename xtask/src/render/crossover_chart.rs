//! The crossover map of a sweep (plotters, SVG): per varied axis (and
//! values of the other varied axes), one panel per question, the second
//! side's time over the first's at each swept point with its 95% interval,
//! on a log scale where 1 is parity. Points where the interval holds 1 are
//! tied: their stretch of the axis is shaded, so the regions where the two
//! sides cannot be told apart read at a glance.

use crate::crossover::{Crossover, Lead};
use anyhow::{Result, anyhow};
use plotters::prelude::*;

/// Width of one panel, pixels.
const PANEL_W: u32 = 330;
/// Height of the chart, pixels.
const HEIGHT: u32 = 360;

/// Charts of `all`, one per axis and held values: (file stem, SVG).
pub fn render_all(all: &[Crossover], foot: &str) -> Result<Vec<(String, String)>> {
    let mut groups: Vec<Vec<&Crossover>> = Vec::new();
    for c in all {
        match groups.iter_mut().find(|g| g[0].axis == c.axis && g[0].fixed == c.fixed) {
            Some(g) => g.push(c),
            None => groups.push(vec![c]),
        }
    }
    groups
        .iter()
        .map(|g| {
            let mut stem = format!("crossover-{}", g[0].axis.name().split(' ').next().unwrap_or("axis"));
            for (a, x) in &g[0].fixed {
                stem.push_str(&format!("-{}{x}", a.suffix().trim_start_matches('-')));
            }
            Ok((stem, render(g, foot)?))
        })
        .collect()
}

/// One chart: a panel per question of the group.
fn render(group: &[&Crossover], foot: &str) -> Result<String> {
    let width = PANEL_W * group.len() as u32;
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the crossover chart: {e}");
        let root = SVGBackend::with_string(&mut svg, (width.max(500), HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let (head, rest) = root.split_vertically(40);
        let (body, base) = rest.split_vertically(HEIGHT - 40 - 40);
        let fixed: Vec<String> = group[0].fixed.iter().map(|(a, x)| a.label(*x)).collect();
        let at = if fixed.is_empty() { String::new() } else { format!(" at {}", fixed.join(", ")) };
        let title =
            format!("Where the answer flips, by {}{at}: second side's time / first side's", group[0].axis.name());
        head.draw_text(&title, &("sans-serif", 16).into_font().color(&BLACK), (12, 10)).map_err(|e| err(&e))?;
        let small = ("sans-serif", 12).into_font().color(&RGBColor(80, 80, 80));
        base.draw_text(
            &format!("Above 1: the first side is faster. Shaded: tied (the 95% interval holds 1). machine: {foot}"),
            &small,
            (12, 12),
        )
        .map_err(|e| err(&e))?;
        let areas = body.split_evenly((1, group.len()));
        for (area, c) in areas.iter().zip(group) {
            let n = c.points.len();
            let (lo, hi) = c
                .points
                .iter()
                .fold((1.0f64, 1.0f64), |(lo, hi), p| (lo.min(p.ratio.interval.lo), hi.max(p.ratio.interval.hi)));
            let (lo, hi) = ((lo / 1.5).max(1e-6), hi * 1.5);
            let labels: Vec<String> = c.points.iter().map(|p| p.x.to_string()).collect();
            let mut chart = ChartBuilder::on(area)
                .caption(format!("{} / {}", c.b, c.a), ("sans-serif", 14))
                .margin(8)
                .x_label_area_size(34)
                .y_label_area_size(48)
                .build_cartesian_2d(-0.5f64..(n as f64 - 0.5), (lo..hi).log_scale())
                .map_err(|e| err(&e))?;
            chart
                .configure_mesh()
                .x_desc(c.axis.name())
                .x_labels(n)
                .x_label_formatter(&|v| {
                    let i = v.round();
                    if (v - i).abs() < 1e-6 && i >= 0.0 {
                        labels.get(i as usize).cloned().unwrap_or_default()
                    } else {
                        String::new()
                    }
                })
                .y_label_formatter(&|v| format!("{v:.2}×"))
                .label_style(("sans-serif", 11))
                .light_line_style(RGBColor(238, 238, 238))
                .draw()
                .map_err(|e| err(&e))?;
            // Tied stretches first, under everything else.
            let shade = RGBColor(200, 200, 200).mix(0.5).filled();
            chart
                .draw_series(
                    c.points
                        .iter()
                        .enumerate()
                        .filter(|(_, p)| p.lead == Lead::Tied)
                        .map(|(i, _)| Rectangle::new([(i as f64 - 0.5, lo), (i as f64 + 0.5, hi)], shade)),
                )
                .map_err(|e| err(&e))?;
            chart
                .draw_series(LineSeries::new(vec![(-0.5, 1.0), (n as f64 - 0.5, 1.0)], BLACK.stroke_width(1)))
                .map_err(|e| err(&e))?;
            let blue = RGBColor(31, 119, 180);
            chart
                .draw_series(c.points.iter().enumerate().map(|(i, p)| {
                    PathElement::new(
                        vec![(i as f64, p.ratio.interval.lo), (i as f64, p.ratio.interval.hi)],
                        blue.stroke_width(2),
                    )
                }))
                .map_err(|e| err(&e))?;
            let pts: Vec<(f64, f64)> = c.points.iter().enumerate().map(|(i, p)| (i as f64, p.ratio.point)).collect();
            chart.draw_series(LineSeries::new(pts.clone(), blue.stroke_width(2))).map_err(|e| err(&e))?;
            chart.draw_series(pts.iter().map(|p| Circle::new(*p, 3, blue.filled()))).map_err(|e| err(&e))?;
        }
        root.present().map_err(|e| err(&e))?;
    }
    Ok(svg)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::axis::Axis;
    use crate::crossover::Point;
    use dispenser_core::evidence::{Interval, Ratio};

    #[test]
    fn a_chart_per_axis_shades_the_ties() {
        let point = |x: u64, lo: f64, hi: f64, lead: Lead| Point {
            x,
            a_cell: "a".into(),
            b_cell: "b".into(),
            ratio: Ratio { point: (lo * hi).sqrt(), interval: Interval { lo, hi } },
            lead,
        };
        let c = Crossover {
            question: "lock or channel",
            a: "lock",
            b: "channel",
            axis: Axis::Consumers,
            fixed: vec![],
            points: vec![point(1, 2.0, 3.0, Lead::A), point(4, 0.9, 1.1, Lead::Tied), point(16, 0.4, 0.6, Lead::B)],
        };
        let charts = render_all(&[c], "test machine").unwrap();
        assert_eq!(charts.len(), 1);
        let (stem, svg) = &charts[0];
        assert_eq!(stem, "crossover-consumers");
        assert!(svg.contains("channel / lock") && svg.contains("test machine"), "{svg}");
        // One shaded rectangle for the one tied point (the backdrop is a rect too).
        assert!(svg.matches("<rect").count() >= 2, "{svg}");
    }
}
