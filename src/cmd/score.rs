//! `bidui score`: precision, recall and F1 of a cases or pairs file against
//! a truth folder.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::exit::ExitCode;

#[derive(Clone, Debug)]
pub struct ScoreOptions {
    pub truth: PathBuf,
    pub cases: Option<PathBuf>,
    pub pairs: Option<PathBuf>,
    pub json: bool,
}

pub fn run(_options: &ScoreOptions, _out: &mut dyn Write) -> Result<ExitCode> {
    Err(Error::Usage("bidui score: not built yet".into()))
}
