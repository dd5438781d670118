//! The known answers, written down: `truth/cases.csv`, `truth/links.csv`,
//! `truth/noise.csv` and `truth/params.json`.
//!
//! Takes the cases, links and noise with their records' places in the
//! files and gives CSV (UTF-8, no BOM) in file order: every case as
//! `category,source,file,sheet,row,field,note` (the row a person sees, the
//! sheet empty for CSV and HTML files, the note naming the other side's
//! record where there is one), every link between a WIS record and a
//! record of the same person as
//! `left_source,left_file,left_sheet,left_row,right_source,right_file,right_sheet,right_row,role`,
//! every normalisation-only change as `source,file,sheet,row,field,kind`,
//! and the parameters, scope, rates and counts in `params.json`.

use std::collections::BTreeMap;

use serde_json::json;

use super::classify::{Case, Category, Link, Rec, Scope};
use super::inject::Log;
use super::layout::{Formats, Layout, Location};
use super::noise::Noise;
use super::places::County;
use super::rates::{MIN_PER_KIND, Rates};
use super::registers::{Register, Registers};
use crate::identity::Date;

pub const CASES_HEADER: [&str; 7] = [
    "category", "source", "file", "sheet", "row", "field", "note",
];
pub const LINKS_HEADER: [&str; 9] = [
    "left_source",
    "left_file",
    "left_sheet",
    "left_row",
    "right_source",
    "right_file",
    "right_sheet",
    "right_row",
    "role",
];
pub const NOISE_HEADER: [&str; 6] = ["source", "file", "sheet", "row", "field", "kind"];

fn csv_bytes(header: &[&str], rows: Vec<Vec<String>>) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to memory cannot fail.
    let _ = w.write_record(header);
    for row in rows {
        let _ = w.write_record(&row);
    }
    w.into_inner().unwrap_or_default()
}

fn place(layout: &Layout, rec: Rec) -> (Location, String, String, String) {
    let loc = layout.location(rec.register, rec.index);
    let (file, sheet) = layout.place(loc);
    (
        loc,
        file.to_string(),
        sheet.to_string(),
        loc.row.to_string(),
    )
}

/// Where a record is, in words: `household/柳林镇常住人口.csv 第 12 行`.
fn where_words(layout: &Layout, rec: Rec) -> String {
    let (_, file, sheet, row) = place(layout, rec);
    if sheet.is_empty() {
        format!("{} {file} 第 {row} 行", rec.register.key())
    } else {
        format!("{} {file} 工作表“{sheet}” 第 {row} 行", rec.register.key())
    }
}

pub fn cases_csv(cases: &[Case], layout: &Layout) -> Vec<u8> {
    let mut rows: Vec<(Location, Category, Vec<String>)> = cases
        .iter()
        .map(|c| {
            let (loc, file, sheet, row) = place(layout, c.rec);
            let note = match c.other {
                Some(o) => format!("{}；对照 {}", c.note, where_words(layout, o)),
                None => c.note.clone(),
            };
            (
                loc,
                c.category,
                vec![
                    c.category.code().to_string(),
                    c.rec.register.key().to_string(),
                    file,
                    sheet,
                    row,
                    c.field.clone(),
                    note,
                ],
            )
        })
        .collect();
    rows.sort_by_key(|r| (r.0, r.1));
    csv_bytes(&CASES_HEADER, rows.into_iter().map(|r| r.2).collect())
}

