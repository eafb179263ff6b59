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
    let csv = out_dir.join("projects.csv").to_string_lossy().into_owned();
    let stats = out_dir.join("stats.csv").to_string_lossy().into_owned();
    let tasks = out_dir.join("tasks.csv").to_string_lossy().into_owned();
    [
        vec!["info", &w],
        vec!["check", &w],
        vec!["locate", &w, "121.50", "31.24"],
        vec!["export", &w, "--format", "geojson", "-o", &o, "--force"],
        vec!["export", &w, "--format", "csv", "-o", &csv, "--force"],
        vec!["stats", &w, "--by", "street"],
        vec![
            "stats", &w, "--by", "year", "--format", "csv", "-o", &stats, "--force",
        ],
        vec!["projects", &w],
        vec!["tasks", &w],
        vec!["tasks", &w, "--format", "csv", "-o", &tasks, "--force"],
        vec!["people", &w],
    ]
    .into_iter()
    .map(|v| v.into_iter().map(String::from).collect())
    .collect()
}

/// Runs every read-only command on `ws`, asserting each succeeds, leaves the file's bytes as
/// they were and (when `files` is given) leaves the folder holding just those files.
fn run_read_only_commands(ws: &Path, out_dir: &Path, files: Option<&[String]>) {
    let bytes = std::fs::read(ws).unwrap();
    for args in read_only_commands(ws, out_dir) {
        let out = run(&args);
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            std::fs::read(ws).unwrap() == bytes,
            "{args:?} changed the file"
        );
        if let Some(files) = files {
            assert_eq!(
                listing(ws.parent().unwrap()),
                files,
                "{args:?} left a file beside it"
            );
        }
    }
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
    run_read_only_commands(&ws, out_dir.path(), Some(&files));
    // A file the user may only read (a share, a CD) reads the same.
    let mut perms = std::fs::metadata(&ws).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ws, perms).unwrap();
    let info = run(&read_only_commands(&ws, out_dir.path())[0]);
    assert!(info.status.success(), "{info:?}");
    assert_eq!(listing(dir.path()), files);
}

#[test]
fn the_window_on_a_file_it_cannot_write_leaves_nothing_beside_it() {
    // The window opens such a file read-only, and its map reads tiles through a connection of
    // its own: neither may leave `-wal`/`-shm` beside a file nobody writes.
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let files = listing(dir.path());
    let bytes = std::fs::read(&ws).unwrap();
    let mut perms = std::fs::metadata(&ws).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ws, perms).unwrap();
    let session = Session::open(&ws).unwrap();
    assert!(session.is_not_writable());
    let reader = linli::store::pyramid::TileReader::open(&ws).unwrap();
    for layer in session.layers() {
        reader.info(&layer.name).unwrap();
    }
    drop(reader);
    session.close().unwrap();
    assert_eq!(listing(dir.path()), files);
    assert_eq!(std::fs::read(&ws).unwrap(), bytes);
}

#[test]
fn read_only_commands_never_write_what_opening_would_mend() {
    // A row another program broke: opening for editing would give it an id and write it;
    // reading commands mend it in memory only.
    let dir = tempfile::tempdir().unwrap();
    let out_dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    outside(&ws)
        .execute(
            "UPDATE linli_projects SET uuid = 'abc' WHERE id = (SELECT min(id) FROM linli_projects)",
            [],
        )
        .unwrap();
    let files = listing(dir.path());
    assert_eq!(files, vec!["浦东 #1.gpkg".to_string()]);
    run_read_only_commands(&ws, out_dir.path(), Some(&files));
    // And the same on a file no one may write, in a folder no one may write.
    let mut perms = std::fs::metadata(&ws).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ws, perms).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o555)).unwrap();
    run_read_only_commands(&ws, out_dir.path(), Some(&files));
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o755)).unwrap();
}

/// Marks `ws` read-only for everyone (0444), as a planner's shared copy or a CD is: as root,
/// where permission bits do not stop writes, Linli still honours the mark, as editors do.
fn mark_read_only(ws: &Path) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(ws, std::fs::Permissions::from_mode(0o444)).unwrap();
}

