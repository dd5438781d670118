//! Person views: the fields the engine compares, taken from a canonical table.
//!
//! Takes a register's canonical table and a [`Role`] — the person of a WIS or
//! household record, the woman or man of a marriage registration, the mother,
//! father or child of a birth certificate — and gives one [`Person`] per
//! record: cleaned ID (and whether it is valid or damaged), normalised name
//! and pinyin keys, birth date and sex (from the record, else from a valid
//! ID), village code and name, and for children the mother's ID.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use polars::prelude::{DataFrame, PolarsResult};

use crate::identity::{Date, IdParser};
use crate::load::SourceKind;

/// Whose record in a register is linked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Role {
    /// The person of a WIS or household record.
    Person,
    /// 女方 of a marriage registration.
    Female,
    /// 男方 of a marriage registration.
    Male,
    /// 母亲 of a birth certificate.
    Mother,
    /// 父亲 of a birth certificate.
    Father,
    /// The child of a birth certificate.
    Child,
}

impl Role {
    /// The role a register is linked by when none is named.
    pub fn default_for(kind: SourceKind) -> Role {
        match kind {
            SourceKind::Wis | SourceKind::Household => Role::Person,
            SourceKind::Marriage => Role::Female,
            SourceKind::Birth => Role::Mother,
        }
    }

    pub fn allowed(self, kind: SourceKind) -> bool {
        matches!(
            (kind, self),
            (SourceKind::Wis | SourceKind::Household, Role::Person)
                | (SourceKind::Marriage, Role::Female | Role::Male)
                | (SourceKind::Birth, Role::Mother | Role::Father | Role::Child)
        )
    }

    pub fn key(self) -> &'static str {
        match self {
            Role::Person => "person",
            Role::Female => "female",
            Role::Male => "male",
            Role::Mother => "mother",
            Role::Father => "father",
            Role::Child => "child",
        }
    }

    /// (id, name, birth date, sex) columns of the role; `None` where the
    /// register has no such column, and a fixed sex where the role says it.
    fn columns(
        self,
    ) -> (
        Option<&'static str>,
        &'static str,
        Option<&'static str>,
        Sexed,
    ) {
        match self {
            Role::Person => (
                Some("id_number"),
                "name",
                Some("birth_date"),
                Sexed::Column("sex"),
            ),
            Role::Female => (
                Some("female_id"),
                "female_name",
                Some("female_birth_date"),
                Sexed::Fixed(2),
            ),
            Role::Male => (
                Some("male_id"),
                "male_name",
                Some("male_birth_date"),
                Sexed::Fixed(1),
            ),
            Role::Mother => (Some("mother_id"), "mother_name", None, Sexed::Fixed(2)),
            Role::Father => (Some("father_id"), "father_name", None, Sexed::Fixed(1)),
            Role::Child => (
                None,
                "child_name",
                Some("birth_date"),
                Sexed::Column("child_sex"),
            ),
        }
    }
}

enum Sexed {
    Column(&'static str),
    Fixed(u8),
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        [
            Role::Person,
            Role::Female,
            Role::Male,
            Role::Mother,
            Role::Father,
            Role::Child,
        ]
        .into_iter()
        .find(|r| r.key() == s.trim())
        .ok_or_else(|| format!("“{s}”不是角色；可用：person、female、male、mother、father、child"))
    }
}

/// What the engine knows of one record's person.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Person {
    /// Index of the record in its canonical table.
    pub index: u32,
    /// The cleaned ID (for a damaged one, the text the cell showed).
    pub id: Option<String>,
    pub id_valid: bool,
    pub id_damaged: bool,
    /// Normalised name; empty when there is none yet.
    pub name: String,
    /// Pinyin keys joined by `|`.
    pub pinyin: String,
    pub birth: Option<Date>,
    /// 1 male, 2 female.
    pub sex: Option<u8>,
    /// The birth date and sex were read from the ID number, not stated by
    /// the record: they say nothing beyond what the ID numbers say.
    pub birth_from_id: bool,
    pub sex_from_id: bool,
    /// Shared between the records of one village.
    pub village_code: Option<Arc<str>>,
    pub village_name: Option<Arc<str>>,
    /// For children: the mother's cleaned ID.
    pub mother_id: Option<String>,
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

/// The persons of a canonical table in a role, in table order.
pub fn persons(df: &DataFrame, role: Role, as_of: Date) -> PolarsResult<Vec<Person>> {
    let n = df.height();
    let (id_col, name_col, birth_col, sexed) = role.columns();
    let (ids, kinds, valid) = match id_col {
        Some(c) => (
            strings(df, c)?,
            strings(df, &format!("{c}_kind"))?,
            bools(df, &format!("{c}_valid"))?,
        ),
        None => (vec![None; n], vec![None; n], vec![false; n]),
    };
    let names = strings(df, name_col)?;
    let status = strings(df, &format!("{name_col}_status"))?;
    let pinyin = strings(df, &format!("{name_col}_pinyin"))?;
    let births = match birth_col {
        Some(c) => dates(df, c)?,
        None => vec![None; n],
    };
    let sexes: Vec<Option<u8>> = match sexed {
        Sexed::Column(c) => strings(df, c)?
            .into_iter()
            .map(|v| {
                v.and_then(|s| s.parse::<u8>().ok())
                    .filter(|s| *s == 1 || *s == 2)
            })
            .collect(),
        Sexed::Fixed(s) => vec![Some(s); n],
    };
    // A county has a million records and a few hundred villages.
    let mut villages: HashMap<String, Arc<str>> = HashMap::new();
    let mut intern = |v: Option<String>| {
        v.map(|s| {
            villages
                .entry(s.clone())
                .or_insert_with(|| Arc::from(s.as_str()))
                .clone()
        })
    };
    let village_codes: Vec<Option<Arc<str>>> = strings(df, "village_code")?
        .into_iter()
        .map(&mut intern)
        .collect();
    let village_names: Vec<Option<Arc<str>>> = strings(df, "village_name")?
        .into_iter()
        .map(&mut intern)
        .collect();
    let mothers = if role == Role::Child || df.column("mother_id").is_ok() {
        strings(df, "mother_id")?
    } else {
        vec![None; n]
    };
    let parser = IdParser::new(as_of);
    Ok((0..n)
        .map(|i| {
            let damaged = kinds[i].as_deref() == Some("damaged");
            let id = ids[i].clone();
            // Birth date and sex the record does not state come from a valid ID.
            let from_id = if valid[i] {
                id.as_deref().map(|t| parser.parse(t))
            } else {
                None
            };
            let birth = births[i].or_else(|| from_id.as_ref().and_then(|p| p.birth_date()));
            let sex = sexes[i].or_else(|| {
                from_id.as_ref().and_then(|p| p.sex()).map(|s| match s {
                    crate::identity::Sex::Male => 1,
                    _ => 2,
                })
            });
            let given = status[i].as_deref() == Some("given");
            let birth_from_id = births[i].is_none() && birth.is_some();
            let sex_from_id = sexes[i].is_none() && sex.is_some();
            Person {
                index: i as u32,
                id,
                id_valid: valid[i],
                id_damaged: damaged,
                name: if given {
                    names[i].clone().unwrap_or_default()
                } else {
                    String::new()
                },
                pinyin: if given {
                    pinyin[i].clone().unwrap_or_default()
                } else {
                    String::new()
                },
                birth,
                sex,
                birth_from_id,
                sex_from_id,
                village_code: village_codes[i].clone(),
                village_name: village_names[i].clone(),
                mother_id: mothers[i].clone(),
            }
        })
        .collect())
}
