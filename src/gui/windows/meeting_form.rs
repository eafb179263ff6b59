//! The meeting form inside the projects window: a project's meetings listed by date, and a
//! draft of a new one or of one being edited (kind, date, place, attendance, agenda,
//! decisions, residents' comments; comments and votes one by one, each optionally pinned
//! where the next click on the map lands, or at the map's centre, and dragged there to correct
//! it; the map view shown, kept as a bookmark) whose problem is shown before it can be saved.
//! A listed meeting can show its pins on the map and bring its view back.

use egui::{RichText, Ui};
use uuid::Uuid;

use super::roster_picker::{self as roster, Choice, Field, Names};
use crate::Session;
use crate::i18n::errors::problem_message;
use crate::i18n::pins::{PinText, pin_position};
use crate::i18n::projects::{ProjectText as T, meeting_kind_name, vote_name};
use crate::i18n::{Lang, labelled, lon_lat_text};
use crate::model::meeting::{MapBookmark, Meeting, MeetingNote, NoteKind, Vote};
use crate::model::people::OrgKind;
use crate::model::project::MeetingKind;
use crate::session::MeetingEdit;

/// A meeting being recorded, numbers as typed.
#[derive(Debug, Clone, PartialEq)]
pub struct MeetingDraft {
    meeting: Meeting,
    attendance: String,
    /// True when it edits a recorded meeting (saved as an update).
    existing: bool,
    /// The note (0-based) whose pin the next click on the map places, if any.
    placing: Option<usize>,
}

impl MeetingDraft {
    /// A new meeting of the project on `today`.
    pub fn new(project: Option<Uuid>, today: &str) -> Self {
        Self {
            meeting: Meeting::new(MeetingKind::Hearing, today, project),
            attendance: String::new(),
            existing: false,
            placing: None,
        }
    }

    /// A draft of a recorded meeting.
    pub fn of(m: &Meeting) -> Self {
        Self {
            meeting: m.clone(),
            attendance: m.attendance.map(|n| n.to_string()).unwrap_or_default(),
            existing: true,
            placing: None,
        }
    }

    /// The meeting as recorded so far (its notes' pins are what the map shows).
    pub fn meeting(&self) -> &Meeting {
        &self.meeting
    }

    /// The note whose pin the next click on the map places (0-based), if the form waits for
    /// one.
    pub fn placing(&self) -> Option<usize> {
        self.placing.filter(|&i| i < self.meeting.notes.len())
    }

    /// Places the pin the form waits for at `lon_lat`; false when it waits for none.
    pub fn place_pin(&mut self, lon_lat: [f64; 2]) -> bool {
        let Some(note) = self.placing().and_then(|i| self.meeting.notes.get_mut(i)) else {
            return false;
        };
        note.lon_lat = Some(lon_lat);
        self.placing = None;
        true
    }

    /// Stops waiting for a click on the map; false when it was not waiting.
    pub fn cancel_placing(&mut self) -> bool {
        self.placing.take().is_some()
    }

