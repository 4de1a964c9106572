//! `cargo xtask bench --latency` end to end on sync-bench: every request is
//! counted in the histogram, percentiles come out in order, and the report
//! gains its latency table, chart and CSV columns.

mod common;

use common::{assert_well_formed, journal, stderr, xtask};
use dispenser_core::Status;
use dispenser_core::runner::LATENCY_SAMPLES;

#[test]
fn latency_counts_every_request_and_reaches_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask()
        .args(["bench", "--runtime", "sync", "--variant", "atomic", "--variant", "std-mpsc", "--workload", "3x50"])
        .args(["--samples", "3", "--warmup", "0", "--processes", "3", "--latency", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    // Two cells, three processes each.
    let records = journal(dir.path());
    assert_eq!(records.len(), 6);
    for r in &records {
        assert_eq!(r.status, Status::Ok);
        let l = r.latency.as_ref().expect("--latency reaches the binary");
        // One request per number, in every latency sample.
        assert_eq!(l.count, 3 * 50 * LATENCY_SAMPLES as u64, "{}", r.variant);
        assert_eq!(l.samples, LATENCY_SAMPLES);
        let p = [l.p50_ns, l.p90_ns, l.p99_ns, l.p999_ns, l.max_ns];
        assert!(p[0] >= 1 && p.windows(2).all(|w| w[0] <= w[1]), "{}: {p:?}", r.variant);
        // Latency samples are taken apart from the counted throughput samples.
        assert_eq!(r.dispense_ns.len(), 3);
        assert_eq!(r.validated_samples, 3 + LATENCY_SAMPLES);
    }
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Latency per request · Workload 3 x 50"), "{stdout}");

    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert_well_formed(&html);
    // The latency section has its chart; the page holds the throughput and
    // fairness charts too, beside any other the report gains.
    let section = html.split("<h3>Latency per request").nth(1).expect("a latency section");
    let section = section.split("</section>").next().unwrap_or_default();
    assert_eq!(section.matches("<svg").count(), 1, "the latency chart: {section}");
    assert!(html.matches("<svg").count() >= 3, "the throughput, fairness and latency charts");
    assert!(html.contains("p99.9"));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("### Latency per request"));
    let svg = std::fs::read_to_string(dir.path().join("latency-3x50.svg")).unwrap();
    assert_well_formed(&svg);
    assert!(svg.contains("machine: "));

    let mut csv = csv::Reader::from_path(dir.path().join("results.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for row in csv.records() {
        let row = row.unwrap();
        let p: Vec<u64> = ["latency_p50_ns", "latency_p90_ns", "latency_p99_ns", "latency_p999_ns", "latency_max_ns"]
            .iter()
            .map(|c| row[col(c)].parse().unwrap())
            .collect();
        assert!(p.windows(2).all(|w| w[0] <= w[1]), "{p:?}");
    }
}
