//! `cargo xtask compare` and `cargo xtask report` on real results files,
//! and their refusal of missing or malformed ones (exit 2, one line).

mod common;

use common::{assert_well_formed, results, stderr, tiny_bench, xtask};
use std::path::Path;

/// One tiny real run, shared by the tests of this file.
fn run_once() -> &'static Path {
    static DIR: std::sync::OnceLock<tempfile::TempDir> = std::sync::OnceLock::new();
    DIR.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let out = tiny_bench(dir.path()).args(["--variant", "atomic", "--variant", "std-mutex"]).output().unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        dir
    })
    .path()
}

/// `results` with every record's samples replaced by `ns`, so verdicts are
/// deterministic while the records stay real.
fn with_samples(mut json: serde_json::Value, ns: &[u64]) -> serde_json::Value {
    for r in json["records"].as_array_mut().unwrap() {
        r["dispense_ns"] = serde_json::json!(ns);
        r["setup_ns"] = serde_json::json!(ns);
    }
    json
}

#[test]
fn compare_gives_ratios_verdicts_and_one_sided_cells() {
    let dir = tempfile::tempdir().unwrap();
    let old = with_samples(results(run_once()), &[1000, 1010, 1020]);
    // NEW: every cell three times slower, and atomic gone.
    let mut new = with_samples(results(run_once()), &[3000, 3030, 3060]);
    new["records"].as_array_mut().unwrap().retain(|r| r["variant"] != "atomic");
    let (old_path, new_dir) = (dir.path().join("old.json"), dir.path().join("new"));
    std::fs::create_dir(&new_dir).unwrap();
    std::fs::write(&old_path, serde_json::to_string(&old).unwrap()).unwrap();
    std::fs::write(new_dir.join("results.json"), serde_json::to_string(&new).unwrap()).unwrap();

    let out = xtask().arg("compare").arg(&old_path).arg(&new_dir).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let text = String::from_utf8(out.stdout).unwrap();
    let row = text.lines().find(|l| l.contains("std-mutex")).unwrap();
    assert!(row.contains(" 3.00 ") && row.contains("slower"), "{text}");
    assert!(text.contains("Only in OLD (1):\n  atomic on sync (threads), 2x100"), "{text}");
    assert!(text.contains("0 faster, 1 slower"), "{text}");

    let out = xtask().arg("compare").arg(run_once()).arg(run_once().join("results.json")).output().unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("0 faster, 0 slower, 2 no change"), "{text}");
}

#[test]
fn report_renders_again_from_a_results_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask().arg("report").arg(run_once().join("results.json")).arg("--out").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(String::from_utf8(out.stdout).unwrap().contains("Workload 2 x 100"));
    for f in ["results.csv", "report.md", "report.html"] {
        assert!(dir.path().join(f).is_file(), "{f}");
    }
    assert!(!dir.path().join("results.json").exists(), "report writes only what it renders");
    assert_well_formed(&std::fs::read_to_string(dir.path().join("report.html")).unwrap());
    // A bare JSON Lines journal (an interrupted run) renders too.
    let out =
        xtask().arg("report").arg(run_once().join("results.jsonl")).arg("--out").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn missing_or_malformed_results_exit_2_with_one_line() {
    let dir = tempfile::tempdir().unwrap();
    let garbage = dir.path().join("garbage.json");
    std::fs::write(&garbage, "{ this is not json").unwrap();
    let foreign = dir.path().join("package.json");
    std::fs::write(&foreign, r#"{"name": "left-pad"}"#).unwrap();
    let missing = dir.path().join("nope.json");
    let cases: [(&[&Path], &str); 5] = [
        (&[&missing], "does not exist"),
        (&[&garbage], "is not a dispenser-bench results file"),
        (&[&foreign], "no \"format\""),
        (&[dir.path()], "holds no results.json"),
        (&[&garbage, &missing], "is not a dispenser-bench results file"),
    ];
    for (paths, expect) in cases {
        let task = if paths.len() == 1 { "report" } else { "compare" };
        let out = xtask().arg(task).args(paths).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{task} {paths:?}: {err}");
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.starts_with("error: ") && err.contains(expect), "{err}");
    }
    let out = xtask().args(["compare", "only-one.json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}
