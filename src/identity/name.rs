//! Personal names (姓名) as the four registers write them.
//!
//! Takes the raw text of a name cell and gives a [`PersonName`]: the
//! normalised form (trimmed, NFKC, one middle dot `·`, simplified
//! characters, unknown characters as `?`), whether the person has no name
//! yet (a newborn's `之子`, `婴儿` …), the surname, and pinyin keys without
//! tones — several where a character has several readings (多音字), so that
//! a name typed by pinyin input with the wrong character still meets its
//! twin.

use std::sync::OnceLock;

use unicode_normalization::UnicodeNormalization;

use pinyin::ToPinyinMulti;

/// The character a normalised name uses for one it could not read.
pub const UNKNOWN: char = '?';

/// The one middle dot of minority names after normalisation (U+00B7).
pub const MIDDLE_DOT: char = '·';

/// How far heteronym expansion may go before it stops adding keys: a name of
/// four characters with three readings each would otherwise give 81.
const MAX_KEYS: usize = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NameStatus {
    /// A name.
    Given,
    /// A newborn's placeholder (`之子`, `婴儿`, `李梅之女` …): no name yet.
    NoNameYet,
    /// Empty.
    Blank,
}

/// A name cell, normalised.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct PersonName {
    normalized: String,
    status: NameStatus,
}

impl PersonName {
    pub fn normalized(&self) -> &str {
        &self.normalized
    }

    pub fn status(&self) -> NameStatus {
        self.status
    }

    pub fn is_given(&self) -> bool {
        self.status == NameStatus::Given
    }

    /// Whether some character could not be read (`?`, private use …).
    pub fn has_unknown(&self) -> bool {
        self.normalized.contains(UNKNOWN)
    }

    /// The surname: the compound ones (欧阳, 司马 …) as two characters,
    /// otherwise the first character. Empty for a name not yet given.
    pub fn surname(&self) -> &str {
        if !self.is_given() {
            return "";
        }
        let s = &self.normalized;
        if let Some(two) = s.char_indices().nth(2).map(|(i, _)| &s[..i])
            && is_compound_surname(two)
        {
            return two;
        }
        s.char_indices().nth(1).map_or(s.as_str(), |(i, _)| &s[..i])
    }

    /// Pinyin keys of the whole name, without tones or separators and
    /// without the middle dot: `张丽` → `["zhangli"]`; with a heteronym,
    /// every reading (`单` → `dan`, `shan`, `chan`). Unknown characters stay
    /// `?`; Latin letters (a pinyin placeholder for a rare character) stay
    /// as they are, lower-case. Sorted, without repeats.
    pub fn pinyin_keys(&self) -> Vec<String> {
        if !self.is_given() {
            return Vec::new();
        }
        let surname = self.surname();
        match surname_readings(surname) {
            Some(readings) => pinyin_keys(readings, &self.normalized[surname.len()..]),
            None => pinyin_keys(&[""], &self.normalized),
        }
    }

    /// Pinyin keys of the surname alone.
    pub fn surname_pinyin_keys(&self) -> Vec<String> {
        let surname = self.surname();
        match surname_readings(surname) {
            Some(readings) => pinyin_keys(readings, ""),
            None => pinyin_keys(&[""], surname),
        }
    }
}

/// Names that say "this newborn has no name yet".
const NO_NAME_YET: &[&str] = &[
    "之子",
    "之女",
    "婴儿",
    "男婴",
    "女婴",
    "新生儿",
    "未取名",
    "无名",
    "无名氏",
    "男孩",
    "女孩",
];

/// Placeholder endings that follow a parent's name (`李梅之子`).
const NO_NAME_YET_SUFFIXES: &[&str] = &["之子", "之女", "男婴", "女婴", "婴儿", "之婴"];

const COMPOUND_SURNAMES: &[&str] = &[
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
    "夏侯", "轩辕", "令狐", "钟离", "澹台", "公冶", "端木", "濮阳", "淳于", "单于", "太叔", "申屠",
    "闻人", "赫连", "呼延", "南宫", "万俟", "独孤", "西门", "东郭", "百里", "拓跋", "司空", "第五",
    "左丘", "谷梁", "羊舌", "微生", "公羊", "乐正", "段干", "司寇", "巫马", "亓官", "鲜于", "闾丘",
];

