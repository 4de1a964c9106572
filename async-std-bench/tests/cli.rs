//! The real `async-std-bench` binary: listing, bad input, and every variant
//! with 1 and 2 executor threads (the worker count is per process, fixed by
//! ASYNC_STD_THREAD_COUNT before the global executor starts).

use assert_cmd::Command;
use dispenser_core::runner::LATENCY_SAMPLES;
use dispenser_core::tasks::testing::SMALL_WORKLOADS;
use dispenser_core::{Record, Status};

fn bench() -> Command {
    Command::cargo_bin("async-std-bench").unwrap()
}

const NAMES: &[&str] = &[
    "atomic",
    "async-std-mutex",
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
    refused(&["--workers", "1025"], "--workers must be between 1 and 1024");
}

/// Every variant on both small workloads, warm-up, counted and latency
/// samples, each validated by the binary; `--workers` wins over the variable.
#[test]
fn every_variant_is_valid_on_one_and_two_workers() {
    for workers in ["1", "2"] {
        for w in SMALL_WORKLOADS {
            let out = bench()
                .env("ASYNC_STD_THREAD_COUNT", "7")
                .args(["--workers", workers, "--format", "json", "--samples", "3", "--warmup", "1", "--latency"])
                .args(["--consumers", &w.consumers.to_string(), "--per-consumer", &w.per_consumer.to_string()])
                .assert()
                .success()
                .get_output()
                .stdout
                .clone();
            let records: Vec<Record> =
                String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
            assert_eq!(records.iter().map(|r| r.variant.as_str()).collect::<Vec<_>>(), NAMES);
            for r in records {
                let on = format!("{} on {workers} workers, {w}", r.variant);
                assert_eq!(r.status, Status::Ok, "{on}: {:?}", r.error);
                assert_eq!(r.executor.flavor, "global-executor");
                assert_eq!(r.executor.workers, Some(workers.parse().unwrap()), "{on}");
                assert_eq!(r.validated_samples, 1 + 3 + LATENCY_SAMPLES, "{on}");
                assert_eq!(r.latency.unwrap().count, w.total() * LATENCY_SAMPLES as u64, "{on}");
            }
        }
    }
}
