//! One history for every record, with unlimited undo and redo.
//!
//! Applying a [`Command`] first stages it: each part is validated against the workspace as the
//! earlier parts left it, giving the before and after state of every record it touches (a
//! record touched twice is one change). The changes are then written in one transaction and
//! pushed as one [`Step`]. Undo writes the before states back, last change first; redo the
//! after states; each again in one transaction. A plan feature comes back into the row it had,
//! so undoing to the start restores the workspace's content exactly. Memory changes only after
//! the transaction committed. Street and community are derived whenever a feature is written.

use std::collections::BTreeMap;

use uuid::Uuid;

use super::Session;
use super::command::{Command, Edit, validate_geometry};
use crate::error::{Error, Problem, Result};
use crate::model::attachment::Attachment;
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::{Feature, PlanFeature, Project};

mod projects;
mod records;
mod write;

pub use crate::model::RecordId;

/// A record's stored state.
#[derive(Debug, Clone, PartialEq)]
enum Record {
    /// A plan feature and its row id (0: any new row).
    Plan(PlanFeature, i64),
    /// A project and its row id (0: a new row).
    Project(Project, i64),
    /// A meeting and its row id (0: a new row).
    Meeting(Meeting, i64),
    /// A person and its row id (0: a new row).
    Person(Person, i64),
    /// An organisation and its row id (0: a new row).
    Organisation(Organisation, i64),
    /// A task and its row id (0: a new row).
    Task(Task, i64),
    /// An attachment, bytes included, and its row id (0: a new row).
    Attachment(Attachment, i64),
}

/// The change of one record: what it was and what it became (`None`: absent).
#[derive(Debug, Clone)]
struct Change {
    id: RecordId,
    before: Option<Record>,
    after: Option<Record>,
}

/// One user action as written: the changes of every record it touched.
#[derive(Debug, Clone)]
struct Step {
    changes: Vec<Change>,
    /// For each change, the content hash of its row as this session last left it (after the
    /// action, or before it once undone; `None`: no row): undo and redo write only over rows
    /// that still hash so, never over another program's change (`store::row_hash`).
    hashes: Vec<Option<u64>>,
}

/// The content hash of each record's row, as written.
type Hashes = BTreeMap<RecordId, Option<u64>>;

/// Record states, in the order they are written.
type States = Vec<(RecordId, Option<Record>)>;

