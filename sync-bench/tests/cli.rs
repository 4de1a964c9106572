//! The real `sync-bench` binary: listing, bad input, and a small JSON run.

use assert_cmd::Command;
use dispenser_core::{Record, Status};

fn bench() -> Command {
    Command::cargo_bin("sync-bench").unwrap()
}

const NAMES: &[&str] = &[
    "single-thread",
    "atomic",
    "std-mutex",
    "parking_lot-mutex",
    "std-mpsc",
    "std-mpsc-bounded",
    "crossbeam-unbounded",
    "crossbeam-bounded",
    "flume-unbounded",
    "flume-bounded",
    "kanal-unbounded",
    "kanal-bounded",
];

#[test]
fn list_prints_one_name_per_line() {
    let out = bench().arg("--list").assert().success().get_output().stdout.clone();
    let names: Vec<String> = String::from_utf8(out).unwrap().lines().map(String::from).collect();
    assert_eq!(names, NAMES);
}

/// Bad input: exit 2, exactly one line on stderr, nothing on stdout.
fn refused(args: &[&str], needle: &str) {
    let out = bench().args(args).assert().code(2).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.contains(needle), "{args:?}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_exits_2_with_one_line() {
    refused(&["--consumers", "0"], "--consumers must be at least 1");
    refused(&["--per-consumer", "0"], "--per-consumer must be at least 1");
    refused(&["--per-consumer", "abc"], "abc");
    refused(&["--consumers", "-3"], "-3");
    refused(&["--consumers", "100000000000", "--per-consumer", "100000000000"], "100000000000");
    refused(&["--consumers", "1000", "--per-consumer", "100000000000"], "more than half");
    refused(&["--variant", "nope"], "unknown variant 'nope'; known: single-thread, atomic");
    refused(&["--samples", "0"], "--samples must be between 1");
    refused(&["--budget", "0"], "--budget must be more than 0");
    refused(&["--budget", "nan"], "--budget");
    refused(&["--format", "xml"], "xml");
    refused(&["--frobnicate"], "--frobnicate");
}

#[test]
fn json_prints_one_valid_record_per_variant() {
    let out = bench()
        .args(["--variant", "atomic", "--variant", "crossbeam-bounded", "--consumers", "3", "--per-consumer", "50"])
        .args(["--samples", "3", "--warmup", "0", "--format", "json", "--latency"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let records: Vec<Record> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.iter().map(|r| r.variant.as_str()).collect::<Vec<_>>(), ["atomic", "crossbeam-bounded"]);
    for r in &records {
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.dispense_ns.len(), 3);
        assert_eq!(r.workload.total(), 150);
        assert_eq!(r.latency.as_ref().unwrap().count, 3 * 150, "every request of every latency sample");
    }
}

#[test]
fn table_is_the_default() {
    let out =
        bench().args(["--variant", "atomic", "--consumers", "2", "--per-consumer", "10", "--samples", "3"]).assert();
    let stdout = String::from_utf8(out.success().get_output().stdout.clone()).unwrap();
    assert!(
        stdout.contains("median") && stdout.contains("atomic") && stdout.contains("2 logical cores")
            || stdout.contains("logical cores")
    );
}
