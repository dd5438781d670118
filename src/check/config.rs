//! The check's configuration file (TOML), read and validated.
//!
//! Takes the text of a config file, the folder it is in (relative paths are
//! taken from there) and the command line's overrides, and gives
//! [`CheckOptions`]: every source's paths, the output folder, the scope and
//! the link thresholds, the period and the deadline of the village
//! workbooks, all checked. Unknown keys are errors that name the key; see
//! docs/check.md and examples/county.toml. [`from_paths`] gives the same
//! options from the quick-use flags, without a file.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::sources::SourceSpec;
use crate::check::period::{check_period, default_deadline, default_period};
use crate::classify::Scope;
use crate::error::{Error, Result};
use crate::identity::{Date, parse_date};
use crate::link::Thresholds;
use crate::load::SourceKind;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    as_of: Option<toml::Value>,
    output: Option<String>,
    period: Option<String>,
    deadline: Option<toml::Value>,
    county: Option<String>,
    force: Option<bool>,
    ledger: Option<String>,
    sources: Sources,
    #[serde(default)]
    scope: ScopeFile,
    #[serde(default)]
    link: LinkFile,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Sources {
    wis: Option<toml::Value>,
    household: Option<toml::Value>,
    marriage: Option<toml::Value>,
    birth: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScopeFile {
    women_min_age: Option<i32>,
    women_max_age: Option<i32>,
    marriages_from: Option<toml::Value>,
    births_from: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct LinkFile {
    link_threshold: Option<f64>,
    review_threshold: Option<f64>,
}

/// What the command line may say over the file.
#[derive(Clone, Debug, Default)]
pub struct Overrides {
    pub as_of: Option<Date>,
    pub output: Option<PathBuf>,
    pub period: Option<String>,
    pub ledger: Option<PathBuf>,
}

/// The validated options of `bidui check`.
#[derive(Clone, Debug)]
pub struct CheckOptions {
    /// The config file (for messages and the summary); none when the
    /// sources were given on the command line.
    pub config: Option<PathBuf>,
    /// Each source given, with its files, folders or patterns and how to
    /// read them, in the order of [`SourceKind::ALL`].
    pub sources: Vec<SourceSpec>,
    /// The output folder: the lock, and one folder per period in it.
    pub output: PathBuf,
    /// The period's folder name (`YYYY-MM` of the as-of date unless given).
    pub period: String,
    /// The day the villages' answers are due.
    pub deadline: Date,
    /// The county's name, when the config gives it (else it is looked up
    /// from the village codes).
    pub county: Option<String>,
    /// Replace an existing period folder.
    pub force: bool,
    /// Mask the middle digits of ID numbers in the village workbooks.
    pub mask_ids: bool,
    /// The ledger (`<output>/bidui-ledger.sqlite` unless config `ledger` or
    /// `--ledger` says otherwise).
    pub ledger: PathBuf,
    /// Paths in the output are written relative to this folder.
    pub base: PathBuf,
    pub scope: Scope,
    pub thresholds: Thresholds,
    pub dry_run: bool,
    pub json: bool,
    pub fail_on_cases: bool,
    pub quiet: bool,
}

pub(super) fn usage(config: &Path, what: String) -> Error {
    Error::Usage(format!("配置文件 {}：{what}", config.display()))
}

/// toml's message, which names the unknown key and its line, in the
/// statistician's words.
pub(super) fn toml_message(e: &toml::de::Error) -> String {
    e.message()
        .trim()
        .replace("unknown field", "不认识的配置项")
}

/// A date written as a TOML date or a string in any format the registers use.
fn date_value(config: &Path, key: &str, v: &toml::Value) -> Result<Date> {
    let text = match v {
        toml::Value::String(s) => s.clone(),
        toml::Value::Datetime(d) => d.to_string(),
        toml::Value::Integer(i) => i.to_string(),
        _ => return Err(usage(config, format!("{key} 应为日期，例如 2026-06-30"))),
    };
    match parse_date(&text) {
        Ok(Some(d)) => Ok(d),
        Ok(None) => Err(usage(config, format!("{key} 应为日期，例如 2026-06-30"))),
        Err(e) => Err(usage(config, format!("{key}：{e}"))),
    }
}

/// Reads and validates a config file's text.
pub fn parse(
    config: &Path,
    text: &str,
    overrides: &Overrides,
    today: Date,
) -> Result<CheckOptions> {
    let file: File = toml::from_str(text).map_err(|e| usage(config, toml_message(&e)))?;
    let base = config.parent().map(Path::to_path_buf).unwrap_or_default();
    // An absolute path stays as it is: `join` replaces the base with it.
    let resolve = |p: &str| base.join(p);
    let mut sources = Vec::new();
    let Sources {
        wis,
        household,
        marriage,
        birth,
    } = file.sources;
    for (kind, paths) in [
        (SourceKind::Wis, wis),
        (SourceKind::Household, household),
        (SourceKind::Marriage, marriage),
        (SourceKind::Birth, birth),
    ] {
        if let Some(value) = paths {
            sources.push(super::sources::parse(config, &base, kind, value)?);
        }
    }
    if !sources.iter().any(|s| s.kind == SourceKind::Wis) {
        return Err(usage(
            config,
            "缺少 sources.wis：比对的对象是全员人口信息系统（WIS）".into(),
        ));
    }
    if sources.len() < 2 {
        return Err(usage(
            config,
            "sources 中除 wis 外至少还需一个来源（household、marriage 或 birth）".into(),
        ));
    }
    let as_of = match (overrides.as_of, &file.as_of) {
        (Some(d), _) => d,
        (None, Some(v)) => date_value(config, "as_of", v)?,
        (None, None) => today,
    };
    let mut scope = Scope::new(as_of);
    if let Some(a) = file.scope.women_min_age {
        scope.women_min_age = a;
    }
    if let Some(a) = file.scope.women_max_age {
        scope.women_max_age = a;
    }
    if !(0..=120).contains(&scope.women_min_age)
        || !(0..=120).contains(&scope.women_max_age)
        || scope.women_min_age > scope.women_max_age
    {
        return Err(usage(
            config,
            format!(
                "scope.women_min_age（{}）与 scope.women_max_age（{}）应在 0–120 之间，且前者不大于后者",
                scope.women_min_age, scope.women_max_age
            ),
        ));
    }
    if let Some(v) = &file.scope.marriages_from {
        scope.marriages_from = date_value(config, "scope.marriages_from", v)?;
    }
    if let Some(v) = &file.scope.births_from {
        scope.births_from = date_value(config, "scope.births_from", v)?;
    }
    for (key, d) in [
        ("scope.marriages_from", scope.marriages_from),
        ("scope.births_from", scope.births_from),
    ] {
        if d > as_of {
            return Err(usage(config, format!("{key}（{d}）晚于比对日期 {as_of}")));
        }
    }
    let mut thresholds = Thresholds::default();
    if let Some(t) = file.link.link_threshold {
        thresholds.link = t;
    }
    if let Some(t) = file.link.review_threshold {
        thresholds.review = t;
    }
    if !thresholds.link.is_finite()
        || !thresholds.review.is_finite()
        || thresholds.review > thresholds.link
    {
        return Err(usage(
            config,
            "link.review_threshold 不能高于 link.link_threshold".into(),
        ));
    }
    let period = match (&overrides.period, &file.period) {
        (Some(p), _) => check_period(p)?,
        (None, Some(p)) => check_period(p).map_err(|e| usage(config, e.to_string()))?,
        (None, None) => default_period(as_of),
    };
    let deadline = match &file.deadline {
        Some(v) => date_value(config, "deadline", v)?,
        None => default_deadline(as_of),
    };
    if deadline < as_of {
        return Err(usage(
            config,
            format!("deadline（{deadline}）早于比对日期 {as_of}"),
        ));
    }
    let county = file
        .county
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty());
    let output = match (&overrides.output, &file.output) {
        (Some(o), _) => o.clone(),
        (None, Some(o)) if !o.trim().is_empty() => resolve(o),
        _ => {
            return Err(usage(
                config,
                "没有指定输出文件夹：在配置文件中写 output = \"…\"，或用 --out".into(),
            ));
        }
    };
    let ledger = match (&overrides.ledger, &file.ledger) {
        (Some(l), _) => l.clone(),
        (None, Some(l)) if !l.trim().is_empty() => resolve(l),
        (None, Some(_)) => return Err(usage(config, "ledger 的路径不能为空".into())),
        (None, None) => output.join(crate::ledger::FILE_NAME),
    };
    Ok(CheckOptions {
        config: Some(config.to_path_buf()),
        sources,
        output,
        period,
        deadline,
        county,
        force: file.force.unwrap_or(false),
        mask_ids: false,
        ledger,
        base,
        scope,
        thresholds,
        dry_run: false,
        json: false,
        fail_on_cases: false,
        quiet: false,
    })
}

/// The options of a check without a config file (`--wis PATH
/// --household PATH …`): those sources, the default scope (as-of date from
/// `--as-of`, else today) and thresholds, the output folder from `--out`,
/// else the current folder. Paths are taken as given (relative to the
/// current folder) and shown so in the output.
pub fn from_paths(
    sources: Vec<(SourceKind, Vec<PathBuf>)>,
    overrides: &Overrides,
    today: Date,
) -> Result<CheckOptions> {
    let sources: Vec<SourceSpec> = sources
        .into_iter()
        .filter(|(_, p)| !p.is_empty())
        .map(|(kind, paths)| SourceSpec::paths(kind, paths))
        .collect();
    if let Some(s) = sources
        .iter()
        .find(|s| s.paths.iter().any(|p| p.as_os_str().is_empty()))
    {
        return Err(Error::Usage(format!("--{} 的路径不能为空", s.kind)));
    }
    if !sources.iter().any(|s| s.kind == SourceKind::Wis) {
        return Err(Error::Usage(
            "需要 --config 配置文件，或者 --wis 加上 --household、--marriage、--birth 中的至少一个"
                .into(),
        ));
    }
    if sources.len() < 2 {
        return Err(Error::Usage(
            "除 --wis 外至少还需一个来源（--household、--marriage 或 --birth）".into(),
        ));
    }
    let as_of = overrides.as_of.unwrap_or(today);
    let output = overrides
        .output
        .clone()
        .unwrap_or_else(|| PathBuf::from("."));
    Ok(CheckOptions {
        config: None,
        sources,
        ledger: overrides
            .ledger
            .clone()
            .unwrap_or_else(|| output.join(crate::ledger::FILE_NAME)),
        output,
        period: match &overrides.period {
            Some(p) => check_period(p)?,
            None => default_period(as_of),
        },
        deadline: default_deadline(as_of),
        county: None,
        force: false,
        mask_ids: false,
        base: PathBuf::new(),
        scope: Scope::new(as_of),
        thresholds: Thresholds::default(),
        dry_run: false,
        json: false,
        fail_on_cases: false,
        quiet: false,
    })
}

/// Reads a config file from disk and validates it.
pub fn read(config: &Path, overrides: &Overrides, today: Date) -> Result<CheckOptions> {
    let text = std::fs::read_to_string(config).map_err(|e| {
        usage(
            config,
            match e.kind() {
                std::io::ErrorKind::NotFound => "文件不存在".to_string(),
                std::io::ErrorKind::InvalidData => "不是 UTF-8 文本".to_string(),
                _ => e.to_string(),
            },
        )
    })?;
    parse(config, &text, overrides, today)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> Date {
        Date::from_ymd(2026, 6, 30).unwrap()
    }

    fn ok(text: &str) -> CheckOptions {
        parse(
            Path::new("/c/county.toml"),
            text,
            &Overrides::default(),
            today(),
        )
        .unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    const MIN: &str =
        "output = \"out\"\n[sources]\nwis = \"wis\"\nhousehold = [\"h1.csv\", \"/abs/h2.csv\"]\n";

    #[test]
    fn a_minimal_config_takes_the_defaults_and_resolves_paths() {
        let o = ok(MIN);
        assert_eq!(o.output, PathBuf::from("/c/out"));
        assert_eq!(
            o.sources
                .iter()
                .map(|s| (s.kind, s.paths.clone()))
                .collect::<Vec<_>>(),
            vec![
                (SourceKind::Wis, vec![PathBuf::from("/c/wis")]),
                (
                    SourceKind::Household,
                    vec![PathBuf::from("/c/h1.csv"), PathBuf::from("/abs/h2.csv")]
                ),
            ]
        );
        assert_eq!(o.scope, Scope::new(today()));
        assert_eq!(o.thresholds, Thresholds::default());
    }

    #[test]
    fn scope_and_thresholds_are_settings() {
        let o = ok(&format!(
            "as_of = 2025-12-31\n{MIN}[scope]\nwomen_min_age = 18\nwomen_max_age = 45\nmarriages_from = \"2010/1/1\"\nbirths_from = 2015-01-01\n[link]\nlink_threshold = 20\nreview_threshold = 8\n"
        ));
        assert_eq!(o.scope.as_of, Date::from_ymd(2025, 12, 31).unwrap());
        assert_eq!((o.scope.women_min_age, o.scope.women_max_age), (18, 45));
        assert_eq!(o.scope.marriages_from, Date::from_ymd(2010, 1, 1).unwrap());
        assert_eq!(o.scope.births_from, Date::from_ymd(2015, 1, 1).unwrap());
        assert_eq!((o.thresholds.link, o.thresholds.review), (20.0, 8.0));
    }

    #[test]
    fn bad_configs_are_usage_errors_that_say_what_is_wrong() {
        let cases: &[(&str, &str)] = &[
            (
                "output = \"o\"\ncolour = 1\n[sources]\nwis = \"w\"\nhousehold = \"h\"\n",
                "colour",
            ),
            (&format!("{MIN}[scope]\nwomen_age = 3\n"), "women_age"),
            (
                "output = \"o\"\n[sources]\nwis = \"w\"\nhukou = \"h\"\n",
                "hukou",
            ),
            (
                "output = \"o\"\n[sources]\nhousehold = \"h\"\nbirth = \"b\"\n",
                "缺少 sources.wis",
            ),
            (
                "output = \"o\"\n[sources]\nwis = \"w\"\n",
                "至少还需一个来源",
            ),
            (
                "[sources]\nwis = \"w\"\nhousehold = \"h\"\n",
                "没有指定输出文件夹",
            ),
            (
                &format!("{MIN}[scope]\nwomen_min_age = 50\nwomen_max_age = 20\n"),
                "women_min_age",
            ),
            (
                &format!("{MIN}[scope]\nbirths_from = \"2030-01-01\"\n"),
                "晚于比对日期",
            ),
            (
                &format!("{MIN}[scope]\nbirths_from = \"明年\"\n"),
                "scope.births_from",
            ),
            (
                &format!("{MIN}[link]\nlink_threshold = 3\n"),
                "review_threshold",
            ),
            (
                "output = \"o\"\n[sources]\nwis = []\nhousehold = \"h\"\n",
                "sources.wis",
            ),
            ("output = \n", "county.toml"),
        ];
        for (text, fragment) in cases {
            let err = parse(
                Path::new("/c/county.toml"),
                text,
                &Overrides::default(),
                today(),
            )
            .expect_err(text);
            assert!(matches!(err, Error::Usage(_)), "{text}: {err:?}");
            assert!(err.to_string().contains(fragment), "{text}: {err}");
        }
    }

    #[test]
    fn flags_without_a_config_take_the_defaults() {
        let flags = |wis: &[&str], household: &[&str], birth: &[&str]| {
            let paths = |v: &[&str]| v.iter().map(PathBuf::from).collect::<Vec<_>>();
            from_paths(
                vec![
                    (SourceKind::Wis, paths(wis)),
                    (SourceKind::Household, paths(household)),
                    (SourceKind::Marriage, vec![]),
                    (SourceKind::Birth, paths(birth)),
                ],
                &Overrides::default(),
                today(),
            )
        };
        let o = flags(&["w"], &[], &["b1.csv", "b2"]).unwrap();
        assert_eq!(o.config, None);
        assert_eq!(
            o.sources
                .iter()
                .map(|s| (s.kind, s.paths.clone()))
                .collect::<Vec<_>>(),
            vec![
                (SourceKind::Wis, vec![PathBuf::from("w")]),
                (
                    SourceKind::Birth,
                    vec![PathBuf::from("b1.csv"), PathBuf::from("b2")]
                ),
            ]
        );
        assert_eq!(o.output, PathBuf::from("."));
        assert_eq!(o.scope, Scope::new(today()));
        assert_eq!(o.thresholds, Thresholds::default());
        for (wis, household, fragment) in [
            (&[][..], &["h"][..], "--wis"),
            (&["w"][..], &[][..], "至少还需一个来源"),
            (&["w"][..], &[""][..], "--household"),
        ] {
            let err = flags(wis, household, &[]).expect_err(fragment);
            assert!(matches!(err, Error::Usage(_)), "{err:?}");
            assert!(err.to_string().contains(fragment), "{err}");
        }
    }

    #[test]
    fn the_command_line_overrides_the_file() {
        let o = parse(
            Path::new("/c/county.toml"),
            &format!("as_of = \"2020-01-01\"\n{MIN}"),
            &Overrides {
                as_of: Some(today()),
                output: Some(PathBuf::from("elsewhere")),
                period: Some("2026-06b".into()),
                ledger: None,
            },
            today(),
        )
        .unwrap();
        assert_eq!(o.scope.as_of, today());
        assert_eq!(o.output, PathBuf::from("elsewhere"));
        assert_eq!(o.period, "2026-06b");
        assert_eq!(o.ledger, PathBuf::from("elsewhere/bidui-ledger.sqlite"));
    }

    #[test]
    fn the_ledger_is_a_setting() {
        let o = ok(MIN);
        assert_eq!(o.ledger, PathBuf::from("/c/out/bidui-ledger.sqlite"));
        let o = ok(&format!("ledger = \"../账本/county.sqlite\"\n{MIN}"));
        assert_eq!(o.ledger, PathBuf::from("/c/../账本/county.sqlite"));
        let err = parse(
            Path::new("/c/county.toml"),
            &format!("ledger = \" \"\n{MIN}"),
            &Overrides::default(),
            today(),
        )
        .expect_err("an empty ledger path");
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
        assert!(err.to_string().contains("ledger 的路径不能为空"), "{err}");
    }

    #[test]
    fn period_deadline_and_county_default_from_the_as_of_date() {
        let o = ok(&format!("as_of = 2026-12-15\n{MIN}"));
        assert_eq!(o.period, "2026-12");
        assert_eq!(o.deadline, Date::from_ymd(2027, 1, 14).unwrap());
        assert_eq!((o.county, o.force, o.mask_ids), (None, false, false));
        let o = ok(&format!(
            "period = \"2026-06_补查\"\ndeadline = \"2026/7/20\"\ncounty = \" 平邑县 \"\nforce = true\n{MIN}"
        ));
        assert_eq!(o.period, "2026-06_补查");
        assert_eq!(o.deadline, Date::from_ymd(2026, 7, 20).unwrap());
        assert_eq!(o.county.as_deref(), Some("平邑县"));
        assert!(o.force);
    }

    #[test]
    fn a_bad_period_or_deadline_is_a_usage_error() {
        for (extra, fragment) in [
            ("period = \"../x\"\n", "期次"),
            ("deadline = \"2026-01-01\"\n", "deadline"),
        ] {
            let err = parse(
                Path::new("/c/county.toml"),
                &format!("{extra}{MIN}"),
                &Overrides::default(),
                today(),
            )
            .expect_err(extra);
            assert!(matches!(err, Error::Usage(_)), "{err:?}");
            assert!(err.to_string().contains(fragment), "{err}");
        }
    }
}
