//! Point symbols of the element types (the catalog names them), for the map and the legend.

use std::sync::Arc;

use crate::render::primitive::{Mesh, MeshVertex, Primitive, Rgba, Stroke};
use crate::render::screen::{ScreenPos, ScreenRect, screen_vec};
use crate::render::style;

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

    /// Appends the symbol's primitives centred on `at` with `radius` (points); colours are
    /// premultiplied.
    pub fn paint(
        self,
        at: ScreenPos,
        radius: f32,
        fill: Rgba,
        outline: Rgba,
        out: &mut Vec<Primitive>,
    ) {
        let stroke = Stroke {
            width: style::SYMBOL_STROKE_WIDTH,
            colour: outline,
        };
        let line = Stroke {
            width: style::SYMBOL_LINE_WIDTH,
            colour: fill,
        };
        match self {
            Self::Circle => out.push(Primitive::Circle {
                centre: at,
                radius,
                fill: Some(fill),
                stroke: Some(stroke),
            }),
            Self::Square => {
                let r = radius * 0.9;
                out.push(Primitive::Rect {
                    rect: ScreenRect::from_center_size(at, screen_vec(2.0 * r, 2.0 * r)),
                    fill,
                });
                out.push(Primitive::Path {
                    points: vec![
                        at + screen_vec(-r, -r),
                        at + screen_vec(r, -r),
                        at + screen_vec(r, r),
                        at + screen_vec(-r, r),
                    ],
                    closed: true,
                    stroke,
                    dash: None,
                });
            }
            Self::Triangle => {
                let points: Vec<ScreenPos> = (0..3)
                    .map(|k| {
                        let a =
                            -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::TAU / 3.0;
                        at + radius * 1.15 * screen_vec(a.cos(), a.sin())
                    })
                    .collect();
                out.push(Primitive::ConvexPolygon {
                    points,
                    fill,
                    stroke: Some(stroke),
                });
            }
            Self::Star => {
                // A star is concave but star-shaped around its centre: a triangle fan is exact.
                let points: Vec<ScreenPos> = (0..10)
                    .map(|k| {
                        let a =
                            -std::f32::consts::FRAC_PI_2 + k as f32 * std::f32::consts::PI / 5.0;
                        let r = if k % 2 == 0 {
                            radius * 1.25
                        } else {
                            radius * 0.55
                        };
                        at + r * screen_vec(a.cos(), a.sin())
                    })
                    .collect();
                out.push(fan(at, &points, fill));
                out.push(Primitive::Path {
                    points,
                    closed: true,
                    stroke,
                    dash: None,
                });
            }
            Self::Leaf => {
                let points: Vec<ScreenPos> = (0..=16)
                    .map(|k| {
                        let t = k as f32 / 16.0 * std::f32::consts::TAU;
                        // A narrow ellipse tilted 45°: a leaf at symbol size.
                        let (x, y) = (radius * 1.25 * t.cos(), radius * 0.6 * t.sin());
                        let (s, c) = std::f32::consts::FRAC_PI_4.sin_cos();
                        at + screen_vec(x * c - y * s, x * s + y * c)
                    })
                    .collect();
                out.push(Primitive::ConvexPolygon {
                    points,
                    fill,
                    stroke: Some(stroke),
                });
            }
            Self::Line => out.push(Primitive::Path {
                points: vec![at - screen_vec(radius, 0.0), at + screen_vec(radius, 0.0)],
                closed: false,
                stroke: line,
                dash: None,
            }),
            Self::Dash => out.push(Primitive::Path {
                points: vec![
                    at - screen_vec(radius * 1.2, 0.0),
                    at + screen_vec(radius * 1.2, 0.0),
                ],
                closed: false,
                stroke: line,
                dash: Some([4.0, 3.0]),
            }),
        }
    }
}

/// A filled star-shaped polygon as a fan from `centre`.
fn fan(centre: ScreenPos, ring: &[ScreenPos], fill: Rgba) -> Primitive {
    let mut mesh = Mesh::default();
    mesh.vertices.push(MeshVertex {
        pos: centre,
        colour: fill,
    });
    mesh.vertices
        .extend(ring.iter().map(|&pos| MeshVertex { pos, colour: fill }));
    let n = ring.len() as u32;
    for k in 0..n {
        mesh.indices.extend([0, 1 + k, 1 + (k + 1) % n]);
    }
    Primitive::Mesh(Arc::new(mesh))
}

/// A symbol drawn in a legend box: lines are drawn as a stroke across the box.
pub fn legend_primitives(
    symbol: Symbol,
    rect: ScreenRect,
    fill: Rgba,
    outline: Rgba,
) -> Vec<Primitive> {
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
            Symbol::from_key(key).paint(
                ScreenPos::default(),
                6.0,
                [255, 0, 0, 255],
                [0, 0, 0, 255],
                &mut out,
            );
            assert!(!out.is_empty(), "{key}");
        }
    }
}
