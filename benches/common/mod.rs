//! What the county-scale benches share: the synthetic county's as-of date,
//! generating a county as CSV, and the process's peak memory. Each bench
//! includes it with `mod common;` (benches are separate crates).

#![allow(dead_code)]

use std::path::Path;

use bidui::cmd::sample::{SampleFormats, SampleOptions};
use bidui::identity::Date;

/// The day the sample counties are generated for.
pub fn as_of() -> Date {
    Date::from_ymd(2026, 6, 30).unwrap()
}

/// Writes a synthetic county of `people` as CSV (seed 7) into `dir`.
pub fn generate(dir: &Path, people: usize) {
    let options = SampleOptions {
        people,
        seed: 7,
        out: dir.to_path_buf(),
        formats: SampleFormats::Csv,
        as_of: as_of(),
        force: true,
    };
    bidui::cmd::sample::run(&options, &mut std::io::sink(), true).expect("generate the county");
}

/// The process's peak resident memory (VmHWM) in KiB; 0 where /proc has
/// no such line.
pub fn peak_kib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0.0)
}
