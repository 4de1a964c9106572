//! Results are never lost, corrupted or misranked (issue 9): one test per
//! fault a careless or hostile user can cause — a busy run folder, a
//! report pointed at a journal, a torn journal, a full disk, a private
//! umask, SIGTERM, a crafted results file, a bad `--out`, a cell that did
//! not finish, and the small messages.

mod common;

use common::{journal, long_bench, no_cargo, results, stderr, tiny_bench, wait_for_a_record, wait_for_exit, xtask};
use fs2::FileExt;
use std::path::{Path, PathBuf};

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/results.json")
}

/// The fixture's records as JSON Lines.
fn fixture_lines() -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    json["records"].as_array().unwrap().iter().map(|r| serde_json::to_string(r).unwrap()).collect()
}

/// Asserts a usage error: exit 2 and exactly one line on stderr, holding `expect`.
fn assert_usage(out: &std::process::Output, expect: &str) {
    let err = stderr(out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: ") && err.contains(expect), "{err}");
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> =
        std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    names.sort();
    names
}

#[test]
fn item_1_a_busy_run_folder_is_refused_before_building() {
    let dir = tempfile::tempdir().unwrap();
    // Another run holds the folder's lock, as a run does for its whole length.
    let lock = std::fs::File::create(dir.path().join(".lock")).unwrap();
    lock.lock_exclusive().unwrap();
    // No cargo to run: refused before building, or it fails another way.
    let out = no_cargo(&mut tiny_bench(dir.path())).output().unwrap();
    assert_usage(&out, "is in use by another run");
    assert!(!dir.path().join("results.jsonl").exists(), "nothing written into the busy folder");
    // report does not write into a folder a run holds either.
    let report = xtask().arg("report").arg(fixture()).arg("--out").arg(dir.path()).output().unwrap();
    assert_usage(&report, "is in use by another run");
    assert!(!dir.path().join("report.html").exists(), "no report written into the busy folder");
    drop(lock);
    // Once the other run is done, the folder is free again.
    let out = tiny_bench(dir.path()).args(["--variant", "atomic"]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
}

#[test]
fn item_1_two_real_runs_into_one_folder_the_second_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut first = long_bench(dir.path());
    wait_for_a_record(dir.path(), &mut first);
    let out = tiny_bench(dir.path()).args(["--seed", "2"]).output().unwrap();
    assert_usage(&out, "is in use by another run");
    // SAFETY: plain syscall on our own child.
    unsafe { libc::kill(first.id() as libc::pid_t, libc::SIGINT) };
    assert_eq!(wait_for_exit(&mut first).code(), Some(130));
    let kept = journal(dir.path());
    assert!(!kept.is_empty() && kept.iter().all(|r| r.variant == "atomic"), "the first run's records, whole");
    assert_eq!(results(dir.path())["records"].as_array().unwrap().len(), kept.len());
}

#[test]
fn item_2_report_never_rewrites_a_results_file() {
    let dir = tempfile::tempdir().unwrap();
    let original = std::fs::read(fixture()).unwrap();
    std::fs::write(dir.path().join("results.json"), &original).unwrap();
    std::fs::write(dir.path().join("results.jsonl"), fixture_lines().join("\n") + "\n").unwrap();
    std::fs::write(dir.path().join("other.json"), &original).unwrap();
    for input in ["results.jsonl", "other.json", "results.json"] {
        let out = xtask().arg("report").arg(dir.path().join(input)).output().unwrap();
        assert!(out.status.success(), "{input}: {}", stderr(&out));
        assert_eq!(std::fs::read(dir.path().join("results.json")).unwrap(), original, "{input}");
        assert_eq!(std::fs::read(dir.path().join("other.json")).unwrap(), original, "{input}");
    }
    assert!(dir.path().join("report.html").is_file());
}

#[test]
fn item_3_a_torn_last_line_is_skipped_a_torn_middle_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    let lines = fixture_lines();
    let torn = &lines[2][..lines[2].len() / 2];
    let path = dir.path().join("results.jsonl");
    std::fs::write(&path, format!("{}\n{}\n{torn}", lines[0], lines[1])).unwrap();
    let out = xtask().arg("report").arg(&path).arg("--out").arg(dir.path().join("r")).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(stderr(&out).contains("warning: ") && stderr(&out).contains("torn last line"), "{}", stderr(&out));
    let csv = std::fs::read_to_string(dir.path().join("r/results.csv")).unwrap();
    assert_eq!(csv.lines().count(), 1 + 2, "the two whole records are reported");

    std::fs::write(&path, format!("{}\n{torn}\n{}\n", lines[0], lines[1])).unwrap();
    let out = xtask().arg("compare").arg(&path).arg(fixture()).output().unwrap();
    assert_usage(&out, "line 2");
}

