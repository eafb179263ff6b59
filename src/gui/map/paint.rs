//! The egui consumer of the map scene: turns [`render`](crate::render) primitives into
//! `egui::Shape`s, and measures label text with egui's fonts for the scene's
//! [`FontMetrics`]. The shapes are kept until the scene changes, so a frame that reuses the
//! scene costs a clone of the shape list, as before the scene knew nothing of egui.

use std::sync::Arc;

use egui::epaint::text::FontsView;
use egui::epaint::{TextShape, Vertex, WHITE_UV};
use egui::{Color32, FontId, Pos2, Rect, Shape, Stroke, Vec2, pos2, vec2};

use crate::render::labels::FontMetrics;
use crate::render::primitive::{self, Primitive, Rgba, TextRun};
use crate::render::scene::Scene;
use crate::render::screen::{ScreenPos, ScreenRect, ScreenVec, screen_pos, screen_vec};
use crate::render::style;
use crate::render::symbols::{Symbol, legend_primitives};

impl From<ScreenPos> for Pos2 {
    #[inline(always)]
    fn from(p: ScreenPos) -> Self {
        pos2(p.x, p.y)
    }
}

impl From<Pos2> for ScreenPos {
    #[inline(always)]
    fn from(p: Pos2) -> Self {
        screen_pos(p.x, p.y)
    }
}

impl From<ScreenVec> for Vec2 {
    fn from(v: ScreenVec) -> Self {
        vec2(v.x, v.y)
    }
}

impl From<Vec2> for ScreenVec {
    fn from(v: Vec2) -> Self {
        screen_vec(v.x, v.y)
    }
}

impl From<ScreenRect> for Rect {
    fn from(r: ScreenRect) -> Self {
        Rect::from_min_max(r.min.into(), r.max.into())
    }
}

impl From<Rect> for ScreenRect {
    fn from(r: Rect) -> Self {
        ScreenRect {
            min: r.min.into(),
            max: r.max.into(),
        }
    }
}

/// egui's colour of a scene colour (both premultiplied).
#[inline(always)]
pub fn color32(c: Rgba) -> Color32 {
    Color32::from_rgba_premultiplied(c[0], c[1], c[2], c[3])
}

/// A scene colour of an egui colour.
pub fn rgba(c: Color32) -> Rgba {
    c.to_array()
}

fn stroke(s: primitive::Stroke) -> Stroke {
    Stroke::new(s.width, color32(s.colour))
}

/// egui's fonts as the scene's font metrics.
pub struct EguiFonts<'a, 'b>(pub &'a mut FontsView<'b>);

impl FontMetrics for EguiFonts<'_, '_> {
    fn text_size(&mut self, text: &str, size: f32) -> ScreenVec {
        self.0
            .layout_no_wrap(text.to_string(), FontId::proportional(size), Color32::BLACK)
            .size()
            .into()
    }
}

/// Paints primitives made for this frame (an overlay over the map) clipped to `rect`.
pub fn paint_primitives(ui: &egui::Ui, rect: egui::Rect, primitives: &[Primitive]) {
    if primitives.is_empty() {
        return;
    }
    let mut shapes = Vec::new();
    ui.ctx().fonts_mut(|fonts| {
        to_shapes(primitives, Some(fonts), &mut Vec::new(), &mut shapes);
    });
    ui.painter_at(rect).extend(shapes);
}

