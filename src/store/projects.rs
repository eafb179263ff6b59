//! The project records (`linli_projects`), keyed by their UUID; the code is unique too.
//!
//! Plan features link to a project by its code (`project_code`); these functions do not relink
//! them when a code changes or a project goes: the caller's command does that in the same
//! transaction.

use rusqlite::{Connection, params};
use uuid::Uuid;

use super::{PROJECTS_TABLE, Store};
use crate::error::{Error, Problem, Result};
use crate::model::Project;

/// Projects with their row ids, and what reading them found.
pub type ProjectRows = (Vec<(Project, i64)>, Vec<Problem>);

impl Store {
    /// Every project, by code.
    pub fn projects(&self) -> Result<Vec<Project>> {
        Ok(self
            .project_rows()?
            .into_iter()
            .map(|(project, _)| project)
            .collect())
    }

    /// Every project with its row id, by code.
    pub fn project_rows(&self) -> Result<Vec<(Project, i64)>> {
        Ok(self.read_projects()?.0)
    }

    /// Every project with its row id, by code, and what reading found: a project whose `uuid`
    /// is missing or not a UUID (typed in another program) gets a fresh one — written back
    /// unless the store is read-only — and a [`Problem::PlanIdReplaced`] note naming its row,
    /// instead of the whole workspace being refused.
    pub fn read_projects(&self) -> Result<ProjectRows> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, code, name, programme, year, stage, budget_wan, id FROM {PROJECTS_TABLE} ORDER BY code"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, Option<String>>(0).unwrap_or_default(),
                Project {
                    id: Uuid::nil(),
                    code: r.get(1)?,
                    name: r.get(2)?,
                    programme: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                    year: r.get(4)?,
                    stage: r.get::<_, Option<String>>(5)?.unwrap_or_default(),
                    budget_wan: r.get(6)?,
                },
                r.get::<_, i64>(7)?,
            ))
        })?;
        let mut out = Vec::new();
        let mut notes = Vec::new();
        let mut seen = std::collections::HashSet::new();
        for row in rows {
            let (text, mut project, row_id) = row?;
            let text = text.unwrap_or_default();
            project.id = match Uuid::parse_str(text.trim())
                .ok()
                .filter(|id| !seen.contains(id))
            {
                Some(id) => id,
                None => {
                    let id = Uuid::new_v4();
                    notes.push(Problem::PlanIdReplaced {
                        table: PROJECTS_TABLE.to_string(),
                        fid: row_id,
                        found: text,
                        id: id.to_string(),
                        written: !self.read_only,
                    });
                    id
                }
            };
            seen.insert(project.id);
            out.push((project, row_id));
        }
        drop(stmt);
        if !self.read_only {
            for note in &notes {
                if let Problem::PlanIdReplaced { fid, id, .. } = note {
                    self.conn.execute(
                        &format!("UPDATE {PROJECTS_TABLE} SET uuid = ?1 WHERE id = ?2"),
                        params![id, fid],
                    )?;
                }
            }
        }
        Ok((out, notes))
    }
}

/// Inserts a project with its own id (undo puts a deleted project back as it was), or fails if
/// its code or its id is taken. Runs in the caller's transaction.
pub fn insert_project(conn: &Connection, project: &Project) -> Result<()> {
    insert_project_at(conn, project, None).map(|_| ())
}

/// Inserts a project into row `row` when given (undo puts a deleted project back into the row
/// it had, so the table's content is restored exactly), else a new row; returns the row id.
/// Fails if its code, id or row is taken. Runs in the caller's transaction.
pub fn insert_project_at(conn: &Connection, project: &Project, row: Option<i64>) -> Result<i64> {
    conn.prepare_cached(&format!(
        "INSERT INTO {PROJECTS_TABLE} (uuid, code, name, programme, year, stage, budget_wan, id) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"
    ))?
    .execute(params![
        project.id.to_string(),
        project.code,
        project.name,
        project.programme,
        project.year,
        project.stage,
        project.budget_wan,
        row
    ])
    .map_err(|e| constraint_error(e, project))?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites the project with `project.id` (its code may change, and stays unique). Fails when no
/// project has that id. Runs in the caller's transaction.
pub fn update_project(conn: &Connection, project: &Project) -> Result<()> {
    let n = conn
        .prepare_cached(&format!(
            "UPDATE {PROJECTS_TABLE} SET code = ?2, name = ?3, programme = ?4, year = ?5, stage = ?6, budget_wan = ?7
             WHERE uuid = ?1"
        ))?
        .execute(params![
            project.id.to_string(),
            project.code,
            project.name,
            project.programme,
            project.year,
            project.stage,
            project.budget_wan
        ])
        .map_err(|e| constraint_error(e, project))?;
    if n == 0 {
        return Err(no_such_project(project.id));
    }
    Ok(())
}

/// Deletes the project with id `id`. Fails when there is none. Runs in the caller's transaction.
pub fn delete_project(conn: &Connection, id: Uuid) -> Result<()> {
    let n = conn
        .prepare_cached(&format!("DELETE FROM {PROJECTS_TABLE} WHERE uuid = ?1"))?
        .execute([id.to_string()])?;
    if n == 0 {
        return Err(no_such_project(id));
    }
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
            stage: "立项".into(),
            budget_wan: Some(12.5),
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
}
