//! A change as data: for each record touched, its id and kind, and for each field changed the
//! value it was made against (the base) and the value after. What a command does, what undo
//! undoes (the inverse), what the history keeps and what the store checks against the file
//! before it writes: a field is written only where the row still holds its base value.
//!
//! Field values are JSON values (a record's fields are what it serialises to, one top-level
//! key a field), except bytes (an attachment's file), which are shared, not copied. A plan
//! feature's geometry is one field: its GeoJSON geometry object, single parts collapsed as the
//! session holds them, so two equal geometries compare equal.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RecordId;

/// One field's value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// A JSON value: text, a number, null, a list, an object.
    Json(serde_json::Value),
    /// Bytes (an attachment's file), shared.
    Bytes(#[serde(with = "bytes")] Arc<[u8]>),
}

impl Value {
    /// The JSON null: a field a record does not have.
    pub const NULL: Value = Value::Json(serde_json::Value::Null);

    /// The value as JSON, if it is JSON.
    pub fn json(&self) -> Option<&serde_json::Value> {
        match self {
            Value::Json(v) => Some(v),
            Value::Bytes(_) => None,
        }
    }
}

impl From<serde_json::Value> for Value {
    fn from(v: serde_json::Value) -> Self {
        Value::Json(v)
    }
}

mod bytes {
    use std::sync::Arc;

    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(b: &Arc<[u8]>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_bytes(b)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Arc<[u8]>, D::Error> {
        Ok(Vec::<u8>::deserialize(d)?.into())
    }
}

/// A record's fields by name (its id is not one: it names the record).
pub type Fields = BTreeMap<String, Value>;

/// What a record kind is called in a changeset and in messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A plan feature.
    Plan,
    /// A project.
    Project,
    /// A meeting with its comments and votes.
    Meeting,
    /// A person on the roster.
    Person,
    /// An organisation on the roster.
    Organisation,
    /// A task.
    Task,
    /// A project's attachment.
    Attachment,
    /// A workspace setting (the planner's name).
    Setting,
    /// A resident's comment or vote at a meeting.
    Input,
    /// A project's design alternative.
    Alternative,
    /// A workspace this one exchanges records with (a street handed out, or the district).
    Peer,
    /// What a record held when this workspace and a peer last agreed on it.
    Base,
    /// A conflict a merge found, kept until resolved.
    Conflict,
    /// Who made a record and who last changed it: its provenance.
    Provenance,
}

impl RecordKind {
    /// The kind's key (`plan`, `project`, …).
    pub fn key(self) -> &'static str {
        match self {
            Self::Plan => "plan",
            Self::Project => "project",
            Self::Meeting => "meeting",
            Self::Person => "person",
            Self::Organisation => "organisation",
            Self::Task => "task",
            Self::Attachment => "attachment",
            Self::Setting => "setting",
            Self::Input => "input",
            Self::Alternative => "alternative",
            Self::Peer => "peer",
            Self::Base => "base",
            Self::Conflict => "conflict",
            Self::Provenance => "provenance",
        }
    }

    /// Every kind.
    pub const ALL: [RecordKind; 14] = [
        Self::Plan,
        Self::Project,
        Self::Meeting,
        Self::Person,
        Self::Organisation,
        Self::Task,
        Self::Attachment,
        Self::Setting,
        Self::Input,
        Self::Alternative,
        Self::Peer,
        Self::Base,
        Self::Conflict,
        Self::Provenance,
    ];

    /// Parses [`RecordKind::key`].
    pub fn from_key(key: &str) -> Option<RecordKind> {
        Self::ALL.into_iter().find(|k| k.key() == key)
    }

    /// True for the kinds a district and its streets exchange: the planners' records, not
    /// the workspace's own settings nor the exchange's own bookkeeping.
    pub fn travels(self) -> bool {
        !matches!(
            self,
            Self::Setting | Self::Peer | Self::Base | Self::Conflict | Self::Provenance
        )
    }
}

