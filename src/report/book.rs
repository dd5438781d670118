//! What every Excel workbook bidui writes shares.
//!
//! Takes names, texts and dates and gives what a workbook needs of them: a
//! file name Windows accepts, a sheet name Excel accepts, column widths that
//! fit Chinese text, header/footer text with its `&` codes escaped, Excel
//! dates; and saves a built [`Workbook`] atomically (built in memory, then
//! written through [`super::write_atomically`]) with fixed document dates,
//! so the same check gives the same bytes.

use std::io;
use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::identity::Date;

/// The longest file name stem written: well inside Windows' 260-character
/// paths however deep the output folder is.
const MAX_FILE_STEM: usize = 80;

/// Names Windows keeps for devices, with or without an extension.
const RESERVED: [&str; 22] = [
    "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
    "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
];

/// A file name stem safe on Windows and everywhere else: the characters
/// Windows forbids (`\ / : * ? " < > |`) and control characters become
/// `_`, trailing dots and spaces go, a device name (`CON`, `NUL` …) gets a
/// `_` in front, and a very long name is cut.
pub fn safe_file_name(name: &str) -> String {
    let mut out: String = name
        .trim()
        .chars()
        .map(|c| match c {
            '\\' | '/' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
            c if c.is_control() => '_',
            c => c,
        })
        .take(MAX_FILE_STEM)
        .collect();
    while out.ends_with(['.', ' ']) {
        out.pop();
    }
    if out.is_empty() {
        return "_".into();
    }
    let stem = out.split('.').next().unwrap_or_default();
    if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(stem)) {
        out.insert(0, '_');
    }
    out
}

/// A sheet name Excel accepts: the characters `[]:*?/\` removed, no
/// apostrophe at either end, at most 31 characters.
pub fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\'))
        .filter(|c| !c.is_control())
        .collect();
    let cut: String = cleaned.trim_matches('\'').chars().take(31).collect();
    let cut = cut.trim_end_matches('\'').trim().to_string();
    if cut.is_empty() { "_".into() } else { cut }
}

/// How many columns of Excel's width unit a text takes: a Chinese
/// character (or any wide one) two, others one.
pub fn text_width(text: &str) -> usize {
    text.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

fn is_wide(c: char) -> bool {
    matches!(c as u32,
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD)
}

/// Points per line of 11-point text: a wrapped cell's row is set this
/// tall per line, since neither Excel nor LibreOffice grows it on opening.
pub const LINE_HEIGHT: f64 = 14.5;

/// How many lines a wrapped text takes in a column of `width`.
pub fn wrapped_lines(text: &str, width: f64) -> f64 {
    let per_line = (width - 2.0).max(2.0);
    text.lines()
        .map(|l| (text_width(l) as f64 / per_line).ceil().max(1.0))
        .sum::<f64>()
        .max(1.0)
}

/// The widths of a sheet's columns, grown cell by cell as they are
/// written, each between its least and its most.
#[derive(Clone, Debug)]
pub struct Widths {
    widths: Vec<usize>,
    limits: Vec<(usize, usize)>,
}

impl Widths {
    /// One `(least, most)` per column.
    pub fn new(limits: Vec<(usize, usize)>) -> Widths {
        Widths {
            widths: limits.iter().map(|l| l.0).collect(),
            limits,
        }
    }

    /// Counts a cell's text (only its longest line, for wrapped cells).
    pub fn fit(&mut self, column: usize, text: &str) {
        if let Some(w) = self.widths.get_mut(column) {
            let most = self.limits[column].1;
            if *w < most {
                let longest = text.lines().map(text_width).max().unwrap_or(0);
                // Two for the cell's padding and the filter button.
                *w = (*w).max(longest + 2).min(most);
            }
        }
    }

    /// Each column's width, in Excel's unit.
    pub fn get(&self) -> impl Iterator<Item = (u16, f64)> + '_ {
        self.widths
            .iter()
            .enumerate()
            .map(|(i, w)| (i as u16, *w as f64))
    }
}

/// Text for a page header or footer: `&` is Excel's code character there.
pub fn header_footer_text(text: &str) -> String {
    text.replace('&', "&&")
}

/// A date as Excel stores it.
pub fn excel_date(date: Date) -> ExcelDateTime {
    // Every Date bidui holds is a real calendar day within Excel's range.
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8)
        .unwrap_or_else(|_| ExcelDateTime::from_serial_datetime(0.0).expect("serial 0"))
}

