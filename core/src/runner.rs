//! The sample loop: warm-up samples, counted samples until the sample count
//! or the time budget is reached, optional latency samples; every sample run
//! under a deadline and validated outside the clock.

use crate::fairness::Fairness;
use crate::latency::{LatencyStats, new_histogram};
use crate::record::{Executor, Record, Settings, Status};
use crate::resources::Resources;
use crate::sample::nanos;
use crate::stats::Stats;
use crate::variant::RunFn;
use crate::{Mode, Sample, SampleError, Variant, Workload, validate};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

pub use crate::limits::MIN_SAMPLES;
/// Latency samples taken after the counted samples with `--latency`.
pub const LATENCY_SAMPLES: usize = 3;

/// How many samples to take and how long to wait for each.
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// Counted samples wanted.
    pub samples: usize,
    /// The budget never cuts the counted samples below this many (capped at `samples`).
    pub min_samples: usize,
    /// Warm-up samples, run and validated but not counted.
    pub warmup: usize,
    /// Run a primer before the first sample (see [`primer`]); `--no-prime` turns it off.
    pub prime: bool,
    /// No counted sample starts after this much time (once `min_samples` are in).
    pub budget: Duration,
    /// A sample still running after this long is reported as hung.
    pub sample_timeout: Duration,
    /// Take latency samples too.
    pub latency: bool,
    /// Busy work per number, ns: what the process installed (see
    /// [`crate::work`]), for the record.
    pub work_ns: u64,
    /// Spin steps per number (`--work-steps`, or what this process
    /// calibrated), for the record; `None` without work.
    pub work_steps: Option<u64>,
    /// CPUs the process is pinned to, for the record (see [`crate::cpus`]).
    pub cpus: Option<usize>,
    /// Threads placed on CPUs by rule (`--pin`, see [`crate::placement`]).
    pub pin: bool,
    /// Busy threads of background load while the samples run (see [`crate::load`]).
    pub load: usize,
    /// Open loop: numbers per second offered (see [`crate::latency::Scheduled`]).
    pub rate: Option<u64>,
    /// Request channel capacity of bounded variants (see [`crate::variant::set_request_capacity`]).
    pub capacity: Option<usize>,
}

/// A runtime: its name, executor, context and variants.
pub struct Runtime<C: 'static> {
    /// e.g. `sync`, `tokio`.
    pub name: &'static str,
    /// Executor details for the records.
    pub executor: Executor,
    /// What every sample runs on (e.g. the tokio runtime), built once per process.
    pub ctx: Arc<C>,
    /// The variants, in `--list` order.
    pub variants: &'static [Variant<C>],
    /// Variants that break on purpose (a lost reply, a duplicated number),
    /// listed only with the hidden `--faults` flag so the contract test can
    /// check that every runtime reports them `hung` and `invalid`.
    pub faults: &'static [Variant<C>],
}

impl<C> Runtime<C> {
    /// A runtime named `name` running on `ctx` (built once per process).
    pub fn new(
        name: &'static str,
        executor: Executor,
        ctx: C,
        variants: &'static [Variant<C>],
        faults: &'static [Variant<C>],
    ) -> Self {
        Runtime { name, executor, ctx: Arc::new(ctx), variants, faults }
    }
}

/// Runs one sample on a thread of its own so a hung sample can be abandoned.
pub fn run_sample<C: Send + Sync + 'static>(
    ctx: &Arc<C>,
    run: RunFn<C>,
    workload: Workload,
    mode: Mode,
    timeout: Duration,
) -> Result<Sample, SampleError> {
    let (tx, rx) = mpsc::channel();
    let ctx = Arc::clone(ctx);
    std::thread::Builder::new()
        .name(crate::placement::SAMPLE_THREAD.into())
        .spawn(move || {
            // With --pin, slot 0: this thread coordinates (and, for a
            // current-thread executor, runs the tasks); before any clock.
            let result = match crate::placement::pin_this_thread(0) {
                Ok(()) => catch_unwind(AssertUnwindSafe(|| run(&ctx, &workload, mode))),
                Err(e) => Ok(Err(SampleError::Placement(e.to_string()))),
            };
            // The receiver is gone only if the sample was already declared hung.
            let _ = tx.send(result);
        })
        .map_err(|e| SampleError::Spawn(e.to_string()))?;
    match rx.recv_timeout(timeout) {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => Err(SampleError::Panicked(panic_message(&*panic))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(SampleError::Hung { secs: timeout.as_secs_f64() }),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(SampleError::Panicked("sample thread vanished".into())),
    }
}

/// The text of a panic payload.
pub fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "non-string panic".into())
}

