//! The district's exchange, as a session does it: a street workspace handed out
//! ([`Session::package_street`]), a workspace's records merged in ([`Session::merge_file`]),
//! a conflict resolved ([`Session::resolve_conflict`]). The rules of the merge are
//! [`crate::sync`]'s, on snapshots of both files; what they give is one changeset — the
//! records' changes, the conflicts as records, the new base, the peer — written through the
//! store in one transaction, checked against the file, and one undo step.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use uuid::Uuid;

use super::Session;
use crate::error::{Error, Problem, Result};
use crate::model::RecordId;
use crate::model::change::{Changeset, Fields, Op, Value};
use crate::model::sync::{
    BaseEntry, ConflictStatus, MergeConflict, Peer, PeerRole, WHOLE_RECORD, WorkspaceIdentity,
    digest, digest_fields, now_text,
};
use crate::store::{Held, Store};
use crate::sync::{self as rules, Decision, Sides, Snapshot};

mod outgoing;
mod package;
mod provenance;
mod resolve;
mod scope;
mod table;

pub use outgoing::{OutOp, Outgoing};
pub use package::PackageReport;
pub use resolve::Resolution;
pub use table::{CONFLICT_COLUMNS, value_text};

/// What a merge did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MergeReport {
    /// The workspace merged in, by name.
    pub peer: String,
    /// True when it was not a peer before: it joined with this merge.
    pub joined: bool,
    /// Records added.
    pub inserted: usize,
    /// Records changed.
    pub updated: usize,
    /// Records deleted.
    pub deleted: usize,
    /// Conflicts found (new, or an open one with a new value).
    pub conflicts: usize,
    /// Records they still have that this workspace deleted: not brought back.
    pub kept_deleted: usize,
}

impl MergeReport {
    /// True when the merge changed no record and found no conflict.
    pub fn is_nothing(&self) -> bool {
        self.inserted + self.updated + self.deleted + self.conflicts == 0
    }
}

/// Records read, taken apart into their snapshot of fields and their labels (nothing cloned).
fn snapshot_and_labels(
    held: impl Iterator<Item = (RecordId, Held)>,
) -> (Snapshot, BTreeMap<RecordId, String>) {
    let mut fields = Snapshot::new();
    let mut labels = BTreeMap::new();
    for (id, h) in held {
        fields.insert(id, h.fields);
        labels.insert(id, h.label);
    }
    (fields, labels)
}

/// Refuses when reading a workspace found rows it could not read: a record missing from a
/// side would be taken as deleted.
fn readable(path: &Path, notes: Vec<Problem>) -> Result<()> {
    let count = notes.len();
    match notes.into_iter().next() {
        None => Ok(()),
        Some(first) => Err(Error::workspace(
            path,
            Problem::MergeUnreadable {
                count,
                first: Box::new(first),
            },
        )),
    }
}

/// Reads the other side's provenance of records, by id.
pub(crate) type ProvenanceOf<'a> =
    dyn Fn(&[Uuid]) -> Result<BTreeMap<Uuid, crate::model::provenance::Provenance>> + 'a;

/// The other side of a merge: a workspace file, or a district server.
pub(crate) struct TheirSide<'a> {
    /// Where it is, for messages (its file, or the server's address).
    pub place: &'a Path,
    /// Its name.
    pub name: &'a str,
    /// The peer as this workspace keeps it (new when `joined`).
    pub peer: Peer,
    /// True when it was not a peer before.
    pub joined: bool,
    /// A server's high-water mark after this pull (`None` for a file).
    pub high_water: Option<i64>,
    /// The base this workspace keeps for it.
    pub base: rules::Base,
    /// Its records (those this workspace takes from it).
    pub theirs: Snapshot,
    /// The conflicts it resolved about this workspace's values.
    pub decisions: Vec<Decision>,
    /// What it calls a record.
    pub labels: &'a dyn Fn(&RecordId) -> Option<String>,
    /// The provenance it keeps of these records.
    pub provenance: &'a ProvenanceOf<'a>,
}

