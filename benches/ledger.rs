//! The ledger and the reading of village workbooks at a county's size:
//! 120,000 cases a month (county-small has one case per eight people; a
//! county has up to a million) in 300 villages, half of them answered.
//! `cargo bench --bench ledger` prints the time of each step: recording a
//! run, storing the answers of an import, the next month's check reading
//! them back and recording its own run, `status`, `corrections`, and
//! reading village workbooks back (rows per second). Figures go to
//! docs/performance.md.

use std::time::Instant;

use bidui::classify::{Answer, Category, digest};
use bidui::identity::Date;
use bidui::ledger::answers::AnswerRow;
use bidui::ledger::month::{NewRun, plan};
use bidui::ledger::{CaseStatus, Ledger};
use bidui::load::SourceKind;
use bidui::report::cases::{CaseRow, Place};

const CASES: usize = 120_000;
const VILLAGES: usize = 300;

fn rows(month: u32) -> Vec<CaseRow> {
    (0..CASES)
        .map(|i| {
            // A tenth of the cases change from one month to the next.
            let id = if i % 10 == 0 {
                format!("Q01-{month:02}{i:010x}")
            } else {
                format!("H03-{i:012x}")
            };
            CaseRow {
                case_id: id,
                category: if i % 10 == 0 {
                    Category::Q01
                } else {
                    Category::H03
                },
                place: Place {
                    source: SourceKind::Wis,
                    file: "wis/平邑县临河镇全员人口个案.xlsx".into(),
                    sheet: "东胡庄村".into(),
                    row: i as u32 + 2,
                },
                field: "name".into(),
                id_number: format!("37132619{:010}", i),
                name: "马雪洁".into(),
                note: "WIS 姓名“马雪洁”与户籍“马雪杰”不一致".into(),
                other: None,
                village_code: format!("371326101{:03}", i % VILLAGES),
                village: format!("{}村", i % VILLAGES),
                value: "马雪洁".into(),
                other_value: "马雪杰".into(),
                weight: Some(21.5),
                explanation: "身份证号一致；姓名同音".into(),
                status: CaseStatus::New,
            }
        })
        .collect()
}

fn run(period: &str, as_of: Date) -> NewRun {
    NewRun {
        period: period.into(),
        county: "371326".into(),
        county_name: "平邑县".into(),
        as_of,
        deadline: Date::from_days_since_epoch(as_of.days_since_epoch() + 30),
        inputs: serde_json::json!([]),
    }
}

fn check(ledger: &mut Ledger, period: &str, as_of: Date, rows: &[CaseRow]) -> f64 {
    let start = Instant::now();
    let s = ledger.begin().unwrap();
    let before = s.before(period, as_of).unwrap();
    let p = plan(&before, rows, as_of);
    let mut rows = rows.to_vec();
    p.apply(&mut rows);
    s.record_run(
        &run(period, as_of),
        before.previous.as_ref().map(|r| r.period.as_str()),
        &p.counts,
        &rows,
    )
    .unwrap();
    s.commit().unwrap();
    start.elapsed().as_secs_f64()
}

