//! What a village may answer to a case.
//!
//! Takes a [`Category`] and gives the answers its 核实结果 drop-down offers
//! ([`Category::answers`]); takes the text a cadre typed or picked and gives
//! the [`Answer`] ([`Answer::parse`]). The village workbooks write these
//! lists and `bidui import` accepts nothing else, so both read them from
//! here.

use super::Category;

/// A village's answer to one case.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Answer {
    /// The discrepancy is real: WIS (or the other register) is to be
    /// corrected. Still present after the deadline, the case is overdue.
    NeedsCorrection,
    /// The records are right as they are: the case is not sent again while
    /// its data stays the same.
    Correct,
    MovedOut,
    Dead,
    /// Married out of the village (外嫁): the woman lives elsewhere now.
    MarriedOut,
    /// Nobody of this name and number lives or lived in the village.
    Unknown,
    Other,
}

impl Answer {
    pub const ALL: [Answer; 7] = [
        Answer::NeedsCorrection,
        Answer::Correct,
        Answer::MovedOut,
        Answer::Dead,
        Answer::MarriedOut,
        Answer::Unknown,
        Answer::Other,
    ];

    /// The words in the drop-down.
    pub fn text(self) -> &'static str {
        match self {
            Answer::NeedsCorrection => "属实需更正",
            Answer::Correct => "信息无误",
            Answer::MovedOut => "已迁出",
            Answer::Dead => "已死亡",
            Answer::MarriedOut => "外嫁",
            Answer::Unknown => "查无此人",
            Answer::Other => "其他",
        }
    }

    /// The answer a cell holds: the drop-down's words, with the spaces and
    /// full-width forms a hand-typed cell brings forgiven, and 其它 taken
    /// for 其他; anything else is
    /// no answer (the caller reports it).
    pub fn parse(text: &str) -> Option<Answer> {
        let folded: String = text
            .chars()
            .filter(|c| !c.is_whitespace())
            .map(|c| match c {
                '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
                _ => c,
            })
            .collect();
        // 其它 is how half the county writes 其他.
        if folded == "其它" {
            return Some(Answer::Other);
        }
        Answer::ALL.into_iter().find(|a| a.text() == folded)
    }
}

impl std::fmt::Display for Answer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

impl Category {
    /// The answers a village may give to a case of this category, in the
    /// drop-down's order. Every list has 属实需更正, 信息无误 and 其他; a
    /// category about whether a person is still here adds the ways of
    /// leaving.
    pub fn answers(self) -> &'static [Answer] {
        use Answer::*;
        use Category::*;
        match self {
            // About the data of one record: right or wrong.
            Q01 | Q02 | Q03 | H03 | H04 | H05 | B02 | B03 | L01 => {
                &[NeedsCorrection, Correct, Other]
            }
            // Is the person in the village at all?
            H01 | H02 | B04 => &[
                NeedsCorrection,
                Correct,
                MovedOut,
                Dead,
                MarriedOut,
                Unknown,
                Other,
            ],
            H06 => &[NeedsCorrection, Correct, MovedOut, MarriedOut, Other],
            M01 | M02 | M03 | M04 => &[NeedsCorrection, Correct, MarriedOut, MovedOut, Other],
            B01 => &[NeedsCorrection, Correct, MovedOut, Dead, Unknown, Other],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_category_offers_the_three_basic_answers() {
        for c in Category::ALL {
            for a in [Answer::NeedsCorrection, Answer::Correct, Answer::Other] {
                assert!(c.answers().contains(&a), "{c} lacks {a}");
            }
        }
    }

    #[test]
    fn answers_are_read_back_from_what_a_cell_holds() {
        let table = [
            ("属实需更正", Some(Answer::NeedsCorrection)),
            (" 信息无误 ", Some(Answer::Correct)),
            ("已 迁 出", Some(Answer::MovedOut)),
            ("查无此人\n", Some(Answer::Unknown)),
            ("外嫁", Some(Answer::MarriedOut)),
            ("已死亡", Some(Answer::Dead)),
            ("其他", Some(Answer::Other)),
            ("其它", Some(Answer::Other)),
            ("", None),
            ("属实", None),
        ];
        for (text, want) in table {
            assert_eq!(Answer::parse(text), want, "{text:?}");
        }
        for a in Answer::ALL {
            assert_eq!(Answer::parse(a.text()), Some(a));
        }
    }
}
