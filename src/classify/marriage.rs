//! M01–M04: marriage registrations against WIS.
//!
//! Takes the marriage register's [`Records`], which WIS record each
//! registration's woman is (the engine's marriage:female ↔ wis link), whether
//! she is local (an active household record), and gives, for registrations
//! dated in the scope years of local women: M01 a marriage while WIS has
//! her unmarried or has no record of her; and comparing her latest
//! registration in scope with WIS, M02 a divorce on or after the WIS
//! marriage date while WIS says married (or a marriage while WIS says
//! divorced), M03 WIS married and the marriage dates differ, M04 WIS married
//! and WIS's spouse ID differs from 男方身份证号.

use std::collections::HashMap;

use super::case::{Case, Category, RecordRef};
use super::household::differing;
use super::records::Records;
use super::{Scope, identity};
use crate::identity::mask;
use crate::load::SourceKind;

fn is_marriage(m: &Records, i: usize) -> bool {
    m.text("reg_type", i) == Some("marriage")
}

fn is_divorce(m: &Records, i: usize) -> bool {
    m.text("reg_type", i) == Some("divorce")
}

fn married(code: Option<u16>) -> bool {
    code.is_some_and(|c| (20..=23).contains(&c))
}

fn against(wis: &Records, w: usize) -> String {
    format!(
        "；对照WIS {} 工作表“{}” 第 {} 行",
        wis.origins.file(w),
        wis.origins.sheet(w),
        wis.origins.row(w)
    )
}

/// M01–M04. `to_wis[i]`: the woman's WIS record; `local[i]`: she has an
/// active household record.
pub fn cases(
    m: &Records,
    wis: &Records,
    to_wis: &[Option<u32>],
    local: &[bool],
    scope: &Scope,
) -> Vec<Case> {
    let in_scope = |i: usize| {
        local[i]
            && m.date("reg_date", i)
                .is_some_and(|d| scope.marriage_in_scope(d))
    };
    let case = |category, i: usize, field: &str, note: String, w: Option<u32>| Case {
        category,
        record: RecordRef {
            source: SourceKind::Marriage,
            index: i as u32,
        },
        field: field.into(),
        identity: identity(m, i),
        note,
        other: w.map(|w| RecordRef {
            source: SourceKind::Wis,
            index: w,
        }),
        pair: None,
    };
    let mut out = Vec::new();
    // Each woman's latest registration in scope (on one day, the first entry).
    let mut latest: HashMap<u32, usize> = HashMap::new();
    for (i, &woman) in to_wis.iter().enumerate().take(m.len) {
        if !in_scope(i) || !(is_marriage(m, i) || is_divorce(m, i)) {
            continue;
        }
        let date = m.date("reg_date", i);
        if is_marriage(m, i) {
            match woman {
                None => out.push(case(
                    Category::M01,
                    i,
                    "record",
                    format!(
                        "{}结婚登记，WIS中无此女方",
                        date.map(|d| d.to_string()).unwrap_or_default()
                    ),
                    None,
                )),
                Some(w) if wis.marital(w as usize) == Some(10) => out.push(case(
                    Category::M01,
                    i,
                    "marital_status",
                    format!(
                        "{}结婚登记，WIS中该女方为未婚{}",
                        date.map(|d| d.to_string()).unwrap_or_default(),
                        against(wis, w as usize)
                    ),
                    Some(w),
                )),
                _ => {}
            }
        }
        if let Some(w) = woman {
            let e = latest.entry(w).or_insert(i);
            if m.date("reg_date", *e) < date {
                *e = i;
            }
        }
    }
    let mut latest: Vec<(u32, usize)> = latest.into_iter().collect();
    latest.sort_unstable();
    for (w, i) in latest {
        let wu = w as usize;
        let Some(date) = m.date("reg_date", i) else {
            continue;
        };
        let status = wis.marital(wu);
        let wis_date = wis.date("marriage_date", wu);
        if is_divorce(m, i) && married(status) && wis_date.is_none_or(|d| d <= date) {
            out.push(case(
                Category::M02,
                i,
                "marital_status",
                format!(
                    "{date}离婚登记，WIS仍为已婚（结婚日期{}）{}",
                    wis_date.map_or("空".to_string(), |d| d.to_string()),
                    against(wis, wu)
                ),
                Some(w),
            ));
        }
        if is_marriage(m, i) && status == Some(40) {
            out.push(case(
                Category::M02,
                i,
                "marital_status",
                format!("{date}结婚登记，WIS为离婚{}", against(wis, wu)),
                Some(w),
            ));
        }
        if is_marriage(m, i) && married(status) {
            if let Some(d) = wis_date
                && d != date
            {
                out.push(case(
                    Category::M03,
                    i,
                    "marriage_date",
                    format!("结婚日期：登记为{date}，WIS为{d}{}", against(wis, wu)),
                    Some(w),
                ));
            }
            if let (Some(spouse), Some(man)) = (wis.id("spouse_id").get(wu), m.id("male_id").get(i))
                && spouse != man
            {
                out.push(case(
                    Category::M04,
                    i,
                    "man_id",
                    format!(
                        "配偶身份证号：登记的男方为{}，WIS的配偶为{}，{}{}",
                        mask(man),
                        mask(spouse),
                        differing(man, spouse),
                        against(wis, wu)
                    ),
                    Some(w),
                ));
            }
        }
    }
    out
}
