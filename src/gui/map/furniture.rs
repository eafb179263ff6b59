//! Map furniture drawn over the scene: the live measure box beside the cursor, the scale bar
//! and the north arrow.

use egui::{Color32, Pos2, Rect, Shape, Stroke, StrokeKind, pos2, vec2};

use crate::i18n::{self, Lang, Text};

use crate::gui::map::MapState;
use crate::gui::map::editing::{self, LiveInfo};
use crate::gui::style;
use crate::render::projection::MapView;

/// The live measure (and any siting warnings) beside the cursor.
pub fn live_box(
    painter: &egui::Painter,
    rect: Rect,
    pos: Pos2,
    live: &LiveInfo,
    state: &MapState<'_>,
) {
    let lang = state.lang;
    let mut lines: Vec<(String, Color32)> = Vec::new();
    if let Some(a) = live.area_m2 {
        lines.push((
            format!("{} {}", Text::Area.get(lang), i18n::area_text(lang, a)),
            style::MAP_INK,
        ));
    }
    if let Some(l) = live.length_m {
        lines.push((
            format!("{} {}", Text::Length.get(lang), i18n::length_text(lang, l)),
            style::MAP_INK,
        ));
    }
    let hint = state
        .session
        .catalog()
        .get(&live.element)
        .map(|e| match lang {
            Lang::Zh => e.hint_zh.as_str(),
            Lang::En => e.hint_en.as_str(),
        })
        .unwrap_or_default();
    let warnings: Vec<String> = live
        .warnings
        .iter()
        .map(|w| i18n::warning_text(lang, w, hint))
        .collect();
    if lines.is_empty() && warnings.is_empty() {
        return;
    }
    let font = style::measure_font();
    let galleys: Vec<_> = lines
        .into_iter()
        .map(|(text, colour)| (painter.layout_no_wrap(text, font.clone(), colour), false))
        .chain(warnings.into_iter().map(|text| {
            (
                painter.layout(text, font.clone(), style::WARNING_TEXT, 360.0),
                true,
            )
        }))
        .collect();
    let pad = 4.0;
    // Warning rows start after their marker.
    let indent = |warning: bool| {
        if warning {
            style::WARNING_ICON_PX + 4.0
        } else {
            0.0
        }
    };
    let width = galleys
        .iter()
        .map(|(g, warning)| g.size().x + indent(*warning))
        .fold(0.0_f32, f32::max)
        + 2.0 * pad;
    let height: f32 = galleys.iter().map(|(g, _)| g.size().y + 2.0).sum::<f32>() + 2.0 * pad;
    let mut origin = pos + vec2(style::MEASURE_OFFSET_PX, style::MEASURE_OFFSET_PX);
    // Keep the box on the map.
    if origin.x + width > rect.right() {
        origin.x = pos.x - style::MEASURE_OFFSET_PX - width;
    }
    if origin.y + height > rect.bottom() {
        origin.y = pos.y - style::MEASURE_OFFSET_PX - height;
    }
    let bg = Rect::from_min_size(origin, vec2(width, height));
    painter.rect(
        bg,
        3.0,
        style::MEASURE_BG,
        Stroke::new(1.0, style::MAP_INK.gamma_multiply(0.4)),
        StrokeKind::Inside,
    );
    let mut y = origin.y + pad;
    for (galley, warning) in galleys {
        let h = galley.size().y;
        if warning {
            let row =
                Rect::from_min_size(pos2(origin.x + 1.0, y - 1.0), vec2(width - 2.0, h + 2.0));
            painter.rect_filled(row, 2.0, style::WARNING_BG);
            let mut icon = Vec::new();
            let size = style::WARNING_ICON_PX;
            editing::paint_warning_icon(
                pos2(origin.x + pad + size / 2.0, y + size / 2.0),
                size,
                &mut icon,
            );
            painter.extend(icon);
        }
        painter.galley(
            pos2(origin.x + pad + indent(warning), y),
            galley,
            style::MAP_INK,
        );
        y += h + 2.0;
    }
}

pub use crate::render::projection::scale_bar_length;

/// Draws the scale bar in the map's bottom-left corner.
pub fn scale_bar(painter: &egui::Painter, rect: Rect, view: &MapView, lang: Lang) {
    scale_bar_sized(painter, rect, view, lang, 1.0);
}

/// The scale bar with every size times `k` (presentation mode draws it twice as large).
pub fn scale_bar_sized(painter: &egui::Painter, rect: Rect, view: &MapView, lang: Lang, k: f32) {
    let (length_m, length_px) =
        scale_bar_length(view.ground_m_per_point(), style::SCALE_BAR_MAX_PX * k);
    if !length_px.is_finite() || length_px < 1.0 {
        return;
    }
    let text = i18n::scale_bar_text(lang, length_m);
    let mut font = style::map_furniture_font();
    font.size *= k;
    let galley = painter.layout_no_wrap(text, font, style::MAP_INK);
    let origin = pos2(
        rect.left() + style::MAP_MARGIN_PX * k,
        rect.bottom() - style::MAP_MARGIN_PX * k,
    );
    let bg = Rect::from_min_max(
        pos2(origin.x - 6.0 * k, origin.y - 18.0 * k - galley.size().y),
        pos2(
            origin.x + length_px.max(galley.size().x) + 6.0 * k,
            origin.y + 4.0 * k,
        ),
    );
    painter.rect_filled(bg, 3.0 * k, style::MAP_WIDGET_BG);
    let y = origin.y - 4.0 * k;
    let half = length_px / 2.0;
    let bar = 4.0 * k;
    painter.rect_filled(
        Rect::from_min_max(pos2(origin.x, y - bar), pos2(origin.x + half, y)),
        0.0,
        style::MAP_INK,
    );
    painter.rect_stroke(
        Rect::from_min_max(pos2(origin.x, y - bar), pos2(origin.x + length_px, y)),
        0.0,
        Stroke::new(k, style::MAP_INK),
        StrokeKind::Middle,
    );
    painter.galley(
        pos2(origin.x, y - bar - 4.0 * k - galley.size().y),
        galley,
        style::MAP_INK,
    );
}

/// Draws the north arrow in the map's top-right corner.
pub fn north_arrow(painter: &egui::Painter, rect: Rect, lang: Lang) {
    north_arrow_at(painter, rect, lang, 1.0, 0.0);
}

/// The north arrow with every size times `k`, `below` points further down (under what else
/// takes the corner).
pub fn north_arrow_at(painter: &egui::Painter, rect: Rect, lang: Lang, k: f32, below: f32) {
    let s = style::NORTH_ARROW_PX * k;
    let c = pos2(
        rect.right() - style::MAP_MARGIN_PX * k - s / 2.0,
        rect.top() + below + style::MAP_MARGIN_PX * k + s * 0.9,
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
        Stroke::new(k, style::MAP_INK),
    ));
    let mut font = style::map_furniture_font();
    font.size *= k;
    let galley = painter.layout_no_wrap(Text::North.get(lang).to_string(), font, style::MAP_INK);
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
