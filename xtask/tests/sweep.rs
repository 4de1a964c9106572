//! `cargo xtask sweep` end to end on a tiny range of sync-bench: one record
//! per point, the usual results files, a well-formed sweep.html with one
//! chart per runtime, and the chart saved as an SVG file; a total that the
//! consumer counts do not divide is refused with status 2.

mod common;

use common::{assert_well_formed, journal, results, stderr, xtask};
use dispenser_core::{Status, Workload};

#[test]
fn a_tiny_sweep_has_one_record_per_point_and_a_well_formed_page() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask()
        .args(["sweep", "--consumers", "1,2", "--total", "100", "--runtime", "sync", "--variant", "atomic"])
        .args(["--variant", "std-mutex", "--samples", "3", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = journal(dir.path());
    let mut points: Vec<(String, Workload)> = records.iter().map(|r| (r.variant.clone(), r.workload)).collect();
    points.sort_by_key(|(v, w)| (v.clone(), w.consumers));
    let w = |c, t| Workload { consumers: c, per_consumer: t };
    let expected = [("atomic", w(1, 100)), ("atomic", w(2, 50)), ("std-mutex", w(1, 100)), ("std-mutex", w(2, 50))];
    assert_eq!(points, expected.map(|(v, w)| (v.to_string(), w)));
    assert!(records.iter().all(|r| r.status == Status::Ok && r.dispense_ns.len() == 3));
    assert_eq!(results(dir.path())["records"].as_array().unwrap().len(), 4);
    assert!(dir.path().join("results.csv").is_file() && dir.path().join("report.html").is_file());

    let html = std::fs::read_to_string(dir.path().join("sweep.html")).unwrap();
    assert_well_formed(&html);
    assert_eq!(html.matches("<svg").count(), 1, "one chart per runtime");
    assert_eq!(html.matches("</svg>").count(), 1);
    assert_eq!(html.matches("<table>").count(), 1);
    assert!(html.contains("sync (threads) · ns per number vs consumers"), "{html}");
    assert!(html.contains("<th>2 cons.</th>"));
    let svg = std::fs::read_to_string(dir.path().join("sweep-sync.svg")).unwrap();
    assert_well_formed(&svg);
    assert!(svg.contains("machine: ") && svg.contains("atomic") && svg.contains("std-mutex"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("sync (threads): median ns per number, by consumers"), "{stdout}");
}

#[test]
fn a_total_the_consumers_do_not_divide_is_a_usage_error() {
    for args in [&["--consumers", "1,3", "--total", "100"][..], &["--consumers", "8", "--total", "4"]] {
        let out = xtask().arg("sweep").args(args).arg("--dry-run").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("--total"), "{err}");
    }
}
