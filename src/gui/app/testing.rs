//! What tests and tours read of the window's state, read-only (and `set_view`, to show
//! another part of the map). The app's own code does not use these: it reads its fields.
//! The accessors it shares with tests live beside what they read (`view` in `mod.rs`;
//! `session`, `map_data`, `selected_plan_id` in `workspace.rs`).

use egui::Pos2;

use crate::i18n::Lang;
use crate::model::LayerRole;
use crate::sketch::vertex::VertexRef;

use crate::gui::map::MapMemory;
use crate::gui::map::hit::FeatureRef;
use crate::gui::panels::tools::Tool;
use crate::render::projection::{MapView, merc_from_lon_lat};
use crate::render::scene::SceneStats;

use super::{LinliApp, Prefs};

impl LinliApp {
    /// True once the workspace is open and drawn.
    pub fn is_ready(&self) -> bool {
        self.workspace.is_some()
    }

    /// The loading error, as the user reads it.
    pub fn load_error(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.message(self.prefs.lang))
    }

    /// The coverage window: its analysis, candidates and overlay.
    pub fn coverage_window(&self) -> &crate::gui::windows::coverage::CoverageWindow {
        &self.coverage
    }

    /// What the proposal being drawn or moved adds to the coverage analysis, as shown.
    pub fn coverage_live(&self) -> Option<&str> {
        self.coverage_live.as_deref()
    }

    /// The current selection.
    pub fn selection(&self) -> Option<FeatureRef> {
        self.selection
    }

    /// The interface language.
    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// The settings as they would be saved now.
    pub fn prefs(&self) -> &Prefs {
        &self.prefs
    }

    /// What the last drawn map frame contained.
    pub fn scene_stats(&self) -> &SceneStats {
        self.map.scene.stats()
    }

    /// View steps completed so far (a drag counts once).
    pub fn completed_view_steps(&self) -> usize {
        self.completed_view_steps
    }

    /// Shows another part of the map (tests and tours).
    pub fn set_view(&mut self, view: MapView) {
        self.prefs.view = Some(view.sanitised());
        self.fit_pending = false;
    }

    /// The active tool.
    pub fn tool(&self) -> &Tool {
        &self.tool
    }

    /// The district window (区街交换).
    pub fn district_window(&self) -> &crate::gui::windows::district::DistrictWindow {
        &self.district
    }

    /// The district window, to set what its file dialogs answer (tests and tours).
    pub fn district_window_mut(&mut self) -> &mut crate::gui::windows::district::DistrictWindow {
        &mut self.district
    }

    /// The status line as shown.
    pub fn status_text(&self) -> Option<String> {
        self.status
            .as_ref()
            .map(|(t, _)| t.get(self.prefs.lang).to_string())
    }

    /// The projects window: its selection, filter and form draft.
    pub fn projects_window(&self) -> &crate::gui::windows::projects::ProjectsWindow {
        &self.projects
    }

    /// The records window: its tab, pickers, the open person page or meeting record.
    pub fn records_window(&self) -> &crate::gui::windows::records::RecordsWindow {
        &self.records
    }

    /// Whether the help window is open.
    pub fn help_open(&self) -> bool {
        self.help.open
    }

    /// The statistics window: its grouping and the numbers it last showed.
    pub fn stats_window(&self) -> &crate::gui::windows::stats::StatsWindow {
        &self.stats
    }

    /// The print dialog (打印蓝图…): what it will print and its last outcome.
    pub fn print_window(&self) -> &crate::gui::windows::print::PrintWindow {
        &self.print
    }

    /// The export dialog (导出成果): its format, filters and the count it last showed.
    pub fn export_window(&mut self) -> &mut crate::gui::windows::export::ExportWindow {
        &mut self.export
    }

    /// Answers every export's "save as" with `dialog` from now on (tests and tours: the
    /// system's dialog needs a desktop).
    pub fn set_save_dialog(&mut self, dialog: std::sync::Arc<dyn crate::gui::save::SaveDialog>) {
        self.stats.saver.set_dialog(dialog.clone());
        self.print.saver.set_dialog(dialog.clone());
        self.export.saver.set_dialog(dialog.clone());
        self.projects.attachments.saver.set_dialog(dialog.clone());
        self.projects.saver.set_dialog(dialog.clone());
        self.records.saver.set_dialog(dialog.clone());
        self.coverage.saver.set_dialog(dialog);
    }

    /// The selected vertex of the selected plan feature.
    pub fn selected_vertex(&self) -> Option<VertexRef> {
        self.selected_vertex
    }

    /// The message in the status bar (the last edit saved, or why it was not).
    pub fn status(&self) -> Option<&str> {
        self.status
            .as_ref()
            .map(|(text, _)| text.get(self.prefs.lang))
    }

    /// The residents' input strip (tests).
    pub fn input_strip(&self) -> &crate::gui::meeting_room::InputStrip {
        &self.input_strip
    }

    /// The map's memory: the last snap and live measure (tests).
    pub fn map_memory(&self) -> &MapMemory {
        &self.map
    }

    /// Where a WGS84 position is on screen in the last frame.
    pub fn screen_from_lon_lat(&self, lon: f64, lat: f64) -> Option<Pos2> {
        let rect = self.map.last_rect?;
        Some(
            self.view()
                .transform(rect)
                .screen_from_merc(merc_from_lon_lat(lon, lat))
                .into(),
        )
    }

    /// Index (into the map's layers) of the first layer with this role.
    pub fn layer_with_role(&self, role: LayerRole) -> Option<usize> {
        self.map_data()?.layers.iter().position(|l| l.role == role)
    }

    /// Where a feature's label point is on screen in the last frame (for tests and tours).
    pub fn screen_pos_of(&self, f: FeatureRef) -> Option<Pos2> {
        let data = self.map_data()?;
        let at = data
            .layers
            .get(f.layer)?
            .geom
            .features
            .get(f.feature)?
            .label_at?;
        let rect = self.map.last_rect?;
        Some(self.view().transform(rect).screen_from_merc(at).into())
    }
}
