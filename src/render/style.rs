//! Every colour and size the map scene uses, in one place (house rule 8). Colours the user
//! edits (layer styles) are straight RGBA; colours handed to a painter are premultiplied
//! [`Rgba`], made by [`colour`]. The window's widget colours live in `gui::style`.

use crate::render::primitive::Rgba;

/// Default style of a street layer: light fill, dark bold outline (straight RGBA).
pub const STREETS_FILL: [u8; 4] = [0xE9, 0xD8, 0xB6, 150];
/// Street outline.
pub const STREETS_STROKE: [u8; 4] = [0x5D, 0x4A, 0x3A, 255];
/// Street outline width, points.
pub const STREETS_STROKE_WIDTH: f32 = 2.0;
/// Default style of a community layer: no fill to speak of, thin grey outline.
pub const COMMUNITIES_FILL: [u8; 4] = [0xFF, 0xFF, 0xFF, 40];
/// Community outline.
pub const COMMUNITIES_STROKE: [u8; 4] = [0x8C, 0x84, 0x7A, 200];
/// Community outline width, points.
pub const COMMUNITIES_STROKE_WIDTH: f32 = 0.8;
/// Default style of a reference layer.
pub const REFERENCE_FILL: [u8; 4] = [0xDC, 0xE6, 0xD5, 120];
/// Reference outline.
pub const REFERENCE_STROKE: [u8; 4] = [0x6B, 0x7F, 0x5E, 255];
/// Reference outline width, points.
pub const REFERENCE_STROKE_WIDTH: f32 = 1.2;
/// Side of the square marking a point of a reference layer, in points; with a light halo so
/// it reads on any fill.
pub const REFERENCE_POINT_SIDE: f32 = 6.0;
/// The halo around reference points (straight RGBA).
pub const REFERENCE_POINT_HALO: [u8; 4] = [0xFF, 0xFF, 0xFF, 200];
/// Plan polygons are filled with their element colour at this alpha.
pub const PLAN_FILL_ALPHA: u8 = 170;
/// Plan lines, points.
pub const PLAN_LINE_WIDTH: f32 = 3.0;
/// Dash and gap of dashed plan lines, points.
pub const PLAN_DASH: [f32; 2] = [8.0, 5.0];
/// The fill alpha of a design alternative's features drawn muted ("show alternatives").
pub const ALTERNATIVE_FILL_ALPHA: u8 = 60;
/// The outline of a muted alternative's features: grey, dashed.
pub const ALTERNATIVE_STROKE: [u8; 4] = [110, 110, 110, 220];
/// The dash of a muted alternative's outlines.
pub const ALTERNATIVE_DASH: [f32; 2] = [5.0, 4.0];
/// Plan polygon outline width, points.
pub const PLAN_STROKE_WIDTH: f32 = 1.5;
/// Radius of a point symbol, points.
pub const SYMBOL_RADIUS: f32 = 6.0;
/// Outline width of a point symbol, points.
pub const SYMBOL_STROKE_WIDTH: f32 = 1.0;
/// Width of line symbols (legend, tool bar), points.
pub const SYMBOL_LINE_WIDTH: f32 = 3.0;
/// A plan polygon smaller than this on screen is also drawn as its symbol, so it stays visible.
pub const PLAN_SYMBOL_BELOW_PX: f32 = 10.0;

/// Features smaller than this (points) are drawn as one dot.
pub const DOT_BELOW_PX: f32 = 1.5;
/// Size of such a dot, points.
pub const DOT_SIZE_PX: f32 = 1.5;
/// Polygons smaller than this are drawn as a square of their area (their shape is invisible).
pub const TINY_BELOW_PX: f32 = 4.0;
/// Polygons smaller than this are filled but not outlined.
pub const OUTLINE_FROM_PX: f32 = 8.0;
/// The same for the features of a stored (big reference) layer, which may fill the view with
/// thousands of small shapes.
///
/// # Units
/// Points.
pub const STORED_OUTLINE_FROM_PX: f32 = 14.0;
/// Width of the soft edge added to every outline (anti-aliasing), points.
pub const FEATHER_PX: f32 = 1.0;

