//! The people table, the organisations table and a person's page; each opens the roster form
//! to add, edit or delete an entry.

use egui::Ui;
use uuid::Uuid;

use super::super::pickers::combo;
use super::super::projects::ProjectCommand;
use super::person_form::{Entry, RosterForm};
use super::{RecordsWindow, RowAction, matches, record_table, sort_rows};
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::{PeopleText as P, org_kind_name, role_name};
use crate::i18n::projects::meeting_kind_name;
use crate::model::people::{PersonRole, Task};
use crate::model::project::list_items;
use crate::session::ProjectPart;

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
            .records()
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
            .records()
            .street_teams()
            .into_keys()
            .map(|s| (s.clone(), s))
            .collect();
        ui.horizontal_wrapped(|ui| {
            self.search_box(ui, lang);
            combo(ui, lang, P::Role.get(lang), &mut self.role, &roles);
            combo(ui, lang, P::Streets.get(lang), &mut self.street, &streets);
        });
        if ui.button(P::AddPerson.get(lang)).clicked() {
            self.form = Some(RosterForm::new_person());
        }
        let rows = self.people_rows(lang, session);
        let heads = [P::Name, P::Role, P::Organisation, P::Streets];
        let sort = &mut self.people_sort;
        match record_table(ui, lang, "linli-people", &heads, sort, rows, true) {
            Some(RowAction::Open(id)) => self.person = Some(id),
            Some(RowAction::Edit(id)) => self.edit_person(session, id, false),
            None => {}
        }
    }

    /// Opens the roster form on person `id` (asking to delete them, with `delete`).
    fn edit_person(&mut self, session: &Session, id: Uuid, delete: bool) {
        if let Some(p) = session.records().person(id) {
            let mut form = RosterForm::editing(Entry::Person(p.clone()));
            form.confirm_delete = delete;
            self.form = Some(form);
        }
    }

    /// The organisations the search keeps, sorted: (sort keys, id).
    pub fn organisation_rows(&self, lang: Lang, session: &Session) -> Vec<(Vec<String>, Uuid)> {
        let needle = self.search.trim().to_lowercase();
        let people = session.records().people();
        let mut rows: Vec<(Vec<String>, Uuid)> = session
            .records()
            .organisations()
            .into_iter()
            .filter(|o| matches(&needle, &[&o.name, &o.notes]))
            .map(|o| {
                let members = people
                    .iter()
                    .filter(|p| p.organisation.trim() == o.name)
                    .count();
                let keys = vec![
                    o.name.clone(),
                    org_kind_name(lang, o.kind).to_string(),
                    format!("{members:>6}"),
                    o.notes.clone(),
                ];
                (keys, o.id)
            })
            .collect();
        sort_rows(&mut rows, self.orgs_sort);
        rows
    }

    pub(super) fn organisations_table(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        ui.horizontal_wrapped(|ui| {
            self.search_box(ui, lang);
            if ui.button(P::AddOrganisation.get(lang)).clicked() {
                self.form = Some(RosterForm::new_organisation());
            }
        });
        let rows = self.organisation_rows(lang, session);
        let heads = [P::OrgName, P::Kind, P::Members, P::Notes];
        let sort = &mut self.orgs_sort;
        // An organisation has no page of its own: a double-click edits it too.
        if let Some(RowAction::Open(id) | RowAction::Edit(id)) =
            record_table(ui, lang, "linli-orgs", &heads, sort, rows, true)
            && let Some(o) = session.records().organisation(id)
        {
            self.form = Some(RosterForm::editing(Entry::Organisation(o.clone())));
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
        let Some(page) = session.records().person_page(id) else {
            self.person = None;
            return;
        };
        let p = page.person;
        // Some(delete): open the roster form on them, asking to delete with `delete`.
        let mut edit = None;
        ui.horizontal(|ui| {
            ui.heading(format!("{} · {}", p.name, role_name(lang, p.role)));
            if ui.button(P::Edit.get(lang)).clicked() {
                edit = Some(false);
            }
            if ui.button(P::Delete.get(lang)).clicked() {
                edit = Some(true);
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
        if let Some(delete) = edit {
            self.edit_person(session, id, delete);
        }
    }
}
