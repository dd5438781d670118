//! L01: a record that contradicts itself or the calendar.
//!
//! Takes one register's [`Records`] and the scope (for the as-of date) and
//! gives one L01 case per record that has any of: a date after the as-of
//! date (birth, marriage, registration, newborn's birth), a marriage below
//! the legal age (women 20, men 22: WIS by the record's birth date, sex and
//! marriage date when it says married; a marriage registration by the
//! parties' birth dates), a child born when its mother (by her valid ID
//! number) was under 15 or over 55. The fields are joined with `;`.

use rayon::prelude::*;

use super::case::{Case, Category, RecordRef};
use super::records::Records;
use super::{Scope, identity};
use crate::identity::{Date, IdParser, mask};
use crate::load::SourceKind;

/// The legal age of marriage by sex (1 male, 2 female).
pub fn legal_age(sex: u8) -> i32 {
    if sex == 1 { 22 } else { 20 }
}

/// The mother's age at the birth when it is below 15 or above 55.
fn mother_age(r: &Records, i: usize, born: Date, parser: &IdParser) -> Option<(String, i32)> {
    let id = r.id("mother_id").valid_id(i)?;
    let mb = parser.parse(id).birth_date()?;
    let age = mb.age_on(born);
    (!(15..=55).contains(&age)).then(|| (mask(id), age))
}

fn record_findings(
    r: &Records,
    i: usize,
    scope: &Scope,
    parser: &IdParser,
) -> Vec<(&'static str, String)> {
    let as_of = scope.as_of;
    let mut found = Vec::new();
    match r.kind {
        SourceKind::Wis | SourceKind::Household => {
            let birth = r.date("birth_date", i);
            if let Some(b) = birth.filter(|b| *b > as_of) {
                found.push(("birth_date", format!("出生日期{b}晚于比对日期")));
            }
            if let Some(md) = r.date("marriage_date", i) {
                if md > as_of {
                    found.push(("marriage_date", format!("结婚日期{md}晚于比对日期")));
                } else if let (Some(b), Some(sex), Some(m)) = (birth, r.sex("sex", i), r.marital(i))
                    && (20..=23).contains(&m)
                    && b.age_on(md) < legal_age(sex)
                {
                    found.push((
                        "marriage_date",
                        format!(
                            "结婚日期{md}时{}岁，未到法定婚龄（{}岁）",
                            b.age_on(md),
                            legal_age(sex)
                        ),
                    ));
                }
            }
            if let Some(b) = birth
                && let Some((m, age)) = mother_age(r, i, b, parser)
            {
                found.push(("mother_id", format!("{b}出生时，母亲（{m}）{age}岁")));
            }
        }
        SourceKind::Marriage => {
            if let Some(d) = r.date("reg_date", i) {
                if d > as_of {
                    found.push(("record", format!("登记日期{d}晚于比对日期")));
                }
                if r.text("reg_type", i) == Some("marriage") {
                    for (field, col, label, sex) in [
                        ("man_birth_date", "male_birth_date", "男方", 1),
                        ("woman_birth_date", "female_birth_date", "女方", 2),
                    ] {
                        if let Some(b) = r.date(col, i)
                            && b.age_on(d) < legal_age(sex)
                        {
                            found.push((
                                field,
                                format!("{d}结婚登记时{label}{}岁，未到法定婚龄", b.age_on(d)),
                            ));
                        }
                    }
                }
            }
        }
        SourceKind::Birth => {
            if let Some(b) = r.date("birth_date", i) {
                if b > as_of {
                    found.push(("child_birth_date", format!("出生日期{b}晚于比对日期")));
                }
                if let Some((m, age)) = mother_age(r, i, b, parser) {
                    found.push(("mother_id", format!("孩子{b}出生时，母亲（{m}）{age}岁")));
                }
            }
        }
    }
    found
}

/// L01 of one register.
pub fn cases(r: &Records, scope: &Scope) -> Vec<Case> {
    let parser = IdParser::new(scope.as_of);
    (0..r.len)
        .into_par_iter()
        .filter_map(|i| {
            let found = record_findings(r, i, scope, &parser);
            if found.is_empty() {
                return None;
            }
            let mut fields: Vec<&str> = found.iter().map(|(f, _)| *f).collect();
            fields.dedup();
            Some(Case {
                category: Category::L01,
                record: RecordRef {
                    source: r.kind,
                    index: i as u32,
                },
                field: fields.join(";"),
                identity: identity(r, i),
                note: found
                    .into_iter()
                    .map(|(_, n)| n)
                    .collect::<Vec<_>>()
                    .join("；"),
                other: None,
                pair: None,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn legal_ages_are_twenty_two_and_twenty() {
        assert_eq!(legal_age(1), 22);
        assert_eq!(legal_age(2), 20);
    }
}
