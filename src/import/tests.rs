//! Reading workbooks back: made here with rust_xlsxwriter the way the
//! contract (docs/workbooks.md) lays them out, then read.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

use super::*;

const META: [(&str, &str); 9] = [
    ("format", FORMAT),
    ("county", "371326"),
    ("county_name", "平邑县"),
    ("town", "临河镇"),
    ("village_code", "371326101201"),
    ("village", "曹集村"),
    ("period", "2026-06"),
    ("as_of", "2026-06-30"),
    ("deadline", "2026-07-30"),
];

/// A workbook: `_bidui` with `meta`, and each sheet's rows of text cells
/// (empty strings left blank).
fn book(meta: &[(&str, &str)], sheets: &[(&str, Vec<Vec<&str>>)]) -> Vec<u8> {
    let mut wb = Workbook::new();
    let cover = wb.add_worksheet();
    cover.set_name("封面").unwrap();
    cover.write_string(0, 0, "核实表").unwrap();
    for (name, rows) in sheets {
        let ws = wb.add_worksheet();
        ws.set_name(*name).unwrap();
        for (i, row) in rows.iter().enumerate() {
            for (j, cell) in row.iter().enumerate() {
                if !cell.is_empty() {
                    ws.write_string(i as u32, j as u16, *cell).unwrap();
                }
            }
        }
    }
    if !meta.is_empty() {
        let ws = wb.add_worksheet();
        ws.set_name(META_SHEET).unwrap();
        ws.write_string(0, 0, "key").unwrap();
        ws.write_string(0, 1, "value").unwrap();
        for (i, (k, v)) in meta.iter().enumerate() {
            ws.write_string(i as u32 + 1, 0, *k).unwrap();
            ws.write_string(i as u32 + 1, 1, *v).unwrap();
        }
        ws.set_hidden(true);
    }
    wb.save_to_buffer().unwrap()
}

const HEADER: [&str; 13] = [
    "序号",
    "案例编号",
    "姓名",
    "身份证号",
    "WIS 身份证号",
    "说明",
    "核实结果",
    "正确值",
    "核实人",
    "核实日期",
    "备注",
    "校验",
    "",
];

fn refusal(bytes: Vec<u8>) -> String {
    match read(bytes) {
        Err(Refusal(why)) => why,
        Ok(_) => panic!("read a workbook that should be refused"),
    }
}

#[test]
fn what_is_not_one_of_our_workbooks_is_refused_saying_why() {
    let mut wrong_format = META.to_vec();
    wrong_format[0] = ("format", "bidui-village-9");
    let mut no_period = META.to_vec();
    no_period[6] = ("period", "");
    let sheet = vec![HEADER.to_vec()];
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (Vec::new(), "空的"),
        (b"case_id,answer\nQ01-1,x\n".to_vec(), "不是 Excel 工作簿"),
        (book(&[], &[("Q01 身份证号无效", sheet.clone())]), "_bidui"),
        (
            book(&wrong_format, &[("Q01 身份证号无效", sheet.clone())]),
            "bidui-village-9",
        ),
        (
            book(&no_period, &[("Q01 身份证号无效", sheet.clone())]),
            "缺少 period",
        ),
        (
            book(&META, &[("说明", sheet.clone())]),
            "没有任何类别工作表",
        ),
    ];
    for (bytes, fragment) in cases {
        let why = refusal(bytes);
        assert!(why.contains(fragment), "{fragment}: {why}");
    }
}

#[test]
fn rows_are_read_by_header_text_below_the_title_lines() {
    // Title lines above the header, the village's columns moved around,
    // white space inside a header: columns are found by their text.
    let header = vec![
        "序号",
        "案例编号",
        "姓名",
        "身份证号",
        "说明",
        "备注",
        "核 实 结 果",
        "核实日期",
        "核实人",
        "正确值",
        "校验",
    ];
    let rows = vec![
        vec!["平邑县临河镇曹集村 核实表"],
        vec!["请在黄色列中填写"],
        header,
        vec![
            "1",
            "Q01-aaa",
            "张三",
            "37132619981223706X",
            "号码无效",
            "",
            " 属实需更正 ",
            "2026/7/15",
            "李四",
            "371326199812237069",
            "0123",
        ],
        vec![],
        vec![
            "2", "Q01-bbb", "王五", "", "说明", "", "", "", "", "", "4567",
        ],
    ];
    let wb = read(book(&META, &[("Q01 身份证号无效", rows)])).unwrap();
    assert_eq!(wb.meta.village, "曹集村");
    assert_eq!(wb.meta.period, "2026-06");
    assert!(wb.problems.is_empty(), "{:?}", wb.problems);
    assert_eq!(wb.rows.len(), 2);
    let r = &wb.rows[0];
    assert_eq!((r.row, r.case_id.as_str()), (4, "Q01-aaa"));
    assert_eq!(r.category, Category::Q01);
    assert_eq!(
        r.sent,
        ["Q01-aaa", "张三", "37132619981223706X", "号码无效"]
    );
    assert_eq!(r.check, "0123");
    assert_eq!(r.answer, "属实需更正");
    assert_eq!(r.correct_value, "371326199812237069");
    assert_eq!(r.verifier, "李四");
    assert_eq!(
        r.verified_on,
        DateCell::Date(Date::from_ymd(2026, 7, 15).unwrap())
    );
    assert!(r.touched());
    // The empty row is skipped; the next keeps its own row number.
    assert_eq!((wb.rows[1].row, wb.rows[1].touched()), (6, false));
}

