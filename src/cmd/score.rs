//! `bidui score`: precision, recall and F1 of a cases or pairs file against
//! a truth folder.
//!
//! Takes the options, scores the files through [`crate::sample::score`]
//! and writes per category the true, reported, correct, false and missed
//! counts with precision, recall and F1, and their total — as an aligned
//! table, or one JSON object with `--json`.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use crate::error::{Error, Location, Result};
use crate::exit::ExitCode;
use crate::sample::score::{Report, score_cases, score_pairs};

#[derive(Clone, Debug)]
pub struct ScoreOptions {
    pub truth: PathBuf,
    pub cases: Option<PathBuf>,
    pub pairs: Option<PathBuf>,
    pub json: bool,
}

/// Columns of a terminal a text takes (CJK characters take two).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let wide = matches!(c,
                '\u{1100}'..='\u{115f}'
                    | '\u{2e80}'..='\u{a4cf}'
                    | '\u{ac00}'..='\u{d7a3}'
                    | '\u{f900}'..='\u{faff}'
                    | '\u{fe30}'..='\u{fe4f}'
                    | '\u{ff00}'..='\u{ff60}'
                    | '\u{ffe0}'..='\u{ffe6}');
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn pad(s: &str, width: usize, right: bool) -> String {
    let fill = " ".repeat(width.saturating_sub(display_width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

fn ratio(x: Option<f64>) -> String {
    x.map_or("-".to_string(), |v| format!("{v:.3}"))
}

/// The report as an aligned table.
pub fn table(title: &str, report: &Report) -> String {
    let head = [
        "类别",
        "真值",
        "报告",
        "正确",
        "误报",
        "漏报",
        "精确率",
        "召回率",
        "F1",
    ];
    let mut rows: Vec<Vec<String>> = Vec::new();
    for s in report
        .categories
        .iter()
        .chain(std::iter::once(&report.total))
    {
        rows.push(vec![
            s.category.clone(),
            s.truth.to_string(),
            s.reported.to_string(),
            s.tp.to_string(),
            s.fp.to_string(),
            s.fn_.to_string(),
            ratio(s.precision),
            ratio(s.recall),
            ratio(s.f1),
        ]);
    }
    let widths: Vec<usize> = (0..head.len())
        .map(|i| {
            rows.iter()
                .map(|r| display_width(&r[i]))
                .chain([display_width(head[i])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: Vec<String>| -> String {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| pad(c, widths[i], i > 0))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = format!("{title}（按 {} 匹配）\n", report.matched_on.join("、"));
    out.push_str(&line(head.iter().map(|s| s.to_string()).collect()));
    out.push('\n');
    let n = rows.len();
    for (i, r) in rows.into_iter().enumerate() {
        if i + 1 == n {
            out.push_str(&"-".repeat(widths.iter().sum::<usize>() + 2 * (widths.len() - 1)));
            out.push('\n');
        }
        out.push_str(&line(r));
        out.push('\n');
    }
    out
}

pub fn run(options: &ScoreOptions, out: &mut dyn Write) -> Result<ExitCode> {
    if options.cases.is_none() && options.pairs.is_none() {
        return Err(Error::Usage("请给出 --cases 或 --pairs".into()));
    }
    if !options.truth.is_dir() {
        return Err(Error::Read {
            location: Location::file(&options.truth),
            source: io::Error::new(
                io::ErrorKind::InvalidInput,
                "不是真值文件夹（应为 bidui sample 写出的 truth 文件夹）",
            ),
        });
    }
    let cases = options
        .cases
        .as_deref()
        .map(|p| score_cases(&options.truth, p))
        .transpose()?;
    let pairs = options
        .pairs
        .as_deref()
        .map(|p| score_pairs(&options.truth, p))
        .transpose()?;
    if options.json {
        #[derive(Serialize)]
        struct Both<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            cases: Option<&'a Report>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pairs: Option<&'a Report>,
        }
        let both = Both {
            cases: cases.as_ref(),
            pairs: pairs.as_ref(),
        };
        serde_json::to_writer(&mut *out, &both).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
    } else {
        let mut text = String::new();
        if let Some(r) = &cases {
            text.push_str(&table("案例", r));
        }
        if let Some(r) = &pairs {
            if !text.is_empty() {
                text.push('\n');
            }
            text.push_str(&table("链接（按来源对）", r));
        }
        out.write_all(text.as_bytes()).map_err(Error::stdout)?;
    }
    out.flush().map_err(Error::stdout)?;
    Ok(ExitCode::Success)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_lines_up_and_ends_with_the_total() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("cases.csv"),
            "category,source,file,sheet,row,field,note\nQ01,wis,a,,4,id_number,x\nH03,wis,a,,5,name,x\n",
        )
        .unwrap();
        let mine = dir.path().join("mine.csv");
        std::fs::write(&mine, "category,source,row\nQ01,wis,4\n").unwrap();
        let text = table("案例", &score_cases(dir.path(), &mine).unwrap());
        let lines: Vec<&str> = text.lines().collect();
        assert!(
            lines[0].starts_with("案例（按 category、source、row 匹配）"),
            "{text}"
        );
        assert!(
            lines[1].starts_with("类别") && lines[1].contains("精确率"),
            "{text}"
        );
        assert!(lines.last().unwrap().starts_with("合计"), "{text}");
        // Every row as wide as the header.
        let width = display_width(lines[1]);
        for l in &lines[2..] {
            if !l.starts_with('-') {
                assert_eq!(display_width(l), width, "{l}");
            }
        }
        assert!(
            text.contains("Q01") && text.contains("1.000") && text.contains("H03"),
            "{text}"
        );
    }

    #[test]
    fn wide_characters_align() {
        assert_eq!(display_width("合计"), 4);
        assert_eq!(display_width("Q01"), 3);
        assert_eq!(pad("合计", 6, false), "合计  ");
    }
}
