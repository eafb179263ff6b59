//! The project form's 方案 section: the project's design alternatives with their status, team,
//! cost and features; add one, edit its label, team, cost and description, delete it, choose
//! it, draw into it (new features drawn in the window then belong to it), and open the
//! side-by-side comparison. Every change is a command, applied after the frame.

use egui::{RichText, Ui};
use uuid::Uuid;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::alternatives::{AlternativeText as T, area_text, status_name, wan_text};
use crate::model::alternative::{Alternative, AlternativeStatus, next_label};
use crate::session::{Command, RecordEdit};

/// What the section asks for; the projects window passes it on as its own commands.
#[derive(Debug, Clone, PartialEq)]
pub enum AlternativeAsk {
    /// Apply a command to the workspace (an alternative added, saved, deleted or chosen).
    Apply(Box<Command>),
    /// Open the side-by-side comparison of the project's alternatives.
    Compare(Uuid),
    /// Draw new features into this alternative (`None`: into none).
    DrawInto(Option<Uuid>),
}

/// An alternative being edited: the record and the cost as typed.
#[derive(Debug, Clone, PartialEq)]
struct AlternativeDraft {
    alternative: Alternative,
    cost: String,
    /// Why the cost typed is not a number, when it is not.
    cost_error: bool,
}

/// The section's state between frames.
#[derive(Debug, Default)]
pub struct AlternativesSection {
    editing: Option<AlternativeDraft>,
}

/// What the section shows and reads.
pub struct AlternativesInput<'a> {
    /// The interface language.
    pub lang: Lang,
    /// The open workspace.
    pub session: &'a Session,
    /// The project (its UUID).
    pub project: Uuid,
    /// The alternative new features are drawn into, if any.
    pub draw_into: Option<Uuid>,
}

impl AlternativesSection {
    /// Shows the section; returns what was asked for.
    #[must_use]
    pub fn show(&mut self, ui: &mut Ui, input: &AlternativesInput<'_>) -> Vec<AlternativeAsk> {
        let AlternativesInput {
            lang,
            session,
            project,
            draw_into,
        } = *input;
        let mut out = Vec::new();
        let alternatives = session.alternatives_of(project);
        ui.label(RichText::new(T::Alternatives.get(lang)).strong());
        if self
            .editing
            .as_ref()
            .is_some_and(|d| d.alternative.project != project)
        {
            self.editing = None;
        }
        egui::Grid::new(("alternatives", project))
            .num_columns(5)
            .striped(true)
            .show(ui, |ui| {
                for a in &alternatives {
                    let features = session.features_of_alternative(a.id);
                    let area: f64 = features
                        .iter()
                        .filter_map(|f| crate::session::plan_derived(session.catalog(), f).area_m2)
                        .sum();
                    let label = match a.status {
                        AlternativeStatus::Chosen => RichText::new(&a.label).strong(),
                        _ => RichText::new(&a.label),
                    };
                    ui.label(label);
                    ui.label(status_name(lang, a.status));
                    ui.label(if a.team.is_empty() { "—" } else { &a.team });
                    ui.label(format!(
                        "{} {} · {} · {}",
                        features.len(),
                        T::Features.get(lang),
                        area_text(lang, area),
                        a.cost_wan
                            .map_or_else(|| "—".to_string(), |w| wan_text(lang, w))
                    ));
                    ui.horizontal(|ui| {
                        if ui.small_button(T::Edit.get(lang)).clicked() {
                            self.editing = Some(AlternativeDraft {
                                alternative: (*a).clone(),
                                cost: a.cost_wan.map(|w| w.to_string()).unwrap_or_default(),
                                cost_error: false,
                            });
                        }
                        let chosen = a.status == AlternativeStatus::Chosen;
                        if ui
                            .add_enabled(!chosen, egui::Button::new(T::Choose.get(lang)).small())
                            .clicked()
                        {
                            out.push(apply(Command::ChooseAlternative {
                                project,
                                alternative: a.id,
                            }));
                        }
                        if draw_into == Some(a.id) {
                            if ui.small_button(T::StopDrawingInto.get(lang)).clicked() {
                                out.push(AlternativeAsk::DrawInto(None));
                            }
                        } else if ui.small_button(T::DrawInto.get(lang)).clicked() {
                            out.push(AlternativeAsk::DrawInto(Some(a.id)));
                        }
                    });
                    ui.end_row();
                }
            });
        if let Some(a) = draw_into.and_then(|id| session.alternative(id)) {
            ui.label(
                RichText::new(format!("{}：{}", T::DrawingInto.get(lang), a.label))
                    .color(crate::gui::style::GUIDANCE_TEXT),
            );
        }
        ui.horizontal(|ui| {
            if ui.button(T::AddAlternative.get(lang)).clicked() {
                let taken: Vec<&str> = alternatives.iter().map(|a| a.label.as_str()).collect();
                let new = Alternative::new(project, &next_label(&taken));
                out.push(apply(RecordEdit::Add(new).into()));
            }
            if ui
                .add_enabled(
                    alternatives.len() >= 2,
                    egui::Button::new(T::Compare.get(lang)),
                )
                .clicked()
            {
                out.push(AlternativeAsk::Compare(project));
            }
        });
        if let Some(draft) = self.editing.as_mut() {
            let mut close = false;
            ui.group(|ui| {
                egui::Grid::new(("alternative-form", draft.alternative.id))
                    .num_columns(2)
                    .show(ui, |ui| {
                        ui.label(T::Label.get(lang));
                        ui.text_edit_singleline(&mut draft.alternative.label);
                        ui.end_row();
                        ui.label(T::Team.get(lang));
                        ui.text_edit_singleline(&mut draft.alternative.team);
                        ui.end_row();
                        ui.label(T::Cost.get(lang));
                        ui.text_edit_singleline(&mut draft.cost);
                        ui.end_row();
                        ui.label(T::Description.get(lang));
                        ui.text_edit_multiline(&mut draft.alternative.description);
                        ui.end_row();
                    });
                if draft.cost_error {
                    ui.colored_label(
                        crate::gui::style::ERROR_TEXT,
                        crate::i18n::errors::problem_message(
                            &crate::error::Problem::NotANumber {
                                text: draft.cost.clone(),
                            },
                            lang,
                        ),
                    );
                }
                ui.horizontal(|ui| {
                    if ui.button(T::SaveAlternative.get(lang)).clicked() {
                        let cost = draft.cost.trim();
                        let parsed = if cost.is_empty() {
                            Some(None)
                        } else {
                            cost.parse::<f64>().ok().map(Some)
                        };
                        match parsed {
                            Some(cost_wan) => {
                                let a = Alternative {
                                    cost_wan,
                                    ..draft.alternative.clone()
                                };
                                out.push(apply(RecordEdit::Update(a).into()));
                                close = true;
                            }
                            None => draft.cost_error = true,
                        }
                    }
                    if ui.button(T::Cancel.get(lang)).clicked() {
                        close = true;
                    }
                    if ui.button(T::DeleteAlternative.get(lang)).clicked() {
                        let id = draft.alternative.id;
                        out.push(apply(RecordEdit::<Alternative>::Delete(id).into()));
                        if draw_into == Some(id) {
                            out.push(AlternativeAsk::DrawInto(None));
                        }
                        close = true;
                    }
                });
            });
            if close {
                self.editing = None;
            }
        }
        out
    }
}

fn apply(command: Command) -> AlternativeAsk {
    AlternativeAsk::Apply(Box::new(command))
}
