//! One generic set for the records a session holds in memory by id — meetings, people,
//! organisations, tasks, attachments' records — with the row id of each in the store (so an
//! undone delete goes back into its row). Plan features (slots and an R-tree) and projects
//! (kept by code) have sets of their own over the same small API.

use std::collections::{BTreeMap, HashMap};

use uuid::Uuid;

/// A record a set holds, by its id.
pub(crate) trait Keyed {
    /// The record's id.
    fn key(&self) -> Uuid;
}

impl<T: crate::model::Record> Keyed for T {
    fn key(&self) -> Uuid {
        self.id()
    }
}

impl Keyed for crate::model::attachment::AttachmentInfo {
    fn key(&self) -> Uuid {
        self.id
    }
}

/// Records by id, with the row each is stored in.
#[derive(Debug)]
pub(crate) struct RecordSet<T> {
    by_id: BTreeMap<Uuid, T>,
    rows: HashMap<Uuid, i64>,
}

impl<T> Default for RecordSet<T> {
    fn default() -> Self {
        Self {
            by_id: BTreeMap::new(),
            rows: HashMap::new(),
        }
    }
}

impl<T: Keyed> RecordSet<T> {
    /// Builds the set from the store's rows.
    pub(crate) fn from_rows(rows: Vec<(T, i64)>) -> Self {
        let mut set = Self::default();
        for (r, row) in rows {
            set.put(r, row);
        }
        set
    }

    /// The record with this id.
    pub(crate) fn get(&self, id: Uuid) -> Option<&T> {
        self.by_id.get(&id)
    }

    /// Its row id.
    pub(crate) fn row(&self, id: Uuid) -> Option<i64> {
        self.rows.get(&id).copied()
    }

    /// Inserts or replaces a record, stored in row `row`.
    pub(crate) fn put(&mut self, r: T, row: i64) {
        self.rows.insert(r.key(), row);
        self.by_id.insert(r.key(), r);
    }

    /// Removes a record.
    pub(crate) fn remove(&mut self, id: Uuid) {
        self.by_id.remove(&id);
        self.rows.remove(&id);
    }

    /// Every record, by id.
    pub(crate) fn all(&self) -> impl Iterator<Item = &T> {
        self.by_id.values()
    }
}
