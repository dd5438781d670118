//! The villages' answers in the ledger: stored by `bidui import`, read by
//! `bidui status` and `bidui corrections`.
//!
//! Takes a validated answer row and gives what storing it did (new,
//! changed — the earlier answer kept in `answer_history` —, or unchanged:
//! importing a workbook twice changes nothing); takes a period and gives
//! per village what was sent, answered and overdue ([`VillageStatus`]),
//! and the answers that call for a WIS correction ([`Correction`]).

use std::collections::{BTreeMap, HashMap};

use rusqlite::{OptionalExtension, params};
use serde::Serialize;

use super::month::category;
use super::{CaseStatus, Ledger, Session, db, now, stored_date};
use crate::classify::{Answer, Category};
use crate::error::Result;
use crate::identity::Date;

/// One village's answer to one case, as read from a workbook row.
#[derive(Clone, Debug, PartialEq)]
pub struct AnswerRow {
    pub period: String,
    pub case_id: String,
    pub answer: Answer,
    pub correct_value: String,
    pub verifier: String,
    pub verified_on: Option<Date>,
    pub remark: String,
    /// Where it was read: the workbook, the sheet, the row as Excel shows it.
    pub file: String,
    pub sheet: String,
    pub row: u32,
}

/// What storing an answer did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Stored {
    New,
    /// An earlier answer to the same case of the same period was replaced;
    /// its words.
    Changed {
        before: String,
    },
    /// The same answer was already there: nothing written.
    Unchanged,
}

/// A case of a period as the ledger has it, for checking a row against.
#[derive(Clone, Debug, PartialEq)]
pub struct SentCase {
    pub category: Category,
    pub village_code: String,
    pub village: String,
    pub status: CaseStatus,
}

impl Session<'_> {
    /// The case `case_id` of `period`, where the run found it.
    pub fn case(&self, period: &str, case_id: &str) -> Result<Option<SentCase>> {
        let found = self
            .tx
            .prepare_cached(
                "SELECT category, village_code, village, status FROM cases
                  WHERE period = ?1 AND case_id = ?2",
            )
            .and_then(|mut st| {
                st.query_row(params![period, case_id], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                })
                .optional()
            })
            .map_err(|e| db(self.path, e))?;
        Ok(found.and_then(|(c, code, name, status)| {
            Some(SentCase {
                category: category(&c)?,
                village_code: code,
                village: name,
                status: CaseStatus::from_key(&status)?,
            })
        }))
    }

    /// Stores an answer: new, replacing a different earlier answer to the
    /// same case of the same period (kept in `answer_history`), or nothing
    /// when the same answer is there already.
    pub fn store_answer(&self, a: &AnswerRow) -> Result<Stored> {
        self.store_inner(a).map_err(|e| db(self.path, e))
    }

    fn store_inner(&self, a: &AnswerRow) -> rusqlite::Result<Stored> {
        let verified_on = a.verified_on.map(|d| d.to_string());
        let earlier: Option<(String, String, String, Option<String>, String)> = self
            .tx
            .prepare_cached(
                "SELECT answer, correct_value, verifier, verified_on, remark FROM answers
                  WHERE period = ?1 AND case_id = ?2",
            )?
            .query_row(params![a.period, a.case_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?))
            })
            .optional()?;
        let now = now();
        let stored = match earlier {
            Some(e)
                if e == (
                    a.answer.text().to_string(),
                    a.correct_value.clone(),
                    a.verifier.clone(),
                    verified_on.clone(),
                    a.remark.clone(),
                ) =>
            {
                return Ok(Stored::Unchanged);
            }
            Some(e) => {
                self.tx
                    .prepare_cached(
                        "INSERT INTO answer_history
                         SELECT period, case_id, answer, correct_value, verifier, verified_on,
                                remark, file, sheet, row, imported_at, ?3
                           FROM answers WHERE period = ?1 AND case_id = ?2",
                    )?
                    .execute(params![a.period, a.case_id, now])?;
                Stored::Changed { before: e.0 }
            }
            None => Stored::New,
        };
        self.tx
            .prepare_cached(
                "INSERT INTO answers (period, case_id, answer, correct_value, verifier, verified_on,
                                      remark, file, sheet, row, imported_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
                 ON CONFLICT (period, case_id) DO UPDATE SET
                    answer = excluded.answer, correct_value = excluded.correct_value,
                    verifier = excluded.verifier, verified_on = excluded.verified_on,
                    remark = excluded.remark, file = excluded.file, sheet = excluded.sheet,
                    row = excluded.row, imported_at = excluded.imported_at",
            )?
            .execute(params![
                a.period,
                a.case_id,
                a.answer.text(),
                a.correct_value,
                a.verifier,
                verified_on,
                a.remark,
                a.file,
                a.sheet,
                a.row,
                now,
            ])?;
        Ok(stored)
    }
}