pub fn links_csv(links: &[Link], layout: &Layout) -> Vec<u8> {
    // A county of a million has well over a million links: sort small
    // keys, then write each row straight from the layout's strings.
    let mut order: Vec<(Location, Location, usize)> = links
        .iter()
        .enumerate()
        .map(|(i, l)| {
            (
                layout.location(Register::Wis, l.wis),
                layout.location(l.other.register, l.other.index),
                i,
            )
        })
        .collect();
    order.sort_unstable();
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::with_capacity(links.len() * 140));
    // Writing to memory cannot fail.
    let _ = w.write_record(LINKS_HEADER);
    let mut left_row = String::new();
    let mut right_row = String::new();
    for (left, right, i) in order {
        let l = &links[i];
        let (lfile, lsheet) = layout.place(left);
        let (rfile, rsheet) = layout.place(right);
        left_row.clear();
        left_row.push_str(&left.row.to_string());
        right_row.clear();
        right_row.push_str(&right.row.to_string());
        let _ = w.write_record([
            "wis",
            lfile,
            lsheet,
            &left_row,
            l.other.register.key(),
            rfile,
            rsheet,
            &right_row,
            l.role.key(),
        ]);
    }
    w.into_inner().unwrap_or_default()
}

pub fn noise_csv(noise: &[Noise], layout: &Layout) -> Vec<u8> {
    let mut rows: Vec<(Location, Vec<String>)> = noise
        .iter()
        .map(|n| {
            let (loc, file, sheet, row) = place(layout, n.rec);
            (
                loc,
                vec![
                    n.rec.register.key().to_string(),
                    file,
                    sheet,
                    row,
                    n.field.to_string(),
                    n.kind.to_string(),
                ],
            )
        })
        .collect();
    rows.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(&b.1)));
    csv_bytes(&NOISE_HEADER, rows.into_iter().map(|r| r.1).collect())
}

pub struct Summary<'a> {
    pub people: usize,
    pub seed: u64,
    pub as_of: Date,
    pub formats: Formats,
    pub county: &'a County,
    pub scope: Scope,
    pub rates: &'a Rates,
    pub log: &'a Log,
    pub registers: &'a Registers,
    pub cases: &'a [Case],
    pub links: usize,
    pub noise: usize,
    pub layout: &'a Layout,
}

pub fn params_json(s: &Summary) -> Vec<u8> {
    let mut rates: BTreeMap<&str, BTreeMap<&str, serde_json::Value>> = BTreeMap::new();
    for (group, rate) in s.rates.table() {
        rates.entry(group).or_default().insert(
            rate.key,
            json!({ "value": rate.value, "meaning": rate.meaning }),
        );
    }
    let mut by_category: BTreeMap<&str, usize> =
        Category::ALL.iter().map(|c| (c.code(), 0)).collect();
    for c in s.cases {
        *by_category.entry(c.category.code()).or_default() += 1;
    }
    let files: Vec<serde_json::Value> = s
        .layout
        .files
        .iter()
        .map(|f| {
            json!({
                "file": f.path,
                "source": f.register.key(),
                "format": format!("{:?}", f.format).to_lowercase(),
                "sheets": f.sheets.iter().map(|sh| json!({ "name": sh.name, "first_row": sh.first_row, "records": sh.records.len() })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let value = json!({
        "people": s.people,
        "seed": s.seed,
        "as_of": s.as_of.to_string(),
        "formats": format!("{:?}", s.formats).to_lowercase(),
        "county": {
            "code": s.county.code,
            "name": format!("{}{}{}", s.county.province, s.county.city, s.county.name),
            "towns": s.county.towns.len(),
            "villages": s.county.villages.len(),
        },
        "scope": {
            "women_age": [s.scope.women_min_age, s.scope.women_max_age],
            "women_marital_codes": [20, 21, 22, 23],
            "marriages_from": s.scope.marriages_from.to_string(),
            "births_from": s.scope.births_from.to_string(),
            "up_to": s.scope.as_of.to_string(),
        },
        "rates": rates,
        "min_per_kind": MIN_PER_KIND,
        "injected": s.log,
        "records": {
            "wis": s.registers.wis.len(),
            "household": s.registers.household.len(),
            "marriage": s.registers.marriage.len(),
            "birth": s.registers.birth.len(),
        },
        "cases": by_category,
        "links": s.links,
        "noise": s.noise,
        "files": files,
    });
    let mut bytes = serde_json::to_vec_pretty(&value).unwrap_or_default();
    bytes.push(b'\n');
    bytes
}