/// The primer's workload: the same consumers taking 1% of their numbers
/// (at least two each, or all T when T is 1: with one take each, a lost
/// reply ends the producer's loop and fails the primer at once, where the
/// sample would hang; two keep the failure the sample's own). Run once, untimed and uncounted, before the first
/// sample of a variant on the same runtime, so that sample is not the cold
/// one (first-touch code and data, idle cores clocked down, executor
/// workers not yet spinning): with few samples per process, a cold first
/// sample was a per-process mode. A whole warm-up sample costs as much as a
/// sample; this costs about 1% of one.
pub fn primer(workload: Workload) -> Workload {
    Workload {
        consumers: workload.consumers,
        per_consumer: (workload.per_consumer / 100).max(2).min(workload.per_consumer),
    }
}

/// Runs a sample and validates it outside the clock.
fn validated<C: Send + Sync + 'static>(
    ctx: &Arc<C>,
    variant: &Variant<C>,
    workload: Workload,
    mode: Mode,
    cfg: &RunConfig,
) -> Result<Sample, SampleError> {
    let sample = run_sample(ctx, variant.run, workload, mode, cfg.sample_timeout)?;
    validate(&workload, &sample.lists).map_err(SampleError::Invalid)?;
    Ok(sample)
}

/// Runs every sample of one variant on one workload and returns its record.
pub fn run_variant<C: Send + Sync + 'static>(
    runtime: &Runtime<C>,
    variant: &Variant<C>,
    workload: Workload,
    cfg: &RunConfig,
) -> Record {
    let settings = Settings {
        samples: cfg.samples,
        min_samples: cfg.min_samples,
        warmup: cfg.warmup,
        primed: cfg.prime,
        budget_s: cfg.budget.as_secs_f64(),
        latency: cfg.latency,
        work_ns: cfg.work_ns,
        work_steps: cfg.work_steps,
        cpus: cfg.cpus,
        pin: cfg.pin,
        placement: Vec::new(),
        load: cfg.load,
        rate: cfg.rate,
        capacity: cfg.capacity,
    };
    let mut record = Record::unmeasured(
        runtime.name.to_string(),
        runtime.executor.clone(),
        variant.name.to_string(),
        variant.family,
        variant.primitive.to_string(),
        workload,
        settings,
    );
    let mut fairness = Vec::new();
    let measured = measure(runtime, variant, workload, cfg, &mut record, &mut fairness);
    // Whatever placement the process got, even if this variant failed after it.
    record.settings.placement = crate::placement::placed().to_vec();
    if let Err(e) = measured {
        record.status = match &e {
            SampleError::Invalid(_) => Status::Invalid,
            SampleError::Hung { .. } => Status::Hung,
            _ => Status::Failed,
        };
        if let SampleError::Invalid(v) = &e {
            record.violation = Some(v.clone());
        }
        record.error = Some(e.to_string());
        // The raw samples taken before the failure stay in the record; a
        // variant that did not finish gets no summary, so nothing ranks it.
        record.clear_figures();
    } else {
        record.stats = Stats::compute(&record.dispense_ns, &record.setup_ns, workload.total());
        record.fairness = Fairness::median(&fairness);
        let numbers = workload.total().saturating_mul(record.dispense_ns.len() as u64);
        record.switches_per_number = record.resources.as_ref().and_then(|r| r.switches_per_number(numbers));
        record.cpu_ns_per_number = record.resources.as_ref().and_then(|r| r.cpu_ns_per_number(numbers));
    }
    record
}