/// Per category of a village: cases sent, answered (to this period's
/// workbook), overdue.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub sent: u64,
    pub answered: u64,
    pub unanswered: u64,
    pub overdue: u64,
}

/// One village's state in a period.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct VillageStatus {
    pub village_code: String,
    pub village: String,
    #[serde(flatten)]
    pub tally: Tally,
    /// Found but not sent: answered 信息无误 before, data unchanged.
    pub confirmed: u64,
    pub by_category: BTreeMap<Category, Tally>,
    /// The answers given, by their words.
    pub by_answer: BTreeMap<String, u64>,
}

impl Tally {
    fn add(&mut self, answered: bool, overdue: bool) {
        self.sent += 1;
        if answered {
            self.answered += 1;
        } else {
            self.unanswered += 1;
        }
        if overdue {
            self.overdue += 1;
        }
    }
}

impl Ledger {
    /// Per village (sorted by code, then name; the unassigned cases, with
    /// both empty, first), what `period`'s run sent and what came back.
    pub fn status(&self, period: &str) -> Result<Vec<VillageStatus>> {
        self.status_inner(period).map_err(|e| db(self.path(), e))
    }

    fn status_inner(&self, period: &str) -> rusqlite::Result<Vec<VillageStatus>> {
        let mut st = self.conn().prepare(
            "SELECT c.village_code, c.village, c.category, c.status, a.answer
               FROM cases c
               LEFT JOIN answers a ON a.period = c.period AND a.case_id = c.case_id
              WHERE c.period = ?1",
        )?;
        let mut rows = st.query([period])?;
        let mut villages: BTreeMap<(String, String), VillageStatus> = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let (code, name): (String, String) = (r.get(0)?, r.get(1)?);
            let cat: String = r.get(2)?;
            let status: String = r.get(3)?;
            let answer: Option<String> = r.get(4)?;
            let v = villages
                .entry((code.clone(), name.clone()))
                .or_insert_with(|| VillageStatus {
                    village_code: code,
                    village: name,
                    ..VillageStatus::default()
                });
            let (Some(cat), Some(status)) = (category(&cat), CaseStatus::from_key(&status)) else {
                continue;
            };
            if status == CaseStatus::Confirmed {
                v.confirmed += 1;
                continue;
            }
            let overdue = status == CaseStatus::Overdue;
            v.tally.add(answer.is_some(), overdue);
            v.by_category
                .entry(cat)
                .or_default()
                .add(answer.is_some(), overdue);
            if let Some(a) = answer {
                *v.by_answer.entry(a).or_default() += 1;
            }
        }
        Ok(villages.into_values().collect())
    }

    /// The cases of `period`'s run whose latest answer (to this period's
    /// workbook or an earlier one) is 属实需更正: what the statistician is to
    /// correct in WIS, with the village's 正确值. Sorted by village, then
    /// category and case id.
    pub fn corrections(&self, period: &str) -> Result<Vec<Correction>> {
        self.corrections_inner(period)
            .map_err(|e| db(self.path(), e))
    }

    fn corrections_inner(&self, period: &str) -> rusqlite::Result<Vec<Correction>> {
        let conn = self.conn();
        let Some(this) = super::run(conn, period)? else {
            return Ok(Vec::new());
        };
        // The latest answer to each case up to this period: later runs
        // come later and overwrite.
        let mut latest: HashMap<String, Given> = HashMap::new();
        {
            let mut st = conn.prepare(
                "SELECT a.case_id, a.period, a.answer, a.correct_value, a.verifier,
                        a.verified_on, a.remark, a.file, a.row, r.deadline
                   FROM answers a JOIN runs r ON r.period = a.period
                  WHERE r.period = ?1 OR r.as_of < ?2 OR (r.as_of = ?2 AND r.period < ?1)
                  ORDER BY r.as_of, r.period",
            )?;
            let mut rows = st.query(params![period, this.as_of.to_string()])?;
            while let Some(r) = rows.next()? {
                let verified_on: Option<String> = r.get(5)?;
                let deadline: String = r.get(9)?;
                latest.insert(
                    r.get(0)?,
                    Given {
                        period: r.get(1)?,
                        answer: r.get(2)?,
                        correct_value: r.get(3)?,
                        verifier: r.get(4)?,
                        verified_on: verified_on.as_deref().and_then(stored_date),
                        remark: r.get(6)?,
                        file: r.get(7)?,
                        row: r.get(8)?,
                        deadline: stored_date(&deadline),
                    },
                );
            }
        }
        let mut st = conn.prepare(
            "SELECT case_id, category, village_code, village, status, source, file, sheet, row,
                    field, name, id_number, value, other_value, note
               FROM cases WHERE period = ?1 AND status <> 'confirmed'
              ORDER BY village_code, village, category, case_id",
        )?;
        let mut rows = st.query([period])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let id: String = r.get(0)?;
            let Some(given) = latest.get(&id) else {
                continue;
            };
            if Answer::parse(&given.answer) != Some(Answer::NeedsCorrection) {
                continue;
            }
            let (Some(cat), Some(status)) = (
                category(&r.get::<_, String>(1)?),
                CaseStatus::from_key(&r.get::<_, String>(4)?),
            ) else {
                continue;
            };
            out.push(Correction {
                case_id: id.clone(),
                category: cat,
                village_code: r.get(2)?,
                village: r.get(3)?,
                status,
                source: r.get(5)?,
                file: r.get(6)?,
                sheet: r.get(7)?,
                row: r.get(8)?,
                field: r.get(9)?,
                name: r.get(10)?,
                id_number: r.get(11)?,
                value: r.get(12)?,
                other_value: r.get(13)?,
                note: r.get(14)?,
                answered_period: given.period.clone(),
                deadline: given.deadline,
                correct_value: given.correct_value.clone(),
                verifier: given.verifier.clone(),
                verified_on: given.verified_on,
                remark: given.remark.clone(),
                workbook: given.file.clone(),
                workbook_row: given.row,
            });
        }
        Ok(out)
    }
}

