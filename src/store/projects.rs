//! The project records (`linli_projects` and its list tables), keyed by their UUID; the code
//! is unique too.
//!
//! Plan features link to a project by its code (`project_code`); these functions do not relink
//! them when a code changes or a project goes: the caller's command does that in the same
//! transaction.

use std::collections::HashMap;

use rusqlite::types::Value;
use rusqlite::{Connection, params};
use uuid::Uuid;

use super::project_tables::list_row_id;
use super::{FUNDING_TABLE, HISTORY_TABLE, PROJECTS_TABLE, STAGES_TABLE, Store};
use crate::error::{Error, Problem, Result};
use crate::model::Project;
use crate::model::project::{Funding, HistoryEntry, StageDates};

/// The columns of `linli_projects` a record is read from and written to, after `uuid`.
/// Projects with their row ids, and what reading them found.
pub type ProjectRows = (Vec<(Project, i64)>, Vec<Problem>);

const COLUMNS: &str = "code, name, programme, year, stage, budget_wan, workflow, scope, actual_wan, \
     owner_unit, design_team, mentor, planners, departments, progress_pct, comments";

impl Store {
    /// Every project, by code.
    pub fn projects(&self) -> Result<Vec<Project>> {
        Ok(self
            .project_rows()?
            .into_iter()
            .map(|(project, _)| project)
            .collect())
    }

    /// Every project with its row id, by code, with its funding sources, stage dates and
    /// history (four queries, whatever the number of projects).
    pub fn project_rows(&self) -> Result<Vec<(Project, i64)>> {
        Ok(self.read_projects()?.0)
    }

