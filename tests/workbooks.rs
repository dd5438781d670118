//! The village workbooks and summary.xlsx of `bidui check` on county-small,
//! read back the way `bidui import` and a statistician would: with calamine
//! for the cells, and from the xlsx's own XML for what calamine does not
//! show (drop-downs, date validation, protection, print setup). Each
//! village's workbook holds its own cases and nothing of another village;
//! `--mask-ids` masks the village workbooks only; an existing period is
//! not written over without `--force`; LibreOffice opens every workbook.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use calamine::Data;

use bidui::classify::{Category, digest};

use crate::util::{
    Book, Table, all_text, bidui, county_config, grid_text, open, read_csv, sheet_xml, text, xml,
};

type Case = HashMap<String, String>;

/// county-small checked once, for the tests that only read what it wrote.
fn checked() -> &'static Path {
    static OUT: OnceLock<PathBuf> = OnceLock::new();
    OUT.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("workbooks-county-small");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        check(&county_config(&dir, ""), &[]).expect_code(0);
        dir.join("out/2026-06")
    })
}

fn check(config: &Path, more: &[&str]) -> crate::util::Run {
    let mut args = vec![
        "-q",
        "check",
        "--config",
        config.to_str().unwrap(),
        "--as-of",
        "2026-06-30",
    ];
    args.extend_from_slice(more);
    bidui(&args, b"")
}

fn category_of(sheet: &str) -> Category {
    Category::ALL
        .into_iter()
        .find(|c| sheet.starts_with(&format!("{} ", c.code())))
        .unwrap_or_else(|| panic!("{sheet} is no category sheet"))
}

fn village_files(out: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(out.join("villages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    files
}

/// The `_bidui` sheet's keys and values.
fn meta(book: &Book) -> HashMap<String, String> {
    book.grids["_bidui"]
        .iter()
        .skip(1)
        .map(|r| (text(&r[0]), text(&r[1])))
        .collect()
}

fn cases_of<'a>(cases: &'a [Case], meta: &HashMap<String, String>) -> Vec<&'a Case> {
    let code = &meta["village_code"];
    cases
        .iter()
        .filter(|c| {
            if code.is_empty() {
                c["village_code"].is_empty() && c["village"] == meta["village"]
            } else {
                c["village_code"] == *code
            }
        })
        .collect()
}

