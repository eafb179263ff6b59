//! Schema 9 → 10: the district's exchange with its streets. The workspace gets a stable id
//! and a name (`linli_meta`'s `workspace_id` and `workspace_name`); `linli_peers` lists the
//! workspaces it exchanges with; `linli_sync_base` keeps, per peer and record, the fields both
//! last agreed on (the base of the next merge); `linli_conflicts` the conflicts merges found,
//! kept as data until resolved (an attributes table QGIS lists, its `status` a coded field);
//! `linli_tombstones` every record deleted, written by triggers on the record tables, so a
//! delete made by QGIS is remembered as one made by Linli is, and a re-insert (undo) takes it
//! back.
//!
//! One function, [`sync_tables`], is both the migration step and what a new workspace runs.
//! The DDL is frozen here: a later schema is a later step. Peers, bases and conflicts are read
//! and written through [`RosterRow`].

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::types::Value;
use rusqlite::{OptionalExtension, Row, Transaction, params};
use uuid::Uuid;

use super::people::RosterRow;
use super::{Store, parse_uuid, q};
use crate::error::{Error, Problem, Result};
use crate::model::RecordId;
use crate::model::change::RecordKind;
use crate::model::sync::{
    BaseEntry, ConflictStatus, MergeConflict, Peer, PeerRole, WorkspaceIdentity,
};

/// The workspaces this one exchanges records with.
pub const PEERS_TABLE: &str = "linli_peers";
/// Per peer and record, the fields both last agreed on.
pub const BASE_TABLE: &str = "linli_sync_base";
/// Conflicts merges found.
pub const CONFLICTS_TABLE: &str = "linli_conflicts";
/// Records deleted.
pub const TOMBSTONES_TABLE: &str = "linli_tombstones";

/// Each record table with the kind its rows are, as schema 9 has them.
pub(super) const RECORD_TABLES: &[(&str, &str)] = &[
    ("plan_points", "plan"),
    ("plan_lines", "plan"),
    ("plan_polygons", "plan"),
    ("linli_projects", "project"),
    ("linli_meetings", "meeting"),
    ("linli_people", "person"),
    ("linli_organisations", "organisation"),
    ("linli_tasks", "task"),
    ("linli_media", "attachment"),
    ("linli_inputs", "input"),
    ("linli_alternatives", "alternative"),
];

/// Creates the exchange's tables, the tombstone triggers and the workspace's identity. Runs in
/// the caller's transaction.
pub(super) fn sync_tables(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(&format!(
        "CREATE TABLE {PEERS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
             street TEXT, since TEXT, last_merged TEXT);
         CREATE TABLE {BASE_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, peer_uuid TEXT NOT NULL, kind TEXT NOT NULL,
             record_uuid TEXT NOT NULL, fields TEXT NOT NULL);
         CREATE INDEX {BASE_TABLE}_peer ON {BASE_TABLE} (peer_uuid);
         CREATE TABLE {CONFLICTS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, peer_uuid TEXT NOT NULL, peer_name TEXT,
             kind TEXT NOT NULL, record_uuid TEXT NOT NULL, label TEXT, field TEXT NOT NULL,
             base TEXT, ours TEXT, theirs TEXT, found TEXT, status TEXT NOT NULL,
             resolution TEXT);
         CREATE INDEX {CONFLICTS_TABLE}_record ON {CONFLICTS_TABLE} (record_uuid);
         CREATE TABLE {TOMBSTONES_TABLE} (id INTEGER PRIMARY KEY NOT NULL,
             record_uuid TEXT NOT NULL UNIQUE, kind TEXT NOT NULL);
         INSERT OR IGNORE INTO linli_meta (key, value) VALUES ('workspace_id', '{id}');
         INSERT OR IGNORE INTO linli_meta (key, value) VALUES ('workspace_name', '');",
        id = Uuid::new_v4()
    ))?;
    super::contents::register_attributes(
        tx,
        &[
            (
                PEERS_TABLE,
                "交换对象 peers",
                "Linli: the workspaces this one hands records to and takes them from",
            ),
            (
                CONFLICTS_TABLE,
                "合并冲突 merge conflicts",
                "Linli: fields changed differently in two workspaces, kept until resolved",
            ),
            (
                BASE_TABLE,
                "合并基础 merge bases",
                "Linli: per peer and record, the fields both workspaces last agreed on (digests)",
            ),
            (
                TOMBSTONES_TABLE,
                "已删除记录 deleted records",
                "Linli: every record deleted, so that a merge never brings it back",
            ),
        ],
    )?;
    super::write_enum_constraint(
        tx,
        CONFLICTS_TABLE,
        "status",
        "linli_conflict_status",
        &ConflictStatus::codes(),
    )?;
    super::write_enum_constraint(
        tx,
        PEERS_TABLE,
        "role",
        "linli_peer_role",
        &PeerRole::codes(),
    )?;
    let plan_tables: Vec<&str> = RECORD_TABLES
        .iter()
        .filter(|(_, kind)| *kind == "plan")
        .map(|(t, _)| *t)
        .collect();
    for (table, kind) in RECORD_TABLES {
        // A plan feature whose geometry changed kind moves to another plan table: it is not
        // deleted while a plan table still holds it.
        let still_there = if *kind == "plan" {
            plan_tables
                .iter()
                .map(|t| Ok(format!("SELECT 1 FROM {} WHERE uuid = old.uuid", q(t)?)))
                .collect::<Result<Vec<_>>>()?
                .join(" UNION ALL ")
        } else {
            format!("SELECT 1 FROM {} WHERE uuid = old.uuid", q(table)?)
        };
        tx.execute_batch(&format!(
            "CREATE TRIGGER {deleted} AFTER DELETE ON {t}
             WHEN old.uuid IS NOT NULL AND NOT EXISTS ({still_there})
             BEGIN
               INSERT OR IGNORE INTO {TOMBSTONES_TABLE} (record_uuid, kind)
               VALUES (old.uuid, '{kind}');
             END;
             CREATE TRIGGER {inserted} AFTER INSERT ON {t}
             WHEN new.uuid IS NOT NULL
             BEGIN
               DELETE FROM {TOMBSTONES_TABLE} WHERE record_uuid = new.uuid;
             END;",
            t = q(table)?,
            deleted = q(&format!("{table}_tombstone"))?,
            inserted = q(&format!("{table}_untombstone"))?,
        ))?;
    }
    Ok(())
}

