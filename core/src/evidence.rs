//! Evidence across processes.
//!
//! A cell (one variant on one runtime and workload) is measured in several
//! processes. Samples inside one process are not independent evidence: a
//! process can land in a mode (thread placement, memory layout, a scheduler
//! decision) and stay there, so its samples agree closely with each other
//! and not with the next process. The unit of evidence is therefore the
//! process: a cell's point estimate is the geometric mean of its process
//! medians, its interval a t interval over their logs, and two cells (or two
//! runs of one cell) are compared by Welch's t test on the log process
//! medians. Every figure a report shows (the point, the ranks, "× fastest",
//! compare's verdict) comes from that one estimate, so no point can lie
//! outside its own interval.
//!
//! How much of a cell's noise is between processes and how much within one
//! is split by a one-way random-effects analysis of variance on the log
//! samples; a cell is flagged unstable only when the between-process part is
//! both significant and large (see [`is_unstable`]).
//!
//! A cell measured in one process only has no between-process evidence: its
//! interval then comes from a bootstrap of that process's samples (following
//! Kalibera and Jones, "Rigorous Benchmarking in Reasonable Time", 2013), and
//! says nothing about other processes. Everything here is pure and seeded,
//! so a report rendered twice from the same records is identical.

use crate::stats::quantile;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use statrs::distribution::{ContinuousCDF, FisherSnedecor, StudentsT};

/// Bootstrap resamples behind a single-process interval: enough for stable
/// 2.5% and 97.5% percentiles.
pub const RESAMPLES: usize = 2_000;
/// Coverage of every interval, and 1 - the significance level of every test.
pub const CONFIDENCE: f64 = 0.95;
/// The smallest change compare calls, however sure the interval: a 2% shift
/// on a shared machine is real but rarely worth a reader's attention, and a
/// threshold keeps tiny, systematic shifts (a warmer CPU) from being called.
pub const PRACTICAL: f64 = 0.03;
/// The power at which the minimum detectable effect is quoted.
pub const POWER: f64 = 0.80;
/// A cell is unstable only when the F test of its between-process variance
/// has a p-value below this (the processes disagree far beyond what the
/// noise inside each explains)...
pub const UNSTABLE_ALPHA: f64 = 0.001;
/// ...and the between-process standard deviation (on the log scale, about a
/// relative spread) exceeds this: large enough to move a rank.
pub const UNSTABLE_SD: f64 = 0.10;

/// A closed interval `[lo, hi]`.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    /// Lower end.
    pub lo: f64,
    /// Upper end.
    pub hi: f64,
}

impl Interval {
    /// True when the two intervals share a point.
    pub fn overlaps(&self, other: &Interval) -> bool {
        self.lo <= other.hi && other.lo <= self.hi
    }

    /// True when `x` lies inside.
    pub fn contains(&self, x: f64) -> bool {
        self.lo <= x && x <= self.hi
    }

    /// Half the width on the log scale, as a share: `sqrt(hi / lo) - 1`
    /// (0.05 for a ±5% interval); 0 for a degenerate or non-positive one.
    pub fn half_width(&self) -> f64 {
        if self.lo > 0.0 && self.hi >= self.lo { (self.hi / self.lo).sqrt() - 1.0 } else { 0.0 }
    }
}

/// What the processes of one cell say about its typical time.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Estimate {
    /// The typical time: the geometric mean of the process medians (the
    /// centre of `interval`); with one process, the median of its samples.
    pub point: f64,
    /// [`CONFIDENCE`] interval of `point`: a t interval over the log process
    /// medians, or with one process a bootstrap of its samples.
    pub interval: Interval,
    /// Processes that contributed samples.
    pub processes: usize,
    /// Samples in all.
    pub samples: usize,
    /// Standard deviation of the log samples inside a process (about a
    /// relative spread: 0.05 is 5%), from the random-effects split; `None`
    /// when no process took two samples.
    pub within: Option<f64>,
    /// Standard deviation of the process means beyond what `within`
    /// explains (log scale): the random-effects between-process component.
    /// With one sample per process it is the plain spread of the processes
    /// (within cannot be told apart); 0 with one process.
    pub between: f64,
    /// The processes disagree significantly and by a lot: see [`is_unstable`].
    pub unstable: bool,
}

/// A one-way random-effects split of log samples into within- and
/// between-process variance (unbalanced groups, ANOVA estimator).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct VarianceSplit {
    /// Within-process variance (the within mean square); `None` when no
    /// process has two samples.
    pub within: Option<f64>,
    /// Between-process variance component, never negative.
    pub between: f64,
    /// p-value of the F test that the between component is zero; `None`
    /// without within-process evidence or with one process.
    pub p_value: Option<f64>,
}