/// The base entry of `record` for `peer`, with these digests.
fn base_entry(peer: Uuid, record: RecordId, fields: &serde_json::Value) -> BaseEntry {
    BaseEntry {
        id: BaseEntry::id_for(peer, record),
        peer,
        kind: record.kind(),
        record: record.uuid(),
        fields: fields.clone(),
    }
}

impl Session {
    /// This workspace's identity (id and name).
    pub fn identity(&self) -> Result<WorkspaceIdentity> {
        self.store.identity()
    }

    /// Names this workspace (what its peers and its records' provenance call it); not an
    /// undo step: it is the workspace's name, not work in it.
    pub fn set_workspace_name(&mut self, name: &str) -> Result<()> {
        let id = self.store.identity()?.id;
        self.store.set_identity(&WorkspaceIdentity {
            id,
            name: name.trim().to_string(),
        })
    }

    /// The workspaces this one exchanges records with.
    pub fn peers(&self) -> Result<Vec<Peer>> {
        self.store.peers()
    }

    /// The merge conflicts, open ones first, then by when they were found and by record.
    pub fn merge_conflicts(&self) -> Vec<&MergeConflict> {
        let mut all: Vec<&MergeConflict> = self.conflicts.all().collect();
        all.sort_by(|a, b| {
            (!a.is_open(), &a.found, &a.label, &a.field).cmp(&(
                !b.is_open(),
                &b.found,
                &b.label,
                &b.field,
            ))
        });
        all
    }

    /// One merge conflict.
    pub fn merge_conflict(&self, id: Uuid) -> Option<&MergeConflict> {
        self.conflicts.get(id)
    }

    /// Merges the records of the workspace at `path` into this one, by UUID and field by
    /// field against the base this workspace keeps for it ([`crate::sync`]'s rules): one
    /// transaction, one undo step. A workspace never merged before joins with an empty base
    /// (its records all come in); `street` is then which of its records this workspace takes
    /// when it is the district this one came from (by default, the street most of this
    /// workspace's plan lies in). The other file is only read.
    pub fn merge_file(&mut self, path: &Path, street: Option<&str>) -> Result<MergeReport> {
        let ours_id = self.store.identity()?;
        let source = Store::open_read_only(path)?;
        let theirs_id = source.identity()?;
        if theirs_id.id == ours_id.id {
            return Err(Error::workspace(
                path,
                Problem::SameWorkspace {
                    name: theirs_id.name,
                },
            ));
        }
        let known = self
            .store
            .peers()?
            .into_iter()
            .find(|p| p.id == theirs_id.id);
        let joined = known.is_none();
        let peer = match known {
            Some(p) => p,
            None => self.new_peer(&source, &theirs_id, &ours_id, street)?,
        };
        let (theirs_held, notes) = source.travelling_records()?;
        readable(path, notes)?;
        let base = self.store.base_for(peer.id)?;
        let scope = (!peer.street.is_empty()).then(|| {
            scope::street_scope(&theirs_held, &peer.street, |f| {
                self.locate_geometry(&f.feature.geometry).street
            })
        });
        // What both agreed on stays theirs to send, wherever it lies now.
        let (theirs, their_labels) =
            snapshot_and_labels(theirs_held.into_iter().filter(|(id, _)| {
                scope
                    .as_ref()
                    .is_none_or(|scope| scope.contains(id) || base.contains_key(id))
            }));
        let decisions: Vec<Decision> = source
            .conflict_rows()?
            .0
            .into_iter()
            .filter(|(c, _)| c.peer == ours_id.id && c.status == ConflictStatus::Resolved)
            .map(|(c, _)| Decision {
                record: c.record_id(),
                field: c.field,
                ours: c.theirs,
                chosen: c.resolution,
            })
            .collect();
        let labels = |id: &RecordId| their_labels.get(id).cloned();
        let provenance = |ids: &[Uuid]| source.provenance_of(ids.iter().copied());
        self.merge_sides(TheirSide {
            place: path,
            name: &theirs_id.name,
            peer,
            joined,
            high_water: None,
            base,
            theirs,
            decisions,
            labels: &labels,
            provenance: &provenance,
        })
    }

