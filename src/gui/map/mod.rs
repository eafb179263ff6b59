//! The map canvas widget. Each frame it gets read-only state ([`MapState`]) and its own
//! memory (caches, the gesture in progress), draws, and returns [`MapCommand`]s that the app
//! applies after the frame. A drag — of the view, a feature or a vertex — reports its progress
//! (`Gesture::Ongoing`) and once more when released (`Gesture::Done`): the app records only
//! the `Done`, so one drag is one undo step.

pub mod basemap;
pub mod editing;
pub mod furniture;
pub mod hit;
pub mod paint;
pub mod pins;

use egui::{
    Color32, CursorIcon, Key, PointerButton, Pos2, Rect, Sense, Shape, Stroke, Ui, Vec2, vec2,
};
use geo::{Coord, Geometry};
use uuid::Uuid;

use crate::Session;
use crate::i18n::Lang;
use crate::sketch::snap::Snap;
use crate::sketch::vertex::{self, VertexRef};

use crate::gui::map::basemap::{Basemap, BasemapPrefs};
use crate::gui::map::editing::LiveInfo;
use crate::gui::map::hit::{FeatureRef, hit_test};
use crate::gui::map::paint::{EguiFonts, PaintCache};
use crate::gui::panels::tools::Tool;
use crate::gui::style;
use crate::render::data::{MapData, plan_look};
use crate::render::geometry::{DrawKind, lod_for};
use crate::render::layers::LayerStyle;
use crate::render::pins::MapPin;
use crate::render::projection::{MapView, MercBox, ScreenTransform, lon_lat_from_merc};
use crate::render::scene::{Scene, SceneInput, push_fill};

/// Whether a change is a finished step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gesture {
    /// In the middle of a drag: show it, do not record it.
    Ongoing,
    /// A complete step (end of a drag, a click, a wheel notch, a key, a button).
    Done,
}

/// What the map asks the app to do after the frame.
#[derive(Debug, Clone, PartialEq)]
pub enum MapCommand {
    /// Show another part of the map.
    SetView {
        /// The new view.
        view: MapView,
        /// Whether the change is complete.
        gesture: Gesture,
    },
    /// Select a feature, or clear the selection.
    Select(Option<FeatureRef>),
    /// The feature under the pointer changed.
    Hover(Option<FeatureRef>),
    /// The pointer's position on the map changed (WGS84 lon, lat), or it left the map.
    Pointer(Option<(f64, f64)>),
    /// Add a vertex (WGS84 lon/lat, snapped when snapping) to the sketch of the draw tool.
    SketchAdd(Coord<f64>),
    /// Finish the sketch: the app adds the feature.
    SketchFinish,
    /// Give a plan feature a new geometry: the feature or a vertex dragged, a vertex inserted.
    Reshape {
        /// The feature.
        id: Uuid,
        /// Its new geometry, WGS84 lon/lat.
        geometry: Geometry<f64>,
        /// `Ongoing` while dragging (a preview); `Done` once, at the end: the edit.
        gesture: Gesture,
    },
    /// Select a vertex of the selected plan feature, or none.
    SelectVertex(Option<VertexRef>),
    /// Place the pin the app waits for here (a click while placing a pin), WGS84
    /// `[lon, lat]`.
    PlacePin([f64; 2]),
    /// A tap while residents' input is armed (`MapState::taking_input`): where, WGS84
    /// `[lon, lat]`, and the plan feature under it, if any.
    InputTap {
        /// Where it landed.
        lon_lat: [f64; 2],
        /// The plan feature under it.
        feature: Option<Uuid>,
    },
    /// A meeting's pin was dragged here (sent once, when dropped: one step).
    MovePin {
        /// The meeting.
        meeting: Uuid,
        /// The note's position among its notes.
        note: usize,
        /// Where it was dropped, WGS84 `[lon, lat]`.
        lon_lat: [f64; 2],
    },
}

