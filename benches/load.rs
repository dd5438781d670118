//! Loading speed and memory: a 1,000,000-row GBK CSV and a 1,000,000-row
//! xlsx, each loaded, mapped and normalised into the canonical table.
//! `cargo bench --bench load` prints the figures for docs/performance.md.
//!
//! Targets (issue 3): CSV ≤ 5 s, xlsx ≤ 30 s, peak memory ≤ 2 GB each.
//! Each measurement runs in a child process of its own, so the peak memory
//! it reports (VmHWM) is the load's alone, not the generator's.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use bidui::identity::Date;
use bidui::load::{LoadOptions, SourceKind, load};

mod common;

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

fn id(region: &str, date: Date, seq: u64) -> String {
    let mut s = format!("{region}{}{:03}", date.compact(), seq % 1000);
    let sum: u32 = s
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    s.push(b"10X98765432"[(sum % 11) as usize] as char);
    s
}

/// A household-register row: the shape and mix of a real export.
fn row(i: u64) -> [String; 10] {
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵", "欧阳", "周"];
    let given = [
        "伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "艳",
    ];
    let h = i.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    let born = Date::from_days_since_epoch(-9_000 + (h % 18_000) as i64);
    let name = format!(
        "{}{}",
        surnames[(h >> 8) as usize % 10],
        given[(h >> 16) as usize % 12]
    );
    [
        id("370404", born, i),
        name,
        ["1", "2"][(h >> 24) as usize % 2].into(),
        "01".into(),
        born.to_string(),
        ["10", "20", "21初婚", "已婚"][(h >> 28) as usize % 4].into(),
        "02".into(),
        "0".into(),
        format!("{}村", (h >> 32) % 40 + 1),
        "榴园镇".into(),
    ]
}

const HEADER: [&str; 10] = [
    "GMSFHM", "XM", "XB", "MZ", "CSRQ", "HYZK", "YHZGX", "RYZT", "JCWH", "XZJD",
];

fn generate(dir: &Path, rows: u64) {
    std::fs::create_dir_all(dir).unwrap();
    let mut text = HEADER.join(",");
    text.push_str("\r\n");
    for i in 0..rows {
        text.push_str(&row(i).join(","));
        text.push_str("\r\n");
    }
    let (gbk, _, _) = encoding_rs::GBK.encode(&text);
    std::fs::write(dir.join("household.csv"), &gbk).unwrap();

    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet();
    for (j, h) in HEADER.iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    for i in 0..rows {
        for (j, cell) in row(i).iter().enumerate() {
            ws.write_string(i as u32 + 1, j as u16, cell).unwrap();
        }
    }
    wb.save(dir.join("household.xlsx")).unwrap();
}

/// Loads one file and prints `seconds records peak_kib`.
fn measure(file: &Path) {
    let start = Instant::now();
    let mut options = LoadOptions::new(Date::from_ymd(2026, 6, 30).unwrap());
    options.kind = Some(SourceKind::Household);
    let loaded = load(file, &options).expect("load");
    let secs = start.elapsed().as_secs_f64();
    let peak_kib = common::peak_kib() as u64;
    println!("{secs:.3} {} {peak_kib}", loaded.records);
    let steps: Vec<String> = loaded
        .timings
        .iter()
        .map(|(k, t)| format!("{k} {t:.2}"))
        .collect();
    eprintln!("{}", steps.join(", "));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.len() >= 4 && args[1] == "generate" {
        generate(Path::new(&args[2]), args[3].parse().unwrap());
        return;
    }
    if args.len() >= 3 && args[1] == "measure" {
        measure(Path::new(&args[2]));
        return;
    }
    // `cargo test --benches` runs this without --bench: keep that small.
    let rows: u64 = if args.iter().any(|a| a == "--bench") {
        1_000_000
    } else {
        2_000
    };
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("load-bench-{rows}"));
    let me = std::env::current_exe().unwrap();
    if !dir.join("household.xlsx").exists() {
        let t = Instant::now();
        let ok = Command::new(&me)
            .args(["generate", dir.to_str().unwrap(), &rows.to_string()])
            .status()
            .unwrap();
        assert!(ok.success(), "generating the bench files failed");
        eprintln!(
            "generated {rows} rows in {:.1} s",
            t.elapsed().as_secs_f64()
        );
    }
    println!(
        "load bench, {rows} household rows, {} threads",
        rayon::current_num_threads()
    );
    for (label, file, target) in [
        ("GBK CSV", "household.csv", 5.0),
        ("xlsx", "household.xlsx", 30.0),
    ] {
        let path = dir.join(file);
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let out = Command::new(&me)
            .args(["measure", path.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8_lossy(&out.stdout);
        let mut parts = text.split_whitespace();
        let secs: f64 = parts.next().unwrap().parse().unwrap();
        let records: u64 = parts.next().unwrap().parse().unwrap();
        let peak_mib = parts.next().unwrap().parse::<f64>().unwrap() / 1024.0;
        assert_eq!(records, rows);
        let steps = String::from_utf8_lossy(&out.stderr);
        println!(
            "  {label:<8} {:>7.1} MB file: {secs:>6.2} s (target ≤ {target} s), peak {peak_mib:>6.0} MiB (target ≤ 2048)\n           steps (s): {}",
            size as f64 / 1e6,
            steps.trim()
        );
    }
}
