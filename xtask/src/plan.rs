//! The cells of a run: every (runtime, flavor, variant, workload) the
//! filters leave, each to run in a process of its own, in an order shuffled
//! with a seed (so slow drifts of the machine spread over every variant
//! instead of piling onto whichever runs last) that the report records.

use crate::cli::{UsageError, usage};
use crate::discover::RuntimeCrate;
use dispenser_core::{Executor, Family, Workload};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use serde::Deserialize;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A variant as `--list` names it. Binaries that print JSON objects from
/// `--list --format json` also give its family and primitive.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct VariantInfo {
    /// Name for `--variant`.
    pub name: String,
    /// Family, when the binary says.
    #[serde(default)]
    pub family: Option<Family>,
    /// Primitive, when the binary says.
    #[serde(default)]
    pub primitive: Option<String>,
}

impl VariantInfo {
    /// Reads `--list` output: a name per line, or a JSON object per line.
    pub fn parse_list(stdout: &[String]) -> Result<Vec<VariantInfo>, String> {
        let mut out = Vec::new();
        for line in stdout.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
            let info = if line.starts_with('{') {
                serde_json::from_str(line).map_err(|e| format!("bad --list line '{line}': {e}"))?
            } else if line.contains(char::is_whitespace) {
                return Err(format!("bad --list line '{line}': a variant name has no spaces"));
            } else {
                VariantInfo { name: line.to_string(), family: None, primitive: None }
            };
            out.push(info);
        }
        if out.is_empty() {
            return Err("--list printed no variant".into());
        }
        Ok(out)
    }
}

/// A runtime binary with one flavor, ready to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// The crate.
    pub runtime: RuntimeCrate,
    /// `--flavor` to pass, if the crate lists flavors.
    pub flavor: Option<String>,
    /// The built executable.
    pub exe: PathBuf,
    /// The executor the binary reports (from a one-number probe), so a
    /// cell that leaves no record of its own is still labelled right.
    pub executor: Option<Executor>,
}

impl Target {
    /// True when this target's binary takes `--workers`.
    pub fn takes_workers(&self) -> bool {
        self.runtime.workers.takes(self.flavor.as_deref())
    }

    /// `tokio (current-thread)`, `sync`: how a target is named before any record says more.
    pub fn label(&self) -> String {
        match &self.flavor {
            Some(f) => format!("{} ({f})", self.runtime.name),
            None => self.runtime.name.clone(),
        }
    }
}

/// One process to run: a variant of a target on a workload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Runtime binary and flavor, shared by its cells.
    pub target: Arc<Target>,
    /// The variant.
    pub variant: VariantInfo,
    /// The workload.
    pub workload: Workload,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {}", self.target.label(), self.variant.name, self.workload)
    }
}

/// The crates `--runtime` asks for (all when it is not given). A name may
/// be the runtime's (`tokio`) or its package's (`tokio-bench`); an unknown
/// one is a usage error that lists the known ones.
pub fn select_runtimes(all: &[RuntimeCrate], wanted: &[String]) -> Result<Vec<RuntimeCrate>, UsageError> {
    for w in wanted {
        if !all.iter().any(|r| &r.name == w || &r.package == w) {
            let known: Vec<&str> = all.iter().map(|r| r.name.as_str()).collect();
            return Err(UsageError(format!("unknown runtime '{w}'; known: {}", known.join(", "))));
        }
    }
    Ok(all
        .iter()
        .filter(|r| wanted.is_empty() || wanted.iter().any(|w| w == &r.name || w == &r.package))
        .cloned()
        .collect())
}

/// Every target of a built crate: one per declared flavor, else one.
pub fn targets(runtime: &RuntimeCrate, exe: PathBuf) -> Vec<Target> {
    if runtime.flavors.is_empty() {
        return vec![Target { runtime: runtime.clone(), flavor: None, exe, executor: None }];
    }
    runtime
        .flavors
        .iter()
        .map(|f| Target { runtime: runtime.clone(), flavor: Some(f.clone()), exe: exe.clone(), executor: None })
        .collect()
}

/// True when `name` passes the `--variant` globs (every name passes none).
pub fn variant_wanted(globs: &[glob::Pattern], name: &str) -> bool {
    globs.is_empty() || globs.iter().any(|g| g.matches(name))
}

/// The cells of the listed targets that pass the filters, shuffled with
/// `seed`. No cell at all is a usage error: the filters match nothing.
pub fn plan(
    listed: &[(Arc<Target>, Vec<VariantInfo>)],
    globs: &[glob::Pattern],
    workloads: &[Workload],
    seed: u64,
) -> anyhow::Result<Vec<Cell>> {
    let mut cells = Vec::new();
    for (target, variants) in listed {
        for variant in variants.iter().filter(|v| variant_wanted(globs, &v.name)) {
            for &workload in workloads {
                cells.push(Cell { target: Arc::clone(target), variant: variant.clone(), workload });
            }
        }
    }
    if cells.is_empty() && !listed.is_empty() {
        let mut known: Vec<&str> = listed.iter().flat_map(|(_, vs)| vs.iter().map(|v| v.name.as_str())).collect();
        known.sort_unstable();
        known.dedup();
        let asked: Vec<String> = globs.iter().map(|g| format!("'{g}'")).collect();
        return Err(usage(format!("no variant matches --variant {}; known: {}", asked.join(", "), known.join(", "))));
    }
    shuffle(&mut cells, seed);
    Ok(cells)
}

