//! Runs one child process under a deadline: its stdout lines and the tail of
//! its stderr are read on threads of their own (so a chatty child never
//! blocks on a full pipe), and it is killed at the deadline or on a stop.
//! xtask waits on the child with one blocking wait up to the deadline (no
//! polling while a cell runs); a stop kills the running child from the
//! signal thread through [`kill_running`], which ends that wait.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read};
use std::process::{Command, ExitStatus, Stdio};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, channel};
use std::time::{Duration, Instant};
use wait_timeout::ChildExt;

/// Lines of stderr kept for a failure's message.
pub const STDERR_TAIL: usize = 8;
/// The running children's process groups, each with the address of the
/// stop flag it runs under, for [`kill_running`]. A run has one child at a
/// time; tests running side by side each have their own flag.
static RUNNING: Mutex<Vec<(i32, usize)>> = Mutex::new(Vec::new());

fn running() -> std::sync::MutexGuard<'static, Vec<(i32, usize)>> {
    RUNNING.lock().unwrap_or_else(|e| e.into_inner())
}
/// How long to wait, once the process is gone, for the rest of its output.
/// Only a leftover grandchild holding the pipes open makes this matter.
const DRAIN: Duration = Duration::from_secs(2);

/// How the process ended.
#[derive(Debug)]
pub enum End {
    /// It exited (or was killed by a signal from elsewhere).
    Exited(ExitStatus),
    /// It ran past its deadline and was killed.
    TimedOut,
    /// The run was interrupted (Ctrl-C) and it was killed.
    Interrupted,
}

/// What a finished process left behind.
#[derive(Debug)]
pub struct Outcome {
    /// How it ended.
    pub end: End,
    /// Every line it printed on stdout.
    pub stdout: Vec<String>,
    /// Its last [`STDERR_TAIL`] stderr lines.
    pub stderr_tail: Vec<String>,
    /// Wall time from spawn to exit.
    pub elapsed: Duration,
}

/// Runs `cmd` until it exits, `timeout` passes, or `stop` is set.
pub fn run(mut cmd: Command, timeout: Duration, stop: &AtomicBool) -> std::io::Result<Outcome> {
    cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::piped());
    own_group_dying_with_parent(&mut cmd);
    let started = Instant::now();
    let mut child = cmd.spawn()?;
    let stdout = read_lines(child.stdout.take(), usize::MAX);
    let stderr = read_lines(child.stderr.take(), STDERR_TAIL);
    let deadline = started + timeout;
    let entry = (i32::try_from(child.id()).unwrap_or(0), std::ptr::from_ref(stop) as usize);
    running().push(entry);
    // A stop that came before the child was registered is seen here; one
    // that comes after kills the child through `kill_running`.
    let end = loop {
        if stop.load(Ordering::SeqCst) {
            kill(&mut child);
            break End::Interrupted;
        }
        let now = Instant::now();
        if now >= deadline {
            kill(&mut child);
            break End::TimedOut;
        }
        // Blocks until the child exits or the deadline passes (wait-timeout
        // sleeps on SIGCHLD, it does not poll).
        if let Some(status) = child.wait_timeout(deadline - now)? {
            if stop.load(Ordering::SeqCst) {
                break End::Interrupted;
            }
            break End::Exited(status);
        }
    };
    running().retain(|e| *e != entry);
    let elapsed = started.elapsed();
    let drained = Instant::now() + DRAIN;
    Ok(Outcome { end, stdout: collect(stdout, drained), stderr_tail: collect(stderr, drained), elapsed })
}

