//! Validation of one sample: every number exactly once, each consumer's
//! numbers strictly increasing. Linear in the numbers dispensed.

use crate::Workload;
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// The first way a sample broke the dispenser's contract.
#[derive(Debug, Clone, Error, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Violation {
    /// The sample has lists for the wrong number of consumers.
    #[error("expected lists from {expected} consumers, got {got}")]
    Consumers {
        /// N.
        expected: usize,
        /// Lists returned.
        got: usize,
    },
    /// A consumer got a number outside `0 .. N*T`.
    #[error("consumer {consumer} got {number}, outside 0..{total}")]
    OutOfRange {
        /// Index of the consumer.
        consumer: usize,
        /// The offending number.
        number: u64,
        /// N*T.
        total: u64,
    },
    /// A consumer's numbers went down or repeated.
    #[error("consumer {consumer} got {number} at position {position} after {previous}: not strictly increasing")]
    NotIncreasing {
        /// Index of the consumer.
        consumer: usize,
        /// Position in the consumer's list.
        position: usize,
        /// The number before it.
        previous: u64,
        /// The offending number.
        number: u64,
    },
    /// Two consumers got the same number.
    #[error("number {number} went to consumer {first} and again to consumer {second}")]
    Duplicate {
        /// The number handed out twice.
        number: u64,
        /// Consumer that got it first (in index order).
        first: usize,
        /// Consumer that got it again.
        second: usize,
    },
    /// A number was never handed out.
    #[error("number {number} was never handed out")]
    Missing {
        /// The smallest missing number.
        number: u64,
    },
    /// A consumer got the wrong number of numbers.
    #[error("consumer {consumer} got {got} numbers, expected {expected}")]
    Count {
        /// Index of the consumer.
        consumer: usize,
        /// T.
        expected: usize,
        /// Numbers it got.
        got: usize,
    },
}

