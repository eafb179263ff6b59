//! The tools and their bar: the Select tool (select, move, reshape) and one draw tool per
//! element type of the workspace's catalog — its symbol, Chinese name and the catalog's hint —
//! with the geometry it draws; then undo/redo, snapping and help. Like the other panels it
//! reads state and returns commands.

use egui::{Color32, Rect, Response, Role, Sense, Stroke, StrokeKind, Ui, WidgetInfo, pos2, vec2};

use crate::i18n::{self, Lang, Text};
use crate::model::catalog::{Catalog, GeometryKind};
use crate::sketch::Sketch;

use crate::gui::style;
use crate::render::symbols::Symbol;

/// The active tool.
#[derive(Debug, Clone, Default, PartialEq)]
pub enum Tool {
    /// Select features; move and reshape the selected plan feature.
    #[default]
    Select,
    /// Draw a feature: the sketch holds the element type, the geometry kind and the vertices.
    Draw(Sketch),
}

impl Tool {
    /// The sketch of a draw tool.
    pub fn sketch(&self) -> Option<&Sketch> {
        match self {
            Self::Draw(s) => Some(s),
            Self::Select => None,
        }
    }

    /// The element type a draw tool draws.
    pub fn element(&self) -> Option<&str> {
        self.sketch().map(|s| s.element.as_str())
    }
}

/// What the tool bar asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum ToolCommand {
    /// Switch to the Select tool.
    Select,
    /// Switch to the draw tool of this element type.
    Draw(String),
    /// Draw the current element type as this geometry.
    DrawAs(GeometryKind),
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Turn snapping on or off.
    ToggleSnap,
    /// Open or close the help window.
    Help,
}

/// What the tool bar shows.
#[derive(Debug, Clone, Copy)]
pub struct ToolbarInput<'a> {
    /// Interface language.
    pub lang: Lang,
    /// The element types.
    pub catalog: &'a Catalog,
    /// The active tool.
    pub tool: &'a Tool,
    /// Whether there is an edit to undo.
    pub can_undo: bool,
    /// Whether there is an edit to redo.
    pub can_redo: bool,
    /// Whether snapping is on.
    pub snap: bool,
}

/// The name of an element type in `lang`.
pub fn element_name(catalog: &Catalog, key: &str, lang: Lang) -> String {
    catalog.get(key).map_or_else(
        || key.to_string(),
        |e| match lang {
            Lang::Zh => e.name_zh.clone(),
            Lang::En => e.name_en.clone(),
        },
    )
}

