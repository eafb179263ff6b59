//! Other programs' commits taken in while the window is open (QGIS saving into the workspace,
//! a second Linli): the session is asked once a second, on the idle tick too; when someone
//! else committed, a worker thread reads the file with a connection of its own, and the
//! reading is taken in on the next frame the user is not mid-gesture or typing. The map then
//! rebuilds only the plan slots that changed (everything only when layers did).

use std::sync::mpsc::{Receiver, TryRecvError, channel};

use crate::error::Result;
use crate::i18n::sharing::{OutsideKind, SharingText, outside_changes_text};
use crate::render::data::MapData;
use crate::session::{OutsideReading, Refreshed};

use crate::gui::panels::status::StatusKind;

use super::LinliApp;
use super::workspace::Reselect;

/// How often the workspace is asked whether another program committed to it.
///
/// # Units
/// Seconds (egui's input time).
const OUTSIDE_POLL_S: f64 = 1.0;

/// The window's side of watching for other programs' commits.
#[derive(Default)]
pub(super) struct OutsideWatch {
    /// When the session was last asked (egui's input time, s).
    polled_s: f64,
    /// A reading under way on its worker.
    reading: Option<Receiver<Result<OutsideReading>>>,
    /// That worker, joined before the workspace closes (its connection must close first).
    worker: Option<std::thread::JoinHandle<()>>,
}

impl OutsideWatch {
    /// Waits for a reading under way and drops it, so its connection is closed.
    pub(super) fn stop(&mut self) {
        self.reading = None;
        if let Some(worker) = self.worker.take() {
            let _ = worker.join();
        }
    }
}

impl LinliApp {
    /// Asks, takes in or waits, as described in the module's doc.
    pub(super) fn poll_outside_changes(&mut self, ctx: &egui::Context) {
        if self.workspace.is_none() {
            // Importing (the session is on the import's worker) or not open: a reading under
            // way is for a session that will have written by then, and is dropped.
            self.outside.reading = None;
            return;
        }
        // Without this the window sleeps while idle, and so would the look.
        ctx.request_repaint_after(std::time::Duration::from_secs_f64(OUTSIDE_POLL_S));
        if let Some(reading) = &self.outside.reading {
            // Taking it in moves what the user may be dragging or typing: wait for a pause.
            if ctx.input(|i| i.pointer.any_down()) || ctx.egui_wants_keyboard_input() {
                return;
            }
            match reading.try_recv() {
                Ok(result) => {
                    self.outside.stop();
                    self.take_outside(result);
                }
                Err(TryRecvError::Empty) => {}
                Err(TryRecvError::Disconnected) => self.outside.reading = None,
            }
            return;
        }
        let now = ctx.input(|i| i.time);
        if now - self.outside.polled_s < OUTSIDE_POLL_S {
            return;
        }
        self.outside.polled_s = now;
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        match ws.loaded.session.outside_reader() {
            Ok(Some(reader)) => {
                let (tx, rx) = channel();
                let ctx = ctx.clone();
                let job = move || {
                    let _ = tx.send(reader.read());
                    ctx.request_repaint();
                };
                match std::thread::Builder::new()
                    .name("linli-outside".into())
                    .spawn(job)
                {
                    Ok(worker) => {
                        self.outside.reading = Some(rx);
                        self.outside.worker = Some(worker);
                    }
                    Err(e) => eprintln!("linli: could not start the outside-changes reader: {e}"),
                }
            }
            Ok(None) => {}
            Err(e) => self.outside_failed(&e),
        }
    }

    /// Takes a reading in and says what it changed.
    fn take_outside(&mut self, reading: Result<OutsideReading>) {
        let selected = self.selected_plan_id();
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let refreshed = match reading.and_then(|r| ws.loaded.session.take_outside(r)) {
            Ok(Some(refreshed)) => refreshed,
            Ok(None) => return,
            Err(e) => return self.outside_failed(&e),
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

    fn outside_failed(&mut self, e: &crate::Error) {
        let text = crate::i18n::errors::error_text(e);
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
    }
}

fn counts(r: &Refreshed) -> [(OutsideKind, usize); 12] {
    let Refreshed {
        features,
        projects,
        meetings,
        people,
        organisations,
        tasks,
        attachments,
        settings,
        alternatives,
        inputs,
        conflicts,
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
        (OutsideKind::Settings, settings),
        (OutsideKind::Alternatives, alternatives),
        (OutsideKind::Inputs, inputs),
        (OutsideKind::Conflicts, conflicts),
        (OutsideKind::Layers, layers),
    ]
}
