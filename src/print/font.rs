//! The fonts of every printed sheet: the bundled Droid Sans Fallback for Chinese and egui's
//! Ubuntu Light for Latin letters and digits (the CJK font has none), read with `skrifa` (the
//! font stack `krilla` embeds them with): character to font and glyph, advances for layout,
//! and glyph outlines for the PNG back end. The PDF embeds a subset of the same files; the SVG
//! names them and leaves the glyphs to the viewer.

use std::collections::HashMap;

use skrifa::MetadataProvider;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};

use crate::render::labels::FontMetrics;
use crate::render::screen::{ScreenVec, screen_vec};

/// The bundled CJK font (Apache-2.0, `assets/fonts`): the window draws Chinese with it too.
pub const CJK_FONT: &[u8] = include_bytes!("../../assets/fonts/DroidSansFallbackFull.ttf");

/// The Latin font (egui's own, so the print matches the window).
pub const LATIN_FONT: &[u8] = epaint_default_fonts::UBUNTU_LIGHT;

/// The family names an SVG asks for, with the fonts a viewer may have instead.
pub const SVG_FONT_FAMILY: &str = "Ubuntu, 'Droid Sans Fallback', 'Noto Sans CJK SC', 'Source Han Sans SC', 'Microsoft YaHei', sans-serif";

/// Which of the two fonts a glyph is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// [`LATIN_FONT`].
    Latin,
    /// [`CJK_FONT`].
    Cjk,
}

impl Face {
    /// The font file.
    pub fn data(self) -> &'static [u8] {
        match self {
            Face::Latin => LATIN_FONT,
            Face::Cjk => CJK_FONT,
        }
    }
}

/// One glyph of a laid-out line: its id and where its origin is, in ems from the line's start.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PlacedGlyph {
    /// The font it is in.
    pub face: Face,
    /// Glyph id in that font.
    pub id: u32,
    /// Byte range of the character in the text (what a PDF maps back to text).
    pub start: usize,
    /// Its byte length.
    pub len: usize,
    /// Advance.
    ///
    /// # Units
    /// Ems.
    pub advance: f32,
}

/// One path command of a glyph outline, in ems, y up (the font's own convention).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutlineCmd {
    /// Start a contour.
    Move([f32; 2]),
    /// A straight segment.
    Line([f32; 2]),
    /// A quadratic segment (control, end).
    Quad([f32; 2], [f32; 2]),
    /// A cubic segment (control, control, end).
    Cubic([f32; 2], [f32; 2], [f32; 2]),
    /// Close the contour.
    Close,
}

/// The print font: metrics and outlines of [`LATIN_FONT`] and [`CJK_FONT`], with the outlines
/// cached per glyph.
pub struct PrintFont {
    latin: skrifa::FontRef<'static>,
    font: skrifa::FontRef<'static>,
    latin_units_per_em: f32,
    units_per_em: f32,
    /// Ascent, ems (positive, up).
    ascent: f32,
    /// Descent, ems (negative, down).
    descent: f32,
    outlines: HashMap<(Face, u32), Vec<OutlineCmd>>,
}

impl std::fmt::Debug for PrintFont {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PrintFont")
            .field("units_per_em", &self.units_per_em)
            .finish()
    }
}

impl PrintFont {
    /// The bundled font. `None` only if the compiled-in file were not a font (a build fault,
    /// reported by the caller as a print failure).
    pub fn bundled() -> Option<Self> {
        let font = skrifa::FontRef::new(CJK_FONT).ok()?;
        let latin = skrifa::FontRef::new(LATIN_FONT).ok()?;
        let metrics = font.metrics(Size::unscaled(), LocationRef::default());
        let units_per_em = f32::from(metrics.units_per_em.max(1));
        let latin_units_per_em = f32::from(
            latin
                .metrics(Size::unscaled(), LocationRef::default())
                .units_per_em
                .max(1),
        );
        Some(Self {
            latin,
            font,
            latin_units_per_em,
            units_per_em,
            ascent: metrics.ascent / units_per_em,
            descent: metrics.descent / units_per_em,
            outlines: HashMap::new(),
        })
    }

    /// Ascent above the baseline.
    ///
    /// # Units
    /// Ems.
    pub fn ascent(&self) -> f32 {
        self.ascent
    }

    /// Line height (ascent plus descent).
    ///
    /// # Units
    /// Ems.
    pub fn line_height(&self) -> f32 {
        self.ascent - self.descent
    }

