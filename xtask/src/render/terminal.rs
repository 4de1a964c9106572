//! The terminal report: the run's header, the answer block, the findings,
//! then per workload a ranked table, the unranked cells with why, and a
//! hyperfine-like summary. By default every line fits [`super::text::WIDTH`] columns
//! (header lines and findings wrap, the table keeps six columns with a
//! legend); `--wide` keeps every column of the table and the findings'
//! details.

use super::text::{columns, width, wrap, wrap_words};
use super::{COMPACT_HEADER, COMPACT_NUMERIC, FLAG_LEGEND, HEADER, NUMERIC, Section};
use crate::results::Results;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, ContentArrangement, Table};
use std::fmt::Write;

/// Renders the whole report as text; `wide` keeps every column.
pub fn render(results: &Results, wide: bool) -> String {
    let mut out = String::new();
    for line in header(results, wide) {
        let _ = writeln!(out, "{line}");
    }
    let sections = super::sections(results);
    let answers = super::answer::answers(&sections);
    if !answers.is_empty() {
        out.push('\n');
        super::answer::render_terminal(&mut out, &answers);
    }
    render_findings(&mut out, &sections, wide);
    if sections.is_empty() {
        out.push_str("\nno cell finished\n");
    }
    for section in &sections {
        render_section(&mut out, section, wide);
    }
    out
}

/// The run's header lines; without `wide`, wrapped at their ` · ` and `, `
/// joints to fit [`super::text::WIDTH`].
pub(super) fn header(results: &Results, wide: bool) -> Vec<String> {
    let lines = super::header(results);
    if wide {
        return lines;
    }
    let mut out = Vec::new();
    for line in lines {
        let (key, rest) = line.split_once(": ").unwrap_or(("", &line));
        let sep = if key == "crates" { ", " } else { " · " };
        let parts: Vec<String> = rest.split(sep).map(String::from).collect();
        let first = if key.is_empty() { String::new() } else { format!("{key}: ") };
        out.extend(wrap(&first, &parts, sep, "    ", columns()));
    }
    out
}

/// The findings, one per line (each at most `findings::LINE_MAX`
/// characters), wrapped to [`super::text::WIDTH`]; with `wide`, each with its details.
fn render_findings(out: &mut String, sections: &[Section], wide: bool) {
    let findings = crate::findings::findings(sections);
    if findings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\nFindings{}", if wide { "" } else { " (details: report.md, or --wide)" });
    for (group, list) in crate::findings::grouped(&findings) {
        let indent = match crate::findings::heading(group) {
            Some(h) => {
                let _ = writeln!(out, "  {h}");
                "    "
            }
            None => "  ",
        };
        for f in list {
            let text = if wide { format!("{} · {}: {}", f.verdict, f.topic, f.body()) } else { f.line() };
            let lines = if wide {
                vec![format!("{indent}- {text}")]
            } else {
                wrap_words(&format!("{indent}- "), &text, &format!("{indent}  "), columns())
            };
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        }
    }
}

/// The ranked table: compact (six columns within [`super::text::WIDTH`]) or `wide`.
fn table(section: &Section, wide: bool) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    let numeric: &[bool] = if wide {
        table.set_content_arrangement(ContentArrangement::Disabled).set_header(HEADER);
        for row in &section.rows {
            table.add_row(super::row_cells(row));
        }
        for r in &section.unranked {
            table.add_row(super::unranked_cells(r));
        }
        &NUMERIC
    } else {
        // Dynamic only bites when the data would be wider than WIDTH: then
        // a cell wraps inside its column rather than the line in the terminal.
        table
            .set_content_arrangement(ContentArrangement::Dynamic)
            .set_width(columns() as u16)
            .set_header(COMPACT_HEADER);
        for row in &section.rows {
            table.add_row(super::compact_cells(row));
        }
        for r in &section.unranked {
            table.add_row(super::compact_unranked_cells(r));
        }
        &COMPACT_NUMERIC
    };
    for (i, numeric) in numeric.iter().enumerate() {
        if let (true, Some(col)) = (*numeric, table.column_mut(i)) {
            col.set_cell_alignment(CellAlignment::Right);
        }
    }
    table
}