/// Splits the variance of `processes` (each a list of positive samples) on
/// the log scale; `None` with no positive sample.
pub fn variance_split(processes: &[Vec<f64>]) -> Option<VarianceSplit> {
    let groups: Vec<Vec<f64>> = processes
        .iter()
        .map(|p| p.iter().filter(|&&x| x > 0.0).map(|x| x.ln()).collect::<Vec<f64>>())
        .filter(|g| !g.is_empty())
        .collect();
    let k = groups.len();
    let n: usize = groups.iter().map(Vec::len).sum();
    if k == 0 {
        return None;
    }
    let mean = |g: &[f64]| g.iter().sum::<f64>() / g.len() as f64;
    let means: Vec<f64> = groups.iter().map(|g| mean(g)).collect();
    let grand = groups.iter().flatten().sum::<f64>() / n as f64;
    let ss_within: f64 = groups.iter().zip(&means).map(|(g, m)| g.iter().map(|x| (x - m).powi(2)).sum::<f64>()).sum();
    let ss_between: f64 = groups.iter().zip(&means).map(|(g, m)| g.len() as f64 * (m - grand).powi(2)).sum();
    let (df_within, df_between) = (n - k, k.saturating_sub(1));
    if df_between == 0 {
        return Some(VarianceSplit {
            within: (df_within > 0).then(|| ss_within / df_within as f64),
            between: 0.0,
            p_value: None,
        });
    }
    let ms_between = ss_between / df_between as f64;
    if df_within == 0 {
        // One sample per process: the processes' spread is all we know.
        return Some(VarianceSplit { within: None, between: ms_between, p_value: None });
    }
    let ms_within = ss_within / df_within as f64;
    // The effective group size of an unbalanced design.
    let sum_sq: f64 = groups.iter().map(|g| (g.len() * g.len()) as f64).sum();
    let n0 = (n as f64 - sum_sq / n as f64) / df_between as f64;
    let between = ((ms_between - ms_within) / n0).max(0.0);
    let p_value = if ms_within > 0.0 {
        FisherSnedecor::new(df_between as f64, df_within as f64).ok().map(|f| f.sf(ms_between / ms_within))
    } else {
        // No noise inside any process: any disagreement is beyond it.
        Some(if ms_between > 0.0 { 0.0 } else { 1.0 })
    };
    Some(VarianceSplit { within: Some(ms_within), between, p_value })
}

/// Is a cell unstable? When the processes disagree beyond their own noise
/// *and* by a lot: the F test puts the between-process variance beyond the
/// within-process one (p < [`UNSTABLE_ALPHA`]) and the between-process
/// standard deviation exceeds [`UNSTABLE_SD`]. The processes then land in
/// different modes, and the cell's interval is wide because of it.
///
/// With one sample per process (`processes` each of one sample) the two
/// cannot be split, and a wide spread alone is no sign of modes: on a
/// noisy VM most such cells spread 10% and more (114 of 138 cells of a
/// default run there took one sample per process, and the old rule, the
/// spread alone, flagged 80% of cells, which told a reader nothing). Such a
/// cell is flagged only when its processes spread beyond [`UNSTABLE_SD`]
/// *and* fall into two groups far apart ([`modes`]); evenly scattered
/// processes are noise, which the interval already carries.
pub fn is_unstable(split: &VarianceSplit, processes: &[Vec<f64>]) -> bool {
    let large = split.between.sqrt() > UNSTABLE_SD;
    match split.p_value {
        Some(p) => large && p < UNSTABLE_ALPHA,
        None => large && split.within.is_none() && modes(processes).is_some(),
    }
}

/// A group of processes that landed in one mode: how many, and their
/// typical time (the geometric mean of their medians).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Mode {
    /// Processes in this mode.
    pub processes: usize,
    /// Their typical time.
    pub point: f64,
}

/// The two modes an unstable cell's processes fall into, when they do:
/// sorted on a log scale, split at the widest gap between neighbours, and
/// two modes only when that gap is wider than [`UNSTABLE_SD`] and than
/// twice the spread inside either side (a gap among evenly scattered
/// processes is no mode). Faster mode first; `None` below three processes.
pub fn modes(processes: &[Vec<f64>]) -> Option<[Mode; 2]> {
    let mut logs: Vec<f64> =
        process_medians(&nonempty(processes)).into_iter().filter(|m| *m > 0.0).map(f64::ln).collect();
    if logs.len() < 3 {
        return None;
    }
    logs.sort_by(f64::total_cmp);
    let (at, gap) =
        logs.windows(2).enumerate().map(|(i, w)| (i + 1, w[1] - w[0])).max_by(|a, b| a.1.total_cmp(&b.1))?;
    let (low, high) = logs.split_at(at);
    let width = |side: &[f64]| side.last().unwrap_or(&0.0) - side.first().unwrap_or(&0.0);
    if gap <= UNSTABLE_SD || gap <= 2.0 * width(low).max(width(high)) {
        return None;
    }
    let mode =
        |side: &[f64]| Mode { processes: side.len(), point: (side.iter().sum::<f64>() / side.len() as f64).exp() };
    Some([mode(low), mode(high)])
}

