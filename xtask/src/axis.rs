//! The settings a sweep varies (consumers, work per number, CPUs, background
//! load, offered rate), as axes the charts, tables and crossovers share. A
//! leaf: it reads records only.

use crate::results::Results;
use dispenser_core::Record;
use std::collections::BTreeSet;

/// What a chart puts along its x axis: one of the settings a sweep varies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Axis {
    /// Consumers of the cell (`--consumers`).
    Consumers,
    /// Busy work per number, ns (`--work`).
    Work,
    /// CPUs the process could use (`--cpus`; unpinned: the machine's).
    Cpus,
    /// Busy threads of background load (`--load`).
    Load,
    /// Offered numbers per second, open loop (`--rate`; closed loop: 0).
    Rate,
    /// Request channel capacity of the bounded channel variants
    /// (`--capacity`; the default, N per workload: [`DEFAULT_CAPACITY`]).
    Capacity,
}

/// [`Axis::Capacity`]'s value for a record without `--capacity`: not a
/// number of slots (the default is N, the workload's consumers), and the
/// same for every such record, so a sweep without `--capacity` does not
/// vary along the capacity axis.
pub const DEFAULT_CAPACITY: u64 = u64::MAX;

impl Axis {
    /// Every axis, in chart order.
    pub const ALL: [Axis; 6] = [Axis::Consumers, Axis::Work, Axis::Cpus, Axis::Load, Axis::Rate, Axis::Capacity];

    /// The record's value on this axis.
    pub fn of(self, r: &Record) -> u64 {
        match self {
            Axis::Consumers => r.workload.consumers as u64,
            Axis::Work => r.settings.work_ns,
            // Pinned, the process sees K cores; unpinned, the machine's.
            Axis::Cpus => r.host.logical_cores as u64,
            Axis::Load => r.settings.load as u64,
            Axis::Rate => r.settings.rate.unwrap_or(0),
            Axis::Capacity => r.settings.capacity.map_or(DEFAULT_CAPACITY, |c| c as u64),
        }
    }

    /// The axis's name under a chart.
    pub fn name(self) -> &'static str {
        match self {
            Axis::Consumers => "consumers",
            Axis::Work => "work per number, ns",
            Axis::Cpus => "CPUs",
            Axis::Load => "busy threads of load",
            Axis::Rate => "offered numbers per second",
            Axis::Capacity => "request channel capacity",
        }
    }

    /// Appended to a runtime's file stem: none for consumers (the files a
    /// sweep always wrote), `-work`, `-cpus`.
    pub fn suffix(self) -> &'static str {
        match self {
            Axis::Consumers => "",
            Axis::Work => "-work",
            Axis::Cpus => "-cpus",
            Axis::Load => "-load",
            Axis::Rate => "-rate",
            Axis::Capacity => "-capacity",
        }
    }

    /// A value as a table column or panel title: `4 cons.`, `1000 ns work`, `2 CPUs`.
    pub fn label(self, x: u64) -> String {
        match self {
            Axis::Consumers => format!("{x} cons."),
            Axis::Work => format!("{x} ns work"),
            Axis::Cpus => format!("{x} CPU{}", if x == 1 { "" } else { "s" }),
            Axis::Load => format!("load {x}"),
            Axis::Rate if x == 0 => "closed loop".into(),
            Axis::Rate => format!("{x}/s"),
            Axis::Capacity if x == DEFAULT_CAPACITY => "capacity N".into(),
            Axis::Capacity if x == 0 => "rendezvous".into(),
            Axis::Capacity => format!("capacity {x}"),
        }
    }

    /// The axes along which `results` vary, in chart order; consumers when
    /// none does, so a one-point sweep still has its chart.
    pub fn varied(results: &Results) -> Vec<Axis> {
        let records: Vec<&Record> = results.records.iter().filter(|r| r.variant != "*").collect();
        let varies = |a: Axis| records.iter().map(|r| a.of(r)).collect::<BTreeSet<_>>().len() > 1;
        let axes: Vec<Axis> = Axis::ALL.into_iter().filter(|&a| varies(a)).collect();
        if axes.is_empty() { vec![Axis::Consumers] } else { axes }
    }
}
