//! Another program's commits picked up while a session is open (`Session::refresh_if_changed`):
//! a second connection standing in for QGIS renames a plan feature, changes a project's field,
//! deletes a meeting, moves a feature into another community; a second Linli adds a project.
//! Each is taken in, derived fields are computed again as at open, only what changed is
//! replaced, and the session's own edits never count as another program's.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::model::LayerRole;
use linli::session::{Edit, ProjectEdit, Refreshed};

fn sample(dir: &Path) -> (PathBuf, Session) {
    let ws = dir.join("w.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    let session = Session::open(&ws).unwrap();
    (ws, session)
}

/// A connection standing in for QGIS, with the R-tree triggers' SQL functions registered as
/// GDAL registers its own.
fn outside(ws: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(ws).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    conn
}

/// The geometry as the plan tables hold it (MULTI*).
fn multi(g: &geo::Geometry<f64>) -> geo::Geometry<f64> {
    linli::store::promote_to_multi(g).unwrap_or_else(|| g.clone())
}

fn plan_table_of(session: &Session, id: uuid::Uuid) -> &'static str {
    let kind = session.plan_feature(id).unwrap().kind().unwrap();
    linli::store::plan_table(kind).0
}

#[test]
fn nothing_committed_elsewhere_is_nothing_to_take_in() {
    let dir = tempfile::tempdir().unwrap();
    let (_ws, mut session) = sample(dir.path());
    let revision = session.revision();
    for _ in 0..3 {
        assert_eq!(session.refresh_if_changed().unwrap(), None);
    }
    assert_eq!(session.revision(), revision);
}

#[test]
fn a_checkpoint_or_close_elsewhere_is_no_change() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    let revision = session.revision();
    // A second Linli opens and closes (its close folds the log in: a TRUNCATE checkpoint).
    Session::open(&ws).unwrap().close().ok();
    let conn = outside(&ws);
    for mode in ["PASSIVE", "TRUNCATE"] {
        conn.query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()))
            .unwrap();
        assert_eq!(session.refresh_if_changed().unwrap(), None, "{mode}");
    }
    assert_eq!(session.revision(), revision);
}

#[test]
fn own_edits_are_not_another_programs() {
    let dir = tempfile::tempdir().unwrap();
    let (_ws, mut session, _) = sample_with_first_renamed(dir.path(), "自己改的");
    let mut project = session.projects().values().next().unwrap().clone();
    project.name = "自己改的项目".into();
    session.apply(ProjectEdit::Update(project)).unwrap();
    session.undo().unwrap();
    assert_eq!(session.refresh_if_changed().unwrap(), None);
}

#[test]
fn a_rename_elsewhere_changes_one_feature_and_one_slot() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    let id = session.plan()[3].feature.id;
    let table = plan_table_of(&session, id);
    let before: Vec<_> = session.plan().to_vec();
    let revision = session.revision();
    outside(&ws)
        .execute(
            &format!("UPDATE {table} SET name = 'QGIS 改名' WHERE uuid = ?1"),
            [id.to_string()],
        )
        .unwrap();
    let refreshed = session.refresh_if_changed().unwrap().expect("a change");
    assert_eq!(
        refreshed,
        Refreshed {
            features: 1,
            ..Default::default()
        }
    );
    assert_eq!(session.plan_feature(id).unwrap().feature.name, "QGIS 改名");
    let changes = session
        .plan_changes_since(revision)
        .expect("plan-only change");
    assert_eq!(changes.slots.into_iter().collect::<Vec<_>>(), vec![3]);
    for (i, (a, b)) in before.iter().zip(session.plan()).enumerate() {
        if i != 3 {
            assert_eq!(a, b, "slot {i} untouched");
        }
    }
    // Taken in once.
    assert_eq!(session.refresh_if_changed().unwrap(), None);
}

