//! Schema migrations from a real old file: `tests/fixtures/workspace-v1.gpkg` was written by the
//! Linli of app schema 1 (`linli new --sample`). Opening a copy migrates it, after a backup, to
//! the current schema; a newer schema is still refused untouched.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use linli::Session;
use linli::model::catalog::Catalog;
use linli::store::APP_SCHEMA_VERSION;
use rusqlite::{Connection, OpenFlags};

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/workspace-v1.gpkg"
);

/// Opens a closed workspace to read it without creating `-wal`/`-shm` files beside it (the
/// fixture must stay as committed).
fn read_only(path: &Path) -> Connection {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI;
    let uri = format!("file:{}?immutable=1", path.display());
    Connection::open_with_flags(uri, flags).unwrap()
}

fn column(conn: &Connection, sql: &str) -> Vec<String> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get::<_, String>(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

fn schema_version(path: &Path) -> String {
    read_only(path)
        .query_row(
            "SELECT value FROM linli_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap()
}

/// A copy of the fixture in a fresh folder.
fn copy_fixture(dir: &Path) -> PathBuf {
    let ws = dir.join("街道-v1.gpkg");
    std::fs::copy(FIXTURE, &ws).unwrap();
    ws
}

/// Files in `dir`, by name, leaving out SQLite's `-wal` and `-shm` companions.
fn files(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.ends_with("-wal") && !n.ends_with("-shm"))
        .collect()
}

#[test]
fn the_fixture_is_at_schema_1() {
    assert_eq!(schema_version(Path::new(FIXTURE)), "1");
    assert!(!Path::new(&format!("{FIXTURE}-wal")).exists());
}

#[test]
fn a_schema_1_workspace_is_backed_up_and_migrated_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    // What the old file holds, read with plain SQLite.
    let (layers, plan_ids, codes) = {
        let conn = read_only(&ws);
        let layers = column(
            &conn,
            "SELECT name FROM linli_layers ORDER BY sort_order, name",
        );
        let mut plan_ids = Vec::new();
        for t in ["plan_points", "plan_lines", "plan_polygons"] {
            plan_ids.extend(column(&conn, &format!("SELECT uuid FROM {t}")));
        }
        plan_ids.sort();
        let codes = column(&conn, "SELECT code FROM linli_projects ORDER BY code");
        (layers, plan_ids, codes)
    };
    assert!(!layers.is_empty() && !plan_ids.is_empty() && !codes.is_empty());

    let session = Session::open(&ws).unwrap();
    let names: Vec<String> = session.layers().iter().map(|l| l.name.clone()).collect();
    assert_eq!(names, layers);
    let mut ids: Vec<String> = session
        .plan()
        .iter()
        .map(|f| f.feature.id.to_string())
        .collect();
    ids.sort();
    assert_eq!(ids, plan_ids, "every plan feature, with its id");
    let got: Vec<String> = session.projects().keys().cloned().collect();
    assert_eq!(got, codes);
    let project_ids: BTreeSet<uuid::Uuid> = session.projects().values().map(|p| p.id).collect();
    assert_eq!(
        project_ids.len(),
        codes.len(),
        "every project has its own id"
    );
    assert!(!project_ids.contains(&uuid::Uuid::nil()));
    // Schema 3: the free-text stage names became the workflow's stage keys.
    let stages: Vec<(String, String)> = session
        .projects()
        .values()
        .map(|p| (p.workflow.clone(), p.stage.clone()))
        .collect();
    assert!(
        stages.contains(&("pudong_1t3h".into(), "operation".into())),
        "{stages:?}"
    );
    assert!(
        session
            .projects()
            .values()
            .all(|p| p.problems(session.workflows()).is_empty()),
        "every migrated record passes the record's checks"
    );
    assert_eq!(
        session.check().unwrap(),
        Vec::<linli::error::Problem>::new()
    );
    drop(session);

    assert_eq!(schema_version(&ws), APP_SCHEMA_VERSION.to_string());
    let backup = dir.path().join("街道-v1.schema1-backup.gpkg");
    assert_eq!(
        std::fs::read(&backup).unwrap(),
        std::fs::read(FIXTURE).unwrap(),
        "the backup is the old file as it was"
    );
    assert_eq!(schema_version(&backup), "1");

    // The stored ids are the ones the session saw, and they stay across opens.
    let stored: BTreeSet<String> = column(&read_only(&ws), "SELECT uuid FROM linli_projects")
        .into_iter()
        .collect();
    let before = files(dir.path());
    let again = Session::open(&ws).unwrap();
    let seen: BTreeSet<String> = again
        .projects()
        .values()
        .map(|p| p.id.to_string())
        .collect();
    assert_eq!(seen, stored);
    drop(again);
    assert_eq!(
        files(dir.path()),
        before,
        "a current workspace is not backed up again"
    );

    // GDAL (and so QGIS) still reads the rebuilt project table.
    if common::has_ogrinfo() {
        let o = std::process::Command::new("ogrinfo")
            .args(["-q", ws.to_str().unwrap(), "linli_projects"])
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&o.stdout);
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            text.matches("uuid (String) = ").count(),
            codes.len(),
            "{text}"
        );
    } else {
        eprintln!("ogrinfo is not installed: skipping the GDAL read of the migrated file");
    }

    // The binary agrees the migrated file is sound.
    let o = common::run(&["check", ws.to_str().unwrap()]);
    assert!(
        o.status.success(),
        "linli check: {}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// `pragma table_info` and the indexes (with their columns) of every `linli_*` table.
fn app_schema(path: &Path) -> Vec<String> {
    let conn = read_only(path);
    let tables = column(
        &conn,
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'linli\\_%' ESCAPE '\\' ORDER BY name",
    );
    let mut out = Vec::new();
    for t in tables {
        let mut stmt = conn
            .prepare(
                "SELECT cid, name, type, \"notnull\", dflt_value, pk FROM pragma_table_info(?1)",
            )
            .unwrap();
        let rows = stmt
            .query_map([&t], |r| {
                Ok(format!(
                    "{t} column {} {} {} notnull={} default={:?} pk={}",
                    r.get::<_, i64>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(3)?,
                    r.get::<_, Option<String>>(4)?,
                    r.get::<_, i64>(5)?
                ))
            })
            .unwrap();
        out.extend(rows.map(Result::unwrap));
        let mut stmt = conn
            .prepare(
                "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?1) ORDER BY name",
            )
            .unwrap();
        let indexes: Vec<(String, i64, String, i64)> = stmt
            .query_map([&t], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        for (name, unique, origin, partial) in indexes {
            let columns = column(
                &conn,
                &format!("SELECT name FROM pragma_index_info('{name}') ORDER BY seqno"),
            );
            out.push(format!(
                "{t} index {name} unique={unique} origin={origin} partial={partial} on {columns:?}"
            ));
        }
    }
    out
}

#[test]
fn a_migrated_workspace_has_the_same_app_schema_as_a_new_one() {
    let dir = tempfile::tempdir().unwrap();
    let old = copy_fixture(dir.path());
    drop(Session::open(&old).unwrap());
    let new = dir.path().join("new.gpkg");
    drop(Session::create(&new, &Catalog::bundled()).unwrap());
    let migrated = app_schema(&old);
    assert!(
        migrated
            .iter()
            .any(|l| l.contains("linli_projects column 1 uuid TEXT notnull=1")),
        "{migrated:#?}"
    );
    assert!(
        migrated
            .iter()
            .any(|l| l.contains("linli_projects index linli_projects_uuid unique=1")),
        "{migrated:#?}"
    );
    assert_eq!(migrated, app_schema(&new));
}

#[test]
fn a_newer_schema_is_refused_with_its_bytes_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    {
        let conn = Connection::open(&ws).unwrap();
        conn.execute(
            "UPDATE linli_meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE);")
            .unwrap();
    }
    let before = std::fs::read(&ws).unwrap();
    let names = files(dir.path());
    let err = Session::open(&ws).unwrap_err().to_string();
    assert!(err.contains("newer Linli"), "{err}");
    assert!(err.contains("99"), "{err}");
    assert_eq!(std::fs::read(&ws).unwrap(), before, "the file was modified");
    assert_eq!(files(dir.path()), names, "no backup taken");
    assert!(
        !dir.path().join("街道-v1.gpkg-wal").exists(),
        "no journal left"
    );
}

#[test]
fn the_backup_holds_what_was_still_in_the_wal() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    // A crash: a committed change is only in the -wal file, which is copied while still open.
    let crashed = dir.path().join("crashed.gpkg");
    {
        let conn = Connection::open(&ws).unwrap();
        conn.execute_batch(
            "PRAGMA wal_autocheckpoint = 0;
             INSERT INTO linli_meta (key, value) VALUES ('probe', 'in the wal');",
        )
        .unwrap();
        std::fs::copy(&ws, &crashed).unwrap();
        std::fs::copy(
            format!("{}-wal", ws.display()),
            format!("{}-wal", crashed.display()),
        )
        .unwrap();
    }
    let probe = |path: &Path| -> Option<String> {
        read_only(path)
            .query_row(
                "SELECT value FROM linli_meta WHERE key = 'probe'",
                [],
                |r| r.get(0),
            )
            .ok()
    };
    assert_eq!(
        probe(&crashed),
        None,
        "the main file alone lacks the change"
    );
    drop(Session::open(&crashed).unwrap());
    let backup = dir.path().join("crashed.schema1-backup.gpkg");
    assert_eq!(probe(&backup).as_deref(), Some("in the wal"));
    assert_eq!(schema_version(&backup), "1");
}

