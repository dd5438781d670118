//! Reading a village workbook back: the first stage of `bidui import`.
//!
//! Takes a filled village workbook's bytes (xlsx as bidui wrote it, or the
//! same saved again by Excel or WPS, also as xls) and gives its hidden
//! `_bidui` sheet ([`Meta`]) and, from every category sheet, the rows with
//! what the row carried when it was sent (the cells from 案例编号 to 说明,
//! the `校验` digest) and what the village filled in. Columns are found by
//! their header text, never by position (docs/workbooks.md). A workbook
//! that can't be one of ours is a [`Refusal`]; a sheet or row that can't
//! be read is a [`Problem`], and the rest still reads. Checking the rows
//! against the ledger is [`validate`].

pub mod validate;

use std::collections::HashMap;
use std::io::Cursor;
use std::path::Path;

use calamine::{Data, Range, Reader};
use serde::Serialize;

use crate::classify::Category;
use crate::identity::{Date, parse_date};

/// The format `_bidui` names for this layout.
pub const FORMAT: &str = "bidui-village-1";

/// The hidden sheet bidui reads the workbook's identity from.
pub const META_SHEET: &str = "_bidui";

/// How many rows above the header row a sheet may have (its titles).
const HEADER_SEARCH: usize = 30;

/// The workbook's identity, from `_bidui`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Meta {
    pub format: String,
    pub county: String,
    pub county_name: String,
    pub town: String,
    pub village_code: String,
    pub village: String,
    pub period: String,
    pub as_of: String,
    pub deadline: String,
}

/// Why a whole workbook is not imported.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

/// Something wrong with a sheet or a row; the rest of the workbook is
/// still imported.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub sheet: String,
    /// The row as Excel shows it; none for a problem of the whole sheet.
    pub row: Option<u32>,
    /// The column's header, where one column is at fault.
    pub column: Option<String>,
    pub problem: String,
}

/// What a 核实日期 cell holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DateCell {
    Empty,
    Date(Date),
    /// Not a real date: why, in words (the cell's text is in them).
    Bad(String),
}

/// One data row of a category sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub sheet: String,
    /// The category the sheet's name gives.
    pub category: Category,
    /// The row as Excel shows it (1-based).
    pub row: u32,
    pub case_id: String,
    /// The cells from 案例编号 to 说明, as text: what the digest covers.
    pub sent: Vec<String>,
    /// The `校验` cell.
    pub check: String,
    pub answer: String,
    pub correct_value: String,
    pub verifier: String,
    pub verified_on: DateCell,
    pub remark: String,
}

impl Row {
    /// Whether the village wrote anything in the row's own columns.
    pub fn touched(&self) -> bool {
        !self.answer.is_empty()
            || !self.correct_value.is_empty()
            || !self.verifier.is_empty()
            || self.verified_on != DateCell::Empty
            || !self.remark.is_empty()
    }
}

/// A workbook as read: its identity, its rows, and what could not be read.
#[derive(Clone, Debug, Default)]
pub struct Workbook {
    pub meta: Meta,
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
}

/// The largest file taken for a village workbook: one village's cases are
/// a few hundred rows, a few hundred kilobytes.
const MAX_BYTES: u64 = 64 << 20;

