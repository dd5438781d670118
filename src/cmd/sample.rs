//! `bidui sample`: a synthetic county with known answers.

use std::io::Write;
use std::path::PathBuf;

use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::identity::Date;

/// Which file formats the registers are written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SampleFormats {
    /// Each register as its real system writes it (GBK CSV, xlsx with title
    /// rows, BIFF xls, HTML-as-xls, UTF-8-with-BOM CSV).
    Mixed,
    Csv,
    Xlsx,
}

#[derive(Clone, Debug)]
pub struct SampleOptions {
    pub people: usize,
    pub seed: u64,
    pub out: PathBuf,
    pub formats: SampleFormats,
    /// The date the county is seen on (ages, scope years, "future" dates).
    pub as_of: Date,
    /// Replace an existing output folder.
    pub force: bool,
}

pub fn run(_options: &SampleOptions, _out: &mut dyn Write, _quiet: bool) -> Result<ExitCode> {
    Err(Error::Usage("bidui sample: not built yet".into()))
}
