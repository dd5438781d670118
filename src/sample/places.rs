//! The places of the synthetic county.
//!
//! Takes the number of people and a random stream and gives the county:
//! towns (乡镇/街道) with 9-digit codes and villages (村委会/居委会) with the
//! 12-digit statistical codes of 统计用区划代码, each with a population
//! target and its clan surnames. Also the places outside the county that
//! the registers mention: the region codes of people born elsewhere
//! (neighbouring counties, the provinces wives marry in from, and codes
//! since abolished), where people work away from home, and the hospitals.

use super::names;
use super::rng::Rng;
use crate::identity::region;

/// The county's GB/T 2260 code. A real code (山东省临沂市平邑县), so its
/// people's ID numbers are valid; every town, village and person in it is
/// made up.
pub const COUNTY_CODE: &str = "371326";

/// The county's code before 临沂地区 became a city (revisions to 1993-12):
/// people first registered before 1995 carry it in their ID numbers.
pub const OLD_COUNTY_CODE: &str = "372830";

/// The code of the county for someone first registered there, born on
/// `birth` (registered at birth, or at the first issue of ID numbers).
pub fn county_code_for(birth: crate::identity::Date) -> &'static str {
    if birth.year() < 1995 {
        OLD_COUNTY_CODE
    } else {
        COUNTY_CODE
    }
}

/// Whether a region code is the county's, old or new.
pub fn is_county(code: &str) -> bool {
    code == COUNTY_CODE || code == OLD_COUNTY_CODE
}

#[derive(Clone, Debug)]
pub struct County {
    pub code: &'static str,
    pub name: String,
    pub province: String,
    pub city: String,
    pub towns: Vec<Town>,
    pub villages: Vec<Village>,
}

#[derive(Clone, Debug)]
pub struct Town {
    /// 9 digits: county + 3.
    pub code: String,
    pub name: String,
    /// Indices into [`County::villages`].
    pub villages: std::ops::Range<usize>,
}

#[derive(Clone, Debug)]
pub struct Village {
    /// 12 digits: town + 3.
    pub code: String,
    pub name: String,
    pub town: usize,
    /// How many people live here (registered here, in the truth).
    pub people: usize,
    /// Indices into [`names::SURNAMES`] of the village's clans.
    pub clans: Vec<usize>,
}

/// Two-character place names for towns, made up (not the county's real towns).
const TOWN_STEMS: &[&str] = &[
    "柳林", "石桥", "东湖", "白马", "青龙", "凤凰", "金山", "银河", "太平", "兴隆", "永安", "长乐",
    "双河", "三官", "梨园", "桃源", "杏花", "龙泉", "马坊", "黄土", "清水", "红石", "丰收", "和平",
    "新集", "温泉", "松林", "石门", "古城", "临河", "沙沟", "大岭", "卧龙", "黑山", "官庄", "杨柳",
    "荷花", "铁炉", "芦湖", "九龙", "七里", "五里", "十里", "百花", "玉泉", "碧水", "云山", "紫荆",
    "望海", "秀水", "南岭", "北坡", "东坪", "西峪", "上营", "下营", "前进", "胜利", "光明", "幸福",
];

const VILLAGE_SUFFIXES: &[&str] = &[
    "庄", "家庄", "家村", "集", "店", "屯", "营", "寨", "楼", "官庄", "家沟", "家岭", "家湖",
    "家河", "家洼", "家峪", "家堂", "家园",
];
const VILLAGE_PREFIXES: &[&str] = &["东", "西", "南", "北", "前", "后", "大", "小", "上", "下"];

/// People per village on average; a county of 1,000,000 has about 830
/// villages in about 30 towns.
const PEOPLE_PER_VILLAGE: usize = 1200;
const VILLAGES_PER_TOWN: usize = 28;

