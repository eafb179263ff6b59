//! Coverage for the 15-minute community life circle: which part of each community (or street)
//! lies within a walking threshold of a facility, by straight line or along a walking network,
//! what a proposal would add, and where new facilities would add the most.
//!
//! # Method
//! Everything is projected to a local transverse Mercator ([`local::LocalTm`], ground metres).
//! A facility becomes simple [`shape::Shape`]s: a point a disc of the threshold's radius, a
//! line or a polygon's edges capsules (so a park counts from its edge), a polygon also its
//! inside. Under the network model the shapes are instead the reachable stretches of the network
//! ([`network`]) buffered by a short walking-access distance.
//!
//! Areas are integrated row by row ([`sweep`]): on each horizontal line the covered stretches
//! are the union of the shapes' chords, intersected exactly with the area's own stretches; rows
//! are `row_m` apart (midpoint rule). This is exact across a row, needs no polygon union, and
//! its error — at the top and bottom of each disc — is under 0.02 % of a disc's area at the
//! default 2 m rows: far inside the 0.5 percentage points QGIS's buffer–dissolve–intersect is
//! compared against (its 16-segment circles alone lose 0.16 %), and two orders of magnitude
//! faster.
//!
//! # Units
//! Distances in metres on the ground; `area_m2` is the area's geodesic area on the ellipsoid
//! ([`crate::analysis::measure`]) and `covered_m2` its covered share of that area.

pub mod candidates;
pub mod local;
pub mod network;
pub mod rules;
pub mod shape;
pub mod sweep;
pub mod whatif;

use geo::{CoordsIter, InteriorPoint};
use rstar::RTree;

use crate::analysis::measure;
use local::LocalTm;
use shape::{Boxed, Rings, Shape, Xy};

/// 5, 10 and 15-minute walks (GB 50180-2018), metres.
pub const PRESETS_M: [f64; 3] = [300.0, 500.0, 1000.0];

/// How distance is measured.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Model {
    /// On the ground in a straight line.
    Straight,
    /// Along the walking network, then a short access distance off it.
    Network(NetworkOptions),
}

/// How a line layer becomes a walking network.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NetworkOptions {
    /// Vertices closer than this are one node, and a line ending this close to another line
    /// joins it there (metres).
    pub snap_m: f64,
    /// How far off the network a covered place may lie (from the street to the door), metres.
    /// It also covers the facility's own surroundings.
    pub access_m: f64,
    /// A polygon facility enters the network at each boundary vertex within this distance of
    /// it (its entrances); if none is that close, at the vertex nearest to it. Metres.
    pub entrance_m: f64,
}

impl Default for NetworkOptions {
    fn default() -> Self {
        Self {
            snap_m: 1.0,
            access_m: 30.0,
            entrance_m: 30.0,
        }
    }
}

/// One area results are given for: a community or a street.
#[derive(Debug, Clone, PartialEq)]
pub struct Area {
    /// Its id (the feature's UUID as text).
    pub id: String,
    /// Its name.
    pub name: String,
    /// Its polygon(s), lon/lat.
    pub geometry: geo::Geometry<f64>,
}

/// One weight: residents at a point, or in a polygon (spread evenly over it).
#[derive(Debug, Clone, PartialEq)]
pub struct Weight {
    /// Where, lon/lat.
    pub geometry: geo::Geometry<f64>,
    /// How much (residents, households; 1 when the layer has no weight field).
    pub weight: f64,
}

/// What to compute.
#[derive(Debug, Clone, PartialEq)]
pub struct Request {
    /// The areas to report on.
    pub areas: Vec<Area>,
    /// The facilities, lon/lat (points, lines, polygons).
    pub facilities: Vec<geo::Geometry<f64>>,
    /// The walking threshold, metres.
    pub distance_m: f64,
    /// Straight line or network.
    pub model: Model,
    /// The network's lines, lon/lat (used by [`Model::Network`]).
    pub network: Vec<geo::Geometry<f64>>,
    /// Weights, if any.
    pub weights: Vec<Weight>,
}

/// The result for one area.
#[derive(Debug, Clone, PartialEq)]
pub struct AreaResult {
    /// The area's id.
    pub id: String,
    /// The area's name.
    pub name: String,
    /// Its area, m² on the ellipsoid.
    pub area_m2: f64,
    /// Its covered area, m².
    pub covered_m2: f64,
    /// Covered share, 0–1.
    pub covered_share: f64,
    /// Total weight in it, when weights were given.
    pub weight: Option<f64>,
    /// Covered weight, when weights were given.
    pub weight_covered: Option<f64>,
}

impl AreaResult {
    /// The uncovered share, 0–1: what the gap table sorts by.
    pub fn gap(&self) -> f64 {
        1.0 - self.covered_share
    }