/// Street labels, points.
pub const STREET_LABEL_SIZE: f32 = 16.0;
/// Street label colour.
pub const STREET_LABEL_COLOUR: Rgba = [0x3B, 0x2A, 0x1E, 255];
/// Community labels, points.
pub const COMMUNITY_LABEL_SIZE: f32 = 12.0;
/// Community label colour.
pub const COMMUNITY_LABEL_COLOUR: Rgba = [0x55, 0x55, 0x55, 255];
/// Reference layer labels, points.
pub const REFERENCE_LABEL_SIZE: f32 = 13.0;
/// Plan feature labels, points.
pub const PLAN_LABEL_SIZE: f32 = 12.0;
/// Plan label colour.
pub const PLAN_LABEL_COLOUR: Rgba = [0x20, 0x20, 0x20, 255];
/// Halo around labels (premultiplied bytes, as the window has always drawn it).
pub const LABEL_HALO: Rgba = [255, 255, 255, 230];
/// Where the copies of a label that make its halo go, relative to the text, points.
pub const LABEL_HALO_OFFSETS: [[f32; 2]; 6] = [
    [-1.0, -1.0],
    [1.0, -1.0],
    [-1.0, 1.0],
    [1.0, 1.0],
    [0.0, 1.4],
    [0.0, -1.4],
];
/// Space kept free between two labels, points.
pub const LABEL_PADDING_PX: f32 = 3.0;
/// Plan features are labelled once a point covers fewer metres than this.
pub const PLAN_LABELS_BELOW_M_PER_PX: f64 = 4.0;

/// A meeting's pinned comment: its disc (premultiplied, opaque).
pub const PIN_COMMENT: Rgba = [0x6A, 0x1B, 0x9A, 255];
/// A meeting's pinned vote's disc: for, against, abstain (in [`Vote::ALL`] order).
///
/// [`Vote::ALL`]: crate::model::meeting::Vote::ALL
pub const PIN_VOTE: [Rgba; 3] = [
    [0x2E, 0x7D, 0x32, 255],
    [0xC6, 0x28, 0x28, 255],
    [0x75, 0x75, 0x75, 255],
];
/// A pin's disc radius, points.
pub const PIN_RADIUS: f32 = 7.0;
/// A pin's disc outline (white, so a disc stands out of any fill).
pub const PIN_OUTLINE: Rgba = [255, 255, 255, 255];
/// Its width, points.
pub const PIN_OUTLINE_WIDTH: f32 = 1.5;
/// The number on a pin's disc, points.
pub const PIN_NUMBER_SIZE: f32 = 10.0;
/// Its colour.
pub const PIN_NUMBER_COLOUR: Rgba = [255, 255, 255, 255];
/// A pin's text, points: a little larger than a plan label, it is what the meeting is about.
pub const PIN_LABEL_SIZE: f32 = 13.0;
/// A pin's text colour: dark ink on the labels' light halo reads on any fill; the disc
/// carries the vote's colour.
pub const PIN_LABEL_COLOUR: Rgba = [0x1A, 0x1A, 0x1A, 255];
/// A pin's text is cut to this many characters on the map (the meeting form has it whole).
pub const PIN_LABEL_MAX_CHARS: usize = 16;
/// The line from a pin's point to its disc when the disc was set apart from another's.
pub const PIN_LEADER_COLOUR: Rgba = [0x33, 0x33, 0x33, 255];
/// Its width, points.
pub const PIN_LEADER_WIDTH: f32 = 1.2;
/// The dot at the pin's true point at the leader's end, radius in points.
pub const PIN_LEADER_DOT: f32 = 2.0;

/// Which set of colours and sizes the scene is drawn in: the editing window's, or the one
/// for a projector in a meeting room (presentation mode), chosen through the scene's input.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Palette {
    /// The editing window's look.
    #[default]
    Normal,
    /// High contrast for a washed-out projector: saturated opaque fills, dark thick outlines,
    /// labels, symbols and lines at twice the size.
    Projector,
}

