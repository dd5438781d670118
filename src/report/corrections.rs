//! The corrections list: what the statistician is to correct in WIS.
//!
//! Takes the ledger's [`Correction`]s (cases the villages answered 属实需更正,
//! with the case's data and the village's 正确值) and gives
//! `corrections.xlsx` (ID numbers as text cells, a frozen header and a
//! filter) and `corrections.csv` (UTF-8 with BOM, the same columns), each
//! written atomically. Columns: docs/import.md.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, XlsxError};

use crate::error::{Error, Result};
use crate::ledger::CaseStatus;
use crate::ledger::answers::Correction;

/// The columns, in the statistician's words.
pub const HEADER: [&str; 24] = [
    "案例编号",
    "类别",
    "类别名称",
    "村代码",
    "村",
    "姓名",
    "身份证号",
    "问题字段",
    "原值",
    "对方值",
    "说明",
    "正确值",
    "核实人",
    "核实日期",
    "备注",
    "答复期次",
    "答复截止",
    "状态",
    "来源",
    "文件",
    "工作表",
    "行",
    "答复所在工作簿",
    "答复所在行",
];

/// Column widths in the workbook (characters).
const WIDTHS: [f64; 24] = [
    18.0, 6.0, 24.0, 14.0, 12.0, 10.0, 21.0, 14.0, 21.0, 21.0, 40.0, 21.0, 10.0, 12.0, 20.0, 10.0,
    12.0, 12.0, 10.0, 30.0, 12.0, 6.0, 30.0, 8.0,
];

fn cells(c: &Correction) -> [String; 24] {
    let date = |d: Option<crate::identity::Date>| d.map(|d| d.to_string()).unwrap_or_default();
    [
        c.case_id.clone(),
        c.category.code().to_string(),
        c.category.label().to_string(),
        c.village_code.clone(),
        c.village.clone(),
        c.name.clone(),
        c.id_number.clone(),
        c.field.clone(),
        c.value.clone(),
        c.other_value.clone(),
        c.note.clone(),
        c.correct_value.clone(),
        c.verifier.clone(),
        date(c.verified_on),
        c.remark.clone(),
        c.answered_period.clone(),
        date(c.deadline),
        if c.status == CaseStatus::Overdue {
            CaseStatus::Overdue.label()
        } else {
            "待更正"
        }
        .to_string(),
        c.source.clone(),
        c.file.clone(),
        c.sheet.clone(),
        c.row.to_string(),
        c.workbook.clone(),
        c.workbook_row.to_string(),
    ]
}

/// Writes corrections.csv; gives its size.
pub fn write_csv(path: &Path, list: &[Correction]) -> Result<u64> {
    crate::report::write_atomically(path, |w| {
        w.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::Writer::from_writer(w);
        csv.write_record(HEADER)?;
        for c in list {
            csv.write_record(cells(c))?;
        }
        csv.flush()?;
        Ok(())
    })
}

/// Writes corrections.xlsx; gives its size.
pub fn write_xlsx(path: &Path, period: &str, list: &[Correction]) -> Result<u64> {
    let bytes = xlsx(period, list).map_err(|e| Error::Write {
        target: path.display().to_string(),
        source: std::io::Error::other(e),
    })?;
    crate::report::write_atomically(path, |w| w.write_all(&bytes))
}

fn xlsx(period: &str, list: &[Correction]) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let bold = Format::new().set_bold().set_background_color(0xDDEBF7);
    let text = Format::new().set_num_format("@");
    let sheet = book.add_worksheet();
    // Excel allows 31 characters; a period has at most 64.
    sheet.set_name(format!(
        "需更正 {}",
        period.chars().take(27).collect::<String>()
    ))?;
    for (j, (h, w)) in HEADER.iter().zip(WIDTHS).enumerate() {
        sheet.write_string_with_format(0, j as u16, *h, &bold)?;
        sheet.set_column_width(j as u16, w)?;
    }
    for (i, c) in list.iter().enumerate() {
        for (j, v) in cells(c).iter().enumerate() {
            // Every cell is text: an ID number or a code never becomes a
            // number Excel rounds.
            sheet.write_string_with_format(i as u32 + 1, j as u16, v, &text)?;
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    sheet.autofilter(0, 0, list.len() as u32, HEADER.len() as u16 - 1)?;
    book.save_to_buffer()
}
