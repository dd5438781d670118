//! A minimal BIFF8 workbook: the inside of an Excel 97–2003 `.xls`.
//!
//! Takes sheets of cells — text (kept once in the shared string table,
//! UTF-16 where needed), numbers, dates, merged ranges and column widths —
//! and gives the "Workbook" stream: the globals (BOF, CODEPAGE 1200,
//! WINDOW1, fonts, the 15 style XFs and two cell XFs, one for dates, STYLE,
//! BOUNDSHEET8, SST with CONTINUE records past 8,224 bytes, EXTSST, EOF)
//! and one substream per sheet (BOF, COLINFO, DIMENSIONS, LABELSST and
//! NUMBER cells, WINDOW2, MERGEDCELLS, EOF). No crate writes BIFF8, and
//! this is all the synthetic county needs; `cfb` wraps the stream in the
//! compound file. A sheet holds at most 65,536 rows and 256 columns.

use std::collections::HashMap;

use crate::identity::Date;

/// The largest record body; anything longer continues in CONTINUE records.
const MAX_RECORD: usize = 8224;
/// The cell XF for text and numbers, and the one for dates (format 14).
const XF_GENERAL: u16 = 15;
const XF_DATE: u16 = 16;
pub const MAX_ROWS: u32 = 65_536;
pub const MAX_COLS: u16 = 256;

struct Sheet {
    name: String,
    cells: Vec<u8>,
    last_row: u32,
    last_col: u16,
    merges: Vec<[u16; 4]>,
    widths: Vec<(u16, u16)>,
}

/// A workbook being built.
pub struct Book {
    strings: Vec<String>,
    index: HashMap<String, u32>,
    /// How many cells refer to the string table.
    refs: u32,
    sheets: Vec<Sheet>,
    /// A cell beyond the format's limits, kept to report once.
    overflow: Option<String>,
}

fn record(out: &mut Vec<u8>, kind: u16, body: &[u8]) {
    out.extend_from_slice(&kind.to_le_bytes());
    out.extend_from_slice(&(body.len() as u16).to_le_bytes());
    out.extend_from_slice(body);
}

/// `ShortXLUnicodeString`: length byte, flag byte, characters.
fn short_string(s: &str) -> Vec<u8> {
    let units: Vec<u16> = s.encode_utf16().take(255).collect();
    let wide = units.iter().any(|&u| u > 0xFF);
    let mut out = vec![units.len() as u8, u8::from(wide)];
    for u in units {
        if wide {
            out.extend_from_slice(&u.to_le_bytes());
        } else {
            out.push(u as u8);
        }
    }
    out
}

/// Days since 1899-12-30: the Excel serial of a date.
pub fn excel_serial(d: Date) -> f64 {
    (d.days_since_epoch() + 25_569) as f64
}

impl Default for Book {
    fn default() -> Self {
        Book::new()
    }
}

impl Book {
    pub fn new() -> Book {
        Book {
            strings: Vec::new(),
            index: HashMap::new(),
            refs: 0,
            sheets: Vec::new(),
            overflow: None,
        }
    }

    /// Adds a sheet and gives its number.
    pub fn sheet(&mut self, name: &str) -> usize {
        let name: String = name.chars().take(31).collect();
        self.sheets.push(Sheet {
            name,
            cells: Vec::new(),
            last_row: 0,
            last_col: 0,
            merges: Vec::new(),
            widths: Vec::new(),
        });
        self.sheets.len() - 1
    }

    fn place(&mut self, sheet: usize, row: u32, col: u16) -> Option<()> {
        if row >= MAX_ROWS || col >= MAX_COLS {
            self.overflow.get_or_insert_with(|| {
                format!(
                    "工作表“{}”第 {} 行第 {} 列超出 xls 格式的上限（65536 行、256 列）",
                    self.sheets[sheet].name,
                    row + 1,
                    col + 1
                )
            });
            return None;
        }
        let s = &mut self.sheets[sheet];
        s.last_row = s.last_row.max(row);
        s.last_col = s.last_col.max(col);
        Some(())
    }

    /// A text cell (nothing for an empty text).
    pub fn text(&mut self, sheet: usize, row: u32, col: u16, text: &str) {
        if text.is_empty() || self.place(sheet, row, col).is_none() {
            return;
        }
        let isst = match self.index.get(text) {
            Some(&i) => i,
            None => {
                let i = self.strings.len() as u32;
                self.strings.push(text.to_string());
                self.index.insert(text.to_string(), i);
                i
            }
        };
        self.refs += 1;
        let mut body = Vec::with_capacity(10);
        body.extend_from_slice(&(row as u16).to_le_bytes());
        body.extend_from_slice(&col.to_le_bytes());
        body.extend_from_slice(&XF_GENERAL.to_le_bytes());
        body.extend_from_slice(&isst.to_le_bytes());
        record(&mut self.sheets[sheet].cells, 0x00FD, &body);
    }

