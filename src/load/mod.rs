//! The loading stage: the four registers' exports, read as they really are.
//!
//! Takes a file — CSV/TSV in any Chinese encoding, xlsx, BIFF xls, or a
//! ".xls" that is really HTML or SpreadsheetML, the format told from its
//! bytes — and gives a [`Loaded`]: the canonical table of its records
//! (polars, one schema per register, every record with the row a person sees
//! and the raw cell text), how the file was read (format, encoding, sheets,
//! header rows, column mapping), the rows that were not records, and the
//! data-quality counts. A file that cannot be used at all is an
//! [`Error::Input`] naming the file (and sheet, row, column where known).

pub mod checksum;
pub mod fields;
pub mod grid;
pub mod header;
pub mod kind;
pub mod markup;
pub mod origin;
pub mod profile;
pub mod sniff;
pub mod table;
pub mod text;
pub mod workbook;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use polars::prelude::DataFrame;
use serde::Serialize;

use crate::error::{Error, InputProblem, Location, Result};
use crate::identity::{Date, IdParser};
use fields::{FieldColumns, specs};
use grid::Sheet;
use header::{Aliases, HEADER_SEARCH_ROWS, Mapping, Skip, find_header, skip_reason};
pub use kind::SourceKind;
pub use profile::Profile;
use sniff::{Format, Sniffed, sniff};
use table::{Quality, Record};

/// The largest file read by default: a county's export is far smaller, and
/// a larger one is more likely a mistake than a register.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1 << 30;

#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// The register; guessed from the headers when `None`.
    pub kind: Option<SourceKind>,
    pub sheet: Option<String>,
    /// An encoding label overriding detection (text files only).
    pub encoding: Option<String>,
    pub profile: Option<Profile>,
    pub max_file_size: u64,
    /// The date ID birth dates may not be after.
    pub as_of: Date,
}

impl LoadOptions {
    pub fn new(as_of: Date) -> LoadOptions {
        LoadOptions {
            kind: None,
            sheet: None,
            encoding: None,
            profile: None,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            as_of,
        }
    }
}

/// How one sheet was read.
#[derive(Clone, Debug, Serialize)]
pub struct SheetReport {
    pub name: Option<String>,
    pub rows: usize,
    pub mapping: Option<Mapping>,
    pub records: usize,
    /// Why the sheet gave no records, when it gave none.
    pub note: Option<String>,
}

/// A loaded file.
#[derive(Debug)]
pub struct Loaded {
    pub file: PathBuf,
    pub format: Format,
    /// For text formats: the encoding and undecodable byte sequences.
    pub encoding: Option<&'static str>,
    pub undecodable: usize,
    pub first_undecodable_line: Option<u64>,
    /// For delimited text: the delimiter.
    pub delimiter: Option<u8>,
    pub sheets: Vec<SheetReport>,
    /// Every sheet name of a workbook (also those not read).
    pub sheet_names: Vec<String>,
    pub kind: SourceKind,
    /// Why the kind was chosen, when it was guessed.
    pub kind_guess: Option<String>,
    pub records: usize,
    /// Rows below the header that are not records, by reason.
    pub skipped: BTreeMap<&'static str, usize>,
    /// Rows with more or fewer cells than the header (text files).
    pub ragged_rows: usize,
    pub ragged_examples: Vec<u64>,
    pub table: DataFrame,
    pub quality: Quality,
    /// Seconds spent in each step: read, decode/parse, header, normalise.
    pub timings: Vec<(&'static str, f64)>,
}

/// The files a path names: the file itself, a folder's files (not its
/// sub-folders, not hidden or temporary files), or the files a wildcard
/// pattern matches (`户籍/*.xls`), sorted by name.
pub fn files_of(path: &Path) -> Result<Vec<PathBuf>> {
    if !path.exists() && is_pattern(path) {
        return files_matching(path);
    }
    if !path.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let entries = std::fs::read_dir(path).map_err(|source| Error::Read {
        location: Location::file(path),
        source,
    })?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| is_data_file(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(Error::input(Location::file(path), InputProblem::Empty));
    }
    Ok(files)
}

/// A file a folder or pattern brings in: not a folder, not hidden, not
/// Excel's lock file (`~$…`) nor a temporary file.
fn is_data_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.is_file() && !name.starts_with('.') && !name.starts_with("~$") && !name.ends_with(".tmp")
}

