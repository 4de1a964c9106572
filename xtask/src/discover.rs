//! Finds the runtime crates from `cargo metadata`: every workspace member
//! whose Cargo.toml carries `[package.metadata.dispenser-bench]` with
//! `runtime = true`. xtask holds no list of runtimes, so a new runtime is a
//! new crate with the marker (docs/adding-a-runtime.md).

use anyhow::{Context, Result, bail};
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, Package, TargetKind};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The table under `[package.metadata]` that xtask reads.
pub const MARKER: &str = "dispenser-bench";

/// A runtime crate as its Cargo.toml declares it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuntimeCrate {
    /// Short name for `--runtime` and the reports: the `name` key, else the
    /// package name without its `-bench` suffix (`tokio-bench` → `tokio`).
    pub name: String,
    /// Cargo package name, for `cargo build -p`.
    pub package: String,
    /// Cargo package id, to match the build's artifacts.
    pub id: String,
    /// The binary to run: the bin target named like the package, else the only one.
    pub binary: String,
    /// `--flavor` values to run, each as its own cells (`flavors = [...]`);
    /// empty runs the binary's default flavor only.
    pub flavors: Vec<String>,
    /// Which flavors take `--workers K`: `workers = true` (all), `false`
    /// (none, the default) or a list of flavors (tokio's current-thread
    /// flavor refuses a worker count).
    pub workers: Workers,
}

/// Which of a runtime's flavors take `--workers K`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Workers {
    /// None: OS threads, one per consumer.
    No,
    /// Every flavor.
    All,
    /// Only these flavors.
    Flavors(Vec<String>),
}

impl Workers {
    /// True when the binary, run with `flavor`, takes `--workers`.
    pub fn takes(&self, flavor: Option<&str>) -> bool {
        match self {
            Workers::No => false,
            Workers::All => true,
            Workers::Flavors(fs) => flavor.is_some_and(|f| fs.iter().any(|x| x == f)),
        }
    }
}

/// The workspace root: xtask lives one folder below it.
pub fn project_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// Runs `cargo metadata --no-deps` on the workspace at `root`.
pub fn load_metadata(cargo: &Path, root: &Path) -> Result<Metadata> {
    MetadataCommand::new()
        .cargo_path(cargo)
        .manifest_path(root.join("Cargo.toml"))
        .no_deps()
        .exec()
        .context("cargo metadata failed")
}

/// The runtime crates among the workspace members, sorted by name. A marker
/// that is malformed (say `flavors = "x"`) is an error naming the crate,
/// rather than a runtime silently skipped.
pub fn discover(metadata: &Metadata) -> Result<Vec<RuntimeCrate>> {
    let mut found = Vec::new();
    for package in metadata.workspace_packages() {
        if let Some(runtime) = runtime_crate(package)? {
            found.push(runtime);
        }
    }
    found.sort_by(|a, b| a.name.cmp(&b.name));
    if let Some(pair) = found.windows(2).find(|w| w[0].name == w[1].name) {
        bail!("packages {} and {} both call their runtime '{}'", pair[0].package, pair[1].package, pair[0].name);
    }
    Ok(found)
}

/// The runtime a package declares, if it carries the marker.
fn runtime_crate(package: &Package) -> Result<Option<RuntimeCrate>> {
    let Some(table) = package.metadata.get(MARKER) else { return Ok(None) };
    let package_name = package.name.to_string();
    let bad = |what: &str| anyhow::anyhow!("{}: [package.metadata.{MARKER}] {what}", package.manifest_path);
    if !table.is_object() {
        return Err(bad("must be a table"));
    }
    match table.get("runtime") {
        Some(Value::Bool(true)) => {}
        Some(Value::Bool(false)) | None => return Ok(None),
        Some(_) => return Err(bad("`runtime` must be true or false")),
    }
    let flavors = match table.get("flavors") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| v.as_str().filter(|s| !s.is_empty()).map(String::from))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("`flavors` must be a list of non-empty strings"))?,
        Some(_) => return Err(bad("`flavors` must be a list of strings")),
    };
    let workers = match table.get("workers") {
        None | Some(Value::Bool(false)) => Workers::No,
        Some(Value::Bool(true)) => Workers::All,
        Some(Value::Array(items)) => {
            let listed: Option<Vec<String>> = items.iter().map(|v| v.as_str().map(String::from)).collect();
            match listed {
                Some(fs) if fs.iter().all(|f| flavors.contains(f)) => Workers::Flavors(fs),
                _ => return Err(bad("`workers` lists a flavor that `flavors` does not")),
            }
        }
        Some(_) => return Err(bad("`workers` must be true, false or a list of flavors")),
    };
    let name = match table.get("name") {
        None => package_name.strip_suffix("-bench").unwrap_or(&package_name).to_string(),
        Some(Value::String(s)) if !s.is_empty() => s.clone(),
        Some(_) => return Err(bad("`name` must be a non-empty string")),
    };
    let bins: Vec<&str> =
        package.targets.iter().filter(|t| t.kind.contains(&TargetKind::Bin)).map(|t| t.name.as_str()).collect();
    let binary = match bins.iter().find(|b| **b == package_name) {
        Some(b) => b.to_string(),
        None if bins.len() == 1 => bins[0].to_string(),
        None => return Err(bad("is set but the package has no binary named after it")),
    };
    Ok(Some(RuntimeCrate { name, package: package_name, id: package.id.repr.clone(), binary, flavors, workers }))
}

