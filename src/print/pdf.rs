//! The PDF back end, with `krilla`: every item as vector paths, text as real text in the
//! bundled CJK font, which krilla embeds as a subset (only the glyphs used), so the sheet's
//! Chinese is selectable and searchable and the file stays small.

use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule, LineCap, LineJoin, Stroke, StrokeDash};
use krilla::surface::Surface;
use krilla::text::{Font, GlyphId, KrillaGlyph};
use krilla::{Document, SerializeSettings};

use crate::error::{Error, Problem, Result};
use crate::print::draw::{Item, Pt, Sheet, anchor_shift};
use crate::print::font::{Face, PrintFont};
use crate::render::primitive::{Rgba, unmultiplied};

fn failed(detail: impl Into<String>) -> Error {
    Error::request(Problem::PrintFailed {
        detail: detail.into(),
    })
}

/// The sheet as a one-page PDF.
///
/// # Errors
/// [`Problem::PrintFailed`] when krilla refuses the document (a size out of PDF's range).
pub fn to_pdf(sheet: &Sheet, font: &PrintFont) -> Result<Vec<u8>> {
    let settings = SerializeSettings {
        enable_tagging: false,
        ..SerializeSettings::default()
    };
    let mut doc = Document::new_with(settings);
    doc.set_metadata(
        Metadata::new()
            .title(sheet.title.clone())
            .creator("Linli 邻里".to_string()),
    );
    let font_of = |face: Face| {
        Font::new(face.data().into(), 0).ok_or_else(|| failed("a bundled font is not readable"))
    };
    let pdf_fonts = PdfFonts {
        latin: font_of(Face::Latin)?,
        cjk: font_of(Face::Cjk)?,
    };
    let size = PageSettings::from_wh(sheet.width, sheet.height)
        .ok_or_else(|| failed(format!("page size {} × {}", sheet.width, sheet.height)))?;
    {
        let mut page = doc.start_page_with(size);
        let mut surface = page.surface();
        for item in &sheet.items {
            draw(&mut surface, item, &pdf_fonts, font);
        }
        surface.finish();
        page.finish();
    }
    doc.finish().map_err(|e| failed(format!("{e:?}")))
}

fn colour_of(c: Rgba) -> (rgb::Color, NormalizedF32) {
    let [r, g, b, a] = unmultiplied(c);
    (
        rgb::Color::new(r, g, b),
        NormalizedF32::new(f32::from(a) / 255.0).unwrap_or(NormalizedF32::ONE),
    )
}

fn fill_of(c: Rgba, rule: FillRule) -> Fill {
    let (paint, opacity) = colour_of(c);
    Fill {
        paint: paint.into(),
        opacity,
        rule,
    }
}

fn stroke_of(c: Rgba, width: f32, dash: Option<[f32; 2]>) -> Stroke {
    let (paint, opacity) = colour_of(c);
    Stroke {
        paint: paint.into(),
        width,
        miter_limit: 4.0,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        opacity,
        dash: dash.map(|[d, g]| StrokeDash {
            array: vec![d, g],
            offset: 0.0,
        }),
    }
}

fn path_of(rings: &mut dyn Iterator<Item = (&[Pt], bool)>) -> Option<krilla::geom::Path> {
    let mut pb = PathBuilder::new();
    for (ring, closed) in rings {
        let mut points = ring.iter();
        let Some(first) = points.next() else {
            continue;
        };
        pb.move_to(first[0], first[1]);
        for p in points {
            pb.line_to(p[0], p[1]);
        }
        if closed {
            pb.close();
        }
    }
    pb.finish()
}

/// The two fonts as krilla holds them.
struct PdfFonts {
    latin: Font,
    cjk: Font,
}

fn draw(surface: &mut Surface<'_>, item: &Item, pdf_fonts: &PdfFonts, font: &PrintFont) {
    match item {
        Item::Fill {
            rings,
            colour,
            even_odd,
        } => {
            let rule = if *even_odd {
                FillRule::EvenOdd
            } else {
                FillRule::NonZero
            };
            if let Some(path) = path_of(&mut rings.iter().map(|r| (r.as_slice(), true))) {
                surface.set_stroke(None);
                surface.set_fill(Some(fill_of(*colour, rule)));
                surface.draw_path(&path);
            }
        }
        Item::Line {
            points,
            closed,
            width,
            colour,
            dash,
        } => {
            if let Some(path) = path_of(&mut std::iter::once((points.as_slice(), *closed))) {
                surface.set_fill(None);
                surface.set_stroke(Some(stroke_of(*colour, *width, *dash)));
                surface.draw_path(&path);
            }
        }
        Item::Text {
            at,
            text,
            size,
            colour,
            halo,
            anchor,
            width,
        } => {
            let glyphs = font.layout(text);
            let mut x = at[0] - anchor_shift(*anchor, *width);
            // One run per font: krilla draws a run in one font.
            for run in glyphs.chunk_by(|a, b| a.face == b.face) {
                let (Some(first), Some(last)) = (run.first(), run.last()) else {
                    continue;
                };
                let (from, to) = (first.start, last.start + last.len);
                let part = text.get(from..to).unwrap_or_default();
                let krilla_glyphs: Vec<KrillaGlyph> = run
                    .iter()
                    .map(|g| {
                        KrillaGlyph::new(
                            GlyphId::new(g.id),
                            g.advance,
                            0.0,
                            0.0,
                            0.0,
                            g.start - from..g.start - from + g.len,
                            None,
                        )
                    })
                    .collect();
                let pdf_font = match first.face {
                    Face::Latin => pdf_fonts.latin.clone(),
                    Face::Cjk => pdf_fonts.cjk.clone(),
                };
                let start = Point::from_xy(x, at[1]);
                if let Some(halo) = halo {
                    // The halo as outlines, so a reader finds the text once, not twice.
                    surface.set_fill(None);
                    surface.set_stroke(Some(stroke_of(*halo, size * 0.25, None)));
                    surface.draw_glyphs(start, &krilla_glyphs, pdf_font.clone(), part, *size, true);
                }
                surface.set_stroke(None);
                surface.set_fill(Some(fill_of(*colour, FillRule::NonZero)));
                surface.draw_glyphs(start, &krilla_glyphs, pdf_font, part, *size, false);
                x += run.iter().map(|g| g.advance).sum::<f32>() * size;
            }
        }
        Item::Clip(r) => {
            let ring = [[r[0], r[1]], [r[2], r[1]], [r[2], r[3]], [r[0], r[3]]];
            if let Some(path) = path_of(&mut std::iter::once((ring.as_slice(), true))) {
                surface.push_clip_path(&path, &FillRule::NonZero);
            }
        }
        Item::EndClip => surface.pop(),
    }
}