/// One village's workbook of its cases as docs/workbooks.md lays it out.
fn workbook(cases: &[&CaseRow]) -> Vec<u8> {
    use rust_xlsxwriter::Workbook;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("H03 姓名不一致").unwrap();
    let header = [
        "序号",
        "案例编号",
        "姓名",
        "身份证号",
        "WIS 姓名",
        "户籍姓名",
        "说明",
        "核实结果",
        "正确值",
        "核实人",
        "核实日期",
        "备注",
        "校验",
    ];
    for (j, h) in header.iter().enumerate() {
        ws.write_string(2, j as u16, *h).unwrap();
    }
    for (i, c) in cases.iter().enumerate() {
        let r = 3 + i as u32;
        let cells = [
            c.case_id.as_str(),
            &c.name,
            &c.id_number,
            &c.value,
            &c.other_value,
            &c.note,
        ];
        ws.write_number(r, 0, (i + 1) as f64).unwrap();
        for (j, c) in cells.iter().enumerate() {
            ws.write_string(r, 1 + j as u16, *c).unwrap();
        }
        ws.write_string(r, 7, "信息无误").unwrap();
        ws.write_string(r, 9, "王会计").unwrap();
        ws.write_string(r, 10, "2026-07-10").unwrap();
        let mut parts = vec![c.case_id.as_str(), "2026-07", &c.village_code];
        parts.extend(cells);
        ws.write_string(r, 12, digest(&parts)).unwrap();
    }
    let m = wb.add_worksheet();
    m.set_name("_bidui").unwrap();
    for (i, (k, v)) in [
        ("format", "bidui-village-1"),
        ("county", "371326"),
        ("village_code", "371326101001"),
        ("village", "1村"),
        ("period", "2026-07"),
    ]
    .iter()
    .enumerate()
    {
        m.write_string(i as u32, 0, *k).unwrap();
        m.write_string(i as u32, 1, *v).unwrap();
    }
    wb.save_to_buffer().unwrap()
}

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bidui-ledger.sqlite");
    let mut ledger = Ledger::create_or_open(&path).unwrap();
    let june = rows(6);
    let july = rows(7);
    let (d6, d7) = (
        Date::from_ymd(2026, 6, 30).unwrap(),
        Date::from_ymd(2026, 7, 31).unwrap(),
    );
    println!("ledger bench: {CASES} cases a month in {VILLAGES} villages");

    let t = check(&mut ledger, "2026-06", d6, &june);
    println!("  check, June (no history): read + record {t:.2} s");

    let start = Instant::now();
    let s = ledger.begin().unwrap();
    let mut stored = 0;
    for (i, r) in june.iter().enumerate().filter(|(i, _)| i % 2 == 0) {
        s.store_answer(&AnswerRow {
            period: "2026-06".into(),
            case_id: r.case_id.clone(),
            answer: if i % 4 == 0 {
                Answer::Correct
            } else {
                Answer::NeedsCorrection
            },
            correct_value: "马雪杰".into(),
            verifier: "王会计".into(),
            verified_on: Date::from_ymd(2026, 7, 10),
            remark: String::new(),
            file: format!("villages/{}.xlsx", r.village),
            sheet: "H03 姓名不一致".into(),
            row: i as u32,
        })
        .unwrap();
        stored += 1;
    }
    s.commit().unwrap();
    let t = start.elapsed().as_secs_f64();
    println!(
        "  import, ledger side: {stored} answers stored in {t:.2} s ({:.0} answers/s)",
        stored as f64 / t
    );

    let t = check(&mut ledger, "2026-07", d7, &july);
    println!("  check, July (June answered): read + record {t:.2} s");
    let start = Instant::now();
    let villages = ledger.status("2026-07").unwrap();
    println!(
        "  status (July, {} villages): {:.2} s",
        villages.len(),
        start.elapsed().as_secs_f64()
    );
    let start = Instant::now();
    let list = ledger.corrections("2026-07").unwrap();
    println!(
        "  corrections (July, {} cases): {:.2} s",
        list.len(),
        start.elapsed().as_secs_f64()
    );
    println!(
        "  ledger size after two months: {:.1} MiB",
        std::fs::metadata(&path).unwrap().len() as f64 / (1 << 20) as f64
    );

    // Village 1's July workbook, every row answered, read and checked
    // against the ledger a tenth of the county's times over.
    let mine: Vec<&CaseRow> = july
        .iter()
        .filter(|r| r.village_code == "371326101001")
        .collect();
    let bytes = workbook(&mine);
    let s = ledger.begin().unwrap();
    let start = Instant::now();
    let (mut rows_read, mut valid) = (0, 0);
    for _ in 0..VILLAGES / 10 {
        let book = bidui::import::read(bytes.clone()).unwrap();
        rows_read += book.rows.len();
        let checked = bidui::import::validate::validate(&s, &book, "1村.xlsx")
            .unwrap()
            .unwrap();
        valid += checked.answers.len();
    }
    let t = start.elapsed().as_secs_f64();
    assert_eq!(valid, rows_read, "every row is valid");
    println!(
        "  reading and checking workbooks: {} workbooks of {} rows in {t:.2} s ({:.0} rows/s)",
        VILLAGES / 10,
        mine.len(),
        rows_read as f64 / t
    );
}