/// Reads one village workbook back and checks its cells against cases.csv;
/// gives the village's case ids.
fn check_village(path: &Path, cases: &[Case], masked: bool) -> HashSet<String> {
    let book = open(path);
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names.first(), Some(&"封面"), "{names:?}");
    assert_eq!(names.last(), Some(&"_bidui"), "{names:?}");
    for (name, visible) in &book.sheets {
        assert_eq!(*visible, name != "_bidui", "{name}");
    }
    let meta = meta(&book);
    for (key, want) in [
        ("format", "bidui-village-1"),
        ("county", "371326"),
        ("county_name", "平邑县"),
        ("period", "2026-06"),
        ("as_of", "2026-06-30"),
        ("deadline", "2026-07-30"),
    ] {
        assert_eq!(meta[key], want, "{key} in {}", path.display());
    }
    let file = path.file_name().unwrap().to_string_lossy();
    assert_eq!(file, format!("{}-{}.xlsx", meta["town"], meta["village"]));
    let mine = cases_of(cases, &meta);
    assert!(!mine.is_empty(), "{file}: no cases in cases.csv");

    // The cover's counts are cases.csv's for the village.
    let mut want: BTreeMap<&str, usize> = BTreeMap::new();
    for c in &mine {
        *want.entry(c["category"].as_str()).or_default() += 1;
    }
    let mut cover: BTreeMap<String, usize> = BTreeMap::new();
    let mut total = None;
    for row in &book.grids["封面"] {
        let first = text(&row[0]);
        if Category::ALL.iter().any(|c| c.code() == first) {
            cover.insert(first, text(&row[2]).parse().unwrap());
        } else if first == "合计" {
            total = Some(text(&row[2]).parse::<usize>().unwrap());
        }
    }
    let want_cover: BTreeMap<String, usize> =
        want.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    assert_eq!(cover, want_cover, "{file}");
    assert_eq!(total, Some(mine.len()), "{file}");

    // One sheet per category present, in the order of Category::ALL.
    let sheet_codes: Vec<&str> = names[1..names.len() - 1]
        .iter()
        .map(|n| category_of(n).code())
        .collect();
    let want_codes: Vec<&str> = Category::ALL
        .iter()
        .map(|c| c.code())
        .filter(|c| want.contains_key(c))
        .collect();
    assert_eq!(sheet_codes, want_codes, "{file}");

    let by_id: HashMap<&str, &Case> = mine.iter().map(|c| (c["case_id"].as_str(), *c)).collect();
    let mut seen = HashSet::new();
    for name in &names[1..names.len() - 1] {
        let category = category_of(name);
        let table = Table::of(&book.grids[*name]);
        let (id_col, name_col, number_col) = (
            table.col("案例编号"),
            table.col("姓名"),
            table.col("身份证号"),
        );
        let (explain_col, digest_col) = (table.col("说明"), table.col("校验"));
        for col in ["序号", "核实结果", "正确值", "核实人", "核实日期", "备注"] {
            table.col(col);
        }
        assert!(id_col < explain_col && explain_col < digest_col);
        for row in &table.rows {
            let id = text(&row[id_col]);
            let case = by_id
                .get(id.as_str())
                .unwrap_or_else(|| panic!("{file} {name}: {id} is not this village's case"));
            assert_eq!(case["category"], category.code(), "{id}");
            assert!(seen.insert(id.clone()), "{id} twice");
            assert_eq!(text(&row[name_col]), case["name"], "{id}");
            let number = &row[number_col];
            if case["id_number"].is_empty() {
                assert_eq!(number, &Data::Empty, "{id}");
            } else {
                let Data::String(number) = number else {
                    panic!("{id}: the ID number is no text cell: {number:?}");
                };
                if masked {
                    assert_eq!(*number, bidui::identity::mask(&case["id_number"]), "{id}");
                } else {
                    assert_eq!(*number, case["id_number"], "{id}");
                }
            }
            // The digest recomputes from the cells as read back.
            let mut parts = vec![
                id.clone(),
                meta["period"].clone(),
                meta["village_code"].clone(),
            ];
            parts.extend(row[id_col..=explain_col].iter().map(text));
            assert_eq!(text(&row[digest_col]), digest(&parts), "{file} {id}");
        }
    }
    let ids: HashSet<String> = mine.iter().map(|c| c["case_id"].clone()).collect();
    assert_eq!(seen, ids, "{file}: every case of the village, once");
    ids
}

/// The full ID numbers a village's own cases carry (its people's, and the
/// values of their ID fields: a spouse's number may be another village's).
fn own_numbers(mine: &[&Case]) -> HashSet<String> {
    let mut own = HashSet::new();
    for c in mine {
        own.insert(c["id_number"].clone());
        for v in c["value"].split(';').chain(c["other_value"].split(';')) {
            own.insert(v.to_string());
        }
    }
    own
}

#[test]
fn village_workbooks_hold_their_own_cases_and_nothing_of_another_village() {
    let out = checked();
    let cases = read_csv(&out.join("cases.csv"));
    let files = village_files(out);
    let villages: HashSet<String> = cases
        .iter()
        .filter(|c| !c["village"].is_empty() || !c["village_code"].is_empty())
        .map(|c| format!("{}|{}", c["village_code"], c["village"]))
        .collect();
    assert_eq!(
        files.len(),
        villages.len(),
        "one workbook per village with cases"
    );
    let mut covered = 0;
    let mut compared = 0;
    for path in &files {
        let ids = check_village(path, &cases, false);
        covered += ids.len();
        let book = open(path);
        let all = all_text(&book);
        let mine: Vec<&Case> = cases
            .iter()
            .filter(|c| ids.contains(&c["case_id"]))
            .collect();
        let own = own_numbers(&mine);
        for other in cases.iter().filter(|c| !ids.contains(&c["case_id"])) {
            assert!(
                !all.contains(&other["case_id"]),
                "{}: holds {}",
                path.display(),
                other["case_id"]
            );
            let number = &other["id_number"];
            if number.chars().count() >= 15 && !own.contains(number) {
                compared += 1;
                assert!(
                    !all.contains(number.as_str()),
                    "{}: holds the ID number of {}",
                    path.display(),
                    other["case_id"]
                );
            }
        }
    }
    let unassigned = read_csv(&out.join("unassigned.csv")).len();
    assert_eq!(covered + unassigned, cases.len());
    assert!(compared > 100, "only {compared} numbers compared");
}

