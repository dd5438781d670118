//! Coded fields: sex (GB/T 2261.1), marital status (GB/T 2261.2), household
//! status (户籍状态) and ethnicity (GB 3304).
//!
//! Takes a cell as the registers write it — a code (`21`, or `1` for `01`),
//! text (`已婚`, `汉族`, `汉`), or both in one cell (`21初婚`, `1 男`) — and
//! gives a [`Coded`] value: the known value, a blank, or the raw text kept
//! unchanged when it is not understood, so it can be reported rather than
//! guessed.

use std::fmt;

use serde::Serialize;

/// A coded cell, read.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Coded<T> {
    /// Empty, or an "empty" marker (`无`, `-`, `/`).
    Blank,
    Known(T),
    /// Not understood; the cell's text, untouched.
    Unknown(String),
}

impl<T: Copy> Coded<T> {
    pub fn known(&self) -> Option<T> {
        match self {
            Coded::Known(v) => Some(*v),
            _ => None,
        }
    }
}

/// One table of codes: each value with its code and the texts that name it.
pub trait CodeTable: Sized + Copy + 'static {
    /// (value, numeric code, names; the first is the standard one)
    const TABLE: &'static [(Self, u16, &'static [&'static str])];
    /// Whether `0` is a real code here rather than an "empty" marker.
    const ZERO_IS_CODE: bool = false;

    fn code(self) -> u16
    where
        Self: PartialEq,
    {
        Self::TABLE.iter().find(|e| e.0 == self).map_or(0, |e| e.1)
    }

    fn name(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::TABLE
            .iter()
            .find(|e| e.0 == self)
            .map_or("", |e| e.2[0])
    }
}

/// Reads a coded cell against its table.
pub fn parse_code<T: CodeTable + PartialEq>(raw: &str) -> Coded<T> {
    // A bare code (`1`, `01`, `21`), the common case, without allocating.
    if !raw.is_empty() && raw.len() <= 3 && raw.bytes().all(|b| b.is_ascii_digit()) {
        if raw == "0" && !T::ZERO_IS_CODE {
            return Coded::Blank;
        }
        let n: u16 = raw.parse().unwrap_or(u16::MAX);
        return match T::TABLE.iter().find(|e| e.1 == n) {
            Some(e) => Coded::Known(e.0),
            None => Coded::Unknown(raw.to_string()),
        };
    }
    let text = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\'');
    if crate::identity::date::is_blank_marker(text) || (text == "0" && !T::ZERO_IS_CODE) {
        return Coded::Blank;
    }
    let folded: String = text
        .chars()
        .filter_map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
            ' ' | '\u{3000}' | '\t' | '\u{a0}' | '-' | ':' | '：' | '.' | '、' => None,
            '（' => Some('('),
            '）' => Some(')'),
            other => Some(other),
        })
        .collect();
    let digits_end = folded
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(folded.len());
    let (code_part, text_part) = folded.split_at(digits_end);
    let by_code = if code_part.is_empty() {
        None
    } else {
        match code_part.parse::<u16>() {
            Ok(n) => match T::TABLE.iter().find(|e| e.1 == n) {
                Some(e) => Some(e.0),
                None => return Coded::Unknown(raw.to_string()),
            },
            Err(_) => return Coded::Unknown(raw.to_string()),
        }
    };
    let by_text = if text_part.is_empty() {
        None
    } else {
        let lower = text_part.to_ascii_lowercase();
        match T::TABLE.iter().find(|e| e.2.contains(&lower.as_str())) {
            Some(e) => Some(e.0),
            None => return Coded::Unknown(raw.to_string()),
        }
    };
    match (by_code, by_text) {
        (Some(a), Some(b)) if a == b => Coded::Known(a),
        // Code and text that disagree (`21已婚`): neither can be trusted.
        (Some(_), Some(_)) => Coded::Unknown(raw.to_string()),
        (Some(v), None) | (None, Some(v)) => Coded::Known(v),
        (None, None) => Coded::Blank,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
    /// `0` 未知的性别
    NotKnown,
    /// `9` 未说明的性别
    NotStated,
}

