//! The command line every runtime binary shares, and the `main` it runs.

use crate::record::Record;
use crate::runner::{RunConfig, Runtime, run_variant};
use crate::{Variant, Workload};
use clap::{Args, Parser, ValueEnum};
use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

/// Most counted samples a run may ask for.
const MAX_SAMPLES: u64 = 100_000;
/// Most warm-up samples a run may ask for.
const MAX_WARMUP: u64 = 1_000;
/// Longest budget or deadline, seconds (a day).
const MAX_SECS: f64 = 86_400.0;

/// How results are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// A human table on stdout, progress on stderr.
    Table,
    /// One JSON record per line on stdout, nothing else on stdout.
    Json,
}

/// Options every runtime binary accepts.
#[derive(Debug, Clone, Args)]
pub struct CommonArgs {
    /// Print the variant names, one per line, and exit.
    #[arg(long)]
    pub list: bool,
    /// Run only this variant (repeatable; default: all).
    #[arg(long = "variant", value_name = "NAME")]
    pub variants: Vec<String>,
    /// Consumers (threads or tasks) taking numbers.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub consumers: u64,
    /// Numbers each consumer takes.
    #[arg(long, value_name = "T", default_value_t = 100_000)]
    pub per_consumer: u64,
    /// Counted samples per variant.
    #[arg(long, value_name = "S", default_value_t = 10)]
    pub samples: u64,
    /// Warm-up samples per variant, validated but not counted.
    #[arg(long, value_name = "W", default_value_t = 1)]
    pub warmup: u64,
    /// Seconds per variant after which no new counted sample starts (at least 3 are taken).
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub budget: f64,
    /// A sample still running after this many seconds is reported as hung.
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    pub sample_timeout: f64,
    /// Also take latency samples: every request timed into a histogram (p50..max).
    #[arg(long)]
    pub latency: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// A mistake on the command line: exit status 2 and one line on stderr.
#[derive(Debug)]
pub struct UsageError(pub String);

impl<T: Display> From<T> for UsageError {
    fn from(e: T) -> Self {
        UsageError(e.to_string())
    }
}

/// Prints `error: MSG` on stderr and returns exit status 2.
pub fn usage_exit(e: UsageError) -> ExitCode {
    eprintln!("error: {}", e.0);
    ExitCode::from(2)
}

/// Parses the command line; on a mistake prints its first line and exits with 2.
/// `--help` and `--version` print in full and exit with 0.
pub fn parse<P: Parser>() -> P {
    P::try_parse().unwrap_or_else(|e| {
        if !e.use_stderr() {
            let _ = e.print();
            std::process::exit(0);
        }
        let text = e.to_string();
        let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("invalid arguments");
        eprintln!("{}", first.trim());
        std::process::exit(2);
    })
}

/// Checks a count of seconds given on the command line.
pub fn seconds(name: &str, secs: f64) -> Result<Duration, UsageError> {
    if !(secs.is_finite() && secs > 0.0 && secs <= MAX_SECS) {
        return Err(UsageError(format!("--{name} must be more than 0 and at most {MAX_SECS} seconds, got {secs}")));
    }
    Ok(Duration::from_secs_f64(secs))
}

impl CommonArgs {
    /// The workload, checked.
    pub fn workload(&self) -> Result<Workload, UsageError> {
        Ok(Workload::new(self.consumers, self.per_consumer)?)
    }

    /// The sample settings, checked.
    pub fn run_config(&self) -> Result<RunConfig, UsageError> {
        if !(1..=MAX_SAMPLES).contains(&self.samples) {
            return Err(UsageError(format!("--samples must be between 1 and {MAX_SAMPLES}, got {}", self.samples)));
        }
        if self.warmup > MAX_WARMUP {
            return Err(UsageError(format!("--warmup must be at most {MAX_WARMUP}, got {}", self.warmup)));
        }
        Ok(RunConfig {
            samples: self.samples as usize,
            warmup: self.warmup as usize,
            budget: seconds("budget", self.budget)?,
            sample_timeout: seconds("sample-timeout", self.sample_timeout)?,
            latency: self.latency,
        })
    }

    /// The variants asked for, in `--list` order; unknown names are refused.
    pub fn select<'v, C>(&self, all: &'v [Variant<C>]) -> Result<Vec<&'v Variant<C>>, UsageError> {
        for name in &self.variants {
            if !all.iter().any(|v| v.name == name) {
                let known: Vec<_> = all.iter().map(|v| v.name).collect();
                return Err(UsageError(format!("unknown variant '{name}'; known: {}", known.join(", "))));
            }
        }
        Ok(all.iter().filter(|v| self.variants.is_empty() || self.variants.iter().any(|n| n == v.name)).collect())
    }
}

/// Everything a runtime binary does after parsing: list, or run the chosen
/// variants and print their records. Exit status: 0 when every variant is
/// valid, 1 when one was not (or stdout went away), 2 for bad input.
pub fn main<C: Send + Sync + 'static>(args: &CommonArgs, runtime: Runtime<C>) -> ExitCode {
    if let Err(e) = Variant::check_names(runtime.variants) {
        return usage_exit(UsageError(format!("bug in {}: {e}", runtime.name)));
    }
    let mut out = std::io::stdout().lock();
    if args.list {
        let names: String = runtime.variants.iter().map(|v| format!("{}\n", v.name)).collect();
        return finish(out.write_all(names.as_bytes()).map(|()| true));
    }
    // Every input is checked before anything runs or is printed.
    let checked = args.select(runtime.variants).and_then(|v| Ok((v, args.workload()?, args.run_config()?)));
    match checked {
        Ok((variants, workload, cfg)) => finish(run(args.format, &runtime, &variants, workload, &cfg, &mut out)),
        Err(e) => usage_exit(e),
    }
}

/// Maps the run's outcome to an exit status; a closed stdout is not a panic.
fn finish(outcome: std::io::Result<bool>) -> ExitCode {
    match outcome {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => ExitCode::FAILURE,
        Err(e) => {
            eprintln!("error: cannot write the results: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run<C: Send + Sync + 'static>(
    format: Format,
    runtime: &Runtime<C>,
    variants: &[&Variant<C>],
    workload: Workload,
    cfg: &RunConfig,
    out: &mut impl Write,
) -> std::io::Result<bool> {
    let mut records: Vec<Record> = Vec::new();
    for (i, variant) in variants.iter().enumerate() {
        if format == Format::Table {
            eprintln!("[{}/{}] {} {} on {workload}", i + 1, variants.len(), runtime.name, variant.name);
        }
        let record = run_variant(runtime, variant, workload, cfg);
        if format == Format::Json {
            // One line per record, flushed at once so a reader (xtask) keeps
            // everything finished even if a later variant hangs.
            writeln!(out, "{}", serde_json::to_string(&record)?)?;
            out.flush()?;
        }
        records.push(record);
    }
    if format == Format::Table {
        write!(out, "{}", crate::table::render(&records))?;
    }
    Ok(records.iter().all(Record::is_ok))
}