/// Whether a path that does not exist is a wildcard pattern (`户籍/*.xls`).
fn is_pattern(path: &Path) -> bool {
    path.to_string_lossy().contains(['*', '?', '['])
}

/// The files a wildcard pattern matches, sorted. A pattern that matches nothing is an
/// error naming it: a statistician who typed a glob expects files.
fn files_matching(pattern: &Path) -> Result<Vec<PathBuf>> {
    let text = pattern.to_string_lossy();
    let no_match = || {
        Error::input(
            Location::file(pattern),
            InputProblem::NoMatch {
                pattern: text.to_string(),
            },
        )
    };
    let paths = glob::glob(&text).map_err(|e| {
        Error::input(
            Location::file(pattern),
            InputProblem::Damaged {
                detail: format!("通配符写法有误：{}", e.msg),
            },
        )
    })?;
    let mut files: Vec<PathBuf> = paths
        .filter_map(|p| p.ok())
        .filter(|p| is_data_file(p))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(no_match());
    }
    Ok(files)
}

/// Loads every file a path names (see [`files_of`]) as one register: their
/// tables one after another, each record keeping its own file and row.
pub fn load_register(path: &Path, options: &LoadOptions) -> Result<(DataFrame, Vec<Loaded>)> {
    let mut loaded = Vec::new();
    let mut table: Option<DataFrame> = None;
    for file in files_of(path)? {
        let one = load(&file, options)?;
        table = Some(match table {
            None => one.table.clone(),
            Some(mut t) => {
                t.vstack_mut(&one.table).map_err(|e| {
                    Error::input_because(
                        Location::file(&file),
                        InputProblem::Damaged {
                            detail: "无法与同一来源的其他文件合并".into(),
                        },
                        e,
                    )
                })?;
                t
            }
        });
        loaded.push(one);
    }
    Ok((table.unwrap_or_default(), loaded))
}

