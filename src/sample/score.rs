//! Scoring against the truth: precision, recall and F1 of a cases file or
//! a pairs file.
//!
//! Takes the `truth/` folder of a synthetic county and a cases file (at
//! least `category,source,row`; `file` and `sheet` when it has them) or a
//! pairs file (`left_source,left_row,right_source,right_row`, with
//! `left_file`/`right_file`, `left_sheet`/`right_sheet` and `band` when it
//! has them; only `band` = `link` counts), and gives per category (for
//! pairs: per pair of sources) the true, reported, correct, false and
//! missed counts with precision, recall and F1, and their total. A case
//! matches on its category, source, file, sheet and row, as far as both
//! files have those columns, as a multiset; pairs match in either order. A
//! file path may be written relative to the county folder or with more
//! folders in front. A malformed file is an error naming the file, the line
//! and the column.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io;
use std::path::{Path, PathBuf};

use serde::Serialize;

use super::classify::Category;
use crate::error::{Error, Location, Result};

/// One CSV file, read: its header and rows with their line numbers.
struct Table {
    path: PathBuf,
    header: Vec<String>,
    rows: Vec<(u64, Vec<String>)>,
}

fn invalid(location: Location, message: String) -> Error {
    Error::Read {
        location,
        source: io::Error::new(io::ErrorKind::InvalidData, message),
    }
}

fn read_table(path: &Path) -> Result<Table> {
    let bytes = std::fs::read(path).map_err(|source| Error::Read {
        location: Location::file(path),
        source,
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(t) => t,
        Err(e) => {
            let line = bytes[..e.valid_up_to()]
                .iter()
                .filter(|&&b| b == b'\n')
                .count() as u64
                + 1;
            return Err(invalid(
                Location::file(path).row(line),
                "不是 UTF-8 编码的文本".to_string(),
            ));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| invalid(Location::file(path).row(1), format!("表头无法读取：{e}")))?
        .iter()
        .map(|h| h.trim().to_ascii_lowercase())
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            let message = match e.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => {
                    format!("本行有 {len} 列，表头有 {expected_len} 列")
                }
                _ => format!("无法读取：{e}"),
            };
            invalid(Location::file(path).row(line), message)
        })?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push((line, record.iter().map(|s| s.trim().to_string()).collect()));
    }
    Ok(Table {
        path: path.to_path_buf(),
        header,
        rows,
    })
}

impl Table {
    fn column(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    fn require(&self, name: &str, all: &[&str]) -> Result<usize> {
        self.column(name).ok_or_else(|| {
            invalid(
                Location::file(&self.path).row(1).column(name),
                format!("缺少“{name}”列（必需的列：{}）", all.join("、")),
            )
        })
    }

    fn row_number(&self, line: u64, row: &[String], col: usize) -> Result<u64> {
        let text = &row[col];
        match text.parse::<u64>() {
            Ok(n) if n > 0 => Ok(n),
            _ => Err(invalid(
                Location::file(&self.path)
                    .row(line)
                    .column(self.header[col].clone()),
                format!("“{text}”不是行号（应为正整数）"),
            )),
        }
    }
}

/// What a side of a match is known by; `None` where the file to score has
/// no such column.
type Side = (String, Option<String>, Option<String>, u64);

/// The columns of one side: source, file, sheet, row.
type Cols = (usize, Option<usize>, Option<usize>, usize);

/// Maps a file path as a tool wrote it to the truth's spelling of it.
struct Files(BTreeSet<String>);

impl Files {
    fn normalise(&self, raw: &str) -> String {
        let p = raw.replace('\\', "/");
        let p = p.trim_start_matches("./").to_string();
        if self.0.contains(&p) {
            return p;
        }
        self.0
            .iter()
            .find(|t| p.ends_with(&format!("/{t}")))
            .cloned()
            .unwrap_or(p)
    }
}

/// Counts of one category.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Score {
    pub category: String,
    pub truth: usize,
    pub reported: usize,
    pub tp: usize,
    pub fp: usize,
    #[serde(rename = "fn")]
    pub fn_: usize,
    pub precision: Option<f64>,
    pub recall: Option<f64>,
    pub f1: Option<f64>,
}

