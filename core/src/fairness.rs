//! Fairness of a sample: who got which numbers, in what runs, and how far
//! apart the consumers finished. Computed outside the clock from validated
//! lists, so it costs the dispensing nothing.
//!
//! A shared counter can look fast because one consumer takes long runs of
//! numbers while the others wait; a channel round trip alternates by
//! construction. These figures say which happened.

use serde::{Deserialize, Serialize};

/// How evenly the numbers went round.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Fairness {
    /// Mean length of a run of consecutive numbers taken by one consumer:
    /// 1 is strict alternation, T (numbers per consumer) is "each consumer
    /// took all of its numbers in one go".
    pub mean_run: f64,
    /// The longest such run.
    pub longest_run: u64,
    /// Share of consecutive number pairs that went to different consumers
    /// (hand-offs): 1 is strict alternation, near 0 is one consumer at a time.
    pub handoff_share: f64,
    /// Latest minus earliest consumer finish, as a share of the dispense
    /// time: near 0 when everyone finished together, near 1 when some were
    /// done long before the others. `None` when the stamps are unknown.
    pub finish_spread: Option<f64>,
}

impl Fairness {
    /// Measures a valid sample: `lists[i]` holds consumer `i`'s numbers,
    /// together exactly `0 .. total`; `finish_offsets_ns[i]` (if known) is
    /// when consumer `i` took its last number, from the start of dispensing,
    /// and `dispense_ns` the dispense time. `None` for an empty sample or
    /// lists that are not a partition of `0 .. total`.
    pub fn measure(lists: &[Vec<u64>], finish_offsets_ns: Option<&[u64]>, dispense_ns: u64) -> Option<Fairness> {
        let total: usize = lists.iter().map(Vec::len).sum();
        if total == 0 {
            return None;
        }
        // owner[n] = the consumer that took number n.
        let mut owner = vec![u32::MAX; total];
        for (i, list) in lists.iter().enumerate() {
            let id = u32::try_from(i).ok()?;
            for &n in list {
                let slot = owner.get_mut(usize::try_from(n).ok()?)?;
                *slot = id;
            }
        }
        if owner.contains(&u32::MAX) {
            return None;
        }
        let (mut runs, mut longest, mut current) = (1u64, 1u64, 1u64);
        for pair in owner.windows(2) {
            if pair[0] == pair[1] {
                current += 1;
            } else {
                runs += 1;
                current = 1;
            }
            longest = longest.max(current);
        }
        let handoffs = runs - 1;
        let finish_spread = finish_offsets_ns.filter(|f| !f.is_empty() && dispense_ns > 0).map(|f| {
            let (lo, hi) = f.iter().fold((u64::MAX, 0), |(lo, hi), &x| (lo.min(x), hi.max(x)));
            (hi - lo) as f64 / dispense_ns as f64
        });
        Some(Fairness {
            mean_run: total as f64 / runs as f64,
            longest_run: longest,
            handoff_share: if total > 1 { handoffs as f64 / (total - 1) as f64 } else { 0.0 },
            finish_spread,
        })
    }

    /// The record's summary of its counted samples: the median of each
    /// figure over the samples (the longest run rounded), like the median
    /// dispense time; `finish_spread` only when every sample has one.
    /// `None` for no samples.
    pub fn median(samples: &[Fairness]) -> Option<Fairness> {
        if samples.is_empty() {
            return None;
        }
        // Not empty (checked above), so every median exists.
        let median = |xs: Vec<f64>| crate::stats::median(xs).unwrap_or(0.0);
        let figure = |f: fn(&Fairness) -> f64| median(samples.iter().map(f).collect());
        let spreads: Option<Vec<f64>> = samples.iter().map(|s| s.finish_spread).collect();
        Some(Fairness {
            mean_run: figure(|s| s.mean_run),
            longest_run: figure(|s| s.longest_run as f64).round() as u64,
            handoff_share: figure(|s| s.handoff_share),
            finish_spread: spreads.map(median),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_alternation_has_runs_of_one() {
        // 3 consumers, 4 numbers each, dealt round robin.
        let lists: Vec<Vec<u64>> = (0..3).map(|i| (0..4).map(|k| k * 3 + i).collect()).collect();
        let f = Fairness::measure(&lists, Some(&[90, 95, 100]), 100).unwrap();
        assert_eq!((f.mean_run, f.longest_run, f.handoff_share), (1.0, 1, 1.0));
        assert_eq!(f.finish_spread, Some(0.1));
    }

    #[test]
    fn one_consumer_at_a_time_has_runs_of_t() {
        // Each consumer takes all of its T = 5 numbers in one go.
        let lists: Vec<Vec<u64>> = (0..4).map(|i| (i * 5..(i + 1) * 5).collect()).collect();
        let f = Fairness::measure(&lists, Some(&[10, 20, 30, 40]), 40).unwrap();
        assert_eq!((f.mean_run, f.longest_run), (5.0, 5));
        assert!((f.handoff_share - 3.0 / 19.0).abs() < 1e-12);
        assert_eq!(f.finish_spread, Some(0.75));
    }

    #[test]
    fn mixed_runs_and_unknown_stamps() {
        // Owners: 0 0 1 0 1 1 -> runs 2,1,1,2.
        let lists = vec![vec![0, 1, 3], vec![2, 4, 5]];
        let f = Fairness::measure(&lists, None, 0).unwrap();
        assert_eq!((f.mean_run, f.longest_run, f.finish_spread), (1.5, 2, None));
        assert!((f.handoff_share - 0.6).abs() < 1e-12);
    }

    #[test]
    fn a_record_keeps_the_median_of_its_samples() {
        let f = |mean_run, longest_run, spread| Fairness {
            mean_run,
            longest_run,
            handoff_share: 0.5,
            finish_spread: spread,
        };
        let m = Fairness::median(&[f(1.0, 2, Some(0.1)), f(3.0, 9, Some(0.3)), f(2.0, 4, Some(0.2))]).unwrap();
        assert_eq!((m.mean_run, m.longest_run, m.finish_spread), (2.0, 4, Some(0.2)));
        assert_eq!(Fairness::median(&[f(1.0, 1, None), f(1.0, 1, Some(0.5))]).unwrap().finish_spread, None);
        assert!(Fairness::median(&[]).is_none());
    }

    #[test]
    fn not_a_partition_is_refused() {
        assert!(Fairness::measure(&[vec![0, 7]], None, 1).is_none());
        assert!(Fairness::measure(&[vec![], vec![]], None, 1).is_none());
        assert!(Fairness::measure(&[vec![0, 0]], None, 1).is_none());
    }
}
