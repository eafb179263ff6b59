//! The map's per-frame CPU work: cull features with the R-tree, pick a level of detail, turn
//! cached Mercator vertices into screen meshes (fills, feathered outlines, one-pixel dots for
//! sub-pixel features), add symbols and labels — all as plain [`Primitive`]s. The result is
//! kept and reused untouched while nothing it depends on changes (hover and selection are
//! drawn on top, separately); [`Scene::revision`] tells consumers when it changed.
//!
//! No user interface here: the window's painter, the benchmarks and (later) print renderers
//! drive it the same way.

use std::sync::Arc;
use std::time::Instant;

use crate::model::LayerRole;

use crate::render::data::MapLayer;
use crate::render::geometry::{DrawKind, LayerGeom, Lod, Ring, lod_for};
use crate::render::labels::{self, FontMetrics};
use crate::render::layers::LayerStyle;
use crate::render::pins::{MapPin, PinPlace};
use crate::render::primitive::{Mesh, MeshVertex, Primitive, Rgba, Stroke, TRANSPARENT};
use crate::render::projection::{MapView, MercBox, ScreenTransform};
use crate::render::screen::{ScreenPos, ScreenRect, screen_pos, screen_vec};
use crate::render::style;
use crate::render::tiles::{TileKind, TilePart};

pub use crate::render::frame::SceneInput;

/// What was drawn of one layer.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LayerStats {
    /// Features drawn (including dots).
    pub drawn: usize,
    /// Features drawn as a one-pixel dot.
    pub dots: usize,
    /// Vertices of its meshes.
    pub vertices: usize,
}

/// What the last build did.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SceneStats {
    /// Per layer of the data.
    pub layers: Vec<LayerStats>,
    /// Labels placed.
    pub labels: usize,
    /// Time the last rebuild took.
    ///
    /// # Units
    /// Milliseconds.
    pub build_ms: f64,
    /// Whether this frame rebuilt the scene (false: reused the cache).
    pub rebuilt: bool,
}

#[derive(Debug, Clone, PartialEq)]
struct SceneKey {
    data: usize,
    view: MapView,
    rect: ScreenRect,
    styles: Vec<LayerStyle>,
    order: Vec<usize>,
    palette: style::Palette,
}

/// The map scene: the primitives of the last frame, what they were built for, and reusable
/// buffers.
#[derive(Default)]
pub struct Scene {
    key: Option<SceneKey>,
    primitives: Vec<Primitive>,
    revision: u64,
    stats: SceneStats,
    /// Per layer, last frame's fill and outline meshes: their buffers are reused (consumers have
    /// dropped its clones by the next frame), so a frame allocates nothing.
    slots: Vec<[Arc<Mesh>; 2]>,
    dots: DotGrid,
    visible: Vec<u64>,
    /// Meetings' pins drawn over the layers (they take part in label placement).
    pins: Vec<MapPin>,
    /// Where each pin in view went in the last build.
    pin_places: Vec<PinPlace>,
    /// The pins' discs and texts, drawn above everything else.
    pin_primitives: Vec<Primitive>,
    /// Outlines as stroked [`Primitive::Path`]s instead of feathered meshes (print: a PDF or
    /// SVG strokes a path exactly at any zoom; a feathered strip is the window's
    /// anti-aliasing).
    vector_outlines: bool,
}

impl std::fmt::Debug for Scene {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Scene")
            .field("primitives", &self.primitives.len())
            .field("revision", &self.revision)
            .field("stats", &self.stats)
            .finish()
    }
}

impl Scene {
    /// Forgets the cached scene, so the next call rebuilds it (the benchmark measures that).
    pub fn invalidate(&mut self) {
        self.key = None;
    }

    /// The primitives of the last scene, bottom first, the pins' excepted.
    pub fn primitives(&self) -> &[Primitive] {
        &self.primitives
    }

