//! The text of a cleaned number, kept inline: a county has a million of
//! them, and nearly all fit in 18 bytes, so they need no allocation.

use std::fmt;
use std::ops::Deref;

#[derive(Clone, PartialEq, Eq, Hash)]
pub(super) enum IdText {
    Inline { len: u8, bytes: [u8; 18] },
    Heap(String),
}

impl IdText {
    pub(super) fn new(s: &str) -> IdText {
        if s.len() <= 18 {
            let mut bytes = [0u8; 18];
            bytes[..s.len()].copy_from_slice(s.as_bytes());
            IdText::Inline {
                len: s.len() as u8,
                bytes,
            }
        } else {
            IdText::Heap(s.to_string())
        }
    }
}

impl From<String> for IdText {
    fn from(s: String) -> IdText {
        if s.len() <= 18 {
            IdText::new(&s)
        } else {
            IdText::Heap(s)
        }
    }
}

impl Deref for IdText {
    type Target = str;

    fn deref(&self) -> &str {
        match self {
            // Only ever built from a whole &str, so the bytes are UTF-8.
            IdText::Inline { len, bytes } => {
                std::str::from_utf8(&bytes[..*len as usize]).unwrap_or_default()
            }
            IdText::Heap(s) => s,
        }
    }
}

impl fmt::Debug for IdText {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
