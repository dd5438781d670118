//! `bidui id` end to end: arguments, standard input, JSON, bad input.

use crate::util::{bidui, testdata};

#[test]
fn explains_numbers_given_as_arguments() {
    let run = bidui(&["id", "370404199001011231", "110103198002290010"], b"");
    run.expect_code(0);
    for fragment in [
        "370404199001011231\n  结论      无效（居民身份证号码）",
        "校验码错误：末位应为0，实为1",
        "可能正确  370404199001011230（第18位1改为0）",
        "110103198002290010\n  结论      有效（居民身份证号码）",
        "110103 北京市 市辖区 崇文区（该代码已撤销）",
    ] {
        assert!(
            run.stdout.contains(fragment),
            "{}\nlacks {fragment}",
            run.stdout
        );
    }
    assert_eq!(run.stderr, "");
}

#[test]
fn reads_the_sample_file_from_stdin_as_json() {
    let input = std::fs::read(testdata("id-numbers.txt")).unwrap();
    let run = bidui(&["id", "--json"], &input);
    run.expect_code(0);
    let answers: Vec<serde_json::Value> = run
        .stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON object per line"))
        .collect();
    // (line, kind, valid, first problem code)
    let expected: &[(u64, &str, bool, &str)] = &[
        (1, "citizen", true, ""),
        (2, "citizen", true, ""),
        (3, "citizen", true, ""),
        (4, "hk_macao_taiwan_permit", true, ""),
        (5, "citizen", true, ""),
        (6, "citizen_old", true, ""),
        (7, "citizen_old", true, ""),
        (8, "citizen", false, "wrong_check"),
        (9, "citizen", false, "wrong_check"),
        (10, "citizen", false, "impossible_date"),
        (11, "damaged", false, "stored_as_number"),
        (12, "damaged", false, "lost_trailing_digits"),
        (13, "placeholder", false, "placeholder"),
        (14, "unrecognised", false, "wrong_length"),
    ];
    assert_eq!(answers.len(), expected.len(), "{}", run.stdout);
    for (a, (line, kind, valid, problem)) in answers.iter().zip(expected) {
        assert_eq!(a["line"], *line);
        assert_eq!(a["kind"], *kind, "line {line}");
        assert_eq!(a["valid"], *valid, "line {line}");
        let got = a["problems"][0]["code"].as_str().unwrap_or("");
        assert_eq!(got, *problem, "line {line}");
    }
    assert_eq!(answers[6]["cleaned"], "370404189901019968");
    let swap = answers[8]["repairs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == "370404199001011230")
        .expect("the number before the swap is a candidate");
    assert_eq!(swap["edit"], "swap");
    assert_eq!(swap["position"], 11);
    assert_eq!(swap["description"], "第11、12位颠倒");
}

#[test]
fn bad_lines_get_an_answer_not_a_crash() {
    let garbage = "x".repeat(40);
    let input = format!("\n{garbage}\n\u{7}\n").into_bytes();
    let mut input = input;
    input.extend_from_slice(b"\xd5\xc5\xc8\xfd\n370404199001011230");
    let run = bidui(&["id"], &input);
    run.expect_code(0);
    for fragment in [
        "第 1 行：\n  结论      无效（空白）\n  问题      号码为空",
        "第 2 行：xxxxxxxxxx",
        "位数不对：40位",
        "第 3 行：\\u{7}",
        "第1位是“\\u{7}”",
        "第 4 行：",
        "这一行不是 UTF-8 文本（可能是 GBK 编码）",
        "第 5 行：370404199001011230\n  结论      有效",
    ] {
        assert!(
            run.stdout.contains(fragment),
            "{}\nlacks {fragment}",
            run.stdout
        );
    }
}

#[test]
fn fail_on_cases_exits_1_only_when_asked() {
    bidui(&["id", "370404199001011231"], b"").expect_code(0);
    bidui(&["id", "--fail-on-cases", "370404199001011231"], b"").expect_code(1);
    bidui(&["id", "--fail-on-cases", "370404199001011230"], b"").expect_code(0);
}

#[test]
fn usage_errors_exit_2_with_a_message() {
    let run = bidui(&["id", "--as-of", "2026-13-01", "1"], b"");
    run.expect_code(2);
    assert!(run.stderr.contains("--as-of"), "{}", run.stderr);
    assert!(run.stderr.contains("不是真实存在的日期"), "{}", run.stderr);
    assert_eq!(run.stdout, "");
    bidui(&["--threads", "0", "id", "1"], b"").expect_code(2);
    bidui(&["no-such-command"], b"").expect_code(2);
}

#[test]
fn future_birth_dates_follow_as_of() {
    let n = "370404209912310019";
    let run = bidui(&["id", "--json", "--as-of", "2100-01-01", n], b"");
    assert!(run.stdout.contains("\"valid\":true"), "{}", run.stdout);
    let run = bidui(&["id", "--json", "--as-of", "2026-11-23", n], b"");
    assert!(
        run.stdout.contains("\"code\":\"future_date\""),
        "{}",
        run.stdout
    );
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let input: String = "370404199001011230\n".repeat(200_000);
    let mut child = Command::new(env!("CARGO_BIN_EXE_bidui"))
        .args(["id"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        use std::io::Write;
        let _ = stdin.write_all(input.as_bytes());
    });
    let mut first = [0u8; 64];
    child
        .stdout
        .as_mut()
        .unwrap()
        .read_exact(&mut first)
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let _ = writer.join();
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&out.stderr), "");
}