/// The legend under a compact table: the runtimes' short labels and the flags.
fn legend(section: &Section) -> Vec<String> {
    let records = section.rows.iter().map(|r| r.record).chain(section.unranked.iter().copied());
    let mut out = wrap("runtimes: ", &crate::cells::runtime_legend(records), " · ", "    ", columns());
    let flags: Vec<String> = FLAG_LEGEND.iter().map(|f| f.to_string()).collect();
    out.extend(wrap("flags: ", &flags, " · ", "    ", columns()));
    out
}

fn render_section(out: &mut String, section: &Section, wide: bool) {
    let _ = writeln!(out, "\n{}", super::title(section));
    for note in &section.notes {
        let lines = if wide { vec![format!("  {note}")] } else { wrap_words("  ", note, "  ", columns()) };
        for line in lines {
            let _ = writeln!(out, "{line}");
        }
    }
    let _ = writeln!(out, "{}", table(section, wide));
    if !wide {
        for line in legend(section) {
            let _ = writeln!(out, "{line}");
        }
    }
    if !section.unranked.is_empty() {
        let _ = writeln!(out, "Not ranked:");
        for r in &section.unranked {
            let line = super::failure_line(r);
            let lines = if wide { vec![format!("  {line}")] } else { wrap_words("  ", &line, "    ", columns()) };
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    let summary = super::summary(section);
    if !summary.is_empty() {
        let _ = writeln!(out, "Summary");
        for line in summary {
            let lead = line.len() - line.trim_start().len();
            let first = " ".repeat(2 + lead);
            let lines = if wide || width(&line) + 2 <= columns() {
                vec![format!("  {line}")]
            } else {
                wrap_words(&first, line.trim_start(), &format!("{first}    "), columns())
            };
            for line in lines {
                let _ = writeln!(out, "{line}");
            }
        }
    }
    super::latency::render_terminal(out, section, wide);
}

/// The terminal exporter: what bench and report print on stdout.
pub struct Terminal {
    /// Every column of the table and the findings' details (`--wide`).
    pub wide: bool,
}

impl super::Exporter for Terminal {
    fn file_name(&self) -> Option<&'static str> {
        None
    }
    fn serialize(&self, results: &Results) -> anyhow::Result<Vec<u8>> {
        Ok(render(results, self.wide).into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_results;
    use crate::render::text::WIDTH;

    #[test]
    fn the_report_shows_tables_failures_and_summary() {
        let text = super::render(&sample_results(), false);
        assert!(text.contains("machine: Test CPU · 2 logical cores (1 physical)"), "{text}");
        assert!(text.contains("commit: 0123456789ab (dirty)"));
        assert!(text.contains("order shuffled with --seed 42"));
        assert!(text.contains("Workload 10 x 100,000"));
        assert!(text.contains("TIMEOUT"));
        assert!(text.contains("flume-bounded on sync (threads) (timeout): killed after 300 s (--timeout)"));
        assert!(text.contains("Summary\n  atomic · threads ran"), "{text}");
        assert!(text.contains("runtimes: threads = sync (threads) · tokio-mt/2 = tokio (multi-thread, 2 workers)"));
        assert!(text.lines().all(|l| width(l) <= WIDTH), "{text}");
        let answer = text.lines().position(|l| l.starts_with("Answer")).unwrap();
        assert!(answer < text.lines().position(|l| l.starts_with("Workload")).unwrap(), "the answer first: {text}");
    }

    #[test]
    fn wide_keeps_every_column() {
        let text = super::render(&sample_results(), true);
        assert!(text.contains("spread in / between") && text.contains("20.0 MiB"), "{text}");
        assert!(text.lines().any(|l| width(l) > WIDTH));
    }

    #[test]
    fn long_header_lines_wrap_at_their_joints() {
        let mut results = sample_results();
        if let Some(m) = results.machine.as_mut() {
            m.crates = (0..30).map(|i| (format!("some-crate-{i}"), vec!["1.0.0".to_string()])).collect();
        }
        let lines = header(&results, false);
        assert!(lines.iter().all(|l| width(l) <= WIDTH), "{lines:#?}");
        let crates = lines.iter().position(|l| l.starts_with("crates: ")).unwrap();
        assert!(lines[crates + 1].starts_with("    some-crate-"), "{lines:#?}");
    }
}
