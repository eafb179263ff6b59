//! The identity of a workspace record, shared by the history (what a step changed) and the
//! store (which row a content hash is of).

use uuid::Uuid;

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
