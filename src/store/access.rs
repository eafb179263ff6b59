//! Whether a workspace can be written here, and opening one read-only when it cannot: a file
//! someone shared read-only, on a read-only disk or share, or marked read-only by its owner
//! opens for reading instead of failing (never as "damaged"), and every change is refused with
//! [`Problem::WorkspaceNotWritable`].

use std::path::Path;

use crate::error::{DatabaseCode, Error, Problem, Result};

use super::Store;

/// True unless the file or its folder is marked read-only (no write permission bit at all,
/// which also holds for root, as editors treat a read-only file) or the file cannot be opened
/// for writing (permissions, a read-only file system). Opening for writing changes nothing.
pub(super) fn writable_here(path: &Path) -> bool {
    let marked_read_only =
        |p: &Path| std::fs::metadata(p).is_ok_and(|m| m.permissions().readonly());
    let folder = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    if marked_read_only(path) || marked_read_only(folder) {
        return false;
    }
    // Never opened and closed through `std::fs` while a store of this process holds it (see
    // `held`): SQLite's own open then tells whether it can be written.
    if super::held::is_held(path) {
        return true;
    }
    match std::fs::OpenOptions::new().write(true).open(path) {
        Ok(_) => true,
        Err(e) => !matches!(
            e.kind(),
            std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
        ),
    }
}

/// True for SQLite's "attempt to write a readonly database" and "unable to open" (a `-wal`
/// or `-shm` that cannot be made beside the file): the file cannot be written here.
pub(super) fn is_not_writable(e: &rusqlite::Error) -> bool {
    code_is_not_writable(crate::io::sqlite::code_of(e))
}

/// As [`is_not_writable`], for an SQLite error already made the core's.
pub(super) fn error_is_not_writable(e: &Error) -> bool {
    e.database_code().is_some_and(code_is_not_writable)
}

fn code_is_not_writable(code: DatabaseCode) -> bool {
    matches!(code, DatabaseCode::ReadOnly | DatabaseCode::CannotOpen)
}

/// [`Problem::WorkspaceNotWritable`] for `path`.
pub(super) fn not_writable(path: &Path) -> Error {
    Error::workspace(path, Problem::WorkspaceNotWritable)
}

impl Store {
    /// Opens a workspace to change it ([`Store::open`]); when the file cannot be written here,
    /// opens it read-only instead ([`Store::open_read_only`]) and every change is refused with
    /// [`Problem::WorkspaceNotWritable`]. A file that would need an upgrade is refused with
    /// [`Problem::OldSchemaNotWritable`]: it cannot be upgraded where it is.
    pub fn open_or_read_only(path: &Path) -> Result<Store> {
        match Store::open(path) {
            Err(e) if e.problem() == Some(&Problem::WorkspaceNotWritable) => {
                let mut store = Store::open_read_only(path).map_err(|e| match e.problem() {
                    Some(Problem::OldSchemaReadOnly { found, .. }) => {
                        Error::workspace(path, Problem::OldSchemaNotWritable { found: *found })
                    }
                    _ => e,
                })?;
                store.not_writable = true;
                Ok(store)
            }
            other => other,
        }
    }

    /// True when the store was opened read-only because the file cannot be written here.
    pub fn is_not_writable(&self) -> bool {
        self.not_writable
    }
}