/// The read-only state the map draws.
#[derive(Debug, Clone, Copy)]
pub struct MapState<'a> {
    /// The data.
    pub data: &'a MapData,
    /// The open workspace (snapping candidates, plan geometries, siting checks).
    pub session: &'a Session,
    /// One style per layer.
    pub styles: &'a [LayerStyle],
    /// Drawing order, bottom first.
    pub order: &'a [usize],
    /// The view.
    pub view: MapView,
    /// The selected feature.
    pub selection: Option<FeatureRef>,
    /// The selected vertex of the selected plan feature.
    pub selected_vertex: Option<VertexRef>,
    /// The hovered feature.
    pub hover: Option<FeatureRef>,
    /// The active tool.
    pub tool: &'a Tool,
    /// Whether snapping is on (holding Alt suspends it).
    pub snapping: bool,
    /// The interface language (furniture text).
    pub lang: Lang,
    /// Basemap settings.
    pub basemap_prefs: &'a BasemapPrefs,
    /// Plan slots of the selected project's features (outlined).
    pub project_slots: &'a [usize],
    /// Plan slots of the features that belong to no project, when marked (outlined).
    pub unassigned_slots: &'a [usize],
    /// Meetings' pins to draw (and to drag, with the Select tool).
    pub pins: &'a [MapPin],
    /// The number of the note whose pin the next click places, if the app waits for one.
    pub placing_pin: Option<usize>,
    /// The hint shown while the next click makes a resident's input (an armed kind of the
    /// input strip): that click is an [`MapCommand::InputTap`], whatever the tool.
    pub taking_input: Option<&'a str>,
}

impl<'a> MapState<'a> {
    /// The selected plan feature when the Select tool can edit it: its id and geometry.
    fn editable(&self) -> Option<(Uuid, &'a Geometry<f64>)> {
        if *self.tool != Tool::Select {
            return None;
        }
        let f = self.selection?;
        if Some(f.layer) != self.data.plan_layer() {
            return None;
        }
        let session: &'a Session = self.session;
        let p = session.plan().get(f.feature)?;
        Some((p.feature.id, &p.feature.geometry))
    }

    fn element_of(&self, id: Uuid) -> Option<&'a str> {
        let session: &'a Session = self.session;
        session.plan_feature(id).map(|f| f.element.as_str())
    }
}

/// What a drag on the selected feature holds.
#[derive(Debug, Clone, PartialEq)]
enum Grab {
    /// A vertex (possibly one just inserted on an edge).
    Vertex(VertexRef),
    /// The whole feature, grabbed at this Mercator point.
    Body([f64; 2]),
}

/// A drag that edits a plan feature.
#[derive(Debug, Clone, PartialEq)]
struct EditDrag {
    id: Uuid,
    /// The geometry before the drag.
    original: Geometry<f64>,
    /// The geometry the drag works on (the original, with a vertex inserted for edge drags).
    base: Geometry<f64>,
    grab: Grab,
    /// The geometry now.
    current: Geometry<f64>,
}

/// The drag in progress.
#[derive(Debug, Clone, PartialEq)]
enum Drag {
    /// Panning; the view when it started.
    Pan(MapView),
    /// Editing a feature.
    Edit(Box<EditDrag>),
    /// Moving a meeting's pin.
    Pin(Box<pins::PinDrag>),
    /// Cancelled with Esc: ignored until the button is released.
    Cancelled,
}

/// The map's own memory between frames.
#[derive(Debug, Default)]
pub struct MapMemory {
    /// The scene: what the map's layers look like in the last frame, as plain primitives.
    pub scene: Scene,
    /// The scene's primitives as egui shapes, remade only when the scene changes.
    pub paint: PaintCache,
    /// The open basemap.
    pub basemap: Option<Basemap>,
    /// Where the map was last drawn.
    pub last_rect: Option<Rect>,
    drag: Option<Drag>,
    /// What the pointer snapped to in the last frame.
    pub snap: Option<Snap>,
    /// Measures and warnings of what is being drawn or dragged, as of the last frame.
    pub live: Option<LiveInfo>,
    /// The geometry `live` was computed for: siting checks run again only when it changes.
    live_for: Option<(String, Geometry<f64>)>,
}

