//! `bidui check`: the monthly check.
//!
//! Takes validated [`CheckOptions`] (from the config file, or from the
//! `--wis/--household/--marriage/--birth` flags), loads every source, links
//! WIS with the other registers through the engine, classifies every
//! discrepancy of domain §6 and writes the period's folder
//! (`<output>/<period>/`, whole or not at all, under a lock so two runs
//! never write one output folder at once): cases.csv, unassigned.csv (the
//! cases no village could be told for), one workbook per village in
//! `villages/`, summary.xlsx and summary.json. An existing period folder is
//! replaced only with `--force`. Against the ledger
//! ([`crate::ledger::month`]) each case is new, persisting or overdue; a
//! case a village confirmed correct, its data unchanged, is not sent again;
//! the run and its cases are recorded in one transaction committed with the
//! period folder, and summary.json and summary.xlsx show the trend month
//! over month. Prints a summary on standard error, or one JSON object on
//! standard output with `--json`. `--dry-run` loads and checks everything
//! and writes nothing, the ledger included.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use std::time::Instant;

use polars::prelude::DataFrame;
use serde_json::json;

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
use crate::report::period::{self, Staging};
use crate::report::summary_book::{self, InputFile};
use crate::report::{places, village};

/// One source's table and the files it came from (with their records and
/// data-quality counts).
struct Source {
    kind: SourceKind,
    table: DataFrame,
    files: Vec<InputFile>,
}

