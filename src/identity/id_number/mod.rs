//! Citizen ID numbers (公民身份号码, GB 11643-1999) and the other numbers
//! that stand in their column.
//!
//! Takes the raw text of an ID cell and gives an [`IdNumber`]: the cleaned
//! 18-character form (15-digit numbers upgraded), what kind of number it is,
//! and every [`IdProblem`] that makes it invalid. It never turns a number
//! Excel damaged back into digits, and it never prints a full number in a
//! message: [`mask`] is the only form for logs and errors.

mod clean;
mod repair;
mod text;

use std::fmt;

use serde::Serialize;

use super::codes::Sex;
use super::date::Date;
use super::region;
use clean::Cleaned;
pub use repair::{Edit, Repair};
use text::IdText;

/// What stands in an ID column.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IdKind {
    /// Nothing in the cell.
    Empty,
    /// An 18-character citizen number.
    Citizen,
    /// A 15-digit citizen number of the 1985–1999 rules, upgraded to 18.
    CitizenOld,
    /// A residence permit of a Hong Kong, Macao or Taiwan resident
    /// (港澳台居民居住证, numbers beginning 81, 82, 83).
    HkMacaoTaiwanPermit,
    /// A foreigner's permanent residence card of 2017 (18 characters
    /// beginning 9, with a check character).
    ForeignPermanent,
    /// A foreigner's permanent residence card of 2004 (three letters for
    /// the country and twelve digits).
    ForeignPermanentOld,
    /// A stand-in, not a person's number: zeros, `000000`+birth date+`0000`,
    /// a system's temporary number.
    Placeholder,
    /// The cell went through a float and has lost digits.
    Damaged,
    /// Not a number of any kind above.
    Unrecognised,
}

impl IdKind {
    pub fn label(self) -> &'static str {
        match self {
            IdKind::Empty => "空白",
            IdKind::Citizen => "居民身份证号码",
            IdKind::CitizenOld => "15位旧身份证号码",
            IdKind::HkMacaoTaiwanPermit => "港澳台居民居住证",
            IdKind::ForeignPermanent => "外国人永久居留身份证",
            IdKind::ForeignPermanentOld => "外国人永久居留证（旧版）",
            IdKind::Placeholder => "占位号码",
            IdKind::Damaged => "被Excel损坏的号码",
            IdKind::Unrecognised => "无法识别的号码",
        }
    }

    /// Kinds that carry a birth date, a sex and a check character.
    fn has_gb11643_layout(self) -> bool {
        matches!(
            self,
            IdKind::Citizen
                | IdKind::CitizenOld
                | IdKind::HkMacaoTaiwanPermit
                | IdKind::ForeignPermanent
        )
    }
}

/// One reason a number is not valid.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum IdProblem {
    /// The cell is empty.
    Empty,
    /// A placeholder, not a person's number.
    Placeholder,
    /// Stored as a float by a spreadsheet (digits 16–18 are lost).
    StoredAsNumber,
    /// Ends in `000` with a wrong check character: the shape a float leaves
    /// when Excel keeps only 15 significant digits.
    LostTrailingDigits,
    /// Neither 15 nor 18 characters.
    WrongLength { length: usize },
    /// A character that cannot stand at this position (1-based).
    BadCharacter { position: usize, character: char },
    /// Digits 7–14 (7–12 in a 15-digit number) are not a real date.
    ImpossibleDate { digits: String },
    /// The birth date lies after the as-of date.
    FutureDate { date: Date },
    /// The birth date is before 1850: no living person.
    DateTooEarly { date: Date },
    /// The first six digits are no region code of any GB/T 2260 revision.
    UnknownRegion { region: String },
    /// The check character does not fit the first 17.
    WrongCheck { expected: char, found: char },
}

