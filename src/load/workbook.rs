//! Excel workbooks (xlsx and BIFF xls), through calamine.
//!
//! Takes a workbook's bytes and gives its sheets as rows of text: numbers as
//! Excel's General format shows them (and marked as numbers), date cells as
//! `YYYY-MM-DD`, row numbers as Excel shows them. xlsx sheets are streamed
//! cell by cell, so a million-row export is never held twice.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader, Xls, XlsError, Xlsx};

use super::grid::{Row, RowBuilder, Sheet};
use super::sniff::Format;
use crate::identity::Date;

/// Why a workbook could not be read.
#[derive(Debug)]
pub enum WorkbookError {
    Encrypted,
    NoSuchSheet {
        name: String,
        available: Vec<String>,
    },
    Damaged(Box<dyn std::error::Error + Send + Sync>),
}

/// The sheets of a workbook (only `only` when given) and all sheet names.
pub fn read(
    bytes: Vec<u8>,
    format: Format,
    only: Option<&str>,
) -> Result<(Vec<Sheet>, Vec<String>), WorkbookError> {
    match format {
        Format::Xlsx => {
            let mut wb =
                Xlsx::new(Cursor::new(bytes)).map_err(|e| WorkbookError::Damaged(e.into()))?;
            let names = wb.sheet_names();
            let chosen = choose(&names, only)?;
            let mut sheets = Vec::new();
            for name in chosen {
                let mut reader = wb
                    .worksheet_cells_reader(&name)
                    .map_err(|e| WorkbookError::Damaged(e.into()))?;
                let mut cells = Vec::new();
                while let Some(cell) = reader
                    .next_cell()
                    .map_err(|e| WorkbookError::Damaged(e.into()))?
                {
                    let (r, c) = cell.get_position();
                    let value = match cell.get_value() {
                        DataRef::SharedString(s) => Value::Text(s.to_string()),
                        DataRef::String(s) | DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => {
                            Value::Text(s.clone())
                        }
                        DataRef::Float(f) => Value::Number(*f),
                        DataRef::Int(i) => Value::Number(*i as f64),
                        DataRef::Bool(b) => Value::Text(if *b { "TRUE" } else { "FALSE" }.into()),
                        DataRef::DateTime(dt) => date_value(dt.as_f64(), dt.is_datetime()),
                        DataRef::Error(e) => Value::Text(format!("#{e:?}")),
                        DataRef::Empty => continue,
                    };
                    cells.push((r, c, value));
                }
                sheets.push(assemble(Some(name), cells));
            }
            Ok((sheets, names))
        }
        _ => {
            let mut wb = Xls::new(Cursor::new(bytes)).map_err(|e| match e {
                XlsError::Password => WorkbookError::Encrypted,
                other => WorkbookError::Damaged(other.into()),
            })?;
            let names = wb.sheet_names();
            let chosen = choose(&names, only)?;
            let mut sheets = Vec::new();
            for name in chosen {
                let range = wb
                    .worksheet_range(&name)
                    .map_err(|e| WorkbookError::Damaged(e.into()))?;
                let (r0, c0) = range.start().unwrap_or((0, 0));
                let mut cells = Vec::new();
                for (i, row) in range.rows().enumerate() {
                    for (j, data) in row.iter().enumerate() {
                        let value = match data {
                            Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => {
                                Value::Text(s.clone())
                            }
                            Data::Float(f) => Value::Number(*f),
                            Data::Int(i) => Value::Number(*i as f64),
                            Data::Bool(b) => Value::Text(if *b { "TRUE" } else { "FALSE" }.into()),
                            Data::DateTime(dt) => date_value(dt.as_f64(), dt.is_datetime()),
                            Data::Error(e) => Value::Text(format!("#{e:?}")),
                            Data::Empty => continue,
                        };
                        cells.push((r0 + i as u32, c0 + j as u32, value));
                    }
                }
                sheets.push(assemble(Some(name), cells));
            }
            Ok((sheets, names))
        }
    }
}

fn choose(names: &[String], only: Option<&str>) -> Result<Vec<String>, WorkbookError> {
    match only {
        None => Ok(names.to_vec()),
        Some(wanted) => names
            .iter()
            .find(|n| n.trim() == wanted.trim())
            .map(|n| vec![n.clone()])
            .ok_or_else(|| WorkbookError::NoSuchSheet {
                name: wanted.to_string(),
                available: names.to_vec(),
            }),
    }
}

pub(super) enum Value {
    Text(String),
    Number(f64),
}

/// A date cell as ISO text; a time of day alone stays a number.
fn date_value(serial: f64, is_datetime: bool) -> Value {
    if !is_datetime {
        return Value::Number(serial);
    }
    match Date::from_excel_serial(serial.floor() as i64) {
        Some(date) => Value::Text(date.to_string()),
        None => Value::Number(serial),
    }
}

/// Rows from cells in row order (0-based positions, as calamine gives them).
pub(super) fn assemble(name: Option<String>, cells: Vec<(u32, u32, Value)>) -> Sheet {
    let mut rows: Vec<Row> = Vec::new();
    let mut builder = RowBuilder::default();
    let mut current: Option<u32> = None;
    for (r, c, value) in cells {
        if current != Some(r) {
            if let Some(prev) = current {
                rows.push(builder.finish(u64::from(prev) + 1));
            }
            current = Some(r);
        }
        while builder.len() < c as usize {
            builder.text("");
        }
        match value {
            Value::Text(t) => builder.text(&t),
            Value::Number(n) => builder.number(n),
        }
    }
    if let Some(prev) = current {
        rows.push(builder.finish(u64::from(prev) + 1));
    }
    Sheet { name, rows }
}