    /// The covered share of the weight, when there is weight in the area.
    pub fn weight_share(&self) -> Option<f64> {
        match (self.weight, self.weight_covered) {
            (Some(w), Some(c)) if w > 0.0 => Some(c / w),
            _ => None,
        }
    }
}

/// An area as the engine holds it.
#[derive(Debug, Clone)]
pub(crate) struct AreaIn {
    pub rings: Rings,
    /// Geodesic m² per planar m² of this area's rows (the projection's local scale).
    pub ground_per_planar: f64,
}

/// A weight as the engine holds it.
#[derive(Debug, Clone)]
pub(crate) struct WeightIn {
    /// A point weight's place, or a polygon weight's representative point.
    pub at: Xy,
    /// A polygon weight's rings.
    pub rings: Option<Rings>,
    pub weight: f64,
    /// The covered part of it, 0–1.
    pub covered: f64,
}

/// Coverage computed for a request: per-area results, and what what-if and candidates need.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub(crate) tm: LocalTm,
    pub(crate) distance_m: f64,
    pub(crate) row_m: f64,
    pub(crate) model: Model,
    pub(crate) areas: Vec<AreaIn>,
    pub(crate) area_tree: RTree<Boxed>,
    pub(crate) shapes: Vec<Shape>,
    pub(crate) shape_tree: RTree<Boxed>,
    pub(crate) graph: Option<network::Graph>,
    pub(crate) weights: Vec<WeightIn>,
    results: Vec<AreaResult>,
}

impl Coverage {
    /// Computes coverage for `request`.
    pub fn compute(request: &Request) -> Coverage {
        let tm = projection_for(request);
        let distance_m = request.distance_m.max(0.0);
        let row_m = (distance_m / 250.0).clamp(0.5, 2.0);
        let areas: Vec<AreaIn> = request
            .areas
            .iter()
            .map(|a| AreaIn {
                rings: project_rings(&tm, &a.geometry),
                ground_per_planar: 1.0,
            })
            .collect();
        let area_tree = shape::box_tree(areas.iter().map(|a| a.rings.bbox().unwrap_or(EMPTY)));
        let graph = match request.model {
            Model::Network(o) => Some(network::Graph::build(
                &request
                    .network
                    .iter()
                    .flat_map(|g| project_lines(&tm, g))
                    .collect::<Vec<_>>(),
                o.snap_m,
            )),
            Model::Straight => None,
        };
        let facilities: Vec<Facility> = request
            .facilities
            .iter()
            .map(|g| Facility::project(&tm, g))
            .collect();
        let shapes = match (&graph, request.model) {
            (Some(graph), Model::Network(o)) => network_shapes(graph, &facilities, distance_m, o),
            _ => facilities
                .iter()
                .flat_map(|f| f.buffer(distance_m))
                .collect(),
        };
        let shape_tree = shape::box_tree(shapes.iter().map(Shape::bbox));
        let mut coverage = Coverage {
            tm,
            distance_m,
            row_m,
            model: request.model,
            areas,
            area_tree,
            shapes,
            shape_tree,
            graph,
            weights: Vec::new(),
            results: Vec::new(),
        };
        coverage.results = coverage.measure_areas(request);
        coverage.weigh(&request.weights);
        coverage
    }

    fn measure_areas(&mut self, request: &Request) -> Vec<AreaResult> {
        let mut results = Vec::with_capacity(self.areas.len());
        for (a, area) in request.areas.iter().zip(self.areas.iter_mut()) {
            let m = sweep::measure(
                &area.rings,
                None,
                self.row_m,
                &self.shapes,
                &self.shape_tree,
                &[],
            );
            let area_m2 = measure::area_m2(&a.geometry);
            area.ground_per_planar = if m.area > 0.0 { area_m2 / m.area } else { 1.0 };
            let share = if m.area > 0.0 {
                (m.covered / m.area).clamp(0.0, 1.0)
            } else {
                0.0
            };
            results.push(AreaResult {
                id: a.id.clone(),
                name: a.name.clone(),
                area_m2,
                covered_m2: share * area_m2,
                covered_share: share,
                weight: None,
                weight_covered: None,
            });
        }
        results
    }

    fn weigh(&mut self, weights: &[Weight]) {
        if weights.is_empty() {
            return;
        }
        for r in &mut self.results {
            r.weight = Some(0.0);
            r.weight_covered = Some(0.0);
        }
        for w in weights {
            let rings = project_rings(&self.tm, &w.geometry);
            let Some(p) = w.geometry.interior_point() else {
                continue;
            };
            let at = self.tm.forward(p.x(), p.y());
            let polygonal = !rings.0.is_empty();
            let covered = if polygonal {
                let m = sweep::measure(
                    &rings,
                    None,
                    self.row_m,
                    &self.shapes,
                    &self.shape_tree,
                    &[],
                );
                if m.area > 0.0 {
                    m.covered / m.area
                } else {
                    0.0
                }
            } else if self.covers(at) {
                1.0
            } else {
                0.0
            };
            let area = self.area_at(at);
            if let Some(r) = area.and_then(|i| self.results.get_mut(i)) {
                r.weight = Some(r.weight.unwrap_or(0.0) + w.weight);
                r.weight_covered = Some(r.weight_covered.unwrap_or(0.0) + w.weight * covered);
            }
            self.weights.push(WeightIn {
                at,
                rings: polygonal.then_some(rings),
                weight: w.weight,
                covered,
            });
        }
    }

