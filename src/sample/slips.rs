//! The slips of a clerk's hand in numbers and dates.
//!
//! Takes a correct ID number or date and a random stream and gives it
//! mistyped the way people mistype them: one digit wrong, two neighbours
//! swapped, day and month swapped, a year's digits swapped into the
//! future. ID slips always leave the check character wrong (the check
//! catches every single substitution and every swap of different digits,
//! §2 of the domain brief); date slips always give a real, different date.

use super::rng::Rng;
use crate::identity::Date;

/// How an ID number was mistyped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IdSlip {
    Digit,
    Swap,
}

impl IdSlip {
    pub fn label(self) -> &'static str {
        match self {
            IdSlip::Digit => "一位错录",
            IdSlip::Swap => "相邻两位颠倒",
        }
    }
}

/// One digit mistyped or two different neighbours swapped. The result is
/// never a valid number.
pub fn mistype_id(rng: &mut Rng, id: &str) -> (String, IdSlip) {
    let mut b: Vec<u8> = id.bytes().collect();
    if b.len() < 2 {
        return (format!("{id}1"), IdSlip::Digit);
    }
    if rng.chance(0.4) {
        // Swaps of two different neighbours among the 17 digits and the check.
        let swaps: Vec<usize> = (0..b.len() - 1).filter(|&i| b[i] != b[i + 1]).collect();
        if !swaps.is_empty() {
            let i = swaps[rng.index(swaps.len())];
            b.swap(i, i + 1);
            return (String::from_utf8_lossy(&b).into_owned(), IdSlip::Swap);
        }
    }
    // Digits of the date and sequence are typed; the region is usually
    // picked from a list, so it is mistyped less.
    let i = if rng.chance(0.85) {
        6 + rng.index(b.len() - 6)
    } else {
        rng.index(6.min(b.len()))
    };
    let old = b[i];
    let mut new = b'0' + rng.below(10) as u8;
    if new == old || (old == b'X' && new == b'X') {
        new = if old == b'9' || old == b'X' {
            b'1'
        } else {
            old + 1
        };
    }
    b[i] = new;
    (String::from_utf8_lossy(&b).into_owned(), IdSlip::Digit)
}

/// How a date was mistyped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateSlip {
    DayMonthSwap,
    Digit,
}

impl DateSlip {
    pub fn label(self) -> &'static str {
        match self {
            DateSlip::DayMonthSwap => "月日颠倒",
            DateSlip::Digit => "一位错录",
        }
    }
}

/// A real date different from `d`, within `lo..=hi`: day and month swapped
/// where that makes a date, else one digit of the day, month or year
/// mistyped. `None` if no such slip stays in range.
pub fn mistype_date(rng: &mut Rng, d: Date, lo: Date, hi: Date) -> Option<(Date, DateSlip)> {
    let ok = |x: Date| x != d && x >= lo && x <= hi;
    if rng.chance(0.5)
        && let Some(x) = Date::from_ymd(d.year(), d.day(), d.month())
        && ok(x)
    {
        return Some((x, DateSlip::DayMonthSwap));
    }
    let digits = d.compact().into_bytes();
    // Positions 3 (last digit of the year), 5 (month), 6 and 7 (day).
    let mut tries: Vec<(usize, u8)> = Vec::new();
    for pos in [3usize, 5, 6, 7] {
        for digit in b'0'..=b'9' {
            if digit != digits[pos] {
                tries.push((pos, digit));
            }
        }
    }
    rng.shuffle(&mut tries);
    for (pos, digit) in tries {
        let mut t = digits.clone();
        t[pos] = digit;
        let s = String::from_utf8_lossy(&t);
        let y: i32 = s[0..4].parse().ok()?;
        let m: u32 = s[4..6].parse().ok()?;
        let dd: u32 = s[6..8].parse().ok()?;
        if let Some(x) = Date::from_ymd(y, m, dd)
            && ok(x)
        {
            return Some((x, DateSlip::Digit));
        }
    }
    None
}

/// The date with the last two digits of its year swapped, or another slip
/// of the year, so that it lies after `as_of` (2016 → 2061).
pub fn future_year(d: Date, as_of: Date) -> Date {
    let y = d.year();
    let swapped = (y / 100) * 100 + (y % 10) * 10 + (y / 10) % 10;
    let year = if swapped > as_of.year() {
        swapped
    } else {
        // 2011 → 2031: the third digit mistyped upwards.
        let mut year = y + 20;
        while year <= as_of.year() {
            year += 10;
        }
        year
    };
    Date::from_ymd(year, d.month(), d.day())
        .or_else(|| Date::from_ymd(year, 3, 1))
        .unwrap_or(d)
}

/// The date with one digit of its year mistyped so that a person born on
/// `birth` would have been `14..=19` years old (women) on it: 2011 → 2001.
/// `None` if no one-digit slip does it.
pub fn underage_year(d: Date, birth: Date, legal: i32) -> Option<Date> {
    let y = d.year();
    let digits = format!("{y:04}").into_bytes();
    for pos in [2usize, 3] {
        for digit in b'0'..=b'9' {
            let mut t = digits.clone();
            t[pos] = digit;
            let year: i32 = String::from_utf8_lossy(&t).parse().ok()?;
            let Some(x) = Date::from_ymd(year, d.month(), d.day()) else {
                continue;
            };
            let age = birth.age_on(x);
            if x > birth && (legal - 6..legal).contains(&age) {
                return Some(x);
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::IdParser;

    #[test]
    fn id_slips_are_always_invalid() {
        let parser = IdParser::new(Date::from_ymd(2026, 6, 30).unwrap());
        let mut rng = Rng::new(11);
        let mut kinds = [0; 2];
        for id in [
            "371326199001011234",
            "37132619850213019X",
            "110103198002290010",
        ] {
            assert!(parser.parse(id).is_valid());
            for _ in 0..300 {
                let (typo, slip) = mistype_id(&mut rng, id);
                assert_ne!(typo, id);
                assert!(!parser.parse(&typo).is_valid(), "{id} → {typo}");
                kinds[slip as usize] += 1;
            }
        }
        assert!(kinds[0] > 0 && kinds[1] > 0);
    }

    #[test]
    fn date_slips_are_real_and_in_range() {
        let mut rng = Rng::new(2);
        let lo = Date::from_ymd(1900, 1, 1).unwrap();
        let hi = Date::from_ymd(2026, 6, 30).unwrap();
        for (y, m, d) in [(1990, 3, 5), (2024, 12, 31), (2000, 2, 29), (2026, 6, 30)] {
            let date = Date::from_ymd(y, m, d).unwrap();
            for _ in 0..50 {
                let (x, _) = mistype_date(&mut rng, date, lo, hi).expect("a slip");
                assert!(x != date && x >= lo && x <= hi);
            }
        }
        let d = Date::from_ymd(2016, 5, 4).unwrap();
        assert_eq!(future_year(d, hi), Date::from_ymd(2061, 5, 4).unwrap());
        let d = Date::from_ymd(2021, 5, 4).unwrap();
        assert!(future_year(d, hi) > hi);
        let birth = Date::from_ymd(1990, 7, 1).unwrap();
        let x = underage_year(Date::from_ymd(2011, 5, 4).unwrap(), birth, 20).unwrap();
        assert!(birth.age_on(x) < 20 && x > birth, "{x}");
    }
}
