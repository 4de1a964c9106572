//! The command line every runtime binary shares, and the `main` it runs.

use crate::limits::{self, MAX_WORKERS};
use crate::record::Record;
use crate::runner::{RunConfig, Runtime, run_variant};
use crate::work::Work;
use crate::workload::available_parallelism;
use crate::{Variant, Workload};
use clap::{Args, Parser, ValueEnum};
use std::fmt::Display;
use std::io::Write;
use std::process::ExitCode;

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
    /// Print the variants and exit: a name per line, or with `--format json`
    /// a JSON object per line (name, family, primitive, capacity).
    #[arg(long)]
    pub list: bool,
    /// Also list and run the harness's faulty variants (a lost reply, a
    /// duplicated number): for the contract test, never for measuring.
    #[arg(long, hide = true)]
    pub faults: bool,
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
    /// Skip the primer: by default each variant first runs an untimed 1% of
    /// the workload on the same runtime, so its first sample is not cold.
    #[arg(long)]
    pub no_prime: bool,
    /// Seconds per variant after which no new counted sample starts (once --min-samples are in).
    #[arg(long, value_name = "SECS", default_value_t = 5.0)]
    pub budget: f64,
    /// Counted samples the budget never cuts below (at most --samples).
    #[arg(long, value_name = "M", default_value_t = 3)]
    pub min_samples: u64,
    /// A sample still running after this many seconds is reported as hung.
    #[arg(long, value_name = "SECS", default_value_t = 300.0)]
    pub sample_timeout: f64,
    /// Also take latency samples: every request timed into a histogram (p50..max).
    #[arg(long)]
    pub latency: bool,
    /// Busy work each consumer does after taking each number, ns (a
    /// calibrated spin, on the clock; at most 1 s).
    #[arg(long, value_name = "NS", default_value_t = 0)]
    pub work: u64,
    /// Spin steps that make up --work's NS, calibrated elsewhere (xtask
    /// passes one count to every process); skips this process's own
    /// calibration [default: calibrated here].
    #[arg(long, value_name = "N")]
    pub work_steps: Option<u64>,
    /// Print this machine's spin steps per ns (the --work calibration) and exit.
    #[arg(long = "print-work-rate", hide = true)]
    pub print_work_rate: bool,
    /// Pin the whole process (every thread, executor workers included) to
    /// the first K of the CPUs it may use [default: not pinned].
    #[arg(long, value_name = "K")]
    pub cpus: Option<u64>,
    /// Place threads on distinct CPUs of those the process may use (after
    /// --cpus), round robin when there are more threads than CPUs: the
    /// sample thread and the producer on the first, executor workers and
    /// consumer threads on the next ones [default: the OS places them].
    #[arg(long)]
    pub pin: bool,
    /// Open loop: offer this many numbers per second in all, each consumer on
    /// a fixed timetable, and time every request from when it was due
    /// (latency percentiles include queueing) [default: closed loop].
    #[arg(long, value_name = "R")]
    pub rate: Option<u64>,
    /// Capacity of the request channel of every bounded channel and actor
    /// variant (replies keep 1 slot) [default: N, one per consumer]. 0 is a
    /// rendezvous on crossbeam, flume, kanal and std's sync_channel; the
    /// crates without one (async-channel, tokio mpsc, postage, crossfire)
    /// take 1, their minimum. A variant with no bounded channel (unbounded,
    /// atomic, lock, baseline) refuses it.
    #[arg(long, value_name = "C")]
    pub capacity: Option<u64>,
    /// Busy threads competing for the cores while the samples run, in a
    /// separate process (see `dispenser_core::load`); 0: none.
    #[arg(long, value_name = "K", default_value_t = 0)]
    pub load: u64,
    /// Be a load process: spin K threads until stdin closes (started by `--load`).
    #[arg(long = "spin-for-load", value_name = "K", hide = true)]
    pub spin_for_load: Option<u64>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
}

/// `--workers K`, the option every async runtime binary adds to the shared ones.
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
            None => Ok(available_parallelism().min(MAX_WORKERS as usize)),
            Some(k) => Ok(limits::workers(k)?),
        }
    }
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
/// `--help` and `--version` print in full and exit with 0. A closed stdout
/// exits with 1 at once: Rust's stdout silently drops writes to a closed
/// descriptor, so the records would be lost with a success status.
pub fn parse<P: Parser>() -> P {
    if !stdout_is_open() {
        eprintln!("error: stdout is closed; the results would be lost");
        std::process::exit(1);
    }
    P::try_parse().unwrap_or_else(|e| {
        if !e.use_stderr() {
            let _ = e.print();
            std::process::exit(0);
        }
        eprintln!("{}", one_line(&e.to_string()));
        std::process::exit(2);
    })
}

