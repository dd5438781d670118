//! B01–B04: birth certificates and delivery records against WIS.
//!
//! Takes the birth register's [`Records`] (certificates and hospital
//! delivery records alike), which WIS record each record's mother and child
//! is (the engine's birth:mother ↔ wis and birth:child ↔ wis links, the
//! child found among the mother's children by birth date and sex), whether
//! the mother is local, and gives for records of births in the scope years
//! of local mothers: B01 the child not in WIS, B02 the child's WIS birth
//! date or sex differs, B03 the mother not in WIS or her WIS number differs
//! from 母亲身份证号; and B04, a WIS record born in scope with 母亲身份证号
//! filled and a local mother, with no birth record at all.

use super::case::{Case, Category, RecordRef};
use super::household::differing;
use super::records::Records;
use super::{Scope, identity};
use crate::identity::{Date, mask};
use crate::load::SourceKind;

fn what(b: &Records, i: usize) -> &'static str {
    if b.text("certificate_no", i).is_some() {
        "出生医学证明"
    } else {
        "住院分娩记录"
    }
}

fn sex_word(s: u8) -> &'static str {
    if s == 1 { "男" } else { "女" }
}

fn against(wis: &Records, w: usize) -> String {
    format!(
        "；对照WIS {} 工作表“{}” 第 {} 行",
        wis.origins.file(w),
        wis.origins.sheet(w),
        wis.origins.row(w)
    )
}

/// The links B needs, by birth record.
pub struct BirthLinks<'a> {
    pub mother: &'a [Option<u32>],
    pub child: &'a [Option<u32>],
    pub local: &'a [bool],
    /// Every cleaned number of a WIS record.
    pub wis_ids: &'a crate::block::FnvSet<&'a str>,
}

/// B01–B03 of the birth records.
pub fn cases(b: &Records, wis: &Records, links: &BirthLinks<'_>, scope: &Scope) -> Vec<Case> {
    let mut out = Vec::new();
    for i in 0..b.len {
        let Some(born) = b.date("birth_date", i) else {
            continue;
        };
        if !links.local[i] || !scope.birth_in_scope(born) {
            continue;
        }
        let case = |category, field: &str, note: String, w: Option<u32>| Case {
            category,
            record: RecordRef {
                source: SourceKind::Birth,
                index: i as u32,
            },
            field: field.into(),
            identity: identity(b, i),
            note,
            other: w.map(|w| RecordRef {
                source: SourceKind::Wis,
                index: w,
            }),
            pair: None,
        };
        let what = what(b, i);
        match links.child[i] {
            None => out.push(case(
                Category::B01,
                "record",
                format!("{what}：{born}出生，母亲为本县户籍，WIS中无此孩子"),
                None,
            )),
            Some(c) => {
                let cu = c as usize;
                let mut why = Vec::new();
                let mut fields = Vec::new();
                if let Some(d) = wis.date("birth_date", cu)
                    && d != born
                {
                    why.push(format!("出生日期：{what}为{born}，WIS为{d}"));
                    fields.push("child_birth_date");
                }
                if let (Some(a), Some(s)) = (b.sex("child_sex", i), wis.sex("sex", cu))
                    && a != s
                {
                    why.push(format!(
                        "性别：{what}为{}，WIS为{}",
                        sex_word(a),
                        sex_word(s)
                    ));
                    fields.push("child_sex");
                }
                if !why.is_empty() {
                    out.push(case(
                        Category::B02,
                        &fields.join(";"),
                        format!("{}{}", why.join("；"), against(wis, cu)),
                        Some(c),
                    ));
                }
            }
        }
        let mother = b.id("mother_id").get(i);
        let shown = mother.map(mask).unwrap_or_else(|| "空".into());
        // Her number is in WIS, and is the one WIS gives the child's mother.
        let carried = mother.is_some_and(|m| links.wis_ids.contains(m));
        let childs_mother = links.child[i].and_then(|c| wis.id("mother_id").get(c as usize));
        let agrees = carried && childs_mother.is_none_or(|m| Some(m) == mother);
        if agrees {
            continue;
        }
        match links.mother[i] {
            None => out.push(case(
                Category::B03,
                "mother_id",
                format!("母亲（{shown}）在WIS中无记录"),
                None,
            )),
            Some(w) => {
                let wu = w as usize;
                // Not in WIS: her record's number; in WIS, but not the
                // child's mother's: the one WIS gives the child.
                let wis_id = if carried {
                    childs_mother
                } else {
                    wis.id("id_number").get(wu)
                };
                {
                    let (a, c) = (mother.unwrap_or_default(), wis_id.unwrap_or_default());
                    out.push(case(
                        Category::B03,
                        "mother_id",
                        format!(
                            "母亲身份证号：{what}为{shown}，WIS为{}，{}{}",
                            mask(c),
                            differing(a, c),
                            against(wis, wu)
                        ),
                        Some(w),
                    ));
                }
            }
        }
    }
    out
}

/// B04: WIS records born in scope, 母亲身份证号 filled, the mother local,
/// no birth record linked. `has_record[w]`: a birth record's child links to
/// it; `mother_local(w)`: the mother has an active household record.
pub fn missing_evidence(
    wis: &Records,
    has_record: &[bool],
    mother_local: impl Fn(usize) -> bool,
    scope: &Scope,
) -> Vec<Case> {
    let mut out = Vec::new();
    for (w, &evidenced) in has_record.iter().enumerate().take(wis.len) {
        let Some(born) = wis.date("birth_date", w) else {
            continue;
        };
        if evidenced
            || !scope.birth_in_scope(born)
            || wis.id("mother_id").get(w).is_none()
            || !mother_local(w)
        {
            continue;
        }
        out.push(Case {
            category: Category::B04,
            record: RecordRef {
                source: SourceKind::Wis,
                index: w as u32,
            },
            field: "record".into(),
            identity: identity(wis, w),
            note: format!("WIS记录{born}出生，无出生医学证明，也无住院分娩记录"),
            other: None,
            pair: None,
        });
    }
    out
}

