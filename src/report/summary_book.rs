//! summary.xlsx: the statistician's view of a check.
//!
//! Takes the cases' rows, their places, the village workbooks written, the
//! input files with their data-quality counts and the run's parameters, and
//! gives one workbook: villages × categories with each town's subtotal
//! (汇总), towns × categories with a chart (按乡镇), categories by register
//! with a chart (按类别), month over month from the ledger with a chart
//! (逐期趋势, [`crate::report::trend`]), a data-quality sheet per register (invalid ID
//! numbers by reason, rows skipped or unreadable), the cases no village
//! could be told for (未分配, full ID numbers: this workbook stays with the
//! statistician), and the run's parameters and inputs (运行参数).

use std::collections::BTreeMap;
use std::path::Path;

use rust_xlsxwriter::{Chart, ChartDataLabel, Workbook, Worksheet, XlsxError};

use crate::classify::Category;
use crate::error::Result;
use crate::identity::Date;
use crate::load::SourceKind;
use crate::report::book::{self, Widths};
use crate::report::cases::CaseRow;
use crate::report::columns::register_name;
pub use crate::report::data_quality::InputFile;
use crate::report::data_quality::quality_sheet;
use crate::report::places::Places;
use crate::report::styles::Styles;
use crate::report::village::Written;

/// Everything summary.xlsx shows.
pub struct Summary<'a> {
    pub title: String,
    pub as_of: Date,
    pub places: &'a Places,
    pub rows: &'a [CaseRow],
    pub workbooks: &'a [Written],
    pub files: &'a [InputFile],
    /// The run's parameters as (name, value), in order.
    pub parameters: &'a [(String, String)],
    /// Every run in the ledger, oldest first, this one included.
    pub trend: &'a [crate::ledger::Run],
}

pub const MATRIX: &str = "汇总";
pub const TOWNS: &str = "按乡镇";
pub const CATEGORIES: &str = "按类别";
pub const UNASSIGNED: &str = "未分配";
pub const PARAMETERS: &str = "运行参数";

pub fn write(path: &Path, summary: &Summary) -> Result<u64> {
    let mut workbook = build(summary).map_err(|e| book::xlsx_error(path, e))?;
    book::save(&mut workbook, path)
}

type Counts = [usize; Category::ALL.len()];

fn index(c: Category) -> usize {
    Category::ALL.iter().position(|x| *x == c).unwrap_or(0)
}

fn build(s: &Summary) -> std::result::Result<Workbook, XlsxError> {
    let styles = Styles::new();
    let mut workbook = Workbook::new();
    workbook.set_properties(&book::properties(&s.title, s.as_of));

    let mut by_village: BTreeMap<&str, Counts> = BTreeMap::new();
    let mut unassigned: Counts = [0; Category::ALL.len()];
    let mut by_source: BTreeMap<(Category, SourceKind), usize> = BTreeMap::new();
    for r in s.rows {
        let counts = if r.unassigned() {
            &mut unassigned
        } else {
            by_village
                .entry(r.village_key())
                .or_insert([0; Category::ALL.len()])
        };
        counts[index(r.category)] += 1;
        *by_source.entry((r.category, r.place.source)).or_default() += 1;
    }
    // Towns in order, each with its villages in order.
    let mut towns: BTreeMap<&str, Vec<(&str, &Counts)>> = BTreeMap::new();
    for (key, counts) in &by_village {
        let town = s.places.village(key).map_or("", |v| v.town.as_str());
        towns.entry(town).or_default().push((key, counts));
    }
    for villages in towns.values_mut() {
        villages.sort_by_key(|(key, _)| {
            s.places
                .village(key)
                .map(|v| (v.code.clone(), v.name.clone()))
                .unwrap_or_default()
        });
    }
    let files: BTreeMap<&str, &str> = s
        .workbooks
        .iter()
        .map(|w| (w.village.as_str(), w.file.as_str()))
        .collect();

    matrix(
        workbook.add_worksheet(),
        s,
        &towns,
        &unassigned,
        &files,
        &styles,
    )?;
    town_sheet(workbook.add_worksheet(), &towns, &styles)?;
    category_sheet(workbook.add_worksheet(), &by_source, &styles)?;
    crate::report::trend::trend_sheet(
        workbook.add_worksheet(),
        s.trend,
        &styles.title,
        &styles.header,
        &styles.text,
        &styles.number,
    )?;
    for source in SourceKind::ALL {
        let files: Vec<&InputFile> = s.files.iter().filter(|f| f.source == source).collect();
        if !files.is_empty() {
            quality_sheet(workbook.add_worksheet(), source, &files, &styles)?;
        }
    }
    unassigned_sheet(workbook.add_worksheet(), s.rows, &styles)?;
    parameter_sheet(workbook.add_worksheet(), s, &styles)?;
    Ok(workbook)
}