    /// The meetings' pins of the last scene (discs, leader lines, texts), to draw above the
    /// rest of the scene and above whatever a consumer draws over it (a selection's outline):
    /// what a facilitator points at stays on top.
    pub fn pin_primitives(&self) -> &[Primitive] {
        &self.pin_primitives
    }

    /// Counts the rebuilds: a consumer caching what it made of [`Scene::primitives`] redoes
    /// it only when this changed.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The statistics of the last scene.
    pub fn stats(&self) -> &SceneStats {
        &self.stats
    }

    /// The meetings' pins to draw from now on; the next [`Scene::update`] rebuilds only when
    /// they differ from the last ones.
    pub fn set_pins(&mut self, pins: &[MapPin]) {
        if self.pins != pins {
            self.pins = pins.to_vec();
            self.key = None;
        }
    }

    /// Draws outlines as stroked paths instead of feathered meshes from the next build on:
    /// what a print renderer (PDF, SVG, PNG) wants, since it strokes and anti-aliases itself.
    pub fn set_vector_outlines(&mut self, on: bool) {
        if self.vector_outlines != on {
            self.vector_outlines = on;
            self.key = None;
        }
    }

    /// The pins drawn.
    pub fn pins(&self) -> &[MapPin] {
        &self.pins
    }

    /// Where the last build put each pin in view: its disc and its text's box (what a click
    /// or drag on a pin is judged against).
    pub fn pin_places(&self) -> &[PinPlace] {
        &self.pin_places
    }

    /// Builds the scene, or reuses the last one when nothing changed (the data's generation,
    /// the view, the rectangle, the styles and the order); `fonts` measures labels. Returns
    /// whether it rebuilt.
    pub fn update(&mut self, input: &SceneInput<'_>, fonts: &mut dyn FontMetrics) -> bool {
        let key = SceneKey {
            data: std::ptr::from_ref(input.data) as usize ^ input.data.generation as usize,
            view: input.view,
            rect: input.rect,
            styles: input.styles.to_vec(),
            order: input.order.to_vec(),
            palette: input.palette,
        };
        if self.key.as_ref() == Some(&key) {
            self.stats.rebuilt = false;
            return false;
        }
        let started = Instant::now();
        self.build(input, fonts);
        self.stats.build_ms = started.elapsed().as_secs_f64() * 1e3;
        self.stats.rebuilt = true;
        self.key = Some(key);
        self.revision += 1;
        true
    }

    fn take_mesh(&mut self, layer: usize, which: usize) -> Mesh {
        if let Some(mesh) = self
            .slots
            .get_mut(layer)
            .and_then(|s| Arc::get_mut(&mut s[which]))
        {
            let mut mesh = std::mem::take(mesh);
            mesh.clear();
            return mesh;
        }
        Mesh::default()
    }

