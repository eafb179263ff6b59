//! The map canvas widget. Each frame it gets read-only state ([`MapState`]) and its own
//! memory (caches), draws, and returns [`MapCommand`]s that the app applies after the frame.
//! A drag reports the view as it goes (`Gesture::Ongoing`) and once more when released
//! (`Gesture::Done`): one drag is one step for a future undo.

use egui::{
    Color32, CursorIcon, Key, Pos2, Rect, Sense, Shape, Stroke, StrokeKind, Ui, Vec2, pos2, vec2,
};

use crate::i18n::{self, Lang, Text};

use super::basemap::{Basemap, BasemapPrefs};
use super::geometry::{DrawKind, MapData, lod_for};
use super::hit::{FeatureRef, hit_test};
use super::layers::LayerStyle;
use super::projection::{MapView, ScreenTransform, lon_lat_from_merc};
use super::scene::{SceneCache, SceneInput, push_fill};
use super::style;

/// Whether a view change is a finished step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gesture {
    /// In the middle of a drag: show it, do not record it.
    Ongoing,
    /// A complete step (end of a drag, a wheel notch, a key, a button).
    Done,
}

/// What the map asks the app to do after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum MapCommand {
    /// Show another part of the map.
    SetView {
        /// The new view.
        view: MapView,
        /// Whether the change is complete.
        gesture: Gesture,
    },
    /// Select a feature, or clear the selection.
    Select(Option<FeatureRef>),
    /// The feature under the pointer changed.
    Hover(Option<FeatureRef>),
    /// The pointer's position on the map changed (WGS84 lon, lat), or it left the map.
    Pointer(Option<(f64, f64)>),
}

/// The read-only state the map draws.
#[derive(Debug, Clone, Copy)]
pub struct MapState<'a> {
    /// The data.
    pub data: &'a MapData,
    /// One style per layer.
    pub styles: &'a [LayerStyle],
    /// Drawing order, bottom first.
    pub order: &'a [usize],
    /// The view.
    pub view: MapView,
    /// The selected feature.
    pub selection: Option<FeatureRef>,
    /// The hovered feature.
    pub hover: Option<FeatureRef>,
    /// The interface language (furniture text).
    pub lang: Lang,
    /// Basemap settings.
    pub basemap_prefs: &'a BasemapPrefs,
}

/// The map's own memory between frames.
#[derive(Debug, Default)]
pub struct MapMemory {
    /// The scene cache.
    pub scene: SceneCache,
    /// The open basemap.
    pub basemap: Option<Basemap>,
    /// Where the map was last drawn.
    pub last_rect: Option<Rect>,
    /// The view at the start of the current drag.
    drag_start: Option<MapView>,
}

/// Keyboard pan step, points.
const KEY_PAN_PX: f32 = 100.0;
/// Zoom factor of one key press, button or double click.
pub const ZOOM_STEP: f64 = 2.0;

