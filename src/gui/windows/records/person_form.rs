//! The roster form: one person (name, role or tier, organisation, street teams, contact,
//! notes) or organisation (name, kind, notes) added or edited from the records window. A
//! name that is empty or taken is said beside the field before it can be saved; saving is one
//! command (a rename follows into every record that names them, in the same undo step); a
//! delete first says how many records name them.

use egui::{RichText, Ui};

use super::super::roster_picker::{self as roster, Choice, Field, Names};
use crate::Session;
use crate::error::Problem;
use crate::i18n::Lang;
use crate::i18n::errors::problem_message;
use crate::i18n::people::{PeopleText as P, delete_question, org_kind_name, role_name};
use crate::model::people::{OrgKind, Organisation, Person, PersonRole};
use crate::session::{Command, RecordEdit};

/// The roster entry a form edits.
#[derive(Debug, Clone, PartialEq)]
pub enum Entry {
    /// A person.
    Person(Person),
    /// An organisation.
    Organisation(Organisation),
}

impl Entry {
    fn name(&self) -> &str {
        match self {
            Self::Person(p) => &p.name,
            Self::Organisation(o) => &o.name,
        }
    }
}

/// A roster form's state between frames.
#[derive(Debug, Clone, PartialEq)]
pub struct RosterForm {
    /// The entry as typed.
    pub entry: Entry,
    /// The entry as stored; `None` for one not yet on the roster.
    pub stored: Option<Entry>,
    /// True while the delete question is asked.
    pub confirm_delete: bool,
}

impl RosterForm {
    /// A form that adds a person (a planner until another role is chosen).
    pub fn new_person() -> Self {
        Self::adding(Entry::Person(Person::new("", PersonRole::Planner)))
    }

    /// A form that adds an organisation (a department until another kind is chosen).
    pub fn new_organisation() -> Self {
        Self::adding(Entry::Organisation(Organisation::new(
            "",
            OrgKind::Department,
        )))
    }

    fn adding(entry: Entry) -> Self {
        Self {
            entry,
            stored: None,
            confirm_delete: false,
        }
    }

    /// A form that edits `entry` as stored.
    pub fn editing(entry: Entry) -> Self {
        Self {
            entry: entry.clone(),
            stored: Some(entry),
            confirm_delete: false,
        }
    }

    /// The problem of the typed name, as the session would find it: empty, or another entry
    /// of its kind has it.
    pub fn problem(&self, session: &Session) -> Option<Problem> {
        let name = self.entry.name().trim();
        let (record, taken) = match &self.entry {
            Entry::Person(p) => (
                "person",
                session
                    .records()
                    .person_named(name)
                    .is_some_and(|o| o.id != p.id),
            ),
            Entry::Organisation(o) => (
                "organisation",
                session
                    .records()
                    .organisation_named(name)
                    .is_some_and(|other| other.id != o.id),
            ),
        };
        if name.is_empty() {
            return Some(Problem::RosterNameEmpty {
                record: record.into(),
            });
        }
        taken.then(|| Problem::RosterNameTaken {
            record: record.into(),
            name: name.to_string(),
        })
    }

    /// The command that saves the form (an add or an update).
    fn save(&self) -> Command {
        let new = self.stored.is_none();
        match self.entry.clone() {
            Entry::Person(p) if new => Command::Person(RecordEdit::Add(p)),
            Entry::Person(p) => Command::Person(RecordEdit::Update(p)),
            Entry::Organisation(o) if new => Command::Organisation(RecordEdit::Add(o)),
            Entry::Organisation(o) => Command::Organisation(RecordEdit::Update(o)),
        }
    }

    /// The command that deletes the stored entry, if there is one.
    fn delete(&self) -> Option<Command> {
        Some(match self.stored.as_ref()? {
            Entry::Person(p) => Command::Person(RecordEdit::Delete(p.id)),
            Entry::Organisation(o) => Command::Organisation(RecordEdit::Delete(o.id)),
        })
    }
}

/// What the form asked for.
#[derive(Debug, Default)]
pub struct FormOut {
    /// A command to apply (a save or a delete).
    pub command: Option<Command>,
    /// True when the form is done (saved, deleted or cancelled).
    pub close: bool,
}

