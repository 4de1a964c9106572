//! Minimal programs: the same workload as the suite (C consumers each take
//! T numbers from one shared dispenser, and keep them), written as plainly
//! as each primitive's documentation shows, with none of the harness: no
//! start line, no validation, no probes. The clock runs around spawning and
//! joining, so each figure is an upper bound on what the suite's clock
//! (dispensing alone) could honestly report for the same cell. When the
//! suite reports more than this, the harness adds the difference.
//!
//! `cargo run --release -p overhead -- --runs 9` prints, per program, the
//! median, min and max of the runs in ms and ns per number.

use clap::Parser;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Command line.
#[derive(Debug, Parser)]
#[command(about = "Minimal programs to check the harness's overhead against (docs/overhead.md)")]
struct Args {
    /// Consumers (tasks or threads).
    #[arg(long, default_value_t = 10)]
    consumers: usize,
    /// Numbers each consumer takes.
    #[arg(long, default_value_t = 100_000)]
    per_consumer: usize,
    /// Tokio worker threads.
    #[arg(long, default_value_t = 2)]
    workers: usize,
    /// Runs of each program (one runtime per program, reused by its runs).
    #[arg(long, default_value_t = 9)]
    runs: usize,
    /// Only this program (repeatable): tokio-mutex, async-channel-unbounded,
    /// tokio-mpsc-bounded, std-mutex.
    #[arg(long)]
    program: Vec<String>,
}

/// A program: (consumers, numbers per consumer, runtime) -> its time.
type Program = fn(usize, usize, &tokio::runtime::Runtime) -> Duration;

/// The programs, by the name of the suite's variant they mirror.
const PROGRAMS: [(&str, Program); 4] = [
    ("tokio-mutex", tokio_mutex),
    ("async-channel-unbounded", async_channel_unbounded),
    ("tokio-mpsc-bounded", tokio_mpsc_bounded),
    ("std-mutex", std_mutex),
];

fn main() -> std::process::ExitCode {
    let args = Args::parse();
    let bad = |what: &str| {
        eprintln!("error: {what}");
        std::process::ExitCode::from(2)
    };
    if args.consumers == 0 || args.per_consumer == 0 || args.workers == 0 || args.runs == 0 {
        return bad("--consumers, --per-consumer, --workers and --runs must be at least 1");
    }
    if let Some(p) = args.program.iter().find(|p| !PROGRAMS.iter().any(|(n, _)| n == p)) {
        return bad(&format!("unknown program {p}; known: {}", PROGRAMS.map(|(n, _)| n).join(", ")));
    }
    let total = (args.consumers * args.per_consumer) as f64;
    println!(
        "{} consumers x {} numbers, {} tokio workers, {} runs; clock around spawn and join",
        args.consumers, args.per_consumer, args.workers, args.runs
    );
    for (name, program) in PROGRAMS {
        if !args.program.is_empty() && !args.program.iter().any(|p| p == name) {
            continue;
        }
        let rt = tokio::runtime::Builder::new_multi_thread().worker_threads(args.workers).build().expect("a runtime");
        let mut ms: Vec<f64> =
            (0..args.runs).map(|_| program(args.consumers, args.per_consumer, &rt).as_secs_f64() * 1e3).collect();
        ms.sort_by(f64::total_cmp);
        let median = ms[ms.len() / 2];
        println!(
            "{name:<24} median {median:>9.2} ms  min {:>9.2}  max {:>9.2}  {:>8.1} ns/number",
            ms[0],
            ms[ms.len() - 1],
            median * 1e6 / total
        );
    }
    std::process::ExitCode::SUCCESS
}

