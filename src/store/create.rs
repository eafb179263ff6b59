//! Creating a workspace so that a kill or power cut never leaves half of one at its final
//! path: everything is built in a hidden temporary file beside it, closed (so SQLite's WAL is
//! folded in and removed), synced, and only then linked into place, refusing to replace a
//! file that appeared there meanwhile.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};

/// The hidden file beside `path` that a creation builds in (`.NAME.linli-new-PID`).
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    name.push(format!(".linli-new-{}", std::process::id()));
    path.with_file_name(name)
}

/// Removes a workspace file and its SQLite side files, if there.
pub fn remove_with_side_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let mut p = path.as_os_str().to_owned();
        p.push(suffix);
        let _ = std::fs::remove_file(Path::new(&p));
    }
}

/// Builds a new workspace at `path` through `build`, which gets the temporary path to create
/// and fill, and must close every connection to it before returning. The file appears at
/// `path` whole or not at all; on any error the temporary file is removed. Refuses (with
/// [`Problem::WorkspaceExists`]) when `path` exists, before and after building.
pub fn create_in_place(path: &Path, build: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    if path.exists() {
        return Err(Error::workspace(path, Problem::WorkspaceExists));
    }
    let tmp = temporary_path(path);
    remove_with_side_files(&tmp);
    let placed = build(&tmp).and_then(|()| place(&tmp, path));
    remove_with_side_files(&tmp);
    placed
}

/// Syncs the finished file and links it to `path` (a hard link never replaces an existing
/// file); where the file system has no hard links (FAT on a USB stick), renames it instead,
/// after checking again that `path` is free.
fn place(tmp: &Path, path: &Path) -> Result<()> {
    let moved = |e: std::io::Error| {
        Error::workspace(
            path,
            Problem::CannotMoveIntoPlace {
                reason: e.to_string(),
            },
        )
    };
    std::fs::File::open(tmp)
        .and_then(|f| f.sync_all())
        .map_err(moved)?;
    match std::fs::hard_link(tmp, path) {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(Error::workspace(path, Problem::WorkspaceExists));
        }
        Err(_) if path.exists() => return Err(Error::workspace(path, Problem::WorkspaceExists)),
        Err(_) => std::fs::rename(tmp, path).map_err(moved)?,
    }
    // The new directory entry must survive a power cut too.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty())
        && let Ok(d) = std::fs::File::open(dir)
    {
        let _ = d.sync_all();
    }
    Ok(())
}
