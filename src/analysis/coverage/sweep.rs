//! Row-by-row integration: on horizontal lines `row_m` apart, the area's stretches against the
//! union of the covering shapes' stretches. Rows sit at `(k + ½)·row_m` for whole `k`, the same
//! lines for every area, so neighbouring areas are measured alike.

use rstar::RTree;

use super::shape::{self, Boxed, Rings, Shape};

/// An area's measure over some rows.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Measured {
    /// The area, planar m² (as the rows see it).
    pub area: f64,
    /// The covered part, planar m².
    pub covered: f64,
    /// The covered part with the extra shapes too, planar m².
    pub covered_with_extra: f64,
}

/// The shapes that may cover a box, in the order rows meet them.
struct Active<'a> {
    shapes: Vec<(&'a Shape, f64, f64)>,
    next: usize,
    active: Vec<usize>,
}

impl<'a> Active<'a> {
    fn new(shapes: impl Iterator<Item = &'a Shape>) -> Self {
        let mut shapes: Vec<(&Shape, f64, f64)> = shapes
            .map(|s| {
                let (lo, hi) = s.bbox();
                (s, lo[1], hi[1])
            })
            .collect();
        shapes.sort_by(|a, b| a.1.total_cmp(&b.1));
        Self {
            shapes,
            next: 0,
            active: Vec::new(),
        }
    }

    /// The union of the stretches at `y` (rows must come in ascending order).
    fn union_at(&mut self, y: f64, scratch: &mut Vec<f64>, out: &mut Vec<(f64, f64)>) {
        while self.next < self.shapes.len() && self.shapes[self.next].1 <= y {
            self.active.push(self.next);
            self.next += 1;
        }
        let shapes = &self.shapes;
        self.active.retain(|&i| shapes[i].2 >= y);
        out.clear();
        for &i in &self.active {
            self.shapes[i].0.intervals(y, scratch, out);
        }
        shape::union_in_place(out);
    }
}

/// The row lines within `[lo, hi]`.
pub fn rows(lo: f64, hi: f64, row_m: f64) -> impl Iterator<Item = f64> {
    let first = (lo / row_m).floor() as i64;
    let last = (hi / row_m).floor() as i64;
    (first..=last)
        .map(move |k| (k as f64 + 0.5) * row_m)
        .filter(move |&y| y > lo && y < hi)
}

/// The shapes of `tree` meeting the box, then `extra`.
fn nearby<'a>(
    shapes: &'a [Shape],
    tree: &'a RTree<Boxed>,
    lo: [f64; 2],
    hi: [f64; 2],
) -> impl Iterator<Item = &'a Shape> + 'a {
    shape::in_box(tree, lo, hi).filter_map(|i| shapes.get(i))
}

/// Measures `rings` against `shapes` (and, separately, `shapes` plus `extra`), over its rows
/// within `y_range` (all of them when `None`).
pub fn measure(
    rings: &Rings,
    y_range: Option<(f64, f64)>,
    row_m: f64,
    shapes: &[Shape],
    tree: &RTree<Boxed>,
    extra: &[Shape],
) -> Measured {
    let Some((mut lo, mut hi)) = rings.bbox() else {
        return Measured::default();
    };
    if let Some((y0, y1)) = y_range {
        lo[1] = lo[1].max(y0);
        hi[1] = hi[1].min(y1);
        if lo[1] >= hi[1] {
            return Measured::default();
        }
    }
    let mut base = Active::new(nearby(shapes, tree, lo, hi));
    let mut more = Active::new(extra.iter());
    let (mut scratch, mut area_iv, mut cov, mut add) =
        (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut m = Measured::default();
    for y in rows(lo[1], hi[1], row_m) {
        area_iv.clear();
        rings.intervals(y, &mut scratch, &mut area_iv);
        if area_iv.is_empty() {
            continue;
        }
        base.union_at(y, &mut scratch, &mut cov);
        let covered = shape::overlap_len(&area_iv, &cov);
        m.area += shape::total_len(&area_iv) * row_m;
        m.covered += covered * row_m;
        if extra.is_empty() {
            m.covered_with_extra += covered * row_m;
        } else {
            more.union_at(y, &mut scratch, &mut add);
            add.extend_from_slice(&cov);
            shape::union_in_place(&mut add);
            m.covered_with_extra += shape::overlap_len(&area_iv, &add) * row_m;
        }
    }
    m
}

/// Bands `band_m` tall over `rings` as rectangles `(x0, x1, y0, y1)`: where it is not covered
/// by `shapes` (`added_only` false), or where `extra` covers what `shapes` did not (true).
pub fn uncovered_bands(
    rings: &Rings,
    band_m: f64,
    shapes: &[Shape],
    tree: &RTree<Boxed>,
    extra: &[Shape],
    added_only: bool,
) -> Vec<[f64; 4]> {
    let Some((mut lo, mut hi)) = rings.bbox() else {
        return Vec::new();
    };
    if added_only {
        let Some((elo, ehi)) = bbox_of(extra) else {
            return Vec::new();
        };
        lo = [lo[0].max(elo[0]), lo[1].max(elo[1])];
        hi = [hi[0].min(ehi[0]), hi[1].min(ehi[1])];
        if lo[1] >= hi[1] || lo[0] >= hi[0] {
            return Vec::new();
        }
    }
    let mut base = Active::new(nearby(shapes, tree, lo, hi));
    let mut more = Active::new(extra.iter());
    let (mut scratch, mut area_iv, mut cov, mut add, mut inside, mut gap) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    let mut out = Vec::new();
    for y in rows(lo[1], hi[1], band_m) {
        area_iv.clear();
        rings.intervals(y, &mut scratch, &mut area_iv);
        if area_iv.is_empty() {
            continue;
        }
        base.union_at(y, &mut scratch, &mut cov);
        gap.clear();
        shape::difference(&area_iv, &cov, &mut gap);
        let pieces = if added_only {
            more.union_at(y, &mut scratch, &mut add);
            inside.clear();
            intersect(&gap, &add, &mut inside);
            &inside
        } else {
            &gap
        };
        let (y0, y1) = (y - band_m / 2.0, y + band_m / 2.0);
        out.extend(pieces.iter().map(|&(x0, x1)| [x0, x1, y0, y1]));
    }
    out
}

/// The overlap of two disjoint ascending stretch lists, appended to `out`.
fn intersect(a: &[(f64, f64)], b: &[(f64, f64)], out: &mut Vec<(f64, f64)>) {
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let lo = a[i].0.max(b[j].0);
        let hi = a[i].1.min(b[j].1);
        if hi > lo {
            out.push((lo, hi));
        }
        if a[i].1 < b[j].1 {
            i += 1;
        } else {
            j += 1;
        }
    }
}

/// The box around shapes, `None` when there are none.
pub fn bbox_of(shapes: &[Shape]) -> Option<([f64; 2], [f64; 2])> {
    shapes
        .iter()
        .map(Shape::bbox)
        .reduce(|(alo, ahi), (blo, bhi)| {
            (
                [alo[0].min(blo[0]), alo[1].min(blo[1])],
                [ahi[0].max(bhi[0]), ahi[1].max(bhi[1])],
            )
        })
}
