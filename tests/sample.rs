//! `bidui sample` and `bidui score` end to end: the files are read back the
//! way a loader would (GBK and UTF-8 CSV, xlsx and xls through calamine,
//! HTML by hand), and every row of the truth is checked against them.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use calamine::{Data, Reader};
use sha2_free::digest;

use bidui::identity::{Date, IdParser, Marital, Sex, normalize_name, parse_code, parse_date};

use crate::util::{bidui, testdata};

/// A dependency-free digest (FNV-1a, 64 bits) of a file's bytes: enough to
/// tell two files apart in a test.
mod sha2_free {
    pub fn digest(bytes: &[u8]) -> u64 {
        bytes.iter().fold(0xCBF2_9CE4_8422_2325, |h, &b| {
            (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3)
        })
    }
}

fn as_of() -> Date {
    Date::from_ymd(2026, 6, 30).unwrap()
}

fn generate(dir: &Path, people: &str, seed: &str, formats: &str) {
    let out = dir.to_str().unwrap();
    bidui(
        &[
            "-q",
            "sample",
            "--people",
            people,
            "--seed",
            seed,
            "--formats",
            formats,
            "--out",
            out,
            "--force",
        ],
        b"",
    )
    .expect_code(0);
}

/// Every file under `dir`, relative path → bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

// ---------------------------------------------------------------- reading

/// One sheet (or CSV/HTML file) as a person sees it: rows by their number.
struct Sheet {
    source: String,
    /// canonical field → column
    fields: HashMap<&'static str, usize>,
    rows: BTreeMap<u32, Vec<String>>,
}

/// A record: the cells of one data row, by canonical field.
type Record = HashMap<&'static str, String>;

fn source_of(file: &str) -> String {
    file.split('/').next().unwrap().to_string()
}

fn decode(bytes: &[u8]) -> String {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        String::from_utf8(rest.to_vec()).unwrap()
    } else {
        let (text, _, errors) = encoding_rs::GBK.decode(bytes);
        assert!(!errors, "not GBK");
        text.into_owned()
    }
}

fn cell_text(d: &Data) -> String {
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        // How a spreadsheet shows a number too long for it.
        Data::Float(f) => format!("{f:e}"),
        Data::Int(i) => i.to_string(),
        Data::DateTime(dt) => Date::from_excel_serial(dt.as_f64() as i64)
            .unwrap()
            .to_string(),
        other => format!("{other}"),
    }
}

/// An HTML table, spans expanded: text in the first cell of a span.
fn html_rows(text: &str) -> Vec<Vec<String>> {
    let mut grid: Vec<Vec<Option<String>>> = Vec::new();
    let mut taken: HashSet<(usize, usize)> = HashSet::new();
    for (r, tr) in text.split("<tr>").skip(1).enumerate() {
        let tr = tr.split("</tr>").next().unwrap();
        let mut c = 0;
        for td in tr.split("<td").skip(1) {
            let (attrs, rest) = td.split_once('>').unwrap();
            let content = rest.split("</td>").next().unwrap();
            let span = |name: &str| -> usize {
                attrs
                    .split(&format!("{name}=\""))
                    .nth(1)
                    .map_or(1, |v| v.split('"').next().unwrap().parse().unwrap())
            };
            while taken.contains(&(r, c)) {
                c += 1;
            }
            let (cs, rs) = (span("colspan"), span("rowspan"));
            for dr in 0..rs {
                for dc in 0..cs {
                    taken.insert((r + dr, c + dc));
                }
            }
            let value = content
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&amp;", "&");
            while grid.len() <= r {
                grid.push(Vec::new());
            }
            while grid[r].len() <= c {
                grid[r].push(None);
            }
            grid[r][c] = Some(value);
            c += cs;
        }
    }
    grid.into_iter()
        .map(|row| row.into_iter().map(Option::unwrap_or_default).collect())
        .collect()
}

const GROUPS: [&str; 8] = [
    "男方",
    "女方",
    "新生儿信息",
    "母亲信息",
    "父亲信息",
    "产妇信息",
    "分娩信息",
    "男方信息",
];

