//! Findings: rules that turn a run's sections into plain statements, each
//! with its verdict first and how sure it is, so a report answers the
//! questions the suite exists for before it shows a table. A rule whose
//! cells are not in the run says nothing. No rule claims a difference the
//! data do not support: where the 95% interval of two cells' ratio
//! (Welch's test on their process medians) holds 1, the finding says
//! "can't be told apart". A cell where no contention happened (each
//! consumer took its numbers in one go) is marked `~` wherever it is named.
//!
//! In the terminal a finding is one line of at most [`LINE_MAX`] columns
//! ([`Finding::line`]); report.md and report.html add its details (each
//! cell's ns per number and interval, [`Finding::body`]). Which family is
//! fastest is the answer block's question (`render::answer`), and std-mpsc
//! and the single-thread baseline are reference lines there, so no finding
//! repeats them.

use crate::cells::{self, Cell, runtimes};
use crate::collate::Section;
use crate::frontier::Among;
use crate::units::{figures as num, thousands};
use dispenser_core::evidence::{self, Ratio, Winner};
use dispenser_core::{Family, Workload};

/// The longest a finding's terminal line may be, in characters.
pub const LINE_MAX: usize = 160;

/// One statement drawn from the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Where it holds: a workload (`10 x 100,000`), [`ACROSS`] or, for what
    /// limits every finding, empty. Reports print a heading per group.
    pub group: String,
    /// The question it answers, e.g. `best channel on tokio-mt/2`.
    pub topic: String,
    /// The verdict in plain words, said first: `3.29× faster [3.08–3.51],
    /// clear`, `can't be told apart [0.95–1.06]`, `mixed`, `note`.
    pub verdict: String,
    /// The answer in short: the cells, each runtime named once.
    pub text: String,
    /// What backs it: each cell's ns per number with its interval (report.md
    /// and report.html only); may be empty.
    pub detail: String,
    /// How sure: whether the pairwise test separates the cells compared.
    pub sure: Sure,
}

/// How far the evidence carries a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sure {
    /// The 95% interval of the cells' ratio excludes 1.
    Separated,
    /// It holds 1: the data cannot order the cells.
    Tied,
    /// The leaders cannot be separated, so they are named together.
    TiedAtTop,
    /// Several comparisons, some separated and some tied (counted in the text).
    Mixed,
    /// Not a comparison: what limits every other finding.
    Caveat,
    /// A trade-off of two costs: the speed claim carries its own interval,
    /// the CPU figures are medians over processes.
    Tradeoff,
}

impl Finding {
    /// `verdict · topic: text`, on one line of at most [`LINE_MAX`]
    /// characters (cut with `…` in the rare case a name is that long).
    pub fn line(&self) -> String {
        let line = format!("{} · {}: {}", self.verdict, self.topic, self.text);
        if line.chars().count() <= LINE_MAX {
            return line;
        }
        let mut cut: String = line.chars().take(LINE_MAX - 1).collect();
        cut.push('…');
        cut
    }

    /// `verdict: text; detail`: the finding without its topic, in full.
    pub fn body(&self) -> String {
        match self.detail.is_empty() {
            true => format!("{}: {}", self.verdict, self.text),
            false => format!("{}: {}; {}", self.verdict, self.text, self.detail),
        }
    }
}

/// The group of the findings that compare workloads.
pub const ACROSS: &str = "across workloads";

/// The words of a ratio `slow / fast` (at least 1), verdict first:
/// `3.29× faster [3.08–3.51], clear` when its 95% interval excludes 1,
/// `can't be told apart [0.95–1.06]` when it holds 1.
pub fn verdict_words(r: &Ratio) -> String {
    let iv = format!("[{}–{}]", num(r.interval.lo), num(r.interval.hi));
    if r.separates() { format!("{}× faster {iv}, clear", num(r.point)) } else { format!("can't be told apart {iv}") }
}

