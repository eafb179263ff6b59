//! The façade every front end drives: the CLI, the GUI and the tests open a [`Session`] on a
//! workspace and ask it to import, export, locate, check and apply commands. Each call that
//! changes the workspace is one transaction, and the in-memory state changes only after it
//! committed.
//!
//! - this file: opening, what is in memory, and the spatial questions (locate, box, nearest);
//! - `views`: what the session hands out by capability — [`Session::records`] (the roster,
//!   tasks, meetings and attachments, read-only) and [`Session::analysis`] (project tables,
//!   statistics, coverage, rule checks);
//! - [`import`]: GeoJSON into layers and plan features;
//! - [`export`]: GeoJSON for the bureau, and the integrity check;
//! - [`command`]: what a user can do, as plain data;
//! - [`history`]: applying commands, one undo history for every record;
//! - [`report`]: project tables, statistics and CSV for the bureau;
//! - `projects`: the project records in memory, what is derived from their features, the
//!   lifecycle guidance and the planner's name;
//! - `people`: the roster and tasks in memory, a person's page, street teams and the annual
//!   task list; `roster_edit` stages their commands.

mod alternatives;
mod attachments;
pub mod command;
pub mod coverage;
pub mod export;
mod export_gpkg;
pub mod history;
pub mod import;
pub mod input_export;
mod inputs;
mod meetings;
mod people;
mod plan;
mod projects;
mod reconcile;
mod record_set;
mod refresh;
pub mod report;
mod roster_edit;
mod stream_import;
pub mod sync;
mod views;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::Path;

use crate::analysis::index::{BoxLonLat, SpatialIndex, representative_point};
use crate::analysis::measure;
use crate::error::Result;
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{Layer, LayerRole, PlanFeature, Project};
use crate::store::{LayerInfo, PlanDerived, Store};

pub use crate::model::PlanChanges;
pub use alternatives::AlternativeFigures;
pub use attachments::OpenTarget;
pub use command::{
    AlternativeEdit, AttachmentEdit, Command, Edit, InputEdit, MeetingEdit, NewFeature,
    OrganisationEdit, PersonEdit, ProjectEdit, RecordEdit, TaskEdit,
};
pub use coverage::CoverageSpec;
pub use export::{ExportChoices, ExportCount, ExportFilter};
pub use import::{ImportNote, ImportReport, ImportRequest};
pub use people::{
    AnnualStreet, PersonPage, ProjectPart, TASK_CSV_COLUMNS, TaskFilter, TaskRow, task_csv_rows,
    task_table_file,
};
pub use projects::ProjectSummary;
pub use refresh::{OutsideReader, OutsideReading, Refreshed};
pub use views::{Analysis, Records};

/// Where a point or feature lies: its street (街道/镇) and community (居委/村).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// Name of the street or town containing it.
    pub street: Option<String>,
    /// Name of the community containing it.
    pub community: Option<String>,
}

/// Where points lie, from the boundary layers alone (so a write can derive street and
/// community while the store is borrowed).
pub(crate) struct Locator<'a> {
    layers: &'a [Layer],
    indexes: &'a [SpatialIndex],
}

