//! A power cut: only what SQLite made durable with `fsync` survives, whatever it had written.
//!
//! SQLite's own crash tests run on a VFS that drops unsynced writes; this is the small version
//! of that. A shim VFS, registered as this test process's default (so the workspace's own
//! connection goes through it), wraps the real "unix" VFS and, each time SQLite syncs a file,
//! copies the file as it then stands to `NAME.durable`: the durable image, what a power cut
//! would leave. After an edit is acknowledged, the "machine dies": a workspace is rebuilt from
//! the durable images only (the main file and its WAL) and opened.
//!
//! It shows the workspace's `synchronous = FULL` keeps an acknowledged edit, and that the same
//! write with `synchronous = OFF` — or `NORMAL`, the usual WAL setting, which syncs the WAL
//! only at checkpoints — is lost.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::HashMap;
use std::ffi::{CStr, c_char, c_int};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rusqlite::ffi;

/// Open files by their `sqlite3_file` address: the path and the real I/O methods.
fn files() -> &'static Mutex<HashMap<usize, (PathBuf, usize)>> {
    static FILES: OnceLock<Mutex<HashMap<usize, (PathBuf, usize)>>> = OnceLock::new();
    FILES.get_or_init(Default::default)
}

/// For each real I/O methods table, our copy with `xSync` and `xClose` wrapped (leaked: it
/// lives as long as the process, as SQLite's own tables do).
fn copies() -> &'static Mutex<HashMap<usize, usize>> {
    static COPIES: OnceLock<Mutex<HashMap<usize, usize>>> = OnceLock::new();
    COPIES.get_or_init(Default::default)
}

/// The real default VFS, set once by [`install`].
static PARENT: OnceLock<usize> = OnceLock::new();

fn durable_path(path: &Path) -> PathBuf {
    let mut p = path.as_os_str().to_owned();
    p.push(".durable");
    PathBuf::from(p)
}

unsafe extern "C" fn shim_sync(file: *mut ffi::sqlite3_file, flags: c_int) -> c_int {
    let Some((path, real)) = files().lock().unwrap().get(&(file as usize)).cloned() else {
        return ffi::SQLITE_IOERR;
    };
    let real = real as *const ffi::sqlite3_io_methods;
    let rc = unsafe { ((*real).xSync.unwrap())(file, flags) };
    if rc == ffi::SQLITE_OK {
        // What the disk holds now: the file as it stands at this fsync.
        let _ = std::fs::copy(&path, durable_path(&path));
    }
    rc
}

unsafe extern "C" fn shim_close(file: *mut ffi::sqlite3_file) -> c_int {
    let Some((_, real)) = files().lock().unwrap().remove(&(file as usize)) else {
        return ffi::SQLITE_IOERR;
    };
    let real = real as *const ffi::sqlite3_io_methods;
    unsafe { ((*real).xClose.unwrap())(file) }
}

unsafe extern "C" fn shim_open(
    vfs: *mut ffi::sqlite3_vfs,
    name: ffi::sqlite3_filename,
    file: *mut ffi::sqlite3_file,
    flags: c_int,
    out_flags: *mut c_int,
) -> c_int {
    let _ = vfs;
    let parent = *PARENT.get().unwrap() as *mut ffi::sqlite3_vfs;
    let rc = unsafe { ((*parent).xOpen.unwrap())(parent, name, file, flags, out_flags) };
    if rc != ffi::SQLITE_OK || name.is_null() || unsafe { (*file).pMethods.is_null() } {
        return rc;
    }
    let path = PathBuf::from(
        unsafe { CStr::from_ptr(name as *const c_char) }
            .to_string_lossy()
            .into_owned(),
    );
    let real = unsafe { (*file).pMethods } as usize;
    let copy = *copies().lock().unwrap().entry(real).or_insert_with(|| {
        let mut methods = unsafe { *(real as *const ffi::sqlite3_io_methods) };
        methods.xSync = Some(shim_sync);
        methods.xClose = Some(shim_close);
        Box::leak(Box::new(methods)) as *const ffi::sqlite3_io_methods as usize
    });
    unsafe { (*file).pMethods = copy as *const ffi::sqlite3_io_methods };
    files().lock().unwrap().insert(file as usize, (path, real));
    rc
}

