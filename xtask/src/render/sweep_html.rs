//! sweep.html and the sweep's terminal tables: per varied axis and runtime
//! its chart, then a table with a row per variant and panel (worker count,
//! other axes) and a column per value of the axis (median ns per number,
//! with the work's share when there is work, or the status of a point that
//! did not succeed). Self-contained, well-formed XML, like report.html.

use super::html::{page_end, page_start};
use super::sweep_chart::{self, Axis, RuntimeSweep};
use super::text::{html_escape as escape, inline_svg};
use crate::crossover::{self, Crossover};
use crate::crossover_grid;
use crate::knee;
use crate::results::Results;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use dispenser_core::Status;
use std::fmt::Write;

/// The table of one runtime: header cells, then rows of cells.
pub fn table(s: &RuntimeSweep) -> (Vec<String>, Vec<Vec<String>>) {
    let mut xs: Vec<u64> = s.panels.iter().flat_map(|p| &p.lines).flat_map(|l| &l.points).map(|p| p.x).collect();
    xs.sort_unstable();
    xs.dedup();
    let mut header = vec!["variant".to_string(), "workers".to_string()];
    header.extend(xs.iter().map(|x| s.axis.label(*x)));
    let mut rows = Vec::new();
    for panel in &s.panels {
        for line in &panel.lines {
            let mut workers = vec![panel.workers.map_or("threads".into(), |k| k.to_string())];
            workers.extend(panel.fixed.iter().map(|(a, x)| a.label(*x)));
            let mut row = vec![line.variant.clone(), workers.join(" · ")];
            for x in &xs {
                row.push(match line.points.iter().find(|p| p.x == *x) {
                    None => String::new(),
                    Some(p) => match (p.ns_per_number, p.work_share) {
                        (Some(v), Some(share)) => format!("{v:.1} ({:.0}%)", share * 100.0),
                        (Some(v), None) => format!("{v:.1}"),
                        (None, _) => p.status.as_str().to_uppercase(),
                    },
                });
            }
            rows.push(row);
        }
    }
    (header, rows)
}

/// The terminal report of a sweep: header lines, then a table per runtime
/// and the flips; for a map (consumers x work), the answer grids instead.
pub fn render_terminal(results: &Results) -> String {
    let mut out = String::new();
    for line in super::terminal::header(results, false) {
        let _ = writeln!(out, "{line}");
    }
    // A sweep that maps consumers x work (the default one) answers with its
    // grids; its per-point tables (hundreds of rows) and the full list of
    // flips stay in sweep.html, so the terminal shows the answer, not a wall.
    let crossovers = crossover::crossovers(results);
    let grids = crossover_grid::grids(&crossovers);
    let map = !grids.is_empty();
    for s in sweep_chart::collect_all(results).into_iter().filter(|_| !map) {
        let _ = writeln!(out, "\n{}: median ns per number, by {}", s.label(), s.axis.name());
        let (header, rows) = table(&s);
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled).set_header(&header);
        for r in rows {
            t.add_row(r);
        }
        for i in 1..header.len() {
            if let Some(col) = t.column_mut(i) {
                col.set_cell_alignment(CellAlignment::Right);
            }
        }
        let _ = writeln!(out, "{t}");
    }
    knee_terminal(&mut out, results);
    for g in &grids {
        let _ = writeln!(out, "\n{}: the faster side and by how much (95% interval of the ratio)", g.title());
        let (header, rows) = g.table();
        let mut t = Table::new();
        // Within the report's width: a long side's name wraps in its square.
        t.load_preset(UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(super::text::WIDTH as u16)
            .set_header(&header);
        for r in rows {
            t.add_row(r);
        }
        let _ = writeln!(out, "{t}");
    }
    let flips = crossover::lines(&crossovers, results);
    if map {
        let _ = writeln!(
            out,
            "\nEvery point's ns per number, the charts and all {} crossover lines are in sweep.html.",
            flips.len()
        );
    } else if !flips.is_empty() {
        let _ =
            writeln!(out, "\nWhere the answer flips (best cell of each side per point, 95% interval of the ratio):");
        for line in flips {
            let _ = writeln!(out, "  - {line}");
        }
    }
    out
}

/// The SVGs of a sweep as rendered for its files, each `(file stem, SVG)`.
pub struct Charts<'a> {
    /// One per runtime and varied axis (ns per number).
    pub runtimes: &'a [(String, String)],
    /// The crossover maps.
    pub maps: &'a [(String, String)],
    /// The knee charts of a rate sweep.
    pub knees: &'a [(String, String)],
}

