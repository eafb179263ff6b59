//! Other programs' commits taken in while the window is open (QGIS saving into the workspace,
//! a second Linli): the session is asked once a second, on the idle tick too, and the map
//! rebuilds only the plan slots that changed (everything only when layers did).

use crate::i18n::sharing::{OutsideKind, SharingText, outside_changes_text};
use crate::render::data::MapData;
use crate::session::Refreshed;

use crate::gui::panels::status::StatusKind;

use super::LinliApp;
use super::workspace::Reselect;

/// How often the workspace is asked whether another program committed to it.
///
/// # Units
/// Seconds (egui's input time).
pub(super) const OUTSIDE_POLL_S: f64 = 1.0;

impl LinliApp {
    /// Takes in another program's changes when a second has passed since the last look and
    /// the user is not mid-gesture or typing (the refresh would move what they are editing).
    pub(super) fn poll_outside_changes(&mut self, ctx: &egui::Context) {
        if self.workspace.is_none() {
            return;
        }
        // Without this the window sleeps while idle, and so would the look.
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(OUTSIDE_POLL_S));
        let now = ctx.input(|i| i.time);
        if now - self.outside_polled_s < OUTSIDE_POLL_S
            || ctx.input(|i| i.pointer.any_down())
            || ctx.egui_wants_keyboard_input()
        {
            return;
        }
        self.outside_polled_s = now;
        let selected = self.selected_plan_id();
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let refreshed = match ws.loaded.session.refresh_if_changed() {
            Ok(Some(refreshed)) => refreshed,
            Ok(None) => return,
            Err(e) => {
                let text = crate::i18n::errors::error_text(&e);
                self.set_status(
                    move |lang| {
                        crate::i18n::labelled(
                            lang,
                            SharingText::OutsideChangesFailed.get(lang),
                            text.get(lang),
                        )
                    },
                    StatusKind::Error,
                );
                return;
            }
        };
        if refreshed.layers > 0 {
            // Layers came or went: the map's layers are built again, as after an import.
            if let Some(ws) = self.workspace.take() {
                let mut loaded = ws.loaded;
                let session = &loaded.session;
                loaded.data = MapData::build(
                    session.layers(),
                    session.plan(),
                    session.catalog(),
                    &mut |_, _| {},
                );
                self.install(loaded);
            }
        } else {
            let reselect = match (selected, self.selection) {
                (None, Some(_)) => Reselect::Keep,
                (id, _) => Reselect::Plan(id),
            };
            self.refresh(reselect);
        }
        let counts = counts(&refreshed);
        self.set_status(
            move |lang| outside_changes_text(lang, &counts),
            StatusKind::Info,
        );
    }
}

fn counts(r: &Refreshed) -> [(OutsideKind, usize); 8] {
    let Refreshed {
        features,
        projects,
        meetings,
        people,
        organisations,
        tasks,
        attachments,
        layers,
    } = *r;
    [
        (OutsideKind::Features, features),
        (OutsideKind::Projects, projects),
        (OutsideKind::Meetings, meetings),
        (OutsideKind::People, people),
        (OutsideKind::Organisations, organisations),
        (OutsideKind::Tasks, tasks),
        (OutsideKind::Attachments, attachments),
        (OutsideKind::Layers, layers),
    ]
}
