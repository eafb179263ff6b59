//! Presentation mode in the window: entering (F5, or a meeting's "present"), each frame, and
//! leaving. The mode itself (`gui::present`) gets a read-only view and its own state and
//! answers with [`PresentAction`]s; this file is the only place they take effect, and none
//! of them reaches the session: while presenting, the window's shortcuts, panels, windows and
//! editing map are not run at all.

use egui::Ui;
use uuid::Uuid;

use crate::model::meeting::Slide;

use crate::gui::present::{self, PresentAction, PresentMode, PresentView};
use crate::render::projection::MapView;

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
            *counts.entry(f.element.as_str()).or_default() += 1;
            if f.project.as_deref().is_some_and(|c| codes.contains(&c)) {
                emphasised.push(slot);
            }
        }
        let element_counts: Vec<(String, usize)> = counts
            .into_iter()
            .map(|(k, n)| (k.to_string(), n))
            .collect();
        let view = PresentView {
            lang: self.prefs.lang,
            data: &ws.loaded.data,
            styles: &ws.styles,
            keys: &ws.keys,
            order: &ws.order,
            catalog: session.catalog(),
            element_counts: &element_counts,
            emphasised: &emphasised,
        };
        let actions = egui::CentralPanel::no_frame()
            .show(ui, |ui| present::show(ui, &view, mode))
            .inner;
        let now = ctx.input(|i| i.time);
        for action in actions {
            match action {
                PresentAction::Leave => {
                    self.leave_present(&ctx);
                    return;
                }
                other => {
                    mode.apply(&other, now);
                    ctx.request_repaint();
                }
            }
        }
    }

    /// The presentation under way, if any (tests read its slide and camera).
    pub fn presenting(&self) -> Option<&PresentMode> {
        self.present.as_deref()
    }
}
