//! The widget colours and sizes of presentation mode: what a resident at the back of a
//! meeting room reads off a washed-out projector. The map's own projector colours are
//! `render::style::PROJECTOR_LOOK`, chosen through the scene's input.

use egui::{Color32, FontId};

/// Behind the map: plain white (no basemap; a projector turns tints into white anyway).
pub const BACKGROUND: Color32 = Color32::WHITE;
/// Text and outlines of the furniture.
pub const INK: Color32 = Color32::from_rgb(0x10, 0x10, 0x10);
/// Behind the title, the counter and the legend: opaque, so nothing on the map shows through.
pub const PANEL_BG: Color32 = Color32::from_rgb(0xFF, 0xFF, 0xFF);
/// The panels' border.
pub const PANEL_BORDER: Color32 = Color32::from_rgb(0x10, 0x10, 0x10);
/// The buttons' fill: a dark, saturated blue that keeps its contrast on a projector.
pub const BUTTON_FILL: Color32 = Color32::from_rgb(0x0B, 0x3D, 0x91);
/// The exit button's fill: dark red, unmistakable.
pub const EXIT_FILL: Color32 = Color32::from_rgb(0xA3, 0x12, 0x12);
/// The buttons' text.
pub const BUTTON_TEXT: Color32 = Color32::WHITE;
/// A disabled button's fill (no previous slide on the first).
/// The residents'-input strip's background along the bottom edge.
pub const STRIP_FILL: Color32 = Color32::from_rgb(0xF2, 0xF2, 0xF2);
/// Disabled buttons.
pub const BUTTON_DISABLED: Color32 = Color32::from_rgb(0x9E, 0x9E, 0x9E);

/// Every size of the map's furniture (scale bar, north arrow, legend) times this.
pub const FURNITURE_FACTOR: f32 = 2.0;
/// Factor on the text of a body other than the map (the alternatives' figures side by side).
pub const BODY_TEXT_FACTOR: f32 = 1.6;
/// The slide's title, points.
pub const TITLE_SIZE: f32 = 44.0;
/// "n / m", points.
pub const COUNTER_SIZE: f32 = 32.0;
/// The buttons' text, points.
pub const BUTTON_TEXT_SIZE: f32 = 28.0;
/// The buttons' height, points: at least 48 for a finger on a touch screen.
pub const BUTTON_HEIGHT: f32 = 64.0;
/// The buttons' least width, points.
pub const BUTTON_MIN_WIDTH: f32 = 160.0;
/// The legend's text, points (twice the side panel's).
pub const LEGEND_TEXT_SIZE: f32 = 26.0;
/// The legend's symbol box, points (twice the side panel's).
pub const LEGEND_SYMBOL_PX: f32 = crate::gui::style::LEGEND_SYMBOL_PX * FURNITURE_FACTOR;
/// Space between the screen's edge and the furniture, points.
pub const MARGIN: f32 = 24.0;
/// Inner padding of the panels, points.
pub const PAD: f32 = 14.0;
/// Corner radius of panels and buttons, points.
pub const CORNER: f32 = 10.0;

/// A highlighted project's feature: the glow under it (a wide translucent band).
pub const GLOW: Color32 = Color32::from_rgba_premultiplied(0xC8, 0xA0, 0x00, 0xC8);
/// The glow's width, points.
pub const GLOW_WIDTH: f32 = 16.0;
/// A highlighted feature's outline.
pub const HIGHLIGHT_STROKE: Color32 = Color32::from_rgb(0x10, 0x10, 0x10);
/// Its width, points.
pub const HIGHLIGHT_WIDTH: f32 = 4.5;
/// A highlighted line, in its own colour, points (the projector's plan lines are 7).
pub const HIGHLIGHT_LINE_WIDTH: f32 = 9.0;

/// How long a move from one slide's view to the next takes, seconds.
pub const MOVE_SECONDS: f64 = 0.7;

/// The title's font.
pub fn title_font() -> FontId {
    FontId::proportional(TITLE_SIZE)
}

/// The counter's font.
pub fn counter_font() -> FontId {
    FontId::proportional(COUNTER_SIZE)
}

/// The buttons' font.
pub fn button_font() -> FontId {
    FontId::proportional(BUTTON_TEXT_SIZE)
}

/// The legend's font.
pub fn legend_font() -> FontId {
    FontId::proportional(LEGEND_TEXT_SIZE)
}
