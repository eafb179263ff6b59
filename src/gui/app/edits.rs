//! The commands that edit the plan: each is one edit through the session, which has written
//! it to the workspace in one transaction when it returns; undo and redo; the sketch; the
//! tool bar and the inspector's buttons; Esc.

use std::collections::BTreeSet;

use uuid::Uuid;

use crate::i18n::errors::failure_text;
use crate::i18n::{Lang, Text};
use crate::session::{Command, Edit};
use crate::sketch::Sketch;
use crate::sketch::vertex::{self, VertexRef};

use crate::gui::panels::inspector::InspectorCommand;
use crate::gui::panels::status::StatusKind;
use crate::gui::panels::tools::{Tool, ToolCommand};
use crate::gui::style;
use crate::render::projection::{lon_lat_from_merc, merc_from_lon_lat};

use super::LinliApp;

use super::workspace::Reselect;

impl LinliApp {
    /// Applies an edit through the session: written to the workspace in one transaction
    /// before it returns. Only then is the map rebuilt and the edit shown as saved; an edit
    /// the session refuses is reported in the status bar and changes nothing.
    pub(super) fn apply_edit(&mut self, edit: Edit) -> bool {
        let what = edit_text(&edit);
        self.apply_command(edit.into(), |lang| what.get(lang), true)
    }

    /// Applies any command through the session (see [`LinliApp::apply_edit`]); `what` names
    /// it in the status bar. With `select_target` the plan feature it leaves selected is
    /// selected, else the selection stays where it was.
    pub(super) fn apply_command(
        &mut self,
        command: Command,
        what: impl Fn(Lang) -> &'static str,
        select_target: bool,
    ) -> bool {
        let kept = self.selected_plan_id();
        let Some(ws) = self.workspace.as_mut() else {
            return false;
        };
        match ws.loaded.session.apply(command) {
            Ok(target) => {
                let selected = if select_target { Some(target) } else { kept };
                self.refresh(Reselect::Plan(selected));
                self.set_status(
                    |lang| crate::i18n::labelled(lang, Text::Saved.get(lang), what(lang)),
                    StatusKind::Ok,
                );
                true
            }
            Err(e) => {
                self.set_status(
                    |lang| failure_text(lang, Text::EditFailed, &e),
                    StatusKind::Error,
                );
                false
            }
        }
    }

    fn undo_redo(&mut self, redo: bool) {
        if self.map.is_edit_dragging() {
            return;
        }
        let selected = self.selected_plan_id();
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let session = &mut ws.loaded.session;
        let before: BTreeSet<Uuid> = session.plan().iter().map(|p| p.feature.id).collect();
        let result = if redo { session.redo() } else { session.undo() };
        match result {
            Ok(true) => {
                // Select what came back (an undone delete), else keep the selection if it is
                // still there.
                let appeared = session
                    .plan()
                    .iter()
                    .map(|p| p.feature.id)
                    .find(|id| !before.contains(id));
                let reselect = match (appeared, selected) {
                    (Some(id), _) => Reselect::Plan(Some(id)),
                    (None, Some(id)) => Reselect::Plan(Some(id)),
                    (None, None) => Reselect::Keep,
                };
                self.refresh(reselect);
                let text = if redo { Text::Redone } else { Text::Undone };
                self.set_status(|lang| text.get(lang).to_string(), StatusKind::Ok);
            }
            Ok(false) => {
                let text = if redo {
                    Text::NothingToRedo
                } else {
                    Text::NothingToUndo
                };
                self.set_status(|lang| text.get(lang).to_string(), StatusKind::Info);
            }
            Err(e) => self.set_status(
                |lang| failure_text(lang, Text::EditFailed, &e),
                StatusKind::Error,
            ),
        }
    }

    pub(super) fn finish_sketch(&mut self) {
        let Tool::Draw(sketch) = &self.tool else {
            return;
        };
        if !sketch.can_finish() {
            if !sketch.vertices.is_empty() {
                self.set_status(
                    |lang| Text::NeedMoreVertices.get(lang).to_string(),
                    StatusKind::Info,
                );
            }
            return;
        }
        let Some(edit) = sketch.finish() else {
            return;
        };
        // Drawing into a design alternative: the feature is added into it, in the same step.
        let into = self
            .draw_into
            .filter(|a| self.session().is_some_and(|s| s.alternative(*a).is_some()));
        let done = match into {
            Some(alternative) => {
                let what = edit_text(&edit);
                let id = edit.target();
                let command = crate::session::Command::Batch(vec![
                    edit.into(),
                    Edit::SetAlternative {
                        id,
                        alternative: Some(alternative),
                    }
                    .into(),
                ]);
                self.apply_command(command, |lang| what.get(lang), true)
            }
            None => self.apply_edit(edit),
        };
        // The sketch is kept if the session refuses the feature, so nothing drawn is lost.
        if done && let Tool::Draw(sketch) = &mut self.tool {
            sketch.vertices.clear();
        }
    }

