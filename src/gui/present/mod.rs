//! Presentation mode (放映): what a facilitator projects in a residents' meeting. Full
//! screen, no panels or editing tools, the map in the projector palette with labels, legend
//! and scale bar at twice their size, a large title, and the meeting's slides stepped with
//! ←/→ or a clicker's PageUp/PageDown.
//!
//! **No path to plan commands, by construction.** The mode's UI gets its own state
//! ([`PresentMode`]) and a read-only [`PresentView`] of what it shows (render data, styles,
//! the catalog for the legend, the features to emphasise), never the `Session` nor the app's
//! command queue; it answers with [`PresentAction`]s, none of which edits the plan. The
//! window's keyboard shortcuts and the map widget (which can reshape features) do not run
//! while presenting.
//!
//! Residents' input lives here too: with a meeting presented, the strip of big buttons
//! (`gui::meeting_room`) runs along the bottom edge and the live tally is drawn on the map; a
//! tap arms a kind, the next tap on the map is a [`PresentAction::Tap`], which the app turns
//! into the one thing the mode can add: a resident's input. With the meeting's project holding
//! two or more design alternatives, a button shows them side by side
//! ([`PresentBody::Compare`], drawn by the app's comparison view, whose buttons here only
//! vote).
//!
//! - `player.rs`: the slides and the eased camera move;
//! - `map.rs`: the map, from a cached scene re-transformed while the camera moves;
//! - `furniture.rs`: title, counter, buttons, legend, scale bar, north arrow;
//! - `palette.rs`: the widget colours and sizes.

mod furniture;
mod map;
pub mod palette;
pub mod player;

use egui::{Key, Modifiers, Ui};
use uuid::Uuid;

use crate::gui::meeting_room::{self, InputStrip, StripAction, StripData};
use crate::i18n::Lang;
use crate::model::catalog::Catalog;
use crate::model::meeting::Slide;
use crate::render::data::MapData;
use crate::render::layers::LayerStyle;
use crate::render::projection::MapView;

use player::{CameraMove, Player};

/// What the mode asks for. None of these edits the plan; the app turns them into effects.
#[derive(Debug, Clone, PartialEq)]
pub enum PresentAction {
    /// The next slide.
    Next,
    /// The previous slide.
    Previous,
    /// Slide number `n` (0-based).
    GoTo(usize),
    /// The camera moved by hand (a drag, the wheel).
    SetView(MapView),
    /// Leave presentation mode.
    Leave,
    /// A tap on the map at this point, over this plan feature (its slot in the plan) if any,
    /// while a kind of input is armed: the app makes the resident's input there.
    Tap {
        /// Where, WGS84 `[lon, lat]`.
        lon_lat: [f64; 2],
        /// The plan feature tapped, by slot.
        slot: Option<usize>,
    },
    /// A resident's vote for a design alternative (the comparison's button).
    VoteFor(Uuid),
    /// Undo the last resident's input (refused unless the last step was one).
    UndoLastInput,
    /// Show this body.
    Show(PresentBody),
}

/// What fills the screen under the furniture.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PresentBody {
    /// One map.
    #[default]
    Map,
    /// The meeting's project's design alternatives side by side, with linked cameras.
    Compare,
}

/// What the mode reads each frame: all of it read-only.
#[derive(Clone, Copy)]
pub struct PresentView<'a> {
    /// The interface language.
    pub lang: Lang,
    /// The map's data.
    pub data: &'a MapData,
    /// One style per layer (as in the editing window; the slide's layers apply on top).
    pub styles: &'a [LayerStyle],
    /// Each layer's stable key (what a slide lists).
    pub keys: &'a [String],
    /// Drawing order, bottom first.
    pub order: &'a [usize],
    /// The element types, for the legend.
    pub catalog: &'a Catalog,
    /// How many plan features of each element type there are (the legend lists these).
    pub element_counts: &'a [(String, usize)],
    /// Plan slots of the features to emphasise (the slide's highlighted projects); the others
    /// are muted while any are.
    pub emphasised: &'a [usize],
    /// The presented meeting's voting rules and live tally, when it takes residents' input.
    pub inputs: Option<StripData<'a>>,
    /// Whether the meeting's project has design alternatives to show side by side.
    pub can_compare: bool,
}

/// The mode's state, kept between frames while presenting.
pub struct PresentMode {
    /// The meeting whose slides are shown, if any.
    meeting: Option<Uuid>,
    player: Player,
    /// The camera now.
    view: MapView,
    /// The move under way, if any.
    moving: Option<CameraMove>,
    /// The view the whole area fits (shown without slides).
    whole: MapView,
    /// Whether the window was full screen before (restored on leaving).
    was_fullscreen: bool,
    /// The body shown.
    pub body: PresentBody,
    /// The residents'-input strip along the bottom edge (a meeting is presented).
    pub input: Option<InputStrip>,
    map: map::MapCache,
}

impl std::fmt::Debug for PresentMode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PresentMode")
            .field("meeting", &self.meeting)
            .field("player", &self.player)
            .field("view", &self.view)
            .field("moving", &self.moving)
            .finish_non_exhaustive()
    }
}

