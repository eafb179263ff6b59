//! What a user can do to the workspace, as plain data: a [`Command`] names the records it
//! touches and the new values, nothing else. The UI builds one at the end of a click or a drag
//! (so one drag is one command) and hands it to [`Session::apply`](super::Session::apply), which
//! validates it, writes it in one transaction and records it as one undo step.
//!
//! Plan features are edited with [`Edit`]; a [`Command::Batch`] runs several commands as one
//! action ("create a project from these three features"). Records of every kind go through the
//! same undo history.

use serde_json::Value;
use uuid::Uuid;

use crate::error::Problem;
use crate::model::alternative::Alternative;
use crate::model::attachment::{Attachment, AttachmentInfo};
use crate::model::input::ResidentInput;
use crate::model::meeting::Meeting;
use crate::model::people::{Organisation, Person, Task};
use crate::model::{Project, Properties};
use crate::store::RosterRow;

/// One user action: one transaction, one undo step.
// A command lives for one user action, so a whole project record inline costs nothing that
// boxing it would save.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// An edit of one plan feature.
    Plan(Edit),
    /// An edit of one project record.
    Project(ProjectEdit),
    /// An edit of one meeting record.
    Meeting(MeetingEdit),
    /// An edit of one person on the roster (a rename renames them wherever they are named).
    Person(PersonEdit),
    /// An edit of one organisation on the roster.
    Organisation(OrganisationEdit),
    /// An edit of one task.
    Task(TaskEdit),
    /// An edit of one project attachment.
    Attachment(AttachmentEdit),
    /// A resident's input added at a meeting.
    Input(InputEdit),
    /// An edit of one design alternative of a project (its label, team, cost, description;
    /// its status changes by [`Command::ChooseAlternative`] only). Deleting one deletes its
    /// plan features in the same step.
    Alternative(AlternativeEdit),
    /// Makes `alternative` the plan of `project`, in one step: it becomes chosen, every other
    /// alternative of the project archived, and the project's plan features that belonged to no
    /// alternative are kept as a new archived alternative (原方案), so nothing is lost and undo
    /// restores exactly the plan before.
    ChooseAlternative {
        /// The project (its UUID).
        project: Uuid,
        /// The alternative chosen (its UUID).
        alternative: Uuid,
    },
    /// Several commands applied together, as one action and one undo step. Later commands see
    /// the effect of earlier ones (a feature added first can be renamed next).
    Batch(Vec<Command>),
}

impl From<Edit> for Command {
    fn from(edit: Edit) -> Self {
        Command::Plan(edit)
    }
}

impl From<MeetingEdit> for Command {
    fn from(edit: MeetingEdit) -> Self {
        Command::Meeting(edit)
    }
}

impl From<PersonEdit> for Command {
    fn from(edit: PersonEdit) -> Self {
        Command::Person(edit)
    }
}

impl From<OrganisationEdit> for Command {
    fn from(edit: OrganisationEdit) -> Self {
        Command::Organisation(edit)
    }
}

impl From<TaskEdit> for Command {
    fn from(edit: TaskEdit) -> Self {
        Command::Task(edit)
    }
}

impl From<AttachmentEdit> for Command {
    fn from(edit: AttachmentEdit) -> Self {
        Command::Attachment(edit)
    }
}

impl From<ProjectEdit> for Command {
    fn from(edit: ProjectEdit) -> Self {
        Command::Project(edit)
    }
}

impl Command {
    /// "Create a project from these features": the new project and each feature's link to it,
    /// as one action.
    pub fn project_from_features(project: Project, features: &[Uuid]) -> Command {
        let code = project.code.clone();
        let mut parts = vec![Command::Project(ProjectEdit::Add(project))];
        parts.extend(features.iter().map(|&id| {
            Command::Plan(Edit::SetProject {
                id,
                project: Some(code.clone()),
            })
        }));
        Command::Batch(parts)
    }

