//! The efficiency frontier: speed is not the only cost. A primitive that
//! spins before it parks wins a throughput race on an idle machine and
//! burns cores a busy service wants for other work. Per workload, the cells
//! on the Pareto front of (ns per number, CPU ns per number) are those no
//! other cell beats on both; along the front, each faster cell pays for its
//! speed in CPU. The single-thread baseline is the floor, not a contender,
//! and stays off the front.

use crate::cells::{self, Cell};
use crate::units::figures as num;
use dispenser_core::Family;

/// A cell with both costs known.
#[derive(Debug, Clone)]
pub struct Costed<'a> {
    /// The cell.
    pub cell: Cell<'a>,
    /// Wall ns per number (its point estimate).
    pub ns: f64,
    /// CPU ns per number (median over its processes).
    pub cpu_ns: f64,
    /// On the Pareto front.
    pub on_front: bool,
}

/// Which cells a front is drawn over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Among {
    /// Every way of sharing (the baseline is never a contender).
    Sharing,
    /// Round trips only (channels and actors): the atomic usually beats
    /// everything on both counts, so the trade-off that matters to someone
    /// who needs a channel shows only among channels.
    RoundTrips,
}

impl Among {
    fn keeps(self, family: Family) -> bool {
        match self {
            Among::Sharing => !matches!(family, Family::Baseline | Family::Unknown),
            Among::RoundTrips => matches!(family, Family::Channel | Family::Actor),
        }
    }
}

/// The cells of a workload that `among` keeps, with their costs, fastest
/// first, each marked on or off the front. A cell is on the front when
/// every faster cell burns more CPU per number than it does.
pub fn costed<'a>(cells: &[Cell<'a>], among: Among) -> Vec<Costed<'a>> {
    let mut out: Vec<Costed<'a>> = cells
        .iter()
        .filter(|c| among.keeps(c.family()))
        .filter_map(|c| {
            let cpu_ns = c.cpu_ns_per_number().filter(|v| *v > 0.0)?;
            Some(Costed { cell: c.clone(), ns: c.ns_per_number(), cpu_ns, on_front: false })
        })
        .collect();
    out.sort_by(|a, b| a.ns.total_cmp(&b.ns).then(a.cpu_ns.total_cmp(&b.cpu_ns)));
    let mut cheapest = f64::INFINITY;
    for c in &mut out {
        if c.cpu_ns < cheapest {
            c.on_front = true;
            cheapest = c.cpu_ns;
        }
    }
    out
}

/// The finding: the fastest cell against the next cell on the front, e.g.
/// `kanal on sync is 1.10× [1.04–1.17] faster than flume on sync but burns
/// 1.9× the CPU per number`; `None` with fewer than two costed cells.
pub fn finding(cells: &[Cell], among: Among) -> Option<String> {
    let all = costed(cells, among);
    let front: Vec<&Costed> = all.iter().filter(|c| c.on_front).collect();
    let fastest = front.first()?;
    let Some(next) = front.get(1) else {
        return (all.len() > 1).then(|| {
            format!(
                "{} is both the fastest and the cheapest in CPU ({} CPU ns/number): nothing trades speed for CPU",
                fastest.cell.name(),
                num(fastest.cpu_ns)
            )
        });
    };
    let speed = match cells::ratio(&fastest.cell, &next.cell) {
        Some(r) if r.separates() => {
            format!("is {}× [{}–{}] faster than", num(r.point), num(r.interval.lo), num(r.interval.hi))
        }
        _ => "is not surely faster than".to_string(),
    };
    Some(format!(
        "{} {speed} {} but burns {}× the CPU per number ({} against {} CPU ns); {} of {} cells are on the front",
        fastest.cell.name(),
        next.cell.name(),
        num(fastest.cpu_ns / next.cpu_ns),
        num(fastest.cpu_ns),
        num(next.cpu_ns),
        front.len(),
        all.len()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collate::sections;
    use crate::results::tests::record;
    use crate::results::{Results, RunInfo};
    use dispenser_core::{Record, Workload};

    fn cell(variant: &str, ms: f64, cpu_ns: f64) -> Vec<Record> {
        (0..3)
            .map(|p| {
                let j = [1.0, 1.01, 0.99][p];
                let ns: Vec<u64> = (0..3).map(|_| (ms * 1e6 * j) as u64).collect();
                let mut r = record("sync", variant, Workload::QUICK, &ns);
                r.process = Some(p as u32);
                r.cpu_ns_per_number = Some(cpu_ns);
                r
            })
            .collect()
    }

    #[test]
    fn the_front_keeps_only_cells_no_other_beats_on_both() {
        // kanal: fastest, most CPU; flume: slower, less CPU; std-mpsc:
        // slower than flume and more CPU (dominated); std-mutex: slowest,
        // least CPU. The baseline is cheaper and faster but not a contender.
        let mut records = cell("kanal-bounded", 1.0, 50.0);
        records.extend(cell("flume-bounded", 1.1, 25.0));
        records.extend(cell("std-mpsc", 2.0, 30.0));
        records.extend(cell("std-mutex", 3.0, 10.0));
        records.extend(cell("single-thread", 0.1, 1.0));
        let results = Results::new(RunInfo::default(), None, records);
        let s = sections(&results);
        let cells = cells::cells(&s[0]);
        let got: Vec<(&str, bool)> =
            costed(&cells, Among::Sharing).iter().map(|c| (c.cell.variant(), c.on_front)).collect();
        assert_eq!(got, [("kanal-bounded", true), ("flume-bounded", true), ("std-mpsc", false), ("std-mutex", true)]);
        let text = finding(&cells, Among::Sharing).unwrap();
        assert!(text.starts_with("kanal-bounded on sync (threads) is 1.10× ["), "{text}");
        assert!(text.contains("faster than flume-bounded on sync (threads) but burns 2.00× the CPU"), "{text}");
        assert!(text.ends_with("3 of 4 cells are on the front"), "{text}");
        // Among round trips the mutex is out, and std-mpsc stays dominated.
        let trips: Vec<&str> =
            costed(&cells, Among::RoundTrips).iter().filter(|c| c.on_front).map(|c| c.cell.variant()).collect();
        assert_eq!(trips, ["kanal-bounded", "flume-bounded"]);
    }
}
