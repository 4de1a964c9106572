//! Snapshots of every rendered output over fixed, committed results files
//! (tests/fixtures): the terminal tables, results.csv, report.md,
//! report.html, the chart SVGs, the latency and sweep outputs, and
//! compare's table. They pin the reports byte for byte, so a refactor that
//! changes what a user sees shows up as a snapshot diff.

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
    insta::assert_snapshot!("compare", String::from_utf8(run.stdout).unwrap());
}
