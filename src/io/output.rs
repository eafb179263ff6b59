//! Writing a file the user named (an export, a report): the one door every such write goes
//! through, so no export can ever destroy a workspace.
//!
//! [`write_output`] refuses, before writing a byte:
//! - the workspace itself, however the path is spelled (a symlink, `./`, `dir/../`, a hard
//!   link): paths are compared canonicalised and, on unix, by (device, inode);
//! - the workspace's SQLite side files (`-wal`, `-shm`, `-journal`), which hold its last edits;
//! - any existing SQLite database (a GeoPackage, another workspace), told by its first 16 bytes,
//!   but a GeoPackage Linli exported ([`crate::io::gpkg_out::is_linli_export`]) when replacing
//!   was asked and no SQLite side file (`-wal`, `-journal`) sits beside it;
//! - any other existing file unless the caller says to replace it (`--force`, or the window's
//!   "replace?" answered yes).
//!
//! The bytes go to a uniquely named hidden file beside the target, are synced, and only then
//! take the target's name, so a reader never sees half a file and a failed write leaves the
//! old one. Without `replace` the new file is hard-linked into place, which never replaces a
//! file that appeared meanwhile.

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::error::{Error, Problem, Result};

/// The first 16 bytes of every SQLite database, and so of every GeoPackage.
const SQLITE_HEADER: &[u8; 16] = b"SQLite format 3\0";

/// What an export may do to the file at its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutputRules<'a> {
    /// The open workspace, never written over (nor its side files).
    pub workspace: Option<&'a Path>,
    /// Replace an existing file that is not a database (`--force`, or confirmed in the window).
    pub replace: bool,
}

/// Checks `path` against `rules` without writing: `Ok` when an export may write there.
///
/// # Errors
/// [`Problem::OutputIsWorkspace`], [`Problem::OutputIsDatabase`] or [`Problem::OutputExists`],
/// each naming `path`; [`Problem::NotAFileName`] for a path with no file name (`..`, `/`).
pub fn check_output(path: &Path, rules: OutputRules<'_>) -> Result<()> {
    let refuse = |problem| Err(Error::input(path, None, problem));
    if path.file_name().is_none() {
        return refuse(Problem::NotAFileName);
    }
    if let Some(workspace) = rules.workspace {
        if same_file(path, workspace) {
            return refuse(Problem::OutputIsWorkspace);
        }
        if is_side_file_of(path, workspace) {
            return refuse(Problem::OutputIsWorkspace);
        }
    }
    // `metadata` follows a symlink: what would be lost is the file it points to.
    let meta = match std::fs::metadata(path) {
        Ok(meta) => meta,
        Err(_) => return Ok(()),
    };
    if meta.is_file() && starts_like_sqlite(path) {
        let replaceable =
            rules.replace && !has_side_file(path) && crate::io::gpkg_out::is_linli_export(path);
        if !replaceable {
            return refuse(Problem::OutputIsDatabase);
        }
    }
    if !rules.replace {
        return refuse(Problem::OutputExists);
    }
    Ok(())
}

/// Writes `bytes` to `path` atomically after [`check_output`] allows it (see the module docs).
///
/// # Errors
/// What [`check_output`] refuses, and the file system's errors naming `path`.
pub fn write_output(path: &Path, bytes: &[u8], rules: OutputRules<'_>) -> Result<()> {
    check_output(path, rules)?;
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let (tmp, mut file) = create_temporary(dir, path).map_err(|e| Error::io(path, e))?;
    let written = file
        .write_all(bytes)
        .and_then(|()| file.sync_all())
        .map_err(|e| Error::io(path, e));
    drop(file);
    let placed = written.and_then(|()| place(&tmp, path, rules.replace));
    let _ = std::fs::remove_file(&tmp);
    placed?;
    sync_dir(dir);
    Ok(())
}

/// Moves the finished temporary file to `path`: renamed over it when replacing is allowed,
/// else hard-linked (which fails on an existing file), or renamed after a last check where
/// the file system has no hard links (FAT on a USB stick).
fn place(tmp: &Path, path: &Path, replace: bool) -> Result<()> {
    if replace {
        return std::fs::rename(tmp, path).map_err(|e| Error::io(path, e));
    }
    match std::fs::hard_link(tmp, path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            Err(Error::input(path, None, Problem::OutputExists))
        }
        Err(_) => {
            if path.exists() {
                return Err(Error::input(path, None, Problem::OutputExists));
            }
            std::fs::rename(tmp, path).map_err(|e| Error::io(path, e))
        }
    }
}

