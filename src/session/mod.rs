//! The façade every front end drives: the CLI, the GUI and the tests open a [`Session`] on a
//! workspace and ask it to import, export, locate and check. Each call that changes the
//! workspace is one transaction, and the in-memory state changes only after it committed.

pub mod edit;

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use uuid::Uuid;

use crate::analysis::index::{BoxLonLat, SpatialIndex, representative_point};
use crate::analysis::measure;
use crate::error::{Error, Result};
use crate::io::geojson_in::{self, ParsedFile, Progress, SourceCrs};
use crate::io::geojson_out::{self, ExportFilter};
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{Feature, Layer, LayerRole, PlanFeature, Project, Properties};
use crate::store::{self, LayerInfo, PlanDerived, Store};

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
    pub slots: std::collections::BTreeSet<usize>,
    /// The plan's length now.
    pub len: usize,
}

/// What to import and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    /// The new layer's name (not used for plan features, which go to the plan tables).
    pub layer: Option<String>,
    /// What the layer is for.
    pub role: LayerRole,
    /// The datum of the file's coordinates.
    pub crs: SourceCrs,
    /// The property holding each feature's name (default `name`).
    pub name_field: Option<String>,
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The layer written (`plan` for plan features).
    pub layer: String,
    /// Features written.
    pub features: usize,
    /// Things the user should know that did not stop the import (projects created…).
    pub notes: Vec<String>,
}

/// Keys that plan exports write and plan imports read back as fields, not free properties.
pub const PLAN_FIELD_KEYS: [&str; 16] = [
    "id",
    "name",
    "element_type",
    "element_name_zh",
    "element_name_en",
    "street",
    "community",
    "area_m2",
    "length_m",
    "project_code",
    "project_name",
    "programme",
    "year",
    "stage",
    "budget_wan",
    "linli_id",
];

