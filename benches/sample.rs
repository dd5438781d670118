//! How long a synthetic county takes: 1,000,000 people written as CSV into
//! a temporary folder, the wall time of making the county and of writing
//! it, and the sizes of the files. Run with `cargo bench --bench sample`
//! and copy the figures into docs/performance.md. Without `--bench` among
//! the arguments (`cargo test --benches`), 10,000 people, so it is quick.
//!
//! Target (issue 4): 1,000,000 people as CSV in at most 60 s.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Instant;

use bidui::identity::Date;
use bidui::sample::layout::Formats;
use bidui::sample::{Params, generate, output, write};

fn sizes(dir: &Path) -> BTreeMap<String, (usize, u64)> {
    let mut by_folder = BTreeMap::new();
    for folder in output::FOLDERS {
        let Ok(entries) = std::fs::read_dir(dir.join(folder)) else {
            continue;
        };
        for e in entries.flatten() {
            let len = e.metadata().map(|m| m.len()).unwrap_or(0);
            let slot = by_folder.entry(folder.to_string()).or_insert((0, 0));
            slot.0 += 1;
            slot.1 += len;
        }
    }
    by_folder
}

fn main() {
    let full = std::env::args().any(|a| a == "--bench");
    let people = if full { 1_000_000 } else { 10_000 };
    let dir = tempfile::tempdir().expect("a temporary folder");
    let out = dir.path().join("county");
    let params = Params {
        people,
        seed: 2026,
        as_of: Date::from_ymd(2026, 6, 30).expect("a real date"),
        formats: Formats::Csv,
    };
    let threads = rayon::current_num_threads();

    let start = Instant::now();
    let county = generate(&params);
    let generated = start.elapsed();
    output::prepare(&out, false).expect("the output folder");
    let written = write(&county, &out).expect("the files");
    let total = start.elapsed();

    println!("bidui sample: {people} people, CSV, {threads} threads");
    println!(
        "  generate (truth, registers, cases, links, noise)  {:>7.2} s",
        generated.as_secs_f64()
    );
    println!(
        "  write ({} files)                                  {:>7.2} s",
        written.len(),
        (total - generated).as_secs_f64()
    );
    println!(
        "  total                                             {:>7.2} s",
        total.as_secs_f64()
    );
    println!(
        "  records: wis {}, household {}, marriage {}, birth {}; cases {}, links {}, noise {}",
        county.registers.wis.len(),
        county.registers.household.len(),
        county.registers.marriage.len(),
        county.registers.birth.len(),
        county.cases.len(),
        county.links.len(),
        county.noise.len()
    );
    for (folder, (files, bytes)) in sizes(&out) {
        println!(
            "  {folder:<10} {files:>3} files {:>10.1} MB",
            bytes as f64 / 1e6
        );
    }
    if full && total.as_secs_f64() > 60.0 {
        println!("  SLOWER THAN THE TARGET OF 60 s");
    }
}
