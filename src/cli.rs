//! The command line: clap's types, and their translation into a [`Config`].
//!
//! Takes the process arguments (parsed by clap in `main.rs`) and gives a
//! validated [`Config`]; clap's types go no further than this file.

use std::num::NonZeroUsize;

use clap::{Args, Parser, Subcommand};

use std::path::PathBuf;

use crate::cmd::corrections::CorrectionsOptions;
use crate::cmd::id::IdOptions;
use crate::cmd::import::ImportOptions;
use crate::cmd::inspect::InspectOptions;
use crate::cmd::link::LinkCmdOptions;
use crate::cmd::sample::{SampleFormats, SampleOptions};
use crate::cmd::score::ScoreOptions;
use crate::cmd::status::StatusOptions;
use crate::config::{Command, Config};
use crate::error::{Error, Result};
use crate::identity::{Date, parse_date};
use crate::link::person::Role;
use crate::load::SourceKind;

#[derive(Debug, Parser)]
#[command(
    name = "bidui",
    version,
    about = "比对：核对全员人口信息系统（WIS）与户籍、婚姻登记、出生医学证明的数据",
    long_about = "bidui (比对) reconciles the population information system (WIS) with the \
                  household, marriage and birth-certificate registers and writes one \
                  workbook per village for verification."
)]
pub struct Cli {
    /// No progress bars or notes on standard error (errors still show)
    #[arg(short, long, global = true)]
    pub quiet: bool,

    /// More notes on standard error (-vv for even more)
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    pub verbose: u8,

    /// Worker threads for matching (default: every core)
    #[arg(long, global = true, value_name = "N")]
    pub threads: Option<NonZeroUsize>,

    #[command(subcommand)]
    pub command: CliCommand,
}

#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Explain ID numbers: cleaned form, validity and why, region, birth date,
    /// sex, and the likely correct number for a mistyped one
    Id(IdArgs),
    /// Show what bidui reads in one export file: format, encoding, sheets,
    /// header row, which column became which field, and data-quality counts
    Inspect(InspectArgs),
    /// Link the person records of two registers and write every pair with
    /// its band, weight and explanation
    Link(LinkArgs),
    /// Write a synthetic county (all four registers, with known answers) for
    /// demos, training and tests
    Sample(SampleArgs),
    /// Score a cases file or a pairs file against a synthetic county's truth
    Score(ScoreArgs),
    /// The monthly check: load every register named in a config file, link
    /// WIS with the others and write every discrepancy (one workbook per
    /// village, summary.xlsx, cases.csv, summary.json) into the period's folder
    Check(CheckArgs),
    /// Read the villages' filled workbooks back into the ledger
    Import(ImportArgs),
    /// Per village: cases sent, answered, not answered and overdue, by category
    Status(StatusArgs),
    /// Write the answers that call for a WIS correction (xlsx and CSV)
    Corrections(CorrectionsArgs),
}

/// Where the ledger is: `--ledger`, else the config's `ledger`, else
/// bidui-ledger.sqlite in the output folder (`--out`, the config's
/// `output`, else the current folder).
#[derive(Debug, Args)]
pub struct LedgerArgs {
    /// The ledger file (default: bidui-ledger.sqlite in the output folder)
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,

    /// The county's config file: its output folder and ledger
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The output folder bidui check writes to (default: the current folder)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Filled village workbooks, or folders of them
    #[arg(value_name = "DIR|FILE", required = true)]
    pub paths: Vec<PathBuf>,

    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// Print the report as one JSON object on standard output
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// The period to show (default: the latest)
    #[arg(long, value_name = "NAME")]
    pub period: Option<String>,

    /// Print one JSON object, for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CorrectionsArgs {
    #[command(flatten)]
    pub ledger: LedgerArgs,

    /// The period (default: the latest)
    #[arg(long, value_name = "NAME")]
    pub period: Option<String>,

    /// The folder to write corrections.xlsx and corrections.csv to
    /// (default: the period's folder in the output folder)
    #[arg(long, value_name = "DIR")]
    pub to: Option<PathBuf>,

