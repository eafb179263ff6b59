//! The workspace files this process has open through SQLite. Such a file must never be opened
//! and closed through `std::fs`: closing any descriptor of a file drops every POSIX lock this
//! process holds on it, SQLite's included, and another program closing the file would then take
//! itself for the last connection and delete the write-ahead log a session is still writing.
//! The checks that read a file that way before SQLite opens it (its header, whether it can be
//! written) skip a file held here: it is open as a workspace already.

use std::path::Path;
use std::sync::Mutex;

/// A file, as the operating system knows it (the same file under two names is one key).
#[cfg(unix)]
type FileKey = (u64, u64);
#[cfg(not(unix))]
type FileKey = std::path::PathBuf;

#[cfg(unix)]
fn key(path: &Path) -> Option<FileKey> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|m| (m.dev(), m.ino()))
}

#[cfg(not(unix))]
fn key(path: &Path) -> Option<FileKey> {
    std::fs::canonicalize(path).ok()
}

/// Every file held, once per store holding it.
static HELD: Mutex<Vec<FileKey>> = Mutex::new(Vec::new());

fn held() -> std::sync::MutexGuard<'static, Vec<FileKey>> {
    // A panic elsewhere while holding the list leaves it as it was: still usable.
    HELD.lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// True when a store of this process has `path` open.
pub(super) fn is_held(path: &Path) -> bool {
    key(path).is_some_and(|k| held().contains(&k))
}

/// A store's hold on its file, from its opening to its drop.
#[derive(Debug)]
pub(super) struct Hold(Option<FileKey>);

impl Hold {
    /// Records that a store has `path` open.
    pub(super) fn new(path: &Path) -> Hold {
        let k = key(path);
        if let Some(k) = &k {
            held().push(k.to_owned());
        }
        Hold(k)
    }
}

impl Drop for Hold {
    fn drop(&mut self) {
        if let Some(k) = &self.0 {
            let mut list = held();
            if let Some(i) = list.iter().position(|h| h == k) {
                list.swap_remove(i);
            }
        }
    }
}