impl PresentMode {
    /// The mode on `slides` (of `meeting`), starting at the first slide's view or, without
    /// slides, at `whole`; `was_fullscreen` is restored on leaving.
    pub fn new(
        meeting: Option<Uuid>,
        slides: Vec<Slide>,
        whole: MapView,
        was_fullscreen: bool,
    ) -> Self {
        let player = Player::new(slides);
        let view = player
            .current()
            .map_or(whole, |s| MapView::of_bookmark(&s.view).sanitised());
        Self {
            meeting,
            player,
            view,
            moving: None,
            whole,
            was_fullscreen,
            body: PresentBody::default(),
            input: meeting.map(InputStrip::for_meeting),
            map: map::MapCache::default(),
        }
    }

    /// The meeting whose slides are shown, if any.
    pub fn meeting(&self) -> Option<Uuid> {
        self.meeting
    }

    /// The slide up, if any.
    pub fn current_slide(&self) -> Option<&Slide> {
        self.player.current()
    }

    /// Its position (0-based) and how many slides there are.
    pub fn position(&self) -> (usize, usize) {
        self.player.position()
    }

    /// The camera now (mid-move, where the move has got to).
    pub fn view(&self) -> MapView {
        self.view
    }

    /// Whether the camera is moving to a slide.
    pub fn is_moving(&self) -> bool {
        self.moving.is_some()
    }

    /// Whether the window was full screen before presenting.
    pub fn was_fullscreen(&self) -> bool {
        self.was_fullscreen
    }

    /// The layer styles the slide asks for: its layers shown and the rest hidden (a slide
    /// listing none keeps them as they are), and the plan muted while some of it is
    /// emphasised.
    pub fn styles(&self, view: &PresentView<'_>) -> Vec<LayerStyle> {
        let slide = self.player.current();
        let plan = view.data.plan_layer();
        view.styles
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let mut s = s.clone();
                if let (Some(slide), Some(key)) = (slide, view.keys.get(i))
                    && !slide.layers.is_empty()
                {
                    s.visible = slide.layers.contains(key);
                }
                if Some(i) == plan && !view.emphasised.is_empty() {
                    s.opacity *= crate::render::style::MUTED_OPACITY;
                }
                s
            })
            .collect()
    }

    /// Applies one of the mode's own actions at time `now` (seconds, egui's clock). `Leave`
    /// is the app's to apply (it restores the window); here it does nothing.
    pub fn apply(&mut self, action: &PresentAction, now: f64) {
        let target = match action {
            PresentAction::Next => self.player.step_on().map(|s| s.view),
            PresentAction::Previous => self.player.step_back().map(|s| s.view),
            PresentAction::GoTo(n) => self.player.go_to(*n).map(|s| s.view),
            PresentAction::SetView(v) => {
                self.moving = None;
                self.view = *v;
                None
            }
            PresentAction::Show(body) => {
                self.body = *body;
                None
            }
            PresentAction::Leave
            | PresentAction::Tap { .. }
            | PresentAction::VoteFor(_)
            | PresentAction::UndoLastInput => None,
        };
        if target.is_some() {
            // A slide is a view of the map.
            self.body = PresentBody::Map;
        }
        if let Some(b) = target {
            let to = MapView::of_bookmark(&b).sanitised();
            self.moving = Some(CameraMove::new(self.view, to, now, palette::MOVE_SECONDS));
        }
    }

    /// Advances the camera move to `now`; true while it goes on (the caller asks for another
    /// frame).
    fn advance(&mut self, now: f64) -> bool {
        let Some(m) = self.moving else {
            return false;
        };
        let (view, done) = m.at(now);
        self.view = view;
        if done {
            self.moving = None;
        }
        !done
    }

    /// The view the whole area fits.
    pub fn whole(&self) -> MapView {
        self.whole
    }

    /// What the mode's last map frame drew (per layer: features, vertices).
    pub fn scene_stats(&self) -> &crate::render::scene::SceneStats {
        self.map.scene_stats()
    }
}

/// The keys of presentation mode: Esc leaves; → ↓ PageDown Space step on, ← ↑ PageUp step
/// back (what presentation clickers send); Home and End go to the first and last slide.
fn keys(ctx: &egui::Context, slides: usize, out: &mut Vec<PresentAction>) {
    let typing = ctx.egui_wants_keyboard_input();
    ctx.input_mut(|i| {
        if i.consume_key(Modifiers::NONE, Key::Escape) {
            out.push(PresentAction::Leave);
        }
        if typing {
            // A comment being typed in the strip keeps its arrows and space.
            return;
        }
        for key in [Key::ArrowRight, Key::ArrowDown, Key::PageDown, Key::Space] {
            if i.consume_key(Modifiers::NONE, key) {
                out.push(PresentAction::Next);
            }
        }
        for key in [Key::ArrowLeft, Key::ArrowUp, Key::PageUp] {
            if i.consume_key(Modifiers::NONE, key) {
                out.push(PresentAction::Previous);
            }
        }
        if i.consume_key(Modifiers::NONE, Key::Home) {
            out.push(PresentAction::GoTo(0));
        }
        if i.consume_key(Modifiers::NONE, Key::End) && slides > 0 {
            out.push(PresentAction::GoTo(slides - 1));
        }
    });
}

