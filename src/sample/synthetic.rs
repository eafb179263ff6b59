//! Deterministic synthetic GeoJSON for benchmarks and tests: a mix of points, lines and
//! polygons over Pudong with OSM-like properties (Chinese names, nested tags), so timings and
//! crash tests run on a fresh machine without downloaded data.

use std::fmt::Write;

/// A small deterministic generator (64-bit LCG); the same seed gives the same file everywhere.
struct Lcg(u64);

impl Lcg {
    fn next_f64(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// A FeatureCollection of `n` features: a third each of points, 12-vertex lines and
/// 32-vertex concave polygons, spread over Pudong (about 600 bytes per feature).
pub fn mixed_feature_collection(n: usize) -> String {
    let mut rng = Lcg(977);
    let mut out = String::with_capacity(n * 640 + 64);
    out.push_str("{\"type\":\"FeatureCollection\",\"name\":\"synthetic\",\"features\":[\n");
    let kinds = ["道路", "交叉口", "地块"];
    for i in 0..n {
        if i > 0 {
            out.push_str(",\n");
        }
        let cx = 121.45 + rng.next_f64() * 0.5;
        let cy = 30.85 + rng.next_f64() * 0.55;
        let kind = i % 3;
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"osm_id\":{i},\"name\":\"要素{i}号\",\"类别\":\"{}\",\"tags\":{{\"highway\":\"residential\",\"lanes\":{}}}}},\"geometry\":",
            kinds[kind],
            1 + i % 4
        );
        match kind {
            0 => {
                let _ = write!(
                    out,
                    "{{\"type\":\"Point\",\"coordinates\":[{cx:.7},{cy:.7}]}}"
                );
            }
            1 => {
                out.push_str("{\"type\":\"LineString\",\"coordinates\":[");
                let (mut x, mut y) = (cx, cy);
                for k in 0..12 {
                    if k > 0 {
                        out.push(',');
                    }
                    let _ = write!(out, "[{x:.7},{y:.7}]");
                    x += (rng.next_f64() - 0.3) * 0.0008;
                    y += (rng.next_f64() - 0.5) * 0.0008;
                }
                out.push_str("]}");
            }
            _ => {
                out.push_str("{\"type\":\"Polygon\",\"coordinates\":[[");
                let r = 0.0004 + rng.next_f64() * 0.0006;
                let mut first = String::new();
                for k in 0..31 {
                    let a = std::f64::consts::TAU * k as f64 / 31.0;
                    let rr = if k % 2 == 0 {
                        r
                    } else {
                        r * (0.45 + 0.2 * rng.next_f64())
                    };
                    let mut p = String::new();
                    let _ = write!(p, "[{:.7},{:.7}]", cx + rr * a.cos(), cy + rr * a.sin());
                    if k == 0 {
                        first = p.clone();
                    } else {
                        out.push(',');
                    }
                    out.push_str(&p);
                }
                let _ = write!(out, ",{first}]]}}");
            }
        }
        out.push('}');
    }
    out.push_str("\n]}\n");
    out
}

/// A FeatureCollection of `n` small square pocket gardens (about 22 m a side) on a grid over
/// central Pudong, named `花园0`, `花园1`…: the 100,000 plan polygons the edit benchmark and
/// the outside-change measurement open.
pub fn plan_polygon_grid(n: usize) -> String {
    let mut out = String::from("{\"type\":\"FeatureCollection\",\"features\":[\n");
    let side = (n as f64).sqrt().ceil() as usize;
    for i in 0..n {
        let (gx, gy) = ((i % side) as f64, (i / side) as f64);
        let lon = 121.50 + gx * 0.08 / side as f64;
        let lat = 31.17 + gy * 0.08 / side as f64;
        let d = 0.0002;
        if i > 0 {
            out.push_str(",\n");
        }
        let _ = write!(
            out,
            "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"花园{i}\",\"element_type\":\"pocket_garden\"}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[[[{lon},{lat}],[{},{lat}],[{},{}],[{lon},{}],[{lon},{lat}]]]}}}}",
            lon + d,
            lon + d,
            lat + d,
            lat + d
        );
    }
    out.push_str("\n]}\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn synthetic_file_parses_and_is_deterministic() {
        let a = super::mixed_feature_collection(30);
        assert_eq!(a, super::mixed_feature_collection(30));
        let parsed = crate::io::geojson_in::parse_bytes(
            a.as_bytes(),
            std::path::Path::new("s"),
            Default::default(),
            &mut |_| {},
        )
        .unwrap();
        assert_eq!(parsed.features.len(), 30);
    }
}
