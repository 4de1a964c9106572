//! Findings: rules that turn a run's sections into plain statements, each
//! with its numbers and how sure it is, so a report answers the question
//! the suite exists for before it shows a table. A rule whose cells are not
//! in the run says nothing. No rule claims a difference the data do not
//! support: where the 95% interval of two cells' ratio (Welch's test on
//! their process medians) holds 1, the finding says "tied".

use crate::cells::{self, Cell, runtimes};
use crate::collate::Section;
use crate::frontier::Among;
use crate::units::{figures as num, thousands};
use dispenser_core::evidence::{self, Winner};
use dispenser_core::{Family, Workload};

/// One statement drawn from the data.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Where it holds: a workload (`10 x 100,000`), [`ACROSS`] or, for what
    /// limits every finding, empty. Reports print a heading per group.
    pub group: String,
    /// The question it answers, e.g. `best channel on OS threads`.
    pub topic: String,
    /// The answer, with its numbers.
    pub text: String,
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
    /// The leaders cannot be separated, so they are named together; what the
    /// text says of the others carries its own interval.
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
    /// `text (how sure)`: the finding without its topic.
    pub fn body(&self) -> String {
        let sure = match self.sure {
            Sure::Separated => "sure: the 95% interval of the ratio excludes 1",
            Sure::Tied => "tied: the 95% interval of the ratio holds 1",
            Sure::TiedAtTop => "tied at the top: the leaders cannot be separated",
            Sure::Mixed => "mixed: see the counts",
            Sure::Caveat => "read every finding with this in mind",
            Sure::Tradeoff => "a trade-off: speed with its 95% interval, CPU as medians over processes",
        };
        format!("{} ({sure})", self.text)
    }

    /// `topic: text (how sure)`, on one line.
    pub fn line(&self) -> String {
        format!("{}: {}", self.topic, self.body())
    }
}

/// The group of the findings that compare workloads.
pub const ACROSS: &str = "across workloads";

/// Every finding of a run, workload by workload, then across workloads.
pub fn findings(sections: &[Section]) -> Vec<Finding> {
    let per_workload: Vec<(Workload, Vec<Cell>)> = sections.iter().map(|s| (s.workload, cells::cells(s))).collect();
    let mut out = Vec::new();
    out.extend(one_process(&per_workload));
    for (w, cells) in &per_workload {
        let at = |topic: &str| (label(*w), topic.to_string());
        out.extend(family_winner(cells).map(|f| retopic(f, at("fastest family"))));
        for runtime in runtimes(cells) {
            let topic = if is_threads(&runtime, cells) {
                "best channel on OS threads".to_string()
            } else {
                format!("best channel on {runtime}")
            };
            out.extend(best_channel(cells, &runtime).map(|f| retopic(f, at(&topic))));
        }
        for runtime in runtimes(cells).into_iter().filter(|r| !is_threads(r, cells)) {
            out.extend(
                mutex_vs_channel(cells, &runtime).map(|f| retopic(f, at(&format!("mutex or channel on {runtime}")))),
            );
        }
        out.extend(bounded_vs_unbounded(cells).map(|f| retopic(f, at("bounded or unbounded"))));
        out.extend(threads_vs_tasks(cells).map(|f| retopic(f, at("threads or tasks for a round trip"))));
        out.extend(actor_vs_round_trip(cells).map(|f| retopic(f, at("actor or plain round trip"))));
        out.extend(
            pair(cells, "parking_lot-mutex", "std-mutex", true).map(|f| retopic(f, at("parking_lot or std Mutex"))),
        );
        out.extend(postage(cells).map(|f| retopic(f, at("postage"))));
        for (among, topic) in
            [(Among::Sharing, "speed against CPU"), (Among::RoundTrips, "speed against CPU, round trips")]
        {
            out.extend(
                crate::frontier::finding(cells, among).map(|text| retopic(finding((text, Sure::Tradeoff)), at(topic))),
            );
        }
    }
    out.extend(consumers(&per_workload));
    out
}