    fn number_with(&mut self, sheet: usize, row: u32, col: u16, value: f64, xf: u16) {
        if self.place(sheet, row, col).is_none() {
            return;
        }
        let mut body = Vec::with_capacity(14);
        body.extend_from_slice(&(row as u16).to_le_bytes());
        body.extend_from_slice(&col.to_le_bytes());
        body.extend_from_slice(&xf.to_le_bytes());
        body.extend_from_slice(&value.to_le_bytes());
        record(&mut self.sheets[sheet].cells, 0x0203, &body);
    }

    pub fn number(&mut self, sheet: usize, row: u32, col: u16, value: f64) {
        self.number_with(sheet, row, col, value, XF_GENERAL);
    }

    /// A date cell: the serial number, formatted as a date.
    pub fn date(&mut self, sheet: usize, row: u32, col: u16, d: Date) {
        self.number_with(sheet, row, col, excel_serial(d), XF_DATE);
    }

    /// Merges rows `r1..=r2`, columns `c1..=c2` (0-based).
    pub fn merge(&mut self, sheet: usize, r1: u32, r2: u32, c1: u16, c2: u16) {
        if r2 < MAX_ROWS && c2 < MAX_COLS {
            self.sheets[sheet]
                .merges
                .push([r1 as u16, r2 as u16, c1, c2]);
        }
    }

    /// The width of a column, in characters.
    pub fn width(&mut self, sheet: usize, col: u16, chars: u16) {
        if col < MAX_COLS {
            self.sheets[sheet]
                .widths
                .push((col, chars.saturating_mul(256)));
        }
    }

    /// The "Workbook" stream, or why the sheets do not fit the format.
    pub fn finish(self) -> Result<Vec<u8>, String> {
        if let Some(why) = self.overflow {
            return Err(why);
        }
        let mut head = Vec::new();
        record(&mut head, 0x0809, &bof(0x0005));
        record(&mut head, 0x0042, &1200u16.to_le_bytes());
        let mut window1 = Vec::new();
        for v in [0u16, 0, 0x4000, 0x2000, 0x0038, 0, 0, 1, 0x0258] {
            window1.extend_from_slice(&v.to_le_bytes());
        }
        record(&mut head, 0x003D, &window1);
        // Five fonts (index 4 is never used, by Excel's convention).
        for _ in 0..5 {
            let mut font = Vec::new();
            for v in [200u16, 0, 0x7FFF, 400, 0] {
                font.extend_from_slice(&v.to_le_bytes());
            }
            font.extend_from_slice(&[0, 0, 0x86, 0]); // underline, family, GB2312, reserved
            font.extend_from_slice(&short_string("宋体"));
            record(&mut head, 0x0031, &font);
        }
        for i in 0..17u16 {
            record(&mut head, 0x00E0, &xf(i));
        }
        record(&mut head, 0x0293, &[0x00, 0x80, 0x00, 0xFF]); // the Normal style

        let bound_sizes: usize = self
            .sheets
            .iter()
            .map(|s| 4 + 6 + short_string(&s.name).len())
            .sum();
        let sst_start = head.len() + bound_sizes;
        let (sst, buckets, per_bucket) = sst_records(&self.strings, self.refs);
        let mut extsst_body = Vec::new();
        extsst_body.extend_from_slice(&per_bucket.to_le_bytes());
        for (offset, in_record) in &buckets {
            extsst_body.extend_from_slice(&((sst_start + offset) as u32).to_le_bytes());
            extsst_body.extend_from_slice(&in_record.to_le_bytes());
            extsst_body.extend_from_slice(&0u16.to_le_bytes());
        }
        let mut tail = sst;
        record(&mut tail, 0x00FF, &extsst_body);
        record(&mut tail, 0x000A, &[]);

        let substreams: Vec<Vec<u8>> = self
            .sheets
            .iter()
            .enumerate()
            .map(|(i, s)| substream(s, i == 0))
            .collect();
        let mut offset = sst_start + tail.len();
        let mut stream = head;
        for (s, body) in self.sheets.iter().zip(&substreams) {
            let mut b = Vec::new();
            b.extend_from_slice(&(offset as u32).to_le_bytes());
            b.extend_from_slice(&[0, 0]); // visible worksheet
            b.extend_from_slice(&short_string(&s.name));
            record(&mut stream, 0x0085, &b);
            offset += body.len();
        }
        debug_assert_eq!(stream.len(), sst_start);
        stream.extend_from_slice(&tail);
        for body in substreams {
            stream.extend_from_slice(&body);
        }
        Ok(stream)
    }
}

