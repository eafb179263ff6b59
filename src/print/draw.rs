//! The drawing list every back end reads: a sheet of paper in points (1/72 inch, origin at
//! the top left, y down), holding fills, lines and texts, and clip rectangles around the map
//! frame. The map's scene ([`crate::render::scene::Scene`]) is turned into these items by
//! [`Sheet::push_scene`]; the title block, legend and furniture are added by the layout.

use crate::print::font::PrintFont;
use crate::render::primitive::{Primitive, Rgba};
use crate::render::screen::ScreenPos;

/// A point on the sheet.
///
/// # Units
/// Points (1/72 inch), from the sheet's top-left corner, y down.
pub type Pt = [f32; 2];

/// Where a text's origin is along its line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// The origin is the start of the text.
    Start,
    /// The origin is its middle.
    Middle,
    /// The origin is its end.
    End,
}

/// One thing on the sheet. Colours are premultiplied RGBA, as in [`crate::render::primitive`].
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// An area: closed rings filled together (nonzero winding, or even-odd when asked: a
    /// mask with holes).
    Fill {
        /// The rings (each implicitly closed).
        rings: Vec<Vec<Pt>>,
        /// Fill.
        colour: Rgba,
        /// Even-odd rule instead of nonzero.
        even_odd: bool,
    },
    /// A line.
    Line {
        /// The points.
        points: Vec<Pt>,
        /// Whether the last point joins the first.
        closed: bool,
        /// Width, points.
        width: f32,
        /// Ink.
        colour: Rgba,
        /// Dash and gap lengths, points.
        dash: Option<[f32; 2]>,
    },
    /// One line of text.
    Text {
        /// The anchor point on the baseline.
        at: Pt,
        /// The text.
        text: String,
        /// Font size, points.
        size: f32,
        /// Ink.
        colour: Rgba,
        /// A halo stroked behind the glyphs, if any.
        halo: Option<Rgba>,
        /// Which point of the line `at` is.
        anchor: Anchor,
        /// Width of the line as the print font lays it out, points (the back ends place
        /// middle- and end-anchored text with it).
        width: f32,
    },
    /// From here on, draw only inside this rectangle (left, top, right, bottom), until
    /// [`Item::EndClip`].
    Clip([f32; 4]),
    /// Ends the last [`Item::Clip`].
    EndClip,
}

impl Item {
    /// The box the item may paint (left, top, right, bottom), strokes and halos included;
    /// `None` for clips.
    pub fn bounds(&self) -> Option<[f32; 4]> {
        let of = |points: &mut dyn Iterator<Item = &Pt>, pad: f32| {
            let mut b = [
                f32::INFINITY,
                f32::INFINITY,
                f32::NEG_INFINITY,
                f32::NEG_INFINITY,
            ];
            for p in points {
                b = [
                    b[0].min(p[0]),
                    b[1].min(p[1]),
                    b[2].max(p[0]),
                    b[3].max(p[1]),
                ];
            }
            (b[0] <= b[2]).then_some([b[0] - pad, b[1] - pad, b[2] + pad, b[3] + pad])
        };
        match self {
            Item::Fill { rings, .. } => of(&mut rings.iter().flatten(), 1.0),
            Item::Line { points, width, .. } => of(&mut points.iter(), width * 2.0 + 1.0),
            Item::Text {
                at,
                size,
                anchor,
                width,
                ..
            } => {
                let x0 = at[0] - anchor_shift(*anchor, *width);
                Some([
                    x0 - 3.0,
                    at[1] - size * 1.2,
                    x0 + width + 3.0,
                    at[1] + size * 0.4,
                ])
            }
            Item::Clip(_) | Item::EndClip => None,
        }
    }
}

/// How far left of its anchor a text of `width` starts.
pub fn anchor_shift(anchor: Anchor, width: f32) -> f32 {
    match anchor {
        Anchor::Start => 0.0,
        Anchor::Middle => width / 2.0,
        Anchor::End => width,
    }
}

/// A sheet: its size and what is drawn on it, bottom first.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// Width, points.
    pub width: f32,
    /// Height, points.
    pub height: f32,
    /// The items, bottom first.
    pub items: Vec<Item>,
    /// What `title` a PDF's metadata and an SVG's `<title>` carry.
    pub title: String,
}

