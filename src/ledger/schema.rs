//! The ledger's tables, and the migrations that bring an older ledger up
//! to date.
//!
//! Takes an open SQLite connection and gives it the current schema: a new
//! file gets every migration in order, an older one the migrations it
//! lacks, each in the transaction that records its version in
//! `schema_version`. A ledger written by a newer bidui is refused rather
//! than guessed at. The tables are described in docs/import.md.

use rusqlite::{Connection, OptionalExtension};

/// Each migration, in order; `MIGRATIONS[n]` takes a ledger from version `n`
/// to `n + 1`. Never edit one that has shipped: add another.
const MIGRATIONS: &[&str] = &[
    // 1: runs, the cases each run found, the villages' answers.
    "
    CREATE TABLE runs (
        period      TEXT PRIMARY KEY,
        county      TEXT NOT NULL,
        county_name TEXT NOT NULL,
        as_of       TEXT NOT NULL,
        deadline    TEXT NOT NULL,
        run_at      TEXT NOT NULL,
        inputs      TEXT NOT NULL,
        previous    TEXT,
        found       INTEGER NOT NULL,
        reported    INTEGER NOT NULL,
        new         INTEGER NOT NULL,
        persisting  INTEGER NOT NULL,
        overdue     INTEGER NOT NULL,
        resolved    INTEGER NOT NULL,
        confirmed   INTEGER NOT NULL
    );
    CREATE TABLE cases (
        period       TEXT NOT NULL,
        case_id      TEXT NOT NULL,
        category     TEXT NOT NULL,
        village_code TEXT NOT NULL,
        village      TEXT NOT NULL,
        status       TEXT NOT NULL
                     CHECK (status IN ('new', 'persisting', 'overdue', 'confirmed')),
        digest       TEXT NOT NULL,
        source       TEXT NOT NULL,
        file         TEXT NOT NULL,
        sheet        TEXT NOT NULL,
        row          INTEGER NOT NULL,
        field        TEXT NOT NULL,
        name         TEXT NOT NULL,
        id_number    TEXT NOT NULL,
        value        TEXT NOT NULL,
        other_value  TEXT NOT NULL,
        note         TEXT NOT NULL,
        PRIMARY KEY (period, case_id)
    ) WITHOUT ROWID;
    CREATE INDEX cases_by_id ON cases (case_id);
    CREATE TABLE answers (
        period        TEXT NOT NULL,
        case_id       TEXT NOT NULL,
        answer        TEXT NOT NULL,
        correct_value TEXT NOT NULL,
        verifier      TEXT NOT NULL,
        verified_on   TEXT,
        remark        TEXT NOT NULL,
        file          TEXT NOT NULL,
        sheet         TEXT NOT NULL,
        row           INTEGER NOT NULL,
        imported_at   TEXT NOT NULL,
        PRIMARY KEY (period, case_id)
    ) WITHOUT ROWID;
    CREATE INDEX answers_by_id ON answers (case_id);
    CREATE TABLE answer_history (
        period        TEXT NOT NULL,
        case_id       TEXT NOT NULL,
        answer        TEXT NOT NULL,
        correct_value TEXT NOT NULL,
        verifier      TEXT NOT NULL,
        verified_on   TEXT,
        remark        TEXT NOT NULL,
        file          TEXT NOT NULL,
        sheet         TEXT NOT NULL,
        row           INTEGER NOT NULL,
        imported_at   TEXT NOT NULL,
        replaced_at   TEXT NOT NULL
    );
    ",
];

/// The version this bidui writes.
pub const VERSION: u32 = MIGRATIONS.len() as u32;

/// Why a ledger's schema can't be used.
#[derive(Debug)]
pub enum SchemaError {
    /// Written by a newer bidui.
    Newer(u32),
    Sqlite(rusqlite::Error),
}

impl From<rusqlite::Error> for SchemaError {
    fn from(e: rusqlite::Error) -> Self {
        SchemaError::Sqlite(e)
    }
}

/// The schema version of the ledger (0: a new, empty file).
pub fn version(conn: &Connection) -> rusqlite::Result<u32> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
        [],
        |r| r.get(0),
    )?;
    if !has_table {
        return Ok(0);
    }
    Ok(conn
        .query_row("SELECT version FROM schema_version", [], |r| r.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Brings the ledger to [`VERSION`]; gives the version it had.
pub fn migrate(conn: &mut Connection) -> Result<u32, SchemaError> {
    let before = version(conn)?;
    if before > VERSION {
        return Err(SchemaError::Newer(before));
    }
    for (n, sql) in MIGRATIONS.iter().enumerate().skip(before as usize) {
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        // Another process may have migrated while this one waited for the lock.
        if version(&tx)? > n as u32 {
            continue;
        }
        tx.execute_batch(sql)?;
        tx.execute_batch(
            "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL); DELETE FROM schema_version;",
        )?;
        tx.execute(
            "INSERT INTO schema_version (version) VALUES (?1)",
            [n as i64 + 1],
        )?;
        tx.commit()?;
    }
    Ok(before)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_ledger_gets_every_table_and_the_version() {
        let mut conn = Connection::open_in_memory().unwrap();
        assert_eq!(migrate(&mut conn).unwrap(), 0);
        assert_eq!(version(&conn).unwrap(), VERSION);
        for table in [
            "runs",
            "cases",
            "answers",
            "answer_history",
            "schema_version",
        ] {
            let n: i64 = conn
                .query_row(
                    "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                    [table],
                    |r| r.get(0),
                )
                .unwrap();
            assert_eq!(n, 1, "{table}");
        }
        // Migrating again is a no-op.
        assert_eq!(migrate(&mut conn).unwrap(), VERSION);
    }

    #[test]
    fn a_ledger_from_a_newer_bidui_is_refused() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrate(&mut conn).unwrap();
        conn.execute("UPDATE schema_version SET version = ?1", [VERSION + 1])
            .unwrap();
        assert!(matches!(
            migrate(&mut conn),
            Err(SchemaError::Newer(v)) if v == VERSION + 1
        ));
    }
}