    /// The record the command leaves selected: that of its last part.
    pub fn target(&self) -> Option<Uuid> {
        match self {
            Command::Plan(edit) => Some(edit.target()),
            Command::Project(edit) => Some(edit.target()),
            Command::Meeting(edit) => Some(edit.target()),
            Command::Person(edit) => Some(edit.target()),
            Command::Organisation(edit) => Some(edit.target()),
            Command::Task(edit) => Some(edit.target()),
            Command::Attachment(edit) => Some(edit.target()),
            Command::Input(edit) => Some(edit.target()),
            Command::Alternative(edit) => Some(edit.target()),
            Command::ChooseAlternative { alternative, .. } => Some(*alternative),
            Command::Batch(commands) => commands.iter().rev().find_map(Command::target),
        }
    }
}

/// One user action on a project record. Plan features link to a project by its code, so a
/// command that changes a code or deletes a project relinks or unlinks its features in the same
/// step.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectEdit {
    /// A new project (the caller makes its id).
    Add(Project),
    /// The project with this id gets these fields.
    Update(Project),
    /// Delete the project with this id; its features become unassigned.
    Delete(Uuid),
}

impl ProjectEdit {
    /// The project the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            ProjectEdit::Add(p) | ProjectEdit::Update(p) => p.id,
            ProjectEdit::Delete(id) => *id,
        }
    }
}

/// One user action on a meeting record.
#[derive(Debug, Clone, PartialEq)]
pub enum MeetingEdit {
    /// A new meeting (the caller makes its id).
    Add(Meeting),
    /// The meeting with this id gets these fields.
    Update(Meeting),
    /// Delete the meeting with this id.
    Delete(Uuid),
}

impl MeetingEdit {
    /// The meeting the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            MeetingEdit::Add(m) | MeetingEdit::Update(m) => m.id,
            MeetingEdit::Delete(id) => *id,
        }
    }
}

/// One user action on residents' input: inputs are only ever added (the only removal is
/// undoing the last one, [`Session::undo_last_input`](super::Session::undo_last_input)).
#[derive(Debug, Clone, PartialEq)]
pub enum InputEdit {
    /// A new input (made by [`ResidentInput::new`]).
    Add(ResidentInput),
}

impl InputEdit {
    /// The input the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            InputEdit::Add(i) => i.id,
        }
    }
}

impl From<InputEdit> for Command {
    fn from(edit: InputEdit) -> Self {
        Command::Input(edit)
    }
}

impl From<ResidentInput> for Command {
    fn from(input: ResidentInput) -> Self {
        Command::Input(InputEdit::Add(input))
    }
}

/// One user action on a roster record (a person, an organisation) or a task.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordEdit<T> {
    /// A new record (the caller makes its id).
    Add(T),
    /// The record with this id gets these fields.
    Update(T),
    /// Delete the record with this id.
    Delete(Uuid),
}

impl<T: RosterRow> RecordEdit<T> {
    /// The record the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            RecordEdit::Add(r) | RecordEdit::Update(r) => r.id(),
            RecordEdit::Delete(id) => *id,
        }
    }
}

/// One user action on a project attachment.
#[derive(Debug, Clone, PartialEq)]
pub enum AttachmentEdit {
    /// A new attachment (made by [`Attachment::new`], or
    /// [`super::Records::attachment_from_file`]).
    Add(Attachment),
    /// The attachment with this id gets this record (caption, kind, file name; its bytes stay).
    Update(AttachmentInfo),
    /// Remove the attachment with this id.
    Delete(Uuid),
}

impl AttachmentEdit {
    /// The attachment the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            AttachmentEdit::Add(a) => a.info.id,
            AttachmentEdit::Update(i) => i.id,
            AttachmentEdit::Delete(id) => *id,
        }
    }
}

/// An edit of a person.
pub type PersonEdit = RecordEdit<Person>;
/// An edit of an organisation.
pub type OrganisationEdit = RecordEdit<Organisation>;
/// An edit of a task.
pub type TaskEdit = RecordEdit<Task>;
/// An edit of a design alternative.
pub type AlternativeEdit = RecordEdit<Alternative>;

impl From<AlternativeEdit> for Command {
    fn from(edit: AlternativeEdit) -> Self {
        Command::Alternative(edit)
    }
}