/// Appends the egui shapes of `primitives`. Meshes are copied into `meshes`' buffers when
/// egui has dropped last frame's clones of them (`Arc::get_mut`), so a rebuild allocates
/// little; `fonts` lays out text (without fonts, text is left out).
pub fn to_shapes(
    primitives: &[Primitive],
    mut fonts: Option<&mut FontsView<'_>>,
    meshes: &mut Vec<Arc<egui::Mesh>>,
    out: &mut Vec<Shape>,
) {
    let mut next_mesh = 0;
    for p in primitives {
        match p {
            Primitive::Mesh(mesh) => {
                if next_mesh == meshes.len() {
                    meshes.push(Arc::default());
                }
                let slot = &mut meshes[next_mesh];
                next_mesh += 1;
                if Arc::get_mut(slot).is_none() {
                    *slot = Arc::default();
                }
                if let Some(target) = Arc::get_mut(slot) {
                    target.clear();
                    target.vertices.extend(mesh.vertices.iter().map(|v| Vertex {
                        pos: v.pos.into(),
                        uv: WHITE_UV,
                        color: color32(v.colour),
                    }));
                    target.indices.extend_from_slice(&mesh.indices);
                }
                out.push(Shape::Mesh(slot.clone()));
            }
            Primitive::Path {
                points,
                closed,
                stroke: s,
                dash,
            } => {
                let points: Vec<Pos2> = points.iter().map(|&p| p.into()).collect();
                let s = stroke(*s);
                match (closed, dash) {
                    (true, _) => out.push(Shape::closed_line(points, s)),
                    (false, Some([dash, gap])) => {
                        out.extend(Shape::dashed_line(&points, s, *dash, *gap));
                    }
                    (false, None) if points.len() == 2 => {
                        out.push(Shape::line_segment([points[0], points[1]], s));
                    }
                    (false, None) => out.push(Shape::line(points, s)),
                }
            }
            Primitive::ConvexPolygon {
                points,
                fill,
                stroke: s,
            } => out.push(Shape::convex_polygon(
                points.iter().map(|&p| p.into()).collect(),
                color32(*fill),
                s.map_or(Stroke::NONE, stroke),
            )),
            Primitive::Circle {
                centre,
                radius,
                fill,
                stroke: s,
            } => {
                if let Some(fill) = fill {
                    out.push(Shape::circle_filled(
                        (*centre).into(),
                        *radius,
                        color32(*fill),
                    ));
                }
                if let Some(s) = s {
                    out.push(Shape::circle_stroke((*centre).into(), *radius, stroke(*s)));
                }
            }
            Primitive::Rect { rect, fill } => {
                out.push(Shape::rect_filled(Rect::from(*rect), 0.0, color32(*fill)));
            }
            Primitive::Text(run) => {
                if let Some(fonts) = fonts.as_deref_mut() {
                    push_text(run, fonts, out);
                }
            }
        }
    }
    meshes.truncate(next_mesh);
}

fn push_text(run: &TextRun, fonts: &mut FontsView<'_>, out: &mut Vec<Shape>) {
    let colour = color32(run.colour);
    let galley = fonts.layout_no_wrap(run.text.clone(), FontId::proportional(run.size), colour);
    let pos: Pos2 = run.pos.into();
    if let Some(halo) = run.halo {
        let halo = color32(halo);
        for [dx, dy] in style::LABEL_HALO_OFFSETS {
            out.push(Shape::Text(
                TextShape::new(pos + vec2(dx, dy), galley.clone(), halo)
                    .with_override_text_color(halo),
            ));
        }
    }
    out.push(Shape::Text(TextShape::new(pos, galley, colour)));
}

/// The egui shapes of the last scene, remade only when the scene was rebuilt.
#[derive(Default)]
pub struct PaintCache {
    revision: Option<u64>,
    shapes: Vec<Shape>,
    meshes: Vec<Arc<egui::Mesh>>,
    /// The pins' shapes, drawn last.
    pin_shapes: Vec<Shape>,
}

impl std::fmt::Debug for PaintCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaintCache")
            .field("revision", &self.revision)
            .field("shapes", &self.shapes.len())
            .finish()
    }
}

impl PaintCache {
    /// Remakes the shapes if `scene` changed since the last call. Returns whether it did.
    pub fn update(&mut self, scene: &Scene, fonts: &mut FontsView<'_>) -> bool {
        if self.revision == Some(scene.revision()) {
            return false;
        }
        // Drop our clones of the old meshes first, so their buffers can be reused.
        self.shapes.clear();
        to_shapes(
            scene.primitives(),
            Some(fonts),
            &mut self.meshes,
            &mut self.shapes,
        );
        self.pin_shapes.clear();
        to_shapes(
            scene.pin_primitives(),
            Some(fonts),
            &mut Vec::new(),
            &mut self.pin_shapes,
        );
        self.revision = Some(scene.revision());
        true
    }