/// The numbers that differ between the palettes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PaletteLook {
    /// Alpha of plan polygons' element colour.
    pub plan_fill_alpha: u8,
    /// Plan polygon outlines, points.
    pub plan_stroke_width: f32,
    /// Plan lines, points.
    pub plan_line_width: f32,
    /// Point symbols' radius, points.
    pub symbol_radius: f32,
    /// How much darker than the element colour an outline is (0..1: the factor kept).
    pub outline_shade: f32,
    /// Factor on reference and boundary outline widths.
    pub boundary_width_factor: f32,
    /// Factor on every label's size.
    pub label_factor: f32,
    /// Halo around labels (premultiplied).
    pub label_halo: Rgba,
    /// Plan polygons shown as their symbol are drawn once per cell of this size and colour
    /// (a coarser level of detail where thousands overlap); 0 draws every one.
    ///
    /// # Units
    /// Points.
    pub symbol_cell_px: f32,
}

/// The editing window's look.
pub const NORMAL_LOOK: PaletteLook = PaletteLook {
    plan_fill_alpha: PLAN_FILL_ALPHA,
    plan_stroke_width: PLAN_STROKE_WIDTH,
    plan_line_width: PLAN_LINE_WIDTH,
    symbol_radius: SYMBOL_RADIUS,
    outline_shade: 0.65,
    boundary_width_factor: 1.0,
    label_factor: 1.0,
    label_halo: LABEL_HALO,
    symbol_cell_px: 0.0,
};

/// The projector's look: fills nearly opaque (a projector lifts every colour towards white),
/// outlines twice as thick and much darker, labels at twice the size on an opaque halo.
pub const PROJECTOR_LOOK: PaletteLook = PaletteLook {
    plan_fill_alpha: 240,
    plan_stroke_width: 3.0,
    plan_line_width: 7.0,
    symbol_radius: 12.0,
    outline_shade: 0.4,
    boundary_width_factor: 2.0,
    label_factor: 2.0,
    label_halo: [255, 255, 255, 255],
    symbol_cell_px: 12.0,
};

/// Plan features not among a slide's highlighted projects are drawn at this opacity (0..1)
/// so the highlighted ones stand out.
pub const MUTED_OPACITY: f32 = 0.3;

impl Palette {
    /// Its numbers.
    pub fn look(self) -> &'static PaletteLook {
        match self {
            Self::Normal => &NORMAL_LOOK,
            Self::Projector => &PROJECTOR_LOOK,
        }
    }
}
/// A tally badge's smallest radius, points: read from the back of a meeting room.
pub const TALLY_BADGE_RADIUS: f32 = 16.0;
/// The count on a badge, points.
pub const TALLY_BADGE_SIZE: f32 = 20.0;
/// An item with votes: its badge (premultiplied, opaque; a deep orange no plan fill uses).
pub const TALLY_VOTE_FILL: Rgba = [0xE6, 0x51, 0x00, 255];
/// An item with comments only: its smaller badge.
pub const TALLY_COMMENT_FILL: Rgba = [0x6A, 0x1B, 0x9A, 255];
/// A badge's outline (white, so it stands out of any fill) and its width, points.
pub const TALLY_OUTLINE: Rgba = [255, 255, 255, 255];
/// Its width, points.
pub const TALLY_OUTLINE_WIDTH: f32 = 2.0;
/// The count's colour.
pub const TALLY_NUMBER_COLOUR: Rgba = [255, 255, 255, 255];
/// The comments line under a badge, points.
pub const TALLY_COMMENTS_SIZE: f32 = 14.0;
/// Its ink and halo.
pub const TALLY_COMMENTS_COLOUR: Rgba = [0x1A, 0x1A, 0x1A, 255];
/// The halo behind the comments line.
pub const TALLY_HALO: Rgba = [255, 255, 255, 255];
/// The votes-left box in the map's corner: text size, points, ink and ground.
pub const TALLY_LEFT_SIZE: f32 = 22.0;
/// Its ink.
pub const TALLY_LEFT_COLOUR: Rgba = [255, 255, 255, 255];
/// Its ground (premultiplied: dark, mostly opaque).
pub const TALLY_LEFT_BG: Rgba = [0x10, 0x10, 0x10, 0xE0];