/// A ratio of two cells' typical times (`new / old`) with its interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Ratio {
    /// `new / old`: the ratio of the two sides' point estimates (geometric
    /// means of process medians), the centre of `interval`. When a side has
    /// one process: the ratio of the medians, with a bootstrap interval.
    pub point: f64,
    /// [`CONFIDENCE`] interval of the ratio: Welch's t interval on the two
    /// sides' log process medians (a bootstrap when a side has one process).
    pub interval: Interval,
}

impl Ratio {
    /// Exactly 1, with no uncertainty: a cell against itself.
    pub const ONE: Ratio = Ratio { point: 1.0, interval: Interval { lo: 1.0, hi: 1.0 } };

    /// The interval excludes 1: the data order the two sides.
    pub fn separates(&self) -> bool {
        !self.interval.contains(1.0)
    }
}

/// Whether a cell changed between two runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// Faster in the new run, beyond the interval and [`PRACTICAL`].
    Faster,
    /// Slower in the new run, beyond the interval and [`PRACTICAL`].
    Slower,
    /// The data cannot tell the runs apart (benchstat's `~`).
    NoChange,
}

/// A cell's rank among others as a range: the ranks the data allow it.
/// `lo` is one more than the cells it is clearly slower than, `hi` is the
/// number of cells less those it is clearly faster than; "clearly" is a
/// pairwise Welch test, Holm-corrected over the cell's comparisons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rank {
    /// Best rank the data allow (1 for the cells nothing is clearly faster than).
    pub lo: usize,
    /// Worst rank the data allow.
    pub hi: usize,
}

impl Rank {
    /// The data cannot pin this cell to one rank.
    pub fn tied(&self) -> bool {
        self.lo != self.hi
    }

    /// `3`, or `2–5` when the data allow a range.
    pub fn label(&self) -> String {
        if self.tied() { format!("{}–{}", self.lo, self.hi) } else { self.lo.to_string() }
    }
}

/// Who is fastest, as far as the data can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Winner {
    /// This cell is clearly faster than every other.
    Single(usize),
    /// These cells (fastest point first) cannot be separated from the fastest.
    Tied(Vec<usize>),
}

/// A seed that depends only on `key` (FNV-1a, stable across Rust versions),
/// so every cell gets its own bootstrap stream and reports reproduce.
pub fn seed_for(key: &str) -> u64 {
    key.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The estimate of a cell from its processes' samples (ns or any positive
/// unit); `None` when no process has a sample.
pub fn estimate(processes: &[Vec<f64>], seed: u64) -> Option<Estimate> {
    let processes = nonempty(processes);
    let pooled = sorted(processes.iter().flat_map(|p| p.iter().copied()).collect());
    if pooled.is_empty() {
        return None;
    }
    let medians = process_medians(&processes);
    let (point, interval) = match log_moments(&medians) {
        Some((mean, var)) => {
            let n = medians.len() as f64;
            let half = t_quantile(n - 1.0, two_sided(CONFIDENCE)) * (var / n).sqrt();
            (mean.exp(), Interval { lo: (mean - half).exp(), hi: (mean + half).exp() })
        }
        None => {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut scratch = Vec::with_capacity(pooled.len());
            let mut boot: Vec<f64> =
                (0..RESAMPLES).map(|_| resampled_median(&processes, &mut rng, &mut scratch)).collect();
            boot.sort_by(f64::total_cmp);
            (quantile(&pooled, 0.5), percentile_interval(&boot))
        }
    };
    let owned: Vec<Vec<f64>> = processes.iter().map(|p| p.to_vec()).collect();
    let split = variance_split(&owned).unwrap_or(VarianceSplit { within: None, between: 0.0, p_value: None });
    Some(Estimate {
        point,
        interval,
        processes: processes.len(),
        samples: pooled.len(),
        within: split.within.map(f64::sqrt),
        between: split.between.sqrt(),
        unstable: is_unstable(&split, &owned),
    })
}

/// Welch's t test of two sides' log process medians: the difference of
/// their means, its standard error and the Welch-Satterthwaite degrees of
/// freedom.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Welch {
    diff: f64,
    se: f64,
    df: f64,
}

impl Welch {
    fn of(old: &[f64], new: &[f64]) -> Option<Welch> {
        let ((m_old, v_old), (m_new, v_new)) = (log_moments(old)?, log_moments(new)?);
        let (n_old, n_new) = (old.len() as f64, new.len() as f64);
        let (a, b) = (v_old / n_old, v_new / n_new);
        let se = (a + b).sqrt();
        let df =
            if se > 0.0 { (a + b).powi(2) / (a * a / (n_old - 1.0) + b * b / (n_new - 1.0)) } else { f64::INFINITY };
        Some(Welch { diff: m_new - m_old, se, df })
    }

    fn ratio(&self) -> Ratio {
        let half = t_quantile(self.df, two_sided(CONFIDENCE)) * self.se;
        Ratio {
            point: self.diff.exp(),
            interval: Interval { lo: (self.diff - half).exp(), hi: (self.diff + half).exp() },
        }
    }