    fn build(&mut self, input: &SceneInput<'_>, fonts: &mut dyn FontMetrics) {
        let SceneInput {
            data,
            styles,
            order,
            view,
            rect,
            palette,
        } = *input;
        let look = palette.look();
        // Drop our clones of last frame's meshes so their buffers can be reused.
        self.primitives.clear();
        if self.slots.len() < data.layers.len() {
            self.slots.resize_with(data.layers.len(), Default::default);
        }
        let t = view.transform(rect);
        let m_per_point = view.m_per_point;
        let margin_m = 2.0 * f64::from(look.symbol_radius) * m_per_point;
        let view_box = t.merc_box_of(rect).expanded(margin_m);
        let lod = lod_for(m_per_point);
        self.dots.reset(rect);
        let mut stats = SceneStats {
            layers: vec![LayerStats::default(); data.layers.len()],
            ..SceneStats::default()
        };
        let mut shapes: Vec<Primitive> = Vec::new();
        let mut parts: Vec<Vec<Arc<TilePart>>> = vec![Vec::new(); data.layers.len()];
        for &li in order {
            let (Some(layer), Some(layer_style)) = (data.layers.get(li), styles.get(li)) else {
                continue;
            };
            if !layer_style.visible || layer_style.opacity <= 0.0 {
                continue;
            }
            let mut fill = self.take_mesh(li, 0);
            let mut outline = self.take_mesh(li, 1);
            let mut extra = Vec::new();
            let frame = Frame {
                t: &t,
                outside_plan: &data.outside_plan,
                lod,
                look,
                // A stored layer may put thousands of small shapes in view: outlines only on
                // those big enough for an outline to tell something.
                outline_from_px: if layer.stored.is_some() {
                    style::STORED_OUTLINE_FROM_PX
                } else {
                    style::OUTLINE_FROM_PX
                },
                vector_outlines: self.vector_outlines,
            };
            let layer_stats = &mut stats.layers[li];
            let tile_parts = if layer.stored.is_some() {
                data.parts_in_view(li, &view_box, m_per_point)
            } else {
                Vec::new()
            };
            let pieces: Vec<&MapLayer> = if layer.stored.is_some() {
                tile_parts.iter().map(|p| &p.layer).collect()
            } else {
                vec![layer]
            };
            for part in &tile_parts {
                draw_density(part, layer_style, &t, &mut fill);
            }
            for piece in pieces {
                mark_visible(&piece.geom, &view_box, &mut self.visible);
                draw_layer(
                    piece,
                    layer_style,
                    &frame,
                    &self.visible,
                    &mut self.dots,
                    &mut fill,
                    &mut outline,
                    &mut extra,
                    layer_stats,
                );
            }
            parts[li] = tile_parts;
            layer_stats.vertices = fill.vertices.len() + outline.vertices.len();
            for (which, mesh) in [fill, outline].into_iter().enumerate() {
                let mesh = Arc::new(mesh);
                if !mesh.is_empty() {
                    shapes.push(Primitive::Mesh(mesh.clone()));
                }
                self.slots[li][which] = mesh;
            }
            shapes.extend(extra);
        }
        stats.labels = labels::place(
            input,
            &parts,
            &t,
            &view_box,
            &self.pins,
            (&mut self.pin_places, &mut self.pin_primitives),
            fonts,
            &mut shapes,
        );
        self.primitives = shapes;
        self.stats = stats;
    }
}

struct Frame<'a> {
    t: &'a ScreenTransform,
    /// The alternatives whose features are not the plan.
    outside_plan: &'a std::collections::BTreeSet<uuid::Uuid>,
    lod: usize,
    /// The palette's numbers.
    look: &'a style::PaletteLook,
    /// Polygons narrower than this get no outline.
    outline_from_px: f32,
    /// Outlines as stroked paths (print), not feathered meshes.
    vector_outlines: bool,
}

/// Sets a bit per feature whose box meets the view.
fn mark_visible(geom: &LayerGeom, view_box: &MercBox, bits: &mut Vec<u64>) {
    let n = geom.features.len();
    bits.clear();
    let all = geom.extent.is_some_and(|e| view_box.contains_box(&e));
    bits.resize(n.div_ceil(64), if all { u64::MAX } else { 0 });
    if !all {
        for i in geom.in_box(view_box) {
            bits[i / 64] |= 1 << (i % 64);
        }
    }
}

fn visible_indices(bits: &[u64], n: usize) -> impl Iterator<Item = usize> + '_ {
    bits.iter().enumerate().flat_map(move |(w, &word)| {
        let mut word = word;
        std::iter::from_fn(move || {
            if word == 0 {
                return None;
            }
            let b = word.trailing_zeros() as usize;
            word &= word - 1;
            Some(w * 64 + b)
        })
        .filter(move |&i| i < n)
    })
}