/// Normalises a name cell.
pub fn normalize_name(raw: &str) -> PersonName {
    let normalized = normalize_text(raw);
    let status = if normalized.is_empty() || crate::identity::date::is_blank_marker(&normalized) {
        NameStatus::Blank
    } else if normalized.ends_with(['子', '女', '婴', '儿', '名', '氏', '孩'])
        && (NO_NAME_YET.contains(&normalized.as_str())
            || NO_NAME_YET_SUFFIXES.iter().any(|s| normalized.ends_with(s)))
    {
        NameStatus::NoNameYet
    } else {
        NameStatus::Given
    };
    let normalized = if status == NameStatus::Blank {
        String::new()
    } else {
        normalized
    };
    PersonName { normalized, status }
}

fn normalize_text(raw: &str) -> String {
    // Most names are nothing but common ideographs: NFKC and the dot rules
    // cannot change them, and skipping them is most of the speed.
    let plain = raw.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    let mut out = String::with_capacity(raw.len());
    if plain {
        out.push_str(raw);
    } else {
        for c in raw.nfkc() {
            match c {
                c if c.is_whitespace() || is_invisible(c) => {}
                // Every dot people type between the parts of a minority name.
                '·' | '•' | '・' | '.' | '‧' | '∙' | '⋅' | 'ㆍ' | '･' | '●' | '°' | '˙' => {
                    if !out.is_empty() && !out.ends_with(MIDDLE_DOT) {
                        out.push(MIDDLE_DOT);
                    }
                }
                c if is_unknown_char(c) => out.push(UNKNOWN),
                c if c.is_ascii_alphabetic() => out.push(c.to_ascii_lowercase()),
                c => out.push(c),
            }
        }
        while out.ends_with(MIDDLE_DOT) {
            out.pop();
        }
    }
    fast2s::replace(&mut out);
    out
}

fn is_invisible(c: char) -> bool {
    matches!(c, '\u{feff}' | '\u{200b}'..='\u{200f}' | '\u{2060}')
}

/// Characters that stand for one the system could not store: `?`, the
/// replacement character, a box, and private-use code points.
fn is_unknown_char(c: char) -> bool {
    matches!(c, '?' | '\u{fffd}' | '□' | '■' | '*' | '〓')
        || ('\u{e000}'..='\u{f8ff}').contains(&c)
        || ('\u{f0000}'..='\u{10ffff}').contains(&c)
}

/// Whether two characters of normalised names can be the same: equal, or
/// either of them unknown.
pub fn chars_match(a: char, b: char) -> bool {
    a == b || a == UNKNOWN || b == UNKNOWN
}

/// Whether two normalised names can be the same name, character by
/// character, with unknown characters matching anything.
pub fn names_match(a: &str, b: &str) -> bool {
    a.chars().count() == b.chars().count()
        && a.chars().zip(b.chars()).all(|(x, y)| chars_match(x, y))
}

