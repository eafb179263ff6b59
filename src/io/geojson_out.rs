//! GeoJSON export of plan features for the district bureau: an RFC 7946 FeatureCollection in
//! WGS84 lon/lat, counter-clockwise outer rings, at most 7 decimals (≈ 1 cm), one feature per
//! line, in a stable order. Measures are computed from the exported (rounded) coordinates, so
//! export → import → export gives the same bytes.

use geo::orient::{Direction, Orient};
use geo::{Geometry, MapCoords};
use serde_json::{Map, Value, json};

use std::collections::BTreeMap;

use crate::analysis::measure;
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{PlanFeature, Project};

/// Keys that plan exports write and plan imports read back as fields, not free properties.
pub const PLAN_FIELD_KEYS: [&str; 17] = [
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
    "alternative",
];

/// Rounds to 7 decimals (about 1 cm), avoiding `-0`.
fn round7(v: f64) -> f64 {
    let r = (v * 1e7).round() / 1e7;
    if r == 0.0 { 0.0 } else { r }
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    (v * f).round() / f
}

/// The geometry as it is exported: rounded, rings oriented per RFC 7946.
pub fn export_geometry(geometry: &Geometry<f64>) -> Geometry<f64> {
    let rounded = geometry.map_coords(|c| geo::coord! { x: round7(c.x), y: round7(c.y) });
    match rounded {
        Geometry::Polygon(p) => Geometry::Polygon(p.orient(Direction::Default)),
        Geometry::MultiPolygon(mp) => Geometry::MultiPolygon(mp.orient(Direction::Default)),
        Geometry::GeometryCollection(gc) => Geometry::GeometryCollection(geo::GeometryCollection(
            gc.0.iter().map(export_geometry).collect(),
        )),
        other => other,
    }
}

fn position(c: geo::Coord<f64>) -> Value {
    json!([c.x, c.y])
}

fn ring(ls: &geo::LineString<f64>) -> Value {
    Value::Array(ls.0.iter().copied().map(position).collect())
}

fn polygon(p: &geo::Polygon<f64>) -> Value {
    Value::Array(
        std::iter::once(p.exterior())
            .chain(p.interiors())
            .map(ring)
            .collect(),
    )
}

/// A geo geometry as a GeoJSON geometry object.
pub fn geometry_json(geometry: &Geometry<f64>) -> Value {
    match geometry {
        Geometry::Point(p) => json!({"type": "Point", "coordinates": position(p.0)}),
        Geometry::MultiPoint(mp) => {
            json!({"type": "MultiPoint", "coordinates": mp.0.iter().map(|p| position(p.0)).collect::<Vec<_>>()})
        }
        Geometry::Line(l) => {
            json!({"type": "LineString", "coordinates": [position(l.start), position(l.end)]})
        }
        Geometry::LineString(ls) => json!({"type": "LineString", "coordinates": ring(ls)}),
        Geometry::MultiLineString(ml) => {
            json!({"type": "MultiLineString", "coordinates": ml.0.iter().map(ring).collect::<Vec<_>>()})
        }
        Geometry::Polygon(p) => json!({"type": "Polygon", "coordinates": polygon(p)}),
        Geometry::MultiPolygon(mp) => {
            json!({"type": "MultiPolygon", "coordinates": mp.0.iter().map(polygon).collect::<Vec<_>>()})
        }
        Geometry::Rect(r) => json!({"type": "Polygon", "coordinates": polygon(&r.to_polygon())}),
        Geometry::Triangle(t) => {
            json!({"type": "Polygon", "coordinates": polygon(&t.to_polygon())})
        }
        Geometry::GeometryCollection(gc) => {
            json!({"type": "GeometryCollection", "geometries": gc.0.iter().map(geometry_json).collect::<Vec<_>>()})
        }
    }
}

/// A plan feature's area (polygons, m², to 0.1) and length (lines, m, to 0.01), measured on the
/// ellipsoid from its exported geometry.
pub fn measures(geometry: &Geometry<f64>) -> (Option<f64>, Option<f64>) {
    let kind = GeometryKind::of(geometry);
    let area =
        (kind == Some(GeometryKind::Polygon)).then(|| round_to(measure::area_m2(geometry), 1));
    let length =
        (kind == Some(GeometryKind::Line)).then(|| round_to(measure::length_m(geometry), 2));
    (area, length)
}

