//! The records window: the people table (人员名册), the meetings table and the annual task
//! list (年度任务清单), each sorted by a click on a column head, filtered by pickers and a
//! search box. A double-click on a person opens their page (projects, meetings, street teams,
//! tasks); on a meeting, its record with its tasks, where the decisions become tasks. What the
//! planner asks for comes back as the projects window's [`ProjectCommand`]s (a command to
//! apply; a project to select and show on the map), applied after the frame.

use std::collections::BTreeSet;

use egui::{RichText, Ui};
use uuid::Uuid;

use super::pickers::combo;
use super::projects::ProjectCommand;
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::{PeopleText as P, role_name, status_name};
use crate::i18n::projects::{ProjectText as T, meeting_kind_name};
use crate::model::meeting::Meeting;
use crate::model::people::{PersonRole, Task, TaskStatus, today_shanghai};
use crate::model::project::{MeetingKind, list_items};
use crate::session::{Command, ProjectPart, RecordEdit};

/// Which table the window shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    /// The people table.
    #[default]
    People,
    /// The meetings table.
    Meetings,
    /// The annual task list.
    Annual,
}

/// A table's sort: column index and direction (true: descending).
pub type Sort = (usize, bool);

/// The window's state between frames.
#[derive(Debug, Default)]
pub struct RecordsWindow {
    /// Whether the window is shown.
    pub open: bool,
    /// The table shown.
    pub tab: Tab,
    /// Search text (names, organisations, streets; places, agendas, decisions).
    pub search: String,
    /// People picker: role key.
    pub role: Option<String>,
    /// People picker: street team.
    pub street: Option<String>,
    /// Meetings picker: kind key.
    pub kind: Option<String>,
    /// Meetings picker and the annual list's year.
    pub year: Option<String>,
    /// The people table's sort.
    pub people_sort: Sort,
    /// The meetings table's sort.
    pub meetings_sort: Sort,
    /// The person whose page is open.
    pub person: Option<Uuid>,
    /// The meeting whose record is open.
    pub meeting: Option<Uuid>,
    /// Due dates being typed, by task.
    due: std::collections::BTreeMap<Uuid, String>,
    /// The person being added: name, role (none chosen: a planner), organisation, street
    /// teams.
    new_person: (String, Option<PersonRole>, String, String),
}

/// A column head that sorts the table it heads.
fn head(ui: &mut Ui, lang: Lang, text: &str, column: usize, sort: &mut Sort) {
    let arrow = match (sort.0 == column, sort.1) {
        (true, false) => T::SortAscending.get(lang),
        (true, true) => T::SortDescending.get(lang),
        (false, _) => "",
    };
    if ui
        .button(RichText::new(format!("{text}{arrow}")).strong())
        .clicked()
    {
        *sort = (column, sort.0 == column && !sort.1);
    }
}

/// Sorts rows by their `column`-th key, then by the whole key, descending when asked.
fn sort_rows<R>(rows: &mut [(Vec<String>, R)], sort: Sort) {
    rows.sort_by(|(a, _), (b, _)| {
        let order = a.get(sort.0).cmp(&b.get(sort.0)).then_with(|| a.cmp(b));
        if sort.1 { order.reverse() } else { order }
    });
}

/// A record table: its row count, column heads that sort it, and its rows, the first cell of
/// each a label whose double-click opens the record (returned).
fn record_table(
    ui: &mut Ui,
    lang: Lang,
    id: &str,
    heads: &[P],
    sort: &mut Sort,
    rows: Vec<(Vec<String>, Uuid)>,
) -> Option<Uuid> {
    ui.label(format!("{} {}", rows.len(), P::Shown.get(lang)));
    let mut open = None;
    egui::ScrollArea::vertical()
        .id_salt((id, "scroll"))
        .max_height(crate::gui::style::RECORD_TABLE_HEIGHT)
        .show(ui, |ui| {
            egui::Grid::new((id, "grid"))
                .striped(true)
                .num_columns(heads.len())
                .show(ui, |ui| {
                    for (i, text) in heads.iter().enumerate() {
                        head(ui, lang, text.get(lang), i, sort);
                    }
                    ui.end_row();
                    for (keys, record) in rows {
                        for (i, key) in keys.iter().enumerate() {
                            if i > 0 {
                                ui.label(key.trim());
                            } else if ui.selectable_label(false, key).double_clicked() {
                                open = Some(record);
                            }
                        }
                        ui.end_row();
                    }
                });
        });
    open
}

