//! 方案比选: two or three design alternatives of a project side by side, each on its own map
//! canvas showing the plan with that alternative's features, under it its label, team, area,
//! budget and the coverage it adds. The canvases share one camera (panning or zooming one moves
//! the others: there is one view, not three kept in step). Read-only by construction: the
//! canvases pan and zoom and nothing else, and the one thing the view can return is the choose
//! command.
//!
//! [`CompareView::window`] shows it as a floating window of the editing window;
//! [`CompareView::contents`] draws it into any `Ui` (the presentation mode mounts it full
//! screen).

use egui::{Color32, RichText, Sense, Ui, Vec2};
use uuid::Uuid;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::alternatives::{AlternativeText as T, area_text, status_name, wan_text};
use crate::render::data::MapData;
use crate::render::layers::{AlternativesShown, LayerStyle};
use crate::render::projection::{MapView, MercBox, merc_from_lon_lat};
use crate::render::scene::{Scene, SceneInput};
use crate::session::{AlternativeFigures, Command, CoverageSpec};

use crate::gui::map::paint::{EguiFonts, PaintCache};
use crate::gui::style;

/// How many alternatives are shown side by side at most.
pub const MAX_SHOWN: usize = 3;

/// What the comparison reads each frame.
#[derive(Clone, Copy)]
pub struct CompareInput<'a> {
    /// The interface language.
    pub lang: Lang,
    /// The open workspace.
    pub session: &'a Session,
    /// The map's data (the plan layer among it).
    pub data: &'a MapData,
    /// The map's layer styles (each canvas shows its own alternative on the plan layer).
    pub styles: &'a [LayerStyle],
    /// The map's drawing order.
    pub order: &'a [usize],
    /// The coverage analysis whose what-if gives "coverage added", if one is set up.
    pub coverage: Option<&'a CoverageSpec>,
    /// The look: the editing window's, or the projector's in presentation mode.
    pub palette: crate::render::style::Palette,
    /// What each alternative's button asks for: choosing it as the plan (the editing
    /// window), or a resident's vote for it (presentation mode, which has no path to a plan
    /// change: there the button only ever votes).
    pub ask: CompareAsk,
}

/// What the button under each alternative asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CompareAsk {
    /// 采用此方案: make it the project's plan.
    #[default]
    Choose,
    /// 投票给此方案: a resident's vote for it.
    Vote,
}

/// What the comparison asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CompareOut {
    /// Make this alternative the project's plan.
    Choose {
        /// The project.
        project: Uuid,
        /// The alternative.
        alternative: Uuid,
    },
    /// A vote for this alternative.
    Vote(Uuid),
}

impl CompareOut {
    /// The command it is in the editing window (a vote is the input strip's to make).
    pub fn command(self) -> Option<Command> {
        match self {
            Self::Choose {
                project,
                alternative,
            } => Some(Command::ChooseAlternative {
                project,
                alternative,
            }),
            Self::Vote(_) => None,
        }
    }
}

/// One canvas's drawing caches.
#[derive(Debug, Default)]
struct Canvas {
    scene: Scene,
    paint: PaintCache,
    /// The view it drew last.
    drawn: Option<MapView>,
}

/// The comparison's state between frames.
#[derive(Debug, Default)]
pub struct CompareView {
    /// Whether the window is shown.
    pub open: bool,
    /// The project compared.
    project: Option<Uuid>,
    /// The alternatives shown, in order (two or three).
    shown: Vec<Uuid>,
    /// The one camera every canvas draws with.
    view: Option<MapView>,
    canvases: Vec<Canvas>,
    /// The figures, with the session revision they were computed for.
    figures: Option<(u64, Vec<AlternativeFigures>)>,
    /// Why figures could not be computed (a coverage layer gone), as shown.
    error: Option<String>,
}

impl CompareView {
    /// Opens the comparison of project `project`'s alternatives: the first three (by label)
    /// side by side, the camera fitted to them all and the project's plan.
    pub fn open_for(&mut self, project: Uuid, session: &Session) {
        self.open = true;
        self.project = Some(project);
        self.shown = session
            .alternatives_of(project)
            .iter()
            .take(MAX_SHOWN)
            .map(|a| a.id)
            .collect();
        self.view = None;
        self.figures = None;
    }