/// How close two birth dates are for one child: equal, or one slip of the
/// pen (one digit of YYYYMMDD, day and month swapped) or within 60 days.
fn date_score(a: Date, b: Date) -> Option<u8> {
    if a == b {
        return Some(4);
    }
    let (x, y) = (a.compact(), b.compact());
    let differing = x.chars().zip(y.chars()).filter(|(p, q)| p != q).count();
    let swapped = a.year() == b.year() && a.month() == b.day() && a.day() == b.month();
    let near = (a.days_since_epoch() - b.days_since_epoch()).abs() <= 60;
    (differing == 1 || swapped || near).then_some(2)
}

/// The WIS child of each birth record, among the mother's children in WIS
/// (WIS records whose 母亲身份证号 is the record's, or that of the mother's
/// WIS record), by birth date, sex and name. Within certificates, and within
/// delivery records, a WIS child is taken once while another fits (twins);
/// a record left over takes its best fit (a reissued certificate).
pub fn children(
    b: &Records,
    wis: &Records,
    mother: &[Option<u32>],
    parser: &crate::identity::IdParser,
) -> Vec<Option<u32>> {
    let mut by_mother: crate::block::FnvMap<&str, Vec<u32>> = Default::default();
    let mut wife_of: crate::block::FnvMap<&str, Vec<&str>> = Default::default();
    for w in 0..wis.len {
        if let Some(m) = wis.id("mother_id").get(w) {
            by_mother.entry(m).or_default().push(w as u32);
        }
        if let (Some(h), Some(id), Some(2)) = (
            wis.id("spouse_id").get(w),
            wis.id("id_number").get(w),
            wis.sex("sex", w),
        ) {
            wife_of.entry(h).or_default().push(id);
        }
    }
    let mut candidates: Vec<Vec<(u8, u32)>> = vec![Vec::new(); b.len];
    for (i, found) in candidates.iter_mut().enumerate() {
        let Some(born) = b.date("birth_date", i) else {
            continue;
        };
        // The mother's number, her WIS record's, the valid numbers one typo
        // from an invalid one, and the wives in WIS of the father (a
        // grandmother's number in the mother's column).
        let mut ids: Vec<String> = b
            .id("mother_id")
            .get(i)
            .into_iter()
            .map(String::from)
            .collect();
        if let Some(w) = mother[i]
            && let Some(id) = wis.id("id_number").get(w as usize)
        {
            ids.push(id.to_string());
        }
        if b.id("mother_id").is_invalid(i)
            && let Some(raw) = b.id("mother_id").get(i)
        {
            ids.extend(
                parser
                    .parse(raw)
                    .repairs(parser.as_of())
                    .into_iter()
                    .map(|r| r.number.to_string()),
            );
        }
        if let Some(f) = b.id("father_id").get(i) {
            ids.extend(wife_of.get(f).into_iter().flatten().map(|s| s.to_string()));
        }
        ids.sort();
        ids.dedup();
        let mut seen = std::collections::HashSet::new();
        for id in &ids {
            for &w in by_mother.get(id.as_str()).map(Vec::as_slice).unwrap_or(&[]) {
                if !seen.insert(w) {
                    continue;
                }
                let wu = w as usize;
                let Some(score) = wis.date("birth_date", wu).and_then(|d| date_score(d, born))
                else {
                    continue;
                };
                let sex = u8::from(
                    b.sex("child_sex", i).is_some() && b.sex("child_sex", i) == wis.sex("sex", wu),
                );
                let name = u8::from(matches!(
                    (b.given_name("child_name", i), wis.given_name("name", wu)),
                    (Some(x), Some(y)) if crate::identity::name::names_match(x, y)
                ));
                found.push((score + 2 * sex + name, w));
            }
        }
        found.sort_unstable_by(|x, y| y.0.cmp(&x.0).then(x.1.cmp(&y.1)));
    }
    let mut out = vec![None; b.len];
    for certificates in [true, false] {
        let mut order: Vec<usize> = (0..b.len)
            .filter(|&i| (b.text("certificate_no", i).is_some()) == certificates)
            .filter(|&i| !candidates[i].is_empty())
            .collect();
        order.sort_by(|&x, &y| candidates[y][0].0.cmp(&candidates[x][0].0).then(x.cmp(&y)));
        let mut taken = std::collections::HashSet::new();
        for i in order {
            let pick = candidates[i]
                .iter()
                .find(|(_, w)| !taken.contains(w))
                .unwrap_or(&candidates[i][0])
                .1;
            taken.insert(pick);
            out[i] = Some(pick);
        }
    }
    out
}

/// Whether the mother's number cannot be the mother's: she would have been
/// under 15 or over 55 at the birth (L01). Such a number says nothing about
/// where the mother lives.
pub fn impossible_mother(b: &Records, i: usize, parser: &crate::identity::IdParser) -> bool {
    let (Some(id), Some(born)) = (b.id("mother_id").valid_id(i), b.date("birth_date", i)) else {
        return false;
    };
    parser
        .parse(id)
        .birth_date()
        .is_some_and(|m| !(15..=55).contains(&m.age_on(born)))
}
