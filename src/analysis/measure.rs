//! Measures on the WGS84 ellipsoid (Karney's geodesics through geo), never on a projection.

use geo::orient::{Direction, Orient};
use geo::{Geodesic, GeodesicArea, Length};

/// Area of the polygonal parts of a geometry; 0 for points and lines.
///
/// # Units
/// Square metres on the WGS84 ellipsoid.
///
/// ```
/// use geo::polygon;
/// // A 0.001° × 0.001° square near Shanghai is roughly 95 m × 111 m.
/// let square = geo::Geometry::Polygon(polygon![
///     (x: 121.5, y: 31.2), (x: 121.501, y: 31.2), (x: 121.501, y: 31.201), (x: 121.5, y: 31.201)
/// ]);
/// let area_m2 = linli::analysis::measure::area_m2(&square);
/// assert!((area_m2 - 10_600.0).abs() < 150.0, "{area_m2}");
/// ```
pub fn area_m2(geometry: &geo::Geometry<f64>) -> f64 {
    use geo::Geometry as G;
    match geometry {
        G::Polygon(p) => polygon_area_m2(p),
        G::MultiPolygon(mp) => mp.0.iter().map(polygon_area_m2).sum(),
        G::Rect(r) => polygon_area_m2(&r.to_polygon()),
        G::Triangle(t) => polygon_area_m2(&t.to_polygon()),
        G::GeometryCollection(gc) => gc.iter().map(area_m2).sum(),
        G::Point(_) | G::MultiPoint(_) | G::Line(_) | G::LineString(_) | G::MultiLineString(_) => {
            0.0
        }
    }
}

/// The geodesic area of one polygon. Rings are oriented first (exterior counter-clockwise,
/// holes clockwise): on the ellipsoid a clockwise exterior ring encloses the rest of the Earth,
/// and geo's geodesic area reads it that way.
fn polygon_area_m2(p: &geo::Polygon<f64>) -> f64 {
    p.orient(Direction::Default).geodesic_area_unsigned()
}

/// Length of the linear parts of a geometry; 0 for points and polygons (whose boundary
/// is a perimeter, not a length a planner asks for).
///
/// # Units
/// Metres along geodesics on the WGS84 ellipsoid.
///
/// ```
/// use geo::line_string;
/// let lane = geo::Geometry::LineString(line_string![(x: 121.5, y: 31.2), (x: 121.5, y: 31.201)]);
/// assert!((linli::analysis::measure::length_m(&lane) - 110.9).abs() < 0.5);
/// ```
pub fn length_m(geometry: &geo::Geometry<f64>) -> f64 {
    use geo::Geometry as G;
    match geometry {
        G::LineString(ls) => Geodesic.length(ls),
        G::MultiLineString(mls) => mls.0.iter().map(|ls| Geodesic.length(ls)).sum(),
        G::Line(l) => Geodesic.length(l),
        G::GeometryCollection(gc) => gc.iter().map(length_m).sum(),
        G::Point(_)
        | G::MultiPoint(_)
        | G::Polygon(_)
        | G::MultiPolygon(_)
        | G::Rect(_)
        | G::Triangle(_) => 0.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{LineString, Polygon};

    #[test]
    fn ring_direction_does_not_change_the_area() {
        let ring = vec![
            (121.5, 31.2),
            (121.501, 31.2),
            (121.501, 31.201),
            (121.5, 31.201),
            (121.5, 31.2),
        ];
        let ccw = geo::Geometry::Polygon(Polygon::new(LineString::from(ring.clone()), vec![]));
        let mut reversed = ring;
        reversed.reverse();
        let cw = geo::Geometry::Polygon(Polygon::new(LineString::from(reversed), vec![]));
        let (a, b) = (area_m2(&ccw), area_m2(&cw));
        assert!((a - b).abs() < 1e-6, "{a} vs {b}");
        assert!(a > 10_000.0 && a < 11_000.0, "{a}");
    }

    #[test]
    fn holes_are_subtracted_whatever_their_direction() {
        let outer = LineString::from(vec![
            (121.5, 31.2),
            (121.502, 31.2),
            (121.502, 31.202),
            (121.5, 31.202),
            (121.5, 31.2),
        ]);
        let hole = LineString::from(vec![
            (121.5005, 31.2005),
            (121.5015, 31.2005),
            (121.5015, 31.2015),
            (121.5005, 31.2015),
            (121.5005, 31.2005),
        ]);
        let with_hole = geo::Geometry::Polygon(Polygon::new(outer.clone(), vec![hole]));
        let solid = geo::Geometry::Polygon(Polygon::new(outer, vec![]));
        let ratio = area_m2(&with_hole) / area_m2(&solid);
        assert!((ratio - 0.75).abs() < 0.001, "{ratio}");
    }
}
