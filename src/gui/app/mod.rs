//! The application: state, panels, and the commands they return, applied after each frame.
//! Edits go to the session (`Session::apply`, `undo`, `redo`), which has written them to the
//! workspace when it returns; only then does the map's plan layer get rebuilt and the edit
//! show as done.

pub mod loader;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{Key, KeyboardShortcut, Modifiers, Pos2, ProgressBar, RichText, Ui};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::Session;
use crate::i18n::{self, Lang, Text};
use crate::io::geojson_in::Progress;
use crate::model::LayerRole;
use crate::model::catalog::GeometryKind;
use crate::session::ImportRequest;
use crate::session::edit::Edit;
use crate::sketch::Sketch;
use crate::sketch::vertex::{self, VertexRef};

use crate::gui::app::loader::{LoadError, LoadEvent, Loaded, Stage, WorkspaceSource};
use crate::gui::map::basemap::{Basemap, BasemapPrefs};
use crate::gui::map::hit::FeatureRef;
use crate::gui::map::{self, Gesture, MapCommand, MapMemory, MapState, ZOOM_STEP};
use crate::gui::panels::inspector::{self, InspectorCache, InspectorCommand};
use crate::gui::panels::layers::{self as layers_panel, LayerCommand};
use crate::gui::panels::tools::{self, Tool, ToolCommand, ToolbarInput, element_name};
use crate::gui::style;
use crate::gui::windows::import::{self, ImportEvent, ImportWindow};
use crate::render::data::MapData;
use crate::render::layers::{LayerPrefs, LayerStyle, OrderKey, order_from_keys};
use crate::render::projection::{MapView, MercBox, lon_lat_from_merc, merc_from_lon_lat};
use crate::render::scene::SceneStats;

/// What is kept between runs (eframe storage). New fields need `#[serde(default)]` values so
/// older settings still load.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Prefs {
    /// Interface language.
    pub lang: Lang,
    /// The last view …
    pub view: Option<MapView>,
    /// … of this workspace (another workspace starts on its own extent).
    pub view_workspace: Option<PathBuf>,
    /// Layer styles and order.
    pub layers: LayerPrefs,
    /// The basemap.
    pub basemap: BasemapPrefs,
    /// Editing settings.
    pub edit: EditPrefs,
}

/// Editing settings kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EditPrefs {
    /// Snapping on (the default).
    pub snap: bool,
}

impl Default for EditPrefs {
    fn default() -> Self {
        Self { snap: true }
    }
}

/// Everything the app does in response to the panels, applied after the frame.
#[derive(Debug, Clone, PartialEq)]
enum AppCommand {
    Map(MapCommand),
    Layer(LayerCommand),
    ZoomToWorkspace,
    ZoomToSelection,
    ZoomBy(f64),
    SetLang(Lang),
    OpenBasemap(PathBuf),
    RemoveBasemap,
    Retry,
    Tool(ToolCommand),
    Inspector(InspectorCommand),
    /// Enter: finish the sketch.
    FinishSketch,
    /// Backspace: drop the sketch's last vertex.
    PopVertex,
    /// Esc: cancel the drag, else the sketch, else leave the draw tool, else deselect.
    Escape,
    /// Delete: the selected vertex, else the selected plan feature.
    DeleteSelection,
    /// Import a GeoJSON file on a worker thread.
    Import(PathBuf, ImportRequest),
}

/// How a status message reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum StatusKind {
    Ok,
    Info,
    Error,
}

/// Which plan feature to select once the map's plan layer is rebuilt.
enum Reselect {
    /// Leave the selection (it is not a plan feature).
    Keep,
    /// This plan feature, or none.
    Plan(Option<Uuid>),
}

struct Importing {
    events: Receiver<ImportEvent>,
    progress: Option<Progress>,
}

struct Loading {
    events: Receiver<LoadEvent>,
    stage: Stage,
    fraction: Option<f32>,
}

/// An open workspace and how its layers are drawn.
struct Workspace {
    loaded: Loaded,
    styles: Vec<LayerStyle>,
    order: Vec<usize>,
    keys: Vec<String>,
    /// The session's revision the map's data was built for.
    revision: u64,
}

#[derive(Default)]
struct BasemapWindow {
    open: bool,
    path_text: String,
    error: Option<String>,
    browsing: Option<Receiver<Option<PathBuf>>>,
}

