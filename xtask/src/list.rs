//! Asks each built runtime binary for its variants (`--list --format
//! json`) and probes the executor it reports, so every cell can be named
//! right even when it leaves no record of its own.

use crate::build::Built;
use crate::discover::RuntimeCrate;
use crate::error::UsageError;
use crate::interrupt::STOP;
use crate::outcome::{tail, unmeasured};
use crate::plan::{self, Target, VariantInfo};
use crate::process::{self, End};
use crate::results::BenchSettings;
use dispenser_core::record::Executor;
use dispenser_core::{Family, Record, Status};
use std::path::PathBuf;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

/// Seconds `--list` may take.
const LIST_TIMEOUT: Duration = Duration::from_secs(60);

/// Asks a binary for its variants (`--list --format json`: a name per line,
/// or a JSON object per line from binaries that describe their variants).
pub fn list(target: &Target, stop: &AtomicBool) -> Result<Vec<VariantInfo>, String> {
    let mut cmd = Command::new(&target.exe);
    cmd.args(["--list", "--format", "json"]);
    let out =
        process::run(cmd, LIST_TIMEOUT, stop).map_err(|e| format!("could not run {}: {e}", target.exe.display()))?;
    let why = match &out.end {
        End::Exited(s) if s.success() => return plan::parse_list(&out.stdout),
        End::Exited(s) => process::describe(s),
        End::TimedOut => format!("no answer within {} s", LIST_TIMEOUT.as_secs()),
        End::Interrupted => "interrupted".into(),
    };
    Err(format!("`{} --list` failed: {why}{}", target.runtime.binary, tail(&out.stderr_tail)))
}

/// Targets that listed their variants, each with its list.
pub type Listed = Vec<(Arc<Target>, Vec<VariantInfo>)>;

/// Lists the variants of every target of the built crates (and probes its
/// executor). Crates that did not build or list still get records: their
/// cells failed (the second list of the pair).
pub fn list_targets(chosen: &[RuntimeCrate], built: &Built, settings: &BenchSettings) -> (Listed, Vec<Record>) {
    let mut unlisted: Vec<Record> = Vec::new();
    let mut listed: Listed = Vec::new();
    for r in chosen {
        let Some(exe) = built.executables.get(&r.package) else {
            let why = built.failed.get(&r.package).cloned().unwrap_or_default();
            for target in plan::targets(r, PathBuf::new()) {
                unlisted.extend(broken(&target, settings, why.clone()));
            }
            continue;
        };
        for mut target in plan::targets(r, exe.clone()) {
            match list(&target, &STOP) {
                Ok(variants) => {
                    target.executor = probe_executor(&target, &variants[0], settings, &STOP);
                    listed.push((Arc::new(target), variants));
                }
                Err(why) => {
                    eprintln!("warning: {why}");
                    unlisted.extend(broken(&target, settings, why));
                }
            }
        }
    }
    (listed, unlisted)
}

/// `--bench-arg` values go to every runtime process, so every target must
/// accept them. Each is asked once with `--list`, which parses every flag
/// (an unknown flag, a value of the wrong type) and exits: a refusal (exit 2)
/// is the user's mistake, reported as one line before any cell runs, not as
/// every cell failing. Values checked only when a sample runs (a zero
/// timeout) still fail each cell, with the binary's message in its record.
pub fn check_bench_args(listed: &Listed, settings: &BenchSettings) -> Result<(), UsageError> {
    if settings.bench_args.is_empty() {
        return Ok(());
    }
    for (target, _) in listed {
        let mut cmd = Command::new(&target.exe);
        cmd.arg("--list");
        crate::run::executor_args(&mut cmd, target, settings);
        let Ok(out) = process::run(cmd, LIST_TIMEOUT, &STOP) else { continue };
        if matches!(&out.end, End::Exited(s) if s.code() == Some(2)) {
            let why = out.stderr_tail.iter().map(|l| l.trim()).find(|l| !l.is_empty()).unwrap_or("no reason given");
            return Err(UsageError(format!(
                "--bench-arg {}: {} refuses it ({why})",
                settings.bench_args.join(" "),
                target.runtime.binary
            )));
        }
    }
    Ok(())
}

/// Records for a target that could not run at all: one per workload, named `*`.
fn broken(target: &Target, settings: &BenchSettings, why: String) -> Vec<Record> {
    let all = VariantInfo { name: "*".into(), family: Family::Unknown, primitive: "unknown".into(), capacity: None };
    settings.workloads.iter().map(|&w| unmeasured(target, &all, w, settings, Status::Failed, why.clone())).collect()
}

/// Runs one sample of one number to learn the executor the binary reports
/// (flavor and worker count); `None` if that fails, which the real cells
/// will then show.
pub fn probe_executor(
    target: &Target,
    variant: &VariantInfo,
    settings: &BenchSettings,
    stop: &AtomicBool,
) -> Option<Executor> {
    let mut cmd = Command::new(&target.exe);
    cmd.args(["--variant", &variant.name, "--format", "json", "--consumers", "1", "--per-consumer", "1"]);
    cmd.args(["--samples", "1", "--warmup", "0", "--budget", "1"]);
    crate::run::executor_args(&mut cmd, target, settings);
    let out = process::run(cmd, LIST_TIMEOUT, stop).ok()?;
    let line = out.stdout.iter().find(|l| !l.trim().is_empty())?;
    Some(serde_json::from_str::<Record>(line).ok()?.executor)
}
