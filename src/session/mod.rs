//! The façade every front end drives: the CLI, the GUI and the tests open a [`Session`] on a
//! workspace and ask it to import, export, locate, check and apply commands. Each call that
//! changes the workspace is one transaction, and the in-memory state changes only after it
//! committed.
//!
//! - this file: opening, what is in memory, and the spatial questions (locate, box, nearest);
//! - [`import`]: GeoJSON into layers and plan features;
//! - [`export`]: GeoJSON for the bureau, and the integrity check;
//! - [`command`]: what a user can do, as plain data;
//! - [`history`]: applying commands, one undo history for every record;
//! - [`report`]: project tables, statistics and CSV for the bureau;
//! - `projects`: the project records in memory, what is derived from their features, the
//!   lifecycle guidance and the planner's name.

pub mod command;
pub mod export;
pub mod history;
pub mod import;
mod meetings;
mod plan;
mod projects;
pub mod report;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use crate::analysis::index::{BoxLonLat, SpatialIndex, representative_point};
use crate::analysis::measure;
use crate::error::Result;
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{Layer, LayerRole, PlanFeature, Project};
use crate::store::{LayerInfo, PlanDerived, Store};

pub use command::{Command, Edit, MeetingEdit, NewFeature, ProjectEdit};
pub use import::{ImportNote, ImportReport, ImportRequest};
pub use projects::ProjectSummary;

/// Where a point or feature lies: its street (街道/镇) and community (居委/村).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// Name of the street or town containing it.
    pub street: Option<String>,
    /// Name of the community containing it.
    pub community: Option<String>,
}

/// The plan features that changed between two revisions, by slot: the position in
/// [`Session::plan`]. A deleted feature's slot is taken by the last feature, so a deletion
/// lists the hole and the plan's new length; every slot listed holds its new content (or is at
/// or past `len`, when the plan shrank).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PlanChanges {
    /// Slots whose feature was added, changed or replaced, ascending.
    pub slots: BTreeSet<usize>,
    /// The plan's length now.
    pub len: usize,
}

/// How many revisions the change log remembers; a view further behind rebuilds.
const CHANGE_LOG_LEN: usize = 1024;

/// An open workspace with everything a front end needs in memory.
#[derive(Debug)]
pub struct Session {
    store: Store,
    catalog: Catalog,
    layers: Vec<Layer>,
    layer_indexes: Vec<SpatialIndex>,
    plan: plan::PlanSet,
    projects: projects::ProjectSet,
    meetings: meetings::MeetingSet,
    /// The workflow templates projects follow (bundled).
    workflows: crate::model::workflow::Workflows,
    /// The planner's name recorded with each project change.
    planner: String,
    history: history::History,
    /// Bumped by every change to the data, so views know when to rebuild their caches.
    revision: u64,
    /// For each of the latest revisions, the plan slots it changed (`None`: more than plan
    /// features changed, views rebuild).
    change_log: VecDeque<(u64, Option<Vec<usize>>)>,
}

impl Session {
    /// Creates an empty workspace at `path` with `catalog`.
    pub fn create(path: &Path, catalog: &Catalog) -> Result<Session> {
        let store = Store::create(path, catalog)?;
        Self::load(store)
    }

    /// Opens an existing workspace.
    pub fn open(path: &Path) -> Result<Session> {
        Self::load(Store::open(path)?)
    }

    fn load(store: Store) -> Result<Session> {
        let catalog = store.catalog()?;
        let mut layers = Vec::new();
        for info in store.layers()? {
            if info.role != LayerRole::Plan {
                layers.push(store.load_layer(&info.name, info.role)?);
            }
        }
        let layer_indexes = layers
            .iter()
            .map(|l| SpatialIndex::build(l.features.iter().map(|f| &f.geometry)))
            .collect();
        let plan = plan::PlanSet::from_rows(store.load_plan()?);
        let projects = projects::ProjectSet::from_rows(store.project_rows()?);
        let meetings = meetings::MeetingSet::from_rows(store.meeting_rows()?);
        let planner = store.planner_name()?;
        Ok(Session {
            store,
            catalog,
            layers,
            layer_indexes,
            plan,
            projects,
            meetings,
            workflows: crate::model::workflow::Workflows::bundled(),
            planner,
            history: Default::default(),
            revision: 0,
            change_log: VecDeque::new(),
        })
    }

    /// A number that changes whenever layers, plan features or projects change (import, edit,
    /// undo, redo): views compare it with the one they drew to know when to rebuild.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// What changed in the plan since revision `since` (a value [`Session::revision`] returned),
    /// so views update only those features; `None` when the change log does not reach back that
    /// far or something other than plan features changed (then rebuild everything).
    pub fn plan_changes_since(&self, since: u64) -> Option<PlanChanges> {
        if since > self.revision {
            return None;
        }
        let mut changes = PlanChanges {
            slots: BTreeSet::new(),
            len: self.plan.len(),
        };
        if since == self.revision {
            return Some(changes);
        }
        // The log holds consecutive revisions; it must still hold `since + 1`.
        let oldest = self.change_log.front().map(|(r, _)| *r)?;
        if oldest > since + 1 {
            return None;
        }
        for (revision, slots) in &self.change_log {
            if *revision > since {
                changes.slots.extend(slots.as_ref()?);
            }
        }
        Some(changes)
    }

