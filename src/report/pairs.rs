//! pairs.csv: every reported pair of a link, for the statistician and for
//! scripts (UTF-8 with BOM, so Excel opens it in Chinese).
//!
//! Takes the two loaded registers, their persons and the [`Links`] and gives
//! the file; the columns are documented in docs/design.md.

use std::path::Path;

use crate::error::Result;
use crate::link::Links;
use crate::link::person::Person;
use crate::load::SourceKind;
use crate::load::origin::Origins;

/// One side of a link, as the file names it.
pub struct Side<'a> {
    pub kind: SourceKind,
    pub origins: &'a Origins,
    pub persons: &'a [Person],
}

pub const HEADER: [&str; 22] = [
    "left_source",
    "left_file",
    "left_sheet",
    "left_row",
    "right_source",
    "right_file",
    "right_sheet",
    "right_row",
    "band",
    "weight",
    "probability",
    "left_id",
    "left_name",
    "right_id",
    "right_name",
    "id_level",
    "name_level",
    "birth_level",
    "sex_level",
    "village_level",
    "mother_level",
    "explanation",
];

fn level<T: serde::Serialize>(level: &T) -> String {
    match serde_json::to_value(level) {
        Ok(serde_json::Value::String(s)) => s,
        Ok(serde_json::Value::Object(map)) => map.keys().next().cloned().unwrap_or_default(),
        _ => String::new(),
    }
}

pub fn write(path: &Path, left: &Side<'_>, right: &Side<'_>, links: &Links) -> Result<u64> {
    crate::report::write_atomically(path, |w| {
        w.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(HEADER)?;
        for p in &links.pairs {
            let (l, r) = (p.left as usize, p.right as usize);
            let (lp, rp) = (&left.persons[l], &right.persons[r]);
            let c = &p.comparison;
            csv.write_record([
                left.kind.key().to_string(),
                left.origins.file(l).to_string(),
                left.origins.sheet(l).to_string(),
                left.origins.row(l).to_string(),
                right.kind.key().to_string(),
                right.origins.file(r).to_string(),
                right.origins.sheet(r).to_string(),
                right.origins.row(r).to_string(),
                p.band.key().to_string(),
                format!("{:.2}", p.weight),
                format!("{:.4}", p.probability),
                lp.id.clone().unwrap_or_default(),
                lp.name.clone(),
                rp.id.clone().unwrap_or_default(),
                rp.name.clone(),
                level(&c.id),
                level(&c.name),
                level(&c.birth),
                level(&c.sex),
                level(&c.village),
                level(&c.mother),
                p.explanation.clone(),
            ])?;
        }
        csv.flush()?;
        Ok(())
    })
}
