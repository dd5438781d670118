//! The columns of the export files: what each register's systems call
//! their fields, and how they write dates and codes.
//!
//! Takes nothing and gives, per kind of export, its columns in order — the
//! header text (under a group header where the export has a two-row
//! header) and which field goes there in which style: WIS's Chinese
//! headers in two generations (`公民身份号码` or `身份证号码`), the household
//! register's public-security field codes, the marriage exports of the old
//! web system and the new one, the birth certificates' and the delivery
//! records' two-row headers.

use crate::identity::Date;

/// How dates are written in a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateStyle {
    /// 2014-09-25
    Iso,
    /// 2014/9/25
    Slash,
    /// 20140925
    Compact,
    /// 2014年9月25日
    Chinese,
    /// 2014.09.25
    Dotted,
    /// A date cell in a workbook; 2014-09-25 in text formats.
    Cell,
    /// 2014-09-25 14:32
    IsoTime,
}

/// How coded values are written in a column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeStyle {
    /// `1`, `21`, `01`
    Code,
    /// `男`, `初婚`, `汉族`
    Text,
    /// `1 男`, `21初婚`
    CodeText,
}

/// The columns any register's files may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Col {
    Seq,
    Name,
    Sex(CodeStyle),
    Ethnicity(CodeStyle),
    Birth(DateStyle),
    Id,
    Marital(CodeStyle),
    MarriageDate(DateStyle),
    SpouseName,
    SpouseId,
    MotherName,
    MotherId,
    HukouTown,
    HukouVillage,
    HukouCode,
    Lives,
    Relation,
    Status,
    HouseholdNo,
    Town,
    Village,
    RegDate(DateStyle),
    RegKind,
    ManName,
    ManId,
    ManBirth(DateStyle),
    WomanName,
    WomanId,
    WomanBirth(DateStyle),
    /// Certificate number (with or without the hyphens of the old system).
    Number {
        hyphens: bool,
    },
    Office,
    ChildName,
    ChildSex(CodeStyle),
    ChildBirth(DateStyle),
    Hospital,
    MotherEthnicity,
    FatherName,
    FatherId,
    Issued(DateStyle),
    Delivery,
}

/// A column: its header (under a group header, for two-row headers).
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub group: Option<&'static str>,
    pub header: &'static str,
    pub col: Col,
}

const fn c(header: &'static str, col: Col) -> Column {
    Column {
        group: None,
        header,
        col,
    }
}

const fn g(group: &'static str, header: &'static str, col: Col) -> Column {
    Column {
        group: Some(group),
        header,
        col,
    }
}

pub fn wis_columns(town: usize) -> Vec<Column> {
    // Two generations of the WIS export: the towns do not all run the same.
    let (id, birth) = if town.is_multiple_of(2) {
        ("公民身份号码", DateStyle::Iso)
    } else {
        ("身份证号码", DateStyle::Slash)
    };
    vec![
        c("序号", Col::Seq),
        c("姓名", Col::Name),
        c("性别", Col::Sex(CodeStyle::Text)),
        c("民族", Col::Ethnicity(CodeStyle::Text)),
        c("出生日期", Col::Birth(birth)),
        c(id, Col::Id),
        c("婚姻状况", Col::Marital(CodeStyle::CodeText)),
        c("结婚日期", Col::MarriageDate(DateStyle::Cell)),
        c("配偶姓名", Col::SpouseName),
        c("配偶身份证号码", Col::SpouseId),
        c("母亲姓名", Col::MotherName),
        c("母亲身份证号码", Col::MotherId),
        c("户籍地乡镇（街道）", Col::HukouTown),
        c("户籍地村（居）委会", Col::HukouVillage),
        c("户籍地区划代码", Col::HukouCode),
        c("现居住地", Col::Lives),
    ]
}

pub fn household_columns() -> Vec<Column> {
    vec![
        c("GMSFHM", Col::Id),
        c("XM", Col::Name),
        c("XB", Col::Sex(CodeStyle::Code)),
        c("MZ", Col::Ethnicity(CodeStyle::Code)),
        c("CSRQ", Col::Birth(DateStyle::Compact)),
        c("HYZK", Col::Marital(CodeStyle::Code)),
        c("YHZGX", Col::Relation),
        c("RYZT", Col::Status),
        c("HH", Col::HouseholdNo),
        c("POXM", Col::SpouseName),
        c("POGMSFHM", Col::SpouseId),
        c("MQXM", Col::MotherName),
        c("MQGMSFHM", Col::MotherId),
        c("XZJD", Col::Town),
        c("JCWH", Col::Village),
    ]
}

pub fn marriage_old_columns() -> Vec<Column> {
    vec![
        c("登记日期", Col::RegDate(DateStyle::Slash)),
        c("业务类型", Col::RegKind),
        g("男方", "姓名", Col::ManName),
        g("男方", "身份证号", Col::ManId),
        g("男方", "出生日期", Col::ManBirth(DateStyle::Slash)),
        g("女方", "姓名", Col::WomanName),
        g("女方", "身份证号", Col::WomanId),
        g("女方", "出生日期", Col::WomanBirth(DateStyle::Slash)),
        c("结婚证字号", Col::Number { hyphens: true }),
        c("登记机关", Col::Office),
    ]
}

pub fn marriage_new_columns(style: DateStyle) -> Vec<Column> {
    vec![
        c("登记日期", Col::RegDate(style)),
        c("业务类型", Col::RegKind),
        c("男方姓名", Col::ManName),
        c("男方身份证件号码", Col::ManId),
        c("男方出生日期", Col::ManBirth(style)),
        c("女方姓名", Col::WomanName),
        c("女方身份证件号码", Col::WomanId),
        c("女方出生日期", Col::WomanBirth(style)),
        c("证件字号", Col::Number { hyphens: false }),
        c("登记机关", Col::Office),
    ]
}

pub fn certificate_columns() -> Vec<Column> {
    vec![
        c("出生医学证明编号", Col::Number { hyphens: false }),
        g("新生儿信息", "姓名", Col::ChildName),
        g("新生儿信息", "性别", Col::ChildSex(CodeStyle::Text)),
        g("新生儿信息", "出生日期", Col::ChildBirth(DateStyle::Cell)),
        g("新生儿信息", "出生地点", Col::Hospital),
        g("母亲信息", "姓名", Col::MotherName),
        g("母亲信息", "民族", Col::MotherEthnicity),
        g("母亲信息", "身份证件号码", Col::MotherId),
        g("父亲信息", "姓名", Col::FatherName),
        g("父亲信息", "身份证件号码", Col::FatherId),
        c("签发日期", Col::Issued(DateStyle::Dotted)),
    ]
}

pub fn delivery_columns() -> Vec<Column> {
    vec![
        c("住院号", Col::Number { hyphens: false }),
        g("产妇信息", "姓名", Col::MotherName),
        g("产妇信息", "身份证号", Col::MotherId),
        g("分娩信息", "分娩日期", Col::ChildBirth(DateStyle::IsoTime)),
        g("分娩信息", "婴儿性别", Col::ChildSex(CodeStyle::CodeText)),
        g("分娩信息", "分娩方式", Col::Delivery),
        g("分娩信息", "分娩机构", Col::Hospital),
        g("男方信息", "姓名", Col::FatherName),
        g("男方信息", "身份证号", Col::FatherId),
    ]
}

/// `2026年6月30日`
pub fn chinese_date(d: Date) -> String {
    format!("{}年{}月{}日", d.year(), d.month(), d.day())
}
