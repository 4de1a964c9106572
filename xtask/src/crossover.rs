//! Where the answer flips. A sweep measures the same questions (atomic or
//! lock, lock or channel, ...) at several points along an axis (consumers,
//! work per number, CPUs); this module finds, for each question and axis,
//! which side is faster at each point and where that changes. At each point
//! the best cell of each side (lowest point estimate, over every runtime and
//! worker count) is set against the other's with the pairwise test of
//! `dispenser_core::evidence` (the 95% interval of their ratio); a point
//! where that interval holds 1 is a tie. A flip is where the leading side
//! changes; it lies between the last point one side led and the first the
//! other led, with any tied points in between. Everything is computed from
//! the records, so `cargo xtask report` rebuilds it.

use crate::axis::Axis;
use crate::collate::{CellRecords, group_cells};
use crate::results::Results;
use crate::units::figures as fig;
use dispenser_core::evidence::{self, Ratio};
use dispenser_core::{Family, Record};
use std::collections::BTreeSet;
use std::fmt::Write;

/// A question the findings ask, as two sides of cells.
#[derive(Debug, Clone, Copy)]
pub struct Question {
    /// `lock or channel`.
    pub name: &'static str,
    /// The first side's name, e.g. `lock`.
    pub a: &'static str,
    /// The second side's name, e.g. `channel`.
    pub b: &'static str,
    /// Is a record's cell on the first side?
    pub is_a: fn(&Record) -> bool,
    /// Is it on the second?
    pub is_b: fn(&Record) -> bool,
}

/// Shares a counter: neither the baseline (the floor) nor a runtime that did not list.
fn sharing(r: &Record) -> bool {
    !matches!(r.family, Family::Baseline | Family::Unknown)
}

/// The questions, in the order the findings ask them.
pub const QUESTIONS: [Question; 5] = [
    Question {
        name: "atomic or lock",
        a: "atomic",
        b: "lock",
        is_a: |r| r.family == Family::Atomic,
        is_b: |r| r.family == Family::Lock,
    },
    Question {
        name: "lock or channel",
        a: "lock",
        b: "channel",
        is_a: |r| r.family == Family::Lock,
        is_b: |r| r.family == Family::Channel,
    },
    Question {
        name: "channel or actor",
        a: "channel",
        b: "actor",
        is_a: |r| r.family == Family::Channel,
        is_b: |r| r.family == Family::Actor,
    },
    Question {
        name: "threads or tasks",
        a: "threads",
        b: "tasks",
        is_a: |r| sharing(r) && r.executor.workers.is_none(),
        is_b: |r| sharing(r) && r.executor.workers.is_some(),
    },
    Question {
        name: "bounded or unbounded",
        a: "bounded",
        b: "unbounded",
        is_a: |r| r.variant.ends_with("-bounded"),
        is_b: |r| r.variant.ends_with("-unbounded"),
    },
];

/// Which side leads at a point.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lead {
    /// The first side is faster: the ratio's interval lies above 1.
    A,
    /// The second side is faster: it lies below 1.
    B,
    /// The interval holds 1: the data cannot order them.
    Tied,
}

/// One point of a question along an axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// The point's value on the axis.
    pub x: u64,
    /// The first side's best cell, `variant on runtime`.
    pub a_cell: String,
    /// The second side's best cell.
    pub b_cell: String,
    /// The second side's time over the first's, with its interval (above 1: the first is faster).
    pub ratio: Ratio,
    /// Who leads.
    pub lead: Lead,
}

/// A change of leader between two points of the axis.
#[derive(Debug, Clone, PartialEq)]
pub struct Flip {
    /// The last point the old leader led.
    pub from: u64,
    /// The first point the new leader led.
    pub to: u64,
    /// The new leader's side name.
    pub new_leader: &'static str,
    /// Tied points strictly between `from` and `to`.
    pub tied_between: Vec<u64>,
}

/// One question along one axis, with the other varied axes held at `fixed`.
#[derive(Debug, Clone, PartialEq)]
pub struct Crossover {
    /// The question.
    pub question: &'static str,
    /// Its first side.
    pub a: &'static str,
    /// Its second side.
    pub b: &'static str,
    /// The axis.
    pub axis: Axis,
    /// The values the other varied axes hold.
    pub fixed: Vec<(Axis, u64)>,
    /// Points where both sides have a cell, along the axis.
    pub points: Vec<Point>,
}