impl MapMemory {
    /// Cancels a feature, vertex or pin drag (Esc): nothing is applied.
    pub fn cancel_edit_drag(&mut self) -> bool {
        if matches!(self.drag, Some(Drag::Edit(_) | Drag::Pin(_))) {
            self.drag = Some(Drag::Cancelled);
            true
        } else {
            false
        }
    }

    /// The geometry being drawn or dragged, with its element type: what the coverage what-if
    /// measures.
    pub fn live_geometry(&self) -> Option<(&str, &Geometry<f64>)> {
        self.live_for.as_ref().map(|(e, g)| (e.as_str(), g))
    }

    /// True while a feature, a vertex or a pin is being dragged.
    pub fn is_edit_dragging(&self) -> bool {
        matches!(self.drag, Some(Drag::Edit(_) | Drag::Pin(_)))
    }

    fn update_live(
        &mut self,
        session: &Session,
        element: &str,
        geometry: Option<&Geometry<f64>>,
        vertices: usize,
    ) {
        let Some(geometry) = geometry else {
            self.live = None;
            self.live_for = None;
            return;
        };
        let same = self
            .live_for
            .as_ref()
            .is_some_and(|(e, g)| e == element && g == geometry);
        if !same {
            self.live = Some(editing::live_info(session, element, geometry, vertices));
            self.live_for = Some((element.to_string(), geometry.clone()));
        } else if let Some(live) = self.live.as_mut() {
            live.vertices = vertices;
        }
    }
}

/// Keyboard pan step, points.
const KEY_PAN_PX: f32 = 100.0;
/// Zoom factor of one key press, button or double click.
pub const ZOOM_STEP: f64 = 2.0;

/// Where a press on the selected feature starts an edit drag, if it does.
fn start_edit_drag(state: &MapState<'_>, t: &ScreenTransform, origin: Pos2) -> Option<EditDrag> {
    let (id, geometry) = state.editable()?;
    let make = |base: Geometry<f64>, grab: Grab| EditDrag {
        id,
        original: geometry.clone(),
        current: base.clone(),
        base,
        grab,
    };
    if let Some(v) = editing::vertex_at(geometry, t, origin, style::HANDLE_HIT_PX) {
        return Some(make(geometry.clone(), Grab::Vertex(v)));
    }
    if let Some((edge, at)) = editing::edge_at(geometry, t, origin, style::HANDLE_HIT_PX)
        && let Some(inserted) = vertex::insert_vertex(geometry, edge, at)
    {
        return Some(make(inserted, Grab::Vertex(editing::inserted_ref(edge))));
    }
    let hit = hit_test(
        state.data,
        state.styles,
        state.order,
        t,
        origin,
        style::HIT_TOLERANCE_PX,
    );
    (hit.is_some() && hit == state.selection)
        .then(|| make(geometry.clone(), Grab::Body(t.merc_from_screen(origin))))
}

