//! Candidate sites: greedy maximal covering over a grid of cells.
//!
//! Demand is the uncovered weight (each weight's uncovered part, at its place), or without
//! weights the uncovered area, sampled on a grid a fifth of the threshold apart. Sites are cell
//! centres half the threshold apart, inside some area. Each pick takes the site that would
//! cover the most remaining demand within the threshold, then that demand is covered and every
//! other site's gain drops accordingly (a lazy max-heap: gains only fall). Sites are ranked by
//! straight-line distance under both models; what a site truly adds along the network is what
//! [`Coverage::added`] says once a sketch is started there.

use std::collections::{BinaryHeap, HashMap};

use super::Coverage;
use super::shape::{self, Xy};

/// One candidate site.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    /// Longitude of the site, degrees.
    pub lon: f64,
    /// Latitude of the site, degrees.
    pub lat: f64,
    /// The demand it adds when picked in this order: weight, or m² when there is no weight.
    pub gain: f64,
    /// The area (index into the results) it lies in.
    pub area: Option<usize>,
}

/// At most this many area samples (the grid coarsens beyond).
const MAX_SAMPLES: f64 = 2.0e6;

#[derive(Debug, Clone, Copy, PartialEq)]
struct Gain(f64, usize);
impl Eq for Gain {}
impl Ord for Gain {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0).then_with(|| o.1.cmp(&self.1))
    }
}
impl PartialOrd for Gain {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

type Cell = (i64, i64);

impl Coverage {
    /// The top `n` candidate sites, best first; `by_weight` tells what their gains count.
    pub fn candidates(&self, n: usize) -> (Vec<Candidate>, bool) {
        let d = self.distance_m.max(1.0);
        let Some((lo, hi)) =
            self.areas
                .iter()
                .filter_map(|a| a.rings.bbox())
                .reduce(|(a, b), (c, e)| {
                    (
                        [a[0].min(c[0]), a[1].min(c[1])],
                        [b[0].max(e[0]), b[1].max(e[1])],
                    )
                })
        else {
            return (Vec::new(), false);
        };
        let by_weight = !self.weights.is_empty();
        let demand = if by_weight {
            self.weights
                .iter()
                .filter(|w| w.covered < 1.0)
                .map(|w| (w.at, w.weight * (1.0 - w.covered)))
                .collect()
        } else {
            self.area_demand(lo, hi, d)
        };
        // Sites, on a grid half the threshold apart.
        let c = d / 2.0;
        let mut sites: Vec<(Xy, Option<usize>)> = Vec::new();
        let mut site_at: HashMap<Cell, usize> = HashMap::new();
        let (ni, nj) = (
            ((hi[0] - lo[0]) / c).ceil() as i64,
            ((hi[1] - lo[1]) / c).ceil() as i64,
        );
        for i in 0..ni.max(1) {
            for j in 0..nj.max(1) {
                let p = [lo[0] + (i as f64 + 0.5) * c, lo[1] + (j as f64 + 0.5) * c];
                if let Some(a) = self.area_at(p) {
                    site_at.insert((i, j), sites.len());
                    sites.push((p, Some(a)));
                }
            }
        }
        let sites_near = |p: Xy| {
            let (i0, i1) = (
                ((p[0] - d - lo[0]) / c).floor() as i64,
                ((p[0] + d - lo[0]) / c).ceil() as i64,
            );
            let (j0, j1) = (
                ((p[1] - d - lo[1]) / c).floor() as i64,
                ((p[1] + d - lo[1]) / c).ceil() as i64,
            );
            let mut out = Vec::new();
            for i in i0..=i1 {
                for j in j0..=j1 {
                    if let Some(&s) = site_at.get(&(i, j))
                        && shape::dist2(sites[s].0, p) <= d * d
                    {
                        out.push(s);
                    }
                }
            }
            out
        };
        let mut gain = vec![0.0; sites.len()];
        let mut bucket: HashMap<Cell, Vec<usize>> = HashMap::new();
        for (k, &(p, w)) in demand.iter().enumerate() {
            for s in sites_near(p) {
                gain[s] += w;
            }
            bucket
                .entry(((p[0] / d).floor() as i64, (p[1] / d).floor() as i64))
                .or_default()
                .push(k);
        }
        let mut heap: BinaryHeap<Gain> = gain
            .iter()
            .enumerate()
            .filter(|(_, g)| **g > 0.0)
            .map(|(s, &g)| Gain(g, s))
            .collect();
        let mut taken = vec![false; demand.len()];
        let mut out = Vec::new();
        while out.len() < n {
            let Some(Gain(g, s)) = heap.pop() else {
                break;
            };
            if (g - gain[s]).abs() > 1e-9 * g.abs().max(1.0) {
                if gain[s] > 1e-9 {
                    heap.push(Gain(gain[s], s));
                }
                continue;
            }
            let (p, area) = sites[s];
            let [lon, lat] = self.lonlat(p);
            out.push(Candidate {
                lon,
                lat,
                gain: g,
                area,
            });
            let (ci, cj) = ((p[0] / d).floor() as i64, (p[1] / d).floor() as i64);
            for i in ci - 1..=ci + 1 {
                for j in cj - 1..=cj + 1 {
                    for &k in bucket.get(&(i, j)).into_iter().flatten() {
                        let (q, w) = demand[k];
                        if taken[k] || shape::dist2(p, q) > d * d {
                            continue;
                        }
                        taken[k] = true;
                        for t in sites_near(q) {
                            gain[t] -= w;
                        }
                    }
                }
            }
            gain[s] = 0.0;
        }
        (out, by_weight)
    }

    /// Uncovered area as weighted sample points.
    fn area_demand(&self, lo: Xy, hi: Xy, d: f64) -> Vec<(Xy, f64)> {
        let extent = (hi[0] - lo[0]).max(1.0) * (hi[1] - lo[1]).max(1.0);
        let s = (d / 5.0).max((extent / MAX_SAMPLES).sqrt()).max(1.0);
        let mut out = Vec::new();
        let mut y = lo[1] + s / 2.0;
        while y < hi[1] {
            let mut x = lo[0] + s / 2.0;
            while x < hi[0] {
                let p = [x, y];
                if let Some(a) = self.area_at(p)
                    && !self.covers(p)
                {
                    out.push((p, s * s * self.areas[a].ground_per_planar));
                }
                x += s;
            }
            y += s;
        }
        out
    }
}
