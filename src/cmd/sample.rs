//! `bidui sample`: a synthetic county with known answers.
//!
//! Takes the number of people, the seed, the as-of date, the formats and
//! the output folder, and writes the county's four registers and its
//! `truth/` folder there (see [`crate::sample`]), then prints what it
//! wrote. Notes go to standard error, only on a terminal and never with
//! `--quiet`.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::identity::Date;
use crate::sample::classify::Category;
use crate::sample::layout::Formats;
use crate::sample::{self, Params, output};

/// Which file formats the registers are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleFormats {
    /// Each register as its real system writes it (GBK CSV, xlsx with title
    /// rows, BIFF xls, HTML-as-xls, UTF-8-with-BOM CSV).
    Mixed,
    Csv,
    Xlsx,
}

#[derive(Clone, Debug)]
pub struct SampleOptions {
    pub people: usize,
    pub seed: u64,
    pub out: PathBuf,
    pub formats: SampleFormats,
    /// The date the county is seen on (ages, scope years, "future" dates).
    pub as_of: Date,
    /// Replace an existing output folder.
    pub force: bool,
}

/// The smallest and largest counties the generator makes.
pub const MIN_PEOPLE: usize = 100;
pub const MAX_PEOPLE: usize = 3_000_000;

fn check(options: &SampleOptions) -> Result<()> {
    if !(MIN_PEOPLE..=MAX_PEOPLE).contains(&options.people) {
        return Err(Error::Usage(format!(
            "--people 须在 {MIN_PEOPLE} 到 {MAX_PEOPLE} 之间（一个县通常 30 万到 100 万人），实为 {}",
            options.people
        )));
    }
    let year = options.as_of.year();
    if !(2012..=2100).contains(&year) {
        return Err(Error::Usage(format!(
            "--as-of 须在 2012 年到 2100 年之间（出生证明从 2011 年起），实为 {}",
            options.as_of
        )));
    }
    Ok(())
}

fn note(quiet: bool, text: &str) {
    if !quiet && std::io::stderr().is_terminal() {
        eprintln!("{text}");
    }
}

pub fn run(options: &SampleOptions, out: &mut dyn Write, quiet: bool) -> Result<ExitCode> {
    check(options)?;
    output::prepare(&options.out, options.force)?;
    let started = Instant::now();
    let params = Params {
        people: options.people,
        seed: options.seed,
        as_of: options.as_of,
        formats: match options.formats {
            SampleFormats::Mixed => Formats::Mixed,
            SampleFormats::Csv => Formats::Csv,
            SampleFormats::Xlsx => Formats::Xlsx,
        },
    };
    note(
        quiet,
        &format!(
            "bidui sample：正在生成 {} 人的合成县（种子 {}）…",
            options.people, options.seed
        ),
    );
    let county = sample::generate(&params);
    note(quiet, "bidui sample：正在写出文件…");
    let written = sample::write(&county, &options.out)?;

    let mut text = String::new();
    text.push_str(&format!(
        "合成县：{}{}{}（{} 个乡镇、{} 个村居），{} 人，种子 {}，比对日期 {}\n",
        county.county.province,
        county.county.city,
        county.county.name,
        county.county.towns.len(),
        county.county.villages.len(),
        options.people,
        options.seed,
        options.as_of
    ));
    text.push_str(&format!("写入 {}：\n", options.out.display()));
    for w in &written {
        if w.records > 0 {
            text.push_str(&format!(
                "  {:<9} {}（{} 条，{} 字节）\n",
                w.source, w.path, w.records, w.bytes
            ));
        } else {
            text.push_str(&format!(
                "  {:<9} {}（{} 字节）\n",
                w.source, w.path, w.bytes
            ));
        }
    }
    let mut counts = String::new();
    for category in Category::ALL {
        let n = county
            .cases
            .iter()
            .filter(|c| c.category == category)
            .count();
        counts.push_str(&format!(" {} {n}", category.code()));
    }
    text.push_str(&format!(
        "真值：{} 个案例（{}），{} 对链接，{} 处仅需规范化的写法\n",
        county.cases.len(),
        counts.trim(),
        county.links.len(),
        county.noise.len()
    ));
    out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    out.flush().map_err(Error::stdout)?;
    note(
        quiet,
        &format!(
            "bidui sample：用时 {:.1} 秒",
            started.elapsed().as_secs_f64()
        ),
    );
    Ok(ExitCode::Success)
}
