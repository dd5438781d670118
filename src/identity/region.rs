//! Region codes (GB/T 2260) of the first six digits of an ID number.
//!
//! Takes a six-digit code and gives the province, city and county it names
//! and whether it has since been abolished. The table (`gb2260.tsv`, one row
//! per code: code, name, first and last revision it appears in) unites every
//! revision we could source, because an ID number keeps the code of the
//! county where the person was first registered, however long ago: a code
//! abolished in 1995 is still a real person's code. Provenance is in
//! docs/design.md.

use std::sync::OnceLock;

use serde::Serialize;

const TABLE: &str = include_str!("gb2260.tsv");

#[derive(Clone, Copy, Debug)]
struct Entry {
    code: u32,
    name: &'static str,
    last_revision: u32,
}

struct Table {
    entries: Vec<Entry>,
    /// One bit per six-digit code: the question every ID number asks.
    known: Vec<u64>,
    latest_revision: u32,
}

fn table() -> &'static Table {
    static TABLE_CELL: OnceLock<Table> = OnceLock::new();
    TABLE_CELL.get_or_init(|| {
        let mut entries: Vec<Entry> = TABLE
            .lines()
            .filter(|l| !l.is_empty() && !l.starts_with('#'))
            .filter_map(|line| {
                let mut cols = line.split('\t');
                let code = cols.next()?.parse().ok()?;
                let name = cols.next()?;
                let _first = cols.next()?;
                let last_revision = cols.next()?.parse().ok()?;
                Some(Entry {
                    code,
                    name,
                    last_revision,
                })
            })
            .collect();
        entries.sort_by_key(|e| e.code);
        let latest_revision = entries.iter().map(|e| e.last_revision).max().unwrap_or(0);
        let mut known = vec![0u64; 1_000_000 / 64 + 1];
        for e in &entries {
            known[e.code as usize / 64] |= 1 << (e.code % 64);
        }
        Table {
            entries,
            known,
            latest_revision,
        }
    })
}

fn entry(code: u32) -> Option<Entry> {
    let t = table();
    t.entries
        .binary_search_by_key(&code, |e| e.code)
        .ok()
        .map(|i| t.entries[i])
}

/// The newest revision (YYYYMM) the table knows; codes missing from it count
/// as abolished.
pub fn latest_revision() -> u32 {
    table().latest_revision
}

/// A region code found in some revision of GB/T 2260.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Region {
    pub code: String,
    pub province: &'static str,
    /// The prefecture-level name, where the code is below a province.
    pub city: Option<&'static str>,
    /// The county-level name, where the code is a county.
    pub county: Option<&'static str>,
    /// Not in the newest revision: the county was merged or renamed since.
    pub abolished: bool,
    /// The last revision (YYYYMM) the code appears in.
    pub last_revision: u32,
}

impl Region {
    /// `山东省 枣庄市 峄城区`, the way a statistician reads it.
    pub fn full_name(&self) -> String {
        let mut parts = vec![self.province];
        parts.extend(self.city);
        parts.extend(self.county);
        parts.join(" ")
    }
}

/// Whether the six digits are a code of some revision.
pub fn is_known(code: &str) -> bool {
    code_number(code).is_some_and(|n| table().known[n as usize / 64] & (1 << (n % 64)) != 0)
}

/// Looks a six-digit code up in every revision.
pub fn lookup(code: &str) -> Option<Region> {
    let n = code_number(code)?;
    let own = entry(n)?;
    let province = entry(n / 10_000 * 10_000)?.name;
    let is_province = n % 10_000 == 0;
    let is_city = !is_province && n % 100 == 0;
    let city = if is_province {
        None
    } else if is_city {
        Some(own.name)
    } else {
        // Province-run counties (e.g. 省直辖县级行政区划) have no city entry.
        entry(n / 100 * 100).map(|e| e.name)
    };
    let county = (!is_province && !is_city).then_some(own.name);
    Some(Region {
        code: code.to_string(),
        province,
        city,
        county,
        abolished: own.last_revision < latest_revision(),
        last_revision: own.last_revision,
    })
}

fn code_number(code: &str) -> Option<u32> {
    if code.len() != 6 {
        return None;
    }
    code.bytes().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_in_current_and_historic_revisions() {
        // (code, full name, abolished)
        let cases: &[(&str, &str, bool)] = &[
            ("110000", "北京市", false),
            ("110101", "北京市 市辖区 东城区", false),
            ("110103", "北京市 市辖区 崇文区", true),
            ("110104", "北京市 市辖区 宣武区", true),
            ("370404", "山东省 枣庄市 峄城区", false),
            ("370400", "山东省 枣庄市", false),
            ("440301", "广东省 深圳市 市辖区", false),
            ("429004", "湖北省 省直辖县级行政区划 仙桃市", false),
        ];
        for (code, name, abolished) in cases {
            let r = lookup(code).unwrap_or_else(|| panic!("{code} unknown"));
            assert_eq!(r.full_name(), *name, "{code}");
            assert_eq!(r.abolished, *abolished, "{code}");
        }
    }

    #[test]
    fn codes_never_issued_are_unknown() {
        for code in [
            "000000", "999999", "110199", "370499", "12345", "1101011", "11a101", "",
        ] {
            assert!(lookup(code).is_none(), "{code}");
            assert!(!is_known(code), "{code}");
        }
    }
}
