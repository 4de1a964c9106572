//! The contract every runtime binary keeps with xtask, checked against every
//! runtime crate `cargo metadata` finds (the `[package.metadata.dispenser-bench]
//! runtime = true` marker) and every flavor it declares, so a new runtime
//! copies no test file: listing, listing as JSON, bad input, every variant
//! valid on two small workloads, `--work` and `--cpus 1` recorded with at
//! most one core busy, `--pin` recorded with the threads it placed, a
//! closed stdout, and the harness's faults (a lost
//! reply reported `hung`, a duplicated number `invalid`).

use cargo_metadata::{Message, MetadataCommand, Package};
use dispenser_core::variant::Listing;
use dispenser_core::{Record, Status};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// A runtime binary run with one of its flavors.
struct Target {
    exe: PathBuf,
    flavor: Option<String>,
    takes_workers: bool,
}

impl Target {
    fn command(&self) -> Command {
        let mut cmd = Command::new(&self.exe);
        if let Some(flavor) = &self.flavor {
            cmd.args(["--flavor", flavor]);
        }
        cmd
    }

    fn run(&self, args: &[&str]) -> Output {
        self.command().args(args).stdin(Stdio::null()).output().expect("the binary starts")
    }

    fn name(&self) -> String {
        let exe = self.exe.file_name().unwrap_or_default().to_string_lossy();
        match &self.flavor {
            Some(f) => format!("{exe} --flavor {f}"),
            None => exe.into_owned(),
        }
    }
}

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace").to_path_buf()
}

/// The runtime packages and their flavors, as xtask discovers them.
fn runtimes() -> Vec<(Package, Vec<Option<String>>, serde_json::Value)> {
    let metadata = MetadataCommand::new().current_dir(workspace_root()).no_deps().exec().expect("cargo metadata");
    let mut found = Vec::new();
    for package in metadata.workspace_packages() {
        let table = &package.metadata["dispenser-bench"];
        if table["runtime"] != serde_json::Value::Bool(true) {
            continue;
        }
        let flavors: Vec<Option<String>> = match table["flavors"].as_array() {
            Some(list) => list.iter().map(|f| Some(f.as_str().expect("a flavor is a string").to_string())).collect(),
            None => vec![None],
        };
        found.push((package.clone(), flavors, table["workers"].clone()));
    }
    found
}

/// Builds every runtime binary (dev profile: `cargo test` has already built
/// their dependencies, so this links) and returns one target per flavor.
fn targets() -> Vec<Target> {
    let runtimes = runtimes();
    assert!(runtimes.len() >= 4, "sync, tokio, async-std and smol are found");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.current_dir(workspace_root()).args(["build", "--bins", "--message-format", "json-render-diagnostics"]);
    for (package, ..) in &runtimes {
        cmd.args(["-p", &package.name]);
    }
    let out = cmd.stderr(Stdio::inherit()).output().expect("cargo build runs");
    assert!(out.status.success(), "the runtime binaries build");
    let mut exes = Vec::new();
    for message in Message::parse_stream(out.stdout.as_slice()) {
        if let Ok(Message::CompilerArtifact(a)) = message
            && let Some(exe) = a.executable
        {
            exes.push((a.package_id, exe.into_std_path_buf()));
        }
    }
    let mut targets = Vec::new();
    for (package, flavors, workers) in runtimes {
        let exe = exes.iter().find(|(id, _)| *id == package.id).map(|(_, e)| e.clone());
        let exe = exe.unwrap_or_else(|| panic!("{} builds a binary", package.name));
        for flavor in flavors {
            let takes_workers = match &workers {
                serde_json::Value::Bool(b) => *b,
                serde_json::Value::Array(fs) => fs.iter().any(|f| f.as_str() == flavor.as_deref()),
                _ => false,
            };
            targets.push(Target { exe: exe.clone(), flavor, takes_workers });
        }
    }
    targets
}

fn stdout_lines(out: &Output) -> Vec<String> {
    String::from_utf8_lossy(&out.stdout).lines().map(String::from).collect()
}