#[test]
fn a_reading_made_on_a_worker_is_taken_in_unless_the_session_wrote_meanwhile() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    let id = session.plan()[2].feature.id;
    let table = plan_table_of(&session, id);
    // The first look after opening takes the plan rows' digests (on the worker too).
    let reader = session
        .outside_reader()
        .unwrap()
        .expect("the digests first");
    let reading = std::thread::spawn(move || reader.read().unwrap())
        .join()
        .unwrap();
    assert_eq!(session.take_outside(reading).unwrap(), None);
    assert!(session.outside_reader().unwrap().is_none(), "nobody wrote");
    let conn = outside(&ws);
    let rename = |name: &str| {
        conn.execute(
            &format!("UPDATE {table} SET name = ?1 WHERE uuid = ?2"),
            [name, &id.to_string()],
        )
        .unwrap();
    };
    rename("工作线程读到的");
    // Read on another thread, with its own connection; meanwhile this session edits another
    // feature: the reading may be older than memory, so it is dropped, and read again.
    let reader = session.outside_reader().unwrap().expect("someone wrote");
    let reading = std::thread::spawn(move || reader.read().unwrap())
        .join()
        .unwrap();
    let other = session.plan()[0].feature.id;
    session
        .apply(Edit::SetName {
            id: other,
            name: "同时自己改的".into(),
        })
        .unwrap();
    assert_eq!(session.take_outside(reading).unwrap(), None, "dropped");
    assert_eq!(
        session.plan_feature(other).unwrap().feature.name,
        "同时自己改的"
    );
    let reader = session.outside_reader().unwrap().expect("still to be read");
    let reading = std::thread::spawn(move || reader.read().unwrap())
        .join()
        .unwrap();
    let refreshed = session.take_outside(reading).unwrap().expect("taken in");
    assert_eq!(refreshed.features, 1);
    assert_eq!(
        session.plan_feature(id).unwrap().feature.name,
        "工作线程读到的"
    );
    assert_eq!(
        session.plan_feature(other).unwrap().feature.name,
        "同时自己改的"
    );
    assert!(session.outside_reader().unwrap().is_none());
}

#[test]
fn project_field_change_a_new_project_and_a_deleted_meeting_are_taken_in() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    // The summaries are in use: a project change elsewhere must not leave them stale.
    let _ = session.summaries_now();
    let project = session.projects().values().next().unwrap().clone();
    let meeting = session.records().meetings()[0].id;
    let conn = outside(&ws);
    conn.execute(
        "UPDATE linli_projects SET name = '外部改名' WHERE uuid = ?1",
        [project.id.to_string()],
    )
    .unwrap();
    conn.execute(
        "DELETE FROM linli_meetings WHERE uuid = ?1",
        [meeting.to_string()],
    )
    .unwrap();
    let refreshed = session.refresh_if_changed().unwrap().expect("a change");
    assert_eq!(refreshed.projects, 1);
    assert_eq!(refreshed.meetings, 1);
    assert_eq!(refreshed.features, 0);
    assert_eq!(session.project(project.id).unwrap().name, "外部改名");
    assert!(session.records().meeting(meeting).is_none());

    // A second Linli adds a project.
    let mut second = Session::open(&ws).unwrap();
    let mut added = project.clone();
    added.id = uuid::Uuid::new_v4();
    added.code = "OUT-2026-001".into();
    added.name = "另一个窗口加的".into();
    second.apply(ProjectEdit::Add(added.clone())).unwrap();
    let refreshed = session.refresh_if_changed().unwrap().expect("a change");
    assert_eq!(
        refreshed,
        Refreshed {
            projects: 1,
            ..Default::default()
        }
    );
    assert_eq!(session.project(added.id).unwrap().name, "另一个窗口加的");
    assert!(session.summaries_now().contains_key("OUT-2026-001"));
}

