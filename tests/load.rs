//! Loading the registers' real exports: `bidui inspect` on every format and
//! encoding in testdata/load, the canonical table read back through the
//! library, and every kind of bad input.

use serde_json::Value;

use crate::util::{bidui, testdata};

fn inspect_json(file: &str, extra: &[&str]) -> Value {
    let path = testdata(&format!("load/{file}"));
    let path = path.to_str().unwrap();
    let mut args = vec!["inspect", "--json", "--as-of", "2026-06-30", path];
    args.extend_from_slice(extra);
    let run = bidui(&args, b"");
    run.expect_code(0);
    serde_json::from_str(&run.stdout).expect("inspect --json prints one JSON object")
}

/// `column letter → field` of the first sheet with a mapping.
fn mapping(v: &Value) -> Vec<(String, String)> {
    let sheet = v["sheets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["columns"].is_array())
        .unwrap();
    sheet["columns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| !c["field"].is_null())
        .map(|c| {
            (
                c["column"].as_str().unwrap().to_string(),
                c["field"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn every_format_and_encoding_loads() {
    // (file, format, encoding, source, records, header rows of the first sheet)
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, &'a str, u64, &'a [u64]);
    let cases: &[Case] = &[
        ("wis-title-rows.xlsx", "xlsx", None, "wis", 7, &[3]),
        ("wis-really-xlsx.xls", "xlsx", None, "wis", 7, &[3]),
        (
            "household-gbk.csv",
            "text",
            Some("GBK（GB18030）"),
            "household",
            8,
            &[1],
        ),
        ("household.xls", "xls", None, "household", 7, &[1]),
        (
            "household-utf16.txt",
            "text",
            Some("UTF-16LE"),
            "household",
            3,
            &[1],
        ),
        (
            "marriage-html.xls",
            "html",
            Some("GBK（GB18030）"),
            "marriage",
            3,
            &[2, 3],
        ),
        (
            "marriage-bom.csv",
            "text",
            Some("UTF-8（带 BOM）"),
            "marriage",
            3,
            &[1],
        ),
        (
            "birth-spreadsheetml.xls",
            "spreadsheet_ml",
            Some("UTF-8"),
            "birth",
            4,
            &[2],
        ),
        ("birth-two-row.xlsx", "xlsx", None, "birth", 3, &[1, 2]),
        (
            "birth-delivery.tsv",
            "text",
            Some("UTF-8"),
            "birth",
            2,
            &[1],
        ),
    ];
    for (file, format, encoding, source, records, header_rows) in cases {
        let v = inspect_json(file, &[]);
        assert_eq!(v["format"], *format, "{file}");
        assert_eq!(v["encoding"].as_str(), *encoding, "{file}");
        assert_eq!(v["source"], *source, "{file}");
        assert_eq!(v["source_guessed"], true, "{file}");
        assert_eq!(v["records"], *records, "{file}");
        let first = v["sheets"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["columns"].is_array())
            .unwrap();
        let rows: Vec<u64> = first["header_rows"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r.as_u64().unwrap())
            .collect();
        assert_eq!(rows, *header_rows, "{file}");
        assert_eq!(v["undecodable"], 0, "{file}");
    }
}

#[test]
fn headers_map_to_fields() {
    let cases: &[(&str, &[(&str, &str)])] = &[
        (
            "wis-title-rows.xlsx",
            &[
                ("B", "name"),
                ("C", "id_number"),
                ("D", "sex"),
                ("E", "birth_date"),
                ("F", "marital_status"),
                ("G", "village_name"),
            ],
        ),
        (
            "household-gbk.csv",
            &[
                ("A", "id_number"),
                ("B", "name"),
                ("C", "sex"),
                ("D", "ethnicity"),
                ("E", "birth_date"),
                ("F", "marital_status"),
                ("G", "relation"),
                ("H", "status"),
                ("I", "village_name"),
                ("J", "town"),
            ],
        ),
        (
            "marriage-html.xls",
            &[
                ("A", "reg_type"),
                ("B", "reg_date"),
                ("C", "certificate_no"),
                ("D", "male_name"),
                ("E", "male_id"),
                ("F", "female_name"),
                ("G", "female_id"),
                ("H", "registry"),
            ],
        ),
        (
            "birth-two-row.xlsx",
            &[
                ("A", "certificate_no"),
                ("B", "child_name"),
                ("C", "child_sex"),
                ("D", "birth_date"),
                ("E", "mother_name"),
                ("F", "mother_id"),
                ("G", "father_name"),
                ("H", "father_id"),
            ],
        ),
        (
            "birth-delivery.tsv",
            &[
                ("B", "mother_name"),
                ("C", "mother_id"),
                ("D", "birth_date"),
                ("E", "child_sex"),
                ("F", "father_id"),
                ("G", "hospital"),
            ],
        ),
    ];
    for (file, expected) in cases {
        assert_eq!(mapping(&inspect_json(file, &[])), pairs(expected), "{file}");
    }
}

#[test]
fn quality_counts() {
    let v = inspect_json("wis-title-rows.xlsx", &[]);
    assert_eq!(v["quality"]["ids"]["id_number"]["valid"], 6);
    assert_eq!(
        v["quality"]["ids"]["id_number"]["invalid_by_reason"]["wrong_check"],
        1
    );
    assert_eq!(v["skipped"]["total_or_signature"], 3);
    let example = &v["quality"]["ids"]["id_number"]["examples"][0];
    assert_eq!(example[0], 6, "the bad number is on row 6 of sheet 一村");
    assert_eq!(example[1], "370404********1221", "examples are masked");

    let v = inspect_json("household.xls", &[]);
    assert_eq!(
        v["quality"]["ids"]["id_number"]["invalid_by_reason"]["stored_as_number"],
        1
    );

    let v = inspect_json("birth-spreadsheetml.xls", &[]);
    assert_eq!(
        v["quality"]["ids"]["mother_id"]["invalid_by_reason"]["stored_as_number"],
        1
    );
    assert_eq!(v["quality"]["dates"]["birth_date"]["unreadable"], 1);
    assert_eq!(v["quality"]["names"]["child_name"]["no_name_yet"], 2);
    assert_eq!(v["quality"]["names"]["child_name"]["blank"], 1);

    let v = inspect_json("household-gbk.csv", &[]);
    assert_eq!(
        v["quality"]["ids"]["id_number"]["valid"], 8,
        "full-width digits and 15-digit numbers are valid"
    );
    assert_eq!(v["skipped"]["total_or_signature"], 2);
}

#[test]
fn text_report_for_a_person() {
    let path = testdata("load/household-gbk.csv");
    let run = bidui(&["inspect", path.to_str().unwrap()], b"");
    run.expect_code(0);
    for fragment in [
        "格式      文本表格（CSV/TSV），逗号分隔，编码 GBK（GB18030）",
        "来源类型  household（公安户籍，由程序猜测：表头含 人员状态、与户主关系",
        "A   GMSFHM → id_number（身份证号）",
        "记录      共 8 条",
        "跳过      合计/签名行 2",
    ] {
        assert!(
            run.stdout.contains(fragment),
            "{}\nlacks {fragment}",
            run.stdout
        );
    }
}

#[test]
fn canonical_table_points_back_to_the_rows() {
    use bidui::identity::Date;
    use bidui::load::{LoadOptions, load};
    let as_of = Date::from_ymd(2026, 6, 30).unwrap();
    let loaded = load(
        &testdata("load/wis-title-rows.xlsx"),
        &LoadOptions::new(as_of),
    )
    .unwrap();
    let df = &loaded.table;
    assert_eq!(df.height(), 7);
    let text = |col: &str, i: usize| df.column(col).unwrap().get(i).unwrap().to_string();
    // The first record: sheet 一村, row 4 as Excel shows it.
    assert_eq!(text("sheet", 0), "\"一村\"");
    assert_eq!(text("row", 0), "4");
    assert_eq!(text("name_raw", 0), "\"张丽\"");
    assert_eq!(text("id_number_valid", 0), "true");
    assert_eq!(text("marital_status_raw", 0), "\"21初婚\"");
    assert_eq!(text("marital_status", 0), "\"21\"");
    assert_eq!(text("birth_date", 0), "1990-01-01");
    // The bad check character: raw text kept, problem named.
    assert_eq!(text("id_number_problems", 2), "\"wrong_check\"");
    // Fields the file lacks are there, empty.
    assert_eq!(df.column("spouse_id").unwrap().null_count(), 7);

    let loaded = load(
        &testdata("load/household-gbk.csv"),
        &LoadOptions::new(as_of),
    )
    .unwrap();
    let df = &loaded.table;
    let text = |col: &str, i: usize| df.column(col).unwrap().get(i).unwrap().to_string();
    assert_eq!(text("row", 0), "2", "CSV lines count the header line");
    assert_eq!(text("name", 0), "\"张丽\"", "traditional 麗 is normalised");
    assert_eq!(text("name_raw", 0), "\"张麗\"");
    assert_eq!(
        text("id_number", 6),
        text("id_number", 0),
        "full-width digits clean to the same number"
    );
    assert_eq!(text("id_number_kind", 7), "\"citizen_old\"");
    assert_eq!(text("status", 6), "\"2\"");
}

#[test]
fn sheets_can_be_chosen() {
    let v = inspect_json("wis-title-rows.xlsx", &["--sheet", "二村"]);
    assert_eq!(v["records"], 2);
    assert_eq!(v["sheets"].as_array().unwrap().len(), 1);
    let path = testdata("load/wis-title-rows.xlsx");
    let run = bidui(&["inspect", path.to_str().unwrap(), "--sheet", "四村"], b"");
    run.expect_code(3);
    assert!(
        run.stderr
            .contains("没有名为“四村”的工作表；本文件的工作表有：一村、二村、三村"),
        "{}",
        run.stderr
    );
}

#[test]
fn a_profile_maps_columns_its_own_way() {
    let dir = tempfile::tempdir().unwrap();
    let profile = dir.path().join("profile.toml");
    std::fs::write(
        &profile,
        "source = \"wis\"\n[columns]\nid_number = \"身份证号码\"\n",
    )
    .unwrap();
    let v = inspect_json(
        "bad/duplicate-headers.csv",
        &["--profile", profile.to_str().unwrap()],
    );
    assert_eq!(v["source_guessed"], false);
    assert_eq!(mapping(&v), pairs(&[("B", "name"), ("C", "id_number")]));

    std::fs::write(&profile, "[columns]\nid = \"身份证号码\"\n").unwrap();
    let path = testdata("load/bad/duplicate-headers.csv");
    let run = bidui(
        &[
            "inspect",
            path.to_str().unwrap(),
            "--profile",
            profile.to_str().unwrap(),
        ],
        b"",
    );
    run.expect_code(2);
    assert!(run.stderr.contains("“id”不是字段名"), "{}", run.stderr);
}

#[test]
fn bad_input_gets_a_clear_error_or_a_counted_finding() {
    // (file, exit code, fragment of stderr)
    let cases: &[(&str, i32, &str)] = &[
        ("bad/empty.csv", 3, "文件是空的"),
        (
            "bad/garbage.xls",
            3,
            "不是 bidui 能读的表格文件：看起来是二进制数据",
        ),
        ("bad/photo.xls", 3, "看起来是PNG 图片"),
        ("bad/truncated.xlsx", 3, "文件已损坏或不完整"),
        ("bad/encrypted.xlsx", 3, "工作簿设有打开密码"),
        ("bad/no-header.csv", 3, "在前 30 行里找不到表头行"),
        (
            "bad/missing-name.csv",
            3,
            "缺少必需的“姓名”列；试过的列名：name、xm、人员姓名、名字、姓名；文件里的列名：身份证号、性别、出生日期",
        ),
        ("no-such-file.csv", 3, "文件或文件夹不存在"),
    ];
    for (file, code, fragment) in cases {
        let path = testdata(&format!("load/{file}"));
        let run = bidui(&["inspect", path.to_str().unwrap()], b"");
        run.expect_code(*code);
        assert!(run.stderr.contains(fragment), "{file}: {}", run.stderr);
        assert!(
            run.stderr.contains(file),
            "{file}: the message names the file: {}",
            run.stderr
        );
        assert_eq!(run.stdout, "", "{file}");
    }

    // Counted findings, not errors.
    let v = inspect_json("bad/header-only.csv", &[]);
    assert_eq!(v["records"], 0);
    assert_eq!(v["sheets"][0]["note"], "只有表头，没有数据行");
    let v = inspect_json("bad/ragged.csv", &[]);
    assert_eq!(v["records"], 3);
    assert_eq!(v["ragged_rows"], 2);
    assert_eq!(v["ragged_examples"], serde_json::json!([3, 4]));
    let v = inspect_json("bad/duplicate-headers.csv", &[]);
    assert_eq!(v["sheets"][0]["duplicates"][0]["column"], "C");
    assert_eq!(v["sheets"][0]["duplicates"][0]["field"], "id_number");
}

#[test]
fn a_2_gb_file_is_refused_before_it_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let big = dir.path().join("户籍.csv");
    // Sparse: takes no disk, but says 2 GB.
    std::fs::File::create(&big)
        .unwrap()
        .set_len(2 << 30)
        .unwrap();
    let run = bidui(&["inspect", big.to_str().unwrap()], b"");
    run.expect_code(3);
    assert!(
        run.stderr
            .contains("文件太大（2.0 GB），超过一次可读的上限 1.0 GB"),
        "{}",
        run.stderr
    );
    let run = bidui(
        &["inspect", big.to_str().unwrap(), "--max-file-size", "3G"],
        b"",
    );
    run.expect_code(3);
    assert!(run.stderr.contains("看起来是二进制数据"), "{}", run.stderr);
}

#[test]
fn encodings_can_be_forced() {
    let v = inspect_json("household-gbk.csv", &["--encoding", "utf-8"]);
    assert!(
        v["undecodable"].as_u64().unwrap() > 0,
        "GBK read as UTF-8 is reported, not hidden"
    );
    assert!(v["first_undecodable_line"].as_u64().is_some());
    let path = testdata("load/household-gbk.csv");
    let run = bidui(
        &["inspect", path.to_str().unwrap(), "--encoding", "klingon"],
        b"",
    );
    run.expect_code(2);
    assert!(
        run.stderr.contains("文本编码“klingon”不认识"),
        "{}",
        run.stderr
    );
}

#[test]
fn every_register_in_every_format_loads_to_the_same_table() {
    use bidui::identity::Date;
    use bidui::load::{LoadOptions, load};
    let as_of = Date::from_ymd(2026, 6, 30).unwrap();
    // (register, records, fields in header order)
    let kinds: &[(&str, usize, &[&str])] = &[
        (
            "wis",
            6,
            &[
                "name",
                "id_number",
                "sex",
                "birth_date",
                "marital_status",
                "village_name",
            ],
        ),
        (
            "household",
            6,
            &[
                "id_number",
                "name",
                "sex",
                "ethnicity",
                "status",
                "relation",
                "household_no",
            ],
        ),
        (
            "marriage",
            3,
            &[
                "reg_type",
                "reg_date",
                "male_name",
                "male_id",
                "female_name",
                "female_id",
            ],
        ),
        (
            "birth",
            3,
            &[
                "certificate_no",
                "child_name",
                "child_sex",
                "birth_date",
                "mother_name",
                "mother_id",
            ],
        ),
    ];
    let formats = [
        ("utf8.csv", "text"),
        ("utf8-bom.csv", "text"),
        ("gbk.csv", "text"),
        ("utf8.tsv", "text"),
        ("xlsx", "xlsx"),
        ("biff.xls", "xls"),
        ("html.xls", "html"),
        ("xml.xls", "spreadsheet_ml"),
    ];
    for (kind, records, fields) in kinds {
        let mut tables = Vec::new();
        for (suffix, format) in formats {
            let sep = if suffix == "xlsx" { "." } else { "-" };
            let file = format!("matrix/{kind}{sep}{suffix}");
            let v = inspect_json(&file, &[]);
            assert_eq!(v["format"], format, "{file}");
            assert_eq!(v["source"], *kind, "{file}: guessed register");
            assert_eq!(v["records"], *records as u64, "{file}");
            let got: Vec<String> = mapping(&v).into_iter().map(|(_, f)| f).collect();
            assert_eq!(got, *fields, "{file}");
            let loaded =
                load(&testdata(&format!("load/{file}")), &LoadOptions::new(as_of)).unwrap();
            tables.push((file, loaded.table.drop("file").unwrap()));
        }
        // Every format gives the same values (the row numbers too: one header row).
        let (first_file, first) = &tables[0];
        for (file, table) in &tables[1..] {
            for col in first.get_column_names() {
                if col.ends_with("_raw") || col.as_str() == "sheet" {
                    continue; // raw text differs by design (a date cell vs its text)
                }
                assert_eq!(
                    first.column(col).unwrap().as_materialized_series(),
                    table.column(col).unwrap().as_materialized_series(),
                    "{file} differs from {first_file} in {col}"
                );
            }
        }
    }
}
