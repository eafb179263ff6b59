//! The PNG back end: the drawing list rasterised on the CPU with `tiny-skia`, glyphs drawn
//! from the print font's outlines, **in strips**: one strip of rows is painted, handed to the
//! `png` encoder's stream writer and painted over again for the next, so an A1 sheet at 300
//! dpi (7016 × 9933) never holds more than one strip of RGBA (and the compressed file).

use std::io::Write;

use tiny_skia::{
    Color, FillRule, LineCap, LineJoin, Mask, Paint, Path, PathBuilder, Pixmap, Stroke, StrokeDash,
    Transform,
};

use crate::error::{Error, Problem, Result};
use crate::print::draw::{Item, Pt, Sheet, anchor_shift};
use crate::print::font::{OutlineCmd, PrintFont};
use crate::print::sheet::PageSpec;
use crate::render::primitive::{Rgba, unmultiplied};

/// Rows painted at a time.
pub const STRIP_ROWS: u32 = 256;

fn failed(detail: impl Into<String>) -> Error {
    Error::request(Problem::PrintFailed {
        detail: detail.into(),
    })
}

/// One item made ready to paint: its paths in pixels of the whole sheet, its rows.
enum Ready {
    Fill {
        path: Path,
        paint: Paint<'static>,
        rule: FillRule,
    },
    Stroke {
        path: Path,
        paint: Paint<'static>,
        stroke: Stroke,
    },
    Clip(Path),
    EndClip,
}

struct Placed {
    ready: Ready,
    /// First and last pixel row it may touch.
    rows: (f32, f32),
}

/// The sheet as a PNG at `page.dpi`, written to `out` strip by strip.
///
/// # Errors
/// [`Problem::PrintFailed`] when the size is out of range or the encoder fails, and the
/// writer's own errors.
pub fn write_png(
    sheet: &Sheet,
    page: &PageSpec,
    font: &mut PrintFont,
    out: impl Write,
) -> Result<()> {
    let (w, h) = page.size_px();
    let k = w as f32 / sheet.width;
    let placed = prepare(sheet, k, font);
    let mut encoder = png::Encoder::new(out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let ppm = (f64::from(page.dpi) / 0.0254).round() as u32;
    encoder.set_pixel_dims(Some(png::PixelDimensions {
        xppu: ppm,
        yppu: ppm,
        unit: png::Unit::Meter,
    }));
    let mut writer = encoder.write_header().map_err(|e| failed(e.to_string()))?;
    let mut stream = writer.stream_writer().map_err(|e| failed(e.to_string()))?;
    let strip_rows = STRIP_ROWS.min(h.max(1));
    // One thread paints strips while this one compresses the last: at most three strips of
    // RGB exist at once (one painted, one queued, one being written).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Result<Vec<u8>>>(1);
    std::thread::scope(|scope| {
        let placed = &placed;
        scope.spawn(move || {
            let mut pixmap = match Pixmap::new(w, strip_rows) {
                Some(p) => p,
                None => {
                    let _ = tx.send(Err(failed(format!("{w} × {h} pixels"))));
                    return;
                }
            };
            let mut y0 = 0u32;
            while y0 < h {
                let rows = strip_rows.min(h - y0);
                let strip = paint_strip(&mut pixmap, placed, y0, rows).map(|()| {
                    let n = (w * rows) as usize;
                    let mut rgb = Vec::with_capacity(n * 3);
                    for px in pixmap.data()[..n * 4].chunks_exact(4) {
                        rgb.extend_from_slice(&px[..3]);
                    }
                    rgb
                });
                let stop = strip.is_err();
                if tx.send(strip).is_err() || stop {
                    return;
                }
                y0 += rows;
            }
        });
        for strip in rx {
            stream
                .write_all(&strip?)
                .map_err(|e| failed(e.to_string()))?;
        }
        Ok::<(), Error>(())
    })?;
    stream.finish().map_err(|e| failed(e.to_string()))?;
    Ok(())
}

fn paint_strip(pixmap: &mut Pixmap, placed: &[Placed], y0: u32, rows: u32) -> Result<()> {
    pixmap.fill(Color::WHITE);
    let (top, bottom) = (y0 as f32, (y0 + rows) as f32);
    let t = Transform::from_translate(0.0, -top);
    let mut clip: Option<Mask> = None;
    for p in placed {
        match &p.ready {
            Ready::Clip(path) => {
                let mut mask = Mask::new(pixmap.width(), pixmap.height())
                    .ok_or_else(|| failed("clip mask"))?;
                mask.fill_path(path, FillRule::Winding, true, t);
                clip = Some(mask);
                continue;
            }
            Ready::EndClip => {
                clip = None;
                continue;
            }
            _ => {}
        }
        if p.rows.1 < top || p.rows.0 > bottom {
            continue;
        }
        match &p.ready {
            Ready::Fill { path, paint, rule } => {
                pixmap.fill_path(path, paint, *rule, t, clip.as_ref());
            }
            Ready::Stroke {
                path,
                paint,
                stroke,
            } => pixmap.stroke_path(path, paint, stroke, t, clip.as_ref()),
            Ready::Clip(_) | Ready::EndClip => {}
        }
    }
    // The paper is white and opaque: premultiplied is straight, and each pixel's RGB is what
    // the file holds.
    Ok(())
}

fn paint_of(c: Rgba) -> Paint<'static> {
    let [r, g, b, a] = unmultiplied(c);
    let mut paint = Paint::default();
    paint.set_color_rgba8(r, g, b, a);
    paint.anti_alias = true;
    paint
}