/// An open workspace with everything a front end needs in memory.
#[derive(Debug)]
pub struct Session {
    pub(crate) store: Store,
    pub(crate) catalog: Catalog,
    layers: Vec<Layer>,
    layer_indexes: Vec<SpatialIndex>,
    pub(crate) plan: Vec<PlanFeature>,
    /// Row id of each plan feature in its plan table, so undo can put a row back as it was.
    pub(crate) plan_rows: BTreeMap<Uuid, i64>,
    pub(crate) plan_index: SpatialIndex,
    projects: BTreeMap<String, Project>,
    pub(crate) history: crate::session::edit::History,
    /// Bumped by every change to the data, so views know when to rebuild their caches.
    pub(crate) revision: u64,
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
        let (plan, rows): (Vec<PlanFeature>, Vec<i64>) = store.load_plan()?.into_iter().unzip();
        let plan_rows = plan.iter().map(|f| f.feature.id).zip(rows).collect();
        let plan_index = SpatialIndex::build(plan.iter().map(|f| &f.feature.geometry));
        let projects = store
            .projects()?
            .into_iter()
            .map(|p| (p.code.clone(), p))
            .collect();
        Ok(Session {
            store,
            catalog,
            layers,
            layer_indexes,
            plan,
            plan_rows,
            plan_index,
            projects,
            history: Default::default(),
            revision: 0,
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
        (since == self.revision).then(|| PlanChanges {
            slots: Default::default(),
            len: self.plan.len(),
        })
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

    /// The plan features.
    pub fn plan(&self) -> &[PlanFeature] {
        &self.plan
    }

    /// The projects by code.
    pub fn projects(&self) -> &BTreeMap<String, Project> {
        &self.projects
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

    /// Indices of the plan features meeting the box.
    pub fn plan_in_box(&self, area: BoxLonLat) -> Vec<usize> {
        self.plan_index.in_box(self.plan_geometry(), area)
    }

    /// The feature of layer `layer` (an index into [`Session::layers`]) nearest to a point.
    pub fn nearest_feature(&self, layer: usize, lon: f64, lat: f64) -> Option<usize> {
        let (l, index) = (self.layers.get(layer)?, self.layer_indexes.get(layer)?);
        index.nearest(feature_geometry(l), lon, lat).map(|(i, _)| i)
    }

    /// The plan feature nearest to a point, if any.
    pub fn nearest_plan_feature(&self, lon: f64, lat: f64) -> Option<usize> {
        self.plan_index
            .nearest(self.plan_geometry(), lon, lat)
            .map(|(i, _)| i)
    }

    /// The geometry of plan feature `i`, for the plan index.
    fn plan_geometry<'a>(&'a self) -> impl Fn(usize) -> Option<&'a geo::Geometry<f64>> + 'a {
        |i| self.plan.get(i).map(|f| &f.feature.geometry)
    }

    /// Reads a GeoJSON file and imports it as one transaction: the whole layer or nothing.
    pub fn import_geojson(
        &mut self,
        file: &Path,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        let parsed = geojson_in::read_file(file, request.crs, progress)?;
        self.import_parsed(parsed, file, request, progress)
    }

    /// Imports already parsed features; `file` names them in messages.
    pub fn import_parsed(
        &mut self,
        parsed: ParsedFile,
        file: &Path,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        match request.role {
            LayerRole::Plan => self.import_plan(parsed, file, progress),
            role => self.import_layer(parsed, file, request, role, progress),
        }
    }

    fn import_layer(
        &mut self,
        parsed: ParsedFile,
        file: &Path,
        request: &ImportRequest,
        role: LayerRole,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        let name = request
            .layer
            .clone()
            .ok_or_else(|| Error::Invalid("a layer name is needed (--layer NAME)".into()))?;
        if matches!(role, LayerRole::Streets | LayerRole::Communities)
            && let Some(existing) = self.layer_with_role(role)
        {
            return Err(Error::Invalid(format!(
                "the workspace already has a {} layer ({:?}); import this one with --role reference",
                role.key(),
                self.layers[existing].name
            )));
        }
        let name_field = request.name_field.as_deref();
        let mut features = Vec::with_capacity(parsed.features.len());
        for (i, f) in parsed.features.into_iter().enumerate() {
            let feature_name = feature_name(&f.properties, name_field);
            if matches!(role, LayerRole::Streets | LayerRole::Communities) {
                if feature_name.is_empty() {
                    return Err(Error::input(
                        file,
                        Some(i),
                        format!(
                            "has no name in property {:?}; {} need names (choose the field with --name-field)",
                            name_field.unwrap_or("name"),
                            role.key()
                        ),
                    ));
                }
                if GeometryKind::of(&f.geometry) != Some(GeometryKind::Polygon) {
                    return Err(Error::input(
                        file,
                        Some(i),
                        format!("is not a polygon; {} must be polygons", role.key()),
                    ));
                }
            }
            let id =
                f.id.as_ref()
                    .and_then(Value::as_str)
                    .and_then(|s| Uuid::parse_str(s).ok())
                    .unwrap_or_else(Uuid::new_v4);
            features.push(Feature {
                id,
                name: feature_name,
                geometry: f.geometry,
                properties: f.properties,
            });
        }
        dedupe_ids(&mut features);
        let layer = Layer {
            name: name.clone(),
            role,
            features,
        };
        let count = layer.features.len();
        let source = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let index = SpatialIndex::build(layer.features.iter().map(|f| &f.geometry));

        // Boundaries decide every plan feature's street and community: re-derive them with
        // the new layer in place, in the same transaction.
        self.layers.push(layer);
        self.layer_indexes.push(index);
        let relocated = if matches!(role, LayerRole::Streets | LayerRole::Communities) {
            self.relocations()
        } else {
            Vec::new()
        };
        let result = (|| -> Result<()> {
            let tx = self.store.begin()?;
            if let Some(layer) = self.layers.last() {
                store::write_layer(&tx, layer, &source, progress)?;
            }
            for (i, location) in &relocated {
                store::set_plan_location(
                    &tx,
                    self.plan[*i].feature.id,
                    location.street.as_deref(),
                    location.community.as_deref(),
                )?;
            }
            tx.commit()?;
            Ok(())
        })();
        if let Err(e) = result {
            self.layers.pop();
            self.layer_indexes.pop();
            return Err(match e {
                Error::Invalid(problem) => Error::input(file, None, problem),
                other => other,
            });
        }
        for (i, location) in relocated {
            self.plan[i].street = location.street;
            self.plan[i].community = location.community;
        }
        self.revision += 1;
        Ok(ImportReport {
            layer: name,
            features: count,
            notes: Vec::new(),
        })
    }

    /// Plan features whose derived location differs from the stored one.
    fn relocations(&self) -> Vec<(usize, Location)> {
        self.plan
            .iter()
            .enumerate()
            .filter_map(|(i, f)| {
                let location = self.locate_geometry(&f.feature.geometry);
                (location.street != f.street || location.community != f.community)
                    .then_some((i, location))
            })
            .collect()
    }

    fn import_plan(
        &mut self,
        parsed: ParsedFile,
        file: &Path,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        let mut features = Vec::with_capacity(parsed.features.len());
        let mut new_projects: BTreeMap<String, Project> = BTreeMap::new();
        let mut notes = Vec::new();
        let mut ids: std::collections::BTreeSet<Uuid> =
            self.plan.iter().map(|f| f.feature.id).collect();
        for (i, f) in parsed.features.into_iter().enumerate() {
            let bad = |problem: String| Error::input(file, Some(i), problem);
            let mut properties = f.properties;
            let element_text =
                match properties.get("element_type") {
                    Some(Value::String(s)) => s.clone(),
                    Some(_) => return Err(bad("\"element_type\" must be a string".into())),
                    None => return Err(bad(
                        "has no \"element_type\"; a plan feature needs one of the catalog's types"
                            .into(),
                    )),
                };
            let element = self.catalog.find(&element_text).ok_or_else(|| {
                bad(format!(
                    "element type {element_text:?} is not in the workspace's catalog"
                ))
            })?;
            let geometry = normalise_plan_geometry(f.geometry).map_err(&bad)?;
            let kind = GeometryKind::of(&geometry).ok_or_else(|| {
                bad("mixes points, lines and polygons; a plan feature is one kind".into())
            })?;
            if !element.allowed.contains(&kind) {
                return Err(bad(format!(
                    "{} ({}) is drawn as {}; this feature is a {}",
                    element.name_zh,
                    element.key,
                    element
                        .allowed
                        .iter()
                        .map(|k| k.key())
                        .collect::<Vec<_>>()
                        .join(" or "),
                    kind.key()
                )));
            }
            let project = match properties.get("project_code") {
                Some(Value::String(code)) if !code.trim().is_empty() => {
                    let code = code.trim().to_string();
                    if !self.projects.contains_key(&code) && !new_projects.contains_key(&code) {
                        let project = project_from_properties(&code, &properties);
                        notes.push(format!("created project {code} ({})", project.name));
                        new_projects.insert(code.clone(), project);
                    }
                    Some(code)
                }
                Some(Value::String(_)) | Some(Value::Null) | None => None,
                Some(_) => return Err(bad("\"project_code\" must be a string".into())),
            };
            let name = match properties.get("name") {
                Some(Value::String(s)) => s.clone(),
                Some(Value::Null) | None => String::new(),
                Some(other) => other.to_string(),
            };
            let element_key = element.key.clone();
            let id = [f.id.as_ref(), properties.get("linli_id")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find_map(|s| Uuid::parse_str(s).ok())
                .filter(|id| !ids.contains(id))
                .unwrap_or_else(Uuid::new_v4);
            ids.insert(id);
            for key in PLAN_FIELD_KEYS {
                properties.shift_remove(key);
            }
            let location = self.locate_geometry(&geometry);
            features.push(PlanFeature {
                feature: Feature {
                    id,
                    name,
                    geometry,
                    properties,
                },
                element: element_key,
                project,
                street: location.street,
                community: location.community,
            });
        }
        let total = features.len() as u64;
        let tx = self.store.begin()?;
        for project in new_projects.values() {
            store::insert_project(&tx, project)?;
        }
        let mut rows = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            rows.push(store::write_plan_feature(
                &tx,
                f,
                plan_derived(&self.catalog, f),
                None,
            )?);
            if i % 1024 == 1023 {
                progress(Progress::Writing {
                    done: i as u64 + 1,
                    total,
                });
            }
        }
        progress(Progress::Writing { done: total, total });
        store::refresh_plan_extents(&tx)?;
        tx.commit()?;
        let count = features.len();
        self.projects.extend(new_projects);
        self.plan_rows
            .extend(features.iter().map(|f| f.feature.id).zip(rows));
        self.plan.extend(features);
        self.plan_index = SpatialIndex::build(self.plan.iter().map(|f| &f.feature.geometry));
        self.revision += 1;
        Ok(ImportReport {
            layer: "plan".into(),
            features: count,
            notes,
        })
    }

    /// Adds project records in one transaction (the sample's, or a later project form's).
    pub fn add_projects(&mut self, projects: &[Project]) -> Result<()> {
        let tx = self.store.begin()?;
        for p in projects {
            store::insert_project(&tx, p)?;
        }
        tx.commit()?;
        self.projects
            .extend(projects.iter().map(|p| (p.code.clone(), p.clone())));
        self.revision += 1;
        Ok(())
    }

    /// The plan features matching the filter as an RFC 7946 FeatureCollection, and how many.
    pub fn export_geojson(&self, filter: &ExportFilter) -> Result<(String, usize)> {
        if let Some(street) = &filter.street {
            let known = self
                .layer_with_role(LayerRole::Streets)
                .is_some_and(|i| self.layers[i].features.iter().any(|f| &f.name == street));
            if !known {
                return Err(Error::Invalid(format!(
                    "no street named {street:?} in the workspace's streets layer"
                )));
            }
        }
        if let Some(element) = &filter.element
            && self.catalog.find(element).is_none()
        {
            return Err(Error::Invalid(format!(
                "element type {element:?} is not in the catalog"
            )));
        }
        Ok(geojson_out::feature_collection(self, filter))
    }

    /// Integrity problems of the workspace; empty when sound.
    pub fn check(&self) -> Result<Vec<String>> {
        store::check(&self.store)
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

fn feature_name(properties: &Properties, name_field: Option<&str>) -> String {
    let keys: &[&str] = match name_field {
        Some(field) => &[field][..],
        None => &["name", "名称", "NAME", "Name"][..],
    };
    keys.iter()
        .find_map(|k| match properties.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}

/// Ids taken from a file can repeat (a file imported twice): later repeats get new ids.
fn dedupe_ids(features: &mut [Feature]) {
    let mut seen = std::collections::BTreeSet::new();
    for f in features {
        if !seen.insert(f.id) {
            f.id = Uuid::new_v4();
            seen.insert(f.id);
        }
    }
}

fn normalise_plan_geometry(geometry: geo::Geometry<f64>) -> Result<geo::Geometry<f64>, String> {
    match geometry {
        geo::Geometry::GeometryCollection(_) => {
            let multi = store::promote_to_multi(&geometry).ok_or_else(|| {
                "mixes points, lines and polygons; a plan feature is one kind".to_string()
            })?;
            Ok(multi)
        }
        other => Ok(other),
    }
}

fn project_from_properties(code: &str, p: &Properties) -> Project {
    let text = |k: &str| {
        p.get(k)
            .and_then(Value::as_str)
            .map(str::to_string)
            .unwrap_or_default()
    };
    let name = text("project_name");
    Project {
        id: uuid::Uuid::new_v4(),
        code: code.to_string(),
        name: if name.is_empty() {
            code.to_string()
        } else {
            name
        },
        programme: text("programme"),
        year: p
            .get("year")
            .and_then(Value::as_i64)
            .and_then(|y| i32::try_from(y).ok()),
        stage: text("stage"),
        budget_wan: p.get("budget_wan").and_then(Value::as_f64),
    }
}
