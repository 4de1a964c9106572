//! results.csv: one row per cell, every figure in plain units (ns, s, KiB)
//! for spreadsheets and scripts.

use crate::results::Results;
use anyhow::Result;
use dispenser_core::stats::Stats;

/// Column names, in order.
pub const COLUMNS: [&str; 34] = [
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
    "status",
    "samples",
    "median_ns",
    "iqr_ns",
    "mad_ns",
    "mean_ns",
    "min_ns",
    "max_ns",
    "ns_per_number",
    "work_share",
    "numbers_per_sec",
    "setup_median_ns",
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
    "error",
];

/// Renders every record as a CSV row, in run order.
pub fn render(results: &Results) -> Result<Vec<u8>> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(COLUMNS)?;
    for r in &results.records {
        // A cell that did not finish carries no figure: sorted in a
        // spreadsheet, a broken variant must never rank first.
        let ok = r.is_ok();
        let stats = Stats::compute(&r.dispense_ns, &r.setup_ns, r.workload.total()).filter(|_| ok);
        let stat = |f: fn(&Stats) -> f64| stats.as_ref().map(|s| f(s).to_string()).unwrap_or_default();
        let res = r.resources.as_ref().filter(|_| ok);
        let latency = r.latency.as_ref().filter(|_| ok);
        let opt = |v: Option<String>| v.unwrap_or_default();
        let row: [String; 34] = [
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
            r.status.as_str().into(),
            r.dispense_ns.len().to_string(),
            stat(|s| s.median_ns),
            stat(|s| s.iqr_ns),
            stat(|s| s.mad_ns),
            stat(|s| s.mean_ns),
            stat(|s| s.min_ns),
            stat(|s| s.max_ns),
            stat(|s| s.ns_per_number),
            opt(r.work_share().filter(|_| ok).map(|x| x.to_string())),
            stat(|s| s.numbers_per_sec),
            stat(|s| s.setup_median_ns),
            opt(res.map(|x| x.cpu_per_wall.to_string())),
            opt(res.map(|x| x.user_cpu_s.to_string())),
            opt(res.map(|x| x.system_cpu_s.to_string())),
            opt(res.map(|x| x.voluntary_switches.to_string())),
            opt(res.map(|x| x.involuntary_switches.to_string())),
            opt(res.map(|x| x.peak_rss_kib.to_string())),
            opt(latency.map(|l| l.p50_ns.to_string())),
            opt(latency.map(|l| l.p90_ns.to_string())),
            opt(latency.map(|l| l.p99_ns.to_string())),
            opt(latency.map(|l| l.p999_ns.to_string())),
            opt(latency.map(|l| l.max_ns.to_string())),
            opt(r.error.clone()),
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
    fn the_csv_reads_back_with_one_row_per_record() {
        let results = sample_results();
        let bytes = super::render(&results).unwrap();
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        assert_eq!(reader.headers().unwrap().iter().collect::<Vec<_>>(), super::COLUMNS);
        let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().unwrap();
        assert_eq!(rows.len(), results.records.len());
        assert!(rows.iter().all(|r| r.len() == super::COLUMNS.len()));
        let col = |name: &str| super::COLUMNS.iter().position(|c| *c == name).unwrap();
        let timeout = rows.iter().find(|r| &r[col("status")] == "timeout").unwrap();
        assert_eq!(&timeout[col("median_ns")], "");
        let atomic = rows.iter().find(|r| &r[col("variant")] == "atomic").unwrap();
        assert_eq!(atomic[col("median_ns")].parse::<f64>().unwrap(), 3_800_000.0);
        assert_eq!((&atomic[col("work_ns")], &atomic[col("cpus")], &atomic[col("work_share")]), ("0", "", ""));
    }
}
