//! One SVG bar chart per workload (plotters, SVG backend: no font files and
//! no network needed): a bar per ranked cell up to its median on a log time
//! axis (medians span five orders of magnitude), a whisker from min to max,
//! colours by family.

use super::Section;
use anyhow::{Result, anyhow};
use dispenser_core::Family;
use dispenser_core::table::format_ns;
use plotters::coord::combinators::LogCoord;
use plotters::coord::ranged1d::{SegmentValue, SegmentedCoord};
use plotters::coord::types::RangedCoordusize;
use plotters::prelude::*;

/// Chart width, pixels.
const WIDTH: u32 = 1100;
/// Height of one bar's band, pixels.
const BAND: u32 = 24;
/// Height taken by the caption, the axis and margins, pixels.
const FRAME: u32 = 110;

/// The colour of a family's bars.
pub fn color(family: Family) -> RGBColor {
    match family {
        Family::Baseline => RGBColor(127, 127, 127),
        Family::Atomic => RGBColor(44, 160, 44),
        Family::Lock => RGBColor(31, 119, 180),
        Family::Channel => RGBColor(255, 127, 14),
        Family::Actor => RGBColor(148, 103, 189),
        Family::Unknown => RGBColor(127, 127, 127),
    }
}

/// Coordinates of a chart with one band per cell on a log time axis.
pub type BandCoord = Cartesian2d<LogCoord<f64>, SegmentedCoord<RangedCoordusize>>;

/// The axis, labels and caption shared by the report's charts: one
/// horizontal band per cell, rank 1 (`labels[0]`) on top, over a log time
/// axis from `lo` to `hi` described by `x_desc`. Returns the chart to draw
/// the cells on; band `n - 1 - i` holds `labels[i]`.
pub fn band_chart<'a, 'b>(
    area: &'a DrawingArea<SVGBackend<'b>, plotters::coord::Shift>,
    caption: String,
    labels: &[String],
    label_px: u32,
    (lo, hi): (f64, f64),
    x_desc: &str,
) -> Result<ChartContext<'a, SVGBackend<'b>, BandCoord>> {
    let n = labels.len();
    let err = |e: &dyn std::fmt::Display| anyhow!("drawing the chart: {e}");
    let mut chart = ChartBuilder::on(area)
        .caption(caption, ("sans-serif", 17))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(label_px)
        // An integer range holds both ends, so 0..n would make n + 1 bands
        // and leave an empty one at the top: 0..n-1 is one band per row.
        .build_cartesian_2d((lo..hi).log_scale(), (0..n.saturating_sub(1)).into_segmented())
        .map_err(|e| err(&e))?;
    let label_of = |v: &SegmentValue<usize>| match v {
        // Rank 1 is drawn at the top: band n-1.
        SegmentValue::CenterOf(i) if *i < n => labels[n - 1 - i].clone(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .y_labels(n)
        .y_label_formatter(&label_of)
        .x_label_formatter(&|v| format_ns(*v))
        .x_desc(x_desc)
        .label_style(("sans-serif", 13))
        .light_line_style(RGBColor(235, 235, 235))
        .draw()
        .map_err(|e| err(&e))?;
    Ok(chart)
}

/// The section's chart as an SVG document; `None` when nothing was ranked.
pub fn render(section: &Section) -> Result<Option<String>> {
    let rows = &section.rows;
    if rows.is_empty() {
        return Ok(None);
    }
    let n = rows.len();
    let labels: Vec<String> =
        rows.iter().map(|r| format!("{} · {}", r.record.variant, r.record.runtime_label())).collect();
    let longest = labels.iter().map(|l| l.chars().count()).max().unwrap_or(10) as u32;
    let label_px = (longest * 8 + 16).clamp(160, 500);
    let lo = rows.iter().map(|r| r.stats.min_ns).fold(f64::INFINITY, f64::min).max(1.0) / 2.0;
    // Room on the right for the value printed after each whisker.
    let hi = rows.iter().map(|r| r.stats.max_ns).fold(0.0, f64::max).max(lo * 10.0) * 6.0;
    let height = FRAME + BAND * n as u32;
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        let err = |e: &dyn std::fmt::Display| anyhow!("drawing the chart: {e}");
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let caption = format!("{} · typical dispense time, whisker min…max (log scale)", super::title(section));
        let range = (lo, hi);
        let mut chart =
            band_chart(&root, caption, &labels, label_px, range, "time for all numbers of one sample (log scale)")?;
        let band = |i: usize| n - 1 - i;
        for family in crate::results::FAMILY_ORDER {
            let ours: Vec<(usize, &super::Row)> =
                rows.iter().enumerate().filter(|(_, r)| r.record.family == family).collect();
            if ours.is_empty() {
                continue;
            }
            let c = color(family);
            chart
                .draw_series(ours.iter().map(|(i, r)| {
                    let mut bar = Rectangle::new(
                        [(lo, SegmentValue::Exact(band(*i))), (r.estimate.point, SegmentValue::Exact(band(*i) + 1))],
                        c.filled(),
                    );
                    bar.set_margin(4, 4, 0, 0);
                    bar
                }))
                .map_err(|e| err(&e))?
                .label(family.as_str())
                .legend(move |(x, y)| Rectangle::new([(x, y - 5), (x + 12, y + 5)], c.filled()));
        }
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let y = SegmentValue::CenterOf(band(i));
                PathElement::new(vec![(r.stats.min_ns, y.clone()), (r.stats.max_ns, y)], BLACK.stroke_width(1))
            }))
            .map_err(|e| err(&e))?;
        chart
            .draw_series(rows.iter().enumerate().map(|(i, r)| {
                let text = format!("{}  {}", format_ns(r.estimate.point), crate::units::times(r.ratio.point));
                Text::new(
                    text,
                    (r.stats.max_ns * 1.15, SegmentValue::CenterOf(band(i))),
                    ("sans-serif", 12).into_font(),
                )
            }))
            .map_err(|e| err(&e))?;
        band_legend(&mut chart)?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Some(svg))
}

