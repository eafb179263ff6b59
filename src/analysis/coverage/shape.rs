//! The covered region as a set of simple convex or polygonal shapes in local metres, each able
//! to say which stretch of a horizontal line it covers. Coverage areas are integrated row by
//! row over those stretches (the sweep module), which is exact across each row and needs no
//! polygon union: the union of thousands of buffers is what makes a GIS slow.

use rstar::primitives::{GeomWithData, Rectangle};
use rstar::{AABB, RTree};

/// A point in local metres, `[x east, y north]`.
pub type Xy = [f64; 2];

/// One piece of the covered region.
#[derive(Debug, Clone, PartialEq)]
pub enum Shape {
    /// Everything within `r` of `c` (a point facility's buffer).
    Disk {
        /// Centre.
        c: Xy,
        /// Radius, metres.
        r: f64,
    },
    /// Everything within `r` of the segment `a`–`b` (a line's or a polygon edge's buffer, a
    /// reachable stretch of the network).
    Capsule {
        /// One end.
        a: Xy,
        /// The other end.
        b: Xy,
        /// Radius, metres.
        r: f64,
    },
    /// The inside of a polygon (even–odd over its rings): a polygon facility itself.
    Inside(Rings),
}

/// A polygon's closed rings in local metres (first the exterior, then holes; any orientation).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Rings(pub Vec<Vec<Xy>>);

impl Rings {
    /// The x where the rings' edges cross the line at `y`, ascending: consecutive pairs are the
    /// inside stretches (half-open rule, so a vertex on the line counts once).
    pub fn crossings(&self, y: f64, out: &mut Vec<f64>) {
        out.clear();
        for ring in &self.0 {
            for w in ring.windows(2) {
                let (p, q) = (w[0], w[1]);
                if (p[1] <= y) != (q[1] <= y) {
                    out.push(p[0] + (y - p[1]) / (q[1] - p[1]) * (q[0] - p[0]));
                }
            }
        }
        out.sort_by(f64::total_cmp);
    }

    /// The inside stretches of the line at `y`, appended to `out`.
    pub fn intervals(&self, y: f64, scratch: &mut Vec<f64>, out: &mut Vec<(f64, f64)>) {
        self.crossings(y, scratch);
        out.extend(scratch.chunks_exact(2).map(|c| (c[0], c[1])));
    }

    /// `[min, max]` corners, or `None` when empty.
    pub fn bbox(&self) -> Option<(Xy, Xy)> {
        let mut it = self.0.iter().flatten();
        let first = *it.next()?;
        Some(it.fold((first, first), |(lo, hi), p| {
            (
                [lo[0].min(p[0]), lo[1].min(p[1])],
                [hi[0].max(p[0]), hi[1].max(p[1])],
            )
        }))
    }

    /// True when `p` is inside (even–odd).
    pub fn contains(&self, p: Xy) -> bool {
        let mut inside = false;
        for ring in &self.0 {
            for w in ring.windows(2) {
                let (a, b) = (w[0], w[1]);
                if (a[1] <= p[1]) != (b[1] <= p[1]) {
                    let x = a[0] + (p[1] - a[1]) / (b[1] - a[1]) * (b[0] - a[0]);
                    if x > p[0] {
                        inside = !inside;
                    }
                }
            }
        }
        inside
    }

    /// Planar area, m².
    pub fn area(&self) -> f64 {
        let mut sum = 0.0;
        for (k, ring) in self.0.iter().enumerate() {
            let a: f64 = ring
                .windows(2)
                .map(|w| w[0][0] * w[1][1] - w[1][0] * w[0][1])
                .sum::<f64>()
                .abs()
                / 2.0;
            sum += if k == 0 { a } else { -a };
        }
        sum
    }
}

impl Shape {
    /// `[min, max]` corners.
    pub fn bbox(&self) -> (Xy, Xy) {
        match self {
            Shape::Disk { c, r } => ([c[0] - r, c[1] - r], [c[0] + r, c[1] + r]),
            Shape::Capsule { a, b, r } => (
                [a[0].min(b[0]) - r, a[1].min(b[1]) - r],
                [a[0].max(b[0]) + r, a[1].max(b[1]) + r],
            ),
            Shape::Inside(rings) => rings.bbox().unwrap_or(([0.0, 0.0], [-1.0, -1.0])),
        }
    }

    /// The stretches of the line at `y` this shape covers, appended to `out`.
    pub fn intervals(&self, y: f64, scratch: &mut Vec<f64>, out: &mut Vec<(f64, f64)>) {
        match self {
            Shape::Disk { c, r } => {
                if let Some(h) = half_chord(*r, y - c[1]) {
                    out.push((c[0] - h, c[0] + h));
                }
            }
            Shape::Capsule { a, b, r } => {
                if let Some(i) = capsule_interval(*a, *b, *r, y) {
                    out.push(i);
                }
            }
            Shape::Inside(rings) => rings.intervals(y, scratch, out),
        }
    }

    /// True when the shape covers `p`.
    pub fn contains(&self, p: Xy) -> bool {
        match self {
            Shape::Disk { c, r } => dist2(*c, p) <= r * r,
            Shape::Capsule { a, b, r } => segment_dist2(*a, *b, p) <= r * r,
            Shape::Inside(rings) => rings.contains(p),
        }
    }
}

fn half_chord(r: f64, dy: f64) -> Option<f64> {
    let s = r * r - dy * dy;
    (s > 0.0).then(|| s.sqrt())
}

