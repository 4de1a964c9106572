//! Latency against offered load: the knee. A sweep along `--rate` drives
//! each cell on a fixed timetable at several rates; each take's latency is
//! measured from its scheduled time, so queueing shows once the offered rate
//! nears what the cell can serve. This module gathers, per cell (runtime,
//! workers, variant and every other setting), its p50, p99 and p99.9 at each
//! offered rate, and finds the knee: the rate at which its p99 first passes
//! [`BOUND`] times the p99 it had at the lowest rate swept (its unloaded
//! p99). Not the unloaded p50: a consumer that sleeps until its time wakes
//! tens of µs late on a virtual machine (measured: 34 µs median, 114 µs
//! p99 past a 100 µs sleep), so every cell's p99 is past 10× its p50 at any
//! rate; the unloaded p99 already holds that lateness, and ten times it is
//! queueing. The findings name, per runtime and family, the variant whose knee
//! comes latest. Computed from the records, so `cargo xtask report`
//! rebuilds it.

use crate::axis::Axis;
use crate::cells::short_runtime;
use crate::results::{FAMILY_ORDER, Results};
use dispenser_core::table::format_ns;
use dispenser_core::{Family, Record, Status, stats};
use std::collections::BTreeMap;

/// A cell's p99 is past its knee when it exceeds this many times its p99 at
/// the lowest offered rate: queueing, not the primitive, then sets it.
pub const BOUND: f64 = 10.0;

/// One offered rate of a curve.
#[derive(Debug, Clone, PartialEq)]
pub struct RatePoint {
    /// Offered numbers per second (the whole workload).
    pub rate: u64,
    /// Latency percentiles, ns (the median over the processes), when ok.
    pub p50_ns: Option<f64>,
    /// 99th percentile, ns.
    pub p99_ns: Option<f64>,
    /// 99.9th percentile, ns.
    pub p999_ns: Option<f64>,
    /// The cell's status (the first failure's, if any process failed).
    pub status: Status,
}

/// One cell's latency against offered load.
#[derive(Debug, Clone, PartialEq)]
pub struct Curve {
    /// Short runtime label (`threads`, `tokio-mt/2`, ...).
    pub runtime: String,
    /// Runtime and flavor for file names: `sync`, `tokio-multi-thread`.
    pub stem: String,
    /// Variant name.
    pub variant: String,
    /// Its family.
    pub family: Family,
    /// The other settings' values that tell this curve apart
    /// (consumers, work, CPUs, load), as labels.
    pub context: String,
    /// Points, lowest rate first.
    pub points: Vec<RatePoint>,
}

/// Where a curve's p99 passes [`BOUND`] times its unloaded p99.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Knee {
    /// Within the bound at every rate swept (up to the highest, given).
    Beyond(u64),
    /// Within the bound up to the first rate, past it from the second.
    Between(u64, u64),
    /// Already past it at the second-lowest rate swept (given), or the
    /// lowest rate is the only point.
    Before(u64),
}

impl Curve {
    /// The p99 at the lowest rate with a figure: the unloaded p99.
    pub fn unloaded_p99(&self) -> Option<f64> {
        self.points.iter().find_map(|p| p.p99_ns)
    }

    /// Where the p99 first passes [`BOUND`] × the unloaded p99; a point
    /// that failed counts as past it (it could not keep up at all).
    pub fn knee(&self) -> Option<Knee> {
        let bound = BOUND * self.unloaded_p99()?;
        let mut last_ok = None;
        for p in &self.points {
            let within = p.p99_ns.is_some_and(|v| v <= bound) && p.status == Status::Ok;
            match (within, last_ok) {
                (true, _) => last_ok = Some(p.rate),
                (false, Some(ok)) => return Some(Knee::Between(ok, p.rate)),
                (false, None) => return Some(Knee::Before(p.rate)),
            }
        }
        last_ok.map(Knee::Beyond)
    }

    /// How late the knee comes, for choosing a family's best: a knee
    /// beyond the sweep beats any other.
    fn lateness(&self) -> (u8, u64) {
        match self.knee() {
            Some(Knee::Beyond(r)) => (2, r),
            Some(Knee::Between(r, _)) => (1, r),
            Some(Knee::Before(r)) => (0, u64::MAX - r),
            None => (0, 0),
        }
    }
}

/// The settings that tell curves apart, besides the rate.
type CurveKey = (String, String, Option<usize>, String, Vec<(Axis, u64)>);

