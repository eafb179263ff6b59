//! One history for every record, with unlimited undo and redo.
//!
//! Applying a [`Command`] first stages it: each part is validated against the workspace as the
//! earlier parts left it, giving the before and after state of every record it touches (a
//! record touched twice is one change). That becomes a [`Changeset`] — per record, per field,
//! the value before and after — which the store writes in one transaction, checked against the
//! file, and which is pushed as one undo step. Undo writes the inverse changeset, redo the
//! changeset again, each checked the same way: another program's change to a field is never
//! overwritten, and a change to another field stays. A deleted record comes back into the row
//! it had, so undoing to the start restores the workspace's content exactly. Memory changes
//! only after the transaction committed. Street and community are derived whenever a feature
//! is written.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::Session;
use super::command::{Command, Edit, validate_geometry};
use crate::error::{Error, Problem, Result};
use crate::model::alternative::Alternative;
use crate::model::attachment::Attachment;
use crate::model::change::{Changeset, Record, RecordChange, RecordKind};
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::{Feature, PlanFeature, Project};

mod alternatives;
mod projects;
mod records;
mod write;

pub use crate::model::RecordId;

/// The undo and redo stacks of a session (unlimited depth; gone when the session closes): each
/// step is the changeset an action wrote.
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Changeset>,
    redo: Vec<Changeset>,
}

/// The records a command in progress has touched, with their staged values, over the
/// session's committed state.
pub(super) struct Staging<'s> {
    pub(super) session: &'s Session,
    pub(super) plan: BTreeMap<Uuid, Option<PlanFeature>>,
    pub(super) projects: BTreeMap<Uuid, Option<Project>>,
    pub(super) meetings: BTreeMap<Uuid, Option<Meeting>>,
    pub(super) people: BTreeMap<Uuid, Option<Person>>,
    pub(super) orgs: BTreeMap<Uuid, Option<Organisation>>,
    pub(super) tasks: BTreeMap<Uuid, Option<Task>>,
    pub(super) attachments: BTreeMap<Uuid, Option<Attachment>>,
    pub(super) inputs: BTreeMap<Uuid, Option<crate::model::input::ResidentInput>>,
    pub(super) alternatives: BTreeMap<Uuid, Option<Alternative>>,
    /// Records in the order they were first touched, so writes are deterministic.
    pub(super) order: Vec<RecordId>,
}

impl<'s> Staging<'s> {
    fn new(session: &'s Session) -> Self {
        Self {
            session,
            plan: BTreeMap::new(),
            projects: BTreeMap::new(),
            meetings: BTreeMap::new(),
            people: BTreeMap::new(),
            orgs: BTreeMap::new(),
            tasks: BTreeMap::new(),
            attachments: BTreeMap::new(),
            inputs: BTreeMap::new(),
            alternatives: BTreeMap::new(),
            order: Vec::new(),
        }
    }

