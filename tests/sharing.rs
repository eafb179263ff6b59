//! A workspace shared with other programs: read-only commands change no byte of it, rows that
//! QGIS (or any SQLite client) added, edited or broke are picked up on open, and undo never
//! writes over another program's change.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

use linli::Session;
use linli::error::Problem;
use linli::session::Edit;

/// Files in `dir`, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

fn sample(dir: &Path) -> std::path::PathBuf {
    let ws = dir.join("浦东 #1.gpkg");
    let out = common::run(&["new", ws.to_str().unwrap(), "--sample"]);
    assert!(out.status.success(), "{out:?}");
    ws
}

fn read_only_commands(ws: &Path, out_dir: &Path) -> Vec<Vec<String>> {
    let w = ws.to_str().unwrap().to_string();
    let o = out_dir.join("plan.geojson").to_string_lossy().into_owned();
    [
        vec!["info", &w],
        vec!["check", &w],
        vec!["locate", &w, "121.50", "31.24"],
        vec!["export", &w, "--format", "geojson", "-o", &o],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect()
}

fn run(args: &[String]) -> std::process::Output {
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    common::run(&refs)
}

#[test]
fn read_only_commands_change_no_byte_and_leave_no_file() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let files = listing(dir.path());
    assert_eq!(
        files,
        vec!["浦东 #1.gpkg".to_string()],
        "a workspace at rest"
    );
    let bytes = std::fs::read(&ws).unwrap();
    for args in read_only_commands(&ws, out_dir.path()) {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            std::fs::read(&ws).unwrap() == bytes,
            "{args:?} changed the file"
        );
        assert_eq!(listing(dir.path()), files, "{args:?} left a file beside it");
    }
    // A file the user may only read (a share, a CD) reads the same.
    let mut perms = std::fs::metadata(&ws).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ws, perms).unwrap();
    let info = run(&read_only_commands(&ws, out_dir.path())[0]);
    assert!(info.status.success(), "{info:?}");
    assert_eq!(listing(dir.path()), files);
}

#[test]
fn read_only_commands_read_alongside_a_writer_and_leave_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut writer = Session::open(&ws).unwrap();
    let id = writer.plan()[0].feature.id;
    writer
        .apply(Edit::SetName {
            id,
            name: "写入中".into(),
        })
        .unwrap();
    let bytes = std::fs::read(&ws).unwrap();
    let files = listing(dir.path());
    assert!(files.iter().any(|f| f.ends_with("-wal")), "{files:?}");
    for args in read_only_commands(&ws, out_dir.path()) {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            std::fs::read(&ws).unwrap() == bytes,
            "{args:?} changed the file"
        );
    }
    // The reader saw the writer's committed edit (through the WAL).
    let text = std::fs::read_to_string(out_dir.path().join("plan.geojson")).unwrap();
    assert!(text.contains("写入中"));
    drop(writer);
    assert_eq!(listing(dir.path()), vec!["浦东 #1.gpkg".to_string()]);
}

#[test]
fn a_read_only_session_refuses_every_change() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let bytes = std::fs::read(&ws).unwrap();
    let mut session = Session::open_read_only(&ws).unwrap();
    let id = session.plan()[0].feature.id;
    let name = session.plan()[0].feature.name.clone();
    let e = session
        .apply(Edit::SetName {
            id,
            name: "x".into(),
        })
        .unwrap_err();
    assert_eq!(e.problem(), Some(&Problem::WorkspaceReadOnly), "{e}");
    assert_eq!(session.plan_feature(id).unwrap().feature.name, name);
    assert!(!session.can_undo());
    drop(session);
    assert!(std::fs::read(&ws).unwrap() == bytes);
}
