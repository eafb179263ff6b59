//! The project form: a draft of one record as the planner types it (numbers and dates as
//! text), turned back into a [`Project`] with every problem beside its field. The draft is the
//! form's own state; saving it is one command, one undo step.

use egui::{RichText, Ui};

use super::roster_picker::{self as roster, Choice, Field, Names};
use crate::Session;
use crate::error::Problem;
use crate::i18n::Lang;
use crate::i18n::errors::problem_message;
use crate::i18n::projects::{ProjectText as T, stage_name, workflow_name};
use crate::model::Project;
use crate::model::people::{OrgKind, PersonRole};
use crate::model::project::{Funding, ProjectField, StageDates};

/// Room for a date (YYYY-MM-DD) in a form or a table cell.
pub(super) const DATE_WIDTH: f32 = 96.0;
use crate::model::workflow::Workflows;

/// A project record being edited, every field as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct Draft {
    /// The record as it was loaded (its id and history are kept from it).
    pub base: Project,
    /// True for a project not yet written.
    pub is_new: bool,
    code: String,
    name: String,
    programme: String,
    year: String,
    workflow: String,
    stage: String,
    scope: String,
    budget: String,
    actual: String,
    funding: Vec<(String, String)>,
    owner_unit: String,
    design_team: String,
    mentor: String,
    planners: String,
    departments: String,
    progress: String,
    comments: String,
    /// Planned and actual date text per stage key.
    dates: Vec<(String, String, String)>,
}

