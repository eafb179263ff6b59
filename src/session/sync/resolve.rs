//! Resolving a merge conflict: the value chosen is written as any change is (a changeset,
//! checked against the file, one undo step), and the conflict keeps it as its resolution —
//! which the other side's next merge of this file takes (`crate::sync::Decision`).

use uuid::Uuid;

use super::Session;
use crate::error::{Error, Problem, Result};
use crate::model::change::{Changeset, FieldChange, Fields, Op, RecordChange, RecordKind, Value};
use crate::model::sync::{ConflictStatus, WHOLE_RECORD, digest, digest_fields};

/// How a conflict is resolved.
#[derive(Debug, Clone, PartialEq)]
pub enum Resolution {
    /// Keep this workspace's value (for a whole record: as it is here, kept or deleted).
    Ours,
    /// Take the other workspace's value (for a whole record: its record, or its delete).
    Theirs,
    /// Another value, typed (for a whole record: its fields as an object, or null to delete).
    Value(serde_json::Value),
}

/// A value as a conflict keeps it, back as a field's value; `None` for a file's digest,
/// whose bytes the conflict does not keep.
fn undigest(kind: RecordKind, field: &str, v: &serde_json::Value) -> Option<Value> {
    let bytes = kind == RecordKind::Attachment && field == "data";
    (!bytes).then(|| Value::Json(v.clone()))
}

/// A whole record's fields as a conflict keeps them (an object of digests), back as fields;
/// `Ok(None)` for null (deleted).
fn fields_of(kind: RecordKind, v: &serde_json::Value) -> Result<Option<Fields>> {
    match v {
        serde_json::Value::Null => Ok(None),
        serde_json::Value::Object(map) => map
            .iter()
            .map(|(k, v)| {
                undigest(kind, k, v).map(|v| (k.clone(), v)).ok_or_else(|| {
                    Error::request(Problem::ConflictValueNotKept { field: k.clone() })
                })
            })
            .collect::<Result<Fields>>()
            .map(Some),
        _ => Err(Error::request(Problem::ConflictValueNotKept {
            field: WHOLE_RECORD.into(),
        })),
    }
}

impl Session {
    /// Resolves an open merge conflict: writes the value chosen (nothing, when it is this
    /// workspace's own) and marks the conflict resolved with it, in one changeset and one
    /// undo step.
    pub fn resolve_conflict(&mut self, id: Uuid, resolution: Resolution) -> Result<()> {
        let conflict = self
            .conflicts
            .get(id)
            .cloned()
            .ok_or_else(|| Error::request(Problem::NoSuchConflict { id: id.to_string() }))?;
        if !conflict.is_open() {
            return Err(Error::request(Problem::ConflictResolved {
                label: conflict.label.clone(),
                field: conflict.field.clone(),
            }));
        }
        let record = conflict.record_id();
        let current: Option<Fields> = self.store.read_record(record)?.map(|(r, _)| r.fields());
        let mut change = Changeset::default();
        let chosen = if conflict.field == WHOLE_RECORD {
            let wanted = match &resolution {
                Resolution::Ours => current.clone(),
                Resolution::Theirs => fields_of(record.kind(), &conflict.theirs)?,
                Resolution::Value(v) => fields_of(record.kind(), v)?,
            };
            change.changes.extend(RecordChange::between_fields(
                record,
                current.as_ref(),
                wanted.as_ref(),
            ));
            wanted
                .as_ref()
                .map_or(serde_json::Value::Null, digest_fields)
        } else {
            let field = conflict.field.as_str();
            let now = current
                .as_ref()
                .map(|f| f.get(field).cloned().unwrap_or(Value::NULL));
            let wanted = match &resolution {
                Resolution::Ours => now.clone(),
                Resolution::Theirs => Some(
                    undigest(record.kind(), field, &conflict.theirs).ok_or_else(|| {
                        Error::request(Problem::ConflictValueNotKept {
                            field: field.to_string(),
                        })
                    })?,
                ),
                Resolution::Value(v) => {
                    Some(undigest(record.kind(), field, v).ok_or_else(|| {
                        Error::request(Problem::ConflictValueNotKept {
                            field: field.to_string(),
                        })
                    })?)
                }
            };
            match (now, wanted) {
                (Some(before), Some(after)) => {
                    let value = digest(&after);
                    if before != after {
                        change.changes.push(RecordChange {
                            record,
                            op: Op::Update,
                            fields: vec![FieldChange {
                                field: field.to_string(),
                                before,
                                after,
                            }],
                            row_before: None,
                            row_after: None,
                        });
                    }
                    value
                }
                // Deleted here since: only keeping that is left.
                _ if resolution == Resolution::Ours => serde_json::Value::Null,
                _ => {
                    return Err(Error::workspace(
                        self.store.path(),
                        Problem::DeletedElsewhere {
                            name: conflict.label.clone(),
                            id: record.uuid().to_string(),
                        },
                    ));
                }
            }
        };
        let mut resolved = conflict.clone();
        resolved.status = ConflictStatus::Resolved;
        resolved.resolution = chosen;
        change.push(Some(&conflict), Some(&resolved));
        // Choosing a value is a change made here: it is stamped as one.
        let change = self.stamped(change)?;
        let applied = self.commit(&change)?;
        self.push_step(applied);
        Ok(())
    }
}
