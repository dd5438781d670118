//! The ledger: what was sent to the villages and what they answered,
//! month after month.
//!
//! Takes a path and gives an open, migrated SQLite database ([`Ledger`]):
//! `bidui check` records each run and the cases it found ([`month`]),
//! `bidui import` records the villages' answers ([`answers`]), `bidui
//! status` and `bidui corrections` read both. Every command's writes go in
//! one transaction ([`Ledger::begin`]), so a run or an import killed midway
//! leaves the ledger as it was. Tables and states: docs/import.md.

pub mod answers;
pub mod month;
pub mod schema;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension, TransactionBehavior};
use serde::Serialize;

use crate::error::{Error, InputProblem, Location, Result};
use crate::identity::{Date, parse_date};

/// The ledger's file name in the output folder, unless config `ledger` or
/// `--ledger` moves it.
pub const FILE_NAME: &str = "bidui-ledger.sqlite";

/// How long a command waits for another one (an import while a check
/// writes) before giving up.
const BUSY_WAIT: Duration = Duration::from_secs(30);

/// What a case is this month, against the ledger.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CaseStatus {
    /// Not found by the previous run.
    New,
    /// Found by the previous run too.
    Persisting,
    /// Answered 属实需更正, the answer's deadline has passed, and still found:
    /// 逾期未更正.
    Overdue,
    /// Answered 信息无误 and its data unchanged since: not sent again.
    Confirmed,
}

impl CaseStatus {
    pub const ALL: [CaseStatus; 4] = [
        CaseStatus::New,
        CaseStatus::Persisting,
        CaseStatus::Overdue,
        CaseStatus::Confirmed,
    ];

    /// The word in cases.csv and the ledger.
    pub fn key(self) -> &'static str {
        match self {
            CaseStatus::New => "new",
            CaseStatus::Persisting => "persisting",
            CaseStatus::Overdue => "overdue",
            CaseStatus::Confirmed => "confirmed",
        }
    }

    /// The statistician's word.
    pub fn label(self) -> &'static str {
        match self {
            CaseStatus::New => "新发现",
            CaseStatus::Persisting => "上期仍在",
            CaseStatus::Overdue => "逾期未更正",
            CaseStatus::Confirmed => "已确认无误",
        }
    }

    pub fn from_key(key: &str) -> Option<CaseStatus> {
        CaseStatus::ALL.into_iter().find(|s| s.key() == key)
    }
}

/// A run's counts, month over month (docs/import.md).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every case classification found.
    pub found: u64,
    /// The cases in cases.csv: found, less the confirmed ones.
    pub reported: u64,
    pub new: u64,
    pub persisting: u64,
    pub overdue: u64,
    /// Reported by the previous run and not found by this one.
    pub resolved: u64,
    /// Answered 信息无误 with data unchanged: not sent.
    pub confirmed: u64,
}

impl Counts {
    /// The month-over-month figures in the order the trend shows them:
    /// reported, new, persisting, overdue, resolved, confirmed.
    pub fn trend(&self) -> [u64; 6] {
        [
            self.reported,
            self.new,
            self.persisting,
            self.overdue,
            self.resolved,
            self.confirmed,
        ]
    }
}

/// One check's run as the ledger keeps it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Run {
    pub period: String,
    /// The county's 6-digit code (empty when no case carried a village code).
    pub county: String,
    pub county_name: String,
    pub as_of: Date,
    /// The date the villages' answers are due.
    pub deadline: Date,
    /// When the run was recorded (Beijing time).
    pub run_at: String,
    /// The period this run was compared with.
    pub previous: Option<String>,
    pub counts: Counts,
}

/// An open ledger.
pub struct Ledger {
    conn: Connection,
    path: PathBuf,
}

impl Ledger {
    /// Opens the ledger at `path`, creating it (and its folder) when missing:
    /// for `bidui check`, which starts it.
    pub fn create_or_open(path: &Path) -> Result<Ledger> {
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|source| Error::Write {
                target: parent.display().to_string(),
                source,
            })?;
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        Ledger::open_with(path, flags)
    }

    /// Opens an existing ledger: for import, status and corrections, which
    /// have nothing to read without one.
    pub fn open(path: &Path) -> Result<Ledger> {
        if !path.is_file() {
            return Err(Error::Usage(format!(
                "没有找到账本 {}：先运行 bidui check；账本不在输出文件夹时用 --ledger 指定，或用 --out / --config 指明输出文件夹",
                path.display()
            )));
        }
        Ledger::open_with(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }

    fn open_with(path: &Path, flags: OpenFlags) -> Result<Ledger> {
        let mut conn = Connection::open_with_flags(path, flags).map_err(|e| db(path, e))?;
        conn.busy_timeout(BUSY_WAIT).map_err(|e| db(path, e))?;
        // A month of a county's cases is tens of megabytes; SQLite's
        // default 2 MB page cache would reread the tables on every pass.
        conn.pragma_update(None, "cache_size", -65_536)
            .map_err(|e| db(path, e))?;
        match schema::migrate(&mut conn) {
            Ok(_) => {}
            Err(schema::SchemaError::Newer(v)) => {
                return Err(Error::Usage(format!(
                    "账本 {} 由更新版本的 bidui 写成（账本版本 {v}，本程序只认识到 {}）；请升级 bidui",
                    path.display(),
                    schema::VERSION
                )));
            }
            Err(schema::SchemaError::Sqlite(e)) => return Err(db(path, e)),
        }
        Ok(Ledger {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts the one transaction of a command's writes; it holds the
    /// ledger's write lock until it is committed or dropped (rolled back).
    pub fn begin(&mut self) -> Result<Session<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| db(&self.path, e))?;
        Ok(Session {
            tx,
            path: &self.path,
        })
    }

    /// Every run, oldest first (by as-of date, then period).
    pub fn runs(&self) -> Result<Vec<Run>> {
        runs(&self.conn).map_err(|e| db(&self.path, e))
    }

    /// The run of a period, where there is one.
    pub fn run(&self, period: &str) -> Result<Option<Run>> {
        run(&self.conn, period).map_err(|e| db(&self.path, e))
    }

    /// The connection, for the readers of this module.
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// A command's writes, all in one transaction.
pub struct Session<'a> {
    tx: rusqlite::Transaction<'a>,
    path: &'a Path,
}

impl Session<'_> {
    /// Makes every write of the session durable at once.
    pub fn commit(self) -> Result<()> {
        let path = self.path;
        self.tx.commit().map_err(|e| db(path, e))
    }

    pub fn path(&self) -> &Path {
        self.path
    }

    pub fn runs(&self) -> Result<Vec<Run>> {
        runs(&self.tx).map_err(|e| db(self.path, e))
    }

    pub fn run(&self, period: &str) -> Result<Option<Run>> {
        run(&self.tx, period).map_err(|e| db(self.path, e))
    }
}