/// When some cell ran in one process only, its interval comes from that
/// process's samples and cannot see process-to-process modes: say so first.
fn one_process(per_workload: &[(Workload, Vec<Cell>)]) -> Option<Finding> {
    let all: Vec<&Cell> = per_workload.iter().flat_map(|(_, c)| c).collect();
    let single = all.iter().filter(|c| c.estimate.processes == 1).count();
    (single > 0).then(|| Finding {
        group: String::new(),
        topic: "evidence".into(),
        text: format!(
            "{single} of {} cells ran in one process, so their intervals come from that process's samples alone and \
             miss process-to-process variation; more processes per cell make \"sure\" mean more",
            all.len()
        ),
        sure: Sure::Caveat,
    })
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

/// `atomic on sync (threads) 3.80 ns/number [3.61–4.02]`.
fn figure(c: &Cell) -> String {
    let iv = c.interval_per_number();
    format!("{} {} ns/number [{}–{}]", c.name(), num(c.ns_per_number()), num(iv.lo), num(iv.hi))
}

/// The two cells compared: "X is r× [lo–hi] faster than Y" when the 95%
/// interval of their ratio excludes 1, "X and Y are tied" when it holds 1.
fn compare(a: &Cell, b: &Cell) -> (String, Sure) {
    let (fast, slow) = if a.estimate.point <= b.estimate.point { (a, b) } else { (b, a) };
    match cells::ratio(fast, slow) {
        Some(r) if r.separates() => {
            let times = format!("{}× [{}–{}]", num(r.point), num(r.interval.lo), num(r.interval.hi));
            (format!("{} is {times} faster than {}", figure(fast), figure(slow)), Sure::Separated)
        }
        _ => (format!("{} and {} are tied", figure(fast), figure(slow)), Sure::Tied),
    }
}

fn finding((text, sure): (String, Sure)) -> Finding {
    Finding { group: String::new(), topic: String::new(), text, sure }
}

/// The fastest cell matching `keep`, if any (cells come fastest first).
fn best<'c, 'a>(cells: &'c [Cell<'a>], keep: impl Fn(&Cell) -> bool) -> Option<&'c Cell<'a>> {
    cells.iter().find(|c| keep(c))
}

/// True when `runtime` runs consumers on OS threads (no executor workers).
fn is_threads(runtime: &str, cells: &[Cell]) -> bool {
    cells.iter().any(|c| c.runtime() == runtime && c.record.executor.workers.is_none())
}

/// Which family is fastest: each family's best cell (the baseline is the
/// floor, not a way to share), the first against the runner-up.
fn family_winner(cells: &[Cell]) -> Option<Finding> {
    let mut bests: Vec<&Cell> = Vec::new();
    for c in cells {
        let sharing = !matches!(c.family(), Family::Baseline | Family::Unknown);
        if sharing && !bests.iter().any(|b| b.family() == c.family()) {
            bests.push(c);
        }
    }
    let (first, second) = (bests.first()?, bests.get(1)?);
    let (text, sure) = compare(first, second);
    let lead = if sure == Sure::Tied {
        format!("{} and {} tie for fastest", first.family().as_str(), second.family().as_str())
    } else {
        format!("{} wins", first.family().as_str())
    };
    let floor = best(cells, |c| c.family() == Family::Baseline)
        .map(|b| format!("; the single-thread floor is {} ns/number", num(b.ns_per_number())))
        .unwrap_or_default();
    Some(finding((format!("{lead}: {text}{floor}"), sure)))
}

/// The best channel on `runtime` (tied cells named together), and how far
/// std's mpsc on OS threads is behind it.
fn best_channel(cells: &[Cell], runtime: &str) -> Option<Finding> {
    let channels: Vec<&Cell> =
        cells.iter().filter(|c| c.family() == Family::Channel && c.runtime() == runtime).collect();
    if channels.len() < 2 {
        // One channel is no answer to "which channel".
        return None;
    }
    let processes: Vec<Vec<Vec<f64>>> = channels.iter().map(|c| c.processes.samples_by_process()).collect();
    let estimates: Vec<_> = channels.iter().map(|c| c.estimate).collect();
    let (lead, sure, top) = match evidence::winner(&processes, &estimates)? {
        Winner::Single(i) => (format!("{} is fastest", figure(channels[i])), Sure::Separated, channels[i]),
        Winner::Tied(ids) => {
            let names: Vec<String> = ids.iter().map(|&i| channels[i].variant().to_string()).collect();
            let top = channels[ids[0]];
            (format!("{} tie for fastest (best: {})", names.join(", "), figure(top)), Sure::TiedAtTop, top)
        }
    };
    let mpsc = best(cells, |c| c.variant() == "std-mpsc" && c.record.executor.workers.is_none());
    let gap = match mpsc.filter(|m| m.record.variant != top.record.variant || m.runtime() != top.runtime()) {
        Some(m) => match cells::ratio(top, m) {
            Some(r) if !r.separates() => "; std-mpsc on OS threads is tied with it".to_string(),
            Some(r) => format!(
                "; std-mpsc on OS threads takes {}× [{}–{}] as long",
                num(r.point),
                num(r.interval.lo),
                num(r.interval.hi)
            ),
            None => String::new(),
        },
        None => String::new(),
    };
    Some(finding((format!("{lead}{gap}"), sure)))
}

