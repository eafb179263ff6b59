//! The layers panel (visibility, order, opacity, colours, labels) and the legend of the element
//! types in use. Like the map, it reads state and returns commands.

use std::collections::BTreeMap;

use egui::color_picker::{Alpha, color_edit_button_srgba};
use egui::{Color32, RichText, Sense, Slider, Ui, Vec2};

use crate::i18n::{self, Lang, Text};
use crate::model::catalog::Catalog;
use crate::model::{LayerRole, PlanFeature};

use crate::gui::map::paint::legend_shapes;
use crate::gui::style;
use crate::render::data::{MapData, MapLayer};
use crate::render::layers::{AlternativesShown, LayerStyle};
use crate::render::symbols::Symbol;

/// What the panel asks for.
#[derive(Debug, Clone, PartialEq)]
pub enum LayerCommand {
    /// Replace a layer's style.
    SetStyle(usize, LayerStyle),
    /// Move a layer one step up (towards the top of the drawing) or down.
    Move {
        /// The layer.
        layer: usize,
        /// Up when true.
        up: bool,
    },
    /// Zoom to a layer's extent.
    ZoomTo(usize),
}

/// The name shown for a layer.
pub fn display_name(layer: &MapLayer, lang: Lang) -> String {
    if layer.role == LayerRole::Plan {
        Text::PlanLayer.get(lang).to_string()
    } else {
        layer.name.clone()
    }
}

/// Shows the layers, topmost first.
#[must_use]
pub fn show(
    ui: &mut Ui,
    lang: Lang,
    data: &MapData,
    styles: &[LayerStyle],
    order: &[usize],
) -> Vec<LayerCommand> {
    let mut commands = Vec::new();
    ui.heading(Text::Layers.get(lang));
    for (rank, &li) in order.iter().enumerate().rev() {
        let (Some(layer), Some(current)) = (data.layers.get(li), styles.get(li)) else {
            continue;
        };
        let mut s = current.clone();
        ui.separator();
        ui.checkbox(&mut s.visible, display_name(layer, lang));
        ui.label(
            RichText::new(format!(
                "{} · {} {}",
                i18n::role_name(lang, layer.role),
                layer
                    .stored
                    .as_ref()
                    .map_or(layer.geom.features.len() as u64, |s| s.feature_count),
                Text::Features.get(lang)
            ))
            .small()
            .weak(),
        );
        ui.horizontal_wrapped(|ui| {
            let (can_down, can_up) = (rank > 0, rank + 1 < order.len());
            let up = egui::Button::new(Text::MoveUp.get(lang)).small();
            if ui.add_enabled(can_up, up).clicked() {
                commands.push(LayerCommand::Move {
                    layer: li,
                    up: true,
                });
            }
            let down = egui::Button::new(Text::MoveDown.get(lang)).small();
            if ui.add_enabled(can_down, down).clicked() {
                commands.push(LayerCommand::Move {
                    layer: li,
                    up: false,
                });
            }
            if ui.small_button(Text::ZoomToLayer.get(lang)).clicked() {
                commands.push(LayerCommand::ZoomTo(li));
            }
        });
        if layer.role == LayerRole::Plan {
            // The features of candidate and archived design alternatives: muted and dashed
            // under the plan, or not drawn.
            let mut shown = s.alternatives == AlternativesShown::Muted;
            let label = crate::i18n::alternatives::AlternativeText::ShowAlternatives.get(lang);
            if ui.checkbox(&mut shown, label).changed() {
                s.alternatives = if shown {
                    AlternativesShown::Muted
                } else {
                    AlternativesShown::Hidden
                };
            }
        }
        egui::CollapsingHeader::new(Text::LayerStyle.get(lang))
            .id_salt(("layer-style", li))
            .show(ui, |ui| {
                egui::Grid::new(("layer-style-grid", li))
                    .num_columns(2)
                    .show(ui, |ui| {
                        ui.label(Text::Opacity.get(lang));
                        ui.add(Slider::new(&mut s.opacity, 0.0..=1.0).show_value(true));
                        ui.end_row();
                        if layer.role != LayerRole::Plan {
                            ui.label(Text::Fill.get(lang));
                            colour_button(ui, &mut s.fill);
                            ui.end_row();
                            ui.label(Text::Stroke.get(lang));
                            colour_button(ui, &mut s.stroke);
                            ui.end_row();
                        }
                        ui.label(Text::StrokeWidth.get(lang));
                        ui.add(Slider::new(&mut s.stroke_width, 0.0..=6.0).step_by(0.1));
                        ui.end_row();
                    });
                ui.checkbox(&mut s.labels, Text::ShowLabels.get(lang));
                if layer.role != LayerRole::Plan {
                    ui.checkbox(&mut s.vary_fill, Text::VaryFill.get(lang));
                }
            });
        if &s != current {
            commands.push(LayerCommand::SetStyle(li, s));
        }
    }
    commands
}

fn colour_button(ui: &mut Ui, rgba: &mut [u8; 4]) {
    let mut c = Color32::from_rgba_unmultiplied(rgba[0], rgba[1], rgba[2], rgba[3]);
    if color_edit_button_srgba(ui, &mut c, Alpha::OnlyBlend).changed() {
        *rgba = c.to_srgba_unmultiplied();
    }
}

/// The legend: each element type that has features, with its symbol and count.
pub fn legend(ui: &mut Ui, lang: Lang, catalog: &Catalog, plan: &[PlanFeature]) {
    ui.heading(Text::Legend.get(lang));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for f in plan {
        *counts.entry(f.element.as_str()).or_default() += 1;
    }
    if counts.is_empty() {
        ui.label(RichText::new(Text::LegendEmpty.get(lang)).weak());
        return;
    }
    for element in &catalog.elements {
        let Some(&count) = counts.get(element.key.as_str()) else {
            continue;
        };
        ui.horizontal(|ui| {
            let (rect, _) =
                ui.allocate_exact_size(Vec2::splat(style::LEGEND_SYMBOL_PX), Sense::hover());
            let [r, g, b] = element.rgb();
            let fill = Color32::from_rgb(r, g, b);
            let outline = style::colour(style::darker([r, g, b]), 1.0);
            ui.painter().extend(legend_shapes(
                Symbol::from_key(&element.symbol),
                rect,
                fill,
                outline,
            ));
            let name = match lang {
                Lang::Zh => &element.name_zh,
                Lang::En => &element.name_en,
            };
            ui.label(format!("{name} ({count})"))
                .on_hover_text(match lang {
                    Lang::Zh => &element.hint_zh,
                    Lang::En => &element.hint_en,
                });
        });
    }
}