pub fn build(people: usize, rng: &mut Rng) -> County {
    let found = region::lookup(COUNTY_CODE);
    let name = found
        .as_ref()
        .and_then(|r| r.county)
        .unwrap_or("平邑县")
        .to_string();
    let province = found.as_ref().map_or("山东省", |r| r.province).to_string();
    let city = found
        .as_ref()
        .and_then(|r| r.city)
        .unwrap_or("临沂市")
        .to_string();

    let n_villages = people.div_ceil(PEOPLE_PER_VILLAGE).max(4);
    let n_towns = n_villages.div_ceil(VILLAGES_PER_TOWN).max(2);

    let mut stems: Vec<&str> = TOWN_STEMS.to_vec();
    rng.shuffle(&mut stems);
    let mut towns = Vec::with_capacity(n_towns);
    let mut used_names = std::collections::BTreeSet::new();
    let mut villages = Vec::with_capacity(n_villages);
    // Villages spread over the towns as evenly as the division allows.
    for t in 0..n_towns {
        let stem = stems[t % stems.len()];
        let round = t / stems.len();
        // The first town is the county seat's street office; a few are 乡.
        let (kind, town_code) = if t == 0 {
            ("街道", format!("{COUNTY_CODE}{:03}", 1))
        } else if t % 7 == 6 {
            ("乡", format!("{COUNTY_CODE}{:03}", 200 + t))
        } else {
            ("镇", format!("{COUNTY_CODE}{:03}", 100 + t))
        };
        let town_name = if round == 0 {
            format!("{stem}{kind}")
        } else {
            format!("{stem}{}{kind}", ["东", "西", "南", "北"][(round - 1) % 4])
        };
        let first = villages.len();
        let count = n_villages / n_towns + usize::from(t < n_villages % n_towns);
        for v in 0..count {
            let clans = names::clan_surnames(rng);
            let (name, code_tail) = if kind == "街道" {
                let stem = rng.pick(TOWN_STEMS);
                (format!("{stem}社区居委会"), 1 + v)
            } else {
                let surname = names::SURNAMES[clans[0]].0;
                let suffix = rng.pick(VILLAGE_SUFFIXES);
                let prefix = if rng.chance(0.4) {
                    *rng.pick(VILLAGE_PREFIXES)
                } else {
                    ""
                };
                (format!("{prefix}{surname}{suffix}村"), 200 + v)
            };
            let mut name = name;
            let mut n = 2;
            while !used_names.insert(name.clone()) {
                name = format!("{}{n}{}", name.trim_end_matches("村"), "村");
                n += 1;
            }
            villages.push(Village {
                code: format!("{town_code}{code_tail:03}"),
                name,
                town: t,
                people: 0,
                clans,
            });
        }
        towns.push(Town {
            code: town_code,
            name: town_name,
            villages: first..villages.len(),
        });
    }

    // Village sizes between half and one and a half of the average, summing
    // to exactly `people`.
    let weights: Vec<u64> = (0..villages.len())
        .map(|_| rng.range(50, 150) as u64)
        .collect();
    let total: u64 = weights.iter().sum();
    let mut assigned = 0;
    for (v, w) in villages.iter_mut().zip(&weights) {
        v.people = (people as u64 * w / total) as usize;
        assigned += v.people;
    }
    let n = villages.len();
    for i in 0..(people - assigned) {
        villages[i % n].people += 1;
    }

    County {
        code: COUNTY_CODE,
        name,
        province,
        city,
        towns,
        villages,
    }
}