fn measure<C: Send + Sync + 'static>(
    runtime: &Runtime<C>,
    variant: &Variant<C>,
    workload: Workload,
    cfg: &RunConfig,
    record: &mut Record,
    fairness: &mut Vec<Fairness>,
) -> Result<(), SampleError> {
    let ctx = &runtime.ctx;
    // Open loop: every sample follows the timetable and is timed per
    // request; its latencies are the record's.
    let mode = match cfg.rate {
        Some(rate) => {
            crate::latency::install_open_loop(workload.total(), rate);
            Mode::OpenLoop
        }
        None => Mode::Throughput,
    };
    let mut open_loop = new_histogram();
    if cfg.prime {
        // Closed loop whatever the mode: the timetable is the workload's.
        validated(ctx, variant, primer(workload), Mode::Throughput, cfg)?;
    }
    // With --pin, once per process: after the primer, which starts an
    // executor that starts lazily, and before the first sample.
    if cfg.pin {
        crate::placement::place_process().map_err(|e| SampleError::Placement(e.to_string()))?;
    }
    for _ in 0..cfg.warmup {
        validated(ctx, variant, workload, mode, cfg)?;
        record.validated_samples += 1;
    }
    let floor = cfg.min_samples.min(cfg.samples);
    let started = Instant::now();
    let mut resources = Resources::default();
    while record.dispense_ns.len() < cfg.samples && (record.dispense_ns.len() < floor || started.elapsed() < cfg.budget)
    {
        let sample = validated(ctx, variant, workload, mode, cfg)?;
        record.validated_samples += 1;
        if let Some(h) = &sample.latency {
            open_loop.add(h).expect("histograms share bounds");
            record.latency = Some(LatencyStats::from_histogram(&open_loop, record.dispense_ns.len() + 1));
        }
        // CPU and wall over the same span: the dispense clock.
        let (open, close) = sample.window;
        resources.add_span(open, close, sample.dispense);
        record.dispense_ns.push(nanos(sample.dispense));
        record.setup_ns.push(nanos(sample.setup));
        record.start_skew_ns.extend(sample.start_skew_ns);
        record.resources = Some(resources.clone());
        // Off the clock: the sample is validated, so its lists are a partition.
        fairness.extend(Fairness::measure(&sample.lists, sample.finish_offsets_ns.as_deref(), nanos(sample.dispense)));
    }
    if cfg.latency && cfg.rate.is_none() {
        let mut merged = new_histogram();
        for _ in 0..LATENCY_SAMPLES {
            let sample = validated(ctx, variant, workload, Mode::Latency, cfg)?;
            record.validated_samples += 1;
            if let Some(h) = sample.latency {
                merged.add(&h).expect("histograms share bounds");
            }
        }
        record.latency = Some(LatencyStats::from_histogram(&merged, LATENCY_SAMPLES));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Family, Stamp, Timeline};

    fn runtime(variants: &'static [Variant<()>]) -> Runtime<()> {
        Runtime {
            name: "test",
            executor: Executor { flavor: "threads".into(), workers: None },
            ctx: Arc::new(()),
            variants,
            faults: &[],
        }
    }

    fn cfg() -> RunConfig {
        RunConfig {
            samples: 4,
            min_samples: MIN_SAMPLES,
            warmup: 1,
            prime: false,
            budget: Duration::from_secs(5),
            sample_timeout: Duration::from_secs(2),
            latency: true,
            work_ns: 0,
            work_steps: None,
            cpus: None,
            pin: false,
            load: 0,
            rate: None,
            capacity: None,
        }
    }

    /// Deals numbers in blocks: a correct (if single-threaded) dispenser.
    fn blocks(_: &(), w: &Workload, _: Mode) -> Result<Sample, SampleError> {
        let mut t = Timeline::begin();
        t.open();
        let lists = (0..w.consumers as u64)
            .map(|i| (i * w.per_consumer as u64..(i + 1) * w.per_consumer as u64).collect())
            .collect();
        t.close(Some(Stamp::closing()));
        t.end(lists, Some(crate::latency::new_histogram()))
    }

    /// Deals numbers round robin, each consumer stamping its finish: what a
    /// channel round trip does by construction.
    fn round_robin(_: &(), w: &Workload, _: Mode) -> Result<Sample, SampleError> {
        let mut t = Timeline::begin();
        t.open();
        let n = w.consumers as u64;
        let consumed: Vec<crate::Consumed<crate::NoProbe>> = (0..n)
            .map(|i| crate::Consumed {
                numbers: (0..w.per_consumer as u64).map(|k| k * n + i).collect(),
                probe: crate::NoProbe,
                finished: Instant::now(),
                started: Instant::now(),
            })
            .collect();
        t.close(Some(Stamp::closing()));
        crate::collect(t, consumed)
    }

    /// Hands out one number twice.
    fn duplicating(c: &(), w: &Workload, m: Mode) -> Result<Sample, SampleError> {
        let mut s = blocks(c, w, m)?;
        s.lists[1][0] = s.lists[0][0];
        Ok(s)
    }

    /// Never finishes, like a round trip whose reply was lost.
    fn stuck(_: &(), _: &Workload, _: Mode) -> Result<Sample, SampleError> {
        loop {
            std::thread::park();
        }
    }

    fn panicking(_: &(), _: &Workload, _: Mode) -> Result<Sample, SampleError> {
        panic!("boom")
    }

    /// Valid on its first two samples, then duplicates a number.
    fn breaks_on_the_third(c: &(), w: &Workload, m: Mode) -> Result<Sample, SampleError> {
        static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        match CALLS.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
            0..2 => blocks(c, w, m),
            _ => duplicating(c, w, m),
        }
    }

    /// Forgets to stamp the end of the dispensing.
    fn unstamped(_: &(), w: &Workload, _: Mode) -> Result<Sample, SampleError> {
        let mut t = Timeline::begin();
        t.open();
        t.end(vec![Vec::new(); w.consumers], None)
    }

    static VARIANTS: &[Variant<()>] = &[
        Variant { name: "blocks", family: Family::Baseline, primitive: "-", capacity: None, run: blocks },
        Variant { name: "duplicating", family: Family::Baseline, primitive: "-", capacity: None, run: duplicating },
        Variant { name: "stuck", family: Family::Baseline, primitive: "-", capacity: None, run: stuck },
        Variant { name: "panicking", family: Family::Baseline, primitive: "-", capacity: None, run: panicking },
        Variant { name: "breaks", family: Family::Baseline, primitive: "-", capacity: None, run: breaks_on_the_third },
        Variant { name: "unstamped", family: Family::Baseline, primitive: "-", capacity: None, run: unstamped },
        Variant { name: "round-robin", family: Family::Channel, primitive: "-", capacity: None, run: round_robin },
    ];

    #[test]
    fn fairness_is_measured_per_record_outside_the_clock() {
        let w = Workload { consumers: 3, per_consumer: 5 };
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[6], w, &cfg());
        assert_eq!(r.status, Status::Ok, "{:?}", r.error);
        let f = r.fairness.unwrap();
        assert_eq!((f.mean_run, f.longest_run, f.handoff_share), (1.0, 1, 1.0), "round robin alternates");
        assert!(f.finish_spread.is_some_and(|s| (0.0..=1.0).contains(&s)), "{f:?}");
        assert!(r.switches_per_number.is_some() && r.cpu_ns_per_number.is_some());
        assert_eq!(r.start_skew_ns.len(), r.dispense_ns.len(), "a start skew per counted sample");
        // One thread filling the lists in turn: runs of T, no consumer stamps.
        let b = run_variant(&runtime(VARIANTS), &VARIANTS[0], w, &cfg()).fairness.unwrap();
        assert_eq!((b.mean_run, b.longest_run, b.finish_spread), (5.0, 5, None));
    }

    #[test]
    fn a_valid_variant_is_ok_with_every_sample_counted() {
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[0], Workload { consumers: 3, per_consumer: 5 }, &cfg());
        assert_eq!(r.status, Status::Ok, "{:?}", r.error);
        assert_eq!(r.dispense_ns.len(), 4);
        assert_eq!(r.setup_ns.len(), 4);
        assert!(r.start_skew_ns.is_empty(), "the baseline stamps no consumers");
        assert_eq!(r.validated_samples, 1 + 4 + LATENCY_SAMPLES);
        assert_eq!(r.stats.as_ref().unwrap().samples, 4);
        assert!(r.latency.is_some());
        let wall: u64 = r.dispense_ns.iter().sum();
        let resources = r.resources.unwrap();
        assert!((resources.wall_s - wall as f64 / 1e9).abs() < 1e-6, "CPU/wall is over the dispense clock");
    }

    #[test]
    fn a_variant_failing_midway_keeps_its_samples_but_gets_no_stats() {
        let mut c = cfg();
        c.warmup = 0;
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[4], Workload { consumers: 2, per_consumer: 3 }, &c);
        assert_eq!(r.status, Status::Invalid);
        assert_eq!(r.dispense_ns.len(), 2, "the samples taken before the failure are kept");
        assert_eq!(r.setup_ns.len(), 2);
        assert!(r.stats.is_none() && r.resources.is_none() && r.latency.is_none());
        assert!(r.fairness.is_none() && r.switches_per_number.is_none() && r.cpu_ns_per_number.is_none());
    }

    #[test]
    fn a_sample_without_stamps_fails_its_variant() {
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[5], Workload { consumers: 1, per_consumer: 1 }, &cfg());
        assert_eq!(r.status, Status::Failed);
        assert!(r.error.unwrap().contains("no closing stamp"));
        assert!(r.stats.is_none());
    }

    #[test]
    fn an_invalid_sample_is_reported_not_ranked() {
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[1], Workload { consumers: 2, per_consumer: 2 }, &cfg());
        assert_eq!(r.status, Status::Invalid);
        assert!(matches!(r.violation, Some(crate::Violation::Duplicate { .. })));
        assert!(r.dispense_ns.is_empty() && r.stats.is_none());
    }

    #[test]
    fn a_hung_sample_is_reported_within_its_deadline() {
        let mut c = cfg();
        c.sample_timeout = Duration::from_millis(200);
        let started = Instant::now();
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[2], Workload { consumers: 1, per_consumer: 1 }, &c);
        assert_eq!(r.status, Status::Hung);
        // The stuck sample never ends on its own: any end is the deadline's.
        // The bound only catches a deadline gone astray by minutes, and a
        // loaded machine never delays a wake-up that long.
        assert!(started.elapsed() < Duration::from_secs(120), "{:?}", started.elapsed());
    }

    #[test]
    fn a_panic_is_a_failure() {
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[3], Workload { consumers: 1, per_consumer: 1 }, &cfg());
        assert_eq!(r.status, Status::Failed);
        assert!(r.error.unwrap().contains("boom"));
    }

    /// Records the workload of every sample it runs.
    fn seen(c: &(), w: &Workload, m: Mode) -> Result<Sample, SampleError> {
        SEEN.lock().unwrap().push(*w);
        blocks(c, w, m)
    }
    static SEEN: std::sync::Mutex<Vec<Workload>> = std::sync::Mutex::new(Vec::new());

    #[test]
    fn the_primer_runs_first_on_a_sliver_of_the_workload_and_is_not_counted() {
        static V: &[Variant<()>] =
            &[Variant { name: "seen", family: Family::Baseline, primitive: "-", capacity: None, run: seen }];
        let w = Workload { consumers: 3, per_consumer: 250 };
        let r = run_variant(&runtime(V), &V[0], w, &RunConfig { prime: true, latency: false, ..cfg() });
        assert_eq!(r.status, Status::Ok, "{:?}", r.error);
        assert!(r.settings.primed);
        assert_eq!(r.validated_samples, 1 + 4, "the primer is not a sample");
        let seen = SEEN.lock().unwrap().clone();
        assert_eq!(seen[0], Workload { consumers: 3, per_consumer: 2 });
        assert_eq!(primer(Workload { consumers: 3, per_consumer: 100_000 }).per_consumer, 1_000);
        assert!(seen[1..].iter().all(|s| *s == w) && seen.len() == 1 + 1 + 4, "{seen:?}");
        assert_eq!(primer(Workload { consumers: 7, per_consumer: 5 }).per_consumer, 2, "at least two takes each");
        assert_eq!(primer(Workload { consumers: 7, per_consumer: 1 }).per_consumer, 1, "never more than T");
    }

    #[test]
    fn the_budget_stops_after_the_minimum() {
        let mut c = cfg();
        c.samples = 1000;
        c.budget = Duration::from_nanos(1);
        let r = run_variant(&runtime(VARIANTS), &VARIANTS[0], Workload { consumers: 1, per_consumer: 1 }, &c);
        assert_eq!(r.dispense_ns.len(), MIN_SAMPLES);
    }
}
