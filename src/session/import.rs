//! Importing GeoJSON: a reference, street or community layer, or plan features. Each import
//! is one transaction — the whole layer or nothing — and memory changes only after it committed.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use uuid::Uuid;

use super::stream_import::{StreamSink, feature_name, read_into_alongside};
use super::{Location, Session};
use crate::analysis::index::SpatialIndex;
use crate::error::{Error, Problem, Problems, Result};
use crate::io::format::{self, Format};
use crate::io::geojson_in::{self, FeatureSink, ParsedFile, Progress, ReadNote, SourceCrs};
use crate::io::geojson_out::PLAN_FIELD_KEYS;
use crate::io::shapefile_in::{self, ShapefileOptions};
use crate::io::source::read_source_layer_into;
use crate::model::catalog::GeometryKind;
use crate::model::{Feature, Layer, LayerRole, PlanFeature, Project, Properties};
use crate::store;

/// The new layer's name the request gives, or the refusal that it gives none.
fn layer_name(request: &ImportRequest) -> Result<String> {
    request
        .layer
        .clone()
        .ok_or_else(|| Error::request(Problem::LayerNameNeeded))
}

/// What to import and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRequest {
    /// The new layer's name (not used for plan features, which go to the plan tables).
    pub layer: Option<String>,
    /// What the layer is for.
    pub role: LayerRole,
    /// The CRS of the file's coordinates; `None` takes the one the file declares (WGS84 when
    /// it declares none).
    pub crs: Option<SourceCrs>,
    /// The property holding each feature's name (default `name`).
    pub name_field: Option<String>,
    /// Refuse the file when it needs any repair (`--strict`).
    pub strict: bool,
    /// Plan features: import features that carry a `linli_id` already in the workspace as
    /// new copies (`--as-new`) instead of updating those features.
    pub as_new: bool,
    /// A Shapefile's `.dbf` encoding (`--encoding`); `None` decides from the file.
    pub encoding: Option<String>,
    /// The GeoPackage feature table to import (`--source-layer`); `None` takes the only one.
    pub source_layer: Option<String>,
}

impl Default for ImportRequest {
    /// A reference layer with no name yet, WGS84, repairs allowed, re-imports updating.
    fn default() -> Self {
        Self {
            layer: None,
            role: LayerRole::Reference,
            crs: None,
            name_field: None,
            strict: false,
            as_new: false,
            encoding: None,
            source_layer: None,
        }
    }
}

/// The outcome of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    /// The layer written (`plan` for plan features).
    pub layer: String,
    /// Features written (new and updated).
    pub features: usize,
    /// Of those, plan features that updated the workspace's feature of the same `linli_id`.
    pub updated: usize,
    /// What was repaired while reading, in file order: the first
    /// [`crate::io::repair::LISTED_REPAIRS`] in detail, all counted.
    pub repairs: crate::io::repair::Repairs,
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
    /// How the reader read the file (its CRS, its encoding).
    Read(ReadNote),
}

impl Session {
    /// Reads a file — GeoJSON, Shapefile or GeoPackage, told apart by content — and imports
    /// it as one transaction: the whole layer or nothing. The one path of the CLI, the import
    /// dialog and a file dropped on the map.
    pub fn import_file(
        &mut self,
        file: &Path,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        if request.role == LayerRole::Reference {
            return self.import_reference(file, request, progress);
        }
        // Every other role holds all its features: the GeoJSON reader's cap, for every format.
        refuse_if_too_large(file)?;
        let parsed = read_any(file, request, progress)?;
        self.import_parsed(parsed, file, request, progress)
    }

