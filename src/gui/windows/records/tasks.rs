//! Task lists (a person's, a meeting's; each change one command) and the annual task list.

use std::collections::BTreeSet;

use egui::Ui;

use super::super::pickers::combo;
use super::super::projects::ProjectCommand;
use super::RecordsWindow;
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::{PeopleText as P, status_name};
use crate::model::people::{Task, TaskStatus, today_local};
use crate::session::{Command, RecordEdit};

impl RecordsWindow {
    /// Tasks with their status, owner and due date editable (each change one command), the
    /// overdue ones marked.
    pub(super) fn task_list(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        tasks: &[&Task],
        out: &mut Vec<ProjectCommand>,
    ) {
        if tasks.is_empty() {
            ui.label(P::Nothing.get(lang));
            return;
        }
        let today = today_local();
        let mut owners: Vec<String> = session
            .records()
            .people()
            .iter()
            .map(|p| p.name.clone())
            .collect();
        owners.extend(
            session
                .records()
                .organisations()
                .iter()
                .map(|o| o.name.clone()),
        );
        egui::Grid::new(("linli-task-grid", tasks.first().map(|t| t.id)))
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for text in [P::Task, P::Owner, P::Due, P::Status, P::Overdue] {
                    ui.strong(text.get(lang));
                }
                ui.end_row();
                for t in tasks {
                    ui.label(&t.title);
                    let mut edited = (*t).clone();
                    ui.name_inputs(format!("{} {}", P::Owner.get(lang), t.title), |ui| {
                        egui::ComboBox::from_id_salt(("linli-task-owner", t.id))
                            .selected_text(&t.owner)
                            .show_ui(ui, |ui| {
                                for o in &owners {
                                    ui.selectable_value(&mut edited.owner, o.clone(), o);
                                }
                            });
                    });
                    let due = self.due.entry(t.id).or_insert_with(|| t.due.clone());
                    let r = ui.name_inputs(format!("{} {}", P::Due.get(lang), t.title), |ui| {
                        ui.add_sized(
                            [
                                super::super::project_form::DATE_WIDTH,
                                ui.spacing().interact_size.y,
                            ],
                            egui::TextEdit::singleline(due),
                        )
                    });
                    if r.lost_focus() && due.trim() != t.due {
                        edited.due = due.trim().to_string();
                    }
                    ui.name_inputs(format!("{} {}", P::Status.get(lang), t.title), |ui| {
                        egui::ComboBox::from_id_salt(("linli-task-status", t.id))
                            .selected_text(status_name(lang, edited.status))
                            .show_ui(ui, |ui| {
                                for s in TaskStatus::ALL {
                                    ui.selectable_value(
                                        &mut edited.status,
                                        *s,
                                        status_name(lang, *s),
                                    );
                                }
                            });
                    });
                    if t.is_overdue(&today) {
                        ui.colored_label(crate::gui::style::OVERDUE_TEXT, P::OverdueMark.get(lang));
                    } else {
                        ui.label("");
                    }
                    ui.end_row();
                    if edited != **t {
                        self.due.remove(&t.id);
                        let command = Command::Task(RecordEdit::Update(edited));
                        out.push(ProjectCommand::Apply(Box::new(command)));
                    }
                }
            });
    }

    pub(super) fn annual_list(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        let mut years: BTreeSet<i32> = session.projects().values().filter_map(|p| p.year).collect();
        years.extend(
            session
                .records()
                .tasks()
                .iter()
                .filter_map(|t| session.records().task_year(t)),
        );
        let options: Vec<(String, String)> = years
            .iter()
            .rev()
            .map(|y| (y.to_string(), y.to_string()))
            .collect();
        if self.year.is_none() {
            self.year = years.iter().next_back().map(|y| y.to_string());
        }
        combo(ui, lang, P::Year.get(lang), &mut self.year, &options);
        let Some(year) = self.year.as_ref().and_then(|y| y.parse().ok()) else {
            return;
        };
        let today = today_local();
        if let Some(format) = self.saver.table_buttons(ui, lang) {
            let filter = crate::session::TaskFilter {
                year: Some(year),
                ..Default::default()
            };
            let rows = session.records().task_table(&filter, &today);
            let file = crate::session::task_table_file(&rows, lang);
            self.saver
                .start_table(&file, format, &format!("{}-{year}", file.sheet));
        }
        ui.heading(format!("{year} {}", P::AnnualList.get(lang)));
        for street in session.records().annual_list(year, &today) {
            let name = if street.street.is_empty() {
                P::NoStreet.get(lang).to_string()
            } else {
                street.street.clone()
            };
            ui.separator();
            ui.strong(name);
            for p in &street.projects {
                let stage =
                    crate::i18n::projects::stage_name(lang, session.workflows().of(p), &p.stage);
                ui.label(format!("{} {} · {stage}", p.code, p.name));
            }
            for (t, overdue) in &street.tasks {
                ui.horizontal(|ui| {
                    ui.label(format!(
                        "{} {} · {} · {}",
                        t.due,
                        t.title,
                        t.owner,
                        status_name(lang, t.status)
                    ));
                    if *overdue {
                        ui.colored_label(crate::gui::style::OVERDUE_TEXT, P::OverdueMark.get(lang));
                    }
                });
            }
        }
    }
}