fn number_text(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

impl Draft {
    /// A draft of `project` as stored.
    pub fn of(project: &Project, is_new: bool) -> Self {
        Self {
            base: project.clone(),
            is_new,
            code: project.code.clone(),
            name: project.name.clone(),
            programme: project.programme.clone(),
            year: project.year.map(|y| y.to_string()).unwrap_or_default(),
            workflow: project.workflow.clone(),
            stage: project.stage.clone(),
            scope: project.scope.clone(),
            budget: number_text(project.budget_wan),
            actual: number_text(project.actual_wan),
            funding: project
                .funding
                .iter()
                .map(|f| (f.source.clone(), f.amount_wan.to_string()))
                .collect(),
            owner_unit: project.owner_unit.clone(),
            design_team: project.design_team.clone(),
            mentor: project.mentor.clone(),
            planners: project.planners.clone(),
            departments: project.departments.clone(),
            progress: number_text(project.progress_pct),
            comments: project.comments.clone(),
            dates: project
                .stage_dates
                .iter()
                .map(|d| {
                    (
                        d.stage.clone(),
                        d.planned.clone().unwrap_or_default(),
                        d.actual.clone().unwrap_or_default(),
                    )
                })
                .collect(),
        }
    }

    /// The record the draft describes and every problem, each with its field (parse problems
    /// first, then the record's own checks).
    pub fn to_project(&self, workflows: &Workflows) -> (Project, Vec<(ProjectField, Problem)>) {
        let mut problems = Vec::new();
        let mut number = |text: &str, field: ProjectField| -> Option<f64> {
            let t = text.trim();
            if t.is_empty() {
                return None;
            }
            match t.parse::<f64>() {
                Ok(v) if v.is_finite() => Some(v),
                _ => {
                    problems.push((
                        field,
                        Problem::NotANumber {
                            text: t.to_string(),
                        },
                    ));
                    None
                }
            }
        };
        let budget_wan = number(&self.budget, ProjectField::Budget);
        let actual_wan = number(&self.actual, ProjectField::Actual);
        let progress_pct = number(&self.progress, ProjectField::Progress);
        let funding = self
            .funding
            .iter()
            .enumerate()
            .map(|(i, (source, amount))| Funding {
                source: source.trim().to_string(),
                amount_wan: number(amount, ProjectField::Funding(i)).unwrap_or(0.0),
            })
            .collect();
        let year = match self.year.trim() {
            "" => None,
            t => match t.parse::<i32>() {
                Ok(y) => Some(y),
                Err(_) => {
                    problems.push((ProjectField::Year, Problem::NotANumber { text: t.into() }));
                    None
                }
            },
        };
        let opt = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let project = Project {
            code: self.code.trim().to_string(),
            name: self.name.trim().to_string(),
            programme: self.programme.trim().to_string(),
            year,
            workflow: self.workflow.clone(),
            stage: self.stage.clone(),
            scope: self.scope.trim().to_string(),
            budget_wan,
            actual_wan,
            funding,
            owner_unit: self.owner_unit.trim().to_string(),
            design_team: self.design_team.trim().to_string(),
            mentor: self.mentor.trim().to_string(),
            planners: self.planners.trim().to_string(),
            departments: self.departments.trim().to_string(),
            progress_pct,
            comments: self.comments.trim().to_string(),
            stage_dates: self
                .dates
                .iter()
                .filter(|(_, p, a)| !p.trim().is_empty() || !a.trim().is_empty())
                .map(|(stage, p, a)| StageDates {
                    stage: stage.clone(),
                    planned: opt(p),
                    actual: opt(a),
                })
                .collect(),
            ..self.base.clone()
        };
        problems.extend(project.problems(workflows));
        (project, problems)
    }

    /// Moves the draft to the workflow's next stage, dating it today as its actual start.
    pub fn advance(&mut self, workflows: &Workflows, today: &str) {
        let Some(w) = workflows.get(&self.workflow) else {
            return;
        };
        let next = match w.position(&self.stage) {
            Some(i) => w.stages.get(i + 1),
            None => w.stages.first(),
        };
        if let Some(next) = next {
            self.stage = next.key.clone();
            match self.dates.iter_mut().find(|(s, _, _)| *s == next.key) {
                Some((_, _, actual)) if actual.trim().is_empty() => *actual = today.to_string(),
                Some(_) => {}
                None => self
                    .dates
                    .push((next.key.clone(), String::new(), today.to_string())),
            }
        }
    }
}

/// Draws the form; returns true when a field changed. The people and organisations it names
/// are picked from `session`'s roster (or typed anew).
pub fn show(ui: &mut Ui, lang: Lang, session: &Session, draft: &mut Draft) -> bool {
    let workflows = session.workflows();
    let (_, problems) = draft.to_project(workflows);
    let before = draft.clone();
    let problem_of = |field: ProjectField| -> Vec<String> {
        problems
            .iter()
            .filter(|(f, _)| *f == field)
            .map(|(_, p)| problem_message(p, lang))
            .collect()
    };
    let error = ui.visuals().error_fg_color;
    let show_problems = |ui: &mut Ui, field: ProjectField| {
        for p in problem_of(field) {
            ui.label("");
            ui.label(RichText::new(p).color(error).small());
            ui.end_row();
        }
    };
    let text_row = |ui: &mut Ui, label: T, value: &mut String, field: ProjectField, multi: bool| {
        let l = ui.label(RichText::new(label.get(lang)).strong());
        let edit = if multi {
            egui::TextEdit::multiline(value).desired_rows(2)
        } else {
            egui::TextEdit::singleline(value)
        };
        ui.add(edit.desired_width(260.0)).labelled_by(l.id);
        ui.end_row();
        show_problems(ui, field);
    };
    egui::Grid::new("linli-project-form")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            use ProjectField as F;
            text_row(ui, T::Code, &mut draft.code, F::Code, false);
            text_row(ui, T::Name, &mut draft.name, F::Name, false);
            text_row(ui, T::Programme, &mut draft.programme, F::Programme, false);
            text_row(ui, T::Year, &mut draft.year, F::Year, false);
            let l = ui.label(RichText::new(T::Workflow.get(lang)).strong());
            let current = workflows.get(&draft.workflow);
            egui::ComboBox::from_id_salt("linli-project-workflow")
                .selected_text(current.map_or(draft.workflow.as_str(), |w| workflow_name(lang, w)))
                .show_ui(ui, |ui| {
                    for w in workflows.all() {
                        ui.selectable_value(
                            &mut draft.workflow,
                            w.key.clone(),
                            workflow_name(lang, w),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            show_problems(ui, F::Workflow);
            let l = ui.label(RichText::new(T::Stage.get(lang)).strong());
            let workflow = workflows.get(&draft.workflow);
            egui::ComboBox::from_id_salt("linli-project-stage")
                .selected_text(stage_name(lang, workflow, &draft.stage).to_string())
                .show_ui(ui, |ui| {
                    for s in workflow.map(|w| w.stages.as_slice()).unwrap_or_default() {
                        ui.selectable_value(
                            &mut draft.stage,
                            s.key.clone(),
                            stage_name(lang, workflow, &s.key),
                        );
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            show_problems(ui, F::Stage);
            text_row(ui, T::Scope, &mut draft.scope, F::Scope, true);
            text_row(ui, T::Budget, &mut draft.budget, F::Budget, false);
            text_row(ui, T::Actual, &mut draft.actual, F::Actual, false);
            ui.label(RichText::new(T::Funding.get(lang)).strong());
            let mut remove = None;
            ui.vertical(|ui| {
                for (i, (source, amount)) in draft.funding.iter_mut().enumerate() {
                    ui.horizontal(|ui| {
                        ui.add(
                            egui::TextEdit::singleline(source)
                                .hint_text(T::FundingSource.get(lang))
                                .desired_width(120.0),
                        );
                        ui.add(
                            egui::TextEdit::singleline(amount)
                                .hint_text(T::FundingAmount.get(lang))
                                .desired_width(70.0),
                        );
                        if ui.small_button(T::RemoveFunding.get(lang)).clicked() {
                            remove = Some(i);
                        }
                    });
                    for p in problem_of(F::Funding(i)) {
                        ui.label(RichText::new(p).color(error).small());
                    }
                }
                if ui.small_button(T::AddFunding.get(lang)).clicked() {
                    draft.funding.push((String::new(), String::new()));
                }
            });
            if let Some(i) = remove {
                draft.funding.remove(i);
            }
            ui.end_row();
            let pick = |ui: &mut Ui, label: T, value: &mut String, field: F, options: &[Choice]| {
                let names = if label == T::OwnerUnit {
                    Names::One
                } else {
                    Names::Many
                };
                let row = Field::new(label.get(lang), names, 260.0);
                roster::roster_row(ui, lang, row, value, options);
                show_problems(ui, field);
            };
            let owners = roster::organisations(session, lang, |k| k != OrgKind::DesignTeam);
            let teams = roster::organisations(session, lang, |k| k == OrgKind::DesignTeam);
            let departments = roster::organisations(session, lang, |k| k == OrgKind::Department);
            let mentors = roster::people(session, lang, |r| r == PersonRole::Mentor);
            let planners = roster::people(session, lang, PersonRole::is_planner);
            pick(
                ui,
                T::OwnerUnit,
                &mut draft.owner_unit,
                F::OwnerUnit,
                &owners,
            );
            pick(
                ui,
                T::DesignTeam,
                &mut draft.design_team,
                F::DesignTeam,
                &teams,
            );
            pick(ui, T::Mentor, &mut draft.mentor, F::Mentor, &mentors);
            pick(ui, T::Planners, &mut draft.planners, F::Planners, &planners);
            let departments_field = &mut draft.departments;
            pick(
                ui,
                T::Departments,
                departments_field,
                F::Departments,
                &departments,
            );
            text_row(ui, T::Progress, &mut draft.progress, F::Progress, false);
            text_row(ui, T::Comments, &mut draft.comments, F::Comments, true);
        });
    stage_dates(ui, lang, workflows, draft, &problems);
    *draft != before
}

/// The planned and actual date of each stage of the draft's workflow.
fn stage_dates(
    ui: &mut Ui,
    lang: Lang,
    workflows: &Workflows,
    draft: &mut Draft,
    problems: &[(ProjectField, Problem)],
) {
    let Some(workflow) = workflows.get(&draft.workflow) else {
        return;
    };
    ui.add_space(6.0);
    ui.label(RichText::new(T::StageDates.get(lang)).strong());
    let error = ui.visuals().error_fg_color;
    egui::Grid::new("linli-project-dates")
        .num_columns(3)
        .show(ui, |ui| {
            ui.label("");
            ui.label(T::Planned.get(lang));
            ui.label(T::ActualDate.get(lang));
            ui.end_row();
            for stage in &workflow.stages {
                let i = match draft.dates.iter().position(|(s, _, _)| *s == stage.key) {
                    Some(i) => i,
                    None => {
                        draft
                            .dates
                            .push((stage.key.clone(), String::new(), String::new()));
                        draft.dates.len() - 1
                    }
                };
                let name = stage_name(lang, Some(workflow), &stage.key).to_string();
                let current = stage.key == draft.stage;
                ui.label(if current {
                    RichText::new(name).strong()
                } else {
                    RichText::new(name)
                });
                if let Some((_, planned, actual)) = draft.dates.get_mut(i) {
                    // A grid cell only offers last frame's column width: ask for the size.
                    ui.add_sized(
                        [DATE_WIDTH, ui.spacing().interact_size.y],
                        egui::TextEdit::singleline(planned).hint_text("YYYY-MM-DD"),
                    );
                    // A grid cell only offers last frame's column width: ask for the size.
                    ui.add_sized(
                        [DATE_WIDTH, ui.spacing().interact_size.y],
                        egui::TextEdit::singleline(actual).hint_text("YYYY-MM-DD"),
                    );
                }
                ui.end_row();
            }
        });
    // Stage rows are numbered among the dated ones only (those the record keeps).
    let dated: Vec<&String> = draft
        .dates
        .iter()
        .filter(|(_, p, a)| !p.trim().is_empty() || !a.trim().is_empty())
        .map(|(s, _, _)| s)
        .collect();
    for (field, problem) in problems {
        if let ProjectField::StageDates(i) = field {
            let stage = dated.get(*i).map_or("", |s| s.as_str());
            let text = crate::i18n::labelled(
                lang,
                stage_name(lang, Some(workflow), stage),
                &problem_message(problem, lang),
            );
            ui.label(RichText::new(text).color(error).small());
        }
    }
}
