//! The help window (帮助): the keys, the tools (with the workspace's own element types and
//! their hints) and the workflow from drawing to the blueprint, in the interface language.
//! It only shows; the tool bar's 帮助 button and F1 open and close it.

use egui::{Color32, RichText, Sense, Ui, Vec2};

use crate::i18n::screens::{ScreensText as T, help_keys, workflow_steps};
use crate::i18n::{self, Lang, Text};
use crate::model::catalog::Catalog;

use crate::gui::map::paint::legend_shapes;
use crate::gui::style;
use crate::render::symbols::Symbol;

/// The help window's state.
#[derive(Debug, Default)]
pub struct HelpWindow {
    /// Whether it is shown.
    pub open: bool,
    /// Whether it was shown last frame: a window's first frame only measures it, so a window
    /// just opened asks for the next frame at once.
    shown: bool,
}

impl HelpWindow {
    /// Shows the window when open; `catalog` (the open workspace's) lists the draw tools.
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang, catalog: Option<&Catalog>) {
        if !self.open {
            self.shown = false;
            return;
        }
        if !self.shown {
            ctx.request_repaint();
            self.shown = true;
        }
        let mut open = self.open;
        egui::Window::new(T::HelpTitle.get(lang))
            .id(egui::Id::unique("linli-help-window"))
            .open(&mut open)
            .default_width(style::HELP_WINDOW_WIDTH)
            .default_height(style::HELP_WINDOW_HEIGHT)
            .default_pos(egui::pos2(380.0, 80.0))
            .vscroll(true)
            .show(ctx, |ui| contents(ui, lang, catalog));
        self.open = open;
    }
}

fn contents(ui: &mut Ui, lang: Lang, catalog: Option<&Catalog>) {
    ui.heading(T::KeysHeading.get(lang));
    egui::Grid::new("linli-help-keys")
        .striped(true)
        .num_columns(2)
        .spacing([16.0, 4.0])
        .show(ui, |ui| {
            ui.label(RichText::new(T::KeyColumn.get(lang)).strong());
            ui.label(RichText::new(T::ActionColumn.get(lang)).strong());
            ui.end_row();
            for (key, action) in help_keys(lang) {
                ui.label(RichText::new(key).strong());
                ui.add(egui::Label::new(action).wrap());
                ui.end_row();
            }
        });
    ui.add_space(10.0);
    ui.heading(T::ToolsHeading.get(lang));
    for text in [
        T::ToolSelectHelp,
        T::ToolDrawHelp,
        T::ToolEditHelp,
        T::ToolTopHelp,
        T::ToolLayersHelp,
    ] {
        ui.label(text.get(lang));
        ui.add_space(2.0);
    }
    if let Some(catalog) = catalog {
        ui.add_space(6.0);
        ui.label(RichText::new(T::ElementsHeading.get(lang)).strong());
        element_rows(ui, lang, catalog);
    }
    ui.add_space(10.0);
    ui.heading(T::WorkflowHeading.get(lang));
    for step in workflow_steps(lang) {
        ui.label(step);
        ui.add_space(2.0);
    }
}

/// Each element type: its symbol, name, the geometries it may be drawn as and its hint.
fn element_rows(ui: &mut Ui, lang: Lang, catalog: &Catalog) {
    egui::Grid::new("linli-help-elements")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            for e in &catalog.elements {
                let (rect, _) =
                    ui.allocate_exact_size(Vec2::splat(style::LEGEND_SYMBOL_PX), Sense::hover());
                let [r, g, b] = e.rgb();
                ui.painter().extend(legend_shapes(
                    Symbol::from_key(&e.symbol),
                    rect,
                    Color32::from_rgb(r, g, b),
                    style::colour(style::darker([r, g, b]), 1.0),
                ));
                let (name, hint) = match lang {
                    Lang::Zh => (&e.name_zh, &e.hint_zh),
                    Lang::En => (&e.name_en, &e.hint_en),
                };
                let kinds = e
                    .allowed
                    .iter()
                    .map(|k| i18n::kind_name(lang, *k))
                    .collect::<Vec<_>>()
                    .join(" / ");
                ui.vertical(|ui| {
                    ui.label(RichText::new(i18n::with_aside(lang, name, &kinds)).strong());
                    ui.add(egui::Label::new(RichText::new(hint.as_str()).weak()).wrap());
                });
                ui.end_row();
            }
        });
    ui.small(Text::ToolDrawHint.get(lang));
}