/// A record kept in the workspace: a kind, an id, and fields to and from values. The store
/// writes and checks records field by field through this; adding a record kind costs one
/// impl of it (and of the store's `Table`), plus its table's migration.
pub trait Record: Clone + PartialEq + std::fmt::Debug + Send + Sync + 'static {
    /// The kind.
    const KIND: RecordKind;
    /// The record's stable id.
    fn id(&self) -> Uuid;
    /// Its fields, every one (derived values, which the store recomputes, are not fields).
    fn fields(&self) -> Fields;
    /// The record with id `id` and these fields, or why they do not make one.
    fn from_fields(id: Uuid, fields: Fields) -> std::result::Result<Self, String>;
    /// What to call it in a message (a name, a code and name, a date), empty when nothing.
    fn label(&self) -> String;
}

/// The fields of a record that serialises to a JSON object, without its `id`.
pub fn serde_fields<T: Serialize>(record: &T) -> Fields {
    match serde_json::to_value(record) {
        Ok(serde_json::Value::Object(map)) => map
            .into_iter()
            .filter(|(k, _)| k != "id")
            .map(|(k, v)| (k, Value::Json(v)))
            .collect(),
        _ => Fields::new(),
    }
}

/// The record a JSON object of `fields` (and `id`) deserialises to.
pub fn serde_from_fields<T: serde::de::DeserializeOwned>(
    id: Uuid,
    fields: Fields,
) -> std::result::Result<T, String> {
    let mut map = serde_json::Map::new();
    map.insert("id".into(), serde_json::Value::String(id.to_string()));
    for (k, v) in fields {
        match v {
            Value::Json(v) => {
                map.insert(k, v);
            }
            Value::Bytes(_) => return Err(format!("{k}: bytes where a value was expected")),
        }
    }
    serde_json::from_value(serde_json::Value::Object(map)).map_err(|e| e.to_string())
}

/// What happens to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Op {
    /// It is added: every field's `before` is null, `after` its value.
    Insert,
    /// Some fields change.
    Update,
    /// It is deleted: every field's `before` is its value, `after` null.
    Delete,
    /// No field changes: what the store derives for the record (a plan feature's street,
    /// community, element name, area and length) is written again from the record as the file
    /// holds it. What opening and taking in another program's rows do to rows that program
    /// left stale; never on the undo history, and its own inverse.
    Settle,
}

/// One field's change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FieldChange {
    /// The field's name.
    pub field: String,
    /// The value it was changed from (what the file must still hold).
    pub before: Value,
    /// The value it is changed to.
    pub after: Value,
}

/// The change of one record.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RecordChange {
    /// The record, by kind and id.
    pub record: RecordId,
    /// Added, changed or deleted.
    pub op: Op,
    /// The fields changed (for an insert or a delete, every field), by name.
    pub fields: Vec<FieldChange>,
    /// The row the record had before (a delete's, or a plan feature's before its geometry's
    /// kind moved it to another table), so undo puts it back there and the table's content
    /// comes back exactly.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_before: Option<i64>,
    /// The row it has after (where an insert goes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row_after: Option<i64>,
}

impl RecordChange {
    /// The change from `before` to `after` (`None`: absent), or `None` when nothing changed.
    pub fn between<T: Record>(before: Option<&T>, after: Option<&T>) -> Option<RecordChange> {
        let id = after.or(before)?.id();
        let record = RecordId::of(T::KIND, id);
        Self::between_fields(
            record,
            before.map(Record::fields).as_ref(),
            after.map(Record::fields).as_ref(),
        )
    }

    /// The change of `record` from fields `before` to fields `after` (`None`: absent), or
    /// `None` when nothing changed: an insert or a delete lists every field, an update only
    /// those that differ.
    pub fn between_fields(
        record: RecordId,
        before: Option<&Fields>,
        after: Option<&Fields>,
    ) -> Option<RecordChange> {
        let empty = Fields::new();
        let (op, old, new) = match (before, after) {
            (None, None) => return None,
            (None, Some(a)) => (Op::Insert, &empty, a),
            (Some(b), None) => (Op::Delete, b, &empty),
            (Some(b), Some(a)) => (Op::Update, b, a),
        };
        let mut names: Vec<&String> = old.keys().chain(new.keys()).collect();
        names.sort();
        names.dedup();
        let fields: Vec<FieldChange> = names
            .into_iter()
            .filter_map(|name| {
                let before = old.get(name).cloned().unwrap_or(Value::NULL);
                let after = new.get(name).cloned().unwrap_or(Value::NULL);
                (op != Op::Update || before != after).then(|| FieldChange {
                    field: name.clone(),
                    before,
                    after,
                })
            })
            .collect();
        if op == Op::Update && fields.is_empty() {
            return None;
        }
        Some(RecordChange {
            record,
            op,
            fields,
            row_before: None,
            row_after: None,
        })
    }

