//! A line layer as a walking network, and how far one walks along it.
//!
//! Every vertex is a node; vertices closer than the snapping tolerance are one node; a line
//! ending within the tolerance of another line's segment (a T-junction drawn without a shared
//! vertex) is joined to it there. Lines that cross without a shared vertex are *not* joined:
//! a bridge passes over a river road, a rail line over a street. Facilities enter the network at
//! the nearest point of the nearest segment (a polygon at each boundary vertex close to the
//! network: its entrances), the walk there counted in the distance; a multi-source Dijkstra,
//! stopped at the threshold, gives every node's walking distance, and the reachable stretches
//! are the edges' parts within the threshold.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};

use rstar::RTree;

use super::shape::{self, Boxed, Shape, Xy};
use super::{Facility, NetworkOptions};

/// One edge: a straight segment between two nodes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Edge {
    /// One end node.
    pub a: u32,
    /// The other end node.
    pub b: u32,
    /// Length, metres.
    pub len: f64,
}

/// Where a walk starts: a point on an edge, and the walk to it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Source {
    /// The edge.
    pub edge: u32,
    /// The position along it, 0 at `a`, 1 at `b`.
    pub t: f64,
    /// The distance already walked to get there, metres.
    pub d0: f64,
}

/// A walking network in local metres.
#[derive(Debug, Clone, Default)]
pub struct Graph {
    nodes: Vec<Xy>,
    edges: Vec<Edge>,
    adj: Vec<Vec<u32>>,
    tree: RTree<Boxed>,
}

impl Graph {
    /// Builds the network from polylines, `snap_m` the node tolerance.
    pub fn build(lines: &[Vec<Xy>], snap_m: f64) -> Graph {
        let tol = snap_m.max(1e-6);
        let mut nodes: Vec<Xy> = Vec::new();
        let mut grid: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
        let cell = |p: Xy| ((p[0] / tol).floor() as i64, (p[1] / tol).floor() as i64);
        let mut node_for = |p: Xy, nodes: &mut Vec<Xy>| -> u32 {
            let (cx, cy) = cell(p);
            for dx in -1..=1 {
                for dy in -1..=1 {
                    if let Some(ids) = grid.get(&(cx + dx, cy + dy)) {
                        for &id in ids {
                            if shape::dist2(nodes[id as usize], p) <= tol * tol {
                                return id;
                            }
                        }
                    }
                }
            }
            let id = nodes.len() as u32;
            nodes.push(p);
            grid.entry((cx, cy)).or_default().push(id);
            id
        };
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        let mut seen = HashSet::new();
        for line in lines {
            let ids: Vec<u32> = line.iter().map(|&p| node_for(p, &mut nodes)).collect();
            for w in ids.windows(2) {
                let key = (w[0].min(w[1]), w[0].max(w[1]));
                if w[0] != w[1] && seen.insert(key) {
                    pairs.push((w[0], w[1]));
                }
            }
        }
        // T-junctions: a dangling end near another segment splits it there.
        let mut degree = vec![0u32; nodes.len()];
        for &(a, b) in &pairs {
            degree[a as usize] += 1;
            degree[b as usize] += 1;
        }
        let raw_tree = shape::box_tree(pairs.iter().map(|&(a, b)| {
            let (p, q) = (nodes[a as usize], nodes[b as usize]);
            (
                [p[0].min(q[0]), p[1].min(q[1])],
                [p[0].max(q[0]), p[1].max(q[1])],
            )
        }));
        let mut splits: HashMap<usize, Vec<(f64, u32)>> = HashMap::new();
        for (n, &d) in degree.iter().enumerate() {
            if d != 1 {
                continue;
            }
            let p = nodes[n];
            let best = shape::in_box(
                &raw_tree,
                [p[0] - tol, p[1] - tol],
                [p[0] + tol, p[1] + tol],
            )
            .filter(|&e| pairs[e].0 as usize != n && pairs[e].1 as usize != n)
            .map(|e| {
                let (a, b) = (nodes[pairs[e].0 as usize], nodes[pairs[e].1 as usize]);
                (e, shape::segment_t(a, b, p), shape::segment_dist2(a, b, p))
            })
            .filter(|&(_, t, d2)| d2 <= tol * tol && t > 0.0 && t < 1.0)
            .min_by(|x, y| x.2.total_cmp(&y.2).then(x.0.cmp(&y.0)));
            if let Some((e, t, _)) = best {
                splits.entry(e).or_default().push((t, n as u32));
            }
        }
        let mut edges = Vec::with_capacity(pairs.len());
        for (e, &(a, b)) in pairs.iter().enumerate() {
            let mut chain = vec![a];
            if let Some(s) = splits.get_mut(&e) {
                s.sort_by(|x, y| x.0.total_cmp(&y.0));
                chain.extend(s.iter().map(|&(_, n)| n));
            }
            chain.push(b);
            for w in chain.windows(2) {
                if w[0] != w[1] {
                    let len = shape::dist2(nodes[w[0] as usize], nodes[w[1] as usize]).sqrt();
                    edges.push(Edge {
                        a: w[0],
                        b: w[1],
                        len,
                    });
                }
            }
        }
        let mut adj = vec![Vec::new(); nodes.len()];
        for (i, e) in edges.iter().enumerate() {
            adj[e.a as usize].push(i as u32);
            adj[e.b as usize].push(i as u32);
        }
        let tree = shape::box_tree(edges.iter().map(|e| {
            let (p, q) = (nodes[e.a as usize], nodes[e.b as usize]);
            (
                [p[0].min(q[0]), p[1].min(q[1])],
                [p[0].max(q[0]), p[1].max(q[1])],
            )
        }));
        Graph {
            nodes,
            edges,
            adj,
            tree,
        }
    }

