//! BIFF8 `.xls` exports.
//!
//! Takes a file's plan and the renderer and writes a real Excel 97–2003
//! workbook through `biff` and `cfb`: a sheet per sheet of the plan, the
//! merged title, the (two-row) header, the records — ID numbers as text,
//! except the sheet whose mothers' numbers a spreadsheet once stored as
//! numbers — dates as date cells where the plan says, and the totals and
//! signature rows.

use std::io::{self, Write};

use super::biff::Book;
use super::cfb::compound_file;
use super::layout::FilePlan;
use super::render::{Cell, Grid, Renderer};

fn put(book: &mut Book, sheet: usize, row: u32, col: u16, cell: &Cell) {
    match cell {
        Cell::Empty => {}
        Cell::Text(s) => book.text(sheet, row, col, s),
        Cell::Number(n) => book.number(sheet, row, col, *n),
        Cell::Date(d) => book.date(sheet, row, col, *d),
    }
}

fn put_grid(book: &mut Book, sheet: usize, grid: &Grid, first: u32) {
    for (r, row) in grid.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            put(book, sheet, first + r as u32, c as u16, cell);
        }
    }
    for m in &grid.merges {
        book.merge(
            sheet,
            first + m.first_row,
            first + m.last_row,
            m.first_col,
            m.last_col,
        );
    }
}

pub fn write(
    f: &FilePlan,
    renderer: &Renderer,
    widths: &[f64],
    out: &mut dyn Write,
) -> io::Result<()> {
    let mut book = Book::new();
    let mut cells = Vec::new();
    for sheet in &f.sheets {
        let s = book.sheet(&sheet.name);
        for (c, &w) in widths.iter().enumerate() {
            book.width(s, c as u16, w as u16);
        }
        let top = renderer.top(f, sheet);
        put_grid(&mut book, s, &top, 0);
        let first = top.rows.len() as u32;
        for pos in 0..sheet.records.len() {
            renderer.row(f, sheet, pos, &mut cells);
            for (c, cell) in cells.iter().enumerate() {
                put(&mut book, s, first + pos as u32, c as u16, cell);
            }
        }
        put_grid(
            &mut book,
            s,
            &renderer.bottom(f, sheet),
            first + sheet.records.len() as u32,
        );
    }
    let stream = book
        .finish()
        .map_err(|why| io::Error::new(io::ErrorKind::InvalidData, why))?;
    out.write_all(&compound_file("Workbook", &stream))
}
