//! Unambiguous repairs shared by the readers (issue 9): repeated consecutive positions
//! removed, open rings closed, rings with fewer than 4 positions or no area dropped. Each
//! repair is noted per feature so the import report can list it.

use serde_json::Value;

use crate::error::{GeometryPart, Repair};
use crate::model::Properties;

/// A position as a reader holds it, before any conversion: x and y as read.
pub(crate) trait Xy: Copy {
    /// The first two numbers.
    fn xy(&self) -> (f64, f64);
}

impl Xy for (f64, f64) {
    fn xy(&self) -> (f64, f64) {
        *self
    }
}

/// One repair made while reading a file: which feature, and what was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepairEntry {
    /// The feature's index in the file (0-based).
    pub feature: usize,
    /// The feature's own id in the file (its `id` member, or an `osm_id`, `id` or `fid`
    /// property), when it has one.
    pub source_id: Option<String>,
    /// What was done.
    pub repair: Repair,
}

/// Repairs listed one by one at most (in a report, a `--report` CSV); beyond them each
/// repair is only counted, so a file of millions of broken rings cannot fill the memory.
pub const LISTED_REPAIRS: usize = 10_000;

/// A file's repairs: the first [`LISTED_REPAIRS`] in detail (the value derefs to them, in file
/// order), and every one counted — in all, by kind, by feature.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Repairs {
    listed: Vec<RepairEntry>,
    /// Repairs made, listed or not.
    pub total: usize,
    /// Repairs made by kind ([`repair_kind`]), listed or not.
    pub by_kind: std::collections::BTreeMap<&'static str, usize>,
    /// Features with at least one repair.
    pub features: usize,
    /// Features dropped because nothing of them was left.
    pub dropped: usize,
    last_feature: Option<usize>,
}

impl Repairs {
    /// Notes one repair: listed while there is room, counted always.
    pub fn push(&mut self, entry: RepairEntry) {
        self.total += 1;
        *self.by_kind.entry(repair_kind(&entry.repair)).or_default() += 1;
        if self.last_feature != Some(entry.feature) {
            self.features += 1;
            self.last_feature = Some(entry.feature);
        }
        if entry.repair == Repair::FeatureDropped {
            self.dropped += 1;
        }
        if self.listed.len() < LISTED_REPAIRS {
            self.listed.push(entry);
        }
    }

    /// Repairs counted but not listed.
    pub fn unlisted(&self) -> usize {
        self.total - self.listed.len()
    }
}

impl std::ops::Deref for Repairs {
    type Target = [RepairEntry];

    fn deref(&self) -> &[RepairEntry] {
        &self.listed
    }
}

impl<'a> IntoIterator for &'a Repairs {
    type Item = &'a RepairEntry;
    type IntoIter = std::slice::Iter<'a, RepairEntry>;

    fn into_iter(self) -> Self::IntoIter {
        self.listed.iter()
    }
}

impl From<Vec<RepairEntry>> for Repairs {
    fn from(entries: Vec<RepairEntry>) -> Self {
        let mut out = Repairs::default();
        for e in entries {
            out.push(e);
        }
        out
    }
}

/// A stable key per kind of repair (`ring_closed`, `feature_dropped`), for counts and CSV.
pub fn repair_kind(r: &Repair) -> &'static str {
    match r {
        Repair::RingClosed { .. } => "ring_closed",
        Repair::RepeatedPositionsRemoved { .. } => "repeated_positions_removed",
        Repair::ShortRingDropped { .. } => "short_ring_dropped",
        Repair::FlatRingDropped { .. } => "flat_ring_dropped",
        Repair::PolygonDropped { .. } => "polygon_dropped",
        Repair::FeatureDropped => "feature_dropped",
    }
}

/// The repairs of one feature while it is read.
#[derive(Default)]
pub(crate) struct Fixes {
    /// Repairs made, in order.
    pub(crate) repairs: Vec<Repair>,
    /// Repeated positions removed (reported once per feature).
    pub(crate) repeated: usize,
}

impl Fixes {
    /// Moves this feature's repairs into `out`, the repeated positions first.
    /// Ends feature `feature`: notes [`Repair::FeatureDropped`] when nothing of it is left
    /// (`kept` is `None`), moves its repairs into `out`, and gives back what was kept.
    pub(crate) fn finish<T>(
        &mut self,
        feature: usize,
        source_id: Option<String>,
        kept: Option<T>,
        out: &mut Repairs,
    ) -> Option<T> {
        if kept.is_none() {
            self.repairs.push(Repair::FeatureDropped);
        }
        self.drain_into(feature, source_id, out);
        kept
    }

