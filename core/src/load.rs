//! Background load (`--load K`): K busy threads that compete for the cores
//! while a runtime process measures, as a busy service's other work would.
//! Primitives that spin before they park win on an idle machine and can
//! lose badly when the cores they spin on are wanted by someone else; the
//! load shows it.
//!
//! The spinners live in a child process (this same binary, started with a
//! hidden flag), not in the measuring process: the record's CPU time and
//! context switches come from `getrusage` of the measuring process, and
//! spinners inside it would be counted as the dispenser's own CPU. The
//! child inherits the process's CPU mask (`--cpus`), so it competes for the
//! same cores. It is started before the first sample (it reports when its
//! threads spin) and stopped after the last, so every sample, warm-up
//! included, runs under the same load; it ends when its stdin closes, so
//! it never outlives the process that started it, even one that was killed.

use std::hint::black_box;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The hidden flag that makes a runtime binary a load child.
pub const CHILD_FLAG: &str = "--spin-for-load";

/// The load child, running while this lives.
#[derive(Debug)]
pub struct Load {
    child: Option<Child>,
}

impl Load {
    /// No load.
    pub const NONE: Load = Load { child: None };

    /// Starts `threads` busy threads in a child process and returns once they
    /// spin; with 0, nothing.
    pub fn start(threads: usize) -> std::io::Result<Load> {
        if threads == 0 {
            return Ok(Load::NONE);
        }
        let mut child = Command::new(std::env::current_exe()?)
            .args([CHILD_FLAG, &threads.to_string()])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        // The child writes one line once every spinner runs.
        let mut ready = String::new();
        if let Some(out) = child.stdout.take() {
            BufReader::new(out).read_line(&mut ready)?;
        }
        if ready.trim() != "spinning" {
            let _ = child.kill();
            let _ = child.wait();
            return Err(std::io::Error::other("the load process did not start its threads"));
        }
        Ok(Load { child: Some(child) })
    }
}

impl Drop for Load {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            // Closing its stdin is the child's signal to stop.
            drop(child.stdin.take());
            let _ = child.wait();
        }
    }
}

/// What a load child does: spins `threads` threads until stdin closes, then
/// exits with 0.
pub fn run_child(threads: usize) -> ! {
    let stop = Arc::new(AtomicBool::new(false));
    let spinners: Vec<_> = (0..threads)
        .map(|_| {
            let stop = Arc::clone(&stop);
            std::thread::spawn(move || {
                let mut x = 1u64;
                while !stop.load(Ordering::Relaxed) {
                    // Dependent work the compiler cannot remove, with no
                    // memory traffic that would contend with the measured
                    // process beyond the cores themselves.
                    for _ in 0..1_000 {
                        x = black_box(x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1));
                    }
                }
                x
            })
        })
        .collect();
    let mut out = std::io::stdout();
    let _ = writeln!(out, "spinning");
    let _ = out.flush();
    // Blocks until the parent closes our stdin (or dies).
    let _ = std::io::stdin().read_to_end(&mut Vec::new());
    stop.store(true, Ordering::Relaxed);
    for s in spinners {
        let _ = s.join();
    }
    std::process::exit(0)
}
