//! Runs the real `bidui` binary the way a statistician or a script would,
//! and reads back what it wrote: CSV files, and workbooks (cells with
//! calamine, the rest from the xlsx's XML).

use std::collections::HashMap;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use calamine::{Data, Reader, SheetVisible, open_workbook_auto};

/// What one run of the binary did.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Fails with everything the run printed, so a broken test says why.
    #[track_caller]
    pub fn expect_code(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

pub fn testdata(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("testdata")
        .join(name)
}

/// `bidui ARGS` with `stdin` as standard input.
pub fn bidui(args: &[&str], stdin: &[u8]) -> Run {
    bidui_in(Path::new("."), args, stdin, &[])
}

/// `bidui ARGS` run in folder `dir` (where a crash would leave its core
/// file), with `stdin` and these environment variables set.
pub fn bidui_in(dir: &Path, args: &[&str], stdin: &[u8], env: &[(&str, &str)]) -> Run {
    let mut child = Command::new(env!("CARGO_BIN_EXE_bidui"))
        .current_dir(dir)
        .args(args)
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start bidui");
    let mut pipe = child.stdin.take().expect("stdin");
    // A writer thread, so a large input cannot deadlock against a full stdout.
    let input = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(&input);
    });
    let out = child.wait_with_output().expect("wait for bidui");
    writer.join().expect("stdin writer");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(out.stderr).expect("stderr is UTF-8"),
    }
}

/// A CSV file bidui wrote (UTF-8 with BOM), one map per line by header.
pub fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

/// A config for county-small (as of 2026-06-30, output `out`) with
/// absolute paths and `extra` lines, written into `dir`.
pub fn county_config(dir: &Path, extra: &str) -> PathBuf {
    let county = testdata("county-small");
    let path = dir.join("county.toml");
    let text = format!(
        "as_of = 2026-06-30\noutput = \"out\"\n{extra}[sources]\n{}",
        ["wis", "household", "marriage", "birth"]
            .iter()
            .map(|s| format!("{s} = {:?}\n", county.join(s).display().to_string()))
            .collect::<String>()
    );
    std::fs::write(&path, text).unwrap();
    path
}

/// A workbook read back: its sheets in order (with whether each is
/// visible) and every sheet's cells by absolute position.
pub struct Book {
    pub sheets: Vec<(String, bool)>,
    pub grids: HashMap<String, Vec<Vec<Data>>>,
}

pub fn open(path: &Path) -> Book {
    let mut wb = open_workbook_auto(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let sheets: Vec<(String, bool)> = wb
        .sheets_metadata()
        .iter()
        .map(|s| (s.name.clone(), s.visible == SheetVisible::Visible))
        .collect();
    let mut grids = HashMap::new();
    for (name, _) in &sheets {
        let range = wb.worksheet_range(name).unwrap();
        let mut grid: Vec<Vec<Data>> = Vec::new();
        if let (Some(start), Some(end)) = (range.start(), range.end()) {
            grid = vec![vec![Data::Empty; end.1 as usize + 1]; end.0 as usize + 1];
            for (r, c, v) in range.cells() {
                grid[start.0 as usize + r][start.1 as usize + c] = v.clone();
            }
        }
        grids.insert(name.clone(), grid);
    }
    Book { sheets, grids }
}

/// A cell as import reads it: its text.
pub fn text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 => format!("{}", *f as i64),
        other => other.to_string(),
    }
}

/// Every cell's text of a sheet, a line each.
pub fn grid_text(grid: &[Vec<Data>]) -> String {
    let mut all = String::new();
    for row in grid {
        for cell in row {
            all.push_str(&text(cell));
            all.push('\n');
        }
    }
    all
}

/// Every cell's text of every sheet.
pub fn all_text(book: &Book) -> String {
    book.grids.values().map(|g| grid_text(g)).collect()
}

/// A category sheet's table: the header row is the first with 案例编号.
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<Vec<Data>>,
}

impl Table {
    pub fn of(grid: &[Vec<Data>]) -> Table {
        let at = grid
            .iter()
            .position(|r| r.iter().any(|c| text(c) == "案例编号"))
            .expect("a header row with 案例编号");
        Table {
            header: grid[at].iter().map(text).collect(),
            rows: grid[at + 1..]
                .iter()
                .filter(|r| r.iter().any(|c| !text(c).is_empty()))
                .cloned()
                .collect(),
        }
    }

    pub fn col(&self, name: &str) -> usize {
        self.header
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}: {:?}", self.header))
    }
}

/// One file of an xlsx (a zip) as text.
pub fn xml(path: &Path, entry: &str) -> String {
    let mut zip = zip::ZipArchive::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut s = String::new();
    zip.by_name(entry)
        .unwrap_or_else(|e| panic!("{entry}: {e}"))
        .read_to_string(&mut s)
        .unwrap();
    s
}

/// The value of `name="…"` in an XML tag's text (after its element name).
pub fn attr(tag: &str, name: &str) -> String {
    let tag = format!(" {tag}");
    let key = format!(" {name}=\"");
    let from = tag.find(&key).map_or(tag.len(), |i| i + key.len());
    let to = tag[from..].find('"').map_or(tag.len(), |i| from + i);
    tag[from..to].to_string()
}

/// Each sheet's XML, by sheet name.
pub fn sheet_xml(path: &Path) -> HashMap<String, String> {
    let workbook = xml(path, "xl/workbook.xml");
    let rels = xml(path, "xl/_rels/workbook.xml.rels");
    let targets: HashMap<String, String> = rels
        .split("<Relationship ")
        .skip(1)
        .map(|t| (attr(t, "Id"), attr(t, "Target")))
        .collect();
    workbook
        .split("<sheet ")
        .skip(1)
        .map(|t| {
            let target = &targets[&attr(t, "r:id")];
            (
                attr(t, "name").replace("&amp;", "&"),
                xml(path, &format!("xl/{target}")),
            )
        })
        .collect()
}

impl Table {
    /// A table whose header row is the first with a cell `first`.
    pub fn of_header(grid: &[Vec<Data>], first: &str) -> Table {
        let at = grid
            .iter()
            .position(|r| r.iter().any(|c| text(c) == first))
            .unwrap_or_else(|| panic!("no header with {first}"));
        Table {
            header: grid[at].iter().map(text).collect(),
            rows: grid[at + 1..]
                .iter()
                .take_while(|r| r.iter().any(|c| !text(c).is_empty()))
                .cloned()
                .collect(),
        }
    }
}
