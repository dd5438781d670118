//! `bidui inspect`: what bidui sees in one export file.
//!
//! Takes a file and the loading options and prints how it was read — format
//! and encoding, sheets, header rows, which header became which field and
//! which were not used, row counts — and its data-quality counts, as text for
//! the statistician or one JSON object for a script. Full ID numbers are
//! never printed: examples are masked.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::identity::Date;
use crate::load::fields::{Field, specs};
use crate::load::table::problem_label;
use crate::load::{LoadOptions, Loaded, Profile, SourceKind, load, text::delimiter_name};

#[derive(Clone, Debug)]
pub struct InspectOptions {
    pub file: PathBuf,
    /// The register; guessed from the headers when not given.
    pub source: Option<SourceKind>,
    pub sheet: Option<String>,
    /// An encoding label (`gbk`, `utf-8` …) that overrides detection.
    pub encoding: Option<String>,
    /// A TOML profile with extra aliases or an explicit column map.
    pub profile: Option<PathBuf>,
    pub max_file_size: u64,
    pub as_of: Date,
    pub json: bool,
}

pub fn run(options: &InspectOptions, out: &mut dyn Write) -> Result<ExitCode> {
    let profile = options.profile.as_deref().map(Profile::read).transpose()?;
    let load_options = LoadOptions {
        kind: options.source,
        sheet: options.sheet.clone(),
        encoding: options.encoding.clone(),
        profile,
        max_file_size: options.max_file_size,
        as_of: options.as_of,
    };
    let loaded = load(&options.file, &load_options)?;
    if options.json {
        let value = to_json(&loaded);
        serde_json::to_writer_pretty(&mut *out, &value).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
    } else {
        write_text(&loaded, out).map_err(Error::stdout)?;
    }
    out.flush().map_err(Error::stdout)?;
    Ok(ExitCode::Success)
}

fn to_json(l: &Loaded) -> serde_json::Value {
    json!({
        "file": l.file.display().to_string(),
        "format": l.format,
        "format_label": l.format.label(),
        "encoding": l.encoding,
        "undecodable": l.undecodable,
        "first_undecodable_line": l.first_undecodable_line,
        "delimiter": l.delimiter.map(|d| (d as char).to_string()),
        "sheet_names": l.sheet_names,
        "source": l.kind,
        "source_guessed": l.kind_guess.is_some(),
        "guess_reason": l.kind_guess,
        "sheets": l.sheets.iter().map(|s| json!({
            "name": s.name,
            "rows": s.rows,
            "records": s.records,
            "note": s.note,
            "header_rows": s.mapping.as_ref().map(|m| m.header_rows.clone()),
            "columns": s.mapping.as_ref().map(|m| m.columns.iter().filter(|c| !c.header.is_empty()).map(|c| json!({
                "column": c.letter,
                "header": c.header,
                "field": c.field,
            })).collect::<Vec<_>>()),
            "duplicates": s.mapping.as_ref().map(|m| m.duplicates.iter().map(|c| json!({
                "column": c.letter,
                "header": c.header,
                "field": c.field,
            })).collect::<Vec<_>>()),
        })).collect::<Vec<_>>(),
        "records": l.records,
        "skipped": l.skipped,
        "ragged_rows": l.ragged_rows,
        "ragged_examples": l.ragged_examples,
        "quality": l.quality,
    })
}

fn label_of(key: &str) -> &'static str {
    Field::from_key(key).map_or("", Field::label)
}

