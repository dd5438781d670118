//! H01–H06: WIS against the household register.
//!
//! Takes the two registers' [`Records`] and the engine's WIS ↔ household
//! links ([`Matched`]) and gives: H01 an active, female, married household
//! record aged in scope with no WIS record; H02 a WIS record with no
//! household record, or only a dead / moved-out / cancelled one; and for a
//! WIS record linked to an active household record, H03 names differ, H04
//! ID numbers differ, H05 birth date or sex differ, H06 the village of
//! registration differs. Values are compared normalised (cleaned IDs,
//! normalised names with `?` matching any character, parsed dates, codes),
//! so a difference of writing is never a case.

use rayon::prelude::*;

use super::case::{Case, Category, RecordRef};
use super::records::Records;
use super::{Matched, Scope, identity};
use crate::identity::mask;
use crate::identity::name::names_match;
use crate::load::SourceKind;

/// The digit positions (1-based) where two numbers differ, in words.
pub fn differing(a: &str, b: &str) -> String {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len() != b.len() {
        return format!("位数不同（{}位、{}位）", a.len(), b.len());
    }
    let at: Vec<String> = (0..a.len())
        .filter(|&i| a[i] != b[i])
        .map(|i| (i + 1).to_string())
        .collect();
    format!("第{}位不同", at.join("、"))
}

fn sex_word(s: u8) -> &'static str {
    if s == 1 { "男" } else { "女" }
}

fn status_word(code: Option<&str>) -> &'static str {
    match code {
        Some("0") => "正常",
        Some("1") => "死亡",
        Some("2") => "迁出",
        Some("3") => "服兵役",
        Some("4") => "出国境定居",
        Some("6") => "失踪",
        Some("7") => "删除",
        Some("8") => "注销",
        Some("9") => "其它",
        _ => "未知",
    }
}

/// A household record is active when its status is 正常, or not stated.
pub fn active(hh: &Records, i: usize) -> bool {
    matches!(hh.text("status", i), Some("0") | None)
}

/// Village names compared without white space and the 委会 suffixes.
fn village_key(name: &str) -> String {
    let s: String = name.chars().filter(|c| !c.is_whitespace()).collect();
    s.trim_end_matches("委员会")
        .trim_end_matches("委会")
        .to_string()
}

fn rec(source: SourceKind, index: usize) -> RecordRef {
    RecordRef {
        source,
        index: index as u32,
    }
}

fn against(hh: &Records, h: usize) -> String {
    let sheet = hh.origins.sheet(h);
    let sheet = if sheet.is_empty() {
        String::new()
    } else {
        format!(" 工作表“{sheet}”")
    };
    format!(
        "；对照户籍 {}{sheet} 第 {} 行",
        hh.origins.file(h),
        hh.origins.row(h)
    )
}