/// The strip's height when a meeting takes residents' input, points: a row of 48-point
/// buttons, a row for the comment being typed, a row for a refusal.
pub const STRIP_HEIGHT: f32 = 3.0 * crate::gui::meeting_room::STRIP_BUTTON_PX + 24.0;

/// Draws presentation mode over the whole of `ui` and returns what was asked for. It takes
/// the mode's own state and a read-only view: it has no way to edit the plan. `other_body`
/// draws a body other than the map (the alternatives side by side) in the rectangle given.
#[must_use]
pub fn show(
    ui: &mut Ui,
    view: &PresentView<'_>,
    mode: &mut PresentMode,
    other_body: &mut dyn FnMut(&mut Ui, egui::Rect, PresentBody) -> Vec<PresentAction>,
) -> Vec<PresentAction> {
    let mut out = Vec::new();
    let now = ui.input(|i| i.time);
    if mode.advance(now) {
        ui.ctx().request_repaint();
    }
    keys(ui.ctx(), mode.position().1, &mut out);
    let full = ui.max_rect();
    let strip_height = if mode.input.is_some() && view.inputs.is_some() {
        STRIP_HEIGHT
    } else {
        0.0
    };
    let map_rect =
        egui::Rect::from_min_max(full.min, egui::pos2(full.max.x, full.max.y - strip_height));
    let styles = mode.styles(view);
    let armed = mode.input.as_ref().and_then(InputStrip::armed).is_some();
    match mode.body {
        PresentBody::Map => {
            let moving = mode.is_moving();
            let (asked, cached) = map::show(
                ui,
                map_rect,
                view,
                &styles,
                mode.view,
                map::Now { moving, armed },
                &mut mode.map,
            );
            if cached {
                // A re-transformed frame: draw the exact one once the camera rests.
                ui.ctx().request_repaint();
            }
            out.extend(asked);
            if let (Some(state), Some(data)) = (mode.input.as_ref(), view.inputs.as_ref()) {
                let t = mode.view.transform(map_rect);
                meeting_room::paint_tally_with(ui, map_rect, &t, view.lang, data, state);
            }
        }
        body => {
            // The projector's page: white, dark ink, text half as large again.
            ui.painter_at(map_rect)
                .rect_filled(map_rect, 0.0, palette::BACKGROUND);
            let mut child = ui.new_child(
                egui::UiBuilder::new().max_rect(map_rect.shrink2(egui::vec2(palette::MARGIN, 0.0))),
            );
            *child.visuals_mut() = egui::Visuals::light();
            child.visuals_mut().override_text_color = Some(palette::INK);
            for font in child.style_mut().text_styles.values_mut() {
                font.size *= palette::BODY_TEXT_FACTOR;
            }
            // Under the furniture's top bar.
            child.add_space(palette::BUTTON_HEIGHT + 2.0 * palette::MARGIN);
            let rect = child.available_rect_before_wrap();
            out.extend(other_body(&mut child, rect, body));
        }
    }
    let painter = ui.painter_at(map_rect);
    let one_map = mode.body == PresentBody::Map;
    if one_map {
        furniture::legend(&painter, map_rect, view);
        crate::gui::map::furniture::scale_bar_sized(
            &painter,
            map_rect,
            &mode.view,
            view.lang,
            palette::FURNITURE_FACTOR,
        );
    }
    let title = mode
        .current_slide()
        .map(|s| s.title.clone())
        .unwrap_or_else(|| {
            crate::i18n::present::PresentText::WholeArea
                .get(view.lang)
                .to_string()
        });
    let (index, count) = mode.position();
    let corner = furniture::top_bar(ui, map_rect, view.lang, &title, (index, count), &mut out);
    if one_map {
        crate::gui::map::furniture::north_arrow_at(
            &painter,
            map_rect,
            view.lang,
            palette::FURNITURE_FACTOR,
            corner,
        );
    }
    furniture::step_buttons(ui, map_rect, view.lang, (index, count), &mut out);
    if view.can_compare {
        furniture::body_button(ui, map_rect, view.lang, mode.body, &mut out);
    }
    if let (Some(state), Some(data)) = (mode.input.as_mut(), view.inputs.as_ref()) {
        let rect = egui::Rect::from_min_max(egui::pos2(full.min.x, map_rect.max.y), full.max);
        ui.painter_at(rect)
            .rect_filled(rect, 0.0, palette::STRIP_FILL);
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect.shrink(8.0)));
        match meeting_room::strip_with(&mut child, view.lang, data, state) {
            Some(StripAction::UndoLastInput) => out.push(PresentAction::UndoLastInput),
            Some(StripAction::Close) => mode.input = None,
            None => {}
        }
    }
    out
}
