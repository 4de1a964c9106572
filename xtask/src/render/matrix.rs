//! The runtime matrix of a workload: the variants several runtimes share
//! (and the OS-thread channels) as rows, the runtimes as columns, each
//! cell's median inside, so one variant reads across runtimes at a glance.
//! Rows and columns come from the data: a variant is a row when at least two
//! runtimes ran it, or when it is a channel on OS threads.

use super::text::{html_escape, md_escape};
use crate::cells::{Cell, cells, runtimes};
use crate::collate::Section;
use dispenser_core::Family;
use dispenser_core::table::format_ns;
use std::fmt::Write;

/// One cell of the matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The typical dispense time (the point estimate), e.g. `3.8 ms`.
    pub text: String,
    /// Point estimate over the row's best one.
    pub ratio: f64,
    /// The row's fastest, or tied with it (the pairwise test cannot separate them).
    pub best: bool,
}

/// A workload's matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    /// Column heads: runtime with executor.
    pub columns: Vec<String>,
    /// The same heads short (`tokio-mt/2`), for narrow tables.
    pub short: Vec<String>,
    /// Row heads (variants) and their entries, one per column (`None`: not run or not ok).
    pub rows: Vec<(String, Vec<Option<Entry>>)>,
}

/// The section's matrix; `None` when no row qualifies.
pub fn matrix(section: &Section) -> Option<Matrix> {
    let cells = cells(section);
    let columns = runtimes(&cells);
    let mut variants: Vec<(Family, String)> = Vec::new();
    for c in &cells {
        let runtimes = cells.iter().filter(|o| o.variant() == c.variant()).count();
        let thread_channel = c.family() == Family::Channel && c.record.executor.workers.is_none();
        let v = (c.family(), c.variant().to_string());
        if (runtimes >= 2 || thread_channel) && !variants.contains(&v) {
            variants.push(v);
        }
    }
    if variants.is_empty() {
        return None;
    }
    // Families in report order, then by name: rows stay put between runs.
    variants.sort_by_key(|(f, name)| (crate::results::FAMILY_ORDER.iter().position(|o| o == f), name.clone()));
    let rows = variants
        .into_iter()
        .map(|(_, variant)| {
            let row: Vec<Option<&Cell>> = columns
                .iter()
                .map(|col| cells.iter().find(|c| c.variant() == variant && c.runtime() == *col))
                .collect();
            let best = row.iter().flatten().min_by(|a, b| a.estimate.point.total_cmp(&b.estimate.point));
            let entries = row
                .iter()
                .map(|c| {
                    let (c, best) = (c.as_ref()?, best?);
                    Some(Entry {
                        text: format_ns(c.estimate.point),
                        ratio: c.estimate.point / best.estimate.point,
                        // Tied with the row's best unless the pairwise test separates them.
                        best: crate::cells::ratio(best, c).is_none_or(|r| !r.separates()),
                    })
                })
                .collect();
            (variant, entries)
        })
        .collect();
    let short = columns
        .iter()
        .map(|col| cells.iter().find(|c| c.runtime() == *col).map_or_else(|| col.clone(), Cell::short_runtime))
        .collect();
    Some(Matrix { columns, short, rows })
}

/// The CSS class of an entry, by its ratio to the row's best.
pub fn class(e: &Entry) -> &'static str {
    match e.ratio {
        _ if e.best => "m1",
        r if r < 2.0 => "m2",
        r if r < 10.0 => "m3",
        _ => "m4",
    }
}

/// What the colours mean, for the legend under the HTML table.
pub const LEGEND: [(&str, &str); 4] =
    [("m1", "row's best (or tied with it)"), ("m2", "under 2× the row's best"), ("m3", "2–10×"), ("m4", "10× or more")];

/// What the table shows, under its heading.
const CAPTION: &str = "Typical dispense time (the point estimate) of each variant that several runtimes share (and every channel on OS threads), \
                       one column per runtime; — where a runtime does not have the variant or the cell did not finish.";