    pub(crate) fn drain_into(
        &mut self,
        feature: usize,
        source_id: Option<String>,
        out: &mut Repairs,
    ) {
        let repeated = std::mem::take(&mut self.repeated);
        let removed =
            (repeated > 0).then_some(Repair::RepeatedPositionsRemoved { count: repeated });
        for repair in removed.into_iter().chain(self.repairs.drain(..)) {
            out.push(RepairEntry {
                feature,
                source_id: source_id.clone(),
                repair,
            });
        }
    }
}

/// A feature's id for the import report: its `id` member, else a common id property.
pub(crate) fn source_id(id: Option<&Value>, properties: &Properties) -> Option<String> {
    let text = |v: &Value| match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    };
    id.and_then(text).or_else(|| {
        ["osm_id", "osm_way_id", "id", "fid"]
            .iter()
            .find_map(|k| properties.get(*k).and_then(text))
    })
}

/// Removes repeated consecutive positions, keeping at least `keep` of them; counts the removed.
pub(crate) fn without_repeats<P: Xy>(positions: Vec<P>, keep: usize, fixes: &mut Fixes) -> Vec<P> {
    let mut out: Vec<P> = Vec::with_capacity(positions.len());
    for p in &positions {
        if out.last().is_none_or(|q| q.xy() != p.xy()) {
            out.push(*p);
        }
    }
    if out.len() < keep || out.len() == positions.len() {
        return positions;
    }
    fixes.repeated += positions.len() - out.len();
    out
}

/// Twice the ring's area is zero relative to its extent: all positions lie on one line.
pub(crate) fn is_flat(ring: &[geo::Coord<f64>]) -> bool {
    let mut twice_area = 0.0;
    let (mut min, mut max) = (ring[0], ring[0]);
    for w in ring.windows(2) {
        twice_area += w[0].x * w[1].y - w[1].x * w[0].y;
        min = geo::coord! { x: min.x.min(w[1].x), y: min.y.min(w[1].y) };
        max = geo::coord! { x: max.x.max(w[1].x), y: max.y.max(w[1].y) };
    }
    let extent = (max.x - min.x) * (max.y - min.y);
    // The shoelace sum cancels terms of the size of the coordinates squared: compare the
    // area with that rounding, not with zero.
    let scale = ring
        .iter()
        .map(|c| c.x.abs().max(c.y.abs()))
        .fold(0.0, f64::max);
    extent == 0.0 || twice_area.abs() <= scale * scale * ring.len() as f64 * 4.0 * f64::EPSILON
}

/// A ring as read, repaired: repeats removed, closed when open. `None` (and the repair
/// noted) when fewer than 4 positions are left.
pub(crate) fn closed_ring<P: Xy>(
    positions: Vec<P>,
    part: Option<GeometryPart>,
    ring: usize,
    fixes: &mut Fixes,
) -> Option<Vec<P>> {
    let mut positions = without_repeats(positions, 0, fixes);
    if let (Some(first), Some(last)) = (positions.first().copied(), positions.last())
        && first.xy() != last.xy()
    {
        positions.push(first);
        fixes.repairs.push(Repair::RingClosed { part, ring });
    }
    if positions.len() < 4 {
        fixes.repairs.push(Repair::ShortRingDropped {
            part,
            ring,
            found: positions.len(),
        });
        return None;
    }
    Some(positions)
}

