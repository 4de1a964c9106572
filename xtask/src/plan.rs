//! The cells of a run: every (runtime, flavor, variant, workload) the
//! filters leave, each to run in a process of its own, in an order shuffled
//! with a seed (so slow drifts of the machine spread over every variant
//! instead of piling onto whichever runs last) that the report records.

use crate::cli::Sweep;
use crate::discover::RuntimeCrate;
use crate::error::{UsageError, is_usage, usage};
use crate::results::{BenchSettings, FAMILY_ORDER};
use dispenser_core::{Executor, Workload};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// A variant as the binary lists it (`--list --format json`): name,
/// family, primitive and capacity, in core's own type, so nothing is guessed.
pub use dispenser_core::variant::Listing as VariantInfo;

/// Reads `--list --format json` output: one JSON object per line.
pub fn parse_list(stdout: &[String]) -> Result<Vec<VariantInfo>, String> {
    let mut out = Vec::new();
    for line in stdout.iter().map(|l| l.trim()).filter(|l| !l.is_empty()) {
        let info: VariantInfo = serde_json::from_str(line).map_err(|e| {
            format!("bad `--list --format json` line '{line}' (expected a JSON object per variant): {e}")
        })?;
        if info.name.is_empty() || info.name.contains(char::is_whitespace) {
            return Err(format!("bad `--list --format json` line '{line}': a variant name is one word"));
        }
        out.push(info);
    }
    if out.is_empty() {
        return Err("--list printed no variant".into());
    }
    Ok(out)
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

/// One process to run: a variant of a target on a workload, as process
/// `process` of that cell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// Runtime binary and flavor, shared by its cells.
    pub target: Arc<Target>,
    /// The variant.
    pub variant: VariantInfo,
    /// The workload.
    pub workload: Workload,
    /// Which of the cell's processes this is (0 ..= processes - 1).
    pub process: u32,
}

impl Cell {
    /// The cell without its process number: the same for all its processes.
    pub fn key(&self) -> String {
        format!("{} {} {}", self.target.label(), self.variant.name, self.workload)
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {} {} #{}", self.target.label(), self.variant.name, self.workload, self.process + 1)
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

/// Targets that listed their variants, each with its list.
pub type Listed = Vec<(Arc<Target>, Vec<VariantInfo>)>;

/// What every process of a group gets besides its cell: the settings a
/// sweep varies (bench uses one set for the whole run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Knobs {
    /// `--workers` (`None`: OS threads, a flavor without one, or the runtime's own default).
    pub workers: Option<u64>,
    /// `--work` in ns (0: none).
    pub work_ns: u64,
    /// `--cpus` (`None`: not pinned).
    pub cpus: Option<u64>,
    /// `--load` busy threads (0: none).
    pub load: u64,
    /// `--rate` numbers per second (`None`: closed loop).
    pub rate: Option<u64>,
    /// `--capacity` request slots (`None`: N); only bounded variants' cells get it.
    pub capacity: Option<u64>,
}

impl Knobs {
    /// The knobs `settings` ask for.
    pub fn of(settings: &BenchSettings) -> Knobs {
        Knobs {
            workers: settings.workers,
            work_ns: settings.work_ns,
            cpus: settings.cpus,
            load: settings.load,
            rate: settings.rate,
            capacity: settings.capacity,
        }
    }

    /// `settings` with these knobs.
    pub fn apply(self, settings: &BenchSettings) -> BenchSettings {
        BenchSettings {
            workers: self.workers,
            work_ns: self.work_ns,
            cpus: self.cpus,
            load: self.load,
            rate: self.rate,
            capacity: self.capacity,
            ..settings.clone()
        }
    }