fn category_header(c: Category) -> String {
    format!("{} {}", c.code(), c.label())
}

pub(crate) fn title(
    ws: &mut Worksheet,
    text: &str,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.write_string_with_format(0, 0, text, &styles.title)?;
    ws.set_row_height(0, 24)?;
    Ok(())
}

pub(crate) fn print_wide(
    ws: &mut Worksheet,
    header_row: u32,
) -> std::result::Result<(), XlsxError> {
    ws.set_landscape();
    ws.set_paper_size(9);
    ws.set_print_fit_to_pages(1, 0);
    ws.set_repeat_rows(header_row, header_row)?;
    ws.set_footer("&C第 &P 页 共 &N 页");
    Ok(())
}

/// Writes counts from `col`, then their total; gives the total.
fn counts_row(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    counts: &Counts,
    bold: bool,
    styles: &Styles,
) -> std::result::Result<usize, XlsxError> {
    let format = if bold {
        &styles.bold_number
    } else {
        &styles.number
    };
    for (i, n) in counts.iter().enumerate() {
        ws.write_number_with_format(row, col + i as u16, *n as f64, format)?;
    }
    let total: usize = counts.iter().sum();
    ws.write_number_with_format(
        row,
        col + counts.len() as u16,
        total as f64,
        &styles.bold_number,
    )?;
    Ok(total)
}

fn add(into: &mut Counts, counts: &Counts) {
    for (a, b) in into.iter_mut().zip(counts) {
        *a += b;
    }
}

fn matrix(
    ws: &mut Worksheet,
    s: &Summary,
    towns: &BTreeMap<&str, Vec<(&str, &Counts)>>,
    unassigned: &Counts,
    files: &BTreeMap<&str, &str>,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(MATRIX)?;
    title(ws, &s.title, styles)?;
    let mut headers: Vec<String> = ["乡镇（街道）", "村（居）代码", "村（居）委会", "工作簿"]
        .iter()
        .map(|h| h.to_string())
        .collect();
    headers.extend(Category::ALL.iter().map(|c| category_header(*c)));
    headers.push("合计".into());
    let header_row = 2;
    let mut widths = Widths::new(
        [(12, 20), (14, 14), (12, 20), (16, 36)]
            .into_iter()
            .chain(Category::ALL.iter().map(|_| (9, 9)))
            .chain([(8, 8)])
            .collect(),
    );
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &styles.header)?;
    }
    ws.set_row_height(header_row, 60)?;
    let mut row = header_row + 1;
    let mut county: Counts = [0; Category::ALL.len()];
    for (town, villages) in towns {
        let mut subtotal: Counts = [0; Category::ALL.len()];
        for (key, counts) in villages {
            let v = s.places.village(key);
            let texts = [
                *town,
                v.map_or("", |v| v.code.as_str()),
                v.map_or(*key, |v| v.name.as_str()),
                files.get(key).copied().unwrap_or_default(),
            ];
            for (c, t) in texts.iter().enumerate() {
                ws.write_string_with_format(row, c as u16, *t, &styles.text)?;
                widths.fit(c, t);
            }
            counts_row(ws, row, 4, counts, false, styles)?;
            add(&mut subtotal, counts);
            row += 1;
        }
        let label = format!(
            "{} 小计",
            if town.is_empty() {
                "乡镇不详"
            } else {
                town
            }
        );
        ws.write_string_with_format(row, 0, &label, &styles.label)?;
        widths.fit(0, &label);
        for c in 1..4 {
            ws.write_blank(row, c, &styles.label)?;
        }
        counts_row(ws, row, 4, &subtotal, true, styles)?;
        add(&mut county, &subtotal);
        row += 1;
    }
    ws.write_string_with_format(row, 0, "未能确定村（居）", &styles.label)?;
    ws.write_string_with_format(row, 2, "见“未分配”表", &styles.text)?;
    ws.write_blank(row, 1, &styles.label)?;
    ws.write_blank(row, 3, &styles.label)?;
    counts_row(ws, row, 4, unassigned, false, styles)?;
    add(&mut county, unassigned);
    row += 1;
    ws.write_string_with_format(row, 0, "全县合计", &styles.label)?;
    for c in 1..4 {
        ws.write_blank(row, c, &styles.label)?;
    }
    counts_row(ws, row, 4, &county, true, styles)?;
    for (c, w) in widths.get() {
        ws.set_column_width(c, w)?;
    }
    ws.set_freeze_panes(header_row + 1, 3)?;
    print_wide(ws, header_row)
}