/// Every open-loop cell of `results` as a curve over its offered rates, in
/// runtime, family and variant order. Only curves with two rates or more.
pub fn curves(results: &Results) -> Vec<Curve> {
    let others = [Axis::Consumers, Axis::Work, Axis::Cpus, Axis::Load, Axis::Capacity];
    let key_of = |r: &Record| -> CurveKey {
        let fixed = others.iter().map(|a| (*a, a.of(r))).collect();
        (r.runtime.clone(), r.executor.flavor.clone(), r.executor.workers, r.variant.clone(), fixed)
    };
    let mut groups: BTreeMap<CurveKey, BTreeMap<u64, Vec<&Record>>> = BTreeMap::new();
    for r in results.records.iter().filter(|r| r.variant != "*") {
        if let Some(rate) = r.settings.rate {
            groups.entry(key_of(r)).or_default().entry(rate).or_default().push(r);
        }
    }
    let flavors = |runtime: &str| {
        let mut seen: Vec<&str> =
            results.records.iter().filter(|r| r.runtime == runtime).map(|r| r.executor.flavor.as_str()).collect();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    let mut out: Vec<Curve> = groups
        .into_iter()
        .filter(|(_, by_rate)| by_rate.len() >= 2)
        .map(|((runtime, flavor, _, variant, fixed), by_rate)| {
            let first = by_rate.values().next().and_then(|v| v.first()).copied().expect("a rate has a record");
            let points = by_rate.into_iter().map(|(rate, records)| point(rate, &records)).collect();
            let varied = Axis::varied(results);
            let context: Vec<String> =
                fixed.iter().filter(|(a, _)| varied.contains(a)).map(|(a, x)| a.label(*x)).collect();
            Curve {
                runtime: short_runtime(first),
                stem: if flavors(&runtime) > 1 { format!("{runtime}-{flavor}") } else { runtime },
                variant,
                family: first.family,
                context: context.join(" · "),
                points,
            }
        })
        .collect();
    let order = |f: Family| FAMILY_ORDER.iter().position(|x| *x == f).unwrap_or(FAMILY_ORDER.len());
    out.sort_by(|a, b| {
        (&a.stem, &a.runtime, &a.context, order(a.family), &a.variant).cmp(&(
            &b.stem,
            &b.runtime,
            &b.context,
            order(b.family),
            &b.variant,
        ))
    });
    out
}

/// The point of one rate from its processes' records.
fn point(rate: u64, records: &[&Record]) -> RatePoint {
    let failed = records.iter().find(|r| !r.is_ok());
    let pick = |f: fn(&dispenser_core::latency::LatencyStats) -> u64| {
        if failed.is_some() {
            return None;
        }
        stats::median(records.iter().filter_map(|r| r.latency.as_ref()).map(|l| f(l) as f64).collect())
    };
    RatePoint {
        rate,
        p50_ns: pick(|l| l.p50_ns),
        p99_ns: pick(|l| l.p99_ns),
        p999_ns: pick(|l| l.p999_ns),
        status: failed.map_or(Status::Ok, |r| r.status),
    }
}

/// `250000/s`, `1.5M/s`.
pub fn rate_label(rate: u64) -> String {
    match rate {
        r if r >= 10_000_000 && r % 1_000_000 == 0 => format!("{}M/s", r / 1_000_000),
        r if r >= 1_000_000 => format!("{:.1}M/s", r as f64 / 1e6),
        r if r >= 10_000 && r % 1_000 == 0 => format!("{}k/s", r / 1_000),
        r => format!("{r}/s"),
    }
}

/// The knee findings: per runtime (and context) and family, the variant
/// whose p99 stays within [`BOUND`] × its unloaded p99 the longest, and
/// where it passes it. One line each, runtime first.
pub fn findings(results: &Results) -> Vec<String> {
    let all = curves(results);
    let mut out = Vec::new();
    let mut groups: Vec<(&str, &str, Family)> = Vec::new();
    for c in &all {
        let g = (c.runtime.as_str(), c.context.as_str(), c.family);
        if !groups.contains(&g) {
            groups.push(g);
        }
    }
    for (runtime, context, family) in groups {
        let best = all
            .iter()
            .filter(|c| c.runtime == runtime && c.context == context && c.family == family)
            .max_by_key(|c| c.lateness());
        let (Some(best), Some(p99)) = (best, best.and_then(Curve::unloaded_p99)) else { continue };
        let Some(knee) = best.knee() else { continue };
        let bound = format!("{BOUND:.0}× its p99 at the lowest rate ({})", format_ns(p99));
        let at = if context.is_empty() { String::new() } else { format!(" ({context})") };
        let text = match knee {
            Knee::Beyond(r) => format!("p99 stays within {bound} up to {}, the highest rate swept", rate_label(r)),
            Knee::Between(ok, bad) => {
                format!("p99 stays within {bound} up to {}, passes it by {}", rate_label(ok), rate_label(bad))
            }
            Knee::Before(r) => format!("p99 is past {bound} already at {}", rate_label(r)),
        };
        out.push(format!("{runtime}{at} · {}: {}'s {text}", family.as_str(), best.variant));
    }
    out
}

/// The knee table of one runtime stem: a row per curve, a column per rate,
/// each cell `p50 / p99 / p99.9`, `*` after the first rate past the bound.
pub fn table(curves: &[&Curve]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut rates: Vec<u64> = curves.iter().flat_map(|c| &c.points).map(|p| p.rate).collect();
    rates.sort_unstable();
    rates.dedup();
    let mut header = vec!["runtime".to_string(), "variant".to_string()];
    header.extend(rates.iter().map(|r| rate_label(*r)));
    let rows = curves
        .iter()
        .map(|c| {
            let past = match c.knee() {
                Some(Knee::Between(_, r) | Knee::Before(r)) => Some(r),
                _ => None,
            };
            let mut name = c.runtime.clone();
            if !c.context.is_empty() {
                name = format!("{name} · {}", c.context);
            }
            let mut row = vec![name, c.variant.clone()];
            for r in &rates {
                row.push(match c.points.iter().find(|p| p.rate == *r) {
                    None => String::new(),
                    Some(p) => match (p.p50_ns, p.p99_ns, p.p999_ns) {
                        (Some(a), Some(b), Some(c)) => {
                            let mark = if past == Some(*r) { " *" } else { "" };
                            format!("{} / {} / {}{mark}", short_ns(a), short_ns(b), short_ns(c))
                        }
                        _ => p.status.as_str().to_uppercase(),
                    },
                });
            }
            row
        })
        .collect();
    (header, rows)
}

/// `850ns`, `12µs`, `3.4ms`: a latency in a few characters.
fn short_ns(ns: f64) -> String {
    match ns {
        x if x < 1e3 => format!("{x:.0}ns"),
        x if x < 1e4 => format!("{:.1}µs", x / 1e3),
        x if x < 1e6 => format!("{:.0}µs", x / 1e3),
        x if x < 1e7 => format!("{:.1}ms", x / 1e6),
        x if x < 1e9 => format!("{:.0}ms", x / 1e6),
        x => format!("{:.1}s", x / 1e9),
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::Workload;
    use dispenser_core::latency::LatencyStats;

    /// An open-loop record of `variant` at `rate` with the given p50 and p99.
    fn at(variant: &str, family: Family, rate: u64, p50: u64, p99: u64) -> Record {
        let w = Workload { consumers: 4, per_consumer: 1000 };
        let mut r = record("sync", variant, w, &[1_000_000, 1_000_000, 1_000_000]);
        r.family = family;
        r.settings.rate = Some(rate);
        r.latency = Some(LatencyStats {
            count: 1000,
            samples: 3,
            p50_ns: p50,
            p90_ns: p99,
            p99_ns: p99,
            p999_ns: p99 * 2,
            max_ns: p99 * 3,
        });
        r
    }

    /// Two channels and a lock over three rates: the lock's knee lies
    /// between 20k/s and 40k/s, one channel's beyond 40k/s, the other's
    /// between 10k/s and 20k/s.
    pub fn rate_results() -> Results {
        let records = vec![
            at("std-mutex", Family::Lock, 10_000, 100, 500),
            at("std-mutex", Family::Lock, 20_000, 100, 900),
            at("std-mutex", Family::Lock, 40_000, 5_000, 80_000),
            at("flume-bounded", Family::Channel, 10_000, 1_000, 3_000),
            at("flume-bounded", Family::Channel, 20_000, 1_000, 5_000),
            at("flume-bounded", Family::Channel, 40_000, 1_200, 9_000),
            at("kanal-bounded", Family::Channel, 10_000, 1_000, 3_000),
            at("kanal-bounded", Family::Channel, 20_000, 9_000, 50_000),
            at("kanal-bounded", Family::Channel, 40_000, 9_000, 50_000),
        ];
        Results::new(RunInfo::default(), None, records)
    }

    #[test]
    fn a_curve_per_cell_and_its_knee_where_p99_passes_the_bound() {
        let all = curves(&rate_results());
        assert_eq!(all.len(), 3);
        let knee = |v: &str| all.iter().find(|c| c.variant == v).unwrap().knee();
        assert_eq!(knee("std-mutex"), Some(Knee::Between(20_000, 40_000)));
        assert_eq!(knee("flume-bounded"), Some(Knee::Beyond(40_000)));
        assert_eq!(knee("kanal-bounded"), Some(Knee::Between(10_000, 20_000)));
    }

    #[test]
    fn findings_name_each_familys_latest_knee() {
        let lines = findings(&rate_results());
        assert_eq!(lines.len(), 2, "{lines:?}");
        assert!(lines.iter().any(|l| l.contains("lock: std-mutex's p99 stays within 10×") && l.contains("by 40k/s")));
        assert!(lines.iter().any(|l| l.contains("channel: flume-bounded's") && l.contains("highest rate swept")));
    }

    #[test]
    fn closed_loop_records_and_single_rates_make_no_curve() {
        let mut results = rate_results();
        results.records.retain(|r| r.settings.rate == Some(10_000));
        results.records.push(record("sync", "atomic", Workload { consumers: 4, per_consumer: 1000 }, &[1, 2, 3]));
        assert!(curves(&results).is_empty());
        assert!(findings(&results).is_empty());
    }

    #[test]
    fn the_table_marks_the_first_rate_past_the_bound() {
        let results = rate_results();
        let all = curves(&results);
        let (header, rows) = table(&all.iter().collect::<Vec<_>>());
        assert_eq!(header, ["runtime", "variant", "10k/s", "20k/s", "40k/s"]);
        let mutex = rows.iter().find(|r| r[1] == "std-mutex").unwrap();
        assert_eq!(mutex[4], "5.0µs / 80µs / 160µs *");
        assert!(!mutex[3].ends_with('*'));
    }
}
