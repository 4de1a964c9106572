//! `cargo xtask sweep` end to end on a tiny range of sync-bench: one record
//! per point, the usual results files, a well-formed sweep.html with one
//! chart per runtime, and the chart saved as an SVG file; a total that the
//! consumer counts do not divide is refused with status 2; work and CPU
//! counts as axes, and `--work` done on the clock, burning CPU.

mod common;

use common::{assert_well_formed, journal, results, stderr, xtask};
use dispenser_core::{Status, Workload};
use std::sync::{RwLock, RwLockReadGuard, RwLockWriteGuard};

/// The tests of this file run in parallel; the one that times `--work`
/// runs alone (a write lock), so the others' processes do not share its
/// two cores: a busy core inflates wall time whatever is measured.
static MACHINE: RwLock<()> = RwLock::new(());

fn shared() -> RwLockReadGuard<'static, ()> {
    MACHINE.read().unwrap_or_else(|e| e.into_inner())
}

fn alone() -> RwLockWriteGuard<'static, ()> {
    MACHINE.write().unwrap_or_else(|e| e.into_inner())
}

#[test]
fn a_tiny_sweep_has_one_record_per_point_and_a_well_formed_page() {
    let _machine = shared();
    let dir = tempfile::tempdir().unwrap();
    let out = xtask()
        .args([
            "sweep",
            "--consumers",
            "1,2",
            "--total",
            "100",
            "--work",
            "0",
            "--runtime",
            "sync",
            "--variant",
            "atomic",
        ])
        .args(["--variant", "std-mutex", "--samples", "3", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = journal(dir.path());
    let mut points: Vec<(String, Workload)> = records.iter().map(|r| (r.variant.clone(), r.workload)).collect();
    points.sort_by_key(|(v, w)| (v.clone(), w.consumers));
    let w = |c, t| Workload { consumers: c, per_consumer: t };
    let expected = [("atomic", w(1, 100)), ("atomic", w(2, 50)), ("std-mutex", w(1, 100)), ("std-mutex", w(2, 50))];
    assert_eq!(points, expected.map(|(v, w)| (v.to_string(), w)));
    assert!(records.iter().all(|r| r.status == Status::Ok && r.dispense_ns.len() == 3));
    assert_eq!(results(dir.path())["records"].as_array().unwrap().len(), 4);
    assert!(dir.path().join("results.csv").is_file() && dir.path().join("report.html").is_file());

    let html = std::fs::read_to_string(dir.path().join("sweep.html")).unwrap();
    assert_well_formed(&html);
    // One chart and one table per runtime, before the crossovers' own
    // section, which maps the one question both sides answer (atomic or lock).
    let runtimes = html.split("<h2>Where the answer flips</h2>").next().unwrap_or_default();
    assert_eq!(runtimes.matches("<svg").count(), 1, "one chart per runtime");
    assert_eq!(runtimes.matches("</svg>").count(), 1);
    assert_eq!(runtimes.matches("<table>").count(), 1);
    assert!(html.contains("atomic or lock by consumers"), "{html}");
    assert!(dir.path().join("crossover-consumers.svg").is_file());
    assert!(html.contains("sync (threads) · ns per number vs consumers"), "{html}");
    assert!(html.contains("<th>2 cons.</th>"));
    let svg = std::fs::read_to_string(dir.path().join("sweep-sync.svg")).unwrap();
    assert_well_formed(&svg);
    assert!(svg.contains("machine: ") && svg.contains("atomic") && svg.contains("std-mutex"));
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("sync (threads): median ns per number, by consumers"), "{stdout}");
    assert!(
        stdout.contains("Where the answer flips") && stdout.contains("  - atomic or lock by consumers: "),
        "{stdout}"
    );
}

#[test]
fn a_total_the_consumers_do_not_divide_is_a_usage_error() {
    let _machine = shared();
    for args in [&["--consumers", "1,3", "--total", "100"][..], &["--consumers", "8", "--total", "4"]] {
        let out = xtask().arg("sweep").args(args).arg("--dry-run").output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}: {}", stderr(&out));
        let err = stderr(&out);
        assert_eq!(err.lines().count(), 1, "{err}");
        assert!(err.contains("--total"), "{err}");
    }
}

/// Median ns per number of each record, by its work per number.
fn by_work(records: &[dispenser_core::Record]) -> Vec<(u64, f64)> {
    let mut out: Vec<(u64, f64)> = records
        .iter()
        .map(|r| {
            assert_eq!(r.status, Status::Ok, "{:?}", r.error);
            (r.settings.work_ns, r.stats.as_ref().expect("an ok record has stats").ns_per_number)
        })
        .collect();
    out.sort_by_key(|(w, _)| *w);
    out
}