/// The Linli window.
pub struct LinliApp {
    prefs: Prefs,
    source: WorkspaceSource,
    loading: Option<Loading>,
    workspace: Option<Box<Workspace>>,
    error: Option<LoadError>,
    map: MapMemory,
    inspector: InspectorCache,
    selection: Option<FeatureRef>,
    hover: Option<FeatureRef>,
    pointer: Option<(f64, f64)>,
    fit_pending: bool,
    basemap_window: BasemapWindow,
    import_window: ImportWindow,
    /// A GeoJSON import under way: the session is on the worker thread until it reports.
    importing: Option<Importing>,
    title_lang: Option<Lang>,
    completed_view_steps: usize,
    tool: Tool,
    /// The geometry chosen for each element type's draw tool (else its default).
    draw_kinds: BTreeMap<String, GeometryKind>,
    selected_vertex: Option<VertexRef>,
    status: Option<(String, StatusKind)>,
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
            importing: None,
            title_lang: None,
            completed_view_steps: 0,
            tool: Tool::Select,
            draw_kinds: BTreeMap::new(),
            selected_vertex: None,
            status: None,
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

    fn start_loading(&mut self, ctx: &egui::Context, source: WorkspaceSource) {
        self.loading = Some(Loading {
            events: loader::spawn(source, ctx.clone()),
            stage: Stage::Opening,
            fraction: None,
        });
        self.error = None;
    }

    /// True once the workspace is open and drawn.
    pub fn is_ready(&self) -> bool {
        self.workspace.is_some()
    }

    /// The loading error, as the user reads it.
    pub fn load_error(&self) -> Option<String> {
        self.error.as_ref().map(|e| e.message(self.prefs.lang))
    }

    /// The open session.
    pub fn session(&self) -> Option<&Session> {
        self.workspace.as_ref().map(|w| &w.loaded.session)
    }

    /// The map's data.
    pub fn map_data(&self) -> Option<&MapData> {
        self.workspace.as_ref().map(|w| &w.loaded.data)
    }

    /// The current selection.
    pub fn selection(&self) -> Option<FeatureRef> {
        self.selection
    }

    /// The interface language.
    pub fn lang(&self) -> Lang {
        self.prefs.lang
    }

