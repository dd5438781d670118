//! Finding the header row and mapping its columns to fields.
//!
//! Takes the rows of a sheet and the alias table of a register and gives a
//! [`Mapping`]: which row (or two rows, 母亲信息 over 姓名) is the header,
//! below title rows and unit/date lines; which column became which field;
//! which headers were not used, and which named a field twice. It also
//! tells the rows that are not records: blanks, totals, signatures, and
//! headers repeated on later pages.

use std::collections::HashMap;

use serde::Serialize;

use super::SourceKind;
use super::fields::{Field, header_key, joined_headers, signature, specs};
use super::grid::Row;

/// How many rows from the top a header may sit.
pub const HEADER_SEARCH_ROWS: usize = 30;

/// Header texts → fields, for one register, with a profile's additions.
#[derive(Clone, Debug)]
pub struct Aliases {
    kind: SourceKind,
    /// From a profile's explicit column map: these win over everything.
    explicit: HashMap<String, Field>,
    table: HashMap<String, Field>,
}

impl Aliases {
    pub fn new(kind: SourceKind) -> Aliases {
        let mut table = HashMap::new();
        for spec in specs(kind) {
            for alias in spec.aliases {
                table.insert(header_key(alias), spec.field);
            }
        }
        Aliases {
            kind,
            explicit: HashMap::new(),
            table,
        }
    }

    pub fn kind(&self) -> SourceKind {
        self.kind
    }

    /// More names for a field (a profile's `[aliases]`).
    pub fn add_alias(&mut self, field: Field, alias: &str) {
        self.table.insert(header_key(alias), field);
    }

    /// A column that is this field, whatever the built-in names say.
    pub fn add_explicit(&mut self, field: Field, header: &str) {
        self.explicit.insert(header_key(header), field);
    }

    fn lookup(&self, key: &str) -> Option<(Field, bool)> {
        if let Some(&f) = self.explicit.get(key) {
            return Some((f, true));
        }
        self.table.get(key).map(|&f| (f, false))
    }

    /// Whether a header names any field of this register.
    pub fn knows(&self, header: &str) -> bool {
        self.lookup(&header_key(header)).is_some()
    }

    /// Every name tried for a field, for the message when it is missing.
    pub fn names_of(&self, field: Field) -> Vec<String> {
        let mut names: Vec<String> = self
            .explicit
            .iter()
            .chain(self.table.iter())
            .filter(|(_, f)| **f == field)
            .map(|(k, _)| k.clone())
            .collect();
        names.sort();
        names.dedup();
        names
    }
}

/// One column of the header.
#[derive(Clone, Debug, Serialize)]
pub struct Column {
    /// 0-based column index.
    pub index: usize,
    /// Spreadsheet column letters (A, B, … AA).
    pub letter: String,
    /// The header text, with a two-row header's group joined in.
    pub header: String,
    pub field: Option<Field>,
}

/// The header of a sheet and what each column means.
#[derive(Clone, Debug, Serialize)]
pub struct Mapping {
    /// Row numbers (as a person sees them) of the header, one or two.
    pub header_rows: Vec<u64>,
    /// Index into the sheet's rows of the first data row candidate.
    #[serde(skip)]
    pub data_start: usize,
    pub columns: Vec<Column>,
    /// Columns whose header names a field an earlier column already has.
    pub duplicates: Vec<Column>,
}

impl Mapping {
    pub fn column_of(&self, field: Field) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.field == Some(field))
            .map(|c| c.index)
    }

    pub fn fields(&self) -> Vec<Field> {
        self.columns.iter().filter_map(|c| c.field).collect()
    }

    /// How well the header fits its register: every required field present,
    /// fields only this register has, fields in all.
    pub fn fit(&self, aliases: &Aliases) -> (bool, usize, usize) {
        let fields = self.fields();
        let required = specs(aliases.kind())
            .iter()
            .filter(|s| s.required)
            .all(|s| fields.contains(&s.field));
        let signature = signature(aliases.kind())
            .iter()
            .filter(|f| fields.contains(f))
            .count();
        (required, signature, fields.len())
    }
}

pub fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        letters.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.reverse();
    String::from_utf8(letters).unwrap_or_default()
}