impl IdProblem {
    /// The problem in the words of a statistician.
    pub fn message(&self) -> String {
        match self {
            IdProblem::Empty => "号码为空".into(),
            IdProblem::Placeholder => "占位号码（全零、临时号等），不是本人号码".into(),
            IdProblem::StoredAsNumber => {
                "号码曾被电子表格存成数字（科学计数法），第16—18位已丢失，须查原始证件".into()
            }
            IdProblem::LostTrailingDigits => {
                "末三位为000且校验码不符，疑似被Excel截断，须查原始证件".into()
            }
            IdProblem::WrongLength { length } => {
                format!("位数不对：{length}位，应为18位（或15位旧号）")
            }
            IdProblem::BadCharacter {
                position,
                character,
            } => format!("第{position}位是“{character}”，此处只能是数字"),
            IdProblem::ImpossibleDate { digits } => format!("出生日期“{digits}”不存在"),
            IdProblem::FutureDate { date } => format!("出生日期{date}晚于比对日期"),
            IdProblem::DateTooEarly { date } => format!("出生日期{date}早于1850年"),
            IdProblem::UnknownRegion { region } => {
                format!("前六位“{region}”不是任何版本的行政区划代码")
            }
            IdProblem::WrongCheck { expected, found } => {
                format!("校验码错误：末位应为{expected}，实为{found}")
            }
        }
    }
}

impl fmt::Display for IdProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

/// An ID cell, cleaned and judged.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct IdNumber {
    cleaned: IdText,
    kind: IdKind,
    problems: Vec<IdProblem>,
    /// The 15 digits the number was upgraded from.
    upgraded_from: Option<String>,
}

impl IdNumber {
    /// The cleaned number: 18 characters for every valid citizen number
    /// (15-digit ones upgraded), the cell's characters otherwise, and for a
    /// damaged number the text the cell showed.
    pub fn cleaned(&self) -> &str {
        &self.cleaned
    }

    pub fn kind(&self) -> IdKind {
        self.kind
    }

    pub fn problems(&self) -> &[IdProblem] {
        &self.problems
    }

    pub fn is_valid(&self) -> bool {
        self.problems.is_empty()
    }

    pub fn is_empty(&self) -> bool {
        self.kind == IdKind::Empty
    }

    pub fn upgraded_from(&self) -> Option<&str> {
        self.upgraded_from.as_deref()
    }

    /// The birth date the number encodes, if it is a real date.
    pub fn birth_date(&self) -> Option<Date> {
        if !self.kind.has_gb11643_layout() || self.cleaned.len() != 18 {
            return None;
        }
        date_at(&self.cleaned, 6)
    }

    /// The sex the sequence encodes (odd male, even female).
    pub fn sex(&self) -> Option<Sex> {
        if !self.kind.has_gb11643_layout() || self.cleaned.len() != 18 {
            return None;
        }
        match self.cleaned.as_bytes()[16] {
            d @ b'0'..=b'9' if (d - b'0') % 2 == 1 => Some(Sex::Male),
            b'0'..=b'9' => Some(Sex::Female),
            _ => None,
        }
    }

    /// The region of first registration, for citizen numbers.
    pub fn region(&self) -> Option<region::Region> {
        match self.kind {
            IdKind::Citizen | IdKind::CitizenOld => region::lookup(self.cleaned.get(..6)?),
            _ => None,
        }
    }

    /// The number with its middle digits hidden, for logs and messages.
    pub fn masked(&self) -> String {
        mask(&self.cleaned)
    }

    /// Numbers one typo away (a digit mistyped, two neighbours swapped) that
    /// pass every check; empty for a valid number or one of another shape.
    pub fn repairs(&self, as_of: Date) -> Vec<Repair> {
        repair::candidates(self, as_of)
    }
}

/// Hides all but the first six and the last four characters:
/// `370404********123X`. Short texts keep only their first and last.
pub fn mask(number: &str) -> String {
    let chars: Vec<char> = number.chars().collect();
    let n = chars.len();
    let (head, tail) = if n >= 14 {
        (6, 4)
    } else if n >= 4 {
        (1, 1)
    } else {
        (n, 0) // too short to be anyone's number
    };
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| if i < head || i >= n - tail { c } else { '*' })
        .collect()
}

