//! `bidui check` on the synthetic county-small: per-category precision and
//! recall against its truth, nothing from noise.csv reported, the same
//! output with any number of threads, and the errors of a bad config.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::util::{Run, bidui, county_config as config, read_csv as read, testdata};

/// (category, source, file name, sheet, row).
type Key = (String, String, String, String, String);

fn base(file: &str) -> String {
    file.rsplit(['/', '\\']).next().unwrap_or(file).to_string()
}

fn key(r: &HashMap<String, String>) -> Key {
    (
        r["category"].clone(),
        r["source"].clone(),
        base(&r["file"]),
        r["sheet"].clone(),
        r["row"].clone(),
    )
}

fn check(threads: &str, config: &Path, more: &[&str]) -> Run {
    let mut args = vec![
        "--threads",
        threads,
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

#[test]
fn every_category_reaches_the_bar_on_county_small() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path(), "");
    check("4", &cfg, &[]).expect_code(0);
    let found = read(&dir.path().join("out/2026-06/cases.csv"));
    let truth = read(&testdata("county-small/truth/cases.csv"));
    let mut per: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    let mut truth_left: HashMap<Key, usize> = HashMap::new();
    for t in &truth {
        *truth_left.entry(key(t)).or_default() += 1;
        per.entry(t["category"].clone()).or_default().0 += 1;
    }
    for c in &found {
        let e = per.entry(c["category"].clone()).or_default();
        e.1 += 1;
        if let Some(n) = truth_left.get_mut(&key(c)).filter(|n| **n > 0) {
            *n -= 1;
            e.2 += 1;
        }
    }
    let mut report = String::new();
    let mut failed = false;
    for (cat, (t, f, ok)) in &per {
        let precision = if *f == 0 { 1.0 } else { *ok as f64 / *f as f64 };
        let recall = if *t == 0 { 1.0 } else { *ok as f64 / *t as f64 };
        report.push_str(&format!(
            "{cat}: truth {t} found {f} correct {ok} p {precision:.3} r {recall:.3}\n"
        ));
        failed |= precision < 0.98 || recall < 0.98;
    }
    assert_eq!(per.len(), 18, "every category is in the truth:\n{report}");
    assert!(!failed, "{report}");

    // Normalisation-only differences are never cases.
    let noise = read(&testdata("county-small/truth/noise.csv"));
    let reported: std::collections::HashSet<(String, String, String, String)> = found
        .iter()
        .map(|c| {
            (
                c["source"].clone(),
                base(&c["file"]),
                c["sheet"].clone(),
                c["row"].clone(),
            )
        })
        .collect();
    for n in &noise {
        let k = (
            n["source"].clone(),
            base(&n["file"]),
            n["sheet"].clone(),
            n["row"].clone(),
        );
        assert!(!reported.contains(&k), "noise reported: {n:?}");
    }

    // The columns of the issue, and both sides' values with the engine's
    // weight and explanation where a linked pair is behind the case.
    let header = std::fs::read_to_string(dir.path().join("out/2026-06/cases.csv")).unwrap();
    let header: Vec<&str> = header
        .lines()
        .next()
        .unwrap()
        .trim_start_matches('\u{feff}')
        .split(',')
        .collect();
    for column in [
        "case_id",
        "category",
        "source",
        "row",
        "other_source",
        "other_row",
        "village_code",
        "village",
        "name",
        "id_number",
        "field",
        "value",
        "other_value",
        "weight",
        "explanation",
    ] {
        assert!(header.contains(&column), "{column} missing: {header:?}");
    }
    for c in &found {
        let cat = c["category"].as_str();
        if ["H03", "H04", "H05", "H06", "M03", "M04"].contains(&cat) {
            assert!(
                !c["value"].is_empty() && !c["other_value"].is_empty(),
                "{c:?}"
            );
            assert_ne!(c["value"], c["other_value"], "{c:?}");
            assert!(c["weight"].parse::<f64>().is_ok(), "{c:?}");
            assert!(!c["explanation"].is_empty(), "{c:?}");
        }
        if c["other_source"].is_empty() {
            assert!(
                c["weight"].is_empty() && c["explanation"].is_empty(),
                "{c:?}"
            );
        }
    }
    let h03 = found.iter().find(|c| c["category"] == "H03").unwrap();
    assert!(h03["explanation"].contains("姓名"), "{h03:?}");

    // A case goes to the village of the person's household record: H06's
    // WIS village differs, and the case lands in the household's.
    let h06: Vec<_> = found.iter().filter(|c| c["category"] == "H06").collect();
    assert!(!h06.is_empty());
    for c in h06 {
        assert_eq!(c["village"], c["other_value"], "{c:?}");
        assert_ne!(c["village"], c["value"], "{c:?}");
    }
    // Every case of a household record, or linked to one, has a village.
    for c in &found {
        if c["source"] == "household" || c["other_source"] == "household" {
            assert!(!c["village"].is_empty(), "{c:?}");
        }
    }

    // Case ids are unique, and the summary counts what the file holds.
    let ids: std::collections::HashSet<&String> = found.iter().map(|c| &c["case_id"]).collect();
    assert_eq!(ids.len(), found.len());
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/2026-06/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["cases"].as_u64(), Some(found.len() as u64));
    assert!(!dir.path().join("out/.bidui-check.lock").exists());

    // By village: the villages' counts and the unassigned make the total,
    // and unassigned.csv holds the cases with no village.
    let unassigned = read(&dir.path().join("out/2026-06/unassigned.csv"));
    assert!(
        unassigned
            .iter()
            .all(|c| c["village"].is_empty() && c["village_code"].is_empty())
    );
    assert_eq!(
        unassigned.len(),
        found
            .iter()
            .filter(|c| c["village"].is_empty() && c["village_code"].is_empty())
            .count()
    );
    assert_eq!(
        summary["unassigned"].as_u64(),
        Some(unassigned.len() as u64)
    );
    let villages = summary["by_village"].as_object().unwrap();
    assert!(villages.len() >= 4, "{villages:?}");
    let in_villages: u64 = villages
        .values()
        .map(|v| v["cases"].as_u64().unwrap())
        .sum();
    assert_eq!(in_villages + unassigned.len() as u64, found.len() as u64);
}

