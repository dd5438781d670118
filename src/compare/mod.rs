//! The comparing stage: how far two records of one person can disagree.
//!
//! Takes two [`Person`]s and gives a [`Comparison`]: for each field the level
//! of agreement — ID number equal, one typo apart (which one), damaged but
//! compatible, different; name equal (unknown characters match anything),
//! same pinyin, one character confusable by sound or shape, close, different;
//! birth date equal, day and month swapped, one digit off, different; sex;
//! village — and, for the levels that name a difference, what differed, so
//! the explanation can say it in the workbook's words.

pub mod confusion;

use serde::Serialize;
use strsim::jaro_winkler;

use crate::identity::Date;
use crate::identity::name::{UNKNOWN, names_match};
use crate::link::person::Person;

/// Agreement of the ID numbers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdLevel {
    Equal,
    /// One digit mistyped: position (1-based) and the two characters.
    OneSubstitution {
        position: u8,
        left: char,
        right: char,
    },
    /// Two neighbours swapped, at `position` and the next.
    AdjacentSwap {
        position: u8,
    },
    /// One side went through a float; the digits it kept agree.
    Damaged,
    Missing,
    Different,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameLevel {
    Equal,
    /// Different characters read alike (丽/莉): the first pair that differs.
    SamePinyin {
        left: char,
        right: char,
    },
    /// One character differs and the two look alike (己/已).
    SimilarShape {
        left: char,
        right: char,
    },
    /// Not the same, but close (Jaro-Winkler of the characters or pinyin).
    Close,
    /// A newborn's placeholder or a blank on either side.
    Missing,
    Different,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DateLevel {
    Equal,
    DayMonthSwapped,
    OneDigit,
    Missing,
    Different,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Simple {
    Equal,
    Missing,
    Different,
}

/// Agreement of the mothers' ID numbers: what tells a child whose name is
/// not yet known.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MotherLevel {
    Equal,
    OneTypo,
    Missing,
    Different,
}

/// Every field's level for one pair.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
pub struct Comparison {
    pub id: IdLevel,
    pub name: NameLevel,
    pub birth: DateLevel,
    pub sex: Simple,
    pub village: Simple,
    pub mother: MotherLevel,
}

pub fn compare(a: &Person, b: &Person) -> Comparison {
    let id = compare_ids(a, b);
    // A birth date or sex read from an ID number repeats what the ID
    // comparison already said when the numbers agree: counting it again
    // would make two records sharing one (wrong) number look certain.
    let ids_agree = matches!(
        id,
        IdLevel::Equal
            | IdLevel::OneSubstitution { .. }
            | IdLevel::AdjacentSwap { .. }
            | IdLevel::Damaged
    );
    let birth = if ids_agree && (a.birth_from_id || b.birth_from_id) {
        DateLevel::Missing
    } else {
        compare_dates(a.birth, b.birth)
    };
    let sex = if ids_agree && (a.sex_from_id || b.sex_from_id) {
        Simple::Missing
    } else {
        simple(a.sex, b.sex)
    };
    Comparison {
        id,
        name: compare_names(&a.name, &a.pinyin, b.name.as_str(), &b.pinyin),
        birth,
        sex,
        village: compare_villages(a, b),
        mother: compare_mothers(a.mother_id.as_deref(), b.mother_id.as_deref()),
    }
}

fn compare_mothers(a: Option<&str>, b: Option<&str>) -> MotherLevel {
    let (Some(x), Some(y)) = (a, b) else {
        return MotherLevel::Missing;
    };
    if x == y {
        MotherLevel::Equal
    } else if one_typo(x, y).is_some() {
        MotherLevel::OneTypo
    } else {
        MotherLevel::Different
    }
}

/// Codes where both sides have one, else names without their suffix
/// (一村 = 一村委会 = 一村村委会).
fn compare_villages(a: &Person, b: &Person) -> Simple {
    match (&a.village_code, &b.village_code) {
        (Some(x), Some(y)) => simple(Some(x), Some(y)),
        _ => simple(
            a.village_name.as_deref().map(village_stem),
            b.village_name.as_deref().map(village_stem),
        ),
    }
}

pub fn village_stem(name: &str) -> &str {
    let mut s = name.trim();
    // 九龙社区居民委员会 → 九龙社区 → 九龙; 曹集村委会 → 曹集村 → 曹集.
    for suffixes in [
        &["村民委员会", "居民委员会", "村委会", "居委会"][..],
        &["社区", "村"][..],
    ] {
        for suffix in suffixes {
            if let Some(stem) = s.strip_suffix(suffix).filter(|t| !t.is_empty()) {
                s = stem;
                break;
            }
        }
    }
    s
}

fn simple<T: PartialEq>(a: Option<T>, b: Option<T>) -> Simple {
    match (a, b) {
        (Some(x), Some(y)) if x == y => Simple::Equal,
        (Some(_), Some(_)) => Simple::Different,
        _ => Simple::Missing,
    }
}

fn compare_ids(a: &Person, b: &Person) -> IdLevel {
    let (Some(x), Some(y)) = (a.id.as_deref(), b.id.as_deref()) else {
        return IdLevel::Missing;
    };
    if a.id_damaged || b.id_damaged {
        let (kept, whole) = if a.id_damaged { (x, y) } else { (y, x) };
        return if damaged_agrees(kept, whole) {
            IdLevel::Damaged
        } else {
            IdLevel::Different
        };
    }
    if x == y {
        return IdLevel::Equal;
    }
    match one_typo(x, y) {
        Some(Typo::Substitution(i)) => IdLevel::OneSubstitution {
            position: (i + 1) as u8,
            left: x.as_bytes()[i] as char,
            right: y.as_bytes()[i] as char,
        },
        Some(Typo::Swap(i)) => IdLevel::AdjacentSwap {
            position: (i + 1) as u8,
        },
        None => IdLevel::Different,
    }
}

/// Whether two 18-character numbers differ, in their 17 digits, by one
/// slip — a typo (a substitution or an adjacent swap), or the birth date's
/// day and month swapped — whatever their check characters. Two valid
/// numbers like that are either one slip with the check character made to
/// fit (a system that refuses an invalid number gets the last character
/// "fixed"; a number rebuilt from a mistyped birth date) or two people born
/// near one day in one county: the engine cannot tell, and leaves the
/// weight to the data (see `link::VALID_IDS_DIFFER`).
pub fn one_slip_in_digits(x: &str, y: &str) -> bool {
    if x.len() != 18 || y.len() != 18 || !x.is_ascii() || !y.is_ascii() || x[..17] == y[..17] {
        return false;
    }
    let day_month_swapped = x[..10] == y[..10]
        && x[14..17] == y[14..17]
        && x[10..12] == y[12..14]
        && x[12..14] == y[10..12];
    day_month_swapped || one_typo(&x[..17], &y[..17]).is_some()
}

/// How two numbers of one length differ by a single typo.
enum Typo {
    /// One character mistyped, at this index.
    Substitution(usize),
    /// The characters at this index and the next swapped.
    Swap(usize),
}

fn one_typo(x: &str, y: &str) -> Option<Typo> {
    let (xb, yb) = (x.as_bytes(), y.as_bytes());
    if xb.len() != yb.len() {
        return None;
    }
    let diffs: Vec<usize> = (0..xb.len()).filter(|&i| xb[i] != yb[i]).collect();
    match diffs.as_slice() {
        [i] => Some(Typo::Substitution(*i)),
        [i, j] if *j == i + 1 && xb[*i] == yb[*j] && xb[*j] == yb[*i] => Some(Typo::Swap(*i)),
        _ => None,
    }
}

/// The significant digits a float kept (`3.70404199001011E+17` kept
/// 370404199001011) agree with the start of the whole number; the last kept
/// digit may have been rounded, so only the ones before it must match.
fn damaged_agrees(kept: &str, whole: &str) -> bool {
    let digits: String = kept
        .split(['E', 'e'])
        .next()
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_digit)
        .collect();
    if digits.len() < 6 {
        return false;
    }
    let sure = &digits[..digits.len() - 1];
    whole.starts_with(sure)
}

