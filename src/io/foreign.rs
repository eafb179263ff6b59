//! Opening an SQLite file someone else made — a GeoPackage to import from, an MBTiles basemap —
//! so that it cannot hang or flood the program: read-only, only real tables read (a name in
//! `gpkg_contents` or `tiles` may be a VIEW whose recursive CTE never ends), strings and blobs
//! limited in length, and every statement watched by a progress handler that interrupts it
//! when the reader is cancelled or when no row has come for [`STALL_LIMIT`].

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use rusqlite::{Connection, ErrorCode, OpenFlags};

use crate::error::{Error, Problem, Result};

/// A read of a foreign file that produces no row for this long is interrupted: reading a real
/// table yields rows steadily, so only a hostile schema gets here.
pub const STALL_LIMIT: Duration = Duration::from_secs(20);

/// SQLite virtual-machine steps between two looks at the clock and the cancel flag.
const STEPS_PER_CHECK: i32 = 10_000;

/// Longest string or blob a foreign file may hand over (an MBTiles tile, a geometry): 256 MiB.
const MAX_VALUE_BYTES: i32 = 256 << 20;

/// What stops a foreign read: a flag the user's cancel sets, and the time since the reader
/// last made progress.
#[derive(Debug, Clone)]
pub struct ReadWatch {
    cancel: Arc<AtomicBool>,
    /// Milliseconds since `epoch` at the last tick.
    last_tick_ms: Arc<AtomicU64>,
    epoch: Instant,
    stall: Duration,
}

impl ReadWatch {
    /// A watch that interrupts after `stall` without a tick, or when `cancel` is set.
    pub fn new(stall: Duration, cancel: Arc<AtomicBool>) -> Self {
        Self {
            cancel,
            last_tick_ms: Arc::new(AtomicU64::new(0)),
            epoch: Instant::now(),
            stall,
        }
    }

    /// The reader made progress (a row came): the stall clock starts again.
    pub fn tick(&self) {
        let now = self.epoch.elapsed().as_millis() as u64;
        self.last_tick_ms.store(now, Ordering::Relaxed);
    }

    /// Whether the read should stop now.
    fn should_stop(&self) -> bool {
        if self.cancel.load(Ordering::Relaxed) {
            return true;
        }
        let now = self.epoch.elapsed().as_millis() as u64;
        let last = self.last_tick_ms.load(Ordering::Relaxed);
        now.saturating_sub(last) > self.stall.as_millis() as u64
    }

    /// Whether the read was stopped by the cancel flag (else by a stall).
    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// The problem a stopped read reports.
    pub fn problem(&self) -> Problem {
        if self.cancelled() {
            Problem::Cancelled
        } else {
            Problem::ForeignReadStalled {
                seconds: self.stall.as_secs(),
            }
        }
    }
}

impl Default for ReadWatch {
    /// Stops after [`STALL_LIMIT`] without progress; nobody can cancel it.
    fn default() -> Self {
        Self::new(STALL_LIMIT, Arc::new(AtomicBool::new(false)))
    }
}

/// Opens the foreign SQLite file at `path` read-only, watched by `watch`.
pub fn open_foreign(path: &Path, watch: &ReadWatch) -> Result<Connection> {
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| Error::cannot_open(path, e))?;
    // Neither a huge string nor a deep expression can come out of the file.
    let _ = conn.set_limit(
        rusqlite::limits::Limit::SQLITE_LIMIT_LENGTH,
        MAX_VALUE_BYTES,
    );
    watch.tick();
    let handler = watch.clone();
    conn.progress_handler(STEPS_PER_CHECK, Some(move || handler.should_stop()))?;
    Ok(conn)
}