impl Locator<'_> {
    /// Which street and community contain the point.
    fn locate(&self, lon: f64, lat: f64) -> Location {
        let name_at = |role| {
            let i = self.layers.iter().position(|l| l.role == role)?;
            let layer = self.layers.get(i)?;
            let hit = self
                .indexes
                .get(i)?
                .containing(feature_geometry(layer), lon, lat)?;
            Some(layer.features.get(hit)?.name.clone())
        };
        Location {
            street: name_at(LayerRole::Streets),
            community: name_at(LayerRole::Communities),
        }
    }

    /// What the store writes beside a plan feature: its street and community located here
    /// (kept as they are when `relocate` is false), then what it derives.
    pub(crate) fn deriver<'c>(
        &'c self,
        catalog: &'c Catalog,
        relocate: bool,
    ) -> impl Fn(&mut PlanFeature) -> PlanDerived<'c> + 'c {
        move |f: &mut PlanFeature| {
            if relocate {
                let location = self.locate_geometry(&f.feature.geometry);
                f.street = location.street;
                f.community = location.community;
            }
            plan_derived(catalog, f)
        }
    }

    /// Which street and community contain a feature (its representative point).
    fn locate_geometry(&self, geometry: &geo::Geometry<f64>) -> Location {
        representative_point(geometry)
            .map(|p| self.locate(p.x(), p.y()))
            .unwrap_or_default()
    }
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
    meetings: record_set::RecordSet<crate::model::meeting::Meeting>,
    /// The roster's people.
    people: record_set::RecordSet<crate::model::people::Person>,
    /// The roster's organisations.
    organisations: record_set::RecordSet<crate::model::people::Organisation>,
    /// Tasks.
    tasks: record_set::RecordSet<crate::model::people::Task>,
    attachments: record_set::RecordSet<crate::model::attachment::AttachmentInfo>,
    /// Residents' input, with each meeting's tally.
    inputs: inputs::InputSet,
    /// Projects' design alternatives.
    alternatives: record_set::RecordSet<crate::model::alternative::Alternative>,
    /// Conflicts merges found, open and resolved.
    conflicts: record_set::RecordSet<crate::model::sync::MergeConflict>,
    /// Where the kinds not held in memory go (peers, bases).
    peers_not_kept: record_set::NotKept<crate::model::sync::Peer>,
    bases_not_kept: record_set::NotKept<crate::model::sync::BaseEntry>,
    provenance_not_kept: record_set::NotKept<crate::model::provenance::Provenance>,
    /// The workflow templates projects follow (bundled).
    workflows: crate::model::workflow::Workflows,
    /// The workspace's settings (the planner's name recorded with each project change).
    settings: record_set::RecordSet<crate::model::setting::Setting>,
    history: history::History,
    /// Bumped by every change to the data, so views know when to rebuild their caches.
    revision: u64,
    /// For each of the latest revisions, the plan slots it changed (`None`: more than plan
    /// features changed, views rebuild).
    change_log: VecDeque<(u64, Option<Vec<usize>>)>,
    /// Every project's summary, computed on first use, kept current by each edit and dropped
    /// by a bulk change (see [`Session::summaries_now`]).
    summaries: std::sync::OnceLock<projects::Summaries>,
    /// The summaries counting design alternatives too, computed when asked for and dropped by
    /// every change.
    summaries_all: std::sync::OnceLock<projects::Summaries>,
    /// What opening found and mended in rows other programs wrote (see [`Session::notes`]).
    notes: Vec<crate::error::Problem>,
    /// What the session last took in of the file, to pick up other programs' commits.
    outside: refresh::Watch,
}

impl Session {
    /// Creates an empty workspace at `path` with `catalog`.
    pub fn create(path: &Path, catalog: &Catalog) -> Result<Session> {
        let store = Store::create(path, catalog)?;
        Self::load(store)
    }

    /// Opens an existing workspace, upgrading an older one (see [`Store::open`]). What other
    /// programs left that Linli would not have written is mended in one transaction (not an
    /// undo step) and listed in [`Session::notes`]. A file that cannot be written here opens
    /// read-only ([`Store::open_or_read_only`]): [`Session::is_not_writable`] says so, and
    /// every command is refused with `Problem::WorkspaceNotWritable`.
    pub fn open(path: &Path) -> Result<Session> {
        Self::load(Store::open_or_read_only(path)?)
    }

    /// True when the workspace is open read-only ([`Session::open_read_only`], or a file that
    /// cannot be written here): every command is refused.
    pub fn is_read_only(&self) -> bool {
        self.store.is_read_only()
    }

    /// True when [`Session::open`] opened the workspace read-only because the file cannot be
    /// written here (its permissions, a read-only disk): the window says so in a banner.
    pub fn is_not_writable(&self) -> bool {
        self.store.is_not_writable()
    }

    /// Opens a workspace to read it only (`info`, `check`, `locate`, `export`): not a byte of
    /// the file changes (see [`Store::open_read_only`]); what opening would mend is mended in
    /// memory only, and every command is refused.
    pub fn open_read_only(path: &Path) -> Result<Session> {
        Self::load(Store::open_read_only(path)?)
    }

    /// What opening found in rows written by other programs: rows left out because they cannot
    /// be read, ids that were not UUIDs, properties kept verbatim, element types not in the
    /// catalog. Front ends show them; none stops the workspace from opening.
    pub fn notes(&self) -> &[crate::error::Problem] {
        &self.notes
    }