/// The stretch of the line at `y` within `r` of the segment `a`–`b`: the capsule is convex, so
/// it is one interval, the hull of the end discs' chords and the side rectangle's crossing.
fn capsule_interval(a: Xy, b: Xy, r: f64, y: f64) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for c in [a, b] {
        if let Some(h) = half_chord(r, y - c[1]) {
            lo = lo.min(c[0] - h);
            hi = hi.max(c[0] + h);
        }
    }
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let len = (dx * dx + dy * dy).sqrt();
    if len > 0.0 {
        let (nx, ny) = (-dy / len * r, dx / len * r);
        let corners = [
            [a[0] + nx, a[1] + ny],
            [b[0] + nx, b[1] + ny],
            [b[0] - nx, b[1] - ny],
            [a[0] - nx, a[1] - ny],
        ];
        for k in 0..4 {
            let (p, q) = (corners[k], corners[(k + 1) % 4]);
            if (p[1] <= y) != (q[1] <= y) {
                let x = p[0] + (y - p[1]) / (q[1] - p[1]) * (q[0] - p[0]);
                lo = lo.min(x);
                hi = hi.max(x);
            }
        }
    }
    (lo < hi).then_some((lo, hi))
}

/// Squared distance between two points.
pub fn dist2(a: Xy, b: Xy) -> f64 {
    let (dx, dy) = (a[0] - b[0], a[1] - b[1]);
    dx * dx + dy * dy
}

/// The parameter `t ∈ [0, 1]` of the point of `a`–`b` nearest to `p`.
pub fn segment_t(a: Xy, b: Xy, p: Xy) -> f64 {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let l2 = dx * dx + dy * dy;
    if l2 == 0.0 {
        return 0.0;
    }
    (((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / l2).clamp(0.0, 1.0)
}

/// The point at parameter `t` of `a`–`b`.
pub fn lerp(a: Xy, b: Xy, t: f64) -> Xy {
    [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t]
}

/// Squared distance from `p` to the segment `a`–`b`.
pub fn segment_dist2(a: Xy, b: Xy, p: Xy) -> f64 {
    dist2(lerp(a, b, segment_t(a, b, p)), p)
}

/// An R-tree entry: a box and an index.
pub type Boxed = GeomWithData<Rectangle<Xy>, usize>;

/// An R-tree over boxes, by index.
pub fn box_tree(boxes: impl IntoIterator<Item = (Xy, Xy)>) -> RTree<Boxed> {
    RTree::bulk_load(
        boxes
            .into_iter()
            .enumerate()
            .map(|(i, (lo, hi))| GeomWithData::new(Rectangle::from_corners(lo, hi), i))
            .collect(),
    )
}

/// The indices whose boxes meet `[lo, hi]`.
pub fn in_box(tree: &RTree<Boxed>, lo: Xy, hi: Xy) -> impl Iterator<Item = usize> + '_ {
    tree.locate_in_envelope_intersecting(AABB::from_corners(lo, hi))
        .map(|e| e.data)
}

/// Merges stretches into disjoint ones, ascending (sorts `v` in place).
pub fn union_in_place(v: &mut Vec<(f64, f64)>) {
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut w = 0;
    for k in 0..v.len() {
        let cur = v[k];
        if w > 0 && cur.0 <= v[w - 1].1 {
            v[w - 1].1 = v[w - 1].1.max(cur.1);
        } else {
            v[w] = cur;
            w += 1;
        }
    }
    v.truncate(w);
}

/// Total length of the overlap of two disjoint ascending stretch lists.
pub fn overlap_len(a: &[(f64, f64)], b: &[(f64, f64)]) -> f64 {
    let (mut i, mut j, mut sum) = (0, 0, 0.0);
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if hi > lo {
            sum += hi - lo;
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
    sum
}

/// The parts of `a` not in `b` (both disjoint and ascending), appended to `out`.
pub fn difference(a: &[(f64, f64)], b: &[(f64, f64)], out: &mut Vec<(f64, f64)>) {
    let mut j = 0;
    for &(lo, hi) in a {
        let mut x = lo;
        while j < b.len() && b[j].1 <= x {
            j += 1;
        }
        let mut k = j;
        while k < b.len() && b[k].0 < hi {
            if b[k].0 > x {
                out.push((x, b[k].0));
            }
            x = x.max(b[k].1);
            k += 1;
        }
        if x < hi {
            out.push((x, hi));
        }
    }
}

/// Total length of disjoint stretches.
pub fn total_len(v: &[(f64, f64)]) -> f64 {
    v.iter().map(|(a, b)| b - a).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stretch_algebra() {
        let mut v = vec![(3.0, 5.0), (0.0, 1.0), (0.5, 2.0)];
        union_in_place(&mut v);
        assert_eq!(v, vec![(0.0, 2.0), (3.0, 5.0)]);
        assert_eq!(overlap_len(&v, &[(1.0, 4.0)]), 2.0);
        let mut d = Vec::new();
        difference(&[(0.0, 10.0)], &v, &mut d);
        assert_eq!(d, vec![(2.0, 3.0), (5.0, 10.0)]);
    }

    #[test]
    fn capsule_rows_integrate_to_its_area() {
        let s = Shape::Capsule {
            a: [0.0, 0.0],
            b: [30.0, 40.0],
            r: 10.0,
        };
        let (lo, hi) = s.bbox();
        let h = 0.01;
        let (mut scratch, mut out) = (Vec::new(), Vec::new());
        let mut area = 0.0;
        let mut y = lo[1] + h / 2.0;
        while y < hi[1] {
            out.clear();
            s.intervals(y, &mut scratch, &mut out);
            area += total_len(&out) * h;
            y += h;
        }
        let exact = 2.0 * 10.0 * 50.0 + std::f64::consts::PI * 100.0;
        assert!((area - exact).abs() / exact < 1e-4, "{area} vs {exact}");
        assert!(s.contains([15.0, 20.0]) && !s.contains([30.0, 0.0]));
    }
}