/// Region codes (GB/T 2260) of people born outside the county, with
/// weights: the neighbouring counties of the same city most, then the rest
/// of the province, then the provinces wives marry in from.
pub const ELSEWHERE: &[(&str, u32)] = &[
    ("371321", 14), // 沂南县
    ("371325", 14), // 费县
    ("371328", 10), // 蒙阴县
    ("371302", 10), // 兰山区
    ("370826", 6),  // 微山县
    ("370921", 5),  // 宁阳县
    ("370883", 5),  // 邹城市
    ("370481", 5),  // 滕州市
    ("370404", 4),  // 峄城区
    ("370102", 3),  // 历下区
    ("370202", 2),  // 市南区
    ("530627", 4),  // 云南省镇雄县
    ("520521", 3),  // 贵州省毕节市大方县
    ("511323", 3),  // 四川省蓬安县
    ("410526", 3),  // 河南省滑县
    ("341221", 3),  // 安徽省临泉县
    ("320707", 2),  // 江苏省连云港市赣榆区
    ("130522", 2),  // 河北省邢台市临城县
    ("230103", 1),  // 黑龙江省哈尔滨市南岗区
    ("650102", 1),  // 新疆乌鲁木齐市天山区
    ("540102", 1),  // 西藏拉萨市城关区
    ("150102", 1),  // 内蒙古呼和浩特市新城区
];

/// Codes since abolished that older people still carry (the county of
/// their first registration was merged or renamed later).
pub const ABOLISHED: &[&str] = &[
    "371421", // 陵县, became 陵城区 in 2014
    "370284", // 胶南市, merged into 黄岛区 in 2012
    "370205", // 四方区, merged into 市北区 in 2012
    "110103", // 北京市崇文区, merged in 2010
];

/// Where people registered here work away from home (外出).
pub const AWAY: &[&str] = &[
    "广东省东莞市",
    "广东省深圳市宝安区",
    "江苏省苏州市昆山市",
    "浙江省宁波市",
    "上海市闵行区",
    "北京市朝阳区",
    "天津市滨海新区",
    "山东省青岛市黄岛区",
    "山东省临沂市兰山区",
    "山东省济南市历城区",
];

/// The county's delivery hospitals (the county seat's, then the towns'
/// health centres, made up like the towns).
pub fn hospitals(county: &County) -> Vec<String> {
    let mut list = vec![
        format!("{}人民医院", county.name),
        format!("{}妇幼保健院", county.name),
        format!("{}中医医院", county.name),
    ];
    for town in county.towns.iter().skip(1).take(6) {
        list.push(format!("{}卫生院", town.name));
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_sizes() {
        for people in [100, 2000, 1_000_000] {
            let c = build(people, &mut Rng::new(1));
            assert_eq!(c.villages.iter().map(|v| v.people).sum::<usize>(), people);
            assert!(c.towns.len() >= 2 && c.villages.len() >= 4);
            let mut names = std::collections::BTreeSet::new();
            for v in &c.villages {
                assert_eq!(v.code.len(), 12, "{}", v.code);
                assert!(v.code.starts_with(&c.towns[v.town].code));
                assert!(v.code.bytes().all(|b| b.is_ascii_digit()));
                assert!(names.insert(v.name.clone()), "{} twice", v.name);
            }
            for t in &c.towns {
                assert_eq!(t.code.len(), 9);
                assert!(!t.villages.is_empty());
            }
        }
        let c = build(1_000_000, &mut Rng::new(1));
        assert!(
            (800..=900).contains(&c.villages.len()),
            "{}",
            c.villages.len()
        );
        assert_eq!(c.name, "平邑县");
    }

    #[test]
    fn outside_codes_are_real() {
        for (code, _) in ELSEWHERE {
            let r = region::lookup(code).unwrap_or_else(|| panic!("{code}"));
            assert!(!r.abolished, "{code} {}", r.full_name());
            assert!(r.county.is_some(), "{code}");
        }
        for code in ABOLISHED {
            let r = region::lookup(code).unwrap_or_else(|| panic!("{code}"));
            assert!(r.abolished, "{code}");
        }
        assert!(region::lookup(COUNTY_CODE).is_some_and(|r| !r.abolished));
        let old = region::lookup(OLD_COUNTY_CODE).expect("the old code");
        assert!(
            old.abolished && old.county == Some("平邑县"),
            "{}",
            old.full_name()
        );
    }
}