    /// Number of nodes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// The edges.
    pub fn edges(&self) -> &[Edge] {
        &self.edges
    }

    /// A node's position, local metres.
    pub fn node(&self, n: u32) -> Xy {
        self.nodes[n as usize]
    }

    fn ends(&self, e: u32) -> (Xy, Xy) {
        let e = self.edges[e as usize];
        (self.nodes[e.a as usize], self.nodes[e.b as usize])
    }

    /// The nearest point of the network to `p`: edge, position, distance.
    pub fn nearest(&self, p: Xy) -> Option<(u32, f64, f64)> {
        let mut best: Option<(u32, f64, f64)> = None;
        for (entry, box_d2) in self.tree.nearest_neighbor_iter_with_distance_2(p) {
            if best.is_some_and(|(_, _, d)| box_d2 > d * d) {
                break;
            }
            let (a, b) = self.ends(entry.data as u32);
            let t = shape::segment_t(a, b, p);
            let d = shape::dist2(shape::lerp(a, b, t), p).sqrt();
            if best.is_none_or(|(be, _, bd)| d < bd || (d == bd && (entry.data as u32) < be)) {
                best = Some((entry.data as u32, t, d));
            }
        }
        best
    }

    /// Where a facility enters the network (walks over `distance_m` are dropped), and the
    /// walks from it to the network as capsules `access_m` wide.
    pub(crate) fn entrances(
        &self,
        f: &Facility,
        o: NetworkOptions,
        distance_m: f64,
    ) -> (Vec<Source>, Vec<Shape>) {
        let mut vertices = f.vertices();
        // A detailed park outline: a few hundred entrances are plenty.
        if vertices.len() > 256 {
            let step = vertices.len().div_ceil(256);
            vertices = vertices.into_iter().step_by(step).collect();
        }
        let snapped: Vec<(Xy, (u32, f64, f64))> = vertices
            .iter()
            .filter_map(|&v| self.nearest(v).map(|s| (v, s)))
            .collect();
        let close: Vec<&(Xy, (u32, f64, f64))> = snapped
            .iter()
            .filter(|(_, s)| s.2 <= o.entrance_m)
            .collect();
        let chosen: Vec<&(Xy, (u32, f64, f64))> = if close.is_empty() {
            snapped
                .iter()
                .min_by(|x, y| x.1.2.total_cmp(&y.1.2))
                .into_iter()
                .collect()
        } else {
            close
        };
        let mut sources = Vec::new();
        let mut walks = Vec::new();
        for &&(v, (edge, t, d0)) in &chosen {
            if d0 >= distance_m {
                continue;
            }
            sources.push(Source { edge, t, d0 });
            let (a, b) = self.ends(edge);
            walks.push(Shape::Capsule {
                a: v,
                b: shape::lerp(a, b, t),
                r: o.access_m,
            });
        }
        (sources, walks)
    }