/// The best async mutex against the best channel on the same runtime.
fn mutex_vs_channel(cells: &[Cell], runtime: &str) -> Option<Finding> {
    let on = |f: Family| best(cells, move |c| c.family() == f && c.runtime() == runtime);
    Some(finding(compare(on(Family::Lock)?, on(Family::Channel)?)))
}

/// Pairs `X-bounded` / `X-unbounded` on the same runtime: how many each way.
fn bounded_vs_unbounded(cells: &[Cell]) -> Option<Finding> {
    let (mut bounded, mut unbounded, mut tied) = (0, 0, 0);
    let mut widest: Option<(f64, String)> = None;
    for b in cells.iter().filter(|c| c.variant().ends_with("-bounded")) {
        let stem = b.variant().trim_end_matches("-bounded");
        let Some(u) = cells.iter().find(|u| u.runtime() == b.runtime() && u.variant() == format!("{stem}-unbounded"))
        else {
            continue;
        };
        let (text, sure) = compare(b, u);
        match sure {
            Sure::Tied => tied += 1,
            _ if b.estimate.point < u.estimate.point => bounded += 1,
            _ => unbounded += 1,
        }
        let gap = (b.estimate.point / u.estimate.point).ln().abs();
        if sure == Sure::Separated && widest.as_ref().is_none_or(|(g, _)| gap > *g) {
            widest = Some((gap, text));
        }
    }
    let pairs = bounded + unbounded + tied;
    if pairs == 0 {
        return None;
    }
    let widest = widest.map(|(_, t)| format!("; widest gap: {t}")).unwrap_or_default();
    let sure = match (tied, bounded + unbounded) {
        (0, _) => Sure::Separated,
        (_, 0) => Sure::Tied,
        _ => Sure::Mixed,
    };
    Some(finding((
        format!(
            "of {pairs} bounded/unbounded pairs, bounded is faster in {bounded}, unbounded in {unbounded}, tied in {tied}{widest}"
        ),
        sure,
    )))
}

/// The best channel round trip on OS threads against the best on tasks.
fn threads_vs_tasks(cells: &[Cell]) -> Option<Finding> {
    let threads = best(cells, |c| c.family() == Family::Channel && c.record.executor.workers.is_none())?;
    let tasks = best(cells, |c| c.family() == Family::Channel && c.record.executor.workers.is_some())?;
    Some(finding(compare(threads, tasks)))
}

/// The best actor (a one-shot reply per request) against the best plain
/// round trip on the same runtime and executor, so only the idiom differs:
/// what its extra allocation and hand-off cost.
fn actor_vs_round_trip(cells: &[Cell]) -> Option<Finding> {
    let actor = best(cells, |c| c.family() == Family::Actor)?;
    let channel = best(cells, |c| c.family() == Family::Channel && c.runtime() == actor.runtime())?;
    Some(finding(compare(actor, channel)))
}

/// Variant `a` against variant `b` on the same runtime (OS threads only when
/// `threads`), the first runtime that has both.
fn pair(cells: &[Cell], a: &str, b: &str, threads: bool) -> Option<Finding> {
    let x = cells.iter().find(|c| c.variant() == a && (!threads || c.record.executor.workers.is_none()))?;
    let y = cells.iter().find(|c| c.variant() == b && c.runtime() == x.runtime())?;
    Some(finding(compare(x, y)))
}

