//! GBK encoding for the exports written in it, by table.
//!
//! Takes UTF-8 text and gives its GBK bytes, or the first character GBK
//! cannot hold. The table (one entry per character of the Basic
//! Multilingual Plane) is built once from encoding_rs's GBK encoder, so the
//! bytes are exactly encoding_rs's; looking characters up in it is several
//! times faster than encoding_rs's general encoder, which matters for a
//! county of a million people.

use std::sync::OnceLock;

/// For each BMP code point: 0 (not in GBK), a single byte (< 0x100), or a
/// two-byte code (lead byte high).
fn table() -> &'static [u16] {
    static TABLE: OnceLock<Vec<u16>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = vec![0u16; 0x1_0000];
        let mut buf = [0u8; 8];
        for cp in 0x80u32..0x1_0000 {
            let Some(c) = char::from_u32(cp) else {
                continue;
            };
            let s = c.encode_utf8(&mut buf);
            let (bytes, _, unmappable) = encoding_rs::GBK.encode(s);
            if unmappable {
                continue;
            }
            t[cp as usize] = match *bytes {
                [b] => u16::from(b),
                [a, b] => u16::from(a) << 8 | u16::from(b),
                _ => 0,
            };
        }
        t
    })
}

/// Appends the GBK bytes of `text` to `out`; on a character GBK cannot
/// hold, gives it (and `out` holds the bytes before it).
pub fn encode(text: &str, out: &mut Vec<u8>) -> Result<(), char> {
    let t = table();
    out.reserve(text.len());
    for c in text.chars() {
        let cp = c as u32;
        if cp < 0x80 {
            out.push(cp as u8);
            continue;
        }
        match t.get(cp as usize).copied().unwrap_or(0) {
            0 => return Err(c),
            v if v < 0x100 => out.push(v as u8),
            v => {
                out.push((v >> 8) as u8);
                out.push(v as u8);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_bytes_as_encoding_rs() {
        let text = "GMSFHM,XM\r\n37132619800101019X,張麗華，阿依古丽·买买提 ３７１ €．’“”";
        let mut ours = Vec::new();
        encode(text, &mut ours).unwrap();
        let (theirs, _, unmappable) = encoding_rs::GBK.encode(text);
        assert!(!unmappable);
        assert_eq!(ours, theirs.into_owned());
        assert_eq!(encode("a•b", &mut Vec::new()), Err('•'));
        assert_eq!(encode("😀", &mut Vec::new()), Err('😀'));
    }
}