#[test]
fn the_command_line_says_once_that_it_upgraded_the_workspace_and_where_the_copy_is() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    let first = common::run(&["upgrade", ws.to_str().unwrap()]);
    assert!(first.status.success());
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        stderr.contains(&format!(
            "upgraded the workspace from schema 1 to {}",
            linli::store::APP_SCHEMA_VERSION
        )) && stderr.contains("schema1-backup"),
        "{stderr}"
    );
    let again = common::run(&["info", ws.to_str().unwrap()]);
    assert!(
        !String::from_utf8_lossy(&again.stderr).contains("upgraded"),
        "a second open upgrades nothing"
    );
    // In Chinese, with the same copy named.
    let ws2 = dir.path().join("second.gpkg");
    std::fs::copy(FIXTURE, &ws2).unwrap();
    let zh = common::linli()
        .env("LANG", "zh_CN.UTF-8")
        .args(["upgrade", ws2.to_str().unwrap()])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&zh.stderr);
    assert!(
        stderr.contains(&format!(
            "已将工作空间从第 1 版结构升级到第 {} 版",
            linli::store::APP_SCHEMA_VERSION
        )),
        "{stderr}"
    );
    let current = common::run(&["upgrade", ws2.to_str().unwrap()]);
    assert!(
        String::from_utf8_lossy(&current.stdout).contains(&format!(
            "already at schema {}",
            linli::store::APP_SCHEMA_VERSION
        )),
        "{current:?}"
    );
}

