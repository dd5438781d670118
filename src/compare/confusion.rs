//! Characters that typists confuse by shape (形近字).
//!
//! Takes two characters and says whether a clerk could have typed one for
//! the other because they look alike (己/已, 未/末). Homophones need no table:
//! the pinyin keys already meet. The pairs were collected by hand from the
//! characters common in names and the classic lists of 形近字; they are
//! facts of the script, not anyone's code.

/// Pairs of similar-looking characters, each group written once.
const GROUPS: &[&str] = &[
    "己已巳",
    "未末",
    "戊戌戍",
    "日曰",
    "士土",
    "千干于",
    "人入八",
    "大太犬",
    "王玉主",
    "天夭",
    "兔免",
    "鸟乌",
    "侯候",
    "贝见",
    "申甲由田",
    "白百",
    "折拆",
    "壁璧",
    "辩辨辫",
    "徽微",
    "炜伟玮",
    "娟涓鹃",
    "婷亭",
    "琳林淋",
    "晶品",
    "斌赋",
    "刚钢",
    "红江",
    "杨扬",
    "洋样",
    "玲铃羚",
    "萍苹",
    "莉利",
    "雯雲",
    "蕾雷",
    "霞暇",
    "燕艳",
    "凤风",
    "倩情",
    "梅海",
    "宇字",
    "宁宇",
    "栋拣",
    "浩皓",
    "涛祷",
    "鹏朋",
    "辉晖",
    "峰锋",
    "坤琨",
    "淑叔",
    "桂佳",
    "珊删",
    "瑛英",
    "瑞端",
    "琦崎",
    "洁诘",
    "锐悦",
    "嫒媛",
    "婧靖",
    "菁青",
    "昊吴",
    "旭恤",
    "晨晟",
    "锦绵",
    "茜西",
    "萱宣",
    "彬杉",
    "郁都",
    "邹邬",
    "阎闫",
    "肖萧",
    "符苻",
    "钟锺",
    "冶治",
    "仑伦",
    "沈沉",
    "汤杨",
    "姚桃",
    "裴斐",
    "彭膨",
];

pub fn similar_shape(a: char, b: char) -> bool {
    a != b && GROUPS.iter().any(|g| g.contains(a) && g.contains(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_both_ways() {
        for (a, b, same) in [
            ('己', '已', true),
            ('已', '己', true),
            ('未', '末', true),
            ('伟', '玮', true),
            ('张', '章', false),
            ('己', '己', false),
        ] {
            assert_eq!(similar_shape(a, b), same, "{a}{b}");
        }
    }

    #[test]
    fn groups_have_no_repeats() {
        for g in GROUPS {
            let chars: Vec<char> = g.chars().collect();
            let mut sorted = chars.clone();
            sorted.sort();
            sorted.dedup();
            assert_eq!(sorted.len(), chars.len(), "{g}");
        }
    }
}
