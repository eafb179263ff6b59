//! The project records (`linli_projects`).

use rusqlite::{Connection, params};

use super::{PROJECTS_TABLE, Store};
use crate::error::{Error, Result};
use crate::model::Project;

impl Store {
    /// Every project, by code.
    pub fn projects(&self) -> Result<Vec<Project>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT code, name, programme, year, stage, budget_wan FROM {PROJECTS_TABLE} ORDER BY code"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Project {
                code: r.get(0)?,
                name: r.get(1)?,
                programme: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                year: r.get(3)?,
                stage: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                budget_wan: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Inserts a project, or fails if its code is taken.
pub fn insert_project(conn: &Connection, project: &Project) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO {PROJECTS_TABLE} (code, name, programme, year, stage, budget_wan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        params![project.code, project.name, project.programme, project.year, project.stage, project.budget_wan],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Error::Invalid(format!("a project with code {:?} already exists", project.code))
        }
        other => Error::Sqlite(other),
    })?;
    Ok(())
}
