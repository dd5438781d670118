//! The village workbooks: what a village committee prints, checks door to
//! door and fills in (domain §7, docs/workbooks.md).
//!
//! Takes the cases' rows, their places and the period, and gives one xlsx
//! per village that has cases, in the period's `villages/` folder: a cover
//! (封面) with the counts and how to fill in the workbook, one sheet per
//! category with both registers' values side by side, the differing cells
//! marked, where each record is, and the village's columns (核实结果 with a
//! drop-down of the category's answers, 正确值, 核实人, 核实日期 with a date
//! validation, 备注); a hidden `_bidui` sheet and a hidden `校验` digest per
//! row for `bidui import`. Only the village's cells are unlocked; sheets are
//! protected without a password. A workbook holds its own village's cases
//! and nothing else.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use rust_xlsxwriter::{
    DataValidation, DataValidationErrorStyle, DataValidationRule, ProtectionOptions, Workbook,
    Worksheet, XlsxError,
};

use crate::classify::{Category, digest};
use crate::error::Result;
use crate::identity::{Date, mask};
use crate::report::book::{
    self, LINE_HEIGHT, Widths, excel_date, header_footer_text, safe_file_name, wrapped_lines,
};
use crate::report::cases::{CaseRow, Place};
use crate::report::columns::{ValueColumn, register_name, value_cells, value_columns};
use crate::report::cover;
use crate::report::places::{Places, Village};
use crate::report::styles::Styles;

/// The format name `_bidui` carries, for `bidui import` to recognise.
pub const FORMAT: &str = "bidui-village-1";
pub const CASE_ID: &str = "案例编号";
pub const DIGEST: &str = "校验";
/// The columns a village fills in, in order.
pub const VILLAGE_COLUMNS: [&str; 5] = ["核实结果", "正确值", "核实人", "核实日期", "备注"];

/// Rows above a category sheet's header: a title and a hint.
const HEADER_ROW: u32 = 2;

/// What every village workbook of a run shares.
pub struct Run<'a> {
    pub places: &'a Places,
    pub period: &'a str,
    pub as_of: Date,
    pub deadline: Date,
    pub mask_ids: bool,
}

/// One workbook written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Written {
    pub village: String,
    /// The file's name in the `villages` folder.
    pub file: String,
    pub cases: usize,
}

/// Writes one workbook per village into `folder` — a period's staging
/// folder: the files are synced when it is committed — and gives them in
/// the order of their towns and villages.
pub fn write_villages(folder: &Path, run: &Run, rows: &[CaseRow]) -> Result<Vec<Written>> {
    let mut by_village: HashMap<&str, Vec<&CaseRow>> = HashMap::new();
    for r in rows.iter().filter(|r| !r.unassigned()) {
        by_village.entry(r.village_key()).or_default().push(r);
    }
    let mut villages: Vec<&Village> = by_village
        .keys()
        .filter_map(|k| run.places.village(k))
        .collect();
    villages.sort_by(|a, b| (&a.town, &a.code, &a.name).cmp(&(&b.town, &b.code, &b.name)));
    let names = file_names(&villages);
    let styles = Styles::new();
    let mut buffer = Vec::new();
    let mut written = Vec::with_capacity(villages.len());
    for (village, file) in villages.into_iter().zip(names) {
        let cases = &by_village[village.key.as_str()];
        let path = folder.join(&file);
        let mut workbook =
            build(run, village, cases, &styles).map_err(|e| book::xlsx_error(&path, e))?;
        book::save_staged(&mut workbook, &path, &mut buffer)?;
        written.push(Written {
            village: village.key.clone(),
            file,
            cases: cases.len(),
        });
    }
    Ok(written)
}