#[test]
fn a_sheet_without_its_header_is_a_problem_and_the_other_sheets_still_read() {
    let good = vec![
        HEADER.to_vec(),
        vec![
            "1",
            "Q01-aaa",
            "张三",
            "",
            "",
            "说明",
            "信息无误",
            "",
            "",
            "",
            "",
            "x",
        ],
    ];
    let no_header = vec![vec!["序号", "编号", "姓名"], vec!["1", "H03-x", "李"]];
    let no_check = vec![HEADER[..11].to_vec()];
    let wb = read(book(
        &META,
        &[
            ("Q01 身份证号无效", good),
            ("H03 姓名不一致", no_header),
            ("H04 身份证号不一致", no_check),
        ],
    ))
    .unwrap();
    assert_eq!(wb.rows.len(), 1);
    let problems: Vec<(&str, &str)> = wb
        .problems
        .iter()
        .map(|p| (p.sheet.as_str(), p.problem.as_str()))
        .collect();
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert_eq!(problems[0].0, "H03 姓名不一致");
    assert!(problems[0].1.contains("案例编号"), "{problems:?}");
    assert_eq!(problems[1].0, "H04 身份证号不一致");
    assert!(problems[1].1.contains("缺少“校验”列"), "{problems:?}");
}

#[test]
fn verification_dates_come_as_date_cells_serials_or_text() {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Q01 身份证号无效").unwrap();
    for (j, h) in HEADER.iter().enumerate() {
        ws.write_string(0, j as u16, *h).unwrap();
    }
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let dt = ExcelDateTime::from_ymd(2026, 7, 15).unwrap();
    ws.write_datetime_with_format(1, 9, &dt, &date_format)
        .unwrap();
    ws.write_number(2, 9, 46218.0).unwrap();
    ws.write_string(3, 9, "2026年7月15日").unwrap();
    ws.write_string(4, 9, "2026-02-30").unwrap();
    ws.write_string(5, 9, "上周").unwrap();
    ws.write_number(6, 9, -3.0).unwrap();
    ws.write_string(7, 9, "无").unwrap();
    for r in 1..=7 {
        ws.write_string(r, 1, format!("Q01-{r}")).unwrap();
    }
    let meta = wb.add_worksheet();
    meta.set_name(META_SHEET).unwrap();
    for (i, (k, v)) in META.iter().enumerate() {
        meta.write_string(i as u32, 0, *k).unwrap();
        meta.write_string(i as u32, 1, *v).unwrap();
    }
    let read = read(wb.save_to_buffer().unwrap()).unwrap();
    let d = DateCell::Date(Date::from_ymd(2026, 7, 15).unwrap());
    let got: Vec<&DateCell> = read.rows.iter().map(|r| &r.verified_on).collect();
    assert_eq!(got[..3], [&d, &d, &d]);
    for (bad, fragment) in got[3..6].iter().zip(["不是真实存在的日期", "上周", "-3"]) {
        match bad {
            DateCell::Bad(why) => assert!(why.contains(fragment), "{why}"),
            other => panic!("{other:?} should be a bad date"),
        }
    }
    assert_eq!(got[6], &DateCell::Empty);
}

#[test]
fn cells_read_back_as_the_text_written() {
    let cases = [
        (Data::Empty, ""),
        (Data::String(" 张三 ".into()), " 张三 "),
        (Data::Int(12), "12"),
        (Data::Float(12.0), "12"),
        (Data::Float(3.25), "3.25"),
        (Data::Bool(true), "TRUE"),
    ];
    for (cell, want) in cases {
        assert_eq!(cell_text(&cell), want, "{cell:?}");
    }
}

#[test]
fn sheets_are_told_by_their_category_code() {
    let cases = [
        ("Q01 身份证号无效", Some(Category::Q01)),
        ("L01", Some(Category::L01)),
        ("H06 户籍地村（居）不一致", Some(Category::H06)),
        ("Q011", None),
        ("封面", None),
        ("_bidui", None),
    ];
    for (name, want) in cases {
        assert_eq!(category_of_sheet(name), want, "{name}");
    }
}

/// An ID number typed into the date column is named in the problem only
/// masked.
#[test]
fn an_id_number_in_the_date_column_is_masked_in_the_problem() {
    use calamine::Data;
    match super::date_cell(&Data::String("370404199001011230".into())) {
        DateCell::Bad(why) => {
            assert!(!why.contains("370404199001011230"), "{why}");
            assert!(why.contains("370404********1230"), "{why}");
        }
        other => panic!("{other:?} should be a bad date"),
    }
    assert_eq!(
        super::shown_cell("370404199001011230"),
        "370404********1230"
    );
    assert_eq!(super::shown_cell("上周"), "上周");
}
