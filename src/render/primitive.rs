//! What a scene is made of: plain drawing primitives in screen points, with colours as
//! premultiplied RGBA bytes. The window's egui painter is one consumer; a print renderer
//! (SVG, PNG, PDF) is meant to be another, reading the same list.

use std::sync::Arc;

use crate::render::screen::{ScreenPos, ScreenRect};

/// A colour: red, green, blue, alpha bytes, **premultiplied** by alpha (what GPUs, egui and
/// tiny-skia blend; [`unmultiplied`] gives the straight RGBA an SVG writer wants).
pub type Rgba = [u8; 4];

/// Fully transparent.
pub const TRANSPARENT: Rgba = [0; 4];

/// The straight (not premultiplied) RGBA of a premultiplied colour.
pub fn unmultiplied(c: Rgba) -> Rgba {
    match c[3] {
        0 => TRANSPARENT,
        255 => c,
        a => {
            let un =
                |v: u8| ((u32::from(v) * 255 + u32::from(a) / 2) / u32::from(a)).min(255) as u8;
            [un(c[0]), un(c[1]), un(c[2]), a]
        }
    }
}

/// One vertex of a triangle mesh.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct MeshVertex {
    /// Where it is.
    pub pos: ScreenPos,
    /// Its colour (premultiplied); triangles blend their vertices' colours.
    pub colour: Rgba,
}

/// Triangles with a colour per vertex: the fills of a layer, or its feathered outlines.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Mesh {
    /// The vertices.
    pub vertices: Vec<MeshVertex>,
    /// Three indices into `vertices` per triangle.
    pub indices: Vec<u32>,
}

impl Mesh {
    /// True when it has no triangles.
    pub fn is_empty(&self) -> bool {
        self.indices.is_empty()
    }

    /// Empties it, keeping its buffers.
    pub fn clear(&mut self) {
        self.vertices.clear();
        self.indices.clear();
    }

    /// Appends an axis-aligned rectangle in one colour.
    pub fn add_rect(&mut self, r: ScreenRect, colour: Rgba) {
        let base = self.vertices.len() as u32;
        for pos in [
            r.left_top(),
            r.right_top(),
            r.left_bottom(),
            r.right_bottom(),
        ] {
            self.vertices.push(MeshVertex { pos, colour });
        }
        self.indices
            .extend([base, base + 1, base + 2, base + 2, base + 1, base + 3]);
    }
}

/// A line's width and colour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stroke {
    /// Width.
    ///
    /// # Units
    /// Points.
    pub width: f32,
    /// Colour.
    pub colour: Rgba,
}

/// A run of text to draw.
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    /// Top-left corner of the text's box.
    pub pos: ScreenPos,
    /// The text (one line).
    pub text: String,
    /// Font size (proportional font).
    ///
    /// # Units
    /// Points.
    pub size: f32,
    /// Ink.
    pub colour: Rgba,
    /// A halo drawn behind the text (copies offset by about a point around it), if any.
    pub halo: Option<Rgba>,
}

/// One thing to draw, in screen points.
#[derive(Debug, Clone, PartialEq)]
pub enum Primitive {
    /// Triangles (shared so a consumer may keep it without copying).
    Mesh(Arc<Mesh>),
    /// A polyline or closed ring, stroked; dashed when `dash` gives (dash, gap) lengths.
    Path {
        /// The points.
        points: Vec<ScreenPos>,
        /// Whether the last point joins the first.
        closed: bool,
        /// The line.
        stroke: Stroke,
        /// Dash and gap lengths, points; `None` for a solid line.
        dash: Option<[f32; 2]>,
    },
    /// A convex polygon, filled and outlined.
    ConvexPolygon {
        /// Its corners.
        points: Vec<ScreenPos>,
        /// Fill.
        fill: Rgba,
        /// Outline, if any.
        stroke: Option<Stroke>,
    },
    /// A circle, filled and/or outlined.
    Circle {
        /// Centre.
        centre: ScreenPos,
        /// Radius, points.
        radius: f32,
        /// Fill, if any.
        fill: Option<Rgba>,
        /// Outline, if any.
        stroke: Option<Stroke>,
    },
    /// An axis-aligned filled rectangle.
    Rect {
        /// The rectangle.
        rect: ScreenRect,
        /// Fill.
        fill: Rgba,
    },
    /// Text.
    Text(TextRun),
}