/// The knee section of the terminal: a table per runtime (p50 / p99 /
/// p99.9 at each offered rate), then the knee findings.
fn knee_terminal(out: &mut String, results: &Results) {
    let curves = knee::curves(results);
    let mut stems: Vec<&str> = curves.iter().map(|c| c.stem.as_str()).collect();
    stems.dedup();
    for stem in stems {
        let ours: Vec<&knee::Curve> = curves.iter().filter(|c| c.stem == stem).collect();
        let _ =
            writeln!(out, "\n{stem}: latency p50 / p99 / p99.9 against offered load (* = first rate past the knee)");
        let (header, rows) = knee::table(&ours);
        let mut t = Table::new();
        t.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled).set_header(&header);
        for r in rows {
            t.add_row(r);
        }
        let _ = writeln!(out, "{t}");
    }
    let lines = knee::findings(results);
    if !lines.is_empty() {
        let _ = writeln!(out, "\nThe knee (p99 past {:.0}× the p99 at the lowest rate):", knee::BOUND);
        for line in lines {
            let _ = writeln!(out, "  - {line}");
        }
    }
}

/// A table of `header` and `rows`, each cell with the class attribute
/// `class(column, cell)` gives it.
fn html_table(out: &mut String, header: &[String], rows: &[Vec<String>], class: impl Fn(usize, &str) -> &'static str) {
    out.push_str("<table>\n<thead><tr>");
    for h in header {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            let _ = write!(out, "<td{}>{}</td>", class(i, cell), escape(cell));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

/// sweep.html, with its `charts` and the `crossovers` the maps draw.
pub fn render(results: &Results, charts: &Charts, crossovers: &[Crossover]) -> String {
    let (maps, knees) = (charts.maps, charts.knees);
    let charts = charts.runtimes;
    let mut out = String::new();
    page_start(&mut out, "dispenser-bench sweep", "dispenser-bench scaling sweep");
    for line in super::header(results) {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&line));
    }
    let _ = writeln!(
        out,
        "<p class=\"note\">Every point hands out the same total of numbers, split evenly among its consumers; \
         a flat line scales, a rising line pays for each extra consumer. All charts share their axes (log-log), \
         so a runtime's lines can be set against another's. With more consumers (or workers) than cores, OS \
         threads take turns on the cores and async tasks are multiplexed on the workers.</p>"
    );
    if Axis::varied(results).contains(&Axis::Work) {
        let _ = writeln!(
            out,
            "<p class=\"note\">Along work per number, every consumer spins that many ns after each number \
             (on the clock). A cell reads ns per number (share of it that the work alone takes on \
             min(consumers, cores) cores); where the lines meet, the choice of dispenser stops mattering.</p>"
        );
    }
    let grids = crossover_grid::grids(crossovers);
    if !grids.is_empty() {
        out.push_str("<section>\n<h2>The answer across settings</h2>\n");
        let _ = writeln!(
            out,
            "<p class=\"note\">For each question, at each number of consumers (across) and work per number \
             (down): the side whose best cell is faster, and by how much, where the 95% interval of the ratio \
             excludes 1; <i>tied</i> where it does not.</p>"
        );
        for g in &grids {
            let _ = writeln!(out, "<h3>{}</h3>", escape(&g.title()));
            let (header, rows) = g.table();
            html_table(&mut out, &header, &rows, |i, cell| match i {
                0 => "",
                _ if cell == "tied" => " class=\"tied\"",
                _ if cell.starts_with(&format!("{} ", g.a)) => " class=\"side-a\"",
                _ if cell == "-" => "",
                _ => " class=\"side-b\"",
            });
        }
        out.push_str("</section>\n");
    }
    let sweeps = sweep_chart::collect_all(results);
    if sweeps.is_empty() {
        out.push_str("<p>No point finished.</p>\n");
    }
    for s in &sweeps {
        let by = match s.axis {
            Axis::Consumers => String::new(),
            a => format!(" · by {}", a.name()),
        };
        let _ = writeln!(out, "<section>\n<h2>{}{}</h2>", escape(&s.label()), escape(&by));
        if let Some((_, svg)) = charts.iter().find(|(stem, _)| stem == &s.stem) {
            let _ = writeln!(out, "<div class=\"chart\">{}</div>", inline_svg(svg));
        }
        let (header, rows) = table(s);
        // A status (TIMEOUT, FAILED) is upper case; a figure is a number.
        html_table(&mut out, &header, &rows, |i, cell| match i {
            0 => "",
            _ if cell.chars().next().is_some_and(|c| c.is_ascii_uppercase()) => " class=\"bad\"",
            _ => " class=\"num\"",
        });
        out.push_str("</section>\n");
    }
    if !crossovers.is_empty() {
        out.push_str("<section>\n<h2>Where the answer flips</h2>\n");
        let _ = writeln!(
            out,
            "<p class=\"note\">For each question, the best cell of each side at every swept point (over every \
             runtime and worker count), set against each other by the 95% interval of their ratio. A flip is \
             where the faster side changes; tied points (the interval holds 1) lie in the shaded stretches.</p>"
        );
        for (_, svg) in maps {
            let _ = writeln!(out, "<div class=\"chart\">{}</div>", inline_svg(svg));
        }
        out.push_str("<ul>\n");
        for c in crossovers {
            let _ = writeln!(out, "<li><b>{}</b>: {}</li>", escape(&c.title()), escape(&c.sentence()));
        }
        out.push_str("</ul>\n</section>\n");
    }
    let load = crossover::load_effects(results);
    if !load.is_empty() {
        out.push_str("<section>\n<h2>What background load does</h2>\n");
        let _ = writeln!(
            out,
            "<p class=\"note\">Per runtime and family, its best cell under each load against its best with \
             none (95% interval of the ratio), and the cell whose rank among its family moves most.</p>\n<ul>"
        );
        for line in load {
            let _ = writeln!(out, "<li>{}</li>", escape(&line));
        }
        out.push_str("</ul>\n</section>\n");
    }
    let curves = knee::curves(results);
    if !curves.is_empty() {
        out.push_str("<section>\n<h2>Latency against offered load</h2>\n");
        let _ = writeln!(
            out,
            "<p class=\"note\">Open loop: each consumer's takes are scheduled at a fixed rate and each \
             latency runs from the take's scheduled time, so waiting in a queue counts. A thick line is a \
             variant's p99; where it turns up, queueing has begun. The knee is the first offered rate at \
             which p99 passes {:.0}× the p99 the variant had at the lowest rate (a sleeping consumer wakes late, so the lowest rate's p99 already holds that lateness).</p>",
            knee::BOUND
        );
        for (_, svg) in knees {
            let _ = writeln!(out, "<div class=\"chart\">{}</div>", inline_svg(svg));
        }
        let (header, rows) = knee::table(&curves.iter().collect::<Vec<_>>());
        html_table(&mut out, &header, &rows, |i, _| if i < 2 { "" } else { " class=\"num\"" });
        out.push_str("<ul>\n");
        for line in knee::findings(results) {
            let _ = writeln!(out, "<li>{}</li>", escape(&line));
        }
        out.push_str("</ul>\n</section>\n");
    }
    let failed: Vec<String> =
        results.records.iter().filter(|r| r.status != Status::Ok).map(super::failure_line).collect();
    if !failed.is_empty() {
        out.push_str("<h2>Points that did not succeed</h2>\n<ul>\n");
        for f in failed {
            let _ = writeln!(out, "<li>{}</li>", escape(&f));
        }
        out.push_str("</ul>\n");
    }
    page_end(&mut out);
    out
}

