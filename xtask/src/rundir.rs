//! The run folder: claimed by one run at a time (a lock file held for the
//! whole run), the JSON Lines journal that grows as records arrive (so an
//! interrupted run keeps what finished), the final files written atomically
//! (temp file + rename) and readable by others under the usual umask, and
//! the copy to `latest/`.

use crate::error::UsageError;
use crate::render;
use crate::results::{RESULTS_JSON, RESULTS_JSONL, Results};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use dispenser_core::Record;
use fs2::FileExt;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the folder that mirrors the latest run.
pub const LATEST: &str = "latest";
/// The lock file of a run folder: locked (flock) while a run writes there.
pub const LOCK: &str = ".lock";

/// A run folder this process owns until it is dropped.
#[derive(Debug)]
pub struct RunDir {
    path: PathBuf,
    /// Held open: the flock lives as long as the file stays open.
    _lock: File,
}

impl RunDir {
    /// Claims `--out`: creates it if needed, and refuses (a usage error,
    /// exit 2) a path that is a file, a folder it cannot write in, or a
    /// folder another run is writing to right now.
    pub fn claim(dir: &Path) -> Result<RunDir> {
        if dir.exists() && !dir.is_dir() {
            return Err(UsageError(format!("--out {} is a file, not a folder", dir.display())).into());
        }
        fs::create_dir_all(dir).map_err(|e| UsageError(format!("--out {}: cannot create it: {e}", dir.display())))?;
        Self::lock(dir.to_path_buf())
    }

    /// Creates and claims `base/<UTC time>/` (`-2`, `-3`... if two runs start in one second).
    pub fn create_new(base: &Path, started: DateTime<Utc>) -> Result<RunDir> {
        Self::lock(create_run_dir(base, started)?)
    }

    fn lock(path: PathBuf) -> Result<RunDir> {
        let lock_path = path.join(LOCK);
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .map_err(|e| UsageError(format!("--out {}: cannot write in it: {e}", path.display())))?;
        if file.try_lock_exclusive().is_err() {
            return Err(UsageError(format!(
                "--out {} is in use by another run; wait for it or choose another folder",
                path.display()
            ))
            .into());
        }
        Ok(RunDir { path, _lock: file })
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts this run's journal. Files an earlier run left here (its
    /// results.json and reports) are removed first, so they are never
    /// mistaken for this run's.
    pub fn journal(&self) -> Result<Journal> {
        for entry in fs::read_dir(&self.path)? {
            let name = entry?.file_name().to_string_lossy().into_owned();
            if is_output(&name) {
                let path = self.path.join(&name);
                fs::remove_file(&path).with_context(|| format!("cannot remove the stale {}", path.display()))?;
            }
        }
        Journal::create(&self.path)
    }
}

/// True for the files a run renders into its folder (not its journal).
fn is_output(name: &str) -> bool {
    let svg = name.ends_with(".svg") && (name.starts_with("latency-") || name.starts_with("sweep-"));
    svg || [RESULTS_JSON, "results.csv", "report.md", "report.html", "sweep.html"].contains(&name)
}

/// Creates `base/<UTC time>/` (`-2`, `-3`... if two runs start in one second).
pub fn create_run_dir(base: &Path, started: DateTime<Utc>) -> Result<PathBuf> {
    fs::create_dir_all(base).with_context(|| format!("cannot create {}", base.display()))?;
    let stamp = started.format("%Y%m%dT%H%M%SZ").to_string();
    for n in 1.. {
        let dir = if n == 1 { base.join(&stamp) } else { base.join(format!("{stamp}-{n}")) };
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e).with_context(|| format!("cannot create {}", dir.display())),
        }
    }
    unreachable!("1.. never ends")
}

/// The JSON Lines file: one record per line, each written by one `write`
/// call on a file opened with O_APPEND, so lines never interleave and even
/// `kill -9` loses only the cell that was running.
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Creates (or empties) `dir/results.jsonl`.
    pub fn create(dir: &Path) -> Result<Journal> {
        let path = dir.join(RESULTS_JSONL);
        let cannot = || format!("cannot create {}", path.display());
        // Emptied first, then opened again for appending: O_APPEND and
        // O_TRUNC do not go together in one open.
        File::create(&path).with_context(cannot)?;
        let file = OpenOptions::new().append(true).open(&path).with_context(cannot)?;
        Ok(Journal { file, path })
    }

    /// Appends one record as one line, in one write.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        let mut line = serde_json::to_vec(record)?;
        line.push(b'\n');
        let written = self.file.write(&line).with_context(|| format!("cannot append to {}", self.path.display()))?;
        if written != line.len() {
            anyhow::bail!("cannot append to {}: short write (disk full?)", self.path.display());
        }
        Ok(())
    }
}

