//! The Linli window: its state, one function per part of the window, and the commands the
//! parts return, applied after each frame.
//!
//! Reading order, as the window is laid out:
//! - `prefs.rs`: what is kept between runs;
//! - `layout.rs`: the parts of the window (top bar, tool bar, status bar, side panels, map,
//!   floating windows), each drawn from the app's state and returning commands;
//! - `shortcuts.rs`: the keyboard, as more commands;
//! - `commands.rs`: every command and how it is applied after the frame (view, layers,
//!   basemap, language);
//! - `projects.rs`: the projects window's commands (records, selection, zoom, planner);
//! - `edits.rs`: the commands that edit the plan, each one edit through the [`Session`], which
//!   has written it to the workspace when it returns; only then is the map's plan layer
//!   rebuilt and the edit shown as done;
//! - `workspace.rs`: the open workspace, loading and importing off the UI thread, and the
//!   refresh after an edit;
//! - [`loader`] (`loader.rs`): opening a workspace on a worker thread;
//! - `outside.rs`: other programs' commits taken in while the window is open;
//! - `present.rs`: presentation mode (F5): entered, drawn instead of every other part, left;
//! - `testing.rs`: read-only accessors for tests and tours.
//!
//! [`Session`]: crate::Session

mod alternatives;
mod commands;
mod coverage;
mod district;
mod edits;
mod inputs;
mod layout;
pub mod loader;
mod outside;
mod prefs;
mod present;
mod projects;
pub mod quit;
mod server_sync;
mod shortcuts;
mod testing;
mod workspace;

use std::collections::BTreeMap;

use egui::Ui;

use crate::i18n::Lang;
use crate::model::catalog::GeometryKind;
use crate::sketch::vertex::VertexRef;

use crate::gui::map::MapMemory;
use crate::gui::map::hit::FeatureRef;
use crate::gui::panels::inspector::InspectorCache;
use crate::gui::panels::status::StatusKind;
use crate::gui::panels::tools::Tool;
use crate::gui::windows::basemap::BasemapWindow;
use crate::gui::windows::coverage::CoverageWindow;
use crate::gui::windows::help::HelpWindow;
use crate::gui::windows::import::ImportWindow;
use crate::gui::windows::projects::ProjectsWindow;
use crate::gui::windows::records::RecordsWindow;
use crate::gui::windows::stats::StatsWindow;
use crate::render::projection::MapView;

use commands::AppCommand;
use loader::{LoadError, WorkspaceSource};
pub use prefs::{EditPrefs, Prefs};
use workspace::{Importing, Loading, Workspace};

/// The Linli window.
pub struct LinliApp {
    /// The settings kept between runs (language, view, layer styles, basemap, editing).
    prefs: Prefs,
    /// Where the workspace comes from (opened again on Retry).
    source: WorkspaceSource,
    /// A workspace being opened on the loader thread.
    loading: Option<Loading>,
    /// The open workspace, once loaded.
    workspace: Option<Box<Workspace>>,
    /// Why the workspace could not be opened.
    error: Option<LoadError>,
    /// The map widget's memory between frames (scene caches, drags, the basemap).
    map: MapMemory,
    /// The inspector's memory between frames (the name being typed).
    inspector: InspectorCache,
    /// The selected feature.
    selection: Option<FeatureRef>,
    /// The feature under the pointer.
    hover: Option<FeatureRef>,
    /// The pointer's lon/lat over the map.
    pointer: Option<(f64, f64)>,
    /// Fit the view to the workspace on the next map frame (a workspace opened afresh).
    fit_pending: bool,
    /// The basemap window.
    basemap_window: BasemapWindow,
    /// The GeoJSON import window.
    import_window: ImportWindow,
    /// The projects window (table and form).
    projects: ProjectsWindow,
    /// The coverage analysis window and its overlay.
    coverage: CoverageWindow,
    /// What the proposal being drawn adds, for the status bar and the inspector.
    coverage_live: Option<String>,
    /// The side-by-side comparison of a project's design alternatives.
    compare: crate::gui::windows::compare::CompareView,
    /// The alternatives side by side in presentation mode (their own cameras and choice of
    /// alternatives, apart from the editing window's comparison).
    present_compare: crate::gui::windows::compare::CompareView,
    /// The design alternative new features are drawn into, if any.
    draw_into: Option<uuid::Uuid>,
    /// The records window (people, meetings, the annual task list).
    records: RecordsWindow,
    /// The statistics window.
    stats: StatsWindow,
    /// The residents' input strip (shown while a meeting takes input).
    input_strip: crate::gui::meeting_room::InputStrip,
    /// The print dialog (打印蓝图…).
    print: crate::gui::windows::print::PrintWindow,
    /// The district window (区街交换): hand out, merge back, conflicts.
    district: crate::gui::windows::district::DistrictWindow,
    /// The export dialog (导出成果).
    export: crate::gui::windows::export::ExportWindow,
    /// The help window (keys, tools, workflow).
    help: HelpWindow,
    /// A GeoJSON import under way: the session is on the worker thread until it reports.
    importing: Option<Importing>,
    /// The language the window title was last set in.
    title_lang: Option<Lang>,
    /// View steps completed so far (a drag counts once).
    completed_view_steps: usize,
    /// The active tool: select, or draw one element type.
    tool: Tool,
    /// The geometry chosen for each element type's draw tool (else its default).
    draw_kinds: BTreeMap<String, GeometryKind>,
    /// The selected vertex of the selected plan feature.
    selected_vertex: Option<VertexRef>,
    /// The status bar's message: the last edit saved, or why it was not.
    status: Option<(crate::i18n::Worded, StatusKind)>,
    /// Quitting: asked by a signal since the window was made, or done already.
    quit: quit::QuitState,
    /// Watching for other programs' commits to the workspace.
    outside: outside::OutsideWatch,
    /// Presentation mode, while presenting: then nothing else of the window runs.
    present: Option<Box<crate::gui::present::PresentMode>>,
    /// A sync with the district server under way (its server side on a worker).
    syncing: Option<server_sync::Syncing>,
}

