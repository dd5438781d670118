//! `bidui import`: the villages' filled workbooks back into the ledger.
//!
//! Takes [`ImportOptions`] — workbook files and folders, the ledger — and
//! reads every workbook ([`crate::import`]), checks its rows against the
//! ledger ([`crate::import::validate`]) and stores the valid answers, all
//! in one transaction: an import killed midway leaves the ledger as it
//! was. Prints a line per workbook and every problem (file, sheet, row,
//! what) on standard error, or one JSON report on standard output with
//! `--json`. Exit 0 when every workbook imported cleanly, 3 when any was
//! refused or had rows with problems (the valid rows are imported all the
//! same). See docs/import.md.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::{Error, Location, Result};
use crate::exit::ExitCode;
use crate::import::validate::validate;
use crate::import::{Problem, Refusal, read_file};
use crate::ledger::Ledger;
use crate::ledger::answers::Stored;

/// The validated options of `bidui import`.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// Workbooks, or folders searched for them.
    pub paths: Vec<PathBuf>,
    pub ledger: PathBuf,
    pub json: bool,
    pub quiet: bool,
}

/// What became of one workbook.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileReport {
    pub file: String,
    /// `imported`, `imported_with_problems` or `refused`.
    pub status: &'static str,
    /// Why the whole workbook was refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refused: Option<String>,
    pub period: String,
    pub village_code: String,
    pub village: String,
    /// Answers stored for the first time.
    pub new: u64,
    /// Answers that replaced a different earlier answer.
    pub changed: u64,
    /// Answers already in the ledger as they are.
    pub unchanged: u64,
    /// Rows not answered yet.
    pub unanswered: u64,
    pub problems: Vec<Problem>,
    pub changes: Vec<Change>,
}

/// An answer that replaced an earlier one.
#[derive(Clone, Debug, Serialize)]
pub struct Change {
    pub case_id: String,
    pub sheet: String,
    pub row: u32,
    pub before: String,
    pub after: String,
}

/// Workbook-looking files: what a folder is searched for.
const EXTENSIONS: [&str; 4] = ["xlsx", "xlsm", "xls", "et"];

/// The workbooks to import, in a stable order: files as given, folders
/// searched (with their sub-folders) for workbooks, skipping Excel's `~$`
/// lock files and hidden files.
pub fn workbooks(paths: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for path in paths {
        let meta = std::fs::metadata(path).map_err(|source| Error::Read {
            location: Location::file(path),
            source,
        })?;
        if meta.is_dir() {
            let mut found = Vec::new();
            walk(path, &mut found)?;
            found.sort();
            out.extend(found);
        } else {
            out.push(path.clone());
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(format!(
            "在 {} 里没有找到工作簿（.xlsx）",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join("、")
        )));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Read {
        location: Location::file(dir),
        source,
    })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Read {
            location: Location::file(dir),
            source,
        })?;
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.starts_with('.') || name.starts_with("~$") {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
        {
            out.push(path);
        }
    }
    Ok(())
}