#[test]
fn any_thread_count_gives_the_same_files_and_json_and_fail_on_cases_work() {
    let one = tempfile::tempdir().unwrap();
    let many = tempfile::tempdir().unwrap();
    check("1", &config(one.path(), ""), &[]).expect_code(0);
    let run = check(
        "8",
        &config(many.path(), ""),
        &["--json", "--fail-on-cases"],
    );
    run.expect_code(1);
    let summary: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert!(summary["cases"].as_u64().unwrap() > 0);
    // A nightly batch logs where the time went.
    let stages: Vec<&str> = summary["timings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            assert!(t["seconds"].as_f64().is_some_and(|s| s >= 0.0), "{t}");
            t["stage"].as_str().unwrap()
        })
        .collect();
    assert_eq!(
        stages,
        [
            "load_wis",
            "load_household",
            "load_marriage",
            "load_birth",
            "prepare",
            "link_and_classify",
            "ledger",
            "write_cases",
            "write_village_workbooks",
            "write_summary_xlsx",
        ]
    );
    for link in summary["links"].as_array().unwrap() {
        assert!(link["seconds"].as_f64().is_some(), "{link}");
    }
    let a = std::fs::read(one.path().join("out/2026-06/cases.csv")).unwrap();
    let b = std::fs::read(many.path().join("out/2026-06/cases.csv")).unwrap();
    assert!(a == b, "cases.csv differs between 1 and 8 threads");
    // The village workbooks too: their document dates are the as-of date,
    // not the clock's. (summary.xlsx names each run's own config file.)
    let mut books = Vec::new();
    for e in std::fs::read_dir(one.path().join("out/2026-06/villages")).unwrap() {
        books.push(format!(
            "villages/{}",
            e.unwrap().file_name().to_string_lossy()
        ));
    }
    assert!(books.len() >= 4, "{books:?}");
    for book in &books {
        let a = std::fs::read(one.path().join("out/2026-06").join(book)).unwrap();
        let b = std::fs::read(many.path().join("out/2026-06").join(book)).unwrap();
        assert!(a == b, "{book} differs between 1 and 8 threads");
    }
}

