//! Workspace settings kept as records ([`Setting`]): rows of `linli_meta` whose key is one of
//! [`Setting::keys`], written through [`Store::apply`] like every other record.

use rusqlite::Connection;
use rusqlite::types::Value as Sql;
use uuid::Uuid;

use super::Store;
use super::records::{Derive, Rows, Table, Target};
use crate::error::Result;
use crate::model::setting::Setting;

impl Table for Setting {
    const TABLE: &'static str = "linli_meta";
    fn columns(&self) -> Vec<(&'static str, &'static str, Sql)> {
        vec![
            ("key", "key", Sql::Text(self.key.clone())),
            ("value", "value", Sql::Text(self.value.clone())),
        ]
    }
    fn read(store: &Store, only: Option<Uuid>) -> Result<Rows<Self>> {
        let mut stmt = store
            .conn
            .prepare_cached("SELECT id, key, value FROM linli_meta ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                // A value another program wrote as a number reads as its text.
                r.get::<_, rusqlite::types::Value>(2)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (row, key, value) = row?;
            let value = match value {
                Sql::Text(s) => s,
                Sql::Integer(i) => i.to_string(),
                Sql::Real(x) => x.to_string(),
                Sql::Null | Sql::Blob(_) => String::new(),
            };
            if let Some(s) = Setting::new(&key, &value)
                && only.is_none_or(|id| id == s.id)
            {
                out.push((s, row));
            }
        }
        Ok((out, Vec::new()))
    }
    fn insert(conn: &Connection, s: &mut Self, row: Option<i64>, _d: &Derive) -> Result<i64> {
        conn.prepare_cached("INSERT INTO linli_meta (id, key, value) VALUES (?1, ?2, ?3)")?
            .execute(rusqlite::params![row, s.key, s.value])?;
        Ok(conn.last_insert_rowid())
    }
    fn update(
        conn: &Connection,
        s: &mut Self,
        at: Target,
        changed: &[&str],
        _d: &Derive,
    ) -> Result<i64> {
        if changed.contains(&"value") {
            conn.prepare_cached("UPDATE linli_meta SET value = ?2 WHERE id = ?1")?
                .execute(rusqlite::params![at.row, s.value])?;
        }
        Ok(at.row)
    }
    fn delete(conn: &Connection, id: Uuid) -> Result<()> {
        for key in Setting::keys().filter(|k| Setting::id_of(k) == Some(id)) {
            conn.prepare_cached("DELETE FROM linli_meta WHERE key = ?1")?
                .execute([key])?;
        }
        Ok(())
    }
}