/// Shuffles in place; the same seed (and the same `Cargo.lock`) gives the same order.
pub fn shuffle<T>(items: &mut [T], seed: u64) {
    items.shuffle(&mut StdRng::seed_from_u64(seed));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::Workers;

    fn runtime(name: &str, flavors: &[&str]) -> RuntimeCrate {
        RuntimeCrate {
            name: name.into(),
            package: format!("{name}-bench"),
            id: format!("path+file:///x/{name}-bench#0.1.0"),
            binary: format!("{name}-bench"),
            flavors: flavors.iter().map(|s| s.to_string()).collect(),
            workers: if flavors.is_empty() { Workers::No } else { Workers::All },
        }
    }

    fn names(vs: &[&str]) -> Vec<VariantInfo> {
        VariantInfo::parse_list(&vs.iter().map(|s| s.to_string()).collect::<Vec<_>>()).unwrap()
    }

    fn globs(gs: &[&str]) -> Vec<glob::Pattern> {
        gs.iter().map(|g| glob::Pattern::new(g).unwrap()).collect()
    }

    #[test]
    fn runtimes_are_chosen_by_name_or_package() {
        let all = [runtime("sync", &[]), runtime("tokio", &["multi-thread", "current-thread"])];
        assert_eq!(select_runtimes(&all, &[]).unwrap().len(), 2);
        let chosen = select_runtimes(&all, &["tokio-bench".into()]).unwrap();
        assert_eq!(chosen, [all[1].clone()]);
        let e = select_runtimes(&all, &["glommio".into()]).unwrap_err();
        assert_eq!(e.0, "unknown runtime 'glommio'; known: sync, tokio");
    }

    #[test]
    fn flavors_become_targets() {
        let t = targets(&runtime("tokio", &["multi-thread", "current-thread"]), "/bin/t".into());
        assert_eq!(t.iter().map(Target::label).collect::<Vec<_>>(), ["tokio (multi-thread)", "tokio (current-thread)"]);
        assert_eq!(targets(&runtime("sync", &[]), "/bin/s".into())[0].flavor, None);
    }

    #[test]
    fn globs_filter_variants() {
        let g = globs(&["*-bounded", "atomic"]);
        assert!(variant_wanted(&g, "flume-bounded"));
        assert!(variant_wanted(&g, "atomic"));
        assert!(!variant_wanted(&g, "flume-unbounded"));
        assert!(!variant_wanted(&g, "atomic-2"));
        assert!(variant_wanted(&[], "anything"));
    }

    #[test]
    fn the_plan_is_the_filtered_product_in_a_seeded_order() {
        let sync = Arc::new(targets(&runtime("sync", &[]), "/bin/s".into()).remove(0));
        let listed = vec![(sync, names(&["atomic", "std-mutex", "flume-bounded", "flume-unbounded"]))];
        let workloads = [Workload::FEW, Workload::MANY];
        let a = plan(&listed, &globs(&["flume-*", "atomic"]), &workloads, 7).unwrap();
        assert_eq!(a.len(), 3 * 2);
        assert!(a.iter().all(|c| c.variant.name != "std-mutex"));
        let b = plan(&listed, &globs(&["flume-*", "atomic"]), &workloads, 7).unwrap();
        assert_eq!(a, b, "same seed, same order");
        let orders: std::collections::HashSet<Vec<String>> = (0..20)
            .map(|seed| plan(&listed, &[], &workloads, seed).unwrap().iter().map(|c| c.to_string()).collect())
            .collect();
        assert!(orders.len() > 1, "seeds change the order");
        let e = plan(&listed, &globs(&["nope*"]), &workloads, 1).unwrap_err();
        assert!(crate::cli::is_usage(&e));
        assert!(e.to_string().contains("no variant matches --variant 'nope*'; known: atomic, flume-bounded"));
    }

    #[test]
    fn list_output_may_be_names_or_json() {
        let lines: Vec<String> = vec![
            "atomic".into(),
            r#"{"name":"tokio-mutex","family":"lock","primitive":"tokio::sync::Mutex"}"#.into(),
            "".into(),
        ];
        let v = VariantInfo::parse_list(&lines).unwrap();
        assert_eq!(v[0].family, None);
        assert_eq!(v[1].family, Some(Family::Lock));
        assert!(VariantInfo::parse_list(&[]).is_err());
        assert!(VariantInfo::parse_list(&["two words".into()]).is_err());
    }
}
