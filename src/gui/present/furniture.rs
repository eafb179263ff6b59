//! The furniture of presentation mode, all at projector size: the slide's title and "n / m"
//! at the top, the exit button in the top-right corner (always there), the step buttons at
//! the bottom right and the legend at the bottom left above the scale bar.

use egui::{Button, Color32, Pos2, Rect, RichText, Ui, Vec2, pos2, vec2};

use crate::i18n::Lang;
use crate::i18n::present::{PresentText as T, slide_counter};

use super::palette;
use super::{PresentAction, PresentView};

/// A big button (at least [`palette::BUTTON_HEIGHT`] high) at `rect`; true when clicked.
fn big_button(ui: &mut Ui, rect: Rect, text: &str, fill: Color32, enabled: bool) -> bool {
    let label = RichText::new(text)
        .font(palette::button_font())
        .color(palette::BUTTON_TEXT)
        .strong();
    let button = Button::new(label)
        .fill(if enabled {
            fill
        } else {
            palette::BUTTON_DISABLED
        })
        .corner_radius(palette::CORNER)
        .min_size(rect.size());
    ui.put(rect, |ui: &mut Ui| ui.add_enabled(enabled, button))
        .clicked()
}

/// The width a big button with `text` takes.
fn button_width(ui: &Ui, text: &str) -> f32 {
    let galley = ui.painter().layout_no_wrap(
        text.to_string(),
        palette::button_font(),
        palette::BUTTON_TEXT,
    );
    (galley.size().x + 2.0 * palette::PAD + 16.0).max(palette::BUTTON_MIN_WIDTH)
}

/// The title and the counter across the top, the exit button in the top-right corner.
/// Returns how far down the corner is taken (the north arrow goes under it).
pub(super) fn top_bar(
    ui: &mut Ui,
    map: Rect,
    lang: Lang,
    title: &str,
    (index, count): (usize, usize),
    out: &mut Vec<PresentAction>,
) -> f32 {
    let exit = T::Exit.get(lang);
    let exit_w = button_width(ui, exit);
    let exit_rect = Rect::from_min_size(
        pos2(
            map.right() - palette::MARGIN - exit_w,
            map.top() + palette::MARGIN,
        ),
        vec2(exit_w, palette::BUTTON_HEIGHT),
    );
    let clicked = big_button(ui, exit_rect, exit, palette::EXIT_FILL, true);
    if clicked {
        out.push(PresentAction::Leave);
    }
    let painter = ui.painter_at(map);
    let mut text = title.trim().to_string();
    if count > 0 {
        text.push_str("    ");
        text.push_str(&slide_counter(index + 1, count));
    }
    if !text.is_empty() {
        let wrap = (map.width() - 2.0 * (exit_w + 2.0 * palette::MARGIN)).max(200.0);
        let galley = painter.layout(text, palette::title_font(), palette::INK, wrap);
        let size = galley.size() + Vec2::splat(2.0 * palette::PAD);
        let top = Rect::from_min_size(
            pos2(map.center().x - size.x / 2.0, map.top() + palette::MARGIN),
            size,
        );
        panel(&painter, top);
        // A label, not painted text: screen readers and tests find the slide's title.
        let inner = top.shrink(palette::PAD);
        ui.put(inner, |ui: &mut Ui| {
            ui.add(egui::Label::new(egui::WidgetText::Galley(galley)).selectable(false))
        });
    }
    exit_rect.bottom() - map.top()
}

/// An opaque panel with a dark border.
fn panel(painter: &egui::Painter, rect: Rect) {
    painter.rect(
        rect,
        palette::CORNER,
        palette::PANEL_BG,
        egui::Stroke::new(2.0, palette::PANEL_BORDER),
        egui::StrokeKind::Inside,
    );
}