/// A record with no village anywhere goes to unassigned.csv; a WIS record
/// without a village whose household record has one goes to that village.
#[test]
fn a_case_without_a_village_is_unassigned_never_guessed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("wis.csv"),
        "公民身份号码,姓名,性别,出生日期\n372830199106252775,林浩,1,1991-06-25\n372830199307131469,高静静,2,1993-07-13\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("household.csv"),
        "GMSFHM,XM,XB,CSRQ,RYZT,JCWH\n372830199307131469,高晶晶,2,19930713,0,东胡庄村\n",
    )
    .unwrap();
    let cfg = dir.path().join("tiny.toml");
    std::fs::write(
        &cfg,
        "output = \"out\"\n[sources]\nwis = \"wis.csv\"\nhousehold = \"household.csv\"\n",
    )
    .unwrap();
    check("2", &cfg, &[]).expect_code(0);
    let found = read(&dir.path().join("out/2026-06/cases.csv"));
    let unassigned = read(&dir.path().join("out/2026-06/unassigned.csv"));
    let by = |cat: &str| found.iter().find(|c| c["category"] == cat).unwrap();
    // 林浩: invalid number (Q01), no household record (H02), no village.
    for cat in ["Q01", "H02"] {
        let c = by(cat);
        assert_eq!(
            (c["village"].as_str(), c["village_code"].as_str()),
            ("", "")
        );
        assert!(
            unassigned.iter().any(|u| u["case_id"] == c["case_id"]),
            "{cat}"
        );
    }
    // 高静静: H03, in her household record's village.
    let h03 = by("H03");
    assert_eq!(h03["village"], "东胡庄村");
    assert_eq!(
        (h03["value"].as_str(), h03["other_value"].as_str()),
        ("高静静", "高晶晶")
    );
    assert_eq!(unassigned.len(), 2);
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/2026-06/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["unassigned"], 2);
    assert_eq!(summary["by_village"]["东胡庄村"]["cases"], 1);
    assert_eq!(summary["by_village"]["东胡庄村"]["by_category"]["H03"], 1);
}

/// `--wis PATH --household PATH …` without a config is a config with those
/// sources and the default scope: the same cases.csv.
#[test]
fn quick_use_flags_give_what_the_config_gives() {
    let dir = tempfile::tempdir().unwrap();
    check("2", &config(dir.path(), ""), &[]).expect_code(0);
    let county = testdata("county-small");
    let quick = dir.path().join("quick");
    let paths: Vec<(String, String)> = ["wis", "household", "marriage", "birth"]
        .iter()
        .map(|s| (format!("--{s}"), county.join(s).display().to_string()))
        .collect();
    let mut args = vec![
        "--threads",
        "2",
        "-q",
        "check",
        "--as-of",
        "2026-06-30",
        "--out",
        quick.to_str().unwrap(),
    ];
    for (flag, path) in &paths {
        args.push(flag);
        args.push(path);
    }
    let run = bidui(&args, b"");
    run.expect_code(0);
    let a = std::fs::read(dir.path().join("out/2026-06/cases.csv")).unwrap();
    let b = std::fs::read(quick.join("2026-06/cases.csv")).unwrap();
    assert!(a.len() > 1000);
    assert!(a == b, "cases.csv differs between the config and the flags");

    // wis and at least one other; never with a config.
    for (args, fragment) in [
        (vec!["check", "--wis", "w"], "至少还需一个来源"),
        (vec!["check", "--household", "h"], "--wis"),
        (vec!["check"], "--config"),
        (
            vec!["check", "--config", "c.toml", "--wis", "w"],
            "--config",
        ),
    ] {
        let run = bidui(&args, b"");
        run.expect_code(2);
        assert!(run.stderr.contains(fragment), "{args:?}: {}", run.stderr);
    }
}