#[test]
fn item_3_a_full_disk_stops_the_run_but_prints_what_finished() {
    let dir = tempfile::tempdir().unwrap();
    // Every write to the journal fails as on a full disk.
    std::os::unix::fs::symlink("/dev/full", dir.path().join("results.jsonl")).unwrap();
    let out = tiny_bench(dir.path()).args(["--variant", "atomic", "--variant", "std-mutex"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(stderr(&out).contains("No space left on device"), "{}", stderr(&out));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Workload 2 x 100"), "the tables of what finished: {stdout}");
    // The run stopped after the first cell; its record still reached results.json.
    let json = results(dir.path());
    assert_eq!(json["records"].as_array().unwrap().len(), 1);
    assert_eq!(json["run"]["interrupted"], true);
}

#[test]
fn item_4_outputs_are_readable_by_others_under_the_usual_umask() {
    let dir = tempfile::tempdir().unwrap();
    let exe = assert_cmd::cargo::cargo_bin("xtask");
    let script = format!(
        "umask 022; exec '{}' report '{}' --out '{}'",
        exe.display(),
        fixture().display(),
        dir.path().display()
    );
    let out = std::process::Command::new("sh").args(["-c", &script]).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    use std::os::unix::fs::PermissionsExt;
    for name in files_in(dir.path()) {
        let mode = std::fs::metadata(dir.path().join(&name)).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o644, "{name}");
    }
}

#[test]
fn item_5_sigterm_finishes_like_ctrl_c_and_no_stale_results_stay() {
    let dir = tempfile::tempdir().unwrap();
    // An earlier run's results in the same folder.
    std::fs::copy(fixture(), dir.path().join("results.json")).unwrap();
    std::fs::write(dir.path().join("report.html"), "<p>old</p>").unwrap();
    let mut child = long_bench(dir.path());
    wait_for_a_record(dir.path(), &mut child);
    assert!(!dir.path().join("results.json").exists(), "the stale results.json went when the journal started");
    assert!(!dir.path().join("report.html").exists());
    // SAFETY: plain syscall on our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    assert_eq!(wait_for_exit(&mut child).code(), Some(143));
    let kept = journal(dir.path());
    let json = results(dir.path());
    assert_eq!(json["run"]["interrupted"], true);
    assert_eq!(json["records"].as_array().unwrap().len(), kept.len());
    assert!(!kept.is_empty());
    assert!(std::fs::read_to_string(dir.path().join("report.html")).unwrap().contains("INTERRUPTED"));
}

#[test]
fn item_5_sighup_finishes_too() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = long_bench(dir.path());
    wait_for_a_record(dir.path(), &mut child);
    // SAFETY: plain syscall on our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGHUP) };
    assert_eq!(wait_for_exit(&mut child).code(), Some(129));
    assert_eq!(results(dir.path())["records"].as_array().unwrap().len(), journal(dir.path()).len());
}

