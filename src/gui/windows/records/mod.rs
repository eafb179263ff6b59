//! The records window: the people table (人员名册), the meetings table and the annual task
//! list (年度任务清单), each sorted by a click on a column head, filtered by pickers and a
//! search box. A double-click on a person opens their page (projects, meetings, street teams,
//! tasks); on a meeting, its record with its tasks, where the decisions become tasks. What the
//! planner asks for comes back as the projects window's [`ProjectCommand`]s (a command to
//! apply; a project to select and show on the map), applied after the frame.

use egui::{RichText, Ui};
use uuid::Uuid;

use super::projects::ProjectCommand;
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::PeopleText as P;
use crate::i18n::projects::ProjectText as T;
use crate::model::people::PersonRole;

mod meetings;
mod people;
mod tasks;

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
