//! The fields of the four registers and the column names they go by.
//!
//! Takes nothing; gives, for each [`SourceKind`], its [`FieldSpec`]s: the
//! canonical field, its type (which normaliser reads it), whether a file of
//! that kind must have it, and the header aliases real exports use — Chinese
//! names with their variants, the public-security field codes (GMSFHM, XM …)
//! and English names. Headers are compared by [`header_key`], so spaces,
//! brackets and full-width forms do not matter.

use serde::Serialize;
use unicode_normalization::UnicodeNormalization;

use super::SourceKind;

/// A canonical field. Its snake_case name is the column name in the
/// canonical table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    IdNumber,
    Name,
    Sex,
    BirthDate,
    Ethnicity,
    MaritalStatus,
    MarriageDate,
    SpouseName,
    SpouseId,
    MotherName,
    MotherId,
    FatherName,
    FatherId,
    Relation,
    HouseholdNo,
    Status,
    StatusDate,
    VillageCode,
    VillageName,
    Town,
    Address,
    RegType,
    RegDate,
    CertificateNo,
    MaleName,
    MaleId,
    MaleBirthDate,
    FemaleName,
    FemaleId,
    FemaleBirthDate,
    Registry,
    ChildName,
    ChildSex,
    Hospital,
}

/// Which normaliser reads a field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldType {
    Id,
    Name,
    Date,
    Sex,
    Marital,
    Status,
    Ethnicity,
    /// 结婚登记 / 离婚登记 …
    RegType,
    /// Kept as trimmed text (codes, addresses, certificate numbers).
    Text,
}

impl Field {
    /// The column name in the canonical table and in `--json` output.
    pub fn key(self) -> &'static str {
        use Field::*;
        match self {
            IdNumber => "id_number",
            Name => "name",
            Sex => "sex",
            BirthDate => "birth_date",
            Ethnicity => "ethnicity",
            MaritalStatus => "marital_status",
            MarriageDate => "marriage_date",
            SpouseName => "spouse_name",
            SpouseId => "spouse_id",
            MotherName => "mother_name",
            MotherId => "mother_id",
            FatherName => "father_name",
            FatherId => "father_id",
            Relation => "relation",
            HouseholdNo => "household_no",
            Status => "status",
            StatusDate => "status_date",
            VillageCode => "village_code",
            VillageName => "village_name",
            Town => "town",
            Address => "address",
            RegType => "reg_type",
            RegDate => "reg_date",
            CertificateNo => "certificate_no",
            MaleName => "male_name",
            MaleId => "male_id",
            MaleBirthDate => "male_birth_date",
            FemaleName => "female_name",
            FemaleId => "female_id",
            FemaleBirthDate => "female_birth_date",
            Registry => "registry",
            ChildName => "child_name",
            ChildSex => "child_sex",
            Hospital => "hospital",
        }
    }

    /// The field as a statistician names it.
    pub fn label(self) -> &'static str {
        use Field::*;
        match self {
            IdNumber => "身份证号",
            Name => "姓名",
            Sex => "性别",
            BirthDate => "出生日期",
            Ethnicity => "民族",
            MaritalStatus => "婚姻状况",
            MarriageDate => "结婚日期",
            SpouseName => "配偶姓名",
            SpouseId => "配偶身份证号",
            MotherName => "母亲姓名",
            MotherId => "母亲身份证号",
            FatherName => "父亲姓名",
            FatherId => "父亲身份证号",
            Relation => "与户主关系",
            HouseholdNo => "户号",
            Status => "人员状态",
            StatusDate => "状态变动日期",
            VillageCode => "村（居）委会代码",
            VillageName => "村（居）委会",
            Town => "乡镇（街道）",
            Address => "住址",
            RegType => "登记类别",
            RegDate => "登记日期",
            CertificateNo => "证书编号",
            MaleName => "男方姓名",
            MaleId => "男方身份证号",
            MaleBirthDate => "男方出生日期",
            FemaleName => "女方姓名",
            FemaleId => "女方身份证号",
            FemaleBirthDate => "女方出生日期",
            Registry => "登记机关",
            ChildName => "新生儿姓名",
            ChildSex => "新生儿性别",
            Hospital => "接生机构",
        }
    }

    pub fn field_type(self) -> FieldType {
        use Field::*;
        match self {
            IdNumber | SpouseId | MotherId | FatherId | MaleId | FemaleId => FieldType::Id,
            Name | SpouseName | MotherName | FatherName | MaleName | FemaleName | ChildName => {
                FieldType::Name
            }
            BirthDate | MarriageDate | StatusDate | RegDate | MaleBirthDate | FemaleBirthDate => {
                FieldType::Date
            }
            Sex | ChildSex => FieldType::Sex,
            MaritalStatus => FieldType::Marital,
            Status => FieldType::Status,
            Ethnicity => FieldType::Ethnicity,
            RegType => FieldType::RegType,
            Relation | HouseholdNo | VillageCode | VillageName | Town | Address | CertificateNo
            | Registry | Hospital => FieldType::Text,
        }
    }

    pub fn from_key(key: &str) -> Option<Field> {
        ALL_FIELDS.iter().copied().find(|f| f.key() == key)
    }
}

