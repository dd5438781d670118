//! Names for the synthetic county.
//!
//! Takes a random stream, a sex, a birth year and a village's clan surnames
//! and gives names as a Chinese register would hold them: surnames with
//! their real frequency (the 2020 census ranking, rounded; compound
//! surnames and surnames with a special reading included), given names in
//! the fashion of the person's birth decade, and Uyghur, Tibetan and
//! Mongolian names. How clerks mistype them is `confusion`'s.

use std::sync::OnceLock;

use super::rng::Rng;
use crate::identity::Sex;
#[cfg(test)]
use crate::identity::normalize_name;

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::confusion::{
        DOT_VARIANTS, GBK_DOT_VARIANTS, HOMOPHONES, SIMILAR_SHAPES, TRADITIONAL,
    };

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
