//! Stopping a run early: Ctrl-C (SIGINT), SIGTERM and SIGHUP all end a run
//! the same way. The first one sets [`STOP`] and kills the running cell's
//! process group; the pipeline then keeps every finished cell, writes
//! results.json and the reports, and exits with 128 + the signal's number
//! (130, 143, 129), as a shell reports a process that signal stopped. A
//! second signal leaves at once: the journal already holds every finished
//! record.

use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
use signal_hook::iterator::Signals;
use std::sync::atomic::{AtomicBool, AtomicI32, Ordering};

/// Set by the first signal: the running cell is killed and the run wraps up.
pub static STOP: AtomicBool = AtomicBool::new(false);
/// The signal that set [`STOP`] (0 before any).
static SIGNAL: AtomicI32 = AtomicI32::new(0);

/// Exit status of an interrupted run: 128 + the signal's number, as a shell
/// reports it (130 for Ctrl-C, 143 for SIGTERM, 129 for SIGHUP).
pub fn exit_status() -> u8 {
    let sig = match SIGNAL.load(Ordering::SeqCst) {
        0 => SIGINT,
        s => s,
    };
    u8::try_from(128 + sig).unwrap_or(130)
}

/// True once a stop was asked for.
pub fn requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

/// Handles SIGINT, SIGTERM and SIGHUP on a thread of its own (so nothing
/// runs in signal context but signal-hook's self-pipe write).
pub fn install() {
    let mut signals = match Signals::new([SIGINT, SIGTERM, SIGHUP]) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("warning: Ctrl-C and SIGTERM will not stop cleanly: {e}");
            return;
        }
    };
    std::thread::spawn(move || {
        for sig in signals.forever() {
            if STOP.load(Ordering::SeqCst) {
                std::process::exit(128 + sig);
            }
            // The signal first, so whoever sees STOP also sees which signal it was.
            SIGNAL.store(sig, Ordering::SeqCst);
            STOP.store(true, Ordering::SeqCst);
            crate::process::kill_running(&STOP);
        }
    });
}
