//! The answer block that opens every report: per workload, one line per
//! family (its best cell, ns per number with the 95% interval, and how it
//! compares with the next family's best), the verdict first in plain words,
//! each cell named once with its runtime's short label. Cells where no
//! contention happened (each consumer took its numbers in one go, see
//! [`crate::cells::uncontended`]) never answer the contended question: a
//! family is represented by its best contended cell, a faster uncontended
//! cell gets a `~` line of its own below it, and a family with no contended
//! cell at all is marked `~`. The single-thread baseline (the floor) and
//! std's mpsc on threads (what most code starts from) are reference lines.

use super::text::{columns, html_escape, md_escape, pad, width, wrap_words};
use crate::cells::{self, Cell};
use crate::collate::Section;
use crate::findings::verdict_words;
use crate::results::FAMILY_ORDER;
use crate::units::{figures as num, thousands};
use dispenser_core::Family;
use std::fmt::Write;

/// What the block is, under its `Answer` heading.
pub const CAPTION: &str = "each family's best cell, ns per number [95% interval], against the next family's best";

/// What `~` means, under the block when a line carries it.
pub const NO_CONTENTION: &str = "~ no contention: each consumer took its numbers in one go (mean run ≥ T/2), \
                                 so the cell does not answer the contended question";

/// One line of a workload's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// `atomic`, `lock`…; `baseline` and `std-mpsc` for the reference
    /// lines; empty for the `~` line under a family.
    pub label: String,
    /// The verdict in words: `3.29× faster [3.08–3.51], clear`,
    /// `can't be told apart [0.95–1.06]`, `slowest family`…
    pub verdict: String,
    /// ns per number with its interval: `3.80 [3.70–3.90]`.
    pub figure: String,
    /// The cell: `atomic · threads`, with ` ~` when no contention happened.
    pub cell: String,
    /// True when the line carries `~`.
    pub uncontended: bool,
}

/// A workload's answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// `4 x 10,000`.
    pub workload: String,
    /// The families, fastest first, then the reference lines.
    pub lines: Vec<Line>,
}

/// The answers of a run, one per workload with a ranked cell.
pub fn answers(sections: &[Section]) -> Vec<Answer> {
    sections.iter().filter_map(answer).collect()
}

/// `3.80 [3.70–3.90]`: a cell's ns per number and its interval.
fn figure(c: &Cell) -> String {
    let iv = c.interval_per_number();
    format!("{} [{}–{}]", num(c.ns_per_number()), num(iv.lo), num(iv.hi))
}

/// The cell as the answer names it.
fn cell_line(label: &str, verdict: String, c: &Cell) -> Line {
    let uncontended = c.uncontended();
    let cell = if uncontended { format!("{} ~", c.short_name()) } else { c.short_name() };
    Line { label: label.into(), verdict, figure: figure(c), cell, uncontended }
}

/// One workload's answer; `None` without a ranked cell.
pub fn answer(section: &Section) -> Option<Answer> {
    let cells = cells::cells(section);
    if cells.is_empty() {
        return None;
    }
    // Each family's representative: its best contended cell, or its best
    // cell when none was contended; and any faster uncontended cell.
    let mut families: Vec<(Family, &Cell, Option<&Cell>)> = Vec::new();
    for family in FAMILY_ORDER.into_iter().filter(|f| *f != Family::Baseline) {
        let ours: Vec<&Cell> = cells.iter().filter(|c| c.family() == family).collect();
        let Some(&first) = ours.first() else { continue };
        let rep = ours.iter().copied().find(|c| !c.uncontended()).unwrap_or(first);
        let faster_uncontended = (!std::ptr::eq(rep, first)).then_some(first);
        families.push((family, rep, faster_uncontended));
    }
    families.sort_by(|a, b| a.1.estimate.point.total_cmp(&b.1.estimate.point));
    let mut lines = Vec::new();
    for (i, (family, rep, faster)) in families.iter().enumerate() {
        let verdict = match families.get(i + 1) {
            Some((_, next, _)) => cells::ratio(rep, next).map_or_else(|| "no interval".into(), |r| verdict_words(&r)),
            None if families.len() == 1 => "the only family".into(),
            None => "slowest family".into(),
        };
        lines.push(cell_line(family.as_str(), verdict, rep));
        if let Some(u) = faster {
            lines.push(cell_line("", "~ faster, without contention".into(), u));
        }
    }
    if let Some(floor) = cells.iter().find(|c| c.family() == Family::Baseline) {
        lines.push(cell_line("baseline", "the floor, no sharing".into(), floor));
    }
    let mpsc = cells.iter().find(|c| c.variant() == "std-mpsc" && c.record.executor.workers.is_none());
    let best_channel = families.iter().find(|(f, ..)| *f == Family::Channel).map(|(_, rep, _)| *rep);
    if let (Some(mpsc), Some(best)) = (mpsc, best_channel)
        && !std::ptr::eq(mpsc, best)
    {
        let verdict = match cells::ratio(best, mpsc) {
            Some(r) if r.separates() => {
                format!("{}× the best channel [{}–{}]", num(r.point), num(r.interval.lo), num(r.interval.hi))
            }
            Some(r) => {
                format!("can't be told apart from the best channel [{}–{}]", num(r.interval.lo), num(r.interval.hi))
            }
            None => "no interval".into(),
        };
        lines.push(cell_line("std-mpsc", verdict, mpsc));
    }
    let w = section.workload;
    Some(Answer {
        workload: format!("{} x {}", thousands(w.consumers as u64), thousands(w.per_consumer as u64)),
        lines,
    })
}

