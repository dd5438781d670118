//! `bidui corrections`: the answers that call for a WIS correction, as one
//! workbook and one CSV for the statistician.
//!
//! Takes [`CorrectionsOptions`] (the ledger, a period — the latest by
//! default —, the folder to write to) and writes `corrections.xlsx` and
//! `corrections.csv`: every case of the period's run whose latest answer
//! is 属实需更正, with the case's data and the village's 正确值
//! ([`crate::report::corrections`]). A note on standard error, or one JSON
//! object on standard output with `--json`. See docs/import.md.

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::cmd::status::chosen_run;
use crate::error::{Error, Result};
use crate::exit::ExitCode;
use crate::ledger::{CaseStatus, Ledger};
use crate::report::corrections;

/// The validated options of `bidui corrections`.
#[derive(Clone, Debug)]
pub struct CorrectionsOptions {
    pub ledger: PathBuf,
    /// The output folder: the files go to its period folder unless `to`.
    pub output: PathBuf,
    pub period: Option<String>,
    /// The folder to write to, over `<output>/<period>/`.
    pub to: Option<PathBuf>,
    pub json: bool,
    pub quiet: bool,
}

pub fn run(options: &CorrectionsOptions, out: &mut dyn Write) -> Result<ExitCode> {
    let ledger = Ledger::open(&options.ledger)?;
    let (run, _) = chosen_run(&ledger, options.period.as_deref())?;
    let list = ledger.corrections(&run.period)?;
    let folder = options
        .to
        .clone()
        .unwrap_or_else(|| options.output.join(&run.period));
    std::fs::create_dir_all(&folder).map_err(|source| Error::Write {
        target: folder.display().to_string(),
        source,
    })?;
    let xlsx = folder.join("corrections.xlsx");
    let csv = folder.join("corrections.csv");
    corrections::write_xlsx(&xlsx, &run.period, &list)?;
    corrections::write_csv(&csv, &list)?;
    let overdue = list
        .iter()
        .filter(|c| c.status == CaseStatus::Overdue)
        .count();
    if options.json {
        let value = json!({
            "ledger": options.ledger.display().to_string(),
            "period": run.period,
            "corrections": list.len(),
            "overdue": overdue,
            "outputs": {
                "xlsx": xlsx.display().to_string(),
                "csv": csv.display().to_string(),
            },
        });
        serde_json::to_writer(&mut *out, &value).map_err(|e| Error::stdout(e.into()))?;
        writeln!(out).map_err(Error::stdout)?;
        out.flush().map_err(Error::stdout)?;
    } else if !options.quiet {
        eprintln!(
            "bidui corrections：{} 期需在 WIS 中更正 {} 条（其中逾期未更正 {} 条）；已写出 {} 和 {}",
            run.period,
            list.len(),
            overdue,
            xlsx.display(),
            csv.display()
        );
    }
    Ok(ExitCode::Success)
}