    /// The project compared.
    pub fn project(&self) -> Option<Uuid> {
        self.project
    }

    /// The alternatives shown, in order.
    pub fn shown(&self) -> &[Uuid] {
        &self.shown
    }

    /// The shared camera.
    pub fn view(&self) -> Option<MapView> {
        self.view
    }

    /// The view each canvas drew last, in order (tests: linked cameras move together).
    pub fn drawn_views(&self) -> Vec<Option<MapView>> {
        self.canvases.iter().map(|c| c.drawn).collect()
    }

    /// The figures last shown, in the order of the canvases.
    pub fn figures(&self) -> &[AlternativeFigures] {
        self.figures.as_ref().map_or(&[], |(_, f)| f.as_slice())
    }

    /// Shows the comparison as a floating window; the choose command when one was asked for.
    #[must_use]
    pub fn window(&mut self, ctx: &egui::Context, input: &CompareInput<'_>) -> Option<Command> {
        if !self.open {
            return None;
        }
        let mut open = self.open;
        let mut chosen = None;
        egui::Window::new(T::CompareTitle.get(input.lang))
            .id(egui::Id::unique("linli-compare-window"))
            .open(&mut open)
            .default_size(Vec2::new(1100.0, 620.0))
            .resizable(true)
            .show(ctx, |ui| chosen = self.contents(ui, input));
        self.open = open;
        chosen.and_then(CompareOut::command)
    }

    /// Draws the comparison into `ui`, using all of it: what the presentation mode mounts full
    /// screen. Returns what an alternative's button asked for ([`CompareInput::ask`]).
    #[must_use]
    pub fn contents(&mut self, ui: &mut Ui, input: &CompareInput<'_>) -> Option<CompareOut> {
        let lang = input.lang;
        let session = input.session;
        let Some(project) = self.project.filter(|p| session.project(*p).is_some()) else {
            ui.label(T::NeedTwo.get(lang));
            return None;
        };
        // Alternatives deleted meanwhile leave; the picker below can bring others in.
        self.shown.retain(|a| session.alternative(*a).is_some());
        let all: Vec<(Uuid, String)> = session
            .alternatives_of(project)
            .iter()
            .map(|a| (a.id, a.label.clone()))
            .collect();
        if all.len() < 2 {
            ui.label(T::NeedTwo.get(lang));
            return None;
        }
        self.pick(ui, lang, &all);
        self.refresh_figures(input, project);
        let n = self.shown.len().max(1);
        self.canvases.resize_with(n, Canvas::default);
        let mut view = match self.view {
            Some(v) => v,
            None => fitted_view(session, project, ui.available_width() / n as f32),
        };
        let mut chosen = None;
        let figures = self
            .figures
            .as_ref()
            .map(|(_, f)| f.clone())
            .unwrap_or_default();
        let spacing = ui.spacing().item_spacing.x;
        let width = ((ui.available_width() - spacing * (n as f32 - 1.0)) / n as f32).max(120.0);
        // The captions: a heading, the team, four figures and the button.
        let captions_h = 10.0 * ui.text_style_height(&egui::TextStyle::Body) + 48.0;
        let map_h = (ui.available_height() - captions_h).max(160.0);
        // The canvases first, all of them, so the camera their gestures leave is the one every
        // canvas draws this frame (no canvas a frame behind another).
        let shown = self.shown.clone();
        let mut placed = Vec::with_capacity(shown.len());
        ui.horizontal_top(|ui| {
            for id in &shown {
                let label = figures
                    .iter()
                    .find(|f| f.alternative.id == *id)
                    .map_or(String::new(), |f| f.alternative.label.clone());
                let (rect, response) = canvas_response(ui, lang, &label, Vec2::new(width, map_h));
                view = gestures(ui, &response, rect, view);
                placed.push(rect);
            }
        });
        for ((i, id), rect) in shown.iter().enumerate().zip(placed) {
            if let Some(canvas) = self.canvases.get_mut(i) {
                paint_canvas(ui, input, canvas, *id, rect, view);
            }
        }
        ui.horizontal_top(|ui| {
            for id in &shown {
                ui.vertical(|ui| {
                    ui.set_width(width);
                    if let Some(f) = figures.iter().find(|f| f.alternative.id == *id)
                        && caption(ui, lang, f, input.coverage.is_some(), input.ask)
                    {
                        chosen = Some(match input.ask {
                            CompareAsk::Choose => CompareOut::Choose {
                                project,
                                alternative: *id,
                            },
                            CompareAsk::Vote => CompareOut::Vote(*id),
                        });
                    }
                });
            }
        });
        self.view = Some(view);
        if let Some(e) = &self.error {
            ui.colored_label(style::ERROR_TEXT, e);
        }
        chosen
    }

