//! The human table a runtime binary prints by default, and the unit
//! formatting the reports share.

use crate::record::Record;
use comfy_table::presets::UTF8_FULL_CONDENSED;
use comfy_table::{CellAlignment, Table};
use std::fmt::Write;

/// Formats nanoseconds with a unit chosen by magnitude (ns, µs, ms, s).
pub fn format_ns(ns: f64) -> String {
    match ns {
        x if x < 1e3 => format!("{x:.1} ns"),
        x if x < 1e6 => format!("{:.1} µs", x / 1e3),
        x if x < 1e9 => format!("{:.1} ms", x / 1e6),
        x => format!("{:.2} s", x / 1e9),
    }
}

/// Formats KiB as MiB.
pub fn format_kib(kib: u64) -> String {
    format!("{:.1} MiB", kib as f64 / 1024.0)
}

/// A record's ns/number cell: `1234.5`, or with `--work` `1234.5 (81% work)`,
/// the share of it the work alone takes (see [`Record::work_share`]).
pub fn format_ns_per_number(r: &Record, ns_per_number: f64) -> String {
    match r.work_share() {
        Some(share) => format!("{ns_per_number:.1} ({:.0}% work)", share * 100.0),
        None => format!("{ns_per_number:.1}"),
    }
}

/// Records of one run ranked: valid ones by median, then the rest in order.
pub fn ranked(records: &[Record]) -> Vec<&Record> {
    let mut ok: Vec<&Record> = records.iter().filter(|r| r.is_ok() && r.stats.is_some()).collect();
    ok.sort_by(|a, b| median(a).total_cmp(&median(b)));
    ok.extend(records.iter().filter(|r| !(r.is_ok() && r.stats.is_some())));
    ok
}

fn median(r: &Record) -> f64 {
    r.stats.as_ref().map_or(f64::INFINITY, |s| s.median_ns)
}

/// The line every report opens with: workload, cores and oversubscription.
pub fn context_line(r: &Record) -> String {
    let cores = r.host.logical_cores;
    let busy = r.workload.consumers + 1;
    let mut line = format!(
        "workload {} ({} numbers) · {} · {} logical cores",
        r.workload,
        r.workload.total(),
        r.runtime_label(),
        cores
    );
    if let Some(k) = r.settings.cpus {
        let _ = write!(line, " (pinned to {k})");
    }
    if r.settings.pin {
        line.push_str(" · threads placed (--pin)");
    }
    if r.settings.work_ns > 0 {
        let _ = write!(line, " · {} of work per number", format_ns(r.settings.work_ns as f64));
    }
    if busy > cores {
        let _ = write!(line, " · {} consumers + producer on {} cores: oversubscribed", r.workload.consumers, cores);
    }
    line
}