/// `<town>-<village>.xlsx` for each village (`<village>.xlsx` when its town
/// is unknown), safe on Windows; two villages that would share a name
/// (case aside, as Windows compares them) get their code's last 3 digits,
/// and a number after that if they still would.
pub fn file_names(villages: &[&Village]) -> Vec<String> {
    let stem = |v: &Village| {
        if v.town.is_empty() {
            safe_file_name(&v.name)
        } else {
            safe_file_name(&format!("{}-{}", v.town, v.name))
        }
    };
    let stems: Vec<String> = villages.iter().map(|v| stem(v)).collect();
    let mut count: HashMap<String, usize> = HashMap::new();
    for s in &stems {
        *count.entry(s.to_lowercase()).or_default() += 1;
    }
    let mut taken: HashMap<String, usize> = HashMap::new();
    villages
        .iter()
        .zip(stems)
        .map(|(v, s)| {
            let mut name = s.clone();
            let tail: String = {
                let chars: Vec<char> = v.code.chars().collect();
                chars[chars.len().saturating_sub(3)..].iter().collect()
            };
            if count[&s.to_lowercase()] > 1 && !tail.is_empty() {
                name = safe_file_name(&format!("{s}-{tail}"));
            }
            let n = taken.entry(name.to_lowercase()).or_insert(0);
            *n += 1;
            if *n > 1 {
                name = format!("{name}-{n}");
            }
            format!("{name}.xlsx")
        })
        .collect()
}

fn build(
    run: &Run,
    village: &Village,
    cases: &[&CaseRow],
    styles: &Styles,
) -> std::result::Result<Workbook, XlsxError> {
    let mut workbook = Workbook::new();
    // The fastest deflate: a county's 800 workbooks compress in half the
    // time, each some 20% larger (tens of kilobytes).
    workbook.set_zip_compression_level(1);
    let place = format!(
        "{}{}{}",
        run.places.county_label(),
        village.town,
        village.name
    );
    workbook.set_properties(&book::properties(
        &format!("{place} 人口信息核实表"),
        run.as_of,
    ));
    let mut by_category: BTreeMap<Category, Vec<&CaseRow>> = BTreeMap::new();
    for c in cases {
        by_category.entry(c.category).or_default().push(c);
    }
    cover::write(workbook.add_worksheet(), run, village, &by_category, styles)?;
    for (category, rows) in &by_category {
        let sheet = workbook.add_worksheet();
        category_sheet(sheet, run, village, *category, rows, styles)?;
    }
    hidden_sheet(workbook.add_worksheet(), run, village)?;
    Ok(workbook)
}

/// A category sheet's name: `Q01 身份证号无效`.
pub fn category_sheet_name(category: Category) -> String {
    book::sheet_name(&format!("{} {}", category.code(), category.label()))
}

/// Where a record is, in words: `WIS：a.xlsx 工作表“一村” 第 12 行`.
fn location(place: &Place) -> String {
    let file = place.file.rsplit(['/', '\\']).next().unwrap_or(&place.file);
    let sheet = if place.sheet.is_empty() {
        String::new()
    } else {
        format!(" 工作表“{}”", place.sheet)
    };
    format!(
        "{}：{file}{sheet} 第 {} 行",
        register_name(place.source),
        place.row
    )
}

/// The columns of a category sheet, by header.
struct Layout {
    values: Vec<ValueColumn>,
    has_other: bool,
}

