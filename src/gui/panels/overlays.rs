//! The layers panel's entries for what an analysis draws over the map for a while and never
//! writes to the workspace: the coverage analysis's uncovered area and candidate sites. Each
//! entry shows or hides its overlay and clears it, so it can be taken off the map after its
//! window is closed.

use egui::{RichText, Ui};

use crate::i18n::Lang;
use crate::i18n::screens::ScreensText as S;

use crate::gui::windows::coverage::CoverageCommand;

/// The coverage overlay's entry: a checkbox to show it and a button to clear it.
#[must_use]
pub fn coverage_entry(ui: &mut Ui, lang: Lang, shown: bool) -> Option<CoverageCommand> {
    let mut command = None;
    ui.separator();
    ui.horizontal(|ui| {
        let mut on = shown;
        if ui.checkbox(&mut on, S::CoverageOverlay.get(lang)).changed() {
            command = Some(CoverageCommand::ShowOverlay(on));
        }
        if ui.small_button(S::ClearOverlay.get(lang)).clicked() {
            command = Some(CoverageCommand::Clear);
        }
    });
    ui.label(
        RichText::new(S::CoverageOverlayNote.get(lang))
            .small()
            .weak(),
    );
    command
}