fn load_source(spec: &SourceSpec, options: &CheckOptions, progress: &Progress) -> Result<Source> {
    let kind = spec.kind;
    let load_options = spec.load_options(&LoadOptions::new(options.scope.as_of));
    let mut table: Option<DataFrame> = None;
    let mut files = Vec::new();
    for path in &spec.paths {
        progress.stage(&format!("读取 {}", path.display()));
        let (one, loaded) = load_register(path, &load_options)?;
        for l in loaded {
            files.push(InputFile {
                source: kind,
                file: shown(&l.file, &options.base),
                records: l.records,
                bytes: std::fs::metadata(&l.file).map(|m| m.len()).unwrap_or(0),
                sha256: sha256_file(&l.file)?,
                quality: l.quality,
                skipped: l.skipped,
                ragged_rows: l.ragged_rows,
                undecodable: l.undecodable,
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
        kind,
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
    // Refused before an hour of loading, not after.
    period::check_free(&options.output, &options.period, options.force)?;
    let mut sources = Vec::new();
    for spec in &options.sources {
        sources.push(load_source(spec, options, &progress)?);
        timings.lap(&format!("load_{}", spec.kind.key()));
    }
    let files: Vec<serde_json::Value> = sources
        .iter()
        .flat_map(|s| {
            s.files.iter().map(|f| {
                json!({
                    "source": s.kind,
                    "file": f.file,
                    "records": f.records,
                    "bytes": f.bytes,
                    "sha256": f.sha256,
                })
            })
        })
        .collect();
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
                options.output.join(&options.period).display()
            );
        }
        return Ok(ExitCode::Success);
    }
    std::fs::create_dir_all(&options.output).map_err(|source| Error::Write {
        target: options.output.display().to_string(),
        source,
    })?;
    let _lock = Lock::take(&options.output)?;
    let staging = Staging::begin(&options.output, &options.period, options.force)?;
    let mut input_files = Vec::new();

    progress.stage("整理记录");
    let mut wis = None;
    let mut others: BTreeMap<SourceKind, Register> = BTreeMap::new();
    for mut s in sources {
        input_files.append(&mut s.files);
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
    // transaction stays open while the folder is written and commits after
    // it, so the ledger records a run only when its files are there.
    let mut ledger = Ledger::create_or_open(&options.ledger)?;
    let session = ledger.begin()?;
    let as_of = options.scope.as_of;
    let before = session.before(&options.period, as_of)?;
    let plan = month::plan(&before, &rows, as_of);
    plan.apply(&mut rows);
    let (rows, confirmed): (Vec<_>, Vec<_>) = rows
        .into_iter()
        .partition(|r| r.status != CaseStatus::Confirmed);
    let places = places::places(&registers, &rows, options.county.as_deref());
    let previous = before.previous.as_ref().map(|p| p.period.clone());
    let trend = session.record_run(
        &NewRun {
            period: options.period.clone(),
            county: places.county_code.clone(),
            county_name: places.county_name.clone(),
            as_of,
            deadline: options.deadline,
            inputs: json!(files),
        },
        previous.as_deref(),
        &plan.counts,
        rows.iter().chain(&confirmed),
    )?;
    drop(confirmed);
    let counts_then = plan.counts;
    timings.lap("ledger");

    let unassigned: Vec<cases_file::CaseRow> =
        rows.iter().filter(|r| r.unassigned()).cloned().collect();

    let folder = staging.path().to_path_buf();
    let target = staging.target().to_path_buf();
    progress.stage(&format!("写出 {}", target.display()));
    cases_file::write_csv(&folder.join("cases.csv"), &rows)?;
    cases_file::write_csv(&folder.join("unassigned.csv"), &unassigned)?;
    timings.lap("write_cases");
    let run = village::Run {
        places: &places,
        period: &options.period,
        as_of: options.scope.as_of,
        deadline: options.deadline,
        mask_ids: options.mask_ids,
    };
    progress.stage("写出各村（居）核实表");
    let workbooks = village::write_villages(&folder.join("villages"), &run, &rows)?;
    timings.lap("write_village_workbooks");
    let counts = Counts::of(&rows);
    let checked: Vec<&str> = registers.all().map(|r| r.records.kind.key()).collect();
    let parameters = parameters(
        options,
        &places,
        &classified.links,
        &rows,
        &workbooks,
        &unassigned,
    );
    summary_book::write(
        &folder.join("summary.xlsx"),
        &summary_book::Summary {
            title: format!(
                "{} {} 期人口信息比对结果汇总（数据截至 {}）",
                places.county_label(),
                options.period,
                options.scope.as_of
            ),
            as_of: options.scope.as_of,
            places: &places,
            rows: &rows,
            workbooks: &workbooks,
            files: &input_files,
            parameters: &parameters,
            trend: &trend,
        },
    )?;
    timings.lap("write_summary_xlsx");
    let out_path = |name: &str| target.join(name).display().to_string();
    let summary = json!({
        "config": options.config.as_ref().map(|c| c.display().to_string()),
        "period": options.period,
        "county": { "code": places.county_code, "name": places.county_name },
        "deadline": options.deadline,
        "mask_ids": options.mask_ids,
        "scope": scope,
        "sources": checked,
        "files": files,
        "thresholds": { "link": options.thresholds.link, "review": options.thresholds.review },
        "links": classified.links,
        "cases": rows.len(),
        "by_category": counts.by_category,
        "by_category_and_source": counts.by_source,
        "by_village": counts.by_village(&places, &workbooks),
        "unassigned": unassigned.len(),
        "workbooks": workbooks.len(),
        "ledger": options.ledger.display().to_string(),
        "previous_period": previous,
        "status": {
            "new": counts_then.new,
            "persisting": counts_then.persisting,
            "overdue": counts_then.overdue,
            "resolved": counts_then.resolved,
        },
        "confirmed_not_sent": counts_then.confirmed,
        "trend": trend.iter().map(crate::cmd::status::trend_entry).collect::<Vec<_>>(),
        "outputs": {
            "folder": target.display().to_string(),
            "cases": out_path("cases.csv"),
            "unassigned": out_path("unassigned.csv"),
            "summary": out_path("summary.json"),
            "summary_xlsx": out_path("summary.xlsx"),
            "villages": out_path("villages"),
        },
        "seconds": started.elapsed().as_secs_f64(),
        "timings": timings.json(),
        "classify_timings": classified.timings.json(),
    });
    cases_file::write_summary(&folder.join("summary.json"), &summary)?;
    staging.commit()?;
    session.commit()?;
    let by_category = counts.by_category;
    progress.finish();
    if options.json {
        print_json(out, &summary)?;
    } else if !options.quiet {
        let counts: Vec<String> = by_category
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(c, n)| format!("{c} {n}"))
            .collect();
        eprintln!(
            "bidui check：共 {} 个需核实的问题（{}）；{} 个村（居）核实表和汇总已写入 {}",
            rows.len(),
            if counts.is_empty() {
                "无".to_string()
            } else {
                counts.join("，")
            },
            workbooks.len(),
            target.display()
        );
        if let Some(p) = &previous {
            let c = counts_then;
            eprintln!(
                "  与 {p} 期相比：新发现 {}，上期仍在 {}，逾期未更正 {}，已解决 {}；已确认无误、不再下发 {}",
                c.new, c.persisting, c.overdue, c.resolved, c.confirmed
            );
        }
    }
    if options.fail_on_cases && !rows.is_empty() {
        Ok(ExitCode::CasesFound)
    } else {
        Ok(ExitCode::Success)
    }
}

/// The counts summary.json gives.
struct Counts<'a> {
    by_category: BTreeMap<&'static str, usize>,
    by_source: BTreeMap<String, usize>,
    by_village: BTreeMap<&'a str, BTreeMap<&'static str, usize>>,
}

