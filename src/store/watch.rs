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
    /// digests mean the rows are (but for a 64-bit collision) the same; nothing is decoded, so
    /// 100,000 plan polygons take a few tens of milliseconds. `None` when no such table exists
    /// (removed by another program).
    pub fn table_digest(&self, table: &str) -> Result<Option<u64>> {
        let exists: i64 = self.conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if exists == 0 {
            return Ok(None);
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT rowid, * FROM {} ORDER BY rowid",
            q(table)?
        ))?;
        let columns = stmt.column_count();
        let mut rows = stmt.query([])?;
        let mut hasher = DefaultHasher::new();
        while let Some(row) = rows.next()? {
            for i in 0..columns {
                match row.get_ref(i)? {
                    ValueRef::Null => 0u8.hash(&mut hasher),
                    ValueRef::Integer(n) => (1u8, n).hash(&mut hasher),
                    ValueRef::Real(x) => (2u8, x.to_bits()).hash(&mut hasher),
                    ValueRef::Text(t) => (3u8, t).hash(&mut hasher),
                    ValueRef::Blob(b) => (4u8, b).hash(&mut hasher),
                }
            }
        }
        Ok(Some(hasher.finish()))
    }
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
    }

    #[test]
    fn checkpoints_are_not_mistaken_for_edits() {
        let (_dir, mut store) = setup();
        // Enough pages that the checkpoint thread is woken (MIN_PAGES), then left quiet.
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
