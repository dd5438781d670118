//! The exit codes scripts can rely on.
//!
//! Takes the outcome of a run and gives the process status; the numbers are
//! part of the interface (the README lists them) and never change meaning.

/// How a run ended, as the shell sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[repr(u8)]
pub enum ExitCode {
    /// Done; also a reader that closed the pipe early (`bidui … | head`).
    Success = 0,
    /// The run found cases, and `--fail-on-cases` asked to be told.
    CasesFound = 1,
    /// Wrong usage or configuration.
    Usage = 2,
    /// An input could not be read or lacks a required column.
    Input = 3,
    /// An output could not be written.
    Output = 4,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(code: ExitCode) -> Self {
        std::process::ExitCode::from(code.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_documented_numbers() {
        let cases = [
            (ExitCode::Success, 0),
            (ExitCode::CasesFound, 1),
            (ExitCode::Usage, 2),
            (ExitCode::Input, 3),
            (ExitCode::Output, 4),
        ];
        for (code, n) in cases {
            assert_eq!(code.code(), n, "{code:?}");
        }
    }

    #[test]
    fn readme_lists_every_code() {
        let readme = include_str!("../README.md");
        for n in 0..=4 {
            assert!(
                readme.contains(&format!("| {n} |")),
                "README has no row for exit code {n}"
            );
        }
    }
}
