//! The meetings held in memory, by id, with the row id of each in the store.

use uuid::Uuid;

use super::Session;
use super::views::Records;
use crate::model::meeting::Meeting;

impl Session {
    /// Adds meetings as they are, in one transaction and not as an undo step (the sample's
    /// records, like [`Session::add_projects`]).
    pub fn add_meetings(&mut self, meetings: &[Meeting]) -> crate::error::Result<()> {
        self.add_records(meetings)
    }
}

impl<'s> Records<'s> {
    /// Every meeting, by date (then id).
    pub fn meetings(&self) -> Vec<&'s Meeting> {
        let mut all: Vec<&'s Meeting> = self.session.meetings.all().collect();
        all.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        all
    }

    /// The meeting with this id.
    pub fn meeting(&self, id: Uuid) -> Option<&'s Meeting> {
        self.session.meetings.get(id)
    }

    /// The meetings held for a project, by date.
    pub fn meetings_of(&self, project: Uuid) -> Vec<&'s Meeting> {
        let mut of: Vec<&'s Meeting> = self
            .session
            .meetings
            .all()
            .filter(|m| m.project == Some(project))
            .collect();
        of.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        of
    }
}
