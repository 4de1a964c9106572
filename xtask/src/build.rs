//! Builds the chosen runtime crates with `cargo build --release`, through
//! the `CARGO` that runs xtask, and takes each binary's path from cargo's
//! JSON messages, so a stale binary from an older build is never run.

use crate::discover::RuntimeCrate;
use anyhow::{Context, Result, bail};
use cargo_metadata::{Message, TargetKind};
use std::collections::BTreeMap;
use std::io::{BufReader, IsTerminal};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The cargo to run: `$CARGO` (set by `cargo run` / `cargo xtask`), else `cargo`.
pub fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// The outcome of the build, per package.
#[derive(Debug, Default)]
pub struct Built {
    /// Executable of each package that built.
    pub executables: BTreeMap<String, PathBuf>,
    /// Packages that did not build, with why.
    pub failed: BTreeMap<String, String>,
}

/// Builds `runtimes` in release. With `--keep-going` one broken crate does
/// not stop the others: it is reported and its cells recorded as failed.
pub fn build(cargo: &Path, root: &Path, runtimes: &[RuntimeCrate]) -> Result<Built> {
    let format = if std::io::stderr().is_terminal() { "json-diagnostic-rendered-ansi" } else { "json" };
    let mut cmd = Command::new(cargo);
    cmd.current_dir(root).args(["build", "--release", "--keep-going", "--message-format", format]);
    for r in runtimes {
        cmd.args(["-p", &r.package]);
    }
    // Cargo's progress goes straight to our stderr; its messages come as JSON on stdout.
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::inherit()).spawn().context("could not run cargo build")?;
    let stdout = child.stdout.take().context("cargo build has no stdout")?;
    let mut built = Built::default();
    for message in Message::parse_stream(BufReader::new(stdout)) {
        match message.context("reading cargo build's messages")? {
            Message::CompilerArtifact(a) if a.target.kind.contains(&TargetKind::Bin) => {
                let owner = runtimes.iter().find(|r| r.id == a.package_id.repr && r.binary == a.target.name);
                if let (Some(r), Some(exe)) = (owner, a.executable) {
                    built.executables.insert(r.package.clone(), exe.into_std_path_buf());
                }
            }
            Message::CompilerMessage(m) => {
                if let Some(text) = m.message.rendered {
                    eprint!("{text}");
                }
            }
            _ => {}
        }
    }
    let status = child.wait().context("waiting for cargo build")?;
    for r in runtimes.iter().filter(|r| !built.executables.contains_key(&r.package)) {
        built.failed.insert(r.package.clone(), format!("`cargo build --release -p {}` failed ({status})", r.package));
    }
    if built.executables.is_empty() {
        bail!("cargo build --release built none of the runtimes ({status})");
    }
    Ok(built)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::{discover, tests::workspace_with_mains};
    use std::sync::atomic::AtomicBool;

    const MARKER: &str = "[package.metadata.dispenser-bench]\nruntime = true";
    /// A runtime that lists two variants, as `--list --format json` does.
    const GOOD_MAIN: &str = r#"fn main() {
    for name in ["one", "two"] {
        println!("{{\"name\":\"{name}\",\"family\":\"atomic\",\"primitive\":\"p\",\"capacity\":null}}");
    }
}
"#;

    #[test]
    fn a_crate_that_does_not_build_or_list_fails_alone() {
        let (dir, metadata) = workspace_with_mains(&[
            ("good-bench", MARKER, GOOD_MAIN),
            ("broken-bench", MARKER, "fn main() { this does not compile }\n"),
            ("mute-bench", MARKER, "fn main() { eprintln!(\"no list today\"); std::process::exit(3); }\n"),
        ]);
        let runtimes = discover(&metadata).unwrap();
        let built = build(&cargo(), dir.path(), &runtimes).unwrap();
        assert_eq!(built.executables.keys().collect::<Vec<_>>(), ["good-bench", "mute-bench"]);
        assert!(built.failed["broken-bench"].contains("cargo build --release -p broken-bench"));
        let stop = AtomicBool::new(false);
        let listed = |package: &str| {
            let r = runtimes.iter().find(|r| r.package == package).unwrap();
            let target = crate::plan::targets(r, built.executables[package].clone()).remove(0);
            crate::list::list(&target, &stop)
        };
        let names: Vec<String> = listed("good-bench").unwrap().into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["one", "two"]);
        let e = listed("mute-bench").unwrap_err();
        assert_eq!(e, "`mute-bench --list` failed: exit status 3; stderr: no list today");
    }
}
