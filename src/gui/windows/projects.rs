//! The projects window: every project in a table (filter, sort), the selected project's form,
//! what its features give it (street, community, element types, totals), lifecycle guidance
//! and its dated history. What the planner asks for comes back as [`ProjectCommand`]s, applied
//! after the frame; a save is one command, one undo step.

use egui::{RichText, Ui};
use uuid::Uuid;

use crate::Session;
use std::collections::BTreeMap;

use crate::i18n::projects::{
    ProjectText as T, gate_warning_text, history_text, stage_name, stamp_text,
};
use crate::i18n::{Lang, area_text, labelled, length_text};
use crate::io::table::TableFormat;
use crate::model::Project;
use crate::model::change::RecordKind;
use crate::model::local_time::{LocalZone, today_local};
use crate::model::provenance::Provenance;
use crate::session::{Command, Edit, ProjectEdit, ProjectSummary};

use super::project_form::{self, Draft};

/// What the planner asked the projects window for.
#[derive(Debug, Clone, PartialEq)]
pub enum ProjectCommand {
    /// Apply a command to the workspace (a save, a link, a delete).
    Apply(Box<Command>),
    /// Show this project's features on the map (selecting it highlights them).
    Select(Option<Uuid>),
    /// Zoom the map to a project's features.
    ZoomTo(String),
    /// Set the planner's name for the workspace.
    SetPlanner(String),
    /// Bring the map to a meeting's view.
    GoToView(crate::model::meeting::MapBookmark),
    /// Present a meeting's slides (presentation mode).
    Present(Uuid, Vec<crate::model::meeting::Slide>),
    /// Show the residents' input strip for this meeting over the map.
    RecordInput(Uuid),
    /// Open the side-by-side comparison of a project's design alternatives.
    Compare(Uuid),
    /// New features drawn in the window go into this design alternative (`None`: into none).
    DrawInto(Option<Uuid>),
}

/// The column the table is sorted by.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum SortKey {
    /// Project code.
    #[default]
    Code,
    /// Name.
    Name,
    /// Street.
    Street,
    /// Stage (in workflow order).
    Stage,
    /// Batch year.
    Year,
    /// Budget.
    Budget,
}

/// The window's state between frames.
#[derive(Debug, Default)]
pub struct ProjectsWindow {
    /// Whether the window is shown.
    pub open: bool,
    /// The table's filter text.
    pub filter: String,
    /// The table's pickers (street, programme, year, stage, element type, person).
    pub pickers: crate::session::report::ProjectFilter,
    /// Only overdue projects.
    pub overdue: bool,
    /// Sort column and direction (true: descending).
    pub sort: (SortKey, bool),
    /// The selected project.
    pub selected: Option<Uuid>,
    /// The form's draft of the selected (or new) project.
    draft: Option<Draft>,
    /// Features a new project will be created over.
    new_features: Vec<Uuid>,
    /// A meeting being recorded for the selected project.
    meeting: Option<super::meeting_form::MeetingDraft>,
    /// The residents' input exports of the meeting being edited.
    inputs_saver: crate::gui::save::ExportSaver,
    /// The planner name being typed.
    planner: Option<String>,
    /// Outline the features that belong to no project.
    pub mark_unassigned: bool,
    /// The meeting whose pinned comments and votes the map shows.
    pub pinned_meeting: Option<Uuid>,
    /// The selected project's attachments.
    pub attachments: super::attachments::AttachmentsSection,
    /// The selected project's design alternatives.
    pub alternatives: super::alternatives::AlternativesSection,
    /// The table's export (CSV, Excel): the "save as" dialog, the "replace?" question.
    pub saver: crate::gui::save::ExportSaver,
    /// The projects' provenance, read once per revision of the session.
    provenance: Option<(u64, BTreeMap<Uuid, Provenance>)>,
}

/// What the window reads each frame.
pub struct ProjectsInput<'a> {
    /// Interface language.
    pub lang: Lang,
    /// The open workspace.
    pub session: &'a Session,
    /// The selected plan feature, if any.
    pub selected_feature: Option<Uuid>,
    /// The map's current view.
    pub view: Option<crate::model::meeting::MapBookmark>,
    /// The keys of the layers the map shows.
    pub layers: Vec<String>,
    /// The design alternative new features are drawn into, if any.
    pub draw_into: Option<Uuid>,
}

