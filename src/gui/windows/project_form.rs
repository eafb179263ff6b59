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

/// Where a field's problem is written: a line kept for it below the field whether or not
/// there is a message, so a message that comes or goes moves nothing (a click aimed at the
/// next field lands there).
struct Slots {
    /// The kept lines, by field.
    lines: Vec<(ProjectField, egui::Rect)>,
    /// The fields that get a line: those the checks can flag as they are typed, and those
    /// the record had a problem with when the draft was made (a workflow unknown here, say).
    kept: Vec<ProjectField>,
    /// Height of a line.
    height: f32,
}

impl Slots {
    fn new(ui: &Ui, draft: &Draft, workflows: &Workflows) -> Self {
        use ProjectField as F;
        let mut kept = vec![F::Code, F::Name, F::Year, F::Budget, F::Actual, F::Progress];
        kept.extend((0..draft.funding.len()).map(F::Funding));
        kept.extend(
            draft
                .base
                .problems(workflows)
                .into_iter()
                .map(|(f, _)| f)
                .filter(|f| !matches!(f, F::StageDates(_))),
        );
        Self {
            lines: Vec::new(),
            kept,
            height: ui.text_style_height(&egui::TextStyle::Small),
        }
    }

    /// In a two-column grid: an empty row of one small line for `field`'s message, if the
    /// field keeps one.
    fn grid_row(&mut self, ui: &mut Ui, field: ProjectField) {
        if !self.kept.contains(&field) {
            return;
        }
        ui.allocate_exact_size(egui::vec2(0.0, self.height), egui::Sense::hover());
        self.line(ui, field, FIELD_WIDTH);
        ui.end_row();
    }

    /// A line of `width` for `field`'s message, where the layout is.
    fn line(&mut self, ui: &mut Ui, field: ProjectField, width: f32) {
        let (rect, _) =
            ui.allocate_exact_size(egui::vec2(width, self.height), egui::Sense::hover());
        self.lines.push((field, rect));
    }

    /// Writes each problem in its field's line; returns those of fields without one.
    fn write<'p>(
        &self,
        ui: &mut Ui,
        lang: Lang,
        problems: &'p [(ProjectField, Problem)],
    ) -> Vec<&'p (ProjectField, Problem)> {
        let error = ui.visuals().error_fg_color;
        for (field, rect) in &self.lines {
            let text: Vec<String> = problems
                .iter()
                .filter(|(f, _)| f == field)
                .map(|(_, p)| problem_message(p, lang))
                .collect();
            if text.is_empty() {
                continue;
            }
            // A child laid over the kept line: it takes no room from the form.
            let mut line = ui.new_child(
                egui::UiBuilder::new()
                    .max_rect(*rect)
                    .layout(egui::Layout::left_to_right(egui::Align::Center)),
            );
            let text = text.join(crate::i18n::forms::FormText::Separator.get(lang));
            line.add(egui::Label::new(RichText::new(text).color(error).small()).truncate());
        }
        problems
            .iter()
            .filter(|(f, _)| !self.lines.iter().any(|(l, _)| l == f))
            .collect()
    }
}

/// Width of a field in the form.
const FIELD_WIDTH: f32 = 260.0;

