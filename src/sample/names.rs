//! Names for the synthetic county, and the ways clerks mistype them.
//!
//! Takes a random stream, a sex, a birth year and a village's clan surnames
//! and gives names as a Chinese register would hold them: surnames with
//! their real frequency (the 2020 census ranking, rounded; compound
//! surnames and surnames with a special reading included), given names in
//! the fashion of the person's birth decade, and Uyghur, Tibetan and
//! Mongolian names. It also gives the input-method slips of §3 of the
//! domain brief — a homophone picked from the pinyin candidate list, a
//! character of similar shape, a dropped character — and the traditional
//! forms an old system may print, which must normalise back to the same
//! name.
//!
//! The confusion sets are made by hand (see docs/sample.md): the homophone
//! sets are checked by a unit test against the `pinyin` crate (every pair
//! shares a toneless reading), the traditional forms against
//! [`normalize_name`](crate::identity::normalize_name).

use std::sync::OnceLock;

use super::rng::Rng;
use crate::identity::{Sex, normalize_name};

/// Surnames with their weight per 100,000 people (2020 census ranking,
/// rounded), then rarer ones a clerk must still type correctly.
pub const SURNAMES: &[(&str, u32)] = &[
    ("王", 7120),
    ("李", 7000),
    ("张", 6740),
    ("刘", 5100),
    ("陈", 4610),
    ("杨", 3220),
    ("黄", 2450),
    ("赵", 2190),
    ("吴", 2050),
    ("周", 2010),
    ("徐", 1670),
    ("孙", 1540),
    ("马", 1440),
    ("朱", 1390),
    ("胡", 1280),
    ("郭", 1180),
    ("何", 1170),
    ("林", 1120),
    ("高", 1080),
    ("罗", 1060),
    ("郑", 990),
    ("梁", 910),
    ("谢", 810),
    ("宋", 750),
    ("唐", 730),
    ("许", 710),
    ("韩", 700),
    ("冯", 680),
    ("邓", 680),
    ("曹", 670),
    ("彭", 640),
    ("曾", 630),
    ("肖", 620),
    ("田", 610),
    ("董", 600),
    ("袁", 550),
    ("潘", 530),
    ("于", 520),
    ("蒋", 510),
    ("蔡", 500),
    ("余", 490),
    ("杜", 480),
    ("叶", 470),
    ("程", 460),
    ("苏", 450),
    ("魏", 440),
    ("吕", 430),
    ("丁", 420),
    ("任", 410),
    ("沈", 400),
    ("姚", 390),
    ("卢", 380),
    ("姜", 370),
    ("崔", 360),
    ("钟", 350),
    ("谭", 340),
    ("陆", 330),
    ("汪", 320),
    ("范", 310),
    ("金", 300),
    ("石", 290),
    ("廖", 280),
    ("贾", 280),
    ("夏", 270),
    ("韦", 270),
    ("付", 260),
    ("方", 260),
    ("白", 250),
    ("邹", 250),
    ("孟", 240),
    ("熊", 240),
    ("秦", 230),
    ("邱", 230),
    ("江", 220),
    ("尹", 220),
    ("薛", 210),
    ("闫", 210),
    ("段", 200),
    ("雷", 200),
    ("侯", 190),
    ("龙", 190),
    ("史", 180),
    ("陶", 180),
    ("黎", 170),
    ("贺", 170),
    ("顾", 160),
    ("毛", 160),
    ("郝", 160),
    ("龚", 150),
    ("邵", 150),
    ("万", 150),
    ("钱", 140),
    ("严", 140),
    ("覃", 130),
    ("武", 130),
    ("戴", 130),
    ("莫", 120),
    ("孔", 120),
    ("向", 120),
    ("汤", 110),
    ("单", 50),
    ("解", 30),
    ("仇", 20),
    ("区", 10),
    ("欧阳", 20),
    ("司马", 5),
    ("诸葛", 5),
    ("上官", 5),
    ("东方", 3),
    ("皇甫", 3),
    ("司徒", 3),
    ("尉迟", 2),
    ("公孙", 2),
    ("慕容", 2),
    ("令狐", 2),
    ("夏侯", 2),
];

/// How fashion in given names moved: before 1960, the 1960s–70s, the
/// 1980s–90s, and since 2000.
fn era(year: i32) -> usize {
    match year {
        ..=1959 => 0,
        1960..=1979 => 1,
        1980..=1999 => 2,
        _ => 3,
    }
}

