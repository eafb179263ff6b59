//! Generated cases for coverage: a jittered grid of quadrilateral communities with random
//! facility points (what QGIS Processing is compared against), and a jittered street grid for
//! the network model. Deterministic for a seed, so a benchmark and a test see the same data.

use serde_json::json;

/// A small deterministic generator (SplitMix64): the same numbers on every machine.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// Seeded.
    pub fn new(seed: u64) -> Self {
        Self(seed)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        (z >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `[lo, hi)`.
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// `n × n` quadrilateral communities over `[w, e] × [s, n]` degrees, their shared corners
/// jittered by up to a quarter cell (the outer edge stays straight), as a GeoJSON
/// FeatureCollection with names `社区 i-j`.
pub fn communities_geojson(n: usize, [w, s, e, north]: [f64; 4], rng: &mut Rng) -> String {
    let (dx, dy) = ((e - w) / n as f64, (north - s) / n as f64);
    let mut corner = vec![vec![[0.0; 2]; n + 1]; n + 1];
    for (i, col) in corner.iter_mut().enumerate() {
        for (j, c) in col.iter_mut().enumerate() {
            let inner = |k: usize| k > 0 && k < n;
            let jx = if inner(i) {
                rng.range(-0.25, 0.25) * dx
            } else {
                0.0
            };
            let jy = if inner(j) {
                rng.range(-0.25, 0.25) * dy
            } else {
                0.0
            };
            *c = [w + i as f64 * dx + jx, s + j as f64 * dy + jy];
        }
    }
    let mut features = Vec::with_capacity(n * n);
    for i in 0..n {
        for j in 0..n {
            let ring = [
                corner[i][j],
                corner[i + 1][j],
                corner[i + 1][j + 1],
                corner[i][j + 1],
                corner[i][j],
            ];
            features.push(json!({
                "type": "Feature",
                "properties": { "name": format!("社区 {i}-{j}") },
                "geometry": { "type": "Polygon", "coordinates": [ring] },
            }));
        }
    }
    json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// `count` points uniform over `[w, e] × [s, n]` degrees, as a GeoJSON FeatureCollection.
pub fn points_geojson(count: usize, [w, s, e, n]: [f64; 4], rng: &mut Rng) -> String {
    let features: Vec<serde_json::Value> = (0..count)
        .map(|k| {
            json!({
                "type": "Feature",
                "properties": { "name": format!("设施 {k}") },
                "geometry": { "type": "Point", "coordinates": [rng.range(w, e), rng.range(s, n)] },
            })
        })
        .collect();
    json!({ "type": "FeatureCollection", "features": features }).to_string()
}

/// A street grid of about `segments` one-block segments over a square `side_m` metres wide,
/// its crossings jittered, in local metres: lines of vertices (each street one polyline, so
/// blocks meet at shared vertices).
pub fn street_grid_m(segments: usize, side_m: f64, rng: &mut Rng) -> Vec<Vec<[f64; 2]>> {
    // k × k crossings give 2·k·(k − 1) segments.
    let k = ((segments as f64 / 2.0).sqrt() + 0.5).ceil() as usize;
    let step = side_m / (k - 1).max(1) as f64;
    let node: Vec<Vec<[f64; 2]>> = (0..k)
        .map(|i| {
            (0..k)
                .map(|j| {
                    [
                        i as f64 * step + rng.range(-0.2, 0.2) * step,
                        j as f64 * step + rng.range(-0.2, 0.2) * step,
                    ]
                })
                .collect()
        })
        .collect();
    let mut lines = Vec::with_capacity(2 * k);
    for (i, column) in node.iter().enumerate() {
        lines.push(column.clone());
        lines.push(node.iter().map(|c| c[i]).collect());
    }
    lines
}

/// The communities' layer name in [`district_workspace`].
pub const CASE_AREAS: &str = "居村委";
/// The facilities' layer name in [`district_workspace`].
pub const CASE_POINTS: &str = "设施点";

/// The agreement case of issue 11: a jittered 36 × 36 grid of communities over
/// 121.45–121.95 E, 30.85–31.40 N and 1,000 random facility points.
pub const DISTRICT_BOX: [f64; 4] = [121.45, 30.85, 121.95, 31.40];

/// Creates a workspace at `path` holding `n × n` generated communities over `bbox` (the
/// community layer [`CASE_AREAS`]) and `points` random facility points (the reference layer
/// [`CASE_POINTS`]).
pub fn district_workspace(
    path: &std::path::Path,
    n: usize,
    points: usize,
    bbox: [f64; 4],
    seed: u64,
) -> crate::error::Result<crate::session::Session> {
    use crate::io::geojson_in;
    use crate::model::LayerRole;
    use crate::session::{ImportRequest, Session};
    let mut rng = Rng::new(seed);
    let mut session = Session::create(path, &crate::model::catalog::Catalog::bundled())?;
    let layers = [
        (
            CASE_AREAS,
            LayerRole::Communities,
            communities_geojson(n, bbox, &mut rng),
        ),
        (
            CASE_POINTS,
            LayerRole::Reference,
            points_geojson(points, bbox, &mut rng),
        ),
    ];
    for (name, role, text) in layers {
        let file = std::path::Path::new(name);
        let parsed = geojson_in::parse_bytes(text.as_bytes(), file, None, &mut |_| {})?;
        let request = ImportRequest {
            layer: Some(name.to_string()),
            role,
            ..Default::default()
        };
        session.import_parsed(parsed, file, &request, &mut |_| {})?;
    }
    Ok(session)
}

/// The straight-line analysis of a [`district_workspace`]: its communities against its
/// points at `distance_m`.
pub fn district_spec(
    session: &crate::session::Session,
    distance_m: f64,
) -> crate::error::Result<crate::session::CoverageSpec> {
    Ok(crate::session::CoverageSpec {
        areas: session.analysis().layer_index(CASE_AREAS)?,
        elements: Vec::new(),
        facility_layers: vec![session.analysis().layer_index(CASE_POINTS)?],
        distance_m,
        model: crate::analysis::coverage::Model::Straight,
        network: None,
        weight: None,
        alternatives: false,
    })
}