/// An answer as the ledger holds it, for the corrections list.
struct Given {
    period: String,
    answer: String,
    correct_value: String,
    verifier: String,
    verified_on: Option<Date>,
    remark: String,
    file: String,
    row: u32,
    deadline: Option<Date>,
}

/// A case a village answered 属实需更正: the case's data and the village's
/// answer.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Correction {
    pub case_id: String,
    pub category: Category,
    pub village_code: String,
    pub village: String,
    /// The case's status in this period's run (overdue: past the deadline).
    pub status: CaseStatus,
    pub source: String,
    pub file: String,
    pub sheet: String,
    pub row: u32,
    pub field: String,
    pub name: String,
    pub id_number: String,
    pub value: String,
    pub other_value: String,
    pub note: String,
    /// The period whose workbook carried the answer, and its deadline.
    pub answered_period: String,
    pub deadline: Option<Date>,
    pub correct_value: String,
    pub verifier: String,
    pub verified_on: Option<Date>,
    pub remark: String,
    /// The workbook and row the answer came from.
    pub workbook: String,
    pub workbook_row: u32,
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::month::{NewRun, plan};
    use crate::load::SourceKind;
    use crate::report::cases::{CaseRow, Place};

    fn row(id: &str, category: Category, village: &str) -> CaseRow {
        CaseRow {
            case_id: id.into(),
            category,
            place: Place {
                source: SourceKind::Wis,
                file: "wis.xlsx".into(),
                sheet: "一村".into(),
                row: 7,
            },
            field: "name".into(),
            id_number: "371326199812237069".into(),
            name: "张三".into(),
            note: "姓名不一致".into(),
            other: None,
            village_code: village.into(),
            village: format!("{village}村"),
            value: "张三".into(),
            other_value: "张叁".into(),
            weight: None,
            explanation: String::new(),
            status: CaseStatus::New,
        }
    }

    /// A ledger with one run of 2026-06: cases a, b (village 1), c (village 2).
    fn ledger(dir: &std::path::Path) -> Ledger {
        let mut ledger = Ledger::create_or_open(&dir.join("l.sqlite")).unwrap();
        let rows = [
            row("a", Category::H03, "1"),
            row("b", Category::H01, "1"),
            row("c", Category::H03, "2"),
        ];
        let s = ledger.begin().unwrap();
        let as_of = Date::from_ymd(2026, 6, 30).unwrap();
        let p = plan(&Default::default(), &rows, as_of);
        s.record_run(
            &NewRun {
                period: "2026-06".into(),
                county: "371326".into(),
                county_name: "平邑县".into(),
                as_of,
                deadline: Date::from_ymd(2026, 7, 30).unwrap(),
                inputs: serde_json::json!([]),
            },
            None,
            &p.counts,
            &rows,
        )
        .unwrap();
        s.commit().unwrap();
        ledger
    }

    fn answer(id: &str, answer: Answer, correct: &str) -> AnswerRow {
        AnswerRow {
            period: "2026-06".into(),
            case_id: id.into(),
            answer,
            correct_value: correct.into(),
            verifier: "李四".into(),
            verified_on: Date::from_ymd(2026, 7, 10),
            remark: String::new(),
            file: "曹集村.xlsx".into(),
            sheet: "H03 姓名不一致".into(),
            row: 4,
        }
    }

    #[test]
    fn storing_the_same_answer_twice_changes_nothing_and_a_new_one_is_kept_with_history() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger(dir.path());
        let s = ledger.begin().unwrap();
        let first = answer("a", Answer::Correct, "");
        assert_eq!(s.store_answer(&first).unwrap(), Stored::New);
        assert_eq!(s.store_answer(&first).unwrap(), Stored::Unchanged);
        // The same answer from another copy of the workbook is unchanged too.
        let copy = AnswerRow {
            file: "copy.xlsx".into(),
            row: 9,
            ..first.clone()
        };
        assert_eq!(s.store_answer(&copy).unwrap(), Stored::Unchanged);
        let changed = answer("a", Answer::NeedsCorrection, "张叁");
        assert_eq!(
            s.store_answer(&changed).unwrap(),
            Stored::Changed {
                before: "信息无误".into()
            }
        );
        s.commit().unwrap();
        let history: i64 = ledger
            .conn()
            .query_row("SELECT COUNT(*) FROM answer_history", [], |r| r.get(0))
            .unwrap();
        assert_eq!(history, 1);
        let now: String = ledger
            .conn()
            .query_row("SELECT answer FROM answers WHERE case_id = 'a'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(now, "属实需更正");
    }

    #[test]
    fn a_case_is_found_with_its_category_and_village() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger(dir.path());
        let s = ledger.begin().unwrap();
        let c = s.case("2026-06", "b").unwrap().unwrap();
        assert_eq!(
            (c.category, c.village_code.as_str(), c.status),
            (Category::H01, "1", CaseStatus::New)
        );
        assert_eq!(s.case("2026-06", "z").unwrap(), None);
        assert_eq!(s.case("2026-05", "a").unwrap(), None);
    }

    #[test]
    fn status_counts_per_village_and_corrections_list_what_needs_correcting() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger(dir.path());
        let s = ledger.begin().unwrap();
        s.store_answer(&answer("a", Answer::NeedsCorrection, "张叁"))
            .unwrap();
        s.store_answer(&answer("c", Answer::Correct, "")).unwrap();
        s.commit().unwrap();

        let status = ledger.status("2026-06").unwrap();
        assert_eq!(status.len(), 2);
        let one = &status[0];
        assert_eq!(one.village_code, "1");
        assert_eq!(
            one.tally,
            Tally {
                sent: 2,
                answered: 1,
                unanswered: 1,
                overdue: 0
            }
        );
        assert_eq!(one.by_category[&Category::H03].answered, 1);
        assert_eq!(one.by_category[&Category::H01].unanswered, 1);
        assert_eq!(one.by_answer["属实需更正"], 1);
        assert_eq!(status[1].tally.answered, 1);

        let list = ledger.corrections("2026-06").unwrap();
        assert_eq!(list.len(), 1);
        let c = &list[0];
        assert_eq!(
            (
                c.case_id.as_str(),
                c.correct_value.as_str(),
                c.value.as_str()
            ),
            ("a", "张叁", "张三")
        );
        assert_eq!(c.id_number, "371326199812237069");
        assert_eq!(c.deadline, Date::from_ymd(2026, 7, 30));
        assert!(ledger.corrections("2099-01").unwrap().is_empty());
    }
}
