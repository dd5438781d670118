//! The whole monthly check of a county: a synthetic county of 1,000,000
//! people as CSV, checked end to end through `bidui::cmd::check::run` (load
//! the four registers, link, classify, write), with the wall time of each
//! stage from summary.json, the peak memory, and per-category precision and
//! recall against the county's truth. `cargo bench --bench check` prints
//! the figures for docs/performance.md.
//!
//! Target (issue 6): ≤ 60 s wall and ≤ 4 GB peak on the project's 2-core
//! machine. The check runs in a child process so that its peak memory
//! (VmHWM) is its own and not the generator's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bidui::check::config::{Overrides, from_paths};
use bidui::load::SourceKind;

mod common;
use common::{as_of, generate, peak_kib};

/// Runs the check on a county folder into `out`; prints the wall time and
/// the peak memory on one line.
fn measure(dir: &Path, out: &Path) {
    let sources = SourceKind::ALL
        .iter()
        .map(|k| (*k, vec![dir.join(k.key())]))
        .collect();
    let overrides = Overrides {
        as_of: Some(as_of()),
        output: Some(out.to_path_buf()),
        ..Overrides::default()
    };
    let mut options = from_paths(sources, &overrides, as_of()).unwrap();
    options.quiet = true;
    // As `bidui::run` does for the command.
    bidui::keep_freed_memory();
    let start = Instant::now();
    bidui::cmd::check::run(&options, &mut std::io::sink()).expect("the check");
    println!(
        "{:.2} {:.0}",
        start.elapsed().as_secs_f64(),
        peak_kib() / 1024.0
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 4 && args[1] == "measure" {
        measure(Path::new(&args[2]), Path::new(&args[3]));
        return;
    }
    if args.len() >= 4 && args[1] == "generate" {
        generate(Path::new(&args[2]), args[3].parse().unwrap());
        return;
    }
    // `cargo test --benches` runs this too: a small county keeps that quick.
    let people: usize = if args.iter().any(|a| a == "--bench") {
        std::env::var("BIDUI_CHECK_PEOPLE")
            .ok()
            .and_then(|s| s.trim().parse().ok())
            .unwrap_or(1_000_000)
    } else {
        2_000
    };
    let me = std::env::current_exe().unwrap();
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let dir = tmp.join(format!("check-bench-{people}"));
    let out = tmp.join(format!("check-bench-{people}-out"));
    if !dir.join("truth/cases.csv").exists() {
        let start = Instant::now();
        let ok = Command::new(&me)
            .args(["generate", dir.to_str().unwrap(), &people.to_string()])
            .status()
            .unwrap();
        assert!(ok.success(), "generating the county failed");
        println!(
            "generated {people} people as CSV in {:.1} s",
            start.elapsed().as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&out);
    let run = Command::new(&me)
        .args(["measure", dir.to_str().unwrap(), out.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let text = String::from_utf8_lossy(&run.stdout);
    let f: Vec<&str> = text.split_whitespace().collect();
    // The period folder (issue 7) or the output folder itself.
    let summary_path = std::fs::read_dir(&out)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path().join("summary.json")))
        .find(|p| p.exists())
        .unwrap_or_else(|| out.join("summary.json"));
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&summary_path).unwrap()).unwrap();
    println!(
        "check bench: {people} people, {} threads",
        rayon::current_num_threads()
    );
    let records: Vec<String> = SourceKind::ALL
        .iter()
        .map(|k| {
            let n: u64 = summary["files"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["source"] == k.key())
                .map(|f| f["records"].as_u64().unwrap())
                .sum();
            format!("{} {n}", k.key())
        })
        .collect();
    println!("  records: {}", records.join(", "));
    println!(
        "  wall {} s, peak {} MiB, {} cases",
        f[0], f[1], summary["cases"]
    );
    let stages: Vec<String> = summary["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} {:.2}",
                t["stage"].as_str().unwrap(),
                t["seconds"].as_f64().unwrap()
            )
        })
        .collect();
    println!("  stages (s): {}", stages.join(", "));
    let links: Vec<String> = summary["links"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            format!(
                "{}↔{} {:.2}",
                l["left"].as_str().unwrap(),
                l["right"].as_str().unwrap(),
                l["seconds"].as_f64().unwrap()
            )
        })
        .collect();
    println!("  engine (s): {}", links.join(", "));
    let cases = summary_path.with_file_name("cases.csv");
    let report = bidui::sample::score::score_cases(&dir.join("truth"), &cases).unwrap();
    println!("  category  truth  reported  precision  recall");
    for s in report.categories.iter().chain([&report.total]) {
        let show = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or("—".into());
        println!(
            "  {:<8} {:>6} {:>9} {:>10} {:>7}",
            s.category,
            s.truth,
            s.reported,
            show(s.precision),
            show(s.recall)
        );
    }
}
