//! The pieces of the meeting room that take residents' input live, for the presentation mode
//! to host (and the normal window, from the meeting form's "记录意见"):
//!
//! - [`strip`]: large buttons (支持 / 担忧 / 想法 / 投票, at least 48 px), the participant's
//!   number with the votes they have left, a short text prompt for comments, "撤销上一条";
//!   the first tap arms a kind, the next tap on the map ([`InputStrip::tap`]) makes the input,
//!   on the plan feature (or design alternative) under it if any, else on the place;
//! - [`paint_tally`]: the live tally on the map (`render::tally`'s primitives through the map's
//!   painter).
//!
//! They read the session and never write it: what they ask for is a [`StripAction`] or a
//! [`Command`] that only ever adds a resident's input, applied by the host after the frame.
//! Whether an input is allowed (the meeting's voting rules) is the session's decision; a
//! refusal comes back through [`InputStrip::outcome`] and is shown in the strip.

pub mod record;

use egui::{RichText, Ui, vec2};
use uuid::Uuid;

use crate::Session;
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::errors::error_message;
use crate::i18n::inputs::{InputText as T, kind_name};
use crate::model::input::{InputKind, MeetingTally, ResidentInput, VoteRules};
use crate::render::projection::ScreenTransform;
use crate::session::Command;

/// The smallest side of the strip's buttons, points: a finger on a touch screen.
pub const STRIP_BUTTON_PX: f32 = 48.0;
/// The strip's button text, points.
const STRIP_TEXT_SIZE: f32 = 22.0;

/// The strip's state between frames.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct InputStrip {
    /// The meeting inputs go to; `None`: the strip is not shown.
    pub meeting: Option<Uuid>,
    armed: Option<InputKind>,
    /// The current participant's number (0: none).
    participant: u32,
    text: String,
    message: Option<String>,
}

/// What the strip asks the host to do.
#[derive(Debug, Clone, PartialEq)]
pub enum StripAction {
    /// Undo the last input ([`Session::undo_last_input`]: refused unless the last step was one).
    UndoLastInput,
    /// Close the strip.
    Close,
}

impl InputStrip {
    /// A strip for meeting `meeting`, participant 1, nothing armed.
    pub fn for_meeting(meeting: Uuid) -> Self {
        Self {
            meeting: Some(meeting),
            participant: 1,
            ..Self::default()
        }
    }

    /// The kind the next tap on the map records, if one is armed.
    pub fn armed(&self) -> Option<InputKind> {
        self.armed.filter(|_| self.meeting.is_some())
    }

    /// Arms `kind` (or disarms, with `None`), as a tap on its button does.
    pub fn arm(&mut self, kind: Option<InputKind>) {
        self.armed = kind;
    }

    /// The current participant's number, if any.
    pub fn participant(&self) -> Option<u32> {
        (self.participant > 0).then_some(self.participant)
    }

    /// Sets the current participant's number (0: none).
    pub fn set_participant(&mut self, n: u32) {
        self.participant = n;
    }

    /// The last refusal, as shown in the strip.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The tap on the map that makes the armed input at `lon_lat`, on `feature` or
    /// `alternative` when the tap was on one; `None` when nothing is armed. The kind is
    /// disarmed and the text cleared: one input per two taps.
    pub fn tap(
        &mut self,
        lon_lat: [f64; 2],
        feature: Option<Uuid>,
        alternative: Option<Uuid>,
    ) -> Option<Command> {
        self.tap_input(lon_lat, feature, alternative)
            .map(Command::from)
    }

    /// [`InputStrip::tap`] as the resident's input itself: what presentation mode makes (it
    /// never builds a command of any other kind).
    pub fn tap_input(
        &mut self,
        lon_lat: [f64; 2],
        feature: Option<Uuid>,
        alternative: Option<Uuid>,
    ) -> Option<ResidentInput> {
        let kind = self.armed()?;
        let meeting = self.meeting?;
        let mut input = ResidentInput::new(meeting, kind, lon_lat);
        input.participant = self.participant();
        input.text = self.text.trim().to_string();
        input.feature = feature.filter(|_| alternative.is_none());
        input.alternative = alternative;
        self.armed = None;
        self.text.clear();
        Some(input)
    }

    /// The current participant's vote for design alternative `alternative`, pinned at
    /// `lon_lat` (the comparison's "投票给此方案": one tap, no kind to arm).
    pub fn vote_for(&mut self, alternative: Uuid, lon_lat: [f64; 2]) -> Option<ResidentInput> {
        self.armed = Some(InputKind::Vote);
        self.tap_input(lon_lat, None, Some(alternative))
    }

    /// What became of the last command the strip asked for: a refusal is kept and shown, a
    /// success clears it.
    pub fn outcome<T>(&mut self, lang: Lang, result: &Result<T, Error>) {
        self.message = result.as_ref().err().map(|e| error_message(e, lang));
    }
}

fn big(text: &str) -> RichText {
    RichText::new(text).size(STRIP_TEXT_SIZE)
}

