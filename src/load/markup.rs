//! The ".xls" files that are really markup: HTML tables and SpreadsheetML
//! 2003 XML, as web systems export them.
//!
//! Takes the decoded text and gives sheets of rows, with merged cells
//! (`colspan`/`rowspan`, `ss:MergeAcross`/`ss:Index`) laid out as a
//! spreadsheet shows them: the text in the first cell, the others empty.

use quick_xml::events::{BytesStart, Event};
use scraper::{ElementRef, Html, Selector};

use super::grid::{Row, RowBuilder, Sheet};
use super::workbook::{Value, assemble};

/// The charset an HTML or XML file declares for itself, if any.
pub fn declared_charset(bytes: &[u8]) -> Option<String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(2048)]).to_ascii_lowercase();
    for key in ["charset=", "encoding="] {
        if let Some(at) = head.find(key) {
            let rest = head[at + key.len()..].trim_start_matches(['"', '\'', ' ']);
            let label: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                .collect();
            if !label.is_empty() {
                return Some(label);
            }
        }
    }
    None
}

/// Every table of an HTML document, one after another, as one sheet.
pub fn read_html(text: &str) -> Sheet {
    let doc = Html::parse_document(text);
    let tables = Selector::parse("table").expect("a valid selector");
    let rows_sel = Selector::parse("tr").expect("a valid selector");
    let mut rows: Vec<Row> = Vec::new();
    for table in doc.select(&tables) {
        // A table inside another one is read as part of its parent's cell.
        if table
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| a.value().name() == "table")
        {
            continue;
        }
        // (column, rows still covered) of cells spanning down from above.
        let mut pending: Vec<(usize, usize, String)> = Vec::new();
        for tr in table.select(&rows_sel) {
            let mut builder = RowBuilder::default();
            let mut col = 0usize;
            let cells = tr
                .children()
                .filter_map(ElementRef::wrap)
                .filter(|e| matches!(e.value().name(), "td" | "th"));
            let fill_pending =
                |builder: &mut RowBuilder,
                 col: &mut usize,
                 pending: &mut Vec<(usize, usize, String)>| {
                    while let Some(p) = pending.iter_mut().find(|p| p.0 == *col && p.1 > 0) {
                        p.1 -= 1;
                        builder.text("");
                        *col += 1;
                    }
                };
            for cell in cells {
                fill_pending(&mut builder, &mut col, &mut pending);
                let text: String = cell.text().collect::<String>();
                let text = text.trim();
                let span = |name: &str| {
                    cell.value()
                        .attr(name)
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(1)
                        .clamp(1, 1000)
                };
                let (colspan, rowspan) = (span("colspan"), span("rowspan"));
                builder.text(text);
                for k in 0..colspan {
                    if k > 0 {
                        builder.text("");
                    }
                    if rowspan > 1 {
                        pending.retain(|p| p.0 != col + k);
                        pending.push((col + k, rowspan - 1, String::new()));
                    }
                }
                col += colspan;
            }
            fill_pending(&mut builder, &mut col, &mut pending);
            let number = rows.len() as u64 + 1;
            rows.push(builder.finish(number));
        }
    }
    Sheet { name: None, rows }
}

