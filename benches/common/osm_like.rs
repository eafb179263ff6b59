//! An OSM-like building extract, as `ogr2ogr -f GeoJSON out.geojson extract.osm.pbf
//! multipolygons` writes one: one Feature per line, the layer name and a CRS84 `crs` member,
//! the osmconf columns (`osm_id`, `osm_way_id`, `name`, `type`, `amenity`, `building`,
//! `other_tags` in hstore text) mostly `null`, MultiPolygons of 4–48 positions per ring with
//! 7 decimals, a few with holes or two parts, and — as in the real 54,722-feature extract of
//! issue 9 — about one feature in 1,200 with a ring of fewer than 4 positions (which the
//! import drops and reports). Deterministic (a fixed linear congruential generator), so every
//! run writes the same file.

use std::io::Write;
use std::path::Path;

/// A fixed linear congruential generator (also `osm_xml.rs`'s).
pub struct Lcg(pub u64);

impl Lcg {
    pub fn next(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n - 1)
    }
}

const NAMES: [&str; 8] = [
    "长宁路",
    "华山医院",
    "静安寺",
    "中山公园",
    "愚园路小学",
    "江苏路街道社区服务中心",
    "曹家渡花鸟市场",
    "武夷路菜场",
];
const BUILDINGS: [&str; 6] = [
    "yes",
    "residential",
    "apartments",
    "commercial",
    "school",
    "retail",
];

/// One ring around `(cx, cy)` of about radius `r` degrees, `k` distinct positions, closed.
fn ring(rng: &mut Lcg, cx: f64, cy: f64, r: f64, k: usize, out: &mut String) {
    out.push('[');
    let mut first = String::new();
    for j in 0..k {
        let a = std::f64::consts::TAU * j as f64 / k as f64;
        let rr = r * (0.7 + 0.3 * rng.next());
        let p = format!("[{:.7},{:.7}]", cx + rr * a.cos(), cy + rr * a.sin());
        if j == 0 {
            first = p.clone();
        }
        out.push_str(&p);
        out.push(',');
    }
    out.push_str(&first);
    out.push(']');
}

/// Writes `n` OSM-like building features over west Shanghai to `path`.
pub fn write(n: usize, path: &Path) -> std::io::Result<()> {
    let mut rng = Lcg(0x5eed_0f05);
    let file = std::fs::File::create(path)?;
    let mut w = std::io::BufWriter::new(file);
    writeln!(w, "{{")?;
    writeln!(w, "\"type\": \"FeatureCollection\",")?;
    writeln!(w, "\"name\": \"multipolygons\",")?;
    writeln!(
        w,
        "\"crs\": {{ \"type\": \"name\", \"properties\": {{ \"name\": \"urn:ogc:def:crs:OGC:1.3:CRS84\" }} }},"
    )?;
    writeln!(w, "\"features\": [")?;
    let (lon0, lon1, lat0, lat1) = (121.30, 121.48, 31.15, 31.28);
    let mut line = String::new();
    for i in 0..n {
        line.clear();
        let cx = lon0 + (lon1 - lon0) * rng.next();
        let cy = lat0 + (lat1 - lat0) * rng.next();
        let r = 0.00008 + 0.0006 * rng.next().powi(3);
        let q = |s: &str| format!("\"{s}\"");
        let named = rng.next() < 0.3;
        let way = rng.next() < 0.9;
        let id = 100_000_000 + i as u64 * 7;
        let props = format!(
            "\"osm_id\": {}, \"osm_way_id\": {}, \"name\": {}, \"type\": {}, \"amenity\": {}, \"building\": {}, \"other_tags\": {}",
            if way {
                "null".into()
            } else {
                q(&id.to_string())
            },
            if way {
                q(&id.to_string())
            } else {
                "null".into()
            },
            if named {
                q(NAMES[rng.below(NAMES.len())])
            } else {
                "null".into()
            },
            if way { "null" } else { "\"multipolygon\"" },
            if rng.next() < 0.05 {
                "\"school\""
            } else {
                "null"
            },
            q(BUILDINGS[rng.below(BUILDINGS.len())]),
            if rng.next() < 0.4 {
                format!(
                    "\"\\\"building:levels\\\"=>\\\"{}\\\",\\\"addr:street\\\"=>\\\"{}\\\"\"",
                    1 + rng.below(30),
                    NAMES[rng.below(NAMES.len())]
                )
            } else {
                "null".into()
            },
        );
        line.push_str("{ \"type\": \"Feature\", \"properties\": { ");
        line.push_str(&props);
        line.push_str(" }, \"geometry\": { \"type\": \"MultiPolygon\", \"coordinates\": [ ");
        let parts = if rng.next() < 0.03 { 2 } else { 1 };
        for p in 0..parts {
            if p > 0 {
                line.push_str(", ");
            }
            line.push('[');
            let k = 4 + rng.below(45);
            ring(&mut rng, cx + p as f64 * 3.0 * r, cy, r, k, &mut line);
            if rng.next() < 0.04 {
                line.push(',');
                let k = 4 + rng.below(6);
                ring(&mut rng, cx + p as f64 * 3.0 * r, cy, r * 0.3, k, &mut line);
            }
            line.push(']');
        }
        if i % 1200 == 600 {
            // A broken member polygon of 3 positions, as OSM extracts have.
            line.push_str(&format!(
                ", [[[{:.7},{:.7}],[{:.7},{:.7}],[{:.7},{:.7}]]]",
                cx,
                cy,
                cx + r,
                cy,
                cx,
                cy
            ));
        }
        line.push_str(" ] } }");
        if i + 1 < n {
            line.push(',');
        }
        writeln!(w, "{line}")?;
    }
    writeln!(w, "]")?;
    writeln!(w, "}}")?;
    w.flush()
}