    /// Print one JSON object, for scripts
    #[arg(long)]
    pub json: bool,
}

impl LedgerArgs {
    /// The ledger's path and the output folder.
    fn place(self) -> Result<(PathBuf, PathBuf)> {
        if let Some(config) = self.config {
            let overrides = crate::check::config::Overrides {
                output: self.out,
                ledger: self.ledger,
                ..Default::default()
            };
            let o = crate::check::config::read(&config, &overrides, Date::today())?;
            return Ok((o.ledger, o.output));
        }
        let ledger = match (&self.ledger, &self.out) {
            (Some(l), _) => l.clone(),
            (None, Some(o)) => o.join(crate::ledger::FILE_NAME),
            (None, None) => PathBuf::from(crate::ledger::FILE_NAME),
        };
        let output = match (self.out, self.ledger) {
            (Some(o), _) => o,
            (None, Some(l)) => l
                .parent()
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(".")),
            (None, None) => PathBuf::from("."),
        };
        Ok((ledger, output))
    }
}

fn period_arg(period: Option<String>) -> Result<Option<String>> {
    period
        .map(|p| crate::check::period::check_period(&p))
        .transpose()
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The county's config file (TOML; see examples/county.toml)
    #[arg(long, value_name = "FILE", conflicts_with_all = ["wis", "household", "marriage", "birth"])]
    pub config: Option<PathBuf>,

    /// Quick use without a config: the WIS export (a file or a folder; may be repeated)
    #[arg(long, value_name = "PATH")]
    pub wis: Vec<PathBuf>,

    /// Quick use: the household register's export (a file or a folder; may be repeated)
    #[arg(long, value_name = "PATH")]
    pub household: Vec<PathBuf>,

    /// Quick use: the marriage register's export (a file or a folder; may be repeated)
    #[arg(long, value_name = "PATH")]
    pub marriage: Vec<PathBuf>,

    /// Quick use: birth certificates / delivery records (a file or a folder; may be repeated)
    #[arg(long, value_name = "PATH")]
    pub birth: Vec<PathBuf>,

    /// The output folder; the results go into its period folder (overrides
    /// `output`; without a config, default the current folder)
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The period's folder name (overrides `period`; default YYYY-MM of the as-of date)
    #[arg(long, value_name = "NAME")]
    pub period: Option<String>,

    /// Replace the period's folder when it exists
    #[arg(long)]
    pub force: bool,

    /// Hide the middle digits of ID numbers in the village workbooks
    #[arg(long)]
    pub mask_ids: bool,

    /// The date of the check (overrides `as_of`; default today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// The ledger file (overrides `ledger`; default bidui-ledger.sqlite in the output folder)
    #[arg(long, value_name = "FILE")]
    pub ledger: Option<PathBuf>,

    /// Load and check every input, print what would be done, write nothing
    #[arg(long)]
    pub dry_run: bool,

    /// Print the summary as one JSON object on standard output
    #[arg(long)]
    pub json: bool,

    /// Exit with status 1 when any case is found
    #[arg(long)]
    pub fail_on_cases: bool,
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    /// The export file (csv, tsv, txt, xlsx, xls …; the format is told from its bytes)
    #[arg(value_name = "FILE")]
    pub file: PathBuf,

    /// The register: wis, household, marriage or birth (guessed when not given)
    #[arg(long, value_name = "KIND")]
    pub source: Option<SourceKind>,

    /// Read only this sheet of a workbook
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,

    /// The text encoding of a CSV file (gbk, gb18030, utf-8 …), overriding detection
    #[arg(long, value_name = "LABEL")]
    pub encoding: Option<String>,

    /// A TOML profile with extra header aliases or an explicit column map
    #[arg(long, value_name = "FILE")]
    pub profile: Option<PathBuf>,

    /// The largest file to read, e.g. 800M or 2G (default 1G)
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    pub max_file_size: Option<u64>,

    /// The date birth dates may not be after (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Print one JSON object, for scripts
    #[arg(long)]
    pub json: bool,
}

