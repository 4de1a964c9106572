//! results.csv: one row per cell (all of its processes together), every
//! figure in plain units (ns, s, KiB) for spreadsheets and scripts, sorted
//! as the tables are: by workload (fewest consumers first), then by the
//! point estimate, cells that did not finish last in their workload. Each
//! ranked cell carries its rank range and its ratio to the workload's
//! fastest with that ratio's interval. The raw samples of every process
//! stay in results.json.

use crate::collate::{CellRecords, group_cells, sections};
use crate::results::Results;
use anyhow::Result;
use dispenser_core::evidence;
use dispenser_core::stats::Stats;

/// Column names, in order.
pub const COLUMNS: [&str; 57] = [
    "runtime",
    "flavor",
    "workers",
    "variant",
    "family",
    "primitive",
    "consumers",
    "per_consumer",
    "work_ns",
    "cpus",
    "load",
    "rate",
    "capacity",
    "status",
    "rank_lo",
    "rank_hi",
    "ratio_to_fastest",
    "ratio_ci95_lo",
    "ratio_ci95_hi",
    "processes",
    "samples",
    "time_ns",
    "ci95_lo_ns",
    "ci95_hi_ns",
    "within_process_spread",
    "between_process_spread",
    "unstable",
    "iqr_ns",
    "mad_ns",
    "mean_ns",
    "min_ns",
    "max_ns",
    "ns_per_number",
    "work_share",
    "numbers_per_sec",
    "setup_median_ns",
    "start_skew_median_ns",
    "start_skew_share",
    "cpu_per_wall",
    "user_cpu_s",
    "system_cpu_s",
    "voluntary_switches",
    "involuntary_switches",
    "peak_rss_kib",
    "latency_p50_ns",
    "latency_p90_ns",
    "latency_p99_ns",
    "latency_p999_ns",
    "latency_max_ns",
    "mean_run",
    "longest_run",
    "handoff_share",
    "finish_spread",
    "switches_per_number",
    "cpu_ns_per_number",
    "no_contention",
    "error",
];

/// A ranked cell's place: its rank range and its ratio to the fastest.
type Place = (evidence::Rank, evidence::Ratio);

/// Every cell of `results` with its place when ranked, sorted by workload,
/// then point estimate (unranked cells last, in the order they first ran).
fn ordered<'a>(results: &'a Results) -> Vec<(CellRecords<'a>, Option<Place>)> {
    let places: Vec<(String, Place)> = sections(results)
        .iter()
        .flat_map(|s| s.rows.iter().map(|r| (r.cell.key(), (r.rank, r.ratio))).collect::<Vec<_>>())
        .collect();
    let mut cells: Vec<(CellRecords, Option<Place>, Option<f64>)> = group_cells(&results.records)
        .into_iter()
        .map(|c| {
            let place = places.iter().find(|(k, _)| *k == c.key()).map(|(_, p)| *p);
            let point = place.and_then(|_| c.estimate()).map(|e| e.point);
            (c, place, point)
        })
        .collect();
    // Stable: unranked cells keep their run order after the ranked ones.
    cells.sort_by(|a, b| {
        let w = |c: &CellRecords| (c.first().workload.consumers, c.first().workload.per_consumer);
        w(&a.0).cmp(&w(&b.0)).then_with(|| match (a.2, b.2) {
            (Some(x), Some(y)) => x.total_cmp(&y),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        })
    });
    cells.into_iter().map(|(c, place, _)| (c, place)).collect()
}

