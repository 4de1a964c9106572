//! The efficiency frontier as a chart (plotters, SVG): every sharing cell
//! of a workload at its wall ns per number (x) and CPU ns per number (y),
//! both on log scales, coloured by family; the cells on the Pareto front
//! ([`crate::frontier`]) are joined by a line and named. Down and left is
//! better on both counts.

use super::Section;
use crate::cells;
use crate::frontier::{Among, costed};
use anyhow::{Result, anyhow};
use plotters::prelude::*;

/// Chart size, pixels.
const SIZE: (u32, u32) = (900, 520);

/// The frontier chart of a section; `None` with fewer than two costed cells.
pub fn render(section: &Section) -> Result<Option<String>> {
    let cells = cells::cells(section);
    let all = costed(&cells, Among::Sharing);
    if all.len() < 2 {
        return Ok(None);
    }
    let bounds = |f: fn(&crate::frontier::Costed) -> f64| {
        let lo = all.iter().map(f).fold(f64::INFINITY, f64::min);
        let hi = all.iter().map(f).fold(0.0, f64::max);
        (lo / 1.6, hi * 1.6)
    };
    let (x, y) = (bounds(|c| c.ns), bounds(|c| c.cpu_ns));
    let mut svg = String::new();
    {
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the frontier chart: {e}");
        let root = SVGBackend::with_string(&mut svg, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let caption =
            format!("{} · speed against CPU per number (log-log; the front is joined)", super::title(section));
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 16))
            .margin(14)
            .x_label_area_size(40)
            .y_label_area_size(60)
            .build_cartesian_2d((x.0..x.1).log_scale(), (y.0..y.1).log_scale())
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("wall ns per number (lower is faster)")
            .y_desc("CPU ns per number")
            .label_style(("sans-serif", 12))
            .light_line_style(RGBColor(238, 238, 238))
            .draw()
            .map_err(|e| err(&e))?;
        chart
            .draw_series(
                all.iter().map(|c| Circle::new((c.ns, c.cpu_ns), 4, super::chart::color(c.cell.family()).filled())),
            )
            .map_err(|e| err(&e))?;
        let front: Vec<(f64, f64)> = all.iter().filter(|c| c.on_front).map(|c| (c.ns, c.cpu_ns)).collect();
        chart.draw_series(LineSeries::new(front, BLACK.stroke_width(2))).map_err(|e| err(&e))?;
        let font = ("sans-serif", 12).into_font().color(&BLACK);
        chart
            .draw_series(all.iter().filter(|c| c.on_front).map(|c| {
                let label = format!("{} ({})", c.cell.variant(), c.cell.record.executor);
                Text::new(label, (c.ns * 1.05, c.cpu_ns * 1.05), font.clone())
            }))
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Some(svg))
}

#[cfg(test)]
mod tests {
    use crate::render::tests::sample_results;

    #[test]
    fn a_section_with_costed_cells_gets_a_chart() {
        let mut results = sample_results();
        for (i, r) in results.records.iter_mut().enumerate() {
            r.cpu_ns_per_number = Some(10.0 + i as f64);
        }
        let s = crate::collate::sections(&results);
        let svg = super::render(&s[0]).unwrap().expect("a chart");
        assert!(svg.contains("CPU ns per number") && svg.contains("<circle"), "{svg}");
        // No CPU figures, no chart.
        let plain = sample_results();
        let bare = crate::collate::sections(&plain);
        assert!(super::render(&bare[0]).unwrap().is_none());
    }
}