const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK: [u8; 11] = *b"10X98765432";

/// The ISO 7064 MOD 11-2 check character of the first 17 digits, or `None`
/// if they are not all digits.
pub fn check_character(first17: &[u8]) -> Option<char> {
    if first17.len() != 17 {
        return None;
    }
    let mut sum = 0u32;
    for (&b, w) in first17.iter().zip(WEIGHTS) {
        if !b.is_ascii_digit() {
            return None;
        }
        sum += u32::from(b - b'0') * w;
    }
    Some(CHECK[(sum % 11) as usize] as char)
}

fn date_at(s: &str, at: usize) -> Option<Date> {
    let digits = s.as_bytes().get(at..at + 8)?;
    let mut n = [0u32; 8];
    for (slot, &b) in n.iter_mut().zip(digits) {
        if !b.is_ascii_digit() {
            return None;
        }
        *slot = u32::from(b - b'0');
    }
    let y = n[0] * 1000 + n[1] * 100 + n[2] * 10 + n[3];
    Date::from_ymd(y as i32, n[4] * 10 + n[5], n[6] * 10 + n[7])
}

/// Judges ID cells against an as-of date (birth dates after it are wrong).
#[derive(Clone, Copy, Debug)]
pub struct IdParser {
    as_of: Date,
}

impl IdParser {
    pub fn new(as_of: Date) -> IdParser {
        IdParser { as_of }
    }

    pub fn as_of(&self) -> Date {
        self.as_of
    }

    pub fn parse(&self, raw: &str) -> IdNumber {
        match clean::clean(raw) {
            Cleaned::Empty => IdNumber {
                cleaned: IdText::new(""),
                kind: IdKind::Empty,
                problems: vec![IdProblem::Empty],
                upgraded_from: None,
            },
            Cleaned::Float(shown) => IdNumber {
                cleaned: IdText::from(shown),
                kind: IdKind::Damaged,
                problems: vec![IdProblem::StoredAsNumber],
                upgraded_from: None,
            },
            Cleaned::Text { chars, temporary } => self.judge(chars, temporary),
        }
    }

    fn judge(&self, chars: IdText, temporary: bool) -> IdNumber {
        let mut problems = Vec::new();
        // One borrow of the text for all the checks (each deref of an
        // IdText re-reads its bytes).
        let s: &str = &chars;
        let b = s.as_bytes();
        if temporary || is_placeholder(s) {
            problems.push(IdProblem::Placeholder);
            return IdNumber {
                cleaned: chars,
                kind: IdKind::Placeholder,
                problems,
                upgraded_from: None,
            };
        }
        let (kind, cleaned, upgraded_from) = match b.len() {
            18 if b.is_ascii() => {
                let kind = match b[0] {
                    b'9' => IdKind::ForeignPermanent,
                    b'8' if matches!(&b[..6], b"810000" | b"820000" | b"830000") => {
                        IdKind::HkMacaoTaiwanPermit
                    }
                    _ => IdKind::Citizen,
                };
                let kind = self.judge_18(s, kind, None, &mut problems);
                (kind, chars, None)
            }
            15 if all_ascii_digits(s) => {
                // Centenarians of the 1989 rules: sequence 996–999, born 18YY.
                let century = if &s[12..15] >= "996" { "18" } else { "19" };
                let mut full = String::with_capacity(18);
                full.push_str(&s[..6]);
                full.push_str(century);
                full.push_str(&s[6..]);
                let check = check_character(full.as_bytes()).unwrap_or('?');
                full.push(check);
                let kind = self.judge_18(&full, IdKind::CitizenOld, Some(s), &mut problems);
                let old = s.to_string();
                (kind, IdText::from(full), Some(old))
            }
            15 if b[..3].iter().all(u8::is_ascii_uppercase) && all_ascii_digits(&s[3..]) => {
                (IdKind::ForeignPermanentOld, chars, None)
            }
            _ => {
                let length = s.chars().count();
                if length != 18 && length != 15 {
                    problems.push(IdProblem::WrongLength { length });
                }
                push_first_bad_character(s, length, &mut problems);
                (IdKind::Unrecognised, chars, None)
            }
        };
        IdNumber {
            cleaned,
            kind,
            problems,
            upgraded_from,
        }
    }