fn text(r: &Row<'_>, i: usize) -> rusqlite::Result<String> {
    Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
}

fn json(r: &Row<'_>, i: usize) -> rusqlite::Result<serde_json::Value> {
    Ok(r.get::<_, Option<String>>(i)?
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(serde_json::Value::Null))
}

fn json_text(v: &serde_json::Value) -> Value {
    Value::Text(v.to_string())
}

fn bad_code(path: &Path, field: &str, value: &str) -> Error {
    Error::workspace(
        path,
        Problem::UnknownRosterCode {
            field: field.into(),
            value: value.into(),
        },
    )
}

fn kind_of(r: &Row<'_>, i: usize, path: &Path) -> Result<RecordKind> {
    let key: String = r.get(i)?;
    RecordKind::from_key(&key).ok_or_else(|| bad_code(path, "kind", &key))
}

impl RosterRow for Peer {
    const TABLE: &'static str = PEERS_TABLE;
    const RECORD: &'static str = "peer";
    const COLUMNS: &'static [&'static str] = &[
        "name",
        "role",
        "street",
        "since",
        "last_merged",
        "high_water",
    ];
    // Each column holds the field of its name.
    const FIELDS: &'static [&'static str] = Self::COLUMNS;
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.name.clone()),
            Value::Text(self.role.key().into()),
            Value::Text(self.street.clone()),
            Value::Text(self.since.clone()),
            Value::Text(self.last_merged.clone()),
            Value::Integer(self.high_water),
        ]
    }
    fn from_row(r: &Row<'_>, path: &Path) -> Result<Self> {
        let role: String = r.get(2)?;
        Ok(Peer {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            name: r.get(1)?,
            role: PeerRole::from_key(&role).ok_or_else(|| bad_code(path, "role", &role))?,
            street: text(r, 3)?,
            since: text(r, 4)?,
            last_merged: text(r, 5)?,
            high_water: r.get::<_, Option<i64>>(6)?.unwrap_or(0),
        })
    }
}

impl RosterRow for BaseEntry {
    const TABLE: &'static str = BASE_TABLE;
    const RECORD: &'static str = "base";
    const COLUMNS: &'static [&'static str] = &["peer_uuid", "kind", "record_uuid", "fields"];
    const FIELDS: &'static [&'static str] = &["peer", "kind", "record", "fields"];
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.peer.to_string()),
            Value::Text(self.kind.key().into()),
            Value::Text(self.record.to_string()),
            json_text(&self.fields),
        ]
    }
    fn from_row(r: &Row<'_>, path: &Path) -> Result<Self> {
        Ok(BaseEntry {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            peer: parse_uuid(&r.get::<_, String>(1)?, path)?,
            kind: kind_of(r, 2, path)?,
            record: parse_uuid(&r.get::<_, String>(3)?, path)?,
            fields: json(r, 4)?,
        })
    }
}

