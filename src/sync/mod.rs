//! The rules of a three-way merge between two workspaces, apart from SQLite and from files:
//! what the district file and a street workspace (and, next, a district server) do with each
//! other's records. Inputs and outputs are plain data — snapshots of records' fields, the base
//! both sides last agreed on — so any store can apply them.
//!
//! Record by record (by UUID, never by row), field by field, against the base:
//! - a field changed on one side only takes that side's value; the same new value on both
//!   sides is no conflict; different fields changed on the two sides are no conflict;
//! - a record new on their side is inserted (UUIDs never collide), unless this side deleted
//!   it (its tombstone says so): a deleted record never comes back;
//! - a record deleted on their side is deleted here when this side did not change it; changed
//!   here, it is a conflict about the whole record ([`WHOLE_RECORD`]), never a silent drop (and
//!   the same the other way: a record deleted here and changed there);
//! - the same field changed to different values is a conflict: this side keeps its value and
//!   the conflict is reported, to be kept as data until someone resolves it;
//! - a log (a project's history) keeps both sides' entries;
//! - a conflict their side already resolved about our very value ([`Decision`]) is settled as
//!   they resolved it, so a resolution made in the district reaches the street.
//!
//! After the merge the base is their side's state (what their file holds): merging the same
//! file again finds every field equal to its base and changes nothing.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::RecordId;
use crate::model::change::{Changeset, FieldChange, Fields, Op, RecordChange, RecordKind, Value};
use crate::model::sync::{WHOLE_RECORD, digest, digest_fields};

#[cfg(test)]
mod tests;

/// The records of one side: each record's fields, by id.
pub type Snapshot = BTreeMap<RecordId, Fields>;

/// What both sides last agreed on: each record's fields as [`digest`]s (a JSON object).
pub type Base = BTreeMap<RecordId, serde_json::Value>;

/// A conflict their side resolved about a value of ours: when they saw `ours` (our value,
/// as a digest; for the whole record, its fields' digests or null) and chose `chosen`.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The record.
    pub record: RecordId,
    /// The field, or [`WHOLE_RECORD`].
    pub field: String,
    /// Our value as they saw it.
    pub ours: serde_json::Value,
    /// The value they chose.
    pub chosen: serde_json::Value,
}

/// Everything a merge looks at.
#[derive(Debug, Clone, Copy)]
pub struct Sides<'a> {
    /// What both sides last agreed on (empty for a peer never merged before).
    pub base: &'a Base,
    /// This side's records.
    pub ours: &'a Snapshot,
    /// Their side's records (only those this side takes from them).
    pub theirs: &'a Snapshot,
    /// The records this side deleted.
    pub tombstones: &'a BTreeSet<RecordId>,
    /// The conflicts their side resolved about our values.
    pub decisions: &'a [Decision],
}

/// A conflict found: the same field changed to different values, or a record changed on one
/// side and deleted on the other. Values are [`digest`]s; for the whole record its fields'
/// digests as an object, null where it is deleted.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The record.
    pub record: RecordId,
    /// The field, or [`WHOLE_RECORD`].
    pub field: String,
    /// The value both started from.
    pub base: serde_json::Value,
    /// Ours (kept).
    pub ours: serde_json::Value,
    /// Theirs.
    pub theirs: serde_json::Value,
}

/// What a merge gives: the changes to make to our side (each field's `before` is our value,
/// so the store checks them against the file), the conflicts found, the base entries that
/// change, and the records their side still has that we deleted.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Merged {
    /// Our records' changes.
    pub changes: Changeset,
    /// The conflicts.
    pub conflicts: Vec<Found>,
    /// The base entries that change: the new digest object, or `None` where the entry goes.
    pub base: Vec<(RecordId, Option<serde_json::Value>)>,
    /// Records they have and we deleted: not brought back.
    pub kept_deleted: Vec<RecordId>,
}

impl Merged {
    /// True when the merge changes nothing at all.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty() && self.conflicts.is_empty() && self.base.is_empty()
    }
}

