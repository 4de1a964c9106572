//! The crossover map at a glance: when a sweep varies both consumers and
//! work per number (the default sweep does), each question becomes one
//! grid, work down and consumers across, every square naming the side
//! that is faster there and by how much, or `tied`. It is the crossovers
//! along consumers ([`crate::crossover`]) laid side by side, one row per
//! work value, so it needs no statistics of its own and `report` rebuilds
//! it from the records like everything else.

use crate::axis::Axis;
use crate::crossover::{Crossover, Lead};
use crate::units::figures as fig;
use std::collections::{BTreeMap, BTreeSet};

/// One question over consumers × work, the other varied axes held.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// `lock or channel`.
    pub question: &'static str,
    /// Its first side's name, `lock`.
    pub a: &'static str,
    /// The values the varied axes other than consumers and work hold.
    pub fixed: Vec<(Axis, u64)>,
    /// Work per number of each row, ns, ascending.
    pub rows: Vec<u64>,
    /// Consumer counts of each column, ascending.
    pub cols: Vec<u64>,
    /// (work, consumers) → the square: the leader and by how much
    /// (`lock 6.05×`), or `tied`.
    pub squares: BTreeMap<(u64, u64), String>,
}

impl Grid {
    /// `lock or channel` with the held axes: `(at rendezvous)`.
    pub fn title(&self) -> String {
        let fixed: Vec<String> = self.fixed.iter().map(|(a, x)| a.label(*x)).collect();
        if fixed.is_empty() {
            self.question.to_string()
        } else {
            format!("{} (at {})", self.question, fixed.join(", "))
        }
    }

    /// The grid as a table: a header (`work \ consumers`, then each count)
    /// and a row per work value, `-` where a side had no cell.
    pub fn table(&self) -> (Vec<String>, Vec<Vec<String>>) {
        let mut header = vec!["work \\ consumers".to_string()];
        header.extend(self.cols.iter().map(|c| c.to_string()));
        let rows = self
            .rows
            .iter()
            .map(|&w| {
                let mut row = vec![work_label(w)];
                row.extend(self.cols.iter().map(|&c| self.squares.get(&(w, c)).map_or("-".into(), String::clone)));
                row
            })
            .collect();
        (header, rows)
    }
}

/// `0`, `1 µs`, `100 µs`, `500 ns`.
fn work_label(ns: u64) -> String {
    match ns {
        0 => "none".into(),
        n if n % 1000 == 0 => format!("{} µs", n / 1000),
        n => format!("{n} ns"),
    }
}

/// The grids of a run's crossovers: none unless the crossovers along
/// consumers hold work per number among their fixed axes.
pub fn grids(crossovers: &[Crossover]) -> Vec<Grid> {
    let mut out: Vec<Grid> = Vec::new();
    for c in crossovers.iter().filter(|c| c.axis == Axis::Consumers) {
        let Some(&(_, work)) = c.fixed.iter().find(|(a, _)| *a == Axis::Work) else { continue };
        let fixed: Vec<(Axis, u64)> = c.fixed.iter().copied().filter(|(a, _)| *a != Axis::Work).collect();
        let i = match out.iter().position(|g| g.question == c.question && g.fixed == fixed) {
            Some(i) => i,
            None => {
                let g =
                    Grid { question: c.question, a: c.a, fixed, rows: vec![], cols: vec![], squares: BTreeMap::new() };
                out.push(g);
                out.len() - 1
            }
        };
        let g = &mut out[i];
        for p in &c.points {
            let text = match p.lead {
                Lead::A => format!("{} {}×", c.a, fig(p.ratio.point)),
                Lead::B => format!("{} {}×", c.b, fig(1.0 / p.ratio.point)),
                Lead::Tied => "tied".into(),
            };
            g.squares.insert((work, p.x), text);
        }
    }
    for g in &mut out {
        g.rows = g.squares.keys().map(|k| k.0).collect::<BTreeSet<_>>().into_iter().collect();
        g.cols = g.squares.keys().map(|k| k.1).collect::<BTreeSet<_>>().into_iter().collect();
    }
    // A grid of one row says no more than the crossover line it came from.
    out.retain(|g| g.rows.len() >= 2);
    // The default capacity (every variant runs there) first; then the rest
    // in order, each context's questions together.
    out.sort_by_key(|g| !g.fixed.iter().all(|&(a, x)| a != Axis::Capacity || x == crate::axis::DEFAULT_CAPACITY));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crossover::Point;
    use dispenser_core::evidence::{Interval, Ratio};

    fn point(x: u64, ratio: f64, lead: Lead) -> Point {
        let ratio = Ratio { point: ratio, interval: Interval { lo: ratio * 0.9, hi: ratio * 1.1 } };
        Point { x, a_cell: "a".into(), b_cell: "b".into(), ratio, lead }
    }

    fn along_consumers(work: u64, points: Vec<Point>) -> Crossover {
        Crossover {
            question: "lock or channel",
            a: "lock",
            b: "channel",
            axis: Axis::Consumers,
            fixed: vec![(Axis::Work, work)],
            points,
        }
    }

    #[test]
    fn rows_are_work_and_columns_consumers_naming_the_faster_side() {
        let crossovers = [
            along_consumers(0, vec![point(1, 3.0, Lead::A), point(16, 0.5, Lead::B)]),
            along_consumers(10_000, vec![point(1, 1.01, Lead::Tied), point(16, 1.0, Lead::Tied)]),
        ];
        let grids = grids(&crossovers);
        assert_eq!(grids.len(), 1);
        let (header, rows) = grids[0].table();
        assert_eq!(header, ["work \\ consumers", "1", "16"]);
        assert_eq!(rows, [["none", "lock 3.00×", "channel 2.00×"], ["10 µs", "tied", "tied"]]);
        assert_eq!(grids[0].title(), "lock or channel");
    }

    #[test]
    fn no_grid_without_two_work_rows() {
        let one = [along_consumers(0, vec![point(1, 3.0, Lead::A), point(16, 0.5, Lead::B)])];
        assert!(grids(&one).is_empty());
        let mut by_work = along_consumers(0, vec![point(0, 3.0, Lead::A), point(10, 0.5, Lead::B)]);
        by_work.axis = Axis::Work;
        by_work.fixed = vec![(Axis::Consumers, 4)];
        assert!(grids(&[by_work]).is_empty());
    }
}
