//! The tessellation cache: every feature projected to Web Mercator once, triangulated once
//! (geo's earcut, so concave polygons and holes fill correctly) at a few levels of detail,
//! with outline mitres precomputed, and an R-tree over the feature boxes for culling and
//! hit-testing. Built off the UI thread when a workspace opens and rebuilt only when the data
//! changes; each frame only turns the cached `f64` vertices into `f32` screen positions.

use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use geo::{Area, BoundingRect, InteriorPoint, MapCoords, Simplify, TriangulateEarcut};
use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

use crate::model::catalog::GeometryKind;

use crate::render::projection::{MercBox, merc_from_lon_lat};

/// Number of levels of detail.
pub const LOD_LEVELS: usize = 5;
/// Douglas–Peucker tolerance of each level.
///
/// # Units
/// Mercator metres.
pub const LOD_TOLERANCE_M: [f64; LOD_LEVELS] = [0.0, 1.0, 4.0, 16.0, 64.0];

/// The coarsest level whose simplification error stays under half a point at this zoom.
pub fn lod_for(m_per_point: f64) -> usize {
    (0..LOD_LEVELS)
        .rev()
        .find(|&l| LOD_TOLERANCE_M[l] <= 0.5 * m_per_point)
        .unwrap_or(0)
}

/// What a feature is drawn as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawKind {
    /// Filled and outlined.
    Polygon,
    /// Stroked.
    Line,
    /// A dot or a symbol.
    Point,
    /// Nothing to draw (empty or mixed geometry).
    Empty,
}

/// One level of detail of a feature: ranges into its layer's arrays.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Lod {
    vertex_start: u32,
    vertex_count: u32,
    index_start: u32,
    index_count: u32,
    ring_start: u32,
    ring_count: u32,
}

impl Lod {
    /// Vertices of this level, as a range into [`LayerGeom::vertices`].
    pub fn vertices(&self) -> Range<usize> {
        self.vertex_start as usize..(self.vertex_start + self.vertex_count) as usize
    }

    /// Triangle indices (relative to the first vertex) into [`LayerGeom::indices`].
    pub fn indices(&self) -> Range<usize> {
        self.index_start as usize..(self.index_start + self.index_count) as usize
    }

    /// Outline rings into [`LayerGeom::rings`].
    pub fn rings(&self) -> Range<usize> {
        self.ring_start as usize..(self.ring_start + self.ring_count) as usize
    }
}

/// A polygon ring or a line's path: a run of vertices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ring {
    /// First vertex (absolute index into [`LayerGeom::vertices`]).
    pub start: u32,
    /// Number of vertices (a closed ring does not repeat its first one).
    pub len: u32,
    /// True for polygon rings.
    pub closed: bool,
}

impl Ring {
    /// The vertex range.
    pub fn range(&self) -> Range<usize> {
        self.start as usize..(self.start + self.len) as usize
    }
}

/// One feature in the cache.
#[derive(Debug, Clone, PartialEq)]
pub struct FeatureGeom {
    /// Box in Mercator metres.
    pub bbox: MercBox,
    /// How it is drawn.
    pub kind: DrawKind,
    /// Levels of detail, finest first.
    pub lods: [Lod; LOD_LEVELS],
    /// Where its label goes (inside a polygon, on a line).
    pub label_at: Option<[f64; 2]>,
    /// Planar area in Mercator square metres (label priority, tiny-feature squares).
    pub area_m2: f32,
}

/// Layers with fewer features are built on the calling thread.
const SEQUENTIAL_BELOW: usize = 2048;

type TreeEntry = GeomWithData<Rectangle<[f64; 2]>, u32>;

/// [`LayerGeom::update`] asks for a rebuild only past this many garbage vertices (and more
/// garbage than live ones), so small layers never bother.
const GARBAGE_MIN: usize = 1 << 16;

/// Vertices' worth of spare capacity a built layer keeps for updates (about 1 MB).
const EDIT_HEADROOM: usize = 1 << 16;

fn tree_entry(f: &FeatureGeom, i: usize) -> TreeEntry {
    GeomWithData::new(Rectangle::from_corners(f.bbox.min, f.bbox.max), i as u32)
}

/// Vertices a feature's levels hold (levels that share a mesh count once).
fn footprint(f: &FeatureGeom) -> usize {
    let mut n = 0;
    for (i, lod) in f.lods.iter().enumerate() {
        if i == 0 || f.lods[i - 1] != *lod {
            n += lod.vertex_count as usize;
        }
    }
    n
}

