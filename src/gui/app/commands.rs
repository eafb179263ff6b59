//! Everything the window's parts and the keyboard ask for, as plain data, and how each is
//! applied after the frame. Edits of the plan go on to [`edits`](super::edits).

use std::path::PathBuf;

use uuid::Uuid;

use crate::i18n::Lang;
use crate::session::Edit;
use crate::session::ImportRequest;

use crate::gui::map::basemap::Basemap;
use crate::gui::map::{Gesture, MapCommand};
use crate::gui::panels::inspector::InspectorCommand;
use crate::gui::panels::layers::LayerCommand;
use crate::gui::panels::tools::{Tool, ToolCommand};
use crate::gui::windows::basemap::BasemapCommand;
use crate::gui::windows::projects::ProjectCommand;
use crate::render::projection::{MapView, MercBox};

use super::LinliApp;

/// Everything the app does in response to the panels, applied after the frame.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum AppCommand {
    /// From the map: view, selection, hover, the sketch, a reshape.
    Map(MapCommand),
    /// From the layers panel: style, order, zoom to a layer.
    Layer(LayerCommand),
    /// Top bar: show the whole workspace.
    ZoomToWorkspace,
    /// Top bar: show the selected feature and its surroundings.
    ZoomToSelection,
    /// Top bar: zoom around the map's centre by this factor.
    ZoomBy(f64),
    /// Top bar: the interface language.
    SetLang(Lang),
    /// From the basemap window: open or remove the basemap.
    Basemap(BasemapCommand),
    /// Loading screen: open the workspace again.
    Retry,
    /// From the tool bar: tools, undo/redo, snapping.
    Tool(ToolCommand),
    /// From the inspector: rename, retype, delete, duplicate, delete a vertex.
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
    /// From the projects window.
    Project(ProjectCommand),
    Coverage(crate::gui::windows::coverage::CoverageCommand),
    /// F5, or a meeting's "present": presentation mode on these slides of this meeting
    /// (none: the whole area).
    Present(Option<Uuid>, Vec<crate::model::meeting::Slide>),
    /// From the residents' input strip.
    Strip(crate::gui::meeting_room::StripAction),
    /// From the district window.
    District(crate::gui::windows::district::DistrictAction),
}

impl LinliApp {
    /// Opens an MBTiles file as the basemap and remembers it in the settings.
    pub(super) fn open_basemap(
        &mut self,
        ctx: &egui::Context,
        path: &std::path::Path,
    ) -> Result<(), String> {
        let basemap = Basemap::open(path, ctx)?;
        self.map.basemap = Some(basemap);
        self.prefs.basemap.path = Some(path.to_path_buf());
        Ok(())
    }

    /// Shows `area`, as one view step.
    pub(super) fn fit(&mut self, area: MercBox) {
        let size = self
            .map
            .last_rect
            .map_or(egui::vec2(1000.0, 700.0), |r| r.size());
        self.prefs.view = Some(MapView::fit(area, size, 24.0));
        self.completed_view_steps += 1;
    }

    /// Applies the frame's commands in the order they were given.
    pub(super) fn apply(&mut self, ctx: &egui::Context, commands: Vec<AppCommand>) {
        // The projects window's commands change what its frame drew before they took effect:
        // draw the next. (Not for every command: the map sends hover and pointer each frame.)
        if commands.iter().any(|c| matches!(c, AppCommand::Project(_))) {
            ctx.request_repaint();
        }
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
                AppCommand::Map(MapCommand::PlacePin(lon_lat)) => {
                    self.projects.place_pin(lon_lat);
                    // The form shows the new position: draw it.
                    ctx.request_repaint();
                }
                AppCommand::Map(MapCommand::MovePin {
                    meeting,
                    note,
                    lon_lat,
                }) => {
                    self.move_pin(meeting, note, lon_lat);
                    ctx.request_repaint();
                }
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
                AppCommand::Basemap(BasemapCommand::Open(path)) => {
                    match self.open_basemap(ctx, &path) {
                        Ok(()) => self.basemap_window.error = None,
                        Err(e) => self.basemap_window.error = Some(e),
                    }
                }
                AppCommand::Basemap(BasemapCommand::Remove) => {
                    self.map.basemap = None;
                    self.prefs.basemap.path = None;
                }
                AppCommand::Retry => self.start_loading(ctx, self.source.clone()),
                AppCommand::Import(file, request) => self.start_import(ctx, file, request),
                AppCommand::Project(ProjectCommand::Present(meeting, slides)) => {
                    self.enter_present(ctx, Some(meeting), slides);
                    return;
                }
                AppCommand::Project(command) => self.apply_project(command),
                AppCommand::Coverage(command) => self.apply_coverage(command),
                AppCommand::Present(meeting, slides) => {
                    self.enter_present(ctx, meeting, slides);
                    // Whatever else this frame asked for is dropped with the editing window.
                    return;
                }
                AppCommand::Strip(action) => self.apply_strip(action),
                AppCommand::District(action) => self.apply_district(ctx, action),
                AppCommand::Map(MapCommand::InputTap { lon_lat, feature }) => {
                    self.apply_input_tap(lon_lat, feature);
                }
            }
        }
    }
}