impl Layout {
    fn headers(&self) -> Vec<String> {
        let mut h: Vec<String> = ["序号", CASE_ID, "姓名", "身份证号"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        // A value column never takes another column's header: import finds
        // its columns by their headers.
        for v in &self.values {
            let mut header = v.header.clone();
            let mut n = 1;
            while h.contains(&header)
                || header == DIGEST
                || VILLAGE_COLUMNS.contains(&header.as_str())
            {
                n += 1;
                header = format!("{}（{n}）", v.header);
            }
            h.push(header);
        }
        h.push("记录位置".into());
        if self.has_other {
            h.push("对方记录位置".into());
        }
        h.push("说明".into());
        h.extend(VILLAGE_COLUMNS.iter().map(|s| s.to_string()));
        h.push(DIGEST.into());
        h
    }

    /// (least, most) width of each column.
    fn widths(&self) -> Widths {
        let mut w = vec![(6, 6), (18, 20), (8, 14), (20, 22)];
        w.extend(self.values.iter().map(|_| (12, 24)));
        w.push((16, 30));
        if self.has_other {
            w.push((16, 30));
        }
        w.push((24, 40));
        w.extend([(12, 12), (20, 22), (10, 10), (12, 12), (16, 16), (18, 18)]);
        Widths::new(w)
    }
}

fn category_sheet(
    ws: &mut Worksheet,
    run: &Run,
    village: &Village,
    category: Category,
    rows: &[&CaseRow],
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    let name = category_sheet_name(category);
    ws.set_name(&name)?;
    let layout = Layout {
        values: value_columns(rows),
        has_other: rows.iter().any(|r| r.other.is_some()),
    };
    let headers = layout.headers();
    let last = headers.len() as u16 - 1;
    let digest_col = last;
    let village_col = last - VILLAGE_COLUMNS.len() as u16;
    let (answer_col, date_col) = (village_col, village_col + 3);
    let explain_col = village_col - 1;
    let location_col = explain_col - 1 - u16::from(layout.has_other);
    let mut widths = layout.widths();

    ws.merge_range(
        0,
        0,
        0,
        last - 1,
        &format!(
            "{}{}  {}（共 {} 条）  请于 {} 前核实填写",
            village.town,
            village.name,
            name,
            rows.len(),
            run.deadline
        ),
        &styles.title,
    )?;
    ws.set_row_height(0, 24)?;
    ws.merge_range(
        1,
        0,
        1,
        last - 1,
        "白色格子是系统比对出的信息，已锁定；标红加粗的是两边不一致或有问题的地方。请逐条核实后，在右边浅黄色格子里填写：\
         核实结果（点格子右边的小箭头，从列表中选）、正确值（正确的号码、姓名或日期）、核实人、核实日期（如 2026-07-15）、备注。",
        &styles.hint,
    )?;
    ws.set_row_height(1, 32)?;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(HEADER_ROW, c as u16, h, &styles.header)?;
        widths.fit(c, h);
    }

    // First every row's cells (the widths need them all), then the sheet.
    let lines: Vec<Line> = rows
        .iter()
        .map(|r| line(r, &layout, run, &village.code))
        .collect();
    for l in &lines {
        for (i, text) in l.cells.iter().enumerate() {
            widths.fit(i + 1, text);
        }
    }
    let width: Vec<f64> = widths.get().map(|(_, w)| w).collect();
    let first_value = 4;
    for (k, l) in lines.into_iter().enumerate() {
        let row = HEADER_ROW + 1 + k as u32;
        ws.write_number_with_format(row, 0, (k + 1) as f64, &styles.number)?;
        let mut height = 1.0f64;
        for (i, text) in l.cells.into_iter().enumerate() {
            let col = i + 1;
            let wrapped = col >= location_col as usize;
            let format = if (first_value..first_value + l.differs.len()).contains(&col)
                && l.differs[col - first_value]
            {
                &styles.diff
            } else if wrapped {
                &styles.wrap
            } else {
                &styles.text
            };
            if wrapped {
                height = height.max(wrapped_lines(&text, width[col]));
            }
            if text.is_empty() {
                ws.write_blank(row, col as u16, format)?;
            } else {
                ws.write_string_with_format(row, col as u16, text, format)?;
            }
        }
        if height > 1.0 {
            ws.set_row_height(row, LINE_HEIGHT * height + 3.0)?;
        }
        for c in village_col..digest_col {
            let format = if c == date_col {
                &styles.input_date
            } else {
                &styles.input_text
            };
            ws.write_blank(row, c, format)?;
        }
        ws.write_string_with_format(row, digest_col, l.digest, &styles.text)?;
    }
    for (c, w) in widths.get() {
        ws.set_column_width(c, w)?;
    }
    ws.set_column_hidden(digest_col)?;

