//! `bidui check` on the synthetic county-small: per-category precision and
//! recall against its truth, nothing from noise.csv reported, the same
//! output with any number of threads, and the errors of a bad config.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use crate::util::{Run, bidui, testdata};

/// (category, source, file name, sheet, row).
type Key = (String, String, String, String, String);

fn base(file: &str) -> String {
    file.rsplit(['/', '\\']).next().unwrap_or(file).to_string()
}

fn read(path: &Path) -> Vec<HashMap<String, String>> {
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

fn key(r: &HashMap<String, String>) -> Key {
    (
        r["category"].clone(),
        r["source"].clone(),
        base(&r["file"]),
        r["sheet"].clone(),
        r["row"].clone(),
    )
}

/// A config for county-small with absolute paths, written into `dir`.
fn config(dir: &Path, extra: &str) -> std::path::PathBuf {
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
    let found = read(&dir.path().join("out/cases.csv"));
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

    // Case ids are unique, and the summary counts what the file holds.
    let ids: std::collections::HashSet<&String> = found.iter().map(|c| &c["case_id"]).collect();
    assert_eq!(ids.len(), found.len());
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("out/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["cases"].as_u64(), Some(found.len() as u64));
    assert!(!dir.path().join("out/.bidui-check.lock").exists());
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
    let a = std::fs::read(one.path().join("out/cases.csv")).unwrap();
    let b = std::fs::read(many.path().join("out/cases.csv")).unwrap();
    assert!(a == b, "cases.csv differs between 1 and 8 threads");
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
