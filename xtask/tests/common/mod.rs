//! Helpers shared by the integration tests: the real xtask binary, the
//! files a run leaves (read whole, even while a run still writes them),
//! waits on a condition rather than on a clock, and the variants a runtime
//! binary lists.

#![allow(dead_code)] // Each test file uses its own subset.

use assert_cmd::Command;
use cargo_metadata::Message;
use dispenser_core::Record;
use std::path::Path;
use std::process::{Child, ExitStatus, Stdio};
use std::time::{Duration, Instant};

/// The real `xtask` binary (what `cargo xtask` runs).
pub fn xtask() -> Command {
    Command::cargo_bin("xtask").expect("the xtask binary is built by cargo test")
}

/// A tiny sync run into `out`: each cell takes milliseconds once sync-bench is built.
pub fn tiny_bench(out: &Path) -> Command {
    let mut cmd = xtask();
    cmd.args([
        "bench",
        "--runtime",
        "sync",
        "--workload",
        "2x100",
        "--samples",
        "3",
        "--warmup",
        "0",
        "--processes",
        "3",
    ])
    .arg("--out")
    .arg(out);
    cmd
}

/// Cells of [`long_bench`], one process each.
pub const LONG_BENCH_CELLS: usize = 20;

/// A bench of [`LONG_BENCH_CELLS`] cells of about 1.5 s each (the budget
/// ends each; its 100,000 samples would take longer) into `dir`, stdout and
/// stderr discarded. A signal sent once the first record is in lands mid-run
/// even if the test is held up for half a minute in between, as a loaded
/// machine may hold it.
pub fn long_bench(dir: &Path) -> Child {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("xtask"));
    cmd.args(["bench", "--runtime", "sync", "--variant", "atomic", "--samples", "100000", "--budget", "1.5"]);
    cmd.args(["--processes", "1"]);
    for consumers in 2..2 + LONG_BENCH_CELLS {
        cmd.arg("--workload").arg(format!("{consumers}x10"));
    }
    cmd.arg("--out").arg(dir).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap()
}

/// Every line of the JSON Lines journal of a run that has ended, parsed.
/// The run is over, so every line must be whole: a line without its
/// newline here is a fault of the run, not of the reading.
pub fn journal(dir: &Path) -> Vec<Record> {
    let bytes = std::fs::read(dir.join("results.jsonl")).unwrap_or_default();
    assert!(bytes.is_empty() || bytes.ends_with(b"\n"), "the journal of an ended run ends with a whole line");
    parse_lines(&bytes)
}

/// The whole lines of the journal of a run that may still be writing it,
/// parsed. A record can be longer than 64 KiB, and a reader may see the
/// bench's one `write` of it half done: only the lines up to the last
/// newline are whole, so a torn last line is left for a later look.
pub fn journal_so_far(dir: &Path) -> Vec<Record> {
    let bytes = std::fs::read(dir.join("results.jsonl")).unwrap_or_default();
    let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |last| last + 1);
    parse_lines(&bytes[..whole])
}

fn parse_lines(bytes: &[u8]) -> Vec<Record> {
    let text = std::str::from_utf8(bytes).expect("the journal is UTF-8");
    text.lines().map(|l| serde_json::from_str(l).expect("every whole journal line is a record")).collect()
}

/// How long a test waits for a condition before it calls it a failure:
/// far beyond what the condition takes even on a loaded 2-core machine, so
/// only a real fault (a run that never writes, a process that never ends)
/// runs into it.
pub const PATIENCE: Duration = Duration::from_secs(600);

/// Waits until the journal of the running `child` holds a whole record;
/// fails if the child ends first or after [`PATIENCE`].
pub fn wait_for_a_record(dir: &Path, child: &mut Child) {
    let deadline = Instant::now() + PATIENCE;
    while journal_so_far(dir).is_empty() {
        assert!(Instant::now() < deadline, "no cell finished within {PATIENCE:?}");
        assert!(child.try_wait().unwrap().is_none(), "xtask ended before any cell finished");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits for `child` to end (as it should after a signal) and returns how;
/// fails after [`PATIENCE`].
pub fn wait_for_exit(child: &mut Child) -> ExitStatus {
    let deadline = Instant::now() + PATIENCE;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return status;
        }
        assert!(Instant::now() < deadline, "xtask did not stop within {PATIENCE:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A CARGO that cannot run: xtask runs cargo (metadata, then the build)
/// through `$CARGO`, so with this set any step that would build fails
/// loudly instead. A refusal "before building" is then seen from what
/// happens, not from how long it took.
pub fn no_cargo(cmd: &mut Command) -> &mut Command {
    cmd.env("CARGO", "/nonexistent/cargo-must-not-run")
}

/// The variant names a runtime binary lists (`--list`), from the binary
/// that xtask runs: `cargo build --release` (a no-op once xtask has built
/// it), its path taken from cargo's JSON messages. Tests derive their
/// expectations from it, so adding a variant edits no test.
pub fn listed_variants(package: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask sits in the workspace");
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let out = std::process::Command::new(cargo)
        .current_dir(root)
        .args(["build", "--release", "--message-format", "json-render-diagnostics", "-p", package])
        .stderr(Stdio::inherit())
        .output()
        .expect("cargo build runs");
    assert!(out.status.success(), "{package} builds");
    let exe = Message::parse_stream(out.stdout.as_slice())
        .filter_map(|m| match m {
            Ok(Message::CompilerArtifact(a)) if a.target.name == package => a.executable,
            _ => None,
        })
        .last()
        .unwrap_or_else(|| panic!("{package} builds a binary"));
    let list = std::process::Command::new(exe.as_std_path()).arg("--list").output().expect("the binary starts");
    assert!(list.status.success(), "{package} --list: {}", stderr(&list));
    let names: Vec<String> = String::from_utf8_lossy(&list.stdout).lines().map(String::from).collect();
    assert!(!names.is_empty(), "{package} lists no variant");
    names
}

/// results.json as JSON.
pub fn results(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("results.json")).expect("results.json written");
    serde_json::from_str(&text).expect("results.json parses")
}

/// stderr as text.
pub fn stderr(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// Asserts `text` parses as XML (report.html is written well-formed).
pub fn assert_well_formed(text: &str) {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut depth = 0i64;
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(_)) => depth += 1,
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well formed at byte {}: {e}", reader.error_position()),
        }
    }
    assert_eq!(depth, 0, "unclosed elements");
}
