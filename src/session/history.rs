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

use super::command::{Command, Edit, ProjectEdit, validate_geometry};
use super::{Session, plan_derived};
use crate::error::{Error, Problem, Result};
use crate::model::attachment::Attachment;
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::project::{HistoryEntry, utc_text};
use crate::model::{Feature, PlanFeature, Project};
use crate::store;

mod records;

/// A record of the workspace, by its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordId {
    /// A plan feature.
    Plan(Uuid),
    /// A project record.
    Project(Uuid),
    /// A meeting record.
    Meeting(Uuid),
    /// A person on the roster.
    Person(Uuid),
    /// An organisation on the roster.
    Organisation(Uuid),
    /// A task.
    Task(Uuid),
    /// A project attachment.
    Attachment(Uuid),
}

impl RecordId {
    /// The record's UUID.
    pub fn uuid(self) -> Uuid {
        match self {
            RecordId::Plan(u)
            | RecordId::Project(u)
            | RecordId::Meeting(u)
            | RecordId::Person(u)
            | RecordId::Organisation(u)
            | RecordId::Task(u)
            | RecordId::Attachment(u) => u,
        }
    }
}

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

fn row_ref(id: RecordId) -> store::RowRef {
    match id {
        RecordId::Plan(uuid) => store::RowRef::Plan(uuid),
        RecordId::Project(uuid) => store::RowRef::Project(uuid),
        RecordId::Meeting(uuid) => store::RowRef::Meeting(uuid),
        RecordId::Person(uuid) => store::RowRef::Person(uuid),
        RecordId::Organisation(uuid) => store::RowRef::Organisation(uuid),
        RecordId::Task(uuid) => store::RowRef::Task(uuid),
        RecordId::Attachment(uuid) => store::RowRef::Attachment(uuid),
    }
}

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

    fn stage_project(&mut self, edit: ProjectEdit) -> Result<()> {
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
                self.set_project(id, None);
            }
        }
        Ok(())
    }

    /// A feature may link only to a project the workspace holds (as the command left it).
    fn check_project(&self, code: Option<&str>) -> Result<()> {
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
            who: self.session.planner.clone(),
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

    /// What to call a record in a message: its name (a project's code and name), else its id.
    fn record_name(&self, id: RecordId) -> String {
        let name = match id {
            RecordId::Plan(uuid) => self.plan.get(uuid).map(|f| f.feature.name.clone()),
            RecordId::Project(uuid) => self
                .projects
                .get(uuid)
                .map(|p| format!("{} {}", p.code, p.name)),
            RecordId::Meeting(uuid) => self
                .meetings
                .get(uuid)
                .map(|m| format!("{} {}", m.date, m.kind.name_zh())),
            RecordId::Person(uuid) => self.people.get(uuid).map(|p| p.name.clone()),
            RecordId::Organisation(uuid) => self.organisations.get(uuid).map(|o| o.name.clone()),
            RecordId::Task(uuid) => self.tasks.get(uuid).map(|t| t.title.clone()),
            RecordId::Attachment(uuid) => self.attachments.get(uuid).map(|a| a.file_name.clone()),
        };
        let uuid = id.uuid();
        name.filter(|n| !n.trim().is_empty())
            .unwrap_or_else(|| uuid.to_string())
    }

    /// Writes record states in one transaction (re-deriving street and community), then
    /// updates memory and the change log. A plan record's row of 0 means "its current row, or a
    /// new one"; `None` deletes. First, inside the transaction, every `expected` row must
    /// still have the content hash given, else nothing is written. Returns the states as
    /// written and each record's row hash after the write.
    fn write(
        &mut self,
        states: &[(RecordId, Option<Record>)],
        expected: &[(RecordId, Option<u64>)],
    ) -> Result<(States, Hashes)> {
        let named: Vec<(RecordId, Option<u64>, String)> = expected
            .iter()
            .map(|(id, h)| (*id, *h, self.record_name(*id)))
            .collect();
        let path = self.store.path().to_path_buf();
        // Decide each row before the transaction borrows the store: a recorded row, else the
        // current row when the feature stays in the same plan table, else a new row.
        let located: Vec<(RecordId, Option<Record>)> = states
            .iter()
            .map(|(id, state)| {
                let state = state.clone().map(|record| match record {
                    Record::Plan(mut f, row) => {
                        let location = self.locate_geometry(&f.feature.geometry);
                        f.street = location.street;
                        f.community = location.community;
                        let current = self.plan.get(f.feature.id);
                        let same_kind = current.and_then(PlanFeature::kind) == f.kind();
                        let current_row = self.plan.row(f.feature.id).filter(|_| same_kind);
                        let row = if row > 0 {
                            row
                        } else {
                            current_row.unwrap_or(0)
                        };
                        Record::Plan(f, row)
                    }
                    Record::Project(p, row) => {
                        let row = if row > 0 {
                            row
                        } else {
                            self.projects.row(p.id).unwrap_or(0)
                        };
                        Record::Project(p, row)
                    }
                    Record::Meeting(m, row) => {
                        let row = if row > 0 {
                            row
                        } else {
                            self.meetings.row(m.id).unwrap_or(0)
                        };
                        Record::Meeting(m, row)
                    }
                    Record::Person(r, row) => {
                        let row = self.people.known_row(r.id, row);
                        Record::Person(r, row)
                    }
                    Record::Organisation(r, row) => {
                        let row = self.organisations.known_row(r.id, row);
                        Record::Organisation(r, row)
                    }
                    Record::Task(r, row) => {
                        let row = self.tasks.known_row(r.id, row);
                        Record::Task(r, row)
                    }
                    Record::Attachment(a, row) => {
                        let row = if row > 0 {
                            row
                        } else {
                            self.attachments.row(a.info.id).unwrap_or(0)
                        };
                        Record::Attachment(a, row)
                    }
                });
                (*id, state)
            })
            .collect();
        let mut written = Vec::with_capacity(located.len());
        let tx = self.store.begin()?;
        for (id, hash, name) in named {
            if store::row_hash(&tx, row_ref(id))? != hash {
                return Err(Error::workspace(
                    &path,
                    Problem::ChangedElsewhere {
                        name,
                        id: id.uuid().to_string(),
                    },
                ));
            }
        }
        for (id, state) in located {
            match (id, state) {
                (_, Some(Record::Plan(f, row))) => {
                    let fid = (row > 0).then_some(row);
                    let row =
                        store::write_plan_feature(&tx, &f, plan_derived(&self.catalog, &f), fid)?;
                    written.push((id, Some(Record::Plan(f, row))));
                }
                (RecordId::Plan(uuid), None) => {
                    store::delete_plan_feature(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Project(p, row))) => {
                    let row = if self.projects.get(p.id).is_some() {
                        store::update_project(&tx, &p)?;
                        row
                    } else {
                        store::insert_project_at(&tx, &p, (row > 0).then_some(row))?
                    };
                    written.push((id, Some(Record::Project(p, row))));
                }
                (RecordId::Project(uuid), None) => {
                    store::delete_project(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Meeting(m, row))) => {
                    let row = if self.meetings.get(m.id).is_some() {
                        store::update_meeting(&tx, &m)?;
                        row
                    } else {
                        store::insert_meeting_at(&tx, &m, (row > 0).then_some(row))?
                    };
                    written.push((id, Some(Record::Meeting(m, row))));
                }
                (RecordId::Meeting(uuid), None) => {
                    store::delete_meeting(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Person(r, row))) => {
                    let row = self.people.write(&tx, &r, row)?;
                    written.push((id, Some(Record::Person(r, row))));
                }
                (RecordId::Person(uuid), None) => {
                    store::delete_roster::<Person>(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Organisation(r, row))) => {
                    let row = self.organisations.write(&tx, &r, row)?;
                    written.push((id, Some(Record::Organisation(r, row))));
                }
                (RecordId::Organisation(uuid), None) => {
                    store::delete_roster::<Organisation>(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Task(r, row))) => {
                    let row = self.tasks.write(&tx, &r, row)?;
                    written.push((id, Some(Record::Task(r, row))));
                }
                (RecordId::Task(uuid), None) => {
                    store::delete_roster::<Task>(&tx, uuid)?;
                    written.push((id, None));
                }
                (_, Some(Record::Attachment(a, row))) => {
                    let row = if self.attachments.get(a.info.id).is_some() {
                        store::update_attachment(&tx, &a)?;
                        row
                    } else {
                        store::insert_attachment_at(&tx, &a, (row > 0).then_some(row))?
                    };
                    written.push((id, Some(Record::Attachment(a, row))));
                }
                (RecordId::Attachment(uuid), None) => {
                    store::delete_attachment(&tx, uuid)?;
                    written.push((id, None));
                }
            }
        }
        let mut hashes = Hashes::new();
        for (id, _) in &written {
            hashes.insert(*id, store::row_hash(&tx, row_ref(*id))?);
        }
        tx.commit()?;
        let mut slots = Vec::new();
        for (id, state) in &written {
            match (id, state) {
                (_, Some(Record::Plan(f, row))) => slots.push(self.plan.put(f.clone(), *row)),
                (RecordId::Plan(uuid), None) => slots.extend(self.plan.remove(*uuid)),
                (_, Some(Record::Project(p, row))) => self.projects.put(p.clone(), *row),
                (RecordId::Project(uuid), None) => self.projects.remove(*uuid),
                (_, Some(Record::Meeting(m, row))) => self.meetings.put(m.clone(), *row),
                (RecordId::Meeting(uuid), None) => self.meetings.remove(*uuid),
                (_, Some(Record::Person(r, row))) => self.people.put(r.clone(), *row),
                (RecordId::Person(uuid), None) => self.people.remove(*uuid),
                (_, Some(Record::Organisation(r, row))) => self.organisations.put(r.clone(), *row),
                (RecordId::Organisation(uuid), None) => self.organisations.remove(*uuid),
                (_, Some(Record::Task(r, row))) => self.tasks.put(r.clone(), *row),
                (RecordId::Task(uuid), None) => self.tasks.remove(*uuid),
                (_, Some(Record::Attachment(a, row))) => self.attachments.put(a.info.clone(), *row),
                (RecordId::Attachment(uuid), None) => self.attachments.remove(*uuid),
            }
        }
        self.record_change(Some(slots));
        Ok((written, hashes))
    }
}