    /// The row of toggles choosing which alternatives are side by side (two or three).
    fn pick(&mut self, ui: &mut Ui, lang: Lang, all: &[(Uuid, String)]) {
        ui.horizontal_wrapped(|ui| {
            ui.label(T::Showing.get(lang));
            for (id, label) in all {
                let on = self.shown.contains(id);
                let can = if on {
                    self.shown.len() > 2
                } else {
                    self.shown.len() < MAX_SHOWN
                };
                if ui
                    .add_enabled(can, egui::Button::selectable(on, label))
                    .clicked()
                {
                    if on {
                        self.shown.retain(|x| x != id);
                    } else {
                        self.shown.push(*id);
                    }
                    self.figures = None;
                }
            }
        });
        if self.shown.len() < 2 {
            for (id, _) in all {
                if self.shown.len() >= 2 {
                    break;
                }
                if !self.shown.contains(id) {
                    self.shown.push(*id);
                }
            }
        }
    }

    /// Computes the figures again when the workspace changed or other alternatives are shown.
    fn refresh_figures(&mut self, input: &CompareInput<'_>, project: Uuid) {
        let revision = input.session.revision();
        if self
            .figures
            .as_ref()
            .is_some_and(|(r, f)| *r == revision && f.len() == self.shown.len())
        {
            return;
        }
        match input
            .session
            .analysis()
            .alternative_figures(project, input.coverage)
        {
            Ok(all) => {
                let shown: Vec<AlternativeFigures> = self
                    .shown
                    .iter()
                    .filter_map(|id| all.iter().find(|f| f.alternative.id == *id).cloned())
                    .collect();
                self.figures = Some((revision, shown));
                self.error = None;
            }
            Err(e) => {
                self.error = Some(crate::i18n::errors::error_message(&e, input.lang));
                self.figures = Some((revision, Vec::new()));
            }
        }
    }
}

/// The camera that shows the project's plan and all its alternatives in a canvas `width` wide.
fn fitted_view(session: &Session, project: Uuid, width: f32) -> MapView {
    use geo::BoundingRect;
    let code = session.project(project).map(|p| p.code.clone());
    let ids: Vec<Uuid> = session
        .alternatives_of(project)
        .iter()
        .map(|a| a.id)
        .collect();
    let corners = session
        .plan()
        .iter()
        .filter(|f| {
            f.alternative.is_some_and(|a| ids.contains(&a)) || (code.is_some() && f.project == code)
        })
        .filter_map(|f| f.feature.geometry.bounding_rect())
        .flat_map(|r| {
            [
                merc_from_lon_lat(r.min().x, r.min().y),
                merc_from_lon_lat(r.max().x, r.max().y),
            ]
        });
    match MercBox::of_points(corners) {
        // A single small garden: its surroundings, 300 m across.
        Some(b) => {
            let grow = ((300.0 - b.width().max(b.height())) / 2.0).max(0.0);
            MapView::fit(b.expanded(grow), Vec2::new(width, 400.0), 16.0)
        }
        None => MapView::default(),
    }
}

/// Allocates one canvas, named for its alternative so assistive tools (and tests) find it.
fn canvas_response(
    ui: &mut Ui,
    lang: Lang,
    label: &str,
    size: Vec2,
) -> (egui::Rect, egui::Response) {
    let (rect, response) = ui.allocate_exact_size(size, Sense::click_and_drag());
    let name = format!("{} · {label}", T::CompareTitle.get(lang));
    response.widget_info(|| egui::WidgetInfo::labeled(egui::Role::Canvas, true, name.clone()));
    (rect, response)
}

