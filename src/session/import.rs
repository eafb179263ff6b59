//! Importing GeoJSON: a reference, street or community layer, or plan features. Each import
//! is one transaction — the whole layer or nothing — and memory changes only after it committed.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;
use uuid::Uuid;

use super::{Location, Session};
use crate::analysis::index::SpatialIndex;
use crate::error::{Error, Problem, Result};
use crate::io::geojson_in::{self, ParsedFile, Progress, SourceCrs};
use crate::io::geojson_out::PLAN_FIELD_KEYS;
use crate::model::catalog::GeometryKind;
use crate::model::{Feature, Layer, LayerRole, PlanFeature, Project, Properties};
use crate::store;

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
    /// Things the user should know that did not stop the import, in order.
    pub notes: Vec<ImportNote>,
}

/// Something an import did that the user should know of; front ends word it in the user's
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportNote {
    /// A project record was created from a plan feature's `project_*` fields.
    ProjectCreated {
        /// The project's code.
        code: String,
        /// Its name.
        name: String,
    },
}

impl Session {
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
            .ok_or_else(|| Error::request(Problem::LayerNameNeeded))?;
        if matches!(role, LayerRole::Streets | LayerRole::Communities)
            && let Some(existing) = self.layer_with_role(role)
        {
            return Err(Error::request(Problem::RoleLayerExists {
                role: role.key().to_string(),
                existing: self.layers[existing].name.clone(),
            }));
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
                        Problem::FeatureNameMissing {
                            field: name_field.unwrap_or("name").to_string(),
                            role: role.key().to_string(),
                        },
                    ));
                }
                if GeometryKind::of(&f.geometry) != Some(GeometryKind::Polygon) {
                    return Err(Error::input(
                        file,
                        Some(i),
                        Problem::NotAPolygonForRole {
                            role: role.key().to_string(),
                        },
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
            stored: None,
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
                    self.plan.features()[*i].feature.id,
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
                Error::Request(problem) => Error::Input {
                    file: file.to_path_buf(),
                    feature: None,
                    problem,
                },
                other => other,
            });
        }
        self.settle_last_layer();
        for (i, location) in relocated {
            if let Some(f) = self.plan.features().get(i) {
                let mut f = f.clone();
                f.street = location.street;
                f.community = location.community;
                let row = self.plan.row(f.feature.id).unwrap_or(0);
                self.plan.put(f, row);
            }
        }
        // A new layer: views rebuild everything.
        self.record_change(None);
        Ok(ImportReport {
            layer: name,
            features: count,
            notes: Vec::new(),
        })
    }

    /// Plan features whose derived location differs from the stored one.
    fn relocations(&self) -> Vec<(usize, Location)> {
        self.plan
            .features()
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
            self.plan.features().iter().map(|f| f.feature.id).collect();
        for (i, f) in parsed.features.into_iter().enumerate() {
            let bad = |problem: Problem| Error::input(file, Some(i), problem);
            let mut properties = f.properties;
            let element_text = match properties.get("element_type") {
                Some(Value::String(s)) => s.clone(),
                Some(_) => return Err(bad(Problem::ElementTypeNotText)),
                None => return Err(bad(Problem::ElementTypeMissing)),
            };
            let element = self.catalog.find(&element_text).ok_or_else(|| {
                bad(Problem::UnknownElementType {
                    element: element_text.clone(),
                })
            })?;
            let geometry = normalise_plan_geometry(f.geometry).map_err(&bad)?;
            let kind = GeometryKind::of(&geometry).ok_or_else(|| bad(Problem::MixedGeometry))?;
            if !element.allowed.contains(&kind) {
                return Err(bad(Problem::KindNotAllowed {
                    name_zh: element.name_zh.clone(),
                    key: element.key.clone(),
                    allowed: element
                        .allowed
                        .iter()
                        .map(|k| k.key().to_string())
                        .collect(),
                    found: kind.key().to_string(),
                }));
            }
            let project = match properties.get("project_code") {
                Some(Value::String(code)) if !code.trim().is_empty() => {
                    let code = code.trim().to_string();
                    if !self.projects().contains_key(&code) && !new_projects.contains_key(&code) {
                        let project = project_from_properties(&code, &properties);
                        notes.push(ImportNote::ProjectCreated {
                            code: code.clone(),
                            name: project.name.clone(),
                        });
                        new_projects.insert(code.clone(), project);
                    }
                    Some(code)
                }
                Some(Value::String(_)) | Some(Value::Null) | None => None,
                Some(_) => return Err(bad(Problem::ProjectCodeNotText)),
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
        let mut project_rows = Vec::with_capacity(new_projects.len());
        for project in new_projects.values() {
            project_rows.push(store::insert_project_at(&tx, project, None)?);
        }
        let mut rows = Vec::with_capacity(features.len());
        for (i, f) in features.iter().enumerate() {
            rows.push(store::write_plan_feature(
                &tx,
                f,
                super::plan_derived(&self.catalog, f),
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
        for (project, row) in new_projects.into_values().zip(project_rows) {
            self.projects.put(project, row);
        }
        let slots = self.plan.extend(features.into_iter().zip(rows));
        self.record_change(Some(slots));
        Ok(ImportReport {
            layer: "plan".into(),
            features: count,
            notes,
        })
    }

    /// Adds project records in one transaction (the sample's, or a later project form's).
    pub fn add_projects(&mut self, projects: &[Project]) -> Result<()> {
        let tx = self.store.begin()?;
        let mut rows = Vec::with_capacity(projects.len());
        for p in projects {
            rows.push(store::insert_project_at(&tx, p, None)?);
        }
        tx.commit()?;
        for (p, row) in projects.iter().zip(rows) {
            self.projects.put(p.clone(), row);
        }
        self.record_change(Some(Vec::new()));
        Ok(())
    }
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

fn normalise_plan_geometry(geometry: geo::Geometry<f64>) -> Result<geo::Geometry<f64>, Problem> {
    match geometry {
        geo::Geometry::GeometryCollection(_) => {
            store::promote_to_multi(&geometry).ok_or(Problem::MixedGeometry)
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
        id: Uuid::new_v4(),
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
        ..Project::default()
    }
}
