//! The validated configuration every command runs from.
//!
//! Takes nothing from clap: `cli.rs` builds a [`Config`] from the command
//! line, and tests and examples build one directly. Whatever is in a
//! `Config` has already been checked.

use std::num::NonZeroUsize;

use crate::check::config::CheckOptions;
use crate::cmd::corrections::CorrectionsOptions;
use crate::cmd::id::IdOptions;
use crate::cmd::import::ImportOptions;
use crate::cmd::inspect::InspectOptions;
use crate::cmd::link::LinkCmdOptions;
use crate::cmd::sample::SampleOptions;
use crate::cmd::score::ScoreOptions;
use crate::cmd::status::StatusOptions;

#[derive(Clone, Debug)]
pub struct Config {
    /// No progress bars and no notes on standard error; errors still show.
    pub quiet: bool,
    /// 0 normal, 1 `-v`, 2 `-vv`: more notes on standard error.
    pub verbosity: u8,
    /// Worker threads for the engine; `None` uses every core.
    pub threads: Option<NonZeroUsize>,
    pub command: Command,
}

impl Config {
    /// A configuration with the defaults of the command line.
    pub fn new(command: Command) -> Config {
        Config {
            quiet: false,
            verbosity: 0,
            threads: None,
            command,
        }
    }
}

#[derive(Clone, Debug)]
pub enum Command {
    /// `bidui id`: explain ID numbers.
    Id(IdOptions),
    /// `bidui inspect`: what bidui sees in one export file.
    Inspect(InspectOptions),
    /// `bidui link`: link the person records of two registers.
    Link(LinkCmdOptions),
    /// `bidui sample`: write a synthetic county with known answers.
    Sample(SampleOptions),
    /// `bidui score`: score a cases or pairs file against a truth folder.
    Score(ScoreOptions),
    /// `bidui check`: the monthly check of WIS against the other registers.
    Check(Box<CheckOptions>),
    /// `bidui import`: the villages' filled workbooks into the ledger.
    Import(ImportOptions),
    /// `bidui status`: per village, what was sent and what came back.
    Status(StatusOptions),
    /// `bidui corrections`: the answers that call for a WIS correction.
    Corrections(CorrectionsOptions),
}