#[test]
fn a_file_that_cannot_be_written_opens_read_only_and_refuses_changes_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    mark_read_only(&ws);
    let bytes = std::fs::read(&ws).unwrap();
    let mut session = Session::open(&ws).unwrap();
    assert!(session.is_read_only() && session.is_not_writable());
    let id = session.plan()[0].feature.id;
    let e = session
        .apply(Edit::SetName {
            id,
            name: "x".into(),
        })
        .unwrap_err();
    assert_eq!(e.problem(), Some(&Problem::WorkspaceNotWritable), "{e}");
    let words = linli::i18n::errors::error_message(&e, linli::i18n::Lang::Zh);
    assert!(words.contains("此文件无法写入"), "{words}");
    assert!(!words.contains("损坏"), "{words}");
    drop(session);
    assert!(std::fs::read(&ws).unwrap() == bytes);
    assert_eq!(listing(dir.path()), vec!["浦东 #1.gpkg".to_string()]);
    // Commands that write say so, and change nothing.
    let out = common::run(&["upgrade", ws.to_str().unwrap()]);
    assert!(out.status.success(), "{out:?}");
    let geojson = dir.path().join("x.geojson");
    std::fs::write(&geojson, r#"{"type":"FeatureCollection","features":[]}"#).unwrap();
    let out = common::run(&[
        "import",
        ws.to_str().unwrap(),
        geojson.to_str().unwrap(),
        "--layer",
        "x",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = String::from_utf8_lossy(&out.stderr);
    assert!(e.contains("cannot be written here"), "{e}");
    assert!(std::fs::read(&ws).unwrap() == bytes);

    // Writable again, it opens for editing as before.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&ws, std::fs::Permissions::from_mode(0o644)).unwrap();
    let session = Session::open(&ws).unwrap();
    assert!(!session.is_read_only() && !session.is_not_writable());
}

#[test]
fn an_old_workspace_that_cannot_be_written_is_refused_without_writing() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/workspace-v1.gpkg");
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("old.gpkg");
    std::fs::copy(&fixture, &ws).unwrap();
    mark_read_only(&ws);
    let bytes = std::fs::read(&ws).unwrap();
    let e = Session::open(&ws).unwrap_err();
    assert!(
        matches!(
            e.problem(),
            Some(Problem::OldSchemaNotWritable { found: 1 })
        ),
        "{e}"
    );
    assert!(std::fs::read(&ws).unwrap() == bytes);
    assert_eq!(listing(dir.path()), vec!["old.gpkg".to_string()]);
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
    let files = listing(dir.path());
    assert!(files.iter().any(|f| f.ends_with("-wal")), "{files:?}");
    run_read_only_commands(&ws, out_dir.path(), None);
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

/// A connection standing in for QGIS: plain SQL on the file, with the R-tree triggers' SQL
/// functions registered as GDAL registers its own.
fn outside(ws: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(ws).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    conn
}

fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let g = geo::Geometry::MultiPoint(geo::MultiPoint(vec![geo::Point::new(lon, lat)]));
    linli::store::encode_geometry(&g).unwrap().0
}

#[test]
fn opening_picks_up_rows_another_program_added_edited_broke_and_deleted() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let before = Session::open_read_only(&ws).unwrap();
    let deleted = before.plan().last().unwrap().feature.id;
    let moved_before = before
        .plan()
        .iter()
        .find(|f| f.feature.name == "崂山五村社区艺术角")
        .unwrap()
        .clone();
    let moved = moved_before.feature.id;
    let count = before.plan().len();
    drop(before);
    {
        let qgis = outside(&ws);
        // Added with the layer's form: no uuid, no street, no element name.
        qgis.execute(
            "INSERT INTO plan_points (geom, name, element_type) VALUES (?1, 'QGIS 新增', 'public_facility')",
            [point_blob(121.5129, 31.2387)],
        )
        .unwrap();
        // Added with an id typed by hand, an unknown element type and properties that are
        // not JSON.
        qgis.execute(
            "INSERT INTO plan_points (geom, uuid, name, element_type, properties) VALUES (?1, '42', '手工编号', 'rain_garden', 'not json {')",
            [point_blob(121.5235, 31.2372)],
        )
        .unwrap();
        // A row with no geometry cannot be read: it is reported, the rest opens.
        qgis.execute(
            "INSERT INTO plan_points (geom, name, element_type) VALUES (NULL, '无几何', 'public_facility')",
            [],
        )
        .unwrap();
        // Moved far away (its stored street is now stale), and one deleted.
        qgis.execute(
            "UPDATE plan_points SET geom = ?1 WHERE uuid = ?2",
            rusqlite::params![point_blob(121.75, 31.05), moved.to_string()],
        )
        .unwrap();
        for t in ["plan_points", "plan_lines", "plan_polygons"] {
            qgis.execute(
                &format!("DELETE FROM {t} WHERE uuid = ?1"),
                [deleted.to_string()],
            )
            .unwrap();
        }
    }
    let session = Session::open(&ws).unwrap();
    assert_eq!(session.plan().len(), count - 1 + 2);
    assert!(session.plan_feature(deleted).is_none());
    let by_name = |name: &str| {
        session
            .plan()
            .iter()
            .find(|f| f.feature.name == name)
            .unwrap_or_else(|| panic!("{name} not loaded"))
            .clone()
    };
    let added = by_name("QGIS 新增");
    let street = session.locate(121.5129, 31.2387).street;
    assert!(street.is_some());
    assert_eq!(added.street, street, "the added feature knows its street");
    let typed = by_name("手工编号");
    assert_eq!(
        typed.element, "rain_garden",
        "an unknown type is kept as it is"
    );
    assert_eq!(
        typed.feature.properties[linli::store::UNPARSED_PROPERTIES],
        "not json {"
    );
    // The moved feature's stored street was stale: opening recomputes it from the new place.
    // Both sides come from the code under test, so guard against `None == None` and against a
    // street that merely stayed what it was.
    let moved_now = session.plan_feature(moved).unwrap();
    let street_there = session.locate(121.75, 31.05).street;
    assert!(street_there.is_some(), "121.75, 31.05 lies in a street");
    assert!(moved_before.street.is_some());
    assert_ne!(
        moved_before.street, street_there,
        "the move crossed streets"
    );
    assert_eq!(moved_now.street, street_there);
    let notes = session.notes();
    assert!(
        notes.iter().any(
            |n| matches!(n, Problem::UnreadablePlanRow { table, detail, .. }
            if table == "plan_points" && detail.contains("geom"))
        ),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Problem::PlanIdReplaced { found, id, .. }
            if found == "42" && *id == typed.feature.id.to_string())),
        "{notes:?}"
    );
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Problem::UnparsedProperties { .. }))
    );
    assert!(
        notes
            .iter()
            .any(|n| matches!(n, Problem::UnknownElementShown { element, .. }
        if element == "rain_garden"))
    );
    drop(session);
    // What opening mended is in the file: ids, streets, element names.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (uuid, street_stored, element_name): (String, Option<String>, Option<String>) = conn
        .query_row(
            "SELECT uuid, street, element_name FROM plan_points WHERE name = 'QGIS 新增'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(uuid::Uuid::parse_str(&uuid).is_ok(), "{uuid}");
    assert_eq!(street_stored, street);
    assert_eq!(element_name.as_deref(), Some("公共设施"));
    let typed_id: String = conn
        .query_row(
            "SELECT uuid FROM plan_points WHERE name = '手工编号'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(typed_id, typed.feature.id.to_string());
    drop(conn);
    // A second open finds nothing more to mend: the file's bytes stay as they are.
    let settled = std::fs::read(&ws).unwrap();
    drop(Session::open(&ws).unwrap());
    assert!(
        std::fs::read(&ws).unwrap() == settled,
        "a second open rewrote rows"
    );
    // `linli check` lists the unknown type and the unreadable row; `info` still works.
    let check = common::run(&["check", ws.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(!check.status.success());
    assert!(stderr.contains("rain_garden"), "{stderr}");
    assert!(stderr.contains("plan_points row"), "{stderr}");
    let info = common::run(&["info", ws.to_str().unwrap()]);
    assert!(info.status.success(), "{info:?}");
    assert!(String::from_utf8_lossy(&info.stderr).contains("note: plan_points row"));
}

#[test]
fn properties_that_do_not_parse_survive_an_edit_verbatim() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let raw = "{\"note\": 宅间绿地 , broken";
    let id = {
        let session = Session::open_read_only(&ws).unwrap();
        session.plan().last().unwrap().feature.id
    };
    outside(&ws)
        .execute(
            "UPDATE plan_polygons SET properties = ?1 WHERE uuid = ?2",
            rusqlite::params![raw, id.to_string()],
        )
        .unwrap();
    let mut session = Session::open(&ws).unwrap();
    assert!(
        session
            .notes()
            .iter()
            .any(|n| matches!(n, Problem::UnparsedProperties { .. })),
        "reported: {:?}",
        session.notes()
    );
    session
        .apply(Edit::SetName {
            id,
            name: "改名之后".into(),
        })
        .unwrap();
    drop(session);
    let stored: Option<String> = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT properties FROM plan_polygons WHERE uuid = ?1",
            [id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stored.as_deref(),
        Some(raw),
        "kept verbatim, never {{}} or NULL"
    );
}

#[test]
fn undo_and_redo_refuse_to_write_over_another_programs_change() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let id = session
        .plan()
        .iter()
        .find(|f| f.feature.name == "崂山三村口袋花园")
        .unwrap()
        .feature
        .id;
    session
        .apply(Edit::SetName {
            id,
            name: "邻里改名".into(),
        })
        .unwrap();
    // QGIS, at the same time, changes the same feature's name again.
    outside(&ws)
        .execute(
            "UPDATE plan_polygons SET name = 'QGIS 改名' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    let e = session.undo().unwrap_err();
    assert_eq!(
        e.problem(),
        Some(&Problem::ChangedElsewhere {
            name: "邻里改名".into(),
            id: id.to_string(),
            field: "name".into(),
        })
    );
    let zh = linli::i18n::errors::error_message(&e, linli::i18n::Lang::Zh);
    assert!(zh.contains("邻里改名") && zh.contains("其他程序"), "{zh}");
    let stored = |ws: &Path| -> String {
        rusqlite::Connection::open(ws)
            .unwrap()
            .query_row(
                "SELECT name FROM plan_polygons WHERE uuid = ?1",
                [id.to_string()],
                |r| r.get(0),
            )
            .unwrap()
    };
    assert_eq!(
        stored(&ws),
        "QGIS 改名",
        "the other program's change stands"
    );
    assert!(
        session.can_undo(),
        "the step stays, to be undone when it can"
    );
    // An unrelated outside change (another feature, a derived field) does not block undo.
    let other = session.plan()[0].feature.id; // a point: points load first
    assert_ne!(other, id);
    outside(&ws)
        .execute(
            "UPDATE plan_points SET name = 'QGIS 别的' WHERE uuid = ?1",
            [other.to_string()],
        )
        .unwrap();
    outside(&ws)
        .execute(
            "UPDATE plan_polygons SET name = '邻里改名', street = 'x' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    assert!(session.undo().unwrap());
    assert_eq!(stored(&ws), "崂山三村口袋花园");
    // Redo checks likewise: a deletion elsewhere refuses it.
    for t in ["plan_points", "plan_lines", "plan_polygons"] {
        outside(&ws)
            .execute(
                &format!("DELETE FROM {t} WHERE uuid = ?1"),
                [id.to_string()],
            )
            .unwrap();
    }
    let e = session.redo().unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::DeletedElsewhere { .. })),
        "{e}"
    );
    assert!(session.can_redo());
}

