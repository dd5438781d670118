//! Dates as the registers write them.
//!
//! Takes the text of a date cell — `2014-09-25`, `2014/9/25`, `20140925`,
//! `2014年9月25日`, `2014.09.25`, an Excel serial number (`41907`), or any of
//! those followed by a time — and gives a calendar [`Date`], nothing when the
//! cell is one of the usual "empty" markers, or a [`DateError`] that keeps the
//! raw text so a finding can show the village exactly what the file said.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use serde::{Serialize, Serializer};

/// A calendar date (proleptic Gregorian). Ordered, cheap to copy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    year: i32,
    month: u8,
    day: u8,
}

impl Date {
    /// The date, if it exists in the calendar.
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=12).contains(&month) || day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date {
            year,
            month: month as u8,
            day: day as u8,
        })
    }

    pub fn year(self) -> i32 {
        self.year
    }

    pub fn month(self) -> u32 {
        u32::from(self.month)
    }

    pub fn day(self) -> u32 {
        u32::from(self.day)
    }

    /// Today in China (UTC+8), where every register is kept: a run just after
    /// midnight Beijing time must not still see yesterday.
    pub fn today() -> Date {
        let secs = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0);
        Date::from_days_since_epoch((secs + 8 * 3600).div_euclid(86_400))
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u8;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u8;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Age in completed years on `on` (a person born on 29 February comes of
    /// age on 1 March in common years, as Chinese registers count it).
    pub fn age_on(self, on: Date) -> i32 {
        let mut age = on.year - self.year;
        if (on.month, on.day) < (self.month, self.day) {
            age -= 1;
        }
        age
    }

    /// The date an Excel serial number stands for (1900 date system, with
    /// Excel's fictitious 1900-02-29 as serial 60).
    pub fn from_excel_serial(serial: i64) -> Option<Date> {
        match serial {
            ..=0 => None,
            60 => None,
            1..=59 => Some(Date::from_days_since_epoch(
                Date::EXCEL_EPOCH_DAYS + serial + 1,
            )),
            _ if serial > 2_958_465 => None,
            _ => Some(Date::from_days_since_epoch(Date::EXCEL_EPOCH_DAYS + serial)),
        }
    }

    /// 1899-12-30, from which Excel serials after February 1900 count.
    const EXCEL_EPOCH_DAYS: i64 = -25_569;

    /// `YYYYMMDD` as in an ID number.
    pub fn compact(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

pub fn is_leap_year(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if is_leap_year(year) => 29,
        2 => 28,
        _ => 0,
    }
}

/// Why a date cell could not be read. The raw text always travels with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    #[error("“{raw}”不是可识别的日期格式")]
    Unrecognised { raw: String },
    #[error("“{raw}”不是真实存在的日期（{year}年{month}月{day}日）")]
    Impossible {
        raw: String,
        year: i32,
        month: u32,
        day: u32,
    },
    #[error("“{raw}”超出合理的年份范围（1850—2100）")]
    OutOfRange { raw: String },
}

impl DateError {
    pub fn raw(&self) -> &str {
        match self {
            DateError::Unrecognised { raw }
            | DateError::Impossible { raw, .. }
            | DateError::OutOfRange { raw } => raw,
        }
    }
}

/// Cell texts that registers use for "no value".
pub fn is_blank_marker(s: &str) -> bool {
    matches!(
        s,
        "" | "无"
            | "-"
            | "--"
            | "—"
            | "/"
            | "／"
            | "空"
            | "null"
            | "NULL"
            | "None"
            | "N/A"
            | "#N/A"
    )
}

/// Years a register date may plausibly carry; anything outside is a typo.
const YEARS: std::ops::RangeInclusive<i32> = 1850..=2100;