/// Draws the form; returns true when a field changed. The people and organisations it names
/// are picked from `session`'s roster (or typed anew). Each problem is worked out after every
/// field is drawn, so it is the one of the text as it is in this frame, and written in a line
/// kept below its field.
pub fn show(ui: &mut Ui, lang: Lang, session: &Session, draft: &mut Draft) -> bool {
    let workflows = session.workflows();
    let before = draft.clone();
    let mut slots = Slots::new(ui, draft, workflows);
    let text_row = |ui: &mut Ui,
                    slots: &mut Slots,
                    label: T,
                    value: &mut String,
                    field: ProjectField,
                    multi: bool| {
        let l = ui.label(RichText::new(label.get(lang)).strong());
        let edit = if multi {
            egui::TextEdit::multiline(value).desired_rows(2)
        } else {
            egui::TextEdit::singleline(value)
        };
        ui.add(edit.desired_width(FIELD_WIDTH)).labelled_by(l.id);
        ui.end_row();
        slots.grid_row(ui, field);
    };
    egui::Grid::new("linli-project-form")
        .num_columns(2)
        .spacing([8.0, 4.0])
        // Rows size to what they hold: a kept message line is one small line high.
        .min_row_height(slots.height)
        .show(ui, |ui| {
            use ProjectField as F;
            let s = &mut slots;
            text_row(ui, s, T::Code, &mut draft.code, F::Code, false);
            text_row(ui, s, T::Name, &mut draft.name, F::Name, false);
            text_row(
                ui,
                s,
                T::Programme,
                &mut draft.programme,
                F::Programme,
                false,
            );
            text_row(ui, s, T::Year, &mut draft.year, F::Year, false);
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
            s.grid_row(ui, F::Workflow);
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
            s.grid_row(ui, F::Stage);
            text_row(ui, s, T::Scope, &mut draft.scope, F::Scope, true);
            text_row(ui, s, T::Budget, &mut draft.budget, F::Budget, false);
            text_row(ui, s, T::Actual, &mut draft.actual, F::Actual, false);
            funding_rows(ui, lang, s, &mut draft.funding);
            ui.end_row();
            let pick = |ui: &mut Ui,
                        s: &mut Slots,
                        label: T,
                        value: &mut String,
                        field: F,
                        options: &[Choice]| {
                let names = if label == T::OwnerUnit {
                    Names::One
                } else {
                    Names::Many
                };
                let row = Field::new(label.get(lang), names, FIELD_WIDTH);
                roster::roster_row(ui, lang, row, value, options);
                s.grid_row(ui, field);
            };
            let owners = roster::organisations(session, lang, |k| k != OrgKind::DesignTeam);
            let teams = roster::organisations(session, lang, |k| k == OrgKind::DesignTeam);
            let departments = roster::organisations(session, lang, |k| k == OrgKind::Department);
            let mentors = roster::people(session, lang, |r| r == PersonRole::Mentor);
            let planners = roster::people(session, lang, PersonRole::is_planner);
            pick(
                ui,
                s,
                T::OwnerUnit,
                &mut draft.owner_unit,
                F::OwnerUnit,
                &owners,
            );
            pick(
                ui,
                s,
                T::DesignTeam,
                &mut draft.design_team,
                F::DesignTeam,
                &teams,
            );
            pick(ui, s, T::Mentor, &mut draft.mentor, F::Mentor, &mentors);
            pick(
                ui,
                s,
                T::Planners,
                &mut draft.planners,
                F::Planners,
                &planners,
            );
            let departments_field = &mut draft.departments;
            pick(
                ui,
                s,
                T::Departments,
                departments_field,
                F::Departments,
                &departments,
            );
            text_row(ui, s, T::Progress, &mut draft.progress, F::Progress, false);
            text_row(ui, s, T::Comments, &mut draft.comments, F::Comments, true);
        });
    let mut date_lines = Vec::new();
    stage_dates(ui, lang, workflows, draft, &mut date_lines, slots.height);
    // Every field is drawn: the problems of the text as it is now, this frame.
    let (_, problems) = draft.to_project(workflows);
    let dated = dated_stages(draft);
    for (stage, rect) in date_lines {
        if let Some(i) = dated.iter().position(|s| *s == stage) {
            slots.lines.push((ProjectField::StageDates(i), rect));
        }
    }
    let elsewhere = slots.write(ui, lang, &problems);
    let error = ui.visuals().error_fg_color;
    for (field, problem) in elsewhere {
        // Not a field of the form (a stage the workflow does not have): below the form, where
        // it moves no field.
        let text = match field {
            ProjectField::StageDates(i) => crate::i18n::labelled(
                lang,
                stage_name(
                    lang,
                    workflows.get(&draft.workflow),
                    dated.get(*i).map_or("", |s| s.as_str()),
                ),
                &problem_message(problem, lang),
            ),
            _ => problem_message(problem, lang),
        };
        ui.label(RichText::new(text).color(error).small());
    }
    let changed = *draft != before;
    if changed {
        // The buttons above the form read the draft before it changed: draw them again.
        ui.ctx().request_repaint();
    }
    changed
}

/// The funding sources, one row each with a kept line for its problem, and the button that
/// adds one.
fn funding_rows(ui: &mut Ui, lang: Lang, slots: &mut Slots, funding: &mut Vec<(String, String)>) {
    ui.label(RichText::new(T::Funding.get(lang)).strong());
    let mut remove = None;
    let mut add = false;
    ui.vertical(|ui| {
        for (i, (source, amount)) in funding.iter_mut().enumerate() {
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
            slots.line(ui, ProjectField::Funding(i), FIELD_WIDTH);
        }
        add = ui.small_button(T::AddFunding.get(lang)).clicked();
    });
    if let Some(i) = remove {
        funding.remove(i);
    }
    if add {
        funding.push((String::new(), String::new()));
    }
}

/// The stages that have a date, in the draft's order: what `ProjectField::StageDates` numbers.
fn dated_stages(draft: &Draft) -> Vec<String> {
    draft
        .dates
        .iter()
        .filter(|(_, p, a)| !p.trim().is_empty() || !a.trim().is_empty())
        .map(|(s, _, _)| s.clone())
        .collect()
}

/// The planned and actual date of each stage of the draft's workflow, each row with a kept
/// place for its problem (pushed to `lines` by stage key).
fn stage_dates(
    ui: &mut Ui,
    lang: Lang,
    workflows: &Workflows,
    draft: &mut Draft,
    lines: &mut Vec<(String, egui::Rect)>,
    line_height: f32,
) {
    let Some(workflow) = workflows.get(&draft.workflow) else {
        return;
    };
    ui.add_space(6.0);
    ui.label(RichText::new(T::StageDates.get(lang)).strong());
    egui::Grid::new("linli-project-dates")
        .num_columns(4)
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
                // The row's problem goes beside its dates, in a column kept for it.
                let (rect, _) = ui.allocate_exact_size(
                    egui::vec2(STAGE_MESSAGE_WIDTH, line_height),
                    egui::Sense::hover(),
                );
                lines.push((stage.key.clone(), rect));
                ui.end_row();
            }
        });
}

/// Width of the column beside the stage dates that holds a row's problem, points.
const STAGE_MESSAGE_WIDTH: f32 = 170.0;