/// Palette for "varied colours": soft, distinct hues that keep dark text legible.
pub const VARIED_FILLS: [[u8; 3]; 10] = [
    [0xF2, 0xD7, 0xA8],
    [0xCF, 0xE3, 0xC2],
    [0xC8, 0xDB, 0xEA],
    [0xEC, 0xC9, 0xC6],
    [0xE2, 0xD4, 0xEA],
    [0xF6, 0xE8, 0xB1],
    [0xC5, 0xE6, 0xDF],
    [0xE9, 0xCF, 0xB4],
    [0xD7, 0xDE, 0xB2],
    [0xD9, 0xCF, 0xC7],
];

/// `v × a / 255`, rounded (the same fixed-point rounding egui uses, so colours match).
const fn mul_frac_round(v: u8, a: u8) -> u8 {
    let p = (v as u16) * (a as u16) + 128;
    ((p + (p >> 8)) >> 8) as u8
}

/// A premultiplied colour from straight RGBA bytes, with an extra opacity factor (0..=1).
pub fn colour(rgba: [u8; 4], opacity: f32) -> Rgba {
    let [r, g, b, a] = rgba;
    let pre = match a {
        0 => [0; 4],
        255 => [r, g, b, 255],
        a => [
            mul_frac_round(r, a),
            mul_frac_round(g, a),
            mul_frac_round(b, a),
            a,
        ],
    };
    fade(pre, opacity.clamp(0.0, 1.0))
}

/// A premultiplied colour made more transparent by `factor` (0..=1).
pub fn fade(c: Rgba, factor: f32) -> Rgba {
    let m = |v: u8| (f32::from(v) * factor + 0.5) as u8;
    [m(c[0]), m(c[1]), m(c[2]), m(c[3])]
}

/// A darker shade of an element colour, for outlines (straight RGBA).
pub fn darker(rgb: [u8; 3]) -> [u8; 4] {
    shaded(rgb, NORMAL_LOOK.outline_shade)
}

/// An element colour with each channel times `keep` (0..1), opaque (straight RGBA).
pub fn shaded(rgb: [u8; 3], keep: f32) -> [u8; 4] {
    let d = |c: u8| (f32::from(c) * keep) as u8;
    [d(rgb[0]), d(rgb[1]), d(rgb[2]), 255]
}

/// A density cell of a big reference layer is drawn at least this wide (coarser grids
/// otherwise).
///
/// # Units
/// Points.
pub const DENSITY_CELL_MIN_PX: f64 = 8.0;

/// How much of a density cell's shade (0–255) becomes alpha.
pub const DENSITY_ALPHA: f32 = 0.7;

/// The uncovered part of the areas in a coverage analysis: a translucent warm red.
pub const COVERAGE_UNCOVERED_FILL: [u8; 4] = [0xC8, 0x3C, 0x28, 90];
/// What a proposal would newly cover, drawn over the uncovered part: translucent green.
pub const COVERAGE_ADDED_FILL: [u8; 4] = [0x1E, 0x8C, 0x46, 140];
/// A candidate site's disc.
pub const CANDIDATE_FILL: [u8; 4] = [0x1F, 0x5F, 0xBF, 230];
/// A candidate site's outline and its rank's halo.
pub const CANDIDATE_STROKE: [u8; 4] = [0xFF, 0xFF, 0xFF, 255];
/// A candidate site's disc radius, points.
pub const CANDIDATE_RADIUS: f32 = 9.0;
/// A candidate's rank, text size in points.
pub const CANDIDATE_TEXT_SIZE: f32 = 11.0;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_premultiplied_and_faded() {
        assert_eq!(colour([200, 100, 50, 255], 1.0), [200, 100, 50, 255]);
        assert_eq!(colour([255, 255, 255, 128], 1.0), [128, 128, 128, 128]);
        assert_eq!(colour([200, 100, 50, 255], 0.5), [100, 50, 25, 128]);
        assert_eq!(colour([1, 2, 3, 0], 1.0), [0; 4]);
    }
}
