//! SQLite files made and broken on purpose, for the fuzz harness (`fuzzing`) and tests: only
//! `store` and `io` speak SQLite, so a caller above them that needs a seed file, a mutated row or
//! a hostile view asks here. Not used by the application.

use std::path::Path;

use rusqlite::Connection;
use rusqlite::types::ValueRef;

use crate::error::Result;

/// A column of a sampled table, with a few of its values.
#[derive(Debug, Clone)]
pub struct SampledColumn {
    /// The column's name.
    pub name: String,
    /// Values seen in it, as their bytes (numbers as their text).
    pub samples: Vec<Vec<u8>>,
    /// Whether the samples are blobs (else text or numbers as text).
    pub blob: bool,
}

/// A table of an SQLite file: its name, row count and columns.
#[derive(Debug, Clone)]
pub struct SampledTable {
    /// The table's name.
    pub name: String,
    /// Its rows when it was sampled.
    pub rows: usize,
    /// Its columns.
    pub columns: Vec<SampledColumn>,
}

/// An SQL identifier quoted, whatever it holds.
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Runs `sql` (one or more statements) on the SQLite file at `path`, made when missing.
pub fn execute_batch(path: &Path, sql: &str) -> Result<()> {
    Connection::open(path)?.execute_batch(sql)?;
    Ok(())
}

/// Runs each of `statements` on its own on the SQLite file at `path`; a statement that fails is
/// skipped (a mutation that does not apply is simply not made). Returns how many ran.
pub fn run_each(path: &Path, statements: &[String]) -> usize {
    let Ok(conn) = Connection::open(path) else {
        return 0;
    };
    statements
        .iter()
        .filter(|s| conn.execute_batch(s).is_ok())
        .count()
}

/// The first column of every row `query` gives, as text.
pub fn texts(path: &Path, query: &str) -> Result<Vec<String>> {
    let conn = Connection::open(path)?;
    let mut stmt = conn.prepare(query)?;
    let rows = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(rows)
}

/// Folds the file's write-ahead log into it and leaves it in rollback-journal mode, so its
/// bytes alone are the whole database.
pub fn fold_log(path: &Path) -> Result<()> {
    execute_batch(
        path,
        "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;",
    )
}

/// The tables of the SQLite file at `path` (its R-trees' shadow tables but `_node` left out),
/// with up to `per_column` values of each column (blobs over 64 KiB counted as blobs, not kept).
pub fn sample_tables(path: &Path, per_column: usize) -> Result<Vec<SampledTable>> {
    let conn = Connection::open(path)?;
    let mut names: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    names.retain(|n| !n.starts_with("rtree_") || n.ends_with("_node"));
    let mut tables = Vec::new();
    for name in names {
        let t = quote(&name);
        let rows: i64 = conn.query_row(&format!("SELECT count(*) FROM {t}"), [], |r| r.get(0))?;
        let column_names: Vec<String> = conn
            .prepare(&format!("PRAGMA table_info({t})"))?
            .query_map([], |r| r.get(1))?
            .collect::<rusqlite::Result<_>>()?;
        let mut columns = Vec::new();
        for c in column_names {
            let mut stmt =
                conn.prepare(&format!("SELECT {} FROM {t} LIMIT {per_column}", quote(&c)))?;
            let mut rows = stmt.query([])?;
            let mut samples = Vec::new();
            let mut blob = false;
            while let Some(r) = rows.next()? {
                match r.get_ref(0)? {
                    ValueRef::Blob(b) => {
                        blob = true;
                        if b.len() <= 64 * 1024 {
                            samples.push(b.to_vec());
                        }
                    }
                    ValueRef::Text(s) => samples.push(s.to_vec()),
                    ValueRef::Integer(i) => samples.push(i.to_string().into_bytes()),
                    ValueRef::Real(f) => samples.push(f.to_string().into_bytes()),
                    ValueRef::Null => {}
                }
            }
            columns.push(SampledColumn {
                name: c,
                samples,
                blob,
            });
        }
        tables.push(SampledTable {
            name,
            rows: rows.max(0) as usize,
            columns,
        });
    }
    Ok(tables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statements_that_fail_are_skipped_and_tables_are_sampled() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.sqlite");
        execute_batch(
            &path,
            "CREATE TABLE t (a, b BLOB); INSERT INTO t VALUES (1, x'0102');",
        )
        .unwrap();
        let ran = run_each(
            &path,
            &["INSERT INTO t VALUES (2, NULL)".into(), "NOT SQL".into()],
        );
        assert_eq!(ran, 1);
        assert_eq!(
            texts(&path, "SELECT name FROM sqlite_master").unwrap(),
            ["t"]
        );
        let tables = sample_tables(&path, 3).unwrap();
        assert_eq!((tables[0].name.as_str(), tables[0].rows), ("t", 2));
        assert_eq!(tables[0].columns[0].samples, [b"1".to_vec(), b"2".to_vec()]);
        assert!(tables[0].columns[1].blob);
    }
}
