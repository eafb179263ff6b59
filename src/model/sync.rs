//! Workspaces that travel: a district file hands out street workspaces and takes them back.
//! The records of that exchange, as plain data: the workspace's own identity, the peers it
//! exchanges with ([`Peer`]), the state of each record both sides last agreed on
//! ([`BaseEntry`], per peer), and the conflicts a merge found ([`MergeConflict`]), kept as data
//! until someone resolves them. The rules of a merge live in the merge module above the
//! model; the tables are the store's.
//!
//! Values are compared as [`digest`]s: JSON as it is, bytes (an attachment's file) by a
//! SHA-1 name of their content, so a base never has to keep a copy of every file.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::RecordId;
use super::change::{Fields, RecordKind, Value};
use super::people::coded;

/// A workspace's stable identity: made when the file is made (or first migrated), kept by
/// every copy; a street workspace handed out gets one of its own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WorkspaceIdentity {
    /// Stable id.
    pub id: Uuid,
    /// What people call it (浦东新区, 洋泾街道…).
    pub name: String,
}

coded! {
    /// What a peer is to this workspace.
    PeerRole {
        /// 街道: a street workspace this district handed out (or that joined it).
        Street = ("street", "街道"),
        /// 区: the district file this street workspace came from.
        District = ("district", "区"),
    }
}

/// A workspace this one exchanges records with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Peer {
    /// The peer workspace's id ([`WorkspaceIdentity::id`]).
    pub id: Uuid,
    /// Its name, as last seen.
    pub name: String,
    /// A street handed out, or the district.
    pub role: PeerRole,
    /// Which of the peer's records this workspace takes when it merges the peer in: empty
    /// for all of them (a district takes everything a street sends), else a street's name (a
    /// street takes from the district only its own street's records).
    #[serde(default)]
    pub street: String,
    /// When it was handed out or joined (UTC, RFC 3339).
    #[serde(default)]
    pub since: String,
    /// When it was last merged in (UTC, RFC 3339), empty when never.
    #[serde(default)]
    pub last_merged: String,
    /// For a district server: the highest revision of its rows this workspace has taken in
    /// (0 for a workspace, or a server never synced).
    #[serde(default)]
    pub high_water: i64,
}

/// What one record held when this workspace and a peer last agreed on it: the base a later
/// merge with that peer compares both sides against.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BaseEntry {
    /// Its own id: [`BaseEntry::id_for`] the peer and the record.
    pub id: Uuid,
    /// The peer.
    pub peer: Uuid,
    /// The record's kind.
    pub kind: RecordKind,
    /// The record's UUID.
    pub record: Uuid,
    /// Its fields, each as its [`digest`] (a JSON object, field by field).
    pub fields: serde_json::Value,
}

/// The namespace of base entries' ids.
const BASE_NAMESPACE: Uuid = Uuid::from_u128(0x6c69_6e6c_6900_4000_8000_0062_6173_6531);

impl BaseEntry {
    /// The id of the base entry of `record` for `peer`: the same in every file and every run.
    pub fn id_for(peer: Uuid, record: RecordId) -> Uuid {
        let mut name = Vec::with_capacity(16 + 16 + 16);
        name.extend_from_slice(peer.as_bytes());
        name.extend_from_slice(record.kind().key().as_bytes());
        name.extend_from_slice(record.uuid().as_bytes());
        Uuid::new_v5(&BASE_NAMESPACE, &name)
    }

    /// The base entry of a record with `fields` for `peer`.
    pub fn new(peer: Uuid, record: RecordId, fields: &Fields) -> BaseEntry {
        BaseEntry {
            id: Self::id_for(peer, record),
            peer,
            kind: record.kind(),
            record: record.uuid(),
            fields: digest_fields(fields),
        }
    }

    /// The record it is the base of.
    pub fn record_id(&self) -> RecordId {
        RecordId::of(self.kind, self.record)
    }
}

/// The field name a conflict about the whole record has: one side deleted it, the other
/// changed it.
pub const WHOLE_RECORD: &str = "*";

