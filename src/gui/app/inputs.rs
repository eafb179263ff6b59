//! The input strip in the normal window: shown over the map from the meeting form's
//! "记录意见", its taps on the map made residents' inputs, its refusals shown in it. The
//! presentation mode hosts the same pieces (`gui::meeting_room`).

use uuid::Uuid;

use crate::gui::meeting_room::{self, InputStrip, StripAction};
use crate::i18n::inputs::InputText;

use super::LinliApp;
use super::commands::AppCommand;
use super::workspace::Reselect;

impl LinliApp {
    /// The strip, docked at the bottom of the map, when a meeting takes input.
    pub(super) fn show_input_strip(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        let (Some(ws), Some(_)) = (self.workspace.as_ref(), self.input_strip.meeting) else {
            return;
        };
        let session = &ws.loaded.session;
        let strip = &mut self.input_strip;
        egui::Window::new(InputText::Section.get(lang))
            .id(egui::Id::unique("linli-input-strip"))
            .anchor(egui::Align2::CENTER_BOTTOM, egui::vec2(0.0, -36.0))
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| {
                if let Some(action) = meeting_room::strip(ui, lang, session, strip) {
                    commands.push(AppCommand::Strip(action));
                }
            });
    }

    /// The hint over the map while a kind is armed.
    pub(super) fn input_hint(&self) -> Option<&'static str> {
        self.input_strip
            .armed()
            .map(|_| InputText::TapMap.get(self.prefs.lang))
    }

    /// A tap on the map while a kind is armed: the input, through the session.
    pub(super) fn apply_input_tap(&mut self, lon_lat: [f64; 2], feature: Option<Uuid>) {
        let lang = self.prefs.lang;
        let Some(command) = self.input_strip.tap(lon_lat, feature, None) else {
            return;
        };
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let result = ws.loaded.session.apply(command);
        self.input_strip.outcome(lang, &result);
        if result.is_ok() {
            self.refresh(Reselect::Keep);
        }
    }

    /// What the strip asked for.
    pub(super) fn apply_strip(&mut self, action: StripAction) {
        let lang = self.prefs.lang;
        match action {
            StripAction::Close => self.input_strip = InputStrip::default(),
            StripAction::UndoLastInput => {
                let Some(ws) = self.workspace.as_mut() else {
                    return;
                };
                let result = ws.loaded.session.undo_last_input();
                self.input_strip.outcome(lang, &result);
                if result.is_ok() {
                    self.refresh(Reselect::Keep);
                }
            }
        }
    }
}
