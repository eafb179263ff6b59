//! Coverage analysis over the workspace: gathers what [`crate::analysis::coverage`] needs
//! from the session — areas from the street or community layer, facilities from plan features
//! of chosen element types and from any layer, the network and the weights (stored layers are
//! read from the file) — and hands it over. Results are computed, never stored.

use crate::analysis::coverage::candidates::Candidate;
use crate::analysis::coverage::{Area, Coverage, Model, Request, Weight};
use crate::error::{Error, Problem, Result};
use crate::model::Layer;

use super::views::Analysis;

/// What a coverage analysis is asked for, by layer index into [`super::Session::layers`].
#[derive(Debug, Clone, PartialEq)]
pub struct CoverageSpec {
    /// The areas' layer (streets or communities).
    pub areas: usize,
    /// Element types whose plan features are facilities.
    pub elements: Vec<String>,
    /// Layers whose features are facilities.
    pub facility_layers: Vec<usize>,
    /// The walking threshold, metres.
    pub distance_m: f64,
    /// Straight line or network.
    pub model: Model,
    /// The network's line layer (with [`Model::Network`]).
    pub network: Option<usize>,
    /// The weight layer, and the field holding each feature's weight (1 each without it).
    pub weight: Option<(usize, Option<String>)>,
    /// Counts the features of candidate and archived design alternatives as facilities too
    /// (else only the plan: see [`crate::model::alternative`]).
    pub alternatives: bool,
}

impl Analysis<'_> {
    /// The index of the layer named `name`, or an error listing the layers there are.
    pub fn layer_index(&self, name: &str) -> Result<usize> {
        let layers = &self.session.layers;
        layers.iter().position(|l| l.name == name).ok_or_else(|| {
            Error::request(Problem::NoSuchWorkspaceLayer {
                name: name.to_string(),
                layers: layers.iter().map(|l| l.name.clone()).collect(),
            })
        })
    }

    fn whole_layer(&self, i: usize) -> Result<Layer> {
        self.session.read_layer(i)?.ok_or_else(|| {
            Error::request(Problem::NoSuchWorkspaceLayer {
                name: format!("#{i}"),
                layers: self.session.layers.iter().map(|l| l.name.clone()).collect(),
            })
        })
    }

    /// The analysis input for `spec`; an error when a layer is missing or no facility exists.
    pub fn coverage_request(&self, spec: &CoverageSpec) -> Result<Request> {
        let session = self.session;
        let request = self.request_with(spec, &|f| spec.alternatives || session.in_plan(f))?;
        if request.facilities.is_empty() {
            return Err(Error::request(Problem::NoFacilities));
        }
        Ok(request)
    }

    /// The analysis input for `spec` with the plan features `keep` keeps as facilities (of the
    /// spec's element types), none needed.
    pub(super) fn request_with(
        &self,
        spec: &CoverageSpec,
        keep: &dyn Fn(&crate::model::PlanFeature) -> bool,
    ) -> Result<Request> {
        let areas = self
            .whole_layer(spec.areas)?
            .features
            .into_iter()
            .map(|f| Area {
                id: f.id.to_string(),
                name: f.name,
                geometry: f.geometry,
            })
            .collect();
        let mut facilities: Vec<geo::Geometry<f64>> = self
            .session
            .plan()
            .iter()
            .filter(|f| spec.elements.contains(&f.element) && keep(f))
            .map(|f| f.feature.geometry.clone())
            .collect();
        for &i in &spec.facility_layers {
            facilities.extend(
                self.whole_layer(i)?
                    .features
                    .into_iter()
                    .map(|f| f.geometry),
            );
        }
        let network = match spec.network {
            Some(i) => self
                .whole_layer(i)?
                .features
                .into_iter()
                .map(|f| f.geometry)
                .collect(),
            None => Vec::new(),
        };
        let weights = match &spec.weight {
            Some((i, field)) => self
                .whole_layer(*i)?
                .features
                .into_iter()
                .map(|f| Weight {
                    weight: field
                        .as_ref()
                        .and_then(|k| f.properties.get(k))
                        .and_then(number)
                        .unwrap_or(1.0),
                    geometry: f.geometry,
                })
                .collect(),
            None => Vec::new(),
        };
        Ok(Request {
            areas,
            facilities,
            distance_m: spec.distance_m,
            model: spec.model,
            network,
            weights,
        })
    }

    /// Computes coverage for `spec`.
    pub fn coverage(&self, spec: &CoverageSpec) -> Result<Coverage> {
        Ok(Coverage::compute(&self.coverage_request(spec)?))
    }
}