fn bof(kind: u16) -> Vec<u8> {
    let mut b = Vec::new();
    for v in [0x0600u16, kind, 0x0DBB, 0x07CC] {
        b.extend_from_slice(&v.to_le_bytes());
    }
    b.extend_from_slice(&0x0000_0041u32.to_le_bytes());
    b.extend_from_slice(&0x0000_0006u32.to_le_bytes());
    b
}

/// XF 0–14 are style XFs, 15 the default cell XF, 16 a cell XF with the
/// built-in date format 14.
fn xf(i: u16) -> Vec<u8> {
    let style = i < 15;
    let ifmt: u16 = if i == XF_DATE { 14 } else { 0 };
    let flags: u16 = if style { 0xFFF5 } else { 0x0001 };
    let used: u8 = match i {
        0 => 0x00,
        1..=14 => 0xF4,
        XF_DATE => 0x04,
        _ => 0x00,
    };
    let mut b = Vec::with_capacity(20);
    b.extend_from_slice(&0u16.to_le_bytes()); // font
    b.extend_from_slice(&ifmt.to_le_bytes());
    b.extend_from_slice(&flags.to_le_bytes());
    b.push(0x20); // bottom-aligned
    b.push(0);
    b.push(0);
    b.push(used);
    b.extend_from_slice(&[0; 8]); // no borders
    b.extend_from_slice(&0x20C0u16.to_le_bytes()); // default pattern colours
    b
}

/// The SST and its CONTINUE records; the position of every bucket's first
/// string (offset in these bytes, offset within its record) for EXTSST;
/// and the strings per bucket.
fn sst_records(strings: &[String], refs: u32) -> (Vec<u8>, Vec<(usize, u16)>, u16) {
    let per_bucket = (strings.len().div_ceil(1000)).max(8) as u16;
    let mut out = Vec::new();
    let mut buckets = Vec::new();
    // The body of the record being filled, and where it starts in `out`.
    let mut body: Vec<u8> = Vec::with_capacity(MAX_RECORD);
    body.extend_from_slice(&refs.to_le_bytes());
    body.extend_from_slice(&(strings.len() as u32).to_le_bytes());
    let mut kind = 0x00FCu16;
    let flush = |out: &mut Vec<u8>, body: &mut Vec<u8>, kind: &mut u16| {
        record(out, *kind, body);
        body.clear();
        *kind = 0x003C;
    };
    for (n, s) in strings.iter().enumerate() {
        let units: Vec<u16> = s.encode_utf16().collect();
        let wide = units.iter().any(|&u| u > 0xFF);
        let size = if wide { 2 } else { 1 };
        // The header and the first character never part.
        if body.len() + 3 + size > MAX_RECORD {
            flush(&mut out, &mut body, &mut kind);
        }
        if n % per_bucket as usize == 0 {
            buckets.push((out.len() + 4 + body.len(), (4 + body.len()) as u16));
        }
        body.extend_from_slice(&(units.len() as u16).to_le_bytes());
        body.push(u8::from(wide));
        for &u in &units {
            if body.len() + size > MAX_RECORD {
                flush(&mut out, &mut body, &mut kind);
                body.push(u8::from(wide)); // each continuation restates the width
            }
            if wide {
                body.extend_from_slice(&u.to_le_bytes());
            } else {
                body.push(u as u8);
            }
        }
    }
    flush(&mut out, &mut body, &mut kind);
    (out, buckets, per_bucket)
}

