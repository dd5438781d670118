//! Builds a `Config` directly, as a script or a test would, and runs
//! `bidui id` through the library: `cargo run --example explain_id`.

use bidui::cmd::id::IdOptions;
use bidui::identity::Date;
use bidui::{Command, Config};

fn main() -> std::process::ExitCode {
    let config = Config::new(Command::Id(IdOptions {
        numbers: vec!["370404199001011231".into(), "370404900101123".into()],
        json: false,
        fail_on_invalid: false,
        as_of: Date::today(),
    }));
    match bidui::run(&config) {
        Ok(code) => code.into(),
        Err(err) => {
            eprintln!("{}", err.report());
            err.exit_code().into()
        }
    }
}
