//! Schema 4 → 5: the roster and tasks. Three attributes tables keyed by UUID, registered in
//! `gpkg_contents` so QGIS lists and opens them, with their coded fields as enum constraints:
//! `linli_people` (`role`), `linli_organisations` (`kind`) and `linli_tasks` (`status`; a task
//! links to its meeting and project by their UUIDs).
//!
//! The roster is filled from what older files hold as free text: every name in a project's
//! mentor, planners, design team and departments and in a meeting's chair, attendees and
//! departments becomes a roster entry (a mentor as 导师, a planner as 社区规划师, a design team
//! and departments as organisations, anyone else as 其他), so those texts now name roster
//! entries and keep working.
//!
//! One function, [`people_and_tasks`], is both the migration step and what a new workspace
//! runs, so old and new files end up with identical tables. The DDL is frozen here: a later
//! schema is a later step.

use std::collections::BTreeMap;

use rusqlite::{Transaction, params};
use uuid::Uuid;

use super::{MEETINGS_TABLE, PROJECTS_TABLE};
use crate::error::Result;
use crate::model::people::{OrgKind, PersonRole, TaskStatus};
use crate::model::project::list_items;

/// People on the roster.
pub const PEOPLE_TABLE: &str = "linli_people";
/// Organisations: design teams, departments, street offices.
pub const ORGANISATIONS_TABLE: &str = "linli_organisations";
/// Tasks, usually a meeting's decisions.
pub const TASKS_TABLE: &str = "linli_tasks";

/// Creates the roster and task tables with their coded fields, and fills the roster from the
/// names projects and meetings already hold. Runs in the caller's transaction; the schema
/// extension's tables must exist.
pub(super) fn people_and_tasks(tx: &Transaction<'_>) -> Result<()> {
    tx.execute_batch(&format!(
        "CREATE TABLE {PEOPLE_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL, role TEXT NOT NULL,
             organisation TEXT, streets TEXT, contact TEXT, notes TEXT);
         CREATE INDEX {PEOPLE_TABLE}_name ON {PEOPLE_TABLE} (name);
         CREATE TABLE {ORGANISATIONS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, name TEXT NOT NULL, kind TEXT NOT NULL, notes TEXT);
         CREATE INDEX {ORGANISATIONS_TABLE}_name ON {ORGANISATIONS_TABLE} (name);
         CREATE TABLE {TASKS_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             uuid TEXT NOT NULL UNIQUE, title TEXT NOT NULL, meeting_uuid TEXT,
             project_uuid TEXT, owner TEXT, due_date TEXT, status TEXT NOT NULL, notes TEXT);
         CREATE INDEX {TASKS_TABLE}_meeting ON {TASKS_TABLE} (meeting_uuid);
         CREATE INDEX {TASKS_TABLE}_project ON {TASKS_TABLE} (project_uuid);"
    ))?;
    super::contents::register_attributes(
        tx,
        &[
            (
                PEOPLE_TABLE,
                "人员 people",
                "Linli: the roster (导师, 社区规划师, design-team members, department staff)",
            ),
            (
                ORGANISATIONS_TABLE,
                "单位 organisations",
                "Linli: design teams, departments (委办局) and street offices",
            ),
            (
                TASKS_TABLE,
                "任务 tasks",
                "Linli: tasks from meetings' decisions, with owner, due date and status",
            ),
        ],
    )?;
    super::write_enum_constraint(
        tx,
        PEOPLE_TABLE,
        "role",
        "linli_person_role",
        &PersonRole::codes(),
    )?;
    super::write_enum_constraint(
        tx,
        ORGANISATIONS_TABLE,
        "kind",
        "linli_org_kind",
        &OrgKind::codes(),
    )?;
    super::write_enum_constraint(
        tx,
        TASKS_TABLE,
        "status",
        "linli_task_status",
        &TaskStatus::codes(),
    )?;
    roster_from_names(tx)
}

/// Roster entries for the names projects and meetings hold, first role seen winning (a
/// project's mentor before its planners, projects before meetings), in a stable order.
fn roster_from_names(tx: &Transaction<'_>) -> Result<()> {
    let mut people: BTreeMap<String, (usize, PersonRole)> = BTreeMap::new();
    let mut orgs: BTreeMap<String, (usize, OrgKind)> = BTreeMap::new();
    let mut seen = 0;
    let mut names = |sql: String, columns: &[(usize, Option<PersonRole>, Option<OrgKind>)]| {
        let mut stmt = tx.prepare(&sql)?;
        let mut rows = stmt.query([])?;
        while let Some(r) = rows.next()? {
            for (i, role, kind) in columns {
                let text: Option<String> = r.get(*i)?;
                for name in list_items(text.as_deref().unwrap_or_default()) {
                    seen += 1;
                    if let Some(role) = role {
                        people.entry(name.to_string()).or_insert((seen, *role));
                    }
                    if let Some(kind) = kind {
                        orgs.entry(name.to_string()).or_insert((seen, *kind));
                    }
                }
            }
        }
        Ok::<_, crate::error::Error>(())
    };
    names(
        format!(
            "SELECT mentor, planners, design_team, departments FROM {PROJECTS_TABLE} ORDER BY code"
        ),
        &[
            (0, Some(PersonRole::Mentor), None),
            (1, Some(PersonRole::Planner), None),
            (2, None, Some(OrgKind::DesignTeam)),
            (3, None, Some(OrgKind::Department)),
        ],
    )?;
    names(
        format!("SELECT chair, attendees, departments FROM {MEETINGS_TABLE} ORDER BY date, uuid"),
        &[
            (0, Some(PersonRole::Other), None),
            (1, Some(PersonRole::Other), None),
            (2, None, Some(OrgKind::Department)),
        ],
    )?;
    let mut people: Vec<(usize, String, PersonRole)> =
        people.into_iter().map(|(n, (i, r))| (i, n, r)).collect();
    people.sort();
    for (_, name, role) in people {
        tx.execute(
            &format!("INSERT INTO {PEOPLE_TABLE} (uuid, name, role) VALUES (?1, ?2, ?3)"),
            params![Uuid::new_v4().to_string(), name, role.key()],
        )?;
    }
    let mut orgs: Vec<(usize, String, OrgKind)> =
        orgs.into_iter().map(|(n, (i, k))| (i, n, k)).collect();
    orgs.sort();
    for (_, name, kind) in orgs {
        tx.execute(
            &format!("INSERT INTO {ORGANISATIONS_TABLE} (uuid, name, kind) VALUES (?1, ?2, ?3)"),
            params![Uuid::new_v4().to_string(), name, kind.key()],
        )?;
    }
    Ok(())
}