/// Registers the shim as the process's default VFS, once.
fn install() {
    static DONE: OnceLock<()> = OnceLock::new();
    DONE.get_or_init(|| unsafe {
        let parent = ffi::sqlite3_vfs_find(std::ptr::null());
        assert!(!parent.is_null());
        PARENT.set(parent as usize).unwrap();
        let mut shim = *parent;
        shim.zName = c"powercut".as_ptr();
        shim.pNext = std::ptr::null_mut();
        shim.xOpen = Some(shim_open);
        let shim = Box::leak(Box::new(shim));
        assert_eq!(ffi::sqlite3_vfs_register(shim, 1), ffi::SQLITE_OK);
    });
}

/// A sample workspace at rest (every change folded into the main file, which is durable).
fn at_rest(dir: &Path, name: &str) -> PathBuf {
    let ws = dir.join(name);
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    std::fs::copy(&ws, durable_path(&ws)).unwrap();
    let mut wal = ws.as_os_str().to_owned();
    wal.push("-wal");
    let _ = std::fs::remove_file(durable_path(Path::new(&wal)));
    ws
}

/// The workspace as a power cut leaves it: its main file and WAL as last synced, nothing
/// else, in a folder of its own.
fn after_power_cut(ws: &Path, crash_dir: &Path) -> PathBuf {
    let out = crash_dir.join(ws.file_name().unwrap());
    std::fs::copy(durable_path(ws), &out).unwrap();
    let mut wal = ws.as_os_str().to_owned();
    wal.push("-wal");
    let durable_wal = durable_path(Path::new(&wal));
    if durable_wal.exists() {
        let mut out_wal = out.as_os_str().to_owned();
        out_wal.push("-wal");
        std::fs::copy(durable_wal, PathBuf::from(out_wal)).unwrap();
    }
    out
}

fn name_of(ws: &Path, fid: i64) -> String {
    rusqlite::Connection::open(ws)
        .unwrap()
        .query_row("SELECT name FROM plan_points WHERE fid = ?1", [fid], |r| {
            r.get(0)
        })
        .unwrap()
}

/// The same acknowledged write as the session's, through a connection with `synchronous` set
/// to `mode`.
fn write_with(ws: &Path, mode: &str) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(ws).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = WAL; PRAGMA synchronous = {mode};
         BEGIN IMMEDIATE; UPDATE plan_points SET name = '断电前的修改' WHERE fid = 1; COMMIT;"
    ))
    .unwrap();
    conn
}

#[test]
fn synchronous_full_keeps_an_acknowledged_edit_through_a_power_cut_and_off_loses_it() {
    install();
    let dir = tempfile::tempdir().unwrap();
    let crash = tempfile::tempdir().unwrap();

    // The workspace as Linli opens it: synchronous = FULL.
    let ws = at_rest(dir.path(), "full.gpkg");
    let old = name_of(&ws, 1);
    let mut session = linli::Session::open(&ws).unwrap();
    let id = session
        .plan()
        .iter()
        .find(|f| f.feature.name == old)
        .unwrap()
        .feature
        .id;
    session
        .apply(linli::session::Edit::SetName {
            id,
            name: "断电前的修改".into(),
        })
        .unwrap(); // acknowledged: the status bar says 已保存
    let survived = after_power_cut(&ws, crash.path());
    assert_eq!(
        name_of(&survived, 1),
        "断电前的修改",
        "FULL: the acknowledged edit survives"
    );
    assert!(
        linli::Session::open(&survived)
            .unwrap()
            .check()
            .unwrap()
            .is_empty()
    );
    drop(session);

    // The same write with synchronous = OFF, and NORMAL (WAL synced only at checkpoints).
    for mode in ["OFF", "NORMAL"] {
        let ws = at_rest(dir.path(), &format!("{mode}.gpkg"));
        let old = name_of(&ws, 1);
        let conn = write_with(&ws, mode);
        assert_eq!(name_of(&ws, 1), "断电前的修改", "{mode}: acknowledged");
        let lost = after_power_cut(&ws, crash.path());
        assert_eq!(name_of(&lost, 1), old, "{mode}: the edit is lost");
        drop(conn);
    }
}