/// The widest verdict the columns are laid out for; a longer one (rare:
/// std-mpsc tied with the best channel) pushes its own line's figure right.
const VERDICT_MAX: usize = 34;

/// The block as terminal text: `Answer`, then per workload its lines in
/// aligned columns within [`super::text::WIDTH`] (a line that would be wider puts its
/// cell on the next line).
pub fn render_terminal(out: &mut String, answers: &[Answer]) {
    if answers.is_empty() {
        return;
    }
    for line in wrap_words("", &format!("Answer: {CAPTION}"), "  ", columns()) {
        let _ = writeln!(out, "{line}");
    }
    for a in answers {
        let _ = writeln!(out, "  Workload {}", a.workload);
        // Columns fit the family lines; a longer reference line pushes its own cell right.
        let col = |f: fn(&Line) -> &str| a.lines.iter().map(|l| width(f(l))).max().unwrap_or(0);
        let vw = a.lines.iter().map(|l| width(&l.verdict)).filter(|&w| w <= VERDICT_MAX).max().unwrap_or(0);
        let (lw, fw) = (col(|l| &l.label), col(|l| &l.figure));
        for l in &a.lines {
            let head = format!("    {}  {}  {}", pad(&l.label, lw), pad(&l.verdict, vw), pad(&l.figure, fw));
            let full = format!("{head}  {}", l.cell);
            if width(&full) <= columns() {
                let _ = writeln!(out, "{full}");
            } else {
                let _ = writeln!(out, "{}", head.trim_end());
                let _ = writeln!(out, "{}{}", " ".repeat(6 + lw), l.cell);
            }
        }
    }
    if answers.iter().flat_map(|a| &a.lines).any(|l| l.uncontended) {
        for line in wrap_words("  ", NO_CONTENTION, "    ", columns()) {
            let _ = writeln!(out, "{line}");
        }
    }
}

/// The block as Markdown: `## Answer`, a table per workload.
pub fn render_markdown(out: &mut String, answers: &[Answer], legend: &[String]) {
    if answers.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## Answer\n\n{}.", capitalised(CAPTION));
    for a in answers {
        let _ = writeln!(out, "\n**Workload {}**\n", a.workload);
        out.push_str("| family | verdict | ns/number [95%] | best cell |\n|---|---|---:|---|\n");
        for l in &a.lines {
            let cells = [&l.label, &l.verdict, &l.figure, &l.cell].map(|c| md_escape(c));
            let _ = writeln!(out, "| {} |", cells.join(" | "));
        }
    }
    out.push('\n');
    if answers.iter().flat_map(|a| &a.lines).any(|l| l.uncontended) {
        let _ = writeln!(out, "{}\n", md_escape(NO_CONTENTION));
    }
    if !legend.is_empty() {
        let _ = writeln!(out, "Runtimes: {}.", md_escape(&legend.join(" · ")));
    }
}

/// The block as HTML: `<h2>Answer</h2>`, a table per workload.
pub fn render_html(out: &mut String, answers: &[Answer], legend: &[String]) {
    if answers.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "<section class=\"answer\">\n<h2>Answer</h2>\n<p class=\"note\">{}.</p>",
        html_escape(&capitalised(CAPTION))
    );
    out.push_str("<div class=\"answers\">\n");
    for a in answers {
        let _ = writeln!(out, "<table class=\"answer\">\n<caption>Workload {}</caption>", html_escape(&a.workload));
        out.push_str("<thead><tr><th>family</th><th>verdict</th><th>ns/number [95%]</th><th>best cell</th></tr></thead>\n<tbody>\n");
        for l in &a.lines {
            let class = if is_reference(l) { " class=\"ref\"" } else { "" };
            let _ = writeln!(
                out,
                "<tr{class}><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{}</td></tr>",
                html_escape(&l.label),
                html_escape(&l.verdict),
                html_escape(&l.figure),
                html_escape(&l.cell)
            );
        }
        out.push_str("</tbody>\n</table>\n");
    }
    out.push_str("</div>\n");
    if answers.iter().flat_map(|a| &a.lines).any(|l| l.uncontended) {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", html_escape(NO_CONTENTION));
    }
    if !legend.is_empty() {
        let _ = writeln!(out, "<p class=\"note\">Runtimes: {}.</p>", html_escape(&legend.join(" · ")));
    }
    out.push_str("</section>\n");
}