/// The plain verdict of a ratio, without its figures: `clear` or `can't be told apart`.
fn sure_of(r: Option<&Ratio>) -> Sure {
    if r.is_some_and(Ratio::separates) { Sure::Separated } else { Sure::Tied }
}

/// Every finding of a run, workload by workload, then across workloads.
pub fn findings(sections: &[Section]) -> Vec<Finding> {
    let per_workload: Vec<(Workload, Vec<Cell>)> = sections.iter().map(|s| (s.workload, cells::cells(s))).collect();
    let mut out = Vec::new();
    out.extend(one_process(&per_workload));
    for (w, cells) in &per_workload {
        let at = |topic: &str| (label(*w), topic.to_string());
        for runtime in runtimes(cells) {
            let short = short_of(cells, &runtime);
            out.extend(best_channel(cells, &runtime).map(|f| retopic(f, at(&format!("best channel on {short}")))));
        }
        for runtime in runtimes(cells).into_iter().filter(|r| !is_threads(r, cells)) {
            let short = short_of(cells, &runtime);
            out.extend(
                mutex_vs_channel(cells, &runtime).map(|f| retopic(f, at(&format!("lock or channel on {short}")))),
            );
        }
        out.extend(bounded_vs_unbounded(cells).map(|f| retopic(f, at("bounded or unbounded"))));
        out.extend(threads_vs_tasks(cells).map(|f| retopic(f, at("threads or tasks for a round trip"))));
        out.extend(
            actor_vs_round_trip(cells).map(|(f, short)| retopic(f, at(&format!("actor or round trip on {short}")))),
        );
        out.extend(
            pair(cells, "parking_lot-mutex", "std-mutex", true)
                .map(|f| retopic(f, at("parking_lot or std Mutex on threads"))),
        );
        out.extend(postage(cells).map(|(f, short)| retopic(f, at(&format!("postage on {short}")))));
        for (among, topic) in
            [(Among::Sharing, "speed against CPU"), (Among::RoundTrips, "speed against CPU, round trips")]
        {
            out.extend(crate::frontier::finding(cells, among).map(|text| retopic(tradeoff(text), at(topic))));
        }
        out.extend(modes(cells).map(|f| retopic(f, at("modes"))));
    }
    out.extend(consumers(&per_workload));
    out
}

/// Unstable cells whose processes split into two modes: a property of the
/// primitive or the runtime on this machine (a work-stealing executor that
/// sometimes keeps producer and consumer on one worker), to report rather
/// than average away. The widest split is named; every one is in the detail.
fn modes(cells: &[Cell]) -> Option<Finding> {
    let split: Vec<(&Cell, [evidence::Mode; 2])> = cells
        .iter()
        .filter(|c| c.estimate.unstable)
        .filter_map(|c| Some((c, evidence::modes(&c.samples_per_number())?)))
        .collect();
    let describe = |c: &Cell, [fast, slow]: [evidence::Mode; 2]| {
        format!(
            "{}: {} processes at {} ns/number, {} at {}",
            c.short_name(),
            fast.processes,
            num(fast.point),
            slow.processes,
            num(slow.point)
        )
    };
    let (widest, m) =
        split.iter().max_by(|a, b| (a.1[1].point / a.1[0].point).total_cmp(&(b.1[1].point / b.1[0].point)))?;
    Some(Finding {
        group: String::new(),
        topic: String::new(),
        verdict: "note".into(),
        text: format!(
            "{} cell{} split into modes; widest {}",
            split.len(),
            if split.len() == 1 { "" } else { "s" },
            describe(widest, *m)
        ),
        detail: split.iter().map(|(c, m)| describe(c, *m)).collect::<Vec<_>>().join("; "),
        sure: Sure::Caveat,
    })
}