    /// The checks of an 18-character number `s` of the GB 11643 layout
    /// (`old`: the 15 digits it was upgraded from). Gives the kind, which
    /// turns to damaged when the number shows a float's truncation.
    fn judge_18(
        &self,
        s: &str,
        kind: IdKind,
        old: Option<&str>,
        problems: &mut Vec<IdProblem>,
    ) -> IdKind {
        if push_first_bad_character(s, 18, problems) {
            return kind;
        }
        if matches!(kind, IdKind::Citizen | IdKind::CitizenOld) && !region::is_known(&s[..6]) {
            problems.push(IdProblem::UnknownRegion {
                region: s[..6].to_string(),
            });
        }
        match date_at(s, 6) {
            Some(date) if date > self.as_of => problems.push(IdProblem::FutureDate { date }),
            Some(date) if date.year() < 1850 => problems.push(IdProblem::DateTooEarly { date }),
            Some(_) => {}
            None => {
                let digits = match old {
                    Some(old) => old[6..12].to_string(),
                    None => s[6..14].to_string(),
                };
                problems.push(IdProblem::ImpossibleDate { digits });
            }
        }
        if old.is_some() {
            return kind; // the check character was computed, not read
        }
        let b = s.as_bytes();
        if let Some(expected) = check_character(&b[..17]) {
            let found = b[17] as char;
            if found != expected {
                if s.ends_with("000") && kind == IdKind::Citizen {
                    problems.push(IdProblem::LostTrailingDigits);
                    return IdKind::Damaged;
                }
                problems.push(IdProblem::WrongCheck { expected, found });
            }
        }
        kind
    }
}

/// Reports the first character that cannot stand where it is (digits
/// everywhere, `X` only as the 18th); says whether there was one.
fn push_first_bad_character(s: &str, length: usize, problems: &mut Vec<IdProblem>) -> bool {
    let b = s.as_bytes();
    let last_ok = |c: u8| c.is_ascii_digit() || (c == b'X' && length == 18);
    if b.len() == length && b[..length - 1].iter().all(u8::is_ascii_digit) && last_ok(b[length - 1])
    {
        return false; // the common case, without decoding characters
    }
    let bad = s
        .chars()
        .enumerate()
        .find(|&(i, c)| !(c.is_ascii_digit() || (c == 'X' && length == 18 && i == 17)));
    match bad {
        Some((i, character)) => {
            problems.push(IdProblem::BadCharacter {
                position: i + 1,
                character,
            });
            true
        }
        None => false,
    }
}

fn all_ascii_digits(s: &str) -> bool {
    s.bytes().all(|b| b.is_ascii_digit())
}

/// Stand-ins that systems put where a number is required.
fn is_placeholder(s: &str) -> bool {
    let b = s.as_bytes();
    if b.is_empty() || !b[..b.len() - 1].iter().all(u8::is_ascii_digit) {
        return false;
    }
    let same = b.iter().all(|&c| c == b[0]);
    let ascending = b
        .windows(2)
        .all(|w| (w[1] as i32 - w[0] as i32).rem_euclid(10) == 1);
    (b.len() >= 15 && (same || ascending))
        || (b.len() == 18
            && b.starts_with(b"000000")
            && (b.ends_with(b"0000") || b.ends_with(b"000X")))
        || (b.len() == 15 && b.starts_with(b"000000") && b.ends_with(b"000"))
}

#[cfg(test)]
mod tests;
