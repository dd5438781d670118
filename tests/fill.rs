//! Filling in a village workbook the way a cadre does in Excel: only the
//! village's cells change, everything else of the file — the hidden
//! `_bidui` sheet, the digests, the drop-downs, the protection — stays
//! byte for byte. The cells are found by reading the workbook with
//! calamine (header text, rows); the sheet's XML inside the xlsx is then
//! edited in place.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::Path;

use calamine::{Data, DataType, Reader};

/// A value typed into a cell.
#[derive(Clone, Debug)]
pub enum Cell {
    Text(String),
    /// A date, stored as Excel stores a typed date: its serial number.
    Date(i32, u32, u32),
}

/// One village row of a category sheet, as read: the sheet, the row (as
/// Excel shows it) and its case id.
#[derive(Clone, Debug)]
pub struct Row {
    pub sheet: String,
    pub row: u32,
    pub case_id: String,
}

/// A workbook's rows and where its village columns are, by sheet.
pub struct Layout {
    pub rows: Vec<Row>,
    /// Per sheet, header text → column (0-based).
    pub columns: HashMap<String, HashMap<String, u32>>,
}

/// Reads the category sheets of a village workbook: the header row is the
/// first row holding 案例编号 (docs/workbooks.md).
pub fn layout(path: &Path) -> Layout {
    let mut wb = calamine::open_workbook_auto(path).unwrap();
    let mut out = Layout {
        rows: Vec::new(),
        columns: HashMap::new(),
    };
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name).unwrap();
        let Some((r0, c0)) = range.start() else {
            continue;
        };
        let rows: Vec<&[Data]> = range.rows().collect();
        let Some(h) = rows.iter().position(|r| r.iter().any(|c| *c == "案例编号")) else {
            continue;
        };
        let columns: HashMap<String, u32> = rows[h]
            .iter()
            .enumerate()
            .map(|(j, c)| (c.to_string(), c0 + j as u32))
            .collect();
        let id = columns["案例编号"] - c0;
        for (i, r) in rows.iter().enumerate().skip(h + 1) {
            let case_id = r
                .get(id as usize)
                .map(|c| c.to_string())
                .unwrap_or_default();
            if !case_id.is_empty() {
                out.rows.push(Row {
                    sheet: name.clone(),
                    row: r0 + i as u32 + 1,
                    case_id,
                });
            }
        }
        out.columns.insert(name, columns);
    }
    out
}

/// `A1`-style reference of a 0-based column and a 1-based row.
pub fn reference(col: u32, row: u32) -> String {
    let mut letters = String::new();
    let mut n = col + 1;
    while n > 0 {
        let r = (n - 1) % 26;
        letters.insert(0, (b'A' + r as u8) as char);
        n = (n - 1) / 26;
    }
    format!("{letters}{row}")
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn unescape(text: &str) -> String {
    text.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}

/// The value of attribute `name` in an XML start tag's text.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')? + at;
    Some(unescape(&tag[at..end]))
}

/// Each sheet's name → its part in the package (`xl/worksheets/sheet2.xml`).
fn sheet_parts(zip: &mut zip::ZipArchive<std::fs::File>) -> HashMap<String, String> {
    let mut read = |name: &str| {
        let mut s = String::new();
        zip.by_name(name).unwrap().read_to_string(&mut s).unwrap();
        s
    };
    let workbook = read("xl/workbook.xml");
    let rels = read("xl/_rels/workbook.xml.rels");
    let targets: HashMap<String, String> = rels
        .split("<Relationship ")
        .skip(1)
        .filter_map(|t| {
            Some((
                attribute(&format!(" {t}"), "Id")?,
                attribute(&format!(" {t}"), "Target")?,
            ))
        })
        .collect();
    workbook
        .split("<sheet ")
        .skip(1)
        .filter_map(|t| {
            let t = format!(" {t}");
            let id = attribute(&t, "r:id")?;
            let target = targets.get(&id)?;
            let part = match target.strip_prefix('/') {
                Some(abs) => abs.to_string(),
                None => format!("xl/{target}"),
            };
            Some((attribute(&t, "name")?, part))
        })
        .collect()
}