/// When some cell ran in one process only, its interval comes from that
/// process's samples and cannot see process-to-process modes: say so first.
fn one_process(per_workload: &[(Workload, Vec<Cell>)]) -> Option<Finding> {
    let all: Vec<&Cell> = per_workload.iter().flat_map(|(_, c)| c).collect();
    let single = all.iter().filter(|c| c.estimate.processes == 1).count();
    (single > 0).then(|| Finding {
        group: String::new(),
        topic: "evidence".into(),
        verdict: "note".into(),
        text: format!(
            "{single} of {} cells ran in one process: their intervals miss process-to-process variation",
            all.len()
        ),
        detail: "more processes per cell (--processes) make \"clear\" mean more".into(),
        sure: Sure::Caveat,
    })
}

/// A trade-off finding (speed against CPU, from `crate::frontier`).
fn tradeoff(text: String) -> Finding {
    Finding {
        group: String::new(),
        topic: String::new(),
        verdict: "trade-off".into(),
        text,
        detail: "speed with its 95% interval, CPU as medians over processes".into(),
        sure: Sure::Tradeoff,
    }
}

fn retopic(mut f: Finding, (group, topic): (String, String)) -> Finding {
    f.group = group;
    f.topic = topic;
    f
}

/// The heading reports print over a group: `Workload 10 x 100,000`,
/// `Across workloads`; none for the ungrouped caveats that come first.
pub fn heading(group: &str) -> Option<String> {
    match group {
        "" => None,
        ACROSS => Some("Across workloads".into()),
        workload => Some(format!("Workload {workload}")),
    }
}

/// The findings in runs of one group, in order: `(group, findings)`.
pub fn grouped(findings: &[Finding]) -> Vec<(&str, Vec<&Finding>)> {
    let mut out: Vec<(&str, Vec<&Finding>)> = Vec::new();
    for f in findings {
        match out.last_mut() {
            Some((group, list)) if *group == f.group => list.push(f),
            _ => out.push((&f.group, vec![f])),
        }
    }
    out
}

/// `10 x 100,000`.
fn label(w: Workload) -> String {
    format!("{} x {}", thousands(w.consumers as u64), thousands(w.per_consumer as u64))
}

/// The short label of a runtime (long label) among `cells`.
fn short_of(cells: &[Cell], runtime: &str) -> String {
    cells.iter().find(|c| c.runtime() == runtime).map_or_else(|| runtime.to_string(), Cell::short_runtime)
}

/// A cell as a finding names it: the variant, with its runtime unless the
/// topic already names it, and `~` when no contention happened.
fn named(c: &Cell, with_runtime: bool) -> String {
    let name = if with_runtime { c.short_name() } else { c.variant().to_string() };
    if c.uncontended() { format!("{name} (~ no contention)") } else { name }
}

/// `atomic · threads 3.80 [3.70–3.90] ns`: a cell's figure for the details.
fn figure(c: &Cell) -> String {
    let iv = c.interval_per_number();
    format!("{} {} [{}–{}] ns/number", c.short_name(), num(c.ns_per_number()), num(iv.lo), num(iv.hi))
}

/// The two cells compared, faster first: the verdict of their ratio, `X
/// over Y` when it separates them and `X and Y` when it cannot, and both
/// figures as the detail.
fn compare(a: &Cell, b: &Cell, with_runtime: bool) -> Finding {
    let (fast, slow) = if a.estimate.point <= b.estimate.point { (a, b) } else { (b, a) };
    let r = cells::ratio(fast, slow);
    let sure = sure_of(r.as_ref());
    let verdict = r.as_ref().map_or_else(|| "can't be told apart".to_string(), verdict_words);
    let joint = if sure == Sure::Separated { "over" } else { "and" };
    let text = format!("{} {joint} {}", named(fast, with_runtime), named(slow, with_runtime));
    Finding { group: String::new(), topic: String::new(), verdict, text, detail: details(&[fast, slow]), sure }
}

/// The figures of `cells`, for the details.
fn details(cells: &[&Cell]) -> String {
    cells.iter().map(|c| figure(c)).collect::<Vec<_>>().join(", ")
}

