//! Errors of the library, typed, with the place they concern.
//!
//! Takes the failures of every stage and gives one [`Error`] type whose
//! message names the file, sheet, row and column where they apply, in words
//! a statistician understands, keeps the underlying cause as its source,
//! and maps to an [`ExitCode`]. No message carries a full ID number.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::exit::ExitCode;

/// Where in the user's files something is: as much of file, sheet, row
/// (as the person sees it in the file) and column as is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Location {
    pub file: Option<PathBuf>,
    pub sheet: Option<String>,
    pub row: Option<u64>,
    pub column: Option<String>,
}

impl Location {
    pub fn file(path: impl Into<PathBuf>) -> Location {
        Location {
            file: Some(path.into()),
            ..Location::default()
        }
    }

    pub fn sheet(mut self, sheet: impl Into<String>) -> Location {
        self.sheet = Some(sheet.into());
        self
    }

    pub fn row(mut self, row: u64) -> Location {
        self.row = Some(row);
        self
    }

    pub fn column(mut self, column: impl Into<String>) -> Location {
        self.column = Some(column.into());
        self
    }
}

impl fmt::Display for Location {
    /// `文件 a.csv，工作表“一村”，第 12 行，“身份证号”列`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts = Vec::new();
        if let Some(file) = &self.file {
            parts.push(format!("文件 {}", file.display()));
        }
        if let Some(sheet) = &self.sheet {
            parts.push(format!("工作表“{sheet}”"));
        }
        if let Some(row) = self.row {
            parts.push(format!("第 {row} 行"));
        }
        if let Some(column) = &self.column {
            parts.push(format!("“{column}”列"));
        }
        if parts.is_empty() {
            f.write_str("标准输入")
        } else {
            f.write_str(&parts.join("，"))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line or the configuration asks for something impossible.
    #[error("用法错误：{0}")]
    Usage(String),

    /// An input could not be read.
    #[error("无法读取 {location}：{source}")]
    Read {
        location: Location,
        #[source]
        source: io::Error,
    },

    /// An output could not be written.
    #[error("无法写出 {target}：{source}")]
    Write {
        target: String,
        #[source]
        source: io::Error,
    },
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::Usage,
            Error::Read { .. } => ExitCode::Input,
            Error::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe => {
                ExitCode::Success
            }
            Error::Write { .. } => ExitCode::Output,
        }
    }

    /// A write to standard output failed.
    pub fn stdout(source: io::Error) -> Error {
        Error::Write {
            target: "标准输出".into(),
            source,
        }
    }

    /// Whether the reader of our output went away (`| head`): not an error.
    pub fn is_broken_pipe(&self) -> bool {
        matches!(self, Error::Write { source, .. } if source.kind() == io::ErrorKind::BrokenPipe)
    }

    /// The message with its chain of causes, one per line, as `bidui`
    /// prints it on standard error.
    pub fn report(&self) -> String {
        let mut out = format!("bidui: {self}");
        let mut source = std::error::Error::source(self);
        // The first source is already part of the message.
        if let Some(first) = source {
            source = first.source();
        }
        while let Some(cause) = source {
            out.push_str(&format!("\n  原因：{cause}"));
            source = cause.source();
        }
        out
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_read_as_a_person_finds_the_cell() {
        let cases = [
            (Location::default(), "标准输入"),
            (Location::file("户籍.csv"), "文件 户籍.csv"),
            (
                Location::file("户籍.csv").row(12),
                "文件 户籍.csv，第 12 行",
            ),
            (
                Location::file("wis.xlsx")
                    .sheet("一村")
                    .row(3)
                    .column("身份证号"),
                "文件 wis.xlsx，工作表“一村”，第 3 行，“身份证号”列",
            ),
        ];
        for (loc, text) in cases {
            assert_eq!(loc.to_string(), text);
        }
    }

    #[test]
    fn errors_map_to_exit_codes() {
        let io = |kind| io::Error::new(kind, "x");
        let cases = [
            (Error::Usage("x".into()), ExitCode::Usage),
            (
                Error::Read {
                    location: Location::file("a.csv"),
                    source: io(io::ErrorKind::NotFound),
                },
                ExitCode::Input,
            ),
            (Error::stdout(io(io::ErrorKind::Other)), ExitCode::Output),
            (
                Error::stdout(io(io::ErrorKind::BrokenPipe)),
                ExitCode::Success,
            ),
        ];
        for (err, code) in cases {
            assert_eq!(err.exit_code(), code, "{err}");
        }
    }

    #[test]
    fn report_names_the_file_and_the_cause() {
        let err = Error::Read {
            location: Location::file("户籍.csv").row(7),
            source: io::Error::new(io::ErrorKind::NotFound, "没有那个文件"),
        };
        assert_eq!(
            err.report(),
            "bidui: 无法读取 文件 户籍.csv，第 7 行：没有那个文件"
        );
    }
}