impl Score {
    fn finish(mut self) -> Score {
        self.precision = (self.reported > 0).then(|| self.tp as f64 / self.reported as f64);
        self.recall = (self.truth > 0).then(|| self.tp as f64 / self.truth as f64);
        self.f1 = match (self.precision, self.recall) {
            (Some(p), Some(r)) if p + r > 0.0 => Some(2.0 * p * r / (p + r)),
            (Some(_), Some(_)) => Some(0.0),
            _ => None,
        };
        self
    }
}

#[derive(Debug, Serialize)]
pub struct Report {
    /// The columns the match used.
    pub matched_on: Vec<&'static str>,
    pub categories: Vec<Score>,
    pub total: Score,
}

/// Multiset matching of keys, per category.
fn score<K: Ord + Clone>(
    truth: &[(String, K)],
    reported: &[(String, K)],
    order: &dyn Fn(&str) -> (usize, String),
) -> (Vec<Score>, Score) {
    let mut t: BTreeMap<(String, K), usize> = BTreeMap::new();
    for (c, k) in truth {
        *t.entry((c.clone(), k.clone())).or_default() += 1;
    }
    let mut r: BTreeMap<(String, K), usize> = BTreeMap::new();
    for (c, k) in reported {
        *r.entry((c.clone(), k.clone())).or_default() += 1;
    }
    let mut per: HashMap<String, Score> = HashMap::new();
    for ((c, _), n) in &t {
        let s = per.entry(c.clone()).or_default();
        s.truth += n;
    }
    for ((c, k), n) in &r {
        let s = per.entry(c.clone()).or_default();
        s.reported += n;
        s.tp += (*n).min(t.get(&(c.clone(), k.clone())).copied().unwrap_or(0));
    }
    let mut categories: Vec<Score> = per
        .into_iter()
        .map(|(c, mut s)| {
            s.category = c;
            s.fp = s.reported - s.tp;
            s.fn_ = s.truth - s.tp;
            s.finish()
        })
        .collect();
    categories.sort_by_key(|s| order(&s.category));
    let mut total = Score {
        category: "合计".to_string(),
        ..Score::default()
    };
    for s in &categories {
        total.truth += s.truth;
        total.reported += s.reported;
        total.tp += s.tp;
        total.fp += s.fp;
        total.fn_ += s.fn_;
    }
    (categories, total.finish())
}

fn category_order(c: &str) -> (usize, String) {
    let i = Category::ALL
        .iter()
        .position(|k| k.code() == c)
        .unwrap_or(Category::ALL.len());
    (i, c.to_string())
}

fn side(t: &Table, line: u64, row: &[String], cols: Cols, files: &Files) -> Result<Side> {
    let (source, file, sheet, r) = cols;
    Ok((
        row[source].to_ascii_lowercase(),
        file.map(|c| files.normalise(&row[c])),
        sheet.map(|c| row[c].clone()),
        t.row_number(line, row, r)?,
    ))
}

pub fn score_cases(truth_dir: &Path, cases: &Path) -> Result<Report> {
    const REQUIRED: [&str; 3] = ["category", "source", "row"];
    let truth = read_table(&truth_dir.join("cases.csv"))?;
    let input = read_table(cases)?;
    let cols = |t: &Table| -> Result<(usize, Cols)> {
        Ok((
            t.require("category", &REQUIRED)?,
            (
                t.require("source", &REQUIRED)?,
                t.column("file"),
                t.column("sheet"),
                t.require("row", &REQUIRED)?,
            ),
        ))
    };
    let (tc, tcols) = cols(&truth)?;
    let (ic, icols) = cols(&input)?;
    let files = Files(tcols.1.map_or_else(BTreeSet::new, |c| {
        truth.rows.iter().map(|(_, r)| r[c].clone()).collect()
    }));
    // Compare on the columns both files have.
    let use_file = icols.1.is_some() && tcols.1.is_some();
    let use_sheet = icols.2.is_some() && tcols.2.is_some();
    let keys = |t: &Table,
                c: usize,
                cols: (usize, Option<usize>, Option<usize>, usize)|
     -> Result<Vec<(String, Side)>> {
        let cols = (
            cols.0,
            cols.1.filter(|_| use_file),
            cols.2.filter(|_| use_sheet),
            cols.3,
        );
        t.rows
            .iter()
            .map(|(line, row)| {
                Ok((
                    row[c].to_ascii_uppercase(),
                    side(t, *line, row, cols, &files)?,
                ))
            })
            .collect()
    };
    let truth_keys = keys(&truth, tc, tcols)?;
    let input_keys = keys(&input, ic, icols)?;
    let (categories, total) = score(&truth_keys, &input_keys, &category_order);
    let mut matched_on = vec!["category", "source"];
    if use_file {
        matched_on.push("file");
    }
    if use_sheet {
        matched_on.push("sheet");
    }
    matched_on.push("row");
    Ok(Report {
        matched_on,
        categories,
        total,
    })
}

