//! "How the numbers went round": per workload, each ok cell's speed beside
//! its fairness (runs, hand-offs, finish spread), context switches and CPU
//! per number, the figures that explain a ranking (a shared counter fast
//! because one consumer takes long runs; a channel slow because every number
//! costs switches). Markdown and HTML tables, and the HTML chart of mean run
//! against ns per number.

use super::text::{html_escape, md_escape};
use crate::cells::{Cell, cells};
use crate::collate::Section;
use crate::units::figures as short;
use std::fmt::Write;

/// Column titles.
pub const HEADER: [&str; 8] =
    ["cell", "ns/number", "mean run", "longest run", "hand-offs", "finish spread", "switches/number", "CPU ns/number"];

/// What each column means, for the report's foot.
pub const NOTES: [(&str, &str); 6] = [
    (
        "mean run",
        "mean length of a run of consecutive numbers taken by one consumer: 1 is strict alternation, T (numbers per \
         consumer) is each consumer taking all of its numbers in one go (the single-thread baseline)",
    ),
    ("longest run", "the longest such run"),
    ("hand-offs", "share of consecutive numbers that went to different consumers: 100% is strict alternation"),
    (
        "finish spread",
        "last minus first consumer's finish, as a share of the dispense time: near 0 when all finished together, \
         near 100% when some were done long before the others (— where consumers are not stamped)",
    ),
    ("switches/number", "voluntary + involuntary context switches of the whole process while dispensing, per number"),
    (
        "CPU ns/number",
        "user + system CPU time of all threads while dispensing, per number: above ns/number when several cores work",
    ),
];

/// A cell's row, in [`HEADER`] order; every figure is the median over the
/// cell's processes of the median over each process's samples.
pub fn row(c: &Cell) -> [String; 8] {
    let f = c.fairness();
    let dash = || "—".to_string();
    [
        c.name(),
        format!("{:.1}", c.ns_per_number()),
        f.map_or_else(dash, |f| short(f.mean_run)),
        f.map_or_else(dash, |f| f.longest_run.to_string()),
        f.map_or_else(dash, |f| format!("{}%", short(f.handoff_share * 100.0))),
        f.and_then(|f| f.finish_spread).map_or_else(dash, |s| format!("{}%", short(s * 100.0))),
        c.switches_per_number().map_or_else(dash, |s| format!("{s:.3}")),
        c.cpu_ns_per_number().map_or_else(dash, |s| format!("{s:.1}")),
    ]
}

/// True when some cell of the section has a figure to show (older results
/// files have none: then the table is left out rather than shown empty).
fn any_figure(cells: &[Cell]) -> bool {
    cells.iter().any(|c| c.fairness().is_some() || c.switches_per_number().is_some())
}

/// The Markdown table.
pub fn render_markdown(out: &mut String, section: &Section) {
    let cells = cells(section);
    if !any_figure(&cells) {
        return;
    }
    let _ = writeln!(out, "\n### How the numbers went round\n");
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let _ = writeln!(out, "|---|{}|", vec!["---:"; HEADER.len() - 1].join("|"));
    for c in &cells {
        let cells: Vec<String> = row(c).iter().map(|s| md_escape(s)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
}

/// The HTML table and the chart of fairness against speed.
pub fn render_html(out: &mut String, section: &Section) -> anyhow::Result<()> {
    let cells = cells(section);
    if !any_figure(&cells) {
        return Ok(());
    }
    out.push_str("<h3>How the numbers went round</h3>\n");
    if let Some(svg) = super::chart::fairness(section, &cells)? {
        let _ = writeln!(out, "<div class=\"chart\">{}</div>", super::text::inline_svg(&svg));
    }
    out.push_str("<div class=\"wide\">\n<table>\n<thead><tr>");
    for h in HEADER {
        let _ = write!(out, "<th>{}</th>", html_escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for c in &cells {
        out.push_str("<tr>");
        for (i, text) in row(c).iter().enumerate() {
            let class = if i == 0 { "" } else { " class=\"num\"" };
            let _ = write!(out, "<td{class}>{}</td>", html_escape(text));
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::sections;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::Workload;
    use dispenser_core::fairness::Fairness;

    #[test]
    fn the_table_shows_runs_handoffs_and_per_number_figures() {
        let w = Workload::QUICK;
        let mut r = record("sync", "atomic", w, &[400_000, 410_000, 420_000]);
        r.fairness = Some(Fairness { mean_run: 2.5, longest_run: 900, handoff_share: 0.4, finish_spread: Some(0.3) });
        r.switches_per_number = Some(0.0125);
        r.cpu_ns_per_number = Some(19.5);
        let results = Results::new(RunInfo::default(), None, vec![r]);
        let s = &sections(&results)[0];
        let mut md = String::new();
        render_markdown(&mut md, s);
        assert!(md.contains("| atomic on sync (threads) | 10.2 | 2.50 | 900 | 40.0% | 30.0% | 0.013 | 19.5 |"), "{md}");
        let mut html = String::new();
        render_html(&mut html, s).unwrap();
        let tags = crate::render::html::tests::well_formed(&html);
        assert!(tags.iter().any(|t| t == "svg"), "the chart is inline");
        // Records from before fairness existed: no empty table.
        let old = Results::new(RunInfo::default(), None, vec![record("sync", "atomic", w, &[1, 2, 3])]);
        let mut none = String::new();
        render_markdown(&mut none, &sections(&old)[0]);
        assert!(none.is_empty());
    }
}