/// `800M`, `2G`, `1.5G`, or a plain number of megabytes.
fn parse_size(text: &str) -> std::result::Result<u64, String> {
    let t = text.trim().to_ascii_uppercase();
    let t = t.strip_suffix('B').unwrap_or(&t);
    let (number, unit) = match t.char_indices().last() {
        Some((i, 'K')) => (&t[..i], 1u64 << 10),
        Some((i, 'M')) => (&t[..i], 1 << 20),
        Some((i, 'G')) => (&t[..i], 1 << 30),
        _ => (t, 1 << 20),
    };
    match number.trim().parse::<f64>() {
        Ok(n) if n > 0.0 && n.is_finite() => Ok((n * unit as f64) as u64),
        _ => Err(format!("“{text}”不是文件大小；例如 800M 或 2G")),
    }
}

#[derive(Debug, Args)]
pub struct LinkArgs {
    /// The left register's export: a file, or a folder of files (one per town …)
    #[arg(value_name = "LEFT")]
    pub left: PathBuf,

    /// The right register's export: a file or a folder
    #[arg(value_name = "RIGHT")]
    pub right: PathBuf,

    /// The left register, with the role linked: wis, household,
    /// marriage[:female|male], birth[:mother|father|child]
    #[arg(long = "left", value_name = "KIND[:ROLE]")]
    pub left_source: String,

    /// The right register, as --left
    #[arg(long = "right", value_name = "KIND[:ROLE]")]
    pub right_source: String,

    /// The pairs file to write (CSV, UTF-8 with BOM)
    #[arg(short, long, value_name = "FILE")]
    pub output: PathBuf,

    /// Match weight (bits) from which a pair is the same person
    #[arg(long, default_value_t = crate::link::Thresholds::default().link, value_name = "BITS")]
    pub link_threshold: f64,

    /// Match weight (bits) from which a pair goes to the village to confirm
    #[arg(long, default_value_t = crate::link::Thresholds::default().review, value_name = "BITS")]
    pub review_threshold: f64,

    /// The date birth dates may not be after (default: today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Print the summary as one JSON object on standard output
    #[arg(long)]
    pub json: bool,
}