    /// The shapes, bottom first (the pins' apart).
    pub fn shapes(&self) -> &[Shape] {
        &self.shapes
    }

    /// The pins' shapes, to draw above everything else on the map.
    pub fn pin_shapes(&self) -> &[Shape] {
        &self.pin_shapes
    }
}

/// Appends a symbol's shapes centred on `at` with `radius` (points).
pub fn paint_symbol(
    symbol: Symbol,
    at: Pos2,
    radius: f32,
    fill: Color32,
    outline: Color32,
    out: &mut Vec<Shape>,
) {
    let mut primitives = Vec::new();
    symbol.paint(
        at.into(),
        radius,
        rgba(fill),
        rgba(outline),
        &mut primitives,
    );
    to_shapes(&primitives, None, &mut Vec::new(), out);
}

/// A symbol drawn in a legend box: lines are drawn as a stroke across the box.
pub fn legend_shapes(symbol: Symbol, rect: Rect, fill: Color32, outline: Color32) -> Vec<Shape> {
    let primitives = legend_primitives(symbol, rect.into(), rgba(fill), rgba(outline));
    let mut out = Vec::new();
    to_shapes(&primitives, None, &mut Vec::new(), &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scene_colours_are_the_colours_egui_made_before() {
        for a in (0..=255u8).step_by(5) {
            for v in (0..=255u8).step_by(17) {
                for opacity in [1.0, 0.75, 0.3] {
                    let before = Color32::from_rgba_unmultiplied(v, 255 - v, v / 2, a)
                        .gamma_multiply(opacity);
                    let now = color32(style::colour([v, 255 - v, v / 2, a], opacity));
                    assert_eq!(before, now, "{v} {a} {opacity}");
                }
            }
        }
    }

    #[test]
    fn a_text_with_a_halo_is_drawn_over_copies_of_itself_in_the_halo_colour() {
        let ctx = egui::Context::default();
        crate::gui::install_fonts(&ctx);
        let mut output = ctx.run_ui(Default::default(), |_| {});
        output.textures_delta.clear();
        let run = TextRun {
            pos: screen_pos(10.0, 10.0),
            text: "支持：加装座椅".into(),
            size: style::PIN_LABEL_SIZE,
            colour: style::PIN_LABEL_COLOUR,
            halo: Some(style::LABEL_HALO),
        };
        let mut shapes = Vec::new();
        ctx.fonts_mut(|fonts| {
            to_shapes(
                &[Primitive::Text(run.clone())],
                Some(fonts),
                &mut Vec::new(),
                &mut shapes,
            );
        });
        let texts: Vec<&TextShape> = shapes
            .iter()
            .filter_map(|s| match s {
                Shape::Text(t) => Some(t),
                _ => None,
            })
            .collect();
        assert_eq!(texts.len(), style::LABEL_HALO_OFFSETS.len() + 1);
        let (halo, ink) = texts.split_at(style::LABEL_HALO_OFFSETS.len());
        for h in halo {
            assert_eq!(h.override_text_color, Some(color32(style::LABEL_HALO)));
            assert!(
                h.pos.distance(run.pos.into()) > 0.5,
                "a halo copy is offset"
            );
        }
        assert_eq!(ink[0].pos, Pos2::from(run.pos));
        assert_eq!(ink[0].override_text_color, None);
    }

    #[test]
    fn screen_types_round_trip_through_egui() {
        let r = Rect::from_min_max(pos2(1.0, 2.0), pos2(30.0, 40.0));
        assert_eq!(Rect::from(ScreenRect::from(r)), r);
        assert_eq!(
            Vec2::from(ScreenVec::from(vec2(3.0, -4.0))),
            vec2(3.0, -4.0)
        );
    }
}