    /// Merges `side` into this workspace: the rules on both snapshots, then the records'
    /// changes, their provenance, the conflicts, the new base and the peer as one changeset
    /// and one undo step.
    pub(crate) fn merge_sides(&mut self, side: TheirSide<'_>) -> Result<MergeReport> {
        let TheirSide {
            place,
            name,
            peer,
            joined,
            high_water,
            base,
            theirs,
            decisions,
            labels,
            provenance,
        } = side;
        // Ours: only what the merge looks at (the records in the base or theirs), read by id.
        let ours_held = self.store.records_by_id(
            base.keys()
                .chain(theirs.keys())
                .copied()
                .collect::<BTreeSet<_>>(),
        )?;
        let (ours, our_labels) = snapshot_and_labels(ours_held.into_iter());
        let tombstones = self.store.tombstones()?;
        let merged = rules::merge(Sides {
            base: &base,
            ours: &ours,
            theirs: &theirs,
            tombstones: &tombstones,
            decisions: &decisions,
        });
        // Who made and changed what comes with the changes taken; it never conflicts.
        let carried = self.carried(&merged.changes, provenance)?;
        self.codes_stay_unique(place, &merged.changes, labels)?;
        let count = |op| merged.changes.changes.iter().filter(|c| c.op == op).count();
        let mut report = MergeReport {
            peer: name.to_string(),
            joined,
            inserted: count(Op::Insert),
            updated: count(Op::Update),
            deleted: count(Op::Delete),
            conflicts: 0,
            kept_deleted: merged.kept_deleted.len(),
        };
        if merged.is_empty() && !joined && high_water.is_none_or(|h| h == peer.high_water) {
            return Ok(report);
        }
        let now = now_text();
        let mut changes = merged.changes.clone();
        changes.changes.extend(carried.changes);
        let open: BTreeMap<(RecordId, &str), &MergeConflict> = self
            .conflicts
            .all()
            .filter(|c| c.peer == peer.id && c.is_open())
            .map(|c| ((c.record_id(), c.field.as_str()), c))
            .collect();
        let mut found = Changeset::default();
        for f in &merged.conflicts {
            let existing = open.get(&(f.record, f.field.as_str())).copied();
            if existing.is_some_and(|c| c.theirs == f.theirs && c.ours == f.ours) {
                continue;
            }
            let label = our_labels
                .get(&f.record)
                .cloned()
                .or_else(|| labels(&f.record))
                .unwrap_or_default();
            let conflict = MergeConflict {
                id: existing.map_or_else(Uuid::new_v4, |c| c.id),
                peer: peer.id,
                peer_name: name.to_string(),
                kind: f.record.kind(),
                record: f.record.uuid(),
                label,
                field: f.field.clone(),
                base: f.base.clone(),
                ours: f.ours.clone(),
                theirs: f.theirs.clone(),
                found: now.clone(),
                status: ConflictStatus::Open,
                resolution: serde_json::Value::Null,
            };
            found.push(existing, Some(&conflict));
            report.conflicts += 1;
        }
        // An open conflict the two sides now agree on (one side took the other's value) is
        // resolved with that value.
        let mut after_merge = ours.clone();
        rules::apply_to(&mut after_merge, &merged.changes);
        let refound: BTreeSet<(RecordId, &str)> = merged
            .conflicts
            .iter()
            .map(|f| (f.record, f.field.as_str()))
            .collect();
        for ((record, field), c) in &open {
            if refound.contains(&(*record, *field)) {
                continue;
            }
            let (Some(o), Some(t)) = (after_merge.get(record), theirs.get(record)) else {
                continue;
            };
            let agreed = if *field == WHOLE_RECORD {
                let d = digest_fields(o);
                (d == digest_fields(t)).then_some(d)
            } else {
                let value = |f: &Fields| digest(f.get(*field).unwrap_or(&Value::NULL));
                let d = value(o);
                (d == value(t)).then_some(d)
            };
            if let Some(value) = agreed {
                let mut resolved = (*c).clone();
                resolved.status = ConflictStatus::Resolved;
                resolved.resolution = value;
                found.push(Some(*c), Some(&resolved));
            }
        }
        changes.changes.extend(found.changes);
        for (record, entry) in &merged.base {
            let before = base.get(record).map(|f| base_entry(peer.id, *record, f));
            let after = entry.as_ref().map(|f| base_entry(peer.id, *record, f));
            changes.push(before.as_ref(), after.as_ref());
        }
        let mut after = peer.clone();
        after.name = name.to_string();
        after.last_merged = now;
        if let Some(h) = high_water {
            after.high_water = h;
        }
        changes.push((!joined).then_some(&peer), Some(&after));
        let applied = self.commit(&changes)?;
        self.push_step(applied);
        Ok(report)
    }

