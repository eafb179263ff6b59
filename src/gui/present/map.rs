//! The map of presentation mode: the scene in the projector palette, the emphasised
//! features on top, and the camera moved by a drag or the wheel. A click on a feature selects
//! and edits nothing: only while a kind of residents' input is armed does a click become a
//! [`PresentAction::Tap`] with the point and the plan feature under it.
//!
//! Speed: nothing can change the plan while presenting, so the built scene is kept. While the
//! camera moves (a slide's eased move, a drag) the last scene's shapes are drawn scaled and
//! shifted to the moving view instead of being rebuilt every frame; the exact scene is built
//! once the camera rests.

use egui::emath::TSTransform;
use egui::{Rect, Sense, Shape, Ui, Vec2};

use crate::gui::map::hit::FeatureRef;
use crate::gui::map::paint::{EguiFonts, PaintCache};
use crate::render::layers::LayerStyle;
use crate::render::projection::MapView;
use crate::render::scene::{Scene, SceneInput};
use crate::render::style::Palette;

use super::palette;
use super::{PresentAction, PresentView};

/// The scene and its egui shapes, and the view and rectangle they were built for.
#[derive(Default)]
pub(super) struct MapCache {
    scene: Scene,
    paint: PaintCache,
    built: Option<(MapView, Rect)>,
}

impl MapCache {
    /// What the last built scene drew.
    pub(super) fn scene_stats(&self) -> &crate::render::scene::SceneStats {
        self.scene.stats()
    }
}

/// The transform taking the map as drawn for `built` in `rect` to the map for `now`.
fn retransform(built: &MapView, now: &MapView, rect: Rect) -> TSTransform {
    let t0 = built.transform(rect);
    let t1 = now.transform(rect);
    let scaling = (t1.points_per_m() / t0.points_per_m()) as f32;
    let anchor = t0.merc_from_screen(rect.center());
    let at0: egui::Pos2 = t0.screen_from_merc(anchor).into();
    let at1: egui::Pos2 = t1.screen_from_merc(anchor).into();
    TSTransform::new(at1.to_vec2() - at0.to_vec2() * scaling, scaling)
}

/// What is going on this frame.
#[derive(Debug, Clone, Copy)]
pub(super) struct Now {
    /// The camera is moving to a slide.
    pub moving: bool,
    /// A kind of residents' input is armed: a click is a tap for it.
    pub armed: bool,
}

/// Draws the map in `rect` at `camera` and returns the camera moves asked for, and whether
/// this frame drew the cached scene re-transformed (the exact one is still to come).
pub(super) fn show(
    ui: &mut Ui,
    rect: Rect,
    view: &PresentView<'_>,
    styles: &[LayerStyle],
    camera: MapView,
    now: Now,
    cache: &mut MapCache,
) -> (Vec<PresentAction>, bool) {
    let Now { moving, armed } = now;
    let sense = if armed {
        Sense::click_and_drag()
    } else {
        Sense::drag()
    };
    let response = ui.allocate_rect(rect, sense);
    let mut out = Vec::new();
    if armed {
        ui.ctx().set_cursor_icon(egui::CursorIcon::Crosshair);
    }
    if armed
        && response.clicked()
        && let Some(pos) = response.interact_pointer_pos()
    {
        out.push(tap(view, styles, &camera, rect, pos));
    }
    let mut camera = camera;
    let delta = response.drag_delta();
    if response.dragged() && delta != Vec2::ZERO {
        camera = camera.panned(delta);
        out.push(PresentAction::SetView(camera));
    }
    if let Some(anchor) = response.hover_pos() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = f64::from(zoom) * (f64::from(scroll) / 300.0).exp();
        if (factor - 1.0).abs() > 1e-6 {
            camera = camera.zoomed_around(factor, anchor, rect);
            out.push(PresentAction::SetView(camera));
        }
    }
    let in_motion = moving || response.dragged() || !out.is_empty();
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, palette::BACKGROUND);
    let reuse = in_motion && cache.built.is_some_and(|(_, r)| r == rect);
    if !reuse {
        let input = SceneInput {
            data: view.data,
            styles,
            order: view.order,
            view: camera,
            rect: rect.into(),
            palette: Palette::Projector,
        };
        ui.ctx().fonts_mut(|fonts| {
            cache.scene.update(&input, &mut EguiFonts(fonts));
            cache.paint.update(&cache.scene, fonts);
        });
        cache.built = Some((camera, rect));
    }
    let transform = match cache.built {
        Some((built, _)) if built != camera => Some(retransform(&built, &camera, rect)),
        _ => None,
    };
    let place = |shapes: &[Shape]| -> Vec<Shape> {
        match transform {
            Some(tf) => shapes
                .iter()
                .cloned()
                .map(|mut s| {
                    s.transform(tf);
                    s
                })
                .collect(),
            None => shapes.to_vec(),
        }
    };
    painter.extend(place(cache.paint.shapes()));
    emphasise(&painter, rect, view, camera);
    painter.extend(place(cache.paint.pin_shapes()));
    (out, transform.is_some())
}