pub fn score_pairs(truth_dir: &Path, pairs: &Path) -> Result<Report> {
    const REQUIRED: [&str; 4] = ["left_source", "left_row", "right_source", "right_row"];
    let truth = read_table(&truth_dir.join("links.csv"))?;
    let input = read_table(pairs)?;
    let cols = |t: &Table, side: &str| -> Result<Cols> {
        Ok((
            t.require(&format!("{side}_source"), &REQUIRED)?,
            t.column(&format!("{side}_file")),
            t.column(&format!("{side}_sheet")),
            t.require(&format!("{side}_row"), &REQUIRED)?,
        ))
    };
    let (tl, tr) = (cols(&truth, "left")?, cols(&truth, "right")?);
    let (il, ir) = (cols(&input, "left")?, cols(&input, "right")?);
    let file_col = |c: Option<usize>| {
        c.map_or_else(BTreeSet::new, |c| {
            truth
                .rows
                .iter()
                .map(|(_, r)| r[c].clone())
                .collect::<BTreeSet<_>>()
        })
    };
    let mut all_files = file_col(tl.1);
    all_files.extend(file_col(tr.1));
    let files = Files(all_files);
    let use_file = il.1.is_some() && ir.1.is_some() && tl.1.is_some();
    let use_sheet = il.2.is_some() && ir.2.is_some() && tl.2.is_some();
    let band = input.column("band");
    let keys =
        |t: &Table, l: Cols, r: Cols, band: Option<usize>| -> Result<Vec<(String, (Side, Side))>> {
            let trim = |c: Cols| {
                (
                    c.0,
                    c.1.filter(|_| use_file),
                    c.2.filter(|_| use_sheet),
                    c.3,
                )
            };
            let mut out = Vec::new();
            for (line, row) in &t.rows {
                if let Some(b) = band
                    && !row[b].eq_ignore_ascii_case("link")
                {
                    continue;
                }
                let a = side(t, *line, row, trim(l), &files)?;
                let b = side(t, *line, row, trim(r), &files)?;
                let (a, b) = if a <= b { (a, b) } else { (b, a) };
                let label = if b.0 == "wis" {
                    format!("wis–{}", a.0)
                } else {
                    format!("{}–{}", a.0, b.0)
                };
                out.push((label, (a, b)));
            }
            Ok(out)
        };
    let truth_keys = keys(&truth, tl, tr, None)?;
    let input_keys = keys(&input, il, ir, band)?;
    let order = |c: &str| (0, c.to_string());
    let (categories, total) = score(&truth_keys, &input_keys, &order);
    let mut matched_on = vec!["source"];
    if use_file {
        matched_on.push("file");
    }
    if use_sheet {
        matched_on.push("sheet");
    }
    matched_on.push("row");
    Ok(Report {
        matched_on,
        categories,
        total,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    #[test]
    fn counts_and_ratios() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "cases.csv",
            "category,source,file,sheet,row,field,note\nQ01,wis,wis/a.xlsx,一村,4,id_number,x\nQ01,wis,wis/a.xlsx,二村,4,id_number,x\nH03,wis,wis/a.xlsx,一村,5,name,x\n",
        );
        // One right, one in the wrong sheet, one of another category, and
        // the file written with a folder in front.
        let cases = write(
            dir.path(),
            "mine.csv",
            "\u{feff}case_id,category,source,file,sheet,row\n1,Q01,wis,out/wis/a.xlsx,一村,4\n2,Q01,wis,wis/a.xlsx,三村,4\n3,L01,wis,wis/a.xlsx,一村,5\n",
        );
        let r = score_cases(dir.path(), &cases).unwrap();
        assert_eq!(
            r.matched_on,
            vec!["category", "source", "file", "sheet", "row"]
        );
        let q01 = &r.categories[0];
        assert_eq!(
            (
                q01.category.as_str(),
                q01.truth,
                q01.reported,
                q01.tp,
                q01.fp,
                q01.fn_
            ),
            ("Q01", 2, 2, 1, 1, 1)
        );
        assert_eq!(q01.precision, Some(0.5));
        let h03 = r.categories.iter().find(|s| s.category == "H03").unwrap();
        assert_eq!(
            (h03.tp, h03.fn_, h03.precision, h03.recall),
            (0, 1, None, Some(0.0))
        );
        let l01 = r.categories.iter().find(|s| s.category == "L01").unwrap();
        assert_eq!((l01.fp, l01.recall, l01.f1), (1, None, None));
        assert_eq!((r.total.truth, r.total.reported, r.total.tp), (3, 3, 1));
        // Without sheet and file columns, the match is coarser.
        let coarse = write(
            dir.path(),
            "coarse.csv",
            "category,source,row\nQ01,wis,4\nQ01,wis,4\n",
        );
        let r = score_cases(dir.path(), &coarse).unwrap();
        assert_eq!(r.matched_on, vec!["category", "source", "row"]);
        assert_eq!(r.categories[0].tp, 2);
    }

    #[test]
    fn malformed_files_say_where() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "cases.csv",
            "category,source,file,sheet,row,field,note\nQ01,wis,a,,4,id_number,x\n",
        );
        let no_row = write(dir.path(), "a.csv", "category,source\nQ01,wis\n");
        let err = score_cases(dir.path(), &no_row).unwrap_err().to_string();
        assert!(
            err.contains("a.csv") && err.contains("缺少“row”列"),
            "{err}"
        );
        let bad_row = write(
            dir.path(),
            "b.csv",
            "category,source,row\nQ01,wis,4\nQ01,wis,四\n",
        );
        let err = score_cases(dir.path(), &bad_row).unwrap_err().to_string();
        assert!(
            err.contains("第 3 行") && err.contains("“row”列") && err.contains("“四”不是行号"),
            "{err}"
        );
        let ragged = write(
            dir.path(),
            "c.csv",
            "category,source,row\nQ01,wis,4,extra\n",
        );
        let err = score_cases(dir.path(), &ragged).unwrap_err().to_string();
        assert!(
            err.contains("第 2 行") && err.contains("本行有 4 列"),
            "{err}"
        );
        let err = score_cases(dir.path(), &dir.path().join("none.csv"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("none.csv"), "{err}");
    }

    #[test]
    fn pairs_match_in_either_order_and_only_links_count() {
        let dir = tempfile::tempdir().unwrap();
        write(
            dir.path(),
            "links.csv",
            "left_source,left_file,left_sheet,left_row,right_source,right_file,right_sheet,right_row,role\nwis,w.xlsx,一村,4,household,h.csv,,2,person\nwis,w.xlsx,一村,5,birth,b.xls,2016年,9,mother\n",
        );
        let pairs = write(
            dir.path(),
            "pairs.csv",
            "left_source,left_file,left_row,right_source,right_file,right_row,band\nhousehold,h.csv,2,wis,w.xlsx,4,link\nwis,w.xlsx,5,birth,b.xls,9,possible\nwis,w.xlsx,6,birth,b.xls,9,link\n",
        );
        let r = score_pairs(dir.path(), &pairs).unwrap();
        assert_eq!(r.matched_on, vec!["source", "file", "row"]);
        assert_eq!(
            (
                r.total.truth,
                r.total.reported,
                r.total.tp,
                r.total.fp,
                r.total.fn_
            ),
            (2, 2, 1, 1, 1)
        );
        let hh = r
            .categories
            .iter()
            .find(|s| s.category == "wis–household")
            .unwrap();
        assert_eq!(hh.f1, Some(1.0));
    }
}
