//! Q01–Q03: what one register's records say about themselves, no linking.
//!
//! Takes one register's [`Records`] and gives its cases: Q01 an own ID
//! number that is invalid after normalisation (an empty one is not), Q02 a
//! valid number that disagrees with the record's birth date or sex (or, in
//! marriage and birth records, with the role: 男方 and 父亲 male, 女方 and
//! 母亲 female), Q03 every entry of a record after the first (the same
//! person in wis and household, the same registration in marriage, the same
//! child's certificate in birth).

use rayon::prelude::*;

use super::case::{Case, Category, RecordRef};
use super::records::Records;
use super::{Scope, identity};
use crate::block::FnvMap;
use crate::identity::{IdParser, Sex, mask};
use crate::load::SourceKind;

/// An own ID column of a register: (column, label, birth-date column,
/// sex: a column or fixed by the role).
struct OwnId {
    column: &'static str,
    label: &'static str,
    birth: Option<&'static str>,
    sex: SexFrom,
}

enum SexFrom {
    Column(&'static str),
    Role(u8),
}

fn own_ids(kind: SourceKind) -> Vec<OwnId> {
    match kind {
        SourceKind::Wis | SourceKind::Household => vec![OwnId {
            column: "id_number",
            label: "身份证号",
            birth: Some("birth_date"),
            sex: SexFrom::Column("sex"),
        }],
        SourceKind::Marriage => vec![
            OwnId {
                column: "male_id",
                label: "男方身份证号",
                birth: Some("male_birth_date"),
                sex: SexFrom::Role(1),
            },
            OwnId {
                column: "female_id",
                label: "女方身份证号",
                birth: Some("female_birth_date"),
                sex: SexFrom::Role(2),
            },
        ],
        SourceKind::Birth => vec![
            OwnId {
                column: "mother_id",
                label: "母亲身份证号",
                birth: None,
                sex: SexFrom::Role(2),
            },
            OwnId {
                column: "father_id",
                label: "父亲身份证号",
                birth: None,
                sex: SexFrom::Role(1),
            },
        ],
    }
}

fn sex_word(s: u8) -> &'static str {
    if s == 1 { "男" } else { "女" }
}

/// Q01 and Q02 of one record: one case per category, fields joined by `;`.
fn id_cases(r: &Records, i: usize, parser: &IdParser) -> Vec<Case> {
    let mut q01: Vec<(&str, String)> = Vec::new();
    let mut q02: Vec<(&str, String)> = Vec::new();
    for own in own_ids(r.kind) {
        let col = r.id(own.column);
        if col.is_invalid(i) {
            let raw = col
                .raw
                .get(i)
                .and_then(|v| v.as_deref())
                .unwrap_or_default();
            let parsed = parser.parse(raw);
            let why = parsed
                .problems()
                .first()
                .map(|p| p.message())
                .unwrap_or_else(|| "无法识别".into());
            let shown = col.get(i).map_or_else(|| mask(raw.trim()), mask);
            q01.push((own.column, format!("{} {shown} 无效：{why}", own.label)));
        } else if let Some(id) = col.valid_id(i) {
            let parsed = parser.parse(id);
            let mut why = Vec::new();
            if let (Some(a), Some(b)) = (parsed.birth_date(), own.birth.and_then(|c| r.date(c, i)))
                && a != b
            {
                why.push(format!(
                    "{}中的出生日期为{a}，记录的出生日期为{b}",
                    own.label
                ));
            }
            let recorded = match own.sex {
                SexFrom::Column(c) => r.sex(c, i),
                SexFrom::Role(s) => Some(s),
            };
            let from_id = parsed.sex().and_then(|s| match s {
                Sex::Male => Some(1),
                Sex::Female => Some(2),
                _ => None,
            });
            if let (Some(a), Some(b)) = (from_id, recorded)
                && a != b
            {
                why.push(format!(
                    "{}显示为{}性，记录为{}",
                    own.label,
                    sex_word(a),
                    sex_word(b)
                ));
            }
            if !why.is_empty() {
                q02.push((own.column, why.join("；")));
            }
        }
    }
    let mut out = Vec::new();
    for (category, found) in [(Category::Q01, q01), (Category::Q02, q02)] {
        if found.is_empty() {
            continue;
        }
        let field: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
        let note: Vec<String> = found.into_iter().map(|(_, n)| n).collect();
        out.push(Case {
            category,
            record: RecordRef {
                source: r.kind,
                index: i as u32,
            },
            field: field.join(";"),
            identity: identity(r, i),
            note: note.join("；"),
            other: None,
            pair: None,
        });
    }
    out
}