/// Draws the map in the rest of `ui` and returns what it asks for.
#[must_use]
pub fn show(ui: &mut Ui, state: &MapState<'_>, memory: &mut MapMemory) -> Vec<MapCommand> {
    let (rect, response) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    memory.last_rect = Some(rect);
    let mut commands = Vec::new();
    let mut view = state.view;
    let pointer = response.hover_pos();
    // Presses are judged against the map as it was drawn when they happened.
    let t_before = view.transform(rect);
    let snapping = state.snapping && !ui.input(|i| i.modifiers.alt);
    let snap_at = |t: &ScreenTransform, pos: Pos2, exclude: Option<Uuid>| {
        editing::snap_at(state.session, state.data, state.styles, t, pos, exclude)
    };
    memory.snap = None;

    // --- drags: the selected feature or one of its vertices, else the view ---
    if response.drag_started() {
        let origin = ui.input(|i| i.pointer.press_origin()).or(pointer);
        // A pin lies on top of everything: it is grabbed first.
        let pin = origin
            .filter(|_| *state.tool == Tool::Select)
            .and_then(|o| pins::grab(&memory.scene, o));
        memory.drag = Some(match pin {
            Some(pin) => Drag::Pin(Box::new(pin)),
            None => match origin.and_then(|o| start_edit_drag(state, &t_before, o)) {
                Some(edit) => Drag::Edit(Box::new(edit)),
                None => Drag::Pan(view),
            },
        });
    }
    if response.dragged() {
        match memory.drag.as_mut() {
            Some(Drag::Edit(drag)) => {
                if let Some(pos) = ui.input(|i| i.pointer.latest_pos()) {
                    let geometry = match &drag.grab {
                        Grab::Vertex(v) => {
                            let snapped = if snapping {
                                snap_at(&t_before, pos, Some(drag.id))
                            } else {
                                None
                            };
                            memory.snap = snapped;
                            let to = snapped
                                .map_or_else(|| editing::lon_lat_at(&t_before, pos), |s| s.lon_lat);
                            vertex::move_vertex(&drag.base, *v, to)
                                .unwrap_or_else(|| drag.base.clone())
                        }
                        Grab::Body(from) => {
                            editing::translated(&drag.base, *from, t_before.merc_from_screen(pos))
                        }
                    };
                    if geometry != drag.current {
                        drag.current = geometry.clone();
                        commands.push(MapCommand::Reshape {
                            id: drag.id,
                            geometry,
                            gesture: Gesture::Ongoing,
                        });
                    }
                }
                ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
            }
            Some(Drag::Pin(drag)) => {
                if let Some(pos) = ui.input(|i| i.pointer.latest_pos()) {
                    drag.follow(&t_before, pos);
                }
                ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
            }
            Some(Drag::Cancelled) => {}
            Some(Drag::Pan(_)) | None => {
                let delta = response.drag_delta();
                if delta != Vec2::ZERO {
                    view = view.panned(delta);
                    commands.push(MapCommand::SetView {
                        view,
                        gesture: Gesture::Ongoing,
                    });
                }
                ui.ctx().set_cursor_icon(CursorIcon::Grabbing);
            }
        }
    }
    // The frame that ends a drag still draws its result: the edit is applied after the frame.
    let mut dropped = None;
    let mut dropped_pin = None;
    if response.drag_stopped() {
        match memory.drag.take() {
            Some(Drag::Pan(start)) if start != view => commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Done,
            }),
            Some(Drag::Edit(drag)) => {
                dropped = Some(drag.as_ref().clone());
                let EditDrag {
                    id,
                    original,
                    grab,
                    current,
                    ..
                } = *drag;
                if current != original {
                    commands.push(MapCommand::Reshape {
                        id,
                        geometry: current,
                        gesture: Gesture::Done,
                    });
                }
                if let Grab::Vertex(v) = grab {
                    commands.push(MapCommand::SelectVertex(Some(v)));
                }
            }
            Some(Drag::Pin(drag)) if !drag.unmoved() => {
                let (meeting, note) = drag.target();
                commands.push(MapCommand::MovePin {
                    meeting,
                    note,
                    lon_lat: drag.lon_lat,
                });
                dropped_pin = Some(*drag);
            }
            _ => {}
        }
    }
    let pin_drag = match &memory.drag {
        Some(Drag::Pin(drag)) if response.dragged() => Some(drag.as_ref().clone()),
        _ => dropped_pin,
    };
    let edit_drag = match &memory.drag {
        Some(Drag::Edit(drag)) if response.dragged() => Some(drag.as_ref().clone()),
        _ => dropped,
    };

    // --- wheel, keys -> view ---
    if let Some(anchor) = pointer {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = f64::from(zoom) * (f64::from(scroll) / 300.0).exp();
        if (factor - 1.0).abs() > 1e-6 {
            view = view.zoomed_around(factor, anchor, rect);
            commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Done,
            });
        }
    }
    if !ui.ctx().egui_wants_keyboard_input() {
        let keys = ui.input(|i| {
            let pan = [
                (Key::ArrowLeft, vec2(KEY_PAN_PX, 0.0)),
                (Key::ArrowRight, vec2(-KEY_PAN_PX, 0.0)),
                (Key::ArrowUp, vec2(0.0, KEY_PAN_PX)),
                (Key::ArrowDown, vec2(0.0, -KEY_PAN_PX)),
            ]
            .into_iter()
            .filter(|(k, _)| i.key_pressed(*k))
            .fold(Vec2::ZERO, |sum, (_, d)| sum + d);
            let zoom_in = i.key_pressed(Key::Plus) || i.key_pressed(Key::Equals);
            let zoom_out = i.key_pressed(Key::Minus);
            (pan, zoom_in, zoom_out)
        });
        let (pan, zoom_in, zoom_out) = keys;
        if pan != Vec2::ZERO {
            view = view.panned(pan);
        }
        if zoom_in {
            view = view.zoomed_around(ZOOM_STEP, rect.center(), rect);
        }
        if zoom_out {
            view = view.zoomed_around(1.0 / ZOOM_STEP, rect.center(), rect);
        }
        if pan != Vec2::ZERO || zoom_in || zoom_out {
            commands.push(MapCommand::SetView {
                view,
                gesture: Gesture::Done,
            });
        }
    }

    let t = view.transform(rect);
    let editable = state.editable();
    // --- clicks: by the tool ---
    // Only real pointer clicks: Enter or Space on a focused map must not click where the
    // pointer happens to be.
    let click = response
        .clicked_by(PointerButton::Primary)
        .then(|| response.interact_pointer_pos())
        .flatten();
    let hit_at = |pos: Pos2| {
        hit_test(
            state.data,
            state.styles,
            state.order,
            &t,
            pos,
            style::HIT_TOLERANCE_PX,
        )
    };
    if let (Some(_), Some(pos)) = (state.placing_pin, click) {
        // The app waits for the place of a pin: this click is it, whatever the tool.
        let c = editing::lon_lat_at(&t, pos);
        commands.push(MapCommand::PlacePin([c.x, c.y]));
    }
    if let (Some(_), Some(pos)) = (state.taking_input, click) {
        let c = editing::lon_lat_at(&t, pos);
        let feature = hit_at(pos)
            .filter(|f| Some(f.layer) == state.data.plan_layer())
            .and_then(|f| state.session.plan().get(f.feature))
            .map(|p| p.feature.id);
        commands.push(MapCommand::InputTap {
            lon_lat: [c.x, c.y],
            feature,
        });
    }
    let click = click.filter(|_| state.placing_pin.is_none() && state.taking_input.is_none());
    match state.tool {
        Tool::Select => {
            if let Some(pos) = click {
                let mut handled = false;
                if let Some((id, geometry)) = editable {
                    if let Some(v) = editing::vertex_at(geometry, &t, pos, style::HANDLE_HIT_PX) {
                        commands.push(MapCommand::SelectVertex(Some(v)));
                        handled = true;
                    } else if let Some((edge, at)) =
                        editing::edge_at(geometry, &t, pos, style::HANDLE_HIT_PX)
                        && let Some(inserted) = vertex::insert_vertex(geometry, edge, at)
                    {
                        commands.push(MapCommand::Reshape {
                            id,
                            geometry: inserted,
                            gesture: Gesture::Done,
                        });
                        commands.push(MapCommand::SelectVertex(Some(editing::inserted_ref(edge))));
                        handled = true;
                    }
                }
                if !handled {
                    let hit = hit_at(pos);
                    if hit != state.selection {
                        commands.push(MapCommand::Select(hit));
                    } else if state.selected_vertex.is_some() {
                        commands.push(MapCommand::SelectVertex(None));
                    }
                    if response.double_clicked() {
                        view = view.zoomed_around(ZOOM_STEP, pos, rect);
                        commands.push(MapCommand::SetView {
                            view,
                            gesture: Gesture::Done,
                        });
                    }
                }
            }
        }
        Tool::Draw(sketch) => {
            if let Some(pos) = pointer.filter(|_| snapping && edit_drag.is_none()) {
                memory.snap = snap_at(&t, pos, None);
            }
            if let Some(pos) = click {
                let near_last = sketch.vertices.last().is_some_and(|&c| {
                    editing::screen_of(&t, c).distance(pos) <= style::DOUBLE_CLICK_PX
                });
                let at = memory
                    .snap
                    .map_or_else(|| editing::lon_lat_at(&t, pos), |s| s.lon_lat);
                // A quick click before the double-click makes egui count a triple: the same.
                let multi_click = response.double_clicked() || response.triple_clicked();
                if multi_click && sketch.finishes_on_click() {
                    // The second click of a double-click on a point tool: one point, not two.
                } else if multi_click {
                    // The first click placed the last vertex (unless both came in one frame):
                    // finish there.
                    if !near_last {
                        commands.push(MapCommand::SketchAdd(at));
                    }
                    commands.push(MapCommand::SketchFinish);
                } else {
                    commands.push(MapCommand::SketchAdd(at));
                    if sketch.finishes_on_click() {
                        commands.push(MapCommand::SketchFinish);
                    }
                }
            }
        }
    }
    // The view may have changed (double-click zoom) after `t` was made; the rest of the frame
    // draws with the final view.
    let t = view.transform(rect);

    // --- hover ---
    let dragging = response.dragged();
    let hover = if dragging || matches!(state.tool, Tool::Draw(_)) || state.placing_pin.is_some() {
        None
    } else {
        pointer.and_then(hit_at)
    };
    if hover != state.hover {
        commands.push(MapCommand::Hover(hover));
    }
    commands.push(MapCommand::Pointer(
        pointer.map(|p| lon_lat_from_merc(t.merc_from_screen(p))),
    ));

    // --- live measures of what is drawn or dragged ---
    let cursor = memory
        .snap
        .map(|s| s.lon_lat)
        .or_else(|| pointer.map(|p| editing::lon_lat_at(&t, p)));
    match (&edit_drag, state.tool) {
        (Some(drag), _) => {
            let element = state.element_of(drag.id).unwrap_or_default().to_string();
            let n = vertex::vertices(&drag.current).len();
            memory.update_live(state.session, &element, Some(&drag.current), n);
        }
        (None, Tool::Draw(sketch)) => {
            let preview = sketch.preview(cursor);
            memory.update_live(
                state.session,
                &sketch.element,
                preview.as_ref(),
                sketch.vertices.len(),
            );
        }
        (None, Tool::Select) => memory.update_live(state.session, "", None, 0),
    }

    // --- drawing ---
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, style::MAP_BACKGROUND);
    let mut under = Vec::new();
    if state.basemap_prefs.visible
        && let Some(basemap) = memory.basemap.as_mut()
    {
        basemap.paint(
            ui.ctx(),
            &t,
            rect,
            view.m_per_point,
            state.basemap_prefs,
            &mut under,
        );
    }
    painter.extend(under);
    let input = SceneInput {
        palette: Default::default(),
        data: state.data,
        styles: state.styles,
        order: state.order,
        view,
        rect: rect.into(),
    };
    memory
        .scene
        .set_pins(&pins::in_scene(state.pins, pin_drag.as_ref()));
    ui.ctx().fonts_mut(|fonts| {
        memory.scene.update(&input, &mut EguiFonts(fonts));
        memory.paint.update(&memory.scene, fonts);
    });
    painter.extend(memory.paint.shapes().iter().cloned());
    let mut overlay = Vec::new();
    if let Some(plan_layer) = state.data.plan_layer() {
        for (slots, colour, width) in [
            (
                state.unassigned_slots,
                style::UNASSIGNED_STROKE,
                style::UNASSIGNED_WIDTH,
            ),
            (
                state.project_slots,
                style::PROJECT_STROKE,
                style::PROJECT_WIDTH,
            ),
        ] {
            for &feature in slots {
                let f = FeatureRef {
                    layer: plan_layer,
                    feature,
                };
                highlight(
                    state.data,
                    f,
                    &t,
                    &t.merc_box_of(rect),
                    view.m_per_point,
                    colour,
                    width,
                    None,
                    &mut overlay,
                );
            }
        }
    }
    if let Some(sel) = state.selection
        && edit_drag.is_none()
    {
        highlight(
            state.data,
            sel,
            &t,
            &t.merc_box_of(rect),
            view.m_per_point,
            style::SELECT_STROKE,
            style::SELECT_WIDTH,
            Some(style::SELECT_FILL),
            &mut overlay,
        );
    }
    if let Some(h) = hover.filter(|h| Some(*h) != state.selection) {
        highlight(
            state.data,
            h,
            &t,
            &t.merc_box_of(rect),
            view.m_per_point,
            style::HOVER_STROKE,
            style::HOVER_WIDTH,
            None,
            &mut overlay,
        );
    }
    let mut cursor_icon = None;
    if let Some(drag) = &edit_drag {
        let look = state
            .element_of(drag.id)
            .map(|e| plan_look(state.session.catalog(), e));
        editing::paint_geometry(
            &drag.current,
            &t,
            style::PREVIEW_FILL,
            Stroke::new(style::SELECT_WIDTH, style::PREVIEW_STROKE),
            look.as_ref(),
            &mut overlay,
        );
        let selected = match drag.grab {
            Grab::Vertex(v) => Some(v),
            Grab::Body(_) => None,
        };
        editing::paint_handles(&drag.current, &t, selected, &mut overlay);
    } else if let Some((_, geometry)) = editable {
        editing::paint_handles(geometry, &t, state.selected_vertex, &mut overlay);
        if let Some(pos) = pointer.filter(|_| !dragging) {
            if editing::vertex_at(geometry, &t, pos, style::HANDLE_HIT_PX).is_some() {
                cursor_icon = Some(CursorIcon::Grab);
            } else if let Some((_, at)) = editing::edge_at(geometry, &t, pos, style::HANDLE_HIT_PX)
            {
                editing::paint_insert_marker(editing::screen_of(&t, at), &mut overlay);
                cursor_icon = Some(CursorIcon::Crosshair);
            } else if hover.is_some() && hover == state.selection {
                cursor_icon = Some(CursorIcon::Move);
            }
        }
    }
    if let Tool::Draw(sketch) = state.tool {
        let look = plan_look(state.session.catalog(), &sketch.element);
        let preview = sketch.preview(cursor.filter(|_| pointer.is_some()));
        editing::paint_sketch(preview.as_ref(), &sketch.vertices, &t, &look, &mut overlay);
        if pointer.is_some() && !dragging {
            cursor_icon = Some(CursorIcon::Crosshair);
        }
    }
    if let Some(snap) = &memory.snap {
        editing::paint_snap(snap, &t, &mut overlay);
    }
    painter.extend(overlay);
    painter.extend(memory.paint.pin_shapes().iter().cloned());
    if let Some(drag) = &pin_drag {
        pins::paint_dragged(&painter, &t, drag);
        cursor_icon = Some(CursorIcon::Grabbing);
    } else if let Some(number) = state.placing_pin {
        let hint = crate::i18n::pins::picking_hint(state.lang, number);
        pins::paint_picking_hint(&painter, rect, pointer, hint);
        if pointer.is_some() {
            cursor_icon = Some(CursorIcon::Crosshair);
        }
    } else if let Some(hint) = state.taking_input {
        pins::paint_picking_hint(&painter, rect, pointer, hint.to_string());
        if pointer.is_some() {
            cursor_icon = Some(CursorIcon::Crosshair);
        }
    } else if *state.tool == Tool::Select
        && !dragging
        && pointer.is_some_and(|p| pins::is_over(&memory.scene, p))
    {
        cursor_icon = Some(CursorIcon::Grab);
    }
    if let (Some(live), Some(pos)) = (&memory.live, pointer) {
        furniture::live_box(&painter, rect, pos, live, state);
    }
    match cursor_icon {
        Some(icon) => ui.ctx().set_cursor_icon(icon),
        None if hover.is_some() && !dragging => ui.ctx().set_cursor_icon(CursorIcon::PointingHand),
        None => {}
    }
    furniture::scale_bar(&painter, rect, &view, state.lang);
    furniture::north_arrow(&painter, rect, state.lang);
    commands
}