/// How many fields there are: the size of a [`FieldColumns`] table.
pub const FIELD_COUNT: usize = ALL_FIELDS.len();

/// Which column of a sheet holds each field: an array indexed by the
/// field, because it is asked once per row and field.
#[derive(Clone, Debug)]
pub struct FieldColumns([Option<u32>; FIELD_COUNT]);

impl Default for FieldColumns {
    fn default() -> Self {
        FieldColumns([None; FIELD_COUNT])
    }
}

impl FieldColumns {
    pub fn set(&mut self, field: Field, column: usize) {
        self.0[field as usize] = u32::try_from(column).ok();
    }

    pub fn get(&self, field: Field) -> Option<usize> {
        self.0[field as usize].map(|c| c as usize)
    }
}

const ALL_FIELDS: &[Field] = &[
    Field::IdNumber,
    Field::Name,
    Field::Sex,
    Field::BirthDate,
    Field::Ethnicity,
    Field::MaritalStatus,
    Field::MarriageDate,
    Field::SpouseName,
    Field::SpouseId,
    Field::MotherName,
    Field::MotherId,
    Field::FatherName,
    Field::FatherId,
    Field::Relation,
    Field::HouseholdNo,
    Field::Status,
    Field::StatusDate,
    Field::VillageCode,
    Field::VillageName,
    Field::Town,
    Field::Address,
    Field::RegType,
    Field::RegDate,
    Field::CertificateNo,
    Field::MaleName,
    Field::MaleId,
    Field::MaleBirthDate,
    Field::FemaleName,
    Field::FemaleId,
    Field::FemaleBirthDate,
    Field::Registry,
    Field::ChildName,
    Field::ChildSex,
    Field::Hospital,
];

/// A field of one register.
#[derive(Clone, Copy, Debug)]
pub struct FieldSpec {
    pub field: Field,
    pub required: bool,
    pub aliases: &'static [&'static str],
}