/// Loads one export file.
pub fn load(path: &Path, options: &LoadOptions) -> Result<Loaded> {
    let at = || Location::file(path);
    let size = std::fs::metadata(path)
        .map_err(|source| Error::Read {
            location: at(),
            source,
        })?
        .len();
    if size > options.max_file_size {
        return Err(Error::input(
            at(),
            InputProblem::TooLarge {
                size: human_size(size),
                limit: human_size(options.max_file_size),
            },
        ));
    }
    let clock = std::time::Instant::now();
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        location: at(),
        source,
    })?;
    let mut timings = vec![("read", clock.elapsed().as_secs_f64())];
    let clock = std::time::Instant::now();
    let format = match sniff(&bytes) {
        Sniffed::Table(f) => f,
        Sniffed::Empty => return Err(Error::input(at(), InputProblem::Empty)),
        Sniffed::Encrypted => return Err(Error::input(at(), InputProblem::Encrypted)),
        Sniffed::Other(what) => {
            return Err(Error::input(
                at(),
                InputProblem::NotATable {
                    looks_like: what.to_string(),
                },
            ));
        }
    };
    let forced = match &options.encoding {
        Some(label) => Some(text::encoding_for_label(label).ok_or_else(|| {
            Error::input(
                at(),
                InputProblem::UnknownEncoding {
                    label: label.clone(),
                },
            )
        })?),
        None => None,
    };
    let mut read = Read {
        format,
        encoding: None,
        undecodable: 0,
        first_undecodable_line: None,
        delimiter: None,
        sheets: Vec::new(),
        sheet_names: Vec::new(),
    };
    match format {
        Format::Text | Format::Html | Format::SpreadsheetMl => {
            let forced = forced.or_else(|| {
                (format != Format::Text)
                    .then(|| markup::declared_charset(&bytes))
                    .flatten()
                    .and_then(|label| text::encoding_for_label(&label))
            });
            let decoded = text::decode(&bytes, forced);
            read.encoding = Some(decoded.encoding);
            read.undecodable = decoded.undecodable;
            read.first_undecodable_line = decoded.first_undecodable_line;
            match format {
                Format::Text => {
                    let d = text::detect_delimiter(&decoded.text);
                    read.delimiter = Some(d);
                    let sheet = text::read_rows(&decoded.text, d).map_err(|e| {
                        Error::input_because(
                            at(),
                            InputProblem::Damaged {
                                detail: "文本无法按表格拆分".into(),
                            },
                            e,
                        )
                    })?;
                    read.sheets.push(sheet);
                }
                Format::Html => read.sheets.push(markup::read_html(&decoded.text)),
                _ => {
                    read.sheets = markup::read_spreadsheet_ml(&decoded.text).map_err(|e| {
                        Error::input_because(
                            at(),
                            InputProblem::Damaged {
                                detail: "XML 结构不完整".into(),
                            },
                            e,
                        )
                    })?;
                    read.sheet_names = read.sheets.iter().filter_map(|s| s.name.clone()).collect();
                    if let Some(wanted) = &options.sheet {
                        read.sheets
                            .retain(|s| s.name.as_deref().map(str::trim) == Some(wanted.trim()));
                        if read.sheets.is_empty() {
                            return Err(no_such_sheet(path, wanted, &read.sheet_names));
                        }
                    }
                }
            }
        }
        Format::Xlsx | Format::Xls => {
            let (sheets, names) =
                workbook::read(bytes, format, options.sheet.as_deref()).map_err(|e| match e {
                    workbook::WorkbookError::Encrypted => {
                        Error::input(at(), InputProblem::Encrypted)
                    }
                    workbook::WorkbookError::NoSuchSheet { name, available } => {
                        no_such_sheet(path, &name, &available)
                    }
                    workbook::WorkbookError::Damaged(source) => Error::input_because(
                        at(),
                        InputProblem::Damaged {
                            detail: format!("{}无法打开", format.label()),
                        },
                        source,
                    ),
                })?;
            read.sheets = sheets;
            read.sheet_names = names;
        }
    }
    timings.push(("parse", clock.elapsed().as_secs_f64()));
    let mut loaded = finish(path, options, read)?;
    timings.append(&mut loaded.timings);
    loaded.timings = timings;
    Ok(loaded)
}

/// What the format readers gave.
struct Read {
    format: Format,
    encoding: Option<&'static str>,
    undecodable: usize,
    first_undecodable_line: Option<u64>,
    delimiter: Option<u8>,
    sheets: Vec<Sheet>,
    sheet_names: Vec<String>,
}

fn no_such_sheet(path: &Path, name: &str, available: &[String]) -> Error {
    Error::input(
        Location::file(path),
        InputProblem::NoSuchSheet {
            name: name.to_string(),
            available: available.join("、"),
        },
    )
}

fn aliases_for(kind: SourceKind, profile: Option<&Profile>) -> Aliases {
    let mut aliases = Aliases::new(kind);
    if let Some(p) = profile {
        p.apply(&mut aliases);
    }
    aliases
}

