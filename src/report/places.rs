//! The county, towns and villages the workbooks are named and grouped by.
//!
//! Takes the registers, the cases' rows and the county's name where the
//! config gives one, and gives [`Places`]: the county (its 6-digit code, the
//! most common prefix of the villages' codes, and its name from the config
//! else the GB/T 2260 table) and, for each village that has cases, its town
//! — the town name the registers give most often beside that village (its
//! code, else its name), else the name they give its town code (the
//! village code's first 9 digits), else that code itself.

use std::collections::{BTreeMap, HashMap};

use crate::classify::Registers;
use crate::identity::region;
use crate::report::cases::CaseRow;

/// A village that has cases.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Village {
    /// What cases.csv and summary.json know it by: its code, else its name.
    pub key: String,
    /// Its 12-digit code, empty when the registers give none.
    pub code: String,
    /// Its name, else its code.
    pub name: String,
    /// Its town's name (or 9-digit code); empty when nothing tells it.
    pub town: String,
}

/// The county and the villages that have cases.
#[derive(Clone, Debug, Default)]
pub struct Places {
    /// The county's 6-digit code; empty when no village has a code.
    pub county_code: String,
    /// The county's name; empty when neither the config nor the table
    /// gives one.
    pub county_name: String,
    /// By village key, every village of the rows.
    pub villages: BTreeMap<String, Village>,
}

impl Places {
    pub fn village(&self, key: &str) -> Option<&Village> {
        self.villages.get(key)
    }

    /// The county as a person reads it: its name, else its code.
    pub fn county_label(&self) -> &str {
        if self.county_name.is_empty() {
            &self.county_code
        } else {
            &self.county_name
        }
    }
}

/// Counts of names, the most common first (ties by the name, so the same
/// registers always give the same answer).
#[derive(Default)]
struct Votes<'a>(HashMap<&'a str, usize>);

impl<'a> Votes<'a> {
    fn add(&mut self, name: &'a str) {
        *self.0.entry(name).or_default() += 1;
    }

    fn best(&self) -> Option<&'a str> {
        self.0
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(name, _)| *name)
    }
}

/// A village code's town part (its first 9 digits), when it is a 12-digit
/// statistical code.
fn town_code(code: &str) -> Option<&str> {
    (code.len() == 12 && code.bytes().all(|b| b.is_ascii_digit())).then(|| &code[..9])
}

/// Finds the places of the rows' villages.
pub fn places(registers: &Registers, rows: &[CaseRow], county: Option<&str>) -> Places {
    let mut villages: BTreeMap<String, Village> = BTreeMap::new();
    for r in rows.iter().filter(|r| !r.unassigned()) {
        villages
            .entry(r.village_key().to_string())
            .or_insert_with(|| Village {
                key: r.village_key().to_string(),
                code: r.village_code.clone(),
                name: if r.village.is_empty() {
                    r.village_code.clone()
                } else {
                    r.village.clone()
                },
                town: String::new(),
            });
    }

    // One pass over the records: the towns named beside each village code,
    // village name and town code.
    let mut by_code: HashMap<&str, Votes> = HashMap::new();
    let mut by_name: HashMap<&str, Votes> = HashMap::new();
    let mut by_town_code: HashMap<&str, Votes> = HashMap::new();
    for reg in registers.all() {
        let rec = &reg.records;
        for i in 0..rec.len {
            let Some(town) = rec.text("town", i).map(str::trim).filter(|t| !t.is_empty()) else {
                continue;
            };
            if let Some(code) = rec.text("village_code", i) {
                by_code.entry(code).or_default().add(town);
                if let Some(t) = town_code(code) {
                    by_town_code.entry(t).or_default().add(town);
                }
            }
            if let Some(name) = rec.text("village_name", i) {
                by_name.entry(name).or_default().add(town);
            }
        }
    }
    let mut prefixes: Votes = Votes::default();
    for v in villages.values_mut() {
        let code_town = town_code(&v.code);
        v.town = by_code
            .get(v.code.as_str())
            .and_then(Votes::best)
            .or_else(|| by_name.get(v.name.as_str()).and_then(Votes::best))
            .or_else(|| {
                code_town
                    .and_then(|t| by_town_code.get(t))
                    .and_then(Votes::best)
            })
            .or(code_town)
            .unwrap_or_default()
            .to_string();
    }
    for v in villages.values() {
        if v.code.len() >= 6 && v.code.bytes().take(6).all(|b| b.is_ascii_digit()) {
            prefixes.add(&v.code[..6]);
        }
    }
    let county_code = prefixes.best().unwrap_or_default().to_string();
    let county_name = match county {
        Some(name) => name.to_string(),
        None => region::lookup(&county_code)
            .and_then(|r| r.county.or(r.city))
            .unwrap_or_default()
            .to_string(),
    };
    Places {
        county_code,
        county_name,
        villages,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_most_common_name_wins_and_ties_go_by_the_name() {
        let mut v = Votes::default();
        assert_eq!(v.best(), None);
        for n in ["临河镇", "西峪街道", "临河镇"] {
            v.add(n);
        }
        assert_eq!(v.best(), Some("临河镇"));
        let mut tie = Votes::default();
        tie.add("乙镇");
        tie.add("甲镇");
        let first = tie.best();
        assert_eq!(
            first,
            Some(if "乙镇" < "甲镇" {
                "乙镇"
            } else {
                "甲镇"
            })
        );
    }

    #[test]
    fn a_town_code_is_the_first_nine_digits_of_a_village_code() {
        let cases = [
            ("371326101200", Some("371326101")),
            ("37132610120", None),
            ("东胡庄村", None),
            ("", None),
        ];
        for (code, want) in cases {
            assert_eq!(town_code(code), want, "{code}");
        }
    }
}