    /// True when the point (local metres) is covered.
    pub(crate) fn covers(&self, p: Xy) -> bool {
        shape::in_box(&self.shape_tree, p, p).any(|i| self.shapes[i].contains(p))
    }

    /// The first area holding the point (local metres).
    pub(crate) fn area_at(&self, p: Xy) -> Option<usize> {
        let mut hits: Vec<usize> = shape::in_box(&self.area_tree, p, p)
            .filter(|&i| self.areas[i].rings.contains(p))
            .collect();
        hits.sort_unstable();
        hits.first().copied()
    }

    /// The per-area results, in the request's order.
    pub fn results(&self) -> &[AreaResult] {
        &self.results
    }

    /// The per-area results' indices sorted by gap, largest first (ties by name).
    pub fn gap_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.results.len()).collect();
        order.sort_by(|&a, &b| {
            let (ra, rb) = (&self.results[a], &self.results[b]);
            rb.gap()
                .total_cmp(&ra.gap())
                .then_with(|| ra.name.cmp(&rb.name))
        });
        order
    }

    /// The covered share over all areas together (by area), 0–1.
    pub fn overall_share(&self) -> f64 {
        let area: f64 = self.results.iter().map(|r| r.area_m2).sum();
        let covered: f64 = self.results.iter().map(|r| r.covered_m2).sum();
        if area > 0.0 { covered / area } else { 0.0 }
    }

    /// The covered share of all weight, when weights were given and some lie in the areas.
    pub fn overall_weight_share(&self) -> Option<f64> {
        let w: f64 = self.results.iter().filter_map(|r| r.weight).sum();
        let c: f64 = self.results.iter().filter_map(|r| r.weight_covered).sum();
        (w > 0.0).then(|| c / w)
    }

    /// The walking threshold, metres.
    pub fn distance_m(&self) -> f64 {
        self.distance_m
    }

    /// The uncovered part of each area, as bands `band_m` tall (at least the row height),
    /// lon/lat: what the map draws as an overlay and the GeoJSON export writes.
    pub fn uncovered(&self, band_m: f64) -> Vec<geo::MultiPolygon<f64>> {
        let band = band_m.max(self.row_m);
        self.areas
            .iter()
            .map(|a| {
                let rects = sweep::uncovered_bands(
                    &a.rings,
                    band,
                    &self.shapes,
                    &self.shape_tree,
                    &[],
                    false,
                );
                self.rects_to_lonlat(&rects)
            })
            .collect()
    }

    /// Local-metre rectangles `(x0, x1, y0, y1)` as lon/lat polygons.
    pub(crate) fn rects_to_lonlat(&self, rects: &[[f64; 4]]) -> geo::MultiPolygon<f64> {
        geo::MultiPolygon(
            rects
                .iter()
                .map(|&[x0, x1, y0, y1]| {
                    let ring: Vec<geo::Coord<f64>> =
                        [[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]]
                            .iter()
                            .map(|&[x, y]| {
                                let [lon, lat] = self.tm.inverse(x, y);
                                geo::coord! { x: lon, y: lat }
                            })
                            .collect();
                    geo::Polygon::new(geo::LineString(ring), vec![])
                })
                .collect(),
        )
    }

    /// Lon/lat of a local point.
    pub(crate) fn lonlat(&self, p: Xy) -> [f64; 2] {
        self.tm.inverse(p[0], p[1])
    }
}

const EMPTY: (Xy, Xy) = ([0.0, 0.0], [-1.0, -1.0]);

/// Centred on the middle of the areas (else of the facilities).
fn projection_for(request: &Request) -> LocalTm {
    use geo::BoundingRect;
    let rect = request
        .areas
        .iter()
        .map(|a| &a.geometry)
        .chain(request.facilities.iter())
        .filter_map(|g| g.bounding_rect())
        .reduce(|a, b| {
            geo::Rect::new(
                geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
            )
        });
    match rect {
        Some(r) => LocalTm::centred(r.center().x, r.center().y),
        None => LocalTm::centred(121.5, 31.2),
    }
}

