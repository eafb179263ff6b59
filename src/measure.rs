//! Measures on the WGS84 ellipsoid (Karney's geodesics through geo), never on a projection.

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
/// let area_m2 = linli::measure::area_m2(&square);
/// assert!((area_m2 - 10_600.0).abs() < 150.0, "{area_m2}");
/// ```
pub fn area_m2(geometry: &geo::Geometry<f64>) -> f64 {
    use geo::Geometry as G;
    match geometry {
        G::Polygon(p) => p.geodesic_area_unsigned(),
        G::MultiPolygon(mp) => mp.0.iter().map(|p| p.geodesic_area_unsigned()).sum(),
        G::Rect(r) => r.to_polygon().geodesic_area_unsigned(),
        G::Triangle(t) => t.to_polygon().geodesic_area_unsigned(),
        G::GeometryCollection(gc) => gc.iter().map(area_m2).sum(),
        G::Point(_) | G::MultiPoint(_) | G::Line(_) | G::LineString(_) | G::MultiLineString(_) => {
            0.0
        }
    }
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
/// assert!((linli::measure::length_m(&lane) - 110.9).abs() < 0.5);
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