/// The shared camera after a canvas's gestures: drag pans, the wheel and a double click zoom.
/// Nothing else: a canvas has no path to an edit.
fn gestures(ui: &Ui, response: &egui::Response, rect: egui::Rect, view: MapView) -> MapView {
    let mut view = view;
    if response.dragged() {
        let delta = response.drag_delta();
        if delta != Vec2::ZERO {
            view = view.panned(delta);
        }
    }
    if let Some(anchor) = response.hover_pos() {
        let (scroll, zoom) = ui.input(|i| (i.smooth_scroll_delta.y, i.zoom_delta()));
        let factor = f64::from(zoom) * (f64::from(scroll) / 300.0).exp();
        if (factor - 1.0).abs() > 1e-6 {
            view = view.zoomed_around(factor, anchor, rect);
        }
    }
    if response.double_clicked()
        && let Some(at) = response.interact_pointer_pos()
    {
        view = view.zoomed_around(crate::gui::map::ZOOM_STEP, at, rect);
    }
    view
}

/// Paints one canvas: the plan with alternative `alternative`'s features, seen by `view`.
fn paint_canvas(
    ui: &Ui,
    input: &CompareInput<'_>,
    canvas: &mut Canvas,
    alternative: Uuid,
    rect: egui::Rect,
    view: MapView,
) {
    let styles: Vec<LayerStyle> = input
        .styles
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let mut s = s.clone();
            if Some(i) == input.data.plan_layer() {
                s.visible = true;
                s.alternatives = AlternativesShown::Only(alternative);
            }
            s
        })
        .collect();
    let scene_input = SceneInput {
        data: input.data,
        styles: &styles,
        order: input.order,
        view,
        rect: rect.into(),
        palette: input.palette,
    };
    ui.ctx().fonts_mut(|fonts| {
        canvas.scene.update(&scene_input, &mut EguiFonts(fonts));
        canvas.paint.update(&canvas.scene, fonts);
    });
    let painter = ui.painter_at(rect);
    painter.rect_filled(rect, 0.0, style::MAP_BACKGROUND);
    painter.extend(canvas.paint.shapes().iter().cloned());
    painter.rect_stroke(
        rect,
        0.0,
        egui::Stroke::new(1.0, Color32::from_gray(150)),
        egui::StrokeKind::Inside,
    );
    canvas.drawn = Some(view);
}

/// The figures under a canvas and its choose button; true when the button was pressed.
fn caption(
    ui: &mut Ui,
    lang: Lang,
    f: &AlternativeFigures,
    with_coverage: bool,
    ask: CompareAsk,
) -> bool {
    let a = &f.alternative;
    ui.label(RichText::new(&a.label).heading().strong());
    ui.label(format!(
        "{} · {}",
        if a.team.is_empty() {
            T::NoFigure.get(lang)
        } else {
            &a.team
        },
        status_name(lang, a.status)
    ));
    egui::Grid::new(("compare-figures", a.id))
        .num_columns(2)
        .show(ui, |ui| {
            ui.label(T::Features.get(lang));
            ui.label(f.features.to_string());
            ui.end_row();
            ui.label(T::Area.get(lang));
            ui.label(area_text(lang, f.area_m2));
            ui.end_row();
            ui.label(T::Budget.get(lang));
            ui.label(
                a.cost_wan
                    .map_or_else(|| T::NoFigure.get(lang).to_string(), |w| wan_text(lang, w)),
            );
            ui.end_row();
            ui.label(T::CoverageAdded.get(lang));
            ui.label(match f.coverage_added_m2 {
                Some(m2) => area_text(lang, m2),
                None if !with_coverage => T::NoCoverage.get(lang).to_string(),
                None => T::NoFigure.get(lang).to_string(),
            });
            ui.end_row();
        });
    match ask {
        CompareAsk::Choose => {
            let chosen = a.status == crate::model::alternative::AlternativeStatus::Chosen;
            ui.add_enabled(!chosen, egui::Button::new(T::Choose.get(lang)))
                .clicked()
        }
        CompareAsk::Vote => ui
            .add(
                egui::Button::new(RichText::new(T::VoteFor.get(lang)).size(22.0))
                    .min_size(Vec2::new(160.0, crate::gui::meeting_room::STRIP_BUTTON_PX)),
            )
            .clicked(),
    }
}