#[allow(clippy::too_many_arguments)]
fn draw_layer(
    layer: &MapLayer,
    layer_style: &LayerStyle,
    frame: &Frame<'_>,
    visible: &[u64],
    dots: &mut DotGrid,
    fill: &mut Mesh,
    outline: &mut Mesh,
    extra: &mut Vec<Primitive>,
    stats: &mut LayerStats,
) {
    let geom = &layer.geom;
    let t = frame.t;
    let k = t.points_per_m();
    let opacity = layer_style.opacity;
    let is_plan = layer.role == LayerRole::Plan;
    let base_fill = style::colour(layer_style.fill, opacity);
    let stroke = style::colour(layer_style.stroke, opacity);
    let look_of = frame.look;
    let stroke_width = if is_plan {
        layer_style.stroke_width
    } else {
        layer_style.stroke_width * look_of.boundary_width_factor
    };
    let dot_colour = if layer_style.fill[3] >= 96 {
        base_fill
    } else {
        stroke
    };
    for fi in visible_indices(visible, geom.features.len()) {
        let f = &geom.features[fi];
        if f.kind == DrawKind::Empty {
            continue;
        }
        let size_px = (f.bbox.width().max(f.bbox.height()) * k) as f32;
        let look = layer.plan_looks.get(fi);
        // A feature of an alternative that is not the plan: drawn only as the style says.
        let muted = match look.and_then(|l| l.alternative) {
            Some(a) if is_plan && frame.outside_plan.contains(&a) => {
                match layer_style.alternatives.draws(a) {
                    Some(muted) => muted,
                    None => continue,
                }
            }
            _ => false,
        };
        let (fill_colour, stroke_colour) = match look {
            Some(look) if muted => (
                style::colour(
                    [
                        look.rgb[0],
                        look.rgb[1],
                        look.rgb[2],
                        style::ALTERNATIVE_FILL_ALPHA,
                    ],
                    opacity,
                ),
                style::colour(style::ALTERNATIVE_STROKE, opacity),
            ),
            Some(look) if is_plan => (
                style::colour(
                    [
                        look.rgb[0],
                        look.rgb[1],
                        look.rgb[2],
                        look_of.plan_fill_alpha,
                    ],
                    opacity,
                ),
                style::colour(style::shaded(look.rgb, look_of.outline_shade), opacity),
            ),
            _ if layer_style.vary_fill => {
                let [r, g, b] = style::VARIED_FILLS[fi % style::VARIED_FILLS.len()];
                (
                    style::colour([r, g, b, layer_style.fill[3]], opacity),
                    stroke,
                )
            }
            _ => (base_fill, stroke),
        };
        stats.drawn += 1;
        let lod = &f.lods[frame.lod];
        // Plan features stay visible however far out: as their symbol.
        let as_symbol = is_plan
            && (f.kind == DrawKind::Point
                || (f.kind == DrawKind::Polygon && size_px < style::PLAN_SYMBOL_BELOW_PX));
        // The projector's coarser level of detail: one symbol of a kind per cell of the
        // screen; the polygons under one already drawn (and their few-pixel shapes) are not
        // drawn again.
        if as_symbol
            && f.kind == DrawKind::Polygon
            && look_of.symbol_cell_px > 0.0
            && let (Some(look), Some(at)) = (look, f.label_at)
            && !dots.claim_symbol(t.screen_from_merc(at), look.rgb, look_of.symbol_cell_px)
        {
            continue;
        }
        if as_symbol {
            if let (Some(look), Some(at)) = (look, f.label_at) {
                let rgb = look.rgb;
                let fill_symbol = style::colour([rgb[0], rgb[1], rgb[2], 255], opacity);
                if f.kind == DrawKind::Point {
                    for &p in &geom.vertices[lod.vertices()] {
                        look.symbol.paint(
                            t.screen_from_merc(p),
                            look_of.symbol_radius,
                            fill_symbol,
                            stroke_colour,
                            extra,
                        );
                    }
                } else {
                    look.symbol.paint(
                        t.screen_from_merc(at),
                        look_of.symbol_radius,
                        fill_symbol,
                        stroke_colour,
                        extra,
                    );
                }
            }
            if f.kind == DrawKind::Point {
                continue;
            }
        }
        // Points have no size: they keep their marker at every zoom instead of becoming dots.
        if size_px < style::DOT_BELOW_PX && !as_symbol && f.kind != DrawKind::Point {
            let c = t.screen_from_merc(f.bbox.center());
            if dots.claim(c) {
                push_square(
                    fill,
                    c,
                    style::DOT_SIZE_PX,
                    if is_plan { fill_colour } else { dot_colour },
                );
            }
            stats.dots += 1;
            continue;
        }
        if size_px < style::TINY_BELOW_PX && f.kind == DrawKind::Polygon && !as_symbol {
            // A few points across: its shape is not visible at this size, its place and size
            // are. A square of the same area costs 4 vertices instead of dozens.
            let side = ((f64::from(f.area_m2)).sqrt() * k).max(1.0) as f32;
            push_square(
                fill,
                t.screen_from_merc(f.bbox.center()),
                side,
                if fill_colour[3] >= 96 {
                    fill_colour
                } else {
                    stroke_colour
                },
            );
            stats.dots += 1;
            continue;
        }
        match f.kind {
            DrawKind::Polygon => {
                if fill_colour[3] > 0 {
                    push_fill(fill, geom, lod, t, fill_colour);
                }
                let width = if is_plan {
                    look_of
                        .plan_stroke_width
                        .min(stroke_width.max(0.5) * look_of.boundary_width_factor)
                } else {
                    stroke_width
                };
                if muted {
                    // Dashed, so a muted alternative never reads as the plan.
                    for ring in &geom.rings[lod.rings()] {
                        extra.push(Primitive::Path {
                            points: geom.vertices[ring.range()]
                                .iter()
                                .map(|&p| t.screen_from_merc(p))
                                .collect(),
                            closed: true,
                            stroke: Stroke {
                                width: style::PLAN_STROKE_WIDTH,
                                colour: stroke_colour,
                            },
                            dash: Some(style::ALTERNATIVE_DASH),
                        });
                    }
                } else if size_px >= frame.outline_from_px && width > 0.0 && stroke_colour[3] > 0 {
                    for ring in &geom.rings[lod.rings()] {
                        outline_of(frame, outline, extra, geom, ring, stroke_colour, width);
                    }
                }
            }
            DrawKind::Line => {
                if let Some(look) = look.filter(|_| is_plan) {
                    let colour = if muted {
                        stroke_colour
                    } else {
                        style::colour([look.rgb[0], look.rgb[1], look.rgb[2], 255], opacity)
                    };
                    for ring in &geom.rings[lod.rings()] {
                        if look.dashed || muted {
                            let points: Vec<ScreenPos> = geom.vertices[ring.range()]
                                .iter()
                                .map(|&p| t.screen_from_merc(p))
                                .collect();
                            extra.push(Primitive::Path {
                                points,
                                closed: false,
                                stroke: Stroke {
                                    width: look_of.plan_line_width,
                                    colour,
                                },
                                dash: Some(style::PLAN_DASH),
                            });
                        } else {
                            outline_of(
                                frame,
                                outline,
                                extra,
                                geom,
                                ring,
                                colour,
                                look_of.plan_line_width,
                            );
                        }
                    }
                } else if stroke_colour[3] > 0 {
                    for ring in &geom.rings[lod.rings()] {
                        outline_of(
                            frame,
                            outline,
                            extra,
                            geom,
                            ring,
                            stroke_colour,
                            stroke_width.max(0.5),
                        );
                    }
                }
            }
            DrawKind::Point => {
                let halo = style::colour(style::REFERENCE_POINT_HALO, 1.0);
                let side = style::REFERENCE_POINT_SIDE;
                for &p in &geom.vertices[lod.vertices()] {
                    let c = t.screen_from_merc(p);
                    push_square(fill, c, side + 2.0, halo);
                    push_square(fill, c, side, stroke_colour);
                }
            }
            DrawKind::Empty => {}
        }
    }
}

