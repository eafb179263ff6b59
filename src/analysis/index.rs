//! Spatial index over a layer's features: an R-tree of bounding boxes (rstar) answers the
//! coarse question fast, then geo's exact predicates decide.

use geo::{BoundingRect, Contains, Distance, Euclidean, InteriorPoint, Intersects};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// One entry: a feature's box and its position in the layer's feature list.
type Entry = GeomWithData<Rectangle<[f64; 2]>, usize>;

/// An R-tree over the bounding boxes of a list of geometries, by index into that list.
///
/// The index does not own the geometries: callers pass the same slice they built it from.
#[derive(Debug, Default, Clone)]
pub struct SpatialIndex {
    tree: RTree<Entry>,
}

/// An axis-aligned box in lon/lat degrees.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BoxLonLat {
    /// West edge, degrees.
    pub min_lon: f64,
    /// South edge, degrees.
    pub min_lat: f64,
    /// East edge, degrees.
    pub max_lon: f64,
    /// North edge, degrees.
    pub max_lat: f64,
}

impl BoxLonLat {
    /// The box of a geometry; `None` for an empty one.
    pub fn of(geometry: &geo::Geometry<f64>) -> Option<Self> {
        let r = geometry.bounding_rect()?;
        Some(Self {
            min_lon: r.min().x,
            min_lat: r.min().y,
            max_lon: r.max().x,
            max_lat: r.max().y,
        })
    }

    /// The smallest box holding both.
    pub fn union(self, other: Self) -> Self {
        Self {
            min_lon: self.min_lon.min(other.min_lon),
            min_lat: self.min_lat.min(other.min_lat),
            max_lon: self.max_lon.max(other.max_lon),
            max_lat: self.max_lat.max(other.max_lat),
        }
    }

    fn aabb(self) -> AABB<[f64; 2]> {
        AABB::from_corners([self.min_lon, self.min_lat], [self.max_lon, self.max_lat])
    }

    fn rect(self) -> geo::Rect<f64> {
        geo::Rect::new(
            geo::coord! { x: self.min_lon, y: self.min_lat },
            geo::coord! { x: self.max_lon, y: self.max_lat },
        )
    }
}

impl SpatialIndex {
    /// Builds the index with bulk loading (much faster than inserting one by one).
    pub fn build<'a>(geometries: impl IntoIterator<Item = &'a geo::Geometry<f64>>) -> Self {
        let entries: Vec<Entry> = geometries
            .into_iter()
            .enumerate()
            .filter_map(|(i, g)| {
                let b = BoxLonLat::of(g)?;
                Some(GeomWithData::new(Rectangle::from_aabb(b.aabb()), i))
            })
            .collect();
        Self {
            tree: RTree::bulk_load(entries),
        }
    }

    /// Adds geometry `i` (O(log n)); an empty geometry is not indexed.
    pub fn insert(&mut self, i: usize, geometry: &geo::Geometry<f64>) {
        if let Some(b) = BoxLonLat::of(geometry) {
            self.tree
                .insert(GeomWithData::new(Rectangle::from_aabb(b.aabb()), i));
        }
    }

    /// Removes geometry `i`, which must be the geometry it was inserted with (its box finds
    /// the entry, O(log n)); false when it was not indexed.
    pub fn remove(&mut self, i: usize, geometry: &geo::Geometry<f64>) -> bool {
        let Some(b) = BoxLonLat::of(geometry) else {
            return false;
        };
        self.tree
            .remove(&GeomWithData::new(Rectangle::from_aabb(b.aabb()), i))
            .is_some()
    }

    /// Number of indexed (non-empty) geometries.
    pub fn len(&self) -> usize {
        self.tree.size()
    }

    /// True when nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.tree.size() == 0
    }

    /// Indices of geometries whose box meets `area` (coarse only), in no particular order.
    pub fn candidates_in(&self, area: BoxLonLat) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(area.aabb())
            .map(|e| e.data)
    }

    /// Indices of geometries that really intersect `area`, sorted. `geometry_of(i)` gives the
    /// geometry the index was built from at position `i` (the callers' own lists, borrowed, so
    /// no query has to collect them first).
    pub fn in_box<'g>(
        &self,
        geometry_of: impl Fn(usize) -> Option<&'g geo::Geometry<f64>>,
        area: BoxLonLat,
    ) -> Vec<usize> {
        let rect = area.rect();
        let mut found: Vec<usize> = self
            .candidates_in(area)
            .filter(|&i| geometry_of(i).is_some_and(|g| g.intersects(&rect)))
            .collect();
        found.sort_unstable();
        found
    }

    /// The first (lowest index) geometry containing the point, or touching it for lines and
    /// points. Polygons that only touch it on their boundary do not count.
    pub fn containing<'g>(
        &self,
        geometry_of: impl Fn(usize) -> Option<&'g geo::Geometry<f64>>,
        lon: f64,
        lat: f64,
    ) -> Option<usize> {
        let point = geo::Point::new(lon, lat);
        self.tree
            .locate_all_at_point([lon, lat])
            .map(|e| e.data)
            .filter(|&i| geometry_of(i).is_some_and(|g| g.contains(&point)))
            .min()
    }

    /// The geometry nearest to the point and its distance, measured in a plane where a degree
    /// of longitude is shortened by cos(latitude) — good for ranking, not for reporting metres.
    pub fn nearest<'g>(
        &self,
        geometry_of: impl Fn(usize) -> Option<&'g geo::Geometry<f64>>,
        lon: f64,
        lat: f64,
    ) -> Option<(usize, f64)> {
        let scale = lat.to_radians().cos().max(1e-6);
        let point = geo::Point::new(lon * scale, lat);
        let mut best: Option<(usize, f64)> = None;
        // Boxes come out nearest first; once a box is farther (in degrees of latitude, a lower
        // bound of the scaled distance) than the best exact distance, nothing nearer remains.
        for (entry, box_d2) in self.tree.nearest_neighbor_iter_with_distance_2([lon, lat]) {
            let box_lower_bound = box_d2.sqrt() * scale;
            if let Some((_, best_d)) = best
                && box_lower_bound > best_d
            {
                break;
            }
            let Some(geometry) = geometry_of(entry.data) else {
                continue;
            };
            let scaled = scale_lon(geometry, scale);
            let d = Euclidean.distance(&point, &scaled);
            if best.is_none_or(|(bi, bd)| d < bd || (d == bd && entry.data < bi)) {
                best = Some((entry.data, d));
            }
        }
        best
    }
}