fn records(out: &Output) -> Vec<Record> {
    stdout_lines(out).iter().map(|l| serde_json::from_str(l).expect("every stdout line is a record")).collect()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Names from `--list`, checked non-empty, unique and without spaces; the
/// same names, with family, primitive and capacity, from `--list --format json`.
fn check_listing(t: &Target) -> Vec<String> {
    let out = t.run(&["--list"]);
    assert!(out.status.success(), "{}: --list: {}", t.name(), stderr(&out));
    let names = stdout_lines(&out);
    assert!(!names.is_empty(), "{}: --list printed nothing", t.name());
    let unique: HashSet<&String> = names.iter().collect();
    assert_eq!(unique.len(), names.len(), "{}: a name is listed twice", t.name());
    assert!(names.iter().all(|n| !n.is_empty() && !n.contains(char::is_whitespace)), "{}: {names:?}", t.name());

    let out = t.run(&["--list", "--format", "json"]);
    assert!(out.status.success(), "{}: --list --format json: {}", t.name(), stderr(&out));
    let listings: Vec<Listing> = stdout_lines(&out)
        .iter()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{}: bad listing {l}: {e}", t.name())))
        .collect();
    assert_eq!(listings.iter().map(|l| &l.name).collect::<Vec<_>>(), names.iter().collect::<Vec<_>>());
    for l in &listings {
        assert!(!l.primitive.is_empty(), "{}: {} has no primitive", t.name(), l.name);
        let has_channels = matches!(l.family, dispenser_core::Family::Channel | dispenser_core::Family::Actor);
        assert_eq!(l.capacity.is_some(), has_channels, "{}: {} capacity", t.name(), l.name);
    }
    // Every line of the raw JSON carries the four keys, null included.
    for line in stdout_lines(&out) {
        let v: serde_json::Value = serde_json::from_str(&line).unwrap();
        for key in ["name", "family", "primitive", "capacity"] {
            assert!(v.get(key).is_some(), "{}: {key} missing in {line}", t.name());
        }
    }
    names
}

/// Bad input: exit 2, exactly one line on stderr, nothing on stdout.
fn check_bad_input(t: &Target) {
    let mut cases: Vec<Vec<&str>> = vec![
        vec!["--consumers", "0"],
        vec!["--per-consumer", "0"],
        vec!["--consumers", "-3"],
        vec!["--per-consumer", "abc"],
        vec!["--consumers", "100000000000", "--per-consumer", "100000000000"],
        vec!["--consumers", "1000", "--per-consumer", "100000000000"],
        vec!["--variant", "no-such-variant"],
        vec!["--samples", "0"],
        vec!["--warmup", "1000000"],
        vec!["--budget", "nan"],
        vec!["--sample-timeout", "-1"],
        vec!["--format", "xml"],
        vec!["--frobnicate"],
        vec!["--work", "-1"],
        vec!["--work", "2000000000"],
        vec!["--cpus", "0"],
        vec!["--cpus", "100000"],
        vec!["--load", "-1"],
        vec!["--load", "100000"],
        vec!["--load", "x"],
        vec!["--rate", "0"],
        vec!["--rate", "-5"],
        vec!["--rate", "100000000000"],
        vec!["--capacity", "-1"],
        vec!["--capacity", "x"],
        vec!["--capacity", "100000000"],
    ];
    if t.takes_workers {
        cases.extend([vec!["--workers", "0"], vec!["--workers", "5000"], vec!["--workers", "x"]]);
    }
    for args in cases {
        let out = t.run(&args);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{} {args:?}: {err}", t.name());
        assert_eq!(err.lines().count(), 1, "{} {args:?}: {err}", t.name());
        assert!(!err.contains("panicked"), "{} {args:?}: {err}", t.name());
        assert!(out.stdout.is_empty(), "{} {args:?} printed on stdout", t.name());
    }
}

/// Every variant, on few consumers with long runs and on many with short
/// runs (and on one worker, for executors that take `--workers`), is `ok`
/// with every counted sample and its statistics.
fn check_every_variant_valid(t: &Target, names: &[String]) {
    let mut runs = vec![("3", "200", true, None), ("64", "20", false, None)];
    if t.takes_workers {
        runs.push(("64", "20", false, Some("1")));
    }
    for (consumers, per_consumer, latency, workers) in runs {
        let mut args = vec!["--consumers", consumers, "--per-consumer", per_consumer];
        if let Some(k) = workers {
            args.extend(["--workers", k]);
        }
        args.extend(["--samples", "3", "--warmup", "1", "--format", "json", "--sample-timeout", "60"]);
        if latency {
            args.push("--latency");
        }
        let out = t.run(&args);
        let on = format!("{} on {consumers}x{per_consumer}, --workers {workers:?}", t.name());
        assert_eq!(out.status.code(), Some(0), "{on}: {}", stderr(&out));
        let records = records(&out);
        assert_eq!(records.iter().map(|r| &r.variant).collect::<Vec<_>>(), names.iter().collect::<Vec<_>>(), "{on}");
        for r in &records {
            assert_eq!(r.status, Status::Ok, "{on}: {} {:?}", r.variant, r.error);
            assert_eq!(r.dispense_ns.len(), 3, "{on}: {}", r.variant);
            assert!(r.dispense_ns.iter().all(|&ns| ns > 0), "{on}: {} has a zero dispense time", r.variant);
            assert!(r.stats.is_some() && r.resources.is_some(), "{on}: {}", r.variant);
            // Fairness from the validated lists, outside the clock: runs are
            // at least 1 and at most T; the per-number figures are present.
            let f = r.fairness.unwrap_or_else(|| panic!("{on}: {} has no fairness", r.variant));
            assert!(f.mean_run >= 1.0 && f.mean_run <= r.workload.per_consumer as f64, "{on}: {} {f:?}", r.variant);
            assert!((0.0..=1.0).contains(&f.handoff_share), "{on}: {} {f:?}", r.variant);
            assert!(r.switches_per_number.is_some() && r.cpu_ns_per_number.is_some(), "{on}: {}", r.variant);
            let total = r.workload.total();
            let timed = r.latency.as_ref().map(|l| l.count);
            assert_eq!(timed, latency.then_some(total * 3), "{on}: {}: every request of 3 latency samples", r.variant);
            if let Some(flavor) = &t.flavor {
                assert_eq!(&r.executor.flavor, flavor, "{on}");
            }
            if let Some(k) = workers {
                assert_eq!(r.executor.workers.map(|w| w.to_string()).as_deref(), Some(k), "{on}");
            }
        }
    }
}

/// `--work 500 --cpus 1` on every variant: both recorded, and no process
/// uses more than one core (CPU/wall at most 1.1, measurement error
/// included), executor workers too: a binary that takes `--workers` runs 2
/// of them on the one CPU.
fn check_work_and_one_cpu(t: &Target, names: &[String]) {
    let (on, records) = every_variant_with(t, names, &["--work", "500", "--cpus", "1"], "1000", "3");
    for r in &records {
        assert_eq!(r.status, Status::Ok, "{on}: {} {:?}", r.variant, r.error);
        assert_eq!((r.settings.work_ns, r.settings.cpus), (500, Some(1)), "{on}: {}", r.variant);
        assert_eq!(r.host.logical_cores, 1, "{on}: {} sees one core", r.variant);
        let cpu_per_wall = r.resources.as_ref().map_or(f64::NAN, |res| res.cpu_per_wall);
        assert!(cpu_per_wall <= 1.1, "{on}: {} used {cpu_per_wall:.2} cores", r.variant);
    }
}

/// Runs every variant once with `knobs`, 3 consumers of `per_consumer`
/// numbers and `samples` samples (2 workers where the binary takes them),
/// asserts the run succeeded with one record per variant, and returns the
/// label for messages and the records.
fn every_variant_with(
    t: &Target,
    names: &[String],
    knobs: &[&str],
    per_consumer: &str,
    samples: &str,
) -> (String, Vec<Record>) {
    let mut args = knobs.to_vec();
    args.extend(["--consumers", "3", "--per-consumer", per_consumer]);
    if t.takes_workers {
        args.extend(["--workers", "2"]);
    }
    args.extend(["--samples", samples, "--warmup", "0", "--format", "json", "--sample-timeout", "60"]);
    let out = t.run(&args);
    let on = format!("{} {}", t.name(), knobs.join(" "));
    assert_eq!(out.status.code(), Some(0), "{on}: {}", stderr(&out));
    let records = records(&out);
    assert_eq!(records.len(), names.len(), "{on}");
    (on, records)
}

/// `--pin` on every variant, tiny: every record says pinned, and the
/// executor's long-lived threads (at least its workers, but for the one
/// that runs in `block_on` on the sample thread) are listed, each on a CPU
/// the process may use; OS threads place themselves per sample and list none.
fn check_pin(t: &Target, names: &[String]) {
    let (on, records) = every_variant_with(t, names, &["--pin"], "100", "1");
    let allowed = dispenser_core::cpus::allowed().unwrap();
    for r in &records {
        assert_eq!((r.status, r.settings.pin), (Status::Ok, true), "{on}: {} {:?}", r.variant, r.error);
        let placed = &r.settings.placement;
        let workers = r.executor.workers.unwrap_or(1);
        assert!(placed.len() + 1 >= workers, "{on}: {} placed {placed:?}", r.variant);
        assert!(placed.iter().all(|p| allowed.contains(&p.cpu)), "{on}: {} placed {placed:?}", r.variant);
    }
}

/// `--load 1` runs the samples beside a busy thread in a child process:
/// the record says so, the cell is ok, and the child is gone when the
/// binary exits.
fn check_load(t: &Target, names: &[String]) {
    let args = ["--variant", &names[0], "--load", "1", "--consumers", "2", "--per-consumer", "1000"];
    let out = t.run(&[&args[..], &["--samples", "3", "--warmup", "0", "--format", "json"]].concat());
    let on = format!("{} --load 1", t.name());
    assert_eq!(out.status.code(), Some(0), "{on}: {}", stderr(&out));
    let records = records(&out);
    assert_eq!(records.len(), 1, "{on}");
    assert_eq!((records[0].status, records[0].settings.load), (Status::Ok, 1), "{on}: {:?}", records[0].error);
    // Only this binary's own load children: other test runs on a shared
    // machine (other checkouts) may have theirs running right now.
    let own = format!("^{} {}", t.exe.display(), dispenser_core::load::CHILD_FLAG);
    let left = Command::new("pgrep").args(["-f", "--", &own]).output().expect("pgrep runs");
    assert!(left.stdout.is_empty(), "{on}: a load process outlived its binary: {}", stdout_lines(&left).join(" "));
}

/// `--rate` times each request from when it was due: driven far above what
/// any dispenser serves, every request is due at once, so a consumer's later
/// requests wait behind its earlier ones and the median latency grows with
/// the sample's length (eight times the numbers: about eight times the
/// wait). The closed loop's median latency does not grow with it. The
/// thresholds leave a wide margin (3x) on either side of that.
fn check_open_loop(t: &Target, names: &[String]) {
    let p50 = |per_consumer: &str, rate: Option<&str>| -> f64 {
        let mut args =
            vec!["--variant", &names[0], "--consumers", "2", "--per-consumer", per_consumer, "--format", "json"];
        args.extend(["--samples", "3", "--warmup", "0", "--sample-timeout", "60"]);
        match rate {
            Some(r) => args.extend(["--rate", r]),
            None => args.push("--latency"),
        }
        let out = t.run(&args);
        let on = format!("{} {args:?}", t.name());
        assert_eq!(out.status.code(), Some(0), "{on}: {}", stderr(&out));
        let r = records(&out).pop().unwrap_or_else(|| panic!("{on}: no record"));
        assert_eq!((r.status, r.settings.rate), (Status::Ok, rate.map(|r| r.parse().unwrap())), "{on}");
        r.latency.unwrap_or_else(|| panic!("{on}: no latency")).p50_ns as f64
    };
    let flood = Some("10000000000");
    let (open_short, open_long) = (p50("500", flood), p50("4000", flood));
    assert!(open_long > 3.0 * open_short, "{}: open loop p50 {open_short} ns at 500, {open_long} at 4000", t.name());
    // The closed loop's p50 is tens of nanoseconds, where a timer tick or a
    // preemption is already a factor of three: it is bounded by how much the
    // open loop grew (queueing adds microseconds), not by a ratio of its own.
    let (closed_short, closed_long) = (p50("500", None), p50("4000", None));
    assert!(
        closed_long - closed_short < (open_long - open_short) / 10.0,
        "{}: closed loop p50 {closed_short} ns at 500, {closed_long} at 4000; open loop {open_short}, {open_long}",
        t.name()
    );
}

/// Without `--format` a binary prints the human table: ranked rows and the
/// machine line, progress on stderr.
fn check_table_is_the_default(t: &Target, names: &[String]) {
    let out = t.run(&["--variant", &names[0], "--consumers", "2", "--per-consumer", "10", "--samples", "3"]);
    assert_eq!(out.status.code(), Some(0), "{}: {}", t.name(), stderr(&out));
    let table = String::from_utf8_lossy(&out.stdout);
    for needle in ["median", "CPU/wall", "logical cores", names[0].as_str()] {
        assert!(table.contains(needle), "{}: no {needle} in {table}", t.name());
    }
}

/// The harness's faults, each in its own process (a hung current-thread
/// sample keeps the runtime's only thread): reported, not ranked.
fn check_faults(t: &Target) {
    let listed = stdout_lines(&t.run(&["--list"]));
    // The lost reply hangs whatever the deadline: a short one keeps the test
    // short. The duplicate ends in milliseconds, but on a loaded machine its
    // handoffs may wait for a core each: a generous deadline keeps it from
    // being called hung.
    let faults = [("fault-lost-reply", "1", Status::Hung), ("fault-duplicate", "60", Status::Invalid)];
    for (variant, sample_timeout, status) in faults {
        assert!(!listed.iter().any(|n| n == variant), "{}: {variant} is listed without --faults", t.name());
        let out = t.run(&[
            "--faults",
            "--variant",
            variant,
            "--consumers",
            "3",
            "--per-consumer",
            "5",
            "--samples",
            "3",
            "--warmup",
            "0",
            "--sample-timeout",
            sample_timeout,
            "--format",
            "json",
        ]);
        let on = format!("{} {variant}", t.name());
        assert_eq!(out.status.code(), Some(1), "{on}: {}", stderr(&out));
        let records = records(&out);
        assert_eq!(records.len(), 1, "{on}");
        assert_eq!(records[0].status, status, "{on}: {:?}", records[0].error);
        assert!(records[0].stats.is_none() && records[0].resources.is_none(), "{on}: a broken variant has no stats");
        assert!(records[0].fairness.is_none() && records[0].switches_per_number.is_none(), "{on}: nor fairness");
    }
}

/// With stdout closed the records would be lost: exit 1, not 0.
#[cfg(unix)]
fn check_closed_stdout(t: &Target, names: &[String]) {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(r#"exec "$@" >&-"#).arg("sh").arg(&t.exe);
    if let Some(flavor) = &t.flavor {
        cmd.args(["--flavor", flavor]);
    }
    let out = cmd.args(["--variant", &names[0], "--consumers", "2", "--per-consumer", "10", "--samples", "1"]);
    let out = out.output().expect("sh runs");
    assert_eq!(out.status.code(), Some(1), "{}: {}", t.name(), stderr(&out));
}

/// `--capacity C` sizes the request channel of every bounded variant the
/// binary lists (`--list --format json`): each is `ok` at a rendezvous, one
/// slot and 16, with C recorded; a variant without a bounded channel refuses
/// it before anything runs (exit 2, one line, nothing on stdout).
fn check_capacity(t: &Target) {
    let out = t.run(&["--list", "--format", "json"]);
    let listings: Vec<Listing> = stdout_lines(&out).iter().map(|l| serde_json::from_str(l).unwrap()).collect();
    let (bounded, other): (Vec<&Listing>, Vec<&Listing>) =
        listings.iter().partition(|l| l.capacity == Some(dispenser_core::Capacity::Bounded));
    for c in ["0", "1", "16"] {
        if bounded.is_empty() {
            break;
        }
        let mut args = vec!["--capacity", c, "--consumers", "8", "--per-consumer", "50", "--samples", "1"];
        args.extend(["--warmup", "0", "--format", "json"]);
        for l in &bounded {
            args.extend(["--variant", l.name.as_str()]);
        }
        let out = t.run(&args);
        let on = format!("{} --capacity {c}", t.name());
        assert!(out.status.success(), "{on}: {}", stderr(&out));
        let records = records(&out);
        assert_eq!(records.len(), bounded.len(), "{on}");
        for r in records {
            let want = Some(c.parse().unwrap());
            assert_eq!((r.status, r.settings.capacity), (Status::Ok, want), "{on} {}: {:?}", r.variant, r.error);
        }
    }
    if let Some(l) = other.first() {
        let out = t.run(&["--capacity", "1", "--variant", &l.name, "--consumers", "2", "--per-consumer", "10"]);
        let err = stderr(&out);
        assert_eq!(out.status.code(), Some(2), "{} --capacity on {}: {err}", t.name(), l.name);
        assert_eq!(err.lines().count(), 1, "{}: {err}", t.name());
        assert!(err.contains(&l.name) && out.stdout.is_empty(), "{}: {err}", t.name());
    }
}

#[test]
fn every_runtime_binary_keeps_the_contract() {
    for t in targets() {
        let names = check_listing(&t);
        check_bad_input(&t);
        check_every_variant_valid(&t, &names);
        check_work_and_one_cpu(&t, &names);
        check_load(&t, &names);
        check_pin(&t, &names);
        check_open_loop(&t, &names);
        check_capacity(&t);
        check_table_is_the_default(&t, &names);
        check_faults(&t);
        #[cfg(unix)]
        check_closed_stdout(&t, &names);
    }
}
