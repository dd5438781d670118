//! cases.csv and summary.json: what `bidui check` found, for the
//! statistician and for scripts.
//!
//! Takes the registers and their cases and gives the files (cases.csv in
//! UTF-8 with BOM, so Excel opens it in Chinese; summary.json), each written
//! atomically. A case's place is resolved here: its file (relative to the
//! config's folder), sheet and row, the record's ID number and name, and
//! the other side's record; each case gets its stable id (see
//! [`crate::classify::case::case_id`]). The columns are documented in
//! docs/check.md.

use std::collections::HashMap;
use std::path::Path;

use serde::Serialize;

use crate::classify::case::case_id;
use crate::classify::{Case, Category, RecordRef, Registers};
use crate::error::Result;
use crate::load::SourceKind;

pub const HEADER: [&str; 15] = [
    "case_id",
    "category",
    "category_name",
    "source",
    "file",
    "sheet",
    "row",
    "field",
    "id_number",
    "name",
    "note",
    "other_source",
    "other_file",
    "other_sheet",
    "other_row",
];

/// Where a record is, as a person finds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Place {
    pub source: SourceKind,
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

/// One line of cases.csv.
#[derive(Clone, Debug, Serialize)]
pub struct CaseRow {
    pub case_id: String,
    pub category: Category,
    pub place: Place,
    pub field: String,
    pub id_number: String,
    pub name: String,
    pub note: String,
    pub other: Option<Place>,
}

/// A file path as the output shows it: relative to `base` where it lies
/// below it, with `/`.
fn shown(file: &str, base: &Path) -> String {
    let p = Path::new(file);
    let rel = p.strip_prefix(base).unwrap_or(p);
    rel.to_string_lossy().replace('\\', "/")
}

fn place(registers: &Registers, r: RecordRef, base: &Path) -> Option<Place> {
    let reg = registers.get(r.source)?;
    let i = r.index as usize;
    let o = &reg.records.origins;
    Some(Place {
        source: r.source,
        file: shown(o.file(i), base),
        sheet: o.sheet(i).to_string(),
        row: o.row(i),
    })
}

/// The primary record's own ID number and name: the person's, the woman's
/// of a registration, the mother's of a birth record.
fn who(registers: &Registers, r: RecordRef) -> (String, String) {
    let Some(reg) = registers.get(r.source) else {
        return Default::default();
    };
    let (id, name) = match r.source {
        SourceKind::Wis | SourceKind::Household => ("id_number", "name"),
        SourceKind::Marriage => ("female_id", "female_name"),
        SourceKind::Birth => ("mother_id", "mother_name"),
    };
    let rec = &reg.records;
    let i = r.index as usize;
    let col = rec.id(id);
    let id = col
        .get(i)
        .or_else(|| col.raw.get(i).and_then(|v| v.as_deref()))
        .unwrap_or_default()
        .trim()
        .to_string();
    (id, rec.text(name, i).unwrap_or_default().to_string())
}

/// Resolves cases (sorted) into rows with stable, unique ids: a second case
/// with the same id (one woman's two registrations on one day) gets `-2`.
pub fn rows(registers: &Registers, cases: &[Case], base: &Path) -> Vec<CaseRow> {
    let mut seen: HashMap<String, u32> = HashMap::new();
    cases
        .iter()
        .filter_map(|c| {
            let place = place(registers, c.record, base)?;
            let mut id = case_id(
                c.category,
                place.source,
                &place.file,
                &place.sheet,
                &c.identity,
                &c.field,
            );
            let n = seen.entry(id.clone()).or_insert(0);
            *n += 1;
            if *n > 1 {
                id = format!("{id}-{n}");
            }
            let (id_number, name) = who(registers, c.record);
            Some(CaseRow {
                case_id: id,
                category: c.category,
                place,
                field: c.field.clone(),
                id_number,
                name,
                note: c.note.clone(),
                other: c.other.and_then(|o| place_of(registers, o, base)),
            })
        })
        .collect()
}

fn place_of(registers: &Registers, r: RecordRef, base: &Path) -> Option<Place> {
    place(registers, r, base)
}

/// Writes cases.csv; gives its size.
pub fn write_csv(path: &Path, rows: &[CaseRow]) -> Result<u64> {
    crate::report::write_atomically(path, |w| {
        w.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(HEADER)?;
        for r in rows {
            let other = r.other.as_ref();
            csv.write_record([
                r.case_id.as_str(),
                r.category.code(),
                r.category.label(),
                r.place.source.key(),
                &r.place.file,
                &r.place.sheet,
                &r.place.row.to_string(),
                &r.field,
                &r.id_number,
                &r.name,
                &r.note,
                other.map_or("", |o| o.source.key()),
                other.map_or("", |o| o.file.as_str()),
                other.map_or("", |o| o.sheet.as_str()),
                &other.map_or(String::new(), |o| o.row.to_string()),
            ])?;
        }
        csv.flush()?;
        Ok(())
    })
}

/// Writes summary.json (pretty, UTF-8); gives its size.
pub fn write_summary(path: &Path, summary: &serde_json::Value) -> Result<u64> {
    crate::report::write_atomically(path, |w| {
        serde_json::to_writer_pretty(&mut *w, summary)?;
        w.write_all(b"\n")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_shown_below_the_config_folder() {
        let cases = [
            ("/c/wis/a.xlsx", "/c", "wis/a.xlsx"),
            ("/d/wis/a.xlsx", "/c", "/d/wis/a.xlsx"),
            ("examples/../t/wis/a.xlsx", "examples", "../t/wis/a.xlsx"),
        ];
        for (file, base, want) in cases {
            assert_eq!(shown(file, Path::new(base)), want);
        }
    }
}
