//! Handing out a street workspace: the boundaries, the reference layers around the street,
//! and the street's records, in a new workspace with an identity of its own; both files then
//! keep what they agreed on (the base of their next merge).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use geo::{BoundingRect, Intersects};
use uuid::Uuid;

use super::{Session, base_entry, scope};
use crate::error::{Error, Problem, Result};
use crate::model::change::{Changeset, RecordChange};
use crate::model::sync::{BaseEntry, Peer, PeerRole, WorkspaceIdentity, digest_fields, now_text};
use crate::model::{Layer, LayerRole, RecordId};
use crate::store::{self, Held, Store};

/// What a street workspace handed out holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageReport {
    /// The street.
    pub street: String,
    /// The file written.
    pub path: PathBuf,
    /// Plan features.
    pub features: usize,
    /// Projects.
    pub projects: usize,
    /// Every record (features, projects, meetings, tasks, attachments, people…).
    pub records: usize,
    /// Layers (boundaries and reference).
    pub layers: usize,
}

impl Session {
    /// The streets of the streets layer, by name.
    pub fn street_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self
            .layers
            .iter()
            .filter(|l| l.role == LayerRole::Streets)
            .flat_map(|l| l.features.iter().map(|f| f.name.clone()))
            .filter(|n| !n.trim().is_empty())
            .collect();
        names.sort();
        names.dedup();
        names
    }

    /// Writes a street workspace for `street` at `out` (whole or not at all; never over an
    /// existing file): the streets layer, the communities and the reference layers' features
    /// around the street, and the street's records (see `scope`). The new workspace gets an identity of
    /// its own (the one it had, when the street was handed out before: the new file replaces
    /// the old) and knows this one as its district; this workspace keeps it as a street peer.
    /// Both keep the records as handed out as the base of their next merge. Not an undo step.
    pub fn package_street(&mut self, street: &str, out: &Path) -> Result<PackageReport> {
        self.package_streets(&[(street.to_string(), out.to_path_buf())])
            .map(|mut r| r.remove(0))
    }

    /// [`Session::package_street`] for several streets, each to its file, reading this
    /// workspace's records once. Stops at the first that fails (those before it are written).
    pub fn package_streets(&mut self, streets: &[(String, PathBuf)]) -> Result<Vec<PackageReport>> {
        let (held, _) = self.store.travelling_records()?;
        let Some((_, first)) = streets.first() else {
            return Ok(Vec::new());
        };
        let template = self.empty_workspace_bytes(first)?;
        streets
            .iter()
            .map(|(street, out)| self.package_one(&held, &template, street, out))
            .collect()
    }

    /// An empty workspace with this one's catalog, as bytes: made once (beside `near`, then
    /// removed) and copied for every street handed out.
    fn empty_workspace_bytes(&self, near: &Path) -> Result<Vec<u8>> {
        let name = format!(".linli-template-{}.gpkg", Uuid::new_v4().simple());
        let path = near.with_file_name(name);
        let made = Store::create_unplaced(&path, &self.catalog)
            .and_then(Store::close)
            .and_then(|()| std::fs::read(&path).map_err(|e| Error::io(&path, e)));
        store::remove_with_side_files(&path);
        made
    }

    fn package_one(
        &mut self,
        held: &BTreeMap<RecordId, Held>,
        template: &[u8],
        street: &str,
        out: &Path,
    ) -> Result<PackageReport> {
        let streets = self.street_names();
        if !streets.iter().any(|s| s == street) {
            let known: Vec<&str> = streets.iter().take(8).map(String::as_str).collect();
            return Err(Error::request(Problem::NoSuchStreet {
                street: street.to_string(),
                known: known.join("、"),
            }));
        }
        let district = self.store.identity()?;
        let in_scope = scope::street_scope(held, street, |f| {
            self.plan_feature(f.feature.id)
                .and_then(|p| p.street.clone())
                .or_else(|| self.locate_geometry(&f.feature.geometry).street)
        });
        let peers = self.store.peers()?;
        let before = peers
            .into_iter()
            .find(|p| p.role == PeerRole::Street && p.name == street);
        let identity = WorkspaceIdentity {
            id: before.as_ref().map_or_else(Uuid::new_v4, |p| p.id),
            name: street.to_string(),
        };
        let layers = self.street_layers(street)?;
        let now = now_text();
        let mut records = Changeset::default();
        let mut street_base = Changeset::default();
        let mut report = PackageReport {
            street: street.to_string(),
            path: out.to_path_buf(),
            features: 0,
            projects: 0,
            records: in_scope.len(),
            layers: layers.len(),
        };
        // Who made and changed each record goes with it.
        let provenance = self
            .store
            .provenance_of(in_scope.iter().map(|id| id.uuid()))?;
        for id in &in_scope {
            let Some(h) = held.get(id) else { continue };
            records
                .changes
                .extend(RecordChange::between_fields(*id, None, Some(&h.fields)));
            records.push(None, provenance.get(&id.uuid()));
            match id.kind() {
                crate::model::change::RecordKind::Plan => report.features += 1,
                crate::model::change::RecordKind::Project => report.projects += 1,
                _ => {}
            }
            let entry = BaseEntry::new(district.id, *id, &h.fields);
            street_base.push(None, Some(&entry));
        }
        let as_district = Peer {
            id: district.id,
            name: district.name.clone(),
            role: PeerRole::District,
            street: street.to_string(),
            since: now.clone(),
            last_merged: String::new(),
            high_water: 0,
        };
        street_base.push(None, Some(&as_district));
        records.changes.extend(street_base.changes);
        {
            let locator = super::super::Locator {
                layers: &self.layers,
                indexes: &self.layer_indexes,
            };
            // The district's boundaries derive each feature's street and community: the street
            // workspace holds the same ones around its street.
            let derive = locator.deriver(&self.catalog, true);
            store::create_in_place(out, |tmp| {
                std::fs::write(tmp, template).map_err(|e| Error::io(tmp, e))?;
                let mut new = Store::open(tmp)?;
                {
                    let tx = new.begin()?;
                    for layer in &layers {
                        store::write_layer(&tx, layer, "linli package", &mut |_| {})?;
                    }
                    tx.commit()?;
                }
                new.set_identity(&identity)?;
                if let Err(refused) = new.apply(&records, &derive)? {
                    return Err(Error::workspace(
                        out,
                        Problem::AddedElsewhere {
                            name: street.to_string(),
                            id: refused.record.uuid().to_string(),
                        },
                    ));
                }
                new.close()
            })?;
        }
        // This side: the street as a peer, and the base as handed out.
        let old_base = match &before {
            Some(p) => self.store.base_for(p.id)?,
            None => Default::default(),
        };
        let mut changes = Changeset::default();
        for (record, fields) in &old_base {
            if !in_scope.contains(record) {
                let old = base_entry(identity.id, *record, fields);
                changes.push(Some(&old), None);
            }
        }
        for id in &in_scope {
            let Some(h) = held.get(id) else { continue };
            let digests = digest_fields(&h.fields);
            let old = old_base.get(id).map(|f| base_entry(identity.id, *id, f));
            let new = base_entry(identity.id, *id, &digests);
            changes.push(old.as_ref(), Some(&new));
        }
        let mut peer = Peer {
            id: identity.id,
            name: street.to_string(),
            role: PeerRole::Street,
            street: String::new(),
            since: now,
            last_merged: String::new(),
            high_water: 0,
        };
        if let Some(p) = &before {
            peer.since = p.since.clone();
            peer.last_merged = p.last_merged.clone();
        }
        changes.push(before.as_ref(), Some(&peer));
        if let Err(e) = self.commit(&changes) {
            store::remove_with_side_files(out);
            return Err(e);
        }
        Ok(report)
    }

    /// The layers a street workspace gets: the streets layer whole (a feature drawn across
    /// the street's edge still finds its street), and of the communities and each reference
    /// layer the features whose box meets the street's.
    fn street_layers(&self, street: &str) -> Result<Vec<Layer>> {
        let area = self
            .layers
            .iter()
            .filter(|l| l.role == LayerRole::Streets)
            .flat_map(|l| l.features.iter())
            .filter(|f| f.name == street)
            .filter_map(|f| f.geometry.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            });
        let mut out = Vec::new();
        for (i, l) in self.layers.iter().enumerate() {
            if l.role == LayerRole::Plan {
                continue;
            }
            let Some(mut layer) = self.read_layer(i)? else {
                continue;
            };
            if matches!(layer.role, LayerRole::Reference | LayerRole::Communities) {
                layer
                    .features
                    .retain(|f| area.is_some_and(|a| a.intersects(&f.geometry)));
                if layer.features.is_empty() {
                    continue;
                }
            }
            layer.stored = None;
            out.push(layer);
        }
        Ok(out)
    }
}