impl RosterRow for MergeConflict {
    const TABLE: &'static str = CONFLICTS_TABLE;
    const RECORD: &'static str = "conflict";
    const COLUMNS: &'static [&'static str] = &[
        "peer_uuid",
        "peer_name",
        "kind",
        "record_uuid",
        "label",
        "field",
        "base",
        "ours",
        "theirs",
        "found",
        "status",
        "resolution",
    ];
    const FIELDS: &'static [&'static str] = &[
        "peer",
        "peer_name",
        "kind",
        "record",
        "label",
        "field",
        "base",
        "ours",
        "theirs",
        "found",
        "status",
        "resolution",
    ];
    fn id(&self) -> Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.peer.to_string()),
            Value::Text(self.peer_name.clone()),
            Value::Text(self.kind.key().into()),
            Value::Text(self.record.to_string()),
            Value::Text(self.label.clone()),
            Value::Text(self.field.clone()),
            json_text(&self.base),
            json_text(&self.ours),
            json_text(&self.theirs),
            Value::Text(self.found.clone()),
            Value::Text(self.status.key().into()),
            json_text(&self.resolution),
        ]
    }
    fn from_row(r: &Row<'_>, path: &Path) -> Result<Self> {
        let status: String = r.get(11)?;
        Ok(MergeConflict {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            peer: parse_uuid(&r.get::<_, String>(1)?, path)?,
            peer_name: text(r, 2)?,
            kind: kind_of(r, 3, path)?,
            record: parse_uuid(&r.get::<_, String>(4)?, path)?,
            label: text(r, 5)?,
            field: r.get(6)?,
            base: json(r, 7)?,
            ours: json(r, 8)?,
            theirs: json(r, 9)?,
            found: text(r, 10)?,
            status: ConflictStatus::from_key(&status)
                .ok_or_else(|| bad_code(path, "status", &status))?,
            resolution: json(r, 12)?,
        })
    }
}

impl Store {
    /// The workspace's identity; its name, when none was given, is the file's stem.
    pub fn identity(&self) -> Result<WorkspaceIdentity> {
        let get = |key: &str| -> Result<Option<String>> {
            Ok(self
                .conn
                .query_row("SELECT value FROM linli_meta WHERE key = ?1", [key], |r| {
                    r.get::<_, Option<String>>(0)
                })
                .optional()?
                .flatten())
        };
        let id = match get("workspace_id")? {
            Some(text) => parse_uuid(&text, &self.path)?,
            // A schema-9 file read as it is: it has no identity until `linli upgrade`.
            None => {
                return Err(Error::workspace(
                    &self.path,
                    Problem::OldSchemaReadOnly {
                        found: 9,
                        oldest: 10,
                    },
                ));
            }
        };
        let name = get("workspace_name")?.unwrap_or_default();
        let name = if name.trim().is_empty() {
            self.path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        } else {
            name
        };
        Ok(WorkspaceIdentity { id, name })
    }

    /// Gives the workspace a new identity (a street workspace just handed out), in one
    /// transaction.
    pub fn set_identity(&mut self, identity: &WorkspaceIdentity) -> Result<()> {
        self.check_writable()?;
        let tx = self.conn.transaction()?;
        for (key, value) in [
            ("workspace_id", identity.id.to_string()),
            ("workspace_name", identity.name.clone()),
        ] {
            tx.execute(
                "INSERT OR REPLACE INTO linli_meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Every peer. A schema-10 file read as it is (a street's file merged in before it was
    /// upgraded) has no `high_water` column: its peers read with none.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        if super::has_column(&self.conn, PEERS_TABLE, "high_water")? {
            return Ok(self
                .roster_rows_where::<Peer>(None)?
                .0
                .into_iter()
                .map(|(p, _)| p)
                .collect());
        }
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, name, role, street, since, last_merged, NULL FROM {PEERS_TABLE}"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            out.push(Peer::from_row(r, &self.path)?);
        }
        Ok(out)
    }

    /// Every conflict with its row.
    pub fn conflict_rows(&self) -> Result<super::people::RosterRows<MergeConflict>> {
        self.roster_rows_where(None)
    }

    /// The base kept for `peer`: each record's fields as digests (a JSON object).
    pub fn base_for(&self, peer: Uuid) -> Result<BTreeMap<RecordId, serde_json::Value>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT kind, record_uuid, fields FROM {BASE_TABLE} WHERE peer_uuid = ?1"
        ))?;
        let mut rows = stmt.query([peer.to_string()])?;
        let mut out = BTreeMap::new();
        while let Some(r) = rows.next()? {
            let kind = kind_of(r, 0, &self.path)?;
            let record = parse_uuid(&r.get::<_, String>(1)?, &self.path)?;
            out.insert(RecordId::of(kind, record), json(r, 2)?);
        }
        Ok(out)
    }

    /// Every record deleted and remembered.
    pub fn tombstones(&self) -> Result<std::collections::BTreeSet<RecordId>> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT kind, record_uuid FROM {TOMBSTONES_TABLE}"))?;
        let mut rows = stmt.query([])?;
        let mut out = std::collections::BTreeSet::new();
        while let Some(r) = rows.next()? {
            let kind = kind_of(r, 0, &self.path)?;
            let record = parse_uuid(&r.get::<_, String>(1)?, &self.path)?;
            out.insert(RecordId::of(kind, record));
        }
        Ok(out)
    }
}

impl Store {
    /// Forgets that these records were deleted: they were added and the adding was undone,
    /// so to every other workspace they never existed.
    pub fn forget_tombstones(&mut self, records: &[RecordId]) -> Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        self.check_writable()?;
        let tx = self.conn.transaction()?;
        {
            let mut stmt = tx.prepare(&format!(
                "DELETE FROM {TOMBSTONES_TABLE} WHERE record_uuid = ?1"
            ))?;
            for r in records {
                stmt.execute([r.uuid().to_string()])?;
            }
        }
        tx.commit()?;
        Ok(())
    }
}
