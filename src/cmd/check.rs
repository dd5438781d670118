//! `bidui check`: the monthly check.
//!
//! Takes validated [`CheckOptions`] (from the config file, or from the
//! `--wis/--household/--marriage/--birth` flags), loads every source, links
//! WIS with the other registers through the engine, classifies every
//! discrepancy of domain §6 and writes cases.csv, unassigned.csv (the cases
//! no village could be told for) and summary.json (counts by category and
//! by village) into the output folder (atomically, under a lock so two
//! runs never write one folder at once). Against the ledger
//! ([`crate::ledger::month`]) each case is new, persisting or overdue; a
//! case the village confirmed correct, its data unchanged, is not reported
//! again; the run and its cases are recorded in the same transaction as the
//! files are written, with the month-over-month trend in summary.json.
//! Prints a summary on standard error, or one JSON object on standard
//! output with `--json`. `--dry-run` loads and checks everything and
//! writes nothing.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;
use serde::Serialize;
use serde_json::json;
use std::time::Instant;

pub use crate::check::config::CheckOptions;
use crate::check::sources::SourceSpec;
use crate::classify::{Register, Registers, classify};
use crate::error::{Error, InputProblem, Location, Result};
use crate::exit::ExitCode;
use crate::ledger::month::{self, NewRun};
use crate::ledger::{CaseStatus, Ledger};
use crate::load::checksum::sha256_file;
use crate::load::{LoadOptions, SourceKind, load_register};
use crate::progress::{Progress, Timings};
use crate::report::cases as cases_file;

/// One source's table and the files it came from.
struct Source {
    kind: SourceKind,
    table: DataFrame,
    files: Vec<InputFile>,
}

/// An input file as summary.json lists it.
#[derive(Serialize)]
struct InputFile {
    source: SourceKind,
    file: String,
    records: usize,
    bytes: u64,
    sha256: String,
}

fn load_source(spec: &SourceSpec, options: &CheckOptions, progress: &Progress) -> Result<Source> {
    let load_options = spec.load_options(&LoadOptions::new(options.scope.as_of));
    let mut table: Option<DataFrame> = None;
    let mut files = Vec::new();
    for path in &spec.paths {
        progress.stage(&format!("读取 {}", path.display()));
        let (one, loaded) = load_register(path, &load_options)?;
        for l in &loaded {
            files.push(InputFile {
                source: spec.kind,
                file: shown(&l.file, &options.base),
                records: l.records,
                bytes: std::fs::metadata(&l.file).map(|m| m.len()).unwrap_or(0),
                sha256: sha256_file(&l.file)?,
            });
        }
        table = Some(match table {
            None => one,
            Some(mut t) => {
                t.vstack_mut(&one).map_err(|e| {
                    Error::input_because(
                        Location::file(path),
                        InputProblem::Damaged {
                            detail: "无法与同一来源的其他文件合并".into(),
                        },
                        e,
                    )
                })?;
                t
            }
        });
    }
    Ok(Source {
        kind: spec.kind,
        table: table.unwrap_or_default(),
        files,
    })
}

