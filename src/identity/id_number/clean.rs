//! Cleaning: from the text of an ID cell to the characters of the number.
//!
//! Takes what an export put in the cell and gives the bare characters
//! (digits, upper-case letters, anything else kept so it can be reported),
//! with the wrappers and look-alikes that spreadsheets and input methods add
//! taken away. It also recognises a cell that Excel turned into a float,
//! which must never be "repaired" by formatting it back into digits.

use super::text::IdText;

/// What the cell held once the wrappers were taken off.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Cleaned {
    /// Nothing, or one of the usual "empty" markers.
    Empty,
    /// The number went through a float: `3.70404199001011E+17` or
    /// `370404199001011000.0`. The text is what the cell showed.
    Float(String),
    /// The characters of the number (upper-case, half-width), and whether the
    /// cell said it was temporary (`临时`).
    Text { chars: IdText, temporary: bool },
}

pub(super) fn clean(raw: &str) -> Cleaned {
    // Most cells are already a bare number: copy them without the rules.
    let b = raw.as_bytes();
    if (b.len() == 18 || b.len() == 15)
        && b[..b.len() - 1].iter().all(u8::is_ascii_digit)
        && (b[b.len() - 1].is_ascii_digit() || b[b.len() - 1] == b'X')
    {
        return Cleaned::Text {
            chars: IdText::new(raw),
            temporary: false,
        };
    }
    let mut s = raw.trim_matches(is_removable);
    // ="370404..." is how a CSV writer forces Excel to keep text.
    if let Some(inner) = s.strip_prefix("=\"").and_then(|r| r.strip_suffix('"')) {
        s = inner.trim_matches(is_removable);
    }
    s = s.trim_start_matches(['\'', '‘', '’', '`']);
    s = s.trim_matches('"').trim_matches(is_removable);
    if crate::identity::date::is_blank_marker(s) || s == "0" {
        return Cleaned::Empty;
    }
    if looks_like_float(s) {
        return Cleaned::Float(s.to_string());
    }
    let temporary = s.contains("临时");
    let mut chars = String::with_capacity(18);
    for c in s.chars() {
        match c {
            '0'..='9' | 'A'..='Z' => chars.push(c),
            'a'..='z' => chars.push(c.to_ascii_uppercase()),
            '０'..='９' => chars.push(shift(c, '０', '0')),
            'Ａ'..='Ｚ' => chars.push(shift(c, 'Ａ', 'A')),
            'ａ'..='ｚ' => chars.push(shift(c, 'ａ', 'A')),
            // Look-alikes of X that input methods produce: the multiplication
            // sign, Roman numeral ten, Greek chi and Cyrillic ha.
            '×' | 'Ⅹ' | 'ⅹ' | 'Χ' | 'χ' | 'Х' | 'х' => chars.push('X'),
            c if is_removable(c) => {}
            '临' | '时' if temporary => {}
            other => chars.push(other),
        }
    }
    if chars.is_empty() && !temporary {
        return Cleaned::Empty;
    }
    Cleaned::Text {
        chars: IdText::from(chars),
        temporary,
    }
}

fn shift(c: char, from: char, to: char) -> char {
    char::from_u32(c as u32 - from as u32 + to as u32).unwrap_or(c)
}

/// White space of every kind, and the invisible characters copy-paste brings.
fn is_removable(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'
        )
}

/// `3.70404199001011E+17`, `3.70404E17`, `370404199001011000.0`: the shapes a
/// number takes once Excel stored it as a float.
fn looks_like_float(s: &str) -> bool {
    let (mantissa, exponent) = match s.find(['E', 'e']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    if let Some(exp) = exponent {
        let exp = exp.strip_prefix('+').unwrap_or(exp);
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        let mantissa_ok = match mantissa.split_once('.') {
            Some((i, f)) => digits(i) && (f.is_empty() || digits(f)),
            None => digits(mantissa),
        };
        return mantissa_ok && digits(exp);
    }
    // A long integer with a decimal tail only comes from a numeric cell.
    match mantissa.split_once('.') {
        Some((i, f)) => {
            i.len() >= 15
                && i.bytes().all(|b| b.is_ascii_digit())
                && !f.is_empty()
                && f.bytes().all(|b| b == b'0')
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(s: &str) -> Cleaned {
        Cleaned::Text {
            chars: IdText::new(s),
            temporary: false,
        }
    }

    #[test]
    fn wrappers_and_lookalikes_come_off() {
        let n = "37040419900101123X";
        let cases: &[(&str, Cleaned)] = &[
            (n, text(n)),
            ("37040419900101123x", text(n)),
            ("３７０４０４１９９００１０１１２３Ｘ", text(n)),
            ("３７０４０４１９９００１０１１２３ｘ", text(n)),
            ("370404 19900101 123X", text(n)),
            ("370404\t19900101\t123X", text(n)),
            ("370404\u{a0}19900101123X", text(n)),
            ("370404\u{3000}19900101123X", text(n)),
            ("\u{feff}37040419900101123X", text(n)),
            ("  37040419900101123X  ", text(n)),
            ("'37040419900101123X", text(n)),
            ("‘37040419900101123X", text(n)),
            ("=\"37040419900101123X\"", text(n)),
            ("\"37040419900101123X\"", text(n)),
            ("37040419900101123×", text(n)),
            ("37040419900101123Ⅹ", text(n)),
            ("37040419900101123Χ", text(n)),
            ("37040419900101123х", text(n)),
            ("37040419900101\u{200b}123X", text(n)),
            ("370404900101123", text("370404900101123")),
            ("37040419900101-123X", text("37040419900101-123X")),
        ];
        for (raw, want) in cases {
            assert_eq!(&clean(raw), want, "{raw:?}");
        }
    }

    #[test]
    fn empty_markers_and_temporary_numbers() {
        for raw in ["", "   ", "无", "-", "/", "0", "'", "=\"\""] {
            assert_eq!(clean(raw), Cleaned::Empty, "{raw:?}");
        }
        assert_eq!(
            clean("临时123456"),
            Cleaned::Text {
                chars: IdText::new("123456"),
                temporary: true
            }
        );
    }

    #[test]
    fn float_shapes_are_recognised() {
        for raw in [
            "3.70404199001011E+17",
            "3.70404199001011e+17",
            "3.70404E17",
            "3.70404199001011E+014",
            "370404199001011000.0",
            "370404900101123.00",
            "4E17",
        ] {
            assert_eq!(clean(raw), Cleaned::Float(raw.to_string()), "{raw}");
        }
        for raw in ["37040419900101123E", "E17", "3.7.1E+17", "1234.0"] {
            assert!(!matches!(clean(raw), Cleaned::Float(_)), "{raw}");
        }
    }
}
