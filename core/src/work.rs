//! Busy work per number (`--work NS`): after taking each number a consumer
//! spins for about NS nanoseconds, on the dispense clock, the same for every
//! variant, so a report can show at how much work per number the choice of
//! dispenser stops mattering.
//!
//! The work is a chain of dependent multiply-adds, each passed through
//! [`std::hint::black_box`] so the compiler can neither remove nor fold it,
//! and it never reads a clock or sleeps: it costs CPU, as real work would.
//! How many steps make a nanosecond is calibrated once per process, before
//! the first sample and outside every clock ([`Work::calibrate`]), unless
//! the command line gives the step count (`--work-steps N`,
//! [`Work::with_steps`]): xtask calibrates once per run (it asks one
//! binary for [`steps_per_ns`]) and passes the same count to every process,
//! since each process calibrating at whatever clock frequency held at that
//! moment spun a different amount, a per-process mode. The binary installs
//! the result ([`install`]) and the harness's consumer loops read it once
//! per sample ([`per_number`]).
//!
//! It lives here rather than in the harness because the command line (in
//! this crate) must calibrate it before the first sample and record it; the
//! harness only calls [`Work::spin`].

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::Instant;

/// An amount of busy work per number, calibrated for this process.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Work {
    /// Nanoseconds asked for.
    ns: u64,
    /// Spin steps that take about `ns` on this machine.
    steps: u64,
}

impl Work {
    /// No work: [`Work::spin`] returns at once.
    pub const NONE: Work = Work { ns: 0, steps: 0 };

    /// About `ns` nanoseconds of work, calibrated on this machine (once per
    /// process, about 10 ms, on the first call with `ns > 0`).
    pub fn calibrate(ns: u64) -> Work {
        if ns == 0 {
            return Work::NONE;
        }
        Work::at_rate(ns, steps_per_ns())
    }

    /// About `ns` nanoseconds of work at `rate` spin steps per ns (what
    /// [`steps_per_ns`] measured, here or in another process).
    pub fn at_rate(ns: u64, rate: f64) -> Work {
        if ns == 0 {
            return Work::NONE;
        }
        // At least one step, so a tiny amount is never silently nothing.
        let steps = ((ns as f64) * rate).round().clamp(1.0, MAX_STEPS as f64);
        Work { ns, steps: steps as u64 }
    }

    /// `ns` nanoseconds of work as `steps` spin steps, calibrated elsewhere
    /// (`--work-steps`; see [`check_steps`]); no work when `ns` is 0.
    pub fn with_steps(ns: u64, steps: u64) -> Work {
        if ns == 0 { Work::NONE } else { Work { ns, steps } }
    }

    /// The work a run asked for: `steps` if given, else calibrated here.
    pub fn for_run(ns: u64, steps: Option<u64>) -> Work {
        match steps {
            Some(steps) => Work::with_steps(ns, steps),
            None => Work::calibrate(ns),
        }
    }

    /// The nanoseconds asked for.
    pub fn ns(self) -> u64 {
        self.ns
    }

    /// Does the work: [`Work::steps`] dependent steps.
    #[inline]
    pub fn spin(self) {
        if self.steps > 0 {
            spin(self.steps);
        }
    }

    /// The spin steps that make up the work.
    pub fn steps(self) -> u64 {
        self.steps
    }
}

/// The work installed for this process; the first [`install`] wins.
static INSTALLED: OnceLock<Work> = OnceLock::new();

/// Makes `work` the work every consumer does per number in this process,
/// and returns the work in force (an earlier installation wins: the
/// calibration must not change between samples).
pub fn install(work: Work) -> Work {
    *INSTALLED.get_or_init(|| work)
}

/// The work per number installed for this process ([`Work::NONE`] if none
/// was): what the harness's consumer loops read once per sample, outside
/// the clock.
pub fn per_number() -> Work {
    INSTALLED.get().copied().unwrap_or(Work::NONE)
}