    let first = HEADER_ROW + 1;
    let end = HEADER_ROW + rows.len() as u32;
    let answers: Vec<&str> = category.answers().iter().map(|a| a.text()).collect();
    let list = DataValidation::new()
        .allow_list_strings(&answers)?
        .set_input_title("核实结果")?
        .set_input_message("点右边的小箭头，从列表中选择")?
        .set_error_title("核实结果")?
        .set_error_message(format!("请从列表中选择：{}", answers.join("、")))?
        .set_error_style(DataValidationErrorStyle::Stop);
    ws.add_data_validation(first, answer_col, end, answer_col, &list)?;
    let dates = DataValidation::new()
        .allow_date(DataValidationRule::Between(
            excel_date(Date::from_ymd(run.as_of.year() - 1, 1, 1).unwrap_or(run.as_of)),
            excel_date(Date::from_ymd(run.deadline.year() + 2, 12, 31).unwrap_or(run.deadline)),
        ))
        .set_input_title("核实日期")?
        .set_input_message("填写日期，如 2026-07-15")?
        .set_error_title("核实日期")?
        .set_error_message("请填写核实的日期，如 2026-07-15")?;
    ws.add_data_validation(first, date_col, end, date_col, &dates)?;

    ws.set_freeze_panes(HEADER_ROW + 1, 3)?;
    ws.autofilter(HEADER_ROW, 0, end, digest_col - 1)?;
    page_setup(ws, run, village, &name)?;
    ws.set_repeat_rows(HEADER_ROW, HEADER_ROW)?;
    protect(ws);
    Ok(())
}

/// One row's cells from 案例编号 to 说明, which of the value cells
/// differ, and its digest.
struct Line {
    cells: Vec<String>,
    differs: Vec<bool>,
    digest: String,
}

fn line(r: &CaseRow, layout: &Layout, run: &Run, village_code: &str) -> Line {
    let values = value_cells(r, &layout.values, run.mask_ids);
    let mut cells = Vec::with_capacity(values.len() + 6);
    cells.push(r.case_id.clone());
    cells.push(r.name.clone());
    cells.push(if run.mask_ids {
        mask(&r.id_number)
    } else {
        r.id_number.clone()
    });
    let differs = values.iter().map(|v| v.differs).collect();
    cells.extend(values.into_iter().map(|v| v.text));
    cells.push(location(&r.place));
    if layout.has_other {
        cells.push(r.other.as_ref().map(location).unwrap_or_default());
    }
    cells.push(if r.explanation.is_empty() {
        r.note.clone()
    } else {
        format!("{}（比对：{}）", r.note, r.explanation)
    });
    let digest = row_digest(&r.case_id, run.period, village_code, &cells);
    Line {
        cells,
        differs,
        digest,
    }
}

/// The row's `校验`: the case id, the period, the village code and the
/// cells from 案例编号 to 说明 (docs/workbooks.md).
pub fn row_digest(case_id: &str, period: &str, village_code: &str, cells: &[String]) -> String {
    let mut parts: Vec<&str> = Vec::with_capacity(cells.len() + 3);
    parts.extend([case_id, period, village_code]);
    parts.extend(cells.iter().map(String::as_str));
    digest(&parts)
}

/// A4 landscape, one page wide, the place in the header, page numbers in
/// the footer.
pub fn page_setup(
    ws: &mut Worksheet,
    run: &Run,
    village: &Village,
    what: &str,
) -> std::result::Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_margins(0.4, 0.4, 0.6, 0.6, 0.3, 0.3);
    ws.set_print_center_horizontally(true);
    let place = format!(
        "{} {} {}",
        run.places.county_label(),
        village.town,
        village.name
    );
    let header: String = format!(
        "&L{}&R{}",
        header_footer_text(place.trim()),
        header_footer_text(what)
    )
    .chars()
    .take(250)
    .collect();
    ws.set_header(header);
    ws.set_footer("&C第 &P 页 共 &N 页");
    Ok(())
}

/// Protected without a password: the village's cells stay editable, and
/// filtering and resizing still work.
pub fn protect(ws: &mut Worksheet) {
    let options = ProtectionOptions {
        format_columns: true,
        format_rows: true,
        use_autofilter: true,
        ..ProtectionOptions::new()
    };
    ws.protect_with_options(&options);
}

