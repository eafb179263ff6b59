//! Importing GeoJSON: a reference, street or community layer, or plan features. Each import
//! is one transaction — the whole layer or nothing — and memory changes only after it committed.

use std::path::Path;

use serde_json::Value;
use uuid::Uuid;

mod plan;

use super::stream_import::{StreamSink, feature_name, read_into_alongside};
use super::{Location, Session};
use crate::analysis::index::SpatialIndex;
use crate::error::{Error, Problem, Problems, Result};
use crate::io::format::{self, Format};
use crate::io::geojson_in::{self, FeatureSink, ParsedFile, Progress, ReadNote, SourceCrs};
use crate::io::shapefile_in::{self, ShapefileOptions};
use crate::io::source::read_source_layer_into;
use crate::model::catalog::GeometryKind;
use crate::model::{Feature, Layer, LayerRole};
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

    /// A reference layer, streamed from the file to the workspace inside the one transaction,
    /// the file read once: the store's [`store::LayerStream`] makes the table from the first
    /// features' schema and widens it in place when a later feature does not fit (a property
    /// first seen late, a number after text, lines after points), so the table is the one
    /// every feature's schema makes. A problem anywhere refuses the file and writes nothing.
    /// Only a bounded number of features is held at a time.
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
            let stream = store::LayerStream::new(&tx, &name, LayerRole::Reference)?;
            let mut sink = StreamSink::new(stream, request.name_field.as_deref());
            let read = |p: &mut dyn FnMut(Progress), s: &mut dyn FeatureSink| {
                read_any_into(file, request, p, s)
            };
            let parsed =
                read_into_alongside(read, request.name_field.as_deref(), progress, &mut sink)?;
            refuse_if_strict(&parsed, file, request)?;
            let written = sink.finish(&source)?;
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
