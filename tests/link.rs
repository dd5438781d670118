//! `bidui link` on the synthetic county-small: precision and recall against
//! its truth, the pairs file's shape, and the same output with any number of
//! threads.

use std::collections::HashSet;
use std::path::Path;

use crate::util::{bidui, testdata};

/// (file name, sheet, row): a record as the truth and the pairs file name it.
type Key = (String, String, String);

fn base(file: &str) -> String {
    Path::new(file)
        .file_name()
        .unwrap()
        .to_string_lossy()
        .into_owned()
}

fn read(path: &Path) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_string())
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, rows)
}

/// The true links between `a` and `b` in the role, unordered.
fn truth(a: &str, b: &str, role: &str) -> HashSet<(Key, Key)> {
    let (h, rows) = read(&testdata("county-small/truth/links.csv"));
    let at = |n: &str| h.iter().position(|x| x == n).unwrap();
    rows.iter()
        .filter(|r| r[at("role")] == role)
        .filter_map(|r| {
            let left = (
                base(&r[at("left_file")]),
                r[at("left_sheet")].clone(),
                r[at("left_row")].clone(),
            );
            let right = (
                base(&r[at("right_file")]),
                r[at("right_sheet")].clone(),
                r[at("right_row")].clone(),
            );
            match (
                r[at("left_source")].as_str(),
                r[at("right_source")].as_str(),
            ) {
                (x, y) if x == a && y == b => Some((left, right)),
                (x, y) if x == b && y == a => Some((right, left)),
                _ => None,
            }
        })
        .collect()
}

/// Links the two registers and gives (precision, recall, rows of the file).
/// Runs `bidui [--threads N] link` on two folders of county-small into `out`.
fn run_link(
    threads: &str,
    left: &str,
    right: &str,
    left_source: &str,
    right_source: &str,
    out: &Path,
) -> crate::util::Run {
    bidui(
        &[
            "--threads",
            threads,
            "link",
            testdata(&format!("county-small/{left}")).to_str().unwrap(),
            testdata(&format!("county-small/{right}")).to_str().unwrap(),
            "--left",
            left_source,
            "--right",
            right_source,
            "--as-of",
            "2026-06-30",
            "-o",
            out.to_str().unwrap(),
            "-q",
        ],
        b"",
    )
}

fn link_and_score(
    left: &str,
    right: &str,
    left_source: &str,
    right_source: &str,
    role: &str,
) -> (f64, f64, Vec<Vec<String>>) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("pairs.csv");
    let run = run_link("2", left, right, left_source, right_source, &out);
    run.expect_code(0);
    assert_eq!(run.stdout, "", "nothing on stdout without --json");
    let (h, rows) = read(&out);
    let at = |n: &str| h.iter().position(|x| x == n).unwrap();
    let found: HashSet<(Key, Key)> = rows
        .iter()
        .filter(|r| r[at("band")] == "link")
        .map(|r| {
            (
                (
                    base(&r[at("left_file")]),
                    r[at("left_sheet")].clone(),
                    r[at("left_row")].clone(),
                ),
                (
                    base(&r[at("right_file")]),
                    r[at("right_sheet")].clone(),
                    r[at("right_row")].clone(),
                ),
            )
        })
        .collect();
    let truth = truth(left, right, role);
    let correct = found.intersection(&truth).count() as f64;
    (
        correct / found.len() as f64,
        correct / truth.len() as f64,
        rows,
    )
}

#[test]
fn wis_to_household_precision_and_recall() {
    let (precision, recall, rows) =
        link_and_score("wis", "household", "wis", "household", "person");
    assert!(
        precision >= 0.995 && recall >= 0.995,
        "precision {precision:.4}, recall {recall:.4}"
    );
    // Typos that the engine must see through are explained in Chinese.
    assert!(
        rows.iter()
            .any(|r| r.last().unwrap().contains("身份证号第")),
        "an ID typo is explained"
    );
}

#[test]
fn birth_mothers_to_wis_precision_and_recall() {
    let (precision, recall, _) = link_and_score("birth", "wis", "birth:mother", "wis", "mother");
    assert!(
        precision >= 0.995 && recall >= 0.995,
        "precision {precision:.4}, recall {recall:.4}"
    );
}

#[test]
fn marriage_parties_to_wis() {
    for (source, role) in [("marriage:female", "woman"), ("marriage:male", "man")] {
        let (precision, recall, _) = link_and_score("marriage", "wis", source, "wis", role);
        assert!(
            precision >= 0.99 && recall >= 0.99,
            "{role}: precision {precision:.4}, recall {recall:.4}"
        );
    }
}

#[test]
fn the_same_pairs_with_one_thread_or_two() {
    let dir = tempfile::tempdir().unwrap();
    let mut outputs = Vec::new();
    for threads in ["1", "2"] {
        let out = dir.path().join(format!("pairs-{threads}.csv"));
        run_link(threads, "wis", "household", "wis", "household", &out).expect_code(0);
        outputs.push(std::fs::read(&out).unwrap());
    }
    assert!(
        outputs[0] == outputs[1],
        "--threads 1 and --threads 2 wrote different pairs"
    );
}

#[test]
fn wrong_sources_and_roles_are_usage_errors() {
    let cases: &[(&str, &str, &str)] = &[
        ("wis:mother", "household", "wis 没有“mother”这一角色"),
        ("hukou", "household", "“hukou”不是来源类型"),
        ("birth:aunt", "wis", "“aunt”不是角色"),
    ];
    for (left, right, fragment) in cases {
        let run = bidui(
            &[
                "link", "a.csv", "b.csv", "--left", left, "--right", right, "-o", "p.csv",
            ],
            b"",
        );
        run.expect_code(2);
        assert!(run.stderr.contains(fragment), "{left}: {}", run.stderr);
    }
}
