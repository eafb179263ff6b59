//! Point symbols of the element types (the catalog names them), for the map and the legend.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape, Stroke, Vec2, vec2};

/// A symbol named by the catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Symbol {
    /// A disc.
    Circle,
    /// A square.
    Square,
    /// An upward triangle.
    Triangle,
    /// A five-pointed star.
    Star,
    /// A leaf (a pointed lens).
    Leaf,
    /// A short solid line (line types).
    Line,
    /// A short dashed line (line types).
    Dash,
}

impl Symbol {
    /// The symbol for a catalog key; unknown keys get a circle.
    pub fn from_key(key: &str) -> Self {
        match key {
            "square" => Self::Square,
            "triangle" => Self::Triangle,
            "star" => Self::Star,
            "leaf" => Self::Leaf,
            "line" => Self::Line,
            "dash" => Self::Dash,
            _ => Self::Circle,
        }
    }

    /// Appends the symbol's shapes centred on `at` with `radius` (points).
    pub fn paint(
        self,
        at: Pos2,
        radius: f32,
        fill: Color32,
        outline: Color32,
        out: &mut Vec<Shape>,
    ) {
        let stroke = Stroke::new(1.0, outline);
        match self {
            Self::Circle => {
                out.push(Shape::circle_filled(at, radius, fill));
                out.push(Shape::circle_stroke(at, radius, stroke));
            }
            Self::Square => {
                let r = radius * 0.9;
                out.push(Shape::rect_filled(
                    Rect::from_center_size(at, Vec2::splat(2.0 * r)),
                    0.0,
                    fill,
                ));
                out.push(Shape::closed_line(
                    vec![
                        at + vec2(-r, -r),
                        at + vec2(r, -r),
                        at + vec2(r, r),
                        at + vec2(-r, r),
                    ],
                    stroke,
                ));
            }
            Self::Triangle => {
                let points: Vec<Pos2> = (0..3)
                    .map(|k| {
                        let a =
                            -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::TAU / 3.0;
                        at + radius * 1.15 * vec2(a.cos(), a.sin())
                    })
                    .collect();
                out.push(Shape::convex_polygon(points, fill, stroke));
            }
            Self::Star => {
                // A star is concave but star-shaped around its centre: a triangle fan is exact.
                let points: Vec<Pos2> = (0..10)
                    .map(|k| {
                        let a =
                            -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
                        let r = if k % 2 == 0 {
                            radius * 1.25
                        } else {
                            radius * 0.55
                        };
                        at + r * vec2(a.cos(), a.sin())
                    })
                    .collect();
                out.push(fan(at, &points, fill));
                out.push(Shape::closed_line(points, stroke));
            }
            Self::Leaf => {
                let points: Vec<Pos2> = (0..=16)
                    .map(|k| {
                        let t = k as f32 / 16.0 * std::f32::consts::TAU;
                        // A narrow ellipse tilted 45°: a leaf at symbol size.
                        let (x, y) = (radius * 1.25 * t.cos(), radius * 0.6 * t.sin());
                        let (s, c) = std::f32::consts::FRAC_PI_4.sin_cos();
                        at + vec2(x * c - y * s, x * s + y * c)
                    })
                    .collect();
                out.push(Shape::convex_polygon(points, fill, stroke));
            }
            Self::Line => out.push(Shape::line_segment(
                [at - vec2(radius, 0.0), at + vec2(radius, 0.0)],
                Stroke::new(3.0, fill),
            )),
            Self::Dash => out.extend(Shape::dashed_line(
                &[at - vec2(radius * 1.2, 0.0), at + vec2(radius * 1.2, 0.0)],
                Stroke::new(3.0, fill),
                4.0,
                3.0,
            )),
        }
    }
}

/// A filled star-shaped polygon as a fan from `centre`.
fn fan(centre: Pos2, ring: &[Pos2], fill: Color32) -> Shape {
    let mut mesh = Mesh::default();
    mesh.vertices.push(Vertex {
        pos: centre,
        uv: WHITE_UV,
        color: fill,
    });
    mesh.vertices.extend(ring.iter().map(|&pos| Vertex {
        pos,
        uv: WHITE_UV,
        color: fill,
    }));
    let n = ring.len() as u32;
    for k in 0..n {
        mesh.add_triangle(0, 1 + k, 1 + (k + 1) % n);
    }
    Shape::mesh(mesh)
}

/// A symbol drawn in a legend box: lines are drawn as a stroke across the box.
pub fn legend_shapes(symbol: Symbol, rect: Rect, fill: Color32, outline: Color32) -> Vec<Shape> {
    let mut out = Vec::new();
    symbol.paint(rect.center(), rect.height() * 0.35, fill, outline, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_symbol_paints_something() {
        for key in [
            "circle", "square", "triangle", "star", "leaf", "line", "dash", "unknown",
        ] {
            let mut out = Vec::new();
            Symbol::from_key(key).paint(Pos2::ZERO, 6.0, Color32::RED, Color32::BLACK, &mut out);
            assert!(!out.is_empty(), "{key}");
        }
    }
}
