//! What every dispenser-bench runtime shares.
//!
//! Nothing here needs an async runtime: xtask reads records with it, and the
//! runtime binaries run their samples through it. A runtime binary
//! (`sync-bench`, `tokio-bench`, ...) is a list of [`Variant`]s handed to
//! [`cli::main`]; the loops that dispense live in the `dispenser-harness`
//! crate. Here: the [`Workload`] and its [`limits`], [`validate()`], the
//! sample loop ([`runner`]), [`stats`], [`resources`], the serialized
//! [`Record`], the variant [`variant::Listing`], the command line, the busy
//! [`work`] per number, the CPU pinning ([`cpus`]) and the thread
//! [`placement`].

pub mod cli;
pub mod cpus;
pub mod evidence;
pub mod fairness;
pub mod latency;
pub mod limits;
pub mod load;
pub mod placement;
pub mod record;
pub mod resources;
pub mod runner;
pub mod sample;
pub mod stats;
pub mod table;
pub mod validate;
pub mod variant;
pub mod work;
pub mod workload;

pub use latency::{Latency, NoProbe, Probe, Scheduled};
pub use record::{Executor, Record, Status};
pub use sample::{Consumed, Sample, SampleError, Stamp, Timeline, collect, reserve_list};
pub use validate::{Violation, validate};
pub use variant::{Capacity, Family, Mode, Variant};
pub use workload::{Workload, WorkloadError};
