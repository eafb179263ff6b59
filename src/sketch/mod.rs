//! The geometry a draw tool is building: vertices clicked so far, for one element type drawn as
//! one geometry kind. Click adds a vertex, Backspace removes the last, double-click or Enter
//! finishes, Esc drops the sketch. Kept free of any UI so the rules are tested here once.

pub mod snap;
pub mod vertex;

use geo::orient::{Direction, Orient};
use geo::{Coord, Geometry, LineString, Point, Polygon};
use uuid::Uuid;

use crate::model::catalog::GeometryKind;
use crate::session::{Edit, NewFeature};

/// A feature being drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Sketch {
    /// Element type key.
    pub element: String,
    /// The geometry kind being drawn (the type's default or another allowed one).
    pub kind: GeometryKind,
    /// Vertices so far, WGS84 lon/lat.
    pub vertices: Vec<Coord<f64>>,
}

impl Sketch {
    /// An empty sketch.
    pub fn new(element: impl Into<String>, kind: GeometryKind) -> Self {
        Self {
            element: element.into(),
            kind,
            vertices: Vec::new(),
        }
    }

    /// Adds a vertex. A vertex equal to the last one (the second click of a double-click) is
    /// ignored.
    pub fn push(&mut self, c: Coord<f64>) {
        if self.vertices.last() != Some(&c) {
            self.vertices.push(c);
        }
    }

    /// Removes the last vertex (Backspace).
    pub fn pop(&mut self) -> Option<Coord<f64>> {
        self.vertices.pop()
    }

    /// Vertices a finished geometry of this kind needs.
    pub fn min_vertices(&self) -> usize {
        match self.kind {
            GeometryKind::Point => 1,
            GeometryKind::Line => 2,
            GeometryKind::Polygon => 3,
        }
    }

    /// True when the sketch can be finished: a point has its vertex, a line two, a polygon three.
    pub fn can_finish(&self) -> bool {
        self.vertices.len() >= self.min_vertices()
    }

    /// True when the next click finishes the sketch by itself (points).
    pub fn finishes_on_click(&self) -> bool {
        self.kind == GeometryKind::Point
    }

    /// The geometry of the vertices so far plus `cursor` (the rubber band), for the live
    /// preview and measures; `None` while too few vertices.
    pub fn preview(&self, cursor: Option<Coord<f64>>) -> Option<Geometry<f64>> {
        let mut vertices = self.vertices.clone();
        if let Some(c) = cursor
            && vertices.last() != Some(&c)
        {
            vertices.push(c);
        }
        build(self.kind, vertices)
    }

    /// The finished geometry; `None` while too few vertices.
    pub fn geometry(&self) -> Option<Geometry<f64>> {
        build(self.kind, self.vertices.clone())
    }

    /// The edit that adds the finished feature, with a fresh id.
    pub fn finish(&self) -> Option<Edit> {
        Some(Edit::Add(NewFeature {
            id: Uuid::new_v4(),
            element: self.element.clone(),
            geometry: self.geometry()?,
            name: String::new(),
            properties: Default::default(),
            project: None,
        }))
    }
}

fn build(kind: GeometryKind, vertices: Vec<Coord<f64>>) -> Option<Geometry<f64>> {
    match kind {
        GeometryKind::Point => vertices.first().map(|c| Geometry::Point(Point(*c))),
        GeometryKind::Line => {
            (vertices.len() >= 2).then_some(Geometry::LineString(LineString(vertices)))
        }
        // A planner may click corners either way round; the ring is stored by RFC 7946's
        // right-hand rule (counter-clockwise), like every exported polygon.
        GeometryKind::Polygon => (vertices.len() >= 3).then(|| {
            Geometry::Polygon(
                Polygon::new(LineString(vertices), Vec::new()).orient(Direction::Default),
            )
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::coord;

    #[test]
    fn polygon_sketch_rules() {
        let mut s = Sketch::new("pocket_garden", GeometryKind::Polygon);
        s.push(coord! { x: 121.5, y: 31.2 });
        s.push(coord! { x: 121.501, y: 31.2 });
        assert!(!s.can_finish());
        assert_eq!(s.finish(), None);
        // The rubber band already shows a triangle.
        assert!(s.preview(Some(coord! { x: 121.501, y: 31.201 })).is_some());
        s.push(coord! { x: 121.501, y: 31.201 });
        s.push(coord! { x: 121.501, y: 31.201 }); // second click of the double-click
        assert_eq!(s.vertices.len(), 3);
        let Some(Geometry::Polygon(p)) = s.geometry() else {
            panic!("a polygon")
        };
        assert!(p.exterior().is_closed());
        assert_eq!(p.exterior().0.len(), 4);
        assert!(s.pop().is_some());
        assert!(!s.can_finish());
    }

    #[test]
    fn a_polygon_clicked_clockwise_is_stored_counter_clockwise_and_measures_as_drawn() {
        use geo::Winding;
        let mut s = Sketch::new("pocket_garden", GeometryKind::Polygon);
        for (x, y) in [
            (121.5, 31.2),
            (121.5, 31.201),
            (121.501, 31.201),
            (121.501, 31.2),
        ] {
            s.push(coord! { x: x, y: y });
        }
        let Some(Geometry::Polygon(p)) = s.geometry() else {
            panic!("a polygon")
        };
        assert!(p.exterior().is_ccw());
        let area_m2 = crate::analysis::measure::area_m2(&Geometry::Polygon(p));
        assert!((area_m2 - 10_600.0).abs() < 150.0, "{area_m2}");
    }

    #[test]
    fn point_and_line_sketches() {
        let mut p = Sketch::new("art_space", GeometryKind::Point);
        assert!(p.finishes_on_click());
        p.push(coord! { x: 121.5, y: 31.2 });
        assert!(
            matches!(p.finish(), Some(Edit::Add(f)) if matches!(f.geometry, Geometry::Point(_)))
        );
        let mut l = Sketch::new("slow_network", GeometryKind::Line);
        l.push(coord! { x: 121.5, y: 31.2 });
        assert!(!l.can_finish());
        l.push(coord! { x: 121.6, y: 31.2 });
        assert!(matches!(l.geometry(), Some(Geometry::LineString(ls)) if ls.0.len() == 2));
    }
}
