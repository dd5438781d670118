//! Explanations: a pair's comparison in the words of the village workbook.
//!
//! Takes a [`Comparison`] (and the field weights) and gives Chinese text such
//! as `身份证号第12、13位颠倒；姓名同音（丽/莉）；出生日期一致`, and a short
//! English-free code per field for scripts.

use crate::compare::{Comparison, DateLevel, IdLevel, MotherLevel, NameLevel, Simple};

/// The pair explained, field by field, joined by `；`.
pub fn explain(c: &Comparison) -> String {
    let id = match c.id {
        IdLevel::Equal => "身份证号一致".to_string(),
        IdLevel::OneSubstitution {
            position,
            left,
            right,
        } => {
            format!("身份证号第{position}位不同（{left}/{right}）")
        }
        IdLevel::AdjacentSwap { position } => {
            format!("身份证号第{}、{}位颠倒", position, position + 1)
        }
        IdLevel::Damaged => "身份证号被Excel损坏，保留的数字一致".to_string(),
        IdLevel::Missing => "一方无身份证号".to_string(),
        IdLevel::Different => "身份证号不同".to_string(),
    };
    let name = match c.name {
        NameLevel::Equal => "姓名一致".to_string(),
        NameLevel::SamePinyin { left, right } => format!("姓名同音（{left}/{right}）"),
        NameLevel::SimilarShape { left, right } => format!("姓名形近（{left}/{right}）"),
        NameLevel::Close => "姓名相近".to_string(),
        NameLevel::Missing => "一方姓名空缺或尚未取名".to_string(),
        NameLevel::Different => "姓名不同".to_string(),
    };
    let birth = match c.birth {
        DateLevel::Equal => "出生日期一致",
        DateLevel::DayMonthSwapped => "出生日期月日颠倒",
        DateLevel::OneDigit => "出生日期一位数字不同",
        DateLevel::Missing => "一方无出生日期",
        DateLevel::Different => "出生日期不同",
    };
    let sex = match c.sex {
        Simple::Equal => "性别一致",
        Simple::Missing => "",
        Simple::Different => "性别不同",
    };
    let village = match c.village {
        Simple::Equal => "所在村一致",
        Simple::Missing => "",
        Simple::Different => "所在村不同",
    };
    let mother = match c.mother {
        MotherLevel::Equal => "母亲身份证号一致",
        MotherLevel::OneTypo => "母亲身份证号差一位",
        MotherLevel::Missing => "",
        MotherLevel::Different => "母亲身份证号不同",
    };
    [id.as_str(), name.as_str(), birth, sex, village, mother]
        .into_iter()
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn in_the_workbooks_words() {
        let c = Comparison {
            id: IdLevel::AdjacentSwap { position: 12 },
            name: NameLevel::SamePinyin {
                left: '丽',
                right: '莉',
            },
            birth: DateLevel::Equal,
            sex: Simple::Missing,
            village: Simple::Different,
            mother: MotherLevel::Missing,
        };
        assert_eq!(
            explain(&c),
            "身份证号第12、13位颠倒；姓名同音（丽/莉）；出生日期一致；所在村不同"
        );
        let c = Comparison {
            id: IdLevel::OneSubstitution {
                position: 18,
                left: '1',
                right: '0',
            },
            name: NameLevel::SimilarShape {
                left: '己',
                right: '已',
            },
            birth: DateLevel::DayMonthSwapped,
            sex: Simple::Equal,
            village: Simple::Equal,
            mother: MotherLevel::OneTypo,
        };
        assert_eq!(
            explain(&c),
            "身份证号第18位不同（1/0）；姓名形近（己/已）；出生日期月日颠倒；性别一致；所在村一致；母亲身份证号差一位"
        );
    }
}
