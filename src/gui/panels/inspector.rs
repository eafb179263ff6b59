//! The inspector: what the selected feature is, where it lies, how big it is, its siting
//! notes, its project and its properties; for a plan feature also its name, element type,
//! delete and duplicate, which it returns as commands. Measures, locations and siting checks
//! are computed once per selection and data generation (every edit renews it), not per frame.

use egui::{RichText, Ui};
use serde_json::Value;
use uuid::Uuid;

use crate::analysis::measure;
use crate::analysis::siting::{self, Warning};
use crate::i18n::{self, Lang, Text};
use crate::model;
use crate::model::catalog::GeometryKind;
use crate::model::{Feature, LayerRole};
use crate::session::{Location, Session};
use crate::sketch::vertex::{self, VertexRef};

use crate::gui::map::hit::FeatureRef;
use crate::gui::panels::tools::element_name;
use crate::gui::style;

/// Facts about the selection worked out once.
#[derive(Debug, Clone, Default, PartialEq)]
struct Facts {
    location: Location,
    area_m2: Option<f64>,
    length_m: Option<f64>,
    vertices: usize,
    warnings: Vec<Warning>,
    rules: crate::session::coverage::RuleChecks,
}

/// The inspector's memory: facts of the current selection, the name being typed.
#[derive(Debug, Default)]
pub struct InspectorCache {
    key: Option<(FeatureRef, usize)>,
    facts: Facts,
    /// The name field's text and the feature it belongs to.
    name: Option<(Uuid, String)>,
}

/// What the inspector asks for (the selected plan feature).
#[derive(Debug, Clone, PartialEq)]
pub enum InspectorCommand {
    /// Rename it.
    SetName(Uuid, String),
    /// Change its element type.
    SetElement(Uuid, String),
    /// Delete it.
    Delete(Uuid),
    /// Duplicate it.
    Duplicate(Uuid),
    /// Delete its selected vertex.
    DeleteVertex(Uuid, VertexRef),
    /// Put it into a design alternative, or into none.
    SetAlternative(Uuid, Option<Uuid>),
}

/// What is selected, resolved against the session.
enum Selected<'a> {
    Plan(&'a model::PlanFeature),
    Layer(&'a model::Layer, std::borrow::Cow<'a, Feature>),
}

fn resolve(session: &Session, plan_layer: Option<usize>, f: FeatureRef) -> Option<Selected<'_>> {
    if Some(f.layer) == plan_layer {
        session.plan().get(f.feature).map(Selected::Plan)
    } else {
        let layer = session.layers().get(f.layer)?;
        if layer.stored.is_some() {
            // Read from the file by its row id (one indexed row).
            let fid = i64::try_from(f.feature).ok()?;
            let feature = session.stored_feature(f.layer, fid).ok().flatten()?;
            return Some(Selected::Layer(layer, std::borrow::Cow::Owned(feature)));
        }
        layer
            .features
            .get(f.feature)
            .map(|feature| Selected::Layer(layer, std::borrow::Cow::Borrowed(feature)))
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
        vertices: vertex::vertices(geometry).len(),
        warnings: match selected {
            Selected::Plan(p) => siting::warnings(session, p),
            Selected::Layer(..) => Vec::new(),
        },
        rules: match selected {
            Selected::Plan(p) => session.analysis().rule_checks(p),
            Selected::Layer(..) => Default::default(),
        },
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
    /// The selected vertex of the selected plan feature.
    pub selected_vertex: Option<VertexRef>,
    /// What the proposal being drawn or moved adds to the coverage analysis.
    pub coverage: Option<&'a str>,
}

