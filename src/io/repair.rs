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
    pub(crate) fn drain_into(
        &mut self,
        feature: usize,
        source_id: Option<String>,
        out: &mut Vec<RepairEntry>,
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