impl ProjectsWindow {
    /// Starts a new project's draft over `features`, with a code that is free.
    pub fn start_new(&mut self, session: &Session, features: Vec<Uuid>) {
        let mut n = session.projects().len() + 1;
        let year = today_local().get(..4).unwrap_or("2026").to_string();
        let code = loop {
            let code = format!("XM-{year}-{n:03}");
            if !session.projects().contains_key(&code) {
                break code;
            }
            n += 1;
        };
        let workflow = session.workflows().all().first();
        let project = Project {
            id: Uuid::new_v4(),
            code,
            year: year.parse().ok(),
            workflow: workflow.map(|w| w.key.clone()).unwrap_or_default(),
            stage: workflow
                .and_then(|w| w.stages.first())
                .map(|s| s.key.clone())
                .unwrap_or_default(),
            ..Project::default()
        };
        self.selected = None;
        self.draft = Some(Draft::of(&project, true));
        self.new_features = features;
        self.open = true;
    }

    /// The meeting being recorded or edited, as typed so far (while the window is open).
    pub fn meeting_draft(&self) -> Option<&crate::model::meeting::Meeting> {
        self.meeting
            .as_ref()
            .filter(|_| self.open)
            .map(|d| d.meeting())
    }

    /// The number (1-based) of the note whose pin the next click on the map places, if the
    /// meeting form waits for one.
    pub fn placing_pin(&self) -> Option<usize> {
        // A closed window waits for nothing: its form cannot be seen.
        self.meeting
            .as_ref()
            .filter(|_| self.open)
            .and_then(|d| d.placing())
            .map(|i| i + 1)
    }

    /// Places the pin the meeting form waits for; false when it waits for none.
    pub fn place_pin(&mut self, lon_lat: [f64; 2]) -> bool {
        self.open && self.meeting.as_mut().is_some_and(|d| d.place_pin(lon_lat))
    }

    /// Stops waiting for a click that places a pin (Esc); false when it was not waiting.
    pub fn cancel_placing_pin(&mut self) -> bool {
        self.meeting.as_mut().is_some_and(|d| d.cancel_placing())
    }

    /// Moves a pin of the meeting being recorded, if `meeting` is that one; false otherwise
    /// (the pin is a recorded meeting's: moving it is a command).
    pub fn move_draft_pin(&mut self, meeting: Uuid, note: usize, lon_lat: [f64; 2]) -> bool {
        self.meeting
            .as_mut()
            .filter(|d| d.meeting().id == meeting)
            .is_some_and(|d| d.move_pin(note, lon_lat))
    }

    /// Selects a project (the form shows it).
    pub fn select(&mut self, id: Option<Uuid>) {
        if self.selected != id {
            self.meeting = None;
        }
        self.selected = id;
        self.new_features.clear();
        if self.draft.as_ref().map(|d| d.base.id) != id {
            self.draft = None;
        }
    }

    /// The window, when open.
    pub fn show(&mut self, ctx: &egui::Context, input: &ProjectsInput<'_>) -> Vec<ProjectCommand> {
        let mut commands = Vec::new();
        self.saver.show(ctx, input.lang, input.session);
        if !self.open {
            return commands;
        }
        let before = self.signature();
        let mut open = self.open;
        egui::Window::new(T::Projects.get(input.lang))
            .id(egui::Id::unique("linli-projects-window"))
            .open(&mut open)
            .default_size([520.0, 720.0])
            .vscroll(true)
            .show(ctx, |ui| self.contents(ui, input, &mut commands));
        self.open = open;
        // A click that opened a form or changed the selection changed what this frame drew.
        if self.signature() != before {
            ctx.request_repaint();
        }
        commands
    }

    /// Exports the table's rows (its filter and pickers, in its order) as `format`.
    fn export_table(&mut self, session: &Session, lang: Lang, format: TableFormat) {
        let order: Vec<String> = self.rows(session).iter().map(|p| p.code.clone()).collect();
        let mut rows = session.analysis().project_rows_of(&order);
        rows.sort_by_key(|r| order.iter().position(|c| *c == r.project.code));
        let file = crate::session::report::project_table_file(session, &rows, lang);
        let stem = crate::i18n::exports::ExportText::SheetProjects.get(lang);
        self.saver.start_table(&file, format, stem);
    }

    /// What decides the window's layout, to know when a frame must be drawn again.
    #[allow(clippy::type_complexity)]
    fn signature(
        &self,
    ) -> (
        Option<Uuid>,
        bool,
        bool,
        bool,
        (SortKey, bool),
        bool,
        Option<usize>,
    ) {
        (
            self.selected,
            self.draft.is_some(),
            self.draft.as_ref().is_some_and(|d| d.is_new),
            self.meeting.is_some(),
            self.sort,
            self.mark_unassigned,
            self.placing_pin(),
        )
    }

