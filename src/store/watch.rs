//! Noticing, while a workspace is open, that another program (QGIS through GDAL, a second
//! Linli) committed to it, and telling cheaply which tables it touched.
//!
//! SQLite's `PRAGMA data_version` on this store's connection changes exactly when another
//! connection committed: never for this connection's own commits, nor for a PASSIVE, FULL or
//! RESTART checkpoint (the checkpoint thread's kind); another connection's TRUNCATE checkpoint
//! (a second Linli or GDAL closing) does move it, so a moved version means "look", and the
//! session compares before it reports anything (the tests below pin each case). So the session
//! needs no bookkeeping after its own writes. [`Store::table_digest`] then says which tables changed
//! without decoding a row, so a rename of one plan feature does not decode 100,000.

use std::hash::{DefaultHasher, Hash, Hasher};

use rusqlite::types::ValueRef;

use super::{Store, q};
use crate::error::Result;

impl Store {
    /// SQLite's `data_version` of this store's connection: a number that changes when (and
    /// only when) another connection committed to the file since it was last read. Costs a
    /// read of the log's shared index, no disk read: cheap enough for every idle tick.
    pub fn data_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA data_version", [], |r| r.get(0))?)
    }

    /// How many rows this store's own connection has written since it opened (SQLite's
    /// `total_changes`): when it moved, digests taken before no longer describe the file.
    pub fn own_changes(&self) -> u64 {
        self.conn.total_changes()
    }

    /// A read transaction: everything read until it is dropped sees the file as of one
    /// moment, so a data version and the rows read with it agree.
    pub fn read_snapshot(&self) -> Result<rusqlite::Transaction<'_>> {
        Ok(self.conn.unchecked_transaction()?)
    }

    /// The layers as `linli_layers` lists them (name, role key), in their order: what tells
    /// that another program added or removed one, without counting any layer's rows.
    pub fn layer_list(&self) -> Result<Vec<(String, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT name, role FROM linli_layers ORDER BY sort_order, name")?;
        let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A digest of every row of `table`, every column as stored, in row id order. Equal
    /// digests mean the rows are (but for a 64-bit collision) the same; nothing is decoded.
    /// `None` when no such table exists (removed by another program).
    pub fn table_digest(&self, table: &str) -> Result<Option<u64>> {
        let mut hasher = DefaultHasher::new();
        let found = self.each_row(table, |row, columns| {
            hash_columns(row, 0..columns, &mut hasher)?;
            Ok(())
        })?;
        Ok(found.then(|| hasher.finish()))
    }

    /// Each row of `table` (which has a text column `uuid`, as the plan tables do): its row id,
    /// a digest of every column as stored, and its `uuid` text. What tells which of 100,000
    /// plan rows another program changed without decoding one (tens of milliseconds). Empty
    /// when no such table exists.
    pub fn row_digests(&self, table: &str) -> Result<Vec<(i64, u64, Option<String>)>> {
        let mut out = Vec::new();
        self.each_row(table, |row, columns| {
            // Column 0 is the row id, 1 the uuid, then every column (`SELECT rowid, uuid, *`).
            let mut hasher = DefaultHasher::new();
            hash_columns(row, 2..columns, &mut hasher)?;
            let uuid = match row.get_ref(1)? {
                ValueRef::Text(t) => std::str::from_utf8(t).ok().map(str::to_string),
                _ => None,
            };
            out.push((row.get(0)?, hasher.finish(), uuid));
            Ok(())
        })?;
        Ok(out)
    }

    /// Runs `each` on every row of `table` in row id order, selected as `rowid, [uuid,] *`
    /// (`uuid` when the table has that column), with the number of columns; false when there
    /// is no such table.
    fn each_row(
        &self,
        table: &str,
        mut each: impl FnMut(&rusqlite::Row<'_>, usize) -> rusqlite::Result<()>,
    ) -> Result<bool> {
        if !super::has_table(&self.conn, table)? {
            return Ok(false);
        }
        let head = if super::has_column(&self.conn, table, "uuid")? {
            "rowid, uuid"
        } else {
            "rowid"
        };
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {head}, * FROM {} ORDER BY rowid",
            q(table)?
        ))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        while let Some(row) = rows.next()? {
            each(row, columns)?;
        }
        Ok(true)
    }
}

