//! 同步 in the district window: a sync with the district server, its server side on a worker
//! thread so the window stays live. The worker connects, opens the server's transaction and
//! pulls; the window merges what came (one undo step, conflicts kept) and hands back what to
//! send; the worker pushes and commits; the window records the new base. Each step shows in
//! the district window. Closing the workspace or quitting mid-sync drops the worker's
//! connection, and the server rolls its transaction back; the next sync converges.

use std::collections::BTreeMap;
use std::sync::mpsc::{Receiver, Sender, TryRecvError, channel};

use crate::error::Error;
use crate::gui::panels::status::StatusKind;
use crate::i18n::district::{self as words, DistrictText};
use crate::i18n::{Lang, Worded};
use crate::model::RecordId;
use crate::server::{Exchange, Pulled, Pushed, finish, take_in};
use crate::session::sync::{MergeReport, Outgoing};

use super::LinliApp;
use super::workspace::Reselect;

/// What the worker reports.
enum FromWorker {
    /// The pull: the window merges it.
    Pulled(Box<Pulled>),
    /// Sent and committed.
    Committed(Pushed),
    /// Committing.
    Committing,
    /// The server side failed: nothing of this sync is on the server.
    Failed(Error),
}

/// What the window answers to a pull.
struct ToSend {
    out: Vec<Outgoing>,
    seen: i64,
    names: BTreeMap<RecordId, String>,
}

/// A sync under way.
pub(super) struct Syncing {
    events: Receiver<FromWorker>,
    /// The answer to the pull (dropped unanswered: the worker rolls back).
    answer: Option<Sender<ToSend>>,
    /// The pull and what merging it did, once merged.
    merged: Option<(Box<Pulled>, MergeReport, Vec<Outgoing>)>,
    /// The server as messages show it.
    server: String,
    /// The workspace it syncs: another one opened meanwhile takes nothing of it.
    workspace: std::path::PathBuf,
}

/// The worker: the server's side of the steps.
fn work(
    workspace: std::path::PathBuf,
    url: String,
    password: String,
    street: String,
    peers: Vec<crate::model::sync::Peer>,
) -> Syncing {
    let (events_tx, events) = channel();
    let (answer, answers) = channel::<ToSend>();
    let server = crate::server::shown(&url);
    std::thread::spawn(move || {
        let password = (!password.is_empty()).then_some(password.as_str());
        let (mut exchange, pulled) = match Exchange::open(&url, password, &street, &peers) {
            Ok(opened) => opened,
            Err(e) => {
                let _ = events_tx.send(FromWorker::Failed(e));
                return;
            }
        };
        if events_tx
            .send(FromWorker::Pulled(Box::new(pulled)))
            .is_err()
        {
            return;
        }
        // No answer (the window merged nothing, or is gone): the connection closes unused.
        let Ok(ToSend { out, seen, names }) = answers.recv() else {
            return;
        };
        let name = |id: RecordId| {
            names
                .get(&id)
                .cloned()
                .unwrap_or_else(|| id.uuid().to_string())
        };
        let pushed = match exchange.push(&out, seen, &name) {
            Ok(p) => p,
            Err(e) => {
                let _ = events_tx.send(FromWorker::Failed(e));
                return;
            }
        };
        let _ = events_tx.send(FromWorker::Committing);
        let done = exchange.commit().map(|()| pushed);
        let _ = events_tx.send(match done {
            Ok(p) => FromWorker::Committed(p),
            Err(e) => FromWorker::Failed(e),
        });
    });
    Syncing {
        events,
        answer: Some(answer),
        merged: None,
        server,
        workspace,
    }
}

impl LinliApp {
    /// Starts a sync with the server at `url` as `street`.
    pub(super) fn start_sync(&mut self, url: String, password: String, street: String) {
        if self.syncing.is_some() {
            return;
        }
        let Some(ws) = self.workspace.as_ref() else {
            return;
        };
        let peers = ws.loaded.session.peers().unwrap_or_default();
        let path = ws.loaded.session.path().to_path_buf();
        self.district.syncing = Some(Worded::new(|lang| {
            DistrictText::Connecting.get(lang).to_string()
        }));
        self.syncing = Some(work(path, url, password, street, peers));
    }