/// The legend of a chart's labelled series, in its upper right corner: on
/// a [`band_chart`] rank 1 is at the top, and the shortest bars leave that
/// corner empty; the fairness chart's fast, alternating cells sit low left.
pub fn band_legend<'a, 'b: 'a, CT: plotters::coord::CoordTranslate>(
    chart: &mut ChartContext<'a, SVGBackend<'b>, CT>,
) -> Result<()> {
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperRight)
        .background_style(WHITE.mix(0.9))
        .border_style(RGBColor(200, 200, 200))
        .label_font(("sans-serif", 12))
        .draw()
        .map_err(|e| anyhow!("drawing the chart's legend: {e}"))
}

/// Height of the fairness chart, pixels.
const SCATTER_HEIGHT: u32 = 460;

/// Fairness against speed, log-log: one point per ok cell at its ns per
/// number (x) and mean run (y), coloured by family. Points high on the chart
/// took numbers in long runs by one consumer; points at 1 alternated.
/// `None` when no cell has a fairness figure.
pub fn fairness(section: &Section, cells: &[crate::cells::Cell]) -> Result<Option<String>> {
    let points: Vec<(Family, f64, f64)> = cells
        .iter()
        .filter_map(|c| Some((c.family(), c.ns_per_number(), c.fairness()?.mean_run)))
        .filter(|(_, x, y)| *x > 0.0 && *y > 0.0)
        .collect();
    if points.is_empty() {
        return Ok(None);
    }
    let span = |f: fn(&(Family, f64, f64)) -> f64| {
        let lo = points.iter().map(f).fold(f64::INFINITY, f64::min);
        let hi = points.iter().map(f).fold(0.0, f64::max);
        (lo / 2.0, (hi * 2.0).max(lo * 10.0))
    };
    let (x, y) = (span(|p| p.1), span(|p| p.2));
    let err = |e: &dyn std::fmt::Display| anyhow!("drawing the chart: {e}");
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, SCATTER_HEIGHT)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let caption = format!("{} · fairness against speed, one point per cell (log-log)", super::title(section));
        let mut chart = ChartBuilder::on(&root)
            .caption(caption, ("sans-serif", 17))
            .margin(12)
            .x_label_area_size(40)
            .y_label_area_size(70)
            .build_cartesian_2d((x.0..x.1).log_scale(), (y.0.min(0.8)..y.1).log_scale())
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc("ns per number (log scale; left is faster)")
            .y_desc("mean run (log; 1 = strict alternation)")
            .x_label_formatter(&plain)
            .y_label_formatter(&plain)
            .label_style(("sans-serif", 13))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| err(&e))?;
        for family in crate::results::FAMILY_ORDER {
            let c = color(family);
            let ours: Vec<(f64, f64)> = points.iter().filter(|p| p.0 == family).map(|p| (p.1, p.2)).collect();
            if ours.is_empty() {
                continue;
            }
            chart
                .draw_series(ours.iter().map(|&at| Circle::new(at, 6, c.filled())))
                .map_err(|e| err(&e))?
                .label(family.as_str())
                .legend(move |(x, y)| Circle::new((x + 6, y), 5, c.filled()));
        }
        band_legend(&mut chart)?;
        root.present().map_err(|e| err(&e))?;
    }
    Ok(Some(svg))
}

/// `0.25`, `10`, `1000`: a log axis label without trailing zeros.
fn plain(v: &f64) -> String {
    format!("{v:.3}").trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use crate::render::{sections, tests::sample_results};

    #[test]
    fn a_chart_is_an_svg_with_a_bar_per_ranked_cell() {
        let results = sample_results();
        let s = sections(&results);
        let svg = super::render(&s[0]).unwrap().unwrap();
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.contains("single-thread · sync (threads)"));
        assert!(svg.contains("oneshot-actor · tokio (multi-thread, 2 workers)"));
        let mut reader = quick_xml::Reader::from_str(&svg);
        loop {
            match reader.read_event() {
                Ok(quick_xml::events::Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("SVG is not well formed: {e}"),
            }
        }
    }
}