/// A decoded geometry (a GeoPackage's, in its own CRS) converted to WGS84 and repaired as the
/// GeoJSON reader repairs: `None` when nothing of it was left.
pub(crate) fn repair_geometry(
    geometry: geo::Geometry<f64>,
    transform: &crate::io::crs::Transform,
    fixes: &mut Fixes,
) -> Result<Option<geo::Geometry<f64>>, crate::error::GeometryProblem> {
    use crate::error::GeometryProblem as G;
    use geo::Geometry as Geo;
    let coord = |c: geo::Coord<f64>| {
        transform
            .to_wgs84(c.x, c.y)
            .map(|(x, y)| geo::coord! { x: x, y: y })
    };
    let line = |l: geo::LineString<f64>, fixes: &mut Fixes| {
        let xy: Vec<(f64, f64)> = l.0.iter().map(|c| (c.x, c.y)).collect();
        let xy = without_repeats(xy, 2, fixes);
        if xy.len() < 2 {
            return Err(G::LineTooShort { found: xy.len() });
        }
        xy.into_iter()
            .map(|(x, y)| coord(geo::coord! { x: x, y: y }))
            .collect::<Result<Vec<_>, _>>()
            .map(geo::LineString)
    };
    let polygon = |p: geo::Polygon<f64>, part: Option<GeometryPart>, fixes: &mut Fixes| {
        let (exterior, interiors) = p.into_inner();
        let mut rings = Vec::with_capacity(1 + interiors.len());
        for (ring, r) in std::iter::once(exterior).chain(interiors).enumerate() {
            let xy: Vec<(f64, f64)> = r.0.iter().map(|c| (c.x, c.y)).collect();
            let kept = match closed_ring(xy, part, ring, fixes) {
                None => None,
                Some(xy) => {
                    let coords = xy
                        .into_iter()
                        .map(|(x, y)| coord(geo::coord! { x: x, y: y }))
                        .collect::<Result<Vec<_>, _>>()?;
                    if is_flat(&coords) {
                        fixes.repairs.push(Repair::FlatRingDropped { part, ring });
                        None
                    } else {
                        Some(geo::LineString(coords))
                    }
                }
            };
            match kept {
                Some(r) => rings.push(r),
                None if ring == 0 => {
                    if part.is_some() {
                        fixes.repairs.push(Repair::PolygonDropped { part });
                    }
                    return Ok(None);
                }
                None => {}
            }
        }
        let mut rings = rings.into_iter();
        let exterior = rings.next().unwrap_or_else(|| geo::LineString(Vec::new()));
        Ok(Some(geo::Polygon::new(exterior, rings.collect())))
    };
    Ok(match geometry {
        Geo::Point(p) => Some(Geo::Point(geo::Point(coord(p.0)?))),
        Geo::MultiPoint(m) => {
            if m.0.is_empty() {
                return Err(G::NoPoints);
            }
            let points =
                m.0.into_iter()
                    .map(|p| coord(p.0).map(geo::Point))
                    .collect::<Result<Vec<_>, _>>()?;
            Some(Geo::MultiPoint(geo::MultiPoint(points)))
        }
        Geo::LineString(l) => Some(Geo::LineString(line(l, fixes)?)),
        Geo::Line(l) => Some(Geo::LineString(line(l.into(), fixes)?)),
        Geo::MultiLineString(m) => {
            if m.0.is_empty() {
                return Err(G::NoLines);
            }
            let lines =
                m.0.into_iter()
                    .map(|l| line(l, fixes))
                    .collect::<Result<Vec<_>, _>>()?;
            Some(Geo::MultiLineString(geo::MultiLineString(lines)))
        }
        Geo::Polygon(p) => polygon(p, None, fixes)?.map(Geo::Polygon),
        Geo::MultiPolygon(m) => {
            if m.0.is_empty() {
                return Err(G::NoPolygons);
            }
            let mut kept = Vec::with_capacity(m.0.len());
            for (i, p) in m.0.into_iter().enumerate() {
                kept.extend(polygon(p, Some(GeometryPart::Polygon(i)), fixes)?);
            }
            (!kept.is_empty()).then_some(Geo::MultiPolygon(geo::MultiPolygon(kept)))
        }
        Geo::GeometryCollection(c) => {
            let mut kept = Vec::with_capacity(c.0.len());
            for g in c.0 {
                kept.extend(repair_geometry(g, transform, fixes)?);
            }
            (!kept.is_empty()).then_some(Geo::GeometryCollection(geo::GeometryCollection(kept)))
        }
        Geo::Rect(r) => polygon(r.to_polygon(), None, fixes)?.map(Geo::Polygon),
        Geo::Triangle(t) => polygon(t.to_polygon(), None, fixes)?.map(Geo::Polygon),
    })
}

#[cfg(test)]
mod repairs_tests {
    use super::*;

    #[test]
    fn repairs_beyond_the_listed_are_counted_not_held() {
        let mut repairs = Repairs::default();
        for feature in 0..LISTED_REPAIRS + 500 {
            for _ in 0..2 {
                repairs.push(RepairEntry {
                    feature,
                    source_id: None,
                    repair: Repair::RingClosed {
                        part: None,
                        ring: 0,
                    },
                });
            }
        }
        assert_eq!(repairs.len(), LISTED_REPAIRS);
        assert_eq!(repairs.total, 2 * (LISTED_REPAIRS + 500));
        assert_eq!(repairs.features, LISTED_REPAIRS + 500);
        assert_eq!(repairs.by_kind["ring_closed"], repairs.total);
        assert_eq!(repairs.unlisted(), LISTED_REPAIRS + 1000);
    }
}