pub fn compare_names(a: &str, a_pinyin: &str, b: &str, b_pinyin: &str) -> NameLevel {
    if a.is_empty() || b.is_empty() {
        return NameLevel::Missing;
    }
    if names_match(a, b) {
        return NameLevel::Equal;
    }
    let ac: Vec<char> = a.chars().collect();
    let bc: Vec<char> = b.chars().collect();
    let first_difference = || {
        ac.iter()
            .zip(&bc)
            .find(|(x, y)| x != y && **x != UNKNOWN && **y != UNKNOWN)
            .map(|(x, y)| (*x, *y))
    };
    let share_key = !a_pinyin.is_empty()
        && a_pinyin
            .split('|')
            .any(|k| b_pinyin.split('|').any(|l| l == k));
    if share_key
        && ac.len() == bc.len()
        && let Some((left, right)) = first_difference()
    {
        return NameLevel::SamePinyin { left, right };
    }
    if ac.len() == bc.len() {
        let diffs: Vec<(char, char)> = ac
            .iter()
            .zip(&bc)
            .filter(|(x, y)| x != y && **x != UNKNOWN && **y != UNKNOWN)
            .map(|(x, y)| (*x, *y))
            .collect();
        if let [(left, right)] = diffs.as_slice()
            && confusion::similar_shape(*left, *right)
        {
            return NameLevel::SimilarShape {
                left: *left,
                right: *right,
            };
        }
    }
    let by_chars = jaro_winkler(a, b);
    let by_sound = best_key_similarity(a_pinyin, b_pinyin);
    if by_chars >= 0.85 || by_sound >= 0.92 {
        NameLevel::Close
    } else {
        NameLevel::Different
    }
}