/// Outlines (and for the selection fills) one feature on top of the map.
#[allow(clippy::too_many_arguments)]
pub(crate) fn highlight(
    data: &MapData,
    f: FeatureRef,
    t: &ScreenTransform,
    view_box: &MercBox,
    m_per_point: f64,
    colour: Color32,
    width: f32,
    fill: Option<Color32>,
    out: &mut Vec<Shape>,
) {
    let Some(layer) = data.layers.get(f.layer) else {
        return;
    };
    // A stored layer's feature is found in the tiles drawn now, by its row id.
    let parts = if layer.stored.is_some() {
        data.parts_in_view(f.layer, view_box, m_per_point)
    } else {
        Vec::new()
    };
    let (geom, index) = if layer.stored.is_some() {
        let Some((part, i)) = parts
            .iter()
            .find_map(|p| Some((p, p.index_of(i64::try_from(f.feature).ok()?)?)))
        else {
            return;
        };
        (&part.layer.geom, i)
    } else {
        (&layer.geom, f.feature)
    };
    let Some(feature) = geom.features.get(index) else {
        return;
    };
    let lod = &feature.lods[lod_for(m_per_point)];
    let stroke = Stroke::new(width, colour);
    let size_px = (feature.bbox.width().max(feature.bbox.height()) * t.points_per_m()) as f32;
    if feature.kind == DrawKind::Point || size_px < style::PLAN_SYMBOL_BELOW_PX {
        let at = feature.label_at.unwrap_or(feature.bbox.center());
        out.push(Shape::circle_stroke(
            t.screen_from_merc(at).into(),
            style::SYMBOL_RADIUS + 4.0,
            stroke,
        ));
        if feature.kind == DrawKind::Point {
            return;
        }
    }
    if let (Some(fill), DrawKind::Polygon) = (fill, feature.kind) {
        let mut mesh = crate::render::primitive::Mesh::default();
        push_fill(&mut mesh, geom, lod, t, paint::rgba(fill));
        let fill = crate::render::primitive::Primitive::Mesh(std::sync::Arc::new(mesh));
        paint::to_shapes(&[fill], None, &mut Vec::new(), out);
    }
    for ring in &geom.rings[lod.rings()] {
        let points: Vec<Pos2> = geom.vertices[ring.range()]
            .iter()
            .map(|&p| t.screen_from_merc(p).into())
            .collect();
        out.push(if ring.closed {
            Shape::closed_line(points, stroke)
        } else {
            Shape::line(points, stroke)
        });
    }
}
