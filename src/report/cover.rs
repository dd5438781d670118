//! The cover (封面) of a village workbook.
//!
//! Takes the run, the village and its cases by category, and gives the
//! workbook's first sheet: the county, town, village, period, as-of date
//! and deadline; the number of cases of each category with its Chinese name
//! and its sheet; and how to fill the workbook in and what each answer
//! means, in plain Chinese. Printable on one A4 landscape page width.

use std::collections::BTreeMap;

use rust_xlsxwriter::{Worksheet, XlsxError};

use crate::classify::{Answer, Category};
use crate::report::book::text_width;
use crate::report::cases::CaseRow;
use crate::report::places::Village;
use crate::report::styles::Styles;
use crate::report::village::{Run, category_sheet_name, page_setup, protect};

pub const SHEET: &str = "封面";

/// Column widths: label or code, value or category, count, sheet.
const WIDTHS: [f64; 4] = [16.0, 48.0, 10.0, 34.0];

/// What an answer means, for the cadre choosing it.
fn meaning(answer: Answer) -> &'static str {
    match answer {
        Answer::NeedsCorrection => {
            "比对出的问题确实存在，系统里的信息要更正；请在“正确值”中写明正确的号码、姓名或日期"
        }
        Answer::Correct => "经核实，表中系统的信息是对的，不需要更正",
        Answer::MovedOut => "此人户口已迁出本村（居）",
        Answer::Dead => "此人已经去世",
        Answer::MarriedOut => "此人已嫁到外地，不在本村（居）生活",
        Answer::Unknown => "本村（居）没有这个人，也从未有过",
        Answer::Other => "以上都不是；请在“备注”中写明情况",
    }
}

fn with_code(name: &str, code: &str) -> String {
    match (name.is_empty(), code.is_empty()) {
        (false, false) => format!("{name}（{code}）"),
        (false, true) => name.to_string(),
        (true, _) => code.to_string(),
    }
}

pub fn write(
    ws: &mut Worksheet,
    run: &Run,
    village: &Village,
    by_category: &BTreeMap<Category, Vec<&CaseRow>>,
    styles: &Styles,
) -> Result<(), XlsxError> {
    ws.set_name(SHEET)?;
    for (c, w) in WIDTHS.iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    let total: usize = by_category.values().map(Vec::len).sum();
    ws.merge_range(
        0,
        0,
        0,
        3,
        &format!(
            "{}{}{} 人口信息核实表",
            run.places.county_label(),
            village.town,
            village.name
        ),
        &styles.title,
    )?;
    ws.set_row_height(0, 28)?;
    let facts = [
        (
            "县（市、区）",
            with_code(&run.places.county_name, &run.places.county_code),
        ),
        ("乡镇（街道）", village.town.clone()),
        ("村（居）委会", with_code(&village.name, &village.code)),
        ("比对期次", run.period.to_string()),
        ("数据截至", run.as_of.to_string()),
        ("交回期限", format!("请于 {} 前填好交回", run.deadline)),
        ("需核实", format!("共 {total} 条")),
    ];
    let mut row = 2;
    for (label, value) in &facts {
        ws.write_string_with_format(row, 0, *label, &styles.label)?;
        ws.merge_range(row, 1, row, 3, value, &styles.text)?;
        row += 1;
    }

    row += 1;
    for (c, h) in ["类别代码", "问题类别", "条数", "工作表（见下方标签）"]
        .iter()
        .enumerate()
    {
        ws.write_string_with_format(row, c as u16, *h, &styles.header)?;
    }
    row += 1;
    for (category, rows) in by_category {
        ws.write_string_with_format(row, 0, category.code(), &styles.text)?;
        ws.write_string_with_format(row, 1, category.label(), &styles.text)?;
        ws.write_number_with_format(row, 2, rows.len() as f64, &styles.number)?;
        ws.write_string_with_format(row, 3, category_sheet_name(*category), &styles.text)?;
        row += 1;
    }
    ws.write_string_with_format(row, 0, "合计", &styles.label)?;
    ws.write_blank(row, 1, &styles.label)?;
    ws.write_number_with_format(row, 2, total as f64, &styles.bold_number)?;
    ws.write_blank(row, 3, &styles.label)?;
    row += 2;

    let steps = [
        "本表列出本村（居）需要核实的人员信息：每一类问题一张表，表名就是问题类别，点下方的标签切换。".to_string(),
        "请逐条上门或电话核实。白色格子是系统比对出的信息，已锁定，不用改也改不了；标红加粗的格子是两边不一致或有问题的地方。".to_string(),
        "在每行右边的浅黄色格子里填写：核实结果（点格子右边的小箭头，从列表中选）、正确值（正确的身份证号、姓名或日期）、核实人、核实日期（如 2026-07-15）、备注。".to_string(),
        "请不要增删行或列，不要改工作表名称和文件名，不要另存为其他格式，否则无法导入。".to_string(),
        format!(
            "填好后保存，于 {} 前交回乡镇（街道）统计员。",
            run.deadline
        ),
        "本表含个人信息，请妥善保管，不要外传；核实完成后请删除电子文件、销毁纸质表。".to_string(),
    ];
    ws.write_string_with_format(row, 0, "填写说明", &styles.label)?;
    row += 1;
    for (k, step) in steps.iter().enumerate() {
        note_line(ws, row, &format!("{}. {step}", k + 1), styles)?;
        row += 1;
    }
    row += 1;
    ws.write_string_with_format(row, 0, "核实结果怎么选", &styles.label)?;
    row += 1;
    let mut offered: Vec<Answer> = Vec::new();
    for category in by_category.keys() {
        for a in category.answers() {
            if !offered.contains(a) {
                offered.push(*a);
            }
        }
    }
    offered.sort();
    for a in offered {
        ws.write_string_with_format(row, 0, a.text(), &styles.text)?;
        ws.merge_range(row, 1, row, 3, meaning(a), &styles.wrap)?;
        row += 1;
    }

    page_setup(ws, run, village, SHEET)?;
    protect(ws);
    Ok(())
}

/// A line of text across the cover's width, as tall as its wrapped lines.
fn note_line(ws: &mut Worksheet, row: u32, text: &str, styles: &Styles) -> Result<(), XlsxError> {
    let width: f64 = WIDTHS.iter().sum();
    let lines = (text_width(text) as f64 / (width - 4.0)).ceil().max(1.0);
    ws.merge_range(row, 0, row, 3, text, &styles.hint)?;
    ws.set_row_height(row, 15.0 * lines + 2.0)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_answer_is_explained() {
        for a in Answer::ALL {
            assert!(!meaning(a).is_empty(), "{a}");
        }
    }

    #[test]
    fn names_come_with_their_codes() {
        let cases = [
            ("平邑县", "371326", "平邑县（371326）"),
            ("东胡庄村", "", "东胡庄村"),
            ("", "371326", "371326"),
            ("", "", ""),
        ];
        for (name, code, want) in cases {
            assert_eq!(with_code(name, code), want);
        }
    }
}
