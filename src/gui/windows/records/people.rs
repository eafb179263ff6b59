//! The people table, the form below it that puts someone on the roster, and a person's page.

use egui::Ui;
use uuid::Uuid;

use super::super::pickers::combo;
use super::super::projects::ProjectCommand;
use super::{RecordsWindow, matches, record_table, sort_rows};
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::{PeopleText as P, role_name};
use crate::i18n::projects::meeting_kind_name;
use crate::model::people::{PersonRole, Task};
use crate::model::project::list_items;
use crate::session::{Command, ProjectPart, RecordEdit};

impl RecordsWindow {
    pub(super) fn search_box(&mut self, ui: &mut Ui, lang: Lang) {
        let l = ui.label(P::Search.get(lang));
        ui.add(egui::TextEdit::singleline(&mut self.search).desired_width(160.0))
            .labelled_by(l.id);
    }

    /// The people the pickers and the search keep, sorted: (sort keys, id).
    pub fn people_rows(&self, lang: Lang, session: &Session) -> Vec<(Vec<String>, Uuid)> {
        let needle = self.search.trim().to_lowercase();
        let mut rows: Vec<(Vec<String>, Uuid)> = session
            .people()
            .into_iter()
            .filter(|p| self.role.as_ref().is_none_or(|r| p.role.key() == r))
            .filter(|p| {
                self.street
                    .as_ref()
                    .is_none_or(|s| list_items(&p.streets).contains(&s.as_str()))
            })
            .filter(|p| matches(&needle, &[&p.name, &p.organisation, &p.streets, &p.notes]))
            .map(|p| {
                let keys = vec![
                    p.name.clone(),
                    role_name(lang, p.role).to_string(),
                    p.organisation.clone(),
                    p.streets.clone(),
                ];
                (keys, p.id)
            })
            .collect();
        sort_rows(&mut rows, self.people_sort);
        rows
    }

    pub(super) fn people_table(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        let roles: Vec<(String, String)> = PersonRole::ALL
            .iter()
            .map(|r| (r.key().to_string(), role_name(lang, *r).to_string()))
            .collect();
        let streets: Vec<(String, String)> = session
            .street_teams()
            .into_keys()
            .map(|s| (s.clone(), s))
            .collect();
        ui.horizontal_wrapped(|ui| {
            self.search_box(ui, lang);
            combo(ui, lang, P::Role.get(lang), &mut self.role, &roles);
            combo(ui, lang, P::Streets.get(lang), &mut self.street, &streets);
        });
        let rows = self.people_rows(lang, session);
        let heads = [P::Name, P::Role, P::Organisation, P::Streets];
        let open = record_table(
            ui,
            lang,
            "linli-people",
            &heads,
            &mut self.people_sort,
            rows,
        );
        if open.is_some() {
            self.person = open;
        }
    }

    /// The form that puts someone on the roster (one command; a taken name is refused and
    /// said in the status bar).
    pub(super) fn add_person(&mut self, ui: &mut Ui, lang: Lang, out: &mut Vec<ProjectCommand>) {
        let (name, role, organisation, streets) = &mut self.new_person;
        let mut chosen = role.unwrap_or(PersonRole::Planner);
        ui.strong(P::AddPerson.get(lang));
        ui.horizontal_wrapped(|ui| {
            for (label, text) in [
                (P::Name, &mut *name),
                (P::Organisation, &mut *organisation),
                (P::Streets, &mut *streets),
            ] {
                let l = ui.label(label.get(lang));
                ui.add(egui::TextEdit::singleline(text).desired_width(110.0))
                    .labelled_by(l.id);
            }
            let l = ui.label(P::Role.get(lang));
            egui::ComboBox::from_id_salt("linli-new-person-role")
                .selected_text(role_name(lang, chosen))
                .show_ui(ui, |ui| {
                    for r in PersonRole::ALL {
                        ui.selectable_value(&mut chosen, *r, role_name(lang, *r));
                    }
                })
                .response
                .labelled_by(l.id);
        });
        *role = Some(chosen);
        let ready = !name.trim().is_empty();
        if ui
            .add_enabled(ready, egui::Button::new(P::Save.get(lang)))
            .clicked()
        {
            let role_key = chosen;
            let person = crate::model::people::Person {
                organisation: organisation.trim().to_string(),
                streets: streets.trim().to_string(),
                ..crate::model::people::Person::new(name, role_key)
            };
            let command = Command::Person(RecordEdit::Add(person));
            out.push(ProjectCommand::Apply(Box::new(command)));
            self.new_person = Default::default();
        }
    }

    pub(super) fn person_page(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        id: Uuid,
        out: &mut Vec<ProjectCommand>,
    ) {
        if self.back(ui, lang) {
            return;
        }
        let Some(page) = session.person_page(id) else {
            self.person = None;
            return;
        };
        let p = page.person;
        ui.horizontal(|ui| {
            ui.heading(format!("{} · {}", p.name, role_name(lang, p.role)));
            if ui.button(P::Delete.get(lang)).clicked() {
                let command = Command::Person(RecordEdit::Delete(p.id));
                out.push(ProjectCommand::Apply(Box::new(command)));
                self.person = None;
            }
        });
        let line = |ui: &mut Ui, label: P, value: &str| {
            ui.label(crate::i18n::labelled(lang, label.get(lang), value));
        };
        line(ui, P::Organisation, &p.organisation);
        line(ui, P::Streets, &page.streets.join("、"));
        if !p.contact.is_empty() {
            line(ui, P::Contact, &p.contact);
        }
        if !p.notes.is_empty() {
            line(ui, P::Notes, &p.notes);
        }
        ui.separator();
        ui.strong(P::PersonProjects.get(lang));
        if page.projects.is_empty() {
            ui.label(P::Nothing.get(lang));
        }
        for (project, part) in &page.projects {
            let part = match part {
                ProjectPart::Mentor => P::AsMentor,
                ProjectPart::Planner => P::AsPlanner,
                ProjectPart::DesignTeam => P::AsDesignTeam,
            };
            let text = format!("{} {}（{}）", project.code, project.name, part.get(lang));
            let r = ui.selectable_label(false, text);
            if r.clicked() {
                out.push(ProjectCommand::Select(Some(project.id)));
            }
            if r.double_clicked() {
                out.push(ProjectCommand::ZoomTo(project.code.clone()));
            }
        }
        ui.separator();
        ui.strong(P::PersonMeetings.get(lang));
        if page.meetings.is_empty() {
            ui.label(P::Nothing.get(lang));
        }
        let mut open = None;
        for m in &page.meetings {
            let text = format!("{} {} {}", m.date, meeting_kind_name(lang, m.kind), m.place);
            if ui.selectable_label(false, text).double_clicked() {
                open = Some(m.id);
            }
        }
        ui.separator();
        ui.strong(P::Tasks.get(lang));
        let tasks: Vec<&Task> = page.tasks.clone();
        self.task_list(ui, lang, session, &tasks, out);
        if let Some(m) = open {
            self.person = None;
            self.meeting = Some(m);
        }
    }
}
