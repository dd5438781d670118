//! Month over month: what `bidui check` reads from the ledger before it
//! writes, and the run it records.
//!
//! Takes the cases a check found (each with its data digest) and the
//! ledger's earlier runs and answers, and gives each case its status —
//! new, persisting, overdue (answered 属实需更正, deadline passed, still
//! found) or confirmed (answered 信息无误, data unchanged: not sent again) —
//! with the run's counts ([`plan`]); then records the run and its cases in
//! the check's transaction ([`Session::record_run`]). Rules: docs/import.md.

use std::collections::{HashMap, HashSet};

use rusqlite::params;

use super::{CaseStatus, Counts, Run, Session, db, now, run_of, stored_date};
use crate::classify::{Answer, Category};
use crate::error::Result;
use crate::identity::Date;
use crate::report::cases::CaseRow;

/// The latest answer a village gave to a case in an earlier period.
#[derive(Clone, Debug, PartialEq)]
pub struct Earlier {
    pub period: String,
    pub answer: Answer,
    /// The case's data digest in the run the answer was given to.
    pub digest: String,
    /// That run's deadline.
    pub deadline: Date,
}

/// What the ledger knows before a run.
#[derive(Debug, Default)]
pub struct Before {
    /// The run this one is compared with: the latest earlier one.
    pub previous: Option<Run>,
    /// Every case the previous run found, and those it reported.
    previous_found: HashSet<String>,
    previous_reported: HashSet<String>,
    /// Per case id, the latest answer of an earlier period.
    latest: HashMap<String, Earlier>,
}

impl Before {
    /// The latest earlier answer to a case.
    pub fn answer(&self, case_id: &str) -> Option<&Earlier> {
        self.latest.get(case_id)
    }

    /// A case's status in a run as of `as_of`, given its data digest now.
    pub fn status(&self, case_id: &str, digest: &str, as_of: Date) -> CaseStatus {
        match self.latest.get(case_id) {
            Some(e) if e.answer == Answer::Correct && e.digest == digest => CaseStatus::Confirmed,
            Some(e) if e.answer == Answer::NeedsCorrection && as_of > e.deadline => {
                CaseStatus::Overdue
            }
            _ if self.previous_found.contains(case_id) => CaseStatus::Persisting,
            _ => CaseStatus::New,
        }
    }
}

/// Each case's status, in the rows' order, and the run's counts.
#[derive(Debug)]
pub struct Plan {
    pub statuses: Vec<CaseStatus>,
    pub counts: Counts,
}

impl Plan {
    /// Gives each row its status.
    pub fn apply(&self, rows: &mut [CaseRow]) {
        for (r, s) in rows.iter_mut().zip(&self.statuses) {
            r.status = *s;
        }
    }
}

/// Decides every found case's status against what came before.
pub fn plan(before: &Before, rows: &[CaseRow], as_of: Date) -> Plan {
    let statuses: Vec<CaseStatus> = rows
        .iter()
        .map(|r| before.status(&r.case_id, &r.data_digest(), as_of))
        .collect();
    let found: HashSet<&str> = rows.iter().map(|r| r.case_id.as_str()).collect();
    let mut counts = Counts {
        found: rows.len() as u64,
        resolved: before
            .previous_reported
            .iter()
            .filter(|id| !found.contains(id.as_str()))
            .count() as u64,
        ..Counts::default()
    };
    for s in &statuses {
        match s {
            CaseStatus::New => counts.new += 1,
            CaseStatus::Persisting => counts.persisting += 1,
            CaseStatus::Overdue => counts.overdue += 1,
            CaseStatus::Confirmed => counts.confirmed += 1,
        }
    }
    counts.reported = counts.found - counts.confirmed;
    Plan { statuses, counts }
}

/// A run about to be recorded.
#[derive(Clone, Debug)]
pub struct NewRun {
    pub period: String,
    pub county: String,
    pub county_name: String,
    pub as_of: Date,
    pub deadline: Date,
    /// The input files (source, file, records, bytes, modified): JSON.
    pub inputs: serde_json::Value,
}