    /// Settling `record`: its derived values written again from what the file holds.
    pub fn settle(record: RecordId) -> RecordChange {
        RecordChange {
            record,
            op: Op::Settle,
            fields: Vec::new(),
            row_before: None,
            row_after: None,
        }
    }

    /// The change that undoes this one.
    pub fn inverse(&self) -> RecordChange {
        RecordChange {
            record: self.record,
            op: match self.op {
                Op::Insert => Op::Delete,
                Op::Update => Op::Update,
                Op::Delete => Op::Insert,
                Op::Settle => Op::Settle,
            },
            fields: self
                .fields
                .iter()
                .map(|f| FieldChange {
                    field: f.field.clone(),
                    before: f.after.clone(),
                    after: f.before.clone(),
                })
                .collect(),
            row_before: self.row_after,
            row_after: self.row_before,
        }
    }

    /// The value of field `name` after the change, if the change names it.
    pub fn after(&self, name: &str) -> Option<&Value> {
        self.fields
            .iter()
            .find(|f| f.field == name)
            .map(|f| &f.after)
    }

    /// The fields a new record gets (an insert's `after` values).
    pub fn after_fields(&self) -> Fields {
        self.fields
            .iter()
            .map(|f| (f.field.clone(), f.after.clone()))
            .collect()
    }
}

/// One user action as data: the changes of every record it touches, in the order they are
/// written.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Changeset {
    /// The records' changes.
    pub changes: Vec<RecordChange>,
}

impl Changeset {
    /// True when it changes nothing.
    pub fn is_empty(&self) -> bool {
        self.changes.is_empty()
    }

    /// The changeset that undoes this one: each change inverted, last first.
    pub fn inverse(&self) -> Changeset {
        Changeset {
            changes: self
                .changes
                .iter()
                .rev()
                .map(RecordChange::inverse)
                .collect(),
        }
    }

    /// Adds the change from `before` to `after`, if there is one.
    pub fn push<T: Record>(&mut self, before: Option<&T>, after: Option<&T>) {
        self.changes.extend(RecordChange::between(before, after));
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::model::people::{OrgKind, Organisation};

    fn org(name: &str, notes: &str) -> Organisation {
        Organisation {
            id: Uuid::from_u128(7),
            name: name.into(),
            kind: OrgKind::DesignTeam,
            notes: notes.into(),
        }
    }

    #[test]
    fn an_update_lists_only_the_fields_that_changed_with_their_base() {
        let (a, b) = (org("甲设计", "x"), org("乙设计", "x"));
        let change = RecordChange::between(Some(&a), Some(&b)).unwrap();
        assert_eq!(change.op, Op::Update);
        assert_eq!(change.fields.len(), 1);
        assert_eq!(change.fields[0].field, "name");
        assert_eq!(change.fields[0].before, Value::Json("甲设计".into()));
        assert!(RecordChange::between(Some(&a), Some(&a)).is_none());
    }

    #[test]
    fn the_inverse_of_the_inverse_is_the_changeset_and_it_serialises() {
        let mut cs = Changeset::default();
        cs.push(None, Some(&org("甲", "")));
        cs.push(Some(&org("甲", "")), Some(&org("甲", "n")));
        cs.push(Some(&org("甲", "n")), None::<&Organisation>);
        assert_eq!(cs.inverse().inverse(), cs);
        assert_eq!(cs.inverse().changes[0].op, Op::Insert);
        let text = serde_json::to_string(&cs).unwrap();
        let back: Changeset = serde_json::from_str(&text).unwrap();
        assert_eq!(back, cs);
        let rebuilt: Organisation =
            serde_from_fields(Uuid::from_u128(7), cs.changes[0].after_fields()).unwrap();
        assert_eq!(rebuilt, org("甲", ""));
    }
}