/// The undo and redo stacks of a session (unlimited depth; gone when the session closes).
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// The records a command in progress has touched, with their staged values, over the
/// session's committed state.
pub(super) struct Staging<'s> {
    pub(super) session: &'s Session,
    plan: BTreeMap<Uuid, Option<PlanFeature>>,
    pub(super) projects: BTreeMap<Uuid, Option<Project>>,
    pub(super) meetings: BTreeMap<Uuid, Option<Meeting>>,
    pub(super) people: BTreeMap<Uuid, Option<Person>>,
    pub(super) orgs: BTreeMap<Uuid, Option<Organisation>>,
    pub(super) tasks: BTreeMap<Uuid, Option<Task>>,
    pub(super) attachments: BTreeMap<Uuid, Option<Attachment>>,
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
            order: Vec::new(),
        }
    }

    fn plan_feature(&self, id: Uuid) -> Option<PlanFeature> {
        match self.plan.get(&id) {
            Some(staged) => staged.clone(),
            None => self.session.plan_feature(id).cloned(),
        }
    }

    fn existing(&self, id: Uuid) -> Result<PlanFeature> {
        self.plan_feature(id)
            .ok_or_else(|| Error::request(Problem::NoPlanFeature { id: id.to_string() }))
    }

    fn set_plan(&mut self, id: Uuid, value: Option<PlanFeature>) {
        if self.plan.insert(id, value).is_none() {
            self.order.push(RecordId::Plan(id));
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
            self.order.push(RecordId::Project(id));
        }
    }

    /// The ids of the plan features linked to project `code` as the command left them.
    fn features_of(&self, code: &str) -> Vec<Uuid> {
        let linked = |f: &PlanFeature| f.project.as_deref() == Some(code);
        let mut ids: Vec<Uuid> = self
            .session
            .plan()
            .iter()
            .filter(|f| !self.plan.contains_key(&f.feature.id) && linked(f))
            .map(|f| f.feature.id)
            .collect();
        ids.extend(
            self.plan
                .values()
                .flatten()
                .filter(|f| linked(f))
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

    /// The changes to write: every touched record's committed state and its staged one.
    fn into_changes(self) -> Vec<Change> {
        let Staging {
            session,
            mut plan,
            mut projects,
            mut meetings,
            mut people,
            mut orgs,
            mut tasks,
            mut attachments,
            order,
        } = self;
        order
            .into_iter()
            .filter_map(|id| match id {
                RecordId::Plan(uuid) => {
                    let after = plan.remove(&uuid)?;
                    Some(Change {
                        id,
                        before: session.plan_record(uuid),
                        after: after.map(|f| Record::Plan(f, 0)),
                    })
                }
                RecordId::Project(uuid) => {
                    let after = projects.remove(&uuid)?;
                    Some(Change {
                        id,
                        before: session.project_record(uuid),
                        after: after.map(|p| Record::Project(p, 0)),
                    })
                }
                RecordId::Meeting(uuid) => {
                    let after = meetings.remove(&uuid)?;
                    Some(Change {
                        id,
                        before: session.meeting_record(uuid),
                        after: after.map(|m| Record::Meeting(m, 0)),
                    })
                }
                RecordId::Person(uuid) => Some(Change {
                    id,
                    before: session
                        .people
                        .record(uuid)
                        .map(|(r, row)| Record::Person(r, row)),
                    after: people.remove(&uuid)?.map(|r| Record::Person(r, 0)),
                }),
                RecordId::Organisation(uuid) => Some(Change {
                    id,
                    before: session
                        .organisations
                        .record(uuid)
                        .map(|(r, row)| Record::Organisation(r, row)),
                    after: orgs.remove(&uuid)?.map(|r| Record::Organisation(r, 0)),
                }),
                RecordId::Task(uuid) => Some(Change {
                    id,
                    before: session
                        .tasks
                        .record(uuid)
                        .map(|(r, row)| Record::Task(r, row)),
                    after: tasks.remove(&uuid)?.map(|r| Record::Task(r, 0)),
                }),
                RecordId::Attachment(uuid) => {
                    let after = attachments.remove(&uuid)?;
                    Some(Change {
                        id,
                        before: session.attachment_record(uuid),
                        after: after.map(|a| Record::Attachment(a, 0)),
                    })
                }
            })
            .filter(|c| c.before != c.after)
            .collect()
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

    /// Applies a command: validated, written in one transaction, then recorded as one undo
    /// step. On error nothing changes, in the workspace or in memory. Returns the record the
    /// command leaves selected (for a batch, that of its last part).
    pub fn apply(&mut self, command: impl Into<Command>) -> Result<Uuid> {
        let command = command.into();
        let target = command
            .target()
            .ok_or_else(|| Error::request(Problem::EmptyCommand))?;
        let mut staging = Staging::new(self);
        staging.stage(command)?;
        let changes = staging.into_changes();
        let states: Vec<(RecordId, Option<Record>)> =
            changes.iter().map(|c| (c.id, c.after.clone())).collect();
        let (written, hashes) = self.write(&states, &[])?;
        let changes: Vec<Change> = changes
            .into_iter()
            .zip(written)
            .map(|(c, (_, after))| Change { after, ..c })
            .collect();
        let hashes = changes
            .iter()
            .map(|c| hashes.get(&c.id).copied().flatten())
            .collect();
        self.history.undo.push(Step { changes, hashes });
        self.history.redo.clear();
        Ok(target)
    }

    /// Undoes the last action; false when there is none.
    pub fn undo(&mut self) -> Result<bool> {
        self.travel(true)
    }

    /// Redoes the last undone action; false when there is none.
    pub fn redo(&mut self) -> Result<bool> {
        self.travel(false)
    }

    /// Moves one step back (undo: writes the before states, last change first) or forward
    /// (redo: the after states). A step whose write fails stays where it was; so does one
    /// whose rows another program changed since this session wrote them
    /// ([`Problem::ChangedElsewhere`], naming the first such feature or project).
    fn travel(&mut self, back: bool) -> Result<bool> {
        let popped = if back {
            self.history.undo.pop()
        } else {
            self.history.redo.pop()
        };
        let Some(mut step) = popped else {
            return Ok(false);
        };
        let expected: Vec<(RecordId, Option<u64>)> = step
            .changes
            .iter()
            .zip(&step.hashes)
            .map(|(c, h)| (c.id, *h))
            .collect();
        let states: Vec<(RecordId, Option<Record>)> = if back {
            step.changes
                .iter()
                .rev()
                .map(|c| (c.id, c.before.clone()))
                .collect()
        } else {
            step.changes
                .iter()
                .map(|c| (c.id, c.after.clone()))
                .collect()
        };
        let result = self.write(&states, &expected);
        let (done, pending) = if back {
            (&mut self.history.redo, &mut self.history.undo)
        } else {
            (&mut self.history.undo, &mut self.history.redo)
        };
        match result {
            Ok((_, hashes)) => {
                step.hashes = step
                    .changes
                    .iter()
                    .map(|c| hashes.get(&c.id).copied().flatten())
                    .collect();
                done.push(step);
                Ok(true)
            }
            Err(e) => {
                pending.push(step);
                Err(e)
            }
        }
    }

    fn plan_record(&self, id: Uuid) -> Option<Record> {
        let f = self.plan.get(id)?;
        Some(Record::Plan(f.clone(), self.plan.row(id)?))
    }

    fn project_record(&self, id: Uuid) -> Option<Record> {
        let p = self.projects.get(id)?;
        Some(Record::Project(p.clone(), self.projects.row(id)?))
    }

    fn meeting_record(&self, id: Uuid) -> Option<Record> {
        let m = self.meetings.get(id)?;
        Some(Record::Meeting(m.clone(), self.meetings.row(id)?))
    }

    fn attachment_record(&self, id: Uuid) -> Option<Record> {
        // Staging read the bytes already; a read failing here was failing there first.
        let (a, row) = self.attachment_stored(id).ok().flatten()?;
        Some(Record::Attachment(a, row))
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