/// Checks one sample's lists against the workload; returns the first violation.
pub fn validate(workload: &Workload, lists: &[Vec<u64>]) -> Result<(), Violation> {
    if lists.len() != workload.consumers {
        return Err(Violation::Consumers { expected: workload.consumers, got: lists.len() });
    }
    let total = workload.total();
    // owner[n] = consumer that got n (+1; 0 means "nobody yet"), so a duplicate
    // names both consumers. u32 suffices: the workload limits cap N far below.
    let mut owner = vec![0u32; total as usize];
    for (consumer, list) in lists.iter().enumerate() {
        let mut previous: Option<u64> = None;
        for (position, &number) in list.iter().enumerate() {
            if number >= total {
                return Err(Violation::OutOfRange { consumer, number, total });
            }
            if let Some(previous) = previous.filter(|&p| p >= number) {
                return Err(Violation::NotIncreasing { consumer, position, previous, number });
            }
            previous = Some(number);
            let slot = &mut owner[number as usize];
            if *slot != 0 {
                return Err(Violation::Duplicate { number, first: *slot as usize - 1, second: consumer });
            }
            *slot = consumer as u32 + 1;
        }
    }
    if let Some(number) = owner.iter().position(|&o| o == 0) {
        return Err(Violation::Missing { number: number as u64 });
    }
    // All N*T numbers present once: only the split between consumers can be wrong.
    match lists.iter().position(|l| l.len() != workload.per_consumer) {
        Some(consumer) => {
            Err(Violation::Count { consumer, expected: workload.per_consumer, got: lists[consumer].len() })
        }
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn w(consumers: usize, per_consumer: usize) -> Workload {
        Workload { consumers, per_consumer }
    }

    /// A valid allocation: numbers dealt round-robin, as a fair dispenser would.
    fn dealt(w: Workload) -> Vec<Vec<u64>> {
        let mut lists = vec![Vec::new(); w.consumers];
        for n in 0..w.total() {
            lists[(n % w.consumers as u64) as usize].push(n);
        }
        lists
    }

    #[test]
    fn a_valid_sample_passes() {
        assert_eq!(validate(&w(3, 4), &dealt(w(3, 4))), Ok(()));
        // Blocks instead of round robin is valid too.
        assert_eq!(validate(&w(2, 2), &[vec![0, 1], vec![2, 3]]), Ok(()));
    }

    #[test]
    fn wrong_number_of_lists() {
        let got = validate(&w(3, 1), &[vec![0], vec![1]]);
        assert_eq!(got, Err(Violation::Consumers { expected: 3, got: 2 }));
    }

    #[test]
    fn out_of_range() {
        let got = validate(&w(2, 2), &[vec![0, 1], vec![2, 4]]);
        assert_eq!(got, Err(Violation::OutOfRange { consumer: 1, number: 4, total: 4 }));
    }

    #[test]
    fn not_increasing() {
        let got = validate(&w(2, 2), &[vec![1, 0], vec![2, 3]]);
        assert_eq!(got, Err(Violation::NotIncreasing { consumer: 0, position: 1, previous: 1, number: 0 }));
        let repeated = validate(&w(1, 2), &[vec![1, 1]]);
        assert!(matches!(repeated, Err(Violation::NotIncreasing { .. })));
    }

    #[test]
    fn duplicate_names_both_consumers() {
        let got = validate(&w(2, 2), &[vec![0, 1], vec![1, 3]]);
        assert_eq!(got, Err(Violation::Duplicate { number: 1, first: 0, second: 1 }));
    }

    #[test]
    fn missing() {
        let got = validate(&w(2, 2), &[vec![0, 1], vec![3]]);
        assert_eq!(got, Err(Violation::Missing { number: 2 }));
    }

    #[test]
    fn wrong_split() {
        let got = validate(&w(2, 2), &[vec![0, 1, 2], vec![3]]);
        assert_eq!(got, Err(Violation::Count { consumer: 0, expected: 2, got: 3 }));
    }

    fn workload() -> impl Strategy<Value = Workload> {
        (1usize..8, 1usize..40).prop_map(|(c, t)| w(c, t))
    }

    /// One way to corrupt a valid allocation.
    #[derive(Debug, Clone)]
    enum Corruption {
        Drop { consumer: usize, position: usize },
        Duplicate { from: usize, position: usize, to: usize },
        Swap { a: usize, pa: usize, b: usize, pb: usize },
        Move { from: usize, position: usize, to: usize },
        Reorder { consumer: usize, position: usize },
        OutOfRange { consumer: usize, position: usize, excess: u64 },
    }

    fn corruption() -> impl Strategy<Value = Corruption> {
        let i = || any::<prop::sample::Index>().prop_map(|i| i.index(1 << 16));
        prop_oneof![
            (i(), i()).prop_map(|(consumer, position)| Corruption::Drop { consumer, position }),
            (i(), i(), i()).prop_map(|(from, position, to)| Corruption::Duplicate { from, position, to }),
            (i(), i(), i(), i()).prop_map(|(a, pa, b, pb)| Corruption::Swap { a, pa, b, pb }),
            (i(), i(), i()).prop_map(|(from, position, to)| Corruption::Move { from, position, to }),
            (i(), i()).prop_map(|(consumer, position)| Corruption::Reorder { consumer, position }),
            (i(), i(), 0u64..1000).prop_map(|(consumer, position, excess)| Corruption::OutOfRange {
                consumer,
                position,
                excess
            }),
        ]
    }

    /// Applies `c`; returns false when it would not change the allocation
    /// (e.g. a swap of two equal-ranked places), so the case is skipped.
    fn corrupt(w: Workload, lists: &mut [Vec<u64>], c: &Corruption) -> bool {
        let (n, t) = (w.consumers, w.per_consumer);
        match *c {
            Corruption::Drop { consumer, position } => {
                lists[consumer % n].remove(position % t);
            }
            Corruption::Duplicate { from, position, to } => {
                let number = lists[from % n][position % t];
                let target = &mut lists[to % n];
                let at = target.partition_point(|&x| x < number);
                target.insert(at, number);
            }
            Corruption::Swap { a, pa, b, pb } => {
                let (a, b, pa, pb) = (a % n, b % n, pa % t, pb % t);
                let (x, y) = (lists[a][pa], lists[b][pb]);
                lists[a][pa] = y;
                lists[b][pb] = x;
                // A swap that keeps both lists increasing is another valid
                // allocation, not a corruption.
                let sorted = |l: &Vec<u64>| l.windows(2).all(|p| p[0] < p[1]);
                return x != y && !(sorted(&lists[a]) && sorted(&lists[b]));
            }
            Corruption::Move { from, position, to } => {
                let (from, to) = (from % n, to % n);
                if from == to {
                    return false;
                }
                let number = lists[from].remove(position % t);
                let at = lists[to].partition_point(|&v| v < number);
                lists[to].insert(at, number);
            }
            Corruption::Reorder { consumer, position } => {
                if t < 2 {
                    return false;
                }
                let p = position % (t - 1);
                lists[consumer % n].swap(p, p + 1);
            }
            Corruption::OutOfRange { consumer, position, excess } => {
                lists[consumer % n][position % t] = w.total() + excess;
            }
        }
        true
    }

    proptest! {
        #[test]
        fn any_corruption_is_caught(w in workload(), c in corruption()) {
            let mut lists = dealt(w);
            prop_assert_eq!(validate(&w, &lists), Ok(()));
            prop_assume!(corrupt(w, &mut lists, &c));
            prop_assert!(validate(&w, &lists).is_err(), "{:?} not caught", c);
        }
    }
}
