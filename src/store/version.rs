//! Content hashes of the rows a session wrote, so undo and redo can tell whether another
//! program (QGIS) changed a row since: the session remembers the hash of each row as it left
//! it and compares before writing over it.
//!
//! The hash covers every stored column (new columns included without a change here) except the
//! derived ones (`street`, `community`, `element_name`, `area_m2`, `length_m`), which Linli
//! itself rewrites when boundaries change, and the plan row's table is part of it. FNV-1a over
//! each value's type and bytes: stable across runs and platforms, and enough to see "changed";
//! it is no defence against someone forging a collision.

use rusqlite::Connection;
use rusqlite::types::ValueRef;
use uuid::Uuid;

use super::{PLAN_KINDS, PROJECTS_TABLE, plan_table, q};
use crate::error::Result;
use crate::model::RecordId;

const DERIVED: [&str; 5] = ["street", "community", "element_name", "area_m2", "length_m"];

/// The content hash of the record's row as it is in the file now, `None` when there is no such
/// row. A plan feature's row is looked for in every plan table; a project's is its
/// `linli_projects` row (the list tables are not hashed); a meeting's includes its comments and
/// votes (`linli_meeting_notes`); an attachment's its media row, bytes included, and its project
/// link.
/// Runs in the caller's transaction.
pub fn row_hash(conn: &Connection, row: RecordId) -> Result<Option<u64>> {
    let (tables, id): (Vec<&str>, Uuid) = match row {
        RecordId::Plan(id) => (PLAN_KINDS.iter().map(|k| plan_table(*k).0).collect(), id),
        RecordId::Project(id) => (vec![PROJECTS_TABLE], id),
        RecordId::Meeting(id) => (vec![super::MEETINGS_TABLE], id),
        RecordId::Person(id) => (vec![super::PEOPLE_TABLE], id),
        RecordId::Organisation(id) => (vec![super::ORGANISATIONS_TABLE], id),
        RecordId::Task(id) => (vec![super::TASKS_TABLE], id),
        RecordId::Attachment(id) => (vec![super::MEDIA_TABLE], id),
    };
    for table in tables {
        let mut h = Fnv::default();
        let found = hash_rows(
            conn,
            &mut h,
            &format!("SELECT * FROM {} WHERE uuid = ?1", q(table)?),
            table,
            id,
        )?;
        if found {
            // The rows that belong to the record: a meeting's notes, an attachment's link.
            match row {
                RecordId::Meeting(_) => {
                    hash_rows(
                        conn,
                        &mut h,
                        &format!(
                            "SELECT * FROM {} WHERE meeting_uuid = ?1 ORDER BY seq",
                            super::NOTES_TABLE
                        ),
                        super::NOTES_TABLE,
                        id,
                    )?;
                }
                RecordId::Attachment(_) => {
                    hash_rows(
                        conn,
                        &mut h,
                        &format!(
                            "SELECT l.* FROM {} l JOIN {} m ON m.id = l.related_id WHERE m.uuid = ?1",
                            super::PROJECT_MEDIA_TABLE,
                            super::MEDIA_TABLE
                        ),
                        super::PROJECT_MEDIA_TABLE,
                        id,
                    )?;
                }
                RecordId::Plan(_)
                | RecordId::Project(_)
                | RecordId::Person(_)
                | RecordId::Organisation(_)
                | RecordId::Task(_) => {}
            }
            return Ok(Some(h.0));
        }
    }
    Ok(None)
}

/// Feeds every row `sql` (taking the record's UUID) gives into `h`; false when there is none.
fn hash_rows(conn: &Connection, h: &mut Fnv, sql: &str, table: &str, id: Uuid) -> Result<bool> {
    let mut stmt = conn.prepare_cached(sql)?;
    let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
    let mut rows = stmt.query([id.to_string()])?;
    let mut found = false;
    while let Some(r) = rows.next()? {
        found = true;
        {
            h.write(table.as_bytes());
            for (i, name) in names.iter().enumerate() {
                if DERIVED.contains(&name.as_str()) {
                    continue;
                }
                h.write(name.as_bytes());
                match r.get_ref(i)? {
                    ValueRef::Null => h.write(&[0]),
                    ValueRef::Integer(n) => {
                        h.write(&[1]);
                        h.write(&n.to_le_bytes());
                    }
                    ValueRef::Real(x) => {
                        h.write(&[2]);
                        h.write(&x.to_le_bytes());
                    }
                    ValueRef::Text(t) => {
                        h.write(&[3]);
                        h.write(t);
                    }
                    ValueRef::Blob(b) => {
                        h.write(&[4]);
                        h.write(b);
                    }
                }
                // The value's end, so ("ab", "c") and ("a", "bc") differ.
                h.write(&[0xff]);
            }
        }
    }
    Ok(found)
}

/// 64-bit FNV-1a.
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}