/// The H cases of one WIS record.
fn wis_cases(wis: &Records, hh: &Records, m: &Matched, w: usize) -> Vec<Case> {
    let case = |category, field: &str, note: String, other: Option<usize>| Case {
        category,
        record: rec(SourceKind::Wis, w),
        field: field.to_string(),
        identity: identity(wis, w),
        note,
        other: other.map(|h| rec(SourceKind::Household, h)),
        pair: None,
    };
    let linked = m.left_to_right[w].map(|h| h as usize);
    let Some(h) = linked.filter(|&h| active(hh, h)) else {
        let note = match linked {
            None => "户籍中无此人".to_string(),
            Some(h) => format!(
                "户籍人员状态为{}{}",
                status_word(hh.text("status", h)),
                against(hh, h)
            ),
        };
        return vec![case(Category::H02, "record", note, linked)];
    };
    let mut out = Vec::new();
    if let (Some(a), Some(b)) = (wis.given_name("name", w), hh.given_name("name", h))
        && !names_match(a, b)
    {
        out.push(case(
            Category::H03,
            "name",
            format!("姓名：WIS为“{a}”，户籍为“{b}”{}", against(hh, h)),
            Some(h),
        ));
    }
    if let (Some(a), Some(b)) = (wis.id("id_number").get(w), hh.id("id_number").get(h))
        && a != b
    {
        out.push(case(
            Category::H04,
            "id_number",
            format!(
                "身份证号：WIS为{}，户籍为{}，{}{}",
                mask(a),
                mask(b),
                differing(a, b),
                against(hh, h)
            ),
            Some(h),
        ));
    }
    let mut why = Vec::new();
    let mut fields = Vec::new();
    if let (Some(a), Some(b)) = (wis.date("birth_date", w), hh.date("birth_date", h))
        && a != b
    {
        why.push(format!("出生日期：WIS为{a}，户籍为{b}"));
        fields.push("birth_date");
    }
    if let (Some(a), Some(b)) = (wis.sex("sex", w), hh.sex("sex", h))
        && a != b
    {
        why.push(format!("性别：WIS为{}，户籍为{}", sex_word(a), sex_word(b)));
        fields.push("sex");
    }
    if !why.is_empty() {
        out.push(case(
            Category::H05,
            &fields.join(";"),
            format!("{}{}", why.join("；"), against(hh, h)),
            Some(h),
        ));
    }
    let differs = match (wis.text("village_code", w), hh.text("village_code", h)) {
        (Some(a), Some(b)) => a != b,
        _ => match (wis.text("village_name", w), hh.text("village_name", h)) {
            (Some(a), Some(b)) => village_key(a) != village_key(b),
            _ => false,
        },
    };
    if differs {
        out.push(case(
            Category::H06,
            "hukou_village",
            format!(
                "户籍地村（居）：WIS为“{}”，户籍为“{}”{}",
                wis.text("village_name", w).unwrap_or_default(),
                hh.text("village_name", h).unwrap_or_default(),
                against(hh, h)
            ),
            Some(h),
        ));
    }
    out
}

/// H01 of one household record.
fn household_case(hh: &Records, m: &Matched, h: usize, scope: &Scope) -> Option<Case> {
    if m.right_linked[h] || !active(hh, h) || hh.sex("sex", h) != Some(2) {
        return None;
    }
    let birth = hh.date("birth_date", h)?;
    let age = birth.age_on(scope.as_of);
    let marital = hh.marital(h)?;
    if !(scope.women_min_age..=scope.women_max_age).contains(&age) || !(20..=23).contains(&marital)
    {
        return None;
    }
    Some(Case {
        category: Category::H01,
        record: rec(SourceKind::Household, h),
        field: "record".into(),
        identity: identity(hh, h),
        note: format!("户籍在册的已婚育龄妇女（{age}岁，婚姻状况{marital}），WIS中无此人"),
        other: None,
        pair: None,
    })
}

/// H01–H06.
pub fn cases(wis: &Records, hh: &Records, m: &Matched, scope: &Scope) -> Vec<Case> {
    let mut out: Vec<Case> = (0..wis.len)
        .into_par_iter()
        .flat_map_iter(|w| wis_cases(wis, hh, m, w))
        .collect();
    out.extend(
        (0..hh.len)
            .into_par_iter()
            .filter_map(|h| household_case(hh, m, h, scope))
            .collect::<Vec<_>>(),
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn differing_names_the_positions() {
        let cases = [
            ("123456", "123456", "第位不同"),
            ("123456", "124456", "第3位不同"),
            ("123456", "213456", "第1、2位不同"),
            ("12345", "123456", "位数不同（5位、6位）"),
        ];
        for (a, b, want) in cases {
            assert_eq!(differing(a, b), want, "{a} {b}");
        }
    }

    #[test]
    fn villages_compare_without_suffixes_and_spaces() {
        let cases = [
            ("九龙社区居委会", "九龙社区居民委员会", false),
            ("九龙社区居委会", "九龙社区 居委会", true),
            ("前李庄村", "前李庄村委会", true),
            ("前李庄村", "后李庄村", false),
        ];
        for (a, b, same) in cases {
            assert_eq!(village_key(a) == village_key(b), same, "{a} {b}");
        }
    }
}
