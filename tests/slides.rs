//! A meeting's presentation slides (issue 22, point 2) in the workspace: one JSON text column
//! `slides` of `linli_meetings`. They round-trip through the file and undo, a schema-6 file gets
//! the column when opened, a broken value leaves only that meeting out, and GDAL (what QGIS
//! edits through) can still update another column of a meeting with slides.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::Session;
use linli::model::meeting::{MapBookmark, Meeting, Slide};
use linli::session::MeetingEdit;
use linli::store::APP_SCHEMA_VERSION;
use uuid::Uuid;

fn sample(dir: &std::path::Path) -> std::path::PathBuf {
    let ws = dir.join("会场.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    ws
}

fn first_meeting(s: &Session) -> Meeting {
    s.records().meetings()[0].clone()
}

fn two_slides(s: &Session) -> Vec<Slide> {
    let project = s.projects().values().next().unwrap().id;
    vec![
        Slide {
            title: "全街道 一张蓝图".into(),
            view: MapBookmark {
                lon: 121.54,
                lat: 31.21,
                zoom: 13.5,
            },
            layers: vec!["streets".into(), "plan".into()],
            highlight: Vec::new(),
            alternatives: Vec::new(),
        },
        Slide {
            title: "口袋花园 \"入口\"".into(),
            view: MapBookmark {
                lon: 121.5434,
                lat: 31.2037,
                zoom: 17.25,
            },
            layers: vec!["plan".into()],
            highlight: vec![project],
            alternatives: vec![Uuid::new_v4()],
        },
    ]
}

fn sql(ws: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(ws).unwrap()
}

#[test]
fn slides_round_trip_through_the_file_and_undo() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let before = first_meeting(&s);
    assert!(before.slides.is_empty(), "the sample has no slides");
    let mut m = before.clone();
    m.slides = two_slides(&s);
    s.apply(MeetingEdit::Update(m.clone())).unwrap();
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.records().meeting(m.id).unwrap(), &m);
    drop(s);
    let stored: String = sql(&ws)
        .query_row(
            "SELECT slides FROM linli_meetings WHERE uuid = ?1",
            [m.id.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        stored.starts_with('[') && stored.contains("全街道 一张蓝图"),
        "{stored}"
    );
    let mut s = Session::open(&ws).unwrap();
    let mut retitled = m.clone();
    retitled.slides.swap(0, 1);
    retitled.slides[0].title = "第一张".into();
    s.apply(MeetingEdit::Update(retitled.clone())).unwrap();
    assert_eq!(s.records().meeting(m.id).unwrap(), &retitled);
    assert!(s.undo().unwrap());
    assert_eq!(s.records().meeting(m.id).unwrap(), &m);
    drop(s);
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.records().meeting(m.id).unwrap(), &m);
}

#[test]
fn a_slide_off_the_map_is_refused_naming_the_view() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let mut m = first_meeting(&s);
    m.slides = two_slides(&s);
    m.slides[1].view.zoom = 40.0;
    let e = s.apply(MeetingEdit::Update(m)).unwrap_err();
    assert_eq!(
        e.problem(),
        Some(&linli::error::Problem::MeetingViewInvalid)
    );
}

#[test]
fn a_schema_6_workspace_gets_the_slides_column_when_opened() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let meetings = {
        let s = Session::open(&ws).unwrap();
        s.records().meetings().len()
    };
    {
        // The workspace as schema 6 left it: no slides column.
        let conn = sql(&ws);
        conn.execute_batch(
            "ALTER TABLE linli_meetings DROP COLUMN slides;
             UPDATE linli_meta SET value = '6' WHERE key = 'schema_version';",
        )
        .unwrap();
    }
    let mut s = Session::open(&ws).unwrap();
    assert_eq!(s.records().meetings().len(), meetings);
    let mut m = first_meeting(&s);
    m.slides = two_slides(&s);
    s.apply(MeetingEdit::Update(m.clone())).unwrap();
    drop(s);
    let conn = sql(&ws);
    let version: String = conn
        .query_row(
            "SELECT value FROM linli_meta WHERE key = 'schema_version'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(version, APP_SCHEMA_VERSION.to_string());
    let declared: String = conn
        .query_row(
            "SELECT type FROM pragma_table_info('linli_meetings') WHERE name = 'slides'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(declared, "TEXT");
    drop(conn);
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.records().meeting(m.id).unwrap(), &m);
}

#[test]
fn unreadable_slides_leave_that_meeting_out_and_name_the_row() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let (id, n) = {
        let s = Session::open(&ws).unwrap();
        (first_meeting(&s).id, s.records().meetings().len())
    };
    sql(&ws)
        .execute(
            "UPDATE linli_meetings SET slides = '[{\"title\": 3}]' WHERE uuid = ?1",
            [id.to_string()],
        )
        .unwrap();
    let s = Session::open(&ws).unwrap();
    assert_eq!(s.records().meetings().len(), n - 1);
    assert!(s.records().meeting(id).is_none());
}

#[test]
fn gdal_updates_another_column_of_a_meeting_with_slides() {
    if !common::has_ogrinfo() {
        eprintln!("skipped: GDAL's ogrinfo is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let mut m = first_meeting(&s);
    m.slides = two_slides(&s);
    s.apply(MeetingEdit::Update(m.clone())).unwrap();
    drop(s);
    let out = std::process::Command::new("ogrinfo")
        .args([
            ws.to_str().unwrap(),
            "-sql",
            &format!(
                "UPDATE linli_meetings SET place = '社区睦邻中心' WHERE uuid = '{}'",
                m.id
            ),
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "ogrinfo: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-q", ws.to_str().unwrap(), "linli_meetings"])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&listed.stdout);
    assert!(
        listed.contains("slides (String)") || listed.contains("全街道"),
        "{listed}"
    );
    let s = Session::open(&ws).unwrap();
    let read = s.records().meeting(m.id).unwrap();
    assert_eq!(read.place, "社区睦邻中心");
    assert_eq!(read.slides, m.slides);
    if let Some(python) = common::gpkg_validator_python() {
        drop(s);
        let report = common::validate_gpkg(python, &ws);
        assert!(report.trim().is_empty(), "validate_gpkg:\n{report}");
    }
}