/// Renders every cell as a CSV row, sorted as the tables are (see [`ordered`]).
pub fn render(results: &Results) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for (cell, place) in ordered(results) {
        let r = cell.first();
        // A cell with a process that did not finish carries no figure:
        // sorted in a spreadsheet, a broken variant must never rank first.
        let failure = cell.failure();
        let ok = failure.is_none();
        let stats = cell.stats().filter(|_| ok);
        let stat = |f: fn(&Stats) -> f64| stats.as_ref().map(|s| f(s).to_string()).unwrap_or_default();
        let estimate = cell.estimate().filter(|_| ok);
        let numbers = r.workload.total().max(1) as f64;
        let est = |f: fn(&evidence::Estimate) -> String| estimate.as_ref().map(f).unwrap_or_default();
        let res = cell.resources().filter(|_| ok);
        let opt = |v: Option<String>| v.unwrap_or_default();
        let lat = cell.latency().filter(|_| ok);
        let latency =
            |f: fn(&dispenser_core::latency::LatencyStats) -> u64| opt(lat.as_ref().map(|l| f(l).to_string()));
        let shown = failure.unwrap_or(r);
        let fair = cell.fairness().filter(|_| ok);
        let per_number = |v: Option<f64>| opt(v.filter(|_| ok).map(|x| x.to_string()));
        // How far apart the consumers started: the median over every
        // counted sample of every process (none for the baseline).
        let skew = dispenser_core::stats::median(
            cell.records.iter().flat_map(|r| r.start_skew_ns.iter().map(|&n| n as f64)).collect(),
        );
        let row: [String; 57] = [
            r.runtime.clone(),
            r.executor.flavor.clone(),
            opt(r.executor.workers.map(|w| w.to_string())),
            r.variant.clone(),
            r.family.as_str().into(),
            r.primitive.clone(),
            r.workload.consumers.to_string(),
            r.workload.per_consumer.to_string(),
            r.settings.work_ns.to_string(),
            opt(r.settings.cpus.map(|k| k.to_string())),
            r.settings.load.to_string(),
            opt(r.settings.rate.map(|k| k.to_string())),
            opt(r.settings.capacity.map(|k| k.to_string())),
            shown.status.as_str().into(),
            opt(place.map(|(rank, _)| rank.lo.to_string())),
            opt(place.map(|(rank, _)| rank.hi.to_string())),
            opt(place.map(|(_, ratio)| ratio.point.to_string())),
            opt(place.map(|(_, ratio)| ratio.interval.lo.to_string())),
            opt(place.map(|(_, ratio)| ratio.interval.hi.to_string())),
            cell.records.len().to_string(),
            cell.records.iter().map(|r| r.dispense_ns.len()).sum::<usize>().to_string(),
            est(|e| e.point.to_string()),
            est(|e| e.interval.lo.to_string()),
            est(|e| e.interval.hi.to_string()),
            est(|e| e.within.map(|w| w.to_string()).unwrap_or_default()),
            est(|e| e.between.to_string()),
            est(|e| e.unstable.to_string()),
            stat(|s| s.iqr_ns),
            stat(|s| s.mad_ns),
            stat(|s| s.mean_ns),
            stat(|s| s.min_ns),
            stat(|s| s.max_ns),
            opt(estimate.map(|e| (e.point / numbers).to_string())),
            opt(r.work_share().filter(|_| ok).map(|x| x.to_string())),
            opt(estimate.map(|e| (numbers * 1e9 / e.point).to_string())),
            stat(|s| s.setup_median_ns),
            opt(skew.filter(|_| ok).map(|x| x.to_string())),
            opt(skew.zip(estimate).filter(|_| ok).map(|(k, e)| (k / e.point).to_string())),
            opt(res.as_ref().map(|x| x.cpu_per_wall.to_string())),
            opt(res.as_ref().map(|x| x.user_cpu_s.to_string())),
            opt(res.as_ref().map(|x| x.system_cpu_s.to_string())),
            opt(res.as_ref().map(|x| x.voluntary_switches.to_string())),
            opt(res.as_ref().map(|x| x.involuntary_switches.to_string())),
            opt(res.as_ref().map(|x| x.peak_rss_kib.to_string())),
            latency(|l| l.p50_ns),
            latency(|l| l.p90_ns),
            latency(|l| l.p99_ns),
            latency(|l| l.p999_ns),
            latency(|l| l.max_ns),
            opt(fair.map(|f| f.mean_run.to_string())),
            opt(fair.map(|f| f.longest_run.to_string())),
            opt(fair.map(|f| f.handoff_share.to_string())),
            opt(fair.and_then(|f| f.finish_spread).map(|x| x.to_string())),
            per_number(cell.switches_per_number()),
            per_number(cell.cpu_ns_per_number()),
            opt(fair.map(|f| crate::cells::uncontended(Some(f), r).to_string())),
            opt(shown.error.clone()),
        ];
        w.write_record(&row)?;
    }
    Ok(w.into_inner()?)
}

/// The results.csv exporter.
pub struct Csv;

impl super::Exporter for Csv {
    fn file_name(&self) -> Option<&'static str> {
        Some("results.csv")
    }
    fn serialize(&self, results: &Results) -> Result<Vec<u8>> {
        render(results)
    }
}

#[cfg(test)]
mod tests {
    use crate::render::tests::sample_results;

    #[test]
    fn the_csv_reads_back_with_one_row_per_cell() {
        let results = sample_results();
        let bytes = super::render(&results).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), super::COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), results.records.len());
        assert!(rows.iter().all(|r| r.len() == super::COLUMNS.len()));
        let col = |name: &str| super::COLUMNS.iter().position(|c| *c == name).unwrap();
        let timeout = rows.iter().find(|r| &r[col("status")] == "timeout").unwrap();
        assert_eq!(&timeout[col("time_ns")], "");
        let atomic = rows.iter().find(|r| &r[col("variant")] == "atomic").unwrap();
        assert_eq!(atomic[col("time_ns")].parse::<f64>().unwrap(), 3_800_000.0);
        assert_eq!((&atomic[col("work_ns")], &atomic[col("cpus")], &atomic[col("work_share")]), ("0", "", ""));
        assert_eq!(&atomic[col("processes")], "1", "one process");
        assert_eq!((&atomic[col("rank_lo")], &atomic[col("rank_hi")]), ("2", "2"));
        let ratio: f64 = atomic[col("ratio_to_fastest")].parse().unwrap();
        let (lo, hi): (f64, f64) =
            (atomic[col("ratio_ci95_lo")].parse().unwrap(), atomic[col("ratio_ci95_hi")].parse().unwrap());
        assert!(lo < ratio && ratio < hi && (ratio - 3.8 / 1.45).abs() < 1e-9, "{ratio} [{lo}, {hi}]");
        assert_eq!((&timeout[col("rank_lo")], &timeout[col("ratio_to_fastest")]), ("", ""));
        // Sorted by workload, then point estimate; unranked cells last in theirs.
        let order: Vec<(String, String)> =
            rows.iter().map(|r| (r[col("consumers")].to_string(), r[col("variant")].to_string())).collect();
        let names: Vec<&str> = order.iter().map(|(_, v)| v.as_str()).collect();
        assert_eq!(
            names,
            [
                "single-thread",
                "atomic",
                "std-mutex",
                "oneshot-actor",
                "crossbeam-bounded",
                "flume-bounded",
                "atomic",
                "std-mpsc",
                "kanal-bounded"
            ]
        );
        assert!(order.iter().take(6).all(|(n, _)| n == "10") && order.iter().skip(6).all(|(n, _)| n == "1000"));
    }
}