/// Maps a row of header texts; explicit profile columns push out built-in
/// matches of the same field.
fn map_labels(labels: &[(String, Vec<String>)], aliases: &Aliases) -> (Vec<Column>, Vec<Column>) {
    let mut found: Vec<(usize, Field, bool)> = Vec::new();
    for (i, (_, candidates)) in labels.iter().enumerate() {
        if let Some((field, explicit)) = candidates
            .iter()
            .find_map(|c| aliases.lookup(&header_key(c)))
        {
            found.push((i, field, explicit));
        }
    }
    let explicit_fields: Vec<Field> = found.iter().filter(|f| f.2).map(|f| f.1).collect();
    let mut columns = Vec::with_capacity(labels.len());
    let mut duplicates = Vec::new();
    let mut taken: Vec<Field> = Vec::new();
    for (i, (header, _)) in labels.iter().enumerate() {
        let mut field = found
            .iter()
            .find(|f| f.0 == i)
            .filter(|f| f.2 || !explicit_fields.contains(&f.1))
            .map(|f| f.1);
        let column = |field| Column {
            index: i,
            letter: column_letter(i),
            header: header.clone(),
            field,
        };
        if let Some(f) = field {
            if taken.contains(&f) {
                duplicates.push(column(Some(f)));
                field = None;
            } else {
                taken.push(f);
            }
        }
        columns.push(column(field));
    }
    (columns, duplicates)
}

fn single_labels(row: &Row) -> Vec<(String, Vec<String>)> {
    row.cells
        .iter()
        .map(|c| {
            let t = c.trim().to_string();
            (t.clone(), vec![t])
        })
        .collect()
}

/// A two-row header: the group above (carried right across its merged
/// cells) joined to each column below; a cell merged down keeps its text.
fn joined_labels(upper: &Row, lower: &Row) -> Vec<(String, Vec<String>)> {
    let width = upper.cells.len().max(lower.cells.len());
    let mut group = String::new();
    (0..width)
        .map(|j| {
            let up = upper.cell(j);
            let below = lower.cell(j);
            if !up.is_empty() {
                group = up.to_string();
            }
            if below.is_empty() {
                return (up.to_string(), vec![up.to_string()]);
            }
            if group.is_empty() {
                return (below.to_string(), vec![below.to_string()]);
            }
            let mut candidates = joined_headers(&group, below);
            candidates.push(below.to_string());
            (format!("{group}/{below}"), candidates)
        })
        .collect()
}

/// Finds the header among the first rows: the row (or pair of rows) whose
/// cells name the most fields. `None` when no row names two.
pub fn find_header(rows: &[Row], aliases: &Aliases) -> Option<Mapping> {
    let mut best: Option<(usize, Mapping)> = None;
    for i in 0..rows.len().min(HEADER_SEARCH_ROWS) {
        let mut tries = vec![(single_labels(&rows[i]), vec![rows[i].number])];
        if i > 0 && !rows[i - 1].is_blank() {
            tries.push((
                joined_labels(&rows[i - 1], &rows[i]),
                vec![rows[i - 1].number, rows[i].number],
            ));
        }
        for (labels, header_rows) in tries {
            let (columns, duplicates) = map_labels(&labels, aliases);
            let score = columns.iter().filter(|c| c.field.is_some()).count();
            // Strictly better only: a single row wins a tie with a join.
            if score >= 2 && best.as_ref().is_none_or(|(s, _)| score > *s) {
                best = Some((
                    score,
                    Mapping {
                        header_rows,
                        data_start: i + 1,
                        columns,
                        duplicates,
                    },
                ));
            }
        }
    }
    best.map(|(_, m)| m)
}

/// Why a row below the header is not a record.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Skip {
    Blank,
    /// 合计, 小计, 制表人：…, 审核人：…
    TotalOrSignature,
    /// The header again (an export printed page by page).
    RepeatedHeader,
}

const FOOTER_WORDS: &[&str] = &[
    "合计",
    "总计",
    "小计",
    "共计",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "填报人",
    "填报单位",
    "负责人",
    "统计人",
    "经办人",
    "签字",
    "签名",
    "盖章",
    "打印日期",
    "打印时间",
    "导出时间",
    "制表日期",
];

/// The first characters of the footer words.
const FOOTER_FIRST_CHARS: &[char] = &[
    '合', '总', '小', '共', '制', '审', '填', '负', '统', '经', '签', '盖', '打', '导',
];

