//! Repair candidates: the valid numbers one typo away from an invalid one.
//!
//! Takes an invalid 18-character number and gives every number reachable by
//! one mistyped character or one swap of neighbours that passes all checks
//! (check character, real date not after the as-of date, known region). The
//! check character catches every such typo, so a valid number never has a
//! valid neighbour; an invalid one usually has a handful, and the record's
//! own birth date, sex and name pick among them.

use serde::Serialize;

use super::{IdKind, IdNumber, IdParser, IdProblem};
use crate::identity::codes::Sex;
use crate::identity::date::Date;

/// How a candidate differs from the number as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// The character at `position` (1-based) was mistyped.
    Substitute {
        position: usize,
        from: char,
        to: char,
    },
    /// The characters at `position` and `position + 1` were swapped.
    Swap { position: usize },
}

impl Edit {
    /// Order in which candidates are offered when nothing else is known of
    /// the person: a wrong check character first (it is typed last, by hand,
    /// and the 17 digits before it are self-consistent), then swaps (the
    /// commonest typing slip), then other digits from the end of the number
    /// towards its start, because the region code is most often picked from a
    /// list rather than typed.
    fn rank(&self) -> (u8, std::cmp::Reverse<usize>) {
        match *self {
            Edit::Substitute { position: 18, .. } => (0, std::cmp::Reverse(18)),
            Edit::Swap { position } => (1, std::cmp::Reverse(position)),
            Edit::Substitute { position, .. } => (2, std::cmp::Reverse(position)),
        }
    }

    /// The (first) position the edit touches, 1-based.
    pub fn position(&self) -> usize {
        match *self {
            Edit::Substitute { position, .. } | Edit::Swap { position } => position,
        }
    }

    /// In the words of the workbooks: `第12、13位颠倒`, `第5位应为3`.
    pub fn describe(&self) -> String {
        match *self {
            Edit::Substitute { position, from, to } => {
                format!("第{position}位{from}改为{to}")
            }
            Edit::Swap { position } => format!("第{}、{}位颠倒", position, position + 1),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct Repair {
    pub number: String,
    #[serde(flatten)]
    pub edit: Edit,
}

impl Repair {
    /// Whether the candidate agrees with the birth date and sex the record
    /// states elsewhere (an unknown value agrees with anything): the way to
    /// choose among several candidates.
    pub fn fits(&self, birth_date: Option<Date>, sex: Option<Sex>) -> bool {
        let candidate =
            IdParser::new(Date::from_ymd(2100, 12, 31).expect("a real date")).parse(&self.number);
        let date_ok = birth_date.is_none_or(|d| candidate.birth_date() == Some(d));
        let sex_ok = match sex {
            Some(s @ (Sex::Male | Sex::Female)) => candidate.sex() == Some(s),
            _ => true,
        };
        date_ok && sex_ok
    }
}

/// Repairs are only offered where a typo can explain the fault: wrong check
/// character, impossible or future date, unknown region, or one stray
/// character in an otherwise complete number. A number a float damaged has
/// lost three digits, which no single edit brings back.
pub(super) fn candidates(id: &IdNumber, as_of: Date) -> Vec<Repair> {
    let repairable = id.kind == IdKind::Citizen
        && id.cleaned.len() == 18
        && id.cleaned.is_ascii()
        && !id.problems.is_empty()
        && id.problems.iter().all(|p| {
            matches!(
                p,
                IdProblem::WrongCheck { .. }
                    | IdProblem::ImpossibleDate { .. }
                    | IdProblem::FutureDate { .. }
                    | IdProblem::UnknownRegion { .. }
                    | IdProblem::BadCharacter { .. }
            )
        });
    if !repairable {
        return Vec::new();
    }
    let parser = IdParser::new(as_of);
    let original = id.cleaned.as_bytes();
    let mut out = Vec::new();
    let mut buf = original.to_vec();
    let try_candidate = |buf: &[u8], edit: Edit, out: &mut Vec<Repair>| {
        let Ok(text) = std::str::from_utf8(buf) else {
            return;
        };
        let candidate = parser.parse(text);
        if candidate.is_valid() && candidate.kind == IdKind::Citizen {
            out.push(Repair {
                number: candidate.cleaned.to_string(),
                edit,
            });
        }
    };
    for pos in 0..18 {
        let alphabet: &[u8] = if pos == 17 {
            b"0123456789X"
        } else {
            b"0123456789"
        };
        for &to in alphabet {
            if to == original[pos] {
                continue;
            }
            buf[pos] = to;
            let edit = Edit::Substitute {
                position: pos + 1,
                from: original[pos] as char,
                to: to as char,
            };
            try_candidate(&buf, edit, &mut out);
        }
        buf[pos] = original[pos];
    }
    for pos in 0..17 {
        if original[pos] == original[pos + 1] {
            continue;
        }
        buf.swap(pos, pos + 1);
        try_candidate(&buf, Edit::Swap { position: pos + 1 }, &mut out);
        buf.swap(pos, pos + 1);
    }
    out.sort_by_key(|r| (r.edit.rank(), r.number.clone()));
    out
}