    /// The glyphs of one line of `text`: one per character, no shaping (Chinese and the
    /// Latin of names and numbers need none). A character goes to the Latin font when it has
    /// it, else to the CJK font; one neither has becomes the CJK font's glyph 0.
    pub fn layout(&self, text: &str) -> Vec<PlacedGlyph> {
        let (latin_map, cjk_map) = (self.latin.charmap(), self.font.charmap());
        let at = LocationRef::default();
        let latin_adv = self.latin.glyph_metrics(Size::unscaled(), at);
        let cjk_adv = self.font.glyph_metrics(Size::unscaled(), at);
        text.char_indices()
            .map(|(start, c)| {
                let latin = (!is_wide(c)).then(|| latin_map.map(c)).flatten();
                let (face, id, advance) = match latin {
                    Some(g) => (
                        Face::Latin,
                        g.to_u32(),
                        latin_adv.advance_width(g).unwrap_or(0.0) / self.latin_units_per_em,
                    ),
                    None => {
                        let g = cjk_map.map(c).unwrap_or(skrifa::GlyphId::new(0));
                        (
                            Face::Cjk,
                            g.to_u32(),
                            cjk_adv.advance_width(g).unwrap_or(0.0) / self.units_per_em,
                        )
                    }
                };
                PlacedGlyph {
                    face,
                    id,
                    start,
                    len: c.len_utf8(),
                    advance,
                }
            })
            .collect()
    }

    /// Width of one line of `text`.
    ///
    /// # Units
    /// Ems.
    pub fn width_em(&self, text: &str) -> f32 {
        self.layout(text).iter().map(|g| g.advance).sum()
    }

    /// The outline of glyph `id` of `face` in ems, y up; cached.
    pub fn outline(&mut self, face: Face, id: u32) -> &[OutlineCmd] {
        let (units, font) = match face {
            Face::Latin => (self.latin_units_per_em, &self.latin),
            Face::Cjk => (self.units_per_em, &self.font),
        };
        self.outlines.entry((face, id)).or_insert_with(|| {
            let mut pen = Pen {
                scale: 1.0 / units,
                out: Vec::new(),
            };
            if let Some(glyph) = font.outline_glyphs().get(skrifa::GlyphId::new(id)) {
                let settings = DrawSettings::unhinted(Size::unscaled(), LocationRef::default());
                if glyph.draw(settings, &mut pen).is_err() {
                    pen.out.clear();
                }
            }
            pen.out
        })
    }
}

impl FontMetrics for PrintFont {
    fn text_size(&mut self, text: &str, size: f32) -> ScreenVec {
        screen_vec(self.width_em(text) * size, self.line_height() * size)
    }
}

/// Full-width punctuation and CJK go to the CJK font even where the Latin one has a glyph.
fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

struct Pen {
    scale: f32,
    out: Vec<OutlineCmd>,
}

impl OutlinePen for Pen {
    fn move_to(&mut self, x: f32, y: f32) {
        let s = self.scale;
        self.out.push(OutlineCmd::Move([x * s, y * s]));
    }

    fn line_to(&mut self, x: f32, y: f32) {
        let s = self.scale;
        self.out.push(OutlineCmd::Line([x * s, y * s]));
    }

    fn quad_to(&mut self, cx0: f32, cy0: f32, x: f32, y: f32) {
        let s = self.scale;
        self.out
            .push(OutlineCmd::Quad([cx0 * s, cy0 * s], [x * s, y * s]));
    }

    fn curve_to(&mut self, cx0: f32, cy0: f32, cx1: f32, cy1: f32, x: f32, y: f32) {
        let s = self.scale;
        self.out.push(OutlineCmd::Cubic(
            [cx0 * s, cy0 * s],
            [cx1 * s, cy1 * s],
            [x * s, y * s],
        ));
    }

    fn close(&mut self) {
        self.out.push(OutlineCmd::Close);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_font_has_chinese_and_latin() {
        let mut font = PrintFont::bundled().expect("font");
        let glyphs = font.layout("浦东 A1");
        assert_eq!(glyphs.len(), 5);
        assert!(glyphs.iter().all(|g| g.id != 0 || g.advance > 0.0));
        assert!(glyphs[0].id != 0 && glyphs[3].id != 0);
        assert_eq!((glyphs[0].face, glyphs[3].face), (Face::Cjk, Face::Latin));
        assert!((glyphs[0].advance - 1.0).abs() < 0.1, "CJK is one em wide");
        assert!(!font.outline(Face::Cjk, glyphs[0].id).is_empty());
        assert!(!font.outline(Face::Latin, glyphs[3].id).is_empty());
        assert!(font.ascent() > 0.5 && font.line_height() > 1.0);
    }
}