/// How a surname is read when it is one: 单 is shan, 曾 zeng, 王 wang,
/// whatever else the characters may be in other words. A clerk typing a
/// surname by pinyin types this reading. `None` for a surname read like any
/// other word.
fn surname_readings(surname: &str) -> Option<&'static [&'static str]> {
    // Sorted once, then searched: cheaper than hashing a short key.
    static SORTED: OnceLock<Vec<(&'static str, &'static [&'static str])>> = OnceLock::new();
    let table = SORTED.get_or_init(|| {
        let mut v = SURNAME_READINGS.to_vec();
        v.sort_unstable_by_key(|e| e.0);
        v
    });
    table
        .binary_search_by_key(&surname, |e| e.0)
        .ok()
        .map(|i| table[i].1)
}

fn is_compound_surname(two: &str) -> bool {
    static SORTED: OnceLock<Vec<&'static str>> = OnceLock::new();
    SORTED
        .get_or_init(|| {
            let mut v = COMPOUND_SURNAMES.to_vec();
            v.sort_unstable();
            v
        })
        .binary_search(&two)
        .is_ok()
}

const SURNAME_READINGS: &[(&str, &[&str])] = &[
    ("单", &["shan"]),
    ("曾", &["zeng"]),
    ("解", &["xie"]),
    ("区", &["ou"]),
    ("仇", &["qiu"]),
    ("朴", &["piao"]),
    ("查", &["zha"]),
    ("盖", &["ge"]),
    ("乐", &["yue", "le"]),
    ("尉", &["yu", "wei"]),
    ("覃", &["qin"]),
    ("缪", &["miao"]),
    ("翟", &["zhai"]),
    ("黑", &["he"]),
    ("王", &["wang"]),
    ("石", &["shi"]),
    ("柏", &["bai"]),
    ("种", &["chong"]),
    ("员", &["yun"]),
    ("召", &["shao"]),
    ("任", &["ren"]),
    ("华", &["hua"]),
    ("燕", &["yan"]),
    ("纪", &["ji"]),
    ("车", &["che"]),
    ("沈", &["shen"]),
    ("贾", &["jia"]),
    ("薄", &["bo"]),
    ("应", &["ying"]),
    ("宁", &["ning"]),
    ("都", &["du"]),
    ("重", &["chong"]),
    ("相", &["xiang"]),
    ("长", &["chang"]),
    ("南", &["nan"]),
    ("叶", &["ye"]),
    ("秘", &["bi"]),
    ("繁", &["po"]),
    ("莫", &["mo"]),
    ("强", &["qiang"]),
    ("冯", &["feng"]),
    ("曲", &["qu"]),
    ("沙", &["sha"]),
    ("宿", &["su"]),
    ("谌", &["chen"]),
    ("藏", &["zang"]),
    ("翁", &["weng"]),
    ("折", &["she"]),
    ("冼", &["xian"]),
    ("阚", &["kan"]),
    ("能", &["nai"]),
    ("句", &["gou"]),
    ("长孙", &["zhangsun"]),
    ("万俟", &["moqi"]),
    ("尉迟", &["yuchi"]),
    ("单于", &["chanyu"]),
];

/// Keys of `text`, each after one of `prefixes` (a surname's readings).
fn pinyin_keys(prefixes: &[&str], text: &str) -> Vec<String> {
    let capacity = text.len() * 2 + 8;
    let mut keys: Vec<String> = prefixes
        .iter()
        .map(|p| {
            let mut k = String::with_capacity(capacity);
            k.push_str(p);
            k
        })
        .collect();
    for c in text.chars() {
        if c == MIDDLE_DOT {
            continue;
        }
        let readings: Option<pinyin::PinyinMulti> = c.to_pinyin_multi();
        match readings {
            Some(multi) if multi.count() > 1 && keys.len() < MAX_KEYS => {
                let mut next = Vec::with_capacity(keys.len() * multi.count());
                for key in &keys {
                    for reading in multi {
                        if next.len() == MAX_KEYS {
                            break;
                        }
                        let mut k = key.clone();
                        k.push_str(reading.plain());
                        next.push(k);
                    }
                }
                keys = next;
            }
            Some(multi) => {
                let first = multi.get(0).plain();
                keys.iter_mut().for_each(|k| k.push_str(first));
            }
            None => keys.iter_mut().for_each(|k| k.push(c)),
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_forms() {
        let cases: &[(&str, &str, NameStatus)] = &[
            ("张丽", "张丽", NameStatus::Given),
            (" 张丽 ", "张丽", NameStatus::Given),
            ("张 丽", "张丽", NameStatus::Given),
            ("张\u{3000}丽", "张丽", NameStatus::Given),
            ("張麗", "张丽", NameStatus::Given),
            ("陳國華", "陈国华", NameStatus::Given),
            ("欧阳娜娜", "欧阳娜娜", NameStatus::Given),
            ("阿依古丽·买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽•买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽・买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽.买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽．买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽‧买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽 · 买买提", "阿依古丽·买买提", NameStatus::Given),
            ("阿依古丽买买提", "阿依古丽买买提", NameStatus::Given),
            ("ＬＩＮＤＡ", "linda", NameStatus::Given),
            ("王yan", "王yan", NameStatus::Given),
            ("王?", "王?", NameStatus::Given),
            ("王？", "王?", NameStatus::Given),
            ("王\u{e000}", "王?", NameStatus::Given),
            ("王\u{fffd}华", "王?华", NameStatus::Given),
            ("之子", "之子", NameStatus::NoNameYet),
            ("之女", "之女", NameStatus::NoNameYet),
            ("婴儿", "婴儿", NameStatus::NoNameYet),
            ("男婴", "男婴", NameStatus::NoNameYet),
            ("女婴", "女婴", NameStatus::NoNameYet),
            ("李梅之子", "李梅之子", NameStatus::NoNameYet),
            ("李梅之女", "李梅之女", NameStatus::NoNameYet),
            ("", "", NameStatus::Blank),
            ("  ", "", NameStatus::Blank),
            ("无", "", NameStatus::Blank),
            ("-", "", NameStatus::Blank),
        ];
        for (raw, norm, status) in cases {
            let n = normalize_name(raw);
            assert_eq!(n.normalized(), *norm, "{raw:?}");
            assert_eq!(n.status(), *status, "{raw:?}");
        }
    }

    #[test]
    fn surnames() {
        let cases = [
            ("张丽", "张"),
            ("欧阳娜娜", "欧阳"),
            ("司马光", "司马"),
            ("诸葛亮", "诸葛"),
            ("阿依古丽·买买提", "阿"),
            ("王", "王"),
            ("之子", ""),
        ];
        for (raw, surname) in cases {
            assert_eq!(normalize_name(raw).surname(), surname, "{raw}");
        }
    }

    #[test]
    fn pinyin_keys_with_heteronyms() {
        let cases: &[(&str, &[&str])] = &[
            ("张丽", &["zhangli"]),
            ("張麗", &["zhangli"]),
            ("王静", &["wangjing"]),
            ("阿依古丽·买买提", &["ayigulimaimaiti"]),
            ("王yan", &["wangyan"]),
            ("王?", &["wang?"]),
            ("之子", &[]),
        ];
        for (raw, keys) in cases {
            let got = normalize_name(raw).pinyin_keys();
            // Heteronyms may add readings; the usual one must be there.
            for key in *keys {
                assert!(got.contains(&key.to_string()), "{raw}: {got:?} lacks {key}");
            }
            assert_eq!(got.is_empty(), keys.is_empty(), "{raw}: {got:?}");
        }
        // Homophones typed by pinyin input share a key, even where one of
        // them has a second reading (莉 li/chi, 晶 jing).
        for (a, b) in [
            ("张丽", "张莉"),
            ("王静", "王晶"),
            ("李婧", "李静"),
            ("陈黎", "陈丽"),
        ] {
            let ka = normalize_name(a).pinyin_keys();
            let kb = normalize_name(b).pinyin_keys();
            assert!(ka.iter().any(|k| kb.contains(k)), "{a} {ka:?} / {b} {kb:?}");
        }
        // 单 reads dan, shan and chan; as a surname it is shan.
        assert_eq!(normalize_name("单丽").pinyin_keys(), ["shanli"]);
        let given = normalize_name("王单").pinyin_keys();
        for key in ["wangdan", "wangshan", "wangchan"] {
            assert!(given.contains(&key.to_string()), "{given:?} lacks {key}");
        }
        assert_eq!(normalize_name("尉迟恭").surname_pinyin_keys(), ["yuchi"]);
        assert_eq!(normalize_name("欧阳娜娜").surname_pinyin_keys(), ["ouyang"]);
        let zeng = normalize_name("曾伟").surname_pinyin_keys();
        assert!(zeng.contains(&"zeng".to_string()), "{zeng:?}");
        // Expansion stops before it explodes.
        assert!(normalize_name("单单单单单单").pinyin_keys().len() <= MAX_KEYS);
    }

    #[test]
    fn unknown_characters_match_anything() {
        let cases = [
            ("王?", "王琨", true),
            ("王?华", "王玥华", true),
            ("王琨", "王琨", true),
            ("王琨", "王坤", false),
            ("王?", "王琨华", false),
            ("?", "张", true),
        ];
        for (a, b, same) in cases {
            assert_eq!(names_match(a, b), same, "{a} ~ {b}");
        }
        assert!(normalize_name("王?").has_unknown());
        assert!(!normalize_name("王琨").has_unknown());
    }
}
