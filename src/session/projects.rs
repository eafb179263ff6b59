//! The project records held in memory: by code (what plan features link by and views list),
//! with O(1) lookups by id and the row id of each in the store, updated per record.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use crate::model::Project;

/// The projects of a session.
#[derive(Debug, Default)]
pub(crate) struct ProjectSet {
    by_code: BTreeMap<String, Project>,
    /// Code of each project, by id.
    code_of: HashMap<Uuid, String>,
    /// Row id of each project in `linli_projects`, so undo can put a row back as it was.
    rows: HashMap<Uuid, i64>,
}

impl ProjectSet {
    /// Builds the set from the store's rows.
    pub(crate) fn from_rows(rows: Vec<(Project, i64)>) -> Self {
        let mut set = Self::default();
        for (project, row) in rows {
            set.put(project, row);
        }
        set
    }

    /// Every project, by code.
    pub(crate) fn by_code(&self) -> &BTreeMap<String, Project> {
        &self.by_code
    }

    /// The project with this id.
    pub(crate) fn get(&self, id: Uuid) -> Option<&Project> {
        self.by_code.get(self.code_of.get(&id)?)
    }

    /// The project's row id.
    pub(crate) fn row(&self, id: Uuid) -> Option<i64> {
        self.rows.get(&id).copied()
    }

    /// Inserts or replaces a project (by its id), stored in row `row`.
    pub(crate) fn put(&mut self, project: Project, row: i64) {
        if let Some(old_code) = self.code_of.insert(project.id, project.code.clone()) {
            self.by_code.remove(&old_code);
        }
        self.rows.insert(project.id, row);
        self.by_code.insert(project.code.clone(), project);
    }

    /// Removes a project.
    pub(crate) fn remove(&mut self, id: Uuid) {
        if let Some(code) = self.code_of.remove(&id) {
            self.by_code.remove(&code);
        }
        self.rows.remove(&id);
    }
}