impl Sheet {
    /// Appends the map scene's primitives, mapped from scene points by `scale` then `offset`
    /// (the scene may be built at a smaller size than the frame and scaled up, so an A1 sheet
    /// shows what an A3 shows, larger); `font` measures the texts. Triangle meshes become
    /// filled outlines ([`outline_rings`]), one item per run of triangles of one colour;
    /// triangles whose corners differ in colour (the window's feathered edges) are left out:
    /// a print anti-aliases itself.
    pub fn push_scene(
        &mut self,
        primitives: &[Primitive],
        scale: f32,
        offset: Pt,
        font: &PrintFont,
    ) {
        let map = |p: ScreenPos| -> Pt { [p.x * scale + offset[0], p.y * scale + offset[1]] };
        for primitive in primitives {
            match primitive {
                Primitive::Mesh(mesh) => {
                    // Runs of triangles of one colour, as vertex indices, each turned
                    // counter-clockwise on the sheet.
                    let mut run: Option<(Rgba, Vec<[u32; 3]>)> = None;
                    for tri in mesh.indices.chunks_exact(3) {
                        let v = |i: u32| mesh.vertices.get(i as usize);
                        let (Some(a), Some(b), Some(c)) = (v(tri[0]), v(tri[1]), v(tri[2])) else {
                            continue;
                        };
                        if a.colour != b.colour || a.colour != c.colour || a.colour[3] == 0 {
                            continue;
                        }
                        let cross = (b.pos.x - a.pos.x) * (c.pos.y - a.pos.y)
                            - (b.pos.y - a.pos.y) * (c.pos.x - a.pos.x);
                        let t = if cross < 0.0 {
                            [tri[0], tri[2], tri[1]]
                        } else {
                            [tri[0], tri[1], tri[2]]
                        };
                        match &mut run {
                            Some((colour, tris)) if *colour == a.colour => tris.push(t),
                            _ => {
                                if let Some((colour, tris)) = run.take() {
                                    let rings =
                                        outline_rings(
                                            &tris,
                                            |i| map(mesh.vertices[i as usize].pos),
                                        );
                                    self.fill(rings, colour);
                                }
                                run = Some((a.colour, vec![t]));
                            }
                        }
                    }
                    if let Some((colour, tris)) = run {
                        let rings = outline_rings(&tris, |i| map(mesh.vertices[i as usize].pos));
                        self.fill(rings, colour);
                    }
                }
                Primitive::Path {
                    points,
                    closed,
                    stroke,
                    dash,
                } => self.items.push(Item::Line {
                    points: points.iter().map(|&p| map(p)).collect(),
                    closed: *closed,
                    width: stroke.width * scale,
                    colour: stroke.colour,
                    dash: dash.map(|[d, g]| [d * scale, g * scale]),
                }),
                Primitive::ConvexPolygon {
                    points,
                    fill,
                    stroke,
                } => {
                    let ring = points.iter().map(|&p| map(p)).collect();
                    self.shape(ring, (fill[3] > 0).then_some(*fill), *stroke, scale);
                }
                Primitive::Circle {
                    centre,
                    radius,
                    fill,
                    stroke,
                } => self.shape(circle(map(*centre), radius * scale), *fill, *stroke, scale),
                Primitive::Rect { rect, fill } => {
                    let (a, b) = (map(rect.min), map(rect.max));
                    self.fill(vec![rect_ring([a[0], a[1], b[0], b[1]])], *fill);
                }
                Primitive::Text(run) => {
                    // A scene's text box is its top-left corner; a sheet's text sits on its
                    // baseline (about 0.9 em under the top in the print font).
                    let size = run.size * scale;
                    let at = map(run.pos);
                    self.items.push(Item::Text {
                        at: [at[0], at[1] + size * TEXT_BASELINE_EM],
                        text: run.text.clone(),
                        size,
                        colour: run.colour,
                        halo: run.halo,
                        anchor: Anchor::Start,
                        width: font.width_em(&run.text) * size,
                    });
                }
            }
        }
    }

    /// Appends a closed shape, filled and/or outlined (a scene stroke's width scaled).
    fn shape(
        &mut self,
        ring: Vec<Pt>,
        fill: Option<Rgba>,
        stroke: Option<crate::render::primitive::Stroke>,
        scale: f32,
    ) {
        if let Some(f) = fill {
            self.fill(vec![ring.clone()], f);
        }
        if let Some(s) = stroke {
            self.line(ring, true, s.width * scale, s.colour);
        }
    }

