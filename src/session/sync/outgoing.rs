//! What a street workspace sends a district server, as data: after the server's rows are
//! merged in, every record of the street that differs from the base both last agreed on —
//! added, changed field by field, or deleted here — except the fields of an open conflict
//! (this workspace keeps its value, the server keeps its own until someone resolves it). Once
//! the server has taken them, the base becomes what was sent.

use std::collections::{BTreeMap, BTreeSet};

use uuid::Uuid;

use super::{base_entry, readable, scope};
use crate::error::Result;
use crate::model::RecordId;
use crate::model::change::{Changeset, Fields, RecordKind};
use crate::model::provenance::Provenance;
use crate::model::sync::{Peer, WHOLE_RECORD, digest, digest_fields};
use crate::session::Session;

/// One record to send.
#[derive(Debug, Clone, PartialEq)]
pub struct Outgoing {
    /// The record.
    pub record: RecordId,
    /// What happens to it on the server.
    pub op: OutOp,
    /// The street its row belongs to (a plan feature's own; else the street synced).
    pub street: String,
    /// Its provenance here.
    pub provenance: Option<Provenance>,
}

/// What a record does on the server.
#[derive(Debug, Clone, PartialEq)]
pub enum OutOp {
    /// A new row with these fields.
    Insert(Fields),
    /// These fields of the row change (the others stay as the server has them).
    Update(Fields),
    /// The row goes.
    Delete,
}

impl Session {
    /// The base this workspace keeps for `peer`.
    pub fn base_for(&self, peer: Uuid) -> Result<crate::sync::Base> {
        self.store.base_for(peer)
    }

    /// What to send `peer` (a district server) for `street`: see the module's text.
    pub fn outgoing(&self, peer: Uuid, street: &str) -> Result<Vec<Outgoing>> {
        let base = self.store.base_for(peer)?;
        let (held, notes) = self.store.travelling_records()?;
        readable(self.store.path(), notes)?;
        let in_scope = scope::street_scope(&held, street, |f| {
            self.plan_feature(f.feature.id)
                .and_then(|p| p.street.clone())
                .or_else(|| self.locate_geometry(&f.feature.geometry).street)
        });
        let tombstones = self.store.tombstones()?;
        let open: BTreeMap<RecordId, BTreeSet<&str>> = self
            .conflicts
            .all()
            .filter(|c| c.peer == peer && c.is_open())
            .fold(BTreeMap::new(), |mut m, c| {
                m.entry(c.record_id()).or_default().insert(c.field.as_str());
                m
            });
        let ids: Vec<Uuid> = in_scope
            .iter()
            .chain(base.keys())
            .map(|r| r.uuid())
            .collect();
        let provenance = self.store.provenance_of(ids)?;
        let street_of = |id: &RecordId| -> String {
            (id.kind() == RecordKind::Plan)
                .then(|| self.plan_feature(id.uuid()).and_then(|f| f.street.clone()))
                .flatten()
                .unwrap_or_else(|| street.to_string())
        };
        let mut out = Vec::new();
        let records: BTreeSet<&RecordId> = in_scope.iter().chain(base.keys()).collect();
        for id in records {
            let conflicted = open.get(id);
            if conflicted.is_some_and(|f| f.contains(WHOLE_RECORD)) {
                continue;
            }
            let op = match (held.get(id), base.get(id)) {
                (Some(h), None) => OutOp::Insert(h.fields.clone()),
                (Some(h), Some(agreed)) => {
                    let changed: Fields = h
                        .fields
                        .iter()
                        .filter(|(k, v)| {
                            agreed.get(k.as_str()) != Some(&digest(v))
                                && !conflicted.is_some_and(|f| f.contains(k.as_str()))
                        })
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    if changed.is_empty() {
                        continue;
                    }
                    OutOp::Update(changed)
                }
                (None, Some(_)) if tombstones.contains(id) => OutOp::Delete,
                _ => continue,
            };
            out.push(Outgoing {
                record: *id,
                op,
                street: street_of(id),
                provenance: provenance.get(&id.uuid()).cloned(),
            });
        }
        Ok(out)
    }

    /// Records that the server took `sent` (and that its rows are now at `high_water`): the
    /// base for `peer` becomes what was sent, in one transaction; not an undo step (it is
    /// the exchange's bookkeeping, not work).
    pub fn record_sent(&mut self, peer: &Peer, sent: &[Outgoing], high_water: i64) -> Result<()> {
        let base = self.store.base_for(peer.id)?;
        let mut changes = Changeset::default();
        for o in sent {
            let before = base
                .get(&o.record)
                .map(|f| base_entry(peer.id, o.record, f));
            let after = match &o.op {
                OutOp::Delete => None,
                OutOp::Insert(fields) => Some(digest_fields(fields)),
                OutOp::Update(fields) => {
                    let mut digests = base
                        .get(&o.record)
                        .cloned()
                        .unwrap_or_else(|| serde_json::Value::Object(Default::default()));
                    if let serde_json::Value::Object(map) = &mut digests {
                        for (k, v) in fields {
                            map.insert(k.clone(), digest(v));
                        }
                    }
                    Some(digests)
                }
            }
            .map(|f| base_entry(peer.id, o.record, &f));
            changes.push(before.as_ref(), after.as_ref());
        }
        let stored = self.store.peers()?.into_iter().find(|p| p.id == peer.id);
        let mut after = stored.clone().unwrap_or_else(|| peer.clone());
        after.high_water = high_water;
        changes.push(stored.as_ref(), Some(&after));
        self.commit(&changes).map(|_| ())
    }
}