    /// Walking distance to every node reached within `limit_m` from the sources.
    pub fn distances(&self, sources: &[Source], limit_m: f64) -> HashMap<u32, f64> {
        let mut dist: HashMap<u32, f64> = HashMap::new();
        let mut heap = BinaryHeap::new();
        let push = |n: u32, d: f64, dist: &mut HashMap<u32, f64>, heap: &mut BinaryHeap<Near>| {
            if d <= limit_m && dist.get(&n).is_none_or(|&old| d < old) {
                dist.insert(n, d);
                heap.push(Near(d, n));
            }
        };
        for s in sources {
            let e = self.edges[s.edge as usize];
            push(e.a, s.d0 + s.t * e.len, &mut dist, &mut heap);
            push(e.b, s.d0 + (1.0 - s.t) * e.len, &mut dist, &mut heap);
        }
        while let Some(Near(d, n)) = heap.pop() {
            if dist.get(&n).is_some_and(|&best| d > best) {
                continue;
            }
            for &ei in &self.adj[n as usize] {
                let e = self.edges[ei as usize];
                let other = if e.a == n { e.b } else { e.a };
                push(other, d + e.len, &mut dist, &mut heap);
            }
        }
        dist
    }

    /// The stretches reachable within `limit_m` as capsules `access_m` wide.
    pub fn reach_shapes(&self, sources: &[Source], limit_m: f64, access_m: f64) -> Vec<Shape> {
        let dist = self.distances(sources, limit_m);
        let mut out = Vec::new();
        let mut done = HashSet::new();
        let capsule = |e: u32, t0: f64, t1: f64| {
            let (a, b) = self.ends(e);
            Shape::Capsule {
                a: shape::lerp(a, b, t0),
                b: shape::lerp(a, b, t1),
                r: access_m,
            }
        };
        let mut reached: Vec<u32> = dist.keys().copied().collect();
        reached.sort_unstable();
        for n in reached {
            for &ei in &self.adj[n as usize] {
                if !done.insert(ei) {
                    continue;
                }
                let e = self.edges[ei as usize];
                if e.len <= 0.0 {
                    continue;
                }
                let from = |node: u32| {
                    dist.get(&node)
                        .map_or(0.0, |d| ((limit_m - d) / e.len).clamp(0.0, 1.0))
                };
                let (fa, fb) = (from(e.a), from(e.b));
                if fa + fb >= 1.0 {
                    out.push(capsule(ei, 0.0, 1.0));
                } else {
                    if fa > 0.0 {
                        out.push(capsule(ei, 0.0, fa));
                    }
                    if fb > 0.0 {
                        out.push(capsule(ei, 1.0 - fb, 1.0));
                    }
                }
            }
        }
        // A source's own edge, walked both ways from where it entered.
        for s in sources {
            let e = self.edges[s.edge as usize];
            if e.len > 0.0 {
                let reach = (limit_m - s.d0) / e.len;
                out.push(capsule(
                    s.edge,
                    (s.t - reach).clamp(0.0, 1.0),
                    (s.t + reach).clamp(0.0, 1.0),
                ));
            }
        }
        out
    }
}

/// A heap entry, nearest first.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Near(f64, u32);

impl Eq for Near {}

impl Ord for Near {
    fn cmp(&self, other: &Self) -> Ordering {
        other
            .0
            .total_cmp(&self.0)
            .then_with(|| other.1.cmp(&self.1))
    }
}

impl PartialOrd for Near {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn t_junction_joins_and_crossing_does_not() {
        // A horizontal street, a side street ending on it mid-segment, and a line crossing
        // the street without a shared vertex (a bridge over it).
        let lines = vec![
            vec![[0.0, 0.0], [100.0, 0.0]],
            vec![[50.0, 0.3], [50.0, 80.0]],
            vec![[80.0, -50.0], [80.0, 50.0]],
        ];
        let g = Graph::build(&lines, 1.0);
        let (e, t, _) = g.nearest([0.0, 0.0]).expect("edge");
        let d = g.distances(
            &[Source {
                edge: e,
                t,
                d0: 0.0,
            }],
            1000.0,
        );
        let top = (0..g.node_count() as u32)
            .find(|&n| g.node(n) == [50.0, 80.0])
            .expect("node");
        let bridge = (0..g.node_count() as u32)
            .find(|&n| g.node(n) == [80.0, 50.0])
            .expect("node");
        assert!((d[&top] - 130.0).abs() < 0.5, "{:?}", d.get(&top));
        assert!(!d.contains_key(&bridge));
    }
}