    /// Appends a filled area (nonzero rule).
    pub fn fill(&mut self, rings: Vec<Vec<Pt>>, colour: Rgba) {
        if !rings.is_empty() {
            self.items.push(Item::Fill {
                rings,
                colour,
                even_odd: false,
            });
        }
    }

    /// Appends a line.
    pub fn line(&mut self, points: Vec<Pt>, closed: bool, width: f32, colour: Rgba) {
        self.items.push(Item::Line {
            points,
            closed,
            width,
            colour,
            dash: None,
        });
    }
}

/// The outline of a set of triangles (vertex indices, all turned the same way) as closed
/// rings: every edge two triangles share cancels (it runs both ways), the edges left are the
/// area's boundary, chained end to start. Filled with the nonzero rule the rings cover
/// exactly the triangles, with no seams between them and far fewer points to write and
/// rasterise than the triangles themselves.
pub fn outline_rings(tris: &[[u32; 3]], pos: impl Fn(u32) -> Pt) -> Vec<Vec<Pt>> {
    use std::collections::HashMap;
    let mut edges: HashMap<(u32, u32), u32> = HashMap::with_capacity(tris.len() * 3);
    for t in tris {
        for (a, b) in [(t[0], t[1]), (t[1], t[2]), (t[2], t[0])] {
            if a == b {
                continue;
            }
            match edges.get_mut(&(b, a)) {
                Some(n) if *n > 0 => *n -= 1,
                _ => *edges.entry((a, b)).or_insert(0) += 1,
            }
        }
    }
    // Outgoing boundary edges per vertex, in a deterministic order.
    let mut out: HashMap<u32, Vec<u32>> = HashMap::new();
    let mut starts: Vec<(u32, u32)> = Vec::new();
    for (&(a, b), &n) in &edges {
        for _ in 0..n {
            out.entry(a).or_default().push(b);
            starts.push((a, b));
        }
    }
    starts.sort_unstable();
    for v in out.values_mut() {
        v.sort_unstable();
    }
    let mut rings = Vec::new();
    for (a, _) in starts {
        if out.get(&a).is_none_or(Vec::is_empty) {
            continue;
        }
        let mut ring = vec![pos(a)];
        let mut at = a;
        while let Some(next) = out.get_mut(&at).and_then(Vec::pop) {
            if next == a {
                break;
            }
            ring.push(pos(next));
            at = next;
        }
        if ring.len() >= 3 {
            rings.push(ring);
        }
    }
    rings
}

/// Where a scene text's baseline is under the top of its box, in ems of its size.
pub const TEXT_BASELINE_EM: f32 = 0.92;

/// A rectangle (left, top, right, bottom) as a ring.
pub fn rect_ring(r: [f32; 4]) -> Vec<Pt> {
    vec![[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]]
}

/// A circle as a polygon fine enough for print (a segment every few degrees).
pub fn circle(c: Pt, r: f32) -> Vec<Pt> {
    let n = ((r * 2.0).clamp(12.0, 72.0)) as usize;
    (0..n)
        .map(|i| {
            let a = i as f32 / n as f32 * std::f32::consts::TAU;
            [c[0] + r * a.cos(), c[1] + r * a.sin()]
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_triangles_of_a_square_make_one_ring() {
        let p = [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 1.0]];
        let rings = outline_rings(&[[0, 1, 2], [0, 2, 3]], |i| p[i as usize]);
        assert_eq!(rings.len(), 1);
        assert_eq!(rings[0].len(), 4);
        // A square with a hole: outer ring and hole.
        let q = [
            [0.0, 0.0],
            [3.0, 0.0],
            [3.0, 3.0],
            [0.0, 3.0],
            [1.0, 1.0],
            [2.0, 1.0],
            [2.0, 2.0],
            [1.0, 2.0],
        ];
        let tris = [
            [0, 1, 5],
            [0, 5, 4],
            [1, 2, 6],
            [1, 6, 5],
            [2, 3, 7],
            [2, 7, 6],
            [3, 0, 4],
            [3, 4, 7],
        ];
        let rings = outline_rings(&tris, |i| q[i as usize]);
        assert_eq!(rings.len(), 2);
        assert!(rings.iter().all(|r| r.len() == 4));
    }
}
