//! bidui (比对): reconciles the population information system (WIS) with
//! the household, marriage and birth-certificate registers.
//!
//! The pipeline, one module per stage: loading sources → normalising IDs,
//! names, dates and codes ([`identity`]) → blocking → comparing →
//! classifying discrepancies → writing reports. [`run`] takes a validated
//! [`Config`] and gives the [`ExitCode`]; `main.rs` only parses and maps.

pub mod block;
pub mod check;
pub mod classify;
pub mod cli;
pub mod cmd;
pub mod compare;
pub mod config;
pub mod error;
pub mod exit;
pub mod failpoint;
pub mod identity;
pub mod import;
pub mod ledger;
pub mod link;
pub mod load;
pub mod progress;
pub mod report;
pub mod sample;

use std::io::{self, BufWriter, IsTerminal};

pub use config::{Command, Config};
pub use error::{Error, InputProblem, Location, Result};
pub use exit::ExitCode;

/// Runs the configured command against the process's standard streams.
pub fn run(config: &Config) -> Result<ExitCode> {
    keep_freed_memory();
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = config.threads {
        builder = builder.num_threads(n.get());
    }
    let pool = builder.build().map_err(|e| {
        Error::Usage(format!(
            "无法启动 {} 个工作线程：{e}",
            threads_label(config)
        ))
    })?;
    pool.install(|| dispatch(config))
}

fn threads_label(config: &Config) -> String {
    config.threads.map_or("默认数量".into(), |n| n.to_string())
}

fn dispatch(config: &Config) -> Result<ExitCode> {
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    match &config.command {
        Command::Id(options) => {
            let stdin = io::stdin();
            if options.numbers.is_empty() && stdin.is_terminal() && !config.quiet {
                eprintln!(
                    "bidui id：请每行输入一个身份证号，输入完毕按 Ctrl-D（Windows 按 Ctrl-Z 再回车）"
                );
            }
            cmd::id::run(options, &mut stdin.lock(), &mut out)
        }
        Command::Inspect(options) => cmd::inspect::run(options, &mut out),
        Command::Link(options) => cmd::link::run(options, &mut out),
        Command::Sample(options) => cmd::sample::run(options, &mut out, config.quiet),
        Command::Score(options) => cmd::score::run(options, &mut out),
        Command::Check(options) => cmd::check::run(options, &mut out),
        Command::Import(options) => cmd::import::run(options, &mut out),
        Command::Status(options) => cmd::status::run(options, &mut out),
        Command::Corrections(options) => cmd::corrections::run(options, &mut out),
    }
}

// Large columns are allocated and freed by the million; mimalloc keeps the
// pages instead of returning them to the system after every column, which
// halves the loading stage's page faults.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells the allocator never to give freed pages back to the system while
/// the command runs. By default mimalloc returns them after a few
/// milliseconds, and the next million-row column faults them in again,
/// zeroed by the kernel: in a 1,000,000-person check that was a fifth of
/// all CPU time (docs/performance.md). A command ends when its work does,
/// so keeping the pages costs nothing after; the peak grows by a few
/// percent.
pub fn keep_freed_memory() {
    // mi_option_purge_delay: the 16th option in both mimalloc v2 and v3;
    // the Rust bindings leave it out "for stability reasons".
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: mi_option_set stores an integer option; -1 means "never
    // purge". It allocates nothing and may be called at any time.
    unsafe { libmimalloc_sys::mi_option_set(PURGE_DELAY, -1) }
}
