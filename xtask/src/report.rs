//! `cargo xtask report RESULTS`: renders the terminal tables, results.csv,
//! report.md and report.html (and a sweep's sweep.html) again from a
//! results file alone.

use crate::cli::ReportArgs;
use crate::results::{self, RESULTS_JSON};
use crate::{collate, render};
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Runs the task. Files go next to the results file unless `--out` says;
/// results.json is (re)written unless it is the very file being read.
pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let source = results::resolve(&args.results)?;
    let results = results::load(&source)?;
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => source.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf(),
    };
    let same = |a: &Path, b: &Path| a.canonicalize().ok().zip(b.canonicalize().ok()).is_some_and(|(a, b)| a == b);
    let with_json = !same(&source, &out.join(RESULTS_JSON));
    collate::write_outputs(&out, &results, with_json)?;
    if crate::sweep::is_sweep(&results) {
        crate::sweep::write_sweep(&out, &results)?;
    }
    print!("{}", render::terminal::render(&results));
    eprintln!("report: {}", out.join("report.html").display());
    Ok(ExitCode::SUCCESS)
}