fn stroke_of(width: f32, dash: Option<[f32; 2]>) -> Stroke {
    Stroke {
        width,
        line_cap: LineCap::Round,
        line_join: LineJoin::Round,
        dash: dash.and_then(|[d, g]| StrokeDash::new(vec![d, g], 0.0)),
        ..Stroke::default()
    }
}

fn ring_path(pb: &mut PathBuilder, ring: &[Pt], k: f32, closed: bool) {
    let mut points = ring.iter();
    if let Some(first) = points.next() {
        pb.move_to(first[0] * k, first[1] * k);
        for p in points {
            pb.line_to(p[0] * k, p[1] * k);
        }
        if closed {
            pb.close();
        }
    }
}

/// Every item as paths in pixels, with the rows it covers.
fn prepare(sheet: &Sheet, k: f32, font: &mut PrintFont) -> Vec<Placed> {
    let mut out = Vec::with_capacity(sheet.items.len());
    for item in &sheet.items {
        let rows = item
            .bounds()
            .map_or((f32::NEG_INFINITY, f32::INFINITY), |b| (b[1] * k, b[3] * k));
        let mut push = |ready: Ready| out.push(Placed { ready, rows });
        match item {
            Item::Fill {
                rings,
                colour,
                even_odd,
            } => {
                let mut pb = PathBuilder::new();
                for ring in rings {
                    ring_path(&mut pb, ring, k, true);
                }
                if let Some(path) = pb.finish() {
                    push(Ready::Fill {
                        path,
                        paint: paint_of(*colour),
                        rule: if *even_odd {
                            FillRule::EvenOdd
                        } else {
                            FillRule::Winding
                        },
                    });
                }
            }
            Item::Line {
                points,
                closed,
                width,
                colour,
                dash,
            } => {
                let mut pb = PathBuilder::new();
                ring_path(&mut pb, points, k, *closed);
                if let Some(path) = pb.finish() {
                    push(Ready::Stroke {
                        path,
                        paint: paint_of(*colour),
                        stroke: stroke_of(width * k, dash.map(|[d, g]| [d * k, g * k])),
                    });
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
                let Some(path) = text_path(
                    font,
                    text,
                    [at[0] - anchor_shift(*anchor, *width), at[1]],
                    size * k,
                    k,
                ) else {
                    continue;
                };
                if let Some(halo) = halo {
                    push(Ready::Stroke {
                        path: path.clone(),
                        paint: paint_of(*halo),
                        stroke: stroke_of(size * k * 0.25, None),
                    });
                }
                push(Ready::Fill {
                    path,
                    paint: paint_of(*colour),
                    rule: FillRule::Winding,
                });
            }
            Item::Clip(r) => {
                if let Some(rect) =
                    tiny_skia::Rect::from_ltrb(r[0] * k, r[1] * k, r[2] * k, r[3] * k)
                {
                    push(Ready::Clip(PathBuilder::from_rect(rect)));
                }
            }
            Item::EndClip => push(Ready::EndClip),
        }
    }
    out
}

/// The glyph outlines of one line of text as one path, in pixels; `at` in points.
fn text_path(font: &mut PrintFont, text: &str, at: Pt, size_px: f32, k: f32) -> Option<Path> {
    let mut pb = PathBuilder::new();
    let (x0, y0) = (at[0] * k, at[1] * k);
    let mut pen = 0.0f32;
    for g in font.layout(text) {
        let ox = x0 + pen * size_px;
        let p = |v: [f32; 2]| (ox + v[0] * size_px, y0 - v[1] * size_px);
        for cmd in font.outline(g.face, g.id) {
            match *cmd {
                OutlineCmd::Move(a) => {
                    let (x, y) = p(a);
                    pb.move_to(x, y);
                }
                OutlineCmd::Line(a) => {
                    let (x, y) = p(a);
                    pb.line_to(x, y);
                }
                OutlineCmd::Quad(c, a) => {
                    let ((cx, cy), (x, y)) = (p(c), p(a));
                    pb.quad_to(cx, cy, x, y);
                }
                OutlineCmd::Cubic(c1, c2, a) => {
                    let ((c1x, c1y), (c2x, c2y), (x, y)) = (p(c1), p(c2), p(a));
                    pb.cubic_to(c1x, c1y, c2x, c2y, x, y);
                }
                OutlineCmd::Close => pb.close(),
            }
        }
        pen += g.advance;
    }
    pb.finish()
}