/// One layer's cached geometry.
#[derive(Debug, Default)]
pub struct LayerGeom {
    /// The features, in layer order.
    pub features: Vec<FeatureGeom>,
    /// Vertices of every level, Mercator metres.
    pub vertices: Vec<[f64; 2]>,
    /// Per vertex, the outline offset direction scaled by the mitre length, in screen
    /// orientation (y down); zero for points.
    pub mitres: Vec<[f32; 2]>,
    /// Triangle indices, relative to their level's first vertex.
    pub indices: Vec<u32>,
    /// Rings and paths.
    pub rings: Vec<Ring>,
    /// The features' geometry in Mercator metres, for exact hit-tests and label fitting.
    pub merc: Vec<geo::Geometry<f64>>,
    /// Feature indices from the largest to the smallest (label priority).
    pub by_size: Vec<u32>,
    /// The layer's box; `None` when it has nothing to draw.
    pub extent: Option<MercBox>,
    tree: RTree<TreeEntry>,
    /// Vertices no feature refers to any more (left behind by [`LayerGeom::update`]).
    garbage_vertices: usize,
    /// Features whose tessellation failed when the layer was built: each holds an empty
    /// entry in its own place (so every later feature keeps its index), and front ends say so.
    pub failures: Vec<TessellationFailure>,
}

/// A feature the tessellator failed on (a panic in geo's earcut or ours, caught).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TessellationFailure {
    /// The feature's index in its layer.
    pub feature: usize,
    /// What the panic said.
    pub detail: String,
}

/// How a layer's features are tessellated: [`LayerGeom::push_feature`], or in tests one
/// that fails on purpose.
type Tessellate = fn(&mut LayerGeom, &geo::Geometry<f64>);

/// The words of a caught panic.
fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "panic".to_string())
}

impl LayerGeom {
    /// Builds the cache for a list of WGS84 geometries, using every core, calling `progress`
    /// with the number of features done now and then.
    pub fn build(geometries: &[&geo::Geometry<f64>], progress: &mut dyn FnMut(usize)) -> Self {
        Self::build_with(geometries, progress, LayerGeom::push_feature)
    }

    fn build_with(
        geometries: &[&geo::Geometry<f64>],
        progress: &mut dyn FnMut(usize),
        tessellate: Tessellate,
    ) -> Self {
        if geometries.len() < SEQUENTIAL_BELOW {
            // A plan layer rebuilt after an edit: threads and progress polling would cost more
            // than the work.
            let built = std::panic::catch_unwind(|| {
                let mut geom = LayerGeom::default();
                for g in geometries {
                    tessellate(&mut geom, g);
                }
                geom
            });
            let mut geom = built.unwrap_or_else(|_| Self::build_each(geometries, 0, tessellate));
            geom.finish();
            progress(geometries.len());
            return geom;
        }
        let threads = std::thread::available_parallelism()
            .map_or(1, |n| n.get())
            .clamp(1, 8);
        let chunk = geometries.len().div_ceil(threads).max(1024);
        let done = AtomicUsize::new(0);
        let parts: Vec<std::thread::Result<LayerGeom>> = std::thread::scope(|scope| {
            let handles: Vec<_> = geometries
                .chunks(chunk)
                .map(|c| {
                    let done = &done;
                    scope.spawn(move || {
                        let mut part = LayerGeom::default();
                        for (i, g) in c.iter().enumerate() {
                            tessellate(&mut part, g);
                            if i % 512 == 511 {
                                done.fetch_add(512, Ordering::Relaxed);
                            }
                        }
                        part
                    })
                })
                .collect();
            while !handles.iter().all(|h| h.is_finished()) {
                progress(done.load(Ordering::Relaxed));
                std::thread::sleep(std::time::Duration::from_millis(15));
            }
            handles.into_iter().map(|h| h.join()).collect()
        });
        let mut geom = LayerGeom::default();
        for (i, part) in parts.into_iter().enumerate() {
            // A chunk whose worker panicked is done again feature by feature, so only the
            // features that fail are missing — in their own places, reported — and no later
            // feature's index shifts (an edit must never hit the wrong feature).
            let part = part.unwrap_or_else(|_| {
                let start = i * chunk;
                let end = (start + chunk).min(geometries.len());
                Self::build_each(&geometries[start..end], start, tessellate)
            });
            geom.append(part);
        }
        geom.finish();
        progress(geometries.len());
        geom
    }