/// Feeds the columns `range` of `row`, as stored, to `hasher`.
fn hash_columns(
    row: &rusqlite::Row<'_>,
    range: std::ops::Range<usize>,
    hasher: &mut DefaultHasher,
) -> rusqlite::Result<()> {
    for i in range {
        match row.get_ref(i)? {
            ValueRef::Null => 0u8.hash(hasher),
            ValueRef::Integer(n) => (1u8, n).hash(hasher),
            ValueRef::Real(x) => (2u8, x.to_bits()).hash(hasher),
            ValueRef::Text(t) => (3u8, t).hash(hasher),
            ValueRef::Blob(b) => (4u8, b).hash(hasher),
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use rusqlite::Connection;

    use crate::model::catalog::Catalog;
    use crate::store::Store;

    fn setup() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.gpkg");
        let store = Store::create(&path, &Catalog::bundled()).unwrap();
        (dir, store)
    }

    fn put(conn: &Connection, key: &str, bytes: usize) {
        conn.execute(
            "INSERT OR REPLACE INTO linli_meta (key, value) VALUES (?1, ?2)",
            rusqlite::params![key, vec![7u8; bytes]],
        )
        .unwrap();
    }

    #[test]
    fn own_commits_leave_the_data_version_as_it_was() {
        let (_dir, mut store) = setup();
        let before = store.data_version().unwrap();
        for i in 0..5 {
            let tx = store.begin().unwrap();
            put(&tx, &format!("own{i}"), 100);
            tx.commit().unwrap();
        }
        assert_eq!(store.data_version().unwrap(), before);
    }

    #[test]
    fn another_connections_commit_moves_it_once_per_look() {
        let (_dir, store) = setup();
        let before = store.data_version().unwrap();
        let other = Connection::open(store.path()).unwrap();
        put(&other, "theirs", 10);
        let after = store.data_version().unwrap();
        assert_ne!(after, before);
        assert_eq!(
            store.data_version().unwrap(),
            after,
            "stable until the next commit"
        );
        let digest = store.table_digest("linli_meta").unwrap();
        put(&other, "theirs", 11);
        assert_ne!(store.table_digest("linli_meta").unwrap(), digest);
        assert_eq!(store.table_digest("no_such_table").unwrap(), None);
        // Row by row: the plan tables' rows with their uuid text.
        assert!(store.row_digests("plan_points").unwrap().is_empty());
        let (blob, _) =
            crate::store::encode_geometry(&geo::MultiPoint::from(vec![(121.5, 31.2)]).into())
                .unwrap();
        crate::store::register_sql_functions(&other).unwrap();
        other
            .execute(
                "INSERT INTO plan_points (geom, name, element_type) VALUES (?1, 'a', 'x')",
                [&blob],
            )
            .unwrap();
        let rows = store.row_digests("plan_points").unwrap();
        assert_eq!(rows.len(), 1);
        assert!(
            rows[0].2.as_deref().is_some_and(|u| u.len() == 36),
            "{rows:?}"
        );
        other
            .execute("UPDATE plan_points SET name = 'b'", [])
            .unwrap();
        let again = store.row_digests("plan_points").unwrap();
        assert_eq!((again[0].0, &again[0].2), (rows[0].0, &rows[0].2));
        assert_ne!(again[0].1, rows[0].1);
    }

    #[test]
    fn checkpoints_are_not_mistaken_for_edits() {
        let (_dir, mut store) = setup();
        // Enough that the checkpoint thread is woken (MIN_BYTES), then left quiet.
        let tx = store.begin().unwrap();
        put(&tx, "big", 2 << 20);
        tx.commit().unwrap();
        let before = store.data_version().unwrap();
        std::thread::sleep(crate::store::checkpoint::QUIET * 4);
        assert_eq!(
            store.data_version().unwrap(),
            before,
            "the checkpoint thread's"
        );
        // Another connection's checkpoints, and the log restarting after one.
        let other = Connection::open(store.path()).unwrap();
        for mode in ["PASSIVE", "FULL", "RESTART"] {
            other
                .query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()))
                .unwrap();
            assert_eq!(store.data_version().unwrap(), before, "{mode}");
        }
        let tx = store.begin().unwrap();
        put(&tx, "after", 100);
        tx.commit().unwrap();
        assert_eq!(
            store.data_version().unwrap(),
            before,
            "own commit on a restarted log"
        );
        // A TRUNCATE by another connection (another Linli closing, GDAL closing) does move it:
        // the session then finds every digest and record as it was and reports nothing
        // (`tests/outside_edits.rs`).
        other
            .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
            .unwrap();
        assert_ne!(store.data_version().unwrap(), before, "TRUNCATE");
    }
}