    /// Every project with its row id, by code, with its lists, and what reading found: a
    /// project whose `uuid` is missing or not a UUID (typed in another program) gets a fresh one
    /// — written back, with its list rows, unless the store is read-only — and a
    /// [`Problem::PlanIdReplaced`] note naming its row, instead of the whole workspace being
    /// refused. List rows naming no project are left out.
    pub fn read_projects(&self) -> Result<ProjectRows> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, {COLUMNS}, id FROM {PROJECTS_TABLE} ORDER BY code"
        ))?;
        let mut rows = stmt.query([])?;
        let mut out = Vec::new();
        let mut notes = Vec::new();
        let mut seen = std::collections::HashSet::new();
        // The text each project's list rows name it by (its stored uuid, whatever it is).
        let mut slot: HashMap<String, usize> = HashMap::new();
        while let Some(r) = rows.next()? {
            let row_id: i64 = r.get(17)?;
            let mut project = match project_of_row(r) {
                Ok(project) => project,
                Err(detail) => {
                    notes.push(super::unreadable_row(PROJECTS_TABLE, row_id, detail));
                    continue;
                }
            };
            let stored: String = r
                .get_ref(0)?
                .as_str()
                .map(str::to_string)
                .unwrap_or_default();
            project.id = match Uuid::parse_str(stored.trim())
                .ok()
                .filter(|id| !seen.contains(id))
            {
                Some(id) => id,
                None => {
                    let id = Uuid::new_v4();
                    notes.push(Problem::PlanIdReplaced {
                        table: PROJECTS_TABLE.to_string(),
                        fid: row_id,
                        found: stored.clone(),
                        id: id.to_string(),
                        written: !self.read_only,
                    });
                    id
                }
            };
            seen.insert(project.id);
            slot.entry(stored).or_insert(out.len());
            out.push((project, row_id));
        }
        drop(rows);
        drop(stmt);
        // A project one of whose list rows cannot be read is left out whole: saving it would
        // rewrite its lists without that row. By slot: (list table, row).
        let mut broken: HashMap<usize, (&'static str, i64)> = HashMap::new();
        let mut child =
            |table: &'static str,
             sql: String,
             fill: &mut dyn FnMut(&mut Project, &rusqlite::Row<'_>) -> rusqlite::Result<()>|
             -> Result<()> {
                let mut stmt = self.conn.prepare(&sql)?;
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let uuid: Option<String> = r.get_ref(0)?.as_str().ok().map(str::to_string);
                    let at = uuid.and_then(|u| slot.get(&u).copied());
                    let Some((p, _)) = at.and_then(|i| out.get_mut(i)) else {
                        continue;
                    };
                    if let Err(e) = fill(p, r) {
                        let list_row: i64 = r.get(r.as_ref().column_count() - 1)?;
                        notes.push(super::unreadable_row(
                            table,
                            list_row,
                            super::column_error(r, &e),
                        ));
                        if let Some(i) = at {
                            broken.entry(i).or_insert((table, list_row));
                        }
                    }
                }
                Ok(())
            };
        child(
            FUNDING_TABLE,
            format!(
                "SELECT project_uuid, source, amount_wan, id FROM {FUNDING_TABLE} ORDER BY project_uuid, seq"
            ),
            &mut |p, r| {
                p.funding.push(Funding {
                    source: r.get(1)?,
                    amount_wan: r.get(2)?,
                });
                Ok(())
            },
        )?;
        child(
            STAGES_TABLE,
            format!(
                "SELECT project_uuid, stage, planned_date, actual_date, id FROM {STAGES_TABLE} ORDER BY project_uuid, seq"
            ),
            &mut |p, r| {
                p.stage_dates.push(StageDates {
                    stage: r.get(1)?,
                    planned: r.get(2)?,
                    actual: r.get(3)?,
                });
                Ok(())
            },
        )?;
        child(
            HISTORY_TABLE,
            format!(
                "SELECT project_uuid, at, who, fields, stage_from, stage_to, id FROM {HISTORY_TABLE} ORDER BY project_uuid, seq"
            ),
            &mut |p, r| {
                let fields: Option<String> = r.get(3)?;
                p.history.push(HistoryEntry {
                    at: r.get(1)?,
                    who: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                    fields: fields
                        .map(|f| {
                            f.split(',')
                                .filter(|s| !s.is_empty())
                                .map(str::to_string)
                                .collect()
                        })
                        .unwrap_or_default(),
                    stage_from: r.get(4)?,
                    stage_to: r.get(5)?,
                });
                Ok(())
            },
        )?;
        if !broken.is_empty() {
            let mut slots: Vec<(usize, (&str, i64))> = broken.into_iter().collect();
            slots.sort_unstable_by_key(|(i, _)| std::cmp::Reverse(*i));
            for (i, (table, list_row)) in slots {
                let (project, row) = out.remove(i);
                notes.retain(|n| {
                    !matches!(n, Problem::PlanIdReplaced { fid, table, .. }
                        if *fid == row && table == PROJECTS_TABLE)
                });
                notes.push(super::unreadable_row(
                    PROJECTS_TABLE,
                    row,
                    format!(
                        "project {}: its row {list_row} in {table} cannot be read",
                        project.code
                    ),
                ));
            }
        }
        if !self.read_only {
            for note in &notes {
                if let Problem::PlanIdReplaced { fid, found, id, .. } = note {
                    self.conn.execute(
                        &format!("UPDATE {PROJECTS_TABLE} SET uuid = ?1 WHERE id = ?2"),
                        params![id, fid],
                    )?;
                    for table in [FUNDING_TABLE, STAGES_TABLE, HISTORY_TABLE] {
                        self.conn.execute(
                            &format!(
                                "UPDATE {table} SET project_uuid = ?1 WHERE project_uuid = ?2"
                            ),
                            params![id, found],
                        )?;
                    }
                }
            }
        }
        Ok((out, notes))
    }
}

/// A project (without its lists, its id still nil) from a row of `uuid, COLUMNS, id`, or why
/// it cannot be read.
fn project_of_row(r: &rusqlite::Row<'_>) -> std::result::Result<Project, String> {
    use super::{column, text_column as text};
    Ok(Project {
        id: Uuid::nil(),
        code: column(r, 1)?,
        name: column(r, 2)?,
        programme: text(r, 3)?,
        year: column(r, 4)?,
        stage: text(r, 5)?,
        budget_wan: column(r, 6)?,
        workflow: text(r, 7)?,
        scope: text(r, 8)?,
        actual_wan: column(r, 9)?,
        owner_unit: text(r, 10)?,
        design_team: text(r, 11)?,
        mentor: text(r, 12)?,
        planners: text(r, 13)?,
        departments: text(r, 14)?,
        progress_pct: column(r, 15)?,
        comments: text(r, 16)?,
        funding: Vec::new(),
        stage_dates: Vec::new(),
        history: Vec::new(),
    })
}