/// Draws the form.
pub fn show(ui: &mut Ui, lang: Lang, session: &Session, form: &mut RosterForm) -> FormOut {
    let mut out = FormOut::default();
    let title = match form.entry {
        Entry::Person(_) => P::PersonForm,
        Entry::Organisation(_) => P::OrganisationForm,
    };
    ui.heading(title.get(lang));
    let problem = form.problem(session);
    let error = ui.visuals().error_fg_color;
    egui::Grid::new("linli-roster-form")
        .num_columns(2)
        .spacing([8.0, 4.0])
        .show(ui, |ui| {
            let text = |ui: &mut Ui, label: P, value: &mut String| {
                let l = ui.label(RichText::new(label.get(lang)).strong());
                ui.add(egui::TextEdit::singleline(value).desired_width(240.0))
                    .labelled_by(l.id);
                ui.end_row();
            };
            let name_label = match form.entry {
                Entry::Person(_) => P::Name,
                Entry::Organisation(_) => P::OrgName,
            };
            match &mut form.entry {
                Entry::Person(p) => text(ui, name_label, &mut p.name),
                Entry::Organisation(o) => text(ui, name_label, &mut o.name),
            }
            if let Some(p) = &problem {
                ui.label("");
                ui.label(RichText::new(problem_message(p, lang)).color(error).small());
                ui.end_row();
            }
            match &mut form.entry {
                Entry::Person(p) => person_fields(ui, lang, session, p, text),
                Entry::Organisation(o) => {
                    let kind = |k| org_kind_name(lang, k);
                    coded_row(ui, P::Kind.get(lang), &mut o.kind, OrgKind::ALL, kind);
                    notes(ui, lang, &mut o.notes);
                }
            }
        });
    let changed = form.stored.as_ref() != Some(&form.entry);
    ui.horizontal(|ui| {
        let ready = problem.is_none() && changed && !form.confirm_delete;
        if ui
            .add_enabled(ready, egui::Button::new(P::Save.get(lang)))
            .clicked()
        {
            out.command = Some(form.save());
            out.close = true;
        }
        if ui.button(P::Cancel.get(lang)).clicked() {
            out.close = true;
        }
        if form.stored.is_some() && ui.button(P::Delete.get(lang)).clicked() {
            form.confirm_delete = true;
        }
    });
    if form.confirm_delete
        && let Some(stored) = &form.stored
    {
        let organisation = matches!(stored, Entry::Organisation(_));
        let mentions = session
            .records()
            .records_naming(stored.name(), organisation);
        ui.separator();
        ui.label(RichText::new(delete_question(lang, stored.name(), mentions)).color(error));
        ui.horizontal(|ui| {
            if ui.button(P::ConfirmDelete.get(lang)).clicked() {
                out.command = form.delete();
                out.close = true;
            }
            if ui.button(P::Cancel.get(lang)).clicked() {
                form.confirm_delete = false;
            }
        });
    }
    out
}

/// A person's fields after the name: role, organisation (picked from the roster), street
/// teams (picked from the streets teams already have, or typed), contact and notes.
fn person_fields(
    ui: &mut Ui,
    lang: Lang,
    session: &Session,
    p: &mut Person,
    text: impl Fn(&mut Ui, P, &mut String),
) {
    let role = |r| role_name(lang, r);
    coded_row(ui, P::Role.get(lang), &mut p.role, PersonRole::ALL, role);
    let picker = |ui: &mut Ui, label: P, value: &mut String, options: &[Choice], names| {
        let field = Field::new(label.get(lang), names, 240.0);
        roster::roster_row(ui, lang, field, value, options);
    };
    let role = p.role;
    let orgs = roster::organisations(session, lang, |k| match role {
        PersonRole::Designer => k == OrgKind::DesignTeam,
        PersonRole::Staff => k == OrgKind::Department,
        _ => k != OrgKind::DesignTeam,
    });
    picker(ui, P::Organisation, &mut p.organisation, &orgs, Names::One);
    let streets: Vec<Choice> = session
        .records()
        .street_teams()
        .into_keys()
        .map(|s| Choice {
            value: s.clone(),
            shown: s,
        })
        .collect();
    picker(ui, P::Streets, &mut p.streets, &streets, Names::Many);
    text(ui, P::Contact, &mut p.contact);
    notes(ui, lang, &mut p.notes);
}

/// A form grid's row choosing one of a coded field's values (`all`), each shown by `name`.
fn coded_row<K: Copy + PartialEq>(
    ui: &mut Ui,
    label: &str,
    value: &mut K,
    all: &[K],
    name: impl Fn(K) -> &'static str,
) {
    let l = ui.label(RichText::new(label).strong());
    egui::ComboBox::from_id_salt(("linli-roster-form", label))
        .selected_text(name(*value))
        .show_ui(ui, |ui| {
            for k in all {
                ui.selectable_value(value, *k, name(*k));
            }
        })
        .response
        .labelled_by(l.id);
    ui.end_row();
}

fn notes(ui: &mut Ui, lang: Lang, value: &mut String) {
    let l = ui.label(RichText::new(P::Notes.get(lang)).strong());
    ui.add(
        egui::TextEdit::multiline(value)
            .desired_rows(2)
            .desired_width(240.0),
    )
    .labelled_by(l.id);
    ui.end_row();
}