fn field_of(source: &str, header: &str) -> Option<&'static str> {
    Some(match (source, header) {
        ("wis", "姓名") => "name",
        ("wis", "性别") => "sex",
        ("wis", "出生日期") => "birth",
        ("wis", "公民身份号码" | "身份证号码") => "id",
        ("wis", "婚姻状况") => "marital",
        ("wis", "结婚日期") => "marriage_date",
        ("wis", "配偶身份证号码") => "spouse_id",
        ("wis", "母亲身份证号码") => "mother_id",
        ("wis", "户籍地村（居）委会") => "village",
        ("household", "GMSFHM") => "id",
        ("household", "XM") => "name",
        ("household", "XB") => "sex",
        ("household", "CSRQ") => "birth",
        ("household", "HYZK") => "marital",
        ("household", "RYZT") => "status",
        ("household", "JCWH") => "village",
        ("household", "MQGMSFHM") => "mother_id",
        ("marriage", "登记日期") => "date",
        ("marriage", "业务类型") => "kind",
        ("marriage", "男方/姓名" | "男方姓名") => "man_name",
        ("marriage", "男方/身份证号" | "男方身份证件号码") => "man_id",
        ("marriage", "男方/出生日期" | "男方出生日期") => "man_birth",
        ("marriage", "女方/姓名" | "女方姓名") => "woman_name",
        ("marriage", "女方/身份证号" | "女方身份证件号码") => "woman_id",
        ("marriage", "女方/出生日期" | "女方出生日期") => "woman_birth",
        ("marriage", "结婚证字号" | "证件字号") => "number",
        ("birth", "出生医学证明编号" | "住院号") => "number",
        ("birth", "新生儿信息/姓名") => "child_name",
        ("birth", "新生儿信息/性别" | "分娩信息/婴儿性别") => "child_sex",
        ("birth", "新生儿信息/出生日期" | "分娩信息/分娩日期") => "child_birth",
        ("birth", "母亲信息/姓名" | "产妇信息/姓名") => "mother_name",
        ("birth", "母亲信息/身份证件号码" | "产妇信息/身份证号") => "mother_id",
        ("birth", "父亲信息/身份证件号码" | "男方信息/身份证号") => "father_id",
        ("birth", "签发日期") => "issued",
        _ => return None,
    })
}

/// Finds the header, maps the columns, keeps the data rows (not the
/// totals or the signature).
fn sheet(source: &str, rows: Vec<(u32, Vec<String>)>) -> Sheet {
    let is_header = |r: &Vec<String>| {
        r.iter().any(|c| {
            [
                "姓名",
                "XM",
                "GMSFHM",
                "登记日期",
                "出生医学证明编号",
                "住院号",
            ]
            .contains(&c.as_str())
        })
    };
    let at = rows
        .iter()
        .position(|(_, r)| is_header(r))
        .expect("a header row");
    let header = &rows[at].1;
    let two_rows = header.iter().any(|c| GROUPS.contains(&c.as_str()));
    let mut fields = HashMap::new();
    let mut group = String::new();
    for (c, h) in header.iter().enumerate() {
        if !h.is_empty() {
            group = h.clone();
        }
        let name = if two_rows {
            let sub = rows[at + 1].1.get(c).cloned().unwrap_or_default();
            if sub.is_empty() {
                h.clone()
            } else {
                format!("{group}/{sub}")
            }
        } else {
            h.clone()
        };
        if let Some(f) = field_of(source, &name) {
            fields.insert(f, c);
        }
    }
    let data_from = at + if two_rows { 2 } else { 1 };
    let rows = rows[data_from..]
        .iter()
        .filter(|(_, r)| {
            let first = r.first().map(String::as_str).unwrap_or("");
            !(first == "合计" || first.starts_with("制表人") || r.iter().all(String::is_empty))
        })
        .cloned()
        .collect();
    Sheet {
        source: source.to_string(),
        fields,
        rows,
    }
}

/// Every sheet of the county: (file, sheet name or "") → sheet.
fn read_county(dir: &Path) -> BTreeMap<(String, String), Sheet> {
    let mut out = BTreeMap::new();
    for (rel, bytes) in files(dir) {
        if rel.starts_with("truth/") {
            continue;
        }
        let source = source_of(&rel);
        let path = dir.join(&rel);
        if rel.ends_with(".csv") {
            let text = decode(&bytes);
            let rows = text
                .split("\r\n")
                .enumerate()
                .filter(|(_, l)| !l.is_empty())
                .map(|(i, l)| {
                    let mut r = csv::ReaderBuilder::new()
                        .has_headers(false)
                        .from_reader(l.as_bytes());
                    let rec = r.records().next().unwrap().unwrap();
                    (i as u32 + 1, rec.iter().map(str::to_string).collect())
                })
                .collect();
            out.insert((rel.clone(), String::new()), sheet(&source, rows));
        } else if bytes.starts_with(b"<html") {
            let text = decode(&bytes);
            let rows = html_rows(&text)
                .into_iter()
                .enumerate()
                .map(|(i, r)| (i as u32 + 1, r))
                .collect();
            out.insert((rel.clone(), String::new()), sheet(&source, rows));
        } else {
            let mut book = calamine::open_workbook_auto(&path).unwrap();
            for name in book.sheet_names() {
                let range = book.worksheet_range(&name).unwrap();
                let (start, end) = (range.start().unwrap(), range.end().unwrap());
                let rows = (start.0..=end.0)
                    .map(|r| {
                        let cells = (0..=end.1)
                            .map(|c| range.get_value((r, c)).map(cell_text).unwrap_or_default())
                            .collect();
                        (r + 1, cells)
                    })
                    .collect();
                out.insert((rel.clone(), name.clone()), sheet(&source, rows));
            }
        }
    }
    out
}

