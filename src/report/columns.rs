//! The registers' values of a category sheet, side by side.
//!
//! Takes the rows of one category in one village and gives the value
//! columns its sheet shows: for each field the cases carry (a field joined
//! with `;` in cases.csv is split into its parts), the primary record's
//! value and, where a case has one, the other side's — named after the
//! register when every case of the sheet has the same one (`WIS 姓名` |
//! `户籍 姓名`), else `本记录 …` and `对方 …` — and, for one row, each cell's
//! text as written and whether it is a differing cell to highlight.

use crate::identity::{Marital, mask, parse_code};
use crate::load::SourceKind;
use crate::report::cases::CaseRow;

/// Which record a value column shows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// The record the case is about.
    Primary,
    /// The other side's record.
    Other,
}

/// One value column of a category sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValueColumn {
    pub side: Side,
    pub field: String,
    pub header: String,
}

/// A value cell of one row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cell {
    pub text: String,
    /// The cell carries the case: the two sides differ, or there is only
    /// this side to look at.
    pub differs: bool,
}

/// The register as a sheet's column header names it.
pub fn register_name(source: SourceKind) -> &'static str {
    match source {
        SourceKind::Wis => "WIS",
        SourceKind::Household => "户籍",
        SourceKind::Marriage => "婚姻登记",
        SourceKind::Birth => "出生医学证明",
    }
}

/// Whether a field holds an ID number (masked with `--mask-ids`).
pub fn is_id_field(field: &str) -> bool {
    field == "id_number" || field.ends_with("_id")
}

/// A field's name in a register (`None`: as the field is named anywhere).
fn field_label(source: Option<SourceKind>, field: &str) -> String {
    use SourceKind::*;
    let label = match (source, field) {
        (_, "id_number") => "身份证号",
        (_, "name") => "姓名",
        (_, "birth_date") => "出生日期",
        (_, "sex") => "性别",
        (Some(Marriage), "marital_status") => "登记类别",
        (_, "marital_status") => "婚姻状况",
        (Some(Marriage), "marriage_date") => "登记日期",
        (_, "marriage_date") => "结婚日期",
        (Some(Wis | Household), "man_id") => "配偶身份证号",
        (_, "man_id" | "male_id") => "男方身份证号",
        (_, "female_id") => "女方身份证号",
        (_, "spouse_id") => "配偶身份证号",
        (_, "mother_id") => "母亲身份证号",
        (_, "father_id") => "父亲身份证号",
        (_, "child_birth_date") => "孩子出生日期",
        (_, "child_sex") => "孩子性别",
        (_, "hukou_village") => "户籍地村（居）",
        (_, "man_birth_date") => "男方出生日期",
        (_, "woman_birth_date") => "女方出生日期",
        (_, other) => other,
    };
    label.to_string()
}

/// The source of a row's side, when it has that side.
fn source_of(row: &CaseRow, side: Side) -> Option<SourceKind> {
    match side {
        Side::Primary => Some(row.place.source),
        Side::Other => row.other.as_ref().map(|o| o.source),
    }
}

/// The value columns of a sheet holding `rows`, in the order the fields
/// first appear (each field's primary column, then its other side's).
pub fn value_columns(rows: &[&CaseRow]) -> Vec<ValueColumn> {
    // (field, sources of the primary side, of the other side)
    let mut fields: Vec<(&str, Vec<SourceKind>, Vec<SourceKind>)> = Vec::new();
    for r in rows {
        for f in r
            .field
            .split(';')
            .filter(|f| *f != "record" && !f.is_empty())
        {
            let i = match fields.iter().position(|(name, ..)| *name == f) {
                Some(i) => i,
                None => {
                    fields.push((f, Vec::new(), Vec::new()));
                    fields.len() - 1
                }
            };
            let entry = &mut fields[i];
            if !entry.1.contains(&r.place.source) {
                entry.1.push(r.place.source);
            }
            if let Some(o) = source_of(r, Side::Other)
                && !entry.2.contains(&o)
            {
                entry.2.push(o);
            }
        }
    }
    let mut columns = Vec::with_capacity(fields.len() * 2);
    for (field, primary, other) in fields {
        for (side, sources) in [(Side::Primary, primary), (Side::Other, other)] {
            let header = match (side, sources.as_slice()) {
                (_, []) => continue,
                (_, [one]) => format!("{} {}", register_name(*one), field_label(Some(*one), field)),
                (Side::Primary, _) => format!("本记录 {}", field_label(None, field)),
                (Side::Other, _) => format!("对方 {}", field_label(None, field)),
            };
            columns.push(ValueColumn {
                side,
                field: field.to_string(),
                header,
            });
        }
    }
    columns
}

/// A field's part of a value joined with `;` (empty where the value is).
fn part<'a>(fields: &str, value: &'a str, field: &str) -> Option<&'a str> {
    let k = fields.split(';').position(|f| f == field)?;
    if value.is_empty() {
        return Some("");
    }
    Some(value.split(';').nth(k).unwrap_or_default())
}

/// A value as the village reads it: marital status codes as words, ID
/// numbers masked when asked.
fn shown(field: &str, value: &str, mask_ids: bool) -> String {
    if value.is_empty() {
        return String::new();
    }
    if is_id_field(field) {
        return if mask_ids {
            mask(value)
        } else {
            value.to_string()
        };
    }
    if field == "marital_status"
        && let Some(m) = parse_code::<Marital>(value).known()
    {
        use crate::identity::codes::CodeTable;
        return m.name().to_string();
    }
    value.to_string()
}

