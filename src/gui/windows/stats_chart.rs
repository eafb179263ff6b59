//! The statistics window's chart: budget and actual cost per group as horizontal bars, the
//! groups' names on the y axis, one row per group, first group on top. Each row has the
//! height of a line of text, so all 36 streets of a district read, and the chart's size
//! follows its rows and its longest name (the window is sized to it).

use egui::{RichText, Ui};
use egui_plot::{AxisHints, Bar, BarChart, GridMark, Plot};

use crate::i18n::Lang;
use crate::i18n::projects::ProjectText as T;
use crate::i18n::screens::ScreensText;
use crate::session::report::GroupStats;

use crate::gui::style;

/// Half the gap between a row's two bars and their width, in rows.
const BAR_WIDTH: f64 = 0.38;

/// How far the value axis reaches, as a multiple of the longest bar: the rest is the legend's.
const LEGEND_ROOM: f64 = 1.45;

/// Room under the bars for the value axis and its label, and above them for the legend.
const CHART_FURNITURE_PX: f32 = 64.0;

/// The plot's y coordinate of group `i` of `n` (the first group on top).
pub fn row_of(i: usize, n: usize) -> f64 {
    n.saturating_sub(i + 1) as f64
}

/// The name the y axis shows at `value`: a group's name on its row, nothing between rows.
pub fn name_at(value: f64, labels: &[String]) -> String {
    let row = value.round();
    if (value - row).abs() > 1e-6 || row < 0.0 {
        return String::new();
    }
    let n = labels.len();
    let row = row as usize;
    if row >= n {
        return String::new();
    }
    labels.get(n - 1 - row).cloned().unwrap_or_default()
}

/// The chart's height for `n` groups, in points.
pub fn chart_height(n: usize) -> f32 {
    n.max(1) as f32 * style::CHART_ROW_PX + CHART_FURNITURE_PX
}

/// Where the chart's width is kept between frames (egui's memory), so the window's width can
/// follow it.
fn width_id() -> egui::Id {
    egui::Id::unique("linli-stats-chart-width")
}

/// Keeps the window's contents as wide as the chart was last frame: a window sized to its
/// contents would otherwise let full-width widgets (separators) take the screen's width.
pub fn fit_window_width(ui: &mut Ui) {
    let width = ui
        .ctx()
        .data(|d| d.get_temp::<f32>(width_id()))
        .unwrap_or(style::CHART_BARS_WIDTH + 120.0);
    ui.set_max_width(width);
}

/// The tallest the statistics window's scrolled part may be: the screen's height less room
/// for the window's title and the app's bars.
pub fn window_max_height(ctx: &egui::Context) -> f32 {
    (ctx.content_rect().height() - style::WINDOW_SCREEN_MARGIN_PX).max(240.0)
}

/// Shows the chart of `stats`, named by `labels` (one per group, in order).
pub fn show(ui: &mut Ui, lang: Lang, stats: &[GroupStats], labels: &[String]) {
    ui.label(
        RichText::new(format!(
            "{} · {}",
            T::ChartOf.get(lang),
            T::Budget.get(lang)
        ))
        .strong(),
    );
    if stats.is_empty() {
        return;
    }
    let n = stats.len();
    // Solid bars: a pale fill on a light window reads as empty.
    let bars = |value: fn(&GroupStats) -> f64, offset: f64, colour| -> Vec<Bar> {
        stats
            .iter()
            .zip(labels)
            .enumerate()
            .map(|(i, (g, label))| {
                Bar::new(row_of(i, n) + offset, value(g))
                    .name(label)
                    .width(BAR_WIDTH)
                    .fill(colour)
                    .stroke(egui::Stroke::new(1.0, colour))
            })
            .collect()
    };
    let budget = bars(|g| g.budget_wan, BAR_WIDTH / 2.0, style::CHART_BUDGET);
    let actual = bars(|g| g.actual_wan, -BAR_WIDTH / 2.0, style::CHART_ACTUAL);
    // The y axis is as wide as the longest name, so none is cut.
    let font = egui::TextStyle::Body.resolve(ui.style());
    let names_w = labels
        .iter()
        .map(|l| {
            ui.painter()
                .layout_no_wrap(l.clone(), font.clone(), egui::Color32::BLACK)
                .size()
                .x
        })
        .fold(0.0_f32, f32::max)
        + 12.0;
    let axis_labels = labels.to_vec();
    let names = AxisHints::new_y()
        .formatter(move |mark, _| name_at(mark.value, &axis_labels))
        .min_thickness(names_w)
        // One name per row: a row is a line of text high, which is enough.
        .label_spacing(style::CHART_ROW_PX * 0.5..=style::CHART_ROW_PX * 0.6);
    let longest = stats
        .iter()
        .map(|g| g.budget_wan.max(g.actual_wan))
        .filter(|v| v.is_finite())
        .fold(0.0_f64, f64::max);
    let rows = n;
    let width = names_w + style::CHART_BARS_WIDTH;
    ui.ctx().data_mut(|d| d.insert_temp(width_id(), width));
    Plot::new("linli-stats-chart")
        .width(width)
        .height(chart_height(n))
        .allow_drag(false)
        .allow_zoom(false)
        .allow_scroll(false)
        .allow_boxed_zoom(false)
        .allow_double_click_reset(false)
        .show_grid([true, false])
        .custom_y_axes(vec![names])
        .y_grid_spacer(move |_| {
            (0..rows)
                .map(|k| GridMark {
                    value: k as f64,
                    step_size: 1.0,
                })
                .collect()
        })
        .default_y_bounds(-0.6, n as f64 - 0.4)
        .include_x(0.0)
        // Room on the right for the legend, so it never covers the longest bars.
        .include_x(longest * LEGEND_ROOM)
        .x_axis_label(ScreensText::ChartAxis.get(lang))
        .legend(egui_plot::Legend::default().position(egui_plot::Corner::RightBottom))
        .show(ui, |plot| {
            plot.bar_chart(
                BarChart::new(T::Budget.get(lang), budget)
                    .horizontal()
                    .color(style::CHART_BUDGET),
            );
            plot.bar_chart(
                BarChart::new(T::Actual.get(lang), actual)
                    .horizontal()
                    .color(style::CHART_ACTUAL),
            );
        });
}

#[cfg(test)]
mod tests {
    use super::*;

    fn streets(n: usize) -> Vec<String> {
        (0..n).map(|i| format!("第{i}街道")).collect()
    }

    #[test]
    fn every_group_has_its_own_row_and_name_first_on_top() {
        let labels = streets(36);
        let n = labels.len();
        // Each row's mark names exactly its group, once.
        let shown: Vec<String> = (0..n).map(|i| name_at(row_of(i, n), &labels)).collect();
        assert_eq!(shown, labels);
        assert_eq!(row_of(0, n), 35.0);
        assert_eq!(row_of(35, n), 0.0);
        // Between rows and outside them, nothing.
        assert_eq!(name_at(0.5, &labels), "");
        assert_eq!(name_at(-1.0, &labels), "");
        assert_eq!(name_at(36.0, &labels), "");
    }

    #[test]
    fn the_chart_grows_with_its_rows_so_every_name_has_a_line() {
        let h36 = chart_height(36);
        assert!(h36 >= 36.0 * style::CHART_ROW_PX, "{h36}");
        assert!(chart_height(5) < h36);
        // A row leaves room for a line of body text (about 16 points high).
        const { assert!(style::CHART_ROW_PX >= 20.0) };
    }
}