#[test]
fn item_6_numbers_in_a_results_file_are_checked_like_the_command_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    json["records"][0]["workload"] = serde_json::json!({"consumers": 4294967296u64, "per_consumer": 4294967296u64});
    let crafted = dir.path().join("crafted.json");
    std::fs::write(&crafted, serde_json::to_string(&json).unwrap()).unwrap();
    let out_dir = dir.path().join("out");
    let out = xtask().arg("report").arg(&crafted).arg("--out").arg(&out_dir).output().unwrap();
    assert_usage(&out, "record 1 (single-thread): workload 4294967296x4294967296");
    assert!(!out_dir.exists(), "no partial outputs");
    let out = xtask().arg("compare").arg(fixture()).arg(&crafted).output().unwrap();
    assert_usage(&out, "4294967296x4294967296");

    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    json["run"]["settings"]["samples"] = serde_json::json!(0);
    std::fs::write(&crafted, serde_json::to_string(&json).unwrap()).unwrap();
    let out = xtask().arg("report").arg(&crafted).arg("--out").arg(&out_dir).output().unwrap();
    assert_usage(&out, "--samples must be between 1 and");
    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    json["records"][1]["workload"]["consumers"] = serde_json::json!(0);
    std::fs::write(&crafted, serde_json::to_string(&json).unwrap()).unwrap();
    let out = xtask().arg("report").arg(&crafted).arg("--out").arg(&out_dir).output().unwrap();
    assert_usage(&out, "consumers must be at least 1");
    assert!(!out_dir.exists(), "no partial outputs");
}

#[test]
fn item_7_a_bad_out_is_refused_before_building_or_printing() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "not a folder").unwrap();
    for out_path in [file.clone(), file.join("below-a-file")] {
        // No cargo to run: refused before building, or it fails another way.
        let out = no_cargo(&mut tiny_bench(&out_path)).output().unwrap();
        assert_usage(&out, "--out");
    }
    for task in ["bench", "sweep"] {
        let out = no_cargo(&mut xtask()).args([task, "--out"]).arg(&file).output().unwrap();
        assert_usage(&out, "is a file, not a folder");
    }
    // report's --out is checked the same way, for one run and for several.
    let one = xtask().arg("report").arg(fixture()).arg("--out").arg(&file).output().unwrap();
    assert_usage(&one, "is a file, not a folder");
    let two = xtask().arg("report").arg(fixture()).arg(fixture()).arg("--out").arg(&file).output().unwrap();
    assert_usage(&two, "is a file, not a folder");
}

/// A folder nobody may write in: read-only permissions, and, for root (who
/// ignores them), the ext4 immutable flag. Undone on drop so the temporary
/// folder can be removed.
struct ReadOnly(PathBuf);

impl ReadOnly {
    /// `None` when this machine lets us write in it whatever we do (root on
    /// a filesystem without `chattr +i`).
    fn new(dir: PathBuf) -> Option<Self> {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o555)).unwrap();
        let guard = ReadOnly(dir);
        if guard.refuses_writes() {
            return Some(guard);
        }
        let immutable = std::process::Command::new("chattr").arg("+i").arg(&guard.0).output();
        (immutable.is_ok_and(|o| o.status.success()) && guard.refuses_writes()).then_some(guard)
    }

    fn refuses_writes(&self) -> bool {
        let probe = self.0.join("probe");
        let wrote = std::fs::write(&probe, "x").is_ok();
        let _ = std::fs::remove_file(&probe);
        !wrote
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).output();
        let _ = std::fs::set_permissions(&self.0, std::fs::Permissions::from_mode(0o755));
    }
}

#[test]
fn item_7_a_read_only_out_is_refused_before_building() {
    let dir = tempfile::tempdir().unwrap();
    let locked = dir.path().join("read-only");
    std::fs::create_dir(&locked).unwrap();
    let Some(guard) = ReadOnly::new(locked.clone()) else {
        eprintln!("skipped: this machine lets us write in a read-only folder (root without chattr +i)");
        return;
    };
    // No cargo to run: refused before building, or it fails another way.
    let out = no_cargo(&mut tiny_bench(&locked)).output().unwrap();
    assert_usage(&out, "cannot write in it");
    for runs in [vec![fixture()], vec![fixture(), fixture()]] {
        let out = xtask().arg("report").args(&runs).arg("--out").arg(&locked).output().unwrap();
        assert_usage(&out, "cannot write in it");
    }
    assert!(files_in(&locked).is_empty(), "nothing written: {:?}", files_in(&locked));
    drop(guard);
}