/// clap's message folded into one line: the error with its details (the
/// arguments missing, the possible values, a similar flag's name), without
/// the usage or the pointer to `--help`. clap reads `-1` as an unknown flag,
/// and its tip (pass it after `--`) would mislead here, so that line says
/// instead that a negative number is not a valid value.
pub fn one_line(clap_message: &str) -> String {
    let details: Vec<&str> = clap_message
        .lines()
        .map(str::trim)
        .take_while(|l| !l.starts_with("Usage:") && !l.starts_with("For more information"))
        .filter(|l| !l.is_empty())
        .collect();
    let Some(first) = details.first() else { return "error: invalid arguments".into() };
    let negative = first
        .split("unexpected argument '-")
        .nth(1)
        .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit() || c == '.'));
    if negative {
        return format!("{first}: a negative number is not a valid value here");
    }
    details.join(" ")
}

/// What every runtime binary's `main` calls first: [`parse`], then, with
/// `--cpus K`, pins the process to K CPUs while the main thread is still
/// the only thread, so every thread started later (samples, consumers,
/// executor workers: runtimes are built after this returns) inherits the
/// mask (see [`crate::cpus`]). A K of 0 or more than the CPUs the process
/// may use exits with 2 and one line. With `--pin`, turns the thread
/// placement on (see [`crate::placement`]); off Linux that exits with 2.
pub fn parse_and_pin<P: Parser + AsRef<CommonArgs>>() -> P {
    let parsed: P = parse();
    // Asked by xtask, which calibrates --work once per run.
    if parsed.as_ref().print_work_rate {
        println!("{}", crate::work::steps_per_ns());
        std::process::exit(0);
    }
    // A load child only spins: it builds no runtime and runs no variant.
    if let Some(k) = parsed.as_ref().spin_for_load {
        match limits::load(k) {
            Ok(threads) => crate::load::run_child(threads),
            Err(e) => {
                eprintln!("error: {e}");
                std::process::exit(2);
            }
        }
    }
    if let Some(k) = parsed.as_ref().cpus
        && let Err(e) = crate::cpus::pin_first(k)
    {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    // After --cpus: the threads are placed within the CPUs it left.
    if parsed.as_ref().pin
        && let Err(e) = crate::placement::enable()
    {
        eprintln!("error: {e}");
        std::process::exit(2);
    }
    parsed
}

/// Defines the `Cli` of a runtime binary whose only options besides the
/// shared ones are `--workers K`: the doc comment given becomes its
/// `--help` text, and it gets [`common_args!`]. A binary with more options
/// (tokio's `--flavor`) writes its own struct.
#[macro_export]
macro_rules! workers_cli {
    ($(#[$doc:meta])*) => {
        $(#[$doc])*
        #[derive(clap::Parser)]
        #[command(version, about)]
        struct Cli {
            #[command(flatten)]
            common: $crate::cli::CommonArgs,
            #[command(flatten)]
            workers: $crate::cli::WorkerArgs,
        }
        $crate::common_args!(Cli);
    };
}

/// `impl AsRef<CommonArgs>` for a runtime binary's `Cli` whose shared
/// options are its `common` field, as [`parse_and_pin`] needs.
#[macro_export]
macro_rules! common_args {
    ($cli:ty) => {
        impl AsRef<$crate::cli::CommonArgs> for $cli {
            fn as_ref(&self) -> &$crate::cli::CommonArgs {
                &self.common
            }
        }
    };
}

/// False when stdout was closed when the process started. Rust's runtime
/// reopens a closed descriptor 1 on `/dev/null` read-write before `main`,
/// so every write would succeed and the records vanish; a shell's
/// `>/dev/null` opens it write-only, so a read-write `/dev/null` on 1 is the
/// closed case (and so is a descriptor that is not open at all).
#[cfg(unix)]
fn stdout_is_open() -> bool {
    // SAFETY: fcntl and fstat only read the descriptor's flags and status
    // into a struct we own; stat reads a constant path.
    unsafe {
        let flags = libc::fcntl(1, libc::F_GETFL);
        if flags == -1 {
            return false;
        }
        if flags & libc::O_ACCMODE != libc::O_RDWR {
            return true;
        }
        let (mut out, mut null): (libc::stat, libc::stat) = (std::mem::zeroed(), std::mem::zeroed());
        if libc::fstat(1, &mut out) != 0 || libc::stat(c"/dev/null".as_ptr(), &mut null) != 0 {
            return true;
        }
        let is_char_device = out.st_mode & libc::S_IFMT == libc::S_IFCHR;
        !(is_char_device && out.st_rdev == null.st_rdev)
    }
}

#[cfg(not(unix))]
fn stdout_is_open() -> bool {
    true
}

impl CommonArgs {
    /// The workload, checked.
    pub fn workload(&self) -> Result<Workload, UsageError> {
        Ok(Workload::new(self.consumers, self.per_consumer)?)
    }

    /// The sample settings, checked.
    pub fn run_config(&self) -> Result<RunConfig, UsageError> {
        Ok(RunConfig {
            samples: limits::samples(self.samples)?,
            min_samples: limits::min_samples(self.min_samples)?,
            warmup: limits::warmup(self.warmup)?,
            prime: !self.no_prime,
            budget: limits::seconds("budget", self.budget)?,
            sample_timeout: limits::seconds("sample-timeout", self.sample_timeout)?,
            latency: self.latency,
            work_ns: limits::work_ns(self.work)?,
            work_steps: crate::work::check_steps(self.work, self.work_steps).map_err(UsageError)?,
            cpus: self.pinned_cpus()?,
            pin: self.placed()?,
            load: limits::load(self.load)?,
            rate: self.rate.map(limits::rate).transpose()?,
            capacity: self.capacity.map(limits::capacity).transpose()?,
        })
    }

    /// How many CPUs the process is pinned to: `None` without `--cpus`.
    /// `--cpus` that was not applied is a bug in the binary, refused rather
    /// than recorded as if it had been.
    fn pinned_cpus(&self) -> Result<Option<usize>, UsageError> {
        match (self.cpus, crate::cpus::pinned()) {
            (None, _) => Ok(None),
            (Some(_), Some(cpus)) => Ok(Some(cpus.len())),
            (Some(_), None) => {
                Err(UsageError("bug: --cpus was not applied (main must call cli::parse_and_pin)".into()))
            }
        }
    }

    /// Whether threads are placed (`--pin`); refused, as for `--cpus`, when
    /// `--pin` was given but not applied.
    fn placed(&self) -> Result<bool, UsageError> {
        match (self.pin, crate::placement::enabled()) {
            (false, _) => Ok(false),
            (true, true) => Ok(true),
            (true, false) => Err(UsageError("bug: --pin was not applied (main must call cli::parse_and_pin)".into())),
        }
    }

    /// With `--capacity`, refuses a chosen variant that has no bounded
    /// request channel to apply it to, before anything runs.
    pub fn check_capacity<C>(&self, chosen: &[&Variant<C>]) -> Result<(), UsageError> {
        let Some(c) = self.capacity else { return Ok(()) };
        match chosen.iter().find(|v| v.capacity != Some(crate::Capacity::Bounded)) {
            Some(v) => Err(UsageError(format!(
                "--capacity {c}: variant {} has no bounded request channel ({}); choose bounded variants with --variant",
                v.name,
                match v.capacity {
                    Some(_) => "unbounded",
                    None => v.family.as_str(),
                }
            ))),
            None => Ok(()),
        }
    }

    /// The variants asked for, in `--list` order; unknown names are refused.
    pub fn select<'v, C>(&self, all: &[&'v Variant<C>]) -> Result<Vec<&'v Variant<C>>, UsageError> {
        for name in &self.variants {
            if !all.iter().any(|v| v.name == name) {
                let known: Vec<_> = all.iter().map(|v| v.name).collect();
                return Err(UsageError(format!("unknown variant '{name}'; known: {}", known.join(", "))));
            }
        }
        Ok(all
            .iter()
            .copied()
            .filter(|v| self.variants.is_empty() || self.variants.iter().any(|n| n == v.name))
            .collect())
    }
}

