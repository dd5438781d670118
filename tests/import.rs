//! `bidui import`, `status` and `corrections` on county-small: a June check
//! writes the ledger; village workbooks laid out as docs/workbooks.md says
//! are filled in here and imported; malformed, foreign and tampered
//! workbooks are refused or reported; an import killed midway leaves the
//! ledger as it was; and a July check counts what the answers changed.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use bidui::classify::digest;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
use serde_json::Value;

use crate::fill::{self, Cell};
use crate::util::{Run, bidui, bidui_in, read_csv, testdata};

const VILLAGE_CODE: &str = "371326101201";
const VILLAGE: &str = "曹集村";

/// A config for county-small (absolute paths) in `dir`, writing to
/// `dir/out`; `sources` names the registers it reads.
fn config(dir: &Path, sources: &[&str]) -> PathBuf {
    let county = testdata("county-small");
    let path = dir.join("county.toml");
    let text = format!(
        "output = \"out\"\n[sources]\n{}",
        sources
            .iter()
            .map(|s| format!("{s} = {:?}\n", county.join(s).display().to_string()))
            .collect::<String>()
    );
    std::fs::write(&path, text).unwrap();
    path
}

fn check(config: &Path, as_of: &str, more: &[&str]) -> Run {
    let mut args = vec![
        "-q",
        "check",
        "--config",
        config.to_str().unwrap(),
        "--as-of",
        as_of,
        "--json",
    ];
    args.extend_from_slice(more);
    let run = bidui(&args, b"");
    run.expect_code(0);
    run
}

/// The June check of county-small, run once for every test of this
/// module: its output folder (the ledger, and `2026-06/` with cases.csv
/// and the village workbooks).
fn june() -> &'static Path {
    static JUNE: OnceLock<PathBuf> = OnceLock::new();
    JUNE.get_or_init(|| {
        let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("import-june");
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let cfg = config(&dir, &["wis", "household", "marriage", "birth"]);
        check(&cfg, "2026-06-30", &[]);
        dir.join("out")
    })
}

/// A copy of the June ledger in a test's own folder.
fn ledger_copy(dir: &Path) -> PathBuf {
    let to = dir.join("bidui-ledger.sqlite");
    std::fs::copy(june().join("bidui-ledger.sqlite"), &to).unwrap();
    to
}

/// One case of cases.csv.
#[derive(Clone, Debug)]
struct Case {
    id: String,
    category: String,
    village_code: String,
    name: String,
    id_number: String,
    value: String,
    other_value: String,
    note: String,
}

fn cases(folder: &Path) -> Vec<Case> {
    read_csv(&folder.join("cases.csv"))
        .into_iter()
        .map(|r| Case {
            id: r["case_id"].clone(),
            category: r["category"].clone(),
            village_code: r["village_code"].clone(),
            name: r["name"].clone(),
            id_number: r["id_number"].clone(),
            value: r["value"].clone(),
            other_value: r["other_value"].clone(),
            note: r["note"].clone(),
        })
        .collect()
}

fn village_cases(folder: &Path) -> Vec<Case> {
    cases(folder)
        .into_iter()
        .filter(|c| c.village_code == VILLAGE_CODE)
        .collect()
}

/// A 核实日期 as a village enters it.
#[derive(Clone, Debug)]
enum Day {
    None,
    /// A real Excel date cell.
    Cell(u16, u8, u8),
    Text(&'static str),
}

/// What a village fills into a row.
#[derive(Clone, Debug)]
struct Fill {
    answer: String,
    correct: String,
    verifier: String,
    day: Day,
    remark: String,
}

impl Fill {
    fn blank() -> Fill {
        Fill {
            answer: String::new(),
            correct: String::new(),
            verifier: String::new(),
            day: Day::None,
            remark: String::new(),
        }
    }