type Key = (String, String, u32);

fn record(county: &BTreeMap<(String, String), Sheet>, key: &Key) -> Option<Record> {
    let s = county.get(&(key.0.clone(), key.1.clone()))?;
    let row = s.rows.get(&key.2)?;
    Some(
        s.fields
            .iter()
            .map(|(f, &c)| (*f, row.get(c).cloned().unwrap_or_default()))
            .collect(),
    )
}

fn read_csv(path: &Path) -> Vec<HashMap<String, String>> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_string).collect();
    r.records()
        .map(|rec| {
            header
                .iter()
                .cloned()
                .zip(rec.unwrap().iter().map(str::to_string))
                .collect()
        })
        .collect()
}

fn key(row: &HashMap<String, String>, prefix: &str) -> Key {
    (
        row[&format!("{prefix}file")].clone(),
        row[&format!("{prefix}sheet")].clone(),
        row[&format!("{prefix}row")].parse().unwrap(),
    )
}

// ---------------------------------------------------------------- values

fn parser() -> IdParser {
    IdParser::new(as_of())
}

fn date(s: &str) -> Option<Date> {
    parse_date(s).ok().flatten()
}

fn sex(s: &str) -> Option<Sex> {
    parse_code::<Sex>(s).known()
}

fn marital(s: &str) -> Option<Marital> {
    parse_code::<Marital>(s).known()
}

fn cleaned(s: &str) -> String {
    parser().parse(s).cleaned().to_string()
}

fn name(s: &str) -> String {
    normalize_name(s).normalized().to_string()
}

fn in_scope(d: Option<Date>, from: Date) -> bool {
    d.is_some_and(|d| d >= from && d <= as_of())
}

fn field<'a>(r: &'a Record, f: &str) -> &'a str {
    r.get(f).map_or("", String::as_str)
}

/// Whether a record contradicts itself or the calendar.
fn contradicts(source: &str, r: &Record) -> bool {
    let future = r.values().filter_map(|v| date(v)).any(|d| d > as_of());
    let mother_age = |born: Option<Date>| {
        let m = parser().parse(field(r, "mother_id"));
        match (m.is_valid(), m.birth_date(), born) {
            (true, Some(mb), Some(b)) => !(15..=55).contains(&mb.age_on(b)),
            _ => false,
        }
    };
    match source {
        "wis" => {
            let b = date(field(r, "birth"));
            let m = date(field(r, "marriage_date"));
            let young = match (b, m, sex(field(r, "sex"))) {
                (Some(b), Some(m), Some(s)) => b.age_on(m) < if s == Sex::Male { 22 } else { 20 },
                _ => false,
            };
            future || young || mother_age(b)
        }
        "household" => future || mother_age(date(field(r, "birth"))),
        "marriage" => {
            let d = date(field(r, "date"));
            let young = |f: &str, legal: i32| match (date(field(r, f)), d) {
                (Some(b), Some(d)) => b.age_on(d) < legal,
                _ => false,
            };
            let marriage = field(r, "kind") != "离婚";
            future || (marriage && (young("woman_birth", 20) || young("man_birth", 22)))
        }
        _ => {
            let b = date(field(r, "child_birth"));
            let issued_early = matches!((date(field(r, "issued")), b), (Some(i), Some(b)) if i < b);
            future || issued_early || mother_age(b)
        }
    }
}

// ---------------------------------------------------------------- the checks

struct Truth {
    county: BTreeMap<(String, String), Sheet>,
    cases: Vec<HashMap<String, String>>,
    links: Vec<HashMap<String, String>>,
    noise: Vec<HashMap<String, String>>,
    /// Links by their left (WIS) and right records: (role, other side).
    by_left: HashMap<Key, Vec<(String, Key)>>,
    by_right: HashMap<Key, Vec<(String, Key)>>,
}

impl Truth {
    fn load(dir: &Path) -> Truth {
        let links = read_csv(&dir.join("truth/links.csv"));
        let mut by_left: HashMap<Key, Vec<(String, Key)>> = HashMap::new();
        let mut by_right: HashMap<Key, Vec<(String, Key)>> = HashMap::new();
        for l in &links {
            let (a, b) = (key(l, "left_"), key(l, "right_"));
            by_left
                .entry(a.clone())
                .or_default()
                .push((l["role"].clone(), b.clone()));
            by_right.entry(b).or_default().push((l["role"].clone(), a));
        }
        Truth {
            county: read_county(dir),
            cases: read_csv(&dir.join("truth/cases.csv")),
            links,
            noise: read_csv(&dir.join("truth/noise.csv")),
            by_left,
            by_right,
        }
    }

