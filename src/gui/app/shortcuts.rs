//! The keyboard: editing shortcuts, as commands.

use egui::{Key, KeyboardShortcut, Modifiers};

use crate::gui::panels::tools::ToolCommand;

use super::LinliApp;
use super::commands::AppCommand;

impl LinliApp {
    /// Keyboard shortcuts of editing. Skipped while a text field has the keyboard, so the
    /// name field keeps its own Ctrl+Z, Backspace and Enter.
    pub(super) fn shortcuts(&self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        if self.workspace.is_none() || ctx.egui_wants_keyboard_input() {
            return;
        }
        let drawing = self.tool.sketch();
        let has_vertices = drawing.is_some_and(|s| !s.vertices.is_empty());
        let plan_selected = self.selected_plan_id().is_some();
        // Esc closes an open combo box first.
        let popup_open = egui::Popup::is_any_open(ctx);
        ctx.input_mut(|i| {
            // Most specific first: Ctrl+Shift+Z before Ctrl+Z.
            let redo = i.consume_shortcut(&KeyboardShortcut::new(
                Modifiers::COMMAND | Modifiers::SHIFT,
                Key::Z,
            )) || i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Y));
            if redo {
                commands.push(AppCommand::Tool(ToolCommand::Redo));
            } else if i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Z)) {
                commands.push(AppCommand::Tool(ToolCommand::Undo));
            }
            if drawing.is_some() && i.consume_key(Modifiers::NONE, Key::Enter) {
                commands.push(AppCommand::FinishSketch);
            }
            if has_vertices && i.consume_key(Modifiers::NONE, Key::Backspace) {
                commands.push(AppCommand::PopVertex);
            }
            if !popup_open && i.consume_key(Modifiers::NONE, Key::Escape) {
                commands.push(AppCommand::Escape);
            }
            if plan_selected && drawing.is_none() && i.consume_key(Modifiers::NONE, Key::Delete) {
                commands.push(AppCommand::DeleteSelection);
            }
            if i.consume_key(Modifiers::NONE, Key::S) {
                commands.push(AppCommand::Tool(ToolCommand::ToggleSnap));
            }
            if i.consume_key(Modifiers::NONE, Key::F1) {
                commands.push(AppCommand::Tool(ToolCommand::Help));
            }
            if i.consume_key(Modifiers::NONE, Key::F5) {
                commands.push(AppCommand::Present(None, Vec::new()));
            }
        });
    }
}