impl Store {
    /// The planner's name recorded with every project change (`linli_meta.planner`), set once
    /// per workspace; empty when not set.
    pub fn planner_name(&self) -> Result<String> {
        use rusqlite::OptionalExtension;
        Ok(self
            .conn
            .query_row(
                "SELECT value FROM linli_meta WHERE key = 'planner'",
                [],
                |r| r.get::<_, String>(0),
            )
            .optional()?
            .unwrap_or_default())
    }

    /// Sets the planner's name, in one transaction of its own (a workspace setting, not an
    /// edit of a record: it is not on the undo history).
    pub fn set_planner_name(&mut self, name: &str) -> Result<()> {
        let tx = self.begin()?;
        tx.execute("DELETE FROM linli_meta WHERE key = 'planner'", [])?;
        tx.execute(
            "INSERT INTO linli_meta (key, value) VALUES ('planner', ?1)",
            [name],
        )?;
        tx.commit()?;
        Ok(())
    }
}

/// Inserts a project with its own id (undo puts a deleted project back as it was), or fails if
/// its code or its id is taken. Runs in the caller's transaction.
pub fn insert_project(conn: &Connection, project: &Project) -> Result<()> {
    insert_project_at(conn, project, None).map(|_| ())
}

/// Inserts a project into row `row` when given (undo puts a deleted project back into the row
/// it had, so the table's content is restored exactly), else a new row; returns the row id.
/// Its lists go to their tables. Fails if its code, id or row is taken. Runs in the caller's
/// transaction.
pub fn insert_project_at(conn: &Connection, project: &Project, row: Option<i64>) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO {PROJECTS_TABLE} (uuid, {COLUMNS}, id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)"
    ))?
    .execute(params![
        project.id.to_string(),
        project.code,
        project.name,
        project.programme,
        project.year,
        project.stage,
        project.budget_wan,
        project.workflow,
        project.scope,
        project.actual_wan,
        project.owner_unit,
        project.design_team,
        project.mentor,
        project.planners,
        project.departments,
        project.progress_pct,
        project.comments,
        row
    ])
    .map_err(|e| constraint_error(e, project))?;
    let row = conn.last_insert_rowid();
    write_lists(conn, project, row)?;
    Ok(row)
}

/// Rewrites the project with `project.id` (its code may change, and stays unique) and brings
/// its lists to what it holds, writing only the list rows that changed. Fails when no project
/// has that id. Runs in the caller's transaction.
pub fn update_project(conn: &Connection, project: &Project) -> Result<()> {
    let n = conn
        .prepare_cached(&format!(
            "UPDATE {PROJECTS_TABLE} SET code = ?2, name = ?3, programme = ?4, year = ?5, stage = ?6,
                 budget_wan = ?7, workflow = ?8, scope = ?9, actual_wan = ?10, owner_unit = ?11,
                 design_team = ?12, mentor = ?13, planners = ?14, departments = ?15,
                 progress_pct = ?16, comments = ?17
             WHERE uuid = ?1"
        ))?
        .execute(params![
            project.id.to_string(),
            project.code,
            project.name,
            project.programme,
            project.year,
            project.stage,
            project.budget_wan,
            project.workflow,
            project.scope,
            project.actual_wan,
            project.owner_unit,
            project.design_team,
            project.mentor,
            project.planners,
            project.departments,
            project.progress_pct,
            project.comments,
        ])
        .map_err(|e| constraint_error(e, project))?;
    if n == 0 {
        return Err(no_such_project(project.id));
    }
    let row: i64 = conn
        .prepare_cached(&format!("SELECT id FROM {PROJECTS_TABLE} WHERE uuid = ?1"))?
        .query_row([project.id.to_string()], |r| r.get(0))?;
    sync_lists(conn, project, row)
}