#[test]
fn a_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let run = check("2", &config(dir.path(), ""), &["--dry-run", "--json"]);
    run.expect_code(0);
    let summary: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    assert_eq!(summary["dry_run"], true);
    assert_eq!(summary["files"].as_array().unwrap().len(), 8);
    assert!(!dir.path().join("out").exists());
}

/// Sources as tables, lists and wildcard patterns name the same files as
/// folders do, and every input is listed with its size and SHA-256.
#[test]
fn sources_take_patterns_and_tables_and_are_checksummed() {
    use sha2::Digest;
    let dir = tempfile::tempdir().unwrap();
    let county = testdata("county-small");
    let at = |p: &str| county.join(p).display().to_string();
    let path = dir.path().join("county.toml");
    std::fs::write(
        &path,
        format!(
            "as_of = 2026-06-30\noutput = \"out\"\n[sources]\n\
             wis = {{ path = {:?} }}\n\
             household = [{:?}, {:?}]\n\
             marriage = {{ paths = [{:?}], encoding = \"gbk\" }}\n\
             birth = {:?}\n",
            at("wis/*.xlsx"),
            at("household/临河镇*.csv"),
            at("household/西峪*"),
            at("marriage"),
            at("birth"),
        ),
    )
    .unwrap();
    let run = check("2", &path, &["--dry-run", "--json"]);
    run.expect_code(0);
    let summary: serde_json::Value = serde_json::from_str(run.stdout.trim()).unwrap();
    let files = summary["files"].as_array().unwrap();
    assert_eq!(files.len(), 8, "{files:?}");
    for f in files {
        let file = std::path::PathBuf::from(f["file"].as_str().unwrap());
        let bytes = std::fs::read(&file).unwrap();
        let want: String = sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(f["sha256"], want.as_str(), "{}", file.display());
        assert_eq!(f["bytes"], bytes.len() as u64);
        assert!(f["records"].as_u64().unwrap() > 0);
    }

    // A pattern that matches nothing is named, and is an input problem.
    std::fs::write(
        &path,
        format!(
            "output = \"out\"\n[sources]\nwis = {:?}\nhousehold = {:?}\n",
            at("wis/*.xlsx"),
            at("household/*.xlsx"),
        ),
    )
    .unwrap();
    let run = check("2", &path, &["--dry-run"]);
    run.expect_code(3);
    assert!(
        run.stderr.contains("没有文件与") && run.stderr.contains("household/*.xlsx"),
        "{}",
        run.stderr
    );
}

#[test]
fn bad_configs_and_inputs_say_what_is_wrong() {
    let dir = tempfile::tempdir().unwrap();
    let cases: &[(&str, i32, &str)] = &[
        ("colour = 1\n", 2, "colour"),
        ("[scope]\nwomen_min_age = 60\n", 2, "women_min_age"),
    ];
    for (extra, code, fragment) in cases {
        let run = check("2", &config(dir.path(), extra), &[]);
        run.expect_code(*code);
        assert!(run.stderr.contains(fragment), "{extra}: {}", run.stderr);
    }
    let missing = dir.path().join("none.toml");
    let run = check("2", &missing, &[]);
    run.expect_code(2);
    assert!(run.stderr.contains("文件不存在"), "{}", run.stderr);

    let bad = dir.path().join("bad.toml");
    std::fs::write(
        &bad,
        "output = \"out\"\n[sources]\nwis = \"no-such-folder\"\nhousehold = \"h.csv\"\n",
    )
    .unwrap();
    let run = check("2", &bad, &[]);
    run.expect_code(3);
    assert!(run.stderr.contains("no-such-folder"), "{}", run.stderr);

    // A lock left in the output folder: another run is writing there.
    let cfg = config(dir.path(), "");
    std::fs::create_dir_all(dir.path().join("out")).unwrap();
    std::fs::write(dir.path().join("out/.bidui-check.lock"), "1").unwrap();
    let run = check("2", &cfg, &[]);
    run.expect_code(4);
    assert!(run.stderr.contains("另一个 bidui check"), "{}", run.stderr);
}
