//! The run folder: the JSON Lines journal that grows as records arrive (so
//! an interrupted run keeps what finished), the final files written
//! atomically (temp file + rename), and the copy to `latest/`.

use crate::render;
use crate::results::{RESULTS_JSON, RESULTS_JSONL, Results};
use anyhow::{Context, Result};
use chrono::{DateTime, Utc};
use dispenser_core::Record;
use std::fs::{self, File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Name of the folder that mirrors the latest run.
pub const LATEST: &str = "latest";

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

/// The JSON Lines file: one record per line, flushed to the OS as each
/// arrives, so even `kill -9` loses only the cell that was running.
pub struct Journal {
    file: File,
    path: PathBuf,
}

impl Journal {
    /// Creates (or truncates) `dir/results.jsonl`.
    pub fn create(dir: &Path) -> Result<Journal> {
        let path = dir.join(RESULTS_JSONL);
        let file = OpenOptions::new()
            .create(true)
            .write(true)
            .truncate(true)
            .open(&path)
            .with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Journal { file, path })
    }

    /// Appends one record as one line.
    pub fn append(&mut self, record: &Record) -> Result<()> {
        let mut line = serde_json::to_string(record)?;
        line.push('\n');
        // One write call per line: a reader never sees half a record unless the disk fills.
        self.file.write_all(line.as_bytes()).with_context(|| format!("cannot append to {}", self.path.display()))?;
        self.file.flush()?;
        Ok(())
    }
}

/// Writes `bytes` to `path` through a temp file in the same folder and a
/// rename, so a reader sees the old file or the new one, never half of one.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let mut tmp = tempfile::NamedTempFile::new_in(dir).with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Writes results.json (unless `with_json` is false), results.csv,
/// report.md and report.html into `dir` (and a latency-NxT.svg chart per
/// workload measured with `--latency`).
pub fn write_outputs(dir: &Path, results: &Results, with_json: bool) -> Result<()> {
    fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    if with_json {
        write_atomic(&dir.join(RESULTS_JSON), &serde_json::to_vec_pretty(results)?)?;
    }
    write_atomic(&dir.join("results.csv"), &render::csv::render(results)?)?;
    write_atomic(&dir.join("report.md"), render::markdown::render(results).as_bytes())?;
    write_atomic(&dir.join("report.html"), render::html::render(results)?.as_bytes())?;
    render::latency::write_charts(dir, results)?;
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
        if entry.file_type()?.is_file() {
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
