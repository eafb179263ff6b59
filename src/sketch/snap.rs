//! Snapping with a tolerance in screen pixels (not metres: what a planner can hit with a mouse
//! does not change with the zoom). Vertices win over edges; within each, the nearest wins.

use geo::{Coord, Geometry};

use crate::sketch::vertex::{edges, vertices};

/// What the cursor snapped to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SnapKind {
    /// A vertex of a boundary or feature.
    Vertex,
    /// A point on an edge.
    Edge,
}

/// A snapped position.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Snap {
    /// The snapped position, WGS84 lon/lat.
    pub lon_lat: Coord<f64>,
    /// Vertex or edge.
    pub kind: SnapKind,
    /// Distance from the cursor.
    ///
    /// # Units
    /// Screen pixels (points).
    pub distance_px: f64,
}

/// Snaps `cursor_px` to the nearest vertex, else the nearest edge, of `candidates` within
/// `tolerance_px`. `to_screen` maps lon/lat to screen pixels. A point on an edge is found in
/// screen space and mapped back by the same fraction along the edge in lon/lat, which is exact
/// for the map's projection at the scale of one edge.
pub fn snap<'a>(
    cursor_px: [f64; 2],
    candidates: impl IntoIterator<Item = &'a Geometry<f64>>,
    to_screen: impl Fn(Coord<f64>) -> [f64; 2],
    tolerance_px: f64,
) -> Option<Snap> {
    let dist = |a: [f64; 2], b: [f64; 2]| ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2)).sqrt();
    let mut best_vertex: Option<Snap> = None;
    let mut best_edge: Option<Snap> = None;
    for g in candidates {
        for (_, c) in vertices(g) {
            let d = dist(cursor_px, to_screen(c));
            if d <= tolerance_px && best_vertex.is_none_or(|b| d < b.distance_px) {
                best_vertex = Some(Snap {
                    lon_lat: c,
                    kind: SnapKind::Vertex,
                    distance_px: d,
                });
            }
        }
        if best_vertex.is_some() {
            continue;
        }
        for (_, a, b) in edges(g) {
            let (pa, pb) = (to_screen(a), to_screen(b));
            let (dx, dy) = (pb[0] - pa[0], pb[1] - pa[1]);
            let len2 = dx * dx + dy * dy;
            if len2 <= f64::EPSILON {
                continue;
            }
            let t = (((cursor_px[0] - pa[0]) * dx + (cursor_px[1] - pa[1]) * dy) / len2)
                .clamp(0.0, 1.0);
            let on = [pa[0] + t * dx, pa[1] + t * dy];
            let d = dist(cursor_px, on);
            if d <= tolerance_px && best_edge.is_none_or(|e| d < e.distance_px) {
                let lon_lat = geo::coord! { x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y) };
                best_edge = Some(Snap {
                    lon_lat,
                    kind: SnapKind::Edge,
                    distance_px: d,
                });
            }
        }
    }
    best_vertex.or(best_edge)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    #[test]
    fn vertex_beats_edge_and_tolerance_is_in_pixels() {
        let g = Geometry::Polygon(
            polygon![(x: 0.0, y: 0.0), (x: 10.0, y: 0.0), (x: 10.0, y: 10.0), (x: 0.0, y: 10.0)],
        );
        // 1 unit = 10 px.
        let to_screen = |c: Coord<f64>| [c.x * 10.0, c.y * 10.0];
        let s = snap([3.0, 2.0], [&g], to_screen, 8.0).unwrap();
        assert_eq!(s.kind, SnapKind::Vertex);
        assert_eq!(s.lon_lat, geo::coord! { x: 0.0, y: 0.0 });
        let s = snap([50.0, 3.0], [&g], to_screen, 8.0).unwrap();
        assert_eq!(s.kind, SnapKind::Edge);
        assert!((s.lon_lat.x - 5.0).abs() < 1e-9 && s.lon_lat.y.abs() < 1e-9);
        assert!(snap([50.0, 30.0], [&g], to_screen, 8.0).is_none());
    }
}