    /// Moves note `note`'s pin if it is pinned; false otherwise.
    pub fn move_pin(&mut self, note: usize, lon_lat: [f64; 2]) -> bool {
        match self.meeting.notes.get_mut(note) {
            Some(n) if n.lon_lat.is_some() => {
                n.lon_lat = Some(lon_lat);
                true
            }
            _ => false,
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

/// What the meeting form asked for.
#[derive(Debug, Default)]
pub struct MeetingFormOut {
    /// Edits to apply.
    pub edits: Vec<MeetingEdit>,
    /// Bring the map to this view.
    pub go_to: Option<MapBookmark>,
    /// Show this meeting's pins on the map (or none).
    pub show_pins: Option<Option<Uuid>>,
    /// Present these slides of this meeting (presentation mode).
    pub present: Option<(Uuid, Vec<crate::model::meeting::Slide>)>,
    /// Show the residents' input strip for this meeting over the map.
    pub record_input: Option<Uuid>,
}

/// What the meeting form reads besides the workspace.
pub struct MeetingFormInput<'a> {
    /// Interface language.
    pub lang: Lang,
    /// The open workspace.
    pub session: &'a Session,
    /// The project whose meetings are shown.
    pub project: Uuid,
    /// Today, `YYYY-MM-DD`.
    pub today: &'a str,
    /// The map's current view (pins go to its centre; "keep the view" stores it).
    pub view: Option<MapBookmark>,
    /// The meeting whose pins the map shows.
    pub pinned: Option<Uuid>,
    /// The keys of the layers the map shows (a new slide keeps them).
    pub layers: &'a [String],
}

/// The project's meetings and, when recording, the draft. Returns what was asked for; sets
/// `draft` to `None` when it was saved or cancelled.
pub fn show(
    ui: &mut Ui,
    input: &MeetingFormInput<'_>,
    draft: &mut Option<MeetingDraft>,
    inputs_saver: &mut crate::gui::save::ExportSaver,
) -> MeetingFormOut {
    let (lang, session, project, today) = (input.lang, input.session, input.project, input.today);
    let mut out = MeetingFormOut::default();
    ui.label(RichText::new(T::Meetings.get(lang)).strong());
    let meetings = session.records().meetings_of(project);
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
                out.edits.push(MeetingEdit::Delete(m.id));
            }
            if ui.small_button(T::EditMeeting.get(lang)).clicked() {
                *draft = Some(MeetingDraft::of(m));
            }
            let pins = m.notes.iter().filter(|n| n.lon_lat.is_some()).count();
            if pins > 0 {
                let mut shown = input.pinned == Some(m.id);
                if ui
                    .checkbox(&mut shown, format!("{} ({pins})", T::ShowPins.get(lang)))
                    .changed()
                {
                    out.show_pins = Some(shown.then_some(m.id));
                }
            }
            if let Some(v) = m.view
                && ui.small_button(T::BackToMeetingView.get(lang)).clicked()
            {
                out.go_to = Some(v);
                out.show_pins = Some(Some(m.id));
            }
            if !m.slides.is_empty()
                && ui
                    .small_button(crate::i18n::present::PresentText::Present.get(lang))
                    .clicked()
            {
                out.present = Some((m.id, m.slides.clone()));
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
            let people = roster::people(session, lang, |_| true);
            let pick = |ui: &mut Ui, label: T, value: &mut String, options: &[Choice]| {
                let names = if label == T::Chair {
                    Names::One
                } else {
                    Names::Many
                };
                let field = Field::new(label.get(lang), names, 240.0);
                roster::roster_row(ui, lang, field, value, options);
            };
            pick(ui, T::Attendees, &mut d.meeting.attendees, &people);
            pick(ui, T::Chair, &mut d.meeting.chair, &people);
            let joint = d.meeting.kind == MeetingKind::Joint;
            if joint || !d.meeting.departments.is_empty() {
                let orgs = if joint {
                    roster::anyone(session, lang)
                } else {
                    roster::organisations(session, lang, |k| k == OrgKind::Department)
                };
                pick(ui, T::Departments, &mut d.meeting.departments, &orgs);
            }
            text(ui, T::Agenda, &mut d.meeting.agenda, true);
            text(ui, T::Decisions, &mut d.meeting.decisions, true);
            text(ui, T::MeetingComments, &mut d.meeting.comments, true);
        });
    notes(ui, lang, input.view, d);
    let current = super::slides_form::CurrentView {
        view: input.view,
        layers: input.layers,
        projects: std::slice::from_ref(&input.project),
    };
    if super::slides_form::show(ui, lang, current, &mut d.meeting.slides) {
        out.present = Some((d.meeting.id, d.meeting.slides.clone()));
    }
    // Residents' input: the rules are the draft's (saved with it); the inputs are records of
    // their own, listed for a recorded meeting.
    ui.separator();
    crate::gui::meeting_room::record::rules_editor(ui, lang, &mut d.meeting.vote_rules);
    if d.existing
        && let Some(recorded) = session.records().meeting(d.meeting.id)
    {
        let asked =
            crate::gui::meeting_room::record::section(ui, lang, session, recorded, inputs_saver);
        if asked.record_input {
            out.record_input = Some(recorded.id);
        }
    }
    ui.separator();
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
            // The pins just placed stay on the map once the meeting is recorded.
            if meeting.notes.iter().any(|n| n.lon_lat.is_some()) {
                out.show_pins = Some(Some(meeting.id));
            }
            out.edits.push(if d.existing {
                MeetingEdit::Update(meeting)
            } else {
                MeetingEdit::Add(meeting)
            });
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

/// The draft's comments and votes, one row each, and the meeting's view bookmark.
fn notes(ui: &mut Ui, lang: Lang, view: Option<MapBookmark>, d: &mut MeetingDraft) {
    ui.label(RichText::new(T::Notes.get(lang)).strong());
    let mut remove = None;
    let placing = d.placing();
    let m = &mut d.meeting;
    let mut pick = None;
    for (i, note) in m.notes.iter_mut().enumerate() {
        ui.horizontal(|ui| {
            ui.label(format!("{}.", i + 1));
            match note.kind {
                NoteKind::Comment => {
                    ui.label(T::CommentLabel.get(lang));
                }
                NoteKind::Vote => {
                    egui::ComboBox::from_id_salt(("linli-note-vote", i))
                        .selected_text(note.vote.map_or("—", |v| vote_name(lang, v)))
                        .show_ui(ui, |ui| {
                            for v in Vote::ALL {
                                ui.selectable_value(&mut note.vote, Some(v), vote_name(lang, v));
                            }
                        });
                }
            }
            ui.add(
                egui::TextEdit::singleline(&mut note.text)
                    .hint_text(T::NoteText.get(lang))
                    .desired_width(150.0),
            );
            if let Some([lon, lat]) = note.lon_lat {
                pin_disc(ui, note, i + 1);
                ui.label(RichText::new(pin_position(lon, lat)).small())
                    .on_hover_text(format!(
                        "{}\n{}",
                        lon_lat_text(lang, lon, lat),
                        PinText::DragToMove.get(lang)
                    ));
            }
            let waiting = placing == Some(i);
            let text = if waiting {
                PinText::Picking
            } else {
                PinText::PickOnMap
            };
            if ui
                .add(egui::Button::new(text.get(lang)).small().selected(waiting))
                .clicked()
            {
                pick = Some((!waiting).then_some(i));
            }
            match note.lon_lat {
                Some(_) => {
                    if ui.small_button(T::Unpin.get(lang)).clicked() {
                        note.lon_lat = None;
                    }
                }
                None => {
                    if ui
                        .add_enabled(
                            view.is_some(),
                            egui::Button::new(T::PinHere.get(lang)).small(),
                        )
                        .clicked()
                    {
                        note.lon_lat = view.map(|v| [v.lon, v.lat]);
                    }
                }
            }
            if ui.small_button(T::RemoveNote.get(lang)).clicked() {
                remove = Some(i);
            }
        });
    }
    if let Some(p) = pick {
        d.placing = p;
    }
    let m = &mut d.meeting;
    if let Some(i) = remove {
        m.notes.remove(i);
        // The note waited for keeps waiting under its new number; a removed one stops.
        d.placing = match d.placing {
            Some(p) if p == i => None,
            Some(p) if p > i => Some(p - 1),
            p => p,
        };
    }
    ui.horizontal(|ui| {
        if ui.button(T::AddComment.get(lang)).clicked() {
            m.notes.push(MeetingNote {
                kind: NoteKind::Comment,
                text: String::new(),
                vote: None,
                lon_lat: None,
            });
        }
        if ui.button(T::AddVote.get(lang)).clicked() {
            m.notes.push(MeetingNote {
                kind: NoteKind::Vote,
                text: String::new(),
                vote: Some(Vote::For),
                lon_lat: None,
            });
        }
        if ui
            .add_enabled(view.is_some(), egui::Button::new(T::KeepView.get(lang)))
            .clicked()
        {
            m.view = view;
        }
        if m.view.is_some() {
            ui.label(RichText::new(T::HasView.get(lang)).small());
        }
    });
}

/// A pinned note's disc as the map draws it (its colour and number), painted rather than a
/// glyph: no font need have a pin symbol.
fn pin_disc(ui: &mut Ui, note: &MeetingNote, number: usize) {
    let r = crate::gui::style::PIN_ROW_RADIUS_PX;
    let (rect, _) = ui.allocate_exact_size(egui::vec2(2.0 * r, 2.0 * r), egui::Sense::hover());
    let colour = crate::gui::map::paint::color32(crate::render::pins::colour_of(note));
    ui.painter().circle_filled(rect.center(), r, colour);
    ui.painter().text(
        rect.center(),
        egui::Align2::CENTER_CENTER,
        number.to_string(),
        egui::FontId::proportional(crate::render::style::PIN_NUMBER_SIZE),
        egui::Color32::WHITE,
    );
}
