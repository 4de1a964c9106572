//! `cargo xtask bench` end to end, on sync-bench with tiny workloads: a
//! clean run and its files, a timeout, a failing process, an interrupted
//! run, filters and usage errors; and one quick run of every runtime, whose
//! terminal output must fit 100 columns and open with the answer. xtask builds sync-bench in release itself
//! (a no-op once built), so the tests share target/ with everything else.

mod common;

use common::{
    LONG_BENCH_CELLS, assert_well_formed, journal, listed_variants, long_bench, no_cargo, results, stderr, tiny_bench,
    wait_for_a_record, wait_for_exit, xtask,
};
use dispenser_core::Status;

#[test]
fn a_tiny_run_writes_every_file_and_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    let out =
        tiny_bench(dir.path()).args(["--variant", "atomic", "--variant", "std-*", "--seed", "7"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("Workload 2 x 100"), "{stdout}");
    assert!(stdout.contains("Summary"));
    assert!(stdout.contains("order shuffled with --seed 7"));

    // The cells the two filters pick from what sync-bench lists today.
    let mut expected: Vec<String> =
        listed_variants("sync-bench").into_iter().filter(|n| n == "atomic" || n.starts_with("std-")).collect();
    expected.sort_unstable();
    let cells = expected.len();
    assert!(cells >= 2, "atomic and at least one std-* variant: {expected:?}");

    // Every cell in three processes, one record each, in three shuffled rounds.
    let records = journal(dir.path());
    let mut names: Vec<&str> = records.iter().map(|r| r.variant.as_str()).collect();
    names.sort_unstable();
    names.dedup();
    assert_eq!(names, expected);
    assert_eq!(records.len(), 3 * cells);
    assert!(records.iter().all(|r| r.status == Status::Ok && r.dispense_ns.len() == 3));
    for (round, this) in records.chunks(cells).enumerate() {
        let variants: Vec<&str> = this.iter().map(|r| r.variant.as_str()).collect();
        assert!(this.iter().all(|r| r.process == Some(round as u32)), "{variants:?}");
    }

    let json = results(dir.path());
    assert_eq!(json["format"], "dispenser-bench results");
    assert_eq!(json["run"]["seed"], 7);
    assert_eq!(json["records"].as_array().unwrap().len(), 3 * cells);
    assert_eq!(json["run"]["settings"]["processes"], 3);
    assert!(json["machine"]["logical_cores"].as_u64().unwrap() >= 1);
    assert!(json["machine"]["rustc"].as_str().unwrap().starts_with("rustc"));
    assert!(json["machine"]["crates"]["crossbeam-channel"].is_array());

    let mut csv = csv::Reader::from_path(dir.path().join("results.csv")).unwrap();
    let headers = csv.headers().unwrap().clone();
    let status = headers.iter().position(|h| h == "status").unwrap();
    let rows: Vec<csv::StringRecord> = csv.records().collect::<Result<_, _>>().unwrap();
    assert_eq!(rows.len(), cells);
    let processes = headers.iter().position(|h| h == "processes").unwrap();
    assert!(
        rows.iter().all(|r| r.len() == headers.len() && &r[status] == "ok" && &r[processes] == "3"),
        "one row per cell, 3 processes"
    );

    let html = std::fs::read_to_string(dir.path().join("report.html")).unwrap();
    assert_well_formed(&html);
    assert!(html.contains("<svg") && html.contains("std-mutex"));
    let md = std::fs::read_to_string(dir.path().join("report.md")).unwrap();
    assert!(md.contains("| 1 | sync (threads) |") || md.contains("| 1–"), "{md}");
}

/// The widest line a default terminal report may have (`--wide` lifts it).
const TERMINAL_COLUMNS: usize = 100;

#[test]
fn a_quick_run_fits_100_columns_and_opens_with_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    // Every runtime and variant on the quick workload, one process per cell
    // to keep the test short (the layout does not depend on it).
    let out = xtask().args(["bench", "--quick", "--processes", "1", "--out"]).arg(dir.path()).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let stdout = String::from_utf8(out.stdout).unwrap();
    for line in stdout.lines() {
        // Display width, as a terminal (and comfy-table) counts it.
        let width = unicode_width::UnicodeWidthStr::width(line);
        assert!(width <= TERMINAL_COLUMNS, "{width} columns: {line}\n{stdout}");
    }
    let first_screen: Vec<&str> = stdout.lines().take(40).collect();
    assert!(first_screen.iter().any(|l| l.starts_with("Answer")), "no Answer in the first 40 lines:\n{stdout}");
    assert!(stdout.lines().count() > 40, "a full quick run is more than one screen");
    // --wide keeps every column: `report` renders the same run wide.
    let wide = xtask().arg("report").arg(dir.path()).arg("--wide").output().unwrap();
    let wide = String::from_utf8(wide.stdout).unwrap();
    assert!(wide.contains("spread in / between") && wide.contains("peak mem"), "{wide}");
}

#[test]
fn a_cell_past_its_timeout_is_killed_and_recorded() {
    let dir = tempfile::tempdir().unwrap();
    // Ten million round trips over std::sync::mpsc take many seconds on any
    // machine; one is allowed.
    let out = xtask()
        .args(["bench", "--runtime", "sync", "--variant", "std-mpsc", "--workload", "10x1000000", "--timeout", "1"])
        .args(["--processes", "1"])
        // A sample timeout past the cell's, so the process itself must be killed.
        .arg("--bench-arg=--sample-timeout=100")
        .arg("--out")
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = journal(dir.path());
    assert_eq!(records.len(), 1);
    assert_eq!(records[0].status, Status::Timeout);
    assert!(records[0].error.as_deref().unwrap().contains("killed after 1 s"));
    // Labelled with the executor the binary reported in its probe, though the cell left no record.
    assert_eq!(records[0].executor.flavor, "threads");
    assert!(String::from_utf8_lossy(&out.stdout).contains("TIMEOUT"));
}