/// `steps` dependent multiply-adds (a 64-bit LCG step). Each step goes
/// through `black_box`, so the optimiser cannot fold the loop into a
/// formula or drop it, and the dependency chain keeps the CPU from
/// overlapping steps: the cost per step is steady.
#[inline(never)]
fn spin(steps: u64) {
    let mut x: u64 = 1;
    for _ in 0..steps {
        x = black_box(x).wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
    }
    black_box(x);
}

/// Most spin steps per number `--work-steps` accepts: 1 s of work
/// (`--work`'s limit) at 64 steps per ns, far above any CPU's speed.
pub const MAX_STEPS: u64 = crate::limits::MAX_WORK_NS * 64;

/// Checks `--work-steps` against `--work`: 1 ..= [`MAX_STEPS`], and only with
/// some work asked for (steps of no work would be silently ignored).
pub fn check_steps(work_ns: u64, steps: Option<u64>) -> Result<Option<u64>, String> {
    match steps {
        None => Ok(None),
        Some(_) if work_ns == 0 => Err("--work-steps needs --work NS above 0".into()),
        Some(n) if n == 0 || n > MAX_STEPS => Err(format!("--work-steps must be 1 to {MAX_STEPS}, got {n}")),
        Some(n) => Ok(Some(n)),
    }
}

/// Spin steps per nanosecond on this machine, measured once per process
/// (about 10 ms); what the hidden `--print-work-rate` flag prints, for xtask
/// to calibrate once per run.
pub fn steps_per_ns() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(measure_rate)
}

/// Time one batch long enough for the clock (about 1 ms), then take the
/// fastest of several: noise (preemption, an interrupt) only ever adds time,
/// so the fastest batch is the machine's own speed. Under load the work then
/// still costs the same CPU, as real work would.
fn measure_rate() -> f64 {
    const BATCH_NS: f64 = 1_000_000.0;
    const ROUNDS: usize = 9;
    let time = |steps: u64| {
        let t = Instant::now();
        spin(steps);
        t.elapsed().as_nanos().max(1) as f64
    };
    // Warm up and size the batch: double until one batch takes ~1 ms.
    let mut steps: u64 = 1_000;
    while time(steps) < BATCH_NS && steps < 1 << 40 {
        steps *= 2;
    }
    let fastest = (0..ROUNDS).map(|_| time(steps)).fold(f64::INFINITY, f64::min);
    steps as f64 / fastest
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_work_is_no_steps_and_some_work_is_at_least_one() {
        assert_eq!(Work::calibrate(0), Work::NONE);
        assert_eq!(Work::calibrate(0).steps(), 0);
        assert!(Work::calibrate(1).steps() >= 1);
        let (small, large) = (Work::calibrate(1_000), Work::calibrate(100_000));
        assert_eq!(large.ns(), 100_000);
        // Proportional: the same rate for both.
        let ratio = large.steps() as f64 / small.steps() as f64;
        assert!((ratio - 100.0).abs() < 1.0, "{ratio}");
    }

    #[test]
    fn given_steps_skip_calibration_and_bad_ones_are_refused() {
        assert_eq!(Work::for_run(500, Some(1234)).steps(), 1234);
        assert_eq!(Work::for_run(0, Some(1234)), Work::NONE);
        assert_eq!(Work::at_rate(1_000, 2.5).steps(), 2_500);
        assert_eq!(Work::at_rate(1, 0.001).steps(), 1, "never silently nothing");
        assert_eq!(check_steps(500, Some(7)), Ok(Some(7)));
        assert_eq!(check_steps(0, None), Ok(None));
        for bad in [(0, Some(7)), (500, Some(0)), (500, Some(MAX_STEPS + 1))] {
            let e = check_steps(bad.0, bad.1).unwrap_err();
            assert!(e.starts_with("--work-steps") && !e.contains('\n'), "{e}");
        }
    }

    #[test]
    fn the_first_installation_wins() {
        let w = Work::calibrate(10);
        assert_eq!(install(w), w);
        assert_eq!(install(Work::calibrate(20)), w);
        assert_eq!(per_number(), w);
    }
}