#[test]
fn a_feature_moved_elsewhere_into_another_community_gets_that_community() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    let communities = session
        .layers()
        .iter()
        .position(|l| l.role == LayerRole::Communities)
        .expect("the sample has communities");
    let f = session.plan()[0].clone();
    let here = session.locate_geometry(&f.feature.geometry).community;
    // Another community's inside point.
    let target = session.layers()[communities]
        .features
        .iter()
        .filter(|c| Some(&c.name) != here.as_ref())
        .find_map(|c| {
            let p = linli::analysis::index::representative_point(&c.geometry)?;
            (session.locate(p.x(), p.y()).community.as_ref() == Some(&c.name))
                .then(|| (p, c.name.clone()))
        })
        .expect("another community");
    let (p, community) = target;
    let d = 0.0001;
    let geometry: geo::Geometry<f64> = match f.kind().unwrap() {
        linli::model::catalog::GeometryKind::Point => p.into(),
        linli::model::catalog::GeometryKind::Line => {
            geo::LineString::from(vec![(p.x() - d, p.y()), (p.x() + d, p.y())]).into()
        }
        linli::model::catalog::GeometryKind::Polygon => geo::Polygon::new(
            geo::LineString::from(vec![
                (p.x() - d, p.y() - d),
                (p.x() + d, p.y() - d),
                (p.x() + d, p.y() + d),
                (p.x() - d, p.y() + d),
                (p.x() - d, p.y() - d),
            ]),
            vec![],
        )
        .into(),
    };
    let (blob, _) = linli::store::encode_geometry(&multi(&geometry)).unwrap();
    let table = plan_table_of(&session, f.feature.id);
    outside(&ws)
        .execute(
            &format!("UPDATE {table} SET geom = ?1 WHERE uuid = ?2"),
            rusqlite::params![blob, f.feature.id.to_string()],
        )
        .unwrap();
    let refreshed = session.refresh_if_changed().unwrap().expect("a change");
    assert_eq!(refreshed.features, 1);
    let now = session.plan_feature(f.feature.id).unwrap();
    assert_eq!(now.community.as_ref(), Some(&community));
    // The file says so too: the derived columns were written again, as opening would.
    let conn = outside(&ws);
    let (stored, area): (Option<String>, Option<f64>) = conn
        .query_row(
            &format!("SELECT community, area_m2 FROM {table} WHERE uuid = ?1"),
            [f.feature.id.to_string()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(stored.as_ref(), Some(&community));
    let derived = linli::session::plan_derived(session.catalog(), now);
    assert_eq!(area, derived.area_m2);
    // Writing those fixes is the session's own commit: nothing more to take in.
    assert_eq!(session.refresh_if_changed().unwrap(), None);
    // And the next change elsewhere is still seen.
    conn.execute(
        &format!("UPDATE {table} SET name = '再改' WHERE uuid = ?1"),
        [f.feature.id.to_string()],
    )
    .unwrap();
    assert_eq!(
        session.refresh_if_changed().unwrap().map(|r| r.features),
        Some(1)
    );
}

#[test]
fn a_feature_deleted_and_one_added_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    // The first look takes the rows' digests: what follows is compared row by row.
    assert_eq!(session.refresh_if_changed().unwrap(), None);
    let n = session.plan().len();
    let gone = session.plan()[1].feature.id;
    let table = plan_table_of(&session, gone);
    let conn = outside(&ws);
    conn.execute(
        &format!("DELETE FROM {table} WHERE uuid = ?1"),
        [gone.to_string()],
    )
    .unwrap();
    // A row QGIS adds has no uuid and no derived fields: it gets both, as at open.
    let (blob, _) =
        linli::store::encode_geometry(&multi(&geo::Point::new(121.52, 31.22).into())).unwrap();
    conn.execute(
        "INSERT INTO plan_points (geom, name, element_type) VALUES (?1, '新设施', 'public_facility')",
        [blob],
    )
    .unwrap();
    let refreshed = session.refresh_if_changed().unwrap().expect("a change");
    assert_eq!(refreshed.features, 2);
    assert_eq!(session.plan().len(), n);
    assert!(session.plan_feature(gone).is_none());
    let added = session
        .plan()
        .iter()
        .find(|f| f.feature.name == "新设施")
        .expect("added");
    let uuid: String = conn
        .query_row(
            "SELECT uuid FROM plan_points WHERE name = '新设施'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(uuid, added.feature.id.to_string(), "the new id is written");
    assert_eq!(session.refresh_if_changed().unwrap(), None);
}

/// What a refresh costs at scale: 100,000 plan polygons (as `benches/edit.rs` builds them),
/// one renamed by another connection. Prints the idle look (nothing changed), the one-thread
/// refresh, and as the window splits it: the UI thread's part (ask, take in) and the worker's
/// read, after a rename, after a project change, and after the session's own edit made the
/// digests stale.
/// Run: `cargo test --release --test outside_edits -- --ignored --nocapture refresh_cost`
/// (in a debug build the numbers are several times larger).
#[test]
#[ignore = "a measurement: minutes in a debug build"]
fn refresh_cost_at_100k_polygons() {
    use std::time::Instant;
    let n = 100_000;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut session = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    let file = dir.path().join("plan.geojson");
    std::fs::write(&file, linli::sample::synthetic::plan_polygon_grid(n)).unwrap();
    let request = linli::session::ImportRequest {
        layer: None,
        role: LayerRole::Plan,
        name_field: None,
        ..Default::default()
    };
    session.import_file(&file, &request, &mut |_| {}).unwrap();
    drop(session);
    let mut session = Session::open(&ws).unwrap();
    assert!(session.plan().len() >= n);
    let conn = outside(&ws);
    let ms = |t: Instant| t.elapsed().as_secs_f64() * 1e3;

    let t = Instant::now();
    assert_eq!(session.refresh_if_changed().unwrap(), None);
    println!("first look (rows' digests taken):   {:8.1} ms", ms(t));
    let t = Instant::now();
    assert_eq!(session.refresh_if_changed().unwrap(), None);
    println!("idle look, nothing changed:         {:8.1} ms", ms(t));

    let rename = |i: usize| {
        conn.execute(
            "UPDATE plan_polygons SET name = ?1 WHERE fid = (SELECT max(fid) FROM plan_polygons)",
            [format!("外部改名{i}")],
        )
        .unwrap();
    };
    // On one thread, as `refresh_if_changed` does.
    rename(0);
    let t = Instant::now();
    let r = session.refresh_if_changed().unwrap().unwrap();
    println!("refresh after one outside rename:   {:8.1} ms", ms(t));
    assert_eq!(r.features, 1);

    // As the window does: the reading on a worker (its own connection), the rest on the UI
    // thread.
    let split = |session: &mut Session, label: &str| {
        let t = Instant::now();
        let reader = session.outside_reader().unwrap().unwrap();
        let ask = ms(t);
        let t = Instant::now();
        let reading = reader.read().unwrap();
        let read = ms(t);
        let t = Instant::now();
        let r = session.take_outside(reading).unwrap().unwrap();
        let take = ms(t);
        println!(
            "{label:<36} UI thread {:6.1} ms (ask {ask:.1} + take {take:.1}), worker read {read:8.1} ms",
            ask + take
        );
        r
    };
    rename(1);
    assert_eq!(split(&mut session, "outside rename, split:").features, 1);
    // A project renamed elsewhere: the plan tables' digests say the plan was not touched.
    conn.execute(
        "UPDATE linli_projects SET name = name || '（外）' WHERE id = (SELECT min(id) FROM linli_projects)",
        [],
    )
    .unwrap();
    let r = split(&mut session, "outside project change, split:");
    assert_eq!((r.features, r.projects), (0, 1));
    // The session's own edit makes the digests stale: the next outside change decodes the
    // plan (on the worker) and compares every row (on the UI thread).
    let id = session.plan()[0].feature.id;
    session
        .apply(Edit::SetName {
            id,
            name: "自己改".into(),
        })
        .unwrap();
    rename(2);
    assert_eq!(
        split(&mut session, "own edit, then outside, split:").features,
        1
    );
}

#[test]
fn a_community_renamed_elsewhere_renames_it_on_every_feature_inside() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session) = sample(dir.path());
    assert_eq!(session.refresh_if_changed().unwrap(), None);
    let layer = session
        .layers()
        .iter()
        .find(|l| l.role == LayerRole::Communities)
        .unwrap();
    let inside: Vec<uuid::Uuid> = session
        .plan()
        .iter()
        .filter(|f| f.community.is_some())
        .map(|f| f.feature.id)
        .collect();
    let first = session
        .plan_feature(inside[0])
        .unwrap()
        .community
        .clone()
        .unwrap();
    let table = layer.name.clone();
    outside(&ws)
        .execute(
            &format!("UPDATE \"{table}\" SET name = '改名居委' WHERE name = ?1"),
            [&first],
        )
        .unwrap();
    let refreshed = session.refresh_if_changed().unwrap().expect("a change");
    assert_eq!(refreshed.layers, 1);
    assert!(refreshed.features >= 1);
    assert_eq!(
        session
            .plan_feature(inside[0])
            .unwrap()
            .community
            .as_deref(),
        Some("改名居委")
    );
    assert!(
        session
            .plan()
            .iter()
            .all(|f| f.community.as_deref() != Some(first.as_str())),
        "no feature keeps the old name"
    );
    assert_eq!(session.refresh_if_changed().unwrap(), None);
}