/// Whole given names that were common in each era (female, male).
const GIVEN_FEMALE: [&[&str]; 4] = [
    &[
        "秀英", "桂英", "秀兰", "玉兰", "桂兰", "淑珍", "凤英", "玉珍", "秀珍", "玉英", "兰英",
        "秀芳", "桂芝", "玉梅", "凤兰", "淑英", "翠花", "秀荣", "桂荣", "玉华",
    ],
    &[
        "丽华", "红梅", "海燕", "春梅", "秀梅", "美玲", "晓红", "丽娟", "玉霞", "爱华", "丽萍",
        "红霞", "艳红", "雪梅", "桂香", "春燕", "素芳", "丽丽", "红", "霞", "艳", "敏", "燕", "芳",
        "娟",
    ],
    &[
        "婷婷", "晓燕", "丽娜", "晓丽", "倩倩", "文静", "丹丹", "晶晶", "莉莉", "佳佳", "敏敏",
        "玉洁", "梦瑶", "晓婷", "雨婷", "思雨", "佳琪", "静", "丽", "婷", "雪", "倩", "娜", "琳",
        "洁", "颖",
    ],
    &[
        "欣怡", "梓涵", "子涵", "雨萱", "诗涵", "梓萱", "一诺", "可馨", "思涵", "欣妍", "雨桐",
        "语桐", "佳怡", "紫涵", "梦琪", "若汐", "依诺", "艺涵", "晨曦", "雨涵", "心怡", "沐晴",
        "芷若", "梓琳",
    ],
];

const GIVEN_MALE: [&[&str]; 4] = [
    &[
        "建国", "国庆", "德明", "福贵", "志强", "建华", "国华", "德胜", "玉成", "宝山", "振华",
        "永福", "国强", "建军", "长海", "树林", "德福", "金山", "文华", "玉林", "连生", "广田",
        "庆祥", "兆林",
    ],
    &[
        "建军", "建伟", "海涛", "志刚", "建新", "卫东", "红军", "立新", "国栋", "东升", "永刚",
        "新民", "春雷", "学军", "伟", "军", "勇", "强", "刚", "斌", "涛", "明", "辉", "平",
    ],
    &[
        "俊杰", "文博", "晓东", "志伟", "海洋", "浩然", "振宇", "子豪", "天宇", "家豪", "鹏飞",
        "晓龙", "文杰", "博文", "雪松", "磊", "鹏", "超", "浩", "杰", "帅", "波", "亮", "鑫", "龙",
        "飞",
    ],
    &[
        "浩然", "宇轩", "子轩", "梓豪", "浩宇", "子墨", "宇航", "皓轩", "一鸣", "梓睿", "奕辰",
        "沐阳", "梓轩", "铭轩", "宇辰", "睿泽", "俊熙", "思远", "天佑", "明轩", "家乐", "晨阳",
        "泽宇", "锦程",
    ],
];

/// Characters that given names were built from, first and second position.
const FIRST_FEMALE: [&str; 4] = [
    "秀桂玉淑凤兰翠金",
    "丽红海春晓美雪爱素艳玉",
    "晓丽雪文玉佳梦思雨婷倩欣",
    "欣梓子雨诗一可思语佳紫梦若依艺心沐芷嘉雅",
];
const SECOND_FEMALE: [&str; 4] = [
    "英兰珍芳荣梅华芝花琴",
    "华梅燕霞萍玲娟红丽英芳云",
    "娜婷静丽洁琳颖慧雪瑶璐蕾丹晶倩",
    "怡涵萱彤桐琪妍馨诺汐琳悦瑶然晴曦雯",
];
const FIRST_MALE: [&str; 4] = [
    "建国德福志玉宝振永长树金文庆兆广",
    "建志海卫红立国东永新学春振明长",
    "文晓志海明俊天家浩子鹏建博振",
    "宇子梓浩俊一奕沐铭睿思天明家晨泽锦皓嘉",
];
const SECOND_MALE: [&str; 4] = [
    "国华明胜林山福成祥海贵田喜生才",
    "军伟强刚斌涛明辉平东新民峰林杰勇",
    "磊鹏超浩杰帅波亮鑫龙飞峰晨宇凯阳博豪东伟",
    "轩然豪宇墨航睿辰阳泽熙远佑乐程杰铭博恒",
];

fn nth_char(s: &str, i: usize) -> char {
    s.chars().nth(i).unwrap_or('明')
}

fn pick_char(rng: &mut Rng, pool: &str) -> char {
    let n = pool.chars().count();
    nth_char(pool, rng.index(n))
}

/// A surname; villages are clans, so a village's own surnames come up far
/// more often among people born there.
pub fn surname(rng: &mut Rng, clan: &[usize]) -> &'static str {
    if !clan.is_empty() && rng.chance(0.45) {
        return SURNAMES[clan[rng.index(clan.len())]].0;
    }
    let weights = surname_weights();
    SURNAMES[rng.weighted(weights)].0
}

fn surname_weights() -> &'static [u32] {
    static W: OnceLock<Vec<u32>> = OnceLock::new();
    W.get_or_init(|| SURNAMES.iter().map(|s| s.1).collect())
}

/// Indices of common surnames for a village's clans.
pub fn clan_surnames(rng: &mut Rng) -> Vec<usize> {
    let first = rng.index(30);
    if rng.chance(0.5) {
        let mut second = rng.index(40);
        if second == first {
            second = (second + 1) % 40;
        }
        vec![first, second]
    } else {
        vec![first]
    }
}