#[test]
fn an_edit_waits_for_another_writer_instead_of_failing_busy() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut session = Session::open(&ws).unwrap();
    let id = session.plan()[0].feature.id;
    let (locked, wait) = std::sync::mpsc::channel();
    let other = {
        let ws = ws.clone();
        std::thread::spawn(move || {
            let qgis = outside(&ws);
            qgis.execute_batch("BEGIN IMMEDIATE; UPDATE plan_points SET name = name;")
                .unwrap();
            locked.send(()).unwrap();
            std::thread::sleep(std::time::Duration::from_millis(600));
            qgis.execute_batch("COMMIT;").unwrap();
        })
    };
    wait.recv().unwrap();
    let started = std::time::Instant::now();
    session
        .apply(Edit::SetName {
            id,
            name: "等待之后".into(),
        })
        .unwrap();
    assert!(started.elapsed() >= std::time::Duration::from_millis(300));
    other.join().unwrap();
    assert_eq!(session.plan_feature(id).unwrap().feature.name, "等待之后");
}

#[test]
fn a_project_whose_id_another_program_broke_gets_one_instead_of_refusing_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    outside(&ws)
        .execute(
            "UPDATE linli_projects SET uuid = 'abc' WHERE id = (SELECT min(id) FROM linli_projects)",
            [],
        )
        .unwrap();
    let info = common::run(&["info", ws.to_str().unwrap()]);
    assert!(info.status.success(), "{info:?}");
    assert!(String::from_utf8_lossy(&info.stderr).contains("linli_projects row"));
    let session = Session::open(&ws).unwrap();
    assert_eq!(session.projects().len(), 10);
    let replaced = session.notes().iter().find_map(|n| match n {
        Problem::PlanIdReplaced {
            table, found, id, ..
        } if table == "linli_projects" => {
            assert_eq!(found, "abc");
            Some(id.clone())
        }
        _ => None,
    });
    drop(session);
    let stored: String = rusqlite::Connection::open(&ws)
        .unwrap()
        .query_row(
            "SELECT uuid FROM linli_projects WHERE id = (SELECT min(id) FROM linli_projects)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(Some(stored), replaced, "written back");
}
