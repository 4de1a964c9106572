//! Numbers as the reports write them: thousands separators, and the one
//! way every report says "times faster" (a ratio with its uncertainty).

/// `1000000` with thousands separators: `1,000,000`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `12.3 ± 0.4` (or `1.00` for the fastest).
pub fn format_ratio(ratio: f64, err: f64) -> String {
    if ratio == 1.0 && err == 0.0 {
        return "1.00".into();
    }
    let digits = if ratio >= 100.0 {
        0
    } else if ratio >= 10.0 {
        1
    } else {
        2
    };
    format!("{ratio:.digits$} ± {err:.digits$}")
}

/// `×7.2`, `×151`: a ratio short enough to sit in a narrow column or beside a bar.
pub fn times(ratio: f64) -> String {
    if ratio >= 100.0 || !ratio.is_finite() { format!("×{ratio:.0}") } else { format!("×{ratio:.1}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_counts_are_formatted() {
        assert_eq!(format_ratio(2.0, 0.2), "2.00 ± 0.20");
        assert_eq!(format_ratio(123.4, 5.0), "123 ± 5");
        assert_eq!(format_ratio(1.0, 0.0), "1.00");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(thousands(10), "10");
        assert_eq!((times(7.25), times(151.4)), ("×7.2".to_string(), "×151".to_string()));
    }
}
