//! What a proposal adds to the current coverage, computed only over its own neighbourhood so it
//! can run on every frame while the proposal is drawn or moved.

use geo::InteriorPoint;

use super::shape::{self, Shape};
use super::{Coverage, Facility, Model, sweep};

/// The coverage a proposal adds.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Added {
    /// Newly covered area over all areas, m².
    pub added_m2: f64,
    /// The proposal's own area (the one holding it, else the one it adds most to).
    pub area: Option<usize>,
    /// Newly covered area of that area, m².
    pub area_added_m2: f64,
    /// That as a share of the area, 0–1.
    pub area_share: f64,
    /// Newly covered weight, when weights were given.
    pub weight_added: Option<f64>,
}

impl Coverage {
    /// The shapes a facility at `geometry` (lon/lat) would cover.
    pub fn proposal_shapes(&self, geometry: &geo::Geometry<f64>) -> Vec<Shape> {
        let f = Facility::project(&self.tm, geometry);
        match (&self.graph, self.model) {
            (Some(graph), Model::Network(o)) => {
                let (sources, mut out) = graph.entrances(&f, o, self.distance_m);
                out.extend(f.buffer(o.access_m));
                out.extend(graph.reach_shapes(&sources, self.distance_m, o.access_m));
                out
            }
            _ => f.buffer(self.distance_m),
        }
    }

    /// What a facility at `geometry` (lon/lat) would add.
    pub fn added(&self, geometry: &geo::Geometry<f64>) -> Added {
        let extra = self.proposal_shapes(geometry);
        let Some((lo, hi)) = sweep::bbox_of(&extra) else {
            return Added::default();
        };
        let mut by_area: Vec<(usize, f64)> = Vec::new();
        let mut hits: Vec<usize> = shape::in_box(&self.area_tree, lo, hi).collect();
        hits.sort_unstable();
        for i in hits {
            let a = &self.areas[i];
            let m = sweep::measure(
                &a.rings,
                Some((lo[1], hi[1])),
                self.row_m,
                &self.shapes,
                &self.shape_tree,
                &extra,
            );
            let added = (m.covered_with_extra - m.covered).max(0.0) * a.ground_per_planar;
            if added > 0.0 {
                by_area.push((i, added));
            }
        }
        let home = geometry
            .interior_point()
            .and_then(|p| self.area_at(self.tm.forward(p.x(), p.y())))
            .or_else(|| {
                by_area
                    .iter()
                    .max_by(|a, b| a.1.total_cmp(&b.1))
                    .map(|&(i, _)| i)
            });
        let area_added_m2 = home
            .and_then(|h| by_area.iter().find(|(i, _)| *i == h))
            .map_or(0.0, |&(_, m2)| m2);
        let area_share = home
            .and_then(|h| self.results().get(h))
            .filter(|r| r.area_m2 > 0.0)
            .map_or(0.0, |r| area_added_m2 / r.area_m2);
        Added {
            added_m2: by_area.iter().map(|(_, m2)| m2).sum(),
            area: home,
            area_added_m2,
            area_share,
            weight_added: self.weight_added(&extra, lo, hi),
        }
    }

    fn weight_added(&self, extra: &[Shape], lo: [f64; 2], hi: [f64; 2]) -> Option<f64> {
        if self.weights.is_empty() {
            return None;
        }
        let tree = shape::box_tree(extra.iter().map(Shape::bbox));
        let mut sum = 0.0;
        for w in &self.weights {
            if w.covered >= 1.0 {
                continue;
            }
            match &w.rings {
                Some(rings) => {
                    let Some((wlo, whi)) = rings.bbox() else {
                        continue;
                    };
                    if whi[0] < lo[0] || wlo[0] > hi[0] || whi[1] < lo[1] || wlo[1] > hi[1] {
                        continue;
                    }
                    let m = sweep::measure(
                        rings,
                        None,
                        self.row_m,
                        &self.shapes,
                        &self.shape_tree,
                        extra,
                    );
                    if m.area > 0.0 {
                        sum += w.weight * (m.covered_with_extra - m.covered).max(0.0) / m.area;
                    }
                }
                None => {
                    let p = w.at;
                    if p[0] >= lo[0]
                        && p[0] <= hi[0]
                        && p[1] >= lo[1]
                        && p[1] <= hi[1]
                        && shape::in_box(&tree, p, p).any(|i| extra[i].contains(p))
                    {
                        sum += w.weight;
                    }
                }
            }
        }
        Some(sum)
    }

    /// Where a facility at `geometry` would newly cover, as bands `band_m` tall, lon/lat: what
    /// the map draws over the uncovered overlay while a proposal is drawn.
    pub fn added_overlay(
        &self,
        geometry: &geo::Geometry<f64>,
        band_m: f64,
    ) -> geo::MultiPolygon<f64> {
        let extra = self.proposal_shapes(geometry);
        let Some((lo, hi)) = sweep::bbox_of(&extra) else {
            return geo::MultiPolygon(Vec::new());
        };
        let band = band_m.max(self.row_m);
        let mut rects = Vec::new();
        let mut hits: Vec<usize> = shape::in_box(&self.area_tree, lo, hi).collect();
        hits.sort_unstable();
        for i in hits {
            rects.extend(sweep::uncovered_bands(
                &self.areas[i].rings,
                band,
                &self.shapes,
                &self.shape_tree,
                &extra,
                true,
            ));
        }
        self.rects_to_lonlat(&rects)
    }
}