/// Reads a workbook file.
pub fn read_file(path: &Path) -> Result<Workbook, Refusal> {
    if let Ok(meta) = std::fs::metadata(path)
        && meta.len() > MAX_BYTES
    {
        return Err(Refusal(format!(
            "文件有 {} MB，不像一个村的核实表（上限 {} MB）",
            meta.len() >> 20,
            MAX_BYTES >> 20
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| {
        Refusal(format!(
            "无法读取：{}",
            match e.kind() {
                std::io::ErrorKind::NotFound => "文件不存在".to_string(),
                std::io::ErrorKind::PermissionDenied => "没有权限".to_string(),
                _ => e.to_string(),
            }
        ))
    })?;
    read(bytes)
}

/// Reads a workbook from its bytes.
pub fn read(bytes: Vec<u8>) -> Result<Workbook, Refusal> {
    if bytes.is_empty() {
        return Err(Refusal("文件是空的".into()));
    }
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|_| {
        Refusal(
            "不是 Excel 工作簿，或已损坏、设有密码：请把 bidui 下发的核实表（xlsx）填好后原样交回"
                .into(),
        )
    })?;
    let names = book.sheet_names();
    if !names.iter().any(|n| n == META_SHEET) {
        return Err(Refusal(format!(
            "没有隐藏工作表“{META_SHEET}”：不是 bidui 生成的村核实表，或被复制到了新工作簿里；请在下发的原表上填写"
        )));
    }
    let meta_range = book
        .worksheet_range(META_SHEET)
        .map_err(|e| Refusal(format!("工作表“{META_SHEET}”无法读取（{e}）")))?;
    let meta = meta(&meta_range)?;
    let mut out = Workbook {
        meta,
        ..Workbook::default()
    };
    let mut any = false;
    for name in &names {
        let Some(category) = category_of_sheet(name) else {
            continue;
        };
        any = true;
        match book.worksheet_range(name) {
            Ok(range) => read_sheet(name, category, &range, &mut out),
            Err(e) => out.problems.push(Problem {
                sheet: name.clone(),
                row: None,
                column: None,
                problem: format!("工作表无法读取（{e}），其中的答复未导入"),
            }),
        }
    }
    if !any {
        return Err(Refusal(
            "没有任何类别工作表（名称以类别代码开头，如“Q01 身份证号无效”）".into(),
        ));
    }
    Ok(out)
}

/// The category a sheet's name starts with (`Q01 身份证号无效`).
fn category_of_sheet(name: &str) -> Option<Category> {
    let name = name.trim_start();
    Category::ALL.into_iter().find(|c| {
        name.strip_prefix(c.code())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace))
    })
}

/// `_bidui`'s keys and values.
fn meta(range: &Range<Data>) -> Result<Meta, Refusal> {
    let mut kv: HashMap<String, String> = HashMap::new();
    for row in range.rows() {
        let key = row.first().map(cell_text).unwrap_or_default();
        let value = row.get(1).map(cell_text).unwrap_or_default();
        if !key.is_empty() && key != "key" {
            kv.insert(key.trim().to_string(), value.trim().to_string());
        }
    }
    let mut get = |k: &str| kv.remove(k).unwrap_or_default();
    let meta = Meta {
        format: get("format"),
        county: get("county"),
        county_name: get("county_name"),
        town: get("town"),
        village_code: get("village_code"),
        village: get("village"),
        period: get("period"),
        as_of: get("as_of"),
        deadline: get("deadline"),
    };
    if meta.format != FORMAT {
        return Err(Refusal(if meta.format.is_empty() {
            format!("工作表“{META_SHEET}”里没有 format：不是 bidui 生成的村核实表")
        } else {
            format!(
                "核实表格式“{}”不认识（本程序读 {FORMAT}）：可能由更新版本的 bidui 生成，请升级 bidui",
                meta.format
            )
        }));
    }
    for (key, value) in [("period", &meta.period), ("county", &meta.county)] {
        if value.is_empty() {
            return Err(Refusal(format!(
                "工作表“{META_SHEET}”里缺少 {key}：该表已被改动，无法确认来源"
            )));
        }
    }
    if meta.village_code.is_empty() && meta.village.is_empty() {
        return Err(Refusal(format!(
            "工作表“{META_SHEET}”里缺少 village_code 和 village：该表已被改动，无法确认是哪个村的"
        )));
    }
    Ok(meta)
}