    /// A reference layer, streamed from the file to the workspace inside the one transaction.
    /// The table is made from the first 1,000 features' schema and every
    /// feature is written as it is read; when a later feature does not fit that table (a
    /// property first seen late, a number after text, a point among multipoints), the table
    /// is rolled back and the file read a second time into a table made from every
    /// feature's schema. A problem anywhere refuses the file and writes nothing. No more
    /// than those first features are held at a time.
    fn import_reference(
        &mut self,
        file: &Path,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        let name = layer_name(request)?;
        let source = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let result = (|| -> Result<(u64, ParsedFile)> {
            let tx = self.store.begin()?;
            tx.execute_batch("SAVEPOINT linli_import")?;
            let mut sink = StreamSink::new(&tx, &name, request.name_field.as_deref());
            let read = |p: &mut dyn FnMut(Progress), s: &mut dyn FeatureSink| {
                read_any_into(file, request, p, s)
            };
            let parsed = read_into_alongside(read, progress, &mut sink)?;
            refuse_if_strict(&parsed, file, request)?;
            let written = match sink.finish(&source)? {
                Ok(written) => written,
                Err(all) => {
                    // A feature did not fit the first features' table: read again into a
                    // table made for all of them.
                    tx.execute_batch("ROLLBACK TO linli_import")?;
                    let mut again = StreamSink::new(&tx, &name, request.name_field.as_deref());
                    again.open(&all.provisional())?;
                    read_into_alongside(read, &mut |_| {}, &mut again)?;
                    match again.finish(&source)? {
                        Ok(written) => written,
                        // The file changed between the reads.
                        Err(_) => {
                            return Err(Error::request(Problem::CannotRead {
                                reason: "the file changed while it was read".into(),
                            }));
                        }
                    }
                }
            };
            tx.execute_batch("RELEASE linli_import")?;
            tx.commit()?;
            progress(Progress::Writing {
                done: written,
                total: written,
            });
            Ok((written, parsed))
        })();
        let (written, parsed) = result.map_err(|e| match e {
            Error::Request(problem) => Error::Input {
                file: file.to_path_buf(),
                feature: None,
                problem,
            },
            other => other,
        })?;
        self.layers.push(Layer {
            name: name.clone(),
            role: LayerRole::Reference,
            features: Vec::new(),
            stored: None,
        });
        self.layer_indexes.push(SpatialIndex::default());
        self.settle_last_layer();
        // A new layer: views rebuild everything.
        self.record_change(None);
        Ok(ImportReport {
            layer: name,
            features: written as usize,
            updated: 0,
            repairs: parsed.repairs,
            notes: parsed.notes.into_iter().map(ImportNote::Read).collect(),
        })
    }

    /// The name [`Session::import_file`] had before it read more than GeoJSON; kept so callers
    /// written before issue 9 keep building. Reads any format, as `import_file` does.
    pub fn import_geojson(
        &mut self,
        file: &Path,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        self.import_file(file, request, progress)
    }

