//! `--workers K`, the option every async runtime binary adds to the shared ones.

use crate::cli::UsageError;
use crate::workload::available_parallelism;
use clap::Args;

/// Most executor threads `--workers` accepts.
pub const MAX_WORKERS: u64 = 1024;

/// Executor worker threads.
#[derive(Debug, Clone, Args)]
pub struct WorkerArgs {
    /// Executor worker threads [default: the machine's available parallelism].
    #[arg(long, value_name = "K")]
    pub workers: Option<u64>,
}

impl WorkerArgs {
    /// The worker count, checked: 1 ..= [`MAX_WORKERS`], or the available
    /// parallelism when not given.
    pub fn workers(&self) -> Result<usize, UsageError> {
        match self.workers {
            None => Ok(available_parallelism()),
            Some(k) if (1..=MAX_WORKERS).contains(&k) => Ok(k as usize),
            Some(k) => Err(UsageError(format!("--workers must be between 1 and {MAX_WORKERS}, got {k}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_and_absurd_counts_are_refused() {
        assert!(WorkerArgs { workers: Some(0) }.workers().is_err());
        assert!(WorkerArgs { workers: Some(MAX_WORKERS + 1) }.workers().is_err());
        assert_eq!(WorkerArgs { workers: Some(3) }.workers().unwrap(), 3);
        assert!(WorkerArgs { workers: None }.workers().unwrap() >= 1);
    }
}