fn shown(file: &Path, base: &Path) -> String {
    file.strip_prefix(base)
        .unwrap_or(file)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A lock file in the output folder, removed when dropped.
struct Lock(PathBuf);

impl Lock {
    fn take(folder: &Path) -> Result<Lock> {
        let path = folder.join(".bidui-check.lock");
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&path)
        {
            Ok(mut f) => {
                let _ = writeln!(f, "{}", std::process::id());
                Ok(Lock(path))
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(Error::Write {
                target: folder.display().to_string(),
                source: std::io::Error::new(
                    e.kind(),
                    format!(
                        "另一个 bidui check 正在写这个文件夹（有锁文件 {}）；如确认没有其他运行，删除该文件后再试",
                        path.display()
                    ),
                ),
            }),
            Err(source) => Err(Error::Write {
                target: path.display().to_string(),
                source,
            }),
        }
    }
}

impl Drop for Lock {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

pub fn run(options: &CheckOptions, out: &mut dyn Write) -> Result<ExitCode> {
    let started = Instant::now();
    let mut timings = Timings::new();
    let progress = Progress::new(options.quiet);
    let mut sources = Vec::new();
    for spec in &options.sources {
        sources.push(load_source(spec, options, &progress)?);
        timings.lap(&format!("load_{}", spec.kind.key()));
    }
    let files: Vec<&InputFile> = sources.iter().flat_map(|s| &s.files).collect();
    let files = json!(files);
    let scope = json!({
        "as_of": options.scope.as_of,
        "women_min_age": options.scope.women_min_age,
        "women_max_age": options.scope.women_max_age,
        "marriages_from": options.scope.marriages_from,
        "births_from": options.scope.births_from,
    });
    if options.dry_run {
        progress.finish();
        let summary = json!({
            "dry_run": true,
            "config": options.config.as_ref().map(|c| c.display().to_string()),
            "output": options.output.display().to_string(),
            "period": options.period,
            "ledger": options.ledger.display().to_string(),
            "scope": scope,
            "files": files,
        });
        if options.json {
            print_json(out, &summary)?;
        } else if !options.quiet {
            eprintln!("bidui check（试运行，不写出任何文件）：");
            for s in &sources {
                for f in &s.files {
                    eprintln!("  {:<10} {}：{} 条", s.kind.key(), f.file, f.records);
                }
            }
            eprintln!(
                "  比对日期 {}；结果将写入 {}",
                options.scope.as_of,
                options.output.display()
            );
        }
        return Ok(ExitCode::Success);
    }
    std::fs::create_dir_all(&options.output).map_err(|source| Error::Write {
        target: options.output.display().to_string(),
        source,
    })?;
    let _lock = Lock::take(&options.output)?;

    progress.stage("整理记录");
    let mut wis = None;
    let mut others: BTreeMap<SourceKind, Register> = BTreeMap::new();
    for s in sources {
        let failed = |e| {
            Error::input_because(
                Location::default(),
                InputProblem::Damaged {
                    detail: format!("{}数据无法取出人员信息", s.kind.label()),
                },
                e,
            )
        };
        let register = Register::of(s.kind, &s.table, options.scope.as_of).map_err(failed)?;
        // The table goes here: a county's four tables are gigabytes.
        drop(s.table);
        if s.kind == SourceKind::Wis {
            wis = Some(register);
        } else {
            others.insert(s.kind, register);
        }
    }
    let registers = Registers {
        wis: wis.ok_or_else(|| Error::Usage("缺少 WIS 数据".into()))?,
        household: others.remove(&SourceKind::Household),
        marriage: others.remove(&SourceKind::Marriage),
        birth: others.remove(&SourceKind::Birth),
    };
    timings.lap("prepare");
    progress.stage("比对、分类中");
    let classified = classify(&registers, &options.scope, options.thresholds);
    timings.lap("link_and_classify");
    let mut rows = cases_file::rows(&registers, &classified, &options.base);

    // The ledger: what was answered before decides what is sent now. Its
    // transaction stays open while the files are written, so the run is
    // recorded if and only if they are.
    let mut ledger = Ledger::create_or_open(&options.ledger)?;
    let session = ledger.begin()?;
    let as_of = options.scope.as_of;
    let before = session.before(&options.period, as_of)?;
    let plan = month::plan(&before, &rows, as_of);
    let (county, county_name) = month::county_of(&rows);
    let previous = before.previous.as_ref().map(|p| p.period.clone());
    let trend = session.record_run(
        &NewRun {
            period: options.period.clone(),
            county,
            county_name,
            as_of,
            deadline: options.deadline,
            inputs: files.clone(),
        },
        previous.as_deref(),
        &rows,
        &plan,
    )?;
    for (r, s) in rows.iter_mut().zip(&plan.statuses) {
        r.status = *s;
    }
    rows.retain(|r| r.status != CaseStatus::Confirmed);
    let counts = plan.counts;
    timings.lap("ledger");

    let unassigned: Vec<cases_file::CaseRow> =
        rows.iter().filter(|r| r.unassigned()).cloned().collect();

    let cases_path = options.output.join("cases.csv");
    let unassigned_path = options.output.join("unassigned.csv");
    let summary_path = options.output.join("summary.json");
    progress.stage(&format!("写出 {}", cases_path.display()));
    cases_file::write_csv(&cases_path, &rows)?;
    cases_file::write_csv(&unassigned_path, &unassigned)?;
    timings.lap("write_cases");
    let mut by_category: BTreeMap<&str, usize> = crate::classify::Category::ALL
        .iter()
        .map(|c| (c.code(), 0))
        .collect();
    let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
    let mut by_village: BTreeMap<&str, serde_json::Map<String, serde_json::Value>> =
        BTreeMap::new();
    let mut village_counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for r in &rows {
        *by_category.entry(r.category.code()).or_default() += 1;
        if !r.unassigned() {
            by_village.entry(r.village_key()).or_insert_with(|| {
                let mut v = serde_json::Map::new();
                v.insert("village_code".into(), json!(r.village_code));
                v.insert("village".into(), json!(r.village));
                v
            });
            *village_counts
                .entry(r.village_key())
                .or_default()
                .entry(r.category.code())
                .or_default() += 1;
        }
        *by_source
            .entry(format!("{}:{}", r.category.code(), r.place.source.key()))
            .or_default() += 1;
    }
    let by_village: BTreeMap<&str, serde_json::Value> = by_village
        .into_iter()
        .map(|(k, mut v)| {
            let counts = &village_counts[k];
            v.insert("cases".into(), json!(counts.values().sum::<usize>()));
            v.insert("by_category".into(), json!(counts));
            (k, serde_json::Value::Object(v))
        })
        .collect();
    let checked: Vec<&str> = registers.all().map(|r| r.records.kind.key()).collect();
    let summary = json!({
        "config": options.config.as_ref().map(|c| c.display().to_string()),
        "scope": scope,
        "sources": checked,
        "files": files,
        "thresholds": { "link": options.thresholds.link, "review": options.thresholds.review },
        "links": classified.links,
        "cases": rows.len(),
        "by_category": by_category,
        "by_category_and_source": by_source,
        "by_village": by_village,
        "unassigned": unassigned.len(),
        "period": options.period,
        "deadline": options.deadline,
        "ledger": options.ledger.display().to_string(),
        "previous_period": previous,
        "status": {
            "new": counts.new,
            "persisting": counts.persisting,
            "overdue": counts.overdue,
            "resolved": counts.resolved,
        },
        "confirmed_not_sent": counts.confirmed,
        "trend": trend.iter().map(crate::cmd::status::trend_entry).collect::<Vec<_>>(),
        "outputs": {
            "cases": cases_path.display().to_string(),
            "unassigned": unassigned_path.display().to_string(),
            "summary": summary_path.display().to_string(),
        },
        "seconds": started.elapsed().as_secs_f64(),
        "timings": timings.json(),
        "classify_timings": classified.timings.json(),
    });
    cases_file::write_summary(&summary_path, &summary)?;
    session.commit()?;
    progress.finish();
    if options.json {
        print_json(out, &summary)?;
    } else if !options.quiet {
        let by_code: Vec<String> = by_category
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        eprintln!(
            "bidui check：{} 期共 {} 个需核实的问题（{}）；结果已写入 {}",
            options.period,
            rows.len(),
            if by_code.is_empty() {
                "无".to_string()
            } else {
                by_code.join("，")
            },
            options.output.display()
        );
        if let Some(p) = &previous {
            eprintln!(
                "  与 {p} 期相比：新发现 {}，上期仍在 {}，逾期未更正 {}，已解决 {}；已确认无误、不再下发 {}",
                counts.new, counts.persisting, counts.overdue, counts.resolved, counts.confirmed
            );
        }
    }
    if options.fail_on_cases && !rows.is_empty() {
        Ok(ExitCode::CasesFound)
    } else {
        Ok(ExitCode::Success)
    }
}

fn print_json(out: &mut dyn Write, value: &serde_json::Value) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::stdout(e.into()))?;
    writeln!(out).map_err(Error::stdout)?;
    out.flush().map_err(Error::stdout)
}