#[test]
fn item_9_cells_that_did_not_finish_carry_no_figures() {
    let dir = tempfile::tempdir().unwrap();
    let out = xtask().arg("report").arg(fixture()).arg("--out").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(dir.path().join("results.csv")).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let column = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let mut not_ok = 0;
    for row in reader.records() {
        let row = row.unwrap();
        if &row[column("status")] == "ok" {
            assert!(!row[column("time_ns")].is_empty());
            continue;
        }
        not_ok += 1;
        for name in ["time_ns", "iqr_ns", "min_ns", "max_ns", "ns_per_number", "numbers_per_sec", "cpu_per_wall"] {
            assert_eq!(&row[column(name)], "", "{name} of a {} cell", &row[column("status")]);
        }
    }
    assert_eq!(not_ok, 3, "the fixture's timeout, failed and hung cells");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let hung = stdout.lines().find(|l| l.contains("HUNG")).unwrap();
    assert!(hung.contains(" – ") && !hung.contains("ms"), "{hung}");
}

#[test]
fn item_12_plain_messages() {
    let dir = tempfile::tempdir().unwrap();
    let newer = dir.path().join("newer.json");
    std::fs::write(&newer, r#"{"format": "dispenser-bench results", "version": 2, "records": []}"#).unwrap();
    let out = xtask().arg("report").arg(&newer).output().unwrap();
    assert_usage(&out, "its version 2 is newer than this xtask reads (up to 1)");
    assert!(!stderr(&out).contains("Some("));
    let none = dir.path().join("none.json");
    std::fs::write(&none, r#"{"format": "dispenser-bench results", "records": []}"#).unwrap();
    let out = xtask().arg("report").arg(&none).output().unwrap();
    assert_usage(&out, "it has no \"version\" field");

    let out = xtask().args(["compare", "only-one.json"]).output().unwrap();
    assert_usage(&out, "NEW is missing (usage: cargo xtask compare OLD NEW)");
    let out = xtask().arg("compare").output().unwrap();
    assert_usage(&out, "OLD and NEW are missing");

    let mut json: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(fixture()).unwrap()).unwrap();
    json["records"][0]["variant"] = serde_json::json!("a|b\n<script>x</script>");
    let crafted = dir.path().join("names.json");
    std::fs::write(&crafted, serde_json::to_string(&json).unwrap()).unwrap();
    let out = xtask().arg("report").arg(&crafted).arg("--out").arg(dir.path()).output().unwrap();
    assert!(out.status.success(), "{}", stderr(&out));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    let row = md.lines().find(|l| l.starts_with("| ") && l.contains("a\\|b")).unwrap();
    assert!(row.contains("a\\|b &lt;script&gt;x&lt;/script&gt;"), "{row}");
    // Outside the summary's code fence, where HTML is inert, no markup gets through.
    let outside_fences: String = md.split("```").step_by(2).collect();
    assert!(!outside_fences.contains("<script>"), "{md}");
}

#[test]
fn item_11_a_stuck_sample_is_hung_with_the_samples_before_it_kept() {
    let dir = tempfile::tempdir().unwrap();
    // Ten million round trips over std::sync::mpsc take many seconds on any
    // machine; the binary is told to call a sample hung after one, while
    // xtask would kill the process only after the default --timeout (300
    // s): the cell ends as `hung` in the binary (not killed as `timeout`) and
    // keeps its record, however long a loaded machine takes to print it.
    let out = xtask()
        .args(["bench", "--runtime", "sync", "--variant", "std-mpsc", "--workload", "10x1000000"])
        .args(["--bench-arg=--sample-timeout=1", "--samples", "3", "--warmup", "0", "--processes", "1", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = journal(dir.path());
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].status, dispenser_core::Status::Hung, "{:?}", records[0].error);
    assert!(records[0].stats.is_none(), "a hung cell carries no statistics");
}