    fn linked(&self, index: &HashMap<Key, Vec<(String, Key)>>, k: &Key, role: &str) -> Vec<Record> {
        index
            .get(k)
            .into_iter()
            .flatten()
            .filter(|(r, _)| r == role)
            .map(|(_, other)| record(&self.county, other).expect("a linked row"))
            .collect()
    }

    /// The WIS records linked to a record of another register, in a role.
    fn wis_of(&self, k: &Key, role: &str) -> Vec<Record> {
        self.linked(&self.by_right, k, role)
    }

    /// The records a WIS record is linked to, in a role.
    fn linked_to_wis(&self, k: &Key, role: &str) -> Vec<Record> {
        self.linked(&self.by_left, k, role)
    }

    fn active_household(&self, k: &Key) -> Option<Record> {
        self.linked_to_wis(k, "person")
            .into_iter()
            .find(|h| field(h, "status") == "0")
    }
}

/// Whether the record at `k` shows the case.
fn shows(t: &Truth, category: &str, source: &str, k: &Key, fields: &str) -> Result<(), String> {
    let r = record(&t.county, k).ok_or("no such data row")?;
    let ok = |b: bool, why: &str| if b { Ok(()) } else { Err(why.to_string()) };
    let marriages_from = Date::from_ymd(2008, 1, 1).unwrap();
    let births_from = Date::from_ymd(2011, 1, 1).unwrap();
    match category {
        "Q01" => ok(
            fields.split(';').any(|f| {
                let f = match (source, f) {
                    ("wis" | "household", "id_number") => "id",
                    (_, f) => f,
                };
                let id = parser().parse(field(&r, f));
                !id.is_empty() && !id.is_valid()
            }),
            "no invalid ID in the named field",
        ),
        "Q02" => ok(
            fields.split(';').any(|f| {
                let (idf, birthf, want_sex) = match (source, f) {
                    ("wis" | "household", _) => ("id", Some("birth"), sex(field(&r, "sex"))),
                    (_, "man_id") => ("man_id", Some("man_birth"), Some(Sex::Male)),
                    (_, "woman_id") => ("woman_id", Some("woman_birth"), Some(Sex::Female)),
                    (_, "mother_id") => ("mother_id", None, Some(Sex::Female)),
                    _ => ("father_id", None, Some(Sex::Male)),
                };
                let id = parser().parse(field(&r, idf));
                id.is_valid()
                    && (birthf.is_some_and(|b| date(field(&r, b)) != id.birth_date())
                        || want_sex.is_some_and(|s| id.sex() != Some(s)))
            }),
            "ID agrees with the record",
        ),
        "Q03" => {
            let s = t.county.get(&(k.0.clone(), k.1.clone())).unwrap();
            let same = |o: &Record| match source {
                "marriage" => {
                    field(o, "number") == field(&r, "number")
                        && cleaned(field(o, "woman_id")) == cleaned(field(&r, "woman_id"))
                }
                "birth" => {
                    cleaned(field(o, "mother_id")) == cleaned(field(&r, "mother_id"))
                        && field(o, "child_birth") == field(&r, "child_birth")
                        && field(o, "child_sex") == field(&r, "child_sex")
                        && field(o, "number") != field(&r, "number")
                }
                _ => {
                    let id = parser().parse(field(&r, "id"));
                    (id.is_valid() && cleaned(field(o, "id")) == id.cleaned())
                        || (name(field(o, "name")) == name(field(&r, "name"))
                            && field(o, "birth") == field(&r, "birth"))
                }
            };
            ok(
                s.rows.range(..k.2).any(|(row, _)| {
                    same(&record(&t.county, &(k.0.clone(), k.1.clone(), *row)).unwrap())
                }),
                "no earlier row of the same person",
            )
        }
        "H01" => {
            let age = date(field(&r, "birth")).map(|b| b.age_on(as_of()));
            ok(
                field(&r, "status") == "0"
                    && sex(field(&r, "sex")) == Some(Sex::Female)
                    && age.is_some_and(|a| (20..=49).contains(&a))
                    && marital(field(&r, "marital")).is_some_and(Marital::is_married)
                    && t.wis_of(k, "person").is_empty(),
                "not an in-scope woman missing from WIS",
            )
        }
        "H02" => ok(
            t.active_household(k).is_none(),
            "has an active household record",
        ),
        "H03" | "H04" | "H05" | "H06" => {
            let h = t.active_household(k).ok_or("no active household record")?;
            match category {
                "H03" => ok(
                    name(field(&r, "name")) != name(field(&h, "name")),
                    "names agree",
                ),
                "H04" => ok(
                    cleaned(field(&r, "id")) != cleaned(field(&h, "id")),
                    "IDs agree",
                ),
                "H05" => ok(
                    date(field(&r, "birth")) != date(field(&h, "birth"))
                        || sex(field(&r, "sex")) != sex(field(&h, "sex")),
                    "birth date and sex agree",
                ),
                _ => ok(
                    field(&r, "village") != field(&h, "village"),
                    "villages agree",
                ),
            }
        }
        "M01" | "M02" | "M03" | "M04" => {
            ok(
                in_scope(date(field(&r, "date")), marriages_from),
                "registration out of scope",
            )?;
            let women = t.wis_of(k, "woman");
            let marriage = field(&r, "kind") != "离婚";
            match category {
                "M01" => ok(
                    marriage
                        && (women.is_empty()
                            || women
                                .iter()
                                .any(|w| marital(field(w, "marital")) == Some(Marital::Unmarried))),
                    "WIS has her, not unmarried",
                ),
                _ => {
                    let w = women.first().ok_or("no WIS record of the woman")?;
                    let wis_married = marital(field(w, "marital")).is_some_and(Marital::is_married);
                    match category {
                        "M02" => ok(
                            (!marriage && wis_married)
                                || (marriage
                                    && marital(field(w, "marital")) == Some(Marital::Divorced)),
                            "WIS status agrees",
                        ),
                        "M03" => ok(
                            marriage
                                && wis_married
                                && date(field(w, "marriage_date")) != date(field(&r, "date")),
                            "dates agree",
                        ),
                        _ => ok(
                            marriage
                                && wis_married
                                && cleaned(field(w, "spouse_id")) != cleaned(field(&r, "man_id")),
                            "spouses agree",
                        ),
                    }
                }
            }
        }
        "B01" | "B02" | "B03" => {
            ok(
                in_scope(date(field(&r, "child_birth")), births_from),
                "birth out of scope",
            )?;
            match category {
                "B01" => ok(t.wis_of(k, "child").is_empty(), "the child is in WIS"),
                "B02" => {
                    let c = t.wis_of(k, "child");
                    let c = c.first().ok_or("the child is not in WIS")?;
                    ok(
                        date(field(c, "birth")) != date(field(&r, "child_birth"))
                            || sex(field(c, "sex")) != sex(field(&r, "child_sex")),
                        "birth date and sex agree",
                    )
                }
                _ => {
                    let mothers = t.wis_of(k, "mother");
                    let id = cleaned(field(&r, "mother_id"));
                    ok(
                        mothers.iter().all(|m| cleaned(field(m, "id")) != id),
                        "the mother's WIS ID agrees",
                    )
                }
            }
        }
        "B04" => ok(
            !field(&r, "mother_id").is_empty()
                && in_scope(date(field(&r, "birth")), births_from)
                && t.linked_to_wis(k, "child").is_empty(),
            "has birth evidence, or is out of scope",
        ),
        "L01" => ok(contradicts(source, &r), "no contradiction"),
        other => Err(format!("unknown category {other}")),
    }
}