    /// Imports already parsed features; `file` names them in messages.
    pub fn import_parsed(
        &mut self,
        parsed: ParsedFile,
        file: &Path,
        request: &ImportRequest,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        refuse_if_strict(&parsed, file, request)?;
        match request.role {
            LayerRole::Plan => self.import_plan(parsed, file, request.as_new, progress),
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
        let name = layer_name(request)?;
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
        let mut problems = Problems::new(file);
        let repairs = parsed.repairs;
        let read_notes: Vec<ImportNote> = parsed.notes.into_iter().map(ImportNote::Read).collect();
        for f in parsed.features {
            let i = f.index;
            let feature_name = feature_name(&f.properties, name_field);
            if matches!(role, LayerRole::Streets | LayerRole::Communities) {
                if feature_name.is_empty() {
                    problems.push(
                        Some(i),
                        Problem::FeatureNameMissing {
                            field: name_field.unwrap_or("name").to_string(),
                            role: role.key().to_string(),
                        },
                    );
                }
                if GeometryKind::of(&f.geometry) != Some(GeometryKind::Polygon) {
                    problems.push(
                        Some(i),
                        Problem::NotAPolygonForRole {
                            role: role.key().to_string(),
                        },
                    );
                }
                if problems.total() > 0 {
                    continue;
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
        problems.into_result()?;
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
            updated: 0,
            repairs,
            notes: read_notes,
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
        as_new: bool,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<ImportReport> {
        let mut features = Vec::with_capacity(parsed.features.len());
        let mut new_projects: BTreeMap<String, Project> = BTreeMap::new();
        let mut notes: Vec<ImportNote> = parsed.notes.into_iter().map(ImportNote::Read).collect();
        let mut problems = Problems::new(file);
        // Ids this import has given out: a file holding one `linli_id` twice gets a copy.
        let mut taken: BTreeSet<Uuid> = BTreeSet::new();
        for f in parsed.features {
            let i = f.index;
            let file_id = [f.id.as_ref(), f.properties.get("linli_id")]
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .find_map(|s| Uuid::parse_str(s).ok());
            let mut feature = match self.read_plan_feature(f, &mut new_projects, &mut notes) {
                Ok(feature) => feature,
                Err(problem) => {
                    problems.push(Some(i), problem);
                    continue;
                }
            };
            // The file's id, unless this import gave it out already, or --as-new asks for a
            // copy of a feature the workspace has.
            let copy = |id: &Uuid| taken.contains(id) || (as_new && self.plan.get(*id).is_some());
            feature.feature.id = match file_id {
                Some(id) if !copy(&id) => id,
                _ => Uuid::new_v4(),
            };
            taken.insert(feature.feature.id);
            features.push(feature);
        }
        problems.into_result()?;
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
        let (updates, additions): (Vec<_>, Vec<_>) = features
            .into_iter()
            .zip(rows)
            .partition(|(f, _)| self.plan.get(f.feature.id).is_some());
        let updated = updates.len();
        let mut slots: Vec<usize> = updates
            .into_iter()
            .map(|(f, row)| self.plan.put(f, row))
            .collect();
        slots.extend(self.plan.extend(additions));
        self.record_change(Some(slots));
        Ok(ImportReport {
            layer: "plan".into(),
            features: count,
            updated,
            repairs: parsed.repairs,
            notes,
        })
    }

    /// One plan feature from the file (its id is set by the caller): the element type checked,
    /// the project found or made, every field of the file kept unless the project holds it.
    fn read_plan_feature(
        &self,
        f: geojson_in::ParsedFeature,
        new_projects: &mut BTreeMap<String, Project>,
        notes: &mut Vec<ImportNote>,
    ) -> Result<PlanFeature, Problem> {
        let mut properties = f.properties;
        let element_text = match properties.get("element_type") {
            Some(Value::String(s)) => s.clone(),
            Some(_) => return Err(Problem::ElementTypeNotText),
            None => return Err(Problem::ElementTypeMissing),
        };
        let element =
            self.catalog
                .find(&element_text)
                .ok_or_else(|| Problem::UnknownElementType {
                    element: element_text.clone(),
                })?;
        let geometry = normalise_plan_geometry(f.geometry)?;
        let kind = GeometryKind::of(&geometry).ok_or(Problem::MixedGeometry)?;
        if !element.allowed.contains(&kind) {
            return Err(Problem::KindNotAllowed {
                name_zh: element.name_zh.clone(),
                key: element.key.clone(),
                allowed: element
                    .allowed
                    .iter()
                    .map(|k| k.key().to_string())
                    .collect(),
                found: kind.key().to_string(),
            });
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
            Some(_) => return Err(Problem::ProjectCodeNotText),
        };
        let name = match properties.get("name") {
            Some(Value::String(s)) => s.clone(),
            Some(Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        let record = project
            .as_ref()
            .and_then(|code| self.projects().get(code).or_else(|| new_projects.get(code)));
        for key in PLAN_FIELD_KEYS {
            let keep = PROJECT_FIELD_KEYS.contains(&key)
                && properties
                    .get(key)
                    .is_some_and(|v| !v.is_null() && !record.is_some_and(|p| holds(p, key, v)));
            if !keep {
                properties.shift_remove(key);
            }
        }
        let location = self.locate_geometry(&geometry);
        Ok(PlanFeature {
            feature: Feature {
                id: Uuid::nil(),
                name,
                geometry,
                properties,
            },
            element: element.key.clone(),
            project,
            street: location.street,
            community: location.community,
        })
    }
}

/// Reads `file` with the reader its content asks for.
pub fn read_any(
    file: &Path,
    request: &ImportRequest,
    progress: &mut dyn FnMut(Progress),
) -> Result<ParsedFile> {
    let mut features = Vec::new();
    let mut parsed = read_any_into(file, request, progress, &mut features)?;
    parsed.features = features;
    Ok(parsed)
}

/// Reads `file` with the reader its content asks for, handing each kept feature to `sink` as
/// it is read; the result holds the repairs and notes, no features.
pub fn read_any_into(
    file: &Path,
    request: &ImportRequest,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
) -> Result<ParsedFile> {
    match format::detect(file)? {
        Format::GeoJson => geojson_in::read_file_into(file, request.crs, progress, sink),
        Format::Shapefile(shp) => {
            let options = ShapefileOptions {
                crs: request.crs,
                encoding: request.encoding.clone(),
            };
            shapefile_in::read_file_into(&shp, &options, progress, sink)
        }
        Format::GeoPackage => read_source_layer_into(
            file,
            request.source_layer.as_deref(),
            request.crs,
            progress,
            sink,
        ),
    }
}

/// Refuses a file whose bytes pass [`geojson_in::MAX_FILE_BYTES`]: a Shapefile's `.shp`,
/// `.shx` and `.dbf` together, a GeoPackage's whole file (GeoJSON checks its own).
fn refuse_if_too_large(file: &Path) -> Result<()> {
    let size = |p: &Path| std::fs::metadata(p).map_or(0, |m| m.len());
    let bytes = match format::detect(file)? {
        Format::GeoJson => return Ok(()),
        Format::Shapefile(shp) => ["shp", "shx", "dbf"]
            .iter()
            .map(|ext| size(&shp.with_extension(ext)))
            .sum(),
        Format::GeoPackage => size(file),
    };
    if bytes > geojson_in::MAX_FILE_BYTES {
        return Err(Error::input(
            file,
            None,
            Problem::TooLarge {
                bytes,
                limit_gib: geojson_in::MAX_FILE_BYTES >> 30,
            },
        ));
    }
    Ok(())
}

/// With `--strict`, refuses a file that needed any repair, listing them.
fn refuse_if_strict(parsed: &ParsedFile, file: &Path, request: &ImportRequest) -> Result<()> {
    if !request.strict || parsed.repairs.is_empty() {
        return Ok(());
    }
    let mut problems = Problems::new(file);
    for r in &parsed.repairs {
        problems.push(
            Some(r.feature),
            Problem::NeedsRepair {
                repair: r.repair.clone(),
            },
        );
    }
    problems.into_result()
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
        year: p.get("year").and_then(year_of),
        stage: text("stage"),
        budget_wan: p.get("budget_wan").and_then(number_of),
        ..Project::default()
    }
}

/// The plan fields a project record holds; a feature keeps them as its own properties unless
/// its project holds the same value.
const PROJECT_FIELD_KEYS: [&str; 5] = ["project_name", "programme", "year", "stage", "budget_wan"];

/// Whether project `p` holds value `v` for field `key` (so the feature need not keep it).
fn holds(p: &Project, key: &str, v: &Value) -> bool {
    let text = |s: &str| v.as_str().is_some_and(|t| t.trim() == s);
    match key {
        "project_name" => text(&p.name),
        "programme" => text(&p.programme),
        "stage" => text(&p.stage),
        "year" => p.year.is_some() && year_of(v) == p.year,
        "budget_wan" => p.budget_wan.is_some() && number_of(v) == p.budget_wan,
        _ => false,
    }
}

/// A year written as a number (2024, 2024.0) or as text ("2024", "2024年").
fn year_of(v: &Value) -> Option<i32> {
    match v {
        Value::Number(n) => n
            .as_i64()
            .or_else(|| n.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            .and_then(|y| i32::try_from(y).ok()),
        Value::String(s) => s.trim().trim_end_matches('年').trim().parse().ok(),
        _ => None,
    }
}

/// A number written as a number or as text ("12.5").
fn number_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok().filter(|f: &f64| f.is_finite()),
        _ => None,
    }
}