/// Draws the map in the rest of `ui` and returns what it asks for.
#[must_use]
pub fn show(ui: &mut Ui, state: &MapState<'_>, memory: &mut MapMemory) -> Vec<MapCommand> {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    memory.last_rect = Some(rect);
    let mut commands = Vec::new();
    let mut view = state.view;
    let pointer = response.hover_pos();

    // --- input -> view ---
    if response.drag_started() {
        memory.drag_start = Some(view);
    }
    if response.dragged() {
        let delta = response.drag_delta();
        if delta != Vec2::ZERO {
            view = view.panned(delta);
            commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Ongoing,
            });
        }
        ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
    }
    if response.drag_stopped() && memory.drag_start.take().is_some_and(|start| start != view) {
        commands.push(MapCommand::SetView {
            view,
            gesture: Gesture::Done,
        });
    }
    if let Some(anchor) = pointer {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = f64::from(zoom) * (f64::from(scroll) / 300.0).exp();
        if (factor - 1.0).abs() > 1e-6 {
            view = view.zoomed_around(factor, anchor, rect);
            commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Done,
            });
        }
        if response.double_clicked() {
            view = view.zoomed_around(ZOOM_STEP, anchor, rect);
            commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Done,
            });
        }
    }
    if !ui.ctx().egui_wants_keyboard_input() {
        let keys = ui.input(|i| {
            let pan = [
                (Key::ArrowLeft, vec2(KEY_PAN_PX, 0.0)),
                (Key::ArrowRight, vec2(-KEY_PAN_PX, 0.0)),
                (Key::ArrowUp, vec2(0.0, KEY_PAN_PX)),
                (Key::ArrowDown, vec2(0.0, -KEY_PAN_PX)),
            ]
            .into_iter()
            .filter(|(k, _)| i.key_pressed(*k))
            .fold(Vec2::ZERO, |sum, (_, d)| sum + d);
            let zoom_in = i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals);
            let zoom_out = i.key_pressed(Key::Minus);
            (pan, zoom_in, zoom_out)
        });
        let (pan, zoom_in, zoom_out) = keys;
        if pan != Vec2::ZERO {
            view = view.panned(pan);
        }
        if zoom_in {
            view = view.zoomed_around(ZOOM_STEP, rect.center(), rect);
        }
        if zoom_out {
            view = view.zoomed_around(1.0 / ZOOM_STEP, rect.center(), rect);
        }
        if pan != Vec2::ZERO || zoom_in || zoom_out {
            commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Done,
            });
        }
    }

    let t = view.transform(rect);
    // --- pointer -> hover, selection ---
    let dragging = response.dragged();
    let hit_at = |pos: Pos2| {
        hit_test(
            state.data,
            state.styles,
            state.order,
            &t,
            pos,
            style::HIT_TOLERANCE_PX,
        )
    };
    if response.clicked() {
        let hit = response.interact_pointer_pos().and_then(hit_at);
        if hit != state.selection {
            commands.push(MapCommand::Select(hit));
        }
    }
    let hover = if dragging {
        state.hover
    } else {
        pointer.and_then(hit_at)
    };
    if hover != state.hover {
        commands.push(MapCommand::Hover(hover));
    }
    commands.push(MapCommand::Pointer(
        pointer.map(|p| lon_lat_from_merc(t.merc_from_screen(p))),
    ));

    // --- drawing ---
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, style::MAP_BACKGROUND);
    let mut under = Vec::new();
    if state.basemap_prefs.visible
        && let Some(basemap) = memory.basemap.as_mut()
    {
        basemap.paint(
            ui.ctx(),
            &t,
            rect,
            view.m_per_point,
            state.basemap_prefs,
            &mut under,
        );
    }
    painter.extend(under);
    let input = SceneInput {
        data: state.data,
        styles: state.styles,
        order: state.order,
        view,
        rect,
    };
    ui.ctx()
        .fonts_mut(|fonts| memory.scene.update(&input, fonts));
    painter.extend(memory.scene.shapes().iter().cloned());
    let mut overlay = Vec::new();
    if let Some(sel) = state.selection {
        highlight(
            state.data,
            sel,
            &t,
            view.m_per_point,
            style::SELECT_STROKE,
            style::SELECT_WIDTH,
            Some(style::SELECT_FILL),
            &mut overlay,
        );
    }
    if let Some(h) = hover.filter(|h| Some(*h) != state.selection) {
        highlight(
            state.data,
            h,
            &t,
            view.m_per_point,
            style::HOVER_STROKE,
            style::HOVER_WIDTH,
            None,
            &mut overlay,
        );
    }
    painter.extend(overlay);
    if hover.is_some() && !dragging {
        ui.ctx().set_cursor_icon(CursorIcon::PointingHand);
    }
    scale_bar(&painter, rect, &view, state.lang);
    north_arrow(&painter, rect, state.lang);
    commands
}

/// Outlines (and for the selection fills) one feature on top of the map.
#[allow(clippy::too_many_arguments)]
fn highlight(
    data: &MapData,
    f: FeatureRef,
    t: &ScreenTransform,
    m_per_point: f64,
    colour: Color32,
    width: f32,
    fill: Option<Color32>,
    out: &mut Vec<Shape>,
) {
    let Some(layer) = data.layers.get(f.layer) else {
        return;
    };
    let geom = &layer.geom;
    let Some(feature) = geom.features.get(f.feature) else {
        return;
    };
    let lod = &feature.lods[lod_for(m_per_point)];
    let stroke = Stroke::new(width, colour);
    let size_px = (feature.bbox.width().max(feature.bbox.height()) * t.points_per_m()) as f32;
    if feature.kind == DrawKind::Point || size_px < style::PLAN_SYMBOL_BELOW_PX {
        let at = feature.label_at.unwrap_or(feature.bbox.center());
        out.push(Shape::circle_stroke(
            t.screen_from_merc(at),
            style::SYMBOL_RADIUS + 4.0,
            stroke,
        ));
        if feature.kind == DrawKind::Point {
            return;
        }
    }
    if let (Some(fill), DrawKind::Polygon) = (fill, feature.kind) {
        let mut mesh = egui::epaint::Mesh::default();
        push_fill(&mut mesh, geom, lod, t, fill);
        out.push(Shape::mesh(mesh));
    }
    for ring in &geom.rings[lod.rings()] {
        let points: Vec<Pos2> = geom.vertices[ring.range()]
            .iter()
            .map(|&p| t.screen_from_merc(p))
            .collect();
        out.push(if ring.closed {
            Shape::closed_line(points, stroke)
        } else {
            Shape::line(points, stroke)
        });
    }
}

