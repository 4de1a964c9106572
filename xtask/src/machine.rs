//! The machine a run measured: CPU, cores, memory, OS and kernel, rustc,
//! the locked versions of the crates measured, and the git commit. Read
//! automatically, because channel numbers mean little without the cores.

use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

/// What the report says about the machine and the source.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Machine {
    /// The machine's host name, when the OS says: what tells machines apart
    /// in a report that merges runs (absent in runs written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub host_name: Option<String>,
    /// CPU model, e.g. `AMD EPYC 7B13`.
    pub cpu: String,
    /// Logical cores the process may use.
    pub logical_cores: usize,
    /// Physical cores, when the OS says.
    pub physical_cores: Option<usize>,
    /// Total memory, bytes.
    pub memory_bytes: u64,
    /// OS name and version, e.g. `Linux 12 Debian GNU/Linux`.
    pub os: String,
    /// Kernel version.
    pub kernel: String,
    /// CPU architecture.
    pub arch: String,
    /// `rustc --version`.
    pub rustc: String,
    /// Crates the runtimes measure with, each with the version(s) Cargo.lock pins.
    pub crates: BTreeMap<String, Vec<String>>,
    /// Git commit and whether the tree had changes.
    pub git: Option<Git>,
    /// The kernel's clock source (`tsc`, `kvm-clock`, `hpet`): a slow one
    /// makes every timestamp cost more (absent in runs written before it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clocksource: Option<String>,
    /// The CPU frequency governor of CPU 0 (`performance`, `powersave`),
    /// `none` where the kernel exposes no cpufreq (most virtual machines).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub governor: Option<String>,
    /// Sockets and NUMA nodes, when the kernel says: `1 socket, 1 NUMA node`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topology: Option<String>,
}

/// Where the source came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Git {
    /// `git rev-parse HEAD`.
    pub commit: String,
    /// True when `git status --porcelain` listed anything.
    pub dirty: bool,
}

impl Machine {
    /// Reads this machine and the workspace at `root`; `crates` are the
    /// names whose locked versions to report.
    pub fn capture(root: &Path, crates: &BTreeSet<String>) -> Machine {
        use sysinfo::{CpuRefreshKind, MemoryRefreshKind, RefreshKind, System};
        let sys = System::new_with_specifics(
            RefreshKind::nothing()
                .with_cpu(CpuRefreshKind::nothing())
                .with_memory(MemoryRefreshKind::nothing().with_ram()),
        );
        let cpu = sys.cpus().first().map(|c| c.brand().trim().to_string()).filter(|b| !b.is_empty());
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap_or_default();
        let mut versions = locked_versions(&lock);
        versions.retain(|name, _| crates.contains(name));
        Machine {
            host_name: System::host_name().filter(|h| !h.is_empty()),
            cpu: cpu.unwrap_or_else(|| "unknown CPU".into()),
            logical_cores: dispenser_core::workload::available_parallelism(),
            physical_cores: System::physical_core_count(),
            memory_bytes: sys.total_memory(),
            os: System::long_os_version().unwrap_or_else(|| std::env::consts::OS.into()),
            kernel: System::kernel_version().unwrap_or_else(|| "unknown".into()),
            arch: std::env::consts::ARCH.into(),
            rustc: rustc_version(),
            crates: versions,
            git: git(root),
            clocksource: sys_file("devices/system/clocksource/clocksource0/current_clocksource"),
            governor: sys_file("devices/system/cpu/cpu0/cpufreq/scaling_governor")
                .or_else(|| Path::new("/sys/devices/system/cpu").exists().then(|| "none".into())),
            topology: topology(),
        }
    }

    /// One line for the top of a report.
    pub fn summary(&self) -> String {
        let physical = self.physical_cores.map(|p| format!(" ({p} physical)")).unwrap_or_default();
        format!(
            "{} · {} logical cores{physical} · {:.1} GiB · {} · kernel {} · {}",
            self.cpu,
            self.logical_cores,
            self.memory_bytes as f64 / (1u64 << 30) as f64,
            self.os,
            self.kernel,
            self.rustc
        )
    }

    /// What the kernel says about timing and placement, for the header:
    /// `clocksource tsc · governor none · 1 socket, 1 NUMA node`; empty
    /// for runs written before it was recorded.
    pub fn timing(&self) -> String {
        let mut parts = Vec::new();
        if let Some(c) = &self.clocksource {
            parts.push(format!("clocksource {c}"));
        }
        if let Some(g) = &self.governor {
            parts.push(format!("governor {g}"));
        }
        parts.extend(self.topology.clone());
        parts.join(" · ")
    }

    /// A short name: the host name, else `CPU, N cores`.
    pub fn label(&self) -> String {
        match &self.host_name {
            Some(h) => h.clone(),
            None => format!("{}, {} cores", self.cpu, self.logical_cores),
        }
    }

