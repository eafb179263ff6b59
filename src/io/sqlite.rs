//! SQLite's errors as the core's [`Error::Database`]: the `error` module is the bottom layer
//! and names no database library, so the conversion lives here, in the lowest layer that
//! speaks SQLite (`io` reads other programs' SQLite files; `store`, above it, the workspace).
//! The code keeps what the core acts on (a busy or read-only file), the message SQLite's words.

use crate::error::{DatabaseCode, Error};

/// Which failure an SQLite error is, as far as the core tells them apart.
pub fn code_of(e: &rusqlite::Error) -> DatabaseCode {
    use rusqlite::ErrorCode as C;
    match e.sqlite_error_code() {
        Some(C::DatabaseBusy) => DatabaseCode::Busy,
        Some(C::DatabaseLocked) => DatabaseCode::Locked,
        Some(C::ReadOnly) => DatabaseCode::ReadOnly,
        Some(C::CannotOpen) => DatabaseCode::CannotOpen,
        Some(C::DiskFull) => DatabaseCode::DiskFull,
        _ => DatabaseCode::Other,
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::database(code_of(&e), e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_busy_file_stays_busy_and_keeps_sqlites_words() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("busy.sqlite");
        let writer = rusqlite::Connection::open(&path).unwrap();
        writer
            .execute_batch("CREATE TABLE t (a); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);")
            .unwrap();
        let other = rusqlite::Connection::open(&path).unwrap();
        let e: Error = other.execute_batch("BEGIN IMMEDIATE;").unwrap_err().into();
        assert_eq!(e.database_code(), Some(DatabaseCode::Busy));
        assert!(e.to_string().contains("database is locked"), "{e}");

        let read_only = rusqlite::Connection::open_with_flags(
            &path,
            rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY,
        )
        .unwrap();
        writer.execute_batch("COMMIT;").unwrap();
        let e: Error = read_only
            .execute("INSERT INTO t VALUES (2)", [])
            .unwrap_err()
            .into();
        assert_eq!(e.database_code(), Some(DatabaseCode::ReadOnly));
        assert_eq!(
            Error::from(rusqlite::Error::QueryReturnedNoRows).database_code(),
            Some(DatabaseCode::Other)
        );
    }
}