fn town_sheet(
    ws: &mut Worksheet,
    towns: &BTreeMap<&str, Vec<(&str, &Counts)>>,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(TOWNS)?;
    title(ws, "各乡镇（街道）需核实的问题数", styles)?;
    let header_row = 2;
    let mut headers: Vec<String> = vec!["乡镇（街道）".into(), "有问题的村（居）数".into()];
    headers.extend(Category::ALL.iter().map(|c| category_header(*c)));
    headers.push("合计".into());
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, h, &styles.header)?;
    }
    ws.set_row_height(header_row, 60)?;
    let mut row = header_row + 1;
    for (town, villages) in towns {
        let name = if town.is_empty() {
            "乡镇不详"
        } else {
            town
        };
        ws.write_string_with_format(row, 0, name, &styles.text)?;
        ws.write_number_with_format(row, 1, villages.len() as f64, &styles.number)?;
        let mut counts: Counts = [0; Category::ALL.len()];
        for (_, c) in villages {
            add(&mut counts, c);
        }
        counts_row(ws, row, 2, &counts, false, styles)?;
        row += 1;
    }
    ws.set_column_width(0, 16)?;
    ws.set_column_width(1, 10)?;
    for c in 0..=Category::ALL.len() as u16 {
        ws.set_column_width(2 + c, 9)?;
    }
    print_wide(ws, header_row)?;
    // The table and its chart on one page.
    ws.set_print_fit_to_pages(1, 1);
    if row > header_row + 1 {
        let total_col = 2 + Category::ALL.len() as u16;
        let mut chart = Chart::new_bar();
        chart
            .add_series()
            .set_name("问题数")
            .set_categories((TOWNS, header_row + 1, 0, row - 1, 0))
            .set_values((TOWNS, header_row + 1, total_col, row - 1, total_col))
            .set_data_label(ChartDataLabel::new().show_value());
        chart.title().set_name("各乡镇（街道）问题数");
        chart.legend().set_hidden();
        // A bar chart's value axis is its x axis; towns read top down.
        chart.x_axis().set_min(0);
        chart.y_axis().set_reverse();
        chart
            .set_width(640)
            .set_height(80 + 28 * (row - header_row - 1).min(30));
        ws.insert_chart(row + 1, 0, &chart)?;
    }
    Ok(())
}

fn category_sheet(
    ws: &mut Worksheet,
    by_source: &BTreeMap<(Category, SourceKind), usize>,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(CATEGORIES)?;
    title(ws, "各类问题数（按数据来源）", styles)?;
    let header_row = 2;
    let mut headers = vec!["类别代码", "问题类别", "合计"];
    headers.extend(SourceKind::ALL.iter().map(|s| register_name(*s)));
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *h, &styles.header)?;
    }
    let mut row = header_row + 1;
    for c in Category::ALL {
        ws.write_string_with_format(row, 0, c.code(), &styles.text)?;
        ws.write_string_with_format(row, 1, c.label(), &styles.text)?;
        let per: Vec<usize> = SourceKind::ALL
            .iter()
            .map(|s| by_source.get(&(c, *s)).copied().unwrap_or(0))
            .collect();
        ws.write_number_with_format(
            row,
            2,
            per.iter().sum::<usize>() as f64,
            &styles.bold_number,
        )?;
        for (i, n) in per.iter().enumerate() {
            ws.write_number_with_format(row, 3 + i as u16, *n as f64, &styles.number)?;
        }
        row += 1;
    }
    for (c, w) in [10.0, 36.0, 8.0, 8.0, 8.0, 10.0, 14.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w)?;
    }
    print_wide(ws, header_row)?;
    ws.set_print_fit_to_pages(1, 1);
    let mut chart = Chart::new_column();
    chart
        .add_series()
        .set_name("问题数")
        .set_categories((CATEGORIES, header_row + 1, 0, row - 1, 0))
        .set_values((CATEGORIES, header_row + 1, 2, row - 1, 2))
        .set_data_label(ChartDataLabel::new().show_value());
    chart.title().set_name("各类问题数");
    chart.legend().set_hidden();
    chart.y_axis().set_min(0);
    chart.set_width(760).set_height(360);
    ws.insert_chart(row + 1, 0, &chart)?;
    Ok(())
}