const ID: &[&str] = &[
    "身份证号",
    "身份证号码",
    "公民身份号码",
    "公民身份证号",
    "公民身份证号码",
    "证件号码",
    "身份证",
    "身份证件号码",
    "有效身份证件号码",
    "个人身份证号",
    "居民身份证号码",
    "gmsfhm",
    "sfzh",
    "zjhm",
    "id_number",
    "idnumber",
    "idcard",
    "id_card",
    "id",
];
const NAME: &[&str] = &["姓名", "人员姓名", "名字", "xm", "name"];
const SEX: &[&str] = &["性别", "xb", "sex", "gender"];
const BIRTH: &[&str] = &[
    "出生日期",
    "出生年月日",
    "出生时间",
    "生日",
    "出生年月",
    "csrq",
    "birth_date",
    "birthday",
    "dob",
];
const ETHNICITY: &[&str] = &["民族", "mz", "ethnicity", "nation"];
const MARITAL: &[&str] = &["婚姻状况", "婚姻状态", "婚否", "hyzk", "marital_status"];
const MARRIAGE_DATE: &[&str] = &[
    "结婚日期",
    "初婚日期",
    "婚姻状况变动日期",
    "婚姻变动日期",
    "婚姻状况变动时间",
    "jhrq",
    "marriage_date",
];
const SPOUSE_NAME: &[&str] = &["配偶姓名", "poxm", "spouse_name"];
const SPOUSE_ID: &[&str] = &[
    "配偶身份证号",
    "配偶身份证号码",
    "配偶公民身份号码",
    "配偶证件号码",
    "pogmsfhm",
    "spouse_id",
];
const MOTHER_NAME: &[&str] = &["母亲姓名", "母姓名", "mqxm", "mother_name"];
const MOTHER_ID: &[&str] = &[
    "母亲身份证号",
    "母亲身份证号码",
    "母亲公民身份号码",
    "母亲证件号码",
    "母亲有效身份证件号码",
    "母亲身份证件号码",
    "mqgmsfhm",
    "mother_id",
];
const FATHER_NAME: &[&str] = &["父亲姓名", "父姓名", "fqxm", "father_name"];
const FATHER_ID: &[&str] = &[
    "父亲身份证号",
    "父亲身份证号码",
    "父亲公民身份号码",
    "父亲证件号码",
    "父亲有效身份证件号码",
    "父亲身份证件号码",
    "fqgmsfhm",
    "father_id",
];
const RELATION: &[&str] = &[
    "与户主关系",
    "与户主的关系",
    "家庭关系",
    "yhzgx",
    "relation",
];
const HOUSEHOLD_NO: &[&str] = &["户号", "户编号", "hh", "household_no"];
const STATUS: &[&str] = &["人员状态", "户籍状态", "人口状态", "状态", "ryzt", "status"];
const STATUS_DATE: &[&str] = &[
    "变动日期",
    "状态变动日期",
    "注销日期",
    "迁出日期",
    "死亡日期",
    "bdrq",
    "status_date",
];
const VILLAGE_CODE: &[&str] = &[
    "户籍地区划代码",
    "户籍地行政区划代码",
    "户籍地村居代码",
    "村居代码",
    "村委会代码",
    "村居委会代码",
    "居村委会代码",
    "居委会代码",
    "统计用区划代码",
    "区划代码",
    "行政区划代码",
    "村代码",
    "village_code",
];
const VILLAGE: &[&str] = &[
    "户籍地村居委会",
    "户籍地村",
    "户籍地村居",
    "户籍村居委会",
    "村委会",
    "村居委会",
    "居村委会",
    "村居委",
    "居委会",
    "村",
    "所在村",
    "村名",
    "村居",
    "社区",
    "所属村",
    "jcwh",
    "village",
    "village_name",
];
const TOWN: &[&str] = &[
    "户籍地乡镇街道",
    "户籍地乡镇",
    "户籍乡镇",
    "乡镇",
    "乡镇街道",
    "镇街道",
    "乡镇名称",
    "镇",
    "街道",
    "乡",
    "所属乡镇",
    "xzjd",
    "town",
];
const ADDRESS: &[&str] = &[
    "现居住地",
    "现住地",
    "居住地",
    "现居住地址",
    "住址",
    "户籍地址",
    "户籍地",
    "现住址",
    "地址",
    "家庭住址",
    "zz",
    "address",
];
const REG_TYPE: &[&str] = &[
    "登记类别",
    "登记类型",
    "业务类型",
    "婚姻登记类型",
    "登记种类",
    "业务类别",
    "djlb",
    "reg_type",
];
const REG_DATE: &[&str] = &[
    "登记日期",
    "结婚登记日期",
    "离婚登记日期",
    "办理日期",
    "登记时间",
    "djrq",
    "reg_date",
];
const CERT_MARRIAGE: &[&str] = &[
    "结婚证字号",
    "离婚证字号",
    "证书编号",
    "证件字号",
    "婚姻证字号",
    "证书字号",
    "字号",
    "certificate_no",
];
const MALE_NAME: &[&str] = &["男方姓名", "男方", "male_name"];
const MALE_ID: &[&str] = &[
    "男方身份证号",
    "男方身份证号码",
    "男方公民身份号码",
    "男方证件号码",
    "男方身份证件号码",
    "male_id",
];
const MALE_BIRTH: &[&str] = &["男方出生日期", "male_birth_date"];
const FEMALE_NAME: &[&str] = &["女方姓名", "女方", "female_name"];
const FEMALE_ID: &[&str] = &[
    "女方身份证号",
    "女方身份证号码",
    "女方公民身份号码",
    "女方证件号码",
    "女方身份证件号码",
    "female_id",
];
const FEMALE_BIRTH: &[&str] = &["女方出生日期", "female_birth_date"];
const REGISTRY: &[&str] = &["登记机关", "婚姻登记机关", "登记机构", "registry"];
const CERT_BIRTH: &[&str] = &[
    "出生医学证明编号",
    "出生证编号",
    "出生医学证明号",
    "出生证号",
    "证明编号",
    "出生证明编号",
    "cszmbh",
    "certificate_no",
];
const CHILD_NAME: &[&str] = &[
    "新生儿姓名",
    "婴儿姓名",
    "儿童姓名",
    "新生儿",
    "姓名",
    "child_name",
];
const CHILD_SEX: &[&str] = &["新生儿性别", "婴儿性别", "儿童性别", "性别", "child_sex"];
const CHILD_BIRTH: &[&str] = &[
    "出生日期",
    "分娩日期",
    "出生时间",
    "新生儿出生日期",
    "分娩时间",
    "csrq",
    "birth_date",
];
const BIRTH_MOTHER_NAME: &[&str] = &["母亲姓名", "产妇姓名", "母姓名", "mqxm", "mother_name"];
const BIRTH_MOTHER_ID: &[&str] = &[
    "母亲身份证号",
    "母亲身份证号码",
    "母亲公民身份号码",
    "母亲证件号码",
    "母亲有效身份证件号码",
    "母亲身份证件号码",
    "产妇身份证号",
    "产妇身份证号码",
    "产妇证件号码",
    "mqgmsfhm",
    "mother_id",
];
const BIRTH_FATHER_NAME: &[&str] = &["父亲姓名", "丈夫姓名", "男方姓名", "fqxm", "father_name"];
const BIRTH_FATHER_ID: &[&str] = &[
    "父亲身份证件号码",
    "父亲身份证号",
    "父亲身份证号码",
    "父亲公民身份号码",
    "父亲证件号码",
    "父亲有效身份证件号码",
    "丈夫身份证号",
    "男方身份证号",
    "男方身份证号码",
    "fqgmsfhm",
    "father_id",
];
const HOSPITAL: &[&str] = &[
    "分娩机构",
    "分娩医院",
    "接生机构",
    "助产机构",
    "出生地点",
    "医院",
    "接生单位",
    "签发机构",
    "hospital",
];

