//! Meetings' pins on the map canvas: which pin a press grabs, the drag that moves one (shown
//! by the map itself until it is dropped; the app records only the drop, one undo step), and
//! the hint shown while the next click places a pin.

use egui::{Align2, Pos2, Rect, Stroke, vec2};
use uuid::Uuid;

use crate::gui::map::editing;
use crate::gui::map::paint::color32;
use crate::render::pins::MapPin;
use crate::render::projection::ScreenTransform;
use crate::render::scene::Scene;
use crate::render::style;

/// A pin being dragged.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct PinDrag {
    /// The pin as it was when grabbed.
    pub pin: MapPin,
    /// The screen position of its point when grabbed.
    at: Pos2,
    /// Where the press was.
    origin: Pos2,
    /// Where it is now, WGS84 `[lon, lat]`.
    pub lon_lat: [f64; 2],
}

impl PinDrag {
    /// Follows the pointer: the pin's point moves as much as the pointer did since the press
    /// (a disc set apart from its point keeps its offset).
    pub fn follow(&mut self, t: &ScreenTransform, pointer: Pos2) {
        let c = editing::lon_lat_at(t, self.at + (pointer - self.origin));
        self.lon_lat = [c.x, c.y];
    }

    /// True when it is where it was grabbed.
    pub fn unmoved(&self) -> bool {
        self.lon_lat == self.pin.lon_lat
    }

    /// The pin's meeting and note.
    pub fn target(&self) -> (Uuid, usize) {
        (self.pin.meeting, self.pin.note)
    }
}

/// The pin whose disc is under `pos` in the scene as last drawn (the topmost: drawn last).
pub(super) fn grab(scene: &Scene, pos: Pos2) -> Option<PinDrag> {
    let reach = style::PIN_RADIUS + 2.0;
    let place = scene
        .pin_places()
        .iter()
        .rev()
        .find(|p| Pos2::from(p.disc).distance(pos) <= reach)?;
    let pin = scene.pins().get(place.index)?.clone();
    Some(PinDrag {
        lon_lat: pin.lon_lat,
        at: place.at.into(),
        origin: pos,
        pin,
    })
}

/// True when `pos` is on a pin's disc.
pub(super) fn is_over(scene: &Scene, pos: Pos2) -> bool {
    grab(scene, pos).is_some()
}

/// The pins the scene draws: all but the one being dragged (the map draws that one itself).
pub(super) fn in_scene(pins: &[MapPin], dragged: Option<&PinDrag>) -> Vec<MapPin> {
    pins.iter()
        .filter(|p| dragged.is_none_or(|d| (p.meeting, p.note) != d.target()))
        .cloned()
        .collect()
}

/// The dragged pin where it is now: its disc and number (the scene places it, with its text,
/// once it is dropped).
pub(super) fn paint_dragged(painter: &egui::Painter, t: &ScreenTransform, drag: &PinDrag) {
    let at = editing::screen_of(t, geo::coord! { x: drag.lon_lat[0], y: drag.lon_lat[1] });
    painter.circle(
        at,
        style::PIN_RADIUS,
        color32(drag.pin.colour),
        Stroke::new(style::PIN_OUTLINE_WIDTH, color32(style::PIN_OUTLINE)),
    );
    painter.text(
        at,
        Align2::CENTER_CENTER,
        drag.pin.number.to_string(),
        egui::FontId::proportional(style::PIN_NUMBER_SIZE),
        color32(style::PIN_NUMBER_COLOUR),
    );
}

/// The hint shown while the next click places a pin: beside the pointer, where the
/// facilitator looks (a floating window may cover the top of the map), else at the top.
pub(super) fn paint_picking_hint(
    painter: &egui::Painter,
    rect: Rect,
    pointer: Option<Pos2>,
    text: String,
) {
    let galley = painter.layout_no_wrap(
        text,
        crate::gui::style::measure_font(),
        crate::gui::style::MAP_INK,
    );
    let pad = vec2(8.0, 5.0);
    let size = galley.size() + 2.0 * pad;
    let offset = crate::gui::style::MEASURE_OFFSET_PX;
    let min = match pointer {
        Some(p) => Pos2::new(
            (p.x + offset).min(rect.right() - size.x).max(rect.left()),
            (p.y + offset).min(rect.bottom() - size.y).max(rect.top()),
        ),
        None => Pos2::new(rect.center().x - size.x / 2.0, rect.top() + 8.0),
    };
    let hint = Rect::from_min_size(min, size);
    painter.rect_filled(hint, 4.0, crate::gui::style::MEASURE_BG);
    painter.galley(hint.min + pad, galley, crate::gui::style::MAP_INK);
}