/// A new plan feature, as a draw tool makes it.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFeature {
    /// Its id (the caller makes it, so it can select the feature right away).
    pub id: Uuid,
    /// Element type key.
    pub element: String,
    /// WGS84 lon/lat geometry.
    pub geometry: geo::Geometry<f64>,
    /// Name, may be empty.
    pub name: String,
    /// Free properties.
    pub properties: Properties,
    /// Project code, if linked.
    pub project: Option<String>,
}

/// One user action on the plan.
#[derive(Debug, Clone, PartialEq)]
pub enum Edit {
    /// Draw a new feature.
    Add(NewFeature),
    /// Delete a feature.
    Delete(Uuid),
    /// Replace a feature's geometry: a move, a vertex moved, inserted or deleted.
    SetGeometry {
        /// The feature.
        id: Uuid,
        /// Its new geometry, WGS84 lon/lat.
        geometry: geo::Geometry<f64>,
    },
    /// Change a feature's element type.
    SetElement {
        /// The feature.
        id: Uuid,
        /// The new element type key.
        element: String,
    },
    /// Rename a feature.
    SetName {
        /// The feature.
        id: Uuid,
        /// The new name.
        name: String,
    },
    /// Link a feature to a project, or unlink it.
    SetProject {
        /// The feature.
        id: Uuid,
        /// The project code, or `None` to unlink.
        project: Option<String>,
    },
    /// Put a feature into a design alternative (it then belongs to that alternative's project
    /// too), or with `None` back into no alternative.
    SetAlternative {
        /// The feature.
        id: Uuid,
        /// The alternative (its UUID), or `None`.
        alternative: Option<Uuid>,
    },
    /// Set (or with `None`, remove) one free property.
    SetProperty {
        /// The feature.
        id: Uuid,
        /// Property key.
        key: String,
        /// New value.
        value: Option<Value>,
    },
    /// Copy a feature, shifted.
    Duplicate {
        /// The feature to copy.
        id: Uuid,
        /// The copy's id.
        new_id: Uuid,
        /// Shift east, degrees of longitude.
        offset_lon: f64,
        /// Shift north, degrees of latitude.
        offset_lat: f64,
    },
}

impl Edit {
    /// The feature the edit leaves selected.
    pub fn target(&self) -> Uuid {
        match self {
            Edit::Add(f) => f.id,
            Edit::Delete(id)
            | Edit::SetGeometry { id, .. }
            | Edit::SetElement { id, .. }
            | Edit::SetName { id, .. }
            | Edit::SetProject { id, .. }
            | Edit::SetAlternative { id, .. }
            | Edit::SetProperty { id, .. } => *id,
            Edit::Duplicate { new_id, .. } => *new_id,
        }
    }
}

/// Checks that a geometry can be a plan feature: finite lon/lat degrees, lines of at least two
/// positions, closed rings of at least four.
pub fn validate_geometry(geometry: &geo::Geometry<f64>) -> Result<(), Problem> {
    use geo::{CoordsIter, Geometry as G};
    for c in geometry.coords_iter() {
        if !(c.x.is_finite() && c.y.is_finite() && c.x.abs() <= 180.0 && c.y.abs() <= 90.0) {
            return Err(Problem::NotLonLatPosition { x: c.x, y: c.y });
        }
    }
    let line_ok = |l: &geo::LineString<f64>| l.0.len() >= 2;
    let ring_ok = |l: &geo::LineString<f64>| l.0.len() >= 4 && l.is_closed();
    let polygon_ok =
        |p: &geo::Polygon<f64>| ring_ok(p.exterior()) && p.interiors().iter().all(ring_ok);
    let ok = match geometry {
        G::Point(_) | G::Line(_) | G::Rect(_) | G::Triangle(_) => true,
        G::MultiPoint(m) => !m.0.is_empty(),
        G::LineString(l) => line_ok(l),
        G::MultiLineString(m) => !m.0.is_empty() && m.0.iter().all(line_ok),
        G::Polygon(p) => polygon_ok(p),
        G::MultiPolygon(m) => !m.0.is_empty() && m.0.iter().all(polygon_ok),
        G::GeometryCollection(gc) => {
            !gc.0.is_empty() && gc.0.iter().all(|g| validate_geometry(g).is_ok())
        }
    };
    if ok {
        Ok(())
    } else {
        Err(Problem::MalformedPlanGeometry)
    }
}