/// Names of the crates the runtimes measure with: the normal dependencies of
/// the runtime crates and of the workspace crates they build on (core).
/// Their locked versions go into the report.
pub fn measured_crates(metadata: &Metadata, runtimes: &[RuntimeCrate]) -> BTreeSet<String> {
    let members = metadata.workspace_packages();
    let mut todo: Vec<&str> = runtimes.iter().map(|r| r.package.as_str()).collect();
    let mut seen = BTreeSet::new();
    let mut crates = BTreeSet::new();
    while let Some(name) = todo.pop() {
        if !seen.insert(name.to_string()) {
            continue;
        }
        let Some(package) = members.iter().find(|p| p.name.as_str() == name) else { continue };
        for dep in package.dependencies.iter().filter(|d| d.kind == DependencyKind::Normal) {
            if dep.path.is_some() {
                todo.push(dep.name.as_str());
            }
            crates.insert(dep.name.clone());
        }
    }
    crates
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use std::fs;

    /// A workspace in a temp folder: `cargo metadata --no-deps` needs no
    /// network, so this runs the real discovery path on crates xtask has
    /// never seen. Members are (name, extra manifest lines).
    pub fn workspace(members: &[(&str, &str)]) -> (tempfile::TempDir, Metadata) {
        let mains: Vec<(&str, &str, &str)> = members.iter().map(|(n, e)| (*n, *e, "fn main() {}\n")).collect();
        workspace_with_mains(&mains)
    }

    /// Like [`workspace`], with each member's `src/main.rs` given.
    pub fn workspace_with_mains(members: &[(&str, &str, &str)]) -> (tempfile::TempDir, Metadata) {
        let dir = tempfile::tempdir().unwrap();
        let names: Vec<String> = members.iter().map(|(n, _, _)| format!("\"{n}\"")).collect();
        let root = format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", names.join(", "));
        fs::write(dir.path().join("Cargo.toml"), root).unwrap();
        for (name, extra, main) in members {
            let crate_dir = dir.path().join(name);
            fs::create_dir_all(crate_dir.join("src")).unwrap();
            let manifest =
                format!("[package]\nname = \"{name}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n{extra}\n");
            fs::write(crate_dir.join("Cargo.toml"), manifest).unwrap();
            fs::write(crate_dir.join("src/main.rs"), main).unwrap();
        }
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let metadata = load_metadata(Path::new(&cargo), dir.path()).unwrap();
        (dir, metadata)
    }

    #[test]
    fn a_new_crate_with_the_marker_is_found_without_editing_xtask() {
        let (_dir, metadata) = workspace(&[
            ("glommio-bench", "[package.metadata.dispenser-bench]\nruntime = true\nworkers = true"),
            (
                "tokio-bench",
                "[package.metadata.dispenser-bench]\nruntime = true\nflavors = [\"multi-thread\", \"current-thread\"]\n\
                 workers = [\"multi-thread\"]",
            ),
            ("helper", "[package.metadata.other]\nx = 1"),
            ("not-yet", "[package.metadata.dispenser-bench]\nruntime = false"),
        ]);
        let found = discover(&metadata).unwrap();
        let names: Vec<&str> = found.iter().map(|r| r.name.as_str()).collect();
        assert_eq!(names, ["glommio", "tokio"]);
        assert_eq!(found[0].package, "glommio-bench");
        assert_eq!(found[0].binary, "glommio-bench");
        assert!(found[0].workers.takes(None) && found[0].flavors.is_empty());
        assert_eq!(found[1].flavors, ["multi-thread", "current-thread"]);
        assert!(found[1].workers.takes(Some("multi-thread")) && !found[1].workers.takes(Some("current-thread")));
    }

    #[test]
    fn a_malformed_marker_is_an_error_naming_the_crate() {
        let (_dir, metadata) =
            workspace(&[("odd-bench", "[package.metadata.dispenser-bench]\nruntime = true\nflavors = \"fast\"")]);
        let e = discover(&metadata).unwrap_err().to_string();
        assert!(e.contains("odd-bench") && e.contains("flavors"), "{e}");
        let (_dir, metadata) =
            workspace(&[("odd-bench", "[package.metadata.dispenser-bench]\nruntime = true\nworkers = [\"fast\"]")]);
        let e = discover(&metadata).unwrap_err().to_string();
        assert!(e.contains("`workers` lists a flavor"), "{e}");
    }

    #[test]
    fn this_workspace_has_sync_and_no_xtask() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let metadata = load_metadata(Path::new(&cargo), root).unwrap();
        let found = discover(&metadata).unwrap();
        assert!(found.iter().any(|r| r.name == "sync" && r.binary == "sync-bench"));
        assert!(!found.iter().any(|r| r.package == "xtask" || r.package == "dispenser-core"));
        let crates = measured_crates(&metadata, &found);
        assert!(crates.contains("crossbeam-channel") && crates.contains("hdrhistogram"), "{crates:?}");
    }
}
