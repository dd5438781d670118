//! `bidui id`: explain ID numbers one by one.
//!
//! Takes numbers from the command line or one per line from a reader, and
//! writes for each its cleaned form, whether it is valid and every reason it
//! is not, the region, birth date and sex it encodes, and for an invalid
//! number the candidates one typo away — as text for a person or one JSON
//! object per line for a script. A bad line is an answer, never a failure.

use std::io::{BufRead, Write};

use serde::Serialize;

use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::identity::id_number::{IdKind, IdNumber, IdParser, IdProblem, Repair};
use crate::identity::{Date, Region, Sex};

#[derive(Clone, Debug)]
pub struct IdOptions {
    /// The numbers to explain; empty means: read standard input.
    pub numbers: Vec<String>,
    pub json: bool,
    /// Exit with [`ExitCode::CasesFound`] when any number is invalid.
    pub fail_on_invalid: bool,
    /// Birth dates after this are wrong.
    pub as_of: Date,
}

/// What `bidui id` says about one input.
#[derive(Debug, Serialize)]
pub struct Answer {
    /// The line of standard input (1-based), when read from there.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    pub input: String,
    pub cleaned: String,
    pub kind: IdKind,
    pub kind_label: &'static str,
    pub valid: bool,
    pub problems: Vec<ProblemOut>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub upgraded_from: Option<String>,
    pub birth_date: Option<Date>,
    pub sex: Option<Sex>,
    pub region: Option<RegionOut>,
    pub repairs: Vec<RepairOut>,
}

#[derive(Debug, Serialize)]
pub struct ProblemOut {
    #[serde(flatten)]
    pub problem: ProblemKind,
    pub message: String,
}

/// An [`IdProblem`], or the one problem of a line that is not text at all.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum ProblemKind {
    Id(IdProblem),
    NotText { code: &'static str },
}

#[derive(Debug, Serialize)]
pub struct RegionOut {
    #[serde(flatten)]
    pub region: Region,
    pub full_name: String,
}

#[derive(Debug, Serialize)]
pub struct RepairOut {
    #[serde(flatten)]
    pub repair: Repair,
    pub description: String,
}

impl Answer {
    pub fn new(line: Option<usize>, input: &str, id: &IdNumber, as_of: Date) -> Answer {
        let problems = id
            .problems()
            .iter()
            .map(|p| ProblemOut {
                message: p.message(),
                problem: ProblemKind::Id(p.clone()),
            })
            .collect();
        let repairs = id
            .repairs(as_of)
            .into_iter()
            .map(|repair| RepairOut {
                description: repair.edit.describe(),
                repair,
            })
            .collect();
        Answer {
            line,
            input: input.to_string(),
            cleaned: id.cleaned().to_string(),
            kind: id.kind(),
            kind_label: id.kind().label(),
            valid: id.is_valid(),
            problems,
            upgraded_from: id.upgraded_from().map(str::to_string),
            birth_date: id.birth_date(),
            sex: id.sex(),
            region: id.region().map(|region| RegionOut {
                full_name: region.full_name(),
                region,
            }),
            repairs,
        }
    }

    /// A line of standard input that is not UTF-8 text.
    fn not_text(line: usize, bytes: &[u8]) -> Answer {
        Answer {
            line: Some(line),
            input: String::from_utf8_lossy(bytes).into_owned(),
            cleaned: String::new(),
            kind: IdKind::Unrecognised,
            kind_label: IdKind::Unrecognised.label(),
            valid: false,
            problems: vec![ProblemOut {
                problem: ProblemKind::NotText { code: "not_utf8" },
                message: "这一行不是 UTF-8 文本（可能是 GBK 编码），请另存为 UTF-8 后再试".into(),
            }],
            upgraded_from: None,
            birth_date: None,
            sex: None,
            region: None,
            repairs: Vec::new(),
        }
    }

    fn write_text(&self, out: &mut dyn Write) -> std::io::Result<()> {
        match self.line {
            Some(n) => writeln!(out, "第 {n} 行：{}", printable(&self.input))?,
            None => writeln!(out, "{}", printable(&self.input))?,
        }
        let verdict = if self.valid { "有效" } else { "无效" };
        writeln!(out, "  结论      {verdict}（{}）", self.kind_label)?;
        if !self.cleaned.is_empty() {
            writeln!(out, "  整理后    {}", printable(&self.cleaned))?;
        }
        if let Some(old) = &self.upgraded_from {
            writeln!(out, "  原15位号  {old}")?;
        }
        for p in &self.problems {
            writeln!(out, "  问题      {}", printable(&p.message))?;
        }
        if let Some(region) = &self.region {
            let abolished = if region.region.abolished {
                "（该代码已撤销）"
            } else {
                ""
            };
            writeln!(
                out,
                "  户籍地    {} {}{abolished}",
                region.region.code, region.full_name
            )?;
        }
        if let Some(date) = self.birth_date {
            writeln!(out, "  出生日期  {date}")?;
        }
        if let Some(sex) = self.sex {
            writeln!(out, "  性别      {sex}")?;
        }
        for (i, r) in self.repairs.iter().enumerate() {
            let label = if i == 0 { "可能正确" } else { "        " };
            writeln!(out, "  {label}  {}（{}）", r.repair.number, r.description)?;
        }
        writeln!(out)
    }
}

