//! Every colour and size of the window's widgets and map overlays (selection, handles,
//! furniture), in one place (house rule 8). The map scene's own colours and sizes are in
//! [`crate::render::style`]; the few the widgets share are re-exported here.

use egui::{Color32, FontId};

pub use crate::render::style::{PLAN_SYMBOL_BELOW_PX, SYMBOL_RADIUS, darker};

/// Sizes of the panels.
pub const LEFT_PANEL_WIDTH: f32 = 260.0;
/// Width of the inspector.
pub const RIGHT_PANEL_WIDTH: f32 = 300.0;
/// Height of the import dialog's list of repairs before it scrolls, points.
pub const IMPORT_REPORT_HEIGHT: f32 = 180.0;
/// Initial window size.
pub const WINDOW_SIZE: [f32; 2] = [1600.0, 1000.0];

/// Map background (land where nothing is drawn).
pub const MAP_BACKGROUND: Color32 = Color32::from_rgb(0xF4, 0xF1, 0xEA);

/// Hover highlight.
pub const HOVER_STROKE: Color32 = Color32::from_rgb(0xFF, 0x8F, 0x00);
/// Hover outline width.
pub const HOVER_WIDTH: f32 = 2.5;
/// Selection highlight.
pub const SELECT_STROKE: Color32 = Color32::from_rgb(0x00, 0xB8, 0xD4);
/// Selection fill overlay.
pub const SELECT_FILL: Color32 = Color32::from_rgba_premultiplied(0, 46, 53, 64);
/// Selection outline width.
pub const SELECT_WIDTH: f32 = 3.5;

/// Outline of the selected project's features.
pub const PROJECT_STROKE: Color32 = Color32::from_rgb(0xD8, 0x1B, 0x60);
/// Outline width of the selected project's features.
pub const PROJECT_WIDTH: f32 = 3.0;
/// Outline of the features that belong to no project (when marked).
pub const UNASSIGNED_STROKE: Color32 = Color32::from_rgb(0xFF, 0x6F, 0x00);
/// Outline width of unassigned features.
pub const UNASSIGNED_WIDTH: f32 = 2.0;
/// Lifecycle guidance text (a warning, not an error).
pub const GUIDANCE_TEXT: Color32 = Color32::from_rgb(0xB2, 0x6A, 0x00);
/// An overdue task's mark in the task lists.
pub const OVERDUE_TEXT: Color32 = Color32::from_rgb(0xC6, 0x28, 0x28);
/// Height of a record table in the records window.
pub const RECORD_TABLE_HEIGHT: f32 = 360.0;

/// Hit-test tolerance for lines and points, points.
pub const HIT_TOLERANCE_PX: f32 = 6.0;

/// Scale bar: its longest length, points.
pub const SCALE_BAR_MAX_PX: f32 = 140.0;
/// Scale bar and north arrow ink.
pub const MAP_INK: Color32 = Color32::from_rgb(0x22, 0x22, 0x22);
/// Background of the scale bar and north arrow.
pub const MAP_WIDGET_BG: Color32 = Color32::from_rgba_premultiplied(242, 242, 242, 220);
/// Margin of map furniture from the map's edge, points.
pub const MAP_MARGIN_PX: f32 = 12.0;
/// Size of the north arrow, points.
pub const NORTH_ARROW_PX: f32 = 36.0;
/// Text of map furniture.
pub fn map_furniture_font() -> FontId {
    FontId::proportional(13.0)
}

/// Legend symbol box, points.
pub const LEGEND_SYMBOL_PX: f32 = 18.0;

/// A colour from RGBA bytes (not premultiplied), with an extra opacity factor.
pub fn colour(rgba: [u8; 4], opacity: f32) -> Color32 {
    crate::gui::map::paint::color32(crate::render::style::colour(rgba, opacity))
}