/// The keys under which two entries are one record (see the module
/// comment); a record may have two (its ID, and its name and birth date).
fn duplicate_keys(r: &Records, i: usize) -> Vec<String> {
    match r.kind {
        SourceKind::Wis | SourceKind::Household => {
            let mut keys = Vec::new();
            if let Some(id) = r.id("id_number").valid_id(i) {
                keys.push(format!("id|{id}"));
            }
            if let (Some(name), Some(birth), Some(village)) = (
                r.given_name("name", i),
                r.date("birth_date", i),
                r.village(i),
            ) {
                keys.push(format!("nb|{name}|{birth}|{village}"));
            }
            keys
        }
        SourceKind::Marriage => {
            let party = |id: &str, name: &str| {
                r.id(id)
                    .get(i)
                    .map(str::to_string)
                    .or_else(|| r.text(name, i).map(str::to_string))
            };
            match (
                r.date("reg_date", i),
                party("female_id", "female_name"),
                party("male_id", "male_name"),
            ) {
                (Some(d), Some(w), Some(m)) => vec![format!(
                    "{d}|{}|{w}|{m}",
                    r.text("reg_type", i).unwrap_or_default()
                )],
                _ => Vec::new(),
            }
        }
        SourceKind::Birth => {
            // Certificates only: a child's delivery record is not a second
            // certificate.
            if r.text("certificate_no", i).is_none() {
                return Vec::new();
            }
            match (r.id("mother_id").get(i), r.date("birth_date", i)) {
                (Some(m), Some(d)) => vec![format!(
                    "{m}|{d}|{}|{}",
                    r.sex("child_sex", i).unwrap_or(0),
                    r.given_name("child_name", i).unwrap_or_default()
                )],
                _ => Vec::new(),
            }
        }
    }
}

fn duplicate_words(kind: SourceKind, by_id: bool) -> &'static str {
    match (kind, by_id) {
        (SourceKind::Wis | SourceKind::Household, true) => "同一人录入两次（身份证号相同）",
        (SourceKind::Wis | SourceKind::Household, false) => {
            "同一人录入两次（同一村（居）内姓名、出生日期相同）"
        }
        (SourceKind::Marriage, _) => "同一婚姻登记录入两次",
        (SourceKind::Birth, _) => "同一孩子的出生医学证明两份（补发）",
    }
}

/// Q03: every entry after the first (in file order) of one record.
fn duplicates(r: &Records) -> Vec<Case> {
    // The keys are built in parallel; "first in file order" needs one pass.
    let all_keys: Vec<Vec<String>> = (0..r.len)
        .into_par_iter()
        .map(|i| duplicate_keys(r, i))
        .collect();
    let mut first: FnvMap<String, u32> =
        FnvMap::with_capacity_and_hasher(r.len * 2, Default::default());
    let mut out = Vec::new();
    for (i, keys) in all_keys.into_iter().enumerate() {
        let mut earlier: Option<(u32, bool)> = None;
        for key in &keys {
            match first.get(key) {
                Some(&j) => {
                    if earlier.is_none_or(|(e, _)| j < e) {
                        earlier = Some((j, key.starts_with("id|")));
                    }
                }
                None => {
                    first.insert(key.clone(), i as u32);
                }
            }
        }
        if let Some((j, by_id)) = earlier {
            let (file, sheet, row) = (
                r.origins.file(j as usize),
                r.origins.sheet(j as usize),
                r.origins.row(j as usize),
            );
            let place = if sheet.is_empty() {
                format!("{file} 第 {row} 行")
            } else {
                format!("{file} 工作表“{sheet}” 第 {row} 行")
            };
            out.push(Case {
                category: Category::Q03,
                record: RecordRef {
                    source: r.kind,
                    index: i as u32,
                },
                field: "record".into(),
                identity: identity(r, i),
                note: format!("{}；先录入的一条在 {place}", duplicate_words(r.kind, by_id)),
                other: Some(RecordRef {
                    source: r.kind,
                    index: j,
                }),
                pair: None,
            });
        }
    }
    out
}

/// Q01, Q02 and Q03 of one register.
pub fn cases(r: &Records, scope: &Scope) -> Vec<Case> {
    let parser = IdParser::new(scope.as_of);
    let mut out: Vec<Case> = (0..r.len)
        .into_par_iter()
        .flat_map_iter(|i| id_cases(r, i, &parser))
        .collect();
    out.extend(duplicates(r));
    out
}