impl Session<'_> {
    /// What the ledger holds from before a run of `period` as of `as_of`:
    /// earlier runs are those with an earlier as-of date (or the same date
    /// and an earlier period); a re-run of a period ignores its own earlier
    /// record and the answers given to it.
    pub fn before(&self, period: &str, as_of: Date) -> Result<Before> {
        self.before_inner(period, as_of)
            .map_err(|e| db(self.path, e))
    }

    fn before_inner(&self, period: &str, as_of: Date) -> rusqlite::Result<Before> {
        let as_of = as_of.to_string();
        let earlier = "period <> ?1 AND (as_of < ?2 OR (as_of = ?2 AND period < ?1))";
        let previous = {
            let mut st = self.tx.prepare(&format!(
                "SELECT {} FROM runs WHERE {earlier} ORDER BY as_of DESC, period DESC LIMIT 1",
                super::RUN_COLUMNS
            ))?;
            let mut rows = st.query_map(params![period, as_of], run_of)?;
            rows.next().transpose()?
        };
        let mut before = Before {
            previous,
            ..Before::default()
        };
        if let Some(p) = &before.previous {
            let mut st = self
                .tx
                .prepare("SELECT case_id, status FROM cases WHERE period = ?1")?;
            let mut rows = st.query([&p.period])?;
            while let Some(r) = rows.next()? {
                let id: String = r.get(0)?;
                let status: String = r.get(1)?;
                if status != CaseStatus::Confirmed.key() {
                    before.previous_reported.insert(id.clone());
                }
                before.previous_found.insert(id);
            }
        }
        let mut st = self.tx.prepare(
            "SELECT a.case_id, a.period, a.answer, c.digest, r.deadline
               FROM answers a
               JOIN runs r ON r.period = a.period
               JOIN cases c ON c.period = a.period AND c.case_id = a.case_id
              WHERE r.period <> ?1 AND (r.as_of < ?2 OR (r.as_of = ?2 AND r.period < ?1))
              ORDER BY r.as_of, r.period",
        )?;
        let mut rows = st.query(params![period, as_of])?;
        while let Some(r) = rows.next()? {
            let answer: String = r.get(2)?;
            let deadline: String = r.get(4)?;
            let (Some(answer), Some(deadline)) = (Answer::parse(&answer), stored_date(&deadline))
            else {
                continue;
            };
            // Later periods come later: the last one seen is the latest.
            before.latest.insert(
                r.get(0)?,
                Earlier {
                    period: r.get(1)?,
                    answer,
                    digest: r.get(3)?,
                    deadline,
                },
            );
        }
        Ok(before)
    }

    /// Records a run, its counts and every case it found (with the status
    /// [`Plan::apply`] gave it and its data digest), replacing an earlier
    /// record of the same period; gives every run, oldest first, this one
    /// included (the trend).
    pub fn record_run<'r>(
        &self,
        run: &NewRun,
        previous: Option<&str>,
        counts: &Counts,
        rows: impl IntoIterator<Item = &'r CaseRow>,
    ) -> Result<Vec<Run>> {
        let mut rows: Vec<&CaseRow> = rows.into_iter().collect();
        // In key order: the table is a B-tree on (period, case_id), and
        // appending to it is faster than inserting at random.
        rows.sort_by(|a, b| a.case_id.cmp(&b.case_id));
        self.record_inner(run, previous, counts, &rows)
            .map_err(|e| db(self.path, e))?;
        self.runs()
    }

    fn record_inner(
        &self,
        run: &NewRun,
        previous: Option<&str>,
        c: &Counts,
        rows: &[&CaseRow],
    ) -> rusqlite::Result<()> {
        self.tx
            .execute("DELETE FROM cases WHERE period = ?1", [&run.period])?;
        self.tx.execute(
            "INSERT INTO runs (period, county, county_name, as_of, deadline, run_at, inputs, previous,
                               found, reported, new, persisting, overdue, resolved, confirmed)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
             ON CONFLICT (period) DO UPDATE SET
                county = excluded.county, county_name = excluded.county_name,
                as_of = excluded.as_of, deadline = excluded.deadline, run_at = excluded.run_at,
                inputs = excluded.inputs, previous = excluded.previous, found = excluded.found,
                reported = excluded.reported, new = excluded.new, persisting = excluded.persisting,
                overdue = excluded.overdue, resolved = excluded.resolved,
                confirmed = excluded.confirmed",
            params![
                run.period,
                run.county,
                run.county_name,
                run.as_of.to_string(),
                run.deadline.to_string(),
                now(),
                run.inputs.to_string(),
                previous,
                c.found as i64,
                c.reported as i64,
                c.new as i64,
                c.persisting as i64,
                c.overdue as i64,
                c.resolved as i64,
                c.confirmed as i64,
            ],
        )?;
        let mut st = self.tx.prepare_cached(
            "INSERT INTO cases (period, case_id, category, village_code, village, status, digest,
                                source, file, sheet, row, field, name, id_number, value,
                                other_value, note)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        )?;
        for r in rows {
            st.execute(params![
                run.period,
                r.case_id,
                r.category.code(),
                r.village_code,
                r.village,
                r.status.key(),
                r.data_digest(),
                r.place.source.key(),
                r.place.file,
                r.place.sheet,
                r.place.row,
                r.field,
                r.name,
                r.id_number,
                r.value,
                r.other_value,
                r.note,
            ])?;
        }
        Ok(())
    }
}

