//! `cargo xtask report RESULTS`: renders the terminal tables, results.csv,
//! report.md and report.html (and a sweep's sweep.html and charts) again
//! from a results file alone. `cargo xtask report RUN RUN... --out DIR`
//! merges runs from several machines into one report (see
//! [`render::machines`]). It writes only what it renders: never the
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
    let [one] = args.results.as_slice() else { return merge(&args) };
    let source = results::resolve(one)?;
    let results = results::load(&source)?;
    let out = match &args.out {
        Some(dir) => dir.clone(),
        None => source.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).to_path_buf(),
    };
    // Claimed like bench's --out: a file, a folder it cannot write in or one
    // a running bench holds is a usage error before anything is written.
    let claimed = rundir::RunDir::claim(&out)?;
    rundir::write_outputs(claimed.path(), &results, false)?;
    // A sweep's terminal is the sweep's (its answer grids, not a table of
    // every point as if they were one bench's cells).
    if render::is_sweep(&results) {
        render::print(&render::sweep_html::SweepTerminal, &results)?;
        eprintln!("report: {}", out.join("sweep.html").display());
    } else {
        render::print(&Terminal { wide: args.wide }, &results)?;
        eprintln!("report: {}", out.join("report.html").display());
    }
    Ok(ExitCode::SUCCESS)
}

/// Several runs, one report: every run is loaded (a bad one is a usage
/// error) before anything is rendered, and every file is rendered before
/// any is written.
fn merge(args: &ReportArgs) -> Result<ExitCode> {
    let Some(out) = &args.out else {
        return Err(crate::error::usage("several runs make one report: say where it goes with --out DIR"));
    };
    let runs = args.results.iter().map(|p| results::load(p)).collect::<Result<Vec<_>, _>>()?;
    let runs = render::machines::name_runs(runs);
    let files = render::machines::report_files(&runs)?;
    let claimed = rundir::RunDir::claim(out)?;
    for (name, bytes) in files {
        rundir::write_atomic(&claimed.path().join(name), &bytes)?;
    }
    print!("{}", render::machines::render_terminal(&runs));
    eprintln!("report: {}", out.join("report.html").display());
    Ok(ExitCode::SUCCESS)
}
