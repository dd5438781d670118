//! The quirks of domain §2, one row each.

use super::*;
use crate::identity::codes::Sex;

fn as_of() -> Date {
    Date::from_ymd(2026, 11, 23).unwrap()
}

fn parse(raw: &str) -> IdNumber {
    IdParser::new(as_of()).parse(raw)
}

/// A short name for each problem, so the table reads as one line a case.
fn codes(id: &IdNumber) -> Vec<&'static str> {
    id.problems()
        .iter()
        .map(|p| match p {
            IdProblem::Empty => "empty",
            IdProblem::Placeholder => "placeholder",
            IdProblem::StoredAsNumber => "float",
            IdProblem::LostTrailingDigits => "lost_digits",
            IdProblem::WrongLength { .. } => "length",
            IdProblem::BadCharacter { .. } => "character",
            IdProblem::ImpossibleDate { .. } => "date",
            IdProblem::FutureDate { .. } => "future",
            IdProblem::DateTooEarly { .. } => "too_early",
            IdProblem::UnknownRegion { .. } => "region",
            IdProblem::WrongCheck { .. } => "check",
        })
        .collect()
}

#[test]
fn every_quirk_of_real_exports() {
    use IdKind::*;
    // (raw cell, kind, cleaned, problems)
    let cases: &[(&str, IdKind, &str, &[&str])] = &[
        // Valid numbers as written and as exports mangle them.
        ("370404199001011230", Citizen, "370404199001011230", &[]),
        (
            "３７０４０４１９９００１０１１２３０",
            Citizen,
            "370404199001011230",
            &[],
        ),
        ("370404 19900101 1230", Citizen, "370404199001011230", &[]),
        ("'370404199001011230", Citizen, "370404199001011230", &[]),
        (
            "=\"370404199001011230\"",
            Citizen,
            "370404199001011230",
            &[],
        ),
        (
            "81000019950312004x",
            HkMacaoTaiwanPermit,
            "81000019950312004X",
            &[],
        ),
        (
            "81000019950312004×",
            HkMacaoTaiwanPermit,
            "81000019950312004X",
            &[],
        ),
        (
            "91015619900101001X",
            ForeignPermanent,
            "91015619900101001X",
            &[],
        ),
        (
            "USA110065041011",
            ForeignPermanentOld,
            "USA110065041011",
            &[],
        ),
        ("110101194910010028", Citizen, "110101194910010028", &[]),
        ("440301202108081237", Citizen, "440301202108081237", &[]),
        // A real number may end in 000: only a wrong check makes it damage.
        ("370404199001010000", Citizen, "370404199001010000", &[]),
        // An abolished county is still a real person's code.
        ("110103198002290010", Citizen, "110103198002290010", &[]),
        // Old 15-digit numbers upgrade with 19, centenarians (996–999) with 18.
        ("370404900101123", CitizenOld, "370404199001011230", &[]),
        ("370404990101996", CitizenOld, "370404189901019968", &[]),
        (
            "370404900230123",
            CitizenOld,
            "37040419900230123X",
            &["date"],
        ),
        (
            "999999999999999",
            Placeholder,
            "999999999999999",
            &["placeholder"],
        ),
        (
            "990404900101123",
            CitizenOld,
            "990404199001011236",
            &["region"],
        ),
        // One typo: wrong check, a mistyped digit, two neighbours swapped.
        (
            "370404199001011231",
            Citizen,
            "370404199001011231",
            &["check"],
        ),
        (
            "370404199001011280",
            Citizen,
            "370404199001011280",
            &["check"],
        ),
        (
            "370404199010011230",
            Citizen,
            "370404199010011230",
            &["check"],
        ),
        (
            "370404199001011320",
            Citizen,
            "370404199001011320",
            &["check"],
        ),
        (
            "370404199013011230",
            Citizen,
            "370404199013011230",
            &["date", "check"],
        ),
        (
            "370404202701011230",
            Citizen,
            "370404202701011230",
            &["future", "check"],
        ),
        (
            "370404179001011230",
            Citizen,
            "370404179001011230",
            &["too_early", "check"],
        ),
        (
            "379904199001011230",
            Citizen,
            "379904199001011230",
            &["region", "check"],
        ),
        (
            "370404209912310019",
            Citizen,
            "370404209912310019",
            &["future"],
        ),
        ("110101190001010022", Citizen, "110101190001010022", &[]),
        // Characters that do not belong.
        (
            "3704041990O1011230",
            Citizen,
            "3704041990O1011230",
            &["character"],
        ),
        (
            "37040419900101123中",
            Unrecognised,
            "37040419900101123中",
            &["character"],
        ),
        (
            "37040419900101-1230",
            Unrecognised,
            "37040419900101-1230",
            &["length", "character"],
        ),
        (
            "37040490010112X",
            Unrecognised,
            "37040490010112X",
            &["character"],
        ),
        (
            "37040419900101123",
            Unrecognised,
            "37040419900101123",
            &["length"],
        ),
        (
            "3704041990010112300",
            Unrecognised,
            "3704041990010112300",
            &["length"],
        ),
        ("abc", Unrecognised, "ABC", &["length", "character"]),
        ("张三", Unrecognised, "张三", &["length", "character"]),
        // Excel's damage: never turned back into digits.
        (
            "3.70404199001011E+17",
            Damaged,
            "3.70404199001011E+17",
            &["float"],
        ),
        (
            "370404199001011000.0",
            Damaged,
            "370404199001011000.0",
            &["float"],
        ),
        (
            "370404199001011000",
            Damaged,
            "370404199001011000",
            &["lost_digits"],
        ),
        // Placeholders and empties.
        (
            "000000000000000000",
            Placeholder,
            "000000000000000000",
            &["placeholder"],
        ),
        (
            "000000199001010000",
            Placeholder,
            "000000199001010000",
            &["placeholder"],
        ),
        (
            "111111111111111111",
            Placeholder,
            "111111111111111111",
            &["placeholder"],
        ),
        (
            "123456789012345678",
            Placeholder,
            "123456789012345678",
            &["placeholder"],
        ),
        ("临时0012", Placeholder, "0012", &["placeholder"]),
        ("", Empty, "", &["empty"]),
        ("无", Empty, "", &["empty"]),
        ("  /  ", Empty, "", &["empty"]),
    ];
    for (raw, kind, cleaned, problems) in cases {
        let id = parse(raw);
        assert_eq!(id.kind(), *kind, "kind of {raw:?}");
        assert_eq!(id.cleaned(), *cleaned, "cleaned {raw:?}");
        assert_eq!(codes(&id), *problems, "problems of {raw:?}");
        assert_eq!(id.is_valid(), problems.is_empty(), "validity of {raw:?}");
    }
}

