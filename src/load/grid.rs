//! The rows of one sheet as text, whatever the file's format was.
//!
//! Takes cells from a CSV reader, a workbook or a markup table and gives
//! [`Sheet`]s of [`Row`]s: each row keeps the number a person sees for it
//! (the spreadsheet row, or the CSV line counting title and header lines)
//! and its cells as text, with the columns whose cell was a number noted,
//! because an ID that went through a number has lost digits.

use csv::StringRecord;

/// One row of a sheet.
#[derive(Clone, Debug, Default)]
pub struct Row {
    /// The row number a person sees in the file (1-based).
    pub number: u64,
    pub cells: StringRecord,
    /// Columns (0-based) whose cell was stored as a number.
    pub numeric: Vec<u16>,
}

impl Row {
    pub fn new(number: u64, cells: StringRecord) -> Row {
        Row {
            number,
            cells,
            numeric: Vec::new(),
        }
    }

    /// The text of column `i`, trimmed; empty when the row is shorter.
    pub fn cell(&self, i: usize) -> &str {
        self.cells.get(i).map_or("", str::trim)
    }

    pub fn is_numeric(&self, i: usize) -> bool {
        self.numeric.iter().any(|&c| usize::from(c) == i)
    }

    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The non-empty cells, for messages.
    pub fn preview(&self, max: usize) -> String {
        let cells: Vec<&str> = self
            .cells
            .iter()
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .take(max)
            .collect();
        cells.join(" | ")
    }
}

/// The rows of one sheet (a CSV file is one sheet without a name).
#[derive(Clone, Debug, Default)]
pub struct Sheet {
    pub name: Option<String>,
    pub rows: Vec<Row>,
}

/// Builds a row from cells that may each be text or a number.
#[derive(Default)]
pub struct RowBuilder {
    cells: StringRecord,
    numeric: Vec<u16>,
}

impl RowBuilder {
    pub fn text(&mut self, text: &str) {
        self.cells.push_field(text);
    }

    pub fn number(&mut self, value: f64) {
        if let Ok(col) = u16::try_from(self.cells.len()) {
            self.numeric.push(col);
        }
        self.cells.push_field(&excel_general(value));
    }

    pub fn len(&self) -> usize {
        self.cells.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    pub fn finish(&mut self, number: u64) -> Row {
        // Trailing empty cells carry nothing and make rows look ragged.
        let mut keep = self.cells.len();
        while keep > 0 && self.cells.get(keep - 1).is_some_and(str::is_empty) {
            keep -= 1;
        }
        self.cells.truncate(keep);
        Row {
            number,
            cells: std::mem::take(&mut self.cells),
            numeric: std::mem::take(&mut self.numeric),
        }
    }
}

/// A number as Excel's General format shows it: integers up to 11 digits
/// as they are, larger ones in scientific notation with 15 significant
/// digits (`3.70404199001011E+17`), which is all Excel ever kept of them.
pub fn excel_general(value: f64) -> String {
    if !value.is_finite() {
        return value.to_string();
    }
    if value.fract() == 0.0 && value.abs() < 1e11 {
        return format!("{}", value as i64);
    }
    if value.abs() >= 1e11 {
        let s = format!("{value:.14E}");
        // 3.70404199001011E17 → 3.70404199001011E+17, without trailing zeros.
        if let Some((mantissa, exp)) = s.split_once('E') {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            let exp: i32 = exp.parse().unwrap_or(0);
            return format!(
                "{mantissa}E{}{:02}",
                if exp < 0 { '-' } else { '+' },
                exp.abs()
            );
        }
        return s;
    }
    let s = format!("{value:.10}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_show_as_excel_shows_them() {
        let cases = [
            (370404199001011230.0, "3.70404199001011E+17"),
            (370404900101123.0, "3.70404900101123E+14"),
            (41907.0, "41907"),
            (21.0, "21"),
            (0.5, "0.5"),
            (41907.375, "41907.375"),
            (-3.0, "-3"),
        ];
        for (value, shown) in cases {
            assert_eq!(excel_general(value), shown, "{value}");
        }
    }

    #[test]
    fn rows_remember_numeric_cells_and_drop_trailing_blanks() {
        let mut b = RowBuilder::default();
        b.text("张三");
        b.number(370404199001011230.0);
        b.text("");
        let row = b.finish(7);
        assert_eq!(row.number, 7);
        assert_eq!(row.cells.len(), 2);
        assert!(row.is_numeric(1));
        assert!(!row.is_numeric(0));
        assert_eq!(row.cell(1), "3.70404199001011E+17");
        assert_eq!(row.cell(5), "");
    }
}
