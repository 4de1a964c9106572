//! The real `smol-bench` binary: listing, bad input, and a small JSON run.

use assert_cmd::Command;
use dispenser_core::{Record, Status};

fn bench() -> Command {
    Command::cargo_bin("smol-bench").unwrap()
}

const NAMES: &[&str] = &[
    "atomic",
    "async-lock-mutex",
    "async-channel-unbounded",
    "async-channel-bounded",
    "flume-unbounded",
    "flume-bounded",
    "tokio-mpsc-unbounded",
    "tokio-mpsc-bounded",
    "oneshot-actor",
];

#[test]
fn list_prints_one_name_per_line() {
    let out = bench().arg("--list").assert().success().get_output().stdout.clone();
    assert_eq!(String::from_utf8(out).unwrap().lines().collect::<Vec<_>>(), NAMES);
}

/// Bad input: exit 2, exactly one line on stderr, nothing on stdout.
fn refused(args: &[&str], needle: &str) {
    let out = bench().args(args).assert().code(2).get_output().clone();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(stderr.contains(needle), "{args:?}: {stderr}");
    assert!(out.stdout.is_empty());
}

#[test]
fn bad_input_exits_2_with_one_line() {
    refused(&["--workers", "0"], "--workers must be between 1 and 1024, got 0");
    refused(&["--workers", "abc"], "abc");
    refused(&["--workers", "5000"], "--workers must be between 1 and 1024");
    refused(&["--flavor", "current-thread"], "--flavor");
}

#[test]
fn records_carry_the_executor_and_workers() {
    let out = bench()
        .args(["--workers", "2", "--consumers", "3", "--per-consumer", "50", "--samples", "3", "--format", "json"])
        .args(["--variant", "async-lock-mutex", "--variant", "oneshot-actor"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let records: Vec<Record> =
        String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(records.len(), 2);
    for r in records {
        assert_eq!(r.status, Status::Ok, "{:?}", r.error);
        assert_eq!(
            (r.runtime.as_str(), r.executor.flavor.as_str(), r.executor.workers),
            ("smol", "async-executor", Some(2))
        );
    }
}