#[test]
fn village_workbooks_carry_drop_downs_date_checks_protection_and_print_setup() {
    let out = checked();
    for path in village_files(out) {
        let file = path.display().to_string();
        let sheets = sheet_xml(&path);
        let workbook = xml(&path, "xl/workbook.xml");
        assert!(
            xml(&path, "xl/styles.xml").contains("locked=\"0\""),
            "{file}: no unlocked cells"
        );
        for (name, sheet) in &sheets {
            let protection = sheet
                .split("<sheetProtection")
                .nth(1)
                .unwrap_or_else(|| panic!("{file} {name}: not protected"));
            let protection = &protection[..protection.find("/>").unwrap()];
            assert!(
                !protection.contains("password"),
                "{file} {name}: a password"
            );
            if name == "_bidui" {
                continue;
            }
            assert!(sheet.contains("paperSize=\"9\""), "{file} {name}: not A4");
            assert!(sheet.contains("orientation=\"landscape\""), "{file} {name}");
            assert!(
                sheet.contains("<pageSetUpPr fitToPage=\"1\"/>"),
                "{file} {name}"
            );
            assert!(
                sheet.contains("fitToHeight=\"0\""),
                "{file} {name}: one page wide"
            );
            assert!(
                sheet.contains("第 &amp;P 页 共 &amp;N 页"),
                "{file} {name}: page numbers"
            );
            if name == "封面" {
                continue;
            }
            let category = category_of(name);
            let answers: Vec<&str> = category.answers().iter().map(|a| a.text()).collect();
            let list = format!("<formula1>\"{}\"</formula1>", answers.join(","));
            assert!(
                sheet.contains("<dataValidation type=\"list\"") && sheet.contains(&list),
                "{file} {name}: no drop-down {list}"
            );
            assert!(
                sheet.contains("<dataValidation type=\"date\""),
                "{file} {name}"
            );
            assert!(
                sheet.contains("state=\"frozen\""),
                "{file} {name}: header not frozen"
            );
            assert!(sheet.contains("<autoFilter "), "{file} {name}: no filter");
            assert!(
                sheet.contains("hidden=\"1\""),
                "{file} {name}: 校验 not hidden"
            );
            assert!(
                workbook.contains(&format!("'{name}'!$3:$3")),
                "{file} {name}: header row not repeated on each page"
            );
        }
    }
}

