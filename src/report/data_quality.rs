//! The data-quality sheets of summary.xlsx, one per register.
//!
//! Takes the input files of one register with what the loader counted in
//! each ([`InputFile`]: `bidui inspect`'s counts) and gives a sheet: per file
//! and ID column, the numbers valid, invalid by reason and empty; per file,
//! the rows skipped (blank, totals and signatures, repeated headers), rows
//! with the wrong number of cells, undecodable bytes, unreadable dates,
//! unknown codes and names with unknown characters.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::load::SourceKind;
use crate::load::fields::Field;
use crate::load::table::{Quality, problem_label};
use crate::report::book::Widths;
use crate::report::columns::register_name;
use crate::report::styles::Styles;
use crate::report::summary_book::{print_wide, title};

/// One input file, with what the loader counted in it.
#[derive(Clone, Debug)]
pub struct InputFile {
    pub source: SourceKind,
    /// As the output shows it (relative to the config's folder).
    pub file: String,
    pub records: usize,
    /// The file's size and SHA-256 (summary.json ties a run to its exports).
    pub bytes: u64,
    pub sha256: String,
    pub quality: Quality,
    /// Rows below the header that are not records, by reason.
    pub skipped: BTreeMap<&'static str, usize>,
    pub ragged_rows: usize,
    pub undecodable: usize,
}

/// The data-quality sheet of a register.
pub fn quality_sheet_name(source: SourceKind) -> String {
    format!("数据质量-{}", register_name(source))
}

fn field_label(key: &str) -> &str {
    match Field::from_key(key) {
        Some(f) => f.label(),
        None => key,
    }
}

pub fn quality_sheet(
    ws: &mut Worksheet,
    source: SourceKind,
    files: &[&InputFile],
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(quality_sheet_name(source))?;
    title(ws, &format!("{}数据质量", source.label()), styles)?;
    let mut reasons: Vec<&str> = files
        .iter()
        .flat_map(|f| f.quality.ids.values())
        .flat_map(|q| q.invalid_by_reason.keys().map(String::as_str))
        .collect();
    reasons.sort_unstable();
    reasons.dedup();
    let mut widths = Widths::new(vec![(20, 50), (8, 8), (14, 20), (8, 8), (8, 8), (8, 8)]);
    let mut row = 2;
    ws.write_string_with_format(row, 0, "身份证号（各类号码）", &styles.label)?;
    row += 1;
    let mut headers = vec!["文件", "记录数", "字段", "有效", "无效", "空白"];
    headers.extend(reasons.iter().map(|r| problem_label(r)));
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &styles.header)?;
    }
    ws.set_row_height(row, 30)?;
    row += 1;
    for f in files {
        for (key, q) in &f.quality.ids {
            if q.filled + q.empty == 0 {
                continue;
            }
            ws.write_string_with_format(row, 0, &f.file, &styles.text)?;
            widths.fit(0, &f.file);
            ws.write_number_with_format(row, 1, f.records as f64, &styles.number)?;
            ws.write_string_with_format(row, 2, field_label(key), &styles.text)?;
            for (c, n) in [q.valid, q.invalid, q.empty].iter().enumerate() {
                ws.write_number_with_format(row, 3 + c as u16, *n as f64, &styles.number)?;
            }
            for (c, r) in reasons.iter().enumerate() {
                let n = q.invalid_by_reason.get(*r).copied().unwrap_or(0);
                ws.write_number_with_format(row, 6 + c as u16, n as f64, &styles.number)?;
            }
            row += 1;
        }
    }

    row += 1;
    ws.write_string_with_format(row, 0, "跳过或无法识别的行和值", &styles.label)?;
    row += 1;
    let headers = [
        "文件",
        "记录数",
        "空行",
        "合计/签名行",
        "重复的表头行",
        "列数不齐的行",
        "无法解码的字节",
        "无法识别的日期",
        "未知代码",
        "姓名含无法识别的字",
    ];
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &styles.header)?;
    }
    ws.set_row_height(row, 30)?;
    row += 1;
    for f in files {
        let skipped = |k: &str| f.skipped.get(k).copied().unwrap_or(0);
        let q = &f.quality;
        let numbers = [
            f.records,
            skipped("blank"),
            skipped("total_or_signature"),
            skipped("repeated_header"),
            f.ragged_rows,
            f.undecodable,
            q.dates.values().map(|d| d.unreadable).sum(),
            q.codes.values().map(|c| c.unknown).sum(),
            q.names.values().map(|n| n.unknown_characters).sum(),
        ];
        ws.write_string_with_format(row, 0, &f.file, &styles.text)?;
        for (c, n) in numbers.iter().enumerate() {
            ws.write_number_with_format(row, 1 + c as u16, *n as f64, &styles.number)?;
        }
        row += 1;
    }
    for (c, w) in widths.get() {
        ws.set_column_width(c, w)?;
    }
    for c in 6..10u16.max(6 + reasons.len() as u16) {
        ws.set_column_width(c, 12)?;
    }
    print_wide(ws, 3)
}
