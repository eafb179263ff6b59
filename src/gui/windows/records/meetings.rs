//! The meetings table and a meeting's record with its tasks.

use std::collections::BTreeSet;

use egui::Ui;
use uuid::Uuid;

use super::super::pickers::combo;
use super::super::projects::ProjectCommand;
use super::{RecordsWindow, RowAction, matches, record_table, sort_rows};
use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::PeopleText as P;
use crate::i18n::projects::{ProjectText as T, meeting_kind_name, vote_name};
use crate::i18n::{labelled, with_aside};
use crate::model::meeting::Meeting;
use crate::model::meeting::NoteKind;
use crate::model::project::MeetingKind;
use crate::model::project::list_items;

impl RecordsWindow {
    /// The meetings the pickers and the search keep, sorted: (sort keys, id).
    pub fn meeting_rows(&self, lang: Lang, session: &Session) -> Vec<(Vec<String>, Uuid)> {
        let needle = self.search.trim().to_lowercase();
        let mut rows: Vec<(Vec<String>, Uuid)> = session
            .records()
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

    pub(super) fn meetings_table(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        let kinds: Vec<(String, String)> = MeetingKind::ALL
            .iter()
            .map(|k| (k.key().to_string(), meeting_kind_name(lang, *k).to_string()))
            .collect();
        let years: BTreeSet<String> = session
            .records()
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
        let sort = &mut self.meetings_sort;
        if let Some(RowAction::Open(id) | RowAction::Edit(id)) =
            record_table(ui, lang, "linli-meetings", &heads, sort, rows, false)
        {
            self.meeting = Some(id);
        }
    }

    pub(super) fn meeting_record(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        id: Uuid,
        out: &mut Vec<ProjectCommand>,
    ) {
        let Some(m) = session.records().meeting(id) else {
            self.meeting = None;
            return;
        };
        ui.heading(format!(
            "{} · {} {}",
            P::MeetingRecord.get(lang),
            m.date,
            meeting_kind_name(lang, m.kind)
        ));
        if let Some(person) = meeting_fields(ui, lang, session, m) {
            self.meeting = None;
            self.person = Some(person);
            return;
        }
        ui.separator();
        ui.horizontal(|ui| {
            ui.strong(P::Tasks.get(lang));
            let make = session.records().tasks_from_decisions(id);
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
        let tasks = session.records().tasks_of_meeting(id);
        self.task_list(ui, lang, session, &tasks, out);
    }
}

/// A meeting's fields, read-only (the projects window's meeting form records them), its
/// comments and votes with their pins; returns the attendee whose name was clicked.
fn meeting_fields(ui: &mut Ui, lang: Lang, session: &Session, m: &Meeting) -> Option<Uuid> {
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
    let mut open = None;
    let attendees = list_items(&m.attendees);
    if !attendees.is_empty() {
        // The named attendees, each a link to their page when they are on the roster.
        ui.horizontal_wrapped(|ui| {
            ui.label(crate::i18n::labelled(lang, P::Attendees.get(lang), ""));
            for name in attendees {
                match session.records().person_named(name) {
                    Some(p) if ui.link(name).clicked() => open = Some(p.id),
                    Some(_) => {}
                    None => {
                        ui.label(name);
                    }
                }
            }
        });
    }
    if !m.notes.is_empty() {
        ui.strong(P::CommentsAndVotes.get(lang));
    }
    for (i, note) in m.notes.iter().enumerate() {
        let kind = match (note.kind, note.vote) {
            (NoteKind::Vote, Some(v)) => with_aside(lang, P::Vote.get(lang), vote_name(lang, v)),
            (NoteKind::Vote, None) => P::Vote.get(lang).to_string(),
            (NoteKind::Comment, _) => T::CommentLabel.get(lang).to_string(),
        };
        let mut line = format!("{}. {}", i + 1, labelled(lang, &kind, &note.text));
        if let Some([lon, lat]) = note.lon_lat {
            let at = format!("{} {lon:.5}, {lat:.5}", P::PinnedAt.get(lang));
            line = with_aside(lang, &line, &at);
        }
        ui.label(line);
    }
    open
}
