//! The records window: the people table (人员名册), the organisations table, the meetings
//! table and the annual task list (年度任务清单), each sorted by a click on a column head,
//! filtered by pickers and a search box. A double-click on a person opens their page
//! (projects, meetings, street teams, tasks); on a meeting, its record with its tasks, where
//! the decisions become tasks. People and organisations are added, edited and deleted in the
//! roster form (`person_form`), opened from the tables and a person's page. What the
//! planner asks for comes back as the projects window's [`ProjectCommand`]s (a command to
//! apply; a project to select and show on the map), applied after the frame.

use egui::Ui;
use uuid::Uuid;

use super::projects::ProjectCommand;
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::PeopleText as P;

mod meetings;
mod people;
pub mod person_form;
mod tasks;

use person_form::RosterForm;

/// Which table the window shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Tab {
    /// The people table.
    #[default]
    People,
    /// The organisations table.
    Organisations,
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
    /// The organisations table's sort.
    pub orgs_sort: Sort,
    /// The person whose page is open.
    pub person: Option<Uuid>,
    /// The meeting whose record is open.
    pub meeting: Option<Uuid>,
    /// Due dates being typed, by task.
    due: std::collections::BTreeMap<Uuid, String>,
    /// The roster form, when a person or an organisation is being added or edited.
    pub form: Option<RosterForm>,
    /// The annual task list's export (CSV, Excel).
    pub saver: crate::gui::save::ExportSaver,
}

/// What a click in a record table asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RowAction {
    /// Open the record's page (a double-click on its first cell).
    Open(Uuid),
    /// Edit the record (its row's edit button).
    Edit(Uuid),
}

/// Sorts rows by their `column`-th key, then by the whole key, descending when asked.
fn sort_rows<R>(rows: &mut [(Vec<String>, R)], sort: Sort) {
    rows.sort_by(|(a, _), (b, _)| {
        let order = a.get(sort.0).cmp(&b.get(sort.0)).then_with(|| a.cmp(b));
        if sort.1 { order.reverse() } else { order }
    });
}

/// A record table: its row count, column heads that sort it, and its rows, the first cell of
/// each a label whose double-click opens the record, and with `editable` an edit button last.
fn record_table(
    ui: &mut Ui,
    lang: Lang,
    id: &str,
    heads: &[P],
    sort: &mut Sort,
    rows: Vec<(Vec<String>, Uuid)>,
    editable: bool,
) -> Option<RowAction> {
    ui.label(format!("{} {}", rows.len(), P::Shown.get(lang)));
    let mut action = None;
    egui::ScrollArea::vertical()
        .id_salt((id, "scroll"))
        .max_height(crate::gui::style::RECORD_TABLE_HEIGHT)
        .show(ui, |ui| {
            egui::Grid::new((id, "grid"))
                .striped(true)
                .num_columns(heads.len() + usize::from(editable))
                .show(ui, |ui| {
                    for (i, text) in heads.iter().enumerate() {
                        super::table::sort_head(ui, lang, text.get(lang), i, sort);
                    }
                    ui.end_row();
                    for (keys, record) in rows {
                        for (i, key) in keys.iter().enumerate() {
                            if i > 0 {
                                ui.label(key.trim());
                            } else if ui.selectable_label(false, key).double_clicked() {
                                action = Some(RowAction::Open(record));
                            }
                        }
                        if editable && ui.small_button(P::Edit.get(lang)).clicked() {
                            action = Some(RowAction::Edit(record));
                        }
                        ui.end_row();
                    }
                });
        });
    action
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
        self.saver.show(ctx, lang, session);
        if !self.open {
            return out;
        }
        let before = self.signature();
        let mut open = self.open;
        egui::Window::new(P::RecordsTitle.get(lang))
            .id(egui::Id::unique("linli-records-window"))
            .open(&mut open)
            .default_size([620.0, 640.0])
            .vscroll(true)
            .show(ctx, |ui| self.contents(ui, lang, session, &mut out));
        self.open = open;
        // A click that opened a page or a form changed what this frame drew.
        if self.signature() != before {
            ctx.request_repaint();
        }
        out
    }

    /// What decides the window's layout, to know when a frame must be drawn again.
    fn signature(&self) -> (Tab, Option<Uuid>, Option<Uuid>, [Sort; 3], Option<bool>) {
        (
            self.tab,
            self.person,
            self.meeting,
            [self.people_sort, self.meetings_sort, self.orgs_sort],
            self.form.as_ref().map(|f| f.confirm_delete),
        )
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
                (Tab::Organisations, P::Organisations),
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
                    self.form = None;
                }
            }
        });
        ui.separator();
        if let Some(form) = self.form.as_mut() {
            let asked = person_form::show(ui, lang, session, form);
            if let Some(command) = asked.command {
                out.push(ProjectCommand::Apply(Box::new(command)));
            }
            if asked.close {
                self.form = None;
            }
            return;
        }
        if (self.person.is_some() || self.meeting.is_some()) && self.back(ui, lang) {
            return;
        }
        if let Some(id) = self.person {
            self.person_page(ui, lang, session, id, out);
        } else if let Some(id) = self.meeting {
            self.meeting_record(ui, lang, session, id, out);
        } else {
            match self.tab {
                Tab::People => self.people_table(ui, lang, session),
                Tab::Organisations => self.organisations_table(ui, lang, session),
                Tab::Meetings => self.meetings_table(ui, lang, session),
                Tab::Annual => self.annual_list(ui, lang, session),
            }
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
}