/// postage's mpsc against the best other channel on its runtime.
fn postage(cells: &[Cell]) -> Option<Finding> {
    let p = cells.iter().find(|c| c.variant().starts_with("postage"))?;
    let other = best(cells, |c| {
        c.family() == Family::Channel && c.runtime() == p.runtime() && !c.variant().starts_with("postage")
    })?;
    Some(finding(compare(p, other)))
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
    let mut out = Vec::new();
    for runtime in runtimes(few_cells) {
        let sharing = |c: &Cell| c.runtime() == runtime && !matches!(c.family(), Family::Baseline | Family::Unknown);
        let (Some(a), Some(b)) = (best(few_cells, sharing), best(many_cells, sharing)) else { continue };
        let Some(r) = cells::ratio(a, b) else { continue };
        // Tied as everywhere else: the pairwise test cannot separate them.
        let (verb, sure) = if !r.separates() {
            ("about the same".to_string(), Sure::Tied)
        } else if r.point > 1.0 {
            (format!("{}× [{}–{}] more", num(r.point), num(r.interval.lo), num(r.interval.hi)), Sure::Separated)
        } else {
            (
                format!("{}× [{}–{}] less", num(1.0 / r.point), num(1.0 / r.interval.hi), num(1.0 / r.interval.lo)),
                Sure::Separated,
            )
        };
        out.push(Finding {
            group: ACROSS.into(),
            topic: format!(
                "{} or {} consumers on {runtime}",
                thousands(few.consumers as u64),
                thousands(many.consumers as u64)
            ),
            text: format!(
                "the best cell costs {} ns/number ({}) at {} and {} ns/number ({}) at {}: {verb} per number",
                num(a.ns_per_number()),
                a.variant(),
                thousands(few.consumers as u64),
                num(b.ns_per_number()),
                b.variant(),
                thousands(many.consumers as u64),
            ),
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
        let family = about(&fs, "fastest family");
        assert_eq!(family.sure, Sure::Separated, "{family:?}");
        assert!(family.text.starts_with("atomic wins: atomic on sync (threads) 4.0"), "{}", family.text);
        assert!(family.text.contains("faster than std-mutex"), "{}", family.text);
        let lock = about(&fs, "parking_lot or std Mutex");
        assert_eq!(lock.sure, Sure::Tied);
        assert!(lock.text.contains("are tied"), "{}", lock.text);
        let channel = about(&fs, "best channel on OS threads");
        assert!(channel.text.contains("crossbeam-bounded on sync (threads) 9"), "{}", channel.text);
        assert!(channel.text.contains("std-mpsc on OS threads takes 10.0×"), "{}", channel.text);
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
        assert_eq!(b.sure, Sure::Mixed);
        assert!(b.text.starts_with("of 2 bounded/unbounded pairs, bounded is faster in 0, unbounded in 1, tied in 1"));
        assert_eq!(about(&fs, "mutex or channel on tokio").sure, Sure::Separated);
        assert!(about(&fs, "threads or tasks").text.starts_with("flume-unbounded on tokio"));
        let actor = about(&fs, "actor or plain round trip");
        assert_eq!(actor.sure, Sure::Separated, "{actor:?}");
        assert!(actor.text.starts_with("flume-unbounded on tokio"), "{}", actor.text);
        assert!(actor.text.contains("faster than oneshot-actor on tokio"), "{}", actor.text);
        assert!(about(&fs, "postage").text.contains("faster than postage-mpsc"));
        let scale = about(&fs, "10 or 1,000 consumers on tokio");
        assert!(scale.text.contains("4.00× ["), "{}", scale.text);
        let flat = about(&fs, "10 or 1,000 consumers on sync");
        assert_eq!((flat.sure, flat.group.as_str()), (Sure::Tied, ACROSS), "{flat:?}");
        // The two crossbeam channels on threads tie at the top; the label says
        // the tie is the leaders', not the whole statement's.
        let threads = fs.iter().find(|f| f.topic == "best channel on OS threads" && f.group == "10 x 100,000");
        assert_eq!(threads.map(|f| f.sure), Some(Sure::TiedAtTop), "{fs:#?}");
        let groups: Vec<&str> = grouped(&fs).into_iter().map(|(g, _)| g).collect();
        assert_eq!(groups, ["10 x 100,000", "1,000 x 1,000", ACROSS]);
        assert!(flat.text.ends_with("about the same per number"), "{}", flat.text);
        assert!(fs.len() >= 5);
        assert!(fs.iter().all(|f| !f.line().contains('\n')));
    }

    #[test]
    fn a_question_without_data_is_skipped() {
        let fs = run(vec![cell("sync", "atomic", Workload::QUICK, 1_000)]);
        assert!(fs.is_empty(), "{fs:#?}");
        let one = run(vec![vec![record("sync", "atomic", Workload::QUICK, &[1, 2, 3])]]);
        assert_eq!(one.len(), 1);
        assert_eq!((one[0].topic.as_str(), one[0].sure), ("evidence", Sure::Caveat));
    }
}