const fn spec(field: Field, required: bool, aliases: &'static [&'static str]) -> FieldSpec {
    FieldSpec {
        field,
        required,
        aliases,
    }
}

const PERSON_COMMON: [FieldSpec; 17] = [
    spec(Field::IdNumber, true, ID),
    spec(Field::Name, true, NAME),
    spec(Field::Sex, false, SEX),
    spec(Field::BirthDate, false, BIRTH),
    spec(Field::Ethnicity, false, ETHNICITY),
    spec(Field::MaritalStatus, false, MARITAL),
    spec(Field::MarriageDate, false, MARRIAGE_DATE),
    spec(Field::SpouseName, false, SPOUSE_NAME),
    spec(Field::SpouseId, false, SPOUSE_ID),
    spec(Field::MotherName, false, MOTHER_NAME),
    spec(Field::MotherId, false, MOTHER_ID),
    spec(Field::FatherName, false, FATHER_NAME),
    spec(Field::FatherId, false, FATHER_ID),
    spec(Field::VillageCode, false, VILLAGE_CODE),
    spec(Field::VillageName, false, VILLAGE),
    spec(Field::Town, false, TOWN),
    spec(Field::Address, false, ADDRESS),
];

const WIS: [FieldSpec; 17] = PERSON_COMMON;

const HOUSEHOLD: [FieldSpec; 21] = [
    PERSON_COMMON[0],
    PERSON_COMMON[1],
    PERSON_COMMON[2],
    PERSON_COMMON[3],
    PERSON_COMMON[4],
    PERSON_COMMON[5],
    PERSON_COMMON[6],
    PERSON_COMMON[7],
    PERSON_COMMON[8],
    PERSON_COMMON[9],
    PERSON_COMMON[10],
    PERSON_COMMON[11],
    PERSON_COMMON[12],
    PERSON_COMMON[13],
    PERSON_COMMON[14],
    PERSON_COMMON[15],
    PERSON_COMMON[16],
    spec(Field::Relation, false, RELATION),
    spec(Field::HouseholdNo, false, HOUSEHOLD_NO),
    spec(Field::Status, false, STATUS),
    spec(Field::StatusDate, false, STATUS_DATE),
];

const MARRIAGE: [FieldSpec; 14] = [
    spec(Field::RegType, false, REG_TYPE),
    spec(Field::RegDate, true, REG_DATE),
    spec(Field::CertificateNo, false, CERT_MARRIAGE),
    spec(Field::MaleName, false, MALE_NAME),
    spec(Field::MaleId, false, MALE_ID),
    spec(Field::MaleBirthDate, false, MALE_BIRTH),
    spec(Field::FemaleName, true, FEMALE_NAME),
    spec(Field::FemaleId, true, FEMALE_ID),
    spec(Field::FemaleBirthDate, false, FEMALE_BIRTH),
    spec(Field::Registry, false, REGISTRY),
    spec(Field::VillageCode, false, VILLAGE_CODE),
    spec(Field::VillageName, false, VILLAGE),
    spec(Field::Town, false, TOWN),
    spec(Field::Address, false, ADDRESS),
];