    fn contents(&mut self, ui: &mut Ui, input: &ProjectsInput<'_>, out: &mut Vec<ProjectCommand>) {
        let lang = input.lang;
        let session = input.session;
        self.planner_row(ui, lang, session, out);
        ui.separator();
        ui.horizontal(|ui| {
            let l = ui.label(T::Filter.get(lang));
            ui.add(egui::TextEdit::singleline(&mut self.filter).desired_width(180.0))
                .labelled_by(l.id);
            if ui.button(T::NewProject.get(lang)).clicked() {
                self.start_new(session, Vec::new());
            }
            if ui
                .add_enabled(
                    input.selected_feature.is_some(),
                    egui::Button::new(T::NewFromSelection.get(lang)),
                )
                .clicked()
            {
                self.start_new(session, input.selected_feature.into_iter().collect());
            }
        });
        let summaries = session.summaries_now();
        super::pickers::project_pickers(
            ui,
            lang,
            session,
            summaries,
            &mut self.pickers,
            &mut self.overdue,
        );
        if let Some(format) = self.saver.table_buttons(ui, lang) {
            self.export_table(session, lang, format);
        }
        let unassigned = session
            .plan()
            .iter()
            .filter(|f| f.project.is_none())
            .count();
        ui.checkbox(
            &mut self.mark_unassigned,
            format!("{} ({unassigned})", T::OnlyUnassigned.get(lang)),
        );
        self.table(ui, lang, session, out);
        ui.separator();
        self.sync_draft(session);
        self.record(ui, input, out);
    }

    fn planner_row(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        out: &mut Vec<ProjectCommand>,
    ) {
        ui.horizontal(|ui| {
            let l = ui.label(T::PlannerName.get(lang));
            let text = self
                .planner
                .get_or_insert_with(|| session.planner().to_string());
            let r = ui
                .add(egui::TextEdit::singleline(text).desired_width(120.0))
                .labelled_by(l.id);
            if r.lost_focus() && text.trim() != session.planner() {
                out.push(ProjectCommand::SetPlanner(text.trim().to_string()));
            }
        });
    }

