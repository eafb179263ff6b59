//! `linli export --format gpkg`: the filtered plan as three feature tables and the records
//! around it as attributes tables, related through the projects' UUIDs, gathered here and
//! written by [`crate::io::gpkg_out`]. The README's "Export columns" lists every column.

use std::collections::BTreeSet;

use serde_json::{Map, Value};
use uuid::Uuid;

use super::Session;
use super::export::{ExportCount, ExportFilter};
use super::report::{self, PROJECT_CSV_COLUMNS, PROVENANCE_COLUMNS};
use crate::error::Result;
use crate::i18n::Lang;
use crate::i18n::projects::stage_name;
use crate::io::csv::Cell;
use crate::io::geojson_out::{export_geometry, plan_properties};
use crate::io::gpkg_out::{
    ColumnType, EXPORT_MARK_TABLE, GeoPackage, GpkgRelation, GpkgTable, geopackage_bytes,
};
use crate::model::catalog::GeometryKind;
use crate::model::change::RecordKind;
use crate::model::local_time::LocalZone;
use crate::model::project::list_items;
use crate::model::provenance::Provenance;
use crate::model::{PlanFeature, Project};
use crate::store;

use ColumnType::{Integer as I, Real as R, Text as T};

/// The plan tables' columns after `fid` and `geom`. All but `uuid`, `project_uuid`,
/// `stage_zh` and `properties` are the GeoJSON export's property keys.
pub const PLAN_GPKG_COLUMNS: &[(&str, ColumnType)] = &[
    ("uuid", T),
    ("name", T),
    ("element_type", T),
    ("element_name_zh", T),
    ("element_name_en", T),
    ("street", T),
    ("community", T),
    ("area_m2", R),
    ("length_m", R),
    ("project_uuid", T),
    ("project_code", T),
    ("project_name", T),
    ("programme", T),
    ("year", I),
    ("stage", T),
    ("stage_zh", T),
    ("budget_wan", R),
    ("alternative", T),
    ("created_at", T),
    ("created_by", T),
    ("created_in", T),
    ("changed_at", T),
    ("changed_by", T),
    ("changed_in", T),
    ("properties", T),
];

/// The types of the projects CSV's columns ([`PROJECT_CSV_COLUMNS`]), in order.
const PROJECT_CSV_TYPES: [ColumnType; 25] = [
    T, T, T, I, T, T, T, T, R, R, R, I, T, T, R, R, T, T, T, T, T, T, T, T, T,
];

/// The projects table's columns after the CSV's: the record's people and scope.
const PROJECT_MORE_COLUMNS: [&str; 6] = [
    "scope",
    "owner_unit",
    "design_team",
    "mentor",
    "planners",
    "departments",
];

const MEETING_COLUMNS: &[(&str, ColumnType)] = &[
    ("uuid", T),
    ("project_uuid", T),
    ("project_code", T),
    ("kind", T),
    ("kind_zh", T),
    ("date", T),
    ("place", T),
    ("attendance", I),
    ("chair", T),
    ("attendees", T),
    ("departments", T),
    ("agenda", T),
    ("decisions", T),
    ("comments", T),
];

const PEOPLE_COLUMNS: &[(&str, ColumnType)] = &[
    ("uuid", T),
    ("name", T),
    ("role", T),
    ("role_zh", T),
    ("organisation", T),
    ("streets", T),
];

const PROJECT_PEOPLE_COLUMNS: &[(&str, ColumnType)] = &[
    ("project_uuid", T),
    ("project_code", T),
    ("person_uuid", T),
    ("person_name", T),
    ("part", T),
];

const TASK_COLUMNS: &[(&str, ColumnType)] = &[
    ("uuid", T),
    ("project_uuid", T),
    ("project_code", T),
    ("meeting_uuid", T),
    ("title", T),
    ("owner", T),
    ("due", T),
    ("status", T),
    ("status_zh", T),
];