/// Kills the process group of every child running under `stop`: how a
/// stop (Ctrl-C, SIGTERM, SIGHUP) ends the blocking wait in [`run`]. Set
/// `stop` first, so a child that registers a moment later sees it.
pub fn kill_running(stop: &AtomicBool) {
    let key = std::ptr::from_ref(stop) as usize;
    for &(pid, _) in running().iter().filter(|(pid, k)| *k == key && *pid > 0) {
        // SAFETY: plain syscall on the child's own process group.
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
}

/// Kills the child and everything it started (its process group), then reaps it.
fn kill(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = libc::pid_t::try_from(child.id()) {
        // SAFETY: plain syscall; the group is the child's own (see `own_group_dying_with_parent`).
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    // Already gone is fine; reaping it keeps no zombie around.
    let _ = child.kill();
    let _ = child.wait();
}

/// Collects lines on a thread; keeps only the last `keep`.
fn read_lines(pipe: Option<impl Read + Send + 'static>, keep: usize) -> Option<Receiver<Vec<String>>> {
    let pipe = pipe?;
    let (tx, rx) = channel();
    std::thread::spawn(move || {
        let mut lines = VecDeque::new();
        let mut reader = BufReader::new(pipe);
        let mut buf = Vec::new();
        // Bytes, not `lines()`: a stray non-UTF-8 byte must not end the reading.
        while reader.read_until(b'\n', &mut buf).is_ok_and(|n| n > 0) {
            let line = String::from_utf8_lossy(&buf).trim_end_matches(['\n', '\r']).to_string();
            buf.clear();
            if lines.len() == keep {
                lines.pop_front();
            }
            lines.push_back(line);
        }
        let _ = tx.send(lines.into());
    });
    Some(rx)
}

/// The lines a reader collected, waiting no later than `until`.
fn collect(reader: Option<Receiver<Vec<String>>>, until: Instant) -> Vec<String> {
    let wait = until.saturating_duration_since(Instant::now());
    reader.and_then(|rx| rx.recv_timeout(wait).ok()).unwrap_or_default()
}

/// The child leads a process group of its own, so a timeout kills whatever
/// it started too. On Linux it is also killed if xtask itself dies (say
/// `kill -9`), so an abandoned 1000-thread benchmark never keeps a shared
/// machine busy.
#[cfg(target_os = "linux")]
fn own_group_dying_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
    // SAFETY: prctl is async-signal-safe and touches no memory of ours.
    unsafe {
        cmd.pre_exec(|| {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL) != 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

#[cfg(all(unix, not(target_os = "linux")))]
fn own_group_dying_with_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    cmd.process_group(0);
}

#[cfg(not(unix))]
fn own_group_dying_with_parent(_: &mut Command) {}

/// Describes an exit status for a message: `exit status 3`, `signal 11 (SIGSEGV)`.
pub fn describe(status: &ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(sig) = status.signal() {
            let name = match sig {
                libc::SIGSEGV => " (SIGSEGV)",
                libc::SIGABRT => " (SIGABRT)",
                libc::SIGKILL => " (SIGKILL)",
                libc::SIGBUS => " (SIGBUS)",
                libc::SIGINT => " (SIGINT)",
                libc::SIGTERM => " (SIGTERM)",
                _ => "",
            };
            return format!("killed by signal {sig}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("exit status {code}"),
        None => status.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        let mut cmd = Command::new("sh");
        cmd.args(["-c", script]);
        cmd
    }

    static NEVER: AtomicBool = AtomicBool::new(false);

    #[test]
    fn output_and_status_are_collected() {
        let script = "echo one; echo two; for i in 1 2 3 4 5 6 7 8 9 10; do echo err$i >&2; done; exit 3";
        let out = run(sh(script), Duration::from_secs(10), &NEVER).unwrap();
        assert!(matches!(&out.end, End::Exited(s) if s.code() == Some(3)));
        assert_eq!(out.stdout, ["one", "two"]);
        assert_eq!(out.stderr_tail.len(), STDERR_TAIL);
        assert_eq!(out.stderr_tail.last().map(String::as_str), Some("err10"));
    }

    /// What the children of these tests would sleep if nothing killed them:
    /// a wait that ends far sooner can only have been ended by a kill, on
    /// a loaded machine too.
    const FOREVER: &str = "sleep 600";
    /// An end far sooner than [`FOREVER`], yet beyond any scheduling delay.
    const SOON: Duration = Duration::from_secs(120);

    #[test]
    fn a_slow_process_is_killed_at_its_deadline() {
        // The deadline runs from the spawn: it leaves the shell seconds to
        // start and print, which a loaded machine may need.
        let out = run(sh(&format!("echo started; {FOREVER}")), Duration::from_secs(5), &NEVER).unwrap();
        assert!(matches!(out.end, End::TimedOut));
        assert!(out.elapsed < SOON, "{:?}", out.elapsed);
        assert_eq!(out.stdout, ["started"]);
    }

    #[test]
    fn the_stop_flag_kills_at_once() {
        let stop = AtomicBool::new(true);
        let out = run(sh(FOREVER), SOON, &stop).unwrap();
        assert!(matches!(out.end, End::Interrupted));
        assert!(out.elapsed < SOON);
    }

    /// Voluntary context switches of the calling thread so far.
    fn switches() -> i64 {
        // SAFETY: getrusage fills the struct it is given.
        let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
        unsafe { libc::getrusage(libc::RUSAGE_THREAD, &mut usage) };
        usage.ru_nvcsw
    }

    #[test]
    fn waiting_for_a_cell_does_not_poll() {
        let before = switches();
        let out = run(sh("sleep 3"), Duration::from_secs(60), &NEVER).unwrap();
        let woke = switches() - before;
        assert!(matches!(out.end, End::Exited(_)));
        // Polling every 50 ms would wake this thread about 60 times in three
        // seconds, every 100 ms 30 times. A blocking wait wakes a few times
        // (the spawn, the exit, the readers), and once more for each other
        // child of this test binary that exits meanwhile (wait-timeout
        // listens for SIGCHLD): the tests here start fewer than 20 in all.
        assert!(woke < 30, "the waiting thread woke {woke} times");
    }

    #[test]
    fn a_stop_kills_the_running_child_and_ends_the_wait() {
        let stop = std::sync::Arc::new(AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&stop);
        let killer = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            flag.store(true, Ordering::SeqCst);
            kill_running(&flag);
        });
        let out = run(sh(FOREVER), Duration::from_secs(1200), &stop).unwrap();
        killer.join().unwrap();
        assert!(matches!(out.end, End::Interrupted), "{:?}", out.end);
        assert!(out.elapsed < SOON);
    }

    #[test]
    fn a_signal_is_described() {
        let out = run(sh("kill -SEGV $$"), Duration::from_secs(10), &NEVER).unwrap();
        let End::Exited(status) = out.end else { panic!("{:?}", out.end) };
        assert_eq!(describe(&status), "killed by signal 11 (SIGSEGV)");
    }
}