    /// The rows the filter keeps, sorted.
    pub fn rows<'s>(&mut self, session: &'s Session) -> Vec<&'s Project> {
        let needle = self.filter.trim().to_lowercase();
        let (key, descending) = self.sort;
        let mut pickers = self.pickers.clone();
        pickers.overdue_on = self.overdue.then(today_local);
        let summaries = session.summaries_now();
        let none = ProjectSummary::default();
        let street = |p: &Project| {
            summaries
                .get(&p.code)
                .and_then(|s| s.streets.iter().next().cloned())
                .unwrap_or_default()
        };
        let mut rows: Vec<(&Project, String)> = session
            .projects()
            .values()
            .filter(|p| {
                let summary = summaries.get(&p.code).unwrap_or(&none);
                session.analysis().project_kept(p, summary, &pickers)
            })
            .map(|p| (p, street(p)))
            .filter(|(p, street)| {
                needle.is_empty()
                    || [&p.code, &p.name, &p.scope, &p.programme, street, &p.stage]
                        .iter()
                        .any(|t| t.to_lowercase().contains(&needle))
            })
            .collect();
        let stage_pos = |p: &Project| session.workflows().of(p).and_then(|w| w.position(&p.stage));
        rows.sort_by(|(a, sa), (b, sb)| {
            let order = match key {
                SortKey::Code => a.code.cmp(&b.code),
                SortKey::Name => a.name.cmp(&b.name),
                SortKey::Street => sa.cmp(sb),
                SortKey::Stage => stage_pos(a).cmp(&stage_pos(b)),
                SortKey::Year => a.year.cmp(&b.year),
                SortKey::Budget => cmp_amount(a.budget_wan, b.budget_wan),
            }
            .then_with(|| a.code.cmp(&b.code));
            if descending { order.reverse() } else { order }
        });
        rows.into_iter().map(|(p, _)| p).collect()
    }

    /// The projects' provenance as of the session's revision (read again after a change).
    fn provenance(&mut self, session: &Session) -> &BTreeMap<Uuid, Provenance> {
        let revision = session.revision();
        if self.provenance.as_ref().is_none_or(|(r, _)| *r != revision) {
            // Unreadable provenance shows as unknown; the table is still the table.
            let map = session
                .provenance_of_kind(RecordKind::Project)
                .unwrap_or_default();
            self.provenance = Some((revision, map));
        }
        &self.provenance.get_or_insert_with(Default::default).1
    }

    fn table(&mut self, ui: &mut Ui, lang: Lang, session: &Session, out: &mut Vec<ProjectCommand>) {
        self.provenance(session);
        // Taken out while the rows borrow the window, put back below.
        let cached = self.provenance.take().unwrap_or_default();
        let provenance = &cached.1;
        let zone = LocalZone::system();
        let rows = self.rows(session);
        let summaries = session.summaries_now();
        let mut sort = self.sort;
        let mut select = None;
        egui::ScrollArea::vertical()
            .id_salt("linli-projects-table")
            .max_height(220.0)
            .show(ui, |ui| {
                egui::Grid::new("linli-projects-grid")
                    .striped(true)
                    .num_columns(7)
                    .show(ui, |ui| {
                        for (key, text) in [
                            (SortKey::Code, T::Code),
                            (SortKey::Name, T::Name),
                            (SortKey::Street, T::Street),
                            (SortKey::Stage, T::Stage),
                            (SortKey::Year, T::Year),
                            (SortKey::Budget, T::Budget),
                        ] {
                            super::table::sort_head(ui, lang, text.get(lang), key, &mut sort);
                        }
                        ui.label(RichText::new(T::LastChanged.get(lang)).strong());
                        ui.end_row();
                        for p in rows {
                            let selected = self.selected == Some(p.id);
                            let r = ui.selectable_label(selected, &p.code);
                            if r.clicked() {
                                select = Some(p.id);
                            }
                            if r.double_clicked() {
                                out.push(ProjectCommand::ZoomTo(p.code.clone()));
                            }
                            ui.label(&p.name);
                            let streets = summaries.get(&p.code).map(|s| &s.streets);
                            ui.label(match streets.map(|s| s.len()) {
                                Some(0) | None => String::from("—"),
                                Some(1) => streets
                                    .and_then(|s| s.iter().next().cloned())
                                    .unwrap_or_default(),
                                Some(_) => T::Several.get(lang).to_string(),
                            });
                            ui.label(stage_name(lang, session.workflows().of(p), &p.stage));
                            ui.label(p.year.map(|y| y.to_string()).unwrap_or_default());
                            ui.label(p.budget_wan.map(|b| b.to_string()).unwrap_or_default());
                            match provenance.get(&p.id) {
                                Some(made) if !made.changed.is_unknown() => {
                                    let who = if made.changed.by.is_empty() {
                                        made.changed.workspace_name.clone()
                                    } else {
                                        format!(
                                            "{} · {}",
                                            made.changed.by, made.changed.workspace_name
                                        )
                                    };
                                    ui.label(who).on_hover_text(stamp_text(
                                        lang,
                                        &made.changed,
                                        &zone,
                                    ));
                                }
                                _ => {
                                    ui.label("—");
                                }
                            }
                            ui.end_row();
                        }
                    });
            });
        self.sort = sort;
        self.provenance = Some(cached);
        if let Some(id) = select {
            self.select(Some(id));
            out.push(ProjectCommand::Select(Some(id)));
            if let Some(p) = session.project(id) {
                out.push(ProjectCommand::ZoomTo(p.code.clone()));
            }
        }
    }

    /// Keeps the draft on the selected project; an unchanged draft follows the record (after
    /// an undo, say), a changed one is kept until saved or reverted.
    fn sync_draft(&mut self, session: &Session) {
        if let Some(d) = self.draft.as_ref().filter(|d| d.is_new) {
            // A new record stays a draft until the session has it (a refused save keeps
            // what was typed).
            if let Some(saved) = session.project(d.base.id) {
                self.selected = Some(saved.id);
                self.draft = Some(Draft::of(saved, false));
            }
            return;
        }
        let Some(current) = self.selected.and_then(|id| session.project(id)) else {
            self.draft = None;
            return;
        };
        let stale = match &self.draft {
            Some(d) => {
                let typed = d.to_project(session.workflows()).0;
                // The draft follows the record when it was clean, or when what it holds is
                // what the record now is (its save landed; the history is the session's).
                let landed = Project {
                    history: current.history.clone(),
                    ..typed.clone()
                } == *current;
                d.base.id != current.id || (d.base != *current && (typed == d.base || landed))
            }
            None => true,
        };
        if stale {
            self.draft = Some(Draft::of(current, false));
        }
    }

    fn record(&mut self, ui: &mut Ui, input: &ProjectsInput<'_>, out: &mut Vec<ProjectCommand>) {
        let (lang, session) = (input.lang, input.session);
        let Some(mut draft) = self.draft.take() else {
            ui.label(T::NoProjectSelected.get(lang));
            return;
        };
        let workflows = session.workflows();
        ui.heading(T::ProjectForm.get(lang));
        // The buttons come first, so they stay in view above a long form.
        let (project, problems) = draft.to_project(workflows);
        let dirty = draft.is_new || project != draft.base;
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    dirty && problems.is_empty(),
                    egui::Button::new(T::Save.get(lang)),
                )
                .clicked()
            {
                let command = if draft.is_new {
                    Command::project_from_features(project.clone(), &self.new_features)
                } else {
                    ProjectEdit::Update(project.clone()).into()
                };
                out.push(ProjectCommand::Apply(Box::new(command)));
                if draft.is_new {
                    self.selected = Some(project.id);
                    self.new_features.clear();
                    out.push(ProjectCommand::Select(Some(project.id)));
                }
            }
            if ui
                .add_enabled(dirty, egui::Button::new(T::Revert.get(lang)))
                .clicked()
            {
                draft = Draft::of(&draft.base.clone(), draft.is_new);
            }
            if ui
                .add_enabled(!draft.is_new, egui::Button::new(T::NextStage.get(lang)))
                .clicked()
            {
                let mut next = draft.clone();
                next.advance(workflows, &today_local());
                let (advanced, problems) = next.to_project(workflows);
                if problems.is_empty() {
                    out.push(ProjectCommand::Apply(Box::new(
                        ProjectEdit::Update(advanced).into(),
                    )));
                }
                draft = next;
            }
            if dirty {
                ui.label(RichText::new(T::Unsaved.get(lang)).italics());
            }
        });
        if !draft.is_new {
            // Guidance and the feature links next to the buttons: what the planner acts on.
            let guidance = session.gate_warnings(&draft.base);
            if !guidance.is_empty() {
                ui.label(RichText::new(T::Guidance.get(lang)).strong());
                let workflow = workflows.of(&draft.base);
                for w in &guidance {
                    ui.label(
                        RichText::new(gate_warning_text(lang, workflow, w))
                            .color(crate::gui::style::GUIDANCE_TEXT),
                    );
                }
            }
            self.links(ui, input, &draft.base, out);
            let today = today_local();
            let form = super::meeting_form::MeetingFormInput {
                lang,
                session,
                project: draft.base.id,
                today: &today,
                view: input.view,
                pinned: self.pinned_meeting,
                layers: &input.layers,
            };
            let asked =
                super::meeting_form::show(ui, &form, &mut self.meeting, &mut self.inputs_saver);
            out.extend(
                asked
                    .edits
                    .into_iter()
                    .map(|e| ProjectCommand::Apply(Box::new(e.into()))),
            );
            if let Some(pinned) = asked.show_pins {
                self.pinned_meeting = pinned;
            }
            out.extend(asked.go_to.map(ProjectCommand::GoToView));
            out.extend(
                asked
                    .present
                    .map(|(meeting, slides)| ProjectCommand::Present(meeting, slides)),
            );
            out.extend(asked.record_input.map(ProjectCommand::RecordInput));
            ui.separator();
            let attach = self.attachments.show(ui, lang, session, draft.base.id);
            out.extend(
                attach
                    .into_iter()
                    .map(|c| ProjectCommand::Apply(Box::new(c))),
            );
            ui.separator();
            let alternatives = super::alternatives::AlternativesInput {
                lang,
                session,
                project: draft.base.id,
                draw_into: input.draw_into,
            };
            out.extend(
                self.alternatives
                    .show(ui, &alternatives)
                    .into_iter()
                    .map(|ask| {
                        use super::alternatives::AlternativeAsk;
                        match ask {
                            AlternativeAsk::Apply(command) => ProjectCommand::Apply(command),
                            AlternativeAsk::Compare(project) => ProjectCommand::Compare(project),
                            AlternativeAsk::DrawInto(a) => ProjectCommand::DrawInto(a),
                        }
                    }),
            );
            ui.separator();
        }
        project_form::show(ui, lang, session, &mut draft);
        if !draft.is_new {
            self.derived(ui, lang, session, &draft.base);
            self.provenance_lines(ui, lang, session, draft.base.id);
            ui.collapsing(T::History.get(lang), |ui| {
                let workflow = workflows.of(&draft.base);
                for entry in draft.base.history.iter().rev() {
                    ui.label(history_text(lang, workflow, entry));
                }
            });
        }
        self.draft = Some(draft);
    }

    fn links(
        &self,
        ui: &mut Ui,
        input: &ProjectsInput<'_>,
        project: &Project,
        out: &mut Vec<ProjectCommand>,
    ) {
        let lang = input.lang;
        let feature = input
            .selected_feature
            .and_then(|id| input.session.plan_feature(id));
        ui.horizontal(|ui| {
            let can_add = feature.is_some_and(|f| f.project.as_deref() != Some(&project.code));
            if ui
                .add_enabled(can_add, egui::Button::new(T::AddSelected.get(lang)))
                .clicked()
                && let Some(f) = feature
            {
                out.push(ProjectCommand::Apply(Box::new(
                    Edit::SetProject {
                        id: f.feature.id,
                        project: Some(project.code.clone()),
                    }
                    .into(),
                )));
            }
            let can_remove = feature.is_some_and(|f| f.project.as_deref() == Some(&project.code));
            if ui
                .add_enabled(can_remove, egui::Button::new(T::RemoveSelected.get(lang)))
                .clicked()
                && let Some(f) = feature
            {
                out.push(ProjectCommand::Apply(Box::new(
                    Edit::SetProject {
                        id: f.feature.id,
                        project: None,
                    }
                    .into(),
                )));
            }
            if ui.button(T::ZoomToProject.get(lang)).clicked() {
                out.push(ProjectCommand::ZoomTo(project.code.clone()));
            }
            if ui.button(T::DeleteProject.get(lang)).clicked() {
                out.push(ProjectCommand::Apply(Box::new(
                    ProjectEdit::Delete(project.id).into(),
                )));
                out.push(ProjectCommand::Select(None));
            }
        });
    }

    fn derived(&mut self, ui: &mut Ui, lang: Lang, session: &Session, project: &Project) {
        let Some(summary) = session.summaries_now().get(&project.code) else {
            return;
        };
        ui.label(RichText::new(T::Derived.get(lang)).strong());
        let list = |set: &std::collections::BTreeSet<String>| {
            let items: Vec<&str> = set.iter().map(String::as_str).collect();
            let sep = if lang == Lang::Zh { "、" } else { ", " };
            match items.len() {
                0 => "—".to_string(),
                1 => items.join(sep),
                _ => format!("{} {}", items.join(sep), T::Several.get(lang)),
            }
        };
        let elements: std::collections::BTreeSet<String> = summary
            .elements
            .iter()
            .map(|k| {
                session.catalog().get(k).map_or(k.clone(), |e| match lang {
                    Lang::Zh => e.name_zh.clone(),
                    Lang::En => e.name_en.clone(),
                })
            })
            .collect();
        for (label, value) in [
            (T::Features, summary.features.len().to_string()),
            (T::Street, list(&summary.streets)),
            (T::Community, list(&summary.communities)),
            (T::Elements, list(&elements)),
            (T::AreaTotal, area_text(lang, summary.area_m2)),
            (T::LengthTotal, length_text(lang, summary.length_m)),
        ] {
            ui.label(labelled(lang, label.get(lang), &value));
        }
    }

    /// Who made the project and who last changed it, when and in which workspace.
    fn provenance_lines(&mut self, ui: &mut Ui, lang: Lang, session: &Session, id: Uuid) {
        let zone = LocalZone::system();
        let made = self.provenance(session).get(&id).cloned();
        ui.label(RichText::new(T::Provenance.get(lang)).strong());
        let unknown = crate::model::provenance::Stamp::default();
        let (created, changed) = made
            .as_ref()
            .map_or((&unknown, &unknown), |p| (&p.created, &p.changed));
        for (label, stamp) in [(T::MadeBy, created), (T::LastChanged, changed)] {
            ui.label(labelled(
                lang,
                label.get(lang),
                &stamp_text(lang, stamp, &zone),
            ));
        }
    }

    /// The draft shown in the form (tests read it).
    pub fn draft(&self) -> Option<&Draft> {
        self.draft.as_ref()
    }
}

/// Amounts in order, a missing one first.
fn cmp_amount(a: Option<f64>, b: Option<f64>) -> std::cmp::Ordering {
    match (a, b) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
}
