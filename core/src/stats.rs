//! Statistics of a variant's counted samples. Reports are computed from the
//! raw samples in a record, so this is the one place they are derived.

use serde::{Deserialize, Serialize};

/// Summary of the dispense times of a variant's counted samples.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stats {
    /// Counted samples.
    pub samples: usize,
    /// Median dispense time, ns.
    pub median_ns: f64,
    /// Mean dispense time, ns.
    pub mean_ns: f64,
    /// Fastest sample, ns.
    pub min_ns: f64,
    /// Slowest sample, ns.
    pub max_ns: f64,
    /// Interquartile range (Q3 - Q1), ns: the spread figure the reports show.
    pub iqr_ns: f64,
    /// Median absolute deviation, ns.
    pub mad_ns: f64,
    /// Median dispense time divided by the numbers dispensed.
    pub ns_per_number: f64,
    /// Numbers dispensed per second at the median.
    pub numbers_per_sec: f64,
    /// Median setup time (spawn, start line, join), ns.
    pub setup_median_ns: f64,
}

impl Stats {
    /// Computes the summary; `None` when there are no samples.
    pub fn compute(dispense_ns: &[u64], setup_ns: &[u64], numbers: u64) -> Option<Stats> {
        let times = sorted(dispense_ns.iter().map(|&x| x as f64));
        let (&min, &max) = (times.first()?, times.last()?);
        let median = quantile(&times, 0.5);
        let deviations = sorted(times.iter().map(|x| (x - median).abs()));
        let mean = times.iter().sum::<f64>() / times.len() as f64;
        let per_number = median / numbers.max(1) as f64;
        Some(Stats {
            samples: times.len(),
            median_ns: median,
            mean_ns: mean,
            min_ns: min,
            max_ns: max,
            iqr_ns: quantile(&times, 0.75) - quantile(&times, 0.25),
            mad_ns: quantile(&deviations, 0.5),
            ns_per_number: per_number,
            numbers_per_sec: if median > 0.0 { numbers as f64 * 1e9 / median } else { f64::INFINITY },
            setup_median_ns: quantile(&sorted(setup_ns.iter().map(|&x| x as f64)), 0.5),
        })
    }
}

fn sorted(xs: impl Iterator<Item = f64>) -> Vec<f64> {
    let mut v: Vec<f64> = xs.collect();
    v.sort_by(f64::total_cmp);
    v
}

/// The median of unsorted values (interpolated between the middle two);
/// `None` when there are none.
pub fn median(xs: Vec<f64>) -> Option<f64> {
    (!xs.is_empty()).then(|| quantile(&sorted(xs.into_iter()), 0.5))
}

/// Linear-interpolated quantile of sorted data (type 7, as R and NumPy); 0 when empty.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let (lo, hi) = (pos.floor() as usize, pos.ceil() as usize);
            sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        let s = Stats::compute(&[10, 20, 30, 40, 1000], &[1, 2, 3, 4, 5], 10).unwrap();
        assert_eq!(s.median_ns, 30.0);
        assert_eq!(s.min_ns, 10.0);
        assert_eq!(s.max_ns, 1000.0);
        assert_eq!(s.iqr_ns, 20.0);
        assert_eq!(s.mad_ns, 10.0);
        assert_eq!(s.ns_per_number, 3.0);
        assert_eq!(s.setup_median_ns, 3.0);
        assert!((s.numbers_per_sec - 10.0 * 1e9 / 30.0).abs() < 1e-6);
    }

    #[test]
    fn even_count_interpolates() {
        assert_eq!(quantile(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
        assert!(Stats::compute(&[], &[], 1).is_none());
    }
}
