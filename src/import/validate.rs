//! Checking a workbook's rows against the ledger: the second stage of
//! `bidui import`.
//!
//! Takes a [`Workbook`] as read and the ledger (in the import's
//! transaction) and gives the answers to store and the rows' problems: a
//! workbook of another county, or of a period the ledger has no run for, is
//! refused whole; each row must have its digest intact (not tampered with),
//! a case id the run sent to this very village, an answer the category
//! offers and, where given, a real 核实日期. An empty 核实结果 is a case
//! not answered yet, not a problem.

use std::collections::HashMap;

use super::{DateCell, Problem, Refusal, Row, Workbook};
use crate::classify::{Answer, digest};
use crate::error::Result;
use crate::ledger::answers::AnswerRow;
use crate::ledger::{CaseStatus, Run, Session};

/// A workbook's rows sorted out.
#[derive(Debug, Default)]
pub struct Checked {
    /// The run the workbook was sent by.
    pub run: Option<Run>,
    pub answers: Vec<AnswerRow>,
    /// Rows with a valid case and no answer yet.
    pub unanswered: usize,
    pub problems: Vec<Problem>,
}

/// Refuses a workbook the ledger did not send, or gives its answers and
/// problems. `file` is the workbook as the answers record it.
pub fn validate(
    session: &Session<'_>,
    book: &Workbook,
    file: &str,
) -> Result<std::result::Result<Checked, Refusal>> {
    let meta = &book.meta;
    let Some(run) = session.run(&meta.period)? else {
        let known: Vec<String> = session.runs()?.into_iter().map(|r| r.period).collect();
        return Ok(Err(Refusal(format!(
            "这是 {} 期的核实表，账本 {} 里没有这一期的比对{}：不是这个输出文件夹的 bidui check 下发的（可用 --ledger 指定别的账本）",
            meta.period,
            session.path().display(),
            if known.is_empty() {
                "（账本里还没有任何一期）".to_string()
            } else {
                format!("（账本里有：{}）", known.join("、"))
            }
        ))));
    };
    if !run.county.is_empty() && meta.county != run.county {
        return Ok(Err(Refusal(format!(
            "这是{}（{}）的核实表，账本 {} 是{}（{}）的：不是本县下发的，未导入",
            or_code(&meta.county_name, &meta.county),
            meta.county,
            session.path().display(),
            or_code(&run.county_name, &run.county),
            run.county,
        ))));
    }
    let mut out = Checked::default();
    let mut seen: HashMap<&str, &Row> = HashMap::new();
    for row in &book.rows {
        let problem = |column: Option<&str>, problem: String| Problem {
            sheet: row.sheet.clone(),
            row: Some(row.row),
            column: column.map(str::to_string),
            problem,
        };
        if row.case_id.is_empty() {
            if row.touched() {
                out.problems.push(problem(
                    Some("案例编号"),
                    "没有案例编号，本行的答复无法对应到案例，未导入".into(),
                ));
            }
            continue;
        }
        if let Some(first) = seen.get(row.case_id.as_str()) {
            out.problems.push(problem(
                Some("案例编号"),
                format!(
                    "案例编号 {} 在本工作簿中重复（先出现在工作表“{}”第 {} 行），本行未导入",
                    row.case_id, first.sheet, first.row
                ),
            ));
            continue;
        }
        seen.insert(&row.case_id, row);
        let mut parts: Vec<&str> = vec![&row.case_id, &meta.period, &meta.village_code];
        parts.extend(row.sent.iter().map(String::as_str));
        if row.check != digest(&parts) {
            out.problems.push(problem(
                None,
                "“案例编号”到“说明”之间的内容与下发时不同（校验不符），可能被改动过，本行未导入；请只填写核实结果、正确值、核实人、核实日期、备注".into(),
            ));
            continue;
        }
        let Some(case) = session.case(&meta.period, &row.case_id)? else {
            out.problems.push(problem(
                Some("案例编号"),
                format!(
                    "案例编号 {} 不在 {} 期的比对结果里，本行未导入",
                    row.case_id, meta.period
                ),
            ));
            continue;
        };
        let this_village = if meta.village_code.is_empty() {
            case.village_code.is_empty() && case.village == meta.village
        } else {
            case.village_code == meta.village_code
        };
        if !this_village {
            out.problems.push(problem(
                Some("案例编号"),
                format!(
                    "案例编号 {} 是发给{}的，不是本村（{}）的，本行未导入",
                    row.case_id,
                    if case.village.is_empty() {
                        "别的村".to_string()
                    } else {
                        case.village.clone()
                    },
                    or_code(&meta.village, &meta.village_code)
                ),
            ));
            continue;
        }
        if case.status == CaseStatus::Confirmed {
            out.problems.push(problem(
                Some("案例编号"),
                format!(
                    "案例编号 {} 本期没有下发（上期已答复信息无误），本行未导入",
                    row.case_id
                ),
            ));
            continue;
        }
        if row.answer.is_empty() {
            if row.touched() {
                out.problems.push(problem(
                    Some("核实结果"),
                    "填写了正确值、核实人、核实日期或备注，但没有选择核实结果，本行未导入".into(),
                ));
            } else {
                out.unanswered += 1;
            }
            continue;
        }
        let allowed = case.category.answers();
        let answer = match Answer::parse(&row.answer) {
            Some(a) if allowed.contains(&a) => a,
            parsed => {
                let choices: Vec<&str> = allowed.iter().map(|a| a.text()).collect();
                out.problems.push(problem(
                    Some("核实结果"),
                    format!(
                        "核实结果“{}”{}；{} 类可选：{}",
                        shown_answer(&row.answer),
                        if parsed.is_some() {
                            "不适用于这一类问题"
                        } else {
                            "不是可选的答复"
                        },
                        case.category.code(),
                        choices.join("、")
                    ),
                ));
                continue;
            }
        };
        let verified_on = match &row.verified_on {
            DateCell::Empty => None,
            DateCell::Date(d) => Some(*d),
            DateCell::Bad(why) => {
                out.problems.push(problem(
                    Some("核实日期"),
                    format!("核实日期不是真实的日期：{why}；本行未导入"),
                ));
                continue;
            }
        };
        out.answers.push(AnswerRow {
            period: meta.period.clone(),
            case_id: row.case_id.clone(),
            answer,
            correct_value: row.correct_value.clone(),
            verifier: row.verifier.clone(),
            verified_on,
            remark: row.remark.clone(),
            file: file.to_string(),
            sheet: row.sheet.clone(),
            row: row.row,
        });
    }
    out.run = Some(run);
    Ok(Ok(out))
}

