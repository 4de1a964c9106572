//! report.html: one self-contained page (inline CSS and SVG, no script, no
//! network): the run and machine, then per workload its notes, chart,
//! ranked table, unranked cells and summary. Written as well-formed XML so
//! a strict parser (and the tests) can check it.

use super::text::{html_escape as escape, inline_svg};
use super::{HEADER, NUMERIC, Section};
use crate::results::Results;
use anyhow::Result;
use std::fmt::Write;

/// The one stylesheet of every page xtask writes (report.html, sweep.html).
const STYLE: &str = "
body { font-family: system-ui, -apple-system, 'Segoe UI', sans-serif; margin: 2em auto; max-width: 1460px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; margin-bottom: 0.2em; }
h2 { font-size: 1.3em; margin-top: 2em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; }
.meta { color: #444; font-size: 0.9em; margin: 0.2em 0; }
.note { color: #555; font-size: 0.9em; max-width: 60em; }
.warn { color: #a40000; font-weight: bold; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { padding: 3px 9px; border-bottom: 1px solid #e4e4e4; white-space: nowrap; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
td.bad { text-align: right; color: #a40000; font-weight: bold; }
td.side-a { background: #dbe9f6; }
td.side-b { background: #fbe3cf; }
td.tied { color: #777; }
tr.unranked td { color: #a40000; }
.swatch { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.4em; border-radius: 2px; vertical-align: baseline; }
pre { background: #f7f7f7; padding: 0.8em; font-size: 0.85em; overflow-x: auto; }
.chart { overflow-x: auto; }
.chart svg { max-width: 100%; height: auto; }
h3 { font-size: 1.1em; margin-top: 1.6em; }
ul.findings { max-width: 75em; line-height: 1.45; }
ul.findings li { margin: 0.3em 0; }
table.matrix td.m1 { background: #c7e9c0; }
table.matrix td.m2 { background: #fff3bf; }
table.matrix td.m3 { background: #fdd0a2; }
table.matrix td.m4 { background: #fcaeae; }
table.matrix td.absent { color: #999; }
table.matrix th { white-space: normal; max-width: 11em; vertical-align: bottom; }
table.matrix small { color: #555; }
.key { padding: 1px 6px; border-radius: 3px; margin-right: 0.6em; }
div.answers { display: flex; flex-wrap: wrap; gap: 0 2.5em; }
table.answer { margin: 0.4em 0; }
table.answer caption { text-align: left; font-weight: bold; padding: 0.2em 0; }
table.answer tr.ref td { color: #555; }
section.answer h2, section.glance h2 { margin-top: 0.8em; }
div.glance { display: flex; flex-wrap: wrap; gap: 0 2em; align-items: flex-start; }
div.glance > div { flex: 0 1 auto; min-width: 0; max-width: 100%; }
div.glance > div.chart { flex: 1 1 28em; }
div.glance p.note { max-width: 44em; }
div.wide { overflow-x: auto; max-width: 100%; }
span.detail { color: #666; }
.key.m1 { background: #c7e9c0; } .key.m2 { background: #fff3bf; } .key.m3 { background: #fdd0a2; } .key.m4 { background: #fcaeae; }
";

/// The start of a page: doctype, head with the stylesheet, `<body>` and
/// its `<h1>`. [`page_end`] closes it.
pub fn page_start(out: &mut String, title: &str, heading: &str) {
    out.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>", escape(heading));
}

/// The end of a page begun with [`page_start`].
pub fn page_end(out: &mut String) {
    out.push_str("</body>\n</html>\n");
}

/// Renders the whole report as an HTML page: above the fold the run, the
/// answer and per workload the runtime matrix beside the main chart; below
/// them the findings and per workload the full table, summary, fairness and
/// latency; the crates and the column notes last.
pub fn render(results: &Results) -> Result<String> {
    let mut out = String::new();
    page_start(&mut out, "dispenser-bench report", "dispenser-bench report");
    let header = super::header(results);
    let (crates, header): (Vec<String>, Vec<String>) = header.into_iter().partition(|l| l.starts_with("crates: "));
    for line in header {
        let class = if line.starts_with("INTERRUPTED") { "meta warn" } else { "meta" };
        let _ = writeln!(out, "<p class=\"{class}\">{}</p>", escape(&line));
    }
    let sections = super::sections(results);
    let answers = super::answer::answers(&sections);
    let legend = crate::cells::runtime_legend(&results.records);
    super::answer::render_html(&mut out, &answers, &legend);
    for section in &sections {
        render_glance(&mut out, section)?;
    }
    render_findings(&mut out, &sections);
    if sections.is_empty() {
        out.push_str("<p>No cell finished.</p>\n");
    }
    for section in &sections {
        render_section(&mut out, section)?;
    }
    for line in crates {
        let _ = writeln!(out, "<p class=\"meta\">{}</p>", escape(&line));
    }
    out.push_str("<h2>Columns</h2>\n<dl class=\"note\">\n");
    for (name, meaning) in super::COLUMN_NOTES.iter().chain(&super::fairness::NOTES) {
        let _ = writeln!(out, "<dt><b>{}</b></dt><dd>{}</dd>", escape(name), escape(meaning));
    }
    out.push_str("</dl>\n");
    page_end(&mut out);
    Ok(out)
}

/// A workload at a glance, right under the answer: the runtime matrix
/// beside the main chart (they wrap under each other on a narrow window).
fn render_glance(out: &mut String, section: &Section) -> Result<()> {
    let _ = writeln!(
        out,
        "<section class=\"glance\">\n<h2>{} at a glance</h2>\n<div class=\"glance\">",
        escape(&super::title(section))
    );
    out.push_str("<div>\n");
    super::matrix::render_html(out, section);
    out.push_str("</div>\n");
    if let Some(svg) = super::chart::render(section)? {
        let _ = writeln!(out, "<div class=\"chart\">{}</div>", inline_svg(&svg));
    }
    out.push_str("</div>\n</section>\n");
    Ok(())
}

fn render_section(out: &mut String, section: &Section) -> Result<()> {
    let _ = writeln!(out, "<section>\n<h2>{}</h2>", escape(&super::title(section)));
    for note in &section.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", escape(note));
    }
    out.push_str("<div class=\"wide\">\n<table>\n<thead><tr>");
    for h in HEADER {
        let _ = write!(out, "<th>{}</th>", escape(h));
    }
    out.push_str("</tr></thead>\n<tbody>\n");
    for row in &section.rows {
        let swatch = super::chart::color(row.record.family);
        let swatch = format!(
            "<span class=\"swatch\" style=\"background: rgb({},{},{})\" title=\"{}\"></span>",
            swatch.0,
            swatch.1,
            swatch.2,
            row.record.family.as_str()
        );
        push_row(out, "", &super::row_cells(row), Some((2, &swatch)));
    }
    for r in &section.unranked {
        push_row(out, " class=\"unranked\"", &super::unranked_cells(r), None);
    }
    out.push_str("</tbody>\n</table>\n</div>\n");
    if !section.unranked.is_empty() {
        out.push_str("<p>Not ranked:</p>\n<ul>\n");
        for r in &section.unranked {
            let _ = writeln!(out, "<li>{}</li>", escape(&super::failure_line(r)));
        }
        out.push_str("</ul>\n");
    }
    let summary = super::summary(section);
    if !summary.is_empty() {
        let _ = writeln!(out, "<pre>Summary\n{}</pre>", escape(&summary.join("\n")));
    }
    if let Some(svg) = super::frontier_chart::render(section)? {
        let _ = writeln!(
            out,
            "<h3>Speed against CPU</h3>\n<p class=\"note\">Each cell at its wall and CPU ns per number; the \
             joined cells are the efficiency frontier: no other cell is both faster and cheaper in CPU.</p>\n\
             <div class=\"chart\">{}</div>",
            inline_svg(&svg)
        );
    }
    super::fairness::render_html(out, section)?;
    super::latency::render_html(out, section)?;
    out.push_str("</section>\n");
    Ok(())
}

/// The findings, before the first table: one item each, how sure in grey.
fn render_findings(out: &mut String, sections: &[Section]) {
    let findings = crate::findings::findings(sections);
    if findings.is_empty() {
        return;
    }
    out.push_str("<h2>Findings</h2>\n");
    for (group, list) in crate::findings::grouped(&findings) {
        if let Some(h) = crate::findings::heading(group) {
            let _ = writeln!(out, "<h3>{}</h3>", escape(&h));
        }
        out.push_str("<ul class=\"findings\">\n");
        for f in list {
            let detail = match f.detail.is_empty() {
                true => String::new(),
                false => format!(" <span class=\"detail\">({})</span>", escape(&f.detail)),
            };
            let _ = writeln!(
                out,
                "<li>{} · <b>{}</b>: {}{detail}</li>",
                escape(&f.verdict),
                escape(&f.topic),
                escape(&f.text)
            );
        }
        out.push_str("</ul>\n");
    }
}

/// One table row; `prefix` is raw HTML put before the text of one column.
fn push_row(out: &mut String, attrs: &str, cells: &[String; 11], prefix: Option<(usize, &str)>) {
    let _ = write!(out, "<tr{attrs}>");
    for (i, cell) in cells.iter().enumerate() {
        let class = if NUMERIC[i] { " class=\"num\"" } else { "" };
        let before = prefix.filter(|(col, _)| *col == i).map_or("", |(_, html)| html);
        let _ = write!(out, "<td{class}>{before}{}</td>", escape(cell));
    }
    out.push_str("</tr>\n");
}

/// The report.html exporter.
pub struct Html;

impl super::Exporter for Html {
    fn file_name(&self) -> Option<&'static str> {
        Some("report.html")
    }
    fn serialize(&self, results: &Results) -> Result<Vec<u8>> {
        Ok(render(results)?.into_bytes())
    }
}

#[cfg(test)]
pub mod tests {
    use crate::render::tests::sample_results;
    use quick_xml::events::Event;

    /// Parses `html` as XML; returns the start tags in order. Panics on any
    /// unbalanced or malformed tag.
    pub fn well_formed(html: &str) -> Vec<String> {
        let mut reader = quick_xml::Reader::from_str(html);
        let mut tags = Vec::new();
        let mut depth = 0i64;
        loop {
            match reader.read_event() {
                Ok(Event::Start(e)) => {
                    depth += 1;
                    tags.push(String::from_utf8_lossy(e.name().as_ref()).into_owned());
                }
                Ok(Event::Empty(e)) => tags.push(String::from_utf8_lossy(e.name().as_ref()).into_owned()),
                Ok(Event::End(_)) => depth -= 1,
                Ok(Event::Eof) => break,
                Ok(_) => {}
                Err(e) => panic!("report.html is not well formed at {}: {e}", reader.error_position()),
            }
        }
        assert_eq!(depth, 0, "unclosed elements");
        tags
    }

    #[test]
    fn the_page_is_well_formed_with_a_chart_and_table_per_workload() {
        let mut results = sample_results();
        results.records[0].error = Some("<script>alert('x') & \"y\"</script>".into());
        results.records[0].status = dispenser_core::Status::Failed;
        let html = super::render(&results).unwrap();
        let tags = well_formed(&html);
        assert_eq!(tags.iter().filter(|t| *t == "svg").count(), 2);
        // Per workload the answer, the ranked table and the runtime matrix
        // (no fairness table: the sample records carry no fairness).
        assert_eq!(tags.iter().filter(|t| *t == "table").count(), 6);
        let at = |s: &str| html.find(s).unwrap_or_else(|| panic!("no {s}"));
        assert!(at("<h2>Answer</h2>") < at("Runtime matrix"), "the answer first");
        assert!(at("Runtime matrix") < at("<h2>Findings</h2>"), "the matrix above the prose");
        assert!(at("<svg") < at("<h2>Findings</h2>"), "the main chart above the prose");
        assert!(!tags.iter().any(|t| t == "script"), "error text must be escaped");
        assert!(html.contains("&lt;script&gt;"));
        assert!(!html.contains("src=") && !html.contains("href="), "the page loads nothing");
    }
}