    /// Tessellates features one at a time, catching a panic per feature: a feature that fails
    /// gets an empty entry and a [`TessellationFailure`] (`first` is the index of `geometries[0]`
    /// in the layer).
    fn build_each(
        geometries: &[&geo::Geometry<f64>],
        first: usize,
        tessellate: Tessellate,
    ) -> Self {
        let empty = geo::Geometry::GeometryCollection(geo::GeometryCollection::default());
        let mut part = LayerGeom::default();
        for (k, g) in geometries.iter().enumerate() {
            let one = std::panic::catch_unwind(|| {
                let mut one = LayerGeom::default();
                tessellate(&mut one, g);
                one
            });
            match one {
                Ok(one) if one.features.len() == 1 => part.append(one),
                result => {
                    let detail = match result {
                        Err(payload) => panic_text(payload.as_ref()),
                        Ok(_) => "no shape".to_string(),
                    };
                    part.push_feature(&empty);
                    part.failures.push(TessellationFailure {
                        feature: first + k,
                        detail,
                    });
                }
            }
        }
        part
    }

    fn append(&mut self, part: LayerGeom) {
        let (dv, di, dr) = (
            self.vertices.len() as u32,
            self.indices.len() as u32,
            self.rings.len() as u32,
        );
        self.vertices.extend(part.vertices);
        self.mitres.extend(part.mitres);
        self.indices.extend(part.indices);
        self.rings.extend(part.rings.into_iter().map(|r| Ring {
            start: r.start + dv,
            ..r
        }));
        self.merc.extend(part.merc);
        self.failures.extend(part.failures);
        self.features.extend(part.features.into_iter().map(|mut f| {
            for lod in &mut f.lods {
                lod.vertex_start += dv;
                lod.index_start += di;
                lod.ring_start += dr;
            }
            f
        }));
    }

    fn finish(&mut self) {
        let entries: Vec<TreeEntry> = self
            .features
            .iter()
            .enumerate()
            .filter(|(_, f)| f.kind != DrawKind::Empty)
            .map(|(i, f)| tree_entry(f, i))
            .collect();
        self.extent = self.compute_extent();
        self.tree = RTree::bulk_load(entries);
        // Room for edits: without it the first update after a build copies every array.
        self.vertices.reserve(EDIT_HEADROOM);
        self.mitres.reserve(EDIT_HEADROOM);
        self.indices.reserve(3 * EDIT_HEADROOM);
        self.rings.reserve(EDIT_HEADROOM / 8);
        let mut by_size: Vec<u32> = (0..self.features.len() as u32).collect();
        let area = |i: u32| self.features[i as usize].area_m2;
        by_size.sort_by(|&a, &b| area(b).total_cmp(&area(a)).then(a.cmp(&b)));
        self.by_size = by_size;
    }

    /// Brings the cache up to date after some features changed, without touching the others:
    /// `geometries` is the whole new list (WGS84), `slots` the positions whose feature was
    /// added, changed or replaced, ascending (a deleted feature's slot is taken by the last
    /// one, so deletion is a listed slot and a shorter list). Only those features are
    /// re-triangulated (their new meshes go to the end of the arrays; the old ones become
    /// garbage) and only their R-tree entries are replaced.
    ///
    /// Returns `false`, changing nothing, when the change does not fit that contract (a slot
    /// past the end, a new slot not listed) or when enough garbage has piled up that the
    /// caller should rebuild the layer.
    pub fn update(
        &mut self,
        geometries: &[&geo::Geometry<f64>],
        slots: &std::collections::BTreeSet<usize>,
    ) -> bool {
        let (old_len, len) = (self.features.len(), geometries.len());
        let fits = slots.iter().all(|&s| s < len) && (old_len..len).all(|s| slots.contains(&s));
        let live = self.vertices.len() - self.garbage_vertices;
        if !fits || (self.garbage_vertices > GARBAGE_MIN && self.garbage_vertices > live) {
            return false;
        }
        // Out with the old: tree entries, sizes, and the vertices they leave behind.
        let gone: Vec<usize> = slots
            .iter()
            .copied()
            .filter(|&s| s < old_len)
            .chain(len..old_len)
            .collect();
        for &s in &gone {
            let f = &self.features[s];
            if f.kind != DrawKind::Empty {
                self.tree.remove(&tree_entry(f, s));
            }
            self.garbage_vertices += footprint(f);
        }
        let is_gone = |i: u32| {
            let i = i as usize;
            i >= len || slots.contains(&i)
        };
        self.by_size.retain(|&i| !is_gone(i));
        self.features.truncate(len);
        self.merc.truncate(len);
        // In with the new.
        for &s in slots {
            let (f, merc) = self.build_feature(geometries[s]);
            if s < self.features.len() {
                self.features[s] = f;
                self.merc[s] = merc;
            } else {
                self.features.push(f);
                self.merc.push(merc);
            }
            let f = &self.features[s];
            if f.kind != DrawKind::Empty {
                self.tree.insert(tree_entry(f, s));
            }
            let at = self.by_size.partition_point(|&e| {
                let e_area = self.features[e as usize].area_m2;
                match e_area.total_cmp(&f.area_m2) {
                    std::cmp::Ordering::Greater => true,
                    std::cmp::Ordering::Equal => (e as usize) < s,
                    std::cmp::Ordering::Less => false,
                }
            });
            self.by_size.insert(at, s as u32);
        }
        self.extent = self.compute_extent();
        true
    }