/// `birth:mother` → the register and the role linked.
fn source_and_role(text: &str, flag: &str) -> Result<(SourceKind, Role)> {
    let (kind, role) = match text.split_once(':') {
        Some((k, r)) => (k, Some(r)),
        None => (text, None),
    };
    let kind: SourceKind = kind
        .parse()
        .map_err(|e| Error::Usage(format!("{flag}：{e}")))?;
    let role = match role {
        Some(r) => r
            .parse::<Role>()
            .map_err(|e| Error::Usage(format!("{flag}：{e}")))?,
        None => Role::default_for(kind),
    };
    if !role.allowed(kind) {
        return Err(Error::Usage(format!("{flag}：{kind} 没有“{role}”这一角色")));
    }
    Ok((kind, role))
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum FormatsArg {
    /// each register as its real system writes it
    Mixed,
    /// every register as CSV
    Csv,
    /// every register as xlsx
    Xlsx,
}

#[derive(Debug, Args)]
pub struct SampleArgs {
    /// How many people live in the county
    #[arg(long, default_value_t = 2000, value_name = "N")]
    pub people: usize,

    /// The seed: the same seed gives byte-identical files
    #[arg(long, default_value_t = 1, value_name = "S")]
    pub seed: u64,

    /// The folder to write
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,

    /// File formats of the registers
    #[arg(long, value_enum, default_value = "mixed")]
    pub formats: FormatsArg,

    /// The date the county is seen on (default 2026-06-30, so output never depends on today)
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,

    /// Replace the folder if it exists
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The truth folder of a synthetic county (…/truth)
    #[arg(long, value_name = "DIR")]
    pub truth: PathBuf,

    /// A cases file to score (cases.csv of bidui check)
    #[arg(long, value_name = "FILE", required_unless_present = "pairs")]
    pub cases: Option<PathBuf>,

    /// A pairs file to score (of bidui link)
    #[arg(long, value_name = "FILE")]
    pub pairs: Option<PathBuf>,

    /// Print one JSON object, for scripts
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct IdArgs {
    /// ID numbers; without any, one number per line is read from standard input
    #[arg(value_name = "NUMBER")]
    pub numbers: Vec<String>,

    /// One JSON object per line, for scripts
    #[arg(long)]
    pub json: bool,

    /// Exit with status 1 when any number is invalid
    #[arg(long)]
    pub fail_on_cases: bool,

    /// The date birth dates may not be after (default: today), e.g. 2026-06-30
    #[arg(long, value_name = "DATE")]
    pub as_of: Option<String>,
}

impl Cli {
    /// Checks what clap cannot and gives the configuration.
    pub fn into_config(self) -> Result<Config> {
        let command = match self.command {
            CliCommand::Id(args) => Command::Id(IdOptions {
                as_of: as_of_date(args.as_of.as_deref())?,
                numbers: args.numbers,
                json: args.json,
                fail_on_invalid: args.fail_on_cases,
            }),
            CliCommand::Inspect(args) => Command::Inspect(InspectOptions {
                file: args.file,
                source: args.source,
                sheet: args.sheet,
                encoding: args.encoding,
                profile: args.profile,
                max_file_size: args
                    .max_file_size
                    .unwrap_or(crate::load::DEFAULT_MAX_FILE_SIZE),
                as_of: as_of_date(args.as_of.as_deref())?,
                json: args.json,
            }),
            CliCommand::Link(args) => {
                let (left_kind, left_role) = source_and_role(&args.left_source, "--left")?;
                let (right_kind, right_role) = source_and_role(&args.right_source, "--right")?;
                if args.review_threshold > args.link_threshold {
                    return Err(Error::Usage(
                        "--review-threshold 不能高于 --link-threshold".into(),
                    ));
                }
                Command::Link(LinkCmdOptions {
                    left: args.left,
                    left_kind,
                    left_role,
                    right: args.right,
                    right_kind,
                    right_role,
                    output: args.output,
                    thresholds: crate::link::Thresholds {
                        link: args.link_threshold,
                        review: args.review_threshold,
                    },
                    as_of: as_of_date(args.as_of.as_deref())?,
                    json: args.json,
                    quiet: self.quiet,
                })
            }
            CliCommand::Sample(args) => Command::Sample(SampleOptions {
                people: args.people,
                seed: args.seed,
                out: args.out,
                formats: match args.formats {
                    FormatsArg::Mixed => SampleFormats::Mixed,
                    FormatsArg::Csv => SampleFormats::Csv,
                    FormatsArg::Xlsx => SampleFormats::Xlsx,
                },
                as_of: match args.as_of.as_deref() {
                    Some(text) => as_of_date(Some(text))?,
                    None => Date::from_ymd(2026, 6, 30).expect("a real date"),
                },
                force: args.force,
            }),
            CliCommand::Check(args) => {
                let overrides = crate::check::config::Overrides {
                    as_of: match args.as_of.as_deref() {
                        Some(text) => Some(as_of_date(Some(text))?),
                        None => None,
                    },
                    output: args.out,
                    period: args.period,
                    ledger: args.ledger,
                };
                let mut options = match args.config {
                    Some(config) => crate::check::config::read(&config, &overrides, Date::today())?,
                    None => crate::check::config::from_paths(
                        vec![
                            (SourceKind::Wis, args.wis),
                            (SourceKind::Household, args.household),
                            (SourceKind::Marriage, args.marriage),
                            (SourceKind::Birth, args.birth),
                        ],
                        &overrides,
                        Date::today(),
                    )?,
                };
                options.dry_run = args.dry_run;
                options.json = args.json;
                options.fail_on_cases = args.fail_on_cases;
                options.force |= args.force;
                options.mask_ids = args.mask_ids;
                options.quiet = self.quiet;
                Command::Check(Box::new(options))
            }
            CliCommand::Import(args) => {
                let (ledger, _) = args.ledger.place()?;
                Command::Import(ImportOptions {
                    paths: args.paths,
                    ledger,
                    json: args.json,
                    quiet: self.quiet,
                })
            }
            CliCommand::Status(args) => {
                let (ledger, _) = args.ledger.place()?;
                Command::Status(StatusOptions {
                    ledger,
                    period: period_arg(args.period)?,
                    json: args.json,
                })
            }
            CliCommand::Corrections(args) => {
                let (ledger, output) = args.ledger.place()?;
                Command::Corrections(CorrectionsOptions {
                    ledger,
                    output,
                    period: period_arg(args.period)?,
                    to: args.to,
                    json: args.json,
                    quiet: self.quiet,
                })
            }
            CliCommand::Score(args) => Command::Score(ScoreOptions {
                truth: args.truth,
                cases: args.cases,
                pairs: args.pairs,
                json: args.json,
            }),
        };
        Ok(Config {
            quiet: self.quiet,
            verbosity: self.verbose,
            threads: self.threads,
            command,
        })
    }
}

fn as_of_date(raw: Option<&str>) -> Result<Date> {
    match raw {
        None => Ok(Date::today()),
        Some(text) => match parse_date(text) {
            Ok(Some(date)) => Ok(date),
            Ok(None) => Err(Error::Usage("--as-of 需要一个日期，例如 2026-06-30".into())),
            Err(e) => Err(Error::Usage(format!("--as-of：{e}"))),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config(args: &[&str]) -> Result<Config> {
        let cli = Cli::try_parse_from(std::iter::once("bidui").chain(args.iter().copied()))
            .map_err(|e| Error::Usage(e.to_string()))?;
        cli.into_config()
    }

    #[test]
    fn the_command_line_becomes_a_config() {
        let c = config(&["-q", "-vv", "--threads", "3", "id", "--json", "123"]).unwrap();
        assert!(c.quiet);
        assert_eq!(c.verbosity, 2);
        assert_eq!(c.threads.map(NonZeroUsize::get), Some(3));
        let Command::Id(id) = c.command else {
            panic!("not the id command")
        };
        assert!(id.json);
        assert_eq!(id.numbers, vec!["123".to_string()]);
    }

    #[test]
    fn check_takes_the_period_force_and_mask_flags() {
        let quick = ["check", "--wis", "w.csv", "--household", "h.csv"];
        let check = |more: &[&str]| -> crate::check::config::CheckOptions {
            let args: Vec<&str> = quick.iter().chain(more).copied().collect();
            match config(&args).unwrap().command {
                Command::Check(options) => *options,
                _ => panic!("not the check command"),
            }
        };
        let o = check(&["--as-of", "2026-06-30"]);
        assert_eq!(o.period, "2026-06");
        assert!(!o.force && !o.mask_ids);
        let o = check(&[
            "--as-of",
            "2026-06-30",
            "--period",
            "2026-06b",
            "--force",
            "--mask-ids",
        ]);
        assert_eq!(o.period, "2026-06b");
        assert!(o.force && o.mask_ids);
        let mut args = quick.to_vec();
        args.extend(["--period", "a/b"]);
        let err = config(&args).expect_err("a/b");
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
        assert!(err.to_string().contains("期次"), "{err}");
    }

    #[test]
    fn bad_values_are_usage_errors() {
        let cases: &[(&[&str], &str)] = &[
            (&["--threads", "0", "id"], "--threads"),
            (&["--threads", "many", "id"], "--threads"),
            (&["id", "--as-of", "2026-02-30"], "不是真实存在的日期"),
            (&["id", "--as-of", "明天"], "不是可识别的日期格式"),
            (&["frobnicate"], "frobnicate"),
        ];
        for (args, fragment) in cases {
            let err = config(args).expect_err(&format!("{args:?}"));
            assert!(matches!(err, Error::Usage(_)), "{args:?}: {err:?}");
            assert!(err.to_string().contains(fragment), "{args:?}: {err}");
        }
    }
}