/// A line under the families: the `~` line, the floor, std-mpsc.
fn is_reference(l: &Line) -> bool {
    l.label.is_empty() || l.label == "baseline" || l.label == "std-mpsc"
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::sections;
    use crate::render::text::WIDTH;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::fairness::Fairness;
    use dispenser_core::{Executor, Record, Workload};

    /// Three processes of a cell around `ns`, on `runtime` (`sync`, `tokio`
    /// multi-thread, `tokio-ct`), each process 1% apart.
    fn cell(runtime: &str, variant: &str, ns: u64) -> Vec<Record> {
        (0..3u64)
            .map(|p| {
                let base = ns + ns * p / 100;
                let mut r = record("sync", variant, Workload::FEW, &[base, base + ns / 200, base + ns / 100]);
                r.process = Some(p as u32);
                match runtime {
                    "tokio" => {
                        (r.runtime, r.executor) =
                            ("tokio".into(), Executor { flavor: "multi-thread".into(), workers: Some(2) })
                    }
                    "tokio-ct" => {
                        (r.runtime, r.executor) =
                            ("tokio".into(), Executor { flavor: "current-thread".into(), workers: Some(1) })
                    }
                    _ => {}
                }
                r
            })
            .collect()
    }

    fn alone(mut cell: Vec<Record>) -> Vec<Record> {
        for r in &mut cell {
            r.fairness =
                Some(Fairness { mean_run: 100_000.0, longest_run: 100_000, handoff_share: 0.0, finish_spread: None });
        }
        cell
    }

    fn answer_of(cells: Vec<Vec<Record>>) -> Answer {
        let results = Results::new(RunInfo::default(), None, cells.into_iter().flatten().collect());
        answers(&sections(&results)).remove(0)
    }

    #[test]
    fn one_line_per_family_fastest_first_with_references() {
        let a = answer_of(vec![
            cell("sync", "single-thread", 1_000_000),
            cell("sync", "atomic", 4_000_000),
            cell("sync", "std-mutex", 40_000_000),
            cell("tokio", "flume-bounded", 400_000_000),
            cell("sync", "std-mpsc", 9_000_000_000),
            cell("tokio", "oneshot-actor", 401_000_000),
        ]);
        assert_eq!(a.workload, "10 x 100,000");
        let labels: Vec<&str> = a.lines.iter().map(|l| l.label.as_str()).collect();
        assert_eq!(labels, ["atomic", "lock", "channel", "actor", "baseline", "std-mpsc"]);
        assert!(a.lines[0].verdict.starts_with("10.0× faster [") && a.lines[0].verdict.ends_with("], clear"));
        assert_eq!((a.lines[0].figure.as_str(), a.lines[0].cell.as_str()), ("4.06 [3.96–4.16]", "atomic · threads"));
        assert!(a.lines[2].verdict.starts_with("can't be told apart ["), "{:?}", a.lines[2]);
        assert_eq!(a.lines[3].verdict, "slowest family");
        assert_eq!(a.lines[4].verdict, "the floor, no sharing");
        assert!(a.lines[5].verdict.starts_with("22.5× the best channel ["), "{:?}", a.lines[5]);
        let mut text = String::new();
        render_terminal(&mut text, &[a]);
        assert!(text.starts_with("Answer: each family's best cell"), "{text}");
        assert!(text.contains("\n    atomic    10.0× faster ["), "{text}");
        assert!(text.lines().all(|l| width(l) <= WIDTH), "{text}");
        assert!(!text.contains(NO_CONTENTION));
    }

    #[test]
    fn a_cell_without_contention_never_answers_for_its_family_unmarked() {
        let a = answer_of(vec![
            alone(cell("tokio-ct", "atomic", 1_000_000)),
            cell("tokio", "atomic", 4_000_000),
            alone(cell("tokio-ct", "tokio-mutex", 2_000_000)),
            cell("tokio", "flume-bounded", 400_000_000),
        ]);
        let rows: Vec<(&str, &str)> = a.lines.iter().map(|l| (l.label.as_str(), l.cell.as_str())).collect();
        assert_eq!(
            rows,
            [
                ("lock", "tokio-mutex · tokio-ct ~"),
                ("atomic", "atomic · tokio-mt/2"),
                ("", "atomic · tokio-ct ~"),
                ("channel", "flume-bounded · tokio-mt/2"),
            ]
        );
        assert_eq!(a.lines[2].verdict, "~ faster, without contention");
        let mut text = String::new();
        render_terminal(&mut text, &[a]);
        assert!(text.contains("~ no contention: each consumer"), "{text}");
        assert!(text.lines().all(|l| width(l) <= WIDTH), "{text}");
    }

    #[test]
    fn a_line_too_wide_puts_its_cell_below() {
        let long = Line {
            label: "channel".into(),
            verdict: "can't be told apart from the best channel".into(),
            figure: "180000 [170000–190000]".into(),
            cell: "async-channel-unbounded-with-a-long-name · async-std/16".into(),
            uncontended: false,
        };
        let mut text = String::new();
        render_terminal(&mut text, &[Answer { workload: "1 x 1".into(), lines: vec![long] }]);
        assert!(text.lines().all(|l| width(l) <= WIDTH), "{text}");
        assert!(text.lines().last().unwrap().trim_start().starts_with("async-channel-unbounded"), "{text}");
    }
}