    /// Gives back the spare capacity kept for edits (a layer that is never edited: a tile).
    pub fn shrink(&mut self) {
        self.vertices.shrink_to_fit();
        self.mitres.shrink_to_fit();
        self.indices.shrink_to_fit();
        self.rings.shrink_to_fit();
    }

    /// Bytes its arrays hold, approximately (the Mercator geometries are counted by callers).
    pub fn bytes(&self) -> usize {
        use std::mem::size_of;
        self.features.capacity() * size_of::<FeatureGeom>()
            + self.vertices.capacity() * size_of::<[f64; 2]>()
            + self.mitres.capacity() * size_of::<[f32; 2]>()
            + self.indices.capacity() * size_of::<u32>()
            + self.rings.capacity() * size_of::<Ring>()
            + self.merc.capacity() * size_of::<geo::Geometry<f64>>()
            + self.by_size.capacity() * size_of::<u32>()
            + self.features.len() * 64
    }

    /// Vertices left behind by updates (they are dropped when the layer is rebuilt).
    pub fn garbage(&self) -> usize {
        self.garbage_vertices
    }

    fn compute_extent(&self) -> Option<MercBox> {
        self.features
            .iter()
            .filter(|f| f.kind != DrawKind::Empty)
            .map(|f| f.bbox)
            .reduce(MercBox::union)
    }