/// Shades an overview tile's density cells, in the layer's colour, in the grid whose cells are
/// a few points wide at this zoom.
fn draw_density(part: &TilePart, layer_style: &LayerStyle, t: &ScreenTransform, mesh: &mut Mesh) {
    if part.key.kind != TileKind::Overview || part.density.is_empty() {
        return;
    }
    let bounds = part.bounds();
    let tile_points = bounds.width() * t.points_per_m();
    let Some((cells, list)) = part
        .density
        .iter()
        .rev()
        .find(|(n, _)| tile_points / *n as f64 >= style::DENSITY_CELL_MIN_PX)
        .or(part.density.first())
    else {
        return;
    };
    let cell = bounds.width() / *cells as f64;
    // The outline colour: a density reads against the fills of the layers below.
    let [r, g, b, _] = layer_style.stroke;
    for c in list {
        let x = bounds.min[0] + f64::from(c.col) * cell;
        let y = bounds.max[1] - f64::from(c.row) * cell;
        let nw = t.screen_from_merc([x, y]);
        let se = t.screen_from_merc([x + cell, y - cell]);
        let alpha = (f32::from(c.shade) * style::DENSITY_ALPHA) as u8;
        mesh.add_rect(
            ScreenRect { min: nw, max: se },
            style::colour([r, g, b, alpha], layer_style.opacity),
        );
    }
}

