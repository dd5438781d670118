//! xlsx exports, through rust_xlsxwriter.
//!
//! Takes a file's plan and the renderer and gives the workbook's bytes:
//! one worksheet per sheet of the plan, the merged title and unit line,
//! the header (two rows, merged, where the plan says), the records with
//! ID numbers as text, dates as date cells where the plan says, and the
//! totals and signature rows. The document's creation time is the as-of
//! date and the zip entries carry no time, so the same county gives the
//! same bytes.

use std::io::{self, Write};

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, XlsxError};

use super::biff::excel_serial;
use super::layout::FilePlan;
use super::render::{Cell, Grid, Renderer};
use crate::identity::Date;

fn err(e: XlsxError) -> io::Error {
    io::Error::other(e.to_string())
}

pub fn bytes(
    f: &FilePlan,
    renderer: &Renderer,
    as_of: Date,
    widths: &[f64],
) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        as_of.year().clamp(1900, 9999) as u16,
        as_of.month() as u8,
        as_of.day() as u8,
    )?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let title = Format::new().set_bold().set_align(FormatAlign::Center);
    let header = Format::new()
        .set_bold()
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter);
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let mut cells: Vec<Cell> = Vec::new();
    for sheet in &f.sheets {
        let ws = book.add_worksheet();
        ws.set_name(&sheet.name)?;
        for (c, &w) in widths.iter().enumerate() {
            ws.set_column_width(c as u16, w)?;
        }
        let top = renderer.top(f, sheet);
        let titles = top.rows.len() as u32 - if f.two_row_header() { 2 } else { 1 };
        let put_grid = |ws: &mut rust_xlsxwriter::Worksheet,
                        grid: &Grid,
                        first: u32,
                        fmt_of: &dyn Fn(u32) -> Format|
         -> Result<(), XlsxError> {
            for m in &grid.merges {
                let text = grid.rows[m.first_row as usize][m.first_col as usize].as_text();
                ws.merge_range(
                    first + m.first_row,
                    m.first_col,
                    first + m.last_row,
                    m.last_col,
                    &text,
                    &fmt_of(m.first_row),
                )?;
            }
            for (r, row) in grid.rows.iter().enumerate() {
                let r = r as u32;
                for (c, cell) in row.iter().enumerate() {
                    let c = c as u16;
                    let merged = grid.merges.iter().any(|m| {
                        (m.first_row..=m.last_row).contains(&r)
                            && (m.first_col..=m.last_col).contains(&c)
                    });
                    if merged {
                        continue;
                    }
                    if let Cell::Text(s) = cell {
                        ws.write_string_with_format(first + r, c, s, &fmt_of(r))?;
                    }
                }
            }
            Ok(())
        };
        put_grid(ws, &top, 0, &|r| {
            if r < titles {
                title.clone()
            } else {
                header.clone()
            }
        })?;
        let first = top.rows.len() as u32;
        for pos in 0..sheet.records.len() {
            renderer.row(f, sheet, pos, &mut cells);
            let row = first + pos as u32;
            for (c, cell) in cells.iter().enumerate() {
                let c = c as u16;
                match cell {
                    Cell::Empty => {}
                    Cell::Text(s) => {
                        ws.write_string(row, c, s)?;
                    }
                    Cell::Number(n) => {
                        ws.write_number(row, c, *n)?;
                    }
                    Cell::Date(d) => {
                        ws.write_number_with_format(row, c, excel_serial(*d), &date)?;
                    }
                }
            }
        }
        let bottom = renderer.bottom(f, sheet);
        put_grid(ws, &bottom, first + sheet.records.len() as u32, &|_| {
            plain.clone()
        })?;
    }
    book.save_to_buffer()
}

pub fn write(
    f: &FilePlan,
    renderer: &Renderer,
    as_of: Date,
    widths: &[f64],
    out: &mut dyn Write,
) -> io::Result<()> {
    out.write_all(&bytes(f, renderer, as_of, widths).map_err(err)?)
}