fn scale_lon(geometry: &geo::Geometry<f64>, scale: f64) -> geo::Geometry<f64> {
    use geo::MapCoords;
    geometry.map_coords(|c| geo::coord! { x: c.x * scale, y: c.y })
}

/// A point that lies on the geometry (inside a polygon, on a line): where a feature "is"
/// when asking which street or community holds it.
pub fn representative_point(geometry: &geo::Geometry<f64>) -> Option<geo::Point<f64>> {
    geometry.interior_point()
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Geometry, polygon};

    fn squares() -> Vec<Geometry<f64>> {
        (0..10)
            .map(|i| {
                let x = i as f64;
                Geometry::Polygon(polygon![(x: x, y: 0.0), (x: x + 1.0, y: 0.0), (x: x + 1.0, y: 1.0), (x: x, y: 1.0)])
            })
            .collect()
    }

    #[test]
    fn finds_containing_nearest_and_boxed() {
        let geoms = squares();
        let refs: Vec<&Geometry<f64>> = geoms.iter().collect();
        let index = SpatialIndex::build(geoms.iter());
        assert_eq!(index.len(), 10);
        assert_eq!(
            index.containing(|i| refs.get(i).copied(), 3.5, 0.5),
            Some(3)
        );
        assert_eq!(index.containing(|i| refs.get(i).copied(), 3.5, 1.5), None);
        assert_eq!(
            index
                .nearest(|i| refs.get(i).copied(), 7.5, 3.0)
                .map(|n| n.0),
            Some(7)
        );
        let b = BoxLonLat {
            min_lon: 2.5,
            min_lat: 0.2,
            max_lon: 4.5,
            max_lat: 0.3,
        };
        assert_eq!(index.in_box(|i| refs.get(i).copied(), b), vec![2, 3, 4]);
    }

    #[test]
    fn concave_polygon_is_tested_exactly_not_by_box() {
        // A U shape: the box holds (1.5, 1.5) but the polygon does not.
        let u = Geometry::Polygon(polygon![
            (x: 0.0, y: 0.0), (x: 3.0, y: 0.0), (x: 3.0, y: 2.0), (x: 2.0, y: 2.0),
            (x: 2.0, y: 1.0), (x: 1.0, y: 1.0), (x: 1.0, y: 2.0), (x: 0.0, y: 2.0)
        ]);
        let refs = [&u];
        let index = SpatialIndex::build([&u]);
        assert_eq!(index.containing(|i| refs.get(i).copied(), 1.5, 1.5), None);
        assert_eq!(
            index.containing(|i| refs.get(i).copied(), 0.5, 1.5),
            Some(0)
        );
    }
}