fn push_square(mesh: &mut Mesh, c: ScreenPos, side: f32, colour: Rgba) {
    let h = side / 2.0;
    mesh.add_rect(
        ScreenRect {
            min: screen_pos(c.x - h, c.y - h),
            max: screen_pos(c.x + h, c.y + h),
        },
        colour,
    );
}

/// Appends a feature's triangles at one level of detail.
pub fn push_fill(mesh: &mut Mesh, geom: &LayerGeom, lod: &Lod, t: &ScreenTransform, colour: Rgba) {
    let base = mesh.vertices.len() as u32;
    mesh.vertices
        .extend(geom.vertices[lod.vertices()].iter().map(|&p| MeshVertex {
            pos: t.screen_from_merc(p),
            colour,
        }));
    mesh.indices
        .extend(geom.indices[lod.indices()].iter().map(|&i| i + base));
}

/// A ring's or path's outline: a feathered strip in `outline` for the window, a stroked path
/// in `extra` for print ([`Scene::set_vector_outlines`]).
#[allow(clippy::too_many_arguments)]
fn outline_of(
    frame: &Frame<'_>,
    outline: &mut Mesh,
    extra: &mut Vec<Primitive>,
    geom: &LayerGeom,
    ring: &Ring,
    colour: Rgba,
    width: f32,
) {
    if frame.vector_outlines {
        extra.push(Primitive::Path {
            points: geom.vertices[ring.range()]
                .iter()
                .map(|&p| frame.t.screen_from_merc(p))
                .collect(),
            closed: ring.closed,
            stroke: Stroke { width, colour },
            dash: None,
        });
    } else {
        push_outline(outline, geom, ring, frame.t, colour, width);
    }
}

