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

/// A set that keeps records of kind `T` in memory: what a changeset's result is put into.
pub(crate) trait Keeps<T> {
    /// What to call record `id` in a message (its label), when the set holds it.
    fn label(&self, id: Uuid) -> Option<String>;
    /// Puts a record as written, in row `row`; the plan slot it took, for plan features.
    fn keep(&mut self, r: T, row: i64) -> Option<usize>;
    /// Forgets a record; the plan slot it left, for plan features.
    fn forget(&mut self, id: Uuid) -> Option<usize>;
}

impl<T: crate::model::Record> Keeps<T> for RecordSet<T> {
    fn label(&self, id: Uuid) -> Option<String> {
        self.get(id).map(crate::model::Record::label)
    }
    fn keep(&mut self, r: T, row: i64) -> Option<usize> {
        self.put(r, row);
        None
    }
    fn forget(&mut self, id: Uuid) -> Option<usize> {
        self.remove(id);
        None
    }
}

/// Attachments are kept without their bytes (read when opened).
impl Keeps<crate::model::attachment::Attachment>
    for RecordSet<crate::model::attachment::AttachmentInfo>
{
    fn label(&self, id: Uuid) -> Option<String> {
        self.get(id).map(|a| a.file_name.clone())
    }
    fn keep(&mut self, a: crate::model::attachment::Attachment, row: i64) -> Option<usize> {
        self.put(a.info, row);
        None
    }
    fn forget(&mut self, id: Uuid) -> Option<usize> {
        self.remove(id);
        None
    }
}

/// Where the session keeps each record kind, once: a new kind is one line here (its set is a
/// field of the session implementing [`Keeps`]).
macro_rules! kept_kinds {
    ($($kind:ident => $set:ident,)*) => {
        impl super::Session {
            /// The label of a record in memory.
            pub(in crate::session) fn label_in_memory(
                &self,
                id: crate::model::RecordId,
            ) -> Option<String> {
                use crate::model::change::RecordKind;
                match id.kind() {
                    $(RecordKind::$kind => Keeps::label(&self.$set, id.uuid()),)*
                }
            }

            /// Puts a record as written into memory; the plan slot it took.
            pub(in crate::session) fn keep_record(
                &mut self,
                r: crate::store::AnyRecord,
                row: i64,
            ) -> Option<usize> {
                use crate::store::AnyRecord;
                match r {
                    $(AnyRecord::$kind(r) => self.$set.keep(r, row),)*
                }
            }

            /// Forgets a record deleted; the plan slot it left.
            pub(in crate::session) fn forget_record(
                &mut self,
                id: crate::model::RecordId,
            ) -> Option<usize> {
                use crate::model::change::RecordKind;
                match id.kind() {
                    $(RecordKind::$kind => Keeps::forget(&mut self.$set, id.uuid()),)*
                }
            }
        }
    };
}

/// The kinds the session does not hold in memory (the exchange's peers and bases, read from
/// the file when a merge needs them): nothing to keep, nothing to forget.
#[derive(Debug)]
pub(crate) struct NotKept<T>(std::marker::PhantomData<T>);

impl<T> Default for NotKept<T> {
    fn default() -> Self {
        Self(std::marker::PhantomData)
    }
}

impl<T> Keeps<T> for NotKept<T> {
    fn label(&self, _id: Uuid) -> Option<String> {
        None
    }
    fn keep(&mut self, _r: T, _row: i64) -> Option<usize> {
        None
    }
    fn forget(&mut self, _id: Uuid) -> Option<usize> {
        None
    }
}

kept_kinds! {
    Plan => plan,
    Project => projects,
    Meeting => meetings,
    Person => people,
    Organisation => organisations,
    Task => tasks,
    Attachment => attachments,
    Setting => settings,
    Input => inputs,
    Alternative => alternatives,
    Peer => peers_not_kept,
    Base => bases_not_kept,
    Conflict => conflicts,
    Provenance => provenance_not_kept,
}