/// The sweep's terminal exporter: what `cargo xtask sweep` prints.
pub struct SweepTerminal;

impl super::Exporter for SweepTerminal {
    fn file_name(&self) -> Option<&'static str> {
        None
    }
    fn serialize(&self, results: &Results) -> anyhow::Result<Vec<u8>> {
        Ok(render_terminal(results).into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use crate::render::sweep_chart::{render_all, tests::sweep_results};

    #[test]
    fn the_page_has_a_chart_and_a_table_per_runtime() {
        let results = sweep_results();
        let crossovers = crate::crossover::crossovers(&results);
        let charts = super::Charts { runtimes: &render_all(&results).unwrap(), maps: &[], knees: &[] };
        let html = super::render(&results, &charts, &crossovers);
        let tags = crate::render::html::tests::well_formed(&html);
        assert_eq!(tags.iter().filter(|t| *t == "svg").count(), 2);
        assert_eq!(tags.iter().filter(|t| *t == "table").count(), 2);
        assert!(html.contains("<td class=\"bad\">TIMEOUT</td>"), "{html}");
        assert!(html.contains("Points that did not succeed"));
        let text = super::render_terminal(&results);
        assert!(text.contains("sync (threads): median ns per number, by consumers"), "{text}");
        assert!(text.contains("16 cons."));
    }

    #[test]
    fn a_rate_sweep_shows_its_knee_section_in_the_page_and_the_terminal() {
        let results = crate::knee::tests::rate_results();
        let knees = crate::render::knee_chart::render_all(&results, "m").unwrap();
        let charts = super::Charts { runtimes: &[], maps: &[], knees: &knees };
        let html = super::render(&results, &charts, &[]);
        crate::render::html::tests::well_formed(&html);
        assert!(html.contains("Latency against offered load"), "{html}");
        assert!(html.contains("std-mutex&#39;s p99 stays within") || html.contains("std-mutex's p99 stays within"));
        let text = super::render_terminal(&results);
        assert!(text.contains("sync: latency p50 / p99 / p99.9 against offered load"), "{text}");
        assert!(text.contains("The knee (p99 past 10×"), "{text}");
    }
}