fn check_truth(dir: &Path) {
    let t = Truth::load(dir);
    assert!(!t.cases.is_empty());
    // Every category of the domain brief is there.
    let categories: HashSet<&str> = t.cases.iter().map(|c| c["category"].as_str()).collect();
    for c in [
        "Q01", "Q02", "Q03", "H01", "H02", "H03", "H04", "H05", "H06", "M01", "M02", "M03", "M04",
        "B01", "B02", "B03", "B04", "L01",
    ] {
        assert!(categories.contains(c), "{}: no {c}", dir.display());
    }
    let mut failures = Vec::new();
    for c in &t.cases {
        let k = key(c, "");
        if let Err(why) = shows(&t, &c["category"], &c["source"], &k, &c["field"]) {
            failures.push(format!(
                "{} {} {:?}: {why} ({})",
                c["category"], c["source"], k, c["note"]
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} truth rows do not show their case:\n{}",
        failures.len(),
        t.cases.len(),
        failures.join("\n")
    );

    // Every link joins two existing records, a WIS one on the left.
    for l in &t.links {
        assert_eq!(l["left_source"], "wis");
        assert!(record(&t.county, &key(l, "left_")).is_some(), "{l:?}");
        assert!(record(&t.county, &key(l, "right_")).is_some(), "{l:?}");
    }

    // No one is in WIS or the household register twice without a Q03.
    let q03: HashSet<Key> = t
        .cases
        .iter()
        .filter(|c| c["category"] == "Q03")
        .map(|c| key(c, ""))
        .collect();
    for ((file, sheet), s) in &t.county {
        if !matches!(s.source.as_str(), "wis" | "household") {
            continue;
        }
        let mut seen: HashMap<String, u32> = HashMap::new();
        for row in s.rows.keys() {
            let r = record(&t.county, &(file.clone(), sheet.clone(), *row)).unwrap();
            let id = parser().parse(field(&r, "id"));
            if !id.is_valid() {
                continue;
            }
            if let Some(first) = seen.insert(id.cleaned().to_string(), *row) {
                assert!(
                    q03.contains(&(file.clone(), sheet.clone(), *row)),
                    "{file} {sheet}: rows {first} and {row} are one person, no Q03"
                );
            }
        }
    }

    // Noise: never a case, visibly there, and nothing but normalisation.
    let case_rows: HashSet<(String, Key)> = t
        .cases
        .iter()
        .map(|c| (c["source"].clone(), key(c, "")))
        .collect();
    let mut kinds = HashSet::new();
    for n in &t.noise {
        let k = key(n, "");
        assert!(
            !case_rows.contains(&(n["source"].clone(), k.clone())),
            "noise row is a case: {n:?}"
        );
        let r = record(&t.county, &k).unwrap_or_else(|| panic!("no row for {n:?}"));
        let f = match n["field"].as_str() {
            "id_number" => "id",
            other => other,
        };
        let value = field(&r, f).to_string();
        let kind = n["kind"].as_str();
        kinds.insert(kind.to_string());
        let visible = match kind {
            "fullwidth" => value.chars().any(|c| ('０'..='９').contains(&c)),
            "lower_x" => value.ends_with('x'),
            "spaces" => value.contains(' '),
            "apostrophe" => value.starts_with('\''),
            "fifteen_digit" => value.len() == 15,
            "traditional" | "dot_variant" => name(&value) != value,
            _ => false,
        };
        assert!(visible, "{kind} not visible in {value:?} ({n:?})");
        let is_id = f.ends_with("id");
        // The same person's record elsewhere holds the normalised value.
        let (partners, their) = match (n["source"].as_str(), f) {
            ("wis", _) => (t.linked_to_wis(&k, "person"), f),
            ("household", _) => (t.wis_of(&k, "person"), f),
            ("marriage", "woman_id" | "woman_name") => {
                (t.wis_of(&k, "woman"), if is_id { "id" } else { "name" })
            }
            ("marriage", _) => (t.wis_of(&k, "man"), if is_id { "id" } else { "name" }),
            _ => (t.wis_of(&k, "mother"), if is_id { "id" } else { "name" }),
        };
        let norm = |v: &str| if is_id { cleaned(v) } else { name(v) };
        if is_id {
            assert!(
                parser().parse(&value).is_valid(),
                "{value} is not valid after normalisation"
            );
        }
        assert!(
            partners
                .iter()
                .any(|p| norm(field(p, their)) == norm(&value)),
            "{n:?}: {value:?} normalises to {:?}, not to the other register's value",
            norm(&value)
        );
    }
    assert!(kinds.len() >= 5, "few kinds of noise: {kinds:?}");

    // And the other way round: what the files show is in the truth.
    let listed: HashSet<(String, Key)> = t
        .cases
        .iter()
        .map(|c| (c["category"].clone(), key(c, "")))
        .collect();
    let mut missing = Vec::new();
    let mut expect = |category: &str, k: &Key, why: &str| {
        if !listed.contains(&(category.to_string(), k.clone())) {
            missing.push(format!("{category} {k:?}: {why}"));
        }
    };
    for ((file, sheet), s) in &t.county {
        for row in s.rows.keys() {
            let k = (file.clone(), sheet.clone(), *row);
            let r = record(&t.county, &k).unwrap();
            let own: &[&str] = match s.source.as_str() {
                "wis" | "household" => &["id"],
                "marriage" => &["man_id", "woman_id"],
                _ => &["mother_id", "father_id"],
            };
            for f in own {
                let id = parser().parse(field(&r, f));
                if !id.is_empty() && !id.is_valid() {
                    expect("Q01", &k, f);
                }
            }
            if s.source != "wis" {
                continue;
            }
            match t.active_household(&k) {
                None => expect("H02", &k, "no active household record"),
                Some(h) => {
                    if name(field(&r, "name")) != name(field(&h, "name")) {
                        expect("H03", &k, "names differ");
                    }
                    if !field(&r, "id").is_empty()
                        && cleaned(field(&r, "id")) != cleaned(field(&h, "id"))
                    {
                        expect("H04", &k, "IDs differ");
                    }
                    if date(field(&r, "birth")) != date(field(&h, "birth"))
                        || sex(field(&r, "sex")) != sex(field(&h, "sex"))
                    {
                        expect("H05", &k, "birth date or sex differs");
                    }
                    if field(&r, "village") != field(&h, "village") {
                        expect("H06", &k, "villages differ");
                    }
                }
            }
        }
    }
    assert!(
        missing.is_empty(),
        "{} discrepancies in the files are not in the truth:\n{}",
        missing.len(),
        missing.join("\n")
    );
}

#[test]
fn the_committed_county_is_what_the_command_makes_now() {
    let dir = tempfile::tempdir().unwrap();
    generate(dir.path(), "2000", "2026", "mixed");
    let made = files(dir.path());
    let committed = files(&testdata("county-small"));
    let names = |m: &BTreeMap<String, Vec<u8>>| {
        m.keys()
            .filter(|k| !k.ends_with("README.md"))
            .cloned()
            .collect::<Vec<_>>()
    };
    assert_eq!(
        names(&made),
        names(&committed),
        "regenerate with: bidui sample --people 2000 --seed 2026 --out testdata/county-small --force"
    );
    for (name, bytes) in &made {
        assert!(
            committed[name] == *bytes,
            "testdata/county-small/{name} is stale; regenerate it"
        );
    }
}

#[test]
fn the_committed_county_agrees_with_its_truth() {
    check_truth(&testdata("county-small"));
}

#[test]
fn the_check_catches_a_false_truth_row() {
    // A noise row (a valid number written with full-width digits) claimed
    // as Q01: the check must refuse it, or it proves nothing.
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files(&testdata("county-small")) {
        let p = dir.path().join(&name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    }
    let noise = read_csv(&dir.path().join("truth/noise.csv"));
    let n = noise
        .iter()
        .find(|n| n["kind"] == "fullwidth")
        .expect("a full-width number");
    let cases = dir.path().join("truth/cases.csv");
    let mut text = std::fs::read_to_string(&cases).unwrap();
    text.push_str(&format!(
        "Q01,{},{},{},{},{},假的\r\n",
        n["source"], n["file"], n["sheet"], n["row"], n["field"]
    ));
    std::fs::write(&cases, text).unwrap();
    let caught = std::panic::catch_unwind(|| check_truth(dir.path()));
    let message = caught.expect_err("a false Q01 must fail the check");
    let message = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(
        message.contains("no invalid ID") || message.contains("noise row is a case"),
        "{message}"
    );
}

#[test]
fn csv_and_xlsx_counties_agree_with_their_truth() {
    for formats in ["csv", "xlsx"] {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), "2500", "11", formats);
        let all = files(dir.path());
        let want = if formats == "csv" { ".csv" } else { ".xlsx" };
        assert!(
            all.keys()
                .filter(|k| !k.starts_with("truth/"))
                .all(|k| k.ends_with(want)),
            "{formats}: {:?}",
            all.keys()
        );
        check_truth(dir.path());
    }
}

/// A county of 30,000 in each format: slower, run with `--ignored`.
#[test]
#[ignore]
fn a_larger_county_agrees_with_its_truth() {
    for formats in ["mixed", "csv", "xlsx"] {
        let dir = tempfile::tempdir().unwrap();
        generate(dir.path(), "30000", "5", formats);
        check_truth(dir.path());
    }
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    for formats in ["mixed", "csv", "xlsx"] {
        let a = tempfile::tempdir().unwrap();
        let b = tempfile::tempdir().unwrap();
        generate(a.path(), "600", "7", formats);
        generate(b.path(), "600", "7", formats);
        let (fa, fb) = (files(a.path()), files(b.path()));
        assert_eq!(fa.keys().collect::<Vec<_>>(), fb.keys().collect::<Vec<_>>());
        for (name, bytes) in &fa {
            assert_eq!(
                digest(bytes),
                digest(&fb[name]),
                "{formats}: {name} differs between two runs"
            );
        }
    }
    let a = tempfile::tempdir().unwrap();
    let c = tempfile::tempdir().unwrap();
    generate(a.path(), "600", "7", "mixed");
    generate(c.path(), "600", "8", "mixed");
    let (fa, fc) = (files(a.path()), files(c.path()));
    let same = fa
        .iter()
        .filter(|(k, v)| {
            k.starts_with("wis/") && fc.get(*k).is_some_and(|w| digest(w) == digest(v))
        })
        .count();
    assert_eq!(same, 0, "another seed must give other people");
}

#[test]
fn a_full_folder_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("县");
    let o = out.to_str().unwrap();
    bidui(&["-q", "sample", "--people", "300", "--out", o], b"").expect_code(0);
    let run = bidui(&["-q", "sample", "--people", "300", "--out", o], b"");
    run.expect_code(2);
    assert!(
        run.stderr.contains("已存在且不为空") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    std::fs::write(out.join("notes.txt"), "mine").unwrap();
    bidui(
        &[
            "-q", "sample", "--people", "300", "--seed", "2", "--out", o, "--force",
        ],
        b"",
    )
    .expect_code(0);
    assert!(
        out.join("notes.txt").exists(),
        "--force removes only what sample writes"
    );
    let run = bidui(&["sample", "--people", "5", "--out", o], b"");
    run.expect_code(2);
    assert!(
        run.stderr.contains("--people 须在 100 到 3000000 之间"),
        "{}",
        run.stderr
    );
}

#[test]
fn the_summary_names_the_files_and_counts() {
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("c");
    let run = bidui(
        &["sample", "--people", "400", "--out", o.to_str().unwrap()],
        b"",
    );
    run.expect_code(0);
    for fragment in ["平邑县", "household/", "truth/cases.csv", "个案例", "Q01"] {
        assert!(
            run.stdout.contains(fragment),
            "{}\nlacks {fragment}",
            run.stdout
        );
    }
}

// ---------------------------------------------------------------- score

fn score_json(truth: &Path, flag: &str, file: &Path) -> serde_json::Value {
    let run = bidui(
        &[
            "score",
            "--truth",
            truth.to_str().unwrap(),
            flag,
            file.to_str().unwrap(),
            "--json",
        ],
        b"",
    );
    run.expect_code(0);
    serde_json::from_str(&run.stdout).unwrap()
}

#[test]
fn the_truth_scores_perfectly_against_itself() {
    let truth = testdata("county-small").join("truth");
    let v = score_json(&truth, "--cases", &truth.join("cases.csv"));
    let total = &v["cases"]["total"];
    assert_eq!(total["precision"], 1.0);
    assert_eq!(total["recall"], 1.0);
    assert_eq!(total["fp"], 0);
    for c in v["cases"]["categories"].as_array().unwrap() {
        assert_eq!(c["f1"], 1.0, "{c}");
    }
    let v = score_json(&truth, "--pairs", &truth.join("links.csv"));
    assert_eq!(v["pairs"]["total"]["f1"], 1.0);
    // The table for people.
    let run = bidui(
        &[
            "score",
            "--truth",
            truth.to_str().unwrap(),
            "--cases",
            truth.join("cases.csv").to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(0);
    assert!(
        run.stdout.contains("精确率")
            && run.stdout.contains("合计")
            && run.stdout.contains("1.000"),
        "{}",
        run.stdout
    );
}

#[test]
fn one_wrong_and_one_missing_case_are_counted() {
    let truth = testdata("county-small").join("truth");
    let text = std::fs::read_to_string(truth.join("cases.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let n = lines.len() - 1;
    // Drop the first case; move the second to a row that has none.
    let dropped: Vec<String> = lines.remove(1).split(',').map(str::to_string).collect();
    let mut moved: Vec<String> = lines[1].split(',').map(str::to_string).collect();
    let moved_category = moved[0].clone();
    moved[4] = "99999".to_string();
    lines[1] = moved.join(",");
    let dir = tempfile::tempdir().unwrap();
    let mine = dir.path().join("mine.csv");
    std::fs::write(&mine, lines.join("\n")).unwrap();
    let v = score_json(&truth, "--cases", &mine);
    let total = &v["cases"]["total"];
    assert_eq!(total["truth"], n);
    assert_eq!(total["tp"], n - 2);
    assert_eq!(total["fp"], 1);
    assert_eq!(total["fn"], 2);
    let of = |c: &str| {
        v["cases"]["categories"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["category"] == c)
            .unwrap()
            .clone()
    };
    assert!(of(&dropped[0])["fn"].as_u64().unwrap() >= 1);
    assert!(of(&moved_category)["fp"].as_u64().unwrap() == 1);
}

#[test]
fn malformed_input_to_score_says_where() {
    let truth = testdata("county-small").join("truth");
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "category,source,row\nQ01,wis,4\nQ01,wis,第四\n").unwrap();
    let run = bidui(
        &[
            "score",
            "--truth",
            truth.to_str().unwrap(),
            "--cases",
            bad.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(3);
    assert!(
        run.stderr.contains("bad.csv")
            && run.stderr.contains("第 3 行")
            && run.stderr.contains("“row”列"),
        "{}",
        run.stderr
    );
    let run = bidui(
        &[
            "score",
            "--truth",
            dir.path().join("nothing").to_str().unwrap(),
            "--cases",
            bad.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(3);
    assert!(run.stderr.contains("不是真值文件夹"), "{}", run.stderr);
}
