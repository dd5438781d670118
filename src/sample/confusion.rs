//! The ways clerks mistype names, and the ways old systems print them.
//!
//! Takes a name and a random stream and gives the input-method slips of §3
//! of the domain brief — a homophone picked from the pinyin candidate list,
//! a character of similar shape, a dropped character — and the traditional
//! forms and middle dots an old system prints, which must normalise back to
//! the same name. The sets are made by hand (see docs/sample.md): the
//! homophone sets are checked by a unit test against the `pinyin` crate
//! (every character shares a toneless reading with the first of its set),
//! the traditional forms against [`normalize_name`].

use super::rng::Rng;
use crate::identity::normalize_name;

/// Sets of characters one pinyin syllable brings up together in an input
/// method's candidate list (toneless readings; checked by a unit test).
pub const HOMOPHONES: &[&str] = &[
    "丽莉俐黎利力立励李理礼",
    "静晶婧靖敬京景井菁",
    "敏民珉岷",
    "燕艳雁彦妍岩颜言研严",
    "芳方舫",
    "娟鹃涓",
    "华化桦花",
    "伟玮炜维薇卫",
    "军君均钧俊骏峻",
    "勇涌永咏泳",
    "涛滔韬桃陶",
    "明铭鸣名",
    "磊蕾雷",
    "杰洁捷婕",
    "浩昊皓灏豪",
    "宇雨语羽玉钰裕育于余瑜",
    "轩萱宣瑄",
    "涵晗含寒韩",
    "欣新鑫馨心",
    "怡宜仪艺易依毅逸",
    "梓子紫姿",
    "琳林霖淋临",
    "佳家嘉加",
    "婷亭庭廷",
    "慧惠蕙辉晖徽",
    "秀绣琇",
    "英瑛颖莹滢",
    "兰蓝岚澜",
    "梅玫媚美",
    "红虹鸿宏洪",
    "建健剑键坚",
    "平萍苹坪",
    "文雯闻汶",
    "志智之致芝",
    "刚钢纲",
    "霞侠夏",
    "凤风峰锋丰枫",
    "东冬栋",
    "晓小筱孝",
    "云芸韵运",
    "琪祺淇琦奇其齐",
    "彤桐童瞳",
    "悦月越玥",
    "晨辰臣宸陈",
    "博波柏伯",
    "鹏朋蓬",
    "飞菲斐非",
    "倩茜芊谦",
    "瑶遥尧姚",
    "露璐路鹭",
    "诗施石",
    "思丝斯",
    "楠南",
    "雪学薛",
    "阳扬洋杨",
    "凯楷恺铠",
    "张章",
    "刘柳",
    "王汪",
    "黄皇",
    "徐许",
    "吴武伍",
    "周舟州",
    "赵照兆",
    "孙荪",
    "胡湖",
    "国郭果",
    "朱珠",
    "何和",
    "罗洛",
    "郑正政",
    "梁良亮",
    "谢协",
    "宋松颂",
    "唐堂棠",
    "淑叔书舒",
    "荣蓉容",
    "珍真贞",
    "桂贵",
    "福富付",
    "德得",
    "娜纳",
    "斌彬滨",
    "超潮",
    "龙隆",
    "香祥翔湘",
    "春纯",
    "胜生升",
    "青清庆晴情",
    "玲铃伶灵凌",
    "雅亚娅",
    "梦萌孟",
    "汐曦熙希溪",
    "墨默莫",
    "睿瑞蕊锐",
    "泽择",
    "恒衡",
];

/// Characters of similar shape (形近字) that a clerk reading a handwritten
/// form, or picking from a stroke-input list, confuses.
pub const SIMILAR_SHAPES: &[&str] = &[
    "己已巳",
    "未末",
    "土士",
    "日曰",
    "侯候",
    "玲铃",
    "娟绢",
    "婷停",
    "晴睛",
    "秀季",
    "淑叔",
    "萍苹",
    "凤风",
    "杨扬",
    "琪棋",
    "明朋",
    "王玉",
    "田由",
    "贝见",
    "辉挥",
    "浩洁",
    "燕焉",
];