#[test]
fn birth_date_sex_and_region() {
    let cases: &[(&str, &str, Sex, Option<&str>)] = &[
        (
            "370404199001011230",
            "1990-01-01",
            Sex::Male,
            Some("山东省 枣庄市 峄城区"),
        ),
        (
            "370404198505170425",
            "1985-05-17",
            Sex::Female,
            Some("山东省 枣庄市 峄城区"),
        ),
        (
            "370404900101123",
            "1990-01-01",
            Sex::Male,
            Some("山东省 枣庄市 峄城区"),
        ),
        (
            "110103198002290010",
            "1980-02-29",
            Sex::Male,
            Some("北京市 市辖区 崇文区"),
        ),
        ("81000019950312004X", "1995-03-12", Sex::Female, None),
        ("91015619900101001X", "1990-01-01", Sex::Male, None),
    ];
    for (raw, date, sex, region) in cases {
        let id = parse(raw);
        assert_eq!(
            id.birth_date().map(|d| d.to_string()).as_deref(),
            Some(*date),
            "{raw}"
        );
        assert_eq!(id.sex(), Some(*sex), "{raw}");
        assert_eq!(
            id.region().map(|r| r.full_name()).as_deref(),
            *region,
            "{raw}"
        );
    }
    assert!(parse("110103198002290010").region().unwrap().abolished);
    assert!(!parse("370404199001011230").region().unwrap().abolished);
    assert_eq!(parse("3.70404199001011E+17").birth_date(), None);
    assert_eq!(parse("USA110065041011").sex(), None);
}

#[test]
fn problems_say_what_is_wrong_in_chinese() {
    let cases: &[(&str, &str)] = &[
        ("370404199001011231", "末位应为0，实为1"),
        ("37040419900101123", "17位"),
        ("3704041990O1011230", "第11位是“O”"),
        ("370404199013011230", "“19901301”不存在"),
        ("379904199001011230", "“379904”"),
        ("3.70404199001011E+17", "第16—18位已丢失"),
        ("000000000000000000", "占位号码"),
    ];
    for (raw, fragment) in cases {
        let id = parse(raw);
        let messages: Vec<String> = id.problems().iter().map(IdProblem::message).collect();
        assert!(
            messages.iter().any(|m| m.contains(fragment)),
            "{raw}: {messages:?} lacks {fragment}"
        );
    }
}

