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

/// The row a hash is of, by its record's UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowRef {
    /// A plan feature, in whichever plan table holds it.
    Plan(Uuid),
    /// A project record (its `linli_projects` row; the list tables are not hashed).
    Project(Uuid),
    /// A meeting record.
    Meeting(Uuid),
    /// A person on the roster.
    Person(Uuid),
    /// An organisation on the roster.
    Organisation(Uuid),
    /// A task.
    Task(Uuid),
}

const DERIVED: [&str; 5] = ["street", "community", "element_name", "area_m2", "length_m"];

/// The content hash of the row as it is in the file now, `None` when there is no such row.
/// Runs in the caller's transaction.
pub fn row_hash(conn: &Connection, row: RowRef) -> Result<Option<u64>> {
    let (tables, id): (Vec<&str>, Uuid) = match row {
        RowRef::Plan(id) => (PLAN_KINDS.iter().map(|k| plan_table(*k).0).collect(), id),
        RowRef::Project(id) => (vec![PROJECTS_TABLE], id),
        RowRef::Meeting(id) => (vec![super::MEETINGS_TABLE], id),
        RowRef::Person(id) => (vec![super::PEOPLE_TABLE], id),
        RowRef::Organisation(id) => (vec![super::ORGANISATIONS_TABLE], id),
        RowRef::Task(id) => (vec![super::TASKS_TABLE], id),
    };
    for table in tables {
        let mut stmt =
            conn.prepare_cached(&format!("SELECT * FROM {} WHERE uuid = ?1", q(table)?))?;
        let names: Vec<String> = stmt.column_names().map(str::to_string).collect();
        let mut rows = stmt.query([id.to_string()])?;
        if let Some(r) = rows.next()? {
            let mut h = Fnv::default();
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
            return Ok(Some(h.0));
        }
    }
    Ok(None)
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