/// Merges their records into ours (see the module's documentation).
pub fn merge(sides: Sides) -> Merged {
    let mut merged = Merged::default();
    let decided: BTreeMap<(RecordId, &str), &Decision> = sides
        .decisions
        .iter()
        .map(|d| ((d.record, d.field.as_str()), d))
        .collect();
    let decided =
        |record: RecordId, field: &str, ours: &serde_json::Value, theirs: &serde_json::Value| {
            decided
                .get(&(record, field))
                .is_some_and(|d| &d.ours == ours && &d.chosen == theirs)
        };
    let ids: BTreeSet<RecordId> = sides
        .base
        .keys()
        .chain(sides.theirs.keys())
        .copied()
        .collect();
    for record in ids {
        let base = sides.base.get(&record);
        let ours = sides.ours.get(&record);
        let theirs = sides.theirs.get(&record);
        let theirs_digest = theirs.map(digest_fields);
        match (base, ours, theirs) {
            // Not in the base nor theirs: never iterated; ours alone is ours.
            (None, _, None) => {}
            // Deleted on both sides, or deleted there and never here.
            (Some(_), None, None) => merged.base.push((record, None)),
            (Some(b), Some(o), None) => {
                let ours_digest = digest_fields(o);
                if &ours_digest == b || decided(record, WHOLE_RECORD, &ours_digest, &null()) {
                    merged.changes.changes.extend(RecordChange::between_fields(
                        record,
                        Some(o),
                        None,
                    ));
                } else {
                    merged.conflicts.push(Found {
                        record,
                        field: WHOLE_RECORD.into(),
                        base: b.clone(),
                        ours: ours_digest,
                        theirs: null(),
                    });
                }
                merged.base.push((record, None));
            }
            (b, None, Some(t)) => {
                let t_digest = theirs_digest.unwrap_or_else(null);
                match b {
                    // New there.
                    None if sides.tombstones.contains(&record) => merged.kept_deleted.push(record),
                    None => merged.changes.changes.extend(RecordChange::between_fields(
                        record,
                        None,
                        Some(t),
                    )),
                    // Deleted here, unchanged there: stays deleted.
                    Some(b) if b == &t_digest => {}
                    Some(_) if decided(record, WHOLE_RECORD, &null(), &t_digest) => merged
                        .changes
                        .changes
                        .extend(RecordChange::between_fields(record, None, Some(t))),
                    Some(b) => merged.conflicts.push(Found {
                        record,
                        field: WHOLE_RECORD.into(),
                        base: b.clone(),
                        ours: null(),
                        theirs: t_digest.clone(),
                    }),
                }
                if b != Some(&t_digest) {
                    merged.base.push((record, Some(t_digest)));
                }
            }
            (b, Some(o), Some(t)) => {
                let t_digest = theirs_digest.unwrap_or_else(null);
                let empty = serde_json::Map::new();
                let b_fields = b.and_then(|b| b.as_object()).unwrap_or(&empty);
                let names: BTreeSet<&String> =
                    o.keys().chain(t.keys()).chain(b_fields.keys()).collect();
                let mut fields = Vec::new();
                for name in names {
                    let bf = b.map(|_| b_fields.get(name).cloned().unwrap_or_else(null));
                    let of = o.get(name).unwrap_or(&Value::NULL);
                    let tf = t.get(name).unwrap_or(&Value::NULL);
                    let (od, td) = (digest(of), digest(tf));
                    if td == od || bf.as_ref() == Some(&td) {
                        continue;
                    }
                    if is_log(record, name)
                        && let (Some(a), Some(b)) = (of.json(), tf.json())
                    {
                        let union = Value::Json(log_union(a, b));
                        if &union != of {
                            fields.push(FieldChange {
                                field: name.clone(),
                                before: of.clone(),
                                after: union,
                            });
                        }
                        continue;
                    }
                    if bf.as_ref() == Some(&od) || decided(record, name, &od, &td) {
                        fields.push(FieldChange {
                            field: name.clone(),
                            before: of.clone(),
                            after: tf.clone(),
                        });
                    } else {
                        merged.conflicts.push(Found {
                            record,
                            field: name.clone(),
                            base: bf.unwrap_or_else(null),
                            ours: od,
                            theirs: td,
                        });
                    }
                }
                if !fields.is_empty() {
                    merged.changes.changes.push(RecordChange {
                        record,
                        op: Op::Update,
                        fields,
                        row_before: None,
                        row_after: None,
                    });
                }
                if b != Some(&t_digest) {
                    merged.base.push((record, Some(t_digest)));
                }
            }
        }
    }
    merged
}

/// Fields that are logs: entries are only ever added (a project's history), so both sides'
/// entries are kept, never a conflict.
const LOGS: [(RecordKind, &str); 1] = [(RecordKind::Project, "history")];

fn is_log(record: RecordId, field: &str) -> bool {
    LOGS.contains(&(record.kind(), field))
}

/// Every entry of two logs once, ordered by time (`at`) then by content: the same whichever
/// side is which.
fn log_union(a: &serde_json::Value, b: &serde_json::Value) -> serde_json::Value {
    let entries = |v: &serde_json::Value| v.as_array().cloned().unwrap_or_default();
    let mut all: Vec<(String, String, serde_json::Value)> = entries(a)
        .into_iter()
        .chain(entries(b))
        .map(|e| {
            let at = e
                .get("at")
                .and_then(|t| t.as_str())
                .unwrap_or_default()
                .to_string();
            (at, e.to_string(), e)
        })
        .collect();
    all.sort_by(|x, y| (&x.0, &x.1).cmp(&(&y.0, &y.1)));
    all.dedup_by(|x, y| x.1 == y.1);
    serde_json::Value::Array(all.into_iter().map(|(_, _, e)| e).collect())
}

fn null() -> serde_json::Value {
    serde_json::Value::Null
}

/// What a snapshot becomes when a merge's changes are made to it (what the store does, in
/// memory): for tests, and for a caller merging several files one after another.
pub fn apply_to(snapshot: &mut Snapshot, changes: &Changeset) {
    for change in &changes.changes {
        match change.op {
            Op::Insert => {
                snapshot.insert(change.record, change.after_fields());
            }
            Op::Delete => {
                snapshot.remove(&change.record);
            }
            Op::Update => {
                if let Some(fields) = snapshot.get_mut(&change.record) {
                    for f in &change.fields {
                        fields.insert(f.field.clone(), f.after.clone());
                    }
                }
            }
            Op::Settle => {}
        }
    }
}

/// What a base becomes with a merge's base changes.
pub fn apply_base(base: &mut Base, changes: &[(RecordId, Option<serde_json::Value>)]) {
    for (record, entry) in changes {
        match entry {
            Some(e) => {
                base.insert(*record, e.clone());
            }
            None => {
                base.remove(record);
            }
        }
    }
}

/// The base a snapshot makes: every record's fields as digests (a workspace handed out, or
/// one both sides agree on).
pub fn base_of(snapshot: &Snapshot) -> Base {
    snapshot
        .iter()
        .map(|(id, fields)| (*id, digest_fields(fields)))
        .collect()
}
