//! report.md: the same tables in Markdown, for pasting into an issue.

use super::text::md_escape as escape;
use super::{HEADER, NUMERIC, Section};
use crate::results::Results;
use anyhow::Result;
use std::fmt::Write;

/// Renders the whole report as Markdown.
pub fn render(results: &Results) -> String {
    let mut out = String::from("# dispenser-bench report\n\n");
    for line in super::header(results) {
        let _ = writeln!(out, "- {}", escape(&line));
    }
    let sections = super::sections(results);
    let answers = super::answer::answers(&sections);
    let legend = crate::cells::runtime_legend(&results.records);
    super::answer::render_markdown(&mut out, &answers, &legend);
    render_findings(&mut out, &sections);
    if sections.is_empty() {
        out.push_str("\nNo cell finished.\n");
    }
    for section in &sections {
        render_section(&mut out, section);
    }
    out.push_str("\n## Columns\n\n");
    for (name, meaning) in super::COLUMN_NOTES.iter().chain(&super::fairness::NOTES) {
        let _ = writeln!(out, "- **{name}**: {}", escape(meaning));
    }
    out
}

fn render_section(out: &mut String, section: &Section) {
    let _ = writeln!(out, "\n## {}\n", super::title(section));
    for note in &section.notes {
        let _ = writeln!(out, "{}\n", escape(note));
    }
    let _ = writeln!(out, "| {} |", HEADER.join(" | "));
    let rule: Vec<&str> = NUMERIC.iter().map(|&n| if n { "---:" } else { "---" }).collect();
    let _ = writeln!(out, "|{}|", rule.join("|"));
    let rows =
        section.rows.iter().map(super::row_cells).chain(section.unranked.iter().map(|r| super::unranked_cells(r)));
    for cells in rows {
        let cells: Vec<String> = cells.iter().map(|c| escape(c)).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
    }
    if !section.unranked.is_empty() {
        out.push_str("\nNot ranked:\n\n");
        for r in &section.unranked {
            let _ = writeln!(out, "- {}", escape(&super::failure_line(r)));
        }
    }
    let summary = super::summary(section);
    if !summary.is_empty() {
        // Inside the fence HTML is inert; only a line break in a name could end a line early.
        let lines: Vec<String> = summary.iter().map(|l| l.replace(['\r', '\n'], " ")).collect();
        let _ = writeln!(out, "\n```text\n{}\n```", lines.join("\n"));
    }
    super::matrix::render_markdown(out, section);
    super::fairness::render_markdown(out, section);
    super::latency::render_markdown(out, section);
}

/// `## Findings`: what the rules drew from the data, before any table.
fn render_findings(out: &mut String, sections: &[Section]) {
    let findings = crate::findings::findings(sections);
    if findings.is_empty() {
        return;
    }
    out.push_str("\n## Findings\n");
    for (group, list) in crate::findings::grouped(&findings) {
        match crate::findings::heading(group) {
            Some(h) => {
                let _ = writeln!(out, "\n### {}\n", escape(&h));
            }
            None => out.push('\n'),
        }
        for f in list {
            let _ = writeln!(out, "- {} · **{}**: {}", escape(&f.verdict), escape(&f.topic), escape(&f.text));
            if !f.detail.is_empty() {
                let _ = writeln!(out, "  Details: {}.", escape(&f.detail));
            }
        }
    }
}

/// The report.md exporter.
pub struct Markdown;

impl super::Exporter for Markdown {
    fn file_name(&self) -> Option<&'static str> {
        Some("report.md")
    }
    fn serialize(&self, results: &Results) -> Result<Vec<u8>> {
        Ok(render(results).into_bytes())
    }
}

#[cfg(test)]
mod tests {
    use crate::render::tests::sample_results;

    #[test]
    fn every_table_row_has_every_column() {
        let md = super::render(&sample_results());
        // Every table (ranked, matrix, fairness) keeps its header's width.
        let mut width = 0;
        let mut rows = 0;
        for line in md.lines() {
            if !line.starts_with('|') {
                width = 0;
                continue;
            }
            let unescaped_pipes = line.matches('|').count() - line.matches("\\|").count();
            if width == 0 {
                width = unescaped_pipes;
            }
            assert_eq!(unescaped_pipes, width, "{line}");
            rows += 1;
        }
        assert!(rows >= 2 * 3);
        assert!(md.contains(&format!("| {} |", super::HEADER.join(" | "))));
        assert!(md.contains("## Workload 1,000 x 1,000"));
        assert!(md.contains("```text\natomic · threads ran"), "{md}");
        assert!(md.find("## Answer").unwrap() < md.find("## Workload").unwrap());
    }
}