/// Tasks lock a `tokio::sync::Mutex<u64>`, take the next number, unlock.
fn tokio_mutex(consumers: usize, per: usize, rt: &tokio::runtime::Runtime) -> Duration {
    rt.block_on(async {
        let counter = Arc::new(tokio::sync::Mutex::new(0u64));
        let start = Instant::now();
        let tasks: Vec<_> = (0..consumers)
            .map(|_| {
                let counter = Arc::clone(&counter);
                tokio::spawn(async move {
                    let mut got = Vec::with_capacity(per);
                    for _ in 0..per {
                        let n = {
                            let mut next = counter.lock().await;
                            *next += 1;
                            *next - 1
                        };
                        got.push(n);
                    }
                    got
                })
            })
            .collect();
        for t in tasks {
            std::hint::black_box(t.await.expect("a task"));
        }
        start.elapsed()
    })
}

/// Round trip on async-channel: a task owns the counter; consumer `i` sends
/// `i` on the shared unbounded request channel and awaits its reply channel.
fn async_channel_unbounded(consumers: usize, per: usize, rt: &tokio::runtime::Runtime) -> Duration {
    rt.block_on(async {
        let (req_tx, req_rx) = async_channel::unbounded::<usize>();
        let (reply_txs, reply_rxs): (Vec<_>, Vec<_>) = (0..consumers).map(|_| async_channel::unbounded()).unzip();
        let start = Instant::now();
        let total = consumers * per;
        let producer = tokio::spawn(async move {
            for next in 0..total as u64 {
                let i = req_rx.recv().await.expect("a request");
                reply_txs[i].send(next).await.expect("a consumer");
            }
        });
        let tasks: Vec<_> = reply_rxs
            .into_iter()
            .enumerate()
            .map(|(i, rx)| {
                let tx = req_tx.clone();
                tokio::spawn(async move {
                    let mut got = Vec::with_capacity(per);
                    for _ in 0..per {
                        tx.send(i).await.expect("the producer");
                        got.push(rx.recv().await.expect("a reply"));
                    }
                    got
                })
            })
            .collect();
        for t in tasks {
            std::hint::black_box(t.await.expect("a task"));
        }
        producer.await.expect("the producer");
        start.elapsed()
    })
}

/// Round trip on tokio's bounded mpsc: requests bounded to one per consumer,
/// replies to one slot.
fn tokio_mpsc_bounded(consumers: usize, per: usize, rt: &tokio::runtime::Runtime) -> Duration {
    rt.block_on(async {
        let (req_tx, mut req_rx) = tokio::sync::mpsc::channel::<usize>(consumers);
        let (reply_txs, reply_rxs): (Vec<_>, Vec<_>) = (0..consumers).map(|_| tokio::sync::mpsc::channel(1)).unzip();
        let start = Instant::now();
        let total = consumers * per;
        let producer = tokio::spawn(async move {
            for next in 0..total as u64 {
                let i = req_rx.recv().await.expect("a request");
                reply_txs[i].send(next).await.expect("a consumer");
            }
        });
        let tasks: Vec<_> = reply_rxs
            .into_iter()
            .enumerate()
            .map(|(i, mut rx)| {
                let tx = req_tx.clone();
                tokio::spawn(async move {
                    let mut got = Vec::with_capacity(per);
                    for _ in 0..per {
                        tx.send(i).await.expect("the producer");
                        got.push(rx.recv().await.expect("a reply"));
                    }
                    got
                })
            })
            .collect();
        for t in tasks {
            std::hint::black_box(t.await.expect("a task"));
        }
        producer.await.expect("the producer");
        start.elapsed()
    })
}

/// OS threads in a scope lock a `std::sync::Mutex<u64>`.
fn std_mutex(consumers: usize, per: usize, _rt: &tokio::runtime::Runtime) -> Duration {
    let counter = std::sync::Mutex::new(0u64);
    let start = Instant::now();
    std::thread::scope(|s| {
        let threads: Vec<_> = (0..consumers)
            .map(|_| {
                s.spawn(|| {
                    let mut got = Vec::with_capacity(per);
                    for _ in 0..per {
                        let n = {
                            let mut next = counter.lock().expect("not poisoned");
                            *next += 1;
                            *next - 1
                        };
                        got.push(n);
                    }
                    got
                })
            })
            .collect();
        for t in threads {
            std::hint::black_box(t.join().expect("a thread"));
        }
    });
    start.elapsed()
}
