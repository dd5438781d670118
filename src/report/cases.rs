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
use crate::classify::{Case, Category, Classified, Found, RecordRef, Records, Registers};
use crate::error::Result;
use crate::ledger::CaseStatus;
use crate::load::SourceKind;

pub const HEADER: [&str; 22] = [
    "case_id",
    "category",
    "category_name",
    "source",
    "file",
    "sheet",
    "row",
    "other_source",
    "other_file",
    "other_sheet",
    "other_row",
    "village_code",
    "village",
    "name",
    "id_number",
    "field",
    "value",
    "other_value",
    "weight",
    "explanation",
    "note",
    "status",
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
    /// The village the case goes to: its 12-digit code where known, and
    /// its name where known (both empty: unassigned).
    pub village_code: String,
    pub village: String,
    /// The field's value in the record and in the other side's record.
    pub value: String,
    pub other_value: String,
    /// The engine's pair behind the case, where there is one.
    pub weight: Option<f64>,
    pub explanation: String,
    /// Against the ledger: new, persisting or overdue (confirmed cases are
    /// not written).
    pub status: CaseStatus,
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

/// How a field of a case is read from a register.
#[derive(Clone, Copy)]
enum Column {
    Id(&'static str),
    Text(&'static str),
    Date(&'static str),
    Sex(&'static str),
    Village,
    /// A registration's type, as 结婚 / 离婚.
    RegType,
}

/// The column of `source` that holds a case's field (as classification
/// names it: see docs/check.md), when it has one.
fn column(source: SourceKind, field: &str) -> Option<Column> {
    use Column::*;
    Some(match (source, field) {
        (_, "record") => return None,
        (SourceKind::Wis | SourceKind::Household, f) => match f {
            "id_number" => Id("id_number"),
            "spouse_id" | "man_id" => Id("spouse_id"),
            "mother_id" => Id("mother_id"),
            "name" => Text("name"),
            "birth_date" | "child_birth_date" => Date("birth_date"),
            "marriage_date" => Date("marriage_date"),
            "sex" | "child_sex" => Sex("sex"),
            "marital_status" => Text("marital_status"),
            "hukou_village" => Village,
            _ => return None,
        },
        (SourceKind::Marriage, f) => match f {
            "male_id" | "man_id" => Id("male_id"),
            "female_id" => Id("female_id"),
            "marriage_date" => Date("reg_date"),
            "marital_status" => RegType,
            "man_birth_date" => Date("male_birth_date"),
            "woman_birth_date" => Date("female_birth_date"),
            _ => return None,
        },
        (SourceKind::Birth, f) => match f {
            "mother_id" => Id("mother_id"),
            "father_id" => Id("father_id"),
            "birth_date" | "child_birth_date" => Date("birth_date"),
            "child_sex" => Sex("child_sex"),
            _ => return None,
        },
    })
}

/// One column's value of a record, as text: an ID number cleaned (or as
/// written when it can't be), a date as `YYYY-MM-DD`, sex as 男/女.
fn read(reg: &Records, column: Column, i: usize) -> String {
    match column {
        Column::Id(c) => {
            let col = reg.id(c);
            col.get(i)
                .or_else(|| col.raw.get(i).and_then(|v| v.as_deref()))
                .unwrap_or_default()
                .trim()
                .to_string()
        }
        Column::Text(c) => reg.text(c, i).unwrap_or_default().to_string(),
        Column::Date(c) => reg.date(c, i).map(|d| d.to_string()).unwrap_or_default(),
        Column::Sex(c) => match reg.sex(c, i) {
            Some(1) => "男".into(),
            Some(2) => "女".into(),
            _ => reg.text(c, i).unwrap_or_default().to_string(),
        },
        Column::RegType => match reg.text("reg_type", i) {
            Some("marriage") => "结婚".into(),
            Some("divorce") => "离婚".into(),
            other => other.unwrap_or_default().to_string(),
        },
        Column::Village => reg
            .text("village_name", i)
            .or_else(|| reg.text("village_code", i))
            .unwrap_or_default()
            .to_string(),
    }
}

/// The values of a case's field (several joined by `;`) in its record and
/// in the other side's record.
fn values(registers: &Registers, c: &Case) -> (String, String) {
    let side = |r: RecordRef, other_of: Option<SourceKind>| -> String {
        let Some(reg) = registers.get(r.source) else {
            return String::new();
        };
        let parts: Vec<String> = c
            .field
            .split(';')
            .map(|f| {
                // A birth record's mother is the WIS record's own person.
                let col = match (other_of, r.source, f) {
                    (Some(SourceKind::Birth), SourceKind::Wis, "mother_id") => {
                        Some(Column::Id("id_number"))
                    }
                    _ => column(r.source, f),
                };
                col.map(|col| read(&reg.records, col, r.index as usize))
                    .unwrap_or_default()
            })
            .collect();
        if parts.iter().all(String::is_empty) {
            String::new()
        } else {
            parts.join(";")
        }
    };
    (
        side(c.record, None),
        c.other
            .map(|o| side(o, Some(c.record.source)))
            .unwrap_or_default(),
    )
}

/// Resolves cases (sorted) into rows with stable, unique ids: a second case
/// with the same id (one woman's two registrations on one day) gets `-2`.
pub fn rows(registers: &Registers, classified: &Classified, base: &Path) -> Vec<CaseRow> {
    let cases = &classified.cases;
    let codes = village_codes(registers);
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
            let (value, other_value) = values(registers, c);
            let (mut village_code, village) = village(registers, &classified.found, c.record);
            if village_code.is_empty()
                && let Some(Some(code)) = codes.get(village.as_str())
            {
                village_code = code.clone();
            }
            Some(CaseRow {
                case_id: id,
                category: c.category,
                place,
                field: c.field.clone(),
                id_number,
                name,
                note: c.note.clone(),
                other: c.other.and_then(|o| place_of(registers, o, base)),
                village_code,
                village,
                value,
                other_value,
                weight: c.pair.as_ref().map(|p| p.weight),
                explanation: c
                    .pair
                    .as_ref()
                    .map(|p| p.explanation.clone())
                    .unwrap_or_default(),
                status: CaseStatus::New,
            })
        })
        .collect()
}

/// Each village name the registers give together with a code, and that
/// code — `None` where one name comes with several codes (two towns' 曹集村):
/// a household export that names villages only gets the code WIS gives the
/// same name, never a code chosen among several.
fn village_codes(registers: &Registers) -> HashMap<String, Option<String>> {
    let mut codes: HashMap<String, Option<String>> = HashMap::new();
    for reg in registers.all() {
        let rec = &reg.records;
        for i in 0..rec.len {
            if let (Some(code), Some(name)) =
                (rec.text("village_code", i), rec.text("village_name", i))
            {
                match codes.get_mut(name) {
                    None => {
                        codes.insert(name.to_string(), Some(code.to_string()));
                    }
                    Some(seen) => {
                        if seen.as_deref() != Some(code) {
                            *seen = None;
                        }
                    }
                }
            }
        }
    }
    codes
}

/// The village a record itself gives: its code and name, where the file
/// has either.
fn own_village(registers: &Registers, source: SourceKind, i: u32) -> Option<(String, String)> {
    let rec = &registers.get(source)?.records;
    let i = i as usize;
    let (code, name) = (rec.text("village_code", i), rec.text("village_name", i));
    if code.is_none() && name.is_none() {
        return None;
    }
    Some((
        code.unwrap_or_default().to_string(),
        name.unwrap_or_default().to_string(),
    ))
}

/// The village a case goes to (domain §6, issue 6): the village of the
/// person's household registration where known (a household record's own;
/// else the active household record the engine linked the person to), else
/// WIS's (the record's own, or the woman's / mother's WIS record), else the
/// registration's or certificate's own. Empty when none is known: the case
/// is unassigned, never given a guessed village.
fn village(registers: &Registers, found: &Found, r: RecordRef) -> (String, String) {
    let household = if r.source == SourceKind::Household {
        Some(r.index)
    } else {
        found.household_of(r)
    };
    let wis = if r.source == SourceKind::Wis {
        Some(r.index)
    } else {
        found.wis_of(r)
    };
    household
        .and_then(|h| own_village(registers, SourceKind::Household, h))
        .or_else(|| wis.and_then(|w| own_village(registers, SourceKind::Wis, w)))
        .or_else(|| {
            matches!(r.source, SourceKind::Marriage | SourceKind::Birth)
                .then(|| own_village(registers, r.source, r.index))
                .flatten()
        })
        .unwrap_or_default()
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
                other.map_or("", |o| o.source.key()),
                other.map_or("", |o| o.file.as_str()),
                other.map_or("", |o| o.sheet.as_str()),
                &other.map_or(String::new(), |o| o.row.to_string()),
                &r.village_code,
                &r.village,
                &r.name,
                &r.id_number,
                &r.field,
                &r.value,
                &r.other_value,
                &r.weight.map_or(String::new(), |w| format!("{w:.2}")),
                &r.explanation,
                &r.note,
                r.status.key(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    })
}

impl CaseRow {
    /// Whether no village could be told for the case.
    pub fn unassigned(&self) -> bool {
        self.village_code.is_empty() && self.village.is_empty()
    }

    /// The digest the ledger keeps of the case's data — its value, other
    /// value, name and ID number — so next month can tell "unchanged"
    /// (docs/workbooks.md).
    pub fn data_digest(&self) -> String {
        crate::classify::digest(&[&self.value, &self.other_value, &self.name, &self.id_number])
    }

    /// The key the summary counts the case's village by: its code, else
    /// its name.
    pub fn village_key(&self) -> &str {
        if self.village_code.is_empty() {
            &self.village
        } else {
            &self.village_code
        }
    }
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
