//! The inspector: what the selected feature is, where it lies, how big it is, its project and
//! its properties. Measures and locations are computed once per selection, not per frame.

use egui::{RichText, Ui};
use serde_json::Value;

use crate::catalog::GeometryKind;
use crate::i18n::{self, Lang, Text};
use crate::model::{Feature, LayerRole};
use crate::session::{Location, Session};
use crate::{measure, model};

use super::hit::FeatureRef;

/// Facts about the selection worked out once.
#[derive(Debug, Clone, Default, PartialEq)]
struct Facts {
    location: Location,
    area_m2: Option<f64>,
    length_m: Option<f64>,
}

/// The inspector's memory: facts of the current selection.
#[derive(Debug, Default)]
pub struct InspectorCache {
    key: Option<(FeatureRef, usize)>,
    facts: Facts,
}

/// What is selected, resolved against the session.
enum Selected<'a> {
    Plan(&'a model::PlanFeature),
    Layer(&'a model::Layer, &'a Feature),
}

fn resolve(session: &Session, plan_layer: Option<usize>, f: FeatureRef) -> Option<Selected<'_>> {
    if Some(f.layer) == plan_layer {
        session.plan().get(f.feature).map(Selected::Plan)
    } else {
        let layer = session.layers().get(f.layer)?;
        layer
            .features
            .get(f.feature)
            .map(|feature| Selected::Layer(layer, feature))
    }
}

fn facts_of(session: &Session, selected: &Selected<'_>) -> Facts {
    let (geometry, location) = match selected {
        Selected::Plan(p) => (
            &p.feature.geometry,
            Location {
                street: p.street.clone(),
                community: p.community.clone(),
            },
        ),
        Selected::Layer(layer, feature) => {
            let location = match layer.role {
                LayerRole::Streets => Location {
                    street: Some(feature.name.clone()),
                    community: None,
                },
                LayerRole::Communities => Location {
                    street: session.locate_geometry(&feature.geometry).street,
                    community: Some(feature.name.clone()),
                },
                _ => session.locate_geometry(&feature.geometry),
            };
            (&feature.geometry, location)
        }
    };
    let kind = GeometryKind::of(geometry);
    Facts {
        location,
        area_m2: (kind == Some(GeometryKind::Polygon)).then(|| measure::area_m2(geometry)),
        length_m: (kind == Some(GeometryKind::Line)).then(|| measure::length_m(geometry)),
    }
}

fn value_text(v: &Value, lang: Lang) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => Text::Unknown.get(lang).into(),
        other => other.to_string(),
    }
}

/// What the inspector shows.
#[derive(Debug, Clone, Copy)]
pub struct InspectorInput<'a> {
    /// Interface language.
    pub lang: Lang,
    /// The open workspace.
    pub session: &'a Session,
    /// Index of the plan layer among the map's layers.
    pub plan_layer: Option<usize>,
    /// The map's layers' display names.
    pub layer_names: &'a [String],
    /// The selection.
    pub selection: Option<FeatureRef>,
    /// Tells a reloaded workspace apart (the cache is keyed on it).
    pub data_generation: usize,
}

/// Shows the inspector for the selection.
pub fn show(ui: &mut Ui, input: &InspectorInput<'_>, cache: &mut InspectorCache) {
    let InspectorInput {
        lang,
        session,
        plan_layer,
        layer_names,
        selection,
        data_generation,
    } = *input;
    ui.heading(Text::Inspector.get(lang));
    ui.separator();
    let Some(f) = selection else {
        ui.label(RichText::new(Text::NothingSelected.get(lang)).weak());
        return;
    };
    let Some(selected) = resolve(session, plan_layer, f) else {
        ui.label(RichText::new(Text::NothingSelected.get(lang)).weak());
        return;
    };
    if cache.key != Some((f, data_generation)) {
        cache.facts = facts_of(session, &selected);
        cache.key = Some((f, data_generation));
    }
    let facts = &cache.facts;
    let unknown = Text::Unknown.get(lang);
    let feature = match &selected {
        Selected::Plan(p) => &p.feature,
        Selected::Layer(_, feature) => feature,
    };
    egui::ScrollArea::vertical()
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new("inspector-grid")
                .num_columns(2)
                .striped(true)
                .spacing([12.0, 6.0])
                .show(ui, |ui| {
                    let row = |ui: &mut Ui, key: Text, value: &str| {
                        ui.label(RichText::new(key.get(lang)).strong());
                        ui.label(value);
                        ui.end_row();
                    };
                    row(
                        ui,
                        Text::Name,
                        if feature.name.is_empty() {
                            unknown
                        } else {
                            &feature.name
                        },
                    );
                    let layer_name = layer_names.get(f.layer).map_or(unknown, String::as_str);
                    row(ui, Text::Layer, layer_name);
                    if let Selected::Plan(p) = &selected {
                        let element = session.catalog().get(&p.element).map_or_else(
                            || p.element.clone(),
                            |e| match lang {
                                Lang::Zh => e.name_zh.clone(),
                                Lang::En => e.name_en.clone(),
                            },
                        );
                        row(ui, Text::ElementType, &element);
                    }
                    row(
                        ui,
                        Text::Street,
                        facts.location.street.as_deref().unwrap_or(unknown),
                    );
                    row(
                        ui,
                        Text::Community,
                        facts.location.community.as_deref().unwrap_or(unknown),
                    );
                    if let Some(a) = facts.area_m2 {
                        row(ui, Text::Area, &i18n::area_text(lang, a));
                    }
                    if let Some(l) = facts.length_m {
                        row(ui, Text::Length, &i18n::length_text(lang, l));
                    }
                    if let Selected::Plan(p) = &selected {
                        match p
                            .project
                            .as_ref()
                            .map(|code| (code, session.projects().get(code)))
                        {
                            Some((code, Some(project))) => {
                                row(ui, Text::Project, &project.name);
                                row(ui, Text::ProjectCode, code);
                                row(
                                    ui,
                                    Text::Programme,
                                    if project.programme.is_empty() {
                                        unknown
                                    } else {
                                        &project.programme
                                    },
                                );
                                row(
                                    ui,
                                    Text::Stage,
                                    if project.stage.is_empty() {
                                        unknown
                                    } else {
                                        &project.stage
                                    },
                                );
                                row(
                                    ui,
                                    Text::Year,
                                    &project
                                        .year
                                        .map_or_else(|| unknown.to_string(), |y| y.to_string()),
                                );
                                row(
                                    ui,
                                    Text::Budget,
                                    &project
                                        .budget_wan
                                        .map_or_else(|| unknown.to_string(), |b| format!("{b}")),
                                );
                            }
                            Some((code, None)) => row(ui, Text::Project, code),
                            None => row(ui, Text::Project, Text::NoProject.get(lang)),
                        }
                    }
                });
            if !feature.properties.is_empty() {
                ui.add_space(8.0);
                ui.label(RichText::new(Text::Properties.get(lang)).strong());
                egui::Grid::new("inspector-properties")
                    .num_columns(2)
                    .striped(true)
                    .show(ui, |ui| {
                        for (key, value) in &feature.properties {
                            ui.label(RichText::new(key).monospace());
                            ui.label(value_text(value, lang));
                            ui.end_row();
                        }
                    });
            }
        });
}