fn or_code<'a>(name: &'a str, code: &'a str) -> &'a str {
    if name.is_empty() { code } else { name }
}

/// An answer cell as a message may show it: cut short, and an ID number a
/// cadre typed into the wrong column masked.
fn shown_answer(text: &str) -> String {
    let t: String = text.chars().take(20).collect();
    super::shown_cell(&t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::Category;
    use crate::identity::Date;
    use crate::import::Meta;
    use crate::ledger::Ledger;
    use crate::ledger::month::{NewRun, plan};
    use crate::load::SourceKind;
    use crate::report::cases::{CaseRow, Place};

    const VILLAGE: &str = "371326101201";

    fn case(id: &str, category: Category, village_code: &str) -> CaseRow {
        CaseRow {
            case_id: id.into(),
            category,
            place: Place {
                source: SourceKind::Wis,
                file: "wis.xlsx".into(),
                sheet: String::new(),
                row: 2,
            },
            field: "name".into(),
            id_number: String::new(),
            name: "张三".into(),
            note: String::new(),
            other: None,
            village_code: village_code.into(),
            village: "曹集村".into(),
            value: String::new(),
            other_value: String::new(),
            weight: None,
            explanation: String::new(),
            status: CaseStatus::New,
        }
    }

    /// A ledger with a June run of three cases: two of this village, one
    /// of another.
    fn ledger(dir: &std::path::Path) -> Ledger {
        let mut ledger = Ledger::create_or_open(&dir.join("l.sqlite")).unwrap();
        let rows = [
            case("H03-a", Category::H03, VILLAGE),
            case("H01-b", Category::H01, VILLAGE),
            case("H03-c", Category::H03, "371326101200"),
        ];
        let s = ledger.begin().unwrap();
        let as_of = Date::from_ymd(2026, 6, 30).unwrap();
        let p = plan(&Default::default(), &rows, as_of);
        let run = NewRun {
            period: "2026-06".into(),
            county: "371326".into(),
            county_name: "平邑县".into(),
            as_of,
            deadline: Date::from_ymd(2026, 7, 30).unwrap(),
            inputs: serde_json::json!([]),
        };
        s.record_run(&run, None, &p.counts, &rows).unwrap();
        s.commit().unwrap();
        ledger
    }

    fn meta(county: &str, period: &str) -> Meta {
        Meta {
            format: crate::import::FORMAT.into(),
            county: county.into(),
            county_name: "某县".into(),
            village_code: VILLAGE.into(),
            village: "曹集村".into(),
            period: period.into(),
            ..Meta::default()
        }
    }

    /// A row as sent (digest intact) with this answer and date.
    fn row(id: &str, answer: &str, date: DateCell) -> Row {
        let sent = vec![id.to_string(), "张三".to_string()];
        let mut parts = vec![id, "2026-06", VILLAGE];
        parts.extend(sent.iter().map(String::as_str));
        Row {
            sheet: "H03 姓名不一致".into(),
            category: Category::H03,
            row: 4,
            case_id: id.into(),
            check: digest(&parts),
            sent,
            answer: answer.into(),
            correct_value: String::new(),
            verifier: String::new(),
            verified_on: date,
            remark: String::new(),
        }
    }

    fn checked(ledger: &mut Ledger, book: &Workbook) -> std::result::Result<Checked, Refusal> {
        let s = ledger.begin().unwrap();
        validate(&s, book, "x.xlsx").unwrap()
    }

    #[test]
    fn each_bad_row_is_one_problem_and_the_good_rows_are_answers() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger(dir.path());
        let day = DateCell::Date(Date::from_ymd(2026, 7, 1).unwrap());
        let mut tampered = row("H03-a", "信息无误", DateCell::Empty);
        tampered.sent[1] = "李四".into();
        let mut no_id = row("", "信息无误", DateCell::Empty);
        no_id.case_id.clear();
        let cases: Vec<(Row, Option<&str>)> = vec![
            (row("H03-a", "信息无误", day.clone()), None),
            (row("H01-b", "查无此人", DateCell::Empty), None),
            (tampered, Some("校验不符")),
            (row("H03-a", "信息无误", day.clone()), Some("重复")),
            (
                row("H03-z", "信息无误", DateCell::Empty),
                Some("不在 2026-06 期"),
            ),
            (row("H03-c", "信息无误", DateCell::Empty), Some("不是本村")),
            (
                row("H01-b", "好的", DateCell::Empty),
                Some("不是可选的答复"),
            ),
            (
                row(
                    "H01-b",
                    "信息无误",
                    DateCell::Bad("“2026-02-30”不是真实存在的日期".into()),
                ),
                Some("核实日期不是真实的日期"),
            ),
            (no_id, Some("没有案例编号")),
        ];
        for (r, want) in cases {
            // The duplicate needs its first occurrence in the same workbook.
            let rows = if want == Some("重复") {
                vec![row("H03-a", "", DateCell::Empty), r]
            } else {
                vec![r]
            };
            let book = Workbook {
                meta: meta("371326", "2026-06"),
                rows,
                problems: Vec::new(),
            };
            let c = checked(&mut ledger, &book).unwrap();
            match want {
                None => {
                    assert_eq!(c.answers.len(), 1, "{:?}", c.problems);
                    assert!(c.problems.is_empty());
                }
                Some(fragment) => {
                    assert!(c.answers.is_empty(), "{fragment}");
                    assert_eq!(c.problems.len(), 1, "{fragment}: {:?}", c.problems);
                    let p = &c.problems[0];
                    assert!(p.problem.contains(fragment), "{fragment}: {}", p.problem);
                    assert_eq!(p.sheet, "H03 姓名不一致");
                }
            }
        }
    }

    #[test]
    fn an_empty_answer_is_not_answered_yet_and_h03_offers_no_ways_of_leaving() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger(dir.path());
        let book = Workbook {
            meta: meta("371326", "2026-06"),
            rows: vec![
                row("H03-a", "已迁出", DateCell::Empty),
                row("H01-b", "", DateCell::Empty),
            ],
            problems: Vec::new(),
        };
        let c = checked(&mut ledger, &book).unwrap();
        assert_eq!(c.unanswered, 1);
        assert_eq!(c.problems.len(), 1);
        assert!(
            c.problems[0]
                .problem
                .contains("不适用于这一类问题；H03 类可选：属实需更正、信息无误、其他"),
            "{}",
            c.problems[0].problem
        );
    }

    #[test]
    fn another_county_or_an_unknown_period_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut ledger = ledger(dir.path());
        for (m, fragment) in [
            (meta("370102", "2026-06"), "某县（370102）的核实表"),
            (
                meta("371326", "2025-12"),
                "没有这一期的比对（账本里有：2026-06）",
            ),
        ] {
            let book = Workbook {
                meta: m,
                rows: vec![row("H03-a", "信息无误", DateCell::Empty)],
                problems: Vec::new(),
            };
            match checked(&mut ledger, &book) {
                Err(Refusal(why)) => assert!(why.contains(fragment), "{why}"),
                Ok(c) => panic!("not refused: {c:?}"),
            }
        }
    }
}