/// The matrix as a Markdown table, the row's best in bold.
pub fn render_markdown(out: &mut String, section: &Section) {
    let Some(m) = matrix(section) else { return };
    let _ = writeln!(out, "\n### Runtime matrix\n\n{CAPTION} Bold: the row's best, or tied with it.\n");
    let heads: Vec<String> = m.columns.iter().map(|c| md_escape(c)).collect();
    let _ = writeln!(out, "| variant | {} |", heads.join(" | "));
    let _ = writeln!(out, "|---|{}|", vec!["---:"; m.columns.len()].join("|"));
    for (variant, entries) in &m.rows {
        let cells: Vec<String> = entries
            .iter()
            .map(|e| match e {
                Some(e) if e.best => format!("**{}**", e.text),
                Some(e) => format!("{} ({:.1}×)", e.text, e.ratio),
                None => "—".into(),
            })
            .collect();
        let _ = writeln!(out, "| {} | {} |", md_escape(variant), cells.join(" | "));
    }
}

/// The matrix as an HTML table, cells coloured by ratio to the row's best.
pub fn render_html(out: &mut String, section: &Section) {
    let Some(m) = matrix(section) else { return };
    let _ = writeln!(out, "<h3>Runtime matrix</h3>\n<p class=\"note\">{}</p>", html_escape(CAPTION));
    out.push_str("<div class=\"wide\">\n<table class=\"matrix\">\n<thead><tr><th>variant</th>");
    // Short heads (the answer's legend names them), the full name on hover.
    for (long, short) in m.columns.iter().zip(&m.short) {
        let _ = write!(out, "<th title=\"{}\">{}</th>", html_escape(long), html_escape(short));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for (variant, entries) in &m.rows {
        let _ = write!(out, "<tr><td>{}</td>", html_escape(variant));
        for e in entries {
            match e {
                Some(e) if e.best => {
                    let _ = write!(out, "<td class=\"num {}\"><b>{}</b></td>", class(e), html_escape(&e.text));
                }
                Some(e) => {
                    let _ = write!(
                        out,
                        "<td class=\"num {}\">{} <small>{:.1}×</small></td>",
                        class(e),
                        html_escape(&e.text),
                        e.ratio
                    );
                }
                None => out.push_str("<td class=\"num absent\">—</td>"),
            }
        }
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n</div>\n<p class=\"note\">");
    for (class, meaning) in LEGEND {
        let _ = write!(out, "<span class=\"key {class}\">{}</span> ", html_escape(meaning));
    }
    out.push_str("</p>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::sections;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Executor, Workload};

    #[test]
    fn shared_variants_are_rows_and_runtimes_columns() {
        let w = Workload::FEW;
        let mut tokio = record("tokio", "atomic", w, &[2_000_000, 2_100_000, 2_200_000]);
        tokio.executor = Executor { flavor: "multi-thread".into(), workers: Some(2) };
        let mut tokio_mutex = record("tokio", "tokio-mutex", w, &[9_000_000, 9_100_000, 9_200_000]);
        tokio_mutex.executor = tokio.executor.clone();
        let results = Results::new(
            RunInfo::default(),
            None,
            vec![
                tokio,
                tokio_mutex,
                record("sync", "atomic", w, &[1_000_000, 1_050_000, 1_100_000]),
                record("sync", "std-mpsc", w, &[50_000_000, 51_000_000, 52_000_000]),
                record("sync", "std-mutex", w, &[5_000_000, 5_100_000, 5_200_000]),
            ],
        );
        let m = matrix(&sections(&results)[0]).unwrap();
        assert_eq!(m.columns, ["sync (threads)", "tokio (multi-thread, 2 workers)"]);
        assert_eq!(m.short, ["threads", "tokio-mt/2"]);
        let names: Vec<&str> = m.rows.iter().map(|(v, _)| v.as_str()).collect();
        assert_eq!(names, ["atomic", "std-mpsc"], "tokio-mutex and std-mutex each run on one runtime");
        let atomic = &m.rows[0].1;
        assert!(atomic[0].as_ref().unwrap().best);
        let slower = atomic[1].as_ref().unwrap();
        assert!(!slower.best && (slower.ratio - 2.0).abs() < 0.01 && class(slower) == "m3", "{slower:?}");
        assert_eq!(m.rows[1].1[1], None);
        let mut md = String::new();
        render_markdown(&mut md, &sections(&results)[0]);
        assert!(md.contains("| atomic | **1.1 ms** | 2.1 ms (2.0×) |"), "{md}");
        assert!(md.contains("| std-mpsc | **51.0 ms** | — |"), "{md}");
        let mut html = String::new();
        render_html(&mut html, &sections(&results)[0]);
        crate::render::html::tests::well_formed(&html);
    }
}