/// The scale bar's length: the longest 1, 2 or 5 × 10ⁿ metres that fits `max_px`.
///
/// # Units
/// Returns (ground metres, points).
pub fn scale_bar_length(ground_m_per_point: f64, max_px: f32) -> (f64, f32) {
    let max_m = ground_m_per_point * f64::from(max_px);
    let power = 10f64.powf(max_m.log10().floor());
    let nice = [5.0, 2.0, 1.0]
        .into_iter()
        .map(|k| k * power)
        .find(|&m| m <= max_m)
        .unwrap_or(power);
    (nice, (nice / ground_m_per_point) as f32)
}

fn scale_bar(painter: &egui::Painter, rect: Rect, view: &MapView, lang: Lang) {
    let (length_m, length_px) =
        scale_bar_length(view.ground_m_per_point(), style::SCALE_BAR_MAX_PX);
    if !length_px.is_finite() || length_px < 1.0 {
        return;
    }
    let text = i18n::scale_bar_text(lang, length_m);
    let font = style::map_furniture_font();
    let galley = painter.layout_no_wrap(text, font, style::MAP_INK);
    let origin = pos2(
        rect.left() + style::MAP_MARGIN_PX,
        rect.bottom() - style::MAP_MARGIN_PX,
    );
    let bg = Rect::from_min_max(
        pos2(origin.x - 6.0, origin.y - 12.0 - galley.size().y - 6.0),
        pos2(
            origin.x + length_px.max(galley.size().x) + 6.0,
            origin.y + 4.0,
        ),
    );
    painter.rect_filled(bg, 3.0, style::MAP_WIDGET_BG);
    let y = origin.y - 4.0;
    let half = length_px / 2.0;
    painter.rect_filled(
        Rect::from_min_max(pos2(origin.x, y - 4.0), pos2(origin.x + half, y)),
        0.0,
        style::MAP_INK,
    );
    painter.rect_stroke(
        Rect::from_min_max(pos2(origin.x, y - 4.0), pos2(origin.x + length_px, y)),
        0.0,
        Stroke::new(1.0, style::MAP_INK),
        StrokeKind::Middle,
    );
    painter.galley(
        pos2(origin.x, y - 8.0 - galley.size().y),
        galley,
        style::MAP_INK,
    );
}

fn north_arrow(painter: &egui::Painter, rect: Rect, lang: Lang) {
    let s = style::NORTH_ARROW_PX;
    let c = pos2(
        rect.right() - style::MAP_MARGIN_PX - s / 2.0,
        rect.top() + style::MAP_MARGIN_PX + s * 0.9,
    );
    painter.rect_filled(
        Rect::from_center_size(c + vec2(0.0, -s * 0.15), vec2(s, s * 1.6)),
        4.0,
        style::MAP_WIDGET_BG,
    );
    let tip = c + vec2(0.0, -s * 0.45);
    let left = c + vec2(-s * 0.28, s * 0.35);
    let right = c + vec2(s * 0.28, s * 0.35);
    let notch = c + vec2(0.0, s * 0.15);
    painter.add(Shape::convex_polygon(
        vec![tip, notch, left],
        style::MAP_INK,
        Stroke::NONE,
    ));
    painter.add(Shape::convex_polygon(
        vec![tip, right, notch],
        Color32::WHITE,
        Stroke::new(1.0, style::MAP_INK),
    ));
    let galley = painter.layout_no_wrap(
        Text::North.get(lang).to_string(),
        style::map_furniture_font(),
        style::MAP_INK,
    );
    painter.galley(
        tip - vec2(galley.size().x / 2.0, galley.size().y + 1.0),
        galley,
        style::MAP_INK,
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_bar_uses_round_lengths() {
        let (m, px) = scale_bar_length(10.0, 140.0);
        assert_eq!(m, 1_000.0);
        assert!((px - 100.0).abs() < 1e-3);
        let (m, _) = scale_bar_length(3.0, 140.0);
        assert_eq!(m, 200.0);
    }
}