/// Snapping tolerance: what a planner can hit with a mouse, whatever the zoom.
///
/// # Units
/// Screen points.
pub const SNAP_TOLERANCE_PX: f64 = 10.0;
/// Reach of a vertex handle or an edge of the selected feature, points.
pub const HANDLE_HIT_PX: f32 = 8.0;
/// Half the side of a vertex handle, points.
pub const HANDLE_HALF_PX: f32 = 4.5;
/// Vertex handle fill.
pub const HANDLE_FILL: Color32 = Color32::WHITE;
/// Selected vertex handle fill.
pub const HANDLE_SELECTED_FILL: Color32 = Color32::from_rgb(0xFF, 0x6D, 0x00);
/// Vertex handle outline.
pub const HANDLE_STROKE: Color32 = Color32::from_rgb(0x00, 0x6F, 0x80);
/// The ghost handle where a click on an edge inserts a vertex.
pub const INSERT_MARKER: Color32 = Color32::from_rgb(0x00, 0x6F, 0x80);
/// Snap marker on a vertex (a square) and on an edge (a diamond).
pub const SNAP_MARKER: Color32 = Color32::from_rgb(0xD8, 0x1B, 0x60);
/// Size of the snap marker, points.
pub const SNAP_MARKER_PX: f32 = 7.0;
/// A double-click finishes a sketch when its second click is this close to the last vertex.
///
/// # Units
/// Screen points.
pub const DOUBLE_CLICK_PX: f32 = 6.0;
/// Sketch fill alpha over the element colour.
pub const SKETCH_FILL_ALPHA: u8 = 90;
/// Sketch outline width, points.
pub const SKETCH_WIDTH: f32 = 2.0;
/// Sketch vertex dot radius, points.
pub const SKETCH_VERTEX_RADIUS: f32 = 3.5;
/// Outline of a feature being dragged.
pub const PREVIEW_STROKE: Color32 = Color32::from_rgb(0x00, 0x8C, 0xA3);
/// Fill of a feature being dragged.
pub const PREVIEW_FILL: Color32 = Color32::from_rgba_premultiplied(0, 60, 70, 70);
/// Offset of the live measure box from the cursor, points.
pub const MEASURE_OFFSET_PX: f32 = 18.0;
/// Live measure box background.
pub const MEASURE_BG: Color32 = Color32::from_rgba_premultiplied(250, 250, 250, 235);
/// Soft warning background (siting notes are guidance: yellow, never red).
pub const WARNING_BG: Color32 = Color32::from_rgb(0xFF, 0xF3, 0xC4);
/// Soft warning text.
pub const WARNING_TEXT: Color32 = Color32::from_rgb(0x6B, 0x4E, 0x00);
/// Soft warning marker.
pub const WARNING_ICON: Color32 = Color32::from_rgb(0xE0, 0xA8, 0x00);
/// Size of the soft warning marker, points.
pub const WARNING_ICON_PX: f32 = 14.0;
/// Error text in the status bar.
pub const ERROR_TEXT: Color32 = Color32::from_rgb(0xB0, 0x1E, 0x1E);
/// Confirmation text in the status bar.
pub const OK_TEXT: Color32 = Color32::from_rgb(0x1B, 0x6E, 0x2E);
/// Statistics chart: budget bars.
pub const CHART_BUDGET: Color32 = Color32::from_rgb(0x1F, 0x77, 0xB4);
/// Statistics chart: actual cost bars.
pub const CHART_ACTUAL: Color32 = Color32::from_rgb(0xFF, 0x7F, 0x0E);
/// Statistics chart: height of one group's row (two bars), so every name on the y axis reads.
pub const CHART_ROW_PX: f32 = 26.0;
/// Statistics chart: width of the bars' part, beside the names.
pub const CHART_BARS_WIDTH: f32 = 420.0;
/// A window sized to its contents keeps this much of the screen's height free (title, bars).
pub const WINDOW_SCREEN_MARGIN_PX: f32 = 140.0;
/// The help window's width.
pub const HELP_WINDOW_WIDTH: f32 = 600.0;
/// The help window's height at first (it scrolls).
pub const HELP_WINDOW_HEIGHT: f32 = 720.0;
/// The opening view around the plan features: the least it shows, in Web Mercator metres
/// (about 1.5 km on the ground in Shanghai), so one small garden is not shown at 1:200.
pub const OPENING_MIN_SPAN_M: f64 = 1_800.0;
/// The opening view: the share of the plan features' box added on each side.
pub const OPENING_PAD_FRACTION: f64 = 0.15;
/// A pin's disc in a meeting form's note row, radius in points (on the map:
/// `render::style::PIN_RADIUS`).
pub const PIN_ROW_RADIUS_PX: f32 = 7.0;
/// The side of an attachment's thumbnail, points.
pub const THUMBNAIL_PX: f32 = 96.0;
/// Tool bar button: symbol box, points.
pub const TOOL_SYMBOL_PX: f32 = 18.0;
/// Tool bar button padding, points.
pub const TOOL_PADDING_PX: f32 = 5.0;
/// Tool bar button background when active.
pub const TOOL_ACTIVE_BG: Color32 = Color32::from_rgb(0xCF, 0xEB, 0xF0);
/// Tool bar button outline when active.
pub const TOOL_ACTIVE_STROKE: Color32 = Color32::from_rgb(0x00, 0x8C, 0xA3);
/// A duplicate is shifted this far right and down from its original, so both are visible.
///
/// # Units
/// Screen points at the current zoom.
pub const DUPLICATE_OFFSET_PX: f64 = 24.0;
/// Text of the live measure and warnings on the map.
pub fn measure_font() -> FontId {
    FontId::proportional(13.0)
}
