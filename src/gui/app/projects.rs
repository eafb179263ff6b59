//! The projects window's commands, applied after the frame: a command through the session
//! (one transaction, one undo step), selecting a project (its features highlighted on the
//! map), zooming to its features, the planner's name.

use crate::i18n::Text;
use crate::i18n::errors::failure_text;
use crate::i18n::projects::ProjectText;
use crate::render::projection::{MercBox, merc_from_lon_lat};

use crate::gui::panels::status::StatusKind;
use crate::gui::windows::projects::{ProjectCommand, ProjectsInput};

use super::LinliApp;
use super::commands::AppCommand;
use crate::i18n::pins::PinText;
use crate::render::pins::MapPin;
use crate::session::MeetingEdit;
use uuid::Uuid;

impl LinliApp {
    /// The projects window, when open.
    pub(super) fn show_projects_window(
        &mut self,
        ctx: &egui::Context,
        commands: &mut Vec<AppCommand>,
    ) {
        let selected_feature = self.selected_plan_id();
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let layers = ws
            .keys
            .iter()
            .zip(&ws.styles)
            .filter(|(_, s)| s.visible)
            .map(|(k, _)| k.clone())
            .collect();
        let input = ProjectsInput {
            lang: self.prefs.lang,
            session: &ws.loaded.session,
            selected_feature,
            view: Some(self.view().bookmark()),
            layers,
            draw_into: self.draw_into,
        };
        commands.extend(
            self.projects
                .show(ctx, &input)
                .into_iter()
                .map(AppCommand::Project),
        );
    }

    /// Applies one of the projects window's commands.
    pub(super) fn apply_project(&mut self, command: ProjectCommand) {
        match command {
            ProjectCommand::Apply(command) => {
                self.apply_command(*command, |lang| ProjectText::Projects.get(lang), false);
            }
            ProjectCommand::Compare(project) => self.open_comparison(project),
            ProjectCommand::DrawInto(alternative) => self.draw_into = alternative,
            ProjectCommand::Select(id) => {
                self.projects.select(id);
            }
            ProjectCommand::ZoomTo(code) => {
                if let Some(area) = self.project_extent(&code) {
                    // A single small garden: show its surroundings, 200 m across.
                    let grow = ((200.0 - area.width().max(area.height())) / 2.0).max(0.0);
                    self.fit(area.expanded(grow));
                }
            }
            ProjectCommand::RecordInput(meeting) => {
                self.input_strip = crate::gui::meeting_room::InputStrip::for_meeting(meeting);
            }
            ProjectCommand::GoToView(bookmark) => {
                self.set_view(crate::render::projection::MapView::of_bookmark(&bookmark));
            }
            // Needs the window's context: `apply` takes it before it comes here.
            ProjectCommand::Present(..) => {}
            ProjectCommand::SetPlanner(name) => {
                let Some(ws) = self.workspace.as_mut() else {
                    return;
                };
                match ws.loaded.session.set_planner(&name) {
                    Ok(()) => self.set_status(
                        |lang| {
                            crate::i18n::labelled(
                                lang,
                                Text::Saved.get(lang),
                                ProjectText::PlannerName.get(lang),
                            )
                        },
                        StatusKind::Ok,
                    ),
                    Err(e) => self.set_status(
                        |lang| failure_text(lang, Text::EditFailed, &e),
                        StatusKind::Error,
                    ),
                }
            }
        }
    }

    /// The pinned comments and votes the map shows: those of the meeting being recorded or
    /// edited in the projects window (as typed), and those of the meeting it shows on the map.
    pub(super) fn meeting_pins(&self) -> Vec<MapPin> {
        let lang = self.prefs.lang;
        let draft = self.projects.meeting_draft();
        let shown = self
            .projects
            .pinned_meeting
            .filter(|id| draft.is_none_or(|d| d.id != *id))
            .and_then(|id| self.session()?.records().meeting(id));
        draft
            .into_iter()
            .chain(shown)
            .flat_map(|m| {
                m.notes.iter().enumerate().filter_map(move |(i, n)| {
                    crate::render::pins::MapPin::of_note(
                        m.id,
                        i,
                        n,
                        crate::i18n::pins::note_label(lang, n),
                    )
                })
            })
            .collect()
    }

    /// A pin dragged on the map: the meeting being recorded takes it as typed text (saved
    /// with it); a recorded meeting's pin moves by one command, one undo step.
    pub(super) fn move_pin(&mut self, meeting: Uuid, note: usize, lon_lat: [f64; 2]) {
        if self.projects.move_draft_pin(meeting, note, lon_lat) {
            return;
        }
        let Some(mut m) = self
            .session()
            .and_then(|s| s.records().meeting(meeting))
            .cloned()
        else {
            return;
        };
        match m.notes.get_mut(note) {
            Some(n) if n.lon_lat != Some(lon_lat) => n.lon_lat = Some(lon_lat),
            _ => return,
        }
        self.apply_command(
            MeetingEdit::Update(m).into(),
            |lang| PinText::PinMoved.get(lang),
            false,
        );
    }

    /// The Web Mercator box around a project's features.
    fn project_extent(&self, code: &str) -> Option<MercBox> {
        use geo::BoundingRect;
        let session = self.session()?;
        let mut out: Option<MercBox> = None;
        for f in session
            .plan()
            .iter()
            .filter(|f| f.project.as_deref() == Some(code))
        {
            let Some(r) = f.feature.geometry.bounding_rect() else {
                continue;
            };
            let [x0, y0] = merc_from_lon_lat(r.min().x, r.min().y);
            let [x1, y1] = merc_from_lon_lat(r.max().x, r.max().y);
            let b = MercBox {
                min: [x0, y0],
                max: [x1, y1],
            };
            out = Some(match out {
                Some(o) => o.union(b),
                None => b,
            });
        }
        out
    }

    /// The plan slots of the selected project's features, and of the unassigned ones when the
    /// window marks them: what the map outlines.
    pub(super) fn project_highlights(&self) -> (Vec<usize>, Vec<usize>) {
        let Some(session) = self.session() else {
            return (Vec::new(), Vec::new());
        };
        let code = self
            .projects
            .selected
            .and_then(|id| session.project(id))
            .map(|p| p.code.as_str());
        let mut of_project = Vec::new();
        let mut unassigned = Vec::new();
        for (slot, f) in session.plan().iter().enumerate() {
            match f.project.as_deref() {
                Some(c) if Some(c) == code => of_project.push(slot),
                None if self.projects.mark_unassigned => unassigned.push(slot),
                _ => {}
            }
        }
        (of_project, unassigned)
    }
}
