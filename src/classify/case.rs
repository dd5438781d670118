//! A case: one discrepancy of domain §6 for a village to verify.
//!
//! Takes what a category rule found — the category, the record a person
//! looks at first, the field, the words, the other side's record — and gives
//! [`Case`] with a stable id: a hash of the category, the source, the file's
//! name, the sheet, the record's identity and the field, never of the row
//! alone, so the same discrepancy keeps its id in next month's exports even
//! when rows move (see docs/check.md).

use serde::Serialize;

use crate::load::SourceKind;

/// A category of domain §6.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Category {
    Q01,
    Q02,
    Q03,
    H01,
    H02,
    H03,
    H04,
    H05,
    H06,
    M01,
    M02,
    M03,
    M04,
    B01,
    B02,
    B03,
    B04,
    L01,
}

impl Category {
    pub const ALL: [Category; 18] = [
        Category::Q01,
        Category::Q02,
        Category::Q03,
        Category::H01,
        Category::H02,
        Category::H03,
        Category::H04,
        Category::H05,
        Category::H06,
        Category::M01,
        Category::M02,
        Category::M03,
        Category::M04,
        Category::B01,
        Category::B02,
        Category::B03,
        Category::B04,
        Category::L01,
    ];

    pub fn code(self) -> &'static str {
        use Category::*;
        match self {
            Q01 => "Q01",
            Q02 => "Q02",
            Q03 => "Q03",
            H01 => "H01",
            H02 => "H02",
            H03 => "H03",
            H04 => "H04",
            H05 => "H05",
            H06 => "H06",
            M01 => "M01",
            M02 => "M02",
            M03 => "M03",
            M04 => "M04",
            B01 => "B01",
            B02 => "B02",
            B03 => "B03",
            B04 => "B04",
            L01 => "L01",
        }
    }

    /// What the category means, in the village's words.
    pub fn label(self) -> &'static str {
        use Category::*;
        match self {
            Q01 => "身份证号无效",
            Q02 => "身份证号与出生日期或性别不符",
            Q03 => "同一来源重复记录",
            H01 => "户籍有、WIS无（漏报）",
            H02 => "WIS有、户籍无或已迁出注销",
            H03 => "姓名不一致",
            H04 => "身份证号不一致",
            H05 => "出生日期或性别不一致",
            H06 => "户籍地村（居）不一致",
            M01 => "已登记结婚，WIS为未婚或无记录",
            M02 => "离婚（结婚）登记与WIS婚姻状况不符",
            M03 => "结婚日期不一致",
            M04 => "配偶不一致",
            B01 => "出生漏报",
            B02 => "孩子出生日期或性别不一致",
            B03 => "母亲在WIS中无记录或身份证号不同",
            B04 => "WIS有出生、无出生医学证明和分娩记录",
            L01 => "记录自相矛盾或违反常理",
        }
    }
}

impl std::fmt::Display for Category {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// A record of a loaded register: the source and its index in the table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RecordRef {
    pub source: SourceKind,
    pub index: u32,
}

/// One case, before its place in the files is resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct Case {
    pub category: Category,
    /// The record a person looks at first.
    pub record: RecordRef,
    /// The field that carries the case (`id_number`, `name`, … or `record`).
    pub field: String,
    /// The record's identity for the case id: its cleaned ID number, or its
    /// name and birth date, or for an event its parties and date.
    pub identity: String,
    /// The case in Chinese (ID numbers masked).
    pub note: String,
    /// The other side's record, where one was matched.
    pub other: Option<RecordRef>,
    /// The engine's pair of the record and the other side's, where the
    /// case comes from one.
    pub pair: Option<Evidence>,
}

/// What the engine said of a linked pair: its match weight (bits) and its
/// explanation ([`crate::link::Pair`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Evidence {
    pub weight: f64,
    pub explanation: String,
}

/// 64-bit FNV-1a: small, fixed forever, the same on every platform.
fn fnv1a(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (k, part) in parts.iter().enumerate() {
        if k > 0 {
            h ^= 0x1f;
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        for b in part.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
    }
    h
}

/// 16 hex digits of [`fnv1a`] over the parts joined with U+001F: the
/// digest a village workbook's hidden `校验` column holds for a row (the
/// case id, the period, the village code and the row's cells from 案例编号
/// to 说明, docs/workbooks.md) and the ledger keeps of a case's data. The
/// writer and `bidui import` both call this one function.
pub fn digest<S: AsRef<str>>(parts: &[S]) -> String {
    let parts: Vec<&str> = parts.iter().map(AsRef::as_ref).collect();
    format!("{:016x}", fnv1a(&parts))
}

/// The stable id of a case: `Q01-` and 12 hex digits of the hash of
/// (category, source, file name without folders, sheet, identity, field).
pub fn case_id(
    category: Category,
    source: SourceKind,
    file: &str,
    sheet: &str,
    identity: &str,
    field: &str,
) -> String {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    let h = fnv1a(&[category.code(), source.key(), name, sheet, identity, field]);
    format!("{}-{:012x}", category.code(), h >> 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_ids_depend_on_identity_not_on_folders_or_rows() {
        let a = case_id(
            Category::Q01,
            SourceKind::Wis,
            "wis/a.xlsx",
            "一村",
            "37",
            "id_number",
        );
        let cases = [
            (
                case_id(
                    Category::Q01,
                    SourceKind::Wis,
                    "/data/2026-07/wis/a.xlsx",
                    "一村",
                    "37",
                    "id_number",
                ),
                true,
            ),
            (
                case_id(
                    Category::Q01,
                    SourceKind::Wis,
                    "a.xlsx",
                    "一村",
                    "37",
                    "id_number",
                ),
                true,
            ),
            (
                case_id(
                    Category::Q02,
                    SourceKind::Wis,
                    "a.xlsx",
                    "一村",
                    "37",
                    "id_number",
                ),
                false,
            ),
            (
                case_id(
                    Category::Q01,
                    SourceKind::Household,
                    "a.xlsx",
                    "一村",
                    "37",
                    "id_number",
                ),
                false,
            ),
            (
                case_id(
                    Category::Q01,
                    SourceKind::Wis,
                    "a.xlsx",
                    "二村",
                    "37",
                    "id_number",
                ),
                false,
            ),
            (
                case_id(
                    Category::Q01,
                    SourceKind::Wis,
                    "a.xlsx",
                    "一村",
                    "38",
                    "id_number",
                ),
                false,
            ),
            (
                case_id(
                    Category::Q01,
                    SourceKind::Wis,
                    "a.xlsx",
                    "一村",
                    "37",
                    "name",
                ),
                false,
            ),
        ];
        for (id, same) in cases {
            assert_eq!(id == a, same, "{id} vs {a}");
        }
        assert!(a.starts_with("Q01-") && a.len() == 16, "{a}");
    }

    #[test]
    fn the_hash_is_fixed() {
        // Changing it would give every open case a new id: never do.
        assert_eq!(fnv1a(&[""]), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(&["a"]), 0xaf63_dc4c_8601_ec8c);
        // The digest is fixed too: workbooks sent last month are checked with it.
        assert_eq!(digest(&["a"]), "af63dc4c8601ec8c");
        assert_eq!(digest(&["a", "b"]), format!("{:016x}", fnv1a(&["a", "b"])));
        assert_ne!(digest(&["ab"]), digest(&["a", "b"]));
    }
}
