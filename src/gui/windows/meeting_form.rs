//! The meeting form inside the projects window: a project's meetings listed by date, and a
//! draft of a new one (kind, date, place, attendance, agenda, decisions, residents' comments)
//! whose problem is shown before it can be saved.

use egui::{RichText, Ui};
use uuid::Uuid;

use crate::Session;
use crate::i18n::errors::problem_message;
use crate::i18n::projects::{ProjectText as T, meeting_kind_name};
use crate::i18n::{Lang, labelled};
use crate::model::meeting::Meeting;
use crate::model::project::MeetingKind;
use crate::session::MeetingEdit;

/// A meeting being recorded, numbers as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    meeting: Meeting,
    attendance: String,
}

impl MeetingDraft {
    /// A new meeting of the project on `today`.
    pub fn new(project: Option<Uuid>, today: &str) -> Self {
        Self {
            meeting: Meeting::new(MeetingKind::Hearing, today, project),
            attendance: String::new(),
        }
    }

    /// The meeting the draft describes and its problem, if any.
    fn to_meeting(&self) -> (Meeting, Option<crate::error::Problem>) {
        let mut m = self.meeting.clone();
        let t = self.attendance.trim();
        let mut problem = None;
        m.attendance = if t.is_empty() {
            None
        } else {
            match t.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    problem = Some(crate::error::Problem::NotANumber { text: t.into() });
                    None
                }
            }
        };
        let problem = problem.or_else(|| m.problem());
        (m, problem)
    }
}

/// The project's meetings and, when recording, the draft. Returns the edits asked for; sets
/// `draft` to `None` when it was saved or cancelled.
pub fn show(
    ui: &mut Ui,
    lang: Lang,
    session: &Session,
    project: Uuid,
    draft: &mut Option<MeetingDraft>,
    today: &str,
) -> Vec<MeetingEdit> {
    let mut out = Vec::new();
    ui.label(RichText::new(T::Meetings.get(lang)).strong());
    let meetings = session.meetings_of(project);
    if meetings.is_empty() {
        ui.label(T::NoMeetings.get(lang));
    }
    for m in meetings {
        ui.horizontal(|ui| {
            let mut line = format!("{} {}", m.date, meeting_kind_name(lang, m.kind));
            if !m.place.is_empty() {
                line.push(' ');
                line.push_str(&m.place);
            }
            if let Some(n) = m.attendance {
                line.push(' ');
                line.push_str(&labelled(lang, T::Attendance.get(lang), &n.to_string()));
            }
            ui.label(line);
            if ui.small_button(T::DeleteMeeting.get(lang)).clicked() {
                out.push(MeetingEdit::Delete(m.id));
            }
        });
        if !m.decisions.is_empty() {
            ui.label(RichText::new(labelled(lang, T::Decisions.get(lang), &m.decisions)).small());
        }
    }
    let Some(d) = draft.as_mut() else {
        if ui.button(T::RecordMeeting.get(lang)).clicked() {
            *draft = Some(MeetingDraft::new(Some(project), today));
        }
        return out;
    };
    let mut close = false;
    egui::Grid::new("linli-meeting-form")
        .num_columns(2)
        .show(ui, |ui| {
            let l = ui.label(RichText::new(T::MeetingKindLabel.get(lang)).strong());
            egui::ComboBox::from_id_salt("linli-meeting-kind")
                .selected_text(meeting_kind_name(lang, d.meeting.kind))
                .show_ui(ui, |ui| {
                    for k in MeetingKind::ALL {
                        ui.selectable_value(&mut d.meeting.kind, k, meeting_kind_name(lang, k));
                    }
                })
                .response
                .labelled_by(l.id);
            ui.end_row();
            let text = |ui: &mut Ui, label: T, value: &mut String, multi: bool| {
                let l = ui.label(RichText::new(label.get(lang)).strong());
                let edit = if multi {
                    egui::TextEdit::multiline(value).desired_rows(2)
                } else {
                    egui::TextEdit::singleline(value)
                };
                ui.add(edit.desired_width(240.0)).labelled_by(l.id);
                ui.end_row();
            };
            text(ui, T::MeetingDate, &mut d.meeting.date, false);
            text(ui, T::Place, &mut d.meeting.place, false);
            text(ui, T::Attendance, &mut d.attendance, false);
            text(ui, T::Attendees, &mut d.meeting.attendees, false);
            text(ui, T::Chair, &mut d.meeting.chair, false);
            text(ui, T::Agenda, &mut d.meeting.agenda, true);
            text(ui, T::Decisions, &mut d.meeting.decisions, true);
            text(ui, T::MeetingComments, &mut d.meeting.comments, true);
        });
    let (meeting, problem) = d.to_meeting();
    if let Some(p) = &problem {
        ui.label(
            RichText::new(problem_message(p, lang))
                .color(ui.visuals().error_fg_color)
                .small(),
        );
    }
    ui.horizontal(|ui| {
        if ui
            .add_enabled(
                problem.is_none(),
                egui::Button::new(T::SaveMeeting.get(lang)),
            )
            .clicked()
        {
            out.push(MeetingEdit::Add(meeting));
            close = true;
        }
        if ui.button(T::Cancel.get(lang)).clicked() {
            close = true;
        }
    });
    if close {
        *draft = None;
    }
    out
}
