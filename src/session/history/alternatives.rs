//! Staging of design alternatives: their edits, and choosing one as the project's plan.

use uuid::Uuid;

use super::{RecordId, Staging};
use crate::error::{Error, Problem, Result};
use crate::model::alternative::{Alternative, AlternativeStatus};
use crate::model::change::RecordKind;
use crate::session::command::AlternativeEdit;

/// The label of the alternative choosing keeps a project's earlier plan in (原方案): a record's
/// data, like 方案 A, not an interface word.
pub const ORIGINAL_LABEL: &str = "原方案";

impl Staging<'_> {
    /// Alternative `id` as the command has left it.
    pub(in crate::session) fn alternative(&self, id: Uuid) -> Option<Alternative> {
        match self.alternatives.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.alternatives.get(id).cloned(),
        }
    }

    fn set_alternative(&mut self, id: Uuid, value: Option<Alternative>) {
        if self.alternatives.insert(id, value).is_none() {
            self.order.push(RecordId::of(RecordKind::Alternative, id));
        }
    }

    /// The code of the project alternative `id` is a design for.
    pub(super) fn alternative_project_code(&self, id: Uuid) -> Result<String> {
        let a = self.alternative(id).ok_or_else(|| missing(id))?;
        self.project(a.project).map(|p| p.code).ok_or_else(|| {
            Error::request(Problem::NoProjectWithId {
                id: a.project.to_string(),
            })
        })
    }

    /// The alternatives of project `project` as the command has left them, by id.
    fn alternatives_of(&self, project: Uuid) -> Vec<Alternative> {
        let mut ids: Vec<Uuid> = self
            .session
            .alternatives
            .all()
            .filter(|a| a.project == project)
            .map(|a| a.id)
            .collect();
        ids.extend(
            self.alternatives
                .values()
                .flatten()
                .filter(|a| a.project == project)
                .map(|a| a.id),
        );
        ids.sort();
        ids.dedup();
        ids.into_iter()
            .filter_map(|id| self.alternative(id))
            .filter(|a| a.project == project)
            .collect()
    }

    /// The ids of the plan features of alternative `id` (of project `code`, when given) as
    /// the command has left them.
    fn features_in(&self, id: Option<Uuid>, code: Option<&str>) -> Vec<Uuid> {
        self.features_where(|f| {
            f.alternative == id && code.is_none_or(|c| f.project.as_deref() == Some(c))
        })
    }

    pub(super) fn stage_alternative(&mut self, edit: AlternativeEdit) -> Result<()> {
        use crate::session::command::RecordEdit;
        match edit {
            RecordEdit::Add(a) => {
                if self.alternative(a.id).is_some() {
                    return Err(Error::request(Problem::ProjectIdTaken {
                        id: a.id.to_string(),
                    }));
                }
                self.check_alternative(&a)?;
                self.set_alternative(a.id, Some(a));
            }
            RecordEdit::Update(a) => {
                let old = self.alternative(a.id).ok_or_else(|| missing(a.id))?;
                self.check_alternative(&a)?;
                // The status moves only by choosing, which keeps one chosen per project.
                let a = Alternative {
                    status: old.status,
                    ..a
                };
                self.set_alternative(a.id, Some(a));
            }
            RecordEdit::Delete(id) => {
                self.alternative(id).ok_or_else(|| missing(id))?;
                // Its design goes with it, in the same step (undo brings both back).
                for f in self.features_in(Some(id), None) {
                    self.set_plan(f, None);
                }
                self.set_alternative(id, None);
            }
        }
        Ok(())
    }

    /// Deletes project `project`'s alternatives: the features of a chosen one stay (its
    /// design is the plan), those of the others go with them.
    pub(super) fn drop_alternatives_of(&mut self, project: Uuid) {
        for a in self.alternatives_of(project) {
            for id in self.features_in(Some(a.id), None) {
                let kept = self
                    .plan_feature(id)
                    .filter(|_| a.status == AlternativeStatus::Chosen);
                let kept = kept.map(|mut f| {
                    f.alternative = None;
                    f
                });
                self.set_plan(id, kept);
            }
            self.set_alternative(a.id, None);
        }
    }

    fn check_alternative(&self, a: &Alternative) -> Result<()> {
        if let Some(problem) = a.problem() {
            return Err(Error::request(problem));
        }
        if self.project(a.project).is_none() {
            return Err(Error::request(Problem::NoProjectWithId {
                id: a.project.to_string(),
            }));
        }
        Ok(())
    }

    /// Alternative `chosen` becomes project `project`'s plan: see
    /// [`crate::session::Command::ChooseAlternative`].
    pub(super) fn stage_choice(&mut self, project: Uuid, chosen: Uuid) -> Result<()> {
        let p = self.project(project).ok_or_else(|| {
            Error::request(Problem::NoProjectWithId {
                id: project.to_string(),
            })
        })?;
        match self.alternative(chosen) {
            Some(a) if a.project == project => {}
            _ => return Err(missing(chosen)),
        }
        let original = self.features_in(None, Some(&p.code));
        if !original.is_empty() {
            let taken: Vec<Alternative> = self.alternatives_of(project);
            let taken: Vec<&str> = taken.iter().map(|a| a.label.as_str()).collect();
            let label = if taken.contains(&ORIGINAL_LABEL) {
                crate::model::alternative::next_label(&taken).replace("方案", ORIGINAL_LABEL)
            } else {
                ORIGINAL_LABEL.to_string()
            };
            let kept = Alternative {
                status: AlternativeStatus::Archived,
                ..Alternative::new(project, &label)
            };
            for id in original {
                if let Some(mut f) = self.plan_feature(id) {
                    f.alternative = Some(kept.id);
                    self.set_plan(id, Some(f));
                }
            }
            self.set_alternative(kept.id, Some(kept));
        }
        for mut a in self.alternatives_of(project) {
            let status = if a.id == chosen {
                AlternativeStatus::Chosen
            } else {
                AlternativeStatus::Archived
            };
            if a.status != status {
                a.status = status;
                self.set_alternative(a.id, Some(a));
            }
        }
        Ok(())
    }
}

fn missing(id: Uuid) -> Error {
    Error::request(Problem::NoAlternativeWithId { id: id.to_string() })
}