pub fn run(options: &ImportOptions, out: &mut dyn Write) -> Result<ExitCode> {
    let files = workbooks(&options.paths)?;
    let mut ledger = Ledger::open(&options.ledger)?;
    let session = ledger.begin()?;
    let mut reports = Vec::new();
    let mut written: u64 = 0;
    for path in &files {
        let shown = path.display().to_string();
        let mut report = FileReport {
            file: shown.clone(),
            ..FileReport::default()
        };
        let checked = match read_file(path) {
            Err(Refusal(why)) => Err(why),
            Ok(book) => {
                report.period = book.meta.period.clone();
                report.village_code = book.meta.village_code.clone();
                report.village = book.meta.village.clone();
                match validate(&session, &book, &shown)? {
                    Err(Refusal(why)) => Err(why),
                    Ok(mut checked) => {
                        let mut problems = book.problems;
                        problems.append(&mut checked.problems);
                        checked.problems = problems;
                        Ok(checked)
                    }
                }
            }
        };
        match checked {
            Err(why) => {
                report.status = "refused";
                report.refused = Some(why);
            }
            Ok(checked) => {
                report.unanswered = checked.unanswered as u64;
                for a in &checked.answers {
                    match session.store_answer(a)? {
                        Stored::New => report.new += 1,
                        Stored::Unchanged => report.unchanged += 1,
                        Stored::Changed { before } => {
                            report.changed += 1;
                            report.changes.push(Change {
                                case_id: a.case_id.clone(),
                                sheet: a.sheet.clone(),
                                row: a.row,
                                before,
                                after: a.answer.text().to_string(),
                            });
                        }
                    }
                    written += 1;
                    crate::failpoint::hit("import-after-rows", written);
                }
                report.problems = checked.problems;
                report.status = if report.problems.is_empty() {
                    "imported"
                } else {
                    "imported_with_problems"
                };
            }
        }
        if !options.json {
            print_file(&report, options.quiet);
        }
        reports.push(report);
    }
    session.commit()?;
    let total = |f: fn(&FileReport) -> u64| reports.iter().map(f).sum::<u64>();
    let refused = reports.iter().filter(|r| r.status == "refused").count();
    let problems = total(|r| r.problems.len() as u64);
    let totals = serde_json::json!({
        "files": reports.len(),
        "refused": refused,
        "new": total(|r| r.new),
        "changed": total(|r| r.changed),
        "unchanged": total(|r| r.unchanged),
        "unanswered": total(|r| r.unanswered),
        "problems": problems,
    });
    if options.json {
        let report = serde_json::json!({
            "ledger": options.ledger.display().to_string(),
            "files": reports,
            "totals": totals,
        });
        serde_json::to_writer(&mut *out, &report).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
        out.flush().map_err(Error::stdout)?;
    } else if !options.quiet {
        eprintln!(
            "bidui import：{} 个工作簿，新答复 {}，更改 {}，未变 {}，未答复 {}；{}{}已记入账本 {}",
            reports.len(),
            totals["new"],
            totals["changed"],
            totals["unchanged"],
            totals["unanswered"],
            if refused > 0 {
                format!("{refused} 个工作簿被拒绝，")
            } else {
                String::new()
            },
            if problems > 0 {
                format!("{problems} 处问题未导入，")
            } else {
                String::new()
            },
            options.ledger.display()
        );
    }
    if refused > 0 || problems > 0 {
        Ok(ExitCode::Input)
    } else {
        Ok(ExitCode::Success)
    }
}

/// One workbook's line, and its problems, on standard error. Refusals and
/// problems show even with `--quiet`: they are what the statistician must
/// act on.
fn print_file(r: &FileReport, quiet: bool) {
    let village = if r.village.is_empty() {
        r.village_code.as_str()
    } else {
        r.village.as_str()
    };
    if let Some(why) = &r.refused {
        eprintln!("未导入 {}：{why}", r.file);
        return;
    }
    if !quiet || !r.problems.is_empty() {
        eprintln!(
            "{} {}（{village}，{} 期）：新答复 {}，更改 {}，未变 {}，未答复 {}{}",
            if r.problems.is_empty() {
                "已导入"
            } else {
                "部分导入"
            },
            r.file,
            r.period,
            r.new,
            r.changed,
            r.unchanged,
            r.unanswered,
            if r.problems.is_empty() {
                String::new()
            } else {
                format!("，{} 处问题", r.problems.len())
            }
        );
    }
    for p in &r.problems {
        let mut loc = Location::file(&r.file).sheet(&p.sheet);
        if let Some(row) = p.row {
            loc = loc.row(u64::from(row));
        }
        if let Some(c) = &p.column {
            loc = loc.column(c);
        }
        eprintln!("  {loc}：{}", p.problem);
    }
    if !quiet {
        for c in &r.changes {
            if c.before == c.after {
                eprintln!(
                    "  案例 {}（工作表“{}”第 {} 行）：核实结果仍为“{}”，正确值、核实人等已更新",
                    c.case_id, c.sheet, c.row, c.after
                );
            } else {
                eprintln!(
                    "  案例 {}（工作表“{}”第 {} 行）：核实结果由“{}”改为“{}”",
                    c.case_id, c.sheet, c.row, c.before, c.after
                );
            }
        }
    }
}