/// Deletes the project with id `id` and its lists. Fails when there is none. Runs in the
/// caller's transaction.
pub fn delete_project(conn: &Connection, id: Uuid) -> Result<()> {
    delete_lists(conn, id)?;
    let n = conn
        .prepare_cached(&format!("DELETE FROM {PROJECTS_TABLE} WHERE uuid = ?1"))?
        .execute([id.to_string()])?;
    if n == 0 {
        return Err(no_such_project(id));
    }
    Ok(())
}

fn delete_lists(conn: &Connection, id: Uuid) -> Result<()> {
    for table in [FUNDING_TABLE, STAGES_TABLE, HISTORY_TABLE] {
        conn.prepare_cached(&format!("DELETE FROM {table} WHERE project_uuid = ?1"))?
            .execute([id.to_string()])?;
    }
    Ok(())
}

/// One of a project's list tables: its name and the columns an entry fills, after
/// `id, project_uuid, seq`.
struct ListTable {
    table: &'static str,
    columns: &'static str,
}

const FUNDING: ListTable = ListTable {
    table: FUNDING_TABLE,
    columns: "source, amount_wan",
};
const STAGES: ListTable = ListTable {
    table: STAGES_TABLE,
    columns: "stage, planned_date, actual_date",
};
const HISTORY: ListTable = ListTable {
    table: HISTORY_TABLE,
    columns: "at, who, fields, stage_from, stage_to",
};

/// A project's lists as the values of their rows, table by table.
fn list_values(project: &Project) -> [(&'static ListTable, Vec<Vec<Value>>); 3] {
    let text = |s: &str| Value::Text(s.to_string());
    let maybe = |s: &Option<String>| s.clone().map_or(Value::Null, Value::Text);
    [
        (
            &FUNDING,
            project
                .funding
                .iter()
                .map(|f| vec![text(&f.source), Value::Real(f.amount_wan)])
                .collect(),
        ),
        (
            &STAGES,
            project
                .stage_dates
                .iter()
                .map(|d| vec![text(&d.stage), maybe(&d.planned), maybe(&d.actual)])
                .collect(),
        ),
        (
            &HISTORY,
            project
                .history
                .iter()
                .map(|h| {
                    vec![
                        text(&h.at),
                        text(&h.who),
                        text(&h.fields.join(",")),
                        maybe(&h.stage_from),
                        maybe(&h.stage_to),
                    ]
                })
                .collect(),
        ),
    ]
}

/// Writes a new project's lists, each entry under its derived key ([`list_row_id`]). A list
/// longer than the capacity fails on the key's uniqueness: an error, never a panic.
fn write_lists(conn: &Connection, project: &Project, row: i64) -> Result<()> {
    let uuid = project.id.to_string();
    for (list, entries) in list_values(project) {
        for (seq, values) in entries.into_iter().enumerate() {
            insert_entry(conn, list, &uuid, row, seq, values)?;
        }
    }
    Ok(())
}

/// Brings a stored project's lists to what `project` holds, writing only the rows that
/// differ: an entry already stored under its key with the same values stays; any other row of
/// the project (changed, moved, beyond the list's end, or not under its derived key) is
/// deleted, and the entries missing are inserted. The rows left are exactly those
/// [`write_lists`] writes, so an edit that appends one history entry writes one row.
fn sync_lists(conn: &Connection, project: &Project, row: i64) -> Result<()> {
    let uuid = project.id.to_string();
    for (list, entries) in list_values(project) {
        let mut kept = vec![false; entries.len()];
        let mut stale = Vec::new();
        {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, seq, {} FROM {} WHERE project_uuid = ?1",
                list.columns, list.table
            ))?;
            let mut rows = stmt.query([&uuid])?;
            while let Some(r) = rows.next()? {
                let id: i64 = r.get(0)?;
                let seq: Option<i64> = r.get(1)?;
                let entry = seq
                    .and_then(|s| usize::try_from(s).ok())
                    .filter(|s| list_row_id(row, *s) == id)
                    .and_then(|s| Some((s, entries.get(s)?)));
                let same = match entry {
                    Some((s, values)) if !kept[s] => {
                        let mut same = true;
                        for (i, v) in values.iter().enumerate() {
                            same &= r.get::<_, Value>(i + 2)? == *v;
                        }
                        same.then_some(s)
                    }
                    _ => None,
                };
                match same {
                    Some(s) => kept[s] = true,
                    None => stale.push(id),
                }
            }
        }
        let mut delete =
            conn.prepare_cached(&format!("DELETE FROM {} WHERE id = ?1", list.table))?;
        for id in stale {
            delete.execute([id])?;
        }
        for (seq, values) in entries.into_iter().enumerate() {
            if !kept[seq] {
                insert_entry(conn, list, &uuid, row, seq, values)?;
            }
        }
    }
    Ok(())
}

