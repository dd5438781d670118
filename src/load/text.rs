//! Delimited text: decoding the bytes and splitting the lines.
//!
//! Takes the bytes of a CSV/TSV export and gives one [`Sheet`] of rows,
//! with the encoding it was read in and how many bytes could not be
//! decoded. Decoding is strict: UTF-8 (with or without BOM) when the bytes
//! are UTF-8, UTF-16 when a BOM says so, otherwise GB18030 (a superset of
//! GBK and GB2312); undecodable bytes are counted and reported by line,
//! never silently replaced.

use std::borrow::Cow;

use encoding_rs::{Encoding, GB18030, UTF_8, UTF_16BE, UTF_16LE};

use super::grid::{Row, Sheet};

/// Text decoded from a file's bytes.
#[derive(Debug)]
pub struct Decoded<'a> {
    pub text: Cow<'a, str>,
    /// How the statistician would name the encoding.
    pub encoding: &'static str,
    /// Byte sequences that are not text in that encoding.
    pub undecodable: usize,
    /// The first line (1-based) holding one.
    pub first_undecodable_line: Option<u64>,
}

/// Looks an encoding up by a label such as `gbk`, `utf-8`, `big5`.
pub fn encoding_for_label(label: &str) -> Option<&'static Encoding> {
    let l = label.trim().to_ascii_lowercase();
    match l.as_str() {
        "gbk" | "gb2312" | "cp936" | "gb18030" => Some(GB18030),
        "utf8" => Some(UTF_8),
        _ => Encoding::for_label(l.as_bytes()),
    }
}

pub fn decode<'a>(bytes: &'a [u8], forced: Option<&'static Encoding>) -> Decoded<'a> {
    let (encoding, body): (&'static Encoding, &[u8]) = match forced {
        Some(enc) => (enc, strip_bom(bytes, enc)),
        None => {
            if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
                (UTF_8, rest)
            } else if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
                (UTF_16LE, rest)
            } else if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
                (UTF_16BE, rest)
            } else if mostly_utf8(bytes) {
                (UTF_8, bytes)
            } else {
                (GB18030, bytes)
            }
        }
    };
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let (undecodable, first_undecodable_line) = if had_errors {
        let count = text.matches('\u{fffd}').count();
        let line = text
            .find('\u{fffd}')
            .map(|at| text[..at].matches('\n').count() as u64 + 1);
        (count, line)
    } else {
        (0, None)
    };
    let label = match encoding.name() {
        "UTF-8" if bytes.starts_with(b"\xEF\xBB\xBF") => "UTF-8（带 BOM）",
        "UTF-8" => "UTF-8",
        "gb18030" | "GBK" => "GBK（GB18030）",
        "UTF-16LE" => "UTF-16LE",
        "UTF-16BE" => "UTF-16BE",
        "Big5" => "Big5",
        other => other,
    };
    Decoded {
        text,
        encoding: label,
        undecodable,
        first_undecodable_line,
    }
}

fn strip_bom<'a>(bytes: &'a [u8], enc: &'static Encoding) -> &'a [u8] {
    let bom: &[u8] = match enc.name() {
        "UTF-8" => b"\xEF\xBB\xBF",
        "UTF-16LE" => b"\xFF\xFE",
        "UTF-16BE" => b"\xFE\xFF",
        _ => b"",
    };
    bytes.strip_prefix(bom).unwrap_or(bytes)
}

/// UTF-8 with at most a stray bad byte here and there (a file edited by two
/// programs) is still UTF-8; GBK text is almost never valid UTF-8.
fn mostly_utf8(bytes: &[u8]) -> bool {
    if std::str::from_utf8(bytes).is_ok() {
        return true;
    }
    let mut multibyte = 0usize;
    let mut invalid = 0usize;
    for chunk in bytes.utf8_chunks() {
        // Enough evidence either way long before the end of a large file.
        if multibyte + invalid * 20 > 200_000 {
            break;
        }
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        if !chunk.invalid().is_empty() {
            invalid += 1;
        }
    }
    invalid == 0 || invalid * 20 < multibyte
}

/// The delimiter that splits the first lines most consistently.
pub fn detect_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let mut best = (b',', 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let mut counts: Vec<usize> = lines
            .iter()
            .map(|l| l.bytes().filter(|&b| b == d).count())
            .collect();
        counts.sort_unstable();
        // The count most lines share: title lines above the header have none.
        let typical = counts.get(counts.len() * 2 / 3).copied().unwrap_or(0);
        if typical > best.1 {
            best = (d, typical);
        }
    }
    best.0
}