    /// The current view.
    pub fn view(&self) -> MapView {
        self.prefs.view.unwrap_or_default()
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

    /// The selected vertex of the selected plan feature.
    pub fn selected_vertex(&self) -> Option<VertexRef> {
        self.selected_vertex
    }

    /// The message in the status bar (the last edit saved, or why it was not).
    pub fn status(&self) -> Option<&str> {
        self.status.as_ref().map(|(text, _)| text.as_str())
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

    /// The id of the selected plan feature.
    pub fn selected_plan_id(&self) -> Option<Uuid> {
        let ws = self.workspace.as_ref()?;
        let f = self.selection?;
        if Some(f.layer) != ws.loaded.data.plan_layer() {
            return None;
        }
        ws.loaded
            .session
            .plan()
            .get(f.feature)
            .map(|p| p.feature.id)
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

    fn open_basemap(&mut self, ctx: &egui::Context, path: &std::path::Path) -> Result<(), String> {
        let basemap = Basemap::open(path, ctx)?;
        self.map.basemap = Some(basemap);
        self.prefs.basemap.path = Some(path.to_path_buf());
        Ok(())
    }

    fn poll_loading(&mut self, ctx: &egui::Context) {
        let Some(loading) = self.loading.as_mut() else {
            return;
        };
        loop {
            match loading.events.try_recv() {
                Ok(LoadEvent::Progress(stage, fraction)) => {
                    loading.stage = stage;
                    loading.fraction = fraction;
                }
                Ok(LoadEvent::Done(result)) => {
                    self.loading = None;
                    match result {
                        Ok(loaded) => self.install(*loaded),
                        Err(e) => self.error = Some(e),
                    }
                    return;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.loading = None;
                    self.error = Some(LoadError::Failed {
                        path: PathBuf::new(),
                        message: "the loader stopped unexpectedly".into(),
                    });
                    return;
                }
            }
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(50));
    }

    fn poll_import(&mut self) {
        let Some(importing) = self.importing.as_mut() else {
            return;
        };
        let lang = self.prefs.lang;
        loop {
            match importing.events.try_recv() {
                Ok(ImportEvent::Progress(p)) => importing.progress = Some(p),
                Ok(ImportEvent::Done(loaded, outcome)) => {
                    self.importing = None;
                    self.install(*loaded);
                    let message = match outcome {
                        Ok(report) => (
                            true,
                            crate::i18n::imported_text(lang, report.features, &report.layer),
                        ),
                        Err(e) => (false, format!("{}: {e}", Text::ImportFailed.get(lang))),
                    };
                    let kind = if message.0 {
                        StatusKind::Ok
                    } else {
                        StatusKind::Error
                    };
                    self.set_status(message.1.clone(), kind);
                    self.import_window.message = Some(message);
                    return;
                }
                Err(TryRecvError::Empty) => return,
                Err(TryRecvError::Disconnected) => {
                    // The worker could not start or died: the session went with it. Reopen the
                    // workspace from its file, which holds every committed change.
                    self.importing = None;
                    self.import_window.message =
                        Some((false, Text::ImportFailed.get(lang).to_string()));
                    self.error = Some(LoadError::Failed {
                        path: PathBuf::new(),
                        message: "the import stopped unexpectedly".into(),
                    });
                    return;
                }
            }
        }
    }

    fn start_import(&mut self, ctx: &egui::Context, file: PathBuf, request: ImportRequest) {
        if self.importing.is_some() {
            return;
        }
        let Some(ws) = self.workspace.take() else {
            return;
        };
        self.sync_layer_prefs();
        let loaded = Box::new(ws.loaded);
        self.importing = Some(Importing {
            events: import::spawn(loaded, file, request, ctx.clone()),
            progress: None,
        });
    }

    fn install(&mut self, loaded: Loaded) {
        let data = &loaded.data;
        let keys: Vec<String> = data.layers.iter().map(|l| l.id.key()).collect();
        let roles: Vec<OrderKey> = data.layers.iter().map(|l| l.order_key()).collect();
        let styles = data
            .layers
            .iter()
            .zip(&keys)
            .map(|(l, k)| {
                self.prefs
                    .layers
                    .styles
                    .get(k)
                    .cloned()
                    .unwrap_or_else(|| LayerStyle::for_role(l.role))
            })
            .collect();
        let order = order_from_keys(&keys, &self.prefs.layers.order, &roles);
        let same_workspace = self.prefs.view_workspace.as_deref() == Some(loaded.path.as_path());
        self.fit_pending = !(same_workspace && self.prefs.view.is_some());
        self.prefs.view_workspace = Some(loaded.path.clone());
        self.selection = None;
        self.hover = None;
        self.selected_vertex = None;
        self.tool = Tool::Select;
        let revision = loaded.session.revision();
        self.workspace = Some(Box::new(Workspace {
            loaded,
            styles,
            order,
            keys,
            revision,
        }));
        self.sync_layer_prefs();
    }

    fn sync_layer_prefs(&mut self) {
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        for (key, style) in ws.keys.iter().zip(&ws.styles) {
            self.prefs.layers.styles.insert(key.clone(), style.clone());
        }
        self.prefs.layers.order = ws
            .order
            .iter()
            .filter_map(|&i| ws.keys.get(i).cloned())
            .collect();
    }

    fn fit(&mut self, area: MercBox) {
        let size = self
            .map
            .last_rect
            .map_or(egui::vec2(1000.0, 700.0), |r| r.size());
        self.prefs.view = Some(MapView::fit(area, size, 24.0));
        self.completed_view_steps += 1;
    }

    fn apply(&mut self, ctx: &egui::Context, commands: Vec<AppCommand>) {
        for command in commands {
            match command {
                AppCommand::Map(MapCommand::SetView { view, gesture }) => {
                    self.prefs.view = Some(view);
                    if gesture == Gesture::Done {
                        self.completed_view_steps += 1;
                    }
                }
                AppCommand::Map(MapCommand::Select(f)) => {
                    self.selection = f;
                    self.selected_vertex = None;
                }
                AppCommand::Map(MapCommand::SelectVertex(v)) => self.selected_vertex = v,
                AppCommand::Map(MapCommand::SketchAdd(c)) => {
                    if let Tool::Draw(sketch) = &mut self.tool {
                        sketch.push(c);
                    }
                }
                AppCommand::Map(MapCommand::SketchFinish) | AppCommand::FinishSketch => {
                    self.finish_sketch();
                }
                AppCommand::Map(MapCommand::Reshape {
                    id,
                    geometry,
                    gesture: Gesture::Done,
                }) => {
                    self.apply_edit(Edit::SetGeometry { id, geometry });
                }
                // The map draws its own preview while dragging; only the end is an edit.
                AppCommand::Map(MapCommand::Reshape {
                    gesture: Gesture::Ongoing,
                    ..
                }) => {}
                AppCommand::Tool(command) => self.apply_tool(command),
                AppCommand::Inspector(command) => self.apply_inspector(command),
                AppCommand::PopVertex => {
                    if let Tool::Draw(sketch) = &mut self.tool {
                        sketch.pop();
                    }
                }
                AppCommand::Escape => self.escape(),
                AppCommand::DeleteSelection => {
                    if let Some(id) = self.selected_plan_id() {
                        match self.selected_vertex {
                            Some(v) => self.delete_vertex(id, v),
                            None => {
                                self.apply_edit(Edit::Delete(id));
                            }
                        }
                    }
                }
                AppCommand::Map(MapCommand::Hover(f)) => self.hover = f,
                AppCommand::Map(MapCommand::Pointer(p)) => self.pointer = p,
                AppCommand::Layer(LayerCommand::SetStyle(li, style)) => {
                    if let Some(s) = self.workspace.as_mut().and_then(|w| w.styles.get_mut(li)) {
                        *s = style;
                    }
                    if self.selection.is_some_and(|f| f.layer == li) && !self.layer_visible(li) {
                        self.selection = None;
                    }
                    self.sync_layer_prefs();
                }
                AppCommand::Layer(LayerCommand::Move { layer, up }) => {
                    if let Some(ws) = self.workspace.as_mut()
                        && let Some(pos) = ws.order.iter().position(|&i| i == layer)
                    {
                        let other = if up { pos + 1 } else { pos.wrapping_sub(1) };
                        if other < ws.order.len() {
                            ws.order.swap(pos, other);
                        }
                    }
                    self.sync_layer_prefs();
                }
                AppCommand::Layer(LayerCommand::ZoomTo(li)) => {
                    if let Some(extent) = self
                        .map_data()
                        .and_then(|d| d.layers.get(li))
                        .and_then(|l| l.geom.extent)
                    {
                        self.fit(extent);
                    }
                }
                AppCommand::ZoomToWorkspace => {
                    if let Some(extent) = self.map_data().and_then(|d| d.extent) {
                        self.fit(extent);
                    }
                }
                AppCommand::ZoomToSelection => {
                    let bbox = self.selection.and_then(|f| {
                        self.map_data()?
                            .layers
                            .get(f.layer)?
                            .geom
                            .features
                            .get(f.feature)
                            .map(|g| g.bbox)
                    });
                    if let Some(b) = bbox {
                        // A point or a tiny garden: show its surroundings, 200 m across.
                        let grow = ((200.0 - b.width().max(b.height())) / 2.0).max(0.0);
                        self.fit(b.expanded(grow));
                    }
                }
                AppCommand::ZoomBy(factor) => {
                    if let Some(rect) = self.map.last_rect {
                        self.prefs.view =
                            Some(self.view().zoomed_around(factor, rect.center(), rect));
                        self.completed_view_steps += 1;
                    }
                }
                AppCommand::SetLang(lang) => self.prefs.lang = lang,
                AppCommand::OpenBasemap(path) => match self.open_basemap(ctx, &path) {
                    Ok(()) => self.basemap_window.error = None,
                    Err(e) => self.basemap_window.error = Some(e),
                },
                AppCommand::RemoveBasemap => {
                    self.map.basemap = None;
                    self.prefs.basemap.path = None;
                }
                AppCommand::Retry => self.start_loading(ctx, self.source.clone()),
                AppCommand::Import(file, request) => self.start_import(ctx, file, request),
            }
        }
    }

    fn set_status(&mut self, text: impl Into<String>, kind: StatusKind) {
        self.status = Some((text.into(), kind));
    }

    /// Applies an edit through the session: written to the workspace in one transaction
    /// before it returns. Only then is the map rebuilt and the edit shown as saved; an edit
    /// the session refuses is reported in the status bar and changes nothing.
    fn apply_edit(&mut self, edit: Edit) -> bool {
        let lang = self.prefs.lang;
        let what = edit_text(&edit).get(lang);
        let Some(ws) = self.workspace.as_mut() else {
            return false;
        };
        match ws.loaded.session.apply(edit) {
            Ok(target) => {
                self.refresh(Reselect::Plan(Some(target)));
                self.set_status(format!("{}：{what}", Text::Saved.get(lang)), StatusKind::Ok);
                true
            }
            Err(e) => {
                self.set_status(
                    format!("{}：{e}", Text::EditFailed.get(lang)),
                    StatusKind::Error,
                );
                false
            }
        }
    }

    fn undo_redo(&mut self, redo: bool) {
        let lang = self.prefs.lang;
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
                self.set_status(text.get(lang), StatusKind::Ok);
            }
            Ok(false) => {
                let text = if redo {
                    Text::NothingToRedo
                } else {
                    Text::NothingToUndo
                };
                self.set_status(text.get(lang), StatusKind::Info);
            }
            Err(e) => self.set_status(
                format!("{}：{e}", Text::EditFailed.get(lang)),
                StatusKind::Error,
            ),
        }
    }

    /// Rebuilds the map's plan layer when the session changed (only the plan layer: the
    /// boundary meshes stay), then selects by id, since plan indices shift on add and delete.
    fn refresh(&mut self, reselect: Reselect) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let session = &ws.loaded.session;
        if ws.revision != session.revision() {
            let data = &mut ws.loaded.data;
            match session.plan_changes_since(ws.revision) {
                Some(changes) => data.update_plan(session.plan(), session.catalog(), &changes),
                None => data.rebuild_plan(session.plan(), session.catalog()),
            }
            ws.revision = session.revision();
        }
        self.hover = None;
        let Reselect::Plan(id) = reselect else {
            return;
        };
        let plan_layer = ws.loaded.data.plan_layer();
        let target = id.and_then(|id| {
            let feature = session.plan().iter().position(|p| p.feature.id == id)?;
            Some(FeatureRef {
                layer: plan_layer?,
                feature,
            })
        });
        if target != self.selection {
            self.selected_vertex = None;
        }
        self.selection = target;
    }

