//! The meetings held in memory, by id, with the row id of each in the store.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

use super::Session;
use crate::model::meeting::Meeting;

/// The meetings of a session.
#[derive(Debug, Default)]
pub(crate) struct MeetingSet {
    by_id: BTreeMap<Uuid, Meeting>,
    /// Row id of each meeting in `linli_meetings`, so undo can put a row back as it was.
    rows: HashMap<Uuid, i64>,
}

impl MeetingSet {
    /// Builds the set from the store's rows.
    pub(crate) fn from_rows(rows: Vec<(Meeting, i64)>) -> Self {
        let mut set = Self::default();
        for (m, row) in rows {
            set.put(m, row);
        }
        set
    }

    /// The meeting with this id.
    pub(crate) fn get(&self, id: Uuid) -> Option<&Meeting> {
        self.by_id.get(&id)
    }

    /// Its row id.
    pub(crate) fn row(&self, id: Uuid) -> Option<i64> {
        self.rows.get(&id).copied()
    }

    /// Inserts or replaces a meeting, stored in row `row`.
    pub(crate) fn put(&mut self, m: Meeting, row: i64) {
        self.rows.insert(m.id, row);
        self.by_id.insert(m.id, m);
    }

    /// Removes a meeting.
    pub(crate) fn remove(&mut self, id: Uuid) {
        self.by_id.remove(&id);
        self.rows.remove(&id);
    }

    /// Every meeting, by id.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Meeting> {
        self.by_id.values()
    }
}

impl Session {
    /// Adds meetings as they are, in one transaction and not as an undo step (the sample's
    /// records, like [`Session::add_projects`]).
    pub fn add_meetings(&mut self, meetings: &[Meeting]) -> crate::error::Result<()> {
        let tx = self.store.begin()?;
        let mut rows = Vec::with_capacity(meetings.len());
        for m in meetings {
            rows.push(crate::store::insert_meeting_at(&tx, m, None)?);
        }
        tx.commit()?;
        for (m, row) in meetings.iter().zip(rows) {
            self.meetings.put(m.clone(), row);
        }
        self.record_change(Some(Vec::new()));
        Ok(())
    }

    /// Every meeting, by date (then id).
    pub fn meetings(&self) -> Vec<&Meeting> {
        let mut all: Vec<&Meeting> = self.meetings.all().collect();
        all.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        all
    }

    /// The meeting with this id.
    pub fn meeting(&self, id: Uuid) -> Option<&Meeting> {
        self.meetings.get(id)
    }

    /// The meetings held for a project, by date.
    pub fn meetings_of(&self, project: Uuid) -> Vec<&Meeting> {
        let mut of: Vec<&Meeting> = self
            .meetings
            .all()
            .filter(|m| m.project == Some(project))
            .collect();
        of.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
        of
    }
}
