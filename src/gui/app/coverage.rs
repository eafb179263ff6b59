//! The coverage window's commands, its live what-if and its overlay on the map.

use crate::gui::map::MapMemory;
use crate::gui::panels::tools::ToolCommand;
use crate::gui::windows::coverage::{CoverageCommand, CoverageWindow};
use crate::render::projection::MapView;

use super::LinliApp;
use super::commands::AppCommand;

impl LinliApp {
    /// Shows the coverage window, then measures what the proposal being drawn or moved adds.
    pub(super) fn show_coverage_window(
        &mut self,
        ctx: &egui::Context,
        commands: &mut Vec<AppCommand>,
    ) {
        let lang = self.prefs.lang;
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let session = &ws.loaded.session;
        if self.coverage.open {
            commands.extend(
                self.coverage
                    .show(ctx, lang, session)
                    .into_iter()
                    .map(AppCommand::Coverage),
            );
        }
        let live = self.map.live_geometry().map(|(_, g)| g);
        self.coverage_live = self.coverage.live(live, lang).map(str::to_string);
    }

    /// Applies one of the coverage window's commands.
    pub(super) fn apply_coverage(&mut self, command: CoverageCommand) {
        match command {
            CoverageCommand::ZoomTo(b) => self.fit(b),
            CoverageCommand::ShowOverlay(shown) => self.coverage.overlay_shown = shown,
            CoverageCommand::Clear => {
                self.coverage.clear();
                self.coverage_live = None;
            }
            CoverageCommand::SketchAt { element, lon, lat } => {
                let view = self.view();
                self.prefs.view = Some(MapView {
                    center_lon: lon,
                    center_lat: lat,
                    m_per_point: view.m_per_point.min(2.0),
                });
                self.completed_view_steps += 1;
                self.apply_tool(ToolCommand::Draw(element));
            }
        }
    }
}

/// Paints the coverage overlay (uncovered bands, what a proposal adds, candidates) over the
/// map drawn this frame.
pub(super) fn paint_overlay(
    ui: &mut egui::Ui,
    coverage: &CoverageWindow,
    map: &MapMemory,
    view: MapView,
) {
    let Some(rect) = map.last_rect.filter(|_| coverage.overlay_shown) else {
        return;
    };
    let t = view.transform(rect);
    let primitives = coverage.overlay.primitives(&t, &t.merc_box_of(rect));
    crate::gui::map::paint::paint_primitives(ui, rect, &primitives);
}