/// A JSON property value as a cell of a column of `kind`; `None` when it does not fit (a
/// text in a number column), so the caller keeps it in `properties` instead.
fn json_cell(v: &Value, kind: ColumnType) -> Option<Cell> {
    match (v, kind) {
        (Value::Null, _) => Some(Cell::text("")),
        (Value::String(s), ColumnType::Text) => Some(Cell::text(s.as_str())),
        (Value::Number(n), ColumnType::Integer) if n.is_i64() => Some(Cell::number(n)),
        (Value::Number(n), ColumnType::Real) => Some(Cell::number(n)),
        (Value::String(s), ColumnType::Integer) => s.trim().parse::<i64>().ok().map(Cell::number),
        (Value::String(s), ColumnType::Real) => s
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|f| f.is_finite())
            .map(Cell::number),
        (other, ColumnType::Text) => Some(Cell::text(other.to_string())),
        _ => None,
    }
}

fn uuid_cell(id: Option<Uuid>) -> Cell {
    Cell::text(id.map(|u| u.to_string()).unwrap_or_default())
}

/// An attributes table: (name, identifier, description), its columns and rows.
fn attributes(
    (name, identifier, description): (&str, &str, &str),
    columns: &[(&'static str, ColumnType)],
    rows: Vec<Vec<Cell>>,
) -> GpkgTable {
    GpkgTable {
        name: name.to_string(),
        identifier: identifier.to_string(),
        description: description.to_string(),
        geometry_type: None,
        columns: columns.to_vec(),
        rows: rows.into_iter().map(|row| (None, row)).collect(),
    }
}

/// The [`EXPORT_MARK_TABLE`]: who wrote the file, when, with which filter, and how much.
fn export_mark(filter: &ExportFilter, count: ExportCount) -> GpkgTable {
    // The filter as JSON, every field named (a missing one is null).
    let filter_json = serde_json::to_string(filter).unwrap_or_default();
    let rows = [
        ("created_by", format!("linli {}", env!("CARGO_PKG_VERSION"))),
        ("exported_utc", jiff::Timestamp::now().to_string()),
        ("filter", filter_json),
        ("features", count.features.to_string()),
        ("projects", count.projects.to_string()),
    ]
    .into_iter()
    .map(|(k, v)| vec![Cell::text(k), Cell::text(v)])
    .collect();
    let names = (
        EXPORT_MARK_TABLE,
        "导出说明 about this export",
        "Linli export: program, time (UTC), filter, counts",
    );
    attributes(names, &[("key", T), ("value", T)], rows)
}

impl Session {
    /// One plan feature as a row of its table ([`PLAN_GPKG_COLUMNS`]).
    fn plan_row(
        &self,
        f: &PlanFeature,
        provenance: Option<&Provenance>,
        zone: &LocalZone,
    ) -> (Option<geo::Geometry<f64>>, Vec<Cell>) {
        let mut made = report::provenance_cells(provenance, zone).map(Some);
        let geometry = export_geometry(&f.feature.geometry);
        let mut props = plan_properties(self.catalog(), self.projects(), f, &geometry);
        let project = f.project.as_ref().and_then(|c| self.projects().get(c));
        let stage_zh = project.map_or(String::new(), |p| {
            stage_name(Lang::Zh, self.workflows().of(p), &p.stage).to_string()
        });
        let mut cells = Vec::with_capacity(PLAN_GPKG_COLUMNS.len());
        for (column, kind) in PLAN_GPKG_COLUMNS {
            let cell = match *column {
                "uuid" => Cell::text(f.feature.id.to_string()),
                "project_uuid" => uuid_cell(project.map(|p| p.id)),
                "stage_zh" => Cell::text(stage_zh.as_str()),
                "properties" => Cell::text(""),
                key if PROVENANCE_COLUMNS.contains(&key) => PROVENANCE_COLUMNS
                    .iter()
                    .position(|c| *c == key)
                    .and_then(|i| made[i].take())
                    .unwrap_or_else(|| Cell::text("")),
                key => match props.remove(key) {
                    Some(v) => match json_cell(&v, *kind) {
                        Some(cell) => cell,
                        None => {
                            // Not lost: kept with the feature's other properties.
                            props.insert(key.to_string(), v);
                            Cell::text("")
                        }
                    },
                    None => Cell::text(""),
                },
            };
            cells.push(cell);
        }
        // What is left are the feature's own properties (and any field that did not fit).
        if !props.is_empty()
            && let Some(last) = cells.last_mut()
        {
            *last = Cell::text(Value::Object(Map::from_iter(props)).to_string());
        }
        let geometry = store::promote_to_multi(&geometry).or(Some(geometry));
        (geometry, cells)
    }

    /// The filtered export as a GeoPackage file's bytes, and how many features and projects
    /// it holds: tables `plan_points`, `plan_lines`, `plan_polygons` (features), `projects`,
    /// `meetings`, `people`, `project_people`, `tasks` (attributes), related through the
    /// projects' UUIDs (Related Tables extension).
    ///
    /// # Errors
    /// As [`Session::export_features`]; what the GeoPackage writer reports.
    pub fn export_gpkg(&self, filter: &ExportFilter) -> Result<(Vec<u8>, ExportCount)> {
        let features = self.export_features(filter)?;
        let projects = self.export_projects(filter)?;
        let every = filter.is_empty();
        let project_ids: BTreeSet<Uuid> = projects.iter().map(|p| p.id).collect();
        let mut tables = Vec::new();
        // Provenance that cannot be read is left empty: the export is still the plan.
        let provenance = self
            .provenance_of_kind(RecordKind::Plan)
            .unwrap_or_default();
        let zone = LocalZone::system();
        for kind in [
            GeometryKind::Point,
            GeometryKind::Line,
            GeometryKind::Polygon,
        ] {
            let (name, geometry_type, identifier) = store::plan_table(kind);
            tables.push(GpkgTable {
                name: name.to_string(),
                identifier: identifier.to_string(),
                description: "Linli plan features (规划要素)".to_string(),
                geometry_type: Some(geometry_type),
                columns: PLAN_GPKG_COLUMNS.to_vec(),
                rows: features
                    .iter()
                    .filter(|f| f.kind() == Some(kind))
                    .map(|f| self.plan_row(f, provenance.get(&f.feature.id), &zone))
                    .collect(),
            });
        }
        tables.push(self.projects_table(&projects));
        let codes: std::collections::BTreeMap<Uuid, &str> = self
            .projects()
            .values()
            .map(|p| (p.id, p.code.as_str()))
            .collect();
        let code_of = |id: Option<Uuid>| {
            id.and_then(|id| codes.get(&id).copied())
                .unwrap_or_default()
                .to_string()
        };
        let kept =
            |project: Option<Uuid>| every || project.is_some_and(|p| project_ids.contains(&p));
        let records = self.records();
        tables.push(attributes(
            ("meetings", "会议 meetings", "Linli meetings (一图三会)"),
            MEETING_COLUMNS,
            records
                .meetings()
                .into_iter()
                .filter(|m| kept(m.project))
                .map(|m| {
                    vec![
                        Cell::text(m.id.to_string()),
                        uuid_cell(m.project),
                        Cell::text(code_of(m.project)),
                        Cell::text(m.kind.key()),
                        Cell::text(m.kind.name_zh()),
                        Cell::text(m.date.as_str()),
                        Cell::text(m.place.as_str()),
                        Cell::maybe(m.attendance),
                        Cell::text(m.chair.as_str()),
                        Cell::text(m.attendees.as_str()),
                        Cell::text(m.departments.as_str()),
                        Cell::text(m.agenda.as_str()),
                        Cell::text(m.decisions.as_str()),
                        Cell::text(m.comments.as_str()),
                    ]
                })
                .collect(),
        ));
        let links = self.project_people(&projects);
        let named: BTreeSet<Uuid> = links.iter().filter_map(|(_, person, _)| *person).collect();
        tables.push(attributes(
            (
                "people",
                "人员 people",
                "Linli roster (人员): mentors, planners, design teams…",
            ),
            PEOPLE_COLUMNS,
            records
                .people()
                .into_iter()
                .filter(|p| every || named.contains(&p.id))
                .map(|p| {
                    vec![
                        Cell::text(p.id.to_string()),
                        Cell::text(p.name.as_str()),
                        Cell::text(p.role.key()),
                        Cell::text(p.role.name_zh()),
                        Cell::text(p.organisation.as_str()),
                        Cell::text(p.streets.as_str()),
                    ]
                })
                .collect(),
        ));
        tables.push(attributes(
            (
                "project_people",
                "项目人员 project people",
                "Who takes part in which project (mentor, planner, design team)",
            ),
            PROJECT_PEOPLE_COLUMNS,
            links
                .iter()
                .map(|(project, person, (name, part))| {
                    vec![
                        Cell::text(project.id.to_string()),
                        Cell::text(project.code.as_str()),
                        uuid_cell(*person),
                        Cell::text(name.as_str()),
                        Cell::text(*part),
                    ]
                })
                .collect(),
        ));
        tables.push(attributes(
            (
                "tasks",
                "任务 tasks",
                "Linli tasks (任务), from meetings' decisions and the annual list",
            ),
            TASK_COLUMNS,
            records
                .tasks()
                .into_iter()
                .filter(|t| kept(t.project))
                .map(|t| {
                    vec![
                        Cell::text(t.id.to_string()),
                        uuid_cell(t.project),
                        Cell::text(code_of(t.project)),
                        uuid_cell(t.meeting),
                        Cell::text(t.title.as_str()),
                        Cell::text(t.owner.as_str()),
                        Cell::text(t.due.as_str()),
                        Cell::text(t.status.key()),
                        Cell::text(t.status.name_zh()),
                    ]
                })
                .collect(),
        ));
        let relation = |related: &str, base_column, related_column| GpkgRelation {
            base_table: "projects".into(),
            base_column,
            related_table: related.to_string(),
            related_column,
            mapping_table: format!("projects_{related}"),
        };
        let mut relations: Vec<GpkgRelation> = ["plan_points", "plan_lines", "plan_polygons"]
            .into_iter()
            .chain(["meetings", "project_people", "tasks"])
            .map(|t| relation(t, "uuid", "project_uuid"))
            .collect();
        relations.push(GpkgRelation {
            base_table: "people".into(),
            base_column: "uuid",
            related_table: "project_people".into(),
            related_column: "person_uuid",
            mapping_table: "people_project_people".into(),
        });
        let count = ExportCount {
            features: features.len(),
            projects: projects.len(),
        };
        tables.push(export_mark(filter, count));
        let bytes = geopackage_bytes(&GeoPackage { tables, relations })?;
        Ok((bytes, count))
    }

    /// The projects attributes table: `uuid`, the projects CSV's columns, then
    /// [`PROJECT_MORE_COLUMNS`].
    fn projects_table(&self, projects: &[&Project]) -> GpkgTable {
        let codes: Vec<String> = projects.iter().map(|p| p.code.clone()).collect();
        let analysis = self.analysis();
        // Every feature of the project counts in its summary, as in the CSV.
        let rows = analysis.project_rows_of(&codes);
        let mut columns = vec![("uuid", T)];
        columns.extend(PROJECT_CSV_COLUMNS.iter().copied().zip(PROJECT_CSV_TYPES));
        columns.extend(PROJECT_MORE_COLUMNS.iter().map(|c| (*c, T)));
        let csv_rows = report::project_csv_rows(self, &rows);
        let cells = rows
            .iter()
            .zip(csv_rows)
            .map(|(r, csv)| {
                let p = r.project;
                let mut row = vec![Cell::text(p.id.to_string())];
                row.extend(csv);
                row.extend(
                    [
                        &p.scope,
                        &p.owner_unit,
                        &p.design_team,
                        &p.mentor,
                        &p.planners,
                        &p.departments,
                    ]
                    .map(|s| Cell::text(s.as_str())),
                );
                row
            })
            .collect();
        let names = ("projects", "项目 projects", "Linli project records (项目)");
        attributes(names, &columns, cells)
    }

    /// Who takes part in the projects: (project, roster id if the name is on the roster,
    /// (name, part key)) per name listed as mentor, planner or design team.
    fn project_people<'a>(
        &'a self,
        projects: &[&'a Project],
    ) -> Vec<(&'a Project, Option<Uuid>, (String, &'static str))> {
        let records = self.records();
        let mut out = Vec::new();
        for p in projects {
            for (text, part) in [
                (&p.mentor, "mentor"),
                (&p.planners, "planner"),
                (&p.design_team, "design_team"),
            ] {
                for name in list_items(text) {
                    let person = records.person_named(name).map(|x| x.id);
                    out.push((*p, person, (name.to_string(), part)));
                }
            }
        }
        out
    }
}