/// [`main`] for a runtime whose context could not be built from the
/// command line (say a worker count its executor refuses): exit status 2
/// and one line, as for any other bad input.
pub fn main_or_refuse<C: Send + Sync + 'static>(
    args: &CommonArgs,
    runtime: Result<Runtime<C>, UsageError>,
) -> ExitCode {
    match runtime {
        Ok(runtime) => main(args, runtime),
        Err(e) => usage_exit(e),
    }
}

/// Everything a runtime binary does after parsing: list, or run the chosen
/// variants and print their records. Exit status: 0 when every variant is
/// valid, 1 when one was not (or stdout went away), 2 for bad input.
pub fn main<C: Send + Sync + 'static>(args: &CommonArgs, runtime: Runtime<C>) -> ExitCode {
    let faults = if args.faults { runtime.faults } else { &[] };
    let all: Vec<&Variant<C>> = runtime.variants.iter().chain(faults).collect();
    if let Err(e) = Variant::check_names(all.iter().copied()) {
        return usage_exit(UsageError(format!("bug in {}: {e}", runtime.name)));
    }
    let mut out = std::io::stdout().lock();
    if args.list {
        return finish(list(args.format, &all, &mut out).map(|()| true));
    }
    // Every input is checked before anything runs or is printed.
    let checked = args.select(&all).and_then(|v| {
        let (workload, cfg) = (args.workload()?, args.run_config()?);
        args.check_capacity(&v)?;
        Ok((v, workload, cfg))
    });
    match checked {
        Ok((variants, workload, cfg)) => {
            // Running for every variant, warm-up and primer included; it
            // stops when `_load` drops, after the last record is written.
            let _load = match crate::load::Load::start(cfg.load) {
                Ok(load) => load,
                Err(e) => {
                    eprintln!("error: cannot start --load {}: {e}", cfg.load);
                    return ExitCode::FAILURE;
                }
            };
            crate::variant::set_request_capacity(cfg.capacity);
            finish(run(args.format, &runtime, &variants, workload, &cfg, &mut out))
        }
        Err(e) => usage_exit(e),
    }
}

