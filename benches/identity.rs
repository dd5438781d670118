//! Throughput of the identity core on one thread: ID clean + validate, and
//! name normalise + pinyin keys. Prints its figures; run with
//! `cargo bench --bench identity` and copy them into docs/performance.md.
//!
//! Targets (issue 2): ≥ 5,000,000 ID numbers/s and ≥ 1,000,000 names/s per core.

use std::hint::black_box;
use std::time::{Duration, Instant};

use bidui::identity::{Date, IdParser, normalize_name};

/// A small deterministic generator, so every run measures the same input.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

fn id_numbers(n: usize) -> Vec<String> {
    let regions = [
        "370404", "370402", "110101", "440301", "510104", "110103", "320102",
    ];
    let mut rng = Lcg(42);
    (0..n)
        .map(|i| {
            let region = regions[rng.below(regions.len() as u64) as usize];
            let date = Date::from_days_since_epoch(-9_000 + rng.below(18_000) as i64);
            let mut s = format!("{region}{}{:03}", date.compact(), rng.below(1000));
            let sum: u32 = s
                .bytes()
                .zip(WEIGHTS)
                .map(|(b, w)| u32::from(b - b'0') * w)
                .sum();
            s.push(b"10X98765432"[(sum % 11) as usize] as char);
            // The mix of a real export: mostly clean, some noise, some typos.
            match i % 20 {
                0 => s.replace('X', "x"),
                1 => format!("'{s}"),
                2 => s[..6].to_string() + &s[8..17],
                3 => {
                    let mut b = s.into_bytes();
                    b.swap(10, 11);
                    String::from_utf8(b).unwrap()
                }
                _ => s,
            }
        })
        .collect()
}

fn names(n: usize) -> Vec<String> {
    let surnames = [
        "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "欧阳", "單", "曾",
    ];
    let given = [
        "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰",
        "娟", "涛", "明", "超", "華",
    ];
    let mut rng = Lcg(7);
    (0..n)
        .map(|i| {
            let mut s = surnames[rng.below(surnames.len() as u64) as usize].to_string();
            for _ in 0..(1 + rng.below(2)) {
                s.push_str(given[rng.below(given.len() as u64) as usize]);
            }
            match i % 25 {
                0 => format!(" {s} "),
                1 => "阿依古丽•买买提".to_string(),
                2 => "之子".to_string(),
                _ => s,
            }
        })
        .collect()
}

/// Runs `f` over the inputs until at least `min` has passed; items per second.
fn throughput<T>(inputs: &[T], min: Duration, mut f: impl FnMut(&T)) -> f64 {
    for x in inputs.iter().take(10_000) {
        f(x); // warm the tables and the caches
    }
    let start = Instant::now();
    let mut done = 0usize;
    while start.elapsed() < min {
        for x in inputs {
            f(x);
        }
        done += inputs.len();
    }
    done as f64 / start.elapsed().as_secs_f64()
}

fn main() {
    // `cargo test --benches` runs this with --bench absent: keep that short.
    let quick = !std::env::args().any(|a| a == "--bench");
    let (count, min) = if quick {
        (10_000, Duration::from_millis(50))
    } else {
        (1_000_000, Duration::from_secs(3))
    };
    let parser = IdParser::new(Date::from_ymd(2026, 11, 23).unwrap());
    let ids = id_numbers(count);
    let id_rate = throughput(&ids, min, |s| {
        black_box(parser.parse(black_box(s)));
    });
    let names = names(count);
    let name_rate = throughput(&names, min, |s| {
        let n = normalize_name(black_box(s));
        black_box(n.pinyin_keys());
    });
    println!("identity bench, one thread, {count} distinct inputs each");
    println!(
        "  ID clean + validate:          {:>12.0} numbers/s (target ≥ 5,000,000)",
        id_rate
    );
    println!(
        "  name normalise + pinyin keys: {:>12.0} names/s   (target ≥ 1,000,000)",
        name_rate
    );
}
