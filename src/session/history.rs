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

use super::command::{Command, Edit, validate_geometry};
use super::{Session, plan_derived};
use crate::error::{Error, Result};
use crate::model::{Feature, PlanFeature};
use crate::store;

/// A record of the workspace, by its stable id.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordId {
    /// A plan feature.
    Plan(Uuid),
}

/// A record's stored state.
#[derive(Debug, Clone, PartialEq)]
enum Record {
    /// A plan feature and its row id (0: any new row).
    Plan(PlanFeature, i64),
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
}

/// The undo and redo stacks of a session (unlimited depth; gone when the session closes).
#[derive(Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

/// The records a command in progress has touched, with their staged values, over the
/// session's committed state.
struct Staging<'s> {
    session: &'s Session,
    plan: BTreeMap<Uuid, Option<PlanFeature>>,
    /// Records in the order they were first touched, so writes are deterministic.
    order: Vec<RecordId>,
}

impl<'s> Staging<'s> {
    fn new(session: &'s Session) -> Self {
        Self {
            session,
            plan: BTreeMap::new(),
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
            .ok_or_else(|| Error::Invalid(format!("no plan feature {id}")))
    }

    fn set_plan(&mut self, id: Uuid, value: Option<PlanFeature>) {
        if self.plan.insert(id, value).is_none() {
            self.order.push(RecordId::Plan(id));
        }
    }

    fn stage(&mut self, command: Command) -> Result<()> {
        match command {
            Command::Plan(edit) => self.stage_edit(edit),
            Command::Batch(commands) => commands.into_iter().try_for_each(|c| self.stage(c)),
        }
    }

    fn stage_edit(&mut self, edit: Edit) -> Result<()> {
        let (id, after) = match edit {
            Edit::Add(new) => {
                if self.plan_feature(new.id).is_some() {
                    return Err(Error::Invalid(format!(
                        "a plan feature {} already exists",
                        new.id
                    )));
                }
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
                if let Some(code) = &project
                    && !self.session.projects().contains_key(code)
                {
                    return Err(Error::Invalid(format!("no project with code {code:?}")));
                }
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
                    return Err(Error::Invalid(format!(
                        "a plan feature {new_id} already exists"
                    )));
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
            .ok_or_else(|| Error::Invalid("an empty command changes nothing".into()))?;
        let mut staging = Staging::new(self);
        staging.stage(command)?;
        let changes = staging.into_changes();
        let states: Vec<(RecordId, Option<Record>)> =
            changes.iter().map(|c| (c.id, c.after.clone())).collect();
        let written = self.write(&states)?;
        let changes = changes
            .into_iter()
            .zip(written)
            .map(|(c, (_, after))| Change { after, ..c })
            .collect();
        self.history.undo.push(Step { changes });
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
    /// (redo: the after states). A step whose write fails stays where it was.
    fn travel(&mut self, back: bool) -> Result<bool> {
        let popped = if back {
            self.history.undo.pop()
        } else {
            self.history.redo.pop()
        };
        let Some(step) = popped else {
            return Ok(false);
        };
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
        let result = self.write(&states);
        let (done, pending) = if back {
            (&mut self.history.redo, &mut self.history.undo)
        } else {
            (&mut self.history.undo, &mut self.history.redo)
        };
        match result {
            Ok(_) => {
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

    pub(crate) fn validate_plan_feature(&self, f: &PlanFeature) -> Result<()> {
        let element = self.catalog.get(&f.element).ok_or_else(|| {
            Error::Invalid(format!(
                "element type {:?} is not in the catalog",
                f.element
            ))
        })?;
        validate_geometry(&f.feature.geometry).map_err(Error::Invalid)?;
        let kind = f.kind().ok_or_else(|| {
            Error::Invalid("a plan feature is points, lines or polygons, not a mix".into())
        })?;
        if !element.allowed.contains(&kind) {
            return Err(Error::Invalid(format!(
                "{} ({}) cannot be drawn as a {}",
                element.name_zh,
                element.key,
                kind.key()
            )));
        }
        Ok(())
    }

    /// Writes record states in one transaction (re-deriving street and community), then
    /// updates memory and the change log. A plan record's row of 0 means "its current row, or a
    /// new one"; `None` deletes. Returns the states as written.
    fn write(
        &mut self,
        states: &[(RecordId, Option<Record>)],
    ) -> Result<Vec<(RecordId, Option<Record>)>> {
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
                });
                (*id, state)
            })
            .collect();
        let mut written = Vec::with_capacity(located.len());
        let tx = self.store.begin()?;
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
            }
        }
        tx.commit()?;
        let mut slots = Vec::new();
        for (id, state) in &written {
            match (id, state) {
                (_, Some(Record::Plan(f, row))) => slots.push(self.plan.put(f.clone(), *row)),
                (RecordId::Plan(uuid), None) => slots.extend(self.plan.remove(*uuid)),
            }
        }
        self.record_change(Some(slots));
        Ok(written)
    }
}