/// Document properties with the check's date as the creation date (not
/// the clock's), so rewriting a period gives the same bytes.
pub fn properties(title: &str, as_of: Date) -> DocProperties {
    DocProperties::new()
        .set_title(title)
        .set_author("bidui")
        .set_creation_datetime(&excel_date(as_of))
}

/// The error of a workbook that could not be built or saved.
pub fn xlsx_error(path: &Path, e: XlsxError) -> Error {
    Error::Write {
        target: path.display().to_string(),
        source: io::Error::other(e),
    }
}

/// Saves a workbook atomically; gives its size.
pub fn save(workbook: &mut Workbook, path: &Path) -> Result<u64> {
    let bytes = workbook.save_to_buffer().map_err(|e| xlsx_error(path, e))?;
    super::write_atomically(path, |w| w.write_all(&bytes))
}

/// Saves one of many workbooks into a staging folder (synced as a whole
/// when it is committed), through `buffer`, which is reused from one
/// workbook to the next.
pub fn save_staged(workbook: &mut Workbook, path: &Path, buffer: &mut Vec<u8>) -> Result<u64> {
    buffer.clear();
    workbook
        .save_to_writer(&mut *buffer)
        .map_err(|e| xlsx_error(path, e))?;
    super::write_atomically_unsynced(path, |w| w.write_all(buffer))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_safe_on_windows() {
        let cases = [
            ("临河镇-东胡庄村", "临河镇-东胡庄村"),
            ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
            ("村\t委会\n", "村_委会"),
            ("东风村. . ", "东风村"),
            ("  ", "_"),
            ("...", "_"),
            ("CON", "_CON"),
            ("nul.txt", "_nul.txt"),
            ("COM10", "COM10"),
            ("CONTOSO", "CONTOSO"),
        ];
        for (name, want) in cases {
            assert_eq!(safe_file_name(name), want, "{name:?}");
        }
        let long = "长".repeat(200);
        assert_eq!(safe_file_name(&long).chars().count(), MAX_FILE_STEM);
    }

    #[test]
    fn sheet_names_fit_excel() {
        let cases = [
            ("Q01 身份证号无效", "Q01 身份证号无效"),
            ("H01 户籍有、WIS无（漏报）", "H01 户籍有、WIS无（漏报）"),
            ("a[b]c:d*e?f/g\\h", "abcdefgh"),
            ("'引号'", "引号"),
            ("", "_"),
            ("[]", "_"),
        ];
        for (name, want) in cases {
            assert_eq!(sheet_name(name), want, "{name:?}");
        }
        let long = format!("B04 {}", "很长的类别名称".repeat(6));
        let got = sheet_name(&long);
        assert_eq!(got.chars().count(), 31);
        assert!(got.starts_with("B04 很长"));
    }

    #[test]
    fn chinese_text_is_twice_as_wide() {
        let cases = [
            ("", 0),
            ("abc", 3),
            ("姓名", 4),
            ("Q01 身份证号无效", 16),
            ("（漏报）", 8),
            ("371326********706X", 18),
        ];
        for (text, want) in cases {
            assert_eq!(text_width(text), want, "{text:?}");
        }
    }

    #[test]
    fn widths_grow_with_the_text_within_limits() {
        let mut w = Widths::new(vec![(4, 10), (6, 40), (8, 8)]);
        w.fit(0, "ab");
        w.fit(1, "东胡庄村");
        w.fit(1, "第一行\n比第一行长得多的第二行");
        w.fit(2, "很长很长很长很长");
        w.fit(7, "no such column");
        let got: Vec<(u16, f64)> = w.get().collect();
        assert_eq!(got, vec![(0, 4.0), (1, 24.0), (2, 8.0)]);
        w.fit(0, "一二三四五六七八");
        assert_eq!(w.get().next(), Some((0, 10.0)));
    }

    #[test]
    fn wrapped_text_takes_lines_by_its_width() {
        let cases = [
            ("", 40.0, 1.0),
            ("短", 40.0, 1.0),
            (&*"说".repeat(19), 40.0, 1.0),
            (&*"说".repeat(20), 40.0, 2.0),
            ("一行\n两行", 40.0, 2.0),
            ("abc", 1.0, 2.0),
        ];
        for (text, width, want) in cases {
            assert_eq!(wrapped_lines(text, width), want, "{text:?}");
        }
    }

    #[test]
    fn header_text_escapes_the_code_character() {
        assert_eq!(header_footer_text("A&B村"), "A&&B村");
        assert_eq!(header_footer_text("东胡庄村"), "东胡庄村");
    }
}
