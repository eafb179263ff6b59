//! Quitting so that the workspace is one whole file again. Every way out ends in
//! [`LinliApp::shut_down`]: Ctrl+Q, the window's close button (eframe calls `on_exit`, then
//! drops the app, which shuts down too if nothing did), and SIGTERM/SIGINT/SIGHUP (a session
//! logging out, `kill`, Ctrl+C in the terminal that started it).
//!
//! Why it matters: SQLite folds the write-ahead log into the file and removes `-wal`/`-shm`
//! only when the *last* connection closes. The map's tile loader has a connection of its own;
//! dropped after the session (or never joined), it was the last, and a read-only connection
//! cannot checkpoint, so the edits stayed in `-wal` and a copy of the file alone lacked them.
//! Shutting down stops and joins every thread holding a connection (an open or an import under
//! way is waited for, the tile loader is joined), then closes the session, which checkpoints
//! and checks that nothing is left beside the file.
//!
//! A signal handler can do almost nothing safely: it writes a byte to a pipe. A thread of ours
//! reads it, counts the signal ([`on_termination_signal`]) and wakes every window, which quits
//! on the frame it then draws.

use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use egui::{Key, KeyboardShortcut, Modifiers, ViewportCommand};

use crate::i18n::errors::error_text;

use super::LinliApp;
use super::loader::LoadEvent;
use crate::gui::windows::import::ImportEvent;

/// Termination signals received since the process started.
static TERMINATIONS: AtomicU64 = AtomicU64::new(0);

/// The windows a termination signal wakes, by an id of their own.
static WINDOWS: Mutex<Vec<(u64, egui::Context)>> = Mutex::new(Vec::new());

/// The next window id.
static NEXT_WINDOW: AtomicU64 = AtomicU64::new(0);

/// What a window remembers about quitting.
#[derive(Debug)]
pub(super) struct QuitState {
    /// Termination signals counted when the window was made (later ones are for it).
    terminations_seen: u64,
    /// Its entry in the windows a signal wakes.
    window: u64,
    /// Shut down already: the window only waits to close.
    pub(super) done: bool,
}

impl QuitState {
    /// A window's state, registered to be woken by a termination signal.
    pub(super) fn new(ctx: &egui::Context) -> Self {
        let window = NEXT_WINDOW.fetch_add(1, Ordering::SeqCst);
        if let Ok(mut windows) = WINDOWS.lock() {
            windows.push((window, ctx.clone()));
        }
        Self {
            terminations_seen: TERMINATIONS.load(Ordering::SeqCst),
            window,
            done: false,
        }
    }
}

impl Drop for QuitState {
    fn drop(&mut self) {
        if let Ok(mut windows) = WINDOWS.lock() {
            windows.retain(|(id, _)| *id != self.window);
        }
    }
}

/// What a termination signal does, on the watcher thread (not in the handler): counts it and
/// wakes every window, which quits cleanly on its next frame.
pub fn on_termination_signal() {
    TERMINATIONS.fetch_add(1, Ordering::SeqCst);
    if let Ok(windows) = WINDOWS.lock() {
        for (_, ctx) in windows.iter() {
            ctx.request_repaint();
        }
    }
}

/// Installs the handlers of SIGTERM, SIGINT and SIGHUP (once per process; later calls do
/// nothing): each writes a byte to a pipe whose reader thread calls [`on_termination_signal`].
/// Returns false when they could not be installed (the default action, ending the process at
/// once, then stays).
#[cfg(unix)]
pub fn install_signal_handlers() -> bool {
    static INSTALLED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *INSTALLED.get_or_init(|| {
        use std::io::{Read, Write};
        let Ok((mut reader, writer)) = std::os::unix::net::UnixStream::pair() else {
            return false;
        };
        // A full pipe must never block the handler: the byte already waiting wakes the thread.
        if writer.set_nonblocking(true).is_err() {
            return false;
        }
        let writer = std::sync::Arc::new(writer);
        let watcher = std::thread::Builder::new()
            .name("linli-signals".into())
            .spawn(move || {
                let mut bytes = [0u8; 16];
                while let Ok(n) = reader.read(&mut bytes) {
                    if n == 0 {
                        break;
                    }
                    on_termination_signal();
                }
            });
        if watcher.is_err() {
            return false;
        }
        [libc::SIGTERM, libc::SIGINT, libc::SIGHUP]
            .into_iter()
            .all(|signal| {
                let writer = writer.clone();
                // SAFETY: the action only calls write(2) on a non-blocking socket, which is
                // async-signal-safe; it allocates nothing and takes no lock.
                unsafe {
                    signal_hook_registry::register(signal, move || {
                        let _ = (&*writer).write(&[1]);
                    })
                }
                .is_ok()
            })
    })
}

/// No signals to handle here: the window's close button is the way out.
#[cfg(not(unix))]
pub fn install_signal_handlers() -> bool {
    false
}

impl LinliApp {
    /// Quits when asked — Ctrl+Q, or a termination signal since the window was made — by
    /// shutting down and asking the window to close; true when quitting (the frame draws no
    /// more).
    pub(super) fn quit_if_asked(&mut self, ctx: &egui::Context) -> bool {
        if self.quit.done {
            return true;
        }
        let ctrl_q = ctx
            .input_mut(|i| i.consume_shortcut(&KeyboardShortcut::new(Modifiers::COMMAND, Key::Q)));
        let signalled = TERMINATIONS.load(Ordering::SeqCst) > self.quit.terminations_seen;
        if !(ctrl_q || signalled) {
            return false;
        }
        self.shut_down();
        ctx.send_viewport_cmd(ViewportCommand::Close);
        true
    }

    /// Closes the workspace so that its file alone holds everything: waits for an open or an
    /// import under way (each holds the session on its thread), then joins the tile loader and
    /// closes the session (see [`crate::Session::close`]). Runs once; a failure (the file still
    /// open in another program: its log stays beside it, nothing is lost) is printed, since
    /// the window is going away.
    pub(super) fn shut_down(&mut self) {
        if self.quit.done {
            return;
        }
        self.quit.done = true;
        self.sync_layer_prefs();
        let mut open = Vec::new();
        if let Some(loading) = self.loading.take() {
            while let Ok(event) = loading.events.recv() {
                if let LoadEvent::Done(result) = event {
                    open.extend(result.ok());
                    break;
                }
            }
        }
        if let Some(importing) = self.importing.take() {
            while let Ok(event) = importing.events.recv() {
                if let ImportEvent::Done(loaded, _) = event {
                    open.push(loaded);
                    break;
                }
            }
        }
        // A reading of other programs' changes holds a connection of its own: closed first.
        self.outside.stop();
        if let Some(ws) = self.workspace.take() {
            open.push(Box::new(ws.loaded));
        }
        for loaded in open {
            if let Err(e) = loaded.close() {
                eprintln!("linli: {}", error_text(&e).get(self.prefs.lang));
            }
        }
    }
}

impl Drop for LinliApp {
    fn drop(&mut self) {
        // eframe calls `on_exit` first; this covers a window dropped without it.
        self.shut_down();
    }
}
