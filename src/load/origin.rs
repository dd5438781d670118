//! Where each record came from — file, sheet, row — kept apart from the
//! canonical table, so that a stage that needs only that (writing a pairs
//! file) can let the table go. File and sheet names are stored once each.

use polars::prelude::{DataFrame, PolarsResult};

#[derive(Clone, Debug, Default)]
pub struct Origins {
    names: Vec<String>,
    file: Vec<u32>,
    sheet: Vec<u32>,
    row: Vec<u32>,
}

const NONE: u32 = u32::MAX;

impl Origins {
    pub fn of(table: &DataFrame) -> PolarsResult<Origins> {
        let mut origins = Origins::default();
        let mut index = std::collections::HashMap::<String, u32>::new();
        let mut intern = |names: &mut Vec<String>, s: Option<&str>| -> u32 {
            match s {
                None => NONE,
                Some(s) => *index.entry(s.to_string()).or_insert_with(|| {
                    names.push(s.to_string());
                    (names.len() - 1) as u32
                }),
            }
        };
        let files = table.column("file")?.str()?;
        let sheets = table.column("sheet")?.str()?;
        let rows = table.column("row")?.u32()?;
        for ((f, s), r) in files.iter().zip(sheets.iter()).zip(rows.iter()) {
            let fi = intern(&mut origins.names, f);
            let si = intern(&mut origins.names, s);
            origins.file.push(fi);
            origins.sheet.push(si);
            origins.row.push(r.unwrap_or(0));
        }
        Ok(origins)
    }

    fn name(&self, i: u32) -> &str {
        if i == NONE {
            ""
        } else {
            &self.names[i as usize]
        }
    }

    pub fn file(&self, record: usize) -> &str {
        self.name(self.file[record])
    }

    pub fn sheet(&self, record: usize) -> &str {
        self.name(self.sheet[record])
    }

    pub fn row(&self, record: usize) -> u32 {
        self.row[record]
    }

    pub fn len(&self) -> usize {
        self.row.len()
    }

    pub fn is_empty(&self) -> bool {
        self.row.is_empty()
    }
}