/// Shows the inspector for the selection and returns the edits asked for.
#[must_use]
pub fn show(
    ui: &mut Ui,
    input: &InspectorInput<'_>,
    cache: &mut InspectorCache,
) -> Vec<InspectorCommand> {
    let InspectorInput {
        lang,
        session,
        plan_layer,
        layer_names,
        selection,
        data_generation,
        selected_vertex,
        coverage,
    } = *input;
    let mut commands = Vec::new();
    ui.heading(Text::Inspector.get(lang));
    ui.separator();
    if let Some(added) = coverage
        && selection.is_none()
    {
        ui.label(RichText::new(added).color(style::OK_TEXT));
    }
    let Some(f) = selection else {
        ui.label(RichText::new(Text::NothingSelected.get(lang)).weak());
        cache.name = None;
        return commands;
    };
    let Some(selected) = resolve(session, plan_layer, f) else {
        ui.label(RichText::new(Text::NothingSelected.get(lang)).weak());
        cache.name = None;
        return commands;
    };
    if cache.key != Some((f, data_generation)) {
        cache.facts = facts_of(session, &selected);
        cache.key = Some((f, data_generation));
        // After an edit, undo or redo the field shows the stored name again.
        cache.name = None;
    }
    let facts = &cache.facts;
    let unknown = Text::Unknown.get(lang);
    let feature = match &selected {
        Selected::Plan(p) => &p.feature,
        Selected::Layer(_, feature) => feature,
    };
    let plan = match &selected {
        Selected::Plan(p) => Some(*p),
        Selected::Layer(..) => None,
    };
    // The name field keeps what is typed until it is saved (Enter or leaving the field).
    if let Some(p) = plan
        && cache
            .name
            .as_ref()
            .is_none_or(|(id, _)| *id != p.feature.id)
    {
        cache.name = Some((p.feature.id, p.feature.name.clone()));
    }
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
                    match (plan, cache.name.as_mut()) {
                        (Some(p), Some((_, name))) => {
                            let label = ui.label(RichText::new(Text::Name.get(lang)).strong());
                            let response = ui
                                .add(
                                    egui::TextEdit::singleline(name)
                                        .hint_text(Text::NameHint.get(lang))
                                        .desired_width(160.0),
                                )
                                .labelled_by(label.id);
                            if response.lost_focus() && *name != p.feature.name {
                                commands.push(InspectorCommand::SetName(
                                    p.feature.id,
                                    name.trim().to_string(),
                                ));
                            }
                            ui.end_row();
                        }
                        _ => row(
                            ui,
                            Text::Name,
                            if feature.name.is_empty() {
                                unknown
                            } else {
                                &feature.name
                            },
                        ),
                    }
                    let layer_name = layer_names.get(f.layer).map_or(unknown, String::as_str);
                    row(ui, Text::Layer, layer_name);
                    if let Some(p) = plan {
                        ui.label(RichText::new(Text::ElementType.get(lang)).strong());
                        let kind = p.kind();
                        egui::ComboBox::from_id_salt("inspector-element")
                            .selected_text(element_name(session.catalog(), &p.element, lang))
                            .show_ui(ui, |ui| {
                                for e in &session.catalog().elements {
                                    let fits = kind.is_some_and(|k| e.allowed.contains(&k));
                                    let name = element_name(session.catalog(), &e.key, lang);
                                    let option = ui.add_enabled(
                                        fits,
                                        egui::Button::selectable(e.key == p.element, name),
                                    );
                                    if option.clicked() && e.key != p.element {
                                        commands.push(InspectorCommand::SetElement(
                                            p.feature.id,
                                            e.key.clone(),
                                        ));
                                    }
                                }
                            })
                            .response
                            .widget_info(|| {
                                egui::WidgetInfo::labeled(
                                    egui::Role::ComboBox,
                                    true,
                                    Text::ElementType.get(lang),
                                )
                            });
                        ui.end_row();
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
                    if let Some(p) = plan {
                        row(ui, Text::Vertices, &facts.vertices.to_string());
                        if let Some(v) = selected_vertex {
                            ui.label(RichText::new(Text::Vertex.get(lang)).strong());
                            ui.horizontal(|ui| {
                                ui.label(format!("#{}", v.index + 1));
                                if ui.button(Text::DeleteVertex.get(lang)).clicked() {
                                    commands.push(InspectorCommand::DeleteVertex(p.feature.id, v));
                                }
                            });
                            ui.end_row();
                        }
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
                                        crate::i18n::projects::stage_name(
                                            lang,
                                            session.workflows().of(project),
                                            &project.stage,
                                        )
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
                        alternative_row(ui, lang, session, p, &mut commands);
                    }
                });
            if let Some(p) = plan {
                ui.add_space(6.0);
                ui.horizontal(|ui| {
                    if ui.button(Text::DeleteFeature.get(lang)).clicked() {
                        commands.push(InspectorCommand::Delete(p.feature.id));
                    }
                    if ui.button(Text::DuplicateFeature.get(lang)).clicked() {
                        commands.push(InspectorCommand::Duplicate(p.feature.id));
                    }
                });
                ui.add_space(8.0);
                ui.label(RichText::new(Text::SitingWarnings.get(lang)).strong());
                if facts.warnings.is_empty() {
                    ui.label(RichText::new(Text::SitingOk.get(lang)).weak());
                }
                let hint = session
                    .catalog()
                    .get(&p.element)
                    .map(|e| match lang {
                        Lang::Zh => e.hint_zh.as_str(),
                        Lang::En => e.hint_en.as_str(),
                    })
                    .unwrap_or_default();
                for w in &facts.warnings {
                    warning(ui, &i18n::warning_text(lang, w, hint));
                }
                crate::gui::windows::coverage::rule_lines(ui, lang, &facts.rules, coverage);
            }
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
    commands
}