    /// Feature indices whose boxes meet `area`, in no particular order.
    pub fn in_box(&self, area: &MercBox) -> impl Iterator<Item = usize> + '_ {
        self.tree
            .locate_in_envelope_intersecting(AABB::from_corners(area.min, area.max))
            .map(|e| e.data as usize)
    }

    fn push_feature(&mut self, lon_lat: &geo::Geometry<f64>) {
        let (feature, merc) = self.build_feature(lon_lat);
        self.features.push(feature);
        self.merc.push(merc);
    }

    /// Projects and tessellates one feature, appending its vertices, indices and rings to the
    /// layer's arrays, and returns its entry and Mercator geometry (not yet placed).
    fn build_feature(&mut self, lon_lat: &geo::Geometry<f64>) -> (FeatureGeom, geo::Geometry<f64>) {
        let merc: geo::Geometry<f64> = lon_lat.map_coords(|c| {
            let [x, y] = merc_from_lon_lat(c.x, c.y);
            geo::coord! { x: x, y: y }
        });
        let bbox = merc.bounding_rect().map(|r| MercBox {
            min: [r.min().x, r.min().y],
            max: [r.max().x, r.max().y],
        });
        let kind = match (GeometryKind::of(&merc), bbox) {
            (_, None) | (None, _) => DrawKind::Empty,
            (Some(GeometryKind::Polygon), _) => DrawKind::Polygon,
            (Some(GeometryKind::Line), _) => DrawKind::Line,
            (Some(GeometryKind::Point), _) => DrawKind::Point,
        };
        let bbox = bbox.unwrap_or(MercBox {
            min: [0.0; 2],
            max: [0.0; 2],
        });
        let mut lods = [Lod::default(); LOD_LEVELS];
        match kind {
            DrawKind::Polygon => {
                let mut polygons = Vec::new();
                collect_polygons(&merc, &mut polygons);
                let size = bbox.width().max(bbox.height());
                let mut previous: Option<(usize, Lod)> = None;
                for level in 0..LOD_LEVELS {
                    let tolerance = LOD_TOLERANCE_M[level];
                    if level > 0 {
                        // At this level the feature is under half a point: drawn as a dot.
                        if size < tolerance {
                            lods[level] = lods[level - 1];
                            continue;
                        }
                        polygons = polygons.iter().map(|p| p.simplify(tolerance)).collect();
                    }
                    let count: usize = polygons.iter().map(polygon_vertex_count).sum();
                    lods[level] = match previous {
                        Some((c, lod)) if c == count => lod,
                        _ => self.push_polygons(&polygons),
                    };
                    previous = Some((count, lods[level]));
                }
            }
            DrawKind::Line => {
                let mut lines = Vec::new();
                collect_lines(&merc, &mut lines);
                let mut previous: Option<(usize, Lod)> = None;
                for level in 0..LOD_LEVELS {
                    if level > 0 {
                        lines = lines
                            .iter()
                            .map(|l| l.simplify(LOD_TOLERANCE_M[level]))
                            .collect();
                    }
                    let count: usize = lines.iter().map(|l| l.0.len()).sum();
                    lods[level] = match previous {
                        Some((c, lod)) if c == count => lod,
                        _ => self.push_lines(&lines),
                    };
                    previous = Some((count, lods[level]));
                }
            }
            DrawKind::Point => {
                let start = self.vertices.len() as u32;
                collect_points(&merc, &mut self.vertices);
                let count = self.vertices.len() as u32 - start;
                self.mitres.resize(self.vertices.len(), [0.0; 2]);
                lods = [Lod {
                    vertex_start: start,
                    vertex_count: count,
                    ..Lod::default()
                }; LOD_LEVELS];
            }
            DrawKind::Empty => {}
        }
        let label_at = match kind {
            DrawKind::Empty => None,
            _ => merc.interior_point().map(|p| [p.x(), p.y()]),
        };
        let area_m2 = if kind == DrawKind::Polygon {
            merc.unsigned_area() as f32
        } else {
            0.0
        };
        (
            FeatureGeom {
                bbox,
                kind,
                lods,
                label_at,
                area_m2,
            },
            merc,
        )
    }

    fn push_polygons(&mut self, polygons: &[geo::Polygon<f64>]) -> Lod {
        let mut lod = Lod {
            vertex_start: self.vertices.len() as u32,
            index_start: self.indices.len() as u32,
            ring_start: self.rings.len() as u32,
            ..Lod::default()
        };
        for polygon in polygons {
            if polygon.exterior().0.len() < 4 {
                continue;
            }
            let base = self.vertices.len() as u32 - lod.vertex_start;
            let raw = polygon.earcut_triangles_raw();
            self.indices
                .extend(raw.triangle_indices.iter().map(|&i| i as u32 + base));
            let mut ring_start = self.vertices.len();
            self.vertices.extend(raw.vertices);
            for ring in std::iter::once(polygon.exterior()).chain(polygon.interiors()) {
                let len = ring.0.len().saturating_sub(1);
                if len == 0 {
                    continue;
                }
                if len >= 3 {
                    self.rings.push(Ring {
                        start: ring_start as u32,
                        len: len as u32,
                        closed: true,
                    });
                }
                push_mitres(
                    &self.vertices[ring_start..ring_start + len],
                    true,
                    &mut self.mitres,
                );
                ring_start += len;
            }
        }
        lod.vertex_count = self.vertices.len() as u32 - lod.vertex_start;
        lod.index_count = self.indices.len() as u32 - lod.index_start;
        lod.ring_count = self.rings.len() as u32 - lod.ring_start;
        lod
    }

    fn push_lines(&mut self, lines: &[geo::LineString<f64>]) -> Lod {
        let mut lod = Lod {
            vertex_start: self.vertices.len() as u32,
            ring_start: self.rings.len() as u32,
            ..Lod::default()
        };
        for line in lines {
            if line.0.len() < 2 {
                continue;
            }
            let start = self.vertices.len();
            self.vertices.extend(line.0.iter().map(|c| [c.x, c.y]));
            self.rings.push(Ring {
                start: start as u32,
                len: line.0.len() as u32,
                closed: false,
            });
            push_mitres(&self.vertices[start..], false, &mut self.mitres);
        }
        lod.vertex_count = self.vertices.len() as u32 - lod.vertex_start;
        lod.ring_count = self.rings.len() as u32 - lod.ring_start;
        lod
    }
}

