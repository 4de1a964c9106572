//! The terminal report: per workload a ranked table, the unranked cells
//! with why, and a hyperfine-like summary.

use super::{HEADER, NUMERIC, Section};
use crate::results::Results;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use std::fmt::Write;

/// Renders the whole report as text.
pub fn render(results: &Results) -> String {
    let mut out = String::new();
    for line in super::header(results) {
        let _ = writeln!(out, "{line}");
    }
    let sections = super::sections(results);
    let findings = crate::findings::findings(&sections);
    if !findings.is_empty() {
        out.push_str("\nFindings\n");
        for (group, list) in crate::findings::grouped(&findings) {
            let indent = match crate::findings::heading(group) {
                Some(h) => {
                    let _ = writeln!(out, "  {h}");
                    "    "
                }
                None => "  ",
            };
            for f in list {
                let _ = writeln!(out, "{indent}- {}", f.line());
            }
        }
    }
    if sections.is_empty() {
        out.push_str("\nno cell finished\n");
    }
    for section in &sections {
        render_section(&mut out, section);
    }
    out
}

fn render_section(out: &mut String, section: &Section) {
    let _ = writeln!(out, "\n{}", super::title(section));
    for note in &section.notes {
        let _ = writeln!(out, "  {note}");
    }
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_content_arrangement(ContentArrangement::Disabled).set_header(HEADER);
    for row in &section.rows {
        table.add_row(super::row_cells(row));
    }
    for r in &section.unranked {
        table.add_row(super::unranked_cells(r));
    }
    for (i, numeric) in NUMERIC.iter().enumerate() {
        if let (true, Some(col)) = (*numeric, table.column_mut(i)) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    let _ = writeln!(out, "{table}");
    if !section.unranked.is_empty() {
        let _ = writeln!(out, "Not ranked:");
        for r in &section.unranked {
            let _ = writeln!(out, "  {}", super::failure_line(r));
        }
    }
    let summary = super::summary(section);
    if !summary.is_empty() {
        let _ = writeln!(out, "Summary");
        for line in summary {
            let _ = writeln!(out, "  {line}");
        }
    }
    super::latency::render_terminal(out, section);
}

/// The terminal exporter: what bench and report print on stdout.
pub struct Terminal;

impl super::Exporter for Terminal {
    fn file_name(&self) -> Option<&'static str> {
        None
    }
    fn serialize(&self, results: &Results) -> anyhow::Result<Vec<u8>> {
        Ok(render(results).into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use crate::render::tests::sample_results;

    #[test]
    fn the_report_shows_tables_failures_and_summary() {
        let text = super::render(&sample_results());
        assert!(text.contains("machine: Test CPU · 2 logical cores (1 physical)"), "{text}");
        assert!(text.contains("commit: 0123456789ab (dirty)"));
        assert!(text.contains("order shuffled with --seed 42"));
        assert!(text.contains("Workload 10 x 100,000"));
        assert!(text.contains("TIMEOUT"));
        assert!(text.contains("flume-bounded on sync (threads) (timeout): killed after 300 s (--timeout)"));
        assert!(text.contains("Summary\n  single-thread on sync (threads) ran"));
        assert!(text.contains("3.8 ms"));
        assert!(text.contains("20.0 MiB"));
    }
}