fn best_key_similarity(a: &str, b: &str) -> f64 {
    if a.is_empty() || b.is_empty() {
        return 0.0;
    }
    a.split('|')
        .flat_map(|x| b.split('|').map(move |y| jaro_winkler(x, y)))
        .fold(0.0, f64::max)
}

pub fn compare_dates(a: Option<Date>, b: Option<Date>) -> DateLevel {
    let (Some(x), Some(y)) = (a, b) else {
        return DateLevel::Missing;
    };
    if x == y {
        return DateLevel::Equal;
    }
    if x.year() == y.year() && x.month() == y.day() && x.day() == y.month() {
        return DateLevel::DayMonthSwapped;
    }
    let (xs, ys) = (x.compact(), y.compact());
    let diffs = xs.bytes().zip(ys.bytes()).filter(|(p, q)| p != q).count();
    if diffs == 1 {
        DateLevel::OneDigit
    } else {
        DateLevel::Different
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::normalize_name;

    fn names(a: &str, b: &str) -> NameLevel {
        let (x, y) = (normalize_name(a), normalize_name(b));
        let name = |n: &crate::identity::PersonName| {
            if n.is_given() {
                n.normalized().to_string()
            } else {
                String::new()
            }
        };
        compare_names(
            &name(&x),
            &x.pinyin_keys().join("|"),
            &name(&y),
            &y.pinyin_keys().join("|"),
        )
    }

    #[test]
    fn name_levels() {
        let cases = [
            ("张丽", "张丽", NameLevel::Equal),
            ("張麗", "张丽", NameLevel::Equal),
            ("王?", "王琨", NameLevel::Equal),
            (
                "张丽",
                "张莉",
                NameLevel::SamePinyin {
                    left: '丽',
                    right: '莉',
                },
            ),
            (
                "王静",
                "王晶",
                NameLevel::SamePinyin {
                    left: '静',
                    right: '晶',
                },
            ),
            (
                "李己",
                "李已",
                NameLevel::SimilarShape {
                    left: '己',
                    right: '已',
                },
            ),
            (
                "刘未",
                "刘末",
                NameLevel::SimilarShape {
                    left: '未',
                    right: '末',
                },
            ),
            ("欧阳娜娜", "欧阳娜", NameLevel::Close),
            ("之子", "李想", NameLevel::Missing),
            ("", "李想", NameLevel::Missing),
            ("张丽", "王强", NameLevel::Different),
        ];
        for (a, b, want) in cases {
            assert_eq!(names(a, b), want, "{a} / {b}");
        }
    }

    #[test]
    fn village_names_meet_without_their_suffixes() {
        for (a, b) in [
            ("九龙社区居委会", "九龙社区"),
            ("九龙社区居民委员会", "九龙"),
            ("曹集村委会", "曹集村"),
            ("曹集", "曹集村民委员会"),
        ] {
            assert_eq!(village_stem(a), village_stem(b), "{a} {b}");
        }
        assert_eq!(village_stem("村"), "村");
    }

    #[test]
    fn date_levels() {
        let d = |y, m, dd| Date::from_ymd(y, m, dd);
        let cases = [
            (d(1990, 3, 5), d(1990, 3, 5), DateLevel::Equal),
            (d(1990, 3, 5), d(1990, 5, 3), DateLevel::DayMonthSwapped),
            (d(1990, 3, 5), d(1990, 3, 8), DateLevel::OneDigit),
            (d(1990, 3, 5), d(1980, 3, 5), DateLevel::OneDigit),
            (d(1990, 3, 5), d(1991, 4, 5), DateLevel::Different),
            (d(1990, 3, 5), None, DateLevel::Missing),
        ];
        for (a, b, want) in cases {
            assert_eq!(compare_dates(a, b), want, "{a:?} / {b:?}");
        }
    }

    fn person(id: &str, damaged: bool) -> Person {
        Person {
            id: (!id.is_empty()).then(|| id.to_string()),
            id_damaged: damaged,
            ..Person::default()
        }
    }

    #[test]
    fn id_levels() {
        let v = "370404199001011230";
        let cases = [
            (v, v, false, IdLevel::Equal),
            (
                v,
                "370404199001011231",
                false,
                IdLevel::OneSubstitution {
                    position: 18,
                    left: '0',
                    right: '1',
                },
            ),
            (
                v,
                "370404199010011230",
                false,
                IdLevel::AdjacentSwap { position: 11 },
            ),
            (v, "370404199910011230", false, IdLevel::Different),
            (
                v,
                "370404199001011320",
                false,
                IdLevel::AdjacentSwap { position: 16 },
            ),
            (
                v,
                "370404199001101230",
                false,
                IdLevel::AdjacentSwap { position: 13 },
            ),
            ("3.70404199001011E+17", v, true, IdLevel::Damaged),
            ("3.70404199001012E+17", v, true, IdLevel::Damaged),
            ("3.70404299001011E+17", v, true, IdLevel::Different),
            ("3.70404E+17", v, true, IdLevel::Damaged),
            ("3.71404E+17", v, true, IdLevel::Different),
            (v, "", false, IdLevel::Missing),
            (v, "110101194910010028", false, IdLevel::Different),
        ];
        for (a, b, damaged, want) in cases {
            assert_eq!(
                compare_ids(&person(a, damaged), &person(b, false)),
                want,
                "{a} / {b}"
            );
        }
    }

    #[test]
    fn seventeen_digits_one_slip_apart() {
        let table = [
            ("370404199001011230", "370404199001011433", true),
            ("370404199001011230", "370404199001101236", true),
            ("370404199001011230", "370404199001011230", false),
            ("370404199001011230", "110101194910010028", false),
            ("370481198811243461", "372830198811243801", false),
            ("370404199001011230", "370404900101123", false),
            // 1990-03-05 typed as 1990-05-03, the number rebuilt.
            ("370404199003051234", "370404199005031235", true),
            ("370404199003051234", "370404199005041234", false),
        ];
        for (a, b, want) in table {
            assert_eq!(one_slip_in_digits(a, b), want, "{a} / {b}");
        }
    }
}