/// Reads a date cell. `Ok(None)` for an empty cell or an "empty" marker
/// (`无`, `-`, `/`, `0`).
pub fn parse_date(raw: &str) -> Result<Option<Date>, DateError> {
    // The common case, `2014-09-25`, without the general rules' allocations.
    let b = raw.as_bytes();
    if b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && [0, 1, 2, 3, 5, 6, 8, 9]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
    {
        let n = |i: usize| u32::from(b[i] - b'0');
        let (y, m, d) = (
            n(0) * 1000 + n(1) * 100 + n(2) * 10 + n(3),
            n(5) * 10 + n(6),
            n(8) * 10 + n(9),
        );
        if let (true, Some(date)) = (YEARS.contains(&(y as i32)), Date::from_ymd(y as i32, m, d)) {
            return Ok(Some(date));
        }
    }
    let text = raw.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}' || c == '\'');
    if is_blank_marker(text) || text == "0" || text == "00000000" {
        return Ok(None);
    }
    let folded: String = text.chars().map(fold_fullwidth).collect();
    let date_part = strip_time(&folded);
    let unrecognised = || DateError::Unrecognised {
        raw: raw.to_string(),
    };

    let (y, m, d) = if date_part.bytes().all(|b| b.is_ascii_digit()) {
        match date_part.len() {
            8 => (
                date_part[0..4].parse().map_err(|_| unrecognised())?,
                date_part[4..6].parse().map_err(|_| unrecognised())?,
                date_part[6..8].parse().map_err(|_| unrecognised())?,
            ),
            1..=5 => return excel_serial(raw, date_part, ""),
            _ => return Err(unrecognised()),
        }
    } else if let Some((int, frac)) = date_part.split_once('.').filter(|(i, f)| {
        // 41907.5 is a serial with a time; 2014.09.25 is a dotted date, and
        // 2014.9 a year and month, not the serial 2014.
        i.len() <= 5 && !f.contains('.') && !(i.len() == 4 && f.len() <= 2 && *f != "0")
    }) {
        return excel_serial(raw, int, frac);
    } else {
        let parts: Vec<&str> = date_part
            .split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect();
        if parts.len() != 3
            || parts[0].len() != 4
            || parts[1..].iter().any(|p| p.len() > 2)
            || parts.iter().any(|p| !p.bytes().all(|b| b.is_ascii_digit()))
        {
            return Err(unrecognised());
        }
        (
            parts[0].parse().map_err(|_| unrecognised())?,
            parts[1].parse().map_err(|_| unrecognised())?,
            parts[2].parse().map_err(|_| unrecognised())?,
        )
    };
    let (y, m, d): (i32, u32, u32) = (y, m, d);
    if !YEARS.contains(&y) {
        return Err(DateError::OutOfRange {
            raw: raw.to_string(),
        });
    }
    Date::from_ymd(y, m, d)
        .map(Some)
        .ok_or_else(|| DateError::Impossible {
            raw: raw.to_string(),
            year: y,
            month: m,
            day: d,
        })
}

fn excel_serial(raw: &str, int: &str, frac: &str) -> Result<Option<Date>, DateError> {
    let serial: i64 = int.parse().map_err(|_| DateError::Unrecognised {
        raw: raw.to_string(),
    })?;
    if !frac.bytes().all(|b| b.is_ascii_digit()) {
        return Err(DateError::Unrecognised {
            raw: raw.to_string(),
        });
    }
    match Date::from_excel_serial(serial) {
        Some(date) if YEARS.contains(&date.year()) => Ok(Some(date)),
        _ => Err(DateError::OutOfRange {
            raw: raw.to_string(),
        }),
    }
}

/// Drops a trailing time of day: `2014-09-25 00:00:00`, `2014/9/25 0:00`,
/// `2014-09-25T08:30`, `2014年9月25日 上午`.
fn strip_time(s: &str) -> &str {
    let cut = s
        .char_indices()
        .find(|&(i, c)| c == ' ' || (c == 'T' && i >= 8))
        .map(|(i, _)| i);
    match cut {
        Some(i) => s[..i].trim_end(),
        None => s,
    }
}

