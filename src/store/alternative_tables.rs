//! Schema 6 → 7: projects' design alternatives. `linli_alternatives` is an attributes table
//! keyed by UUID, registered in `gpkg_contents` so QGIS lists it, with its `status` a coded
//! field (备选/采用/归档); each of the three plan tables gains a nullable `alternative` column,
//! the UUID of the alternative a feature belongs to (NULL: the project's plan as before, so
//! every older feature stays in the plan). QGIS shows the column and leaves it alone when
//! another column is edited.
//!
//! One function, [`alternatives`], is both the migration step and what a new workspace runs,
//! so old and new files end up with identical tables. The DDL is frozen here: a later schema is
//! a later step. An alternative's row is read and written through [`RosterRow`], the one
//! column-per-field path the roster uses.

use rusqlite::Row;
use rusqlite::Transaction;
use rusqlite::types::Value;

use super::people::RosterRow;
use super::{PLAN_KINDS, Store, parse_uuid, plan_table, q};
use crate::error::{Error, Problem, Result};
use crate::model::alternative::{Alternative, AlternativeStatus};

/// Design alternatives of projects.
pub const ALTERNATIVES_TABLE: &str = "linli_alternatives";

/// Creates the alternatives table with its coded status and adds the plan tables' `alternative`
/// column. Runs in the caller's transaction; the schema extension's tables must exist.
pub(super) fn alternatives(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(&format!(
        "CREATE TABLE {ALTERNATIVES_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, project_uuid TEXT NOT NULL, label TEXT NOT NULL,
             team TEXT, cost_wan REAL, description TEXT, status TEXT NOT NULL);
         CREATE INDEX {ALTERNATIVES_TABLE}_project ON {ALTERNATIVES_TABLE} (project_uuid);"
    ))?;
    super::contents::register_attributes(
        tx,
        &[(
            ALTERNATIVES_TABLE,
            "设计方案 design alternatives",
            "Linli: projects' design alternatives (方案 A/B/C), with team, cost and status",
        )],
    )?;
    super::write_enum_constraint(
        tx,
        ALTERNATIVES_TABLE,
        "status",
        "linli_alternative_status",
        &AlternativeStatus::codes(),
    )?;
    for kind in PLAN_KINDS {
        let table = plan_table(kind).0;
        tx.execute_batch(&format!(
            "ALTER TABLE {t} ADD COLUMN alternative TEXT;
             CREATE INDEX {index} ON {t} (alternative);",
            t = q(table)?,
            index = q(&format!("{table}_alternative"))?
        ))?;
    }
    Ok(())
}

impl RosterRow for Alternative {
    const TABLE: &'static str = ALTERNATIVES_TABLE;
    const RECORD: &'static str = "alternative";
    const COLUMNS: &'static [&'static str] = &[
        "project_uuid",
        "label",
        "team",
        "cost_wan",
        "description",
        "status",
    ];
    const FIELDS: &'static [&'static str] = &[
        "project",
        "label",
        "team",
        "cost_wan",
        "description",
        "status",
    ];
    fn id(&self) -> uuid::Uuid {
        self.id
    }
    fn values(&self) -> Vec<Value> {
        vec![
            Value::Text(self.project.to_string()),
            Value::Text(self.label.clone()),
            Value::Text(self.team.clone()),
            self.cost_wan.map_or(Value::Null, Value::Real),
            Value::Text(self.description.clone()),
            Value::Text(self.status.key().into()),
        ]
    }
    fn from_row(r: &Row<'_>, path: &std::path::Path) -> Result<Self> {
        let text = |i: usize| -> rusqlite::Result<String> {
            Ok(r.get::<_, Option<String>>(i)?.unwrap_or_default())
        };
        let status: String = r.get(6)?;
        Ok(Alternative {
            id: parse_uuid(&r.get::<_, String>(0)?, path)?,
            project: parse_uuid(&r.get::<_, String>(1)?, path)?,
            label: r.get(2)?,
            team: text(3)?,
            cost_wan: r.get(4)?,
            description: text(5)?,
            status: AlternativeStatus::from_key(&status).ok_or_else(|| {
                Error::workspace(
                    path,
                    Problem::UnknownRosterCode {
                        field: "status".into(),
                        value: status.clone(),
                    },
                )
            })?,
        })
    }
}

impl Store {
    /// Every readable design alternative with its row id, and a note for each row another
    /// program left unreadable.
    pub fn alternative_rows(&self) -> Result<super::people::RosterRows<Alternative>> {
        self.roster_rows()
    }
}