fn polygon_vertex_count(p: &geo::Polygon<f64>) -> usize {
    p.exterior().0.len() + p.interiors().iter().map(|r| r.0.len()).sum::<usize>()
}

fn collect_polygons(g: &geo::Geometry<f64>, out: &mut Vec<geo::Polygon<f64>>) {
    use geo::Geometry as G;
    match g {
        G::Polygon(p) => out.push(p.clone()),
        G::MultiPolygon(mp) => out.extend(mp.0.iter().cloned()),
        G::Rect(r) => out.push(r.to_polygon()),
        G::Triangle(t) => out.push(t.to_polygon()),
        G::GeometryCollection(gc) => gc.iter().for_each(|g| collect_polygons(g, out)),
        _ => {}
    }
}

fn collect_lines(g: &geo::Geometry<f64>, out: &mut Vec<geo::LineString<f64>>) {
    use geo::Geometry as G;
    match g {
        G::LineString(l) => out.push(l.clone()),
        G::MultiLineString(ml) => out.extend(ml.0.iter().cloned()),
        G::Line(l) => out.push(geo::LineString::from(vec![l.start, l.end])),
        G::GeometryCollection(gc) => gc.iter().for_each(|g| collect_lines(g, out)),
        _ => {}
    }
}

fn collect_points(g: &geo::Geometry<f64>, out: &mut Vec<[f64; 2]>) {
    use geo::Geometry as G;
    match g {
        G::Point(p) => out.push([p.x(), p.y()]),
        G::MultiPoint(mp) => out.extend(mp.0.iter().map(|p| [p.x(), p.y()])),
        G::GeometryCollection(gc) => gc.iter().for_each(|g| collect_points(g, out)),
        _ => {}
    }
}