/// The register whose headers fit the file best, and why.
fn guess_kind(
    path: &Path,
    sheets: &[Sheet],
    profile: Option<&Profile>,
) -> Option<(SourceKind, String)> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let hint = |kind: SourceKind| -> bool {
        let words: &[&str] = match kind {
            SourceKind::Wis => &["wis", "全员", "个案", "育龄"],
            SourceKind::Household => &["户籍", "公安", "常住", "户口", "hj"],
            SourceKind::Marriage => &["婚姻", "结婚", "离婚", "marriage"],
            SourceKind::Birth => &["出生", "分娩", "birth", "新生儿"],
        };
        words.iter().any(|w| name.contains(w))
    };
    // Every required field; then the fields mapped, less the headers that
    // name another register's fields and not this one's (a WIS export read
    // as birth certificates leaves 公民身份号码 and 配偶姓名 unused), with a
    // hint in the file name counting two; then fields only this register has.
    type Fit = (bool, i64, usize);
    let mut best: Option<(Fit, SourceKind, Mapping, bool, usize)> = None;
    for kind in SourceKind::ALL {
        let aliases = aliases_for(kind, profile);
        for sheet in sheets {
            if let Some(m) = find_header(&sheet.rows, &aliases) {
                let (required, signature, count) = m.fit(&aliases);
                let foreign = m
                    .columns
                    .iter()
                    .filter(|c| {
                        c.field.is_none() && names_another_registers_field(&c.header, kind, profile)
                    })
                    .count();
                let hinted = hint(kind);
                let score = (
                    required,
                    count as i64 - foreign as i64 + 2 * i64::from(hinted),
                    signature,
                );
                if best.as_ref().is_none_or(|(s, ..)| score > *s) {
                    best = Some((score, kind, m, hinted, signature));
                }
                break;
            }
        }
    }
    let (_, kind, mapping, hinted, signature) = best?;
    let mut reasons = Vec::new();
    let sig: Vec<&str> = fields::signature(kind)
        .iter()
        .filter(|f| mapping.fields().contains(f))
        .map(|f| f.label())
        .collect();
    if signature > 0 {
        reasons.push(format!("表头含 {}", sig.join("、")));
    }
    if hinted {
        reasons.push("文件名".to_string());
    }
    if reasons.is_empty() {
        reasons.push(format!("表头与{}的列名最吻合", kind.label()));
    }
    Some((kind, reasons.join("，")))
}

/// Whether a header (as the mapping shows it) names a field of some other
/// register.
fn names_another_registers_field(
    header: &str,
    kind: SourceKind,
    profile: Option<&Profile>,
) -> bool {
    let text = header.rsplit('/').next().unwrap_or(header);
    SourceKind::ALL
        .into_iter()
        .filter(|k| *k != kind)
        .any(|k| aliases_for(k, profile).knows(text))
}