impl<'a> Counts<'a> {
    fn of(rows: &'a [cases_file::CaseRow]) -> Counts<'a> {
        let mut by_category: BTreeMap<&str, usize> = crate::classify::Category::ALL
            .iter()
            .map(|c| (c.code(), 0))
            .collect();
        let mut by_source: BTreeMap<String, usize> = BTreeMap::new();
        let mut by_village: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
        for r in rows {
            *by_category.entry(r.category.code()).or_default() += 1;
            if !r.unassigned() {
                *by_village
                    .entry(r.village_key())
                    .or_default()
                    .entry(r.category.code())
                    .or_default() += 1;
            }
            *by_source
                .entry(format!("{}:{}", r.category.code(), r.place.source.key()))
                .or_default() += 1;
        }
        Counts {
            by_category,
            by_source,
            by_village,
        }
    }

    /// Per village: its code, name, town, workbook, cases and categories.
    fn by_village(
        &self,
        places: &places::Places,
        workbooks: &[village::Written],
    ) -> BTreeMap<&'a str, serde_json::Value> {
        let files: BTreeMap<&str, &str> = workbooks
            .iter()
            .map(|w| (w.village.as_str(), w.file.as_str()))
            .collect();
        self.by_village
            .iter()
            .map(|(k, counts)| {
                let v = places.village(k);
                (
                    *k,
                    json!({
                        "village_code": v.map_or("", |v| v.code.as_str()),
                        "village": v.map_or(*k, |v| v.name.as_str()),
                        "town": v.map_or("", |v| v.town.as_str()),
                        "workbook": files.get(k).map(|f| format!("villages/{f}")),
                        "cases": counts.values().sum::<usize>(),
                        "by_category": counts,
                    }),
                )
            })
            .collect()
    }
}

/// The run's parameters for summary.xlsx, in the statistician's words.
fn parameters(
    options: &CheckOptions,
    places: &places::Places,
    links: &[crate::classify::LinkCount],
    rows: &[cases_file::CaseRow],
    workbooks: &[village::Written],
    unassigned: &[cases_file::CaseRow],
) -> Vec<(String, String)> {
    let scope = &options.scope;
    let sources: Vec<&str> = options.sources.iter().map(|s| s.kind.label()).collect();
    let mut p: Vec<(String, String)> = vec![
        (
            "县（市、区）".into(),
            if places.county_code.is_empty() {
                places.county_name.clone()
            } else {
                format!("{}（{}）", places.county_name, places.county_code)
            },
        ),
        ("比对期次".into(), options.period.clone()),
        ("比对日期（数据截至）".into(), scope.as_of.to_string()),
        ("村（居）交回期限".into(), options.deadline.to_string()),
        ("账本".into(), options.ledger.display().to_string()),
        (
            "配置文件".into(),
            options
                .config
                .as_ref()
                .map_or("（无，来源在命令行给出）".into(), |c| {
                    c.display().to_string()
                }),
        ),
        ("比对的数据".into(), sources.join("、")),
        (
            "H01 育龄妇女年龄".into(),
            format!("{}–{} 周岁", scope.women_min_age, scope.women_max_age),
        ),
        (
            "M01–M04 婚姻登记自".into(),
            scope.marriages_from.to_string(),
        ),
        ("B01–B04 出生自".into(), scope.births_from.to_string()),
        (
            "匹配阈值（比特）".into(),
            format!(
                "同一人 ≥ {}，待复核 ≥ {}",
                options.thresholds.link, options.thresholds.review
            ),
        ),
        (
            "村级核实表中的身份证号".into(),
            if options.mask_ids {
                "隐去中间位"
            } else {
                "完整"
            }
            .into(),
        ),
        ("需核实的问题".into(), format!("{} 条", rows.len())),
        ("村（居）核实表".into(), format!("{} 个", workbooks.len())),
        (
            "未能确定村（居）".into(),
            format!("{} 条", unassigned.len()),
        ),
    ];
    for l in links {
        p.push((
            format!("关联 {} — {}", l.left, l.right),
            format!(
                "候选 {} 对，同一人 {} 对，待复核 {} 对",
                l.candidates, l.links, l.review
            ),
        ));
    }
    p
}

fn print_json(out: &mut dyn Write, value: &serde_json::Value) -> Result<()> {
    serde_json::to_writer(&mut *out, value).map_err(|e| Error::stdout(e.into()))?;
    writeln!(out).map_err(Error::stdout)?;
    out.flush().map_err(Error::stdout)
}