coded! {
    /// Where a conflict stands.
    ConflictStatus {
        /// 待解决: nothing was overwritten; the workspace keeps its own value.
        Open = ("open", "待解决"),
        /// 已解决: someone chose the value.
        Resolved = ("resolved", "已解决"),
    }
}

/// A conflict a merge found and kept: the same field changed to different values on the two
/// sides (or a record changed on one side and deleted on the other). Nothing is overwritten
/// until it is resolved; the workspace keeps its own value meanwhile.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MergeConflict {
    /// Stable id.
    pub id: Uuid,
    /// The peer whose file was merged in (a street, or the district).
    pub peer: Uuid,
    /// Its name.
    pub peer_name: String,
    /// The record's kind.
    pub kind: RecordKind,
    /// The record's UUID.
    pub record: Uuid,
    /// What to call the record (a project's code and name, a feature's name).
    pub label: String,
    /// The field, or [`WHOLE_RECORD`] when one side deleted the record.
    pub field: String,
    /// The value both sides started from (the field's [`digest`]; for a whole record, its
    /// fields as an object, null when it did not exist).
    pub base: serde_json::Value,
    /// This workspace's value when the merge ran (null for a whole record deleted here).
    pub ours: serde_json::Value,
    /// The peer's value (null for a whole record the peer deleted).
    pub theirs: serde_json::Value,
    /// When the merge found it (UTC, RFC 3339).
    pub found: String,
    /// Open or resolved.
    pub status: ConflictStatus,
    /// The value it was resolved with (null while open).
    #[serde(default)]
    pub resolution: serde_json::Value,
}

impl MergeConflict {
    /// The record it is about.
    pub fn record_id(&self) -> RecordId {
        RecordId::of(self.kind, self.record)
    }

    /// True while nobody resolved it.
    pub fn is_open(&self) -> bool {
        self.status == ConflictStatus::Open
    }
}

/// Now, as the exchange's records keep times (UTC, RFC 3339).
pub fn now_text() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    super::project::utc_text(secs)
}

/// The namespace of bytes' digests.
const BYTES_NAMESPACE: Uuid = Uuid::from_u128(0x6c69_6e6c_6900_4000_8000_0062_7974_6573);

/// A value as bases and conflicts keep it, and as merges compare it: JSON as it is; bytes as
/// `{"bytes": N, "sha1": "…"}`, a name of their content.
pub fn digest(value: &Value) -> serde_json::Value {
    match value {
        Value::Json(v) => v.clone(),
        Value::Bytes(b) => serde_json::json!({
            "bytes": b.len(),
            "sha1": Uuid::new_v5(&BYTES_NAMESPACE, b).simple().to_string(),
        }),
    }
}

/// Every field's [`digest`], as one JSON object.
pub fn digest_fields(fields: &Fields) -> serde_json::Value {
    serde_json::Value::Object(fields.iter().map(|(k, v)| (k.clone(), digest(v))).collect())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn base_ids_are_stable_and_differ_by_peer_and_record() {
        let r = RecordId::of(RecordKind::Plan, Uuid::from_u128(1));
        let a = BaseEntry::id_for(Uuid::from_u128(9), r);
        assert_eq!(a, BaseEntry::id_for(Uuid::from_u128(9), r));
        assert_ne!(a, BaseEntry::id_for(Uuid::from_u128(8), r));
        let p = RecordId::of(RecordKind::Project, Uuid::from_u128(1));
        assert_ne!(a, BaseEntry::id_for(Uuid::from_u128(9), p));
    }

    #[test]
    fn bytes_digest_by_content() {
        let a = Value::Bytes(Arc::from(&b"photo"[..]));
        let b = Value::Bytes(Arc::from(&b"photo"[..]));
        let c = Value::Bytes(Arc::from(&b"photos"[..]));
        assert_eq!(digest(&a), digest(&b));
        assert_ne!(digest(&a), digest(&c));
        assert_eq!(
            digest(&Value::Json("街道".into())),
            serde_json::json!("街道")
        );
    }
}