/// What the strip and the tally read of their meeting: its voting rules, its tally, and
/// whether the last step can be undone as an input. Plain borrowed data: the presentation mode
/// hands it on without ever holding the session.
#[derive(Clone, Copy)]
pub struct StripData<'a> {
    /// The meeting's voting rules.
    pub rules: &'a VoteRules,
    /// Its live tally.
    pub tally: &'a MeetingTally,
    /// Whether the last step was an input (so "撤销上一条" can undo it).
    pub can_undo: bool,
}

impl<'a> StripData<'a> {
    /// What the strip reads of `meeting`, from `session`; `None` when there is no such meeting.
    pub fn of(session: &'a Session, meeting: Uuid) -> Option<Self> {
        let records = session.records();
        let m = records.meeting(meeting)?;
        Some(Self {
            rules: &m.vote_rules,
            tally: records.tally(meeting),
            can_undo: session.last_step_is_input(),
        })
    }
}

/// The strip: the kinds, the participant, the text prompt, "undo last". Reads `session` only.
pub fn strip(
    ui: &mut Ui,
    lang: Lang,
    session: &Session,
    state: &mut InputStrip,
) -> Option<StripAction> {
    let Some(data) = state.meeting.and_then(|m| StripData::of(session, m)) else {
        return Some(StripAction::Close);
    };
    strip_with(ui, lang, &data, state)
}

/// [`strip`] over what it reads of the meeting.
pub fn strip_with(
    ui: &mut Ui,
    lang: Lang,
    data: &StripData<'_>,
    state: &mut InputStrip,
) -> Option<StripAction> {
    let mut action = None;
    let size = vec2(2.0 * STRIP_BUTTON_PX, STRIP_BUTTON_PX);
    ui.horizontal(|ui| {
        for kind in InputKind::ALL {
            let armed = state.armed == Some(kind);
            let button = egui::Button::new(big(kind_name(lang, kind)))
                .min_size(size)
                .selected(armed);
            if ui.add(button).clicked() {
                state.armed = (!armed).then_some(kind);
                state.message = None;
            }
        }
        ui.separator();
        let l = ui.label(big(T::Participant.get(lang)));
        let small = vec2(STRIP_BUTTON_PX, STRIP_BUTTON_PX);
        if ui
            .add(egui::Button::new(big("−")).min_size(small))
            .clicked()
        {
            state.participant = state.participant.saturating_sub(1);
        }
        let n = if state.participant == 0 {
            "—".to_string()
        } else {
            state.participant.to_string()
        };
        ui.label(big(&n)).labelled_by(l.id);
        if ui
            .add(egui::Button::new(big("+")).min_size(small))
            .clicked()
        {
            state.participant = state.participant.saturating_add(1);
        }
        if let Some(p) = state.participant()
            && let Some(left) = crate::render::tally::votes_left(data.tally, data.rules, p)
        {
            ui.label(big(&crate::i18n::inputs::votes_left(lang, p, left)));
        }
        ui.separator();
        let undo = egui::Button::new(big(T::UndoLast.get(lang))).min_size(size);
        if ui.add_enabled(data.can_undo, undo).clicked() {
            action = Some(StripAction::UndoLastInput);
        }
        if ui
            .add(egui::Button::new(big(T::Done.get(lang))).min_size(size))
            .clicked()
        {
            action = Some(StripAction::Close);
        }
    });
    if let Some(kind) = state.armed {
        ui.horizontal(|ui| {
            if kind != InputKind::Vote {
                let l = ui.label(big(T::TextPrompt.get(lang)));
                ui.add(
                    egui::TextEdit::singleline(&mut state.text)
                        .char_limit(crate::model::input::MAX_INPUT_TEXT_CHARS)
                        .font(egui::FontId::proportional(STRIP_TEXT_SIZE))
                        .desired_width(480.0),
                )
                .labelled_by(l.id);
            }
            ui.label(big(T::TapMap.get(lang)).color(crate::gui::style::GUIDANCE_TEXT));
        });
    }
    if let Some(m) = &state.message {
        ui.label(big(m).color(ui.visuals().error_fg_color));
    }
    action
}

/// Paints the live tally of the strip's meeting over the map's `rect` (as last drawn with
/// transform `t`): a badge per item, and the current participant's votes left in the corner.
pub fn paint_tally(
    ui: &Ui,
    rect: egui::Rect,
    t: &ScreenTransform,
    lang: Lang,
    session: &Session,
    state: &InputStrip,
) {
    if let Some(data) = state.meeting.and_then(|m| StripData::of(session, m)) {
        paint_tally_with(ui, rect, t, lang, &data, state);
    }
}

/// [`paint_tally`] over what it reads of the meeting.
pub fn paint_tally_with(
    ui: &Ui,
    rect: egui::Rect,
    t: &ScreenTransform,
    lang: Lang,
    data: &StripData<'_>,
    state: &InputStrip,
) {
    let tally = data.tally;
    let votes_left = state.participant().and_then(|p| {
        crate::render::tally::votes_left(tally, data.rules, p)
            .map(|left| crate::i18n::inputs::votes_left(lang, p, left))
    });
    let words = crate::render::tally::TallyWords {
        votes_left,
        comment_marks: crate::i18n::inputs::comment_marks(lang),
    };
    let primitives = crate::render::tally::tally_primitives(tally, t, rect.into(), &words);
    crate::gui::map::paint::paint_primitives(ui, rect, &primitives);
}
