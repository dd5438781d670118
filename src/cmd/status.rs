//! `bidui status`: who has answered, and who has not.
//!
//! Takes [`StatusOptions`] (the ledger, a period — the latest by default)
//! and prints per village the cases sent, answered (to this period's
//! workbook), not answered and overdue, by category, with the month-over-
//! month counts of every period; as a table on standard output, or one
//! JSON object with `--json`. See docs/import.md.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::ledger::answers::{Tally, VillageStatus};
use crate::ledger::{Ledger, Run};

/// The validated options of `bidui status`.
#[derive(Clone, Debug)]
pub struct StatusOptions {
    pub ledger: PathBuf,
    /// The period to show; the latest run's when not given.
    pub period: Option<String>,
    pub json: bool,
}

/// The run of the period asked for, else the latest; a usage error naming
/// the periods there are when it has none.
pub fn chosen_run(ledger: &Ledger, period: Option<&str>) -> Result<(Run, Vec<Run>)> {
    let runs = ledger.runs()?;
    let listed = || {
        runs.iter()
            .map(|r| r.period.as_str())
            .collect::<Vec<_>>()
            .join("、")
    };
    let run = match period {
        None => runs
            .iter()
            .max_by(|a, b| (a.as_of, &a.period).cmp(&(b.as_of, &b.period))),
        Some(p) => runs.iter().find(|r| r.period == p),
    };
    match (run, period) {
        (Some(r), _) => Ok((r.clone(), runs.clone())),
        (None, None) => Err(Error::Usage(format!(
            "账本 {} 里还没有任何一期比对：先运行 bidui check",
            ledger.path().display()
        ))),
        (None, Some(p)) => Err(Error::Usage(format!(
            "账本 {} 里没有 {p} 期；有：{}",
            ledger.path().display(),
            listed()
        ))),
    }
}

pub fn run(options: &StatusOptions, out: &mut dyn Write) -> Result<ExitCode> {
    let ledger = Ledger::open(&options.ledger)?;
    let (run, runs) = chosen_run(&ledger, options.period.as_deref())?;
    let villages = ledger.status(&run.period)?;
    let mut total = Tally::default();
    let mut confirmed = 0;
    for v in &villages {
        total.sent += v.tally.sent;
        total.answered += v.tally.answered;
        total.unanswered += v.tally.unanswered;
        total.overdue += v.tally.overdue;
        confirmed += v.confirmed;
    }
    if options.json {
        let value = json!({
            "ledger": options.ledger.display().to_string(),
            "period": run.period,
            "county": run.county,
            "county_name": run.county_name,
            "as_of": run.as_of,
            "deadline": run.deadline,
            "totals": {
                "sent": total.sent,
                "answered": total.answered,
                "unanswered": total.unanswered,
                "overdue": total.overdue,
                "confirmed": confirmed,
            },
            "villages": villages,
            "trend": runs.iter().map(trend_entry).collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut *out, &value).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
    } else {
        table(out, &run, &runs, &villages, &total, confirmed).map_err(Error::stdout)?;
    }
    out.flush().map_err(Error::stdout)?;
    Ok(ExitCode::Success)
}

/// One period of the trend, as summary.json and `status --json` give it.
pub fn trend_entry(r: &Run) -> serde_json::Value {
    json!({
        "period": r.period,
        "as_of": r.as_of,
        "found": r.counts.found,
        "cases": r.counts.reported,
        "new": r.counts.new,
        "persisting": r.counts.persisting,
        "overdue": r.counts.overdue,
        "resolved": r.counts.resolved,
        "confirmed": r.counts.confirmed,
    })
}

fn table(
    out: &mut dyn Write,
    run: &Run,
    runs: &[Run],
    villages: &[VillageStatus],
    total: &Tally,
    confirmed: u64,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{}{} 期（比对日期 {}，答复截止 {}）",
        if run.county_name.is_empty() {
            String::new()
        } else {
            format!("{} ", run.county_name)
        },
        run.period,
        run.as_of,
        run.deadline
    )?;
    writeln!(
        out,
        "{}{}{}{}{}{}{}  按类别（已答复/已发）",
        pad("村代码", 14),
        pad("村", 16),
        lpad("已发", 6),
        lpad("已答复", 8),
        lpad("未答复", 8),
        lpad("逾期未更正", 12),
        lpad("未再发", 8),
    )?;
    for v in villages {
        let cats: Vec<String> = v
            .by_category
            .iter()
            .map(|(c, t)| format!("{c} {}/{}", t.answered, t.sent))
            .collect();
        let (code, name) = if v.village_code.is_empty() && v.village.is_empty() {
            ("", "（未分配村）")
        } else {
            (v.village_code.as_str(), v.village.as_str())
        };
        writeln!(
            out,
            "{}{}{}  {}",
            pad(code, 14),
            pad(name, 16),
            counts(&v.tally, v.confirmed),
            cats.join("，")
        )?;
    }
    writeln!(out, "{}{}", pad("合计", 30), counts(total, confirmed))?;
    writeln!(out)?;
    let heads = [
        "报告",
        "新发现",
        "上期仍在",
        "逾期未更正",
        "已解决",
        "已确认未再发",
    ];
    let head: String = heads.iter().map(|h| lpad(h, 14)).collect();
    writeln!(out, "{}{}{head}", pad("期次", 14), pad("比对日期", 12))?;
    for r in runs {
        let n: String = r
            .counts
            .trend()
            .iter()
            .map(|n| lpad(&n.to_string(), 14))
            .collect();
        writeln!(
            out,
            "{}{}{n}",
            pad(&r.period, 14),
            pad(&r.as_of.to_string(), 12)
        )?;
    }
    Ok(())
}

fn counts(t: &Tally, confirmed: u64) -> String {
    [
        (t.sent, 6),
        (t.answered, 8),
        (t.unanswered, 8),
        (t.overdue, 12),
        (confirmed, 8),
    ]
    .iter()
    .map(|(n, w)| lpad(&n.to_string(), *w))
    .collect()
}

/// Columns a terminal gives a text: two for a Chinese character.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// `s` and spaces to `w` columns (at least one space after it).
fn pad(s: &str, w: usize) -> String {
    format!("{s}{}", " ".repeat(w.saturating_sub(width(s)).max(1)))
}

/// Spaces and `s` to `w` columns.
fn lpad(s: &str, w: usize) -> String {
    format!("{}{s}", " ".repeat(w.saturating_sub(width(s)).max(1)))
}