const BIRTH_SPECS: [FieldSpec; 13] = [
    spec(Field::CertificateNo, false, CERT_BIRTH),
    spec(Field::ChildName, false, CHILD_NAME),
    spec(Field::ChildSex, false, CHILD_SEX),
    spec(Field::BirthDate, true, CHILD_BIRTH),
    spec(Field::MotherName, false, BIRTH_MOTHER_NAME),
    spec(Field::MotherId, true, BIRTH_MOTHER_ID),
    spec(Field::FatherName, false, BIRTH_FATHER_NAME),
    spec(Field::FatherId, false, BIRTH_FATHER_ID),
    spec(Field::Hospital, false, HOSPITAL),
    spec(Field::VillageCode, false, VILLAGE_CODE),
    spec(Field::VillageName, false, VILLAGE),
    spec(Field::Town, false, TOWN),
    spec(Field::Address, false, ADDRESS),
];

/// The fields of a register, in the order of its canonical table.
pub fn specs(kind: SourceKind) -> &'static [FieldSpec] {
    match kind {
        SourceKind::Wis => &WIS,
        SourceKind::Household => &HOUSEHOLD,
        SourceKind::Marriage => &MARRIAGE,
        SourceKind::Birth => &BIRTH_SPECS,
    }
}

/// Fields only one register has: a header that names one tells the kind.
pub fn signature(kind: SourceKind) -> &'static [Field] {
    match kind {
        SourceKind::Wis => &[],
        SourceKind::Household => &[Field::Status, Field::Relation, Field::HouseholdNo],
        SourceKind::Marriage => &[
            Field::RegDate,
            Field::FemaleId,
            Field::MaleId,
            Field::RegType,
        ],
        SourceKind::Birth => &[Field::CertificateNo, Field::ChildName, Field::Hospital],
    }
}

/// A header as compared with aliases: NFKC, no white space, no brackets,
/// stars or colons, ASCII lower-case. `村(居)委会` and `村（居） 委会` meet.
pub fn header_key(header: &str) -> String {
    header
        .nfkc()
        .filter(|c| {
            !c.is_whitespace()
                && !matches!(
                    c,
                    '(' | ')'
                        | '['
                        | ']'
                        | '【'
                        | '】'
                        | '〔'
                        | '〕'
                        | '*'
                        | ':'
                        | '：'
                        | '\u{feff}'
                )
        })
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

/// Group labels of two-row headers (母亲信息 / 姓名): the words dropped
/// from the group when it is joined to the column below it.
const GROUP_SUFFIXES: &[&str] = &["信息", "情况", "资料", "基本信息", "基本情况"];

/// The headers a two-row header's cell can stand for, best first:
/// `母亲信息` + `姓名` → `母亲信息姓名`, `母亲姓名`.
pub fn joined_headers(group: &str, below: &str) -> Vec<String> {
    let mut out = vec![format!("{group}{below}")];
    for suffix in GROUP_SUFFIXES {
        if let Some(stem) = group.strip_suffix(suffix) {
            out.push(format!("{stem}{below}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_keys_ignore_what_exports_vary() {
        let cases = [
            ("村(居)委会", "村居委会"),
            ("村（居） 委会", "村居委会"),
            ("*姓名", "姓名"),
            ("身份证号：", "身份证号"),
            ("ＧＭＳＦＨＭ", "gmsfhm"),
            ("GMSFHM", "gmsfhm"),
            ("\u{feff}姓名", "姓名"),
        ];
        for (raw, key) in cases {
            assert_eq!(header_key(raw), key, "{raw}");
        }
    }

    #[test]
    fn every_alias_is_already_a_key_and_unique_per_kind() {
        for kind in SourceKind::ALL {
            let mut seen = std::collections::HashMap::new();
            for s in specs(kind) {
                for a in s.aliases {
                    assert_eq!(header_key(a), *a, "{kind}: alias {a} is not normalised");
                    if let Some(other) = seen.insert(*a, s.field) {
                        panic!("{kind}: alias {a} names both {other:?} and {:?}", s.field);
                    }
                }
            }
            assert!(specs(kind).iter().any(|s| s.required), "{kind}");
        }
    }

    #[test]
    fn two_row_headers_join() {
        assert_eq!(
            joined_headers("母亲信息", "姓名"),
            ["母亲信息姓名", "母亲姓名"]
        );
        assert_eq!(joined_headers("女方", "身份证号"), ["女方身份证号"]);
    }
}
