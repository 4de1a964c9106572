//! Snapshots of every rendered output over fixed, committed results files
//! (tests/fixtures): the terminal tables, results.csv, report.md,
//! report.html, the chart SVGs, the latency and sweep outputs, compare's
//! table, and the report merging two machines. They pin the reports byte
//! for byte, so a refactor that changes what a user sees shows up as a
//! snapshot diff.

mod common;

use common::{stderr, xtask};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join("fixtures")
}

/// Runs `cargo xtask report FIXTURE --out TMP` from the fixtures folder and
/// returns its stdout and the folder.
fn report(fixture: &str) -> (String, tempfile::TempDir) {
    let out = tempfile::tempdir().unwrap();
    let run = xtask().current_dir(fixtures()).args(["report", fixture, "--out"]).arg(out.path()).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    (String::from_utf8(run.stdout).unwrap(), out)
}

fn read(dir: &Path, name: &str) -> String {
    std::fs::read_to_string(dir.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The files a report left, sorted, one per line.
fn listing(dir: &Path) -> String {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names.join("\n")
}

#[test]
fn bench_report_outputs() {
    let (terminal, dir) = report("results.json");
    insta::assert_snapshot!("bench_files", listing(dir.path()));
    insta::assert_snapshot!("bench_terminal", terminal);
    insta::assert_snapshot!("bench_report_md", read(dir.path(), "report.md"));
    insta::assert_snapshot!("bench_results_csv", read(dir.path(), "results.csv"));
    insta::assert_snapshot!("bench_report_html", read(dir.path(), "report.html"));
    insta::assert_snapshot!("bench_latency_svg", read(dir.path(), "latency-10x100000.svg"));
}

#[test]
fn sweep_report_outputs() {
    let (terminal, dir) = report("sweep.json");
    insta::assert_snapshot!("sweep_files", listing(dir.path()));
    insta::assert_snapshot!("sweep_terminal", terminal);
    insta::assert_snapshot!("sweep_html", read(dir.path(), "sweep.html"));
    insta::assert_snapshot!("sweep_smol_svg", read(dir.path(), "sweep-smol.svg"));
    insta::assert_snapshot!("sweep_sync_svg", read(dir.path(), "sweep-sync.svg"));
    insta::assert_snapshot!("sweep_report_md", read(dir.path(), "report.md"));
}

#[test]
fn compare_output() {
    let run = xtask().current_dir(fixtures()).args(["compare", "results.json", "new.json"]).output().unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let text = String::from_utf8(run.stdout).unwrap();
    assert!(text.lines().all(|l| unicode_width::UnicodeWidthStr::width(l) <= 100), "{text}");
    insta::assert_snapshot!("compare", text);
    let wide =
        xtask().current_dir(fixtures()).args(["compare", "results.json", "new.json", "--wide"]).output().unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(
        wide.contains("OLD [95%]") && wide.contains("sync (threads)") && wide.contains("fixed (was timeout)"),
        "{wide}"
    );
}

/// Two runs whose machines differ (the fixture run and `laptop.json`, the
/// same cells measured on another machine) merged into one report: both
/// machines named at the top, a column each, a chart per workload; and
/// compare between them says they are different machines.
#[test]
fn machines_report_outputs() {
    let out = tempfile::tempdir().unwrap();
    let run = xtask()
        .current_dir(fixtures())
        .args(["report", "results.json", "laptop.json", "--out"])
        .arg(out.path())
        .output();
    let run = run.unwrap();
    assert!(run.status.success(), "{}", stderr(&run));
    let terminal = String::from_utf8(run.stdout).unwrap();
    assert!(terminal.starts_with("Machines:\n  Test CPU, 2 cores: Test CPU · 2 logical cores"), "{terminal}");
    assert!(terminal.contains("\n  laptop: Laptop CPU · 8 logical cores"), "{terminal}");
    insta::assert_snapshot!("machines_files", listing(out.path()));
    insta::assert_snapshot!("machines_terminal", terminal);
    insta::assert_snapshot!("machines_report_md", read(out.path(), "report.md"));
    let html = read(out.path(), "report.html");
    common::assert_well_formed(&html);
    assert!(html.contains("<th>Test CPU, 2 cores</th><th>laptop</th>"), "{html}");
    common::assert_well_formed(&read(out.path(), "machines-10x100000.svg"));

    let cmp = xtask().current_dir(fixtures()).args(["compare", "results.json", "laptop.json"]).output().unwrap();
    let text = String::from_utf8(cmp.stdout).unwrap();
    assert!(text.contains("\nDifferent machines: OLD ran on Test CPU, 2 cores (Test CPU · 2 logical cores"), "{text}");
    assert!(text.contains("NEW on laptop (Laptop CPU · 8 logical cores"), "{text}");

    // Several runs need --out: nowhere obvious to put one report of many.
    let run = xtask().current_dir(fixtures()).args(["report", "results.json", "laptop.json"]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert_eq!(stderr(&run).lines().count(), 1, "{}", stderr(&run));
}