fn finish(path: &Path, options: &LoadOptions, read: Read) -> Result<Loaded> {
    let at = || Location::file(path);
    let clock = std::time::Instant::now();
    if read
        .sheets
        .iter()
        .all(|s| s.rows.iter().all(|r| r.is_blank()))
    {
        return Err(Error::input(at(), InputProblem::Empty));
    }
    let profile = options.profile.as_ref();
    let (kind, kind_guess) = match options.kind.or(profile.and_then(|p| p.source)) {
        Some(kind) => (kind, None),
        None => match guess_kind(path, &read.sheets, profile) {
            Some((kind, why)) => (kind, Some(why)),
            None => return Err(no_header(path, &read.sheets)),
        },
    };
    let aliases = aliases_for(kind, profile);
    let mut reports = Vec::new();
    let mut maps: Vec<Option<(Mapping, FieldColumns)>> = Vec::new();
    for sheet in &read.sheets {
        let mapping = find_header(&sheet.rows, &aliases);
        let note = match (&mapping, sheet.rows.iter().all(|r| r.is_blank())) {
            (_, true) => Some("空白工作表".to_string()),
            (None, false) => Some(format!("前 {HEADER_SEARCH_ROWS} 行没有表头，整张表未读取")),
            (Some(_), false) => None,
        };
        let columns = mapping.as_ref().map(|m| {
            let mut columns = FieldColumns::default();
            for c in &m.columns {
                if let Some(f) = c.field {
                    columns.set(f, c.index);
                }
            }
            columns
        });
        reports.push(SheetReport {
            name: sheet.name.clone(),
            rows: sheet.rows.len(),
            mapping: mapping.clone(),
            records: 0,
            note,
        });
        maps.push(mapping.zip(columns));
    }
    if maps.iter().all(Option::is_none) {
        return Err(no_header(path, &read.sheets));
    }
    for (sheet, map) in read.sheets.iter().zip(&maps) {
        let Some((mapping, _)) = map else { continue };
        let fields = mapping.fields();
        if let Some(missing) = specs(kind)
            .iter()
            .find(|s| s.required && !fields.contains(&s.field))
        {
            let mut location = at();
            if let Some(name) = &sheet.name {
                location = location.sheet(name.clone());
            }
            let headers: Vec<String> = mapping
                .columns
                .iter()
                .filter(|c| !c.header.is_empty())
                .map(|c| c.header.clone())
                .collect();
            return Err(Error::input(
                location.row(*mapping.header_rows.last().unwrap_or(&0)),
                InputProblem::MissingColumn {
                    kind: kind.label(),
                    field: missing.field.label(),
                    aliases: aliases.names_of(missing.field).join("、"),
                    headers: headers.join("、"),
                },
            ));
        }
    }
    let mut records = Vec::new();
    let mut skipped: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut ragged_rows = 0;
    let mut ragged_examples = Vec::new();
    for ((sheet, map), report) in read.sheets.iter().zip(&maps).zip(&mut reports) {
        let Some((mapping, columns)) = map else {
            continue;
        };
        let width = mapping.columns.len();
        for row in &sheet.rows[mapping.data_start.min(sheet.rows.len())..] {
            if let Some(reason) = skip_reason(row, mapping) {
                let key = match reason {
                    Skip::Blank => "blank",
                    Skip::TotalOrSignature => "total_or_signature",
                    Skip::RepeatedHeader => "repeated_header",
                };
                *skipped.entry(key).or_default() += 1;
                continue;
            }
            if read.format == Format::Text && row.cells.len() != width {
                ragged_rows += 1;
                if ragged_examples.len() < 5 {
                    ragged_examples.push(row.number);
                }
            }
            report.records += 1;
            records.push(Record {
                sheet: sheet.name.as_deref(),
                row,
                columns,
            });
        }
        if report.records == 0 && report.note.is_none() {
            report.note = Some("只有表头，没有数据行".to_string());
        }
    }
    let header_secs = clock.elapsed().as_secs_f64();
    let clock = std::time::Instant::now();
    let parser = IdParser::new(options.as_of);
    let file_label = path.display().to_string();
    let (table, quality) = table::build(kind, &file_label, &records, parser).map_err(|e| {
        Error::input_because(
            at(),
            InputProblem::Damaged {
                detail: "无法建立数据表".into(),
            },
            e,
        )
    })?;
    Ok(Loaded {
        file: path.to_path_buf(),
        format: read.format,
        encoding: read.encoding,
        undecodable: read.undecodable,
        first_undecodable_line: read.first_undecodable_line,
        delimiter: read.delimiter,
        sheets: reports,
        sheet_names: read.sheet_names,
        kind,
        kind_guess,
        records: records.len(),
        skipped,
        ragged_rows,
        ragged_examples,
        table,
        quality,
        timings: vec![
            ("header", header_secs),
            ("normalise", clock.elapsed().as_secs_f64()),
        ],
    })
}

fn no_header(path: &Path, sheets: &[Sheet]) -> Error {
    let sheet = sheets.iter().find(|s| !s.rows.is_empty());
    let first_rows: Vec<String> = sheet
        .map(|s| {
            s.rows
                .iter()
                .filter(|r| !r.is_blank())
                .take(3)
                .map(|r| format!("第 {} 行“{}”", r.number, r.preview(6)))
                .collect()
        })
        .unwrap_or_default();
    let mut location = Location::file(path);
    if let Some(name) = sheet.and_then(|s| s.name.clone()) {
        location = location.sheet(name);
    }
    Error::input(
        location,
        InputProblem::NoHeader {
            rows_searched: HEADER_SEARCH_ROWS,
            first_rows: first_rows.join("；"),
        },
    )
}

pub fn human_size(bytes: u64) -> String {
    const GIB: f64 = (1u64 << 30) as f64;
    const MIB: f64 = (1u64 << 20) as f64;
    let b = bytes as f64;
    if b >= GIB {
        format!("{:.1} GB", b / GIB)
    } else if b >= MIB {
        format!("{:.1} MB", b / MIB)
    } else {
        format!("{:.1} KB", b / 1024.0)
    }
}