impl CodeTable for Sex {
    const TABLE: &'static [(Self, u16, &'static [&'static str])] = &[
        (Sex::Male, 1, &["男", "男性", "m", "male"]),
        (Sex::Female, 2, &["女", "女性", "f", "female"]),
        (Sex::NotKnown, 0, &["未知的性别", "未知"]),
        (Sex::NotStated, 9, &["未说明的性别", "未说明"]),
    ];
    const ZERO_IS_CODE: bool = true;
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Marital {
    Unmarried,
    Married,
    FirstMarriage,
    Remarried,
    RemarriedSameSpouse,
    Widowed,
    Divorced,
    NotStated,
}

impl Marital {
    /// 20–23: the person has a spouse now.
    pub fn is_married(self) -> bool {
        matches!(
            self,
            Marital::Married
                | Marital::FirstMarriage
                | Marital::Remarried
                | Marital::RemarriedSameSpouse
        )
    }
}

impl CodeTable for Marital {
    const TABLE: &'static [(Self, u16, &'static [&'static str])] = &[
        (Marital::Unmarried, 10, &["未婚"]),
        (Marital::Married, 20, &["已婚", "有配偶"]),
        (Marital::FirstMarriage, 21, &["初婚"]),
        (Marital::Remarried, 22, &["再婚"]),
        (Marital::RemarriedSameSpouse, 23, &["复婚"]),
        (Marital::Widowed, 30, &["丧偶"]),
        (Marital::Divorced, 40, &["离婚"]),
        (Marital::NotStated, 90, &["未说明的婚姻状况", "未说明"]),
    ];
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum HouseholdStatus {
    Active,
    Dead,
    MovedOut,
    MilitaryService,
    SettledAbroad,
    Missing,
    Deleted,
    Cancelled,
    Other,
}

impl HouseholdStatus {
    pub fn is_active(self) -> bool {
        self == HouseholdStatus::Active
    }
}

impl CodeTable for HouseholdStatus {
    const TABLE: &'static [(Self, u16, &'static [&'static str])] = &[
        (HouseholdStatus::Active, 0, &["正常", "在册", "有效"]),
        (HouseholdStatus::Dead, 1, &["死亡"]),
        (HouseholdStatus::MovedOut, 2, &["迁出", "已迁出", "迁移"]),
        (HouseholdStatus::MilitaryService, 3, &["服兵役", "服现役"]),
        (
            HouseholdStatus::SettledAbroad,
            4,
            &["出国境定居", "出国(境)定居", "出境定居", "出国定居"],
        ),
        (HouseholdStatus::Missing, 6, &["失踪"]),
        (HouseholdStatus::Deleted, 7, &["删除"]),
        (HouseholdStatus::Cancelled, 8, &["注销"]),
        (HouseholdStatus::Other, 9, &["其它", "其他"]),
    ];
    const ZERO_IS_CODE: bool = true;
}

/// An ethnic group, by its GB 3304 code (1 汉族 … 56 基诺族, 97 其他,
/// 98 外国血统中国籍人士).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct Ethnicity(pub u8);

macro_rules! ethnic_table {
    ($($code:literal $full:literal $short:literal),* $(,)?) => {
        impl CodeTable for Ethnicity {
            const TABLE: &'static [(Self, u16, &'static [&'static str])] = &[
                $((Ethnicity($code), $code, &[$full, $short]),)*
            ];
        }
    };
}

ethnic_table! {
    1 "汉族" "汉", 2 "蒙古族" "蒙古", 3 "回族" "回", 4 "藏族" "藏", 5 "维吾尔族" "维吾尔",
    6 "苗族" "苗", 7 "彝族" "彝", 8 "壮族" "壮", 9 "布依族" "布依", 10 "朝鲜族" "朝鲜",
    11 "满族" "满", 12 "侗族" "侗", 13 "瑶族" "瑶", 14 "白族" "白", 15 "土家族" "土家",
    16 "哈尼族" "哈尼", 17 "哈萨克族" "哈萨克", 18 "傣族" "傣", 19 "黎族" "黎",
    20 "傈僳族" "傈僳", 21 "佤族" "佤", 22 "畲族" "畲", 23 "高山族" "高山",
    24 "拉祜族" "拉祜", 25 "水族" "水", 26 "东乡族" "东乡", 27 "纳西族" "纳西",
    28 "景颇族" "景颇", 29 "柯尔克孜族" "柯尔克孜", 30 "土族" "土", 31 "达斡尔族" "达斡尔",
    32 "仫佬族" "仫佬", 33 "羌族" "羌", 34 "布朗族" "布朗", 35 "撒拉族" "撒拉",
    36 "毛南族" "毛南", 37 "仡佬族" "仡佬", 38 "锡伯族" "锡伯", 39 "阿昌族" "阿昌",
    40 "普米族" "普米", 41 "塔吉克族" "塔吉克", 42 "怒族" "怒", 43 "乌孜别克族" "乌孜别克",
    44 "俄罗斯族" "俄罗斯", 45 "鄂温克族" "鄂温克", 46 "德昂族" "德昂", 47 "保安族" "保安",
    48 "裕固族" "裕固", 49 "京族" "京", 50 "塔塔尔族" "塔塔尔", 51 "独龙族" "独龙",
    52 "鄂伦春族" "鄂伦春", 53 "赫哲族" "赫哲", 54 "门巴族" "门巴", 55 "珞巴族" "珞巴",
    56 "基诺族" "基诺", 97 "其他" "其它", 98 "外国血统中国籍人士" "外国血统",
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sex_cells() {
        let cases: &[(&str, Coded<Sex>)] = &[
            ("1", Coded::Known(Sex::Male)),
            ("2", Coded::Known(Sex::Female)),
            ("男", Coded::Known(Sex::Male)),
            ("女性", Coded::Known(Sex::Female)),
            ("1 男", Coded::Known(Sex::Male)),
            ("2女", Coded::Known(Sex::Female)),
            ("２", Coded::Known(Sex::Female)),
            ("0", Coded::Known(Sex::NotKnown)),
            ("9", Coded::Known(Sex::NotStated)),
            ("F", Coded::Known(Sex::Female)),
            ("", Coded::Blank),
            ("无", Coded::Blank),
            ("1女", Coded::Unknown("1女".into())),
            ("3", Coded::Unknown("3".into())),
            ("男女", Coded::Unknown("男女".into())),
        ];
        for (raw, want) in cases {
            assert_eq!(&parse_code::<Sex>(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn marital_cells() {
        let cases: &[(&str, Coded<Marital>)] = &[
            ("10", Coded::Known(Marital::Unmarried)),
            ("20", Coded::Known(Marital::Married)),
            ("21初婚", Coded::Known(Marital::FirstMarriage)),
            ("21 初婚", Coded::Known(Marital::FirstMarriage)),
            ("22-再婚", Coded::Known(Marital::Remarried)),
            ("23", Coded::Known(Marital::RemarriedSameSpouse)),
            ("已婚", Coded::Known(Marital::Married)),
            ("丧偶", Coded::Known(Marital::Widowed)),
            ("40离婚", Coded::Known(Marital::Divorced)),
            ("90", Coded::Known(Marital::NotStated)),
            ("-", Coded::Blank),
            ("0", Coded::Blank),
            ("1", Coded::Unknown("1".into())),
            ("21已婚", Coded::Unknown("21已婚".into())),
            ("同居", Coded::Unknown("同居".into())),
        ];
        for (raw, want) in cases {
            assert_eq!(&parse_code::<Marital>(raw), want, "{raw:?}");
        }
        assert!(Marital::FirstMarriage.is_married());
        assert!(!Marital::Divorced.is_married());
    }

    #[test]
    fn household_status_cells() {
        let cases: &[(&str, Coded<HouseholdStatus>)] = &[
            ("0", Coded::Known(HouseholdStatus::Active)),
            ("0正常", Coded::Known(HouseholdStatus::Active)),
            ("正常", Coded::Known(HouseholdStatus::Active)),
            ("1", Coded::Known(HouseholdStatus::Dead)),
            ("2 迁出", Coded::Known(HouseholdStatus::MovedOut)),
            (
                "出国（境）定居",
                Coded::Known(HouseholdStatus::SettledAbroad),
            ),
            ("8注销", Coded::Known(HouseholdStatus::Cancelled)),
            ("其他", Coded::Known(HouseholdStatus::Other)),
            ("5", Coded::Unknown("5".into())),
            ("/", Coded::Blank),
        ];
        for (raw, want) in cases {
            assert_eq!(&parse_code::<HouseholdStatus>(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn ethnicity_cells() {
        let cases: &[(&str, Coded<Ethnicity>)] = &[
            ("01", Coded::Known(Ethnicity(1))),
            ("1", Coded::Known(Ethnicity(1))),
            ("汉族", Coded::Known(Ethnicity(1))),
            ("汉", Coded::Known(Ethnicity(1))),
            ("01汉族", Coded::Known(Ethnicity(1))),
            ("05 维吾尔族", Coded::Known(Ethnicity(5))),
            ("土家", Coded::Known(Ethnicity(15))),
            ("56", Coded::Known(Ethnicity(56))),
            ("97", Coded::Known(Ethnicity(97))),
            ("57", Coded::Unknown("57".into())),
            ("火星族", Coded::Unknown("火星族".into())),
        ];
        for (raw, want) in cases {
            assert_eq!(&parse_code::<Ethnicity>(raw), want, "{raw:?}");
        }
        assert_eq!(Ethnicity(10).name(), "朝鲜族");
        assert_eq!(Marital::Divorced.code(), 40);
    }
}
