//! Schema 10 → 11: records' provenance. `linli_provenance` keeps, for each record, who made it
//! and who last changed it, when and in which workspace (an attributes table QGIS lists, one
//! row per record, keyed by the record's own UUID). Written through [`RosterRow`] like every
//! record; read for a kind at once (a table, an export) or by id (a change about to be
//! stamped).
//!
//! The same step gives `linli_peers` its `high_water` column: the highest revision of a
//! district server's rows a workspace has taken in.
//!
//! [`provenance_table`] is both the migration step and what a new workspace runs. The DDL is
//! frozen here: a later schema is a later step.

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{Row, Transaction};
use uuid::Uuid;

use super::people::RosterRow;
use super::{PEERS_TABLE, Store, parse_uuid};
use crate::error::{Error, Problem, Result};
use crate::model::change::RecordKind;
use crate::model::provenance::{Provenance, Stamp};

/// Records' provenance.
pub const PROVENANCE_TABLE: &str = "linli_provenance";

/// Creates the provenance table. Runs in the caller's transaction.
pub(super) fn provenance_table(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(&format!(
        "CREATE TABLE {PROVENANCE_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
             created_at TEXT, created_by TEXT, created_in TEXT, created_in_name TEXT,
             changed_at TEXT, changed_by TEXT, changed_in TEXT, changed_in_name TEXT);
         CREATE INDEX {PROVENANCE_TABLE}_kind ON {PROVENANCE_TABLE} (kind);
         ALTER TABLE {PEERS_TABLE} ADD COLUMN high_water INTEGER;"
    ))?;
    super::contents::register_attributes(
        tx,
        &[(
            PROVENANCE_TABLE,
            "记录来源 provenance",
            "Linli: who made each record and who last changed it, when, in which workspace",
        )],
    )
}

fn text(r: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
}

fn stamp(r: &Row<'_>, first: usize) -> rusqlite::Result<Stamp> {
    Ok(Stamp {
        at: text(r, first)?,
        by: text(r, first + 1)?,
        workspace: text(r, first + 2)?,
        workspace_name: text(r, first + 3)?,
    })
}

fn stamp_values(s: &Stamp) -> [Value; 4] {
    [&s.at, &s.by, &s.workspace, &s.workspace_name].map(|t| Value::Text(t.clone()))
}

impl RosterRow for Provenance {
    const TABLE: &'static str = PROVENANCE_TABLE;
    const RECORD: &'static str = "provenance";
    const COLUMNS: &'static [&'static str] = &[
        "kind",
        "created_at",
        "created_by",
        "created_in",
        "created_in_name",
        "changed_at",
        "changed_by",
        "changed_in",
        "changed_in_name",
    ];
    // A stamp is one field kept in four columns: a change of it writes all four.
    const FIELDS: &'static [&'static str] = &[
        "kind", "created", "created", "created", "created", "changed", "changed", "changed",
        "changed",
    ];
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        let mut out = vec![Value::Text(self.kind.key().into())];
        out.extend(stamp_values(&self.created));
        out.extend(stamp_values(&self.changed));
        out
    }
    fn from_row(r: &Row<'_>, path: &Path) -> Result<Self> {
        let kind: String = r.get(1)?;
        Ok(Provenance {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            kind: RecordKind::from_key(&kind).ok_or_else(|| {
                Error::workspace(
                    path,
                    Problem::UnknownRosterCode {
                        field: "kind".into(),
                        value: kind.clone(),
                    },
                )
            })?,
            created: stamp(r, 2)?,
            changed: stamp(r, 6)?,
        })
    }
}

/// Stamps records an import wrote outside a changeset (in the caller's transaction): a
/// record new to the file is made by `stamp`, one it had is changed by it.
pub fn stamp_written(
    tx: &Transaction<'_>,
    kind: RecordKind,
    ids: impl IntoIterator<Item = Uuid>,
    stamp: &Stamp,
) -> Result<()> {
    let mut stmt = tx.prepare_cached(&format!(
        "INSERT INTO {PROVENANCE_TABLE} (uuid, kind, created_at, created_by, created_in,
             created_in_name, changed_at, changed_by, changed_in, changed_in_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?3, ?4, ?5, ?6)
         ON CONFLICT(uuid) DO UPDATE SET changed_at = excluded.changed_at,
             changed_by = excluded.changed_by, changed_in = excluded.changed_in,
             changed_in_name = excluded.changed_in_name"
    ))?;
    for id in ids {
        stmt.execute(rusqlite::params![
            id.to_string(),
            kind.key(),
            stamp.at,
            stamp.by,
            stamp.workspace,
            stamp.workspace_name
        ])?;
    }
    Ok(())
}

impl Store {
    /// True when the file keeps provenance (a schema-10 file read as it is does not).
    fn keeps_provenance(&self) -> Result<bool> {
        Ok(super::has_table(&self.conn, PROVENANCE_TABLE)?)
    }

    /// The provenance of every record of `kind`, by the record's id (rows that do not read
    /// are left out: they are another program's, and unknown provenance is shown as such).
    pub fn provenance_of_kind(&self, kind: RecordKind) -> Result<BTreeMap<Uuid, Provenance>> {
        if !self.keeps_provenance()? {
            return Ok(BTreeMap::new());
        }
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT uuid, {}, id FROM {PROVENANCE_TABLE} WHERE kind = ?1",
            Provenance::COLUMNS.join(", ")
        ))?;
        let mut rows = stmt.query([kind.key()])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            if let Ok(p) = Provenance::from_row(r, &self.path) {
                out.insert(p.id, p);
            }
        }
        Ok(out)
    }

    /// The provenance of the records with these ids (those that have one).
    pub fn provenance_of(
        &self,
        ids: impl IntoIterator<Item = Uuid>,
    ) -> Result<BTreeMap<Uuid, Provenance>> {
        if !self.keeps_provenance()? {
            return Ok(BTreeMap::new());
        }
        let ids: std::collections::BTreeSet<Uuid> = ids.into_iter().collect();
        let ids: Vec<String> = ids.iter().map(Uuid::to_string).collect();
        let mut out = BTreeMap::new();
        // A merge asks for thousands: read them a chunk at a time, by the uuid index.
        for chunk in ids.chunks(256) {
            let marks = vec!["?"; chunk.len()].join(", ");
            let mut stmt = self.conn.prepare_cached(&format!(
                "SELECT uuid, {} FROM {PROVENANCE_TABLE} WHERE uuid IN ({marks})",
                Provenance::COLUMNS.join(", ")
            ))?;
            let mut rows = stmt.query(rusqlite::params_from_iter(chunk))?;
            while let Some(r) = rows.next()? {
                if let Ok(p) = Provenance::from_row(r, &self.path) {
                    out.insert(p.id, p);
                }
            }
        }
        Ok(out)
    }
}
