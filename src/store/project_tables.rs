//! Schema 3 → 4: the full project record and meetings. `linli_projects` gains the record's
//! single-valued fields, three attributes tables hold its lists (funding sources, per-stage
//! dates and the dated history), each row keyed by its project's UUID and its position in the
//! list, and `linli_meetings` holds meetings, keyed by UUID, linked to a project by its UUID.
//!
//! The step is self-contained: it touches only project-record tables, and a new workspace runs
//! the very same function after creating the schema-2 project table, so old and new files end
//! up with identical tables. The DDL is frozen here on purpose: a later schema is a later step.
//!
//! A list row's integer key is derived, not allocated: `project row << 20 | position`
//! ([`list_row_id`]). Undo puts a project back into the row it had, so its list rows come back
//! with their own keys too and an undone workspace is restored exactly, row ids included.
//!
//! Coded fields (for GeoPackage enum constraints, wired elsewhere):
//! `linli_projects.workflow` (workflow keys), `linli_projects.stage` and
//! `linli_project_stages.stage` (stage keys of `assets/workflows.json`), `linli_meetings.kind`
//! (`hearing`, `coordination`, `evaluation`, `joint`, `training`).

use rusqlite::{Transaction, params};

use super::PROJECTS_TABLE;
use crate::error::Result;

/// Funding sources of each project.
pub const FUNDING_TABLE: &str = "linli_project_funding";
/// Planned and actual dates per stage of each project.
pub const STAGES_TABLE: &str = "linli_project_stages";
/// The dated history of each project's changes.
pub const HISTORY_TABLE: &str = "linli_project_history";
/// Meetings: 一图三会's three, joint meetings, trainings.
pub const MEETINGS_TABLE: &str = "linli_meetings";

/// How many entries one list of one project can hold: the low bits of a list row's key.
pub const LIST_CAPACITY_BITS: u32 = 20;

/// The integer key of entry `seq` of a list of the project in row `project_row`.
pub fn list_row_id(project_row: i64, seq: usize) -> i64 {
    (project_row << LIST_CAPACITY_BITS) | (seq as i64 & ((1 << LIST_CAPACITY_BITS) - 1))
}

/// The columns `linli_projects` gains, in order.
const NEW_COLUMNS: &[(&str, &str)] = &[
    ("workflow", "TEXT"),
    ("scope", "TEXT"),
    ("actual_wan", "REAL"),
    ("owner_unit", "TEXT"),
    ("design_team", "TEXT"),
    ("mentor", "TEXT"),
    ("planners", "TEXT"),
    ("departments", "TEXT"),
    ("progress_pct", "REAL"),
    ("comments", "TEXT"),
];

/// Stage names of schema 2 (free text) and the keys they become, with their workflow.
const STAGE_KEYS: &[(&str, &str, &str)] = &[
    ("需求征集", "demand", "pudong_1t3h"),
    ("选址", "siting", "pudong_1t3h"),
    ("立项", "approval", "pudong_1t3h"),
    ("方案设计", "design", "pudong_1t3h"),
    ("听证", "hearing", "pudong_1t3h"),
    ("深化设计", "detailing", "pudong_1t3h"),
    ("协调", "coordination", "pudong_1t3h"),
    ("施工", "construction", "pudong_1t3h"),
    ("竣工", "completion", "pudong_1t3h"),
    ("评议", "evaluation", "pudong_1t3h"),
    ("运维", "operation", "pudong_1t3h"),
    ("提案期", "proposal", "yangpu_4stage"),
    ("初选期", "preselection", "yangpu_4stage"),
    ("实验期", "experiment", "yangpu_4stage"),
    ("实践期", "practice", "yangpu_4stage"),
];

/// The full project record's columns and tables (new workspaces create them too).
pub(super) fn full_project_records(tx: &Transaction<'_>) -> Result<()> {
    for (column, ty) in NEW_COLUMNS {
        tx.execute_batch(&format!(
            "ALTER TABLE {PROJECTS_TABLE} ADD COLUMN {column} {ty};"
        ))?;
    }
    tx.execute_batch(&format!(
        "CREATE TABLE {FUNDING_TABLE} (id INTEGER PRIMARY KEY NOT NULL,
             project_uuid TEXT NOT NULL REFERENCES {PROJECTS_TABLE} (uuid) ON DELETE CASCADE,
             seq INTEGER NOT NULL, source TEXT NOT NULL, amount_wan REAL NOT NULL);
         CREATE INDEX {FUNDING_TABLE}_project ON {FUNDING_TABLE} (project_uuid, seq);
         CREATE TABLE {STAGES_TABLE} (id INTEGER PRIMARY KEY NOT NULL,
             project_uuid TEXT NOT NULL REFERENCES {PROJECTS_TABLE} (uuid) ON DELETE CASCADE,
             seq INTEGER NOT NULL, stage TEXT NOT NULL, planned_date TEXT, actual_date TEXT);
         CREATE INDEX {STAGES_TABLE}_project ON {STAGES_TABLE} (project_uuid, seq);
         CREATE TABLE {HISTORY_TABLE} (id INTEGER PRIMARY KEY NOT NULL,
             project_uuid TEXT NOT NULL REFERENCES {PROJECTS_TABLE} (uuid) ON DELETE CASCADE,
             seq INTEGER NOT NULL, at TEXT NOT NULL, who TEXT, fields TEXT,
             stage_from TEXT, stage_to TEXT);
         CREATE INDEX {HISTORY_TABLE}_project ON {HISTORY_TABLE} (project_uuid, seq);
         CREATE TABLE {MEETINGS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, project_uuid TEXT, kind TEXT NOT NULL, date TEXT NOT NULL,
             place TEXT, attendance INTEGER, attendees TEXT, chair TEXT, departments TEXT,
             agenda TEXT, decisions TEXT, comments TEXT);
         CREATE INDEX {MEETINGS_TABLE}_project ON {MEETINGS_TABLE} (project_uuid);"
    ))?;
    super::contents::register_attributes(
        tx,
        &[
            (
                FUNDING_TABLE,
                "项目资金来源 project funding",
                "Linli: funding sources of each project (万元)",
            ),
            (
                STAGES_TABLE,
                "项目阶段日期 project stage dates",
                "Linli: planned and actual dates per stage of each project",
            ),
            (
                HISTORY_TABLE,
                "项目变更记录 project history",
                "Linli: dated history of each project's changes",
            ),
            (
                MEETINGS_TABLE,
                "会议 meetings",
                "Linli: meetings (事前听证会, 事中协调会, 事后评议会, joint meetings, trainings)",
            ),
        ],
    )?;
    let mut rename = tx.prepare(&format!(
        "UPDATE {PROJECTS_TABLE} SET stage = ?2, workflow = ?3 WHERE stage = ?1"
    ))?;
    for (name, key, workflow) in STAGE_KEYS {
        rename.execute(params![name, key, workflow])?;
    }
    drop(rename);
    super::mark_changed(tx, PROJECTS_TABLE)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::model::workflow::Workflows;

    #[test]
    fn the_stage_names_it_renames_are_those_of_the_bundled_templates() {
        let w = Workflows::bundled();
        for (name, key, workflow) in super::STAGE_KEYS {
            let t = w.get(workflow).unwrap();
            let s = t.stage(key).unwrap();
            assert_eq!(&s.name_zh, name);
        }
    }
}