/// The mode new files get: what `open(2)` would give them, `0o666` less
/// the process's umask (a temp file alone would be `0o600`).
#[cfg(unix)]
// `mode_t` is u32 on Linux but u16 on macOS: the conversion is not useless there.
#[allow(clippy::useless_conversion)]
fn file_mode() -> u32 {
    static MODE: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    *MODE.get_or_init(|| {
        // SAFETY: umask only swaps the process's mask; it is put back at once.
        let mask = unsafe {
            let mask = libc::umask(0o022);
            libc::umask(mask);
            mask
        };
        0o666 & !u32::from(mask)
    })
}

/// Writes `bytes` to `path` through a temp file in the same folder and a
/// rename, so a reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes).with_context(|| format!("cannot write {}", path.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        tmp.as_file().set_permissions(fs::Permissions::from_mode(file_mode()))?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes results.json (unless `with_json` is false) and every report file
/// ([`render::report_files`]) into `dir`. Everything is rendered before
/// the first file is written.
pub fn write_outputs(dir: &Path, results: &Results, with_json: bool) -> Result<()> {
    let mut files = render::report_files(results)?;
    if with_json {
        let json = render::Json;
        files.insert(0, (RESULTS_JSON.to_string(), render::Exporter::serialize(&json, results)?));
    }
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    for (name, bytes) in files {
        write_atomic(&dir.join(name), &bytes)?;
    }
    Ok(())
}

/// Mirrors `run_dir` into `base/latest/`: copied to a temp folder, then
/// swapped in by renames, so `latest/` is never half-written.
pub fn publish_latest(base: &Path, run_dir: &Path) -> Result<PathBuf> {
    let latest = base.join(LATEST);
    let staging = base.join(format!(".{LATEST}.new-{}", std::process::id()));
    let old = base.join(format!(".{LATEST}.old-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    fs::create_dir_all(&staging)?;
    for entry in fs::read_dir(run_dir)? {
        let entry = entry?;
        // The lock file stays with its run folder.
        if entry.file_type()?.is_file() && !entry.file_name().to_string_lossy().starts_with('.') {
            fs::copy(entry.path(), staging.join(entry.file_name()))
                .with_context(|| format!("cannot copy {} to {}", entry.path().display(), staging.display()))?;
        }
    }
    let had_latest = latest.exists();
    if had_latest {
        fs::rename(&latest, &old).with_context(|| format!("cannot move {} aside", latest.display()))?;
    }
    fs::rename(&staging, &latest).with_context(|| format!("cannot create {}", latest.display()))?;
    if had_latest {
        let _ = fs::remove_dir_all(&old);
    }
    Ok(latest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::tests::sample_results;
    use chrono::TimeZone;

    #[test]
    fn run_dirs_are_unique_per_second() {
        let base = tempfile::tempdir().unwrap();
        let t = Utc.with_ymd_and_hms(2026, 11, 28, 12, 0, 0).unwrap();
        let a = create_run_dir(base.path(), t).unwrap();
        let b = create_run_dir(base.path(), t).unwrap();
        assert!(a.ends_with("20261128T120000Z") && b.ends_with("20261128T120000Z-2"));
    }

    #[test]
    fn the_journal_has_one_record_per_line() {
        let dir = tempfile::tempdir().unwrap();
        let results = sample_results();
        let mut journal = Journal::create(dir.path()).unwrap();
        for r in &results.records[..3] {
            journal.append(r).unwrap();
        }
        let loaded = crate::results::load(&dir.path().join(RESULTS_JSONL)).unwrap();
        assert_eq!(loaded.records, results.records[..3]);
    }

    #[test]
    fn outputs_are_written_and_latest_is_replaced_whole() {
        let base = tempfile::tempdir().unwrap();
        let results = sample_results();
        let run = create_run_dir(base.path(), Utc::now()).unwrap();
        write_outputs(&run, &results, true).unwrap();
        let latest = publish_latest(base.path(), &run).unwrap();
        fs::write(latest.join("stale.txt"), "from an older run").unwrap();
        publish_latest(base.path(), &run).unwrap();
        let mut names: Vec<String> =
            fs::read_dir(&latest).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        names.sort();
        assert_eq!(names, ["report.html", "report.md", "results.csv", "results.json"]);
        assert_eq!(crate::results::load(&latest).unwrap(), results);
        let leftovers =
            fs::read_dir(base.path()).unwrap().filter(|e| e.as_ref().unwrap().file_name() != LATEST).count();
        assert_eq!(leftovers, 1, "only the run folder and latest/");
    }
}