/// One row's cells of the value columns.
pub fn value_cells(row: &CaseRow, columns: &[ValueColumn], mask_ids: bool) -> Vec<Cell> {
    columns
        .iter()
        .map(|c| {
            let mine = match c.side {
                Side::Primary => part(&row.field, &row.value, &c.field),
                Side::Other => row
                    .other
                    .as_ref()
                    .and_then(|_| part(&row.field, &row.other_value, &c.field)),
            };
            let Some(mine) = mine else {
                return Cell {
                    text: String::new(),
                    differs: false,
                };
            };
            let has_other = row.other.is_some()
                && columns
                    .iter()
                    .any(|o| o.side == Side::Other && o.field == c.field);
            let differs = if has_other {
                let theirs = match c.side {
                    Side::Primary => part(&row.field, &row.other_value, &c.field),
                    Side::Other => part(&row.field, &row.value, &c.field),
                };
                theirs != Some(mine)
            } else {
                c.side == Side::Primary
            };
            Cell {
                text: shown(&c.field, mine, mask_ids),
                differs,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Category;
    use crate::report::cases::Place;

    fn row(
        source: SourceKind,
        other: Option<SourceKind>,
        field: &str,
        value: &str,
        other_value: &str,
    ) -> CaseRow {
        let place = |s| Place {
            source: s,
            file: "f.csv".into(),
            sheet: String::new(),
            row: 2,
        };
        CaseRow {
            case_id: "H05-1".into(),
            category: Category::H05,
            place: place(source),
            field: field.into(),
            id_number: String::new(),
            name: String::new(),
            note: String::new(),
            other: other.map(place),
            village_code: String::new(),
            village: "东胡庄村".into(),
            value: value.into(),
            other_value: other_value.into(),
            weight: None,
            explanation: String::new(),
            status: crate::ledger::CaseStatus::New,
        }
    }

    fn headers(rows: &[CaseRow]) -> Vec<String> {
        let refs: Vec<&CaseRow> = rows.iter().collect();
        value_columns(&refs).into_iter().map(|c| c.header).collect()
    }

    #[test]
    fn columns_are_named_after_the_registers_the_cases_share() {
        use SourceKind::*;
        let h05 = [
            row(
                Wis,
                Some(Household),
                "birth_date;sex",
                "1990-01-01;男",
                "1990-01-02;男",
            ),
            row(Wis, Some(Household), "sex", "女", "男"),
        ];
        assert_eq!(
            headers(&h05),
            ["WIS 出生日期", "户籍 出生日期", "WIS 性别", "户籍 性别"]
        );
        // Q01 from several registers: named after the field alone.
        let q01 = [
            row(Wis, None, "id_number", "1", ""),
            row(Household, None, "id_number", "2", ""),
            row(Birth, None, "mother_id", "3", ""),
        ];
        assert_eq!(
            headers(&q01),
            ["本记录 身份证号", "出生医学证明 母亲身份证号"]
        );
        let m04 = [row(Marriage, Some(Wis), "man_id", "a", "b")];
        assert_eq!(headers(&m04), ["婚姻登记 男方身份证号", "WIS 配偶身份证号"]);
        let mixed_other = [
            row(Wis, Some(Wis), "name", "a", "b"),
            row(Wis, Some(Household), "name", "a", "b"),
        ];
        assert_eq!(headers(&mixed_other), ["WIS 姓名", "对方 姓名"]);
        // A whole record is the case: no value columns.
        assert!(headers(&[row(Wis, Some(Household), "record", "", "")]).is_empty());
    }

    #[test]
    fn cells_split_joined_values_and_mark_what_differs() {
        use SourceKind::*;
        let rows = [
            row(
                Wis,
                Some(Household),
                "birth_date;sex",
                "1990-01-01;男",
                "1990-01-02;男",
            ),
            row(Wis, Some(Household), "sex", "女", ""),
        ];
        let refs: Vec<&CaseRow> = rows.iter().collect();
        let columns = value_columns(&refs);
        let cells = |r: &CaseRow| -> Vec<(String, bool)> {
            value_cells(r, &columns, false)
                .into_iter()
                .map(|c| (c.text, c.differs))
                .collect()
        };
        let s = |t: &str, d: bool| (t.to_string(), d);
        assert_eq!(
            cells(&rows[0]),
            [
                s("1990-01-01", true),
                s("1990-01-02", true),
                s("男", false),
                s("男", false)
            ]
        );
        assert_eq!(
            cells(&rows[1]),
            [s("", false), s("", false), s("女", true), s("", true)]
        );
    }

    #[test]
    fn ids_are_masked_when_asked_and_codes_read_as_words() {
        use SourceKind::*;
        let rows = [
            row(Wis, None, "id_number", "37132619981223706X", ""),
            row(Marriage, Some(Wis), "marital_status", "结婚", "10"),
        ];
        let one = |r: &CaseRow, mask: bool| -> Vec<String> {
            let refs = [r];
            let columns = value_columns(&refs);
            value_cells(r, &columns, mask)
                .into_iter()
                .map(|c| c.text)
                .collect()
        };
        assert_eq!(one(&rows[0], true), ["371326********706X"]);
        assert_eq!(one(&rows[0], false), ["37132619981223706X"]);
        assert_eq!(one(&rows[1], true), ["结婚", "未婚"]);
        for (field, id) in [
            ("id_number", true),
            ("man_id", true),
            ("name", false),
            ("hukou_village", false),
        ] {
            assert_eq!(is_id_field(field), id, "{field}");
        }
    }
}