/// The fastest cell matching `keep`, if any (cells come fastest first).
fn best<'c, 'a>(cells: &'c [Cell<'a>], keep: impl Fn(&Cell) -> bool) -> Option<&'c Cell<'a>> {
    cells.iter().find(|c| keep(c))
}

/// True when `runtime` runs consumers on OS threads (no executor workers).
fn is_threads(runtime: &str, cells: &[Cell]) -> bool {
    cells.iter().any(|c| c.runtime() == runtime && c.record.executor.workers.is_none())
}

/// The best channel on `runtime` against the runner-up, or the channels
/// tied for the lead named together.
fn best_channel(cells: &[Cell], runtime: &str) -> Option<Finding> {
    let channels: Vec<&Cell> =
        cells.iter().filter(|c| c.family() == Family::Channel && c.runtime() == runtime).collect();
    if channels.len() < 2 {
        // One channel is no answer to "which channel".
        return None;
    }
    let processes: Vec<Vec<Vec<f64>>> = channels.iter().map(|c| c.processes.samples_by_process()).collect();
    let estimates: Vec<_> = channels.iter().map(|c| c.estimate).collect();
    match evidence::winner(&processes, &estimates)? {
        Winner::Single(i) => {
            let top = channels[i];
            let second = channels.iter().find(|c| !std::ptr::eq(**c, top))?;
            Some(compare(top, second, false))
        }
        Winner::Tied(ids) => {
            let lead: Vec<&Cell> = ids.iter().map(|&i| channels[i]).collect();
            let names: Vec<String> = lead.iter().map(|c| named(c, false)).collect();
            let shown = match names.len() {
                n if n > 3 => format!("{} and {} more", names[..3].join(", "), n - 3),
                _ => names.join(", "),
            };
            Some(Finding {
                group: String::new(),
                topic: String::new(),
                verdict: "can't be told apart".into(),
                text: format!("{shown} share the lead ({} channels)", channels.len()),
                detail: details(&lead),
                sure: Sure::TiedAtTop,
            })
        }
    }
}

/// The best lock against the best channel on the same runtime.
fn mutex_vs_channel(cells: &[Cell], runtime: &str) -> Option<Finding> {
    let on = |f: Family| best(cells, move |c| c.family() == f && c.runtime() == runtime);
    Some(compare(on(Family::Lock)?, on(Family::Channel)?, false))
}

/// Pairs `X-bounded` / `X-unbounded` on the same runtime: how many each way.
fn bounded_vs_unbounded(cells: &[Cell]) -> Option<Finding> {
    let (mut bounded, mut unbounded, mut tied) = (0, 0, 0);
    let mut widest: Option<(f64, Finding)> = None;
    for b in cells.iter().filter(|c| c.variant().ends_with("-bounded")) {
        let stem = b.variant().trim_end_matches("-bounded");
        let Some(u) = cells.iter().find(|u| u.runtime() == b.runtime() && u.variant() == format!("{stem}-unbounded"))
        else {
            continue;
        };
        let f = compare(b, u, true);
        match f.sure {
            Sure::Separated if b.estimate.point < u.estimate.point => bounded += 1,
            Sure::Separated => unbounded += 1,
            _ => tied += 1,
        }
        let gap = (b.estimate.point / u.estimate.point).ln().abs();
        if f.sure == Sure::Separated && widest.as_ref().is_none_or(|(g, _)| gap > *g) {
            widest = Some((gap, f));
        }
    }
    let pairs = bounded + unbounded + tied;
    if pairs == 0 {
        return None;
    }
    let (verdict, sure) = match (tied, bounded + unbounded) {
        (0, _) => ("clear", Sure::Separated),
        (_, 0) => ("can't be told apart", Sure::Tied),
        _ => ("mixed", Sure::Mixed),
    };
    let detail =
        widest.map(|(_, f)| format!("widest gap: {} ({}), {}", f.text, f.verdict, f.detail)).unwrap_or_default();
    Some(Finding {
        group: String::new(),
        topic: String::new(),
        verdict: verdict.into(),
        text: format!("of {pairs} pairs, bounded is faster in {bounded}, unbounded in {unbounded}, neither in {tied}"),
        detail,
        sure,
    })
}

