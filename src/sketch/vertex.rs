//! Vertex editing of a geometry: list vertices and edges, move, insert and delete a vertex,
//! keeping rings closed and refusing edits that would leave a line or ring too short.

use geo::{Coord, Geometry, LineString, Polygon};

/// Where a vertex is: which part (of a multi-geometry), which ring (0 = exterior for polygons;
/// 0 for lines and points) and which position in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct VertexRef {
    /// Part of a multi-geometry (0 for a single geometry).
    pub part: usize,
    /// Ring of a polygon (0 = exterior).
    pub ring: usize,
    /// Position in the line or ring.
    pub index: usize,
}

fn polygon_rings(part: usize, p: &Polygon<f64>) -> Vec<(usize, usize, &LineString<f64>, bool)> {
    std::iter::once(p.exterior())
        .chain(p.interiors())
        .enumerate()
        .map(|(r, l)| (part, r, l, true))
        .collect()
}

/// The lines of a geometry with their addresses: (part, ring, line, is a closed ring).
fn lines(geometry: &Geometry<f64>) -> Vec<(usize, usize, &LineString<f64>, bool)> {
    match geometry {
        Geometry::LineString(l) => vec![(0, 0, l, false)],
        Geometry::MultiLineString(m) => {
            m.0.iter()
                .enumerate()
                .map(|(i, l)| (i, 0, l, false))
                .collect()
        }
        Geometry::Polygon(p) => polygon_rings(0, p),
        Geometry::MultiPolygon(m) => {
            m.0.iter()
                .enumerate()
                .flat_map(|(i, p)| polygon_rings(i, p))
                .collect()
        }
        _ => Vec::new(),
    }
}

/// Every vertex with its address; a ring's closing vertex (equal to its first) is left out.
pub fn vertices(geometry: &Geometry<f64>) -> Vec<(VertexRef, Coord<f64>)> {
    match geometry {
        Geometry::Point(p) => vec![(
            VertexRef {
                part: 0,
                ring: 0,
                index: 0,
            },
            p.0,
        )],
        Geometry::MultiPoint(m) => {
            m.0.iter()
                .enumerate()
                .map(|(i, p)| {
                    (
                        VertexRef {
                            part: i,
                            ring: 0,
                            index: 0,
                        },
                        p.0,
                    )
                })
                .collect()
        }
        _ => lines(geometry)
            .into_iter()
            .flat_map(|(part, ring, l, closed)| {
                let n = if closed {
                    l.0.len().saturating_sub(1)
                } else {
                    l.0.len()
                };
                l.0[..n]
                    .iter()
                    .enumerate()
                    .map(move |(index, c)| (VertexRef { part, ring, index }, *c))
            })
            .collect(),
    }
}

/// Every edge (segment) with the address of its first vertex.
pub fn edges(geometry: &Geometry<f64>) -> Vec<(VertexRef, Coord<f64>, Coord<f64>)> {
    lines(geometry)
        .into_iter()
        .flat_map(|(part, ring, l, _)| {
            l.0.windows(2)
                .enumerate()
                .map(move |(index, w)| (VertexRef { part, ring, index }, w[0], w[1]))
        })
        .collect()
}

/// Applies `f` to the addressed line (or point), returning the new geometry, or `None` when
/// the address does not exist or `f` refuses.
fn with_line(
    geometry: &Geometry<f64>,
    at: VertexRef,
    f: impl FnOnce(&mut Vec<Coord<f64>>, bool) -> Option<()>,
) -> Option<Geometry<f64>> {
    let mut g = geometry.clone();
    let ring_of = |p: &mut Polygon<f64>, ring: usize, f: &mut dyn FnMut(&mut LineString<f64>)| {
        if ring == 0 {
            p.exterior_mut(|l| f(l));
        } else {
            p.interiors_mut(|rings| {
                if let Some(l) = rings.get_mut(ring - 1) {
                    f(l)
                }
            });
        }
    };
    let mut result = None;
    let mut f = Some(f);
    let mut apply = |l: &mut LineString<f64>, closed: bool| {
        if let Some(f) = f.take() {
            let mut coords = l.0.clone();
            if closed {
                coords.pop();
            }
            result = f(&mut coords, closed);
            if result.is_some() {
                if closed && let Some(first) = coords.first().copied() {
                    coords.push(first);
                }
                l.0 = coords;
            }
        }
    };
    match &mut g {
        Geometry::Point(p) if at.part == 0 && at.index == 0 => {
            let mut coords = vec![p.0];
            f.take()?(&mut coords, false)?;
            p.0 = *coords.first()?;
            return Some(g);
        }
        Geometry::MultiPoint(m) => {
            let p = m.0.get_mut(at.part)?;
            let mut coords = vec![p.0];
            f.take()?(&mut coords, false)?;
            p.0 = *coords.first()?;
            return Some(g);
        }
        Geometry::LineString(l) if at.part == 0 => apply(l, false),
        Geometry::MultiLineString(m) => apply(m.0.get_mut(at.part)?, false),
        Geometry::Polygon(p) if at.part == 0 => ring_of(p, at.ring, &mut |l| apply(l, true)),
        Geometry::MultiPolygon(m) => {
            ring_of(m.0.get_mut(at.part)?, at.ring, &mut |l| apply(l, true))
        }
        _ => return None,
    }
    result.map(|()| g)
}