/// A given name in the fashion of the birth year.
pub fn given_name(rng: &mut Rng, sex: Sex, year: i32) -> String {
    let e = era(year);
    let female = sex == Sex::Female;
    if rng.chance(0.4) {
        let list = if female {
            GIVEN_FEMALE[e]
        } else {
            GIVEN_MALE[e]
        };
        return rng.pick(list).to_string();
    }
    let (first, second) = if female {
        (FIRST_FEMALE[e], SECOND_FEMALE[e])
    } else {
        (FIRST_MALE[e], SECOND_MALE[e])
    };
    let mut name = String::new();
    if e >= 1 && rng.chance(0.15) {
        name.push(pick_char(rng, second));
        return name;
    }
    let a = pick_char(rng, first);
    let mut b = pick_char(rng, second);
    if a == b {
        b = pick_char(rng, second);
    }
    name.push(a);
    name.push(b);
    name
}

/// A name of the minority of the region a person was born in, for the
/// regions where one lives: Uyghur names of two parts joined by a middle
/// dot (新疆, 65), Tibetan names without a surname (西藏, 54), Mongolian
/// names (内蒙古, 15). Gives the name and the GB 3304 ethnicity code, or
/// `None` for a Han name.
pub fn minority_name(rng: &mut Rng, sex: Sex, region: &str) -> Option<(String, u8)> {
    const UYGHUR_F: &[&str] = &[
        "阿依古丽",
        "古丽娜尔",
        "热依拉",
        "迪丽娜尔",
        "帕提古丽",
        "努尔古丽",
    ];
    const UYGHUR_M: &[&str] = &["艾力", "买买提", "阿不都", "吐尔逊", "艾尔肯", "库尔班"];
    const TIBETAN_F: &[&str] = &["卓玛", "央金", "拉姆", "德吉", "曲珍"];
    const TIBETAN_M: &[&str] = &["扎西", "次仁", "格桑", "达瓦", "尼玛", "多吉"];
    const MONGOL_F: &[&str] = &["其其格", "乌云", "萨仁", "图雅", "娜仁"];
    const MONGOL_M: &[&str] = &["巴特尔", "苏和", "那仁", "额尔敦", "宝音"];
    let female = sex == Sex::Female;
    if !rng.chance(0.7) {
        return None;
    }
    match region.get(..2)? {
        "65" => {
            let given = rng.pick(if female { UYGHUR_F } else { UYGHUR_M });
            let father = rng.pick(UYGHUR_M);
            Some((format!("{given}·{father}"), 5))
        }
        "54" => {
            let list = if female { TIBETAN_F } else { TIBETAN_M };
            let a = rng.pick(TIBETAN_M);
            let b = rng.pick(list);
            let name = if a == b {
                format!("{a}{}", rng.pick(TIBETAN_F))
            } else {
                format!("{a}{b}")
            };
            Some((name, 4))
        }
        "15" => Some((
            rng.pick(if female { MONGOL_F } else { MONGOL_M })
                .to_string(),
            2,
        )),
        _ => None,
    }
}

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
    fn every_character_we_write_is_in_gbk() {
        let mut all = String::new();
        for (s, _) in SURNAMES {
            all.push_str(s);
        }
        for list in GIVEN_FEMALE.iter().chain(GIVEN_MALE.iter()) {
            for n in *list {
                all.push_str(n);
            }
        }
        for pools in [FIRST_FEMALE, SECOND_FEMALE, FIRST_MALE, SECOND_MALE] {
            for p in pools {
                all.push_str(p);
            }
        }
        for s in HOMOPHONES.iter().chain(SIMILAR_SHAPES) {
            all.push_str(s);
        }
        for &(_, t) in TRADITIONAL {
            all.push(t);
        }
        all.extend(GBK_DOT_VARIANTS);
        all.push('·');
        let (_, _, errors) = encoding_rs::GBK.encode(&all);
        assert!(!errors, "a character outside GBK");
        for &d in DOT_VARIANTS {
            let raw = format!("阿依古丽{d}买买提");
            assert_eq!(normalize_name(&raw).normalized(), "阿依古丽·买买提", "{d}");
        }
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

    #[test]
    fn names_come_out_plausible() {
        let mut rng = Rng::new(9);
        for year in [1940, 1970, 1990, 2015] {
            for sex in [Sex::Male, Sex::Female] {
                for _ in 0..100 {
                    let g = given_name(&mut rng, sex, year);
                    assert!((1..=2).contains(&g.chars().count()), "{g}");
                    assert!(normalize_name(&g).is_given(), "{g}");
                }
            }
        }
        let mut found = 0;
        for region in ["650102", "540102", "150102", "371326"] {
            for _ in 0..20 {
                if let Some((name, eth)) = minority_name(&mut rng, Sex::Female, region) {
                    assert!(!name.is_empty() && [2, 4, 5].contains(&eth));
                    assert!(normalize_name(&name).is_given(), "{name}");
                    assert_ne!(region, "371326");
                    found += 1;
                }
            }
        }
        assert!(found > 20);
    }
}
