//! Telling a file's format from its first bytes, never from its name.
//!
//! Takes the bytes of a file and gives its [`Format`]: BIFF (`D0 CF 11 E0`,
//! unless the compound file is an encrypted xlsx), xlsx (`PK`), an HTML
//! table or SpreadsheetML 2003 XML (after an optional BOM and white space),
//! delimited text, or a description of what else it looks like.

use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// Excel 97–2003 binary workbook.
    Xls,
    /// Office Open XML workbook (also when named .xls).
    Xlsx,
    /// An HTML table, as web systems export under .xls.
    Html,
    /// SpreadsheetML 2003 XML, also exported under .xls.
    SpreadsheetMl,
    /// CSV, TSV or other delimited text.
    Text,
}

impl Format {
    pub fn label(self) -> &'static str {
        match self {
            Format::Xls => "Excel 97-2003 工作簿（BIFF .xls）",
            Format::Xlsx => "Excel 工作簿（.xlsx）",
            Format::Html => "网页表格（HTML，常以 .xls 为名导出）",
            Format::SpreadsheetMl => "Excel 2003 XML 表格（SpreadsheetML）",
            Format::Text => "文本表格（CSV/TSV）",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What the bytes are.
#[derive(Debug, PartialEq, Eq)]
pub enum Sniffed {
    Table(Format),
    /// An Office file protected with a password (an encrypted xlsx is a
    /// compound file holding an `EncryptedPackage` stream).
    Encrypted,
    Empty,
    /// Something else; says what it looks like.
    Other(&'static str),
}

pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.is_empty() {
        return Sniffed::Empty;
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        return if contains_utf16(bytes, "EncryptedPackage") {
            Sniffed::Encrypted
        } else {
            Sniffed::Table(Format::Xls)
        };
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return Sniffed::Table(Format::Xlsx);
    }
    for (magic, what) in MAGIC {
        if bytes.starts_with(magic) {
            return Sniffed::Other(what);
        }
    }
    if bytes.starts_with(b"PK") {
        return Sniffed::Other("压缩包（ZIP）");
    }
    let head = skip_bom_and_space(&bytes[..bytes.len().min(4096)]);
    let lower: Vec<u8> = head.iter().take(512).map(u8::to_ascii_lowercase).collect();
    if lower.starts_with(b"<?xml") || lower.starts_with(b"<workbook") {
        let window = String::from_utf8_lossy(&lower);
        if window.contains("urn:schemas-microsoft-com:office:spreadsheet")
            || window.contains("<workbook")
            || window.contains("progid=\"excel.sheet\"")
        {
            return Sniffed::Table(Format::SpreadsheetMl);
        }
        if window.contains("<html") {
            return Sniffed::Table(Format::Html);
        }
        return Sniffed::Other("XML 文件，但不是 Excel 表格");
    }
    if lower.starts_with(b"<html")
        || lower.starts_with(b"<!doctype html")
        || lower.starts_with(b"<table")
        || lower.starts_with(b"<meta")
        || lower.starts_with(b"<head")
        || lower.starts_with(b"<body")
        || lower.starts_with(b"<!--")
    {
        return Sniffed::Table(Format::Html);
    }
    if looks_binary(&bytes[..bytes.len().min(8192)]) {
        return Sniffed::Other("二进制数据，不是表格");
    }
    Sniffed::Table(Format::Text)
}

const MAGIC: &[(&[u8], &str)] = &[
    (b"%PDF", "PDF 文档"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xFF\xD8\xFF", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xBC\xAF", "7z 压缩包"),
    (b"\x1F\x8B", "gzip 压缩文件"),
    (b"SQLite format 3", "SQLite 数据库"),
    (b"{\\rtf", "RTF 文档"),
];

fn skip_bom_and_space(mut b: &[u8]) -> &[u8] {
    for bom in [&b"\xEF\xBB\xBF"[..], b"\xFF\xFE", b"\xFE\xFF"] {
        if let Some(rest) = b.strip_prefix(bom) {
            b = rest;
            break;
        }
    }
    let start = b
        .iter()
        .position(|c| !c.is_ascii_whitespace() && *c != 0)
        .unwrap_or(b.len());
    &b[start..]
}

/// NUL bytes or many control characters: not text in any encoding we read
/// (UTF-16 text, which has NULs, is recognised by its BOM).
fn looks_binary(b: &[u8]) -> bool {
    if b.starts_with(b"\xFF\xFE") || b.starts_with(b"\xFE\xFF") {
        return false;
    }
    let controls = b
        .iter()
        .filter(|&&c| c < 0x20 && !matches!(c, b'\t' | b'\n' | b'\r' | 0x0C | 0x1A))
        .count();
    b.contains(&0) || controls * 20 > b.len()
}

fn contains_utf16(haystack: &[u8], needle: &str) -> bool {
    let pattern: Vec<u8> = needle.encode_utf16().flat_map(u16::to_le_bytes).collect();
    haystack
        .windows(pattern.len())
        .any(|w| w == pattern.as_slice())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_from_bytes() {
        let cases: &[(&[u8], Sniffed)] = &[
            (b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest", Sniffed::Table(Format::Xls)),
            (b"PK\x03\x04rest", Sniffed::Table(Format::Xlsx)),
            (b"<html><table>", Sniffed::Table(Format::Html)),
            (b"\xEF\xBB\xBF  \r\n<HTML xmlns:x=", Sniffed::Table(Format::Html)),
            (b"<table border=1><tr>", Sniffed::Table(Format::Html)),
            (
                b"<?xml version=\"1.0\"?>\n<?mso-application progid=\"Excel.Sheet\"?>\n<Workbook xmlns=\"urn:schemas-microsoft-com:office:spreadsheet\">",
                Sniffed::Table(Format::SpreadsheetMl),
            ),
            (b"<?xml version=\"1.0\"?><rss>", Sniffed::Other("XML 文件，但不是 Excel 表格")),
            ("身份证号,姓名\n".as_bytes(), Sniffed::Table(Format::Text)),
            (b"\xC9\xED\xB7\xDD\xD6\xA4\xBA\xC5,\xD0\xD5\xC3\xFB\n", Sniffed::Table(Format::Text)),
            (b"\xFF\xFE\x6B\x8F\x00\x00", Sniffed::Table(Format::Text)),
            (b"%PDF-1.7", Sniffed::Other("PDF 文档")),
            (b"\x00\x01\x02\x03\x04\x05garbage", Sniffed::Other("二进制数据，不是表格")),
            (b"", Sniffed::Empty),
        ];
        for (bytes, want) in cases {
            assert_eq!(&sniff(bytes), want, "{:?}", String::from_utf8_lossy(bytes));
        }
    }

    #[test]
    fn an_encrypted_xlsx_is_told_apart_from_xls() {
        let mut bytes = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1".to_vec();
        bytes.extend(vec![0u8; 100]);
        bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(sniff(&bytes), Sniffed::Encrypted);
    }
}