/// Previous and next at the bottom right, when there are slides to step through.
pub(super) fn step_buttons(
    ui: &mut Ui,
    map: Rect,
    lang: Lang,
    (index, count): (usize, usize),
    out: &mut Vec<PresentAction>,
) {
    if count == 0 {
        return;
    }
    let (prev, next) = (T::Previous.get(lang), T::Next.get(lang));
    let (wp, wn) = (button_width(ui, prev), button_width(ui, next));
    let y = map.bottom() - palette::MARGIN - palette::BUTTON_HEIGHT;
    let next_rect = Rect::from_min_size(
        pos2(map.right() - palette::MARGIN - wn, y),
        vec2(wn, palette::BUTTON_HEIGHT),
    );
    let prev_rect = Rect::from_min_size(
        pos2(next_rect.left() - palette::MARGIN / 2.0 - wp, y),
        vec2(wp, palette::BUTTON_HEIGHT),
    );
    if big_button(ui, prev_rect, prev, palette::BUTTON_FILL, index > 0) {
        out.push(PresentAction::Previous);
    }
    if big_button(ui, next_rect, next, palette::BUTTON_FILL, index + 1 < count) {
        out.push(PresentAction::Next);
    }
}

/// The legend of the element types on the map, at twice the side panel's size, at the bottom
/// left above the scale bar.
pub(super) fn legend(painter: &egui::Painter, map: Rect, view: &PresentView<'_>) {
    let rows: Vec<(&crate::model::catalog::ElementType, usize)> = view
        .catalog
        .elements
        .iter()
        .filter_map(|e| {
            view.element_counts
                .iter()
                .find(|(k, _)| *k == e.key)
                .map(|(_, n)| (e, *n))
        })
        .filter(|(_, n)| *n > 0)
        .collect();
    if rows.is_empty() {
        return;
    }
    let galleys: Vec<_> = rows
        .iter()
        .map(|(e, n)| {
            let name = match view.lang {
                Lang::Zh => &e.name_zh,
                Lang::En => &e.name_en,
            };
            painter.layout_no_wrap(
                format!("{name} ({n})"),
                palette::legend_font(),
                palette::INK,
            )
        })
        .collect();
    let symbol = palette::LEGEND_SYMBOL_PX;
    let row_h = galleys.iter().map(|g| g.size().y).fold(symbol, f32::max) + 6.0;
    let width =
        galleys.iter().map(|g| g.size().x).fold(0.0, f32::max) + symbol + 3.0 * palette::PAD;
    let height = row_h * galleys.len() as f32 + 2.0 * palette::PAD;
    // Above the scale bar (twice the editing window's, about 60 points with its text).
    let bottom = map.bottom()
        - palette::MARGIN
        - 3.0 * crate::gui::style::NORTH_ARROW_PX * palette::FURNITURE_FACTOR / 2.0;
    let rect = Rect::from_min_size(
        pos2(map.left() + palette::MARGIN, bottom - height),
        vec2(width, height),
    );
    panel(painter, rect);
    let mut y = rect.top() + palette::PAD;
    for ((e, _), galley) in rows.iter().zip(galleys) {
        let [r, g, b] = e.rgb();
        let fill = Color32::from_rgb(r, g, b);
        let outline = crate::gui::style::colour(
            crate::render::style::shaded(
                [r, g, b],
                crate::render::style::PROJECTOR_LOOK.outline_shade,
            ),
            1.0,
        );
        let sym = Rect::from_min_size(
            pos2(rect.left() + palette::PAD, y + (row_h - symbol) / 2.0 - 3.0),
            Vec2::splat(symbol),
        );
        let mut shapes = crate::gui::map::paint::legend_shapes(
            crate::render::symbols::Symbol::from_key(&e.symbol),
            sym,
            fill,
            outline,
        );
        shapes.iter_mut().for_each(thicker);
        painter.extend(shapes);
        let text_at = Pos2::new(
            sym.right() + palette::PAD,
            y + (row_h - galley.size().y) / 2.0 - 3.0,
        );
        painter.galley(text_at, galley, palette::INK);
        y += row_h;
    }
}

/// A legend line at the projector's size: its stroke as much wider as the legend is larger.
fn thicker(shape: &mut egui::Shape) {
    match shape {
        egui::Shape::Vec(shapes) => shapes.iter_mut().for_each(thicker),
        egui::Shape::Path(p) => p.stroke.width *= palette::FURNITURE_FACTOR,
        egui::Shape::LineSegment { stroke, .. } => stroke.width *= palette::FURNITURE_FACTOR,
        _ => {}
    }
}
