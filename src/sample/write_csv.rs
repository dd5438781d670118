//! CSV exports: GBK without a BOM, as older systems write them, or UTF-8
//! with a BOM.
//!
//! Takes a file's plan and the renderer and writes the header line(s) and
//! one line per record, CRLF-terminated, fields quoted only when they must
//! be. GBK text is encoded in large chunks; a character GBK cannot hold is
//! an error, never a silent `?` (the county's names are all in GBK).

use std::io::{self, Write};

use super::layout::{FileFormat, FilePlan};
use super::render::{Cell, Renderer};

const CHUNK: usize = 1 << 20;

fn push_field(line: &mut String, text: &str) {
    if text.contains([',', '"', '\r', '\n']) {
        line.push('"');
        line.push_str(&text.replace('"', "\"\""));
        line.push('"');
    } else {
        line.push_str(text);
    }
}

fn push_line(chunk: &mut String, cells: &[Cell]) {
    for (i, cell) in cells.iter().enumerate() {
        if i > 0 {
            chunk.push(',');
        }
        match cell {
            Cell::Text(s) => push_field(chunk, s),
            Cell::Empty => {}
            other => push_field(chunk, &other.as_text()),
        }
    }
    chunk.push_str("\r\n");
}

fn flush(chunk: &mut String, gbk: bool, out: &mut dyn Write) -> io::Result<()> {
    if gbk {
        let (bytes, _, unmappable) = encoding_rs::GBK.encode(chunk);
        if unmappable {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "有字符无法用GBK编码",
            ));
        }
        out.write_all(&bytes)?;
    } else {
        out.write_all(chunk.as_bytes())?;
    }
    chunk.clear();
    Ok(())
}

pub fn write(f: &FilePlan, renderer: &Renderer, out: &mut dyn Write) -> io::Result<()> {
    let gbk = f.format == FileFormat::CsvGbk;
    if !gbk {
        out.write_all("\u{feff}".as_bytes())?;
    }
    let mut chunk = String::with_capacity(CHUNK + 4096);
    let mut cells = Vec::new();
    for sheet in &f.sheets {
        for row in renderer.top(f, sheet).rows {
            push_line(&mut chunk, &row);
        }
        for pos in 0..sheet.records.len() {
            renderer.row(f, sheet, pos, &mut cells);
            push_line(&mut chunk, &cells);
            if chunk.len() >= CHUNK {
                flush(&mut chunk, gbk, out)?;
            }
        }
    }
    flush(&mut chunk, gbk, out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_they_must_be() {
        let mut s = String::new();
        push_line(
            &mut s,
            &[
                Cell::Text("张丽".into()),
                Cell::Empty,
                Cell::Text("a,b".into()),
                Cell::Text("say \"hi\"".into()),
                Cell::Number(3.0),
            ],
        );
        assert_eq!(s, "张丽,,\"a,b\",\"say \"\"hi\"\"\",3\r\n");
    }
}
