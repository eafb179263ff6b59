//! Presentation mode in the window: entering (F5, or a meeting's "present"), each frame, and
//! leaving. The mode itself (`gui::present`) gets a read-only view and its own state and
//! answers with [`PresentAction`]s; this file is the only place they take effect, and none
//! of them reaches the session: while presenting, the window's shortcuts, panels, windows and
//! editing map are not run at all.

use egui::Ui;
use uuid::Uuid;

use crate::model::meeting::Slide;

use crate::gui::meeting_room::{InputStrip, StripData};
use crate::gui::present::{self, PresentAction, PresentBody, PresentMode, PresentView};
use crate::gui::windows::compare::{CompareAsk, CompareInput, CompareOut};
use crate::render::projection::MapView;
use crate::session::{Command, InputEdit};

use super::LinliApp;

impl LinliApp {
    /// Enters presentation mode on `slides` (of `meeting`; none: the whole area, the arrows do
    /// nothing): full screen, the editing gestures cancelled.
    pub(super) fn enter_present(
        &mut self,
        ctx: &egui::Context,
        meeting: Option<Uuid>,
        slides: Vec<Slide>,
    ) {
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let size = ctx.content_rect().size();
        let whole = ws
            .loaded
            .data
            .extent
            .map_or_else(|| self.view(), |e| MapView::fit(e, size, 24.0));
        let was_fullscreen = ctx.input(|i| i.viewport().fullscreen).unwrap_or(false);
        self.map.cancel_edit_drag();
        self.hover = None;
        self.present = Some(Box::new(PresentMode::new(
            meeting,
            slides,
            whole,
            was_fullscreen,
        )));
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(true));
        ctx.request_repaint();
    }

    /// Leaves presentation mode: the window as it was (full screen or not), the editing view
    /// where it was left.
    pub(super) fn leave_present(&mut self, ctx: &egui::Context) {
        if let Some(mode) = self.present.take() {
            ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(mode.was_fullscreen()));
            ctx.request_repaint();
        }
    }

    /// One frame of presentation mode over the whole window.
    pub(super) fn present_frame(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        let (Some(ws), Some(mode)) = (self.workspace.as_mut(), self.present.as_mut()) else {
            self.present = None;
            return;
        };
        super::layout::stored_layer_tiles(ui, ws, mode.view());
        let ws = &**ws;
        let session = &ws.loaded.session;
        // The slide's highlighted projects, as plan slots: read here, from the session the
        // mode never sees.
        let codes: Vec<&str> = mode
            .current_slide()
            .map(|s| {
                s.highlight
                    .iter()
                    .filter_map(|id| session.project(*id).map(|p| p.code.as_str()))
                    .collect()
            })
            .unwrap_or_default();
        let mut emphasised = Vec::new();
        let mut counts: std::collections::BTreeMap<&str, usize> = Default::default();
        for (slot, f) in session.plan().iter().enumerate() {
            // Design alternatives not chosen are not the plan: not counted, not emphasised.
            if !session.in_plan(f) {
                continue;
            }
            *counts.entry(f.element.as_str()).or_default() += 1;
            if f.project.as_deref().is_some_and(|c| codes.contains(&c)) {
                emphasised.push(slot);
            }
        }
        let element_counts: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        // Residents' input: the presented meeting's rules and tally, read here.
        let meeting = mode.meeting().and_then(|m| session.records().meeting(m));
        let inputs = meeting.and_then(|m| StripData::of(session, m.id));
        let project = meeting.and_then(|m| m.project);
        let can_compare = project.is_some_and(|p| session.alternatives_of(p).len() >= 2);
        if let Some(p) = project
            && self.present_compare.project() != Some(p)
        {
            self.present_compare.open_for(p, session);
        }
        let view = PresentView {
            lang: self.prefs.lang,
            data: &ws.loaded.data,
            styles: &ws.styles,
            keys: &ws.keys,
            order: &ws.order,
            catalog: session.catalog(),
            element_counts: &element_counts,
            emphasised: &emphasised,
            inputs,
            can_compare,
        };
        // The alternatives side by side: the comparison view, whose buttons here only vote.
        let compare = &mut self.present_compare;
        let coverage = self.coverage.last_spec();
        let lang = self.prefs.lang;
        let mut other_body = |ui: &mut Ui, _rect: egui::Rect, _body: PresentBody| {
            let input = CompareInput {
                lang,
                session,
                data: &ws.loaded.data,
                styles: &ws.styles,
                order: &ws.order,
                coverage,
                palette: crate::render::style::Palette::Projector,
                ask: CompareAsk::Vote,
            };
            match compare.contents(ui, &input) {
                Some(CompareOut::Vote(a)) => vec![PresentAction::VoteFor(a)],
                // The editing window's choice is never asked for here.
                Some(CompareOut::Choose { .. }) | None => Vec::new(),
            }
        };
        let actions = egui::CentralPanel::no_frame()
            .show(ui, |ui| present::show(ui, &view, mode, &mut other_body))
            .inner;
        let now = ctx.input(|i| i.time);
        for action in actions {
            match action {
                PresentAction::Leave => {
                    self.leave_present(&ctx);
                    return;
                }
                PresentAction::Tap { lon_lat, slot } => {
                    let feature = slot
                        .and_then(|s| self.workspace.as_ref()?.loaded.session.plan().get(s))
                        .map(|f| f.feature.id);
                    self.present_input(|strip| strip.tap_input(lon_lat, feature, None));
                }
                PresentAction::VoteFor(alternative) => {
                    let at = self.alternative_point(alternative);
                    self.present_input(|strip| strip.vote_for(alternative, at));
                }
                PresentAction::UndoLastInput => {
                    let lang = self.prefs.lang;
                    if let (Some(ws), Some(mode)) = (self.workspace.as_mut(), self.present.as_mut())
                    {
                        let result = ws.loaded.session.undo_last_input();
                        if let Some(strip) = mode.input.as_mut() {
                            strip.outcome(lang, &result);
                        }
                    }
                }
                other => {
                    if let Some(mode) = self.present.as_mut() {
                        mode.apply(&other, now);
                    }
                    ctx.request_repaint();
                }
            }
        }
    }

    /// Makes the resident's input the strip builds (`make`: from a tap, or a vote for an
    /// alternative): the only thing presentation mode adds to the workspace. The session checks
    /// the meeting's voting rules; a refusal is shown in the strip.
    fn present_input(
        &mut self,
        make: impl FnOnce(&mut InputStrip) -> Option<crate::model::input::ResidentInput>,
    ) {
        let lang = self.prefs.lang;
        let (Some(ws), Some(mode)) = (self.workspace.as_mut(), self.present.as_mut()) else {
            return;
        };
        let Some(strip) = mode.input.as_mut() else {
            return;
        };
        let Some(input) = make(strip) else {
            return;
        };
        let result = ws
            .loaded
            .session
            .apply(Command::Input(InputEdit::Add(input)));
        strip.outcome(lang, &result);
    }

    /// Where a vote for an alternative is pinned: the middle of its features' extent (else
    /// the camera's centre).
    fn alternative_point(&self, alternative: Uuid) -> [f64; 2] {
        use geo::BoundingRect;
        let centre = self
            .present
            .as_ref()
            .map(|m| [m.view().center_lon, m.view().center_lat])
            .unwrap_or_default();
        let Some(ws) = self.workspace.as_ref() else {
            return centre;
        };
        let session = &ws.loaded.session;
        session
            .features_of_alternative(alternative)
            .iter()
            .filter_map(|f| f.feature.geometry.bounding_rect())
            .reduce(|a, b| {
                geo::Rect::new(
                    geo::coord! { x: a.min().x.min(b.min().x), y: a.min().y.min(b.min().y) },
                    geo::coord! { x: a.max().x.max(b.max().x), y: a.max().y.max(b.max().y) },
                )
            })
            .map_or(centre, |r| [r.center().x, r.center().y])
    }

    /// The presentation under way, if any (tests read its slide and camera).
    pub fn presenting(&self) -> Option<&PresentMode> {
        self.present.as_deref()
    }
}
