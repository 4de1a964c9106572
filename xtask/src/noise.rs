//! `cargo xtask noise`: the suite measures its own noise and its power. It
//! runs one plan (bench's options) twice, back to back, into `a/` and `b/`
//! of one folder, then compares the two runs as an A/A test: on an honest,
//! quiet machine compare calls almost nothing changed, the cells rank the
//! same way in both runs, and few cells are unstable. Then it makes B
//! slower by a known factor (every sample × 1.10, then × 1.25) and counts
//! the cells compare calls slower: a suite that cries no wolf but cannot
//! see a 10% regression is blind, not honest. It tells a user how far to
//! trust their machine before they trust a verdict
//! (`cargo xtask compare A B --aa` prints the same for any two runs).

use crate::cli::BenchArgs;
use crate::{bench, build, compare, discover, results};
use anyhow::Result;
use std::process::ExitCode;

/// Runs the task. Exit status: the worse of the two runs' (0 when every
/// cell of both is ok), 2 for bad usage, 128 + signal when interrupted.
pub fn run(args: BenchArgs) -> Result<ExitCode> {
    if args.run.dry_run {
        // Both runs share one plan: showing it once says everything.
        return bench::run(args);
    }
    // Checked once, before anything is built or run.
    args.settings()?;
    let base = match &args.run.out {
        Some(dir) => dir.clone(),
        None => {
            let metadata = discover::load_metadata(&build::cargo(), &discover::project_root())?;
            let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ").to_string();
            metadata.target_directory.as_std_path().join("dispenser-bench").join("noise").join(stamp)
        }
    };
    // The same seed for both: an identical plan, so only the machine differs.
    let seed = args.run.seed.unwrap_or_else(rand::random);
    let mut worst = ExitCode::SUCCESS;
    for side in ["a", "b"] {
        eprintln!("noise: run {side} of a/b into {}", base.join(side).display());
        let mut once = args.clone();
        once.run.out = Some(base.join(side));
        once.run.seed = Some(seed);
        let code = bench::run(once)?;
        if crate::interrupt::requested() {
            return Ok(code);
        }
        if code != ExitCode::SUCCESS {
            worst = code;
        }
    }
    let (a, b) = (results::load(&base.join("a"))?, results::load(&base.join("b"))?);
    println!("\nA/A comparison, OLD = {}, NEW = {}", base.join("a").display(), base.join("b").display());
    print!("{}", compare::render(&a, &b));
    println!();
    print!("{}", compare::aa_summary(&a, &b));
    Ok(worst)
}