/// Sets one cell of a sheet's XML; the cell must exist (bidui writes the
/// village's cells as formatted blanks), and keeps its style.
fn set_cell(xml: &mut String, reference: &str, value: &Cell) {
    let open = format!("<c r=\"{reference}\"");
    let start = xml
        .find(&(open.clone() + " "))
        .or_else(|| xml.find(&(open.clone() + "/")))
        .or_else(|| xml.find(&(open.clone() + ">")))
        .unwrap_or_else(|| panic!("no cell {reference} in the sheet"));
    let tag_end = xml[start..].find('>').unwrap() + start;
    let end = if xml[..tag_end].ends_with('/') {
        tag_end + 1
    } else {
        xml[start..].find("</c>").unwrap() + start + "</c>".len()
    };
    let style = attribute(&xml[start..tag_end], "s")
        .map(|s| format!(" s=\"{s}\""))
        .unwrap_or_default();
    let cell = match value {
        Cell::Text(t) => format!(
            "<c r=\"{reference}\"{style} t=\"inlineStr\"><is><t xml:space=\"preserve\">{}</t></is></c>",
            escape(t)
        ),
        Cell::Date(y, m, d) => {
            let date = bidui::identity::Date::from_ymd(*y, *m, *d).unwrap();
            let serial = date.days_since_epoch() + 25_569;
            format!("<c r=\"{reference}\"{style}><v>{serial}</v></c>")
        }
    };
    xml.replace_range(start..end, &cell);
}

/// Copies the workbook `src` to `dst` with `cells` (sheet, column header,
/// row, value) typed in.
pub fn fill(src: &Path, dst: &Path, layout: &Layout, cells: &[(String, &str, u32, Cell)]) {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(src).unwrap()).unwrap();
    let parts = sheet_parts(&mut zip);
    let mut edits: HashMap<String, Vec<(String, &Cell)>> = HashMap::new();
    for (sheet, header, row, value) in cells {
        let col = layout.columns[sheet][*header];
        edits
            .entry(parts[sheet].clone())
            .or_default()
            .push((reference(col, *row), value));
    }
    let mut out = zip::ZipWriter::new(std::fs::File::create(dst).unwrap());
    for i in 0..zip.len() {
        let file = zip.by_index(i).unwrap();
        let name = file.name().unwrap().to_string();
        match edits.get(&name) {
            None => out.raw_copy_file(file).unwrap(),
            Some(list) => {
                let mut xml = String::new();
                let mut file = file;
                file.read_to_string(&mut xml).unwrap();
                for (reference, value) in list {
                    set_cell(&mut xml, reference, value);
                }
                let options = zip::write::SimpleFileOptions::default()
                    .compression_method(zip::CompressionMethod::Deflated);
                out.start_file(name, options).unwrap();
                out.write_all(xml.as_bytes()).unwrap();
            }
        }
    }
    out.finish().unwrap();
}

#[test]
fn references_are_excel_column_letters() {
    for (col, row, want) in [
        (0, 1, "A1"),
        (7, 4, "H4"),
        (25, 9, "Z9"),
        (26, 2, "AA2"),
        (701, 3, "ZZ3"),
        (702, 3, "AAA3"),
    ] {
        assert_eq!(reference(col, row), want);
    }
}

#[test]
fn a_filled_cell_reads_back_and_the_rest_of_the_file_stays() {
    use rust_xlsxwriter::{Format, Workbook};
    let dir = tempfile::tempdir().unwrap();
    let src = dir.path().join("a.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Q01 身份证号无效").unwrap();
    let input = Format::new().set_background_color(0xFFF2CC);
    for (j, h) in ["案例编号", "说明", "核实结果", "核实日期", "校验"]
        .iter()
        .enumerate()
    {
        ws.write_string(1, j as u16, *h).unwrap();
    }
    ws.write_string(2, 0, "Q01-1").unwrap();
    ws.write_string(2, 1, "号码 <无效> & 待查").unwrap();
    ws.write_blank(2, 2, &input).unwrap();
    ws.write_blank(2, 3, &input).unwrap();
    ws.write_string(2, 4, "abcd").unwrap();
    wb.save(&src).unwrap();

    let layout = layout(&src);
    assert_eq!(layout.rows.len(), 1);
    let r = &layout.rows[0];
    assert_eq!((r.row, r.case_id.as_str()), (3, "Q01-1"));
    let dst = dir.path().join("b.xlsx");
    fill(
        &src,
        &dst,
        &layout,
        &[
            (
                r.sheet.clone(),
                "核实结果",
                3,
                Cell::Text("属实需更正 & <改>".into()),
            ),
            (r.sheet.clone(), "核实日期", 3, Cell::Date(2026, 7, 15)),
        ],
    );
    let mut wb = calamine::open_workbook_auto(&dst).unwrap();
    let range = wb.worksheet_range("Q01 身份证号无效").unwrap();
    assert_eq!(
        range.get_value((2, 2)),
        Some(&Data::String("属实需更正 & <改>".into()))
    );
    assert_eq!(
        range.get_value((2, 3)).map(|d| d.as_f64()),
        Some(Some(46218.0))
    );
    assert_eq!(
        range.get_value((2, 1)),
        Some(&Data::String("号码 <无效> & 待查".into()))
    );
    assert_eq!(range.get_value((2, 4)), Some(&Data::String("abcd".into())));
}
