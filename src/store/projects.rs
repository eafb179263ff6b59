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
        self.read_projects_where(None)
    }

    /// [`Store::read_projects`], or only the project with id `only`.
    pub(crate) fn read_projects_where(&self, only: Option<Uuid>) -> Result<ProjectRows> {
        let (main, of) = (
            super::where_uuid("uuid", only),
            super::where_uuid("project_uuid", only),
        );
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, {COLUMNS}, id FROM {PROJECTS_TABLE} {main} ORDER BY code"
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
                "SELECT project_uuid, source, amount_wan, id FROM {FUNDING_TABLE} {of} ORDER BY project_uuid, seq"
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
                "SELECT project_uuid, stage, planned_date, actual_date, id FROM {STAGES_TABLE} {of} ORDER BY project_uuid, seq"
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
                "SELECT project_uuid, at, who, fields, stage_from, stage_to, id FROM {HISTORY_TABLE} {of} ORDER BY project_uuid, seq"
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

/// Brings those of a stored project's lists that are among the `changed` fields (`funding`,
/// `stage_dates`, `history`) to what it holds; the others stay as the file has them (a
/// funding row another program added stays when only the history changed).
pub(super) fn write_changed_lists(
    conn: &Connection,
    project: &Project,
    row: i64,
    changed: &[&str],
) -> Result<()> {
    let uuid = project.id.to_string();
    for (list, entries) in list_values(project) {
        if changed.contains(&list.field) {
            sync_list(conn, list, &uuid, row, entries)?;
        }
    }
    Ok(())
}

pub(super) fn delete_lists(conn: &Connection, id: Uuid) -> Result<()> {
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
    /// The project's field the list is.
    field: &'static str,
    columns: &'static str,
}

const FUNDING: ListTable = ListTable {
    table: FUNDING_TABLE,
    field: "funding",
    columns: "source, amount_wan",
};
const STAGES: ListTable = ListTable {
    table: STAGES_TABLE,
    field: "stage_dates",
    columns: "stage, planned_date, actual_date",
};
const HISTORY: ListTable = ListTable {
    table: HISTORY_TABLE,
    field: "history",
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

/// Brings one list of project `uuid` (in row `row`) to `entries`, writing only the rows that
/// differ (an entry already stored under its key with the same values stays; any other row is deleted, and the entries missing are inserted).
fn sync_list(
    conn: &Connection,
    list: &ListTable,
    uuid: &str,
    row: i64,
    entries: Vec<Vec<Value>>,
) -> Result<()> {
    {
        let mut kept = vec![false; entries.len()];
        let mut stale = Vec::new();
        {
            let mut stmt = conn.prepare_cached(&format!(
                "SELECT id, seq, {} FROM {} WHERE project_uuid = ?1",
                list.columns, list.table
            ))?;
            let mut rows = stmt.query([uuid])?;
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
                insert_entry(conn, list, uuid, row, seq, values)?;
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
        other => Error::from(other),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::catalog::Catalog;
    use crate::store::PlanDerived;

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

    /// Applies the change from `before` to `after` (no plan features involved).
    fn apply(
        store: &mut Store,
        before: Option<&Project>,
        after: Option<&Project>,
    ) -> Result<std::result::Result<Vec<super::super::Written>, super::super::Refused>> {
        let mut cs = crate::model::Changeset::default();
        cs.push(before, after);
        let none = |_: &mut crate::model::PlanFeature| PlanDerived {
            element_name: "",
            area_m2: None,
            length_m: None,
        };
        store.apply(&cs, &none)
    }

    #[test]
    fn projects_round_trip_by_id() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::create(&dir.path().join("p.gpkg"), &Catalog::bundled()).unwrap();
        let a = project("A");
        let b = project("B");
        apply(&mut store, None, Some(&b)).unwrap().unwrap();
        apply(&mut store, None, Some(&a)).unwrap().unwrap();
        assert_eq!(store.projects().unwrap(), vec![a.clone(), b.clone()]);

        let other = Project {
            id: Uuid::new_v4(),
            ..a.clone()
        };
        let err = apply(&mut store, None, Some(&other)).unwrap_err();
        assert!(err.to_string().contains("code \"A\""), "{err}");
        let same_id = Project {
            code: "C".into(),
            ..a.clone()
        };
        let refused = apply(&mut store, None, Some(&same_id))
            .unwrap()
            .unwrap_err();
        assert_eq!(refused.conflict, super::super::Conflict::Added);
        let renamed = Project {
            code: "Z".into(),
            name: "改名".into(),
            ..a.clone()
        };
        apply(&mut store, Some(&a), Some(&renamed))
            .unwrap()
            .unwrap();
        let clash = Project {
            code: "B".into(),
            ..renamed.clone()
        };
        assert!(
            apply(&mut store, Some(&renamed), Some(&clash)).is_err(),
            "codes stay unique"
        );
        let unknown = project("Q");
        let unknown_renamed = Project {
            name: "无此项目".into(),
            ..unknown.clone()
        };
        let refused = apply(&mut store, Some(&unknown), Some(&unknown_renamed))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            refused.conflict,
            super::super::Conflict::Deleted,
            "unknown id"
        );
        assert_eq!(store.projects().unwrap(), vec![b.clone(), renamed.clone()]);

        let gone = apply(&mut store, Some(&b), None).unwrap().unwrap();
        let row = gone[0].row_before;
        assert!(apply(&mut store, Some(&b), None).unwrap().is_err());
        // Undo of the delete: the project comes back with its own id, into its row.
        let mut back = crate::model::Changeset::default();
        back.push(None, Some(&b));
        back.changes[0].row_after = row;
        let none = |_: &mut crate::model::PlanFeature| PlanDerived {
            element_name: "",
            area_m2: None,
            length_m: None,
        };
        let again = store.apply(&back, &none).unwrap().unwrap();
        assert_eq!(again[0].state.as_ref().map(|(_, r)| Some(*r)), Some(row));
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
        apply(&mut store, None, Some(&a)).unwrap().unwrap();
        apply(&mut store, None, Some(&b)).unwrap().unwrap();

        // One history entry appended: the project's row and one list row are written.
        let old = a.clone();
        a.progress_pct = Some(40.0);
        a.history.push(HistoryEntry {
            at: "2024-04-01T08:00:00Z".into(),
            who: "李四".into(),
            fields: vec!["progress_pct".into()],
            stage_from: None,
            stage_to: None,
        });
        let before = store.conn.total_changes();
        apply(&mut store, Some(&old), Some(&a)).unwrap().unwrap();
        assert_eq!(
            store.conn.total_changes() - before,
            2,
            "the project row and one entry"
        );

        // A funding entry changed, one dropped, the stage dates emptied.
        let old = a.clone();
        a.funding = vec![Funding {
            source: "社会资金".into(),
            amount_wan: 1.0,
        }];
        a.stage_dates.clear();
        apply(&mut store, Some(&old), Some(&a)).unwrap().unwrap();
        assert_eq!(store.projects().unwrap(), vec![a.clone(), b.clone()]);
        // The rows are exactly those of the same records written afresh.
        apply(&mut fresh, None, Some(&a)).unwrap().unwrap();
        apply(&mut fresh, None, Some(&b)).unwrap().unwrap();
        assert_eq!(list_rows(&store), list_rows(&fresh));

        // Another program adds a history row and changes a name in one: an edit of the
        // funding leaves the history as that program left it; an edit of the history is
        // refused, naming the field.
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
        tx.commit().unwrap();
        let old = a.clone();
        a.funding.push(Funding {
            source: "自治金".into(),
            amount_wan: 0.5,
        });
        let written = apply(&mut store, Some(&old), Some(&a)).unwrap().unwrap();
        let Some((super::super::AnyRecord::Project(now), _)) = &written[0].state else {
            panic!("the project as written");
        };
        assert_eq!(now.funding, a.funding);
        assert_eq!(
            now.history[0].who, "王五",
            "the other program's change stays"
        );
        assert_eq!(now.history.len(), 3, "and its row: {:?}", now.history);
        let mut edited = now.clone();
        edited.history.pop();
        let refused = apply(&mut store, Some(&a), Some(&edited))
            .unwrap()
            .unwrap_err();
        assert_eq!(
            refused.conflict,
            super::super::Conflict::Changed("history".into())
        );
    }
}
