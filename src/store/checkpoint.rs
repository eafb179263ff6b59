//! Checkpoints off the edit path. In WAL mode every commit is synced to the write-ahead log
//! before it returns (`synchronous = FULL`): that is what makes an edit durable. Copying the
//! log back into the main file (a checkpoint) is housekeeping, but SQLite's automatic one runs
//! inside whichever commit crosses its threshold, and with this workspace's disk that one
//! commit takes tens to hundreds of milliseconds instead of a few. So a writable store keeps a
//! thread with a connection of its own that checkpoints (PASSIVE: it never blocks a writer
//! or a reader) once the log holds [`MIN_BYTES`] and the workspace has been quiet for
//! [`QUIET`] since the last commit. The store's write-ahead-log hook (which replaces SQLite's
//! automatic checkpoint) tells it after each commit, and checkpoints in the commit itself only
//! as the safety net for a session that never pauses, at [`SAFETY_NET_BYTES`] instead of
//! SQLite's 1,000 pages. A log smaller than [`MIN_BYTES`] waits for the next commit or the
//! close, so a workspace's main file does not change behind a few edits' back.
//!
//! Durability is unchanged: a checkpoint only copies what the log already holds, synced.

use std::path::Path;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::Duration;

use std::ffi::c_int;

use rusqlite::hooks::Wal;
use rusqlite::wal::CheckpointMode;
use rusqlite::{Connection, OpenFlags};

/// How long the workspace must be quiet after a commit before the log is checkpointed.
pub const QUIET: Duration = Duration::from_millis(300);

/// Log bytes after which a commit checkpoints by itself, when the thread never found a quiet
/// moment.
pub const SAFETY_NET_BYTES: i64 = 32 << 20;

/// Log bytes below which the thread leaves the log alone.
pub const MIN_BYTES: i64 = 1 << 20;

/// The checkpointing thread of a writable store. Dropping it (after [`Checkpointer::unhook`])
/// stops the thread and closes its connection, before the store's own, so the last connection
/// to close folds the log in and removes it, as before.
pub(super) struct Checkpointer {
    kick: Option<Sender<()>>,
    thread: Option<JoinHandle<()>>,
}

impl Checkpointer {
    /// Starts the thread with its own connection to `path` and hooks `conn`'s commits to it;
    /// `None` when that connection cannot be opened (SQLite's automatic checkpoint then does
    /// the work, as by default).
    pub(super) fn start(conn: &mut Connection, path: &Path) -> Option<Self> {
        let checkpointer = Self::spawn(path)?;
        let kick = checkpointer.kick.clone()?;
        // The hook counts pages: the thresholds in this workspace's pages (4 KiB in
        // workspaces made before 16 KiB ones).
        let page: i64 = conn
            .query_row("PRAGMA page_size", [], |r| r.get(0))
            .ok()
            .filter(|&p| p > 0)?;
        let pages = |bytes: i64| c_int::try_from(bytes / page).unwrap_or(c_int::MAX).max(1);
        let (safety_net, min) = (pages(SAFETY_NET_BYTES), pages(MIN_BYTES));
        let hooked = conn.wal_hook(Some(move |wal: &mut Wal, pages: c_int| {
            // The commit is done and synced whatever happens here: never report an error.
            if pages >= safety_net {
                let _ = wal.checkpoint_v2(CheckpointMode::PASSIVE);
            } else if pages >= min {
                let _ = kick.send(());
            }
            Ok(())
        }));
        hooked.ok().map(|()| checkpointer)
    }

    /// Takes the hook off `conn`, so the thread's channel closes when this is dropped.
    pub(super) fn unhook(conn: &mut Connection) {
        let _ = conn.wal_hook(None::<fn(&mut Wal, c_int) -> rusqlite::Result<()>>);
    }

    fn spawn(path: &Path) -> Option<Self> {
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).ok()?;
        let (kick, kicks) = mpsc::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("linli-checkpoint".into())
            .spawn(move || {
                // Wait for a write, then for quiet; the channel closing ends the thread.
                while kicks.recv().is_ok() {
                    loop {
                        match kicks.recv_timeout(QUIET) {
                            Ok(()) => continue,
                            Err(RecvTimeoutError::Timeout) => break,
                            Err(RecvTimeoutError::Disconnected) => return,
                        }
                    }
                    // A failure (the file busy, gone) is left to the next quiet moment or to
                    // the automatic checkpoint: nothing is lost by a checkpoint not made.
                    let _ = conn.query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
                }
            })
            .ok()?;
        Some(Self {
            kick: Some(kick),
            thread: Some(thread),
        })
    }
}

impl Drop for Checkpointer {
    fn drop(&mut self) {
        drop(self.kick.take());
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use crate::model::catalog::Catalog;
    use crate::store::Store;

    #[test]
    fn a_quiet_workspace_is_checkpointed_and_closing_leaves_one_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.gpkg");
        let mut store = Store::create(&path, &Catalog::bundled()).unwrap();
        let size = || std::fs::metadata(&path).unwrap().len();
        let before = size();
        let mut wal = path.as_os_str().to_owned();
        wal.push("-wal");
        let tx = store.begin().unwrap();
        tx.execute(
            "INSERT INTO linli_meta (key, value) VALUES ('padding', ?1)",
            [vec![7u8; 1 << 20]],
        )
        .unwrap();
        tx.commit().unwrap();
        // Committed to the log (synced); SQLite's automatic checkpoint would wait for many more
        // pages than a megabyte's, so only the thread moves it into the main file. (Whether the
        // main file is still unchanged at this instant depends on the scheduler: not asserted.)
        let waited = std::time::Instant::now();
        while size() == before && waited.elapsed() < super::QUIET * 20 {
            std::thread::sleep(super::QUIET / 4);
        }
        assert!(
            size() > before + (1 << 20) - 4096,
            "checkpointed once quiet"
        );
        drop(store);
        assert!(
            !std::path::Path::new(&wal).exists(),
            "no log left beside it"
        );
        let store = Store::open(&path).unwrap();
        let n: i64 = store
            .conn()
            .query_row(
                "SELECT length(value) FROM linli_meta WHERE key = 'padding'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1 << 20);
    }
}
