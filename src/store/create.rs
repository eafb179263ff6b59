//! Creating a workspace so that a kill or power cut never leaves half of one at its final
//! path: everything is built in a hidden temporary file beside it, closed (so SQLite's WAL is
//! folded in and removed), synced, and only then linked into place, refusing to replace a
//! file that appeared there meanwhile.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use crate::error::{Error, Problem, Result};

/// The hidden file beside `path` that one creation builds in
/// (`.NAME.linli-new-PID-RANDOM`): its own, even when two windows or two threads of one
/// process create the same workspace at once, so neither removes or replaces the other's.
fn temporary_path(path: &Path) -> PathBuf {
    let mut name = OsString::from(".");
    name.push(path.file_name().unwrap_or_default());
    let random = uuid::Uuid::new_v4().simple().to_string();
    name.push(format!(
        ".linli-new-{}-{}",
        std::process::id(),
        random.get(..12).unwrap_or(&random)
    ));
    path.with_file_name(name)
}

/// Removes a workspace file and its SQLite side files, if there.
pub fn remove_with_side_files(path: &Path) {
    for suffix in ["", "-wal", "-shm", "-journal"] {
        let _ = std::fs::remove_file(super::side_file(path, suffix));
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

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use crate::error::Problem;
    use crate::model::catalog::Catalog;
    use crate::store::Store;

    /// Issue 19, point 5: two first starts at once (two windows, here two threads of one
    /// process) build the same workspace: each builds in its own partial file, exactly one is
    /// linked into place, the other is told the file exists, and nothing else is left.
    #[test]
    fn two_creations_racing_on_one_path_make_one_whole_workspace() {
        for round in 0..3 {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join(format!("w{round}.gpkg"));
            let barrier = std::sync::Arc::new(std::sync::Barrier::new(2));
            let racers: Vec<_> = (0..2)
                .map(|_| {
                    let path = path.clone();
                    let barrier = barrier.clone();
                    std::thread::spawn(move || {
                        barrier.wait();
                        Store::create(&path, &Catalog::bundled()).map(drop)
                    })
                })
                .collect();
            let results: Vec<_> = racers.into_iter().map(|t| t.join().unwrap()).collect();
            let created = results.iter().filter(|r| r.is_ok()).count();
            for r in &results {
                if let Err(e) = r {
                    assert_eq!(
                        e.problem(),
                        Some(&Problem::WorkspaceExists),
                        "the loser is told the file exists: {e:?}"
                    );
                }
            }
            assert_eq!(created, 1, "exactly one creation wins: {results:?}");
            let names: Vec<String> = std::fs::read_dir(dir.path())
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            assert_eq!(
                names,
                vec![format!("w{round}.gpkg")],
                "one file, no leftovers"
            );
            let store = Store::open(&path).unwrap();
            assert!(crate::store::check(&store).unwrap().is_empty());
        }
    }

    /// The partial file's name differs between two creations in one process.
    #[test]
    fn partial_names_are_unique() {
        let p = std::path::Path::new("/tmp/x.gpkg");
        assert_ne!(super::temporary_path(p), super::temporary_path(p));
    }
}