fn matches(needle: &str, texts: &[&str]) -> bool {
    needle.is_empty() || texts.iter().any(|t| t.to_lowercase().contains(needle))
}

impl RecordsWindow {
    /// The window, when open.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        session: &Session,
    ) -> Vec<ProjectCommand> {
        let mut out = Vec::new();
        if !self.open {
            return out;
        }
        let before = (
            self.tab,
            self.person,
            self.meeting,
            self.people_sort,
            self.meetings_sort,
        );
        let mut open = self.open;
        egui::Window::new(P::RecordsTitle.get(lang))
            .id(egui::Id::unique("linli-records-window"))
            .open(&mut open)
            .default_size([620.0, 640.0])
            .vscroll(true)
            .show(ctx, |ui| self.contents(ui, lang, session, &mut out));
        self.open = open;
        if (
            self.tab,
            self.person,
            self.meeting,
            self.people_sort,
            self.meetings_sort,
        ) != before
        {
            ctx.request_repaint();
        }
        out
    }

    fn contents(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        out: &mut Vec<ProjectCommand>,
    ) {
        ui.horizontal(|ui| {
            for (tab, text) in [
                (Tab::People, P::People),
                (Tab::Meetings, P::Meetings),
                (Tab::Annual, P::AnnualList),
            ] {
                if ui
                    .selectable_label(self.tab == tab, text.get(lang))
                    .clicked()
                {
                    self.tab = tab;
                    self.person = None;
                    self.meeting = None;
                }
            }
        });
        ui.separator();
        if let Some(id) = self.person {
            self.person_page(ui, lang, session, id, out);
        } else if let Some(id) = self.meeting {
            self.meeting_record(ui, lang, session, id, out);
        } else {
            match self.tab {
                Tab::People => {
                    self.people_table(ui, lang, session);
                    ui.separator();
                    self.add_person(ui, lang, out);
                }
                Tab::Meetings => self.meetings_table(ui, lang, session),
                Tab::Annual => self.annual_list(ui, lang, session),
            }
        }
    }

    fn search_box(&mut self, ui: &mut Ui, lang: Lang) {
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

    fn people_table(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
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
    fn add_person(&mut self, ui: &mut Ui, lang: Lang, out: &mut Vec<ProjectCommand>) {
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

    /// The meetings the pickers and the search keep, sorted: (sort keys, id).
    pub fn meeting_rows(&self, lang: Lang, session: &Session) -> Vec<(Vec<String>, Uuid)> {
        let needle = self.search.trim().to_lowercase();
        let mut rows: Vec<(Vec<String>, Uuid)> = session
            .meetings()
            .into_iter()
            .filter(|m| self.kind.as_ref().is_none_or(|k| m.kind.key() == k))
            .filter(|m| {
                self.year
                    .as_ref()
                    .is_none_or(|y| m.date.starts_with(y.as_str()))
            })
            .filter(|m| {
                let texts = [
                    &m.place,
                    &m.agenda,
                    &m.decisions,
                    &m.attendees,
                    &m.chair,
                    &m.departments,
                ];
                matches(&needle, &texts.map(String::as_str))
            })
            .map(|m| {
                let code = m
                    .project
                    .and_then(|p| session.project(p))
                    .map(|p| p.code.clone())
                    .unwrap_or_default();
                let keys = vec![
                    m.date.clone(),
                    meeting_kind_name(lang, m.kind).to_string(),
                    code,
                    m.place.clone(),
                    m.chair.clone(),
                    format!(
                        "{:>6}",
                        m.attendance.map(|a| a.to_string()).unwrap_or_default()
                    ),
                ];
                (keys, m.id)
            })
            .collect();
        sort_rows(&mut rows, self.meetings_sort);
        rows
    }

    fn meetings_table(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        let kinds: Vec<(String, String)> = MeetingKind::ALL
            .iter()
            .map(|k| (k.key().to_string(), meeting_kind_name(lang, *k).to_string()))
            .collect();
        let years: BTreeSet<String> = session
            .meetings()
            .iter()
            .filter_map(|m| m.date.get(..4).map(str::to_string))
            .collect();
        let years: Vec<(String, String)> = years.into_iter().map(|y| (y.clone(), y)).collect();
        ui.horizontal_wrapped(|ui| {
            self.search_box(ui, lang);
            combo(ui, lang, P::Kind.get(lang), &mut self.kind, &kinds);
            combo(ui, lang, P::Year.get(lang), &mut self.year, &years);
        });
        let rows = self.meeting_rows(lang, session);
        let heads = [
            P::Date,
            P::Kind,
            P::Project,
            P::Place,
            P::Chair,
            P::Attendance,
        ];
        let open = record_table(
            ui,
            lang,
            "linli-meetings",
            &heads,
            &mut self.meetings_sort,
            rows,
        );
        if open.is_some() {
            self.meeting = open;
        }
    }

    /// The "back to the table" button; true when clicked (the page is closed).
    fn back(&mut self, ui: &mut Ui, lang: Lang) -> bool {
        let clicked = ui.button(P::Back.get(lang)).clicked();
        if clicked {
            self.person = None;
            self.meeting = None;
        }
        clicked
    }

    fn person_page(
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

    fn meeting_record(
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
        let Some(m) = session.meeting(id) else {
            self.meeting = None;
            return;
        };
        ui.heading(format!(
            "{} · {} {}",
            P::MeetingRecord.get(lang),
            m.date,
            meeting_kind_name(lang, m.kind)
        ));
        meeting_fields(ui, lang, session, m);
        ui.separator();
        ui.horizontal(|ui| {
            ui.strong(P::Tasks.get(lang));
            let make = session.tasks_from_decisions(id);
            if ui
                .add_enabled(
                    make.is_some(),
                    egui::Button::new(P::TasksFromDecisions.get(lang)),
                )
                .clicked()
                && let Some(command) = make
            {
                out.push(ProjectCommand::Apply(Box::new(command)));
            }
        });
        let tasks = session.tasks_of_meeting(id);
        self.task_list(ui, lang, session, &tasks, out);
    }

    /// Tasks with their status, owner and due date editable (each change one command), the
    /// overdue ones marked.
    fn task_list(
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
        let today = today_shanghai();
        let mut owners: Vec<String> = session.people().iter().map(|p| p.name.clone()).collect();
        owners.extend(session.organisations().iter().map(|o| o.name.clone()));
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
                        ui.add(egui::TextEdit::singleline(due).desired_width(90.0))
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

    fn annual_list(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        let mut years: BTreeSet<i32> = session.projects().values().filter_map(|p| p.year).collect();
        years.extend(session.tasks().iter().filter_map(|t| session.task_year(t)));
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
        let today = today_shanghai();
        ui.heading(format!("{year} {}", P::AnnualList.get(lang)));
        for street in session.annual_list(year, &today) {
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

/// A meeting's fields, read-only (the projects window's meeting form records them).
fn meeting_fields(ui: &mut Ui, lang: Lang, session: &Session, m: &Meeting) {
    let project = m
        .project
        .and_then(|p| session.project(p))
        .map(|p| format!("{} {}", p.code, p.name))
        .unwrap_or_default();
    let attendance = m.attendance.map(|a| a.to_string()).unwrap_or_default();
    for (label, value) in [
        (P::Project.get(lang), project.as_str()),
        (P::Place.get(lang), m.place.as_str()),
        (P::Chair.get(lang), m.chair.as_str()),
        (P::Attendance.get(lang), attendance.as_str()),
        (T::Departments.get(lang), m.departments.as_str()),
        (P::Decisions.get(lang), m.decisions.as_str()),
        (T::Comments.get(lang), m.comments.as_str()),
    ] {
        if !value.is_empty() {
            ui.label(crate::i18n::labelled(lang, label, value));
        }
    }
    if !m.attendees.is_empty() {
        ui.label(crate::i18n::labelled(
            lang,
            P::Attendees.get(lang),
            &m.attendees,
        ));
    }
}