#[test]
fn check_character_known_answers() {
    let cases: &[(&str, char)] = &[
        ("37040419900101123", '0'),
        ("11010519491231002", 'X'),
        ("44052418800101001", '4'),
        ("81000019950312004", 'X'),
        ("00000000000000000", '1'),
    ];
    for (first17, want) in cases {
        assert_eq!(
            check_character(first17.as_bytes()),
            Some(*want),
            "{first17}"
        );
    }
    assert_eq!(check_character(b"3704041990010112"), None);
    assert_eq!(check_character(b"3704041990010112X"), None);
}

#[test]
fn no_valid_number_is_one_typo_from_another() {
    // The property the blocking stage relies on.
    for raw in [
        "370404199001011230",
        "110101194910010028",
        "440301202108081237",
    ] {
        let id = parse(raw);
        assert!(id.is_valid());
        assert!(id.repairs(as_of()).is_empty());
        let bytes = raw.as_bytes();
        for pos in 0..18 {
            for to in b"0123456789X" {
                if *to == bytes[pos] || (*to == b'X' && pos != 17) {
                    continue;
                }
                let mut b = bytes.to_vec();
                b[pos] = *to;
                let typo = String::from_utf8(b).unwrap();
                assert!(!parse(&typo).is_valid(), "{typo} from {raw}");
            }
        }
        for pos in 0..17 {
            if bytes[pos] == bytes[pos + 1] {
                continue;
            }
            let mut b = bytes.to_vec();
            b.swap(pos, pos + 1);
            let typo = String::from_utf8(b).unwrap();
            assert!(!parse(&typo).is_valid(), "{typo} from {raw}");
        }
    }
}

#[test]
fn repairs_find_the_number_before_the_typo() {
    let truth = "370404199001011230";
    let cases: &[(&str, Edit)] = &[
        (
            "370404199001011231",
            Edit::Substitute {
                position: 18,
                from: '1',
                to: '0',
            },
        ),
        (
            "370404199001011280",
            Edit::Substitute {
                position: 17,
                from: '8',
                to: '3',
            },
        ),
        ("370404199010011230", Edit::Swap { position: 11 }),
        ("370404199001011320", Edit::Swap { position: 16 }),
        (
            "370404199001911230",
            Edit::Substitute {
                position: 13,
                from: '9',
                to: '0',
            },
        ),
        (
            "370474199001011230",
            Edit::Substitute {
                position: 5,
                from: '7',
                to: '0',
            },
        ),
        (
            "3704041990O1011230",
            Edit::Substitute {
                position: 11,
                from: 'O',
                to: '0',
            },
        ),
    ];
    for (typo, edit) in cases {
        let repairs = parse(typo).repairs(as_of());
        let found = repairs.iter().find(|r| r.number == truth);
        assert_eq!(found.map(|r| r.edit), Some(*edit), "{typo}: {repairs:?}");
        for r in &repairs {
            assert!(
                parse(&r.number).is_valid(),
                "{} offered for {typo}",
                r.number
            );
        }
    }
    // Without context the check character comes first; the record's own
    // birth date and sex narrow the rest.
    let repairs = parse("370404199001011231").repairs(as_of());
    assert!(repairs.len() > 3, "{repairs:?}");
    assert_eq!(repairs[0].number, truth);
    let born = Date::from_ymd(1990, 1, 1);
    let fitting: Vec<&str> = repairs
        .iter()
        .filter(|r| r.fits(born, Some(Sex::Male)))
        .map(|r| r.number.as_str())
        .collect();
    assert!(fitting.contains(&truth), "{fitting:?}");
    assert!(fitting.len() < repairs.len(), "{fitting:?}");
    assert!(parse("3.70404199001011E+17").repairs(as_of()).is_empty());
    assert!(parse("370404199001011000").repairs(as_of()).is_empty());
    assert!(parse("37040419900101123").repairs(as_of()).is_empty());
    assert_eq!(Edit::Swap { position: 12 }.describe(), "第12、13位颠倒");
}

#[test]
fn masks_hide_the_middle() {
    let cases = [
        ("370404199001011230", "370404********1230"),
        ("370404900101123", "370404*****1123"),
        ("12345", "1***5"),
        ("12", "12"),
        ("", ""),
    ];
    for (number, masked) in cases {
        assert_eq!(mask(number), masked);
    }
    assert_eq!(parse("370404199001011230").masked(), "370404********1230");
}
