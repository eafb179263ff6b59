//! Importing plan features: each feature's element type checked, its project found or made
//! from its `project_*` fields, all written in one transaction.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::Value;
use uuid::Uuid;

use super::{ImportNote, ImportReport};
use crate::error::{Problem, Problems, Result};
use crate::io::geojson_in::{self, ParsedFile, Progress};
use crate::io::geojson_out::PLAN_FIELD_KEYS;
use crate::model::catalog::GeometryKind;
use crate::model::change::RecordKind;
use crate::model::{Feature, PlanFeature, Project, Properties};
use crate::session::Session;
use crate::store;

impl Session {
    pub(super) fn import_plan(
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
        let stamp = self.stamp_now()?;
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
                crate::session::plan_derived(&self.catalog, f),
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
        // Who imported them, like any record made or changed here.
        store::stamp_written(
            &tx,
            RecordKind::Project,
            new_projects.values().map(|p| p.id),
            &stamp,
        )?;
        store::stamp_written(
            &tx,
            RecordKind::Plan,
            features.iter().map(|f| f.feature.id),
            &stamp,
        )?;
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
            alternative: None,
            street: location.street,
            community: location.community,
        })
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