    /// ` --workers 2 --work 500 --cpus 1`: the knobs that differ from none, as flags.
    pub fn flags(self) -> String {
        let mut out = String::new();
        if let Some(k) = self.workers {
            out.push_str(&format!(" --workers {k}"));
        }
        if self.work_ns > 0 {
            out.push_str(&format!(" --work {}", self.work_ns));
        }
        if let Some(k) = self.cpus {
            out.push_str(&format!(" --cpus {k}"));
        }
        if self.load > 0 {
            out.push_str(&format!(" --load {}", self.load));
        }
        if let Some(r) = self.rate {
            out.push_str(&format!(" --rate {r}"));
        }
        if let Some(c) = self.capacity {
            out.push_str(&format!(" --capacity {c}"));
        }
        out
    }
}

/// A group of cells that share their [`Knobs`].
#[derive(Debug, Clone)]
pub struct Group {
    /// What every cell of the group runs with.
    pub knobs: Knobs,
    /// The cells, in a seeded shuffled order.
    pub cells: Vec<Cell>,
}

/// Bench's plan: every variant that passes the filters on every workload,
/// one group run with `knobs` (the `--workers`, `--work` and `--cpus` asked for).
pub fn bench(
    listed: &[(Arc<Target>, Vec<VariantInfo>)],
    globs: &[glob::Pattern],
    workloads: &[Workload],
    knobs: Knobs,
    processes: u32,
    seed: u64,
) -> anyhow::Result<Vec<Group>> {
    let cells = takes_capacity(cells(listed, globs, workloads, seed)?, knobs.capacity)?;
    Ok(vec![Group { knobs, cells: rounds(&cells, processes, seed) }])
}

/// With a `--capacity`, only the cells of bounded variants (channel or
/// actor): the others have no request channel to size, and their binaries
/// refuse the flag. None left is a usage error.
fn takes_capacity(mut cells: Vec<Cell>, capacity: Option<u64>) -> anyhow::Result<Vec<Cell>> {
    let Some(c) = capacity else { return Ok(cells) };
    cells.retain(|cell| cell.variant.capacity == Some(dispenser_core::Capacity::Bounded));
    if cells.is_empty() {
        return Err(usage(format!("--capacity {c}: none of the chosen variants has a bounded channel")));
    }
    Ok(cells)
}

/// Every cell once per round, `processes` rounds, each round in a fresh
/// seeded shuffle: process `r` of every cell runs in round `r`, so a drift of
/// the machine or a mode a process lands in is spread over every cell
/// instead of piling onto whichever ran last.
pub fn rounds(cells: &[Cell], processes: u32, seed: u64) -> Vec<Cell> {
    (0..processes)
        .flat_map(|process| {
            let mut round: Vec<Cell> = cells.iter().map(|c| Cell { process, ..c.clone() }).collect();
            shuffle(&mut round, seed.wrapping_add(u64::from(process)));
            round
        })
        .collect()
}

/// The cells of the listed targets that pass the filters, shuffled with
/// `seed`. No cell at all is a usage error: the filters match nothing.
pub fn cells(
    listed: &[(Arc<Target>, Vec<VariantInfo>)],
    globs: &[glob::Pattern],
    workloads: &[Workload],
    seed: u64,
) -> anyhow::Result<Vec<Cell>> {
    let mut cells = Vec::new();
    for (target, variants) in listed {
        for variant in variants.iter().filter(|v| variant_wanted(globs, &v.name)) {
            for &workload in workloads {
                cells.push(Cell { target: Arc::clone(target), variant: variant.clone(), workload, process: 0 });
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

/// Variants a default sweep prefers within their family, when a runtime
/// has them: the same channel (flume, bounded) and the same actor (the
/// `oneshot` crate) on threads and on every executor, so the lines compare
/// across runtimes. Other families take the runtime's first listed variant
/// (its own mutex: `std-mutex`, `tokio-mutex`, `async-std-mutex`, `async-lock-mutex`).
pub const PREFERRED: [&str; 3] = ["atomic", "flume-bounded", "oneshot-actor"];

/// The default set of a runtime: one variant per family, the [`PREFERRED`]
/// one where the runtime has it, else the first listed; and beside a
/// `-bounded` channel its `-unbounded` twin where the runtime has one, so
/// that a default sweep also answers "bounded or unbounded".
pub fn default_variants(listed: &[VariantInfo]) -> Vec<VariantInfo> {
    let mut out = Vec::new();
    for f in FAMILY_ORDER {
        let ours: Vec<&VariantInfo> = listed.iter().filter(|v| v.family == f).collect();
        let pick = ours.iter().find(|v| PREFERRED.contains(&v.name.as_str())).or(ours.first());
        if let Some(v) = pick {
            out.push((*v).clone());
            let twin = v.name.strip_suffix("-bounded").map(|stem| format!("{stem}-unbounded"));
            if let Some(t) = twin.and_then(|t| ours.iter().find(|u| u.name == t)) {
                out.push((*t).clone());
            }
        }
    }
    out
}

/// The cells of a sweep: every chosen variant of every listed target at
/// every workload, once per work and CPU count, and once per worker count
/// for targets that take one: a group per combination of [`Knobs`].
pub fn sweep(
    listed: &[(Arc<Target>, Vec<VariantInfo>)],
    globs: &[glob::Pattern],
    sweep: &Sweep,
    seed: u64,
) -> anyhow::Result<Vec<Group>> {
    let mut groups: Vec<Group> = Vec::new();
    let mut group = |knobs: Knobs, cells: Vec<Cell>| match groups.iter_mut().find(|g| g.knobs == knobs) {
        Some(g) => g.cells.extend(cells),
        None => groups.push(Group { knobs, cells }),
    };
    for (target, variants) in listed {
        let chosen = if globs.is_empty() { default_variants(variants) } else { variants.clone() };
        let one = [(Arc::clone(target), chosen)];
        // bench's planner: the filters, and a usage error when they match
        // nothing; a work point has a smaller total (Sweep::total_at).
        let cells_at = |work_ns: u64| {
            cells(&one, globs, &sweep.workloads_at(work_ns), seed)
                .or_else(|e| if listed.len() > 1 && is_usage(&e) { Ok(Vec::new()) } else { Err(e) })
        };
        let knob_sets = sweep.work.iter().flat_map(|&work_ns| {
            sweep.cpus.iter().flat_map(move |&cpus| {
                sweep.load.iter().flat_map(move |&load| {
                    sweep.rate.iter().flat_map(move |&rate| {
                        sweep.capacity.iter().map(move |&capacity| (work_ns, cpus, load, rate, capacity))
                    })
                })
            })
        });
        for (work_ns, cpus, load, rate, capacity) in knob_sets {
            let knobs = Knobs { workers: None, work_ns, cpus, load, rate, capacity };
            let cells = cells_at(work_ns)?;
            // A capacity applies to the bounded variants only (see takes_capacity).
            let cells = match capacity {
                Some(_) => takes_capacity(cells.clone(), capacity).unwrap_or_default(),
                None => cells.clone(),
            };
            {
                if !target.takes_workers() {
                    group(knobs, cells.clone());
                    continue;
                }
                for &k in &sweep.workers {
                    let mut t = (**target).clone();
                    if let Some(ex) = t.executor.as_mut() {
                        ex.workers = Some(k as usize);
                    }
                    let t = Arc::new(t);
                    let cells = cells.iter().map(|c| Cell { target: Arc::clone(&t), ..c.clone() }).collect();
                    group(Knobs { workers: Some(k), ..knobs }, cells);
                }
            }
        }
    }
    groups.retain(|g| !g.cells.is_empty());
    if groups.is_empty() && !listed.is_empty() {
        let asked: Vec<String> = globs.iter().map(|g| format!("'{g}'")).collect();
        return Err(usage(format!("no variant of the chosen runtimes matches --variant {}", asked.join(", "))));
    }
    groups.sort_by_key(|g| g.knobs);
    let processes = sweep.settings.processes.max(1) as u32;
    for (i, g) in groups.iter_mut().enumerate() {
        if processes > 1 {
            // As in bench: every point once per round, each round shuffled.
            g.cells = rounds(&g.cells, processes, seed.wrapping_add(i as u64));
        } else {
            shuffle(&mut g.cells, seed.wrapping_add(i as u64));
        }
    }
    Ok(groups)
}

/// A listing for tests, its family taken from the name the way this
/// suite's binaries name their variants.
#[cfg(test)]
pub fn tests_listing(name: &str) -> VariantInfo {
    use dispenser_core::Family;
    let family = match name {
        n if n.contains("actor") => Family::Actor,
        n if n.contains("mutex") || n.contains("lock") => Family::Lock,
        n if n.contains("atomic") => Family::Atomic,
        n if n.contains("single") => Family::Baseline,
        _ => Family::Channel,
    };
    VariantInfo { name: name.into(), family, primitive: format!("{name}::primitive"), capacity: None }
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
        info(vs)
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
        let a = cells(&listed, &globs(&["flume-*", "atomic"]), &workloads, 7).unwrap();
        assert_eq!(a.len(), 3 * 2);
        assert!(a.iter().all(|c| c.variant.name != "std-mutex"));
        let b = cells(&listed, &globs(&["flume-*", "atomic"]), &workloads, 7).unwrap();
        assert_eq!(a, b, "same seed, same order");
        let orders: std::collections::HashSet<Vec<String>> = (0..20)
            .map(|seed| cells(&listed, &[], &workloads, seed).unwrap().iter().map(|c| c.to_string()).collect())
            .collect();
        assert!(orders.len() > 1, "seeds change the order");
        let e = cells(&listed, &globs(&["nope*"]), &workloads, 1).unwrap_err();
        assert!(is_usage(&e));
        assert!(e.to_string().contains("no variant matches --variant 'nope*'; known: atomic, flume-bounded"));
    }

    #[test]
    fn list_output_is_one_json_object_per_variant() {
        let lines: Vec<String> = vec![
            r#"{"name":"atomic","family":"atomic","primitive":"AtomicU64::fetch_add","capacity":null}"#.into(),
            r#"{"name":"tokio-mutex","family":"lock","primitive":"tokio::sync::Mutex","capacity":null}"#.into(),
            "".into(),
        ];
        let v = parse_list(&lines).unwrap();
        assert_eq!((v[0].family, v[1].family), (dispenser_core::Family::Atomic, dispenser_core::Family::Lock));
        assert!(parse_list(&[]).is_err());
        assert!(parse_list(&["atomic".into()]).unwrap_err().contains("expected a JSON object"));
        let spaced = r#"{"name":"two words","family":"lock","primitive":"x","capacity":null}"#;
        assert!(parse_list(&[spaced.into()]).is_err());
    }

    /// Listings for tests: the family follows the name, as the real binaries list them.
    fn info(names: &[&str]) -> Vec<VariantInfo> {
        names.iter().map(|n| tests_listing(n)).collect()
    }

    #[test]
    fn the_default_set_is_one_per_family_preferring_shared_crates() {
        let sync = info(&[
            "single-thread",
            "atomic",
            "std-mutex",
            "parking_lot-mutex",
            "std-mpsc",
            "flume-bounded",
            "flume-unbounded",
        ]);
        let names: Vec<String> = default_variants(&sync).into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["single-thread", "atomic", "std-mutex", "flume-bounded", "flume-unbounded"]);
        let tokio =
            info(&["atomic", "tokio-mutex", "std-mutex", "async-channel-unbounded", "flume-bounded", "oneshot-actor"]);
        let names: Vec<String> = default_variants(&tokio).into_iter().map(|v| v.name).collect();
        assert_eq!(names, ["atomic", "tokio-mutex", "flume-bounded", "oneshot-actor"]);
    }

    #[test]
    fn async_targets_get_a_group_per_worker_count() {
        let rt = |name: &str, workers| RuntimeCrate {
            name: name.into(),
            package: format!("{name}-bench"),
            id: name.into(),
            binary: format!("{name}-bench"),
            flavors: Vec::new(),
            workers,
        };
        let sync = Arc::new(targets(&rt("sync", Workers::No), "/s".into()).remove(0));
        let smol = Arc::new(targets(&rt("smol", Workers::All), "/m".into()).remove(0));
        let listed = vec![(sync, info(&["atomic", "std-mpsc"])), (smol, info(&["atomic", "async-lock-mutex"]))];
        let s = crate::cli::tests::sweep_args(&[
            "--consumers",
            "1,2",
            "--total",
            "8",
            "--workers",
            "1,2",
            "--work",
            "0",
            "--capacity",
            "N",
        ])
        .sweep()
        .unwrap();
        let groups = sweep(&listed, &[], &s, 1).unwrap();
        let shape: Vec<(Option<u64>, usize)> = groups.iter().map(|g| (g.knobs.workers, g.cells.len())).collect();
        assert_eq!(shape, [(None, 4), (Some(1), 4), (Some(2), 4)]);
        let globs = [glob::Pattern::new("atomic").unwrap()];
        assert_eq!(sweep(&listed, &globs, &s, 1).unwrap().iter().map(|g| g.cells.len()).sum::<usize>(), 6);
        let none = [glob::Pattern::new("nope").unwrap()];
        assert!(is_usage(&sweep(&listed, &none, &s, 1).unwrap_err()));

        // Work and CPU counts multiply the groups, for threads and tasks alike.
        let args =
            ["--consumers", "1", "--total", "8", "--workers", "2", "--work", "500,0", "--cpus", "1", "--capacity", "n"];
        let s = crate::cli::tests::sweep_args(&args).sweep().unwrap();
        assert_eq!((s.work.as_slice(), s.cpus.as_slice()), ([0, 500].as_slice(), [Some(1)].as_slice()));
        let knobs: Vec<Knobs> = sweep(&listed, &[], &s, 1).unwrap().iter().map(|g| g.knobs).collect();
        let k = |workers, work_ns| Knobs { workers, work_ns, cpus: Some(1), load: 0, rate: None, capacity: None };
        assert_eq!(knobs, [k(None, 0), k(None, 500), k(Some(2), 0), k(Some(2), 500)]);
        assert_eq!(k(Some(2), 500).flags(), " --workers 2 --work 500 --cpus 1");
        let applied = k(Some(2), 500).apply(&s.settings);
        assert_eq!((applied.workers, applied.work_ns, applied.cpus), (Some(2), 500, Some(1)));
    }

    /// A capacity point runs only the bounded variants' cells; the default
    /// point (no capacity) runs them all; none bounded is a usage error.
    #[test]
    fn a_capacity_goes_only_to_bounded_variants() {
        use dispenser_core::Capacity;
        use std::collections::BTreeSet;
        let with = |name: &str, capacity| VariantInfo { capacity, ..tests_listing(name) };
        let variants = vec![
            with("atomic", None),
            with("flume-unbounded", Some(Capacity::Unbounded)),
            with("flume-bounded", Some(Capacity::Bounded)),
            with("oneshot-actor", Some(Capacity::Bounded)),
        ];
        let sync = Arc::new(targets(&runtime("sync", &[]), "/s".into()).remove(0));
        let listed = vec![(sync, variants)];
        let all = globs(&["*"]);
        let s =
            crate::cli::tests::sweep_args(&["--consumers", "4", "--total", "8", "--capacity", "16,0", "--work", "0"])
                .sweep()
                .unwrap();
        assert_eq!(s.capacity, [Some(0), Some(16)]);
        let groups = sweep(&listed, &all, &s, 1).unwrap();
        for g in &groups {
            let names: BTreeSet<&str> = g.cells.iter().map(|c| c.variant.name.as_str()).collect();
            assert_eq!(names, BTreeSet::from(["flume-bounded", "oneshot-actor"]), "{:?}", g.knobs);
        }
        assert_eq!(groups.iter().map(|g| g.knobs.capacity).collect::<Vec<_>>(), [Some(0), Some(16)]);
        assert_eq!(groups[0].knobs.flags(), " --capacity 0");
        let w = [Workload { consumers: 4, per_consumer: 2 }];
        let knobs = Knobs { capacity: Some(1), ..Knobs::of(&s.settings) };
        assert_eq!(bench(&listed, &all, &w, knobs, 1, 1).unwrap()[0].cells.len(), 2);
        let unbounded = globs(&["*-unbounded", "atomic"]);
        assert!(is_usage(&bench(&listed, &unbounded, &w, knobs, 1, 1).unwrap_err()));
        let default = Knobs { capacity: None, ..knobs };
        assert_eq!(bench(&listed, &all, &w, default, 1, 1).unwrap()[0].cells.len(), 4);
    }
}
