//! The open workspace: loading it off the UI thread, importing into it on a worker thread,
//! installing what they hand back, and refreshing the map after an edit.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use uuid::Uuid;

use crate::Session;
use crate::i18n::Text;
use crate::i18n::errors::failure_text;
use crate::io::geojson_in::Progress;
use crate::session::ImportRequest;

use crate::gui::map::hit::FeatureRef;
use crate::gui::panels::status::StatusKind;
use crate::gui::panels::tools::Tool;
use crate::gui::windows::import::{self, ImportEvent};
use crate::render::data::MapData;
use crate::render::layers::{LayerStyle, OrderKey, order_from_keys};

use super::LinliApp;

use super::loader::{self, LoadError, LoadEvent, Loaded, Stage, WorkspaceSource};

/// Which plan feature to select once the map's plan layer is rebuilt.
pub(super) enum Reselect {
    /// Leave the selection (it is not a plan feature).
    Keep,
    /// This plan feature, or none.
    Plan(Option<Uuid>),
}

/// A GeoJSON import on its worker thread, which holds the session until it reports.
pub(super) struct Importing {
    /// What the worker reports.
    pub(super) events: Receiver<ImportEvent>,
    /// How far it is.
    pub(super) progress: Option<Progress>,
}

/// A workspace being opened on the loader thread.
pub(super) struct Loading {
    /// What the loader reports.
    pub(super) events: Receiver<LoadEvent>,
    /// Where it is.
    pub(super) stage: Stage,
    /// How far that stage is, when known.
    pub(super) fraction: Option<f32>,
}

/// An open workspace and how its layers are drawn.
pub(super) struct Workspace {
    /// The session and the map's data.
    pub(super) loaded: Loaded,
    /// Each layer's style, by index into the map's layers.
    pub(super) styles: Vec<LayerStyle>,
    /// The drawing order, bottom first, as indices into the map's layers.
    pub(super) order: Vec<usize>,
    /// Each layer's key in the settings.
    pub(super) keys: Vec<String>,
    /// The session's revision the map's data was built for.
    revision: u64,
}

impl LinliApp {
    /// The open session.
    pub fn session(&self) -> Option<&Session> {
        self.workspace.as_ref().map(|w| &w.loaded.session)
    }

    /// The map's data.
    pub fn map_data(&self) -> Option<&MapData> {
        self.workspace.as_ref().map(|w| &w.loaded.data)
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

    pub(super) fn start_loading(&mut self, ctx: &egui::Context, source: WorkspaceSource) {
        self.loading = Some(Loading {
            events: loader::spawn(source, ctx.clone()),
            stage: Stage::Opening,
            fraction: None,
        });
        self.error = None;
    }

    pub(super) fn poll_loading(&mut self, ctx: &egui::Context) {
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

    pub(super) fn poll_import(&mut self) {
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
                    self.import_window.repairs = match &outcome {
                        Ok(report) => report.repairs.to_vec(),
                        Err(_) => Vec::new(),
                    };
                    let word = |lang| match &outcome {
                        Ok(report) => {
                            let mut text =
                                crate::i18n::imported_text(lang, report.features, &report.layer);
                            // How the file was read (CRS, encoding, the GCJ-02 hint) belongs
                            // with the outcome: the user decides from it whether to re-import.
                            for note in &report.notes {
                                if let crate::session::ImportNote::Read(note) = note {
                                    text.push('\n');
                                    text.push_str(&crate::i18n::errors::read_note_message(
                                        note, lang,
                                    ));
                                }
                            }
                            text
                        }
                        Err(e) => failure_text(lang, Text::ImportFailed, e),
                    };
                    let message = (outcome.is_ok(), word(lang));
                    let kind = if message.0 {
                        StatusKind::Ok
                    } else {
                        StatusKind::Error
                    };
                    self.set_status(word, kind);
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

    pub(super) fn start_import(
        &mut self,
        ctx: &egui::Context,
        file: PathBuf,
        request: ImportRequest,
    ) {
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

    pub(super) fn install(&mut self, mut loaded: Loaded) {
        let outside = loaded.session.alternatives_outside_plan();
        loaded.data.set_outside_plan(outside);
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
        if let Some(m) = loaded.session.migrated() {
            let (from, backup) = (m.from, m.backup.clone());
            self.set_status(
                |lang| {
                    crate::i18n::migrated_text(
                        lang,
                        from,
                        crate::store::APP_SCHEMA_VERSION,
                        &backup,
                    )
                },
                StatusKind::Info,
            );
        }
        // What opening found in rows other programs wrote, and features the map cannot draw.
        let mut found = loaded.session.notes().to_vec();
        found.extend(loaded.data.problems());
        if let Some(first) = found.first().cloned() {
            let more = found.len() - 1;
            self.set_status(
                move |lang| crate::i18n::found_on_open_text(lang, &first, more),
                StatusKind::Error,
            );
        }
        self.workspace = Some(Box::new(Workspace {
            loaded,
            styles,
            order,
            keys,
            revision,
        }));
        self.sync_layer_prefs();
    }

    pub(super) fn sync_layer_prefs(&mut self) {
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

    /// Updates the map's plan layer when the session changed (only the plan layer: the
    /// boundary meshes stay), then selects by id, since plan indices shift on add and delete.
    pub(super) fn refresh(&mut self, reselect: Reselect) {
        let Some(ws) = self.workspace.as_mut() else {
            return;
        };
        let session = &ws.loaded.session;
        if ws.revision != session.revision() {
            // Only the plan features that changed, when the session's change log reaches back
            // to the revision the map was built for; else the whole plan layer.
            match session.plan_changes_since(ws.revision) {
                Some(changes) => {
                    ws.loaded
                        .data
                        .update_plan(session.plan(), session.catalog(), &changes)
                }
                None => ws
                    .loaded
                    .data
                    .rebuild_plan(session.plan(), session.catalog()),
            }
            // Which alternatives are the plan may have moved (a choice, an undo of one).
            ws.loaded
                .data
                .set_outside_plan(session.alternatives_outside_plan());
            ws.revision = session.revision();
        }
        self.hover = None;
        let Reselect::Plan(id) = reselect else {
            return;
        };
        let plan_layer = ws.loaded.data.plan_layer();
        let target = id.and_then(|id| {
            let feature = session.plan_slot(id)?;
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

    pub(super) fn layer_visible(&self, li: usize) -> bool {
        self.workspace
            .as_ref()
            .and_then(|w| w.styles.get(li))
            .is_some_and(|s| s.visible)
    }
}