/// The best channel round trip on OS threads against the best on tasks.
fn threads_vs_tasks(cells: &[Cell]) -> Option<Finding> {
    let threads = best(cells, |c| c.family() == Family::Channel && c.record.executor.workers.is_none())?;
    let tasks = best(cells, |c| c.family() == Family::Channel && c.record.executor.workers.is_some())?;
    Some(compare(threads, tasks, true))
}

/// The best actor (a one-shot reply per request) against the best plain
/// round trip on the same runtime and executor, so only the idiom differs:
/// what its extra allocation and hand-off cost. With the runtime's short label.
fn actor_vs_round_trip(cells: &[Cell]) -> Option<(Finding, String)> {
    let actor = best(cells, |c| c.family() == Family::Actor)?;
    let channel = best(cells, |c| c.family() == Family::Channel && c.runtime() == actor.runtime())?;
    Some((compare(actor, channel, false), actor.short_runtime()))
}

/// Variant `a` against variant `b` on the same runtime (OS threads only when
/// `threads`), the first runtime that has both.
fn pair(cells: &[Cell], a: &str, b: &str, threads: bool) -> Option<Finding> {
    let x = cells.iter().find(|c| c.variant() == a && (!threads || c.record.executor.workers.is_none()))?;
    let y = cells.iter().find(|c| c.variant() == b && c.runtime() == x.runtime())?;
    Some(compare(x, y, false))
}

/// postage's mpsc against the best other channel on its runtime.
fn postage(cells: &[Cell]) -> Option<(Finding, String)> {
    let p = cells.iter().find(|c| c.variant().starts_with("postage"))?;
    let other = best(cells, |c| {
        c.family() == Family::Channel && c.runtime() == p.runtime() && !c.variant().starts_with("postage")
    })?;
    Some((compare(p, other, false), p.short_runtime()))
}