    /// Takes the worker's reports in: merges a pull, records a commit, shows a failure.
    pub(super) fn poll_sync(&mut self, ctx: &egui::Context) {
        let Some(syncing) = self.syncing.as_mut() else {
            return;
        };
        let same = self
            .workspace
            .as_ref()
            .is_some_and(|ws| ws.loaded.session.path() == syncing.workspace);
        if !same {
            // Closed or another opened: dropped, and the server rolls back what it began.
            self.syncing = None;
            self.district.syncing = None;
            return;
        }
        ctx.request_repaint_after(std::time::Duration::from_millis(100));
        let event = match syncing.events.try_recv() {
            Ok(event) => event,
            Err(TryRecvError::Empty) => return,
            Err(TryRecvError::Disconnected) => {
                self.syncing = None;
                self.district.syncing = None;
                return;
            }
        };
        match event {
            FromWorker::Pulled(pulled) => self.merge_pulled(pulled),
            FromWorker::Committing => {
                self.district.syncing = Some(Worded::new(|lang| {
                    DistrictText::Committing.get(lang).to_string()
                }));
            }
            FromWorker::Committed(pushed) => self.finish_sync(&pushed),
            FromWorker::Failed(e) => self.sync_failed(e, true),
        }
    }

    /// Merges a pull here and sends what differs from the new base.
    fn merge_pulled(&mut self, pulled: Box<Pulled>) {
        let (Some(syncing), Some(ws)) = (self.syncing.as_mut(), self.workspace.as_mut()) else {
            return;
        };
        let n = pulled.len();
        self.district.syncing = Some(Worded::new(move |lang| words::sync_merging(lang, n)));
        let session = &mut ws.loaded.session;
        match take_in(session, &pulled) {
            Ok((merge, out)) => {
                let names = out
                    .iter()
                    .map(|o| (o.record, session.record_name(o.record)))
                    .collect();
                let sending = out.len();
                let sent = syncing.answer.take().is_some_and(|answer| {
                    answer
                        .send(ToSend {
                            out: out.clone(),
                            seen: pulled.seen,
                            names,
                        })
                        .is_ok()
                });
                syncing.merged = Some((pulled, merge, out));
                self.refresh(Reselect::Keep);
                if sent {
                    self.district.syncing =
                        Some(Worded::new(move |lang| words::sync_sending(lang, sending)));
                }
            }
            Err(e) => {
                syncing.answer = None;
                self.refresh(Reselect::Keep);
                self.sync_failed(e, true);
            }
        }
    }

    /// The server committed: the workspace records what it sent, and says what was done.
    fn finish_sync(&mut self, pushed: &Pushed) {
        let Some(syncing) = self.syncing.take() else {
            return;
        };
        self.district.syncing = None;
        let (Some((pulled, merge, out)), Some(ws)) = (syncing.merged, self.workspace.as_mut())
        else {
            return;
        };
        let server = syncing.server;
        match finish(&mut ws.loaded.session, &pulled, merge, out, pushed) {
            Ok(report) => {
                let conflicts = report.merge.conflicts;
                self.refresh(Reselect::Keep);
                self.set_status(
                    move |lang| words::synced(lang, &server, &report),
                    if conflicts > 0 {
                        StatusKind::Info
                    } else {
                        StatusKind::Ok
                    },
                );
            }
            // The server has it: the next sync pulls it back as this workspace's own.
            Err(e) => self.sync_failed(e, false),
        }
    }

    /// Says why a sync failed (`server_unchanged`: before the server committed).
    fn sync_failed(&mut self, e: Error, server_unchanged: bool) {
        self.syncing = None;
        self.district.syncing = None;
        self.set_status(
            move |lang: Lang| {
                let message = crate::i18n::errors::error_message(&e, lang);
                if server_unchanged {
                    crate::i18n::labelled(lang, DistrictText::SyncFailed.get(lang), &message)
                } else {
                    message
                }
            },
            StatusKind::Error,
        );
    }
}