fn fold_fullwidth(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '－' => '-',
        '／' => '/',
        '．' => '.',
        '\u{3000}' | '\t' | '\u{a0}' => ' ',
        _ => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> Date {
        Date::from_ymd(y, m, dd).unwrap()
    }

    #[test]
    fn formats_that_registers_write() {
        let cases: &[(&str, Date)] = &[
            ("2014-09-25", d(2014, 9, 25)),
            ("2014/9/25", d(2014, 9, 25)),
            ("2014/09/05", d(2014, 9, 5)),
            ("20140925", d(2014, 9, 25)),
            ("2014年9月25日", d(2014, 9, 25)),
            ("2014年09月25日", d(2014, 9, 25)),
            ("2014年9月25", d(2014, 9, 25)),
            ("2014.09.25", d(2014, 9, 25)),
            ("2014.9.5", d(2014, 9, 5)),
            ("41907", d(2014, 9, 25)),
            ("41907.0", d(2014, 9, 25)),
            ("41907.375", d(2014, 9, 25)),
            ("2014-09-25 00:00:00", d(2014, 9, 25)),
            ("2014/9/25 0:00", d(2014, 9, 25)),
            ("2014-09-25T08:30:00", d(2014, 9, 25)),
            ("  2014-09-25\t", d(2014, 9, 25)),
            ("２０１４－０９－２５", d(2014, 9, 25)),
            ("'20140925", d(2014, 9, 25)),
            ("2000-02-29", d(2000, 2, 29)),
            ("1", d(1900, 1, 1)),
            ("59", d(1900, 2, 28)),
            ("61", d(1900, 3, 1)),
            ("1900-01-01", d(1900, 1, 1)),
        ];
        for (raw, want) in cases {
            assert_eq!(parse_date(raw), Ok(Some(*want)), "{raw}");
        }
    }

    #[test]
    fn empty_markers_are_no_date() {
        for raw in ["", "  ", "无", "-", "/", "0", "00000000", "NULL"] {
            assert_eq!(parse_date(raw), Ok(None), "{raw:?}");
        }
    }

    #[test]
    fn impossible_and_unreadable_dates_keep_the_raw_text() {
        let cases: &[(&str, &str)] = &[
            ("2014-02-30", "impossible"),
            ("2013-02-29", "impossible"),
            ("1900-02-29", "impossible"),
            ("2014-13-01", "impossible"),
            ("20141301", "impossible"),
            ("2014年9月31日", "impossible"),
            ("60", "range"),
            ("0001-01-01", "range"),
            ("3014-01-01", "range"),
            ("2014-09", "unrecognised"),
            ("25/09/2014", "unrecognised"),
            ("昨天", "unrecognised"),
            ("2014-09-25-01", "unrecognised"),
            ("201409250", "unrecognised"),
            ("12.5.3", "unrecognised"),
            ("2014.9", "unrecognised"),
        ];
        for (raw, kind) in cases {
            let err = parse_date(raw).expect_err(raw);
            assert_eq!(err.raw(), *raw);
            let got = match err {
                DateError::Impossible { .. } => "impossible",
                DateError::OutOfRange { .. } => "range",
                DateError::Unrecognised { .. } => "unrecognised",
            };
            assert_eq!(got, *kind, "{raw}");
            assert!(err.to_string().contains(raw), "{err}");
        }
    }

    #[test]
    fn day_counts_round_trip() {
        for days in [-719_468i64, -25_569, -1, 0, 1, 11_016, 16_338, 47_482] {
            assert_eq!(Date::from_days_since_epoch(days).days_since_epoch(), days);
        }
        assert_eq!(Date::from_days_since_epoch(0), d(1970, 1, 1));
        assert_eq!(d(2014, 9, 25).days_since_epoch(), 16_338);
    }

    #[test]
    fn ages_count_completed_years() {
        let cases = [
            (d(1990, 6, 15), d(2020, 6, 14), 29),
            (d(1990, 6, 15), d(2020, 6, 15), 30),
            (d(2000, 2, 29), d(2021, 2, 28), 20),
            (d(2000, 2, 29), d(2021, 3, 1), 21),
            (d(2010, 1, 1), d(2009, 1, 1), -1),
        ];
        for (born, on, age) in cases {
            assert_eq!(born.age_on(on), age, "{born} on {on}");
        }
    }
}
