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
        let input = ProjectsInput {
            lang: self.prefs.lang,
            session: &ws.loaded.session,
            selected_feature,
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