/// Simplified characters and a traditional form that normalisation turns
/// back into them (checked by a unit test against `normalize_name`).
pub const TRADITIONAL: &[(char, char)] = &[
    ('张', '張'),
    ('丽', '麗'),
    ('刘', '劉'),
    ('陈', '陳'),
    ('华', '華'),
    ('国', '國'),
    ('军', '軍'),
    ('红', '紅'),
    ('兰', '蘭'),
    ('凤', '鳳'),
    ('伟', '偉'),
    ('东', '東'),
    ('晓', '曉'),
    ('云', '雲'),
    ('杰', '傑'),
    ('静', '靜'),
    ('赵', '趙'),
    ('吴', '吳'),
    ('黄', '黃'),
    ('杨', '楊'),
    ('孙', '孫'),
    ('马', '馬'),
    ('郑', '鄭'),
    ('谢', '謝'),
    ('韩', '韓'),
    ('冯', '馮'),
    ('邓', '鄧'),
    ('许', '許'),
    ('罗', '羅'),
    ('叶', '葉'),
    ('苏', '蘇'),
    ('卢', '盧'),
    ('龙', '龍'),
    ('贺', '賀'),
    ('顾', '顧'),
    ('钱', '錢'),
    ('汤', '湯'),
    ('艳', '艷'),
    ('刚', '剛'),
    ('强', '強'),
    ('涛', '濤'),
    ('辉', '輝'),
    ('鹏', '鵬'),
    ('飞', '飛'),
    ('庆', '慶'),
    ('宝', '寶'),
    ('贵', '貴'),
    ('凯', '凱'),
    ('阳', '陽'),
    ('荣', '榮'),
    ('爱', '愛'),
    ('学', '學'),
    ('胜', '勝'),
    ('连', '連'),
    ('长', '長'),
    ('广', '廣'),
    ('书', '書'),
    ('新', '新'),
    ('兴', '興'),
    ('义', '義'),
    ('娟', '娟'),
    ('丰', '豐'),
    ('宁', '寧'),
    ('颖', '穎'),
    ('鑫', '鑫'),
    ('琳', '琳'),
    ('维', '維'),
    ('玮', '瑋'),
    ('萍', '萍'),
    ('岚', '嵐'),
];

/// The traditional forms that really differ from their simplified one.
fn traditional_of(c: char) -> Option<char> {
    TRADITIONAL
        .iter()
        .find(|&&(s, t)| s == c && s != t)
        .map(|&(_, t)| t)
}

/// The name with every character that has a traditional form written that
/// way, as an old system prints it; `None` when no character has one.
pub fn traditional(name: &str) -> Option<String> {
    let mut changed = false;
    let out: String = name
        .chars()
        .map(|c| match traditional_of(c) {
            Some(t) => {
                changed = true;
                t
            }
            None => c,
        })
        .collect();
    (changed && normalize_name(&out).normalized() == name).then_some(out)
}

/// How a name was mistyped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameSlip {
    Homophone,
    SimilarShape,
    Dropped,
}

impl NameSlip {
    pub fn label(self) -> &'static str {
        match self {
            NameSlip::Homophone => "同音字",
            NameSlip::SimilarShape => "形近字",
            NameSlip::Dropped => "漏字",
        }
    }
}

fn set_containing(sets: &'static [&'static str], c: char) -> Option<&'static str> {
    sets.iter().copied().find(|s| s.contains(c))
}

/// One input-method slip in a name: mostly a homophone, sometimes a
/// character of similar shape, now and then a dropped character of a
/// three-character name. `None` when the name offers nothing to slip on.
pub fn mistype(rng: &mut Rng, name: &str) -> Option<(String, NameSlip)> {
    let chars: Vec<char> = name.chars().collect();
    let want = match rng.below(20) {
        0..=13 => NameSlip::Homophone,
        14..=17 => NameSlip::SimilarShape,
        _ => NameSlip::Dropped,
    };
    let order = [
        want,
        NameSlip::Homophone,
        NameSlip::SimilarShape,
        NameSlip::Dropped,
    ];
    for slip in order {
        if let Some(out) = try_slip(rng, &chars, slip)
            && normalize_name(&out).normalized() != normalize_name(name).normalized()
        {
            return Some((out, slip));
        }
    }
    None
}