/// Renders records as a ranked table followed by a hyperfine-like summary.
pub fn render(records: &[Record]) -> String {
    let mut out = String::new();
    let Some(first) = records.first() else {
        return "no variants ran\n".into();
    };
    let _ = writeln!(out, "{}", context_line(first));
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header(vec![
        "#",
        "variant",
        "family",
        "median",
        "spread (IQR)",
        "min … max",
        "ns/number",
        "numbers/s",
        "setup",
        "CPU/wall",
        "peak RSS",
        "samples",
        "status",
    ]);
    let ranked = ranked(records);
    for (i, r) in ranked.iter().enumerate() {
        let mut row =
            vec![if r.is_ok() { (i + 1).to_string() } else { "-".into() }, r.variant.clone(), r.family.as_str().into()];
        // A row that did not finish shows no figures, even from an old record.
        match r.stats.as_ref().filter(|_| r.is_ok()) {
            Some(s) => row.extend([
                format_ns(s.median_ns),
                format!("± {}", format_ns(s.iqr_ns)),
                format!("{} … {}", format_ns(s.min_ns), format_ns(s.max_ns)),
                format_ns_per_number(r, s.ns_per_number),
                format!("{:.2} M", s.numbers_per_sec / 1e6),
                format_ns(s.setup_median_ns),
            ]),
            None => row.extend(std::iter::repeat_n(String::new(), 6)),
        }
        match r.resources.as_ref().filter(|_| r.is_ok()) {
            Some(res) => row.extend([format!("{:.2}", res.cpu_per_wall), format_kib(res.peak_rss_kib)]),
            None => row.extend([String::new(), String::new()]),
        }
        row.push(r.dispense_ns.len().to_string());
        row.push(r.status.as_str().into());
        table.add_row(row);
    }
    for col in [0, 3, 4, 5, 6, 7, 8, 9, 10, 11] {
        if let Some(c) = table.column_mut(col) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
    let _ = writeln!(out, "{table}");
    for r in records.iter().filter(|r| !r.is_ok()) {
        let _ = writeln!(out, "{} {}: {}", r.variant, r.status.as_str(), r.error.as_deref().unwrap_or(""));
    }
    out.push_str(&summary(&ranked));
    out
}

/// "X ran N times faster than Y" lines, as hyperfine prints them.
pub fn summary(ranked: &[&Record]) -> String {
    let ok: Vec<&&Record> = ranked.iter().filter(|r| r.is_ok()).collect();
    let mut out = String::new();
    let Some(fastest) = ok.first() else { return out };
    let best = median(fastest);
    if ok.len() == 1 {
        let _ = writeln!(out, "Summary\n  {} was the only variant that finished", fastest.variant);
        return out;
    }
    let _ = writeln!(out, "Summary\n  {} ran", fastest.variant);
    for r in ok.iter().skip(1) {
        let ratio = if best > 0.0 { median(r) / best } else { f64::INFINITY };
        let _ = writeln!(out, "  {ratio:>8.2} times faster than {}", r.variant);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Executor, Host, SCHEMA_VERSION, Settings, Status};
    use crate::stats::Stats;
    use crate::{Family, Workload};

    fn record(variant: &str, status: Status, dispense_ns: Vec<u64>) -> Record {
        let workload = Workload { consumers: 2, per_consumer: 10 };
        let setup_ns = dispense_ns.clone();
        Record {
            schema: SCHEMA_VERSION,
            runtime: "test".into(),
            executor: Executor { flavor: "threads".into(), workers: None },
            variant: variant.into(),
            family: Family::Atomic,
            primitive: "-".into(),
            workload,
            host: Host { logical_cores: 2, os: "linux".into() },
            settings: Settings {
                samples: 3,
                min_samples: 3,
                warmup: 0,
                primed: false,
                budget_s: 1.0,
                latency: false,
                work_ns: 0,
                work_steps: None,
                cpus: None,
                pin: false,
                placement: Vec::new(),
                load: 0,
                rate: None,
                capacity: None,
            },
            status,
            error: (status != Status::Ok).then(|| "broke".into()),
            violation: None,
            validated_samples: dispense_ns.len(),
            // Even a non-ok record carrying stats (an old file) shows none.
            stats: Stats::compute(&dispense_ns, &setup_ns, workload.total()),
            dispense_ns,
            setup_ns,
            start_skew_ns: Vec::new(),
            resources: None,
            latency: None,
            process: None,
            fairness: None,
            switches_per_number: None,
            cpu_ns_per_number: None,
        }
    }

    #[test]
    fn a_row_that_did_not_finish_shows_no_median_and_no_rank() {
        // The hung variant's raw samples (1 ns each) would rank it first.
        let records =
            [record("slow", Status::Ok, vec![5_000, 6_000, 7_000]), record("broken", Status::Hung, vec![1, 1])];
        let text = render(&records);
        let broken = text.lines().find(|l| l.contains("broken") && l.contains('┆')).unwrap();
        assert!(broken.contains("│ - ┆"), "{broken}");
        assert!(!broken.contains(" ns") && !broken.contains("µs"), "no statistics on a non-ok row: {broken}");
        let slow = text.lines().find(|l| l.contains("slow")).unwrap();
        assert!(slow.contains("│ 1 ┆") && slow.contains("6.0 µs"), "{slow}");
        assert!(!text.contains("times faster than broken"));
    }

    #[test]
    fn work_and_pinning_are_shown_with_the_share_of_the_work() {
        // 2 consumers on 2 cores, 300 ns of work each: a floor of 150 ns per
        // number; a median of 6 µs for 20 numbers is 300 ns per number.
        let mut r = record("atomic", Status::Ok, vec![5_000, 6_000, 7_000]);
        r.settings.work_ns = 300;
        r.settings.cpus = Some(2);
        assert_eq!(r.work_parallelism(), 2);
        assert!((r.work_share().unwrap() - 0.5).abs() < 1e-9);
        let text = render(&[r.clone()]);
        assert!(text.lines().next().unwrap().contains("2 logical cores (pinned to 2) · 300.0 ns of work per number"));
        assert!(text.contains("300.0 (50% work)"), "{text}");
        r.settings.pin = true;
        let placed = render(&[r.clone()]);
        assert!(placed.lines().next().unwrap().contains("(pinned to 2) · threads placed (--pin) · 300.0 ns"));
        r.family = Family::Baseline;
        assert!((r.work_share().unwrap() - 1.0).abs() < 1e-9, "the baseline works on one thread");
        r.settings.work_ns = 0;
        assert_eq!(r.work_share(), None);
    }

    #[test]
    fn units_follow_magnitude() {
        assert_eq!(format_ns(12.34), "12.3 ns");
        assert_eq!(format_ns(12_340.0), "12.3 µs");
        assert_eq!(format_ns(12_340_000.0), "12.3 ms");
        assert_eq!(format_ns(2_500_000_000.0), "2.50 s");
    }
}