fn write_text(l: &Loaded, out: &mut dyn Write) -> std::io::Result<()> {
    writeln!(out, "文件      {}", l.file.display())?;
    let mut format = l.format.label().to_string();
    if let Some(d) = l.delimiter {
        format.push_str(&format!("，{}分隔", delimiter_name(d)));
    }
    if let Some(enc) = l.encoding {
        format.push_str(&format!("，编码 {enc}"));
    }
    writeln!(out, "格式      {format}")?;
    if l.undecodable > 0 {
        writeln!(
            out,
            "编码问题  {} 处字节无法按该编码识别（首处在第 {} 行），这些字已显示为 �；可用 --encoding 指定编码",
            l.undecodable,
            l.first_undecodable_line.unwrap_or(0)
        )?;
    }
    match &l.kind_guess {
        Some(why) => writeln!(
            out,
            "来源类型  {}（{}，由程序猜测：{why}；可用 --source 指定）",
            l.kind,
            l.kind.label()
        )?,
        None => writeln!(out, "来源类型  {}（{}）", l.kind, l.kind.label())?,
    }
    if !l.sheet_names.is_empty() {
        writeln!(out, "工作表    {}", l.sheet_names.join("、"))?;
    }
    for s in &l.sheets {
        writeln!(out)?;
        match &s.name {
            Some(name) => writeln!(out, "【工作表“{name}”】共 {} 行", s.rows)?,
            None => writeln!(out, "【数据】共 {} 行", s.rows)?,
        }
        if let Some(note) = &s.note {
            writeln!(out, "  说明    {note}")?;
        }
        let Some(m) = &s.mapping else { continue };
        let rows: Vec<String> = m.header_rows.iter().map(|r| r.to_string()).collect();
        writeln!(out, "  表头    第 {} 行", rows.join("、"))?;
        writeln!(out, "  列对应")?;
        let duplicate = |i: usize| m.duplicates.iter().any(|d| d.index == i);
        for c in m
            .columns
            .iter()
            .filter(|c| !c.header.is_empty() && !duplicate(c.index))
        {
            match c.field {
                Some(f) => writeln!(
                    out,
                    "    {:<3} {} → {}（{}）",
                    c.letter,
                    c.header,
                    f.key(),
                    f.label()
                )?,
                None => writeln!(out, "    {:<3} {} （未使用）", c.letter, c.header)?,
            }
        }
        for c in &m.duplicates {
            if let Some(f) = c.field {
                writeln!(
                    out,
                    "    {:<3} {} （与前面的列重复，都是“{}”，只用前一列）",
                    c.letter,
                    c.header,
                    f.label()
                )?;
            }
        }
        writeln!(out, "  数据行  {}", s.records)?;
    }
    writeln!(out)?;
    writeln!(out, "记录      共 {} 条", l.records)?;
    let skip_label = |k: &str| match k {
        "blank" => "空行",
        "total_or_signature" => "合计/签名行",
        "repeated_header" => "重复的表头行",
        _ => "其他",
    };
    if !l.skipped.is_empty() {
        let parts: Vec<String> = l
            .skipped
            .iter()
            .map(|(k, n)| format!("{} {n}", skip_label(k)))
            .collect();
        writeln!(out, "跳过      {}", parts.join("，"))?;
    }
    if l.ragged_rows > 0 {
        let rows: Vec<String> = l.ragged_examples.iter().map(|r| r.to_string()).collect();
        writeln!(
            out,
            "列数不齐  {} 行与表头列数不同（如第 {} 行），多出的列未读，缺的列按空白",
            l.ragged_rows,
            rows.join("、")
        )?;
    }
    writeln!(out)?;
    writeln!(out, "数据质量")?;
    let q = &l.quality;
    let order: Vec<&str> = specs(l.kind).iter().map(|s| s.field.key()).collect();
    let ordered = |keys: Vec<&'static str>| {
        let mut keys = keys;
        keys.sort_by_key(|k| order.iter().position(|o| o == k));
        keys
    };
    for key in ordered(q.ids.keys().copied().collect()) {
        let iq = &q.ids[key];
        if iq.filled + iq.empty == 0 {
            continue;
        }
        let mut line = format!(
            "  {}：有效 {}，无效 {}，空白 {}",
            label_of(key),
            iq.valid,
            iq.invalid,
            iq.empty
        );
        if !iq.invalid_by_reason.is_empty() {
            let reasons: Vec<String> = iq
                .invalid_by_reason
                .iter()
                .map(|(code, n)| format!("{} {n}", problem_label(code)))
                .collect();
            line.push_str(&format!("（{}）", reasons.join("，")));
        }
        writeln!(out, "{line}")?;
        for (row, masked, why) in &iq.examples {
            writeln!(out, "      第 {row} 行 {masked}：{why}")?;
        }
    }
    for key in ordered(q.names.keys().copied().collect()) {
        let nq = &q.names[key];
        if nq.given + nq.blank + nq.no_name_yet == 0 {
            continue;
        }
        writeln!(
            out,
            "  {}：空白 {}，未取名（之子、婴儿等）{}，含无法识别的字 {}",
            label_of(key),
            nq.blank,
            nq.no_name_yet,
            nq.unknown_characters
        )?;
    }
    for key in ordered(q.dates.keys().copied().collect()) {
        let dq = &q.dates[key];
        if dq.filled == 0 {
            continue;
        }
        writeln!(out, "  {}：无法识别 {}", label_of(key), dq.unreadable)?;
        for (row, _, why) in &dq.examples {
            writeln!(out, "      第 {row} 行：{why}")?;
        }
    }
    for key in ordered(q.codes.keys().copied().collect()) {
        let cq = &q.codes[key];
        if cq.filled == 0 {
            continue;
        }
        let mut line = format!("  {}：未知代码 {}", label_of(key), cq.unknown);
        if !cq.unknown_values.is_empty() {
            let values: Vec<String> = cq
                .unknown_values
                .iter()
                .take(5)
                .map(|(v, n)| format!("“{v}” {n}"))
                .collect();
            line.push_str(&format!("（{}）", values.join("，")));
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}