    fn finish_sketch(&mut self) {
        let Tool::Draw(sketch) = &self.tool else {
            return;
        };
        if !sketch.can_finish() {
            if !sketch.vertices.is_empty() {
                self.set_status(
                    Text::NeedMoreVertices.get(self.prefs.lang),
                    StatusKind::Info,
                );
            }
            return;
        }
        let Some(edit) = sketch.finish() else {
            return;
        };
        // The sketch is kept if the session refuses the feature, so nothing drawn is lost.
        if self.apply_edit(edit)
            && let Tool::Draw(sketch) = &mut self.tool
        {
            sketch.vertices.clear();
        }
    }

    fn delete_vertex(&mut self, id: Uuid, v: VertexRef) {
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
                Text::CannotDeleteVertex.get(self.prefs.lang),
                StatusKind::Info,
            ),
        }
    }

    fn apply_tool(&mut self, command: ToolCommand) {
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
            ToolCommand::Undo => self.undo_redo(false),
            ToolCommand::Redo => self.undo_redo(true),
            ToolCommand::ToggleSnap => {
                self.prefs.edit.snap = !self.prefs.edit.snap;
                let text = if self.prefs.edit.snap {
                    Text::SnapOn
                } else {
                    Text::SnapOff
                };
                self.set_status(text.get(self.prefs.lang), StatusKind::Info);
            }
        }
    }

    fn apply_inspector(&mut self, command: InspectorCommand) {
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
        }
    }

    fn escape(&mut self) {
        if self.map.cancel_edit_drag() {
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

    /// Keyboard shortcuts of editing. Skipped while a text field has the keyboard, so the
    /// name field keeps its own Ctrl+Z, Backspace and Enter.
    fn shortcuts(&self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
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
        });
    }

    fn layer_visible(&self, li: usize) -> bool {
        self.workspace
            .as_ref()
            .and_then(|w| w.styles.get(li))
            .is_some_and(|s| s.visible)
    }

    fn top_bar(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        ui.horizontal(|ui| {
            ui.label(RichText::new(Text::AppTitle.get(lang)).strong());
            ui.separator();
            let ready = self.workspace.is_some();
            if ui
                .add_enabled(ready, egui::Button::new(Text::ZoomToWorkspace.get(lang)))
                .clicked()
            {
                commands.push(AppCommand::ZoomToWorkspace);
            }
            if ui
                .add_enabled(
                    ready && self.selection.is_some(),
                    egui::Button::new(Text::ZoomToSelection.get(lang)),
                )
                .clicked()
            {
                commands.push(AppCommand::ZoomToSelection);
            }
            if ui
                .add_enabled(ready, egui::Button::new(Text::ZoomIn.get(lang)))
                .clicked()
            {
                commands.push(AppCommand::ZoomBy(ZOOM_STEP));
            }
            if ui
                .add_enabled(ready, egui::Button::new(Text::ZoomOut.get(lang)))
                .clicked()
            {
                commands.push(AppCommand::ZoomBy(1.0 / ZOOM_STEP));
            }
            ui.separator();
            if ui
                .add_enabled(
                    ready || self.importing.is_some(),
                    egui::Button::selectable(self.import_window.open, Text::ImportTitle.get(lang)),
                )
                .clicked()
            {
                self.import_window.open = !self.import_window.open;
            }
            if ui
                .selectable_label(self.basemap_window.open, Text::Basemap.get(lang))
                .clicked()
            {
                self.basemap_window.open = !self.basemap_window.open;
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = lang.other();
                if ui.button(other.own_name()).clicked() {
                    commands.push(AppCommand::SetLang(other));
                }
            });
        });
    }

    fn status_bar(&self, ui: &mut Ui) {
        let lang = self.prefs.lang;
        ui.horizontal(|ui| {
            if let Some((text, kind)) = &self.status {
                let colour = match kind {
                    StatusKind::Ok => style::OK_TEXT,
                    StatusKind::Info => ui.visuals().text_color(),
                    StatusKind::Error => style::ERROR_TEXT,
                };
                ui.label(RichText::new(text).color(colour));
                ui.separator();
            }
            if let (Tool::Draw(sketch), Some(session)) = (&self.tool, self.session()) {
                let mut text = format!(
                    "{} {}（{}）：{} {}",
                    Text::Drawing.get(lang),
                    element_name(session.catalog(), &sketch.element, lang),
                    i18n::kind_name(lang, sketch.kind),
                    sketch.vertices.len(),
                    Text::VerticesSoFar.get(lang)
                );
                if let Some(live) = &self.map.live {
                    if let Some(a) = live.area_m2 {
                        text +=
                            &format!(" · {} {}", Text::Area.get(lang), i18n::area_text(lang, a));
                    }
                    if let Some(l) = live.length_m {
                        text += &format!(
                            " · {} {}",
                            Text::Length.get(lang),
                            i18n::length_text(lang, l)
                        );
                    }
                    if !live.warnings.is_empty() {
                        text +=
                            &format!(" · {} {}", Text::SitingNotes.get(lang), live.warnings.len());
                    }
                }
                ui.label(text);
                ui.separator();
            }
            let cursor = self.pointer.map_or_else(
                || Text::Unknown.get(lang).to_string(),
                |(lon, lat)| i18n::lon_lat_text(lang, lon, lat),
            );
            ui.label(format!("{}: {cursor}", Text::Cursor.get(lang)));
            ui.separator();
            // 1 point ≈ 0.2646 mm at 96 dpi.
            let denominator = self.view().ground_m_per_point() / 0.000_264_6;
            ui.label(format!(
                "{}: {}",
                Text::Scale.get(lang),
                i18n::scale_ratio_text(denominator)
            ));
            if let Some(ws) = &self.workspace {
                ui.separator();
                let drawn: usize = self.scene_stats().layers.iter().map(|l| l.drawn).sum();
                ui.label(format!("{} {}", drawn, Text::Features.get(lang)));
                ui.separator();
                ui.label(format!(
                    "{} {:.1} ms",
                    Text::FrameTime.get(lang),
                    self.scene_stats().build_ms
                ));
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        Text::Workspace.get(lang),
                        ws.loaded.path.display()
                    ))
                    .weak(),
                );
            }
        });
    }

    fn basemap_window(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        if let Some(rx) = &self.basemap_window.browsing {
            match rx.try_recv() {
                Ok(picked) => {
                    self.basemap_window.browsing = None;
                    if let Some(path) = picked {
                        self.basemap_window.path_text = path.display().to_string();
                        commands.push(AppCommand::OpenBasemap(path));
                    }
                }
                Err(TryRecvError::Disconnected) => self.basemap_window.browsing = None,
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(200))
                }
            }
        }
        let mut open = self.basemap_window.open;
        egui::Window::new(Text::Basemap.get(lang))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                match &self.map.basemap {
                    Some(b) => {
                        ui.label(format!(
                            "{} ({}, z{}–{})",
                            b.path.display(),
                            b.meta.format,
                            b.meta.min_zoom,
                            b.meta.max_zoom
                        ));
                    }
                    None => {
                        ui.label(RichText::new(Text::NoBasemap.get(lang)).weak());
                    }
                }
                ui.horizontal(|ui| {
                    ui.label(Text::BasemapPath.get(lang));
                    ui.text_edit_singleline(&mut self.basemap_window.path_text);
                });
                ui.horizontal(|ui| {
                    if ui.button(Text::OpenBasemap.get(lang)).clicked() {
                        commands.push(AppCommand::OpenBasemap(PathBuf::from(
                            self.basemap_window.path_text.trim(),
                        )));
                    }
                    if ui
                        .add_enabled(
                            self.basemap_window.browsing.is_none(),
                            egui::Button::new(Text::Browse.get(lang)),
                        )
                        .clicked()
                    {
                        self.basemap_window.browsing =
                            Some(crate::gui::browse_for_file("MBTiles", &["mbtiles"]));
                    }
                    if ui
                        .add_enabled(
                            self.map.basemap.is_some(),
                            egui::Button::new(Text::RemoveBasemap.get(lang)),
                        )
                        .clicked()
                    {
                        commands.push(AppCommand::RemoveBasemap);
                    }
                });
                ui.checkbox(&mut self.prefs.basemap.gcj02, Text::BasemapGcj02.get(lang));
                ui.horizontal(|ui| {
                    ui.label(Text::Opacity.get(lang));
                    ui.add(egui::Slider::new(
                        &mut self.prefs.basemap.opacity,
                        0.0..=1.0,
                    ));
                });
                if let Some(e) = &self.basemap_window.error {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("{}: {e}", Text::BasemapFailed.get(lang)),
                    );
                }
                if let Some(e) = self
                    .map
                    .basemap
                    .as_ref()
                    .and_then(|b| b.last_error.as_ref())
                {
                    ui.colored_label(ui.visuals().warn_fg_color, e);
                }
            });
        self.basemap_window.open = open;
    }

    fn loading_or_error(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            if let Some(importing) = &self.importing {
                ui.label(RichText::new(Text::Importing.get(lang)).size(18.0));
                ui.add_space(8.0);
                let bar = match importing.progress {
                    Some(p) => ProgressBar::new(p.fraction()).show_percentage(),
                    None => ProgressBar::new(0.0).animate(true),
                };
                ui.add(bar.desired_width(420.0));
            } else if let Some(loading) = &self.loading {
                ui.label(RichText::new(loading.stage.text().get(lang)).size(18.0));
                ui.add_space(8.0);
                let bar = match loading.fraction {
                    Some(f) => ProgressBar::new(f).show_percentage(),
                    None => ProgressBar::new(0.0).animate(true),
                };
                ui.add(bar.desired_width(420.0));
            } else if let Some(e) = &self.error {
                ui.label(
                    RichText::new(Text::LoadFailed.get(lang))
                        .size(20.0)
                        .color(ui.visuals().error_fg_color),
                );
                ui.add_space(8.0);
                ui.label(e.message(lang));
                ui.add_space(8.0);
                if ui.button(Text::Retry.get(lang)).clicked() {
                    commands.push(AppCommand::Retry);
                }
            }
        });
    }
}