/// The readers beside a session (the outside-changes worker, the map's tile loader) never open
/// the file with `std::fs`: closing such a descriptor drops every POSIX lock this process
/// holds on the file, and another program closing it afterwards took itself for the last
/// connection and deleted the write-ahead log the session was still writing to — every edit
/// after that was acknowledged and lost.
#[test]
fn another_program_closing_the_file_never_takes_the_sessions_log() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session, id) = sample_with_first_renamed(dir.path(), "第一次");
    // Another program commits, so the worker reads; the map's tile loader opens too.
    outside(&ws)
        .execute("UPDATE linli_projects SET name = name", [])
        .unwrap();
    if let Some(reader) = session.outside_reader().unwrap() {
        let _ = reader.read().unwrap();
    }
    drop(linli::store::pyramid::TileReader::open_uri(&ws, &session.reader_uri()).unwrap());
    // The other program (another process) opens, reads and closes the file.
    the_log_survives_another_process(&ws, &mut session, id);
    session.close().unwrap();
}

/// Opening the workspace a session has open a second time in the same process (the window
/// opening the file it shows, a read-only look) never opens and closes it through `std::fs`:
/// that would drop the session's locks, and another program closing the file would then
/// delete the session's write-ahead log.
#[test]
fn a_second_open_in_the_same_process_never_takes_the_sessions_log() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut session, id) = sample_with_first_renamed(dir.path(), "第一次");
    drop(Session::open_read_only(&ws).unwrap());
    drop(Session::open(&ws).unwrap());
    the_log_survives_another_process(&ws, &mut session, id);
    session.close().unwrap();
}

/// Another process opens and closes the workspace: the session's write-ahead log is still
/// there, and the session's next edit of feature `id` is in the file.
fn the_log_survives_another_process(ws: &Path, session: &mut Session, id: uuid::Uuid) {
    if !common::another_process_opens_and_closes(ws) {
        return;
    }
    assert!(
        Path::new(&format!("{}-wal", ws.display())).exists(),
        "the session's write-ahead log is still there"
    );
    session
        .apply(Edit::SetName {
            id,
            name: "第二次".into(),
        })
        .unwrap();
    let stored: String = outside(ws)
        .query_row(
            &format!(
                "SELECT name FROM {} WHERE uuid = ?1",
                plan_table_of(session, id)
            ),
            [id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        stored, "第二次",
        "the edit after the other program closed is in the file"
    );
}

/// The sample, open, with its first plan feature renamed `name`; and that feature's id.
fn sample_with_first_renamed(dir: &Path, name: &str) -> (PathBuf, Session, uuid::Uuid) {
    let (ws, mut session) = sample(dir);
    let id = session.plan()[0].feature.id;
    session
        .apply(Edit::SetName {
            id,
            name: name.into(),
        })
        .unwrap();
    (ws, session, id)
}
