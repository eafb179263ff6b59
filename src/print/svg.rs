//! The SVG back end: the drawing list as hand-written SVG 1.1, text as `<text>` in the print
//! font's family (escaped), every shape a `<path>`. Sizes in points, the viewBox the sheet's.

use std::fmt::Write as _;

use crate::print::draw::{Anchor, Item, Pt, Sheet};
use crate::print::font::SVG_FONT_FAMILY;
use crate::render::primitive::{Rgba, unmultiplied};

/// The sheet as an SVG document.
pub fn to_svg(sheet: &Sheet) -> String {
    let mut o = String::with_capacity(1 << 20);
    let (w, h) = (sheet.width, sheet.height);
    let _ = write!(
        o,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w:.2}pt\" height=\"{h:.2}pt\" viewBox=\"0 0 {w:.2} {h:.2}\" font-family=\"{}\">\n<title>{}</title>\n",
        escape(SVG_FONT_FAMILY),
        escape(&sheet.title)
    );
    let mut clips = 0usize;
    for item in &sheet.items {
        match item {
            Item::Fill {
                rings,
                colour,
                even_odd,
            } => {
                o.push_str("<path d=\"");
                for ring in rings {
                    path_data(&mut o, ring, true);
                }
                let _ = write!(o, "\"{}", paint("fill", *colour));
                if *even_odd {
                    o.push_str(" fill-rule=\"evenodd\"");
                }
                o.push_str("/>\n");
            }
            Item::Line {
                points,
                closed,
                width,
                colour,
                dash,
            } => {
                o.push_str("<path d=\"");
                path_data(&mut o, points, *closed);
                let _ = write!(
                    o,
                    "\" fill=\"none\"{} stroke-width=\"{width:.2}\" stroke-linejoin=\"round\" stroke-linecap=\"round\"",
                    paint("stroke", *colour)
                );
                if let Some([d, g]) = dash {
                    let _ = write!(o, " stroke-dasharray=\"{d:.2} {g:.2}\"");
                }
                o.push_str("/>\n");
            }
            Item::Text {
                at,
                text,
                size,
                colour,
                halo,
                anchor,
                ..
            } => {
                let anchor = match anchor {
                    Anchor::Start => "start",
                    Anchor::Middle => "middle",
                    Anchor::End => "end",
                };
                let _ = write!(
                    o,
                    "<text x=\"{:.2}\" y=\"{:.2}\" font-size=\"{size:.2}\" text-anchor=\"{anchor}\"{}",
                    at[0],
                    at[1],
                    paint("fill", *colour)
                );
                if let Some(halo) = halo {
                    let _ = write!(
                        o,
                        "{} stroke-width=\"{:.2}\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                        paint("stroke", *halo),
                        size * 0.25
                    );
                }
                let _ = writeln!(o, ">{}</text>", escape(text));
            }
            Item::Clip(r) => {
                clips += 1;
                let _ = write!(
                    o,
                    "<clipPath id=\"clip{clips}\"><rect x=\"{:.2}\" y=\"{:.2}\" width=\"{:.2}\" height=\"{:.2}\"/></clipPath>\n<g clip-path=\"url(#clip{clips})\">\n",
                    r[0],
                    r[1],
                    r[2] - r[0],
                    r[3] - r[1]
                );
            }
            Item::EndClip => o.push_str("</g>\n"),
        }
    }
    o.push_str("</svg>\n");
    o
}

fn path_data(o: &mut String, points: &[Pt], closed: bool) {
    for (i, p) in points.iter().enumerate() {
        let _ = write!(
            o,
            "{}{:.2} {:.2}",
            if i == 0 { "M" } else { "L" },
            p[0],
            p[1]
        );
    }
    if closed && !points.is_empty() {
        o.push('Z');
    }
}

/// ` fill="#rrggbb" fill-opacity="a"` for a premultiplied colour.
fn paint(what: &str, colour: Rgba) -> String {
    let [r, g, b, a] = unmultiplied(colour);
    if a == 255 {
        format!(" {what}=\"#{r:02x}{g:02x}{b:02x}\"")
    } else {
        format!(
            " {what}=\"#{r:02x}{g:02x}{b:02x}\" {what}-opacity=\"{:.3}\"",
            f32::from(a) / 255.0
        )
    }
}

/// Text for XML character data and attribute values; characters XML 1.0 forbids (controls
/// other than tab and newlines) are dropped.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_escaped() {
        assert_eq!(escape("a<b & \"c\"\u{1}"), "a&lt;b &amp; &quot;c&quot;");
    }
}