#[test]
fn read_only_commands_refuse_a_schema_1_file_and_leave_it_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    let before = common::fingerprint(&ws);
    for args in [
        vec!["info"],
        vec!["check"],
        vec!["locate", "", "121.5", "31.24"],
        vec!["export", "", "--format", "geojson", "-o"],
    ] {
        let mut args: Vec<String> = args.into_iter().map(String::from).collect();
        let w = ws.to_str().unwrap().to_string();
        if args.len() > 1 && args[1].is_empty() {
            args[1] = w;
        } else {
            args.insert(1, w);
        }
        if args[0] == "export" {
            args.push(
                dir.path()
                    .join("out.geojson")
                    .to_string_lossy()
                    .into_owned(),
            );
        }
        let refs: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = common::run(&refs);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?} read a schema 1 file");
        assert!(
            stderr.contains("workspace schema 1") && stderr.contains("linli upgrade"),
            "{args:?}: {stderr}"
        );
    }
    assert_eq!(common::fingerprint(&ws), before);
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["街道-v1.gpkg".to_string()], "{names:?}");
}

/// Issue 19, point 8: another program holding the write lock while a schema-1 file is opened
/// (QGIS saving) makes the open wait its turn, not fail; and the migration takes one backup.
#[test]
fn an_open_waits_for_another_writer_and_takes_one_backup() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    let (locked_tx, locked) = std::sync::mpsc::channel();
    let other = std::thread::spawn({
        let ws = ws.clone();
        move || {
            let conn = Connection::open(&ws).unwrap();
            conn.execute_batch(
                "BEGIN IMMEDIATE; INSERT INTO linli_meta (key, value) VALUES ('qgis', 'was here');",
            )
            .unwrap();
            locked_tx.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(300));
            conn.execute_batch("COMMIT").unwrap();
        }
    });
    locked.recv().unwrap();
    let started = std::time::Instant::now();
    let session = Session::open(&ws).expect("the open waits for the other writer");
    assert!(
        started.elapsed() >= std::time::Duration::from_millis(150),
        "it did wait for the lock (the other writer held it 300 ms)"
    );
    assert_eq!(session.migrated().map(|m| m.from), Some(1));
    drop(session);
    other.join().unwrap();
    let backups: Vec<String> = files(dir.path())
        .into_iter()
        .filter(|n| n.contains("backup"))
        .collect();
    assert_eq!(backups.len(), 1, "one backup copy: {backups:?}");
    let kept: String = read_only_via_wal(&ws)
        .query_row("SELECT value FROM linli_meta WHERE key = 'qgis'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(kept, "was here", "the other program's write is kept");
    assert_eq!(schema_version(&ws), APP_SCHEMA_VERSION.to_string());
}

/// A plain read connection (the file may have a `-wal` beside it).
fn read_only_via_wal(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// The migration's backup copy is read by `std::fs`, and closing a descriptor drops every
/// POSIX lock this process holds on the file: another program (another process) opening and
/// closing the migrated workspace must not take itself for the last connection and delete
/// the session's write-ahead log.
#[test]
fn another_program_closing_the_migrated_file_never_takes_the_sessions_log() {
    let dir = tempfile::tempdir().unwrap();
    let ws = copy_fixture(dir.path());
    let mut session = Session::open(&ws).unwrap();
    assert!(session.migrated().is_some(), "the open migrated the file");
    session.set_planner("第一次").unwrap();
    if !common::another_process_opens_and_closes(&ws) {
        return;
    }
    assert!(
        Path::new(&format!("{}-wal", ws.display())).exists(),
        "the session's write-ahead log is still there"
    );
    session.set_planner("第二次").unwrap();
    let stored: String = Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT value FROM linli_meta WHERE key = 'planner'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stored, "第二次",
        "the change after the other program closed is in the file"
    );
    session.close().unwrap();
}