/// The hidden `_bidui` sheet: what `bidui import` needs to know of the
/// workbook.
fn hidden_sheet(
    ws: &mut Worksheet,
    run: &Run,
    village: &Village,
) -> std::result::Result<(), XlsxError> {
    ws.set_name("_bidui")?;
    let as_of = run.as_of.to_string();
    let deadline = run.deadline.to_string();
    let pairs: [(&str, &str); 10] = [
        ("key", "value"),
        ("format", FORMAT),
        ("county", &run.places.county_code),
        ("county_name", &run.places.county_name),
        ("town", &village.town),
        ("village_code", &village.code),
        ("village", &village.name),
        ("period", run.period),
        ("as_of", &as_of),
        ("deadline", &deadline),
    ];
    for (i, (k, v)) in pairs.iter().enumerate() {
        ws.write_string(i as u32, 0, *k)?;
        ws.write_string(i as u32, 1, *v)?;
    }
    ws.set_hidden(true);
    ws.protect();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn village(town: &str, code: &str, name: &str) -> Village {
        Village {
            key: if code.is_empty() { name } else { code }.to_string(),
            code: code.into(),
            name: name.into(),
            town: town.into(),
        }
    }

    #[test]
    fn file_names_are_the_town_and_village_and_never_collide() {
        let vs = [
            village("临河镇", "371326101200", "东胡庄村"),
            village("临河镇", "371326101201", "曹集村"),
            village("西峪街道", "371326002001", "曹集村"),
            village("西峪街道", "371326002002", "曹集村"),
            village("", "", "无名村"),
            village("甲镇", "", "a/b村"),
            village("甲镇", "", "A/B村"),
            village("乙镇", "编号甲乙丙", "村"),
            village("乙镇", "编号丁戊己", "村"),
        ];
        let refs: Vec<&Village> = vs.iter().collect();
        assert_eq!(
            file_names(&refs),
            [
                "临河镇-东胡庄村.xlsx",
                "临河镇-曹集村.xlsx",
                "西峪街道-曹集村-001.xlsx",
                "西峪街道-曹集村-002.xlsx",
                "无名村.xlsx",
                "甲镇-a_b村.xlsx",
                "甲镇-A_B村-2.xlsx",
                "乙镇-村-甲乙丙.xlsx",
                "乙镇-村-丁戊己.xlsx",
            ]
        );
    }

    #[test]
    fn sheet_names_are_the_code_and_the_label() {
        assert_eq!(category_sheet_name(Category::Q01), "Q01 身份证号无效");
        for c in Category::ALL {
            let name = category_sheet_name(c);
            assert!(
                name.starts_with(c.code()) && name.chars().count() <= 31,
                "{name}"
            );
        }
    }

    #[test]
    fn a_location_names_the_register_file_sheet_and_row() {
        let cases = [
            (
                Place {
                    source: crate::load::SourceKind::Wis,
                    file: "../wis/平邑县临河镇全员人口个案.xlsx".into(),
                    sheet: "东胡庄村".into(),
                    row: 56,
                },
                "WIS：平邑县临河镇全员人口个案.xlsx 工作表“东胡庄村” 第 56 行",
            ),
            (
                Place {
                    source: crate::load::SourceKind::Household,
                    file: "household\\临河镇.csv".into(),
                    sheet: String::new(),
                    row: 3,
                },
                "户籍：临河镇.csv 第 3 行",
            ),
        ];
        for (place, want) in cases {
            assert_eq!(location(&place), want);
        }
    }

    #[test]
    fn the_digest_covers_the_case_period_village_and_cells() {
        let cells = vec!["H03-1".to_string(), "高静静".to_string()];
        let d = row_digest("H03-1", "2026-06", "371326101200", &cells);
        assert_eq!(
            d,
            digest(&["H03-1", "2026-06", "371326101200", "H03-1", "高静静"])
        );
        assert_ne!(d, row_digest("H03-1", "2026-07", "371326101200", &cells));
        let changed = vec!["H03-1".to_string(), "高晶晶".to_string()];
        assert_ne!(d, row_digest("H03-1", "2026-06", "371326101200", &changed));
    }
}