fn substream(s: &Sheet, first: bool) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.cells.len() + 256);
    record(&mut out, 0x0809, &bof(0x0010));
    for &(col, width) in &s.widths {
        let mut b = Vec::new();
        for v in [col, col, width, XF_GENERAL, 0, 0] {
            b.extend_from_slice(&v.to_le_bytes());
        }
        record(&mut out, 0x007D, &b);
    }
    let mut dim = Vec::new();
    dim.extend_from_slice(&0u32.to_le_bytes());
    dim.extend_from_slice(&(s.last_row + 1).to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    dim.extend_from_slice(&(s.last_col + 1).to_le_bytes());
    dim.extend_from_slice(&0u16.to_le_bytes());
    record(&mut out, 0x0200, &dim);
    out.extend_from_slice(&s.cells);
    let mut w2 = Vec::new();
    let grbit: u16 = if first { 0x06B6 } else { 0x00B6 };
    for v in [grbit, 0, 0, 0x0040, 0, 0, 0, 0, 0] {
        w2.extend_from_slice(&v.to_le_bytes());
    }
    record(&mut out, 0x023E, &w2);
    for chunk in s.merges.chunks(1026) {
        let mut b = Vec::new();
        b.extend_from_slice(&(chunk.len() as u16).to_le_bytes());
        for m in chunk {
            for v in m {
                b.extend_from_slice(&v.to_le_bytes());
            }
        }
        record(&mut out, 0x00E5, &b);
    }
    record(&mut out, 0x000A, &[]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{Data, Reader, Xls};
    use std::io::Cursor;

    fn read(bytes: Vec<u8>) -> Xls<Cursor<Vec<u8>>> {
        Xls::new(Cursor::new(bytes)).expect("calamine opens the file")
    }

    #[test]
    fn calamine_reads_back_every_cell() {
        let mut book = Book::new();
        let s = book.sheet("一村");
        let rows: Vec<[&str; 3]> = vec![
            ["姓名", "身份证号", "备注"],
            ["张丽华", "37132619900101123X", "阿依古丽·买买提"],
            ["欧阳明", "371326198502130021", "plain ascii"],
        ];
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                book.text(s, r as u32, c as u16, text);
            }
        }
        book.number(s, 3, 0, 42.5);
        book.number(s, 3, 1, 3.71326199001011e17);
        book.date(s, 3, 2, Date::from_ymd(2014, 9, 25).unwrap());
        book.merge(s, 4, 4, 0, 2);
        book.text(s, 4, 0, "制表人：王丽");
        book.width(s, 1, 20);
        let t = book.sheet("2016年");
        book.text(t, 0, 0, "第二张表");
        let f = crate::sample::cfb::compound_file("Workbook", &book.finish().unwrap());

        let mut xls = read(f);
        assert_eq!(
            xls.sheet_names(),
            vec!["一村".to_string(), "2016年".to_string()]
        );
        let range = xls.worksheet_range("一村").unwrap();
        for (r, row) in rows.iter().enumerate() {
            for (c, text) in row.iter().enumerate() {
                assert_eq!(
                    range.get_value((r as u32, c as u32)),
                    Some(&Data::String(text.to_string())),
                    "{r},{c}"
                );
            }
        }
        assert_eq!(range.get_value((3, 0)), Some(&Data::Float(42.5)));
        assert_eq!(
            range.get_value((3, 1)),
            Some(&Data::Float(3.71326199001011e17))
        );
        match range.get_value((3, 2)) {
            Some(Data::DateTime(d)) => assert_eq!(
                d.as_f64(),
                excel_serial(Date::from_ymd(2014, 9, 25).unwrap())
            ),
            other => panic!("not a date: {other:?}"),
        }
        assert_eq!(
            range.get_value((4, 0)),
            Some(&Data::String("制表人：王丽".into()))
        );
        let merged = xls.merge_cells_by_sheet_name("一村").unwrap();
        assert_eq!(merged.len(), 1);
        let second = xls.worksheet_range("2016年").unwrap();
        assert_eq!(
            second.get_value((0, 0)),
            Some(&Data::String("第二张表".into()))
        );
    }

    #[test]
    fn a_large_string_table_continues_and_reads_back() {
        // Thousands of distinct Chinese strings: the SST runs to many
        // CONTINUE records, strings split across them, and the file needs
        // several FAT sectors.
        let mut book = Book::new();
        let s = book.sheet("大表");
        let text = |i: u32| format!("张丽华{i}号·欧阳明{}", "测".repeat((i % 13) as usize));
        for i in 0..6000u32 {
            book.text(s, i, 0, &text(i));
            book.text(
                s,
                i,
                1,
                &format!("ascii-{i}-{}", "x".repeat((i % 50) as usize)),
            );
            book.number(s, i, 2, f64::from(i));
        }
        let stream = book.finish().unwrap();
        assert!(stream.len() > 100_000);
        let mut xls = read(crate::sample::cfb::compound_file("Workbook", &stream));
        let range = xls.worksheet_range("大表").unwrap();
        for i in 0..6000u32 {
            assert_eq!(
                range.get_value((i, 0)),
                Some(&Data::String(text(i))),
                "row {i}"
            );
            assert_eq!(range.get_value((i, 2)), Some(&Data::Float(f64::from(i))));
        }
        assert_eq!(
            range.get_value((5999, 1)),
            Some(&Data::String(format!(
                "ascii-5999-{}",
                "x".repeat(5999 % 50)
            )))
        );
    }

    #[test]
    fn rows_beyond_the_format_are_refused() {
        let mut book = Book::new();
        let s = book.sheet("x");
        book.text(s, MAX_ROWS, 0, "too far");
        let err = book.finish().unwrap_err();
        assert!(err.contains("65536"), "{err}");
    }
}