    /// Bumps the revision and logs what it changed (`None`: not only plan features).
    fn record_change(&mut self, plan_slots: Option<Vec<usize>>) {
        self.revision += 1;
        if self.change_log.len() == CHANGE_LOG_LEN {
            self.change_log.pop_front();
        }
        self.change_log.push_back((self.revision, plan_slots));
    }

    /// When opening migrated the workspace to this program's schema: from which version, and
    /// where the copy taken before is. Front ends tell the user once.
    pub fn migrated(&self) -> Option<&crate::store::Migrated> {
        self.store.migrated()
    }

    /// The workspace file.
    pub fn path(&self) -> &Path {
        self.store.path()
    }

    /// The element catalog of this workspace.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Reference, street and community layers, in order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The plan features, by slot (see [`PlanChanges`]).
    pub fn plan(&self) -> &[PlanFeature] {
        self.plan.features()
    }

    /// The plan feature with this id (O(1)).
    pub fn plan_feature(&self, id: uuid::Uuid) -> Option<&PlanFeature> {
        self.plan.get(id)
    }

    /// The slot in [`Session::plan`] of the plan feature with this id (O(1)).
    pub fn plan_slot(&self, id: uuid::Uuid) -> Option<usize> {
        self.plan.slot(id)
    }

    /// The projects by code.
    pub fn projects(&self) -> &BTreeMap<String, Project> {
        self.projects.by_code()
    }

    /// The project with this id (O(1)).
    pub fn project(&self, id: uuid::Uuid) -> Option<&Project> {
        self.projects.get(id)
    }

    /// Layer summaries as stored (names, roles, geometry types, counts, extents).
    pub fn layer_infos(&self) -> Result<Vec<LayerInfo>> {
        self.store.layers()
    }

    fn layer_with_role(&self, role: LayerRole) -> Option<usize> {
        self.layers.iter().position(|l| l.role == role)
    }

    /// Which street and community contain the point.
    pub fn locate(&self, lon: f64, lat: f64) -> Location {
        let name_at = |role| {
            let i = self.layer_with_role(role)?;
            let layer = &self.layers[i];
            let hit = self.layer_indexes[i].containing(feature_geometry(layer), lon, lat)?;
            Some(layer.features[hit].name.clone())
        };
        Location {
            street: name_at(LayerRole::Streets),
            community: name_at(LayerRole::Communities),
        }
    }

    /// Which street and community contain a feature: those holding its representative point
    /// (inside a polygon, on a line).
    pub fn locate_geometry(&self, geometry: &geo::Geometry<f64>) -> Location {
        representative_point(geometry)
            .map(|p| self.locate(p.x(), p.y()))
            .unwrap_or_default()
    }

    /// Indices of the features of layer `layer` (an index into [`Session::layers`]) meeting the box.
    pub fn features_in_box(&self, layer: usize, area: BoxLonLat) -> Vec<usize> {
        let (Some(l), Some(index)) = (self.layers.get(layer), self.layer_indexes.get(layer)) else {
            return Vec::new();
        };
        index.in_box(feature_geometry(l), area)
    }

    /// Slots of the plan features meeting the box.
    pub fn plan_in_box(&self, area: BoxLonLat) -> Vec<usize> {
        self.plan.in_box(area)
    }

    /// The feature of layer `layer` (an index into [`Session::layers`]) nearest to a point.
    pub fn nearest_feature(&self, layer: usize, lon: f64, lat: f64) -> Option<usize> {
        let (l, index) = (self.layers.get(layer)?, self.layer_indexes.get(layer)?);
        index.nearest(feature_geometry(l), lon, lat).map(|(i, _)| i)
    }

    /// The slot of the plan feature nearest to a point, if any.
    pub fn nearest_plan_feature(&self, lon: f64, lat: f64) -> Option<usize> {
        self.plan.nearest(lon, lat)
    }
}

impl crate::analysis::siting::SitingContext for Session {
    fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    fn boundaries_in_box(&self, role: LayerRole, area: BoxLonLat) -> Vec<&crate::model::Feature> {
        let Some(i) = self.layer_with_role(role) else {
            return Vec::new();
        };
        self.features_in_box(i, area)
            .into_iter()
            .filter_map(|j| self.layers[i].features.get(j))
            .collect()
    }

    fn has_layer(&self, role: LayerRole) -> bool {
        self.layer_with_role(role).is_some()
    }
}

/// The computed fields of a plan feature row.
pub fn plan_derived<'a>(catalog: &'a Catalog, f: &PlanFeature) -> PlanDerived<'a> {
    let kind = f.kind();
    PlanDerived {
        element_name: catalog.get(&f.element).map_or("", |e| e.name_zh.as_str()),
        area_m2: (kind == Some(GeometryKind::Polygon))
            .then(|| measure::area_m2(&f.feature.geometry)),
        length_m: (kind == Some(GeometryKind::Line))
            .then(|| measure::length_m(&f.feature.geometry)),
    }
}

/// The geometry of feature `i` of a layer, for the layer's index.
fn feature_geometry<'a>(layer: &'a Layer) -> impl Fn(usize) -> Option<&'a geo::Geometry<f64>> + 'a {
    |i| layer.features.get(i).map(|f| &f.geometry)
}