/// Whether a row below the header is not a record, and why.
pub fn skip_reason(row: &Row, mapping: &Mapping) -> Option<Skip> {
    if row.is_blank() {
        return Some(Skip::Blank);
    }
    let mut first = row
        .cells
        .iter()
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .take(3);
    // Asked of every row: look for the words only where one could begin.
    let may_hold_word = |cell: &str| cell.chars().any(|c| FOOTER_FIRST_CHARS.contains(&c));
    if first.any(|cell| may_hold_word(cell) && FOOTER_WORDS.iter().any(|w| cell.contains(w))) {
        return Some(Skip::TotalOrSignature);
    }
    let same_as_header = mapping
        .columns
        .iter()
        .filter(|c| c.field.is_some())
        .all(|c| row.cell(c.index) == c.header.rsplit('/').next().unwrap_or(""));
    if same_as_header {
        return Some(Skip::RepeatedHeader);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use csv::StringRecord;

    fn rows(lines: &[&[&str]]) -> Vec<Row> {
        lines
            .iter()
            .enumerate()
            .map(|(i, cells)| Row::new(i as u64 + 1, StringRecord::from(cells.to_vec())))
            .collect()
    }

    fn mapped(m: &Mapping) -> Vec<(String, &'static str)> {
        m.columns
            .iter()
            .filter_map(|c| c.field.map(|f| (c.letter.clone(), f.key())))
            .collect()
    }

    #[test]
    fn header_below_title_and_unit_lines() {
        let r = rows(&[
            &["某某乡全员人口个案信息表"],
            &["单位：人", "", "", "统计日期：2026-06-30"],
            &[
                "序号",
                "姓 名",
                "公民身份号码",
                "性别",
                "村(居)委会",
                "备注",
            ],
            &["1", "张三", "370404199001011230", "男", "一村", ""],
        ]);
        let m = find_header(&r, &Aliases::new(SourceKind::Wis)).unwrap();
        assert_eq!(m.header_rows, [3]);
        assert_eq!(m.data_start, 3);
        assert_eq!(
            mapped(&m),
            [
                ("B".into(), "name"),
                ("C".into(), "id_number"),
                ("D".into(), "sex"),
                ("E".into(), "village_name")
            ]
        );
    }

    #[test]
    fn public_security_field_codes() {
        let r = rows(&[&[
            "GMSFHM", "XM", "XB", "CSRQ", "RYZT", "JCWH", "XZJD", "YHZGX",
        ]]);
        let aliases = Aliases::new(SourceKind::Household);
        let m = find_header(&r, &aliases).unwrap();
        assert_eq!(m.fields().len(), 8);
        assert_eq!(m.fit(&aliases), (true, 2, 8));
    }

    #[test]
    fn two_row_headers_join_their_group() {
        let r = rows(&[
            &[
                "出生医学证明编号",
                "新生儿信息",
                "",
                "",
                "母亲信息",
                "",
                "父亲信息",
                "",
            ],
            &[
                "",
                "姓名",
                "性别",
                "出生日期",
                "姓名",
                "身份证号",
                "姓名",
                "身份证号",
            ],
            &[
                "X320101001",
                "之子",
                "男",
                "2014-09-25",
                "李梅",
                "370404199001011230",
                "王强",
                "",
            ],
        ]);
        let m = find_header(&r, &Aliases::new(SourceKind::Birth)).unwrap();
        assert_eq!(m.header_rows, [1, 2]);
        assert_eq!(
            mapped(&m),
            [
                ("A".into(), "certificate_no"),
                ("B".into(), "child_name"),
                ("C".into(), "child_sex"),
                ("D".into(), "birth_date"),
                ("E".into(), "mother_name"),
                ("F".into(), "mother_id"),
                ("G".into(), "father_name"),
                ("H".into(), "father_id"),
            ]
        );
        assert_eq!(m.columns[5].header, "母亲信息/身份证号");
    }

    #[test]
    fn duplicates_and_explicit_columns() {
        let r = rows(&[&["身份证号", "姓名", "身份证号码", "证件号"]]);
        let m = find_header(&r, &Aliases::new(SourceKind::Wis)).unwrap();
        assert_eq!(m.column_of(Field::IdNumber), Some(0));
        assert_eq!(m.duplicates.len(), 1);
        assert_eq!(m.duplicates[0].letter, "C");
        let mut aliases = Aliases::new(SourceKind::Wis);
        aliases.add_explicit(Field::IdNumber, "证件号");
        let m = find_header(&r, &aliases).unwrap();
        assert_eq!(m.column_of(Field::IdNumber), Some(3));
        assert!(m.duplicates.is_empty());
    }

    #[test]
    fn no_header_anywhere() {
        let r = rows(&[&["a", "b"], &["1", "2"]]);
        assert!(find_header(&r, &Aliases::new(SourceKind::Wis)).is_none());
    }

    #[test]
    fn rows_that_are_not_records() {
        let r = rows(&[
            &["身份证号", "姓名"],
            &["370404199001011230", "张三"],
            &["", ""],
            &["合计", "1"],
            &["制表人：王五", "", "审核人：赵六"],
            &["身份证号", "姓名"],
        ]);
        let m = find_header(&r, &Aliases::new(SourceKind::Wis)).unwrap();
        let reasons: Vec<Option<Skip>> = r[1..].iter().map(|row| skip_reason(row, &m)).collect();
        assert_eq!(
            reasons,
            [
                None,
                Some(Skip::Blank),
                Some(Skip::TotalOrSignature),
                Some(Skip::TotalOrSignature),
                Some(Skip::RepeatedHeader)
            ]
        );
    }

    #[test]
    fn footer_first_chars_cover_the_words() {
        for w in FOOTER_WORDS {
            assert!(
                FOOTER_FIRST_CHARS.contains(&w.chars().next().unwrap()),
                "{w}"
            );
        }
    }

    #[test]
    fn letters() {
        for (i, l) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (27, "AB"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letter(i), l);
        }
    }
}