/// The emphasised features on top of the muted plan: a wide glow, their own colour at full
/// strength, a dark outline.
fn emphasise(painter: &egui::Painter, rect: Rect, view: &PresentView<'_>, camera: MapView) {
    let Some(plan) = view.data.plan_layer() else {
        return;
    };
    let Some(layer) = view.data.layers.get(plan) else {
        return;
    };
    let t = camera.transform(rect);
    let view_box = t.merc_box_of(rect);
    let mut shapes = Vec::new();
    for &feature in view.emphasised {
        let f = FeatureRef {
            layer: plan,
            feature,
        };
        let own = layer.plan_looks.get(feature).map(|look| {
            let [r, g, b] = look.rgb;
            egui::Color32::from_rgb(r, g, b)
        });
        let is_line = layer
            .geom
            .features
            .get(feature)
            .is_some_and(|f| f.kind == crate::render::geometry::DrawKind::Line);
        // A line keeps its own colour, thicker, on the glow; an area gets its own colour as a
        // fill inside a dark outline.
        let (stroke, width, fill) = match (is_line, own) {
            (true, Some(own)) => (own, palette::HIGHLIGHT_LINE_WIDTH, None),
            _ => (palette::HIGHLIGHT_STROKE, palette::HIGHLIGHT_WIDTH, own),
        };
        for (colour, width, fill) in [
            (palette::GLOW, palette::GLOW_WIDTH, None),
            (stroke, width, fill),
        ] {
            crate::gui::map::highlight(
                view.data,
                f,
                &t,
                &view_box,
                camera.m_per_point,
                colour,
                width,
                fill,
                &mut shapes,
            );
        }
    }
    // The fill of the second pass must lie under the glow of the first: fills first.
    let (fills, lines): (Vec<Shape>, Vec<Shape>) = shapes
        .into_iter()
        .partition(|s| matches!(s, Shape::Mesh(_)));
    painter.extend(fills);
    painter.extend(lines);
}

/// A tap at `pos`: its point and the plan feature under it, if any.
fn tap(
    view: &PresentView<'_>,
    styles: &[LayerStyle],
    camera: &MapView,
    rect: Rect,
    pos: egui::Pos2,
) -> PresentAction {
    let t = camera.transform(rect);
    let (lon, lat) = crate::analysis::mercator::lon_lat_from_merc(t.merc_from_screen(pos));
    let plan = view.data.plan_layer();
    let slot = crate::gui::map::hit::hit_test(
        view.data,
        styles,
        view.order,
        &t,
        pos,
        crate::gui::style::HIT_TOLERANCE_PX,
    )
    .filter(|f| Some(f.layer) == plan)
    .map(|f| f.feature);
    PresentAction::Tap {
        lon_lat: [lon, lat],
        slot,
    }
}