    fn answer(answer: &str) -> Fill {
        Fill {
            answer: answer.into(),
            verifier: "王会计".into(),
            day: Day::Cell(2026, 7, 10),
            ..Fill::blank()
        }
    }
}

/// A row of a workbook: the case, what is filled in, and whether the row's
/// sent cells are altered after the digest was taken.
struct Line {
    case: Case,
    fill: Fill,
    tamper: bool,
}

fn meta(period: &str, county: &str) -> Vec<(&'static str, String)> {
    vec![
        ("format", "bidui-village-1".into()),
        ("county", county.into()),
        ("county_name", "平邑县".into()),
        ("town", "临河镇".into()),
        ("village_code", VILLAGE_CODE.into()),
        ("village", VILLAGE.into()),
        ("period", period.into()),
        ("as_of", "2026-06-30".into()),
        ("deadline", "2026-07-30".into()),
    ]
}

const HEADER: [&str; 13] = [
    "序号",
    "案例编号",
    "姓名",
    "身份证号",
    "本记录的值",
    "对方记录的值",
    "说明",
    "核实结果",
    "正确值",
    "核实人",
    "核实日期",
    "备注",
    "校验",
];

/// Writes a village workbook as docs/workbooks.md lays it out: a cover,
/// one sheet per category (two title lines, the header, the rows), and
/// the hidden `_bidui` sheet.
fn workbook(path: &Path, meta: &[(&str, String)], lines: &[Line]) {
    let period = &meta.iter().find(|(k, _)| *k == "period").unwrap().1;
    let code = &meta.iter().find(|(k, _)| *k == "village_code").unwrap().1;
    let mut wb = Workbook::new();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    wb.add_worksheet()
        .set_name("封面")
        .unwrap()
        .write_string(0, 0, "核实表")
        .unwrap();
    let mut by_category: BTreeMap<&str, Vec<&Line>> = BTreeMap::new();
    for l in lines {
        by_category.entry(&l.case.category).or_default().push(l);
    }
    for (category, lines) in by_category {
        let ws = wb.add_worksheet();
        ws.set_name(format!("{category} 类")).unwrap();
        ws.write_string(0, 0, format!("{VILLAGE} {category} 核实表"))
            .unwrap();
        for (j, h) in HEADER.iter().enumerate() {
            ws.write_string(2, j as u16, *h).unwrap();
        }
        for (i, l) in lines.iter().enumerate() {
            let r = 3 + i as u32;
            let c = &l.case;
            let sent = [
                c.id.as_str(),
                &c.name,
                &c.id_number,
                &c.value,
                &c.other_value,
                &c.note,
            ];
            let mut parts = vec![c.id.as_str(), period, code];
            parts.extend(sent);
            let check = digest(&parts);
            ws.write_number(r, 0, (i + 1) as f64).unwrap();
            for (j, v) in sent.iter().enumerate() {
                let v = if l.tamper && j == 1 {
                    format!("{v}改")
                } else {
                    v.to_string()
                };
                if !v.is_empty() {
                    ws.write_string(r, 1 + j as u16, v).unwrap();
                }
            }
            let f = &l.fill;
            for (j, v) in [
                (7, &f.answer),
                (8, &f.correct),
                (9, &f.verifier),
                (11, &f.remark),
            ] {
                if !v.is_empty() {
                    ws.write_string(r, j, v).unwrap();
                }
            }
            match f.day {
                Day::None => {}
                Day::Cell(y, m, d) => {
                    ws.write_datetime_with_format(
                        r,
                        10,
                        ExcelDateTime::from_ymd(y, m, d).unwrap(),
                        &date,
                    )
                    .unwrap();
                }
                Day::Text(t) => {
                    ws.write_string(r, 10, t).unwrap();
                }
            }
            ws.write_string(r, 12, check).unwrap();
        }
    }
    let ws = wb.add_worksheet();
    ws.set_name("_bidui").unwrap();
    ws.write_string(0, 0, "key").unwrap();
    ws.write_string(0, 1, "value").unwrap();
    for (i, (k, v)) in meta.iter().enumerate() {
        ws.write_string(1 + i as u32, 0, *k).unwrap();
        ws.write_string(1 + i as u32, 1, v).unwrap();
    }
    ws.set_hidden(true);
    wb.save(path).unwrap();
}

/// The answer a village gives the i-th case in the tests: a mix of
/// confirmed, to be corrected, other, and not answered yet.
fn fill_for(i: usize) -> Fill {
    match i % 4 {
        0 => Fill::answer("信息无误"),
        1 => Fill {
            correct: "以户籍为准".into(),
            remark: "已通知本人".into(),
            ..Fill::answer("属实需更正")
        },
        2 => Fill {
            day: Day::Text("2026/7/12"),
            ..Fill::answer("其他")
        },
        _ => Fill::blank(),
    }
}

fn filled(cases: &[Case]) -> Vec<Line> {
    cases
        .iter()
        .enumerate()
        .map(|(i, c)| Line {
            case: c.clone(),
            fill: fill_for(i),
            tamper: false,
        })
        .collect()
}

fn import(ledger: &Path, files: &[&Path]) -> Run {
    let mut args = vec!["import", "--json", "--ledger", ledger.to_str().unwrap()];
    args.extend(files.iter().map(|f| f.to_str().unwrap()));
    bidui(&args, b"")
}

fn report(run: &Run) -> Value {
    serde_json::from_str(&run.stdout).unwrap_or_else(|e| panic!("{e}: {}", run.stdout))
}

fn answers_in(ledger: &Path) -> i64 {
    let conn = rusqlite::Connection::open(ledger).unwrap();
    conn.query_row("SELECT COUNT(*) FROM answers", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_filled_workbook_imports_and_importing_it_again_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_copy(dir.path());
    let cases = village_cases(&june().join("2026-06"));
    assert!(cases.len() > 40, "{}", cases.len());
    let book = dir.path().join("临河镇-曹集村.xlsx");
    workbook(&book, &meta("2026-06", "371326"), &filled(&cases));
    let answered = (0..cases.len()).filter(|i| i % 4 != 3).count() as u64;

    let run = import(&ledger, &[&book]);
    run.expect_code(0);
    let r = report(&run);
    let file = &r["files"][0];
    assert_eq!(file["status"], "imported");
    assert_eq!(file["village"], VILLAGE);
    assert_eq!(file["new"], answered);
    assert_eq!(file["unanswered"], cases.len() as u64 - answered);
    assert_eq!(file["problems"].as_array().unwrap().len(), 0);
    assert_eq!(answers_in(&ledger), answered as i64);

    // Again, from the folder: nothing new, not one byte of the ledger moved.
    let bytes = std::fs::read(&ledger).unwrap();
    let run = import(&ledger, &[dir.path()]);
    run.expect_code(0);
    let r = report(&run);
    assert_eq!(r["totals"]["new"], 0);
    assert_eq!(r["totals"]["changed"], 0);
    assert_eq!(r["totals"]["unchanged"], answered);
    assert!(
        std::fs::read(&ledger).unwrap() == bytes,
        "the ledger changed"
    );

    // status: the village's counts.
    let run = bidui(
        &["status", "--json", "--ledger", ledger.to_str().unwrap()],
        b"",
    );
    run.expect_code(0);
    let s: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(s["period"], "2026-06");
    let v = s["villages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["village_code"] == VILLAGE_CODE)
        .unwrap();
    assert_eq!(v["sent"], cases.len() as u64);
    assert_eq!(v["answered"], answered);
    assert_eq!(v["unanswered"], cases.len() as u64 - answered);
    assert_eq!(s["totals"]["answered"], answered);
    // The table, and a period the ledger does not have.
    let run = bidui(&["status", "--ledger", ledger.to_str().unwrap()], b"");
    run.expect_code(0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.starts_with(VILLAGE_CODE))
        .unwrap_or_else(|| panic!("{}", run.stdout));
    let numbers: Vec<&str> = line.split_whitespace().skip(2).take(3).collect();
    let (sent, unanswered) = (
        cases.len().to_string(),
        (cases.len() as u64 - answered).to_string(),
    );
    assert_eq!(
        numbers,
        [sent.as_str(), &answered.to_string(), &unanswered],
        "{line}"
    );
    let run = bidui(
        &[
            "status",
            "--period",
            "2026-05",
            "--ledger",
            ledger.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(2);
    assert!(
        run.stderr.contains("没有 2026-05 期；有：2026-06"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_changed_answer_replaces_the_earlier_one_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_copy(dir.path());
    let cases = village_cases(&june().join("2026-06"));
    let first = dir.path().join("first.xlsx");
    let mut lines = filled(&cases[..4]);
    workbook(&first, &meta("2026-06", "371326"), &lines);
    import(&ledger, &[&first]).expect_code(0);

    lines[0].fill = Fill::answer("属实需更正");
    let second = dir.path().join("second.xlsx");
    workbook(&second, &meta("2026-06", "371326"), &lines);
    let run = bidui(
        &[
            "import",
            "--ledger",
            ledger.to_str().unwrap(),
            second.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(0);
    assert!(
        run.stderr.contains(&format!(
            "案例 {}（工作表“{} 类”第 4 行）：核实结果由“信息无误”改为“属实需更正”",
            cases[0].id, cases[0].category
        )),
        "{}",
        run.stderr
    );
    let r = report(&import(&ledger, &[&second]));
    assert_eq!(
        (r["totals"]["changed"].as_u64(), r["totals"]["new"].as_u64()),
        (Some(0), Some(0))
    );
}

#[test]
fn bad_rows_are_reported_each_and_the_valid_rows_still_import() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_copy(dir.path());
    let all = cases(&june().join("2026-06"));
    let mine = village_cases(&june().join("2026-06"));
    let q01 = mine.iter().find(|c| c.category == "Q01").unwrap();
    let others: Vec<&Case> = mine.iter().filter(|c| c.category != "Q01").collect();
    let elsewhere = all
        .iter()
        .find(|c| c.village_code != VILLAGE_CODE && !c.village_code.is_empty())
        .unwrap();
    let unknown = Case {
        id: "H03-000000000000".into(),
        category: "H03".into(),
        ..others[0].clone()
    };
    let line = |case: &Case, fill: Fill, tamper: bool| Line {
        case: case.clone(),
        fill,
        tamper,
    };
    let lines = vec![
        // Valid: imported.
        line(others[0], Fill::answer("信息无误"), false),
        line(others[1], Fill::answer(" 其它 "), false),
        // The name cell changed after the workbook was sent.
        line(others[2], Fill::answer("信息无误"), true),
        // Not an answer at all, and one Q01 does not offer.
        line(others[3], Fill::answer("已核实"), false),
        line(q01, Fill::answer("已死亡"), false),
        // No such day.
        line(
            others[4],
            Fill {
                day: Day::Text("2026-02-30"),
                ..Fill::answer("信息无误")
            },
            false,
        ),
        // Another village's case, and a case no run found.
        line(elsewhere, Fill::answer("信息无误"), false),
        line(&unknown, Fill::answer("信息无误"), false),
        // Filled in without choosing an answer.
        line(
            others[5],
            Fill {
                correct: "张三".into(),
                ..Fill::blank()
            },
            false,
        ),
    ];
    let book = dir.path().join("曹集村.xlsx");
    workbook(&book, &meta("2026-06", "371326"), &lines);
    let run = import(&ledger, &[&book]);
    run.expect_code(3);
    let r = report(&run);
    let file = &r["files"][0];
    assert_eq!(file["status"], "imported_with_problems");
    assert_eq!(file["new"], 2);
    assert_eq!(answers_in(&ledger), 2);
    let problems = file["problems"].as_array().unwrap();
    let expected: [(&Case, &str, &str); 7] = [
        (others[2], "", "校验不符"),
        (others[3], "核实结果", "核实结果“已核实”不是可选的答复"),
        (
            q01,
            "核实结果",
            "“已死亡”不适用于这一类问题；Q01 类可选：属实需更正、信息无误、其他",
        ),
        (others[4], "核实日期", "不是真实存在的日期"),
        (elsewhere, "案例编号", "不是本村（曹集村）的"),
        (&unknown, "案例编号", "不在 2026-06 期的比对结果里"),
        (others[5], "核实结果", "没有选择核实结果"),
    ];
    assert_eq!(problems.len(), expected.len(), "{problems:#?}");
    for (case, column, fragment) in expected {
        let p = problems
            .iter()
            .find(|p| p["problem"].as_str().unwrap().contains(fragment))
            .unwrap_or_else(|| panic!("no problem “{fragment}”: {problems:#?}"));
        assert_eq!(p["sheet"], format!("{} 类", case.category), "{p}");
        assert!(p["row"].as_u64().unwrap() >= 4, "{p}");
        assert_eq!(p["column"].as_str().unwrap_or(""), column, "{p}");
    }
    // Without --json the same problems go to standard error, file, sheet and row first.
    let run = bidui(
        &[
            "import",
            "--ledger",
            ledger.to_str().unwrap(),
            book.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(3);
    assert!(
        run.stderr.contains(&format!(
            "文件 {}，工作表“{} 类”，第 ",
            book.display(),
            others[3].category
        )),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty(), "{}", run.stdout);
}

#[test]
fn workbooks_of_another_county_or_an_unknown_period_are_refused_whole() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_copy(dir.path());
    let cases = village_cases(&june().join("2026-06"));
    let lines = filled(&cases[..3]);
    let foreign = dir.path().join("foreign.xlsx");
    let mut m = meta("2026-06", "370102");
    m[2].1 = "历下区".into();
    workbook(&foreign, &m, &lines);
    let old = dir.path().join("old.xlsx");
    workbook(&old, &meta("2025-01", "371326"), &lines);
    let good = dir.path().join("good.xlsx");
    workbook(&good, &meta("2026-06", "371326"), &lines);

    let run = import(&ledger, &[&foreign, &old, &good]);
    run.expect_code(3);
    let r = report(&run);
    let files = r["files"].as_array().unwrap();
    assert_eq!(files[0]["status"], "refused");
    let why = files[0]["refused"].as_str().unwrap();
    assert!(
        why.contains("历下区（370102）的核实表") && why.contains("平邑县（371326）"),
        "{why}"
    );
    assert_eq!(files[1]["status"], "refused");
    let why = files[1]["refused"].as_str().unwrap();
    assert!(
        why.contains("2025-01 期") && why.contains("账本里有：2026-06"),
        "{why}"
    );
    // The good one still imports.
    assert_eq!(files[2]["status"], "imported");
    assert_eq!(r["totals"]["refused"], 2);
    assert_eq!(answers_in(&ledger), 3);
}

#[test]
fn malformed_workbooks_are_refused_or_reported_saying_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_copy(dir.path());
    let cases = village_cases(&june().join("2026-06"));

    let text = dir.path().join("a-text.xlsx");
    std::fs::write(&text, "案例编号,核实结果\nQ01-1,信息无误\n").unwrap();

    let copied = dir.path().join("b-copied.xlsx");
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Q01 类").unwrap();
    ws.write_string(0, 0, "案例编号").unwrap();
    wb.save(&copied).unwrap();

    // A sheet whose header row lost its 案例编号 (the column was deleted).
    let headless = dir.path().join("c-headless.xlsx");
    workbook(&headless, &meta("2026-06", "371326"), &filled(&cases[..2]));
    let mut wb = Workbook::new();
    wb.add_worksheet().set_name("H03 类").unwrap();
    let ws = wb.add_worksheet();
    ws.set_name("Q01 类").unwrap();
    ws.write_string(0, 0, "序号").unwrap();
    ws.write_string(0, 1, "姓名").unwrap();
    ws.write_string(1, 1, "张三").unwrap();
    let m = wb.add_worksheet();
    m.set_name("_bidui").unwrap();
    for (i, (k, v)) in meta("2026-06", "371326").iter().enumerate() {
        m.write_string(i as u32, 0, *k).unwrap();
        m.write_string(i as u32, 1, v).unwrap();
    }
    wb.save(&headless).unwrap();

    let run = import(&ledger, &[dir.path()]);
    run.expect_code(3);
    let r = report(&run);
    let files = r["files"].as_array().unwrap();
    assert_eq!(files.len(), 3);
    assert_eq!(files[0]["status"], "refused");
    assert!(
        files[0]["refused"]
            .as_str()
            .unwrap()
            .contains("不是 Excel 工作簿"),
        "{}",
        files[0]
    );
    assert_eq!(files[1]["status"], "refused");
    assert!(
        files[1]["refused"]
            .as_str()
            .unwrap()
            .contains("没有隐藏工作表“_bidui”"),
        "{}",
        files[1]
    );
    assert_eq!(files[2]["status"], "imported_with_problems");
    let problems = files[2]["problems"].as_array().unwrap();
    assert!(
        problems.iter().any(|p| p["sheet"] == "Q01 类"
            && p["row"].is_null()
            && p["problem"].as_str().unwrap().contains("找不到表头行")),
        "{problems:#?}"
    );
    assert_eq!(answers_in(&ledger), 0);

    // A folder with no workbook at all, and a path that is not there.
    let empty = tempfile::tempdir().unwrap();
    let run = import(&ledger, &[empty.path()]);
    run.expect_code(2);
    assert!(run.stderr.contains("没有找到工作簿"), "{}", run.stderr);
    let run = import(&ledger, &[&dir.path().join("nowhere.xlsx")]);
    run.expect_code(3);
    assert!(run.stderr.contains("nowhere.xlsx"), "{}", run.stderr);
    // No ledger: say to run check first.
    let run = import(&dir.path().join("none.sqlite"), &[&copied]);
    run.expect_code(2);
    assert!(run.stderr.contains("先运行 bidui check"), "{}", run.stderr);
}

#[test]
fn an_import_killed_midway_leaves_the_ledger_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let ledger = ledger_copy(dir.path());
    let cases = village_cases(&june().join("2026-06"));
    let book = dir.path().join("曹集村.xlsx");
    workbook(&book, &meta("2026-06", "371326"), &filled(&cases));
    let before = std::fs::read(&ledger).unwrap();

    let run = bidui_in(
        dir.path(),
        &[
            "import",
            "--ledger",
            ledger.to_str().unwrap(),
            book.to_str().unwrap(),
        ],
        b"",
        &[("BIDUI_FAILPOINT", "import-after-rows:5")],
    );
    // Aborted by the failpoint: killed by a signal, no exit code.
    assert_eq!(run.code, -1, "{}", run.stderr);
    assert!(
        run.stderr.contains("failpoint import-after-rows:5"),
        "{}",
        run.stderr
    );

    // The next opening rolls the interrupted transaction back: nothing of
    // it is there, and the ledger is whole.
    let conn = rusqlite::Connection::open(&ledger).unwrap();
    let ok: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM answers", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
    drop(conn);
    assert!(
        std::fs::read(&ledger).unwrap() == before,
        "the ledger changed"
    );

    // And the import, run again, completes.
    let r = report(import(&ledger, &[&book]).expect_code(0));
    assert_eq!(
        r["totals"]["new"],
        (0..cases.len()).filter(|i| i % 4 != 3).count() as u64
    );
}

/// The village's answer to the i-th row of the county, as cells of its
/// real workbook.
fn cells_for(row: &fill::Row, i: usize) -> Vec<(String, &'static str, u32, Cell)> {
    let f = fill_for(i);
    let mut out = Vec::new();
    let mut put = |header: &'static str, cell: Cell| {
        out.push((row.sheet.clone(), header, row.row, cell));
    };
    for (header, text) in [
        ("核实结果", &f.answer),
        ("正确值", &f.correct),
        ("核实人", &f.verifier),
        ("备注", &f.remark),
    ] {
        if !text.is_empty() {
            put(header, Cell::Text(text.clone()));
        }
    }
    match f.day {
        Day::None => {}
        Day::Cell(y, m, d) => put(
            "核实日期",
            Cell::Date(i32::from(y), u32::from(m), u32::from(d)),
        ),
        Day::Text(t) => put("核实日期", Cell::Text(t.into())),
    }
    out
}

#[test]
fn the_villages_fill_in_their_real_workbooks_and_the_next_check_counts_month_over_month() {
    // June's output folder, with the ledger copied: the villages get June's
    // real workbooks, fill them in, send them back.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let ledger = ledger_copy(&out);
    let june_folder = june().join("2026-06");
    let june_cases = cases(&june_folder);
    let back = dir.path().join("交回");
    std::fs::create_dir_all(&back).unwrap();
    let mut books: Vec<PathBuf> = std::fs::read_dir(june_folder.join("villages"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    books.sort();
    assert_eq!(books.len(), 4, "{books:?}");
    let mut answers: HashMap<String, String> = HashMap::new();
    let mut i = 0;
    let mut sent = 0;
    for book in &books {
        let layout = fill::layout(book);
        let mut cells = Vec::new();
        for row in &layout.rows {
            cells.extend(cells_for(row, i));
            answers.insert(row.case_id.clone(), fill_for(i).answer);
            i += 1;
        }
        sent += layout.rows.len();
        fill::fill(book, &back.join(book.file_name().unwrap()), &layout, &cells);
    }
    // Every assigned case went to its village's workbook, once.
    let assigned = june_cases
        .iter()
        .filter(|c| !c.village_code.is_empty())
        .count();
    assert_eq!(sent, assigned);
    assert_eq!(answers.len(), sent);
    let answered = answers.values().filter(|a| !a.is_empty()).count() as u64;

    let run = import(&ledger, &[&back]);
    run.expect_code(0);
    let r = report(&run);
    assert_eq!(r["totals"]["files"], 4);
    assert_eq!(r["totals"]["new"], answered);
    assert_eq!(r["totals"]["unanswered"], sent as u64 - answered);
    assert_eq!(r["totals"]["problems"], 0);
    assert_eq!(answers_in(&ledger), answered as i64);
    // Sent back twice: nothing changes.
    let bytes = std::fs::read(&ledger).unwrap();
    let r = report(import(&ledger, &[&back]).expect_code(0));
    assert_eq!(r["totals"]["unchanged"], answered);
    assert!(
        std::fs::read(&ledger).unwrap() == bytes,
        "the ledger changed"
    );
    // A copy in which a locked cell was typed over: that row is refused,
    // the rest are as before.
    let first = back.join(books[0].file_name().unwrap());
    let layout = fill::layout(&first);
    let victim = &layout.rows[0];
    let tampered = dir.path().join("改过的.xlsx");
    fill::fill(
        &first,
        &tampered,
        &layout,
        &[(
            victim.sheet.clone(),
            "姓名",
            victim.row,
            Cell::Text("别人".into()),
        )],
    );
    let run = import(&ledger, &[&tampered]);
    run.expect_code(3);
    let r = report(&run);
    let problems = r["files"][0]["problems"].as_array().unwrap();
    assert_eq!(problems.len(), 1, "{problems:#?}");
    assert_eq!(problems[0]["sheet"], victim.sheet.as_str());
    assert_eq!(problems[0]["row"], victim.row);
    assert!(
        problems[0]["problem"]
            .as_str()
            .unwrap()
            .contains("校验不符")
    );
    assert!(
        std::fs::read(&ledger).unwrap() == bytes,
        "the ledger changed"
    );

    let by = |a: &str| -> HashSet<String> {
        answers
            .iter()
            .filter(|(_, x)| x.as_str() == a)
            .map(|(id, _)| id.clone())
            .collect()
    };
    let (correct, to_correct) = (by("信息无误"), by("属实需更正"));

    // July: after the deadline (2026-07-30), and without the birth
    // register, so the cases only it gave are gone. What July finds at all
    // comes from a check with a ledger of its own, which knows no answers.
    let cfg = config(dir.path(), &["wis", "household", "marriage"]);
    let fresh = dir.path().join("fresh");
    check(&cfg, "2026-07-31", &["--out", fresh.to_str().unwrap()]);
    let found: HashSet<String> = read_csv(&fresh.join("2026-07/cases.csv"))
        .into_iter()
        .map(|r| r["case_id"].clone())
        .collect();
    let run = check(&cfg, "2026-07-31", &[]);
    let summary: Value = serde_json::from_str(&run.stdout).unwrap();
    let july_folder = out.join("2026-07");
    let july = read_csv(&july_folder.join("cases.csv"));
    let july_ids: HashSet<String> = july.iter().map(|r| r["case_id"].clone()).collect();
    let status: HashMap<&str, &str> = july
        .iter()
        .map(|r| (r["case_id"].as_str(), r["status"].as_str()))
        .collect();

    // Confirmed correct and still found with the same data: not sent
    // again — not in cases.csv, not in any July workbook — and counted.
    let held: HashSet<String> = correct.intersection(&found).cloned().collect();
    assert!(held.len() > 20, "{}", held.len());
    assert!(held.is_disjoint(&july_ids));
    assert_eq!(summary["confirmed_not_sent"], held.len() as u64);
    assert_eq!(
        july_ids,
        found.difference(&held).cloned().collect::<HashSet<_>>()
    );
    let mut in_books = HashSet::new();
    for e in std::fs::read_dir(july_folder.join("villages")).unwrap() {
        for row in fill::layout(&e.unwrap().path()).rows {
            in_books.insert(row.case_id);
        }
    }
    let july_assigned: HashSet<String> = july
        .iter()
        .filter(|r| !r["village_code"].is_empty())
        .map(|r| r["case_id"].clone())
        .collect();
    assert_eq!(in_books, july_assigned);
    // Answered 属实需更正, still found after the deadline: overdue.
    let overdue: HashSet<String> = to_correct.intersection(&found).cloned().collect();
    assert!(overdue.len() > 20, "{}", overdue.len());
    for (id, s) in &status {
        let want = if overdue.contains(*id) {
            "overdue"
        } else {
            "persisting"
        };
        assert_eq!(*s, want, "{id}");
    }
    assert_eq!(summary["status"]["overdue"], overdue.len() as u64);
    // Everything else July finds, June found too: persisting, nothing new.
    let june_ids: HashSet<String> = june_cases.iter().map(|c| c.id.clone()).collect();
    assert!(found.is_subset(&june_ids));
    assert_eq!(summary["status"]["new"], 0);
    assert_eq!(
        summary["status"]["persisting"],
        (july_ids.len() - overdue.len()) as u64
    );
    // Resolved: June's cases July no longer finds (the birth register's).
    let resolved = june_ids.difference(&found).count() as u64;
    assert!(resolved > 20, "{resolved}");
    assert_eq!(summary["status"]["resolved"], resolved);
    assert_eq!(summary["cases"], july_ids.len() as u64);
    // The trend: one entry per period, in summary.json and summary.xlsx.
    let trend = summary["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 2);
    assert_eq!(trend[0]["period"], "2026-06");
    assert_eq!(trend[0]["new"], june_ids.len() as u64);
    assert_eq!(trend[1]["period"], "2026-07");
    assert_eq!(trend[1]["overdue"], overdue.len() as u64);
    assert_eq!(trend[1]["resolved"], resolved);
    assert_eq!(summary["previous_period"], "2026-06");
    let book = crate::util::open(&july_folder.join("summary.xlsx"));
    let sheet = crate::util::Table::of_header(&book.grids["逐期趋势"], "期次");
    let column = |name: &str| -> Vec<String> {
        sheet
            .rows
            .iter()
            .map(|r| crate::util::text(&r[sheet.col(name)]))
            .collect()
    };
    assert_eq!(column("期次"), ["2026-06", "2026-07"]);
    assert_eq!(
        column("逾期未更正"),
        ["0".to_string(), overdue.len().to_string()]
    );
    assert_eq!(column("已解决"), ["0".to_string(), resolved.to_string()]);
    assert_eq!(
        column("已确认无误未再发"),
        ["0".to_string(), held.len().to_string()]
    );

    // The corrections list: the 属实需更正 answers still found, overdue.
    let run = bidui(
        &["corrections", "--json", "--config", cfg.to_str().unwrap()],
        b"",
    );
    run.expect_code(0);
    let c: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(c["period"], "2026-07");
    assert_eq!(c["corrections"], overdue.len() as u64);
    assert_eq!(c["overdue"], overdue.len() as u64);
    let rows = read_csv(&july_folder.join("corrections.csv"));
    assert_eq!(rows.len(), overdue.len());
    for r in &rows {
        assert!(overdue.contains(&r["案例编号"]), "{r:?}");
        assert_eq!(r["正确值"], "以户籍为准");
        assert_eq!(r["核实日期"], "2026-07-10");
        assert_eq!(r["状态"], "逾期未更正");
        let case = june_cases.iter().find(|c| c.id == r["案例编号"]).unwrap();
        assert_eq!(r["身份证号"], case.id_number);
    }
    // The ID numbers in the workbook are text cells.
    use calamine::{Data, Reader};
    let mut wb: calamine::Xlsx<_> =
        calamine::open_workbook(july_folder.join("corrections.xlsx")).unwrap();
    let sheet = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&sheet).unwrap();
    assert_eq!(range.height(), overdue.len() + 1);
    let mut ids = 0;
    for (row, r) in range.rows().skip(1).zip(&rows) {
        match &row[6] {
            Data::String(id) => {
                assert_eq!(*id, r["身份证号"]);
                ids += 1;
            }
            Data::Empty => assert_eq!(r["身份证号"], ""),
            other => panic!("an ID number as {other:?}"),
        }
    }
    assert!(ids > 0);

    // status of July: the overdue cases, nothing answered yet.
    let run = bidui(
        &["status", "--json", "--config", cfg.to_str().unwrap()],
        b"",
    );
    run.expect_code(0);
    let s: Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(s["period"], "2026-07");
    assert_eq!(s["totals"]["overdue"], overdue.len() as u64);
    assert_eq!(s["totals"]["answered"], 0);
    assert_eq!(s["totals"]["confirmed"], held.len() as u64);
    assert_eq!(s["trend"].as_array().unwrap().len(), 2);
}