#[test]
fn a_failing_process_is_recorded_with_its_stderr_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    // Every process gets a value it parses but refuses when it runs (the
    // up-front check of --bench-arg asks `--list`, which only parses):
    // exit 2, no record.
    let out = tiny_bench(dir.path())
        .args(["--variant", "atomic", "--workload", "3x100", "--bench-arg=--sample-timeout=0"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let records = journal(dir.path());
    assert_eq!(records.len(), 6, "both cells ran, in three processes each");
    for r in &records {
        assert_eq!(r.status, Status::Failed);
        let e = r.error.as_deref().unwrap();
        assert!(e.starts_with("exit status 2 without a record; stderr: "), "{e}");
        assert!(e.contains("--sample-timeout must be more than 0"), "{e}");
    }
    assert!(stderr(&out).contains("6 of 6 runs did not succeed"), "{}", stderr(&out));
}

#[test]
fn an_interrupted_run_keeps_its_finished_cells() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = long_bench(dir.path());
    wait_for_a_record(dir.path(), &mut child);
    // SAFETY: plain syscall on our own child.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGINT) };
    let status = wait_for_exit(&mut child);
    assert_eq!(status.code(), Some(130));
    let kept = journal(dir.path());
    assert!((1..LONG_BENCH_CELLS).contains(&kept.len()), "{} cells kept", kept.len());
    assert!(kept.iter().all(|r| r.status == Status::Ok));
    let json = results(dir.path());
    assert_eq!(json["run"]["interrupted"], true);
    assert_eq!(json["records"].as_array().unwrap().len(), kept.len());
}

#[test]
fn filters_that_match_nothing_and_bad_options_exit_2_with_one_line() {
    let one_line = |args: &[&str], expect: &str| {
        let out = xtask().args(args).output().unwrap();
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        let last = err.lines().last().unwrap_or_default();
        assert!(last.starts_with("error: ") && last.contains(expect), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{err}");
    };
    one_line(&["bench", "--workload", "0x5"], "consumers must be at least 1");
    one_line(&["bench", "--workload", "ten"], "like 10x100000");
    one_line(&["bench", "--samples", "0"], "--samples must be between 1");
    one_line(&["bench", "--runtime", "glommio"], "unknown runtime 'glommio'; known:");
    one_line(&["bench", "--runtime", "sync", "--variant", "zzz*"], "no variant matches --variant 'zzz*'; known:");
    one_line(&["bench", "--frobnicate"], "--frobnicate");
    // A flag for the runtime binaries that they do not know: refused once,
    // before any cell runs, not as every cell failing.
    let scratch = tempfile::tempdir().unwrap();
    let out_dir = scratch.path().to_string_lossy().into_owned();
    one_line(
        &["bench", "--runtime", "sync", "--bench-arg=--bogus", "--out", &out_dir],
        "--bench-arg --bogus: sync-bench refuses it (error: unexpected argument '--bogus' found)",
    );
    // The binaries' own limit, refused once before anything is built (with
    // no cargo to run, a build would fail another way).
    let out = no_cargo(&mut xtask()).args(["bench", "--runtime", "smol", "--workers", "2000"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert_eq!(stderr(&out), "error: --workers must be between 1 and 1024, got 2000\n");
    one_line(&["sweep", "--workers", "1,2000"], "--workers must be between 1 and 1024, got 2000");
}

#[test]
fn a_dry_run_lists_the_cells_in_seeded_order() {
    let run = |seed: &str| {
        let out = xtask()
            .args(["bench", "--runtime", "sync", "--variant", "*-bounded", "--workload", "2x10", "--workload", "3x10"])
            .args(["--dry-run", "--seed", seed])
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        String::from_utf8(out.stdout).unwrap()
    };
    // What the filter picks from sync-bench's list today, on two workloads.
    let bounded: Vec<String> = listed_variants("sync-bench").into_iter().filter(|n| n.ends_with("-bounded")).collect();
    let cells = 2 * bounded.len();
    let a = run("1");
    let header = format!("# {cells} cells x 5 processes = {} runs in 5 shuffled rounds, --seed 1", 5 * cells);
    assert_eq!(a.lines().next(), Some(header.as_str()), "{a}");
    assert_eq!(a.lines().count(), 1 + 5 * cells, "{a}");
    let first_round: Vec<&str> = a.lines().skip(1).take(cells).collect();
    assert!(first_round.iter().all(|l| l.ends_with(" #1")), "round 1 runs every cell's first process: {a}");
    for name in &bounded {
        for workload in ["2x10", "3x10"] {
            let cell = format!("sync {name} {workload} ");
            assert_eq!(first_round.iter().filter(|l| l.starts_with(&cell)).count(), 1, "{cell}in round 1: {a}");
        }
    }
    assert_eq!(a, run("1"));
}

#[test]
fn bare_xtask_lists_the_tasks() {
    let out = xtask().output().unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for task in ["bench", "compare", "report"] {
        assert!(text.contains(task), "{text}");
    }
}