fn unassigned_sheet(
    ws: &mut Worksheet,
    rows: &[CaseRow],
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(UNASSIGNED)?;
    title(
        ws,
        "未能确定村（居）的问题：请统计员确定所属村（居）后转交核实",
        styles,
    )?;
    let headers = [
        "案例编号",
        "类别",
        "问题类别",
        "来源",
        "文件",
        "工作表",
        "行",
        "姓名",
        "身份证号",
        "字段",
        "值",
        "对方值",
        "说明",
    ];
    let header_row = 2;
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(header_row, c as u16, *h, &styles.header)?;
    }
    let mut widths = Widths::new(vec![
        (18, 20),
        (6, 6),
        (16, 30),
        (8, 12),
        (16, 40),
        (8, 16),
        (6, 8),
        (8, 14),
        (20, 22),
        (10, 20),
        (12, 30),
        (12, 30),
        (60, 60),
    ]);
    let mut row = header_row + 1;
    for r in rows.iter().filter(|r| r.unassigned()) {
        let line = r.place.row.to_string();
        let texts = [
            r.case_id.as_str(),
            r.category.code(),
            r.category.label(),
            register_name(r.place.source),
            &r.place.file,
            &r.place.sheet,
            &line,
            &r.name,
            &r.id_number,
            &r.field,
            &r.value,
            &r.other_value,
            &r.note,
        ];
        for (c, t) in texts.iter().enumerate() {
            let format = if c == 12 { &styles.wrap } else { &styles.text };
            ws.write_string_with_format(row, c as u16, *t, format)?;
            widths.fit(c, t);
        }
        let lines = book::wrapped_lines(&r.note, 60.0);
        if lines > 1.0 {
            ws.set_row_height(row, book::LINE_HEIGHT * lines + 3.0)?;
        }
        row += 1;
    }
    for (c, w) in widths.get() {
        ws.set_column_width(c, w)?;
    }
    ws.set_freeze_panes(header_row + 1, 1)?;
    if row > header_row + 1 {
        ws.autofilter(header_row, 0, row - 1, headers.len() as u16 - 1)?;
    }
    print_wide(ws, header_row)
}

fn parameter_sheet(
    ws: &mut Worksheet,
    s: &Summary,
    styles: &Styles,
) -> std::result::Result<(), XlsxError> {
    ws.set_name(PARAMETERS)?;
    title(ws, "本次比对的参数和输入文件", styles)?;
    let mut row = 2;
    let mut widths = Widths::new(vec![(16, 24), (30, 80), (10, 10)]);
    for (k, v) in s.parameters {
        ws.write_string_with_format(row, 0, k, &styles.label)?;
        ws.write_string_with_format(row, 1, v, &styles.text)?;
        widths.fit(0, k);
        widths.fit(1, v);
        row += 1;
    }
    row += 1;
    for (c, h) in ["来源", "文件", "记录数"].iter().enumerate() {
        ws.write_string_with_format(row, c as u16, *h, &styles.header)?;
    }
    row += 1;
    for f in s.files {
        ws.write_string_with_format(row, 0, f.source.label(), &styles.text)?;
        ws.write_string_with_format(row, 1, &f.file, &styles.text)?;
        ws.write_number_with_format(row, 2, f.records as f64, &styles.number)?;
        widths.fit(0, f.source.label());
        widths.fit(1, &f.file);
        row += 1;
    }
    for (c, w) in widths.get() {
        ws.set_column_width(c, w)?;
    }
    Ok(())
}
