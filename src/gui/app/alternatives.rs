//! The design alternatives' comparison in the editing window: opened from the project form,
//! its choose command applied through the session like any other (one undo step).

use uuid::Uuid;

use crate::gui::windows::compare::CompareInput;
use crate::gui::windows::projects::ProjectCommand;

use super::LinliApp;
use super::commands::AppCommand;

impl LinliApp {
    /// Opens the side-by-side comparison of project `project`'s alternatives.
    pub fn open_comparison(&mut self, project: Uuid) {
        if let Some(ws) = self.workspace.as_ref() {
            self.compare.open_for(project, &ws.loaded.session);
        }
    }

    /// The comparison, when open.
    pub(super) fn show_comparison(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let input = CompareInput {
            lang: self.prefs.lang,
            session: &ws.loaded.session,
            data: &ws.loaded.data,
            styles: &ws.styles,
            order: &ws.order,
            coverage: self.coverage.last_spec(),
            palette: crate::render::style::Palette::Normal,
            ask: crate::gui::windows::compare::CompareAsk::Choose,
        };
        if let Some(command) = self.compare.window(ctx, &input) {
            commands.push(AppCommand::Project(ProjectCommand::Apply(Box::new(
                command,
            ))));
        }
    }

    /// The comparison's state (tests read it).
    pub fn comparison(&self) -> &crate::gui::windows::compare::CompareView {
        &self.compare
    }
}
