//! The real `tokio-bench` binary: listing, bad input, and small JSON runs
//! whose records carry the flavor and worker count.

use assert_cmd::Command;
use dispenser_core::{Record, Status};

fn bench() -> Command {
    Command::cargo_bin("tokio-bench").unwrap()
}

const NAMES: &[&str] = &[
    "atomic",
    "tokio-mutex",
    "std-mutex",
    "async-channel-unbounded",
    "async-channel-bounded",
    "flume-unbounded",
    "flume-bounded",
    "tokio-mpsc-unbounded",
    "tokio-mpsc-bounded",
    "postage-mpsc",
    "oneshot-actor",
    "tokio-oneshot-actor",
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
    refused(&["--workers", "-1"], "-1");
    refused(&["--workers", "100000"], "--workers must be between 1 and 1024");
    refused(&["--flavor", "current-thread", "--workers", "2"], "current-thread runs on exactly 1 worker");
    refused(&["--flavor", "fibers"], "fibers");
    refused(&["--variant", "std-mpsc"], "unknown variant 'std-mpsc'; known: atomic, tokio-mutex");
    refused(&["--consumers", "0"], "--consumers must be at least 1");
}

fn records(args: &[&str]) -> Vec<Record> {
    let out = bench()
        .args(["--consumers", "3", "--per-consumer", "50", "--samples", "3", "--warmup", "0", "--format", "json"])
        .args(args)
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

#[test]
fn records_carry_flavor_and_workers() {
    for (args, flavor, workers) in [
        (&["--workers", "2"][..], "multi-thread", 2),
        (&["--flavor", "current-thread"][..], "current-thread", 1),
        (&["--flavor", "current-thread", "--workers", "1"][..], "current-thread", 1),
    ] {
        let rs = records(&[args, &["--variant", "tokio-mpsc-bounded", "--variant", "tokio-oneshot-actor"]].concat());
        assert_eq!(rs.len(), 2);
        for r in rs {
            assert_eq!(r.status, Status::Ok, "{args:?}: {:?}", r.error);
            assert_eq!(
                (r.runtime.as_str(), r.executor.flavor.as_str(), r.executor.workers),
                ("tokio", flavor, Some(workers))
            );
            assert_eq!(r.dispense_ns.len(), 3);
        }
    }
}