/// Control characters would garble a terminal; show them as escapes.
fn printable(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            let shown: Vec<char> = if c.is_control() {
                c.escape_unicode().collect()
            } else {
                vec![c]
            };
            shown
        })
        .collect()
}

/// Explains the numbers in `options`, or those read from `input` when there
/// are none, writing to `out`.
pub fn run(options: &IdOptions, input: &mut dyn BufRead, out: &mut dyn Write) -> Result<ExitCode> {
    let parser = IdParser::new(options.as_of);
    let mut any_invalid = false;
    let mut emit = |answer: Answer, out: &mut dyn Write| -> Result<()> {
        any_invalid |= !answer.valid;
        if options.json {
            serde_json::to_writer(&mut *out, &answer).map_err(|e| Error::stdout(e.into()))?;
            writeln!(out).map_err(Error::stdout)
        } else {
            answer.write_text(out).map_err(Error::stdout)
        }
    };
    if options.numbers.is_empty() {
        let mut buf = Vec::new();
        let mut line = 0;
        loop {
            buf.clear();
            let n = input
                .read_until(b'\n', &mut buf)
                .map_err(|source| Error::Read {
                    location: crate::error::Location::default(),
                    source,
                })?;
            if n == 0 {
                break;
            }
            line += 1;
            while matches!(buf.last(), Some(b'\n' | b'\r')) {
                buf.pop();
            }
            let answer = match std::str::from_utf8(&buf) {
                Ok(text) => Answer::new(Some(line), text, &parser.parse(text), options.as_of),
                Err(_) => Answer::not_text(line, &buf),
            };
            emit(answer, out)?;
        }
    } else {
        for number in &options.numbers {
            emit(
                Answer::new(None, number, &parser.parse(number), options.as_of),
                out,
            )?;
        }
    }
    out.flush().map_err(Error::stdout)?;
    Ok(if any_invalid && options.fail_on_invalid {
        ExitCode::CasesFound
    } else {
        ExitCode::Success
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options(numbers: &[&str], json: bool) -> IdOptions {
        IdOptions {
            numbers: numbers.iter().map(|s| s.to_string()).collect(),
            json,
            fail_on_invalid: true,
            as_of: Date::from_ymd(2026, 11, 23).unwrap(),
        }
    }

    fn run_on(options: &IdOptions, stdin: &[u8]) -> (ExitCode, String) {
        let mut out = Vec::new();
        let code = run(options, &mut &stdin[..], &mut out).unwrap();
        (code, String::from_utf8(out).unwrap())
    }

    #[test]
    fn text_answers() {
        let (code, text) = run_on(&options(&["370404199001011231"], false), b"");
        assert_eq!(code, ExitCode::CasesFound);
        for fragment in [
            "结论      无效（居民身份证号码）",
            "问题      校验码错误：末位应为0，实为1",
            "户籍地    370404 山东省 枣庄市 峄城区",
            "出生日期  1990-01-01",
            "性别      男",
            "可能正确  370404199001011230（第18位1改为0）",
        ] {
            assert!(text.contains(fragment), "{text}\nlacks {fragment}");
        }
        let (code, text) = run_on(&options(&["110103198002290010"], false), b"");
        assert_eq!(code, ExitCode::Success);
        assert!(text.contains("（该代码已撤销）"), "{text}");
    }

    #[test]
    fn stdin_lines_each_get_an_answer() {
        let stdin = b"370404199001011230\n\n\xff\xfe garbage\r\n370404900101123";
        let (code, text) = run_on(&options(&[], true), stdin);
        assert_eq!(code, ExitCode::CasesFound);
        let lines: Vec<serde_json::Value> = text
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines.len(), 4);
        let codes: Vec<&str> = lines
            .iter()
            .map(|v| v["problems"][0]["code"].as_str().unwrap_or("-"))
            .collect();
        assert_eq!(codes, ["-", "empty", "not_utf8", "-"]);
        assert_eq!(lines[3]["line"], 4);
        assert_eq!(lines[3]["kind"], "citizen_old");
        assert_eq!(lines[3]["cleaned"], "370404199001011230");
        assert_eq!(lines[0]["region"]["county"], "峄城区");
        assert_eq!(lines[0]["sex"], "male");
        assert_eq!(lines[0]["birth_date"], "1990-01-01");
    }
}