#[test]
fn the_summary_counts_villages_towns_categories_and_data_quality() {
    let out = checked();
    let cases = read_csv(&out.join("cases.csv"));
    let unassigned = read_csv(&out.join("unassigned.csv"));
    let path = out.join("summary.xlsx");
    let book = open(&path);
    let names: Vec<&str> = book.sheets.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "汇总",
            "按乡镇",
            "按类别",
            "逐期趋势",
            "数据质量-WIS",
            "数据质量-户籍",
            "数据质量-婚姻登记",
            "数据质量-出生医学证明",
            "未分配",
            "运行参数"
        ]
    );

    // Villages × categories: each village's row, its town's subtotal, the
    // county's total.
    let matrix = &book.grids["汇总"];
    let header_at = matrix
        .iter()
        .position(|r| text(&r[0]) == "乡镇（街道）")
        .unwrap();
    let header: Vec<String> = matrix[header_at].iter().map(text).collect();
    let total_col = header.iter().position(|h| h == "合计").unwrap();
    let col_of = |c: Category| header.iter().position(|h| h.starts_with(c.code())).unwrap();
    let number = |row: &[Data], col: usize| text(&row[col]).parse::<usize>().unwrap();
    let mut towns: BTreeMap<String, usize> = BTreeMap::new();
    let mut county = None;
    for row in &matrix[header_at + 1..] {
        let (first, code) = (text(&row[0]), text(&row[1]));
        if !code.is_empty() {
            let mine: Vec<&Case> = cases.iter().filter(|c| c["village_code"] == code).collect();
            assert_eq!(number(row, total_col), mine.len(), "{code}");
            for cat in Category::ALL {
                let n = mine.iter().filter(|c| c["category"] == cat.code()).count();
                assert_eq!(number(row, col_of(cat)), n, "{code} {cat}");
            }
            *towns.entry(first).or_default() += mine.len();
        } else if let Some(town) = first.strip_suffix(" 小计") {
            assert_eq!(Some(&number(row, total_col)), towns.get(town), "{town}");
        } else if first == "未能确定村（居）" {
            assert_eq!(number(row, total_col), unassigned.len());
        } else if first == "全县合计" {
            county = Some(number(row, total_col));
        }
    }
    assert_eq!(county, Some(cases.len()));
    assert_eq!(towns.keys().collect::<Vec<_>>(), ["临河镇", "西峪街道"]);

    // Categories: every one, zeros included.
    let by_category = Table::of_header(&book.grids["按类别"], "类别代码");
    for cat in Category::ALL {
        let row = by_category
            .rows
            .iter()
            .find(|r| text(&r[0]) == cat.code())
            .unwrap();
        let n = cases.iter().filter(|c| c["category"] == cat.code()).count();
        assert_eq!(number(row, by_category.col("合计")), n, "{cat}");
    }

    // Data quality: the loader's counts, as `bidui inspect` gives them.
    let wis_quality = &book.grids["数据质量-WIS"];
    let wis_file = crate::util::testdata("county-small/wis/平邑县临河镇全员人口个案.xlsx");
    let run = bidui(
        &[
            "inspect",
            "--json",
            "--source",
            "wis",
            wis_file.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(0);
    let inspected: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let invalid = inspected["quality"]["ids"]["id_number"]["invalid"]
        .as_u64()
        .unwrap() as usize;
    let ids = Table::of_header(wis_quality, "有效");
    let row = ids
        .rows
        .iter()
        .find(|r| {
            text(&r[0]).ends_with("平邑县临河镇全员人口个案.xlsx") && text(&r[2]) == "身份证号"
        })
        .expect("the WIS file's 身份证号 row");
    assert_eq!(number(row, ids.col("无效")), invalid);
    assert!(invalid > 0);

    // The unassigned cases, with full ID numbers as text.
    let table = Table::of(&book.grids["未分配"]);
    let listed: HashSet<String> = table.rows.iter().map(|r| text(&r[0])).collect();
    let want: HashSet<String> = unassigned.iter().map(|c| c["case_id"].clone()).collect();
    assert_eq!(listed, want);
    let number_col = table.col("身份证号");
    for (row, case) in table.rows.iter().zip(&unassigned) {
        assert_eq!(row[number_col], Data::String(case["id_number"].clone()));
    }

    // Parameters and inputs.
    let params = grid_text(&book.grids["运行参数"]);
    for fragment in [
        "2026-06-30",
        "2026-07-30",
        "平邑县（371326）",
        "平邑县临河镇全员人口个案.xlsx",
    ] {
        assert!(params.contains(fragment), "运行参数 lacks {fragment}");
    }

    // The trend from the ledger: the first period, everything new.
    let trend = Table::of_header(&book.grids["逐期趋势"], "期次");
    assert_eq!(trend.rows.len(), 1);
    assert_eq!(text(&trend.rows[0][trend.col("期次")]), "2026-06");
    assert_eq!(
        text(&trend.rows[0][trend.col("新发现")]),
        cases.len().to_string()
    );

    // Native charts: cases by category, cases by town, the trend.
    let zip = zip::ZipArchive::new(std::fs::File::open(&path).unwrap()).unwrap();
    let charts = zip
        .file_names()
        .filter(|n| n.as_ref().is_ok_and(|n| n.starts_with("xl/charts/chart")))
        .count();
    assert_eq!(charts, 3);
}

/// `--mask-ids` masks the village workbooks (and their digests are over
/// the masked cells) but not summary.xlsx; an existing period folder is
/// refused without `--force` and replaced with it.
#[test]
fn masked_ids_and_an_existing_period() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = county_config(dir.path(), "");
    let period = dir.path().join("out/2026-06");
    std::fs::create_dir_all(&period).unwrap();
    std::fs::write(period.join("answers.txt"), "sent last week").unwrap();
    let run = check(&cfg, &["--mask-ids"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains("已存在") && run.stderr.contains("--force"),
        "{}",
        run.stderr
    );
    assert_eq!(
        std::fs::read_to_string(period.join("answers.txt")).unwrap(),
        "sent last week"
    );

    check(&cfg, &["--mask-ids", "--force"]).expect_code(0);
    assert!(!period.join("answers.txt").exists());
    let cases = read_csv(&period.join("cases.csv"));
    let full: Vec<&str> = cases
        .iter()
        .map(|c| c["id_number"].as_str())
        .filter(|n| n.len() == 18)
        .collect();
    assert!(full.len() > 100);
    for path in village_files(&period) {
        check_village(&path, &cases, true);
        let all = all_text(&open(&path));
        for n in &full {
            assert!(!all.contains(n), "{}: a full ID number", path.display());
        }
    }
    let summary = all_text(&open(&period.join("summary.xlsx")));
    let unassigned = read_csv(&period.join("unassigned.csv"));
    assert!(unassigned.iter().any(|c| c["id_number"].len() == 18));
    for c in &unassigned {
        assert!(
            summary.contains(&c["id_number"]),
            "summary.xlsx masks {}",
            c["case_id"]
        );
    }

    // Another period beside it; a period that is no plain folder name.
    check(&cfg, &["--period", "2026-06_补查"]).expect_code(0);
    assert!(dir.path().join("out/2026-06_补查/summary.xlsx").is_file());
    let run = check(&cfg, &["--period", "../x"]);
    run.expect_code(2);
    assert!(run.stderr.contains("期次"), "{}", run.stderr);
}

/// LibreOffice, a second real client, opens every workbook and prints it
/// to PDF without an error.
#[test]
fn libreoffice_opens_every_workbook() {
    let Some(soffice) = ["soffice", "libreoffice"].into_iter().find(|p| {
        std::process::Command::new(p)
            .arg("--version")
            .output()
            .is_ok()
    }) else {
        eprintln!(
            "SKIPPED libreoffice_opens_every_workbook: LibreOffice (soffice) is not installed"
        );
        return;
    };
    let out = checked();
    let pdf = tempfile::tempdir().unwrap();
    // Its own profile folder: a second soffice would hand over to a running one.
    let profile = format!(
        "-env:UserInstallation=file://{}/profile",
        pdf.path().display()
    );
    let mut books = village_files(out);
    books.push(out.join("summary.xlsx"));
    for book in &books {
        let result = std::process::Command::new(soffice)
            .args([
                profile.as_str(),
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
            ])
            .arg(pdf.path())
            .arg(book)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&result.stderr);
        assert!(result.status.success(), "{}: {stderr}", book.display());
        assert!(!stderr.contains("Error"), "{}: {stderr}", book.display());
        let name = book.file_stem().unwrap().to_string_lossy().to_string();
        let size = std::fs::metadata(pdf.path().join(format!("{name}.pdf")))
            .map(|m| m.len())
            .unwrap_or(0);
        assert!(size > 1000, "{}: no PDF", book.display());
    }
}