fn feature_json(catalog: &Catalog, projects: &BTreeMap<String, Project>, f: &PlanFeature) -> Value {
    let geometry = export_geometry(&f.feature.geometry);
    let p = plan_properties(catalog, projects, f, &geometry);
    json!({"type": "Feature", "id": f.feature.id.to_string(), "properties": p, "geometry": geometry_json(&geometry)})
}

/// A plan feature's exported properties ([`PLAN_FIELD_KEYS`] but `id` and `linli_id`, then its
/// own properties), `geometry` being its exported geometry ([`export_geometry`]). `projects`
/// (by code) give the project fields; a feature's own project fields (kept at import when no
/// project holds them) stand where its project has no value.
pub fn plan_properties(
    catalog: &Catalog,
    projects: &BTreeMap<String, Project>,
    f: &PlanFeature,
    geometry: &Geometry<f64>,
) -> Map<String, Value> {
    let element = catalog.get(&f.element);
    let project = f.project.as_ref().and_then(|code| projects.get(code));
    let mut p = Map::new();
    p.insert("name".into(), json!(f.feature.name));
    p.insert("element_type".into(), json!(f.element));
    p.insert(
        "element_name_zh".into(),
        json!(element.map(|e| e.name_zh.as_str())),
    );
    p.insert(
        "element_name_en".into(),
        json!(element.map(|e| e.name_en.as_str())),
    );
    p.insert("street".into(), json!(f.street));
    p.insert("community".into(), json!(f.community));
    let (area, length) = measures(geometry);
    p.insert("area_m2".into(), json!(area));
    p.insert("length_m".into(), json!(length));
    p.insert("project_code".into(), json!(f.project));
    if let Some(a) = f.alternative {
        p.insert("alternative".into(), json!(a.to_string()));
    }
    let own = |k: &str| f.feature.properties.get(k).cloned().unwrap_or(Value::Null);
    let or_own = |k: &str, v: Value| if v.is_null() { own(k) } else { v };
    let text = |s: &str| if s.is_empty() { Value::Null } else { json!(s) };
    p.insert(
        "project_name".into(),
        or_own(
            "project_name",
            project.map_or(Value::Null, |p| text(&p.name)),
        ),
    );
    p.insert(
        "programme".into(),
        or_own(
            "programme",
            project.map_or(Value::Null, |p| text(&p.programme)),
        ),
    );
    p.insert(
        "year".into(),
        or_own("year", json!(project.and_then(|p| p.year))),
    );
    p.insert(
        "stage".into(),
        or_own("stage", project.map_or(Value::Null, |p| text(&p.stage))),
    );
    p.insert(
        "budget_wan".into(),
        or_own("budget_wan", json!(project.and_then(|p| p.budget_wan))),
    );
    for (k, v) in &f.feature.properties {
        if !PLAN_FIELD_KEYS.contains(&k.as_str()) {
            p.insert(k.clone(), v.clone());
        }
    }
    p
}

/// The plan features as GeoJSON text, and how many were written, sorted as the bureau reads
/// them: by street, then type, then name; the id breaks ties. `projects` (by code) fill each
/// feature's project fields; the caller has chosen the features (`Session::export_features`).
pub fn feature_collection<'p>(
    plan: impl IntoIterator<Item = &'p PlanFeature>,
    catalog: &Catalog,
    projects: &BTreeMap<String, Project>,
) -> (String, usize) {
    let chosen = sorted_for_export(plan);
    let mut out =
        String::from("{\"type\":\"FeatureCollection\",\"name\":\"linli_plan\",\"features\":[\n");
    for (i, f) in chosen.iter().enumerate() {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str(&feature_json(catalog, projects, f).to_string());
    }
    out.push_str("\n]}\n");
    (out, chosen.len())
}

/// Plan features in the order every export writes them: by street, then type, then name; the
/// id breaks ties.
pub fn sorted_for_export<'p>(
    plan: impl IntoIterator<Item = &'p PlanFeature>,
) -> Vec<&'p PlanFeature> {
    let mut chosen: Vec<&PlanFeature> = plan.into_iter().collect();
    chosen.sort_by(|a, b| {
        (&a.street, &a.element, &a.feature.name, a.feature.id).cmp(&(
            &b.street,
            &b.element,
            &b.feature.name,
            b.feature.id,
        ))
    });
    chosen
}
