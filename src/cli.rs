//! The command line: clap's types, and their translation into a [`Config`].
//!
//! Takes the process arguments (parsed by clap in `main.rs`) and gives a
//! validated [`Config`]; clap's types go no further than this file.

use std::num::NonZeroUsize;

use clap::{Args, Parser, Subcommand};

use crate::cmd::id::IdOptions;
use crate::config::{Command, Config};
use crate::error::{Error, Result};
use crate::identity::{Date, parse_date};

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
        let Command::Id(id) = c.command;
        assert!(id.json);
        assert_eq!(id.numbers, vec!["123".to_string()]);
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
