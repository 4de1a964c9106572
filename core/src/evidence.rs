//! Evidence across processes.
//!
//! A cell (one variant on one runtime and workload) is measured in several
//! processes. Samples inside one process are not independent evidence: a
//! process can land in a mode (thread placement, memory layout, a scheduler
//! decision) and stay there, so its samples agree closely with each other
//! and not with the next process. Following Kalibera and Jones ("Rigorous
//! Benchmarking in Reasonable Time", 2013), the interval of a cell's median
//! comes from a two-level bootstrap: resample the processes, then the samples
//! inside each chosen process. Everything here is pure and seeded, so a
//! report rendered twice from the same records is identical.

use crate::stats::quantile;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};

/// Bootstrap resamples behind a single-process interval: enough for stable
/// 2.5% and 97.5% percentiles.
pub const RESAMPLES: usize = 2_000;
/// Coverage of every interval.
pub const CONFIDENCE: f64 = 0.95;
/// A change smaller than this share is never called, whatever the interval:
/// the suite's own noise floor on a shared machine.
pub const NOISE_FLOOR: f64 = 0.05;
/// Processes disagree "far beyond their own spread" when the spread of their
/// medians exceeds this many times the spread inside one process...
pub const UNSTABLE_FACTOR: f64 = 3.0;
/// ...and this share of the median.
pub const UNSTABLE_FLOOR: f64 = 0.10;

/// A closed interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// True when the two intervals share a point: the data cannot order them.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// True when `x` lies inside.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }
}

/// What the processes of one cell say about its median.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// Median over every sample of every process.
    pub median: f64,
    /// [`CONFIDENCE`] interval of the typical process median: a t interval
    /// over the log process medians, or with one process a bootstrap of its
    /// samples (which then knows nothing of other processes).
    pub interval: Interval,
    /// Processes that contributed samples.
    pub processes: usize,
    /// Samples in all.
    pub samples: usize,
    /// Spread inside a process: the median over processes of IQR / median
    /// (0 where a process took fewer than two samples).
    pub within: f64,
    /// Spread between processes: (slowest - fastest process median) / median
    /// (0 with one process).
    pub between: f64,
    /// Processes disagree far beyond their own spread: see [`is_unstable`].
    pub unstable: bool,
}

/// Is a cell whose processes spread by `between` while each spreads by
/// `within` (both as shares of the median) unstable?
pub fn is_unstable(between: f64, within: f64) -> bool {
    between > UNSTABLE_FACTOR * within && between > UNSTABLE_FLOOR
}

/// A ratio of two cells' typical times (`new / old`) with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// `new / old`: the ratio of the two runs' geometric means of process
    /// medians, the centre of `interval`, so the point always lies inside
    /// its own interval (the ratio of pooled medians need not, when one
    /// process lands apart). When a side has one process: the ratio of the
    /// pooled medians, with a bootstrap interval around it.
    pub point: f64,
    /// [`CONFIDENCE`] interval of the ratio: Welch's t interval on the two
    /// runs' log process medians (a bootstrap when a side has one process).
    pub interval: Interval,
}

/// Whether a cell changed between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Faster in the new run, beyond the interval and the noise.
    Faster,
    /// Slower in the new run, beyond the interval and the noise.
    Slower,
    /// The data cannot tell the runs apart (benchstat's `~`).
    NoChange,
}

/// A cell's rank among others: `rank` is one more than the number of cells
/// whose interval lies wholly below this one's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rank {
    /// 1 for the cells nothing is clearly faster than.
    pub rank: usize,
    /// Another cell's interval overlaps this one's: shown as `≈rank`.
    pub tied: bool,
}

/// Who is fastest, as far as the intervals can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Winner {
    /// This cell's interval lies wholly below every other's.
    Single(usize),
    /// These cells (fastest median first) cannot be separated from the fastest.
    Tied(Vec<usize>),
}