/// A new hidden file beside the target, named uniquely (process, counter, time), created
/// exclusively so two writers never share one.
fn create_temporary(dir: &Path, path: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let name = path.file_name().unwrap_or_default();
    let mut last = None;
    for _ in 0..16 {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut tmp_name = OsString::from(".");
        tmp_name.push(name);
        tmp_name.push(format!(
            ".{}-{}-{nanos:08x}.linli-tmp",
            std::process::id(),
            COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let tmp = dir.join(tmp_name);
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&tmp)
        {
            Ok(f) => return Ok((tmp, f)),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => last = Some(e),
            Err(e) => return Err(e),
        }
    }
    Err(last.unwrap_or_else(|| std::io::Error::other("no free temporary name")))
}

/// Syncs a folder so a rename in it survives a power cut (unix; elsewhere a no-op).
fn sync_dir(dir: &Path) {
    #[cfg(unix)]
    if let Ok(d) = std::fs::File::open(dir) {
        let _ = d.sync_all();
    }
    #[cfg(not(unix))]
    let _ = dir;
}

/// True when `a` and `b` name one existing file: the same canonical path, or (unix) the same
/// device and inode, which also catches a hard link.
pub fn same_file(a: &Path, b: &Path) -> bool {
    if let (Ok(ca), Ok(cb)) = (std::fs::canonicalize(a), std::fs::canonicalize(b))
        && ca == cb
    {
        return true;
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        if let (Ok(ma), Ok(mb)) = (std::fs::metadata(a), std::fs::metadata(b)) {
            return ma.dev() == mb.dev() && ma.ino() == mb.ino();
        }
    }
    false
}

/// True when `path` is one of the workspace's SQLite side files (`WS-wal`, `WS-shm`,
/// `WS-journal`), existing or not, however its folder is spelled. The side files sit beside
/// the workspace's real file, so a symlinked workspace is checked at both places.
fn is_side_file_of(path: &Path, workspace: &Path) -> bool {
    let Some(name) = path.file_name() else {
        return false;
    };
    let folder = |p: &Path| {
        let parent = p
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        std::fs::canonicalize(parent).ok()
    };
    let Some(path_folder) = folder(path) else {
        return false;
    };
    let real = std::fs::canonicalize(workspace).ok();
    [Some(workspace), real.as_deref()]
        .into_iter()
        .flatten()
        .any(|ws| {
            let Some(ws_name) = ws.file_name() else {
                return false;
            };
            let side = ["-wal", "-shm", "-journal"].iter().any(|suffix| {
                let mut s = ws_name.to_owned();
                s.push(suffix);
                s == name
            });
            side && folder(ws).as_ref() == Some(&path_folder)
        })
}

/// True when a journal or write-ahead log sits beside `path`: SQLite would apply it to a new
/// file put in its place.
fn has_side_file(path: &Path) -> bool {
    ["-wal", "-journal"].iter().any(|suffix| {
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        Path::new(&name).exists()
    })
}

/// True when the file at `path` begins with SQLite's header (a GeoPackage, a workspace).
fn starts_like_sqlite(path: &Path) -> bool {
    let mut head = [0u8; 16];
    std::fs::File::open(path)
        .and_then(|mut f| f.read_exact(&mut head))
        .is_ok_and(|()| &head == SQLITE_HEADER)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules(workspace: &Path, replace: bool) -> OutputRules<'_> {
        OutputRules {
            workspace: Some(workspace),
            replace,
        }
    }

    fn problem(r: Result<()>) -> Problem {
        r.unwrap_err().problem().cloned().unwrap()
    }

    #[test]
    fn the_workspace_is_refused_however_it_is_spelled() {
        let dir = tempfile::tempdir().unwrap();
        let ws = dir.path().join("ws.gpkg");
        let mut bytes = SQLITE_HEADER.to_vec();
        bytes.extend([7u8; 200]);
        std::fs::write(&ws, &bytes).unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        let spellings = [
            ws.clone(),
            dir.path().join("sub/../ws.gpkg"),
            dir.path().join("./ws.gpkg"),
        ];
        for p in &spellings {
            let r = write_output(p, b"{}", rules(&ws, true));
            assert_eq!(problem(r), Problem::OutputIsWorkspace, "{}", p.display());
        }
        #[cfg(unix)]
        {
            let link = dir.path().join("link.geojson");
            std::os::unix::fs::symlink(&ws, &link).unwrap();
            let r = write_output(&link, b"{}", rules(&ws, true));
            assert_eq!(problem(r), Problem::OutputIsWorkspace);
            let hard = dir.path().join("hard.geojson");
            std::fs::hard_link(&ws, &hard).unwrap();
            let r = write_output(&hard, b"{}", rules(&ws, true));
            assert_eq!(problem(r), Problem::OutputIsWorkspace);
        }
        for side in ["ws.gpkg-wal", "ws.gpkg-shm", "ws.gpkg-journal"] {
            let r = write_output(&dir.path().join(side), b"{}", rules(&ws, true));
            assert_eq!(problem(r), Problem::OutputIsWorkspace, "{side}");
            assert!(!dir.path().join(side).exists());
        }
        assert_eq!(std::fs::read(&ws).unwrap(), bytes);
    }

    #[test]
    fn a_database_is_never_replaced_and_other_files_only_when_asked() {
        let dir = tempfile::tempdir().unwrap();
        let other = dir.path().join("other.gpkg");
        let mut db = SQLITE_HEADER.to_vec();
        db.extend([1u8; 100]);
        std::fs::write(&other, &db).unwrap();
        let r = write_output(&other, b"x", OutputRules::default_for_tests(true));
        assert_eq!(problem(r), Problem::OutputIsDatabase);
        assert_eq!(std::fs::read(&other).unwrap(), db);

        let csv = dir.path().join("a.csv");
        std::fs::write(&csv, "old").unwrap();
        let r = write_output(&csv, b"new", OutputRules::default_for_tests(false));
        assert_eq!(problem(r), Problem::OutputExists);
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), "old");
        write_output(&csv, b"new", OutputRules::default_for_tests(true)).unwrap();
        assert_eq!(std::fs::read_to_string(&csv).unwrap(), "new");

        let fresh = dir.path().join("b.csv");
        write_output(&fresh, b"b", OutputRules::default_for_tests(false)).unwrap();
        assert_eq!(std::fs::read_to_string(&fresh).unwrap(), "b");
        // No temporary file is left beside the outputs.
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 3, "{names:?}");
    }

    impl OutputRules<'static> {
        fn default_for_tests(replace: bool) -> Self {
            OutputRules {
                workspace: None,
                replace,
            }
        }
    }
}