/// Appends one outline offset per vertex: the average of the two edges' left normals,
/// lengthened so the offset edges stay parallel (a mitre), capped so sharp spikes do not
/// shoot out. Computed in Mercator (y up) and stored for the screen (y down).
fn push_mitres(ring: &[[f64; 2]], closed: bool, out: &mut Vec<[f32; 2]>) {
    const MAX_MITRE: f64 = 3.0;
    let n = ring.len();
    let normal = |a: [f64; 2], b: [f64; 2]| -> Option<[f64; 2]> {
        let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
        let len = dx.hypot(dy);
        (len > 0.0).then(|| [-dy / len, dx / len])
    };
    for i in 0..n {
        let prev = if i > 0 {
            Some(ring[i - 1])
        } else if closed {
            Some(ring[n - 1])
        } else {
            None
        };
        let next = if i + 1 < n {
            Some(ring[i + 1])
        } else if closed {
            Some(ring[0])
        } else {
            None
        };
        let n1 = prev.and_then(|p| normal(p, ring[i]));
        let n2 = next.and_then(|q| normal(ring[i], q));
        let m = match (n1, n2) {
            (Some(a), Some(b)) => {
                let s = [a[0] + b[0], a[1] + b[1]];
                let len = s[0].hypot(s[1]);
                if len < 1e-9 {
                    a
                } else {
                    let u = [s[0] / len, s[1] / len];
                    let cos = (u[0] * a[0] + u[1] * a[1]).max(1.0 / MAX_MITRE);
                    [u[0] / cos, u[1] / cos]
                }
            }
            (Some(a), None) | (None, Some(a)) => a,
            (None, None) => [0.0, 0.0],
        };
        out.push([m[0] as f32, -m[1] as f32]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::polygon;

    /// Tessellates as usual but panics on the point at longitude 100, as a broken geometry
    /// would in earcut.
    fn fails_at_100(geom: &mut LayerGeom, g: &geo::Geometry<f64>) {
        if let geo::Geometry::Point(p) = g
            && p.x() == 100.0
        {
            panic!("earcut gave up");
        }
        geom.push_feature(g);
    }

    #[test]
    fn a_feature_that_fails_to_tessellate_is_reported_in_its_place_and_shifts_no_other() {
        for n in [10, SEQUENTIAL_BELOW + 1500] {
            let bad = n - 7;
            let points: Vec<geo::Geometry<f64>> = (0..n)
                .map(|i| {
                    let lon = if i == bad {
                        100.0
                    } else {
                        121.0 + i as f64 * 1e-5
                    };
                    geo::Geometry::Point(geo::Point::new(lon, 31.2))
                })
                .collect();
            let refs: Vec<&geo::Geometry<f64>> = points.iter().collect();
            let geom = LayerGeom::build_with(&refs, &mut |_| {}, fails_at_100);
            assert_eq!(geom.features.len(), n, "{n}: every feature keeps a place");
            assert_eq!(geom.failures.len(), 1, "{n}");
            assert_eq!(geom.failures[0].feature, bad);
            assert!(geom.failures[0].detail.contains("earcut gave up"));
            assert_eq!(geom.features[bad].kind, DrawKind::Empty);
            // Every other feature is where it was: its box is its own point's.
            for i in [0, bad - 1, bad + 1, n - 1] {
                let [x, _] = merc_from_lon_lat(121.0 + i as f64 * 1e-5, 31.2);
                assert!(
                    (geom.features[i].bbox.min[0] - x).abs() < 1e-6,
                    "{n}: feature {i}"
                );
            }
        }
    }

    fn square_with_hole() -> geo::Geometry<f64> {
        geo::Geometry::Polygon(polygon!(
            exterior: [(x: 121.50, y: 31.20), (x: 121.51, y: 31.20), (x: 121.51, y: 31.21), (x: 121.50, y: 31.21)],
            interiors: [[(x: 121.503, y: 31.203), (x: 121.507, y: 31.203), (x: 121.507, y: 31.207), (x: 121.503, y: 31.207)]],
        ))
    }

    #[test]
    fn polygons_with_holes_triangulate_to_their_area() {
        let g = square_with_hole();
        let geom = LayerGeom::build(&[&g], &mut |_| {});
        let f = &geom.features[0];
        assert_eq!(f.kind, DrawKind::Polygon);
        let lod = f.lods[0];
        assert_eq!(lod.vertices().len(), 8);
        assert_eq!(lod.rings().len(), 2);
        let v = &geom.vertices[lod.vertices()];
        let tri_area: f64 = geom.indices[lod.indices()]
            .chunks(3)
            .map(|t| {
                let (a, b, c) = (v[t[0] as usize], v[t[1] as usize], v[t[2] as usize]);
                ((b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1])).abs() / 2.0
            })
            .sum();
        let merc_area = geom.merc[0].unsigned_area();
        assert!(
            (tri_area - merc_area).abs() / merc_area < 1e-9,
            "{tri_area} vs {merc_area}"
        );
        // The label point is inside the ring, not in the hole.
        let [x, y] = f.label_at.unwrap_or_default();
        use geo::Contains;
        assert!(geom.merc[0].contains(&geo::Point::new(x, y)));
    }

    #[test]
    fn coarse_levels_have_fewer_vertices_and_the_tree_finds_features() {
        let ring: Vec<(f64, f64)> = (0..200)
            .map(|i| {
                let a = f64::from(i) / 200.0 * std::f64::consts::TAU;
                (
                    121.5 + 0.01 * a.cos() + 0.00001 * (7.0 * a).sin(),
                    31.2 + 0.01 * a.sin(),
                )
            })
            .collect();
        let g = geo::Geometry::Polygon(geo::Polygon::new(geo::LineString::from(ring), vec![]));
        let geom = LayerGeom::build(&[&g, &square_with_hole()], &mut |_| {});
        let lods = geom.features[0].lods;
        assert!(lods[4].vertices().len() < lods[0].vertices().len());
        assert!(lods[4].vertices().len() >= 3);
        let b = geom.features[1].bbox;
        let found: Vec<usize> = geom.in_box(&b.expanded(-10.0)).collect();
        assert!(found.contains(&1));
        assert_eq!(lod_for(0.5), 0);
        assert_eq!(lod_for(75.0), 3);
    }

    #[test]
    fn mitres_of_a_square_point_outward_at_corners() {
        let mut out = Vec::new();
        push_mitres(
            &[[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]],
            true,
            &mut out,
        );
        // Counter-clockwise ring: left normals point inward; corners are lengthened by √2.
        let m = out[0];
        assert!(((m[0].powi(2) + m[1].powi(2)).sqrt() - std::f32::consts::SQRT_2).abs() < 1e-5);
    }
}
