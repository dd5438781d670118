//! A check's period and deadline.
//!
//! Takes the as-of date (or the period a statistician gives) and gives the
//! period's folder name — `YYYY-MM` by default, and only letters, digits,
//! `-` and `_`, so it is the same folder on every system and never climbs
//! out of the output folder — and the default deadline for the villages'
//! answers.

use crate::error::{Error, Result};
use crate::identity::Date;

/// `YYYY-MM` of the as-of date: one folder per monthly check.
pub fn default_period(as_of: Date) -> String {
    format!("{:04}-{:02}", as_of.year(), as_of.month())
}

/// Thirty days after the as-of date.
pub fn default_deadline(as_of: Date) -> Date {
    Date::from_days_since_epoch(as_of.days_since_epoch() + 30)
}

/// A period is a folder name: letters, digits, `-` and `_` only, so it is
/// the same on every system and never climbs out of the output folder.
pub fn check_period(period: &str) -> Result<String> {
    let p = period.trim();
    if p.is_empty()
        || p.chars().count() > 64
        || !p
            .chars()
            .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
    {
        return Err(Error::Usage(format!(
            "期次“{period}”只能由字母、数字、“-”和“_”组成（如 2026-06）"
        )));
    }
    Ok(p.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_is_a_plain_folder_name() {
        for (period, ok) in [
            ("2026-06", true),
            ("2026_H1", true),
            ("", false),
            ("2026/06", false),
            ("..", false),
            ("2026 06", false),
            ("a:b", false),
        ] {
            let got = check_period(period);
            assert_eq!(got.is_ok(), ok, "{period:?}: {got:?}");
            if let Err(e) = got {
                assert!(matches!(e, Error::Usage(_)));
                assert!(e.to_string().contains("期次"), "{e}");
            }
        }
    }

    #[test]
    fn the_defaults_follow_the_as_of_date() {
        let cases = [
            ((2026, 6, 30), "2026-06", (2026, 7, 30)),
            ((2026, 12, 15), "2026-12", (2027, 1, 14)),
            ((2024, 2, 1), "2024-02", (2024, 3, 2)),
        ];
        for ((y, m, d), period, (dy, dm, dd)) in cases {
            let as_of = Date::from_ymd(y, m, d).unwrap();
            assert_eq!(default_period(as_of), period);
            assert_eq!(default_deadline(as_of), Date::from_ymd(dy, dm, dd).unwrap());
        }
    }
}