/// `--work` is done, burns CPU and is on the clock, seen in a benchmark
/// run: the single-thread baseline (no other thread to wait for or to share
/// a core with) with no work and with 2,000 ns per number, 31 samples of
/// 10,000 numbers each. The work's cost is the difference between the two
/// points, in CPU (the records' own user + system CPU over the dispense
/// clock) and in wall time (the median ns per number).
///
/// How close that cost comes to 2,000 ns is a speed claim, for the suite's
/// own runs to show, not for a test: each process calibrates the work once,
/// and on a shared 2-core virtual machine a core's speed itself moves with
/// the load beside it. Four runs of this very sweep under a load of 7 cost
/// 1,512, 1,589, 1,937 and 3,949 ns of CPU per number (one earlier run
/// under a load of 5, 2,009). So the bounds here only catch what no load
/// can explain: work not done or not burning CPU (under a quarter of what
/// was asked), work off the clock (wall time under a quarter), or a unit
/// mistake (over twenty times what was asked).
#[test]
fn work_is_done_on_the_clock_and_burns_cpu() {
    let _machine = alone();
    let dir = tempfile::tempdir().unwrap();
    let out = xtask()
        .args(["sweep", "--runtime", "sync", "--variant", "single-thread", "--consumers", "1", "--total", "10000"])
        .args(["--work", "0,2000", "--samples", "31", "--warmup", "1", "--budget", "60", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = journal(dir.path());
    let points = by_work(&records);
    assert_eq!(points.iter().map(|(w, _)| *w).collect::<Vec<_>>(), [0, 2000]);
    let cost = points[1].1 - points[0].1;
    let mut cpu: Vec<(u64, f64)> = records
        .iter()
        .map(|r| {
            let res = r.resources.as_ref().expect("an ok record has resources");
            let numbers = r.workload.total() * r.dispense_ns.len() as u64;
            (r.settings.work_ns, (res.user_cpu_s + res.system_cpu_s) * 1e9 / numbers as f64)
        })
        .collect();
    cpu.sort_by_key(|(w, _)| *w);
    let cpu_cost = cpu[1].1 - cpu[0].1;
    let seen = format!("median wall ns per number {points:?}, CPU ns per number {cpu:?}");
    let asked = 2000.0;
    assert!(cpu_cost >= asked / 4.0, "--work 2000 burnt {cpu_cost:.0} ns of CPU per number: {seen}");
    assert!(cpu_cost <= asked * 20.0, "--work 2000 burnt {cpu_cost:.0} ns of CPU per number: {seen}");
    assert!(cost >= asked / 4.0, "--work 2000 added {cost:.0} ns of wall per number, not on the clock: {seen}");
}

/// Work and CPU counts are axes: a group of points each, recorded in every
/// record, each axis with its own chart and table.
#[test]
fn work_and_cpus_are_axes_with_a_chart_each() {
    let _machine = shared();
    let cpus = dispenser_core::cpus::allowed().unwrap().len();
    let cpu_list = if cpus > 1 { format!("1,{cpus}") } else { "1".into() };
    let dir = tempfile::tempdir().unwrap();
    let out = xtask()
        .args(["sweep", "--runtime", "sync", "--variant", "atomic", "--consumers", "2", "--total", "200"])
        .args(["--work", "0,500", "--cpus", &cpu_list, "--samples", "3", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let records = journal(dir.path());
    let mut knobs: Vec<(u64, Option<usize>)> = records.iter().map(|r| (r.settings.work_ns, r.settings.cpus)).collect();
    knobs.sort();
    let mut expected: Vec<(u64, Option<usize>)> = Vec::new();
    for work in [0, 500] {
        expected.push((work, Some(1)));
        if cpus > 1 {
            expected.push((work, Some(cpus)));
        }
    }
    assert_eq!(knobs, expected);
    assert!(records.iter().all(|r| Some(r.host.logical_cores) == r.settings.cpus), "pinned processes see K cores");
    let html = std::fs::read_to_string(dir.path().join("sweep.html")).unwrap();
    assert_well_formed(&html);
    assert!(html.contains("sync (threads) · ns per number vs work per number"), "{html}");
    assert!(html.contains("<th>500 ns work</th>"), "{html}");
    assert!(dir.path().join("sweep-sync-work.svg").is_file());
    assert!(!dir.path().join("sweep-sync.svg").exists(), "one consumer count: no chart against consumers");
    if cpus > 1 {
        assert!(html.contains("ns per number vs CPUs") && html.contains(&format!("<th>{cpus} CPUs</th>")), "{html}");
        assert!(dir.path().join("sweep-sync-cpus.svg").is_file());
    }
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert!(stdout.contains("by work per number, ns"), "{stdout}");
}

#[test]
fn work_and_cpus_out_of_range_are_usage_errors() {
    let _machine = shared();
    for args in [&["--work", "2000000000"][..], &["--cpus", "0"], &["--cpus", "100000"], &["--work", "-5"]] {
        for task in ["sweep", "bench"] {
            let out = xtask().arg(task).args(args).arg("--dry-run").output().unwrap();
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(2), "{task} {args:?}: {err}");
            assert_eq!(err.lines().count(), 1, "{err}");
        }
    }
}
