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
use crate::identity::mask;
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
    if t.len() >= 15 && t.chars().filter(char::is_ascii_digit).count() >= 14 {
        mask(&t)
    } else {
        t
    }
}
