//! "xls" files that are really HTML: one `<table>`, as web systems export.
//!
//! Takes a file's plan and the renderer and writes an HTML page in GBK
//! (declared in a `<meta>`), the title row spanning every column, a two-row
//! header with `rowspan`/`colspan`, one `<tr>` per record and the
//! signature line, all cells marked as text the way such exports do
//! (`mso-number-format:"\@"`) so that Excel keeps ID numbers intact.

use std::io::{self, Write};

use super::layout::FilePlan;
use super::render::{Cell, Grid, Renderer};

fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
}

/// The grid's rows, each merged range as one cell with its spans.
fn grid_rows(grid: &Grid, out: &mut String) {
    for (r, row) in grid.rows.iter().enumerate() {
        let r = r as u32;
        out.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let c = c as u16;
            let covering = grid.merges.iter().find(|m| {
                (m.first_row..=m.last_row).contains(&r) && (m.first_col..=m.last_col).contains(&c)
            });
            match covering {
                Some(m) if (m.first_row, m.first_col) != (r, c) => continue,
                Some(m) => {
                    out.push_str("<td");
                    if m.last_col > m.first_col {
                        out.push_str(&format!(" colspan=\"{}\"", m.last_col - m.first_col + 1));
                    }
                    if m.last_row > m.first_row {
                        out.push_str(&format!(" rowspan=\"{}\"", m.last_row - m.first_row + 1));
                    }
                    out.push('>');
                }
                None => out.push_str("<td>"),
            }
            escape(&cell.as_text(), out);
            out.push_str("</td>");
        }
        out.push_str("</tr>\r\n");
    }
}

pub fn write(f: &FilePlan, renderer: &Renderer, out: &mut dyn Write) -> io::Result<()> {
    let mut page = String::new();
    page.push_str("<html xmlns:o=\"urn:schemas-microsoft-com:office:office\" xmlns:x=\"urn:schemas-microsoft-com:office:excel\">\r\n<head>\r\n<meta http-equiv=\"Content-Type\" content=\"text/html; charset=GBK\">\r\n<style>td { mso-number-format:\"\\@\"; }</style>\r\n</head>\r\n<body>\r\n<table border=\"1\" cellspacing=\"0\">\r\n");
    let mut cells: Vec<Cell> = Vec::new();
    for sheet in &f.sheets {
        grid_rows(&renderer.top(f, sheet), &mut page);
        for pos in 0..sheet.records.len() {
            renderer.row(f, sheet, pos, &mut cells);
            page.push_str("<tr>");
            for cell in &cells {
                page.push_str("<td>");
                escape(&cell.as_text(), &mut page);
                page.push_str("</td>");
            }
            page.push_str("</tr>\r\n");
        }
        grid_rows(&renderer.bottom(f, sheet), &mut page);
    }
    page.push_str("</table>\r\n</body>\r\n</html>\r\n");
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(&page);
    if unmappable {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "有字符无法用GBK编码",
        ));
    }
    out.write_all(&bytes)
}