    pub(super) fn delete_vertex(&mut self, id: Uuid, v: VertexRef) {
        let geometry = self
            .session()
            .and_then(|s| s.plan_feature(id))
            .and_then(|f| vertex::delete_vertex(&f.feature.geometry, v));
        match geometry {
            Some(geometry) => {
                if self.apply_edit(Edit::SetGeometry { id, geometry }) {
                    self.selected_vertex = None;
                }
            }
            None => self.set_status(
                |lang| Text::CannotDeleteVertex.get(lang).to_string(),
                StatusKind::Info,
            ),
        }
    }

    pub(super) fn apply_tool(&mut self, command: ToolCommand) {
        match command {
            ToolCommand::Select => self.tool = Tool::Select,
            ToolCommand::Draw(element) => {
                let kind = self.draw_kinds.get(&element).copied().or_else(|| {
                    self.session()
                        .and_then(|s| s.catalog().get(&element))
                        .map(|e| e.geometry)
                });
                if let Some(kind) = kind {
                    self.tool = Tool::Draw(Sketch::new(element, kind));
                    self.selected_vertex = None;
                }
            }
            ToolCommand::DrawAs(kind) => {
                if let Tool::Draw(sketch) = &mut self.tool {
                    self.draw_kinds.insert(sketch.element.clone(), kind);
                    *sketch = Sketch::new(sketch.element.clone(), kind);
                }
            }
            ToolCommand::Help => self.help.open = !self.help.open,
            ToolCommand::Undo => self.undo_redo(false),
            ToolCommand::Redo => self.undo_redo(true),
            ToolCommand::ToggleSnap => {
                self.prefs.edit.snap = !self.prefs.edit.snap;
                let text = if self.prefs.edit.snap {
                    Text::SnapOn
                } else {
                    Text::SnapOff
                };
                self.set_status(|lang| text.get(lang).to_string(), StatusKind::Info);
            }
        }
    }

    pub(super) fn apply_inspector(&mut self, command: InspectorCommand) {
        match command {
            InspectorCommand::SetName(id, name) => {
                self.apply_edit(Edit::SetName { id, name });
            }
            InspectorCommand::SetElement(id, element) => {
                self.apply_edit(Edit::SetElement { id, element });
            }
            InspectorCommand::Delete(id) => {
                self.apply_edit(Edit::Delete(id));
            }
            InspectorCommand::Duplicate(id) => {
                // Shifted right and down by a few points at this zoom, so both stay visible.
                let view = self.view();
                let offset_m = style::DUPLICATE_OFFSET_PX * view.m_per_point;
                let [x, y] = merc_from_lon_lat(view.center_lon, view.center_lat);
                let (lon, lat) = lon_lat_from_merc([x + offset_m, y - offset_m]);
                self.apply_edit(Edit::Duplicate {
                    id,
                    new_id: Uuid::new_v4(),
                    offset_lon: lon - view.center_lon,
                    offset_lat: lat - view.center_lat,
                });
            }
            InspectorCommand::DeleteVertex(id, v) => self.delete_vertex(id, v),
            InspectorCommand::SetAlternative(id, alternative) => {
                self.apply_edit(Edit::SetAlternative { id, alternative });
            }
        }
    }

    pub(super) fn escape(&mut self) {
        if self.map.cancel_edit_drag() || self.projects.cancel_placing_pin() {
            return;
        }
        match &mut self.tool {
            Tool::Draw(sketch) if !sketch.vertices.is_empty() => sketch.vertices.clear(),
            Tool::Draw(_) => self.tool = Tool::Select,
            Tool::Select => {
                if self.selected_vertex.take().is_none() {
                    self.selection = None;
                }
            }
        }
    }
}

/// How the status bar names an edit.
fn edit_text(edit: &Edit) -> Text {
    match edit {
        Edit::Add(_) => Text::EditAdd,
        Edit::Delete(_) => Text::EditDelete,
        Edit::SetGeometry { .. } => Text::EditGeometry,
        Edit::SetElement { .. } => Text::EditElement,
        Edit::SetName { .. } => Text::EditName,
        Edit::SetProject { .. } | Edit::SetProperty { .. } | Edit::SetAlternative { .. } => {
            Text::EditOther
        }
        Edit::Duplicate { .. } => Text::EditDuplicate,
    }
}