/// Prints the variants: a name per line, or a [`crate::variant::Listing`]
/// as JSON per line.
fn list<C>(format: Format, variants: &[&Variant<C>], out: &mut impl Write) -> std::io::Result<()> {
    for v in variants {
        match format {
            Format::Table => writeln!(out, "{}", v.name)?,
            Format::Json => writeln!(out, "{}", serde_json::to_string(&v.listing())?)?,
        }
    }
    out.flush()
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
    // Calibrated once (unless --work-steps came), before the first sample
    // and outside every clock; the steps in force go into every record.
    let work = crate::work::install(Work::for_run(cfg.work_ns, cfg.work_steps));
    let cfg = &RunConfig { work_steps: (work.steps() > 0).then_some(work.steps()), ..cfg.clone() };
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

#[cfg(test)]
mod tests {
    use super::one_line;
    use clap::Parser;

    #[derive(Parser, Debug)]
    struct Probe {
        #[arg(long)]
        processes: Option<u32>,
        #[arg(long, value_parser = ["table", "json"])]
        format: Option<String>,
        #[arg(required = true)]
        runs: Vec<String>,
    }

    fn message(argv: &[&str]) -> String {
        let e = Probe::try_parse_from(std::iter::once("probe").chain(argv.iter().copied())).unwrap_err();
        one_line(&e.to_string())
    }

    #[test]
    fn clap_errors_fold_into_one_line_that_names_what_is_wrong() {
        let missing = message(&[]);
        assert!(missing.starts_with("error: the following required arguments were not provided:"), "{missing}");
        assert!(missing.contains("<RUNS>"), "{missing}");
        let value = message(&["a", "--format", "xml"]);
        assert!(value.contains("'xml'") && value.contains("[possible values: table, json]"), "{value}");
        let negative = message(&["a", "--processes", "-1"]);
        assert!(negative.ends_with("a negative number is not a valid value here"), "{negative}");
        assert!(!negative.contains("tip"), "{negative}");
        let typo = message(&["a", "--procesess", "3"]);
        assert!(typo.contains("tip: a similar argument exists: '--processes'"), "{typo}");
        let word = message(&["a", "--processes", "x"]);
        assert!(word.contains("invalid value 'x'"), "{word}");
        for line in [missing, value, negative, typo, word] {
            assert!(!line.contains('\n') && !line.contains("Usage") && !line.contains("--help"), "{line}");
        }
    }
}
