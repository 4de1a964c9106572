//! Numbers as the reports write them: thousands separators, and the one
//! way every report says "times faster" (a ratio with its 95% interval).

use dispenser_core::evidence::Ratio;

/// `1000000` with thousands separators: `1,000,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `12.3 [11.9–12.8]`: a ratio with its 95% interval (`1.00` for exactly 1).
pub fn format_ratio(ratio: &Ratio) -> String {
    let Ratio { point, interval } = *ratio;
    if point == 1.0 && interval.lo == 1.0 && interval.hi == 1.0 {
        return "1.00".into();
    }
    let digits = |x: f64| {
        if x >= 100.0 {
            0
        } else if x >= 10.0 {
            1
        } else {
            2
        }
    };
    let d = digits(point);
    format!("{point:.d$} [{:.d$}–{:.d$}]", interval.lo, interval.hi)
}

/// `×7.2`, `×151`: a ratio short enough to sit in a narrow column or beside a bar.
pub fn times(ratio: f64) -> String {
    if ratio >= 100.0 || !ratio.is_finite() { format!("×{ratio:.0}") } else { format!("×{ratio:.1}") }
}

/// `1.00`, `13.1`, `336`: about three significant figures, never
/// scientific, for the findings and the fairness table.
pub fn figures(x: f64) -> String {
    match x.abs() {
        a if a >= 100.0 => format!("{x:.0}"),
        a if a >= 10.0 => format!("{x:.1}"),
        _ => format!("{x:.2}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use dispenser_core::evidence::Interval;

    #[test]
    fn ratios_and_counts_are_formatted() {
        let r = |point, lo, hi| Ratio { point, interval: Interval { lo, hi } };
        assert_eq!(format_ratio(&r(2.0, 1.8, 2.2)), "2.00 [1.80–2.20]");
        assert_eq!(format_ratio(&r(123.4, 118.0, 129.0)), "123 [118–129]");
        assert_eq!(format_ratio(&r(1.0, 1.0, 1.0)), "1.00");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(10), "10");
        assert_eq!((times(7.25), times(151.4)), ("×7.2".to_string(), "×151".to_string()));
        assert_eq!((figures(1.0), figures(13.07), figures(336.5)), ("1.00".into(), "13.1".into(), "336".into()));
    }
}