    pub(super) fn plan_feature(&self, id: Uuid) -> Option<PlanFeature> {
        match self.plan.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.plan_feature(id).cloned(),
        }
    }

    fn existing(&self, id: Uuid) -> Result<PlanFeature> {
        self.plan_feature(id)
            .ok_or_else(|| Error::request(Problem::NoPlanFeature { id: id.to_string() }))
    }

    pub(super) fn set_plan(&mut self, id: Uuid, value: Option<PlanFeature>) {
        if self.plan.insert(id, value).is_none() {
            self.order.push(RecordId::of(RecordKind::Plan, id));
        }
    }

    pub(super) fn project(&self, id: Uuid) -> Option<Project> {
        match self.projects.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.project(id).cloned(),
        }
    }

    /// The project holding this code as the command left it.
    fn project_by_code(&self, code: &str) -> Option<Project> {
        let staged = self.projects.values().flatten().find(|p| p.code == code);
        if let Some(p) = staged {
            return Some(p.clone());
        }
        self.session
            .projects()
            .get(code)
            .filter(|p| !self.projects.contains_key(&p.id))
            .cloned()
    }

    pub(super) fn set_project(&mut self, id: Uuid, value: Option<Project>) {
        if self.projects.insert(id, value).is_none() {
            self.order.push(RecordId::of(RecordKind::Project, id));
        }
    }

    /// The ids of the plan features linked to project `code` as the command left them.
    fn features_of(&self, code: &str) -> Vec<Uuid> {
        self.features_where(|f| f.project.as_deref() == Some(code))
    }

    /// The ids of the plan features `wanted` keeps, as the command left them, sorted.
    pub(super) fn features_where(&self, wanted: impl Fn(&PlanFeature) -> bool) -> Vec<Uuid> {
        let mut ids: Vec<Uuid> = self
            .session
            .plan()
            .iter()
            .filter(|f| !self.plan.contains_key(&f.feature.id) && wanted(f))
            .map(|f| f.feature.id)
            .collect();
        ids.extend(
            self.plan
                .values()
                .flatten()
                .filter(|f| wanted(f))
                .map(|f| f.feature.id),
        );
        ids.sort();
        ids
    }

    fn stage(&mut self, command: Command) -> Result<()> {
        match command {
            Command::Plan(edit) => self.stage_edit(edit),
            Command::Project(edit) => self.stage_project(edit),
            Command::Meeting(edit) => self.stage_meeting(edit),
            Command::Person(edit) => self.stage_person(edit),
            Command::Organisation(edit) => self.stage_organisation(edit),
            Command::Task(edit) => self.stage_task(edit),
            Command::Attachment(edit) => self.stage_attachment(edit),
            Command::Input(edit) => self.stage_input(edit),
            Command::Alternative(edit) => self.stage_alternative(edit),
            Command::ChooseAlternative {
                project,
                alternative,
            } => self.stage_choice(project, alternative),
            Command::Batch(commands) => commands.into_iter().try_for_each(|c| self.stage(c)),
        }
    }

    fn stage_edit(&mut self, edit: Edit) -> Result<()> {
        let (id, after) = match edit {
            Edit::Add(new) => {
                if self.plan_feature(new.id).is_some() {
                    return Err(Error::request(Problem::PlanFeatureExists {
                        id: new.id.to_string(),
                    }));
                }
                // A feature linked to a project the workspace lacks would be listed by
                // `linli check` and lose its project fields on export: refused, as SetProject.
                self.check_project(new.project.as_deref())?;
                let feature = PlanFeature {
                    feature: Feature {
                        id: new.id,
                        name: new.name,
                        geometry: new.geometry,
                        properties: new.properties,
                    },
                    element: new.element,
                    project: new.project,
                    alternative: None,
                    street: None,
                    community: None,
                };
                (new.id, Some(feature))
            }
            Edit::Delete(id) => {
                self.existing(id)?;
                (id, None)
            }
            Edit::SetGeometry { id, geometry } => {
                let mut f = self.existing(id)?;
                f.feature.geometry = geometry;
                (id, Some(f))
            }
            Edit::SetElement { id, element } => {
                let mut f = self.existing(id)?;
                f.element = element;
                (id, Some(f))
            }
            Edit::SetName { id, name } => {
                let mut f = self.existing(id)?;
                f.feature.name = name;
                (id, Some(f))
            }
            Edit::SetProject { id, project } => {
                let mut f = self.existing(id)?;
                self.check_project(project.as_deref())?;
                f.project = project;
                (id, Some(f))
            }
            Edit::SetAlternative { id, alternative } => {
                let mut f = self.existing(id)?;
                if let Some(a) = alternative {
                    f.project = Some(self.alternative_project_code(a)?);
                }
                f.alternative = alternative;
                (id, Some(f))
            }
            Edit::SetProperty { id, key, value } => {
                let mut f = self.existing(id)?;
                match value {
                    Some(v) => {
                        f.feature.properties.insert(key, v);
                    }
                    None => {
                        f.feature.properties.shift_remove(&key);
                    }
                }
                (id, Some(f))
            }
            Edit::Duplicate {
                id,
                new_id,
                offset_lon,
                offset_lat,
            } => {
                use geo::Translate;
                if self.plan_feature(new_id).is_some() {
                    return Err(Error::request(Problem::PlanFeatureExists {
                        id: new_id.to_string(),
                    }));
                }
                let mut f = self.existing(id)?;
                f.feature.id = new_id;
                f.feature.geometry = f.feature.geometry.translate(offset_lon, offset_lat);
                (new_id, Some(f))
            }
        };
        if let Some(f) = &after {
            self.session.validate_plan_feature(f)?;
        }
        self.set_plan(id, after);
        Ok(())
    }

    /// The changeset to write: for every touched record, its committed state to its staged
    /// one, field by field (a deleted record's row kept, so undo puts it back there).
    fn into_changeset(self) -> Result<Changeset> {
        let Staging {
            session,
            mut plan,
            mut projects,
            mut meetings,
            mut people,
            mut orgs,
            mut tasks,
            mut attachments,
            mut inputs,
            mut alternatives,
            order,
        } = self;
        fn change<T: Record>(cs: &mut Changeset, before: Option<(&T, i64)>, after: Option<&T>) {
            if let Some(mut c) = RecordChange::between(before.map(|(r, _)| r), after) {
                c.row_before = before.map(|(_, row)| row);
                cs.changes.push(c);
            }
        }
        let mut cs = Changeset::default();
        for id in order {
            let uuid = id.uuid();
            match id.kind() {
                RecordKind::Plan => {
                    let Some(after) = plan.remove(&uuid) else {
                        continue;
                    };
                    let before = session.plan.get(uuid).zip(session.plan.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Project => {
                    let Some(after) = projects.remove(&uuid) else {
                        continue;
                    };
                    let before = session.projects.get(uuid).zip(session.projects.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Meeting => {
                    let Some(after) = meetings.remove(&uuid) else {
                        continue;
                    };
                    let before = session.meetings.get(uuid).zip(session.meetings.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Person => {
                    let Some(after) = people.remove(&uuid) else {
                        continue;
                    };
                    let before = session.people.get(uuid).zip(session.people.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Organisation => {
                    let Some(after) = orgs.remove(&uuid) else {
                        continue;
                    };
                    let before = session
                        .organisations
                        .get(uuid)
                        .zip(session.organisations.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Task => {
                    let Some(after) = tasks.remove(&uuid) else {
                        continue;
                    };
                    let before = session.tasks.get(uuid).zip(session.tasks.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Attachment => {
                    let Some(after) = attachments.remove(&uuid) else {
                        continue;
                    };
                    // Staging read the bytes already; a read failing here was failing there.
                    let before = session.attachment_stored(uuid)?;
                    change(
                        &mut cs,
                        before.as_ref().map(|(a, row)| (a, *row)),
                        after.as_ref(),
                    );
                }
                RecordKind::Input => {
                    let Some(after) = inputs.remove(&uuid) else {
                        continue;
                    };
                    let before = session.inputs.get(uuid).zip(session.inputs.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                RecordKind::Alternative => {
                    let Some(after) = alternatives.remove(&uuid) else {
                        continue;
                    };
                    let before = session
                        .alternatives
                        .get(uuid)
                        .zip(session.alternatives.row(uuid));
                    change(&mut cs, before, after.as_ref());
                }
                // Settings change through `Session::set_planner`, the exchange's records
                // through a merge or a conflict's resolution, provenance with the change it
                // describes; never a command's staging.
                RecordKind::Setting
                | RecordKind::Peer
                | RecordKind::Base
                | RecordKind::Conflict
                | RecordKind::Provenance => continue,
            }
        }
        Ok(cs)
    }
}

impl Session {
    /// True when there is an action to undo.
    pub fn can_undo(&self) -> bool {
        !self.history.undo.is_empty()
    }

    /// True when there is an undone action to redo.
    pub fn can_redo(&self) -> bool {
        !self.history.redo.is_empty()
    }

    /// Applies a command: validated, made a changeset, written in one transaction checked
    /// against the file (see [`Session::commit`]), then recorded as one undo step. On error
    /// nothing changes in the workspace, and in memory only the record another program
    /// changed, read again. Returns the record the command leaves selected (for a batch, that
    /// of its last part).
    pub fn apply(&mut self, command: impl Into<Command>) -> Result<Uuid> {
        let command = command.into();
        let target = command
            .target()
            .ok_or_else(|| Error::request(Problem::EmptyCommand))?;
        let mut staging = Staging::new(self);
        staging.stage(command)?;
        let changes = self.stamped(staging.into_changeset()?)?;
        let applied = self.commit(&changes)?;
        // One action, one step, even one that changed nothing.
        self.history.undo.push(applied);
        self.history.redo.clear();
        Ok(target)
    }

    /// Records `step`, a changeset just committed, as one undo step (an action that does not
    /// go through [`Session::apply`]: a merge, a conflict resolved).
    pub(in crate::session) fn push_step(&mut self, step: Changeset) {
        self.history.undo.push(step);
        self.history.redo.clear();
    }

    /// The changeset the last action wrote (what undo would invert), if any.
    pub fn last_changeset(&self) -> Option<&Changeset> {
        self.history.undo.last()
    }

    /// Undoes the last action; false when there is none.
    pub fn undo(&mut self) -> Result<bool> {
        self.travel(true)
    }

    /// Redoes the last undone action; false when there is none.
    pub fn redo(&mut self) -> Result<bool> {
        self.travel(false)
    }

    /// Moves one step back (undo: the step's inverse changeset) or forward (redo: the step
    /// again), each checked against the file as any change is: a step whose fields another
    /// program changed since is refused and stays where it was
    /// ([`Problem::ChangedElsewhere`], naming the record and the field).
    fn travel(&mut self, back: bool) -> Result<bool> {
        let popped = if back {
            self.history.undo.pop()
        } else {
            self.history.redo.pop()
        };
        let Some(step) = popped else {
            return Ok(false);
        };
        let result = if back {
            self.commit(&step.inverse()).map(|done| done.inverse())
        } else {
            self.commit(&step)
        };
        let (done, pending) = if back {
            (&mut self.history.redo, &mut self.history.undo)
        } else {
            (&mut self.history.undo, &mut self.history.redo)
        };
        match result {
            Ok(step) => {
                // Records this step added and undo took away never existed elsewhere: no
                // tombstone keeps them out of a later merge.
                let unborn: Vec<RecordId> = if back {
                    step.changes
                        .iter()
                        .filter(|c| c.op == crate::model::change::Op::Insert)
                        .map(|c| c.record)
                        .collect()
                } else {
                    Vec::new()
                };
                done.push(step);
                self.store.forget_tombstones(&unborn)?;
                Ok(true)
            }
            Err(e) => {
                pending.push(step);
                Err(e)
            }
        }
    }

    pub(crate) fn validate_plan_feature(&self, f: &PlanFeature) -> Result<()> {
        let element = self.catalog.get(&f.element).ok_or_else(|| {
            Error::request(Problem::UnknownElementType {
                element: f.element.clone(),
            })
        })?;
        validate_geometry(&f.feature.geometry).map_err(Error::request)?;
        let kind = f
            .kind()
            .ok_or_else(|| Error::request(Problem::MixedGeometry))?;
        if !element.allowed.contains(&kind) {
            return Err(Error::request(Problem::CannotBeDrawnAs {
                name_zh: element.name_zh.clone(),
                key: element.key.clone(),
                kind: kind.key().to_string(),
            }));
        }
        Ok(())
    }
}