    fn load(mut store: Store) -> Result<Session> {
        // Before anything is read: a commit by another program from here on is picked up.
        let outside = refresh::Watch::opened(store.data_version().ok());
        let catalog = store.catalog()?;
        let infos = store.layers()?;
        // Reference layers are drawn from the file: bring their pyramids up to date (missing in
        // a workspace from before them, stale after another program edited the layer). Read-only
        // commands never draw the map and never write: they leave the pyramids as they are.
        let stored: Vec<String> = infos
            .iter()
            .filter(|i| is_stored_role(i.role))
            .map(|i| i.name.clone())
            .collect();
        if !store.is_read_only() {
            store.refresh_pyramids(&stored)?;
        }
        // Boundary rows left out: streets and communities are then incomplete, and what the
        // plan rows store of them is kept rather than derived again.
        let (layers, layer_notes) = read_layers(&store, &infos)?;
        let layer_indexes = layers
            .iter()
            .map(|l| SpatialIndex::build(l.features.iter().map(|f| &f.geometry)))
            .collect();
        let stored_plan = store.read_plan()?;
        let (project_rows, project_notes) = store.read_projects()?;
        let projects = projects::ProjectSet::from_rows(project_rows);
        let (meeting_rows, meeting_notes) = store.meeting_rows()?;
        let meetings = record_set::RecordSet::from_rows(meeting_rows);
        let (attachment_rows, attachment_notes) = store.attachment_rows()?;
        let attachments = record_set::RecordSet::from_rows(attachment_rows);
        let (input_rows, input_notes) = store.input_rows(None)?;
        let inputs = inputs::InputSet::from_rows(input_rows);
        let (settings, _) =
            <crate::model::setting::Setting as crate::store::Table>::read(&store, None)?;
        let settings = record_set::RecordSet::from_rows(settings);
        let (people, mut roster_notes) = store.roster_rows()?;
        let (organisations, org_notes) = store.roster_rows()?;
        let (tasks, task_notes) = store.roster_rows()?;
        roster_notes.extend(org_notes.into_iter().chain(task_notes));
        let people = record_set::RecordSet::from_rows(people);
        let organisations = record_set::RecordSet::from_rows(organisations);
        let tasks = record_set::RecordSet::from_rows(tasks);
        let (alternatives, alternative_notes) = store.alternative_rows()?;
        roster_notes.extend(alternative_notes);
        let alternatives = record_set::RecordSet::from_rows(alternatives);
        let (conflicts, conflict_notes) = store.conflict_rows()?;
        roster_notes.extend(conflict_notes);
        let conflicts = record_set::RecordSet::from_rows(conflicts);
        let mut session = Session {
            store,
            catalog,
            layers,
            layer_indexes,
            plan: Default::default(),
            projects,
            meetings,
            people,
            organisations,
            tasks,
            attachments,
            inputs,
            alternatives,
            conflicts,
            peers_not_kept: Default::default(),
            bases_not_kept: Default::default(),
            provenance_not_kept: Default::default(),
            workflows: crate::model::workflow::Workflows::bundled(),
            settings,
            history: Default::default(),
            revision: 0,
            change_log: VecDeque::new(),
            summaries: std::sync::OnceLock::new(),
            summaries_all: std::sync::OnceLock::new(),
            notes: Vec::new(),
            outside,
        };
        session.take_plan(stored_plan, layer_notes.is_empty())?;
        session.notes.extend(layer_notes);
        session.notes.extend(project_notes);
        session.notes.extend(meeting_notes);
        session.notes.extend(attachment_notes);
        session.notes.extend(input_notes);
        session.notes.extend(roster_notes);
        // The projects' summaries are part of what an open session holds, like the plan's
        // R-tree: the first project table or statistics then costs what every later one does.
        let _ = session.summaries_now();
        Ok(session)
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

    /// Bumps the revision and logs what it changed (`None`: not only plan features). The
    /// projects' summaries are dropped, to be computed again when asked for: the safe choice
    /// for a bulk change (an import, records added as they are); an edit keeps them current
    /// instead (see `history::write`) and calls [`Session::bump_revision`].
    fn record_change(&mut self, plan_slots: Option<Vec<usize>>) {
        self.summaries = std::sync::OnceLock::new();
        self.bump_revision(plan_slots);
    }

    /// Bumps the revision and logs what it changed, leaving the summaries as they are.
    fn bump_revision(&mut self, plan_slots: Option<Vec<usize>>) {
        self.summaries_all = std::sync::OnceLock::new();
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

    /// How a second, read-only connection beside this session opens the file (the map's tile
    /// loader): see [`Store::reader_uri`].
    pub fn reader_uri(&self) -> String {
        self.store.reader_uri()
    }

    /// Closes the workspace so that its file alone holds every change (see [`Store::close`]):
    /// what a front end does on quit, after closing every other connection it opened to the
    /// file (the map's tile reader). An error says the file is still open elsewhere and its log
    /// stays beside it; nothing committed is lost either way.
    pub fn close(self) -> Result<()> {
        self.store.close()
    }

    /// The element catalog of this workspace.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// Reference, street and community layers, in order. Street and community layers are held
    /// in memory; reference layers are [`stored`](Layer::stored) (their `features` are empty):
    /// read them through [`Session::stored_features_in_box`], [`Session::stored_feature`] or,
    /// for a batch job, [`Session::read_layer`].
    pub fn layers(&self) -> &[Layer] {
        &self.layers
    }

    /// The whole of layer `layer` (an index into [`Session::layers`]), read from the file when
    /// it is stored. For batch jobs (export, analysis, tests): the map never needs it.
    pub fn read_layer(&self, layer: usize) -> Result<Option<Layer>> {
        let Some(l) = self.layers.get(layer) else {
            return Ok(None);
        };
        if l.stored.is_none() {
            return Ok(Some(l.clone()));
        }
        self.store.load_layer(&l.name, l.role).map(Some)
    }

    /// The features of a stored layer whose boxes meet `area`, read through the layer's R-tree
    /// in the file, with their row ids; at most `limit`.
    pub fn stored_features_in_box(
        &self,
        layer: usize,
        area: BoxLonLat,
        limit: usize,
    ) -> Result<Vec<(i64, crate::model::Feature)>> {
        match self.layers.get(layer) {
            Some(l) if l.stored.is_some() => self.store.features_in_box(&l.name, area, limit),
            _ => Ok(Vec::new()),
        }
    }

    /// One feature of a stored layer by its row id (what the map's tiles name features by).
    pub fn stored_feature(&self, layer: usize, fid: i64) -> Result<Option<crate::model::Feature>> {
        match self.layers.get(layer) {
            Some(l) if l.stored.is_some() => self.store.load_feature(&l.name, fid),
            _ => Ok(None),
        }
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
        self.locator().locate(lon, lat)
    }

    /// Which street and community contain a feature: those holding its representative point
    /// (inside a polygon, on a line).
    pub fn locate_geometry(&self, geometry: &geo::Geometry<f64>) -> Location {
        self.locator().locate_geometry(geometry)
    }

    fn locator(&self) -> Locator<'_> {
        Locator {
            layers: &self.layers,
            indexes: &self.layer_indexes,
        }
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

/// Whether layers of this role stay in the file. Reference layers (buildings, parcels, trees:
/// up to millions of features) do; street and community boundaries (tens to thousands,
/// consulted by every edit to derive a feature's street and community) are held in memory with
/// the plan.
pub fn is_stored_role(role: LayerRole) -> bool {
    role == LayerRole::Reference
}

/// A stored layer as the session lists it: its facts, no features.
fn stored_layer(info: &LayerInfo) -> Layer {
    Layer {
        name: info.name.clone(),
        role: info.role,
        features: Vec::new(),
        stored: Some(crate::model::StoredLayer {
            feature_count: info.feature_count,
            bbox: info
                .bbox
                .map(|b| [b.min_lon, b.min_lat, b.max_lon, b.max_lat]),
            geometry_type: info.geometry_type.clone(),
        }),
    }
}

impl Session {
    /// After a layer was written to the file as the last of [`Session::layers`]: a reference
    /// layer gives up its features for its facts (it is drawn and queried from the file);
    /// boundaries stay in memory with their R-tree. (Should reading the facts fail, the layer
    /// simply stays in memory: the import has committed.)
    fn settle_last_layer(&mut self) {
        let Some(last) = self.layers.last() else {
            return;
        };
        if !is_stored_role(last.role) || last.stored.is_some() {
            return;
        }
        let name = last.name.clone();
        let infos = self.store.layers().unwrap_or_default();
        let info = infos.into_iter().find(|i| i.name == name);
        if let (Some(info), Some(slot), Some(index)) =
            (info, self.layers.last_mut(), self.layer_indexes.last_mut())
        {
            *slot = stored_layer(&info);
            *index = SpatialIndex::default();
        }
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

/// The reference, street and community layers of `infos` as opening reads them (reference
/// layers as their stored facts, boundaries whole), and the boundary rows left out.
fn read_layers(
    store: &Store,
    infos: &[LayerInfo],
) -> Result<(Vec<Layer>, Vec<crate::error::Problem>)> {
    let mut layers = Vec::new();
    let mut notes = Vec::new();
    for info in infos.iter().filter(|i| i.role != LayerRole::Plan) {
        layers.push(if is_stored_role(info.role) {
            stored_layer(info)
        } else {
            let (layer, found) = store.load_layer_rows(&info.name, info.role)?;
            notes.extend(found);
            layer
        });
    }
    Ok((layers, notes))
}

/// The geometry of feature `i` of a layer, for the layer's index.
fn feature_geometry<'a>(layer: &'a Layer) -> impl Fn(usize) -> Option<&'a geo::Geometry<f64>> + 'a {
    |i| layer.features.get(i).map(|f| &f.geometry)
}