/// The worksheets of a SpreadsheetML 2003 document.
pub fn read_spreadsheet_ml(text: &str) -> Result<Vec<Sheet>, quick_xml::Error> {
    let mut reader = quick_xml::Reader::from_str(text);
    let mut sheets = Vec::new();
    let mut name: Option<String> = None;
    let mut cells: Vec<(u32, u32, Value)> = Vec::new();
    let (mut row, mut col) = (0u32, 0u32);
    let mut in_data = false;
    let mut number = false;
    let mut merge_across = 0u32;
    let mut value = String::new();
    loop {
        match reader.read_event()? {
            Event::Start(e) | Event::Empty(e) if is(&e, "Worksheet") => {
                name = attr(&e, "Name");
                cells.clear();
                row = 0;
            }
            Event::Start(e) if is(&e, "Row") => {
                row = attr(&e, "Index")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(row + 1);
                col = 0;
            }
            Event::Empty(e) if is(&e, "Row") => {
                row = attr(&e, "Index")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(row + 1);
            }
            Event::Start(e) | Event::Empty(e) if is(&e, "Cell") => {
                col = attr(&e, "Index")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(col + 1);
                merge_across = attr(&e, "MergeAcross")
                    .and_then(|v| v.parse().ok())
                    .unwrap_or(0);
                value.clear();
                number = false;
            }
            Event::Start(e) if is(&e, "Data") => {
                in_data = true;
                number = attr(&e, "Type").as_deref() == Some("Number");
            }
            Event::Text(t) if in_data => value.push_str(&t.xml10_content()),
            Event::CData(t) if in_data => value.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if in_data => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    value.push(c);
                } else {
                    value.push_str(match r.xml10_content().as_ref() {
                        "amp" => "&",
                        "lt" => "<",
                        "gt" => ">",
                        "quot" => "\"",
                        "apos" => "'",
                        _ => "",
                    });
                }
            }
            Event::End(e) if e.local_name().as_ref() == "Data" => in_data = false,
            Event::End(e) if e.local_name().as_ref() == "Cell" => {
                if row > 0 && col > 0 {
                    let v = match (number, value.trim().parse::<f64>()) {
                        (true, Ok(n)) => Value::Number(n),
                        _ => Value::Text(std::mem::take(&mut value)),
                    };
                    cells.push((row - 1, col - 1, v));
                }
                col += merge_across;
            }
            Event::End(e) if e.local_name().as_ref() == "Worksheet" => {
                sheets.push(assemble(name.take(), std::mem::take(&mut cells)));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    Ok(sheets)
}

fn is(e: &BytesStart<'_>, name: &str) -> bool {
    e.local_name().as_ref() == name
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(sheet: &Sheet) -> Vec<Vec<String>> {
        sheet
            .rows
            .iter()
            .map(|r| r.cells.iter().map(str::to_string).collect())
            .collect()
    }

    #[test]
    fn html_tables_with_merged_cells() {
        let html = r#"<html><head><meta charset="gbk"></head><body><table>
            <tr><td colspan="4">某乡出生医学证明登记表</td></tr>
            <tr><th rowspan="2">编号</th><th colspan="2">母亲信息</th><th rowspan="2">出生日期</th></tr>
            <tr><th>姓名</th><th>身份证号</th></tr>
            <tr><td>X320101001</td><td>李&nbsp;梅</td><td>3.70404199001011E+17</td><td>2014-09-25</td></tr>
            </table></body></html>"#;
        let sheet = read_html(html);
        assert_eq!(
            texts(&sheet),
            vec![
                vec!["某乡出生医学证明登记表"],
                vec!["编号", "母亲信息", "", "出生日期"],
                vec!["", "姓名", "身份证号"],
                vec![
                    "X320101001",
                    "李\u{a0}梅",
                    "3.70404199001011E+17",
                    "2014-09-25"
                ],
            ]
        );
        assert_eq!(sheet.rows[3].number, 4);
        assert_eq!(declared_charset(html.as_bytes()).as_deref(), Some("gbk"));
    }

    #[test]
    fn spreadsheet_ml_with_indexes_and_numbers() {
        let xml = r#"<?xml version="1.0" encoding="UTF-8"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="一村"><Table>
  <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">标题 &amp; 说明</Data></Cell></Row>
  <Row ss:Index="3"><Cell><Data ss:Type="String">身份证号</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">姓名</Data></Cell></Row>
  <Row><Cell><Data ss:Type="Number">370404199001011230</Data></Cell><Cell ss:Index="3"><Data ss:Type="String">张三</Data></Cell></Row>
 </Table></Worksheet>
 <Worksheet ss:Name="二村"><Table><Row><Cell><Data ss:Type="DateTime">2014-09-25T00:00:00.000</Data></Cell></Row></Table></Worksheet>
</Workbook>"#;
        let sheets = read_spreadsheet_ml(xml).unwrap();
        assert_eq!(sheets.len(), 2);
        assert_eq!(sheets[0].name.as_deref(), Some("一村"));
        assert_eq!(
            texts(&sheets[0]),
            vec![
                vec!["标题 & 说明"],
                vec!["身份证号", "", "姓名"],
                vec!["3.70404199001011E+17", "", "张三"]
            ]
        );
        let numbers: Vec<u64> = sheets[0].rows.iter().map(|r| r.number).collect();
        assert_eq!(numbers, [1, 3, 4]);
        assert!(sheets[0].rows[2].is_numeric(0));
        assert_eq!(sheets[1].rows[0].cell(0), "2014-09-25T00:00:00.000");
    }
}