impl Crossover {
    /// Where the leader changes (ties alone are not a flip: the old leader
    /// may be back after them).
    pub fn flips(&self) -> Vec<Flip> {
        let mut out = Vec::new();
        let mut last: Option<(&Point, Lead)> = None;
        let mut tied = Vec::new();
        for p in &self.points {
            match (p.lead, last) {
                (Lead::Tied, _) => tied.push(p.x),
                (lead, Some((prev, was))) if lead != was => {
                    out.push(Flip {
                        from: prev.x,
                        to: p.x,
                        new_leader: if lead == Lead::A { self.a } else { self.b },
                        tied_between: std::mem::take(&mut tied),
                    });
                    last = Some((p, lead));
                }
                (lead, _) => {
                    tied.clear();
                    last = Some((p, lead));
                }
            }
        }
        out
    }

    /// `lock or channel by consumers`, with the held axes: `(at 1000 ns work)`.
    pub fn title(&self) -> String {
        let fixed: Vec<String> = self.fixed.iter().map(|(a, x)| a.label(*x)).collect();
        let at = if fixed.is_empty() { String::new() } else { format!(" (at {})", fixed.join(", ")) };
        format!("{} by {}{at}", self.question, self.axis.name())
    }

    /// The finding in one line: the leader over runs of points, then the
    /// flips, e.g. `lock faster at 1–16 cons.; tied at 64 cons.; channel
    /// faster at 256–1024 cons.; flips between 16 and 256 cons.`.
    pub fn sentence(&self) -> String {
        let mut runs: Vec<(Lead, u64, u64)> = Vec::new();
        for p in &self.points {
            match runs.last_mut() {
                Some((lead, _, end)) if *lead == p.lead => *end = p.x,
                _ => runs.push((p.lead, p.x, p.x)),
            }
        }
        let label = |x: u64| self.axis.label(x);
        let span = |a: u64, b: u64| {
            // `1–16 cons.`, but `rendezvous–capacity 1`: a capacity's start
            // may be a word.
            let from = if self.axis == Axis::Capacity { label(a) } else { a.to_string() };
            if a == b { label(a) } else { format!("{from}–{}", label(b)) }
        };
        let parts: Vec<String> = runs
            .iter()
            .map(|&(lead, a, b)| match lead {
                Lead::A => format!("{} faster at {}", self.a, span(a, b)),
                Lead::B => format!("{} faster at {}", self.b, span(a, b)),
                Lead::Tied => format!("tied at {}", span(a, b)),
            })
            .collect();
        let mut out = parts.join("; ");
        let flips = self.flips();
        if flips.is_empty() {
            out.push_str("; no flip");
        }
        for f in flips {
            let _ = write!(out, "; flips to {} between {} and {}", f.new_leader, f.from, label(f.to));
        }
        out
    }
}

/// The ok cells of a run, each with its records.
fn ok_cells(results: &Results) -> Vec<CellRecords<'_>> {
    group_cells(&results.records).into_iter().filter(|c| c.failure().is_none() && c.first().variant != "*").collect()
}