    /// Refuses a merge that would give two projects one code (features link to projects by
    /// code): a project of theirs added, or recoded, to a code another project of ours keeps.
    fn codes_stay_unique(
        &self,
        path: &Path,
        changes: &Changeset,
        labels: &dyn Fn(&RecordId) -> Option<String>,
    ) -> Result<()> {
        let touched: BTreeSet<Uuid> = changes
            .changes
            .iter()
            .filter(|c| c.record.kind() == crate::model::change::RecordKind::Project)
            .map(|c| c.record.uuid())
            .collect();
        for c in &changes.changes {
            if c.record.kind() != crate::model::change::RecordKind::Project || c.op == Op::Delete {
                continue;
            }
            let Some(code) = c
                .after("code")
                .and_then(|v| v.json())
                .and_then(|v| v.as_str())
            else {
                continue;
            };
            if let Some(other) = self.projects().get(code)
                && other.id != c.record.uuid()
                && !touched.contains(&other.id)
            {
                return Err(Error::workspace(
                    path,
                    Problem::MergeCodeTaken {
                        code: code.to_string(),
                        ours: other.name.clone(),
                        theirs: labels(&c.record).unwrap_or_default(),
                    },
                ));
            }
        }
        Ok(())
    }

    /// The peer a workspace merged in for the first time becomes: the district this one is a
    /// street of, when that workspace knows this one as its street; else a street joining
    /// this district.
    fn new_peer(
        &self,
        source: &Store,
        theirs: &WorkspaceIdentity,
        ours: &WorkspaceIdentity,
        street: Option<&str>,
    ) -> Result<Peer> {
        let known_as = source
            .peers()?
            .into_iter()
            .find(|p| p.id == ours.id)
            .map(|p| p.role);
        let (role, scope) = match known_as {
            Some(PeerRole::Street) => (
                PeerRole::District,
                street
                    .map(str::to_string)
                    .or_else(|| self.main_street())
                    .unwrap_or_default(),
            ),
            _ => (PeerRole::Street, street.unwrap_or_default().to_string()),
        };
        Ok(Peer {
            id: theirs.id,
            name: theirs.name.clone(),
            role,
            street: scope,
            since: now_text(),
            last_merged: String::new(),
            high_water: 0,
        })
    }

    /// The street most of the plan lies in.
    pub fn main_street(&self) -> Option<String> {
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        for f in self.plan.features() {
            if let Some(s) = f.street.as_deref() {
                *counts.entry(s).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .max_by_key(|(_, n)| *n)
            .map(|(s, _)| s.to_string())
    }
}