/// Appends a ring's or path's outline: a strip along the precomputed mitres with a soft,
/// fading edge on both sides (the feathering egui would do, done once here instead of per
/// path).
pub fn push_outline(
    mesh: &mut Mesh,
    geom: &LayerGeom,
    ring: &Ring,
    t: &ScreenTransform,
    colour: Rgba,
    width: f32,
) {
    let range = ring.range();
    let n = range.len() as u32;
    if n < 2 {
        return;
    }
    let feather = style::FEATHER_PX;
    let clear = TRANSPARENT;
    let base = mesh.vertices.len() as u32;
    let segments = if ring.closed { n } else { n - 1 };
    let vertex = |pos: ScreenPos, colour: Rgba| MeshVertex { pos, colour };
    if width <= 1.5 {
        // Thin: a centre line fading out to both sides (a profile as wide as the line on
        // average); fainter for sub-point widths. Three vertices per point instead of four.
        let core = style::fade(colour, width.clamp(0.1, 1.0));
        let reach = width.max(feather);
        for (p, m) in geom.vertices[range.clone()].iter().zip(&geom.mitres[range]) {
            let c = t.screen_from_merc(*p);
            let d = screen_vec(m[0], m[1]) * reach;
            mesh.vertices
                .extend([vertex(c + d, clear), vertex(c, core), vertex(c - d, clear)]);
        }
        push_strip_indices(mesh, base, segments, n, 3);
    } else {
        let half = (width - feather) / 2.0;
        for (p, m) in geom.vertices[range.clone()].iter().zip(&geom.mitres[range]) {
            let c = t.screen_from_merc(*p);
            let m = screen_vec(m[0], m[1]);
            let (inner, outer) = (m * half, m * (half + feather));
            mesh.vertices.extend([
                vertex(c + outer, clear),
                vertex(c + inner, colour),
                vertex(c - inner, colour),
                vertex(c - outer, clear),
            ]);
        }
        push_strip_indices(mesh, base, segments, n, 4);
    }
}

/// Triangles of an outline strip: `columns` vertices across each of the `n` points from
/// `base`, two triangles for each pair of neighbouring columns along each of `segments`
/// segments (the last wraps round to the first point for a closed ring).
fn push_strip_indices(mesh: &mut Mesh, base: u32, segments: u32, n: u32, columns: u32) {
    mesh.indices
        .reserve((segments * (columns - 1) * 6) as usize);
    for s in 0..segments {
        let a = base + columns * s;
        let b = base + columns * ((s + 1) % n);
        for c in 0..columns - 1 {
            mesh.indices
                .extend([a + c, a + c + 1, b + c + 1, a + c, b + c + 1, b + c]);
        }
    }
}

/// One bit per screen point: a sub-pixel feature is drawn only if no other took its point.
#[derive(Debug, Default)]
struct DotGrid {
    origin: ScreenPos,
    width: usize,
    height: usize,
    bits: Vec<u64>,
    /// Cells (and colours) where a plan symbol was drawn, when the palette draws one per cell.
    symbols: std::collections::HashSet<(i32, i32, [u8; 3])>,
}

impl DotGrid {
    fn reset(&mut self, rect: ScreenRect) {
        self.origin = rect.min;
        self.width = rect.width().max(0.0).ceil() as usize + 1;
        self.height = rect.height().max(0.0).ceil() as usize + 1;
        self.bits.clear();
        self.bits.resize((self.width * self.height).div_ceil(64), 0);
        self.symbols.clear();
    }

    /// Claims the `cell_px` cell around `p` for a symbol of colour `rgb`; false when one of
    /// that colour is there already.
    fn claim_symbol(&mut self, p: ScreenPos, rgb: [u8; 3], cell_px: f32) -> bool {
        let cell = |v: f32, o: f32| ((v - o) / cell_px).floor() as i32;
        self.symbols
            .insert((cell(p.x, self.origin.x), cell(p.y, self.origin.y), rgb))
    }

    fn claim(&mut self, p: ScreenPos) -> bool {
        let (x, y) = (p.x - self.origin.x, p.y - self.origin.y);
        if x < 0.0 || y < 0.0 {
            return false;
        }
        let (x, y) = (x as usize, y as usize);
        if x >= self.width || y >= self.height {
            return false;
        }
        let i = y * self.width + x;
        let (word, bit) = (i / 64, 1u64 << (i % 64));
        let free = self.bits[word] & bit == 0;
        self.bits[word] |= bit;
        free
    }
}

#[cfg(test)]
mod tests;
