//! Who made a record and who last changed it, when, and in which workspace: a record's
//! provenance. Kept beside the record (one [`Provenance`] per record, with the record's own
//! id), never one of its fields, so two workspaces that changed different fields of a record
//! never conflict over who did it: a merge carries the stamp of the change it takes, and the
//! later of two stamps when it takes changes from both sides.
//!
//! A stamp is written by the change it describes, in the same changeset: undo takes the
//! record and its stamp back together, and redo puts both again.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::change::RecordKind;

/// Who did something, when, and where.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// When (UTC, RFC 3339), empty when unknown.
    pub at: String,
    /// The planner's name as the workspace had it set, empty when not set.
    pub by: String,
    /// The workspace's id (its stable identity), empty when unknown.
    pub workspace: String,
    /// The workspace's name as it was then.
    pub workspace_name: String,
}

impl Stamp {
    /// True when nothing is known.
    pub fn is_unknown(&self) -> bool {
        self.at.is_empty() && self.by.is_empty() && self.workspace.is_empty()
    }
}

/// A record's provenance: its creation and its last change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// The record's own id.
    pub id: Uuid,
    /// The record's kind.
    pub kind: RecordKind,
    /// Who made it (unknown for records made before Linli kept provenance, or by another
    /// program).
    #[serde(default)]
    pub created: Stamp,
    /// Who last changed it (the creation, until someone changes it).
    #[serde(default)]
    pub changed: Stamp,
}

impl Provenance {
    /// A record of `kind` with id `id` made now, as `stamp` says.
    pub fn created(kind: RecordKind, id: Uuid, stamp: &Stamp) -> Provenance {
        Provenance {
            id,
            kind,
            created: stamp.clone(),
            changed: stamp.clone(),
        }
    }

    /// This provenance after a change described by `stamp` (`this` is `None` for a record
    /// whose creation nobody recorded).
    pub fn touched(this: Option<&Provenance>, kind: RecordKind, id: Uuid, stamp: &Stamp) -> Self {
        Provenance {
            id,
            kind,
            created: this.map(|p| p.created.clone()).unwrap_or_default(),
            changed: stamp.clone(),
        }
    }

    /// What a merge keeps when it takes changes of a record from `theirs` into `ours`: the
    /// creation this workspace knows (else theirs), and the later of the two last changes
    /// (theirs when both are as late, or when ours is unknown).
    pub fn merged(ours: Option<&Provenance>, theirs: &Provenance) -> Provenance {
        let Some(ours) = ours else {
            return theirs.clone();
        };
        let created = if ours.created.is_unknown() {
            theirs.created.clone()
        } else {
            ours.created.clone()
        };
        let changed = if ours.changed.at > theirs.changed.at {
            ours.changed.clone()
        } else {
            theirs.changed.clone()
        };
        Provenance {
            id: ours.id,
            kind: ours.kind,
            created,
            changed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stamp(at: &str, by: &str) -> Stamp {
        Stamp {
            at: at.into(),
            by: by.into(),
            workspace: "w".into(),
            workspace_name: "洋泾街道".into(),
        }
    }

    #[test]
    fn a_change_keeps_the_creation_and_a_merge_keeps_the_later_change() {
        let id = Uuid::from_u128(1);
        let made = Provenance::created(
            RecordKind::Project,
            id,
            &stamp("2026-01-01T00:00:00Z", "王"),
        );
        let ours = Provenance::touched(
            Some(&made),
            RecordKind::Project,
            id,
            &stamp("2026-03-01T00:00:00Z", "李"),
        );
        assert_eq!(ours.created.by, "王");
        assert_eq!(ours.changed.by, "李");
        let theirs = Provenance::touched(
            Some(&made),
            RecordKind::Project,
            id,
            &stamp("2026-02-01T00:00:00Z", "张"),
        );
        assert_eq!(Provenance::merged(Some(&ours), &theirs).changed.by, "李");
        assert_eq!(Provenance::merged(Some(&theirs), &ours).changed.by, "李");
        assert_eq!(Provenance::merged(None, &theirs), theirs);
        let unknown = Provenance::touched(None, RecordKind::Project, id, &stamp("", ""));
        assert_eq!(Provenance::merged(Some(&unknown), &theirs).created.by, "王");
    }
}