/// A seed that depends only on `key` (FNV-1a, stable across Rust versions),
/// so every cell gets its own bootstrap stream and reports reproduce.
pub fn seed_for(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The two-level estimate of a cell from its processes' samples (ns or any
/// positive unit); `None` when no process has a sample.
pub fn estimate(processes: &[Vec<f64>], seed: u64) -> Option<Estimate> {
    let processes = nonempty(processes);
    let pooled = sorted(processes.iter().flat_map(|p| p.iter().copied()).collect());
    if pooled.is_empty() {
        return None;
    }
    let median = quantile(&pooled, 0.5);
    let interval = log_t_interval(&process_medians(&processes)).unwrap_or_else(|| {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut scratch = Vec::with_capacity(pooled.len());
        let mut medians: Vec<f64> =
            (0..RESAMPLES).map(|_| resampled_median(&processes, &mut rng, &mut scratch)).collect();
        medians.sort_by(f64::total_cmp);
        percentile_interval(&medians)
    });
    let (within, between) = spreads(&processes, median);
    Some(Estimate {
        median,
        interval,
        processes: processes.len(),
        samples: pooled.len(),
        within,
        between,
        unstable: processes.len() > 1 && is_unstable(between, within),
    })
}

/// `median(new) / median(old)` with its interval; `None` when either side
/// has no sample or a non-positive median.
pub fn ratio(old: &[Vec<f64>], new: &[Vec<f64>], seed: u64) -> Option<Ratio> {
    ratio_with(old, new, seed, RESAMPLES)
}

fn ratio_with(old: &[Vec<f64>], new: &[Vec<f64>], seed: u64, resamples: usize) -> Option<Ratio> {
    let (old, new) = (nonempty(old), nonempty(new));
    let pooled_median = |ps: &[&Vec<f64>]| quantile(&sorted(ps.iter().flat_map(|p| p.iter().copied()).collect()), 0.5);
    let (m_old, m_new) = (pooled_median(&old), pooled_median(&new));
    if old.is_empty() || new.is_empty() || m_old <= 0.0 || m_new <= 0.0 {
        return None;
    }
    if let Some(ratio) = welch_log_ratio(&process_medians(&old), &process_medians(&new)) {
        return Some(ratio);
    }
    let point = m_new / m_old;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut scratch = Vec::new();
    let mut ratios: Vec<f64> = (0..resamples)
        .map(|_| {
            let o = resampled_median(&old, &mut rng, &mut scratch);
            let n = resampled_median(&new, &mut rng, &mut scratch);
            if o > 0.0 { n / o } else { f64::INFINITY }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    Some(Ratio { point, interval: percentile_interval(&ratios) })
}

/// The compare verdict for a cell: changed only when the ratio's interval
/// excludes 1 *and* the change is larger than both the noise floor and the
/// spread between either run's own processes (a cell whose processes already
/// disagree by 15% cannot show a 10% change).
pub fn verdict(ratio: &Ratio, old: &Estimate, new: &Estimate) -> Verdict {
    let floor = NOISE_FLOOR.max(old.between).max(new.between);
    let beyond_noise = (ratio.point.ln()).abs() > (1.0 + floor).ln();
    match (ratio.interval.contains(1.0), beyond_noise) {
        (false, true) if ratio.point < 1.0 => Verdict::Faster,
        (false, true) => Verdict::Slower,
        _ => Verdict::NoChange,
    }
}

/// Ranks with ties: a cell's rank is one more than the number of cells whose
/// interval lies wholly below its own, so cells the data cannot order share
/// a rank. `tied` marks a cell whose interval overlaps another's.
pub fn ranks(intervals: &[Interval]) -> Vec<Rank> {
    intervals
        .iter()
        .enumerate()
        .map(|(i, me)| Rank {
            rank: 1 + intervals.iter().filter(|other| other.hi < me.lo).count(),
            tied: intervals.iter().enumerate().any(|(j, other)| j != i && other.overlaps(me)),
        })
        .collect()
}

/// The fastest cell by median, alone only when its interval lies wholly
/// below every other cell's; otherwise every cell whose interval overlaps
/// the fastest one's, fastest median first. `None` for no cells.
pub fn winner(medians: &[f64], intervals: &[Interval]) -> Option<Winner> {
    let mut order: Vec<usize> = (0..medians.len().min(intervals.len())).collect();
    order.sort_by(|&a, &b| medians[a].total_cmp(&medians[b]));
    let &best = order.first()?;
    let tied: Vec<usize> = order.iter().copied().filter(|&i| intervals[i].overlaps(&intervals[best])).collect();
    Some(if tied.len() == 1 { Winner::Single(best) } else { Winner::Tied(tied) })
}

/// Spearman's rank correlation of paired values (average ranks for ties);
/// `None` with fewer than two pairs or when either side is constant.
pub fn spearman(a: &[f64], b: &[f64]) -> Option<f64> {
    if a.len() != b.len() || a.len() < 2 {
        return None;
    }
    let (ra, rb) = (average_ranks(a), average_ranks(b));
    let mean = (a.len() as f64 + 1.0) / 2.0;
    let (mut cov, mut va, mut vb) = (0.0, 0.0, 0.0);
    for (x, y) in ra.iter().zip(&rb) {
        cov += (x - mean) * (y - mean);
        va += (x - mean).powi(2);
        vb += (y - mean).powi(2);
    }
    (va > 0.0 && vb > 0.0).then(|| cov / (va * vb).sqrt())
}

fn average_ranks(xs: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..xs.len()).collect();
    order.sort_by(|&i, &j| xs[i].total_cmp(&xs[j]));
    let mut ranks = vec![0.0; xs.len()];
    let mut start = 0;
    while start < order.len() {
        let mut end = start + 1;
        while end < order.len() && xs[order[end]] == xs[order[start]] {
            end += 1;
        }
        // Positions start..end share the mean of the 1-based ranks start+1..=end.
        let shared = (start + 1 + end) as f64 / 2.0;
        for &i in &order[start..end] {
            ranks[i] = shared;
        }
        start = end;
    }
    ranks
}

/// Each process's median.
fn process_medians(processes: &[&Vec<f64>]) -> Vec<f64> {
    processes.iter().map(|p| quantile(&sorted(p.to_vec()), 0.5)).collect()
}

/// Mean and sample variance of the logs; `None` below two values or for a
/// non-positive value.
fn log_moments(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.len() < 2 || xs.iter().any(|&x| x <= 0.0) {
        return None;
    }
    let logs: Vec<f64> = xs.iter().map(|x| x.ln()).collect();
    let mean = logs.iter().sum::<f64>() / logs.len() as f64;
    let var = logs.iter().map(|l| (l - mean).powi(2)).sum::<f64>() / (logs.len() - 1) as f64;
    Some((mean, var))
}

/// The t interval of the geometric mean of `medians` (two or more).
fn log_t_interval(medians: &[f64]) -> Option<Interval> {
    let (mean, var) = log_moments(medians)?;
    let n = medians.len() as f64;
    let half = t_quantile(n - 1.0) * (var / n).sqrt();
    Some(Interval { lo: (mean - half).exp(), hi: (mean + half).exp() })
}

/// The ratio of geometric means of process medians, new over old, with its
/// Welch t interval.
fn welch_log_ratio(old: &[f64], new: &[f64]) -> Option<Ratio> {
    let ((m_old, v_old), (m_new, v_new)) = (log_moments(old)?, log_moments(new)?);
    let (n_old, n_new) = (old.len() as f64, new.len() as f64);
    let (a, b) = (v_old / n_old, v_new / n_new);
    let se = (a + b).sqrt();
    let diff = m_new - m_old;
    let point = diff.exp();
    if se == 0.0 {
        return Some(Ratio { point, interval: Interval { lo: point, hi: point } });
    }
    // Welch-Satterthwaite degrees of freedom.
    let df = (a + b).powi(2) / (a * a / (n_old - 1.0) + b * b / (n_new - 1.0));
    let half = t_quantile(df) * se;
    Some(Ratio { point, interval: Interval { lo: (diff - half).exp(), hi: (diff + half).exp() } })
}

/// Two-sided 97.5% quantile of Student's t with `df` degrees of freedom,
/// rounded down to a whole df (conservative) and 1.96 past the table.
fn t_quantile(df: f64) -> f64 {
    const T975: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];
    if !df.is_finite() || df >= 120.0 {
        return 1.96;
    }
    let whole = (df.floor() as usize).max(1);
    T975.get(whole - 1).copied().unwrap_or(if whole < 60 { 2.021 } else { 2.000 })
}

/// Resamples the processes, then the samples inside each chosen process,
/// and returns the median of the pooled resample.
fn resampled_median(processes: &[&Vec<f64>], rng: &mut StdRng, scratch: &mut Vec<f64>) -> f64 {
    scratch.clear();
    for _ in 0..processes.len() {
        let p = processes[rng.random_range(0..processes.len())];
        scratch.extend((0..p.len()).map(|_| p[rng.random_range(0..p.len())]));
    }
    median_in_place(scratch)
}

fn median_in_place(xs: &mut [f64]) -> f64 {
    let n = xs.len();
    if n == 0 {
        return 0.0;
    }
    let (_, &mut upper, _) = xs.select_nth_unstable_by(n / 2, f64::total_cmp);
    if n % 2 == 1 {
        upper
    } else {
        // The largest of the lower half is the other middle value.
        let lower = xs[..n / 2].iter().copied().fold(f64::NEG_INFINITY, f64::max);
        (lower + upper) / 2.0
    }
}

fn percentile_interval(sorted_stats: &[f64]) -> Interval {
    let tail = (1.0 - CONFIDENCE) / 2.0;
    Interval { lo: quantile(sorted_stats, tail), hi: quantile(sorted_stats, 1.0 - tail) }
}

/// Within- and between-process spreads, as shares of `median`.
fn spreads(processes: &[&Vec<f64>], median: f64) -> (f64, f64) {
    if median <= 0.0 {
        return (0.0, 0.0);
    }
    let per_process: Vec<(f64, f64)> = processes
        .iter()
        .map(|p| {
            let s = sorted(p.to_vec());
            let m = quantile(&s, 0.5);
            let iqr = quantile(&s, 0.75) - quantile(&s, 0.25);
            (m, if s.len() > 1 && m > 0.0 { iqr / m } else { 0.0 })
        })
        .collect();
    let within = quantile(&sorted(per_process.iter().map(|&(_, r)| r).collect()), 0.5);
    let medians = sorted(per_process.iter().map(|&(m, _)| m).collect());
    let between = match (medians.first(), medians.last()) {
        (Some(lo), Some(hi)) => (hi - lo) / median,
        _ => 0.0,
    };
    (within, between)
}

fn nonempty(processes: &[Vec<f64>]) -> Vec<&Vec<f64>> {
    processes.iter().filter(|p| !p.is_empty()).collect()
}

fn sorted(mut xs: Vec<f64>) -> Vec<f64> {
    xs.sort_by(f64::total_cmp);
    xs
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `r` processes of `n` samples around `median`: each process lands
    /// `between` (log-normal sd) away, and its samples scatter `within`.
    fn cell(rng: &mut StdRng, median: f64, r: usize, n: usize, between: f64, within: f64) -> Vec<Vec<f64>> {
        (0..r)
            .map(|_| {
                let mode = median * (between * normal(rng)).exp();
                (0..n).map(|_| mode * (within * normal(rng)).exp()).collect()
            })
            .collect()
    }

    fn normal(rng: &mut StdRng) -> f64 {
        // Box-Muller: enough for test data.
        let (u, v): (f64, f64) = (rng.random_range(f64::EPSILON..1.0), rng.random());
        (-2.0 * u.ln()).sqrt() * (std::f64::consts::TAU * v).cos()
    }

    fn est(ps: &[Vec<f64>]) -> Estimate {
        estimate(ps, 7).unwrap()
    }

    fn changed(old: &[Vec<f64>], new: &[Vec<f64>], seed: u64) -> Verdict {
        let r = ratio_with(old, new, seed, 500).unwrap();
        verdict(&r, &est(old), &est(new))
    }

    #[test]
    fn one_process_gives_the_sample_median_and_a_narrow_interval() {
        let e = est(&[vec![10.0, 11.0, 12.0, 13.0, 14.0]]);
        assert_eq!((e.median, e.processes, e.samples, e.between), (12.0, 1, 5, 0.0));
        assert!(e.interval.lo >= 10.0 && e.interval.hi <= 14.0 && e.interval.contains(12.0));
        assert!(!e.unstable);
        assert!(estimate(&[vec![], vec![]], 1).is_none());
    }

    #[test]
    fn disagreeing_processes_widen_the_interval_and_are_flagged() {
        // Tight inside each process (about 1%), 2x apart between them.
        let modes = [vec![100.0, 101.0, 99.0], vec![200.0, 202.0, 198.0], vec![100.0, 100.5, 99.5]];
        let e = est(&modes);
        assert!(e.unstable, "{e:?}");
        assert!(e.interval.hi >= 190.0, "the interval must cover the other mode: {e:?}");
        assert!(e.within < 0.02 && e.between > 0.9);
        // The same spread inside one process is not instability.
        let calm = est(&[vec![100.0, 200.0, 150.0], vec![110.0, 190.0, 150.0], vec![105.0, 195.0, 150.0]]);
        assert!(!calm.unstable, "{calm:?}");
    }

    #[test]
    fn the_interval_is_reproducible_for_a_seed() {
        let ps = [vec![1.0, 2.0, 3.0], vec![2.0, 3.0, 4.0], vec![3.0, 4.0, 9.0]];
        assert_eq!(estimate(&ps, 42), estimate(&ps, 42));
        assert_eq!(seed_for("sync/atomic/10x100000"), seed_for("sync/atomic/10x100000"));
        assert_ne!(seed_for("a"), seed_for("b"));
    }

    #[test]
    fn a_ratio_lies_inside_its_own_interval_when_processes_differ_in_samples() {
        // Slow processes take fewer samples within the budget. Four
        // processes of 9 samples at 30 and six of 1 sample at 10: the pooled
        // median is 30, the geometric mean of process medians about 15.5, and
        // its Welch interval about [10.7, 22.5]. The ratio of pooled medians
        // (30) lay outside its own interval; the point is now its centre.
        let fast: Vec<Vec<f64>> = (0..10).map(|p| vec![1.0 + p as f64 * 0.001; 3]).collect();
        let slow: Vec<Vec<f64>> = (0..10).map(|p| if p < 4 { vec![30.0; 9] } else { vec![10.0] }).collect();
        let r = ratio(&fast, &slow, 1).unwrap();
        assert!(r.interval.contains(r.point), "{r:?}");
        assert!(!r.interval.contains(30.0), "the pooled medians' ratio lies outside: {r:?}");
        let log_mean = |ps: &[Vec<f64>]| ps.iter().map(|p| p[0].ln()).sum::<f64>() / ps.len() as f64;
        let geometric = (log_mean(&slow) - log_mean(&fast)).exp();
        assert!((r.point - geometric).abs() < 1e-9, "{r:?} against {geometric}");
        // One process a side: the ratio of the medians, as before.
        let one = ratio(&[vec![2.0, 2.0, 2.0]], &[vec![6.0, 6.0, 6.0]], 1).unwrap();
        assert!((one.point - 3.0).abs() < 1e-9, "{one:?}");
    }

    #[test]
    fn compare_rarely_cries_wolf_on_one_distribution() {
        // Two runs of the same cell: 3 processes of 10 samples, samples 2%
        // apart (log sd) and processes 1%, 5% or 20% apart; 400 seeds each.
        for between in [0.01, 0.05, 0.2] {
            let mut rng = StdRng::seed_from_u64(1);
            let trials: u64 = 400;
            let alarms = (0..trials)
                .filter(|&seed| {
                    let old = cell(&mut rng, 1e6, 3, 10, between, 0.02);
                    let new = cell(&mut rng, 1e6, 3, 10, between, 0.02);
                    changed(&old, &new, seed) != Verdict::NoChange
                })
                .count() as u64;
            assert!(alarms * 20 <= trials, "false alarms at {between}: {alarms} of {trials}");
        }
    }

    #[test]
    fn compare_rarely_cries_wolf_when_processes_land_in_modes() {
        // A bimodal cell (each process in one of two modes 2x apart).
        let mut rng = StdRng::seed_from_u64(2);
        let trials: u64 = 300;
        let bimodal = |rng: &mut StdRng| -> Vec<Vec<f64>> {
            (0..3)
                .map(|_| {
                    let mode = if rng.random_bool(0.5) { 1e6 } else { 2e6 };
                    (0..10).map(|_| mode * (0.02 * normal(rng)).exp()).collect()
                })
                .collect()
        };
        let alarms = (0..trials)
            .filter(|&seed| changed(&bimodal(&mut rng), &bimodal(&mut rng), seed) != Verdict::NoChange)
            .count();
        assert!(alarms as u64 * 20 <= trials, "false alarms: {alarms} of {trials}");
    }

    #[test]
    fn compare_calls_a_clear_shift() {
        let mut rng = StdRng::seed_from_u64(3);
        let trials: u64 = 100;
        let mut seen = [0u64; 2];
        for seed in 0..trials {
            let old = cell(&mut rng, 1e6, 3, 10, 0.02, 0.02);
            let slower = cell(&mut rng, 1.2e6, 3, 10, 0.02, 0.02);
            let faster = cell(&mut rng, 0.8e6, 3, 10, 0.02, 0.02);
            seen[0] += u64::from(changed(&old, &slower, seed) == Verdict::Slower);
            seen[1] += u64::from(changed(&old, &faster, seed) == Verdict::Faster);
        }
        assert!(seen.iter().all(|&s| s * 100 >= trials * 95), "detected {seen:?} of {trials}");
    }

    #[test]
    fn overlapping_intervals_share_a_rank() {
        let iv = |lo, hi| Interval { lo, hi };
        // a and b overlap; c is clearly slower than both; d overlaps c only.
        let ranks = ranks(&[iv(1.0, 2.0), iv(1.5, 2.5), iv(3.0, 4.0), iv(3.5, 5.0)]);
        let got: Vec<_> = ranks.iter().map(|r| (r.rank, r.tied)).collect();
        assert_eq!(got, vec![(1, true), (1, true), (3, true), (3, true)]);
        let apart = super::ranks(&[iv(1.0, 2.0), iv(3.0, 4.0)]);
        assert_eq!(apart, vec![Rank { rank: 1, tied: false }, Rank { rank: 2, tied: false }]);
    }

    #[test]
    fn a_winner_is_named_only_when_separated() {
        let iv = |lo, hi| Interval { lo, hi };
        assert_eq!(winner(&[1.5, 3.5], &[iv(1.0, 2.0), iv(3.0, 4.0)]), Some(Winner::Single(0)));
        assert_eq!(
            winner(&[2.0, 1.5, 9.0], &[iv(1.0, 3.0), iv(1.0, 2.0), iv(8.0, 9.0)]),
            Some(Winner::Tied(vec![1, 0]))
        );
        assert_eq!(winner(&[], &[]), None);
    }

    #[test]
    fn spearman_known_values() {
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]), Some(1.0));
        assert_eq!(spearman(&[1.0, 2.0, 3.0], &[3.0, 2.0, 1.0]), Some(-1.0));
        assert_eq!(spearman(&[1.0, 1.0], &[1.0, 2.0]), None);
        let r = spearman(&[1.0, 2.0, 2.0, 4.0], &[1.0, 3.0, 2.0, 4.0]).unwrap();
        assert!((r - 0.9487).abs() < 1e-3, "{r}");
    }
}