/// A weight as a number: JSON numbers, and text holding one (spreadsheets write those).
fn number(v: &serde_json::Value) -> Option<f64> {
    match v {
        serde_json::Value::Number(n) => n.as_f64(),
        serde_json::Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// The CSV columns: one row per area (weight columns only with weights).
pub const COVERAGE_CSV_COLUMNS: [&str; 5] =
    ["id", "name", "area_m2", "covered_m2", "covered_share"];
/// The weight columns added with a weight layer.
pub const WEIGHT_CSV_COLUMNS: [&str; 3] = ["weight", "weight_covered", "weight_share"];

/// Per-area results as CSV for the bureau (UTF-8 with BOM, CRLF), in the areas' order; shares
/// as fractions 0–1 with 4 decimals, areas in whole m².
pub fn coverage_csv(c: &Coverage) -> String {
    let (header, rows) = coverage_rows(c);
    super::report::csv_text(&header, &rows)
}

/// Per-area results as a CSV or an Excel workbook ([`coverage_csv`]'s columns and rows).
///
/// # Errors
/// What the workbook writer reports, as an I/O error (see [`crate::io::table`]).
pub fn coverage_table_bytes(
    c: &Coverage,
    format: crate::io::table::TableFormat,
    lang: crate::i18n::Lang,
) -> std::io::Result<Vec<u8>> {
    let (header, rows) = coverage_rows(c);
    let table = crate::io::table::Table {
        sheet: crate::i18n::exports::ExportText::SheetCoverage.get(lang),
        header: &header,
        rows,
        notes: Vec::new(),
    };
    table.bytes(format)
}

/// The coverage table's columns (weight columns only with weights) and rows.
fn coverage_rows(c: &Coverage) -> (Vec<&'static str>, Vec<Vec<crate::io::csv::Cell>>) {
    let weighted = c.results().iter().any(|r| r.weight.is_some());
    let mut header: Vec<&str> = COVERAGE_CSV_COLUMNS.to_vec();
    if weighted {
        header.extend(WEIGHT_CSV_COLUMNS);
    }
    use crate::io::csv::Cell;
    let rows: Vec<Vec<Cell>> = c
        .results()
        .iter()
        .map(|r| {
            let mut row = vec![
                Cell::text(&r.id),
                Cell::text(&r.name),
                Cell::Number(format!("{:.0}", r.area_m2)),
                Cell::Number(format!("{:.0}", r.covered_m2)),
                Cell::Number(format!("{:.4}", r.covered_share)),
            ];
            if weighted {
                row.push(Cell::number(r.weight.unwrap_or(0.0)));
                row.push(Cell::number(r.weight_covered.unwrap_or(0.0)));
                row.push(Cell::Number(
                    r.weight_share()
                        .map_or(String::new(), |s| format!("{s:.4}")),
                ));
            }
            row
        })
        .collect();
    (header, rows)
}

/// The band height the overlay and its export use: fine enough to read at a community's
/// scale, coarse enough that a district stays a few hundred thousand rectangles.
pub fn overlay_band_m(c: &Coverage) -> f64 {
    (c.distance_m() / 50.0).clamp(2.0, 25.0)
}

/// The uncovered part of each area as a GeoJSON FeatureCollection (RFC 7946), one
/// MultiPolygon of bands per area with its id, name and covered share.
pub fn uncovered_geojson(c: &Coverage) -> String {
    let features: Vec<serde_json::Value> = c
        .uncovered(overlay_band_m(c))
        .into_iter()
        .zip(c.results())
        .filter(|(m, _)| !m.0.is_empty())
        .map(|(m, r)| {
            let geometry = crate::io::geojson_out::export_geometry(&geo::Geometry::MultiPolygon(m));
            serde_json::json!({
                "type": "Feature",
                "properties": {
                    "id": r.id, "name": r.name,
                    "covered_share": (r.covered_share * 1e4).round() / 1e4,
                    "uncovered_m2": (r.area_m2 - r.covered_m2).round(),
                },
                "geometry": crate::io::geojson_out::geometry_json(&geometry),
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// Candidate sites as a GeoJSON FeatureCollection of points, best first, with their rank,
/// gain (weight, or m² without weights) and area.
pub fn candidates_geojson(c: &Coverage, picks: &[Candidate], by_weight: bool) -> String {
    let features: Vec<serde_json::Value> = picks
        .iter()
        .enumerate()
        .map(|(k, p)| {
            let area = p.area.and_then(|a| c.results().get(a));
            serde_json::json!({
                "type": "Feature",
                "properties": {
                    "rank": k + 1,
                    "gain": (p.gain * 100.0).round() / 100.0,
                    "gain_unit": if by_weight { "weight" } else { "m2" },
                    "area_id": area.map(|a| a.id.clone()),
                    "area_name": area.map(|a| a.name.clone()),
                },
                "geometry": { "type": "Point", "coordinates": [
                    (p.lon * 1e7).round() / 1e7, (p.lat * 1e7).round() / 1e7] },
            })
        })
        .collect();
    serde_json::json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// The rule checks of one plan feature (DESIGN.md's standards; guidance, not law).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RuleChecks {
    /// The distance to the nearest other plan feature of the same element type, metres
    /// (within 5 km).
    pub nearest_same_m: Option<f64>,
    /// For each walking target whose layer the workspace has: the target, the layer's name and
    /// the distance to its nearest feature (within 5 km), metres.
    pub targets: Vec<(
        crate::analysis::coverage::rules::Target,
        String,
        Option<f64>,
    )>,
}

/// How far the rule checks look, degrees of latitude (about 5 km).
const RULE_REACH_DEG: f64 = 0.045;

impl Analysis<'_> {
    /// The rule checks of plan feature `f`.
    pub fn rule_checks(&self, f: &crate::model::PlanFeature) -> RuleChecks {
        use crate::analysis::coverage::rules::{self, Target};
        use crate::analysis::index::BoxLonLat;
        let Some(b) = BoxLonLat::of(&f.feature.geometry) else {
            return RuleChecks::default();
        };
        let reach = BoxLonLat {
            min_lon: b.min_lon - RULE_REACH_DEG,
            min_lat: b.min_lat - RULE_REACH_DEG,
            max_lon: b.max_lon + RULE_REACH_DEG,
            max_lat: b.max_lat + RULE_REACH_DEG,
        };
        let session = self.session;
        let same: Vec<&geo::Geometry<f64>> = session
            .plan_in_box(reach)
            .into_iter()
            .filter_map(|slot| session.plan().get(slot))
            .filter(|o| o.element == f.element && o.feature.id != f.feature.id)
            .filter(|o| session.in_plan(o))
            .map(|o| &o.feature.geometry)
            .collect();
        let nearest_same_m = rules::nearest(&f.feature.geometry, same).map(|(_, d)| d);
        let mut targets = Vec::new();
        for target in Target::ALL {
            for (i, layer) in session.layers().iter().enumerate() {
                if !target.matches_layer(&layer.name) {
                    continue;
                }
                let found: Vec<geo::Geometry<f64>> = if layer.stored.is_some() {
                    session
                        .stored_features_in_box(i, reach, 10_000)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(_, feature)| feature.geometry)
                        .collect()
                } else {
                    session
                        .features_in_box(i, reach)
                        .into_iter()
                        .filter_map(|k| layer.features.get(k))
                        .map(|feature| feature.geometry.clone())
                        .collect()
                };
                let d = rules::nearest(&f.feature.geometry, &found).map(|(_, d)| d);
                targets.push((target, layer.name.clone(), d));
            }
        }
        RuleChecks {
            nearest_same_m,
            targets,
        }
    }
}