/// A category read back from the ledger.
pub(crate) fn category(code: &str) -> Option<Category> {
    Category::ALL.into_iter().find(|c| c.code() == code)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ledger::Ledger;
    use crate::load::SourceKind;
    use crate::report::cases::Place;

    fn row(id: &str, value: &str) -> CaseRow {
        CaseRow {
            case_id: id.into(),
            category: Category::Q01,
            place: Place {
                source: SourceKind::Wis,
                file: "wis.xlsx".into(),
                sheet: String::new(),
                row: 2,
            },
            field: "id_number".into(),
            id_number: value.into(),
            name: "张三".into(),
            note: String::new(),
            other: None,
            village_code: "371326101201".into(),
            village: "曹集村".into(),
            value: value.into(),
            other_value: String::new(),
            weight: None,
            explanation: String::new(),
            status: CaseStatus::New,
        }
    }

    fn date(s: &str) -> Date {
        stored_date(s).unwrap()
    }

    fn new_run(period: &str, as_of: &str) -> NewRun {
        NewRun {
            period: period.into(),
            county: "371326".into(),
            county_name: "平邑县".into(),
            as_of: date(as_of),
            deadline: date(as_of)
                .days_since_epoch()
                .checked_add(30)
                .map(Date::from_days_since_epoch)
                .unwrap(),
            inputs: serde_json::json!([]),
        }
    }

    /// Records one run of `rows` and gives its counts and statuses.
    fn check(ledger: &mut Ledger, period: &str, as_of: &str, rows: &[CaseRow]) -> Plan {
        let s = ledger.begin().unwrap();
        let run = new_run(period, as_of);
        let before = s.before(period, run.as_of).unwrap();
        let plan = plan(&before, rows, run.as_of);
        let mut rows = rows.to_vec();
        plan.apply(&mut rows);
        s.record_run(
            &run,
            before.previous.as_ref().map(|p| p.period.as_str()),
            &plan.counts,
            &rows,
        )
        .unwrap();
        s.commit().unwrap();
        plan
    }

    fn answer(ledger: &Ledger, period: &str, case_id: &str, answer: Answer) {
        ledger
            .conn()
            .execute(
                "INSERT INTO answers (period, case_id, answer, correct_value, verifier, verified_on,
                                      remark, file, sheet, row, imported_at)
                 VALUES (?1, ?2, ?3, '', '', NULL, '', 'f.xlsx', 's', 5, 'now')",
                params![period, case_id, answer.text()],
            )
            .unwrap();
    }

    #[test]
    fn statuses_and_counts_follow_the_answers_month_over_month() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create_or_open(&dir.path().join("l.sqlite")).unwrap();
        let june = [row("a", "1"), row("b", "2"), row("c", "3"), row("d", "4")];
        let p = check(&mut ledger, "2026-06", "2026-06-30", &june);
        assert_eq!(p.statuses, vec![CaseStatus::New; 4]);
        assert_eq!((p.counts.found, p.counts.reported, p.counts.new), (4, 4, 4));

        // a: confirmed correct, unchanged → not sent; b: confirmed but its
        // data changed → sent again; c: needs correction, still there after
        // the deadline → overdue; d: gone → resolved; e: new.
        answer(&ledger, "2026-06", "a", Answer::Correct);
        answer(&ledger, "2026-06", "b", Answer::Correct);
        answer(&ledger, "2026-06", "c", Answer::NeedsCorrection);
        let july = [row("a", "1"), row("b", "22"), row("c", "3"), row("e", "5")];
        let p = check(&mut ledger, "2026-07", "2026-07-31", &july);
        assert_eq!(
            p.statuses,
            vec![
                CaseStatus::Confirmed,
                CaseStatus::Persisting,
                CaseStatus::Overdue,
                CaseStatus::New
            ]
        );
        assert_eq!(
            p.counts,
            Counts {
                found: 4,
                reported: 3,
                new: 1,
                persisting: 1,
                overdue: 1,
                resolved: 1,
                confirmed: 1,
            }
        );

        // Re-running July ignores July's own record: same statuses.
        let again = check(&mut ledger, "2026-07", "2026-07-31", &july);
        assert_eq!(again.statuses, p.statuses);
        assert_eq!(again.counts, p.counts);

        // The trend: one entry per period, oldest first.
        let runs = ledger.runs().unwrap();
        let periods: Vec<&str> = runs.iter().map(|r| r.period.as_str()).collect();
        assert_eq!(periods, ["2026-06", "2026-07"]);
        assert_eq!(runs[1].previous.as_deref(), Some("2026-06"));
        assert_eq!(runs[1].counts, p.counts);
    }

    #[test]
    fn a_correction_is_not_overdue_before_its_deadline() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create_or_open(&dir.path().join("l.sqlite")).unwrap();
        check(&mut ledger, "2026-06", "2026-06-30", &[row("c", "3")]);
        answer(&ledger, "2026-06", "c", Answer::NeedsCorrection);
        // The deadline is 30 days after 2026-06-30: 2026-07-30.
        let p = check(&mut ledger, "mid", "2026-07-15", &[row("c", "3")]);
        assert_eq!(p.statuses, vec![CaseStatus::Persisting]);
        let p = check(&mut ledger, "2026-07", "2026-07-31", &[row("c", "3")]);
        assert_eq!(p.statuses, vec![CaseStatus::Overdue]);
    }

    #[test]
    fn a_dropped_transaction_records_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = Ledger::create_or_open(&dir.path().join("l.sqlite")).unwrap();
        {
            let s = ledger.begin().unwrap();
            let run = new_run("2026-06", "2026-06-30");
            let rows = [row("a", "1")];
            let p = plan(&Before::default(), &rows, run.as_of);
            s.record_run(&run, None, &p.counts, &rows).unwrap();
            // Dropped without commit, as when check fails writing its files.
        }
        assert!(ledger.runs().unwrap().is_empty());
    }
}