    /// Two-sided p-value of "no difference".
    fn p_value(&self) -> f64 {
        if self.se == 0.0 {
            return if self.diff == 0.0 { 1.0 } else { 0.0 };
        }
        let t = (self.diff / self.se).abs();
        match StudentsT::new(0.0, 1.0, self.df.max(1.0)) {
            Ok(dist) => (2.0 * dist.sf(t)).min(1.0),
            Err(_) => 1.0,
        }
    }

    /// The smallest shift (as a share) a test at [`CONFIDENCE`] finds with
    /// probability [`POWER`], with this standard error and these degrees of
    /// freedom.
    fn min_detectable(&self) -> f64 {
        let log = (t_quantile(self.df, two_sided(CONFIDENCE)) + t_quantile(self.df, POWER)) * self.se;
        log.exp() - 1.0
    }
}

/// `new / old` with its interval; `None` when either side has no sample or
/// a non-positive median.
pub fn ratio(old: &[Vec<f64>], new: &[Vec<f64>], seed: u64) -> Option<Ratio> {
    ratio_with(old, new, seed, RESAMPLES)
}

fn ratio_with(old: &[Vec<f64>], new: &[Vec<f64>], seed: u64, resamples: usize) -> Option<Ratio> {
    let (old, new) = (nonempty(old), nonempty(new));
    let pooled_median = |ps: &[&Vec<f64>]| quantile(&sorted(ps.iter().flat_map(|p| p.iter().copied()).collect()), 0.5);
    if old.is_empty() || new.is_empty() {
        return None;
    }
    let (m_old, m_new) = (pooled_median(&old), pooled_median(&new));
    if m_old <= 0.0 || m_new <= 0.0 {
        return None;
    }
    if let Some(w) = Welch::of(&process_medians(&old), &process_medians(&new)) {
        return Some(w.ratio());
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

/// The smallest change (a share: 0.08 is 8%) that comparing these two
/// runs of a cell would call at [`POWER`] power, never below
/// [`PRACTICAL`]; `None` unless both sides have two processes or more.
pub fn min_detectable(old: &[Vec<f64>], new: &[Vec<f64>]) -> Option<f64> {
    let w = Welch::of(&process_medians(&nonempty(old)), &process_medians(&nonempty(new)))?;
    Some(w.min_detectable().max(PRACTICAL))
}

/// The compare verdict for a cell: changed only when the ratio's interval
/// excludes 1 *and* the change exceeds [`PRACTICAL`]. The interval already
/// carries the spread between processes (it is a t interval over process
/// medians), so that spread is not counted a second time.
pub fn verdict(ratio: &Ratio) -> Verdict {
    let beyond_practical = ratio.point.ln().abs() > (1.0 + PRACTICAL).ln();
    match (ratio.separates(), beyond_practical) {
        (true, true) if ratio.point < 1.0 => Verdict::Faster,
        (true, true) => Verdict::Slower,
        _ => Verdict::NoChange,
    }
}

/// Is `b` clearly different from `a`? The p-value of the pairwise test: a
/// Welch test on the log process medians; with one process on either side,
/// 0 when the two cells' intervals are apart and 1 when they overlap (no
/// between-process evidence: only the coarse test is honest).
fn pair_p_value(a: &[f64], b: &[f64], a_est: &Estimate, b_est: &Estimate) -> f64 {
    match Welch::of(a, b) {
        Some(w) => w.p_value(),
        None if a_est.interval.overlaps(&b_est.interval) => 1.0,
        None => 0.0,
    }
}

/// Which of `p_values` (one family of tests) Holm's step-down procedure
/// rejects at level 1 - [`CONFIDENCE`].
fn holm(p_values: &[f64]) -> Vec<bool> {
    let alpha = 1.0 - CONFIDENCE;
    let mut order: Vec<usize> = (0..p_values.len()).collect();
    order.sort_by(|&a, &b| p_values[a].total_cmp(&p_values[b]));
    let mut rejected = vec![false; p_values.len()];
    let m = p_values.len();
    for (step, &i) in order.iter().enumerate() {
        if p_values[i] > alpha / (m - step) as f64 {
            break;
        }
        rejected[i] = true;
    }
    rejected
}

/// For each cell, which others it is clearly different from: pairwise tests
/// Holm-corrected over that cell's own comparisons (the marginal rank
/// confidence sets of Mogstad, Romano, Shaikh and Wilhelm, "Inference for
/// Ranks", 2024).
fn separations(processes: &[Vec<Vec<f64>>], estimates: &[Estimate]) -> Vec<Vec<bool>> {
    let medians: Vec<Vec<f64>> = processes.iter().map(|p| process_medians(&nonempty(p))).collect();
    (0..processes.len())
        .map(|i| {
            let others: Vec<usize> = (0..processes.len()).filter(|&j| j != i).collect();
            let p: Vec<f64> =
                others.iter().map(|&j| pair_p_value(&medians[i], &medians[j], &estimates[i], &estimates[j])).collect();
            let rejected = holm(&p);
            let mut row = vec![false; processes.len()];
            for (&j, r) in others.iter().zip(rejected) {
                row[j] = r;
            }
            row
        })
        .collect()
}

/// Rank ranges of cells (each given as its processes' samples, with its
/// estimate): cell `i` may rank anywhere from 1 + the cells clearly faster
/// than it to the number of cells less those clearly slower. Cells the data
/// cannot order share ranks; unlike "intervals overlap", the test behind
/// "clearly" is the pairwise one a reader can check.
pub fn ranks(processes: &[Vec<Vec<f64>>], estimates: &[Estimate]) -> Vec<Rank> {
    let apart = separations(processes, estimates);
    let k = processes.len();
    (0..k)
        .map(|i| {
            let faster = (0..k).filter(|&j| apart[i][j] && estimates[j].point < estimates[i].point).count();
            let slower = (0..k).filter(|&j| apart[i][j] && estimates[j].point > estimates[i].point).count();
            Rank { lo: 1 + faster, hi: k - slower }
        })
        .collect()
}

/// The fastest cell by point estimate, alone when it is clearly faster than
/// every other (Holm over its comparisons); otherwise with every cell it
/// cannot be separated from, fastest point first. `None` for no cells.
pub fn winner(processes: &[Vec<Vec<f64>>], estimates: &[Estimate]) -> Option<Winner> {
    let mut order: Vec<usize> = (0..processes.len().min(estimates.len())).collect();
    order.sort_by(|&a, &b| estimates[a].point.total_cmp(&estimates[b].point));
    let &best = order.first()?;
    let apart = separations(processes, estimates);
    let tied: Vec<usize> = order.iter().copied().filter(|&j| j == best || !apart[best][j]).collect();
    Some(if tied.len() == 1 { Winner::Single(best) } else { Winner::Tied(tied) })
}

/// Cells a run needs before [`shift`] says anything.
pub const SHIFT_MIN_CELLS: usize = 10;

/// How the whole of a run moved against another: every cell's NEW/OLD
/// ratio at once. A shift that every cell shares is either a change that
/// touches every cell (the harness, the compiler) or the machine itself
/// running faster or slower between the two runs, which per-cell
/// verdicts cannot tell apart from a real change of that cell.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    /// Cells compared.
    pub cells: usize,
    /// Cells whose NEW is slower (ratio above 1).
    pub slower: usize,
    /// The median ratio over cells.
    pub median: f64,
    /// A distribution-free 95% interval of that median (order statistics
    /// at the binomial quantiles), as ratios.
    pub interval: (f64, f64),
    /// Two-sided sign test of "as many cells got slower as faster".
    pub p: f64,
}

impl Shift {
    /// The run moved as a whole: the sign test rejects at 1% and the
    /// median moved by more than a third of the practical threshold. (A
    /// third: a 1% shift is invisible in any one cell, yet with the
    /// threshold at 3% it turns borderline cells into verdicts.)
    pub fn is_significant(&self) -> bool {
        self.p < 0.01 && self.median.ln().abs() > PRACTICAL / 3.0
    }
}

/// The shift of a run from the per-cell ratios NEW/OLD; `None` with fewer
/// than [`SHIFT_MIN_CELLS`] cells.
pub fn shift(ratios: &[f64]) -> Option<Shift> {
    use statrs::distribution::{Binomial, DiscreteCDF};
    let mut sorted: Vec<f64> = ratios.iter().copied().filter(|r| r.is_finite() && *r > 0.0).collect();
    let n = sorted.len();
    if n < SHIFT_MIN_CELLS {
        return None;
    }
    sorted.sort_by(f64::total_cmp);
    let slower = sorted.iter().filter(|r| **r > 1.0).count();
    let faster = sorted.iter().filter(|r| **r < 1.0).count();
    let binomial = |m: usize| Binomial::new(0.5, m as u64).ok();
    // Ties at exactly 1 carry no sign.
    let p = match binomial(slower + faster) {
        Some(b) if slower + faster > 0 => (2.0 * b.cdf(slower.min(faster) as u64)).min(1.0),
        _ => 1.0,
    };
    // The k-th smallest and k-th largest bound the median with at least
    // 95% coverage when P(Bin(n, 1/2) < k) <= 2.5%.
    let b = binomial(n)?;
    let k =
        (0..n as u64).take_while(|&k| k == 0 || b.cdf(k - 1) <= (1.0 - CONFIDENCE) / 2.0).last().unwrap_or(0) as usize;
    let k = k.max(1);
    Some(Shift { cells: n, slower, median: quantile(&sorted, 0.5), interval: (sorted[k - 1], sorted[n - k]), p })
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

/// The probability below the upper end of a two-sided interval of `coverage`.
fn two_sided(coverage: f64) -> f64 {
    1.0 - (1.0 - coverage) / 2.0
}

/// The `q` quantile of Student's t with `df` degrees of freedom (the normal
/// quantile for infinite df), from statrs.
fn t_quantile(df: f64, q: f64) -> f64 {
    // Past a million degrees of freedom t is the normal to many digits.
    let df = if df.is_finite() { df.clamp(1.0, 1e6) } else { 1e6 };
    StudentsT::new(0.0, 1.0, df).map_or(f64::NAN, |t| t.inverse_cdf(q))
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

fn nonempty(processes: &[Vec<f64>]) -> Vec<&Vec<f64>> {
    processes.iter().filter(|p| !p.is_empty()).collect()
}

fn sorted(mut xs: Vec<f64>) -> Vec<f64> {
    xs.sort_by(f64::total_cmp);
    xs
}

#[cfg(test)]
mod shift_tests {
    use super::*;

    #[test]
    fn a_run_that_moved_as_a_whole_is_told_from_scatter() {
        // 40 cells scattered evenly around 1: no shift.
        let even: Vec<f64> =
            (0..40).map(|i| if i % 2 == 0 { 1.0 + 0.01 * i as f64 } else { 1.0 - 0.01 * i as f64 / 2.0 }).collect();
        let s = shift(&even).unwrap();
        assert!(!s.is_significant(), "{s:?}");
        assert!(s.interval.0 < 1.0 && s.interval.1 > 1.0, "{s:?}");
        // The same cells 4% slower: 36 of 40 slower, median 1.04-ish.
        let moved: Vec<f64> = (0..40).map(|i| 1.04 + 0.002 * (i as f64 - 20.0)).collect();
        let s = shift(&moved).unwrap();
        assert!(s.is_significant() && s.slower > 30 && s.p < 1e-6, "{s:?}");
        assert!(s.interval.0 > 1.0 && s.interval.0 <= s.median && s.median <= s.interval.1, "{s:?}");
        // Significant but tiny (0.5%): not called a shift.
        let tiny: Vec<f64> = moved.iter().map(|r| r / 1.035).collect();
        assert!(!shift(&tiny).unwrap().is_significant());
        assert_eq!(shift(&moved[..SHIFT_MIN_CELLS - 1]), None);
    }
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
        verdict(&ratio_with(old, new, seed, 500).unwrap())
    }

    /// Of `trials` A/A pairs of cells drawn by `draw`, how many compare calls changed.
    fn alarms(trials: u64, mut draw: impl FnMut() -> (Vec<Vec<f64>>, Vec<Vec<f64>>)) -> u64 {
        (0..trials)
            .filter(|&seed| {
                let (old, new) = draw();
                changed(&old, &new, seed) != Verdict::NoChange
            })
            .count() as u64
    }

    #[test]
    fn t_quantiles_match_the_tables() {
        // Two-sided 95% (the 0.975 quantile) at 1, 10, 35 and infinite df;
        // the old hand-written table read 2.021 for every df from 31 to 39.
        for (df, expect) in [(1.0, 12.706), (10.0, 2.228), (35.0, 2.030), (f64::INFINITY, 1.960)] {
            let got = t_quantile(df, 0.975);
            assert!((got - expect).abs() < 1e-3, "df {df}: {got}");
        }
        assert!((t_quantile(8.0, 0.80) - 0.889).abs() < 1e-3);
    }

    #[test]
    fn the_variance_split_recovers_known_components() {
        // Balanced, by hand: logs of groups {0, 0.2}, {1, 1.2}: within mean
        // square 0.02, between mean square 2 * 0.5 = 1, so the between
        // component is (1 - 0.02) / 2 = 0.49.
        let ps: Vec<Vec<f64>> =
            [[0.0, 0.2], [1.0, 1.2]].iter().map(|g| g.iter().map(|x: &f64| x.exp()).collect()).collect();
        let s = variance_split(&ps).unwrap();
        assert!((s.within.unwrap() - 0.02).abs() < 1e-12, "{s:?}");
        assert!((s.between - 0.49).abs() < 1e-12, "{s:?}");
        // F = 1 / 0.02 = 50 on (1, 2) degrees of freedom, the square of t = √50
        // on 2: p = 1 - √50 / √52, about 0.0194.
        assert!((s.p_value.unwrap() - 0.0194).abs() < 1e-3, "{s:?}");
        // Drawn data: 40 processes of 5 samples, between 0.1 and within 0.03.
        let mut rng = StdRng::seed_from_u64(11);
        let s = variance_split(&cell(&mut rng, 1e6, 40, 5, 0.1, 0.03)).unwrap();
        assert!((s.between.sqrt() - 0.1).abs() < 0.03 && (s.within.unwrap().sqrt() - 0.03).abs() < 0.005, "{s:?}");
        // One sample per process: no within evidence, no test. Processes
        // in two groups far apart flag the cell; a wide but even scatter
        // (noise, which the interval carries) and a narrow one do not.
        let flagged = |ps: &[Vec<f64>]| is_unstable(&variance_split(ps).unwrap(), ps);
        let scattered = [vec![1.0], vec![2.0], vec![1.5]];
        let single = variance_split(&scattered).unwrap();
        assert_eq!((single.within, single.p_value), (None, None));
        assert!(single.between.sqrt() > UNSTABLE_SD && !flagged(&scattered));
        assert!(flagged(&[vec![1.0], vec![1.02], vec![2.0], vec![2.05], vec![1.01]]));
        assert!(!flagged(&[vec![1.0], vec![1.02], vec![0.99]]));
    }

    #[test]
    fn one_process_gives_the_sample_median_and_a_narrow_interval() {
        let e = est(&[vec![10.0, 11.0, 12.0, 13.0, 14.0]]);
        assert_eq!((e.point, e.processes, e.samples, e.between), (12.0, 1, 5, 0.0));
        assert!(e.interval.lo >= 10.0 && e.interval.hi <= 14.0 && e.interval.contains(12.0));
        assert!(!e.unstable);
        assert!(estimate(&[vec![], vec![]], 1).is_none());
    }

    #[test]
    fn the_point_is_the_centre_of_its_interval() {
        // Slow processes took more samples: the pooled median (30) sits far
        // from the typical process; the point is the geometric mean.
        let ps: Vec<Vec<f64>> = (0..6).map(|p| if p < 2 { vec![30.0; 9] } else { vec![10.0 + p as f64] }).collect();
        let e = est(&ps);
        let centre = (e.interval.lo * e.interval.hi).sqrt();
        assert!((e.point - centre).abs() / e.point < 1e-9, "{e:?}");
        assert!(e.point < 20.0, "{e:?}");
    }

    #[test]
    fn disagreeing_processes_widen_the_interval_and_are_flagged() {
        // Tight inside each process (about 1%), 2x apart between them.
        let modes = [vec![100.0, 101.0, 99.0], vec![200.0, 202.0, 198.0], vec![100.0, 100.5, 99.5]];
        let e = est(&modes);
        assert!(e.unstable, "{e:?}");
        assert!(e.interval.hi >= 190.0, "the interval must cover the other mode: {e:?}");
        assert!(e.within.unwrap() < 0.02 && e.between > 0.3, "{e:?}");
        // The same spread inside one process is not instability.
        let calm = est(&[vec![100.0, 200.0, 150.0], vec![110.0, 190.0, 150.0], vec![105.0, 195.0, 150.0]]);
        assert!(!calm.unstable, "{calm:?}");
        // Significant but small (3% apart, 0.1% inside): not worth a flag.
        let small = est(&[vec![100.0, 100.1, 99.9], vec![103.0, 103.1, 102.9], vec![100.0, 100.1, 99.9]]);
        assert!(!small.unstable, "{small:?}");
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
        let fast: Vec<Vec<f64>> = (0..10).map(|p| vec![1.0 + p as f64 * 0.001; 3]).collect();
        let slow: Vec<Vec<f64>> = (0..10).map(|p| if p < 4 { vec![30.0; 9] } else { vec![10.0] }).collect();
        let r = ratio(&fast, &slow, 1).unwrap();
        assert!(r.interval.contains(r.point), "{r:?}");
        assert!(!r.interval.contains(30.0), "the pooled medians' ratio lies outside: {r:?}");
        assert!((r.point - est(&slow).point / est(&fast).point).abs() < 1e-9, "the ratio of the points: {r:?}");
        // One process a side: the ratio of the medians.
        let one = ratio(&[vec![2.0, 2.0, 2.0]], &[vec![6.0, 6.0, 6.0]], 1).unwrap();
        assert!((one.point - 3.0).abs() < 1e-9, "{one:?}");
    }

    #[test]
    fn compare_rarely_cries_wolf_on_one_distribution() {
        // Two runs of the same cell: 5 processes of 3 samples, samples 2%
        // apart (log sd) and processes 1%, 5% or 20% apart; 400 seeds each.
        // Welch's test is exact for normal log medians, so the false alarms
        // are at most the nominal 5% (less where the 3% threshold bites);
        // allowed: 5% plus two binomial standard errors (about 2.2 points).
        for between in [0.01, 0.05, 0.2] {
            let mut rng = StdRng::seed_from_u64(1);
            let trials: u64 = 400;
            let found =
                alarms(trials, || (cell(&mut rng, 1e6, 5, 3, between, 0.02), cell(&mut rng, 1e6, 5, 3, between, 0.02)));
            assert!(found * 1000 <= trials * 72, "false alarms at {between}: {found} of {trials}");
        }
    }

    #[test]
    fn compare_rarely_cries_wolf_when_processes_land_in_modes() {
        // A bimodal cell (each process in one of two modes 2x apart).
        let mut rng = StdRng::seed_from_u64(2);
        let trials: u64 = 300;
        let mut bimodal = || -> Vec<Vec<f64>> {
            (0..5)
                .map(|_| {
                    let mode = if rng.random_bool(0.5) { 1e6 } else { 2e6 };
                    (0..3).map(|_| mode * (0.02 * normal(&mut rng)).exp()).collect()
                })
                .collect()
        };
        let found = alarms(trials, || (bimodal(), bimodal()));
        assert!(found * 1000 <= trials * 72, "false alarms: {found} of {trials}");
    }

    #[test]
    fn compare_sees_a_ten_percent_change_at_four_percent_spread() {
        // The target: with processes 4% apart and 5 a side, a 10%
        // slowdown is called in most pairs (the power calculation says about
        // 80%), and the minimum detectable effect says so.
        let mut rng = StdRng::seed_from_u64(3);
        let trials: u64 = 300;
        let (mut seen, mut mdes) = (0u64, Vec::new());
        for seed in 0..trials {
            let old = cell(&mut rng, 1e6, 5, 3, 0.04, 0.01);
            let new = cell(&mut rng, 1.1e6, 5, 3, 0.04, 0.01);
            seen += u64::from(changed(&old, &new, seed) == Verdict::Slower);
            mdes.push(min_detectable(&old, &new).unwrap());
        }
        assert!(seen * 100 >= trials * 70, "called {seen} of {trials}");
        let mde = quantile(&sorted(mdes), 0.5);
        assert!((0.06..0.14).contains(&mde), "median minimum detectable effect {mde}");
    }

    #[test]
    fn compare_calls_a_clear_shift_both_ways() {
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
        // A sure but tiny change is not called.
        let tight = |m: f64| vec![vec![m; 3], vec![m * 1.0001; 3], vec![m * 0.9999; 3]];
        assert_eq!(changed(&tight(1e6), &tight(1.02e6), 1), Verdict::NoChange);
        assert_eq!(changed(&tight(1e6), &tight(1.04e6), 1), Verdict::Slower);
    }

    #[test]
    fn modes_are_found_only_where_processes_cluster() {
        let p = |ms: &[f64]| -> Vec<Vec<f64>> { ms.iter().map(|m| vec![*m, *m * 1.001]).collect() };
        let [fast, slow] = modes(&p(&[80.0, 81.0, 79.0, 3100.0, 3050.0])).expect("two modes");
        assert_eq!((fast.processes, slow.processes), (3, 2));
        assert!((fast.point - 80.0).abs() < 1.0 && (slow.point - 3075.0).abs() < 10.0, "{fast:?} {slow:?}");
        // Evenly scattered processes, or a small gap, are no modes.
        assert_eq!(modes(&p(&[100.0, 130.0, 170.0, 220.0, 290.0])), None);
        assert_eq!(modes(&p(&[100.0, 101.0, 105.0, 106.0])), None);
        assert_eq!(modes(&p(&[100.0, 300.0])), None, "two processes are not enough");
    }

    #[test]
    fn holm_steps_down() {
        // m = 4: 0.01 <= 0.05/4, 0.015 <= 0.05/3, 0.03 > 0.05/2 stops.
        assert_eq!(holm(&[0.03, 0.01, 0.5, 0.015]), vec![false, true, false, true]);
        assert_eq!(holm(&[]), Vec::<bool>::new());
    }

    /// A cell of five processes at `m` (1% apart), each with three samples.
    fn five(m: f64) -> Vec<Vec<f64>> {
        [1.0, 1.01, 0.99, 1.005, 0.995].iter().map(|f| vec![m * f, m * f * 1.001, m * f * 0.999]).collect()
    }

    fn ranked(cells: &[Vec<Vec<f64>>]) -> Vec<String> {
        let ests: Vec<Estimate> = cells.iter().map(|c| est(c)).collect();
        ranks(cells, &ests).iter().map(Rank::label).collect()
    }

    #[test]
    fn ranks_come_from_pairwise_tests() {
        // a and b are 0.5% apart (cannot be ordered), c is clearly slower.
        assert_eq!(ranked(&[five(100.0), five(100.5), five(200.0)]), ["1–2", "1–2", "3"]);
        // Three cells 10% apart: each pair is clearly ordered.
        assert_eq!(ranked(&[five(100.0), five(110.0), five(121.0)]), ["1", "2", "3"]);
        // One-process cells fall back on their intervals.
        let single = [vec![vec![1.0, 1.1, 0.9]], vec![vec![10.0, 11.0, 9.0]]];
        assert_eq!(ranked(&single), ["1", "2"]);
    }

    #[test]
    fn a_winner_is_named_only_when_separated() {
        let cells = [five(100.0), five(200.0)];
        let ests: Vec<Estimate> = cells.iter().map(|c| est(c)).collect();
        assert_eq!(winner(&cells, &ests), Some(Winner::Single(0)));
        let cells = [five(100.5), five(100.0), five(300.0)];
        let ests: Vec<Estimate> = cells.iter().map(|c| est(c)).collect();
        assert_eq!(winner(&cells, &ests), Some(Winner::Tied(vec![1, 0])));
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
