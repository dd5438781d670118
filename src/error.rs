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
    #[error("无法读取 {location}：{}", io_words(source))]
    Read {
        location: Location,
        #[source]
        source: io::Error,
    },

    /// An input file is unusable as a whole: wrong format, encrypted, empty,
    /// no header, a required column missing …
    #[error(transparent)]
    Input(Box<InputError>),

    /// An output could not be written.
    #[error("无法写出 {target}：{source}")]
    Write {
        target: String,
        #[source]
        source: io::Error,
    },
}

/// An input file that cannot be used: where, why, and the underlying cause.
#[derive(Debug, thiserror::Error)]
#[error("{location}：{problem}")]
pub struct InputError {
    pub location: Location,
    pub problem: InputProblem,
    #[source]
    pub source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

/// Why an input file cannot be used, in the statistician's words.
#[derive(Debug, thiserror::Error)]
pub enum InputProblem {
    #[error("文件是空的")]
    Empty,
    #[error("没有文件与“{pattern}”相符")]
    NoMatch { pattern: String },
    #[error("不是 bidui 能读的表格文件：看起来是{looks_like}")]
    NotATable { looks_like: String },
    #[error("工作簿设有打开密码，bidui 无法读取；请在 Excel 中取消密码后另存一份再试")]
    Encrypted,
    #[error("文件已损坏或不完整（{detail}），请重新导出")]
    Damaged { detail: String },
    #[error(
        "文件太大（{size}），超过一次可读的上限 {limit}；请按乡镇分开导出，或用 --max-file-size 放宽"
    )]
    TooLarge { size: String, limit: String },
    #[error("文本编码“{label}”不认识；可用 utf-8、gbk、gb18030、big5、utf-16le 等")]
    UnknownEncoding { label: String },
    #[error("没有名为“{name}”的工作表；本文件的工作表有：{available}")]
    NoSuchSheet { name: String, available: String },
    #[error(
        "在前 {rows_searched} 行里找不到表头行（应含“身份证号”“姓名”等列名）；前几行是：{first_rows}"
    )]
    NoHeader {
        rows_searched: usize,
        first_rows: String,
    },
    #[error(
        "作为{kind}数据，缺少必需的“{field}”列；试过的列名：{aliases}；文件里的列名：{headers}"
    )]
    MissingColumn {
        kind: &'static str,
        field: &'static str,
        aliases: String,
        headers: String,
    },
    #[error("配置文件有误：{0}")]
    Profile(String),
}

impl Error {
    /// An input problem at a place, without an underlying cause.
    pub fn input(location: Location, problem: InputProblem) -> Error {
        Error::Input(Box::new(InputError {
            location,
            problem,
            source: None,
        }))
    }

    /// An input problem with the error that revealed it.
    pub fn input_because(
        location: Location,
        problem: InputProblem,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::Input(Box::new(InputError {
            location,
            problem,
            source: Some(source.into()),
        }))
    }

    /// The input problem, for errors that are one.
    pub fn input_problem(&self) -> Option<&InputProblem> {
        match self {
            Error::Input(e) => Some(&e.problem),
            _ => None,
        }
    }

    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Usage(_) => ExitCode::Usage,
            Error::Input(e)
                if matches!(
                    e.problem,
                    InputProblem::UnknownEncoding { .. } | InputProblem::Profile(_)
                ) =>
            {
                ExitCode::Usage
            }
            Error::Read { .. } | Error::Input(_) => ExitCode::Input,
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
        // Read and Write say their first cause in their own message.
        if matches!(self, Error::Read { .. } | Error::Write { .. }) {
            source = source.and_then(|first| first.source());
        }
        while let Some(cause) = source {
            out.push_str(&format!("\n  原因：{cause}"));
            source = cause.source();
        }
        out
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The usual reasons a file cannot be opened, in Chinese; others as the
/// system words them.
fn io_words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "文件或文件夹不存在".into(),
        io::ErrorKind::PermissionDenied => "没有权限".into(),
        io::ErrorKind::IsADirectory => "这是一个文件夹，不是文件".into(),
        io::ErrorKind::StorageFull => "磁盘已满".into(),
        _ => e.to_string(),
    }
}

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
            source: io::Error::new(io::ErrorKind::NotFound, "No such file"),
        };
        assert_eq!(
            err.report(),
            "bidui: 无法读取 文件 户籍.csv，第 7 行：文件或文件夹不存在"
        );
    }
}
