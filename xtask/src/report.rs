//! `cargo xtask report RESULTS`: renders the terminal tables, results.csv,
//! report.md and report.html (and a sweep's sweep.html and charts) again
//! from a results file alone. It writes only what it renders: never the
//! results file it reads, nor any results.json.

use crate::cli::ReportArgs;
use crate::render::{self, terminal::Terminal};
use crate::results;
use crate::rundir;
use anyhow::Result;
use std::path::Path;
use std::process::ExitCode;

/// Runs the task. Files go next to the results file unless `--out` says.
pub fn run(args: ReportArgs) -> Result<ExitCode> {
    let source = results::resolve(&args.results)?;
    let results = results::load(&source)?;
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => source.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf(),
    };
    rundir::write_outputs(&out, &results, false)?;
    render::print(&Terminal, &results)?;
    eprintln!("report: {}", out.join("report.html").display());
    Ok(ExitCode::SUCCESS)
}
