//! The `bidui` binary: parses the command line, runs, and maps the outcome
//! to an exit code. Everything else lives in the library.

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = bidui::cli::Cli::parse();
    let outcome = cli.into_config().and_then(|config| bidui::run(&config));
    match outcome {
        Ok(code) => code.into(),
        Err(err) => {
            if !err.is_broken_pipe() {
                eprintln!("{}", err.report());
            }
            err.exit_code().into()
        }
    }
}