/// Moves a vertex; moving a ring's first vertex moves its closing vertex with it.
pub fn move_vertex(
    geometry: &Geometry<f64>,
    at: VertexRef,
    to: Coord<f64>,
) -> Option<Geometry<f64>> {
    with_line(geometry, at, |coords, _| {
        *coords.get_mut(at.index)? = to;
        Some(())
    })
}

/// Inserts a vertex on the edge that starts at `edge` (between it and the next vertex).
pub fn insert_vertex(
    geometry: &Geometry<f64>,
    edge: VertexRef,
    at: Coord<f64>,
) -> Option<Geometry<f64>> {
    with_line(geometry, edge, |coords, closed| {
        let len = coords.len();
        let valid = if closed {
            edge.index < len
        } else {
            edge.index + 1 < len
        };
        if !valid {
            return None;
        }
        coords.insert(edge.index + 1, at);
        Some(())
    })
}

/// Deletes a vertex; refused (`None`) when a line would keep fewer than 2 vertices or a ring
/// fewer than 3 distinct ones, and for points (delete the feature instead).
pub fn delete_vertex(geometry: &Geometry<f64>, at: VertexRef) -> Option<Geometry<f64>> {
    if matches!(geometry, Geometry::Point(_) | Geometry::MultiPoint(_)) {
        return None;
    }
    with_line(geometry, at, |coords, closed| {
        let min = if closed { 3 } else { 2 };
        if coords.len() <= min || at.index >= coords.len() {
            return None;
        }
        coords.remove(at.index);
        Some(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{coord, polygon};

    fn square() -> Geometry<f64> {
        Geometry::Polygon(
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 1.0)],
        )
    }

    #[test]
    fn vertices_and_edges_of_a_square() {
        assert_eq!(vertices(&square()).len(), 4);
        assert_eq!(edges(&square()).len(), 4);
    }

    #[test]
    fn moving_the_first_vertex_keeps_the_ring_closed() {
        let at = VertexRef {
            part: 0,
            ring: 0,
            index: 0,
        };
        let Some(Geometry::Polygon(p)) = move_vertex(&square(), at, coord! { x: -1.0, y: -1.0 })
        else {
            panic!()
        };
        assert_eq!(p.exterior().0.first(), p.exterior().0.last());
        assert_eq!(p.exterior().0[0], coord! { x: -1.0, y: -1.0 });
    }

    #[test]
    fn insert_and_delete() {
        let edge = VertexRef {
            part: 0,
            ring: 0,
            index: 3,
        }; // the closing edge
        let g = insert_vertex(&square(), edge, coord! { x: 0.0, y: 0.5 }).unwrap();
        assert_eq!(vertices(&g).len(), 5);
        let g = delete_vertex(
            &g,
            VertexRef {
                part: 0,
                ring: 0,
                index: 4,
            },
        )
        .unwrap();
        assert_eq!(vertices(&g).len(), 4);
        let tri = delete_vertex(
            &g,
            VertexRef {
                part: 0,
                ring: 0,
                index: 0,
            },
        )
        .unwrap();
        assert!(
            delete_vertex(
                &tri,
                VertexRef {
                    part: 0,
                    ring: 0,
                    index: 0
                }
            )
            .is_none(),
            "a ring keeps three vertices"
        );
        let line = Geometry::LineString(LineString::from(vec![(0.0, 0.0), (1.0, 0.0)]));
        assert!(
            delete_vertex(
                &line,
                VertexRef {
                    part: 0,
                    ring: 0,
                    index: 0
                }
            )
            .is_none()
        );
        assert!(
            insert_vertex(
                &line,
                VertexRef {
                    part: 0,
                    ring: 0,
                    index: 1
                },
                coord! { x: 2.0, y: 0.0 }
            )
            .is_none()
        );
        let point = Geometry::Point(geo::Point::new(1.0, 1.0));
        let moved = move_vertex(
            &point,
            VertexRef {
                part: 0,
                ring: 0,
                index: 0,
            },
            coord! { x: 2.0, y: 3.0 },
        )
        .unwrap();
        assert_eq!(moved, Geometry::Point(geo::Point::new(2.0, 3.0)));
    }
}