    /// True when both describe the same machine: host, CPU, cores, memory,
    /// OS and architecture (not the toolchain or the source, which change
    /// between runs on one machine).
    pub fn same_machine(&self, other: &Machine) -> bool {
        let id = |m: &Machine| {
            (m.host_name.clone(), m.cpu.clone(), m.logical_cores, m.memory_bytes, m.os.clone(), m.arch.clone())
        };
        id(self) == id(other)
    }

    /// `abc1234 (dirty)`, or `unknown` outside git.
    pub fn commit(&self) -> String {
        match &self.git {
            Some(g) => format!("{}{}", &g.commit[..g.commit.len().min(12)], if g.dirty { " (dirty)" } else { "" }),
            None => "unknown".into(),
        }
    }

    /// `tokio 1.48.0, flume 0.11.1, ...` for the report.
    pub fn crate_list(&self) -> String {
        let items: Vec<String> = self.crates.iter().map(|(n, vs)| format!("{n} {}", vs.join("/"))).collect();
        items.join(", ")
    }
}

/// Every package in a Cargo.lock with its versions. The lock file's layout
/// is fixed (`[[package]]`, then `name = "..."` and `version = "..."`), so
/// a line reader does without a TOML parser.
pub fn locked_versions(lock: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for block in lock.split("[[package]]").skip(1) {
        let field = |key: &str| {
            block.lines().find_map(|l| {
                l.strip_prefix(key)?.trim().strip_prefix('=')?.trim().strip_prefix('"')?.strip_suffix('"')
            })
        };
        if let (Some(name), Some(version)) = (field("name"), field("version")) {
            out.entry(name.to_string()).or_default().push(version.to_string());
        }
    }
    out
}

fn rustc_version() -> String {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    output(Command::new(rustc).arg("--version")).unwrap_or_else(|| "rustc (unknown version)".into())
}

fn git(root: &Path) -> Option<Git> {
    let commit = output(Command::new("git").arg("-C").arg(root).args(["rev-parse", "HEAD"]))?;
    let status = output(Command::new("git").arg("-C").arg(root).args(["status", "--porcelain"]));
    Some(Git { commit, dirty: status.is_none_or(|s| !s.is_empty()) })
}

/// Trimmed stdout of a command that succeeded.
fn output(cmd: &mut Command) -> Option<String> {
    let out = cmd.output().ok().filter(|o| o.status.success())?;
    Some(String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// The trimmed first line of a file under /sys, if it can be read.
fn sys_file(path: &str) -> Option<String> {
    let text = std::fs::read_to_string(Path::new("/sys").join(path)).ok()?;
    Some(text.lines().next()?.trim().to_string()).filter(|s| !s.is_empty())
}

/// `1 socket, 1 NUMA node`, from the CPUs' package ids and the node folders.
fn topology() -> Option<String> {
    let cpus = std::fs::read_dir("/sys/devices/system/cpu").ok()?;
    let packages: BTreeSet<String> = cpus
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_str().is_some_and(|n| n.starts_with("cpu") && n[3..].parse::<u32>().is_ok()))
        .filter_map(|e| std::fs::read_to_string(e.path().join("topology/physical_package_id")).ok())
        .map(|id| id.trim().to_string())
        .collect();
    if packages.is_empty() {
        return None;
    }
    let nodes = std::fs::read_dir("/sys/devices/system/node")
        .map(|d| {
            d.filter_map(Result::ok)
                .filter(|e| {
                    e.file_name().to_str().is_some_and(|n| n.starts_with("node") && n[4..].parse::<u32>().is_ok())
                })
                .count()
        })
        .unwrap_or(0);
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let mut out = plural(packages.len(), "socket");
    if nodes > 0 {
        out.push_str(&format!(", {}", plural(nodes, "NUMA node")));
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lock_versions_are_read_per_name() {
        let lock = "version = 4\n\n[[package]]\nname = \"rand\"\nversion = \"0.9.5\"\nsource = \"x\"\n\n\
                    [[package]]\nname = \"rand\"\nversion = \"0.10.4\"\n\n[[package]]\nname = \"tokio\"\nversion = \"1.48.0\"\n";
        let v = locked_versions(lock);
        assert_eq!(v["rand"], ["0.9.5", "0.10.4"]);
        assert_eq!(v["tokio"], ["1.48.0"]);
    }

    #[test]
    fn this_machine_is_described() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let m = Machine::capture(root, &["serde".to_string()].into());
        assert!(m.logical_cores >= 1 && m.memory_bytes > 0);
        assert!(m.rustc.starts_with("rustc "), "{}", m.rustc);
        assert_eq!(m.crates.keys().collect::<Vec<_>>(), ["serde"]);
        assert!(m.summary().contains("logical cores"));
        assert!(m.same_machine(&m.clone()));
        let other = Machine { host_name: Some("elsewhere".into()), logical_cores: 64, ..m.clone() };
        assert!(!m.same_machine(&other));
        assert_eq!(other.label(), "elsewhere");
        assert_eq!(Machine { host_name: None, ..other }.label(), format!("{}, 64 cores", m.cpu));
    }
}