/// The polygonal parts' rings, projected and closed.
pub(crate) fn project_rings(tm: &LocalTm, g: &geo::Geometry<f64>) -> Rings {
    use geo::Geometry as G;
    let mut rings = Vec::new();
    let mut push_polygon = |p: &geo::Polygon<f64>| {
        for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
            let mut r: Vec<Xy> = ring.coords().map(|c| tm.forward(c.x, c.y)).collect();
            if r.len() >= 3 {
                if r.first() != r.last()
                    && let Some(&f) = r.first()
                {
                    r.push(f);
                }
                rings.push(r);
            }
        }
    };
    fn walk(g: &geo::Geometry<f64>, f: &mut dyn FnMut(&geo::Polygon<f64>)) {
        match g {
            G::Polygon(p) => f(p),
            G::MultiPolygon(mp) => mp.0.iter().for_each(f),
            G::Rect(r) => f(&r.to_polygon()),
            G::Triangle(t) => f(&t.to_polygon()),
            G::GeometryCollection(gc) => gc.iter().for_each(|g| walk(g, f)),
            _ => {}
        }
    }
    walk(g, &mut push_polygon);
    Rings(rings)
}

/// The linear parts (lines, and polygon rings only when asked) as projected vertex lists.
pub(crate) fn project_lines(tm: &LocalTm, g: &geo::Geometry<f64>) -> Vec<Vec<Xy>> {
    use geo::Geometry as G;
    let line = |ls: &geo::LineString<f64>| ls.coords().map(|c| tm.forward(c.x, c.y)).collect();
    match g {
        G::LineString(ls) => vec![line(ls)],
        G::MultiLineString(mls) => mls.0.iter().map(line).collect(),
        G::Line(l) => vec![vec![
            tm.forward(l.start.x, l.start.y),
            tm.forward(l.end.x, l.end.y),
        ]],
        G::GeometryCollection(gc) => gc.iter().flat_map(|g| project_lines(tm, g)).collect(),
        _ => Vec::new(),
    }
}

/// A facility in local metres.
#[derive(Debug, Clone, Default)]
pub(crate) struct Facility {
    pub points: Vec<Xy>,
    pub lines: Vec<Vec<Xy>>,
    pub rings: Rings,
}

impl Facility {
    pub(crate) fn project(tm: &LocalTm, g: &geo::Geometry<f64>) -> Facility {
        use geo::Geometry as G;
        let points = match g {
            G::Point(p) => vec![tm.forward(p.x(), p.y())],
            G::MultiPoint(mp) => mp.0.iter().map(|p| tm.forward(p.x(), p.y())).collect(),
            G::GeometryCollection(gc) => gc
                .iter()
                .filter(|g| matches!(g, G::Point(_) | G::MultiPoint(_)))
                .flat_map(|g| g.coords_iter())
                .map(|c| tm.forward(c.x, c.y))
                .collect(),
            _ => Vec::new(),
        };
        Facility {
            points,
            lines: project_lines(tm, g),
            rings: project_rings(tm, g),
        }
    }

    /// Every segment: the lines' and the rings' edges.
    pub(crate) fn segments(&self) -> impl Iterator<Item = (Xy, Xy)> + '_ {
        self.lines
            .iter()
            .chain(self.rings.0.iter())
            .flat_map(|l| l.windows(2).map(|w| (w[0], w[1])))
    }

    /// Everything within `r` of the facility: discs, capsules along its lines and edges, and
    /// a polygon's inside (so a park counts from its edge).
    pub(crate) fn buffer(&self, r: f64) -> Vec<Shape> {
        let mut out: Vec<Shape> = self.points.iter().map(|&c| Shape::Disk { c, r }).collect();
        for l in &self.lines {
            if l.len() == 1 {
                out.push(Shape::Disk { c: l[0], r });
            }
        }
        out.extend(self.segments().map(|(a, b)| Shape::Capsule { a, b, r }));
        if !self.rings.0.is_empty() {
            out.push(Shape::Inside(self.rings.clone()));
        }
        out
    }

    /// Where the facility enters a walking network: its points, its lines' vertices, and its
    /// rings' vertices (a polygon's entrances).
    pub(crate) fn vertices(&self) -> Vec<Xy> {
        let mut v = self.points.clone();
        v.extend(self.lines.iter().flatten());
        v.extend(self.rings.0.iter().flatten());
        v
    }
}

/// The covered shapes under the network model.
fn network_shapes(
    graph: &network::Graph,
    facilities: &[Facility],
    distance_m: f64,
    o: NetworkOptions,
) -> Vec<Shape> {
    let mut sources = Vec::new();
    let mut out = Vec::new();
    for f in facilities {
        let (s, connectors) = graph.entrances(f, o, distance_m);
        sources.extend(s);
        out.extend(f.buffer(o.access_m));
        out.extend(connectors);
    }
    out.extend(graph.reach_shapes(&sources, distance_m, o.access_m));
    out
}
