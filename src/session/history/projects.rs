//! Staging of projects: their checks, their history entries and the relinking of features when a code changes.

use super::Staging;
use crate::error::{Error, Problem, Result};
use crate::model::Project;
use crate::model::meeting::Meeting;
use crate::model::project::{HistoryEntry, utc_text};
use crate::session::command::ProjectEdit;

impl Staging<'_> {
    pub(super) fn stage_project(&mut self, edit: ProjectEdit) -> Result<()> {
        match edit {
            ProjectEdit::Add(mut project) => {
                if self.project(project.id).is_some() {
                    return Err(Error::request(Problem::ProjectIdTaken {
                        id: project.id.to_string(),
                    }));
                }
                self.check_code(&project)?;
                self.check_record(&project)?;
                let stage = (!project.stage.is_empty()).then(|| project.stage.clone());
                project.history = vec![self.history_entry(
                    vec!["created".into()],
                    stage.as_ref().map(|_| String::new()),
                    stage,
                )];
                self.enrol_project_names(&project);
                self.set_project(project.id, Some(project));
            }
            ProjectEdit::Update(mut project) => {
                let old = self.project(project.id).ok_or_else(|| {
                    Error::request(Problem::NoProjectWithId {
                        id: project.id.to_string(),
                    })
                })?;
                self.check_code(&project)?;
                self.check_record(&project)?;
                // The history is the session's to write: the old one, plus this change.
                project.history = old.history.clone();
                let fields: Vec<String> = old
                    .changed_fields(&project)
                    .into_iter()
                    .map(|f| f.key().to_string())
                    .collect();
                if !fields.is_empty() {
                    let moved = old.stage != project.stage;
                    let entry = self.history_entry(
                        fields,
                        moved.then(|| old.stage.clone()),
                        moved.then(|| project.stage.clone()),
                    );
                    project.history.push(entry);
                }
                if old.code != project.code {
                    self.relink(&old.code, Some(&project.code))?;
                }
                self.enrol_project_names(&project);
                self.set_project(project.id, Some(project));
            }
            ProjectEdit::Delete(id) => {
                let old = self.project(id).ok_or_else(|| {
                    Error::request(Problem::NoProjectWithId { id: id.to_string() })
                })?;
                self.relink(&old.code, None)?;
                // Its meetings stay on record, no longer tied to a project.
                let held: Vec<Meeting> = self
                    .session
                    .records()
                    .meetings_of(id)
                    .into_iter()
                    .filter_map(|m| self.meeting(m.id))
                    .filter(|m| m.project == Some(id))
                    .collect();
                for mut m in held {
                    m.project = None;
                    self.set_meeting(m.id, Some(m));
                }
                // So do its tasks.
                self.unlink_tasks(|t| {
                    let linked = t.project == Some(id);
                    t.project = t.project.filter(|_| !linked);
                    linked
                });
                // Its attachments go with it (and come back with it on undo).
                self.drop_attachments_of(id)?;
                // So do its design alternatives: the chosen one's features stay, in the plan.
                self.drop_alternatives_of(id);
                self.set_project(id, None);
            }
        }
        Ok(())
    }

    /// A feature may link only to a project the workspace holds (as the command left it).
    pub(super) fn check_project(&self, code: Option<&str>) -> Result<()> {
        match code {
            Some(code) if self.project_by_code(code).is_none() => {
                Err(Error::request(Problem::NoSuchProject {
                    code: code.to_string(),
                }))
            }
            _ => Ok(()),
        }
    }

    /// A project record must pass its own checks ([`Project::problems`]); the first problem
    /// refuses the command, naming the field.
    fn check_record(&self, project: &Project) -> Result<()> {
        match project.problems(&self.session.workflows).into_iter().next() {
            Some((field, problem)) => Err(Error::request(Problem::ProjectFieldInvalid {
                field: field.key().to_string(),
                problem: Box::new(problem),
            })),
            None => Ok(()),
        }
    }

    /// A history entry for a change made now by the workspace's planner.
    fn history_entry(
        &self,
        fields: Vec<String>,
        stage_from: Option<String>,
        stage_to: Option<String>,
    ) -> HistoryEntry {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
        HistoryEntry {
            at: utc_text(secs),
            who: self.session.planner().to_string(),
            fields,
            stage_from,
            stage_to,
        }
    }

    /// A project's code must be given and not held by another project.
    fn check_code(&self, project: &Project) -> Result<()> {
        if project.code.trim().is_empty() {
            return Err(Error::request(Problem::ProjectCodeEmpty));
        }
        match self.project_by_code(&project.code) {
            Some(other) if other.id != project.id => {
                Err(Error::request(Problem::ProjectCodeTaken {
                    code: project.code.clone(),
                }))
            }
            _ => Ok(()),
        }
    }

    /// Moves every feature linked to project `from` to `to` (or unlinks it).
    fn relink(&mut self, from: &str, to: Option<&str>) -> Result<()> {
        for id in self.features_of(from) {
            let mut f = self.existing(id)?;
            f.project = to.map(str::to_string);
            self.set_plan(id, Some(f));
        }
        Ok(())
    }
}
