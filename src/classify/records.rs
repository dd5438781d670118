//! The fields classification reads, taken once from a canonical table.
//!
//! Takes a loaded register (its canonical polars table) and gives a
//! [`Records`]: plain columns — cleaned ID numbers with their validity,
//! normalised names, parsed dates, standard codes — indexed like the table,
//! so the category rules never touch polars and never re-normalise.

use polars::prelude::{DataFrame, PolarsResult};

use crate::block::FnvMap;
use crate::identity::Date;
use crate::load::SourceKind;
use crate::load::origin::Origins;

/// One ID column: the cleaned number (null when empty), whether it is valid,
/// and the cell's text (for the message of an invalid one).
#[derive(Clone, Debug, Default)]
pub struct IdColumn {
    pub cleaned: Vec<Option<String>>,
    pub valid: Vec<bool>,
    pub raw: Vec<Option<String>>,
    /// The number's kind (`empty` when the cell was empty).
    pub kind: Vec<Option<String>>,
}

impl IdColumn {
    /// The cleaned number of a record, when it has one.
    pub fn get(&self, i: usize) -> Option<&str> {
        self.cleaned.get(i).and_then(|v| v.as_deref())
    }

    /// The cleaned number of a record when it is valid.
    pub fn valid_id(&self, i: usize) -> Option<&str> {
        if self.valid.get(i).copied().unwrap_or(false) {
            self.get(i)
        } else {
            None
        }
    }

    /// Whether the cell held anything that is no valid number.
    pub fn is_invalid(&self, i: usize) -> bool {
        let empty = matches!(
            self.kind.get(i).and_then(|k| k.as_deref()),
            Some("empty") | None
        ) && self.get(i).is_none();
        !empty && !self.valid.get(i).copied().unwrap_or(false)
    }
}

/// A register's records as classification reads them.
#[derive(Debug)]
pub struct Records {
    pub kind: SourceKind,
    pub origins: Origins,
    pub len: usize,
    /// Text columns by canonical name (absent columns are all null).
    // Looked up by name millions of times: FNV, not SipHash.
    text: FnvMap<&'static str, Vec<Option<String>>>,
    dates: FnvMap<&'static str, Vec<Option<Date>>>,
    ids: FnvMap<&'static str, IdColumn>,
}

/// The columns each register is read for.
fn wanted(
    kind: SourceKind,
) -> (
    &'static [&'static str],
    &'static [&'static str],
    &'static [&'static str],
) {
    match kind {
        SourceKind::Wis | SourceKind::Household => (
            &["id_number", "spouse_id", "mother_id"],
            &[
                "name",
                "name_status",
                "sex",
                "marital_status",
                "village_code",
                "village_name",
                "town",
                "status",
            ],
            &["birth_date", "marriage_date"],
        ),
        SourceKind::Marriage => (
            &["male_id", "female_id"],
            &[
                "reg_type",
                "male_name",
                "female_name",
                "certificate_no",
                "female_name_status",
                "village_code",
                "village_name",
                "town",
            ],
            &["reg_date", "male_birth_date", "female_birth_date"],
        ),
        SourceKind::Birth => (
            &["mother_id", "father_id"],
            &[
                "certificate_no",
                "child_name",
                "child_name_status",
                "child_sex",
                "mother_name",
                "village_code",
                "village_name",
                "town",
            ],
            &["birth_date"],
        ),
    }
}

fn strings(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<String>>> {
    let col = df.column(name)?.str()?;
    Ok(col.iter().map(|v| v.map(str::to_string)).collect())
}

fn bools(df: &DataFrame, name: &str) -> PolarsResult<Vec<bool>> {
    let col = df.column(name)?.bool()?;
    Ok(col.iter().map(|v| v.unwrap_or(false)).collect())
}

fn dates(df: &DataFrame, name: &str) -> PolarsResult<Vec<Option<Date>>> {
    let col = df.column(name)?.date()?;
    Ok(col
        .physical()
        .iter()
        .map(|v| v.map(|d| Date::from_days_since_epoch(i64::from(d))))
        .collect())
}

impl Records {
    /// Reads the columns classification needs from a canonical table.
    pub fn of(kind: SourceKind, df: &DataFrame) -> PolarsResult<Records> {
        let n = df.height();
        let (id_cols, text_cols, date_cols) = wanted(kind);
        let mut ids = FnvMap::default();
        for &c in id_cols {
            if df.column(c).is_err() {
                continue;
            }
            ids.insert(
                c,
                IdColumn {
                    cleaned: strings(df, c)?,
                    valid: bools(df, &format!("{c}_valid"))?,
                    raw: strings(df, &format!("{c}_raw"))?,
                    kind: strings(df, &format!("{c}_kind"))?,
                },
            );
        }
        let mut text = FnvMap::default();
        for &c in text_cols {
            if df.column(c).is_ok() {
                text.insert(c, strings(df, c)?);
            }
        }
        let mut date_map = FnvMap::default();
        for &c in date_cols {
            if df.column(c).is_ok() {
                date_map.insert(c, dates(df, c)?);
            }
        }
        Ok(Records {
            kind,
            origins: Origins::of(df)?,
            len: n,
            text,
            dates: date_map,
            ids,
        })
    }

    /// A text column's value (codes as their standard code text).
    pub fn text(&self, column: &str, i: usize) -> Option<&str> {
        self.text
            .get(column)
            .and_then(|c| c.get(i))
            .and_then(|v| v.as_deref())
            .filter(|s| !s.is_empty())
    }

    pub fn date(&self, column: &str, i: usize) -> Option<Date> {
        self.dates
            .get(column)
            .and_then(|c| c.get(i))
            .copied()
            .flatten()
    }

    /// An ID column (an empty one when the register has none).
    pub fn id(&self, column: &str) -> &IdColumn {
        static EMPTY: std::sync::OnceLock<IdColumn> = std::sync::OnceLock::new();
        self.ids
            .get(column)
            .unwrap_or_else(|| EMPTY.get_or_init(IdColumn::default))
    }

    /// A given name (not blank, not a newborn's placeholder).
    pub fn given_name(&self, name_column: &str, i: usize) -> Option<&str> {
        // Called for every record by several rules: no string built per call.
        let status = match name_column {
            "name" => self.text("name_status", i),
            "child_name" => self.text("child_name_status", i),
            other => self.text(&format!("{other}_status"), i),
        };
        if status.is_some_and(|s| s != "given") {
            return None;
        }
        self.text(name_column, i)
    }

    /// Sex as 1 male, 2 female, from a code column.
    pub fn sex(&self, column: &str, i: usize) -> Option<u8> {
        self.text(column, i)
            .and_then(|s| s.parse::<u8>().ok())
            .filter(|s| *s == 1 || *s == 2)
    }

    /// A marital status code (10 … 90).
    pub fn marital(&self, i: usize) -> Option<u16> {
        self.text("marital_status", i).and_then(|s| s.parse().ok())
    }

    /// The village of the record: its code where the file has one, else
    /// its name.
    pub fn village(&self, i: usize) -> Option<&str> {
        self.text("village_code", i)
            .or_else(|| self.text("village_name", i))
    }
}