/// Inserts entry `seq` of a list of the project `uuid` (in row `row`) under its derived key.
fn insert_entry(
    conn: &Connection,
    list: &ListTable,
    uuid: &str,
    row: i64,
    seq: usize,
    values: Vec<Value>,
) -> Result<()> {
    let marks: String = (0..values.len()).map(|i| format!(", ?{}", i + 4)).collect();
    let mut stmt = conn.prepare_cached(&format!(
        "INSERT INTO {} (id, project_uuid, seq, {}) VALUES (?1, ?2, ?3{marks})",
        list.table, list.columns
    ))?;
    let mut all = vec![
        Value::Integer(list_row_id(row, seq)),
        Value::Text(uuid.to_string()),
        Value::Integer(seq as i64),
    ];
    all.extend(values);
    stmt.execute(rusqlite::params_from_iter(all))?;
    Ok(())
}

fn no_such_project(id: Uuid) -> Error {
    Error::request(Problem::NoProjectWithId { id: id.to_string() })
}

fn constraint_error(e: rusqlite::Error, project: &Project) -> Error {
    match e {
        rusqlite::Error::SqliteFailure(f, message)
            if f.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            if message.as_deref().is_some_and(|m| m.contains(".uuid")) {
                Error::request(Problem::ProjectIdTaken {
                    id: project.id.to_string(),
                })
            } else {
                Error::request(Problem::ProjectCodeTaken {
                    code: project.code.clone(),
                })
            }
        }
        other => Error::Sqlite(other),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::catalog::Catalog;

    fn project(code: &str) -> Project {
        Project {
            id: Uuid::new_v4(),
            code: code.into(),
            name: format!("项目 {code}"),
            programme: "缤纷社区".into(),
            year: Some(2024),
            stage: "approval".into(),
            budget_wan: Some(12.5),
            funding: vec![Funding {
                source: "区级财政".into(),
                amount_wan: 10.0,
            }],
            stage_dates: vec![StageDates {
                stage: "approval".into(),
                planned: Some("2024-03-01".into()),
                actual: None,
            }],
            history: vec![HistoryEntry {
                at: "2024-03-01T08:00:00Z".into(),
                who: "张三".into(),
                fields: vec!["created".into()],
                stage_from: None,
                stage_to: None,
            }],
            ..Project::default()
        }
    }

    #[test]
    fn projects_round_trip_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.gpkg"), &Catalog::bundled()).unwrap();
        let a = project("A");
        let b = project("B");
        let tx = store.begin().unwrap();
        insert_project(&tx, &b).unwrap();
        insert_project(&tx, &a).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.projects().unwrap(), vec![a.clone(), b.clone()]);

        let tx = store.begin().unwrap();
        let err = insert_project(
            &tx,
            &Project {
                id: Uuid::new_v4(),
                ..a.clone()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains("code \"A\""), "{err}");
        let err = insert_project(
            &tx,
            &Project {
                code: "C".into(),
                ..a.clone()
            },
        )
        .unwrap_err();
        assert!(err.to_string().contains(&a.id.to_string()), "{err}");
        let renamed = Project {
            code: "Z".into(),
            name: "改名".into(),
            ..a.clone()
        };
        update_project(&tx, &renamed).unwrap();
        let clash = Project {
            code: "B".into(),
            ..a.clone()
        };
        assert!(update_project(&tx, &clash).is_err(), "codes stay unique");
        assert!(update_project(&tx, &project("Q")).is_err(), "unknown id");
        tx.commit().unwrap();
        assert_eq!(store.projects().unwrap(), vec![b.clone(), renamed.clone()]);

        let tx = store.begin().unwrap();
        delete_project(&tx, b.id).unwrap();
        assert!(delete_project(&tx, b.id).is_err());
        // Undo of the delete: the project comes back with its own id.
        insert_project(&tx, &b).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.projects().unwrap(), vec![b, renamed]);
    }

    /// Every list row of the file, table by table, as text.
    fn list_rows(store: &Store) -> Vec<String> {
        let mut out = Vec::new();
        for table in [FUNDING_TABLE, STAGES_TABLE, HISTORY_TABLE] {
            let mut stmt = store
                .conn
                .prepare(&format!("SELECT * FROM {table} ORDER BY id"))
                .unwrap();
            let n = stmt.column_count();
            let rows = stmt
                .query_map([], |r| {
                    let values: Vec<String> = (0..n)
                        .map(|i| format!("{:?}", r.get::<_, Value>(i).unwrap()))
                        .collect();
                    Ok(format!("{table}: {}", values.join(" | ")))
                })
                .unwrap();
            out.extend(rows.map(Result::unwrap));
        }
        out
    }

    #[test]
    fn an_update_writes_only_the_list_rows_that_changed() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.gpkg"), &Catalog::bundled()).unwrap();
        let mut fresh = Store::create(&dir.path().join("q.gpkg"), &Catalog::bundled()).unwrap();
        let mut a = project("A");
        a.funding.push(Funding {
            source: "街镇".into(),
            amount_wan: 2.5,
        });
        let b = project("B");
        let tx = store.begin().unwrap();
        insert_project(&tx, &a).unwrap();
        insert_project(&tx, &b).unwrap();
        tx.commit().unwrap();

        // One history entry appended: the project's row and one list row are written.
        a.progress_pct = Some(40.0);
        a.history.push(HistoryEntry {
            at: "2024-04-01T08:00:00Z".into(),
            who: "李四".into(),
            fields: vec!["progress_pct".into()],
            stage_from: None,
            stage_to: None,
        });
        let tx = store.begin().unwrap();
        let before = tx.total_changes();
        update_project(&tx, &a).unwrap();
        assert_eq!(
            tx.total_changes() - before,
            2,
            "the project row and one entry"
        );
        tx.commit().unwrap();

        // A funding entry changed, one dropped, the stage dates emptied; and rows another
        // program left (an entry moved off its key, a stray entry) go.
        let tx = store.begin().unwrap();
        tx.execute(
            &format!(
                "INSERT INTO {HISTORY_TABLE} (id, project_uuid, seq, at) VALUES (99, ?1, 7, 'x')"
            ),
            [a.id.to_string()],
        )
        .unwrap();
        tx.execute(
            &format!("UPDATE {HISTORY_TABLE} SET who = '王五' WHERE project_uuid = ?1 AND seq = 0"),
            [a.id.to_string()],
        )
        .unwrap();
        a.funding = vec![Funding {
            source: "社会资金".into(),
            amount_wan: 1.0,
        }];
        a.stage_dates.clear();
        update_project(&tx, &a).unwrap();
        tx.commit().unwrap();
        assert_eq!(store.projects().unwrap(), vec![a.clone(), b.clone()]);

        // The rows are exactly those of the same records written afresh.
        let tx = fresh.begin().unwrap();
        insert_project(&tx, &a).unwrap();
        insert_project(&tx, &b).unwrap();
        tx.commit().unwrap();
        assert_eq!(list_rows(&store), list_rows(&fresh));
    }
}