pub fn delimiter_name(d: u8) -> &'static str {
    match d {
        b',' => "逗号",
        b'\t' => "制表符",
        b';' => "分号",
        b'|' => "竖线",
        _ => "其他",
    }
}

/// Splits delimited text into rows numbered by the line each starts on.
pub fn read_rows(text: &str, delimiter: u8) -> Result<Sheet, csv::Error> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    // Lines are counted here rather than taken from the csv crate, whose
    // count drifts on CRLF line ends (the norm in Windows exports).
    let bytes = text.as_bytes();
    let (mut line, mut counted_to) = (1u64, 0usize);
    for record in reader.records() {
        let record = record?;
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > counted_to {
            line += bytes[counted_to..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64;
            counted_to = start;
        }
        rows.push(Row::new(line, record));
    }
    Ok(Sheet { name: None, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodings_are_told_from_the_bytes() {
        let gbk = GB18030.encode("身份证号,姓名\n370404199001011230,張麗\n").0;
        let cases: Vec<(Vec<u8>, &str, usize)> = vec![
            ("身份证号,姓名\n".as_bytes().to_vec(), "UTF-8", 0),
            (
                b"\xEF\xBB\xBF\xE5\xA7\x93\xE5\x90\x8D\n".to_vec(),
                "UTF-8（带 BOM）",
                0,
            ),
            (gbk.to_vec(), "GBK（GB18030）", 0),
            (
                [
                    &b"\xFF\xFE"[..],
                    &"姓名\n"
                        .encode_utf16()
                        .flat_map(u16::to_le_bytes)
                        .collect::<Vec<u8>>(),
                ]
                .concat(),
                "UTF-16LE",
                0,
            ),
            (b"ID,name\n1,abc\n".to_vec(), "UTF-8", 0),
        ];
        for (bytes, label, bad) in cases {
            let d = decode(&bytes, None);
            assert_eq!(d.encoding, label, "{:?}", d.text);
            assert_eq!(d.undecodable, bad);
        }
        let d = decode(&gbk, None);
        assert!(d.text.contains("張麗"), "{}", d.text);
    }

    #[test]
    fn undecodable_bytes_are_counted_with_their_line() {
        // GBK text with a truncated double-byte character on line 2.
        let mut bytes = GB18030.encode("姓名\n张").0.to_vec();
        bytes.push(0xD5);
        let d = decode(&bytes, None);
        assert_eq!(d.encoding, "GBK（GB18030）");
        assert_eq!(d.undecodable, 1);
        assert_eq!(d.first_undecodable_line, Some(2));
        // Forced UTF-8 on GBK bytes: every pair is undecodable.
        let gbk = GB18030.encode("张三\n").0;
        let d = decode(&gbk, Some(UTF_8));
        assert!(d.undecodable >= 2, "{d:?}");
    }

    #[test]
    fn labels() {
        for (label, name) in [
            ("gbk", "gb18030"),
            ("GB2312", "gb18030"),
            ("utf-8", "UTF-8"),
            ("big5", "Big5"),
        ] {
            assert_eq!(
                encoding_for_label(label).map(|e| e.name()),
                Some(name),
                "{label}"
            );
        }
        assert!(encoding_for_label("klingon").is_none());
    }

    #[test]
    fn delimiters_and_line_numbers() {
        let text = "某某乡全员人口个案信息表\n单位：人\n身份证号\t姓名\t性别\n370404199001011230\t张三\t男\n\"多行\n备注\"\t李四\t女\n";
        assert_eq!(detect_delimiter(text), b'\t');
        let sheet = read_rows(text, b'\t').unwrap();
        let lines: Vec<u64> = sheet.rows.iter().map(|r| r.number).collect();
        assert_eq!(lines, [1, 2, 3, 4, 5]);
        assert_eq!(sheet.rows[3].cell(1), "张三");
        assert_eq!(detect_delimiter("a,b,c\n1,2,3\n"), b',');
        let crlf = read_rows("a,b\r\n1,2\r\n\r\n\"x\r\ny\",4\r\n5,6", b',').unwrap();
        let lines: Vec<u64> = crlf.rows.iter().map(|r| r.number).collect();
        assert_eq!(lines, [1, 2, 4, 6]);
        assert_eq!(detect_delimiter("a;b;c\n1;2;3\n"), b';');
    }
}