/// The feature's design alternative, as a picker: none (the plan itself), or one of its
/// project's alternatives (every project's, by project code, when it has no project).
fn alternative_row(
    ui: &mut Ui,
    lang: Lang,
    session: &Session,
    p: &model::PlanFeature,
    commands: &mut Vec<InspectorCommand>,
) {
    use crate::i18n::alternatives::{AlternativeText as A, status_name};
    let project = p
        .project
        .as_ref()
        .and_then(|code| session.projects().get(code));
    let name = |a: &crate::model::alternative::Alternative| {
        let of = match project {
            Some(_) => String::new(),
            None => session
                .project(a.project)
                .map(|x| format!("{} · ", x.code))
                .unwrap_or_default(),
        };
        format!("{of}{}（{}）", a.label, status_name(lang, a.status))
    };
    let options: Vec<&crate::model::alternative::Alternative> = match project {
        Some(project) => session.alternatives_of(project.id),
        None => session.alternatives().collect(),
    };
    let current = p.alternative.and_then(|a| session.alternative(a));
    ui.label(RichText::new(A::Alternative.get(lang)).strong());
    egui::ComboBox::from_id_salt("inspector-alternative")
        .selected_text(current.map_or_else(|| A::NoAlternative.get(lang).to_string(), name))
        .show_ui(ui, |ui| {
            if ui
                .add(egui::Button::selectable(
                    p.alternative.is_none(),
                    A::NoAlternative.get(lang),
                ))
                .clicked()
                && p.alternative.is_some()
            {
                commands.push(InspectorCommand::SetAlternative(p.feature.id, None));
            }
            for a in options {
                let on = p.alternative == Some(a.id);
                if ui.add(egui::Button::selectable(on, name(a))).clicked() && !on {
                    commands.push(InspectorCommand::SetAlternative(p.feature.id, Some(a.id)));
                }
            }
        })
        .response
        .widget_info(|| {
            egui::WidgetInfo::labeled(egui::Role::ComboBox, true, A::Alternative.get(lang))
        });
    ui.end_row();
}

/// A soft warning: yellow, with a marker, never a red error (they are guidance, not law).
pub fn warning(ui: &mut Ui, text: &str) {
    egui::Frame::new()
        .fill(style::WARNING_BG)
        .corner_radius(3.0)
        .inner_margin(egui::Margin::symmetric(6, 4))
        .show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                let (rect, _) = ui.allocate_exact_size(
                    egui::Vec2::splat(style::WARNING_ICON_PX),
                    egui::Sense::hover(),
                );
                let mut icon = Vec::new();
                crate::gui::map::editing::paint_warning_icon(
                    rect.center(),
                    rect.height(),
                    &mut icon,
                );
                ui.painter().extend(icon);
                ui.label(RichText::new(text).color(style::WARNING_TEXT));
            });
        });
}
