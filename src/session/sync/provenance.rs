//! Records' provenance as a session writes it: each change a planner makes is stamped (who,
//! when, in which workspace) in the same changeset, so undo takes the stamp back with the
//! change and redo puts it again; a merge carries the other workspace's stamps with the
//! changes it takes from there ([`Provenance::merged`]) and never finds a conflict in them.

use std::collections::BTreeMap;

use uuid::Uuid;

use crate::error::Result;
use crate::model::change::{Changeset, Op, RecordKind};
use crate::model::provenance::{Provenance, Stamp};
use crate::model::sync::now_text;
use crate::session::Session;

/// The records a changeset changes that keep provenance, each with the change's last op on it.
fn stamped_records(changes: &Changeset) -> Vec<(RecordKind, Uuid, Op)> {
    let mut last: BTreeMap<Uuid, (RecordKind, Op)> = BTreeMap::new();
    for c in &changes.changes {
        let kind = c.record.kind();
        if !kind.travels() || c.op == Op::Settle {
            continue;
        }
        last.entry(c.record.uuid())
            .and_modify(|(_, op)| {
                // Added then changed is still added; deleted is deleted.
                *op = match (*op, c.op) {
                    (Op::Insert, Op::Update) => Op::Insert,
                    (_, next) => next,
                }
            })
            .or_insert((kind, c.op));
    }
    last.into_iter().map(|(id, (k, op))| (k, id, op)).collect()
}

impl Session {
    /// Who is working here now: the planner's name, this workspace, the time.
    pub fn stamp_now(&self) -> Result<Stamp> {
        let identity = self.store.identity()?;
        Ok(Stamp {
            at: now_text(),
            by: self.planner().to_string(),
            workspace: identity.id.to_string(),
            workspace_name: identity.name,
        })
    }

    /// `changes` with the provenance of every record it adds, changes or deletes: made or
    /// changed now, here, by the planner (a deleted record's provenance goes with it).
    pub(in crate::session) fn stamped(&self, mut changes: Changeset) -> Result<Changeset> {
        let records = stamped_records(&changes);
        if records.is_empty() {
            return Ok(changes);
        }
        let stamp = self.stamp_now()?;
        // An added record's id is read too: a row left by a record another program deleted
        // is taken over, not collided with.
        let known = self
            .store
            .provenance_of(records.iter().map(|(_, id, _)| *id))?;
        let mut stamps = Changeset::default();
        for (kind, id, op) in records {
            let before = known.get(&id);
            let after = match op {
                Op::Delete => None,
                Op::Insert => Some(Provenance::created(kind, id, &stamp)),
                _ => Some(Provenance::touched(before, kind, id, &stamp)),
            };
            stamps.push(before, after.as_ref());
        }
        changes.changes.extend(stamps.changes);
        Ok(changes)
    }

    /// The provenance changes that go with a merge's record changes (`merged`): a record
    /// taken from the other workspace gets its stamps from there ([`Provenance::merged`] with
    /// what this workspace knows), a record deleted loses its own.
    pub(in crate::session) fn carried(
        &self,
        merged: &Changeset,
        theirs: &super::ProvenanceOf<'_>,
    ) -> Result<Changeset> {
        let records = stamped_records(merged);
        let ids: Vec<Uuid> = records.iter().map(|(_, id, _)| *id).collect();
        let ours = self.store.provenance_of(ids.iter().copied())?;
        let from_them = theirs(&ids)?;
        let mut stamps = Changeset::default();
        for (_, id, op) in records {
            let before = ours.get(&id);
            let after = match (op, from_them.get(&id)) {
                (Op::Delete, _) => None,
                (_, Some(t)) => Some(Provenance::merged(before, t)),
                // They do not know who made it (another program's record): what we know stays.
                (_, None) => before.cloned(),
            };
            // Most records a merge takes carry the stamp this side has already.
            if before != after.as_ref() {
                stamps.push(before, after.as_ref());
            }
        }
        Ok(stamps)
    }

    /// The provenance of the records of `kind` this workspace keeps, by record id (records
    /// with none were made before Linli kept provenance, or by another program).
    pub fn provenance_of_kind(&self, kind: RecordKind) -> Result<BTreeMap<Uuid, Provenance>> {
        self.store.provenance_of_kind(kind)
    }

    /// The provenance of one record, if it has one.
    pub fn provenance(&self, id: Uuid) -> Result<Option<Provenance>> {
        Ok(self.store.provenance_of([id])?.remove(&id))
    }
}
