//! The engine at county scale: a synthetic county's WIS linked to its
//! household register, at 100,000, 300,000 and 1,000,000 people, with wall
//! time, peak memory and precision/recall against the county's truth.
//! `cargo bench --bench link` prints the figures for docs/performance.md.
//!
//! Target (issue 5): 1,000,000 × 1,000,000 in ≤ 20 s and ≤ 3 GB on the
//! project's 2-core machine. Each size runs in a child process of its own so
//! that its peak memory (VmHWM) is its own.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bidui::link::person::{Role, persons};
use bidui::link::{Band, LinkOptions, link};
use bidui::load::origin::Origins;
use bidui::load::{LoadOptions, SourceKind, load_register};

mod common;
use common::{as_of, generate, peak_kib};

/// (file name, sheet, row) of a record, as the truth names it.
type Key = (String, String, String);

fn key(o: &Origins, i: usize) -> Key {
    let name = Path::new(o.file(i))
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned();
    (name, o.sheet(i).to_string(), o.row(i).to_string())
}

fn truth(dir: &Path) -> HashSet<(Key, Key)> {
    let mut reader = csv::Reader::from_path(dir.join("truth/links.csv")).unwrap();
    let header = reader.headers().unwrap().clone();
    let at = |name: &str| {
        header
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}') == name)
            .unwrap()
    };
    let (ls, lf, lsh, lr, rs, rf, rsh, rr) = (
        at("left_source"),
        at("left_file"),
        at("left_sheet"),
        at("left_row"),
        at("right_source"),
        at("right_file"),
        at("right_sheet"),
        at("right_row"),
    );
    let base = |f: &str| {
        Path::new(f)
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned()
    };
    reader
        .records()
        .map(|r| r.unwrap())
        .filter(|r| &r[ls] == "wis" && &r[rs] == "household")
        .map(|r| {
            (
                (base(&r[lf]), r[lsh].to_string(), r[lr].to_string()),
                (base(&r[rf]), r[rsh].to_string(), r[rr].to_string()),
            )
        })
        .collect()
}

/// Loads, links and scores one county; prints one line of figures.
fn measure(dir: &Path) {
    let options = LoadOptions::new(as_of());
    let start = Instant::now();
    // As `bidui link` does: each table is let go once its persons are out.
    let side = |kind: SourceKind, folder: &str| {
        let mut options = options.clone();
        options.kind = Some(kind);
        let (table, _) = load_register(&dir.join(folder), &options).unwrap();
        (
            Origins::of(&table).unwrap(),
            persons(&table, Role::Person, as_of()).unwrap(),
        )
    };
    let (wis, left) = side(SourceKind::Wis, "wis");
    let (household, right) = side(SourceKind::Household, "household");
    let load_secs = start.elapsed().as_secs_f64();
    let start = Instant::now();
    let links = link(&left, &right, &LinkOptions::new(as_of()));
    let link_secs = start.elapsed().as_secs_f64();
    let peak_kib = peak_kib();
    let truth = truth(dir);
    let found: HashSet<(Key, Key)> = links
        .pairs
        .iter()
        .filter(|p| p.band == Band::Link)
        .map(|p| {
            (
                key(&wis, p.left as usize),
                key(&household, p.right as usize),
            )
        })
        .collect();
    let correct = found.intersection(&truth).count() as f64;
    let steps: Vec<String> = links
        .timings
        .iter()
        .map(|(k, t)| format!("{k} {t:.2}"))
        .collect();
    println!(
        "{} {} {load_secs:.2} {link_secs:.2} {:.0} {:.4} {:.4} {} | {}",
        left.len(),
        right.len(),
        peak_kib / 1024.0,
        correct / found.len().max(1) as f64,
        correct / truth.len().max(1) as f64,
        links.candidates,
        steps.join(", ")
    );
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 3 && args[1] == "measure" {
        measure(Path::new(&args[2]));
        return;
    }
    if args.len() >= 4 && args[1] == "generate" {
        generate(Path::new(&args[2]), args[3].parse().unwrap());
        return;
    }
    let sizes: Vec<usize> = if args.iter().any(|a| a == "--bench") {
        std::env::var("BIDUI_LINK_SIZES")
            .ok()
            .map(|s| s.split(',').filter_map(|n| n.trim().parse().ok()).collect())
            .unwrap_or_else(|| vec![100_000, 300_000, 1_000_000])
    } else {
        vec![2_000]
    };
    let me = std::env::current_exe().unwrap();
    println!(
        "link bench: WIS ↔ household, {} threads",
        rayon::current_num_threads()
    );
    println!(
        "  people   wis × household      load    link   peak MiB  precision  recall  candidates"
    );
    for people in sizes {
        let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("link-bench-{people}"));
        if !dir.join("truth/links.csv").exists() {
            let ok = Command::new(&me)
                .args(["generate", dir.to_str().unwrap(), &people.to_string()])
                .status()
                .unwrap();
            assert!(ok.success(), "generating the county failed");
        }
        let out = Command::new(&me)
            .args(["measure", dir.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let (figures, steps) = text.trim().split_once(" | ").unwrap_or((text.trim(), ""));
        let f: Vec<&str> = figures.split_whitespace().collect();
        println!(
            "  {people:>8} {:>8} × {:<8} {:>6} s {:>5} s {:>8} {:>10} {:>7} {:>11}\n           link steps (s): {steps}",
            f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7]
        );
    }
}