impl eframe::App for LinliApp {
    fn ui(&mut self, ui: &mut Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        self.poll_loading(&ctx);
        self.poll_import();
        let lang = self.prefs.lang;
        if self.title_lang != Some(lang) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(
                Text::AppTitle.get(lang).to_string(),
            ));
            self.title_lang = Some(lang);
        }
        let mut commands = Vec::new();
        self.shortcuts(&ctx, &mut commands);
        egui::Panel::top("linli-top").show(ui, |ui| self.top_bar(ui, &mut commands));
        if let Some(ws) = self.workspace.as_ref() {
            let session = &ws.loaded.session;
            let input = ToolbarInput {
                lang,
                catalog: session.catalog(),
                tool: &self.tool,
                can_undo: session.can_undo(),
                can_redo: session.can_redo(),
                snap: self.prefs.edit.snap,
            };
            egui::Panel::top("linli-tools").show(ui, |ui| {
                commands.extend(tools::show(ui, &input).into_iter().map(AppCommand::Tool));
            });
        }
        egui::Panel::bottom("linli-status").show(ui, |ui| self.status_bar(ui));
        if let Some(ws) = self.workspace.as_ref() {
            let data = &ws.loaded.data;
            egui::Panel::left("linli-layers")
                .default_size(style::LEFT_PANEL_WIDTH)
                .resizable(true)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        commands.extend(
                            layers_panel::show(ui, lang, data, &ws.styles, &ws.order)
                                .into_iter()
                                .map(AppCommand::Layer),
                        );
                        ui.add_space(12.0);
                        ui.separator();
                        layers_panel::legend(
                            ui,
                            lang,
                            ws.loaded.session.catalog(),
                            ws.loaded.session.plan(),
                        );
                    });
                });
            let names: Vec<String> = data
                .layers
                .iter()
                .map(|l| layers_panel::display_name(l, lang))
                .collect();
            let (session, plan_layer, generation) = (
                &ws.loaded.session,
                data.plan_layer(),
                data.generation as usize,
            );
            let (selection, selected_vertex, inspector_cache) =
                (self.selection, self.selected_vertex, &mut self.inspector);
            egui::Panel::right("linli-inspector")
                .default_size(style::RIGHT_PANEL_WIDTH)
                .resizable(true)
                .show(ui, |ui| {
                    let input = inspector::InspectorInput {
                        lang,
                        session,
                        plan_layer,
                        layer_names: &names,
                        selection,
                        data_generation: generation,
                        selected_vertex,
                    };
                    commands.extend(
                        inspector::show(ui, &input, inspector_cache)
                            .into_iter()
                            .map(AppCommand::Inspector),
                    );
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| match self.workspace.as_ref() {
            Some(ws) => {
                if self.fit_pending
                    && let Some(extent) = ws.loaded.data.extent
                {
                    self.prefs.view = Some(MapView::fit(extent, ui.available_size(), 24.0));
                    self.fit_pending = false;
                }
                let state = MapState {
                    data: &ws.loaded.data,
                    session: &ws.loaded.session,
                    styles: &ws.styles,
                    order: &ws.order,
                    view: self.prefs.view.unwrap_or_default(),
                    selection: self.selection,
                    selected_vertex: self.selected_vertex,
                    hover: self.hover,
                    tool: &self.tool,
                    snapping: self.prefs.edit.snap,
                    lang,
                    basemap_prefs: &self.prefs.basemap,
                };
                commands.extend(
                    map::show(ui, &state, &mut self.map)
                        .into_iter()
                        .map(AppCommand::Map),
                );
            }
            None => self.loading_or_error(ui, &mut commands),
        });
        self.basemap_window(&ctx, &mut commands);
        if self.import_window.open {
            let progress = self.importing.as_ref().and_then(|i| i.progress);
            if let Some((file, request)) =
                self.import_window
                    .show(&ctx, lang, self.importing.is_some(), progress)
            {
                commands.push(AppCommand::Import(file, request));
            }
        }
        self.apply(&ctx, commands);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.sync_layer_prefs();
        eframe::set_value(storage, eframe::APP_KEY, &self.prefs);
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
        Edit::SetProject { .. } | Edit::SetProperty { .. } => Text::EditOther,
        Edit::Duplicate { .. } => Text::EditDuplicate,
    }
}