fn try_slip(rng: &mut Rng, chars: &[char], slip: NameSlip) -> Option<String> {
    if chars.contains(&'·') {
        return None; // minority names are typed from documents, not by pinyin
    }
    match slip {
        NameSlip::Dropped => {
            if chars.len() != 3 {
                return None;
            }
            let drop = 1 + rng.index(2);
            Some(
                chars
                    .iter()
                    .enumerate()
                    .filter(|&(i, _)| i != drop)
                    .map(|(_, c)| *c)
                    .collect(),
            )
        }
        NameSlip::Homophone | NameSlip::SimilarShape => {
            let sets = if slip == NameSlip::Homophone {
                HOMOPHONES
            } else {
                SIMILAR_SHAPES
            };
            // Given-name characters are mistyped more often than surnames,
            // which clerks know by heart.
            let mut positions: Vec<usize> = (0..chars.len())
                .filter(|&i| set_containing(sets, chars[i]).is_some())
                .collect();
            if positions.is_empty() {
                return None;
            }
            if positions.len() > 1 && positions[0] == 0 && rng.chance(0.8) {
                positions.remove(0);
            }
            let at = positions[rng.index(positions.len())];
            let set = set_containing(sets, chars[at])?;
            let others: Vec<char> = set.chars().filter(|&c| c != chars[at]).collect();
            let mut out = chars.to_vec();
            out[at] = *rng.pick(&others);
            Some(out.into_iter().collect())
        }
    }
}

/// The dots people type between the parts of a minority name instead of
/// U+00B7, all of which normalise to it.
pub const DOT_VARIANTS: &[char] = &['.', '．', '•', '・'];

/// The ones of them GBK can encode (`•` and `・` it cannot): for the
/// registers written in GBK.
pub const GBK_DOT_VARIANTS: &[char] = &['.', '．'];

#[cfg(test)]
mod tests {
    use super::*;
    use pinyin::ToPinyinMulti;

    fn readings(c: char) -> Vec<&'static str> {
        match c.to_pinyin_multi() {
            Some(multi) => multi.into_iter().map(|p| p.plain()).collect(),
            None => Vec::new(),
        }
    }

    #[test]
    fn homophone_sets_share_a_reading() {
        for set in HOMOPHONES {
            let chars: Vec<char> = set.chars().collect();
            assert!(chars.len() >= 2, "{set}");
            // Every character shares some toneless reading with the first.
            let first = readings(chars[0]);
            for &c in &chars[1..] {
                let r = readings(c);
                assert!(
                    r.iter().any(|x| first.contains(x)),
                    "{set}: {c} {r:?} shares no reading with {} {first:?}",
                    chars[0]
                );
            }
        }
    }

    #[test]
    fn traditional_forms_normalise_back() {
        for &(s, t) in TRADITIONAL {
            let name = format!("{s}{s}");
            let trad = format!("{t}{t}");
            assert_eq!(normalize_name(&trad).normalized(), name, "{t} → {s}");
        }
        assert_eq!(traditional("张丽华").as_deref(), Some("張麗華"));
        assert_eq!(traditional("秀英"), None);
    }

    #[test]
    fn slips_change_the_normalised_name() {
        let mut rng = Rng::new(5);
        let mut kinds = [0; 3];
        for name in ["张丽华", "王静", "李明", "赵秀英", "刘浩然", "陈婷婷"] {
            for _ in 0..50 {
                let (typo, slip) = mistype(&mut rng, name).expect("a slip");
                assert_ne!(
                    normalize_name(&typo).normalized(),
                    normalize_name(name).normalized()
                );
                kinds[slip as usize] += 1;
            }
        }
        assert!(kinds.iter().all(|&k| k > 0), "{kinds:?}");
        assert_eq!(mistype(&mut rng, "阿依古丽·买买提"), None);
    }
}
