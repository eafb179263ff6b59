//! The single/multi geometry rules of the feature tables; the GeoPackage geometry blob itself
//! is a format, [`crate::io::gpb`], re-exported here for the table writers and readers.

use crate::model::catalog::GeometryKind;

pub use crate::io::gpb::{decode_geometry, encode_geometry};

pub(super) use crate::model::collapse_single;

/// Promotes a single geometry to the multi type of its kind (for MULTI* columns).
pub fn promote_to_multi(geometry: &geo::Geometry<f64>) -> Option<geo::Geometry<f64>> {
    use geo::Geometry as G;
    Some(match geometry {
        G::Point(p) => G::MultiPoint(geo::MultiPoint(vec![*p])),
        G::LineString(l) => G::MultiLineString(geo::MultiLineString(vec![l.clone()])),
        G::Line(l) => G::MultiLineString(geo::MultiLineString(vec![geo::LineString(vec![
            l.start, l.end,
        ])])),
        G::Polygon(p) => G::MultiPolygon(geo::MultiPolygon(vec![p.clone()])),
        G::Rect(r) => G::MultiPolygon(geo::MultiPolygon(vec![r.to_polygon()])),
        G::Triangle(t) => G::MultiPolygon(geo::MultiPolygon(vec![t.to_polygon()])),
        G::MultiPoint(_) | G::MultiLineString(_) | G::MultiPolygon(_) => geometry.clone(),
        G::GeometryCollection(gc) => {
            let kind = GeometryKind::of(geometry)?;
            let members: Vec<G<f64>> = gc.iter().map(promote_to_multi).collect::<Option<_>>()?;
            match kind {
                GeometryKind::Point => G::MultiPoint(geo::MultiPoint(
                    members
                        .into_iter()
                        .flat_map(|m| match m {
                            G::MultiPoint(mp) => mp.0,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
                GeometryKind::Line => G::MultiLineString(geo::MultiLineString(
                    members
                        .into_iter()
                        .flat_map(|m| match m {
                            G::MultiLineString(ml) => ml.0,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
                GeometryKind::Polygon => G::MultiPolygon(geo::MultiPolygon(
                    members
                        .into_iter()
                        .flat_map(|m| match m {
                            G::MultiPolygon(mp) => mp.0,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
            }
        }
    })
}

/// The GeoPackage geometry type of a layer holding these geometries, and whether single
/// geometries must be promoted to multi (Polygon + MultiPolygon → MULTIPOLYGON, as GDAL's
/// GeoJSON reader does).
pub fn layer_geometry_type<'a>(
    geometries: impl IntoIterator<Item = &'a geo::Geometry<f64>>,
) -> (&'static str, bool) {
    let mut seen = [false; 7];
    for g in geometries {
        seen[geometry_slot(g)] = true;
    }
    type_of_slots(seen)
}

/// Which of the seven GeoPackage geometry families `g` is (the slots of [`type_of_slots`]).
pub(super) fn geometry_slot(g: &geo::Geometry<f64>) -> usize {
    use geo::Geometry as G;
    match g {
        G::Point(_) => 0,
        G::MultiPoint(_) => 1,
        G::Line(_) | G::LineString(_) => 2,
        G::MultiLineString(_) => 3,
        G::Polygon(_) | G::Rect(_) | G::Triangle(_) => 4,
        G::MultiPolygon(_) => 5,
        G::GeometryCollection(_) => 6,
    }
}

/// [`layer_geometry_type`] of the families seen (by [`geometry_slot`]).
pub(super) fn type_of_slots(seen: [bool; 7]) -> (&'static str, bool) {
    let only = |slots: &[usize]| {
        seen.iter()
            .enumerate()
            .all(|(i, s)| !s || slots.contains(&i))
    };
    match seen {
        _ if only(&[0]) => ("POINT", false),
        _ if only(&[2]) => ("LINESTRING", false),
        _ if only(&[4]) => ("POLYGON", false),
        _ if only(&[6]) => ("GEOMETRYCOLLECTION", false),
        _ if only(&[0, 1]) => ("MULTIPOINT", true),
        _ if only(&[2, 3]) => ("MULTILINESTRING", true),
        _ if only(&[4, 5]) => ("MULTIPOLYGON", true),
        _ => ("GEOMETRY", false),
    }
}