const RUN_COLUMNS: &str = "period, county, county_name, as_of, deadline, run_at, previous, \
     found, reported, new, persisting, overdue, resolved, confirmed";

fn run_of(r: &rusqlite::Row<'_>) -> rusqlite::Result<Run> {
    let date = |i: usize| -> rusqlite::Result<Date> {
        let text: String = r.get(i)?;
        stored_date(&text).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                i,
                rusqlite::types::Type::Text,
                format!("not a date: {text}").into(),
            )
        })
    };
    let n = |i: usize| -> rusqlite::Result<u64> { r.get::<_, i64>(i).map(|v| v.max(0) as u64) };
    Ok(Run {
        period: r.get(0)?,
        county: r.get(1)?,
        county_name: r.get(2)?,
        as_of: date(3)?,
        deadline: date(4)?,
        run_at: r.get(5)?,
        previous: r.get(6)?,
        counts: Counts {
            found: n(7)?,
            reported: n(8)?,
            new: n(9)?,
            persisting: n(10)?,
            overdue: n(11)?,
            resolved: n(12)?,
            confirmed: n(13)?,
        },
    })
}

fn runs(conn: &Connection) -> rusqlite::Result<Vec<Run>> {
    let mut st = conn.prepare_cached(&format!(
        "SELECT {RUN_COLUMNS} FROM runs ORDER BY as_of, period"
    ))?;
    st.query_map([], run_of)?.collect()
}

fn run(conn: &Connection, period: &str) -> rusqlite::Result<Option<Run>> {
    conn.query_row(
        &format!("SELECT {RUN_COLUMNS} FROM runs WHERE period = ?1"),
        [period],
        run_of,
    )
    .optional()
}

/// A date as the ledger stores it (`YYYY-MM-DD`).
fn stored_date(text: &str) -> Option<Date> {
    parse_date(text).ok().flatten()
}

/// Now in Beijing time, `2026-07-03 14:05:09+08:00`: when a run or an
/// answer was recorded.
pub fn now() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0)
        + 8 * 3600;
    let day = Date::from_days_since_epoch(secs.div_euclid(86_400));
    let s = secs.rem_euclid(86_400);
    format!(
        "{day} {:02}:{:02}:{:02}+08:00",
        s / 3600,
        s / 60 % 60,
        s % 60
    )
}

/// A ledger error in the statistician's words: busy, damaged, or not
/// writable.
pub(crate) fn db(path: &Path, e: rusqlite::Error) -> Error {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::NotADatabase | C::DatabaseCorrupt) => Error::input_because(
            Location::file(path),
            InputProblem::Damaged {
                detail: "不是 bidui 账本（SQLite 数据库），或账本已损坏".into(),
            },
            e,
        ),
        Some(C::DatabaseBusy | C::DatabaseLocked) => Error::Write {
            target: path.display().to_string(),
            source: std::io::Error::other(format!(
                "账本正被另一个 bidui（check 或 import）使用，等待 {} 秒后仍未释放；稍后再试",
                BUSY_WAIT.as_secs()
            )),
        },
        _ => Error::Write {
            target: path.display().to_string(),
            source: std::io::Error::other(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_read_back_from_their_keys() {
        for s in CaseStatus::ALL {
            assert_eq!(CaseStatus::from_key(s.key()), Some(s));
        }
        assert_eq!(CaseStatus::from_key("resolved"), None);
    }

    #[test]
    fn now_is_a_beijing_timestamp() {
        let t = now();
        assert_eq!(t.len(), "2026-07-03 14:05:09+08:00".len(), "{t}");
        assert!(t.ends_with("+08:00"), "{t}");
        assert!(stored_date(&t[..10]).is_some(), "{t}");
    }

    #[test]
    fn opening_a_missing_ledger_says_to_run_check_first() {
        let dir = tempfile::tempdir().unwrap();
        let err = Ledger::open(&dir.path().join("x.sqlite")).err().unwrap();
        assert!(matches!(err, Error::Usage(_)), "{err:?}");
        assert!(err.to_string().contains("bidui check"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_a_ledger_is_damaged_input() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("x.sqlite");
        std::fs::write(
            &path,
            "not a database, just text that is long enough".repeat(20),
        )
        .unwrap();
        let err = Ledger::open(&path).err().unwrap();
        assert!(
            matches!(err.input_problem(), Some(InputProblem::Damaged { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("不是 bidui 账本"), "{err}");
    }
}