/// Whether `name` is a real table of the file (not a view, not missing). Case as SQLite
/// compares names: without regard to ASCII case.
pub fn is_table(conn: &Connection, name: &str) -> Result<bool> {
    let n: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1 COLLATE NOCASE",
        [name],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

/// Refuses `name` unless it is a real table of the file at `path`.
pub fn require_table(conn: &Connection, path: &Path, name: &str) -> Result<()> {
    if is_table(conn, name)? {
        Ok(())
    } else {
        Err(Error::input(
            path,
            None,
            Problem::NotATable {
                name: name.to_string(),
            },
        ))
    }
}

/// Requires the table `name` a file's format defines (`gpkg_contents`, MBTiles' `tiles`): `Ok`
/// when it is a real table, [`Problem::NotATable`] when something else by that name (a view)
/// stands in for it, else `missing` (the file is not of that format), which is also the answer
/// when the file's catalogue cannot be read.
pub fn require_format_table(
    conn: &Connection,
    path: &Path,
    name: &str,
    missing: Problem,
) -> Result<()> {
    let found: rusqlite::Result<(i64, i64)> = conn.query_row(
        "SELECT count(*) FILTER (WHERE type = 'table'), count(*)
         FROM sqlite_master WHERE name = ?1 COLLATE NOCASE",
        [name],
        |r| Ok((r.get(0)?, r.get(1)?)),
    );
    match found {
        Ok((tables, _)) if tables > 0 => Ok(()),
        Ok((_, any)) if any > 0 => Err(Error::input(
            path,
            None,
            Problem::NotATable {
                name: name.to_string(),
            },
        )),
        _ => Err(Error::input(path, None, missing)),
    }
}

/// An SQLite error from a watched connection as the file's problem: an interrupted statement
/// says why it was stopped.
pub fn read_error(path: &Path, watch: &ReadWatch, e: rusqlite::Error) -> Error {
    match e.sqlite_error_code() {
        Some(ErrorCode::OperationInterrupted) => Error::input(path, None, watch.problem()),
        _ => Error::input(
            path,
            None,
            Problem::CannotRead {
                reason: e.to_string(),
            },
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file whose `hang` view never ends (a recursive CTE without a limit).
    fn hostile(dir: &Path) -> std::path::PathBuf {
        let path = dir.join("hostile.sqlite");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (a); INSERT INTO t VALUES (1);
             CREATE VIEW hang AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
             SELECT x AS a FROM c;",
        )
        .unwrap();
        path
    }

    #[test]
    fn views_are_not_tables() {
        let dir = tempfile::tempdir().unwrap();
        let path = hostile(dir.path());
        let conn = open_foreign(&path, &ReadWatch::default()).unwrap();
        assert!(is_table(&conn, "t").unwrap());
        assert!(is_table(&conn, "T").unwrap());
        assert!(!is_table(&conn, "hang").unwrap());
        assert!(!is_table(&conn, "missing").unwrap());
        let e = require_table(&conn, &path, "hang").unwrap_err();
        assert_eq!(
            e.problem(),
            Some(&Problem::NotATable {
                name: "hang".into()
            })
        );
    }

    #[test]
    fn a_stalled_read_is_interrupted_and_a_cancelled_one_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = hostile(dir.path());
        let watch = ReadWatch::new(Duration::from_millis(200), Arc::default());
        let conn = open_foreign(&path, &watch).unwrap();
        let started = Instant::now();
        let e = conn
            .query_row("SELECT count(*) FROM hang", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        let e = read_error(&path, &watch, e);
        assert_eq!(
            e.problem(),
            Some(&Problem::ForeignReadStalled { seconds: 0 })
        );

        let cancel = Arc::new(AtomicBool::new(false));
        let watch = ReadWatch::new(Duration::from_secs(3600), cancel.clone());
        let conn = open_foreign(&path, &watch).unwrap();
        let flag = cancel.clone();
        let stopper = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(100));
            flag.store(true, Ordering::Relaxed);
        });
        let e = conn
            .query_row("SELECT count(*) FROM hang", [], |r| r.get::<_, i64>(0))
            .unwrap_err();
        stopper.join().unwrap();
        assert_eq!(
            read_error(&path, &watch, e).problem(),
            Some(&Problem::Cancelled)
        );
    }
}