/// Shows the tool bar.
#[must_use]
pub fn show(ui: &mut Ui, input: &ToolbarInput<'_>) -> Vec<ToolCommand> {
    let ToolbarInput {
        lang,
        catalog,
        tool,
        can_undo,
        can_redo,
        snap,
    } = *input;
    let mut commands = Vec::new();
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 4.0;
        let select = tool_button(ui, *tool == Tool::Select, Text::ToolSelect.get(lang), None)
            .on_hover_text(Text::ToolSelectHint.get(lang));
        if select.clicked() {
            commands.push(ToolCommand::Select);
        }
        ui.separator();
        for element in &catalog.elements {
            let active = tool.element() == Some(element.key.as_str());
            // The Chinese name is the planners' word for the type; English users get theirs.
            let name = match lang {
                Lang::Zh => &element.name_zh,
                Lang::En => &element.name_en,
            };
            let hint = match lang {
                Lang::Zh => &element.hint_zh,
                Lang::En => &element.hint_en,
            };
            let kinds = element
                .allowed
                .iter()
                .map(|k| i18n::kind_name(lang, *k))
                .collect::<Vec<_>>()
                .join(" / ");
            let tooltip = format!(
                "{}\n{hint}\n{}\n{}",
                i18n::with_aside(lang, name, &element.key),
                i18n::labelled(lang, Text::DrawAs.get(lang), &kinds),
                Text::ToolDrawHint.get(lang)
            );
            let response = tool_button(
                ui,
                active,
                name,
                Some((Symbol::from_key(&element.symbol), element.rgb())),
            )
            .on_hover_text(tooltip);
            if response.clicked() && !active {
                commands.push(ToolCommand::Draw(element.key.clone()));
            }
        }
        if let Some(sketch) = tool.sketch()
            && let Some(element) = catalog.get(&sketch.element)
            && element.allowed.len() > 1
        {
            ui.separator();
            ui.label(Text::DrawAs.get(lang));
            for &kind in &element.allowed {
                if ui
                    .selectable_label(sketch.kind == kind, i18n::kind_name(lang, kind))
                    .clicked()
                    && sketch.kind != kind
                {
                    commands.push(ToolCommand::DrawAs(kind));
                }
            }
        }
        ui.separator();
        let undo = ui
            .add_enabled(can_undo, egui::Button::new(Text::Undo.get(lang)))
            .on_hover_text(Text::UndoHint.get(lang))
            .on_disabled_hover_text(Text::NothingToUndo.get(lang));
        if undo.clicked() {
            commands.push(ToolCommand::Undo);
        }
        let redo = ui
            .add_enabled(can_redo, egui::Button::new(Text::Redo.get(lang)))
            .on_hover_text(Text::RedoHint.get(lang))
            .on_disabled_hover_text(Text::NothingToRedo.get(lang));
        if redo.clicked() {
            commands.push(ToolCommand::Redo);
        }
        ui.separator();
        if ui
            .selectable_label(snap, Text::Snap.get(lang))
            .on_hover_text(Text::SnapHint.get(lang))
            .clicked()
        {
            commands.push(ToolCommand::ToggleSnap);
        }
        if ui
            .button(format!("？{}", Text::Help.get(lang)))
            .on_hover_text(crate::i18n::screens::ScreensText::HelpHint.get(lang))
            .clicked()
        {
            commands.push(ToolCommand::Help);
        }
    });
    commands
}

/// A tool button: an optional painted symbol and a label, highlighted when active. Its
/// accessible label is the text alone, so tests and screen readers find "口袋花园".
fn tool_button(
    ui: &mut Ui,
    active: bool,
    label: &str,
    symbol: Option<(Symbol, [u8; 3])>,
) -> Response {
    let font = egui::TextStyle::Button.resolve(ui.style());
    let text_colour = ui.visuals().text_color();
    let galley = ui
        .painter()
        .layout_no_wrap(label.to_string(), font, text_colour);
    let pad = style::TOOL_PADDING_PX;
    let symbol_w = if symbol.is_some() {
        style::TOOL_SYMBOL_PX + 4.0
    } else {
        0.0
    };
    let size = vec2(
        2.0 * pad + symbol_w + galley.size().x,
        2.0 * pad + galley.size().y.max(style::TOOL_SYMBOL_PX),
    );
    let (rect, response) = ui.allocate_exact_size(size, Sense::click());
    let enabled = ui.is_enabled();
    let text = label.to_string();
    response.widget_info(|| WidgetInfo::selected(Role::Button, enabled, active, &text));
    if ui.is_rect_visible(rect) {
        let painter = ui.painter();
        if active {
            painter.rect(
                rect,
                4.0,
                style::TOOL_ACTIVE_BG,
                Stroke::new(1.0, style::TOOL_ACTIVE_STROKE),
                StrokeKind::Inside,
            );
        } else if response.hovered() {
            painter.rect_filled(rect, 4.0, ui.visuals().widgets.hovered.weak_bg_fill);
        }
        let mut x = rect.left() + pad;
        if let Some((symbol, [r, g, b])) = symbol {
            let box_rect = Rect::from_min_size(
                pos2(x, rect.center().y - style::TOOL_SYMBOL_PX / 2.0),
                vec2(style::TOOL_SYMBOL_PX, style::TOOL_SYMBOL_PX),
            );
            let outline = style::colour(style::darker([r, g, b]), 1.0);
            painter.extend(crate::gui::map::paint::legend_shapes(
                symbol,
                box_rect,
                Color32::from_rgb(r, g, b),
                outline,
            ));
            x += symbol_w;
        }
        painter.galley(
            pos2(x, rect.center().y - galley.size().y / 2.0),
            galley,
            text_colour,
        );
    }
    response
}
