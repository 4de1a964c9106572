//! Helpers shared by the integration tests: the real xtask binary, and the
//! files a run leaves.

#![allow(dead_code)] // Each test file uses its own subset.

use assert_cmd::Command;
use dispenser_core::Record;
use std::path::Path;

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

/// Every line of a run's JSON Lines journal, parsed.
pub fn journal(dir: &Path) -> Vec<Record> {
    let text = std::fs::read_to_string(dir.join("results.jsonl")).unwrap_or_default();
    text.lines().map(|l| serde_json::from_str(l).expect("every journal line is a record")).collect()
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