impl LinliApp {
    /// The app as eframe creates it: fonts installed, settings restored, loading started.
    pub fn new(cc: &eframe::CreationContext<'_>, source: WorkspaceSource) -> Self {
        let prefs = cc
            .storage
            .and_then(|s| eframe::get_value::<Prefs>(s, eframe::APP_KEY))
            .unwrap_or_default();
        Self::with_prefs(&cc.egui_ctx, source, prefs)
    }

    /// The app with given settings (tests start from defaults).
    pub fn with_prefs(ctx: &egui::Context, source: WorkspaceSource, prefs: Prefs) -> Self {
        crate::gui::install_fonts(ctx);
        // A light interface: the map is light, and a projector in a meeting room washes out dark.
        ctx.set_theme(egui::Theme::Light);
        let mut app = Self {
            prefs,
            source: source.clone(),
            loading: None,
            workspace: None,
            error: None,
            map: MapMemory::default(),
            inspector: InspectorCache::default(),
            selection: None,
            hover: None,
            pointer: None,
            fit_pending: false,
            basemap_window: BasemapWindow::default(),
            import_window: ImportWindow::default(),
            projects: ProjectsWindow::default(),
            coverage: CoverageWindow::default(),
            coverage_live: None,
            compare: Default::default(),
            present_compare: Default::default(),
            draw_into: None,
            records: RecordsWindow::default(),
            stats: StatsWindow::default(),
            input_strip: Default::default(),
            print: Default::default(),
            district: Default::default(),
            export: Default::default(),
            help: HelpWindow::default(),
            importing: None,
            title_lang: None,
            completed_view_steps: 0,
            tool: Tool::Select,
            draw_kinds: BTreeMap::new(),
            selected_vertex: None,
            status: None,
            quit: quit::QuitState::new(ctx),
            outside: outside::OutsideWatch::default(),
            present: None,
            syncing: None,
        };
        app.prefs.view = app.prefs.view.map(MapView::sanitised);
        if let Some(path) = app.prefs.basemap.path.clone() {
            app.basemap_window.path_text = path.display().to_string();
            if let Err(e) = app.open_basemap(ctx, &path) {
                app.basemap_window.error = Some(e);
            }
        }
        app.start_loading(ctx, source);
        app
    }

    /// The current view.
    pub fn view(&self) -> MapView {
        self.prefs.view.unwrap_or_default()
    }

    /// Sets the status bar's message, worded in both languages so it follows a switch.
    fn set_status(&mut self, text: impl Fn(Lang) -> String, kind: StatusKind) {
        self.status = Some((crate::i18n::Worded::new(text), kind));
    }
}

impl eframe::App for LinliApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        if self.quit_if_asked(&ctx) {
            return;
        }
        self.poll_loading(&ctx);
        self.poll_import();
        self.poll_outside_changes(&ctx);
        self.poll_sync(&ctx);
        self.import_window.accept_dropped(&ctx);
        self.title(&ctx);
        if self.present.is_some() {
            // Presenting: the mode alone, with its own keys; no shortcut, panel, window or
            // editing map runs, so nothing can reach the plan.
            self.present_frame(ui);
            return;
        }
        // Each part draws from the state and pushes what the user asked for; the commands are
        // applied after the frame, one command per user action (forms, sliders and the
        // windows' open flags excepted: those widgets edit their own state in place).
        let mut commands: Vec<AppCommand> = Vec::new();
        self.shortcuts(&ctx, &mut commands);
        self.top_bar(ui, &mut commands);
        self.tool_bar(ui, &mut commands);
        self.status_bar(ui);
        self.side_panels(ui, &mut commands);
        self.map_area(ui, &mut commands);
        self.windows(&ctx, &mut commands);
        self.apply(&ctx, commands);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.sync_layer_prefs();
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
    }

    /// The window closes (its close button, or after Ctrl+Q or a signal asked it to): the
    /// workspace is closed whole (see `quit.rs`).
    fn on_exit(&mut self) {
        self.shut_down();
    }
}