/// Header text as compared: without white space anywhere.
fn header_key(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The columns of a category sheet, by header text.
struct Columns {
    case_id: usize,
    note: usize,
    answer: usize,
    check: usize,
    correct_value: Option<usize>,
    verifier: Option<usize>,
    verified_on: Option<usize>,
    remark: Option<usize>,
}

fn read_sheet(name: &str, category: Category, range: &Range<Data>, out: &mut Workbook) {
    let sheet_problem = |problem: String| Problem {
        sheet: name.to_string(),
        row: None,
        column: None,
        problem,
    };
    let Some((r0, _)) = range.start() else {
        out.problems.push(sheet_problem(
            "工作表是空的：找不到表头行（含“案例编号”的行）".into(),
        ));
        return;
    };
    let rows: Vec<&[Data]> = range.rows().collect();
    let Some(header_at) = rows
        .iter()
        .take(HEADER_SEARCH)
        .position(|row| row.iter().any(|c| header_key(&cell_text(c)) == "案例编号"))
    else {
        out.problems.push(sheet_problem(format!(
            "在前 {HEADER_SEARCH} 行里找不到表头行（含“案例编号”的行），本表的答复未导入"
        )));
        return;
    };
    let header: Vec<String> = rows[header_at]
        .iter()
        .map(|c| header_key(&cell_text(c)))
        .collect();
    let find = |h: &str| header.iter().position(|x| x == h);
    let mut missing = Vec::new();
    let mut need = |h: &'static str| {
        let at = find(h);
        if at.is_none() {
            missing.push(h);
        }
        at.unwrap_or(0)
    };
    let columns = Columns {
        case_id: need("案例编号"),
        note: need("说明"),
        answer: need("核实结果"),
        check: need("校验"),
        correct_value: find("正确值"),
        verifier: find("核实人"),
        verified_on: find("核实日期"),
        remark: find("备注"),
    };
    if !missing.is_empty() {
        out.problems.push(sheet_problem(format!(
            "表头行缺少“{}”列，本表的答复未导入",
            missing.join("”“")
        )));
        return;
    }
    if columns.note < columns.case_id {
        out.problems.push(sheet_problem(
            "“说明”列在“案例编号”列之前：列的顺序被改动过，本表的答复未导入".into(),
        ));
        return;
    }
    let text = |row: &[Data], at: Option<usize>| -> String {
        at.and_then(|i| row.get(i))
            .map(cell_text)
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    for (i, row) in rows.iter().enumerate().skip(header_at + 1) {
        if row.iter().all(|c| matches!(c, Data::Empty)) {
            continue;
        }
        let sent: Vec<String> = (columns.case_id..=columns.note)
            .map(|j| row.get(j).map(cell_text).unwrap_or_default())
            .collect();
        out.rows.push(Row {
            sheet: name.to_string(),
            category,
            row: r0 + i as u32 + 1,
            case_id: sent[0].trim().to_string(),
            sent,
            check: text(row, Some(columns.check)),
            answer: text(row, Some(columns.answer)),
            correct_value: text(row, columns.correct_value),
            verifier: text(row, columns.verifier),
            verified_on: columns
                .verified_on
                .and_then(|j| row.get(j))
                .map(date_cell)
                .unwrap_or(DateCell::Empty),
            remark: text(row, columns.remark),
        });
    }
}

/// A cell as the text it was written as: text as is, whole numbers without
/// a decimal point, other numbers as Rust prints them, a date as
/// `YYYY-MM-DD`. bidui writes the digest's cells as text, so only a cell a
/// person retyped comes here as anything else.
pub fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number_text(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => match Date::from_excel_serial(dt.as_f64().floor() as i64) {
            Some(d) if dt.is_datetime() => d.to_string(),
            _ => number_text(dt.as_f64()),
        },
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn number_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        format!("{f}")
    }
}

/// A cell's text as a message may show it: an ID number a cadre typed into
/// the wrong column is masked (no full ID number in a message).
pub(crate) fn shown_cell(text: &str) -> String {
    if text.chars().filter(char::is_ascii_digit).count() >= 14 {
        crate::identity::mask(text)
    } else {
        text.to_string()
    }
}

/// A 核实日期 cell: a date cell, an Excel serial number, or text in any
/// date format the registers use.
fn date_cell(cell: &Data) -> DateCell {
    let serial = |f: f64| match Date::from_excel_serial(f.floor() as i64) {
        Some(d) if f >= 1.0 => DateCell::Date(d),
        _ => DateCell::Bad(format!("“{}”不是日期", number_text(f))),
    };
    match cell {
        Data::Empty => DateCell::Empty,
        Data::DateTime(dt) => serial(dt.as_f64()),
        Data::Float(f) => serial(*f),
        Data::Int(i) => serial(*i as f64),
        Data::String(s) | Data::DateTimeIso(s) => {
            let s = s.trim();
            // An ISO date-time (`2026-07-15T00:00:00`) is a date here.
            let s = match s.split_once('T') {
                Some((d, _)) if d.len() == 10 => d,
                _ => s,
            };
            match parse_date(s) {
                Ok(Some(d)) => DateCell::Date(d),
                Ok(None) => DateCell::Empty,
                Err(e) if shown_cell(s) == s => DateCell::Bad(e.to_string()),
                Err(_) => DateCell::Bad(format!("“{}”不是日期", shown_cell(s))),
            }
        }
        other => DateCell::Bad(format!("“{}”不是日期", shown_cell(&cell_text(other)))),
    }
}

#[cfg(test)]
mod tests;