/// Per runtime, its best cell (baseline aside) at the fewest and at the most
/// consumers, in ns per number, so the two workloads compare.
fn consumers(per_workload: &[(Workload, Vec<Cell>)]) -> Vec<Finding> {
    let (Some((few, few_cells)), Some((many, many_cells))) = (per_workload.first(), per_workload.last()) else {
        return Vec::new();
    };
    if few.consumers == many.consumers {
        return Vec::new();
    }
    let (n_few, n_many) = (thousands(few.consumers as u64), thousands(many.consumers as u64));
    let mut out = Vec::new();
    for runtime in runtimes(few_cells) {
        let sharing = |c: &Cell| c.runtime() == runtime && !matches!(c.family(), Family::Baseline | Family::Unknown);
        let (Some(a), Some(b)) = (best(few_cells, sharing), best(many_cells, sharing)) else { continue };
        let Some(r) = cells::ratio(a, b) else { continue };
        let iv = |lo: f64, hi: f64| format!("[{}–{}]", num(lo), num(hi));
        // Can't be told apart as everywhere else: the pairwise test cannot separate them.
        let (verdict, sure) = if !r.separates() {
            (format!("can't be told apart {}", iv(r.interval.lo, r.interval.hi)), Sure::Tied)
        } else if r.point > 1.0 {
            (format!("{}× more per number {}, clear", num(r.point), iv(r.interval.lo, r.interval.hi)), Sure::Separated)
        } else {
            let less =
                format!("{}× less per number {}", num(1.0 / r.point), iv(1.0 / r.interval.hi, 1.0 / r.interval.lo));
            (format!("{less}, clear"), Sure::Separated)
        };
        out.push(Finding {
            group: ACROSS.into(),
            topic: format!("{n_few} or {n_many} consumers on {}", a.short_runtime()),
            verdict,
            text: format!(
                "best cell {} ns ({}) at {n_few}, {} ns ({}) at {n_many}",
                num(a.ns_per_number()),
                named(a, false),
                num(b.ns_per_number()),
                named(b, false),
            ),
            detail: details(&[a, b]),
            sure,
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::sections;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Executor, Record};

    fn on(mut r: Record, runtime: &str, flavor: &str, workers: Option<usize>) -> Record {
        r.runtime = runtime.into();
        r.executor = Executor { flavor: flavor.into(), workers };
        r
    }

    /// Three processes of a cell around `ns` (each process 1% apart).
    fn cell(runtime: &str, variant: &str, w: Workload, ns: u64) -> Vec<Record> {
        (0..3u64)
            .map(|p| {
                let base = ns + ns * p / 100;
                let r = record("sync", variant, w, &[base, base + ns / 200, base + ns / 100]);
                if runtime == "sync" { r } else { on(r, runtime, "multi-thread", Some(2)) }
            })
            .collect()
    }

    fn run(cells: Vec<Vec<Record>>) -> Vec<Finding> {
        let results = Results::new(RunInfo::default(), None, cells.into_iter().flatten().collect());
        findings(&sections(&results))
    }

    fn about<'f>(fs: &'f [Finding], topic: &str) -> &'f Finding {
        fs.iter().find(|f| f.topic.starts_with(topic)).unwrap_or_else(|| panic!("no {topic} in {fs:#?}"))
    }

    #[test]
    fn a_clear_win_is_a_win_and_overlapping_cells_are_tied() {
        let w = Workload::FEW;
        let fs = run(vec![
            cell("sync", "single-thread", w, 1_000_000),
            cell("sync", "atomic", w, 4_000_000),
            cell("sync", "std-mutex", w, 40_000_000),
            // parking_lot within 0.5% of std: tied.
            cell("sync", "parking_lot-mutex", w, 40_200_000),
            cell("sync", "crossbeam-bounded", w, 900_000_000),
            cell("sync", "std-mpsc", w, 9_000_000_000),
        ]);
        assert!(fs.iter().all(|f| !f.topic.contains("family")), "the answer block says which family wins: {fs:#?}");
        let lock = about(&fs, "parking_lot or std Mutex");
        assert_eq!(lock.sure, Sure::Tied);
        assert!(lock.verdict.starts_with("can't be told apart ["), "{lock:?}");
        assert_eq!(lock.text, "std-mutex and parking_lot-mutex");
        assert!(lock.line().starts_with("can't be told apart ["), "the verdict first: {}", lock.line());
        let channel = about(&fs, "best channel on threads");
        assert_eq!(channel.sure, Sure::Separated);
        assert!(channel.verdict.starts_with("10.0× faster [") && channel.verdict.ends_with("], clear"), "{channel:?}");
        assert_eq!(channel.text, "crossbeam-bounded over std-mpsc");
        assert!(channel.detail.contains("crossbeam-bounded · threads 913 ["), "{}", channel.detail);
    }

    #[test]
    fn runtimes_bounds_threads_and_consumers() {
        let (few, many) = (Workload::FEW, Workload::MANY);
        let fs = run(vec![
            cell("sync", "crossbeam-bounded", few, 900_000_000),
            cell("sync", "crossbeam-unbounded", few, 903_000_000),
            cell("tokio", "flume-bounded", few, 300_000_000),
            cell("tokio", "flume-unbounded", few, 200_000_000),
            cell("tokio", "tokio-mutex", few, 100_000_000),
            cell("tokio", "postage-mpsc", few, 600_000_000),
            cell("tokio", "oneshot-actor", few, 450_000_000),
            cell("tokio", "tokio-mutex", many, 400_000_000),
            cell("sync", "crossbeam-bounded", many, 3_000_000_000),
            // The same cost per number at 10 and at 1,000 consumers: tied.
            cell("sync", "atomic", few, 4_000_000),
            cell("sync", "atomic", many, 4_010_000),
        ]);
        let b = about(&fs, "bounded or unbounded");
        assert_eq!(b.group, "10 x 100,000");
        assert_eq!((b.sure, b.verdict.as_str()), (Sure::Mixed, "mixed"));
        assert_eq!(b.text, "of 2 pairs, bounded is faster in 0, unbounded in 1, neither in 1");
        assert!(b.detail.starts_with("widest gap: flume-unbounded · tokio-mt/2 over flume-bounded"), "{}", b.detail);
        assert_eq!(about(&fs, "lock or channel on tokio-mt/2").sure, Sure::Separated);
        let tasks = about(&fs, "threads or tasks");
        assert_eq!(tasks.text, "flume-unbounded · tokio-mt/2 over crossbeam-bounded · threads");
        let actor = about(&fs, "actor or round trip on tokio-mt/2");
        assert_eq!(actor.sure, Sure::Separated, "{actor:?}");
        assert_eq!(actor.text, "flume-unbounded over oneshot-actor");
        assert_eq!(about(&fs, "postage on tokio-mt/2").text, "flume-unbounded over postage-mpsc");
        let scale = about(&fs, "10 or 1,000 consumers on tokio-mt/2");
        assert!(scale.verdict.starts_with("4.00× more per number ["), "{}", scale.verdict);
        let flat = about(&fs, "10 or 1,000 consumers on threads");
        assert_eq!((flat.sure, flat.group.as_str()), (Sure::Tied, ACROSS), "{flat:?}");
        assert_eq!(flat.text, "best cell 4.06 ns (atomic) at 10, 4.07 ns (atomic) at 1,000");
        // The two crossbeam channels on threads tie at the top.
        let threads = fs.iter().find(|f| f.topic == "best channel on threads" && f.group == "10 x 100,000");
        assert_eq!(threads.map(|f| f.sure), Some(Sure::TiedAtTop), "{fs:#?}");
        assert_eq!(threads.unwrap().text, "crossbeam-bounded, crossbeam-unbounded share the lead (2 channels)");
        let groups: Vec<&str> = grouped(&fs).into_iter().map(|(g, _)| g).collect();
        assert_eq!(groups, ["10 x 100,000", ACROSS]);
        assert!(fs.len() >= 5);
        for f in &fs {
            assert!(!f.line().contains('\n') && f.line().chars().count() <= LINE_MAX, "{}", f.line());
        }
    }

    #[test]
    fn a_cell_without_contention_is_marked_wherever_it_is_named() {
        let w = Workload::FEW;
        let mut cells =
            vec![cell("tokio", "tokio-mutex", w, 100_000_000), cell("tokio", "flume-bounded", w, 300_000_000)];
        // Each task took its 100,000 numbers in one go.
        for r in &mut cells[0] {
            r.fairness = Some(dispenser_core::fairness::Fairness {
                mean_run: 100_000.0,
                longest_run: 100_000,
                handoff_share: 0.0,
                finish_spread: None,
            });
        }
        let fs = run(cells);
        let f = about(&fs, "lock or channel on tokio-mt/2");
        assert_eq!(f.text, "tokio-mutex (~ no contention) over flume-bounded");
    }

    #[test]
    fn a_long_finding_is_cut_to_its_line() {
        let f = Finding {
            group: String::new(),
            topic: "t".into(),
            verdict: "clear".into(),
            text: "x".repeat(300),
            detail: String::new(),
            sure: Sure::Separated,
        };
        assert_eq!(f.line().chars().count(), LINE_MAX);
        assert!(f.line().ends_with('…') && f.body().len() > 300);
    }

    #[test]
    fn a_question_without_data_is_skipped() {
        let fs = run(vec![cell("sync", "atomic", Workload::QUICK, 1_000)]);
        assert!(fs.is_empty(), "{fs:#?}");
        let one = run(vec![vec![record("sync", "atomic", Workload::QUICK, &[1, 2, 3])]]);
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].topic.as_str(), one[0].sure), ("evidence", Sure::Caveat));
        assert!(one[0].line().starts_with("note · evidence: 1 of 1 cells ran in one process"), "{}", one[0].line());
    }
}