/// The best cell of a side among `cells` (lowest point estimate), with it.
fn best<'a, 'c>(cells: &'c [&'c CellRecords<'a>], side: fn(&Record) -> bool) -> Option<(&'c CellRecords<'a>, f64)> {
    cells
        .iter()
        .filter(|c| side(c.first()))
        .filter_map(|c| Some((*c, c.estimate()?.point)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
}

/// `flume-bounded on tokio (multi-thread, 2 workers)`.
fn name(c: &CellRecords) -> String {
    format!("{} on {}", c.first().variant, c.first().runtime_label())
}

/// Every question along every varied axis of a sweep, for every combination
/// of the other varied axes' values; only those with two points or more.
pub fn crossovers(results: &Results) -> Vec<Crossover> {
    let cells = ok_cells(results);
    let varied = Axis::varied(results);
    let mut out = Vec::new();
    // In an open loop the time is the timetable's (total / rate), not the
    // primitive's: who is faster is asked of closed-loop cells only; how an
    // open loop's latency bends is the knee's question (crate::knee).
    for &axis in varied.iter().filter(|a| **a != Axis::Rate) {
        let others: Vec<Axis> = varied.iter().copied().filter(|a| *a != axis).collect();
        let fixed_of = |c: &CellRecords| -> Vec<(Axis, u64)> { others.iter().map(|a| (*a, a.of(c.first()))).collect() };
        let contexts: BTreeSet<Vec<(Axis, u64)>> =
            cells.iter().filter(|c| c.first().settings.rate.is_none()).map(&fixed_of).collect();
        let xs: BTreeSet<u64> = cells.iter().map(|c| axis.of(c.first())).collect();
        for fixed in &contexts {
            for q in &QUESTIONS {
                let points: Vec<Point> = xs
                    .iter()
                    .filter_map(|&x| {
                        let here: Vec<&CellRecords> =
                            cells.iter().filter(|c| axis.of(c.first()) == x && &fixed_of(c) == fixed).collect();
                        let ((a, _), (b, _)) = (best(&here, q.is_a)?, best(&here, q.is_b)?);
                        let seed = evidence::seed_for(&format!("{}/{}/{}", q.name, a.key(), b.key()));
                        let ratio = evidence::ratio(&a.samples_by_process(), &b.samples_by_process(), seed)?;
                        let lead = match (ratio.separates(), ratio.point > 1.0) {
                            (false, _) => Lead::Tied,
                            (true, true) => Lead::A,
                            (true, false) => Lead::B,
                        };
                        Some(Point { x, a_cell: name(a), b_cell: name(b), ratio, lead })
                    })
                    .collect();
                if points.len() >= 2 {
                    out.push(Crossover { question: q.name, a: q.a, b: q.b, axis, fixed: fixed.clone(), points });
                }
            }
        }
    }
    out
}

/// The findings of `crossovers` (of `results`) as lines (`title:
/// sentence`), then what load does.
pub fn lines(crossovers: &[Crossover], results: &Results) -> Vec<String> {
    let mut out: Vec<String> = crossovers.iter().map(|c| format!("{}: {}", c.title(), c.sentence())).collect();
    out.extend(load_effects(results));
    out
}

/// `1st`, `2nd`, `3rd`, `4th`.
fn ordinal(n: usize) -> String {
    let suffix = match (n % 10, n % 100) {
        (1, 11) | (2, 12) | (3, 13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    };
    format!("{n}{suffix}")
}

/// What background load does, when a sweep varies it: per runtime and
/// family, its best cell under each load against its best cell with none
/// (the slowdown, with the 95% interval of the ratio), and per runtime and
/// family the cell whose rank moves most (`under load 2, kanal-bounded falls
/// from 1st to 5th among channels on sync (threads)`), for every
/// combination of the other varied axes.
pub fn load_effects(results: &Results) -> Vec<String> {
    let varied = Axis::varied(results);
    if !varied.contains(&Axis::Load) {
        return Vec::new();
    }
    let cells = ok_cells(results);
    let others: Vec<Axis> = varied.iter().copied().filter(|a| *a != Axis::Load).collect();
    let fixed_of = |c: &CellRecords| -> Vec<(Axis, u64)> { others.iter().map(|a| (*a, a.of(c.first()))).collect() };
    let contexts: BTreeSet<Vec<(Axis, u64)>> = cells.iter().map(&fixed_of).collect();
    let loads: BTreeSet<u64> = cells.iter().map(|c| Axis::Load.of(c.first())).filter(|k| *k > 0).collect();
    let mut out = Vec::new();
    for fixed in &contexts {
        let at: Vec<String> = fixed.iter().map(|(a, x)| a.label(*x)).collect();
        let at = if at.is_empty() { String::new() } else { format!(" (at {})", at.join(", ")) };
        let under = |k: u64| -> Vec<&CellRecords> {
            cells.iter().filter(|c| Axis::Load.of(c.first()) == k && &fixed_of(c) == fixed).collect()
        };
        let idle = under(0);
        // Per runtime: the best cell overall is usually on a single-threaded
        // runtime, which load barely touches, and would hide what it does to
        // the threads and the work-stealing executors.
        let runtimes: BTreeSet<String> = idle.iter().map(|c| c.first().runtime_label()).collect();
        for &k in &loads {
            let busy = under(k);
            for (runtime, family) in runtimes.iter().flat_map(|rt| {
                crate::results::FAMILY_ORDER.iter().filter(|f| **f != Family::Baseline).map(move |f| (rt, *f))
            }) {
                let (Some(before), Some(after)) =
                    (best_of(&on_runtime(&idle, runtime), family), best_of(&on_runtime(&busy, runtime), family))
                else {
                    continue;
                };
                let seed = evidence::seed_for(&format!("load/{}/{}", before.key(), after.key()));
                let Some(r) = evidence::ratio(&before.samples_by_process(), &after.samples_by_process(), seed) else {
                    continue;
                };
                let verdict = match (r.separates(), r.point > 1.0) {
                    (false, _) => "no clear change".to_string(),
                    (true, true) => format!("{}× [{}–{}] slower", fig(r.point), fig(r.interval.lo), fig(r.interval.hi)),
                    (true, false) => {
                        format!(
                            "{}× [{}–{}] faster",
                            fig(1.0 / r.point),
                            fig(1.0 / r.interval.hi),
                            fig(1.0 / r.interval.lo)
                        )
                    }
                };
                out.push(format!(
                    "load {k}{at}: best {} on {runtime}: {verdict} ({} idle, {} under load)",
                    family.as_str(),
                    before.first().variant,
                    after.first().variant
                ));
            }
            out.extend(rank_moves(&idle, &busy, k, &at));
        }
    }
    out
}

/// The cells of `cells` on `runtime` (its label, workers included).
fn on_runtime<'c, 'a>(cells: &[&'c CellRecords<'a>], runtime: &str) -> Vec<&'c CellRecords<'a>> {
    cells.iter().copied().filter(|c| c.first().runtime_label() == runtime).collect()
}

/// The best cell of `family` among `cells` (lowest point estimate).
fn best_of<'c, 'a>(cells: &[&'c CellRecords<'a>], family: Family) -> Option<&'c CellRecords<'a>> {
    cells
        .iter()
        .filter(|c| c.first().family == family)
        .filter_map(|c| Some((*c, c.estimate()?.point)))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(c, _)| c)
}

/// Per runtime and family with three cells or more, the cell whose rank
/// moves most between no load and load `k`, when it moves two places or more.
fn rank_moves(idle: &[&CellRecords], busy: &[&CellRecords], k: u64, at: &str) -> Vec<String> {
    let group = |c: &CellRecords| (c.first().runtime_label(), c.first().family);
    let groups: BTreeSet<(String, Family)> = idle.iter().map(|c| group(c)).collect();
    let mut out = Vec::new();
    for g in groups {
        let order = |cs: &[&CellRecords]| -> Vec<String> {
            let mut v: Vec<(String, f64)> = cs
                .iter()
                .filter(|c| group(c) == g)
                .filter_map(|c| Some((c.first().variant.clone(), c.estimate()?.point)))
                .collect();
            v.sort_by(|a, b| a.1.total_cmp(&b.1));
            v.into_iter().map(|(n, _)| n).collect()
        };
        let (before, after) = (order(idle), order(busy));
        if before.len() < 3 {
            continue;
        }
        let moved = before
            .iter()
            .enumerate()
            .filter_map(|(i, v)| Some((v, i + 1, after.iter().position(|a| a == v)? + 1)))
            .max_by_key(|(_, a, b)| a.abs_diff(*b));
        if let Some((v, a, b)) = moved.filter(|(_, a, b)| a.abs_diff(*b) >= 2) {
            let verb = if b > a { "falls" } else { "rises" };
            out.push(format!(
                "load {k}{at}: {v} {verb} from {} to {} among {}s on {}",
                ordinal(a),
                ordinal(b),
                g.1.as_str(),
                g.0
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::Workload;

    /// Three processes of a cell at `consumers` taking about `ms` each.
    fn cell(variant: &str, family: Family, consumers: u64, ms: f64) -> Vec<Record> {
        (0..3)
            .map(|p| {
                let jitter = [1.0, 1.01, 0.99][p];
                let ns: Vec<u64> = (0..3).map(|s| (ms * 1e6 * jitter * (1.0 + s as f64 * 0.001)) as u64).collect();
                let mut r = record("sync", variant, Workload::new(consumers, 1024 / consumers).unwrap(), &ns);
                r.family = family;
                r.process = Some(p as u32);
                r
            })
            .collect()
    }

    /// A built sweep where the lock leads at 1 and 2 consumers, ties at 4
    /// and the channel leads from 8: the flip is known to lie between 2 and 8.
    fn built() -> Results {
        let mut records = Vec::new();
        for (consumers, lock, channel) in [(1, 1.0, 3.0), (2, 2.0, 3.0), (4, 3.0, 3.0), (8, 6.0, 3.0), (16, 12.0, 3.5)]
        {
            records.extend(cell("std-mutex", Family::Lock, consumers, lock));
            records.extend(cell("crossbeam-bounded", Family::Channel, consumers, channel));
        }
        Results::new(RunInfo::default(), None, records)
    }

    #[test]
    fn a_known_flip_is_found_where_it_was_built() {
        let all = crossovers(&built());
        let c = all.iter().find(|c| c.question == "lock or channel").expect("lock or channel");
        assert_eq!(c.axis, Axis::Consumers);
        let leads: Vec<Lead> = c.points.iter().map(|p| p.lead).collect();
        assert_eq!(leads, [Lead::A, Lead::A, Lead::Tied, Lead::B, Lead::B]);
        assert_eq!(
            c.flips(),
            [Flip { from: 2, to: 8, new_leader: "channel", tied_between: vec![4] }],
            "{}",
            c.sentence()
        );
        let text = c.sentence();
        assert!(text.starts_with("lock faster at 1–2 cons.; tied at 4 cons.; channel faster at 8–16 cons."), "{text}");
        assert!(text.ends_with("flips to channel between 2 and 8 cons."), "{text}");
        // The ratio at the first point: the channel takes three times as long.
        assert!((c.points[0].ratio.point - 3.0).abs() < 0.05 && c.points[0].ratio.separates());
    }

    #[test]
    fn questions_without_both_sides_say_nothing() {
        let all = crossovers(&built());
        assert!(all.iter().all(|c| c.question == "lock or channel" || c.question == "threads or tasks"), "{all:#?}");
        // Threads on both sides of nothing: every cell here is on threads.
        assert!(!all.iter().any(|c| c.question == "threads or tasks"));
    }

    #[test]
    fn load_slowdowns_and_rank_moves_are_reported() {
        // Three channels: kanal spins, so under load it falls from 1st to 3rd.
        let mut records = Vec::new();
        for (load, kanal, flume, std) in [(0, 1.0, 2.0, 3.0), (2, 9.0, 2.2, 3.1)] {
            for (variant, ms) in [("kanal-bounded", kanal), ("flume-bounded", flume), ("std-mpsc-bounded", std)] {
                for mut r in cell(variant, Family::Channel, 4, ms) {
                    r.settings.load = load;
                    records.push(r);
                }
            }
        }
        let results = Results::new(RunInfo::default(), None, records);
        let text = load_effects(&results).join("\n");
        assert!(text.contains("load 2: best channel on sync (threads): 2.20× ["), "{text}");
        assert!(text.contains("slower (kanal-bounded idle, flume-bounded under load)"), "{text}");
        assert!(
            text.contains("load 2: kanal-bounded falls from 1st to 3rd among channels on sync (threads)"),
            "{text}"
        );
        assert_eq!(ordinal(1) + &ordinal(2) + &ordinal(3) + &ordinal(11) + &ordinal(22), "1st2nd3rd11th22nd");
    }

    #[test]
    fn a_lead_that_returns_after_a_tie_is_no_flip() {
        let c = Crossover {
            question: "q",
            a: "x",
            b: "y",
            axis: Axis::Work,
            fixed: vec![],
            points: [Lead::A, Lead::Tied, Lead::A]
                .iter()
                .enumerate()
                .map(|(i, &lead)| Point {
                    x: i as u64,
                    a_cell: String::new(),
                    b_cell: String::new(),
                    ratio: Ratio::ONE,
                    lead,
                })
                .collect(),
        };
        assert!(c.flips().is_empty());
        assert!(c.sentence().ends_with("no flip"), "{}", c.sentence());
    }
}
