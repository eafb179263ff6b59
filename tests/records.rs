//! Attachments (GeoPackage Related Tables media), meetings' pinned comments and votes with their
//! view bookmark, and the whole lifecycle through the façade: one session creates a project
//! over three features, walks every stage of both templates with its meetings, attaches a
//! photo; a second session opened on the file finds everything; undo then takes the first
//! session back to a workspace identical to the start.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::Session;
use linli::error::Problem;
use linli::model::Project;
use linli::model::attachment::{AttachmentKind, MAX_ATTACHMENT_BYTES};
use linli::model::meeting::{MapBookmark, Meeting, MeetingNote, NoteKind, Vote};
use linli::model::project::MeetingKind;
use linli::model::workflow::GateWarning;
use linli::session::{AttachmentEdit, Command, MeetingEdit, ProjectEdit};
use uuid::Uuid;

/// Runs a tool and returns what it printed (stdout, then stderr).
fn run_tool(program: &str, args: &[&str]) -> String {
    let out = std::process::Command::new(program)
        .args(args)
        .output()
        .expect("run the tool");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    text
}

fn sample(dir: &std::path::Path) -> std::path::PathBuf {
    let ws = dir.join("w.gpkg");
    drop(linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap());
    ws
}

fn three_unassigned(s: &Session) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = s.plan().iter().map(|f| f.feature.id).collect();
    ids.sort();
    ids.truncate(3);
    ids
}

fn photo_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("改造前.jpg"); // a PNG named .jpg: the bytes decide
    std::fs::write(&path, linli::sample::SAMPLE_PHOTO).unwrap();
    path
}

fn pinned_hearing(project: Uuid) -> Meeting {
    let mut m = Meeting::new(MeetingKind::Hearing, "2025-03-02", Some(project));
    m.place = "居委会活动室".into();
    m.attendance = Some(30);
    m.notes = vec![
        MeetingNote {
            kind: NoteKind::Comment,
            text: "保留老香樟".into(),
            vote: None,
            lon_lat: Some([121.5432, 31.2039]),
        },
        MeetingNote {
            kind: NoteKind::Vote,
            text: "方案一".into(),
            vote: Some(Vote::For),
            lon_lat: Some([121.5440, 31.2010]),
        },
        MeetingNote {
            kind: NoteKind::Comment,
            text: "没有位置的意见".into(),
            vote: None,
            lon_lat: None,
        },
    ];
    m.view = Some(MapBookmark {
        lon: 121.5438,
        lat: 31.2025,
        zoom: 16.5,
    });
    m
}

#[test]
fn a_project_walks_both_templates_with_meetings_and_a_photo_then_undoes_to_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    // The planner's name is a workspace setting, not an undo step: set it first.
    s.set_planner("钱规划").unwrap();
    drop(s);
    let start = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let features = three_unassigned(&s);
    let p = Project {
        id: Uuid::new_v4(),
        code: "R-2025-01".into(),
        name: "三要素口袋花园".into(),
        programme: "缤纷社区".into(),
        year: Some(2025),
        workflow: "pudong_1t3h".into(),
        stage: "demand".into(),
        budget_wan: Some(1.5),
        ..Project::default()
    };
    s.apply(Command::project_from_features(p.clone(), &features))
        .unwrap();
    let step = |s: &mut Session, workflow: &str, stage: &str| {
        let mut next = s.project(p.id).unwrap().clone();
        next.workflow = workflow.into();
        next.stage = stage.into();
        s.apply(ProjectEdit::Update(next)).unwrap();
    };
    // Pudong: every stage, each of the three meetings held where its gate asks.
    let pudong = s.workflows().get("pudong_1t3h").unwrap().clone();
    let mut warned_design = false;
    for stage in pudong.stages.iter().skip(1) {
        match stage.key.as_str() {
            "design" => {
                // Skipping the hearing first: the gate says so, then the hearing answers it.
                step(&mut s, "pudong_1t3h", "design");
                warned_design = s.gate_warnings(s.project(p.id).unwrap()).iter().any(|w| {
                    matches!(
                        w,
                        GateWarning::MeetingMissing {
                            meeting: MeetingKind::Hearing,
                            ..
                        }
                    )
                });
                s.apply(MeetingEdit::Add(pinned_hearing(p.id))).unwrap();
                assert!(s.gate_warnings(s.project(p.id).unwrap()).is_empty());
                continue;
            }
            "completion" => {
                s.apply(MeetingEdit::Add(Meeting::new(
                    MeetingKind::Coordination,
                    "2025-06-01",
                    Some(p.id),
                )))
                .unwrap();
            }
            "operation" => {
                s.apply(MeetingEdit::Add(Meeting::new(
                    MeetingKind::Evaluation,
                    "2025-09-01",
                    Some(p.id),
                )))
                .unwrap();
            }
            _ => {}
        }
        step(&mut s, "pudong_1t3h", &stage.key);
        assert!(
            s.gate_warnings(s.project(p.id).unwrap()).is_empty(),
            "{}",
            stage.key
        );
    }
    assert!(warned_design, "entering 方案设计 without a hearing warns");
    // Yangpu: the four phases, within the grant cap.
    let yangpu = s.workflows().get("yangpu_4stage").unwrap().clone();
    for stage in &yangpu.stages {
        step(&mut s, "yangpu_4stage", &stage.key);
    }
    assert_eq!(s.project(p.id).unwrap().stage, "practice");
    assert!(s.gate_warnings(s.project(p.id).unwrap()).is_empty());
    // A photo, content sniffed from the bytes.
    let a = s
        .records()
        .attachment_from_file(p.id, &photo_file(dir.path()), AttachmentKind::Before)
        .unwrap();
    assert_eq!(a.info.content_type, "image/png");
    assert_eq!(a.info.file_name, "改造前.jpg");
    s.apply(AttachmentEdit::Add(a.clone())).unwrap();
    let mut captioned = a.info.clone();
    captioned.caption = "东侧入口现状".into();
    s.apply(AttachmentEdit::Update(captioned.clone())).unwrap();
    let project = s.project(p.id).unwrap().clone();
    let meetings: Vec<Meeting> = s.records().meetings_of(p.id).into_iter().cloned().collect();
    assert_eq!(meetings.len(), 3);

    // Another session on the file finds everything.
    {
        let other = Session::open_read_only(&ws).unwrap();
        assert_eq!(other.project(p.id), Some(&project));
        let found: Vec<Meeting> = other
            .records()
            .meetings_of(p.id)
            .into_iter()
            .cloned()
            .collect();
        assert_eq!(found, meetings);
        let hearing = found
            .iter()
            .find(|m| m.kind == MeetingKind::Hearing)
            .unwrap();
        assert_eq!(hearing.notes, pinned_hearing(p.id).notes);
        assert_eq!(hearing.view, pinned_hearing(p.id).view);
        assert_eq!(other.records().attachments_of(p.id), vec![&captioned]);
        assert_eq!(
            other.records().attachment_data(a.info.id).unwrap(),
            linli::sample::SAMPLE_PHOTO
        );
        assert_eq!(other.project_summary(&p.code).features, features);
    }
    // Save as writes the very bytes.
    let out = dir.path().join("saved.png");
    s.records().save_attachment(a.info.id, &out).unwrap();
    assert_eq!(std::fs::read(&out).unwrap(), linli::sample::SAMPLE_PHOTO);

    // Deleting the project takes its attachment; undo brings both back.
    s.apply(ProjectEdit::Delete(p.id)).unwrap();
    assert!(s.records().attachment(a.info.id).is_none());
    s.undo().unwrap();
    assert_eq!(s.records().attachments_of(p.id), vec![&captioned]);

    while s.undo().unwrap() {}
    assert!(s.project(p.id).is_none());
    drop(s);
    let end = common::dump(&ws);
    let gone: Vec<&String> = start.iter().filter(|l| !end.contains(l)).collect();
    let extra: Vec<&String> = end.iter().filter(|l| !start.contains(l)).collect();
    assert!(
        gone.is_empty() && extra.is_empty(),
        "undo restores the workspace exactly; gone {gone:?}, extra {extra:?}"
    );
    assert_eq!(end, start);
}

#[test]
fn a_file_too_big_or_of_unknown_content_is_refused_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let s = Session::open(&ws).unwrap();
    let project = s.projects().values().next().unwrap().id;
    let text = dir.path().join("照片.png");
    std::fs::write(&text, "not a picture").unwrap();
    let e = s
        .records()
        .attachment_from_file(project, &text, AttachmentKind::Before)
        .unwrap_err();
    assert_eq!(e.problem(), Some(&Problem::AttachmentTypeUnknown));
    assert!(e.to_string().contains("照片.png"), "{e}");
    let big = dir.path().join("big.pdf");
    let f = std::fs::File::create(&big).unwrap();
    f.set_len(MAX_ATTACHMENT_BYTES + 1).unwrap();
    let e = s
        .records()
        .attachment_from_file(project, &big, AttachmentKind::Document)
        .unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::AttachmentTooLarge { .. })),
        "{e}"
    );
    let zh = linli::i18n::errors::error_message(&e, linli::i18n::Lang::Zh);
    assert!(zh.contains("big.pdf") && zh.contains("MB"), "{zh}");
    // A vote without a value, a pin off the map: refused, nothing written.
    drop(s);
    let before = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let mut m = pinned_hearing(project);
    m.notes[1].vote = None;
    assert_eq!(
        s.apply(MeetingEdit::Add(m.clone())).unwrap_err().problem(),
        Some(&Problem::MeetingVoteValue { index: 2 })
    );
    m.notes[1].vote = Some(Vote::Against);
    m.notes[0].lon_lat = Some([200.0, 31.0]);
    assert_eq!(
        s.apply(MeetingEdit::Add(m)).unwrap_err().problem(),
        Some(&Problem::MeetingPinOffMap { index: 1 })
    );
    drop(s);
    assert_eq!(common::dump(&ws), before);
}

#[test]
fn undo_refuses_to_overwrite_a_pin_another_program_moved() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let mut s = Session::open(&ws).unwrap();
    let project = s.projects().values().next().unwrap().id;
    let m = pinned_hearing(project);
    s.apply(MeetingEdit::Add(m.clone())).unwrap();
    // QGIS moves a pin (its geometry) in the notes layer.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    let n = conn
        .execute(
            "UPDATE linli_meeting_notes SET text = '改了' WHERE meeting_uuid = ?1 AND seq = 0",
            [m.id.to_string()],
        )
        .unwrap();
    assert_eq!(n, 1);
    drop(conn);
    let e = s.undo().unwrap_err();
    assert!(
        matches!(e.problem(), Some(Problem::ChangedElsewhere { .. })),
        "{e}"
    );
    assert!(s.records().meeting(m.id).is_some());
}

#[test]
fn the_sample_has_a_photo_pinned_comments_a_bookmark_and_a_yangpu_project() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let s = Session::open(&ws).unwrap();
    let photos: Vec<_> = s
        .projects()
        .values()
        .flat_map(|p| s.records().attachments_of(p.id))
        .collect();
    assert_eq!(photos.len(), 1);
    assert!(photos[0].is_image());
    assert_eq!(
        s.records().attachment_data(photos[0].id).unwrap(),
        linli::sample::SAMPLE_PHOTO
    );
    let pinned = s
        .records()
        .meetings()
        .into_iter()
        .find(|m| m.notes.iter().any(|n| n.lon_lat.is_some()))
        .expect("a meeting with pins");
    assert!(pinned.view.is_some());
    assert!(pinned.notes.iter().any(|n| n.kind == NoteKind::Vote));
    let yangpu: Vec<&Project> = s
        .projects()
        .values()
        .filter(|p| p.workflow == "yangpu_4stage")
        .collect();
    let stages: std::collections::BTreeSet<&str> =
        yangpu.iter().map(|p| p.stage.as_str()).collect();
    assert!(stages.len() >= 2, "{stages:?}");
    // One respects the cap, one is over it and warned.
    assert!(yangpu.iter().any(|p| s.gate_warnings(p).is_empty()));
    assert!(yangpu.iter().any(|p| {
        s.gate_warnings(p)
            .iter()
            .any(|w| matches!(w, GateWarning::OverGrantCap { .. }))
    }));
    let kinds: std::collections::BTreeSet<MeetingKind> =
        s.records().meetings().iter().map(|m| m.kind).collect();
    for k in [
        MeetingKind::Hearing,
        MeetingKind::Coordination,
        MeetingKind::Evaluation,
    ] {
        assert!(kinds.contains(&k), "{k:?}");
    }
}

#[test]
fn gdal_lists_the_attachments_relationship_and_the_pins_layer() {
    if !common::has_ogrinfo() {
        eprintln!("skipped: GDAL's ogrinfo is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let out = run_tool("ogrinfo", &["-so", "-ro", ws.to_str().unwrap()]);
    assert!(out.contains("linli_meeting_notes (Point)"), "{out}");
    // GDAL 3.6's ogrinfo does not print relationships (3.7 does); its API reads them.
    if let Some(python) = common::gpkg_validator_python() {
        let script = format!(
            "from osgeo import gdal\nds = gdal.OpenEx({:?})\nfor n in ds.GetRelationshipNames() or []:\n    r = ds.GetRelationship(n)\n    print(r.GetLeftTableName(), r.GetRightTableName(), r.GetMappingTableName(), r.GetRelatedTableType())\n",
            ws.to_str().unwrap()
        );
        let rel = run_tool(python, &["-c", &script]);
        assert_eq!(
            rel.trim(),
            "linli_projects linli_media linli_projects_media media",
            "{rel}"
        );
    }
    let notes = run_tool(
        "ogrinfo",
        &[
            "-ro",
            "-al",
            "-q",
            ws.to_str().unwrap(),
            "linli_meeting_notes",
        ],
    );
    assert!(notes.contains("POINT (121.54345 31.20375)"), "{notes}");
    assert!(notes.contains("入口处保留老人晒太阳的空地"), "{notes}");
    if let Some(python) = common::gpkg_validator_python() {
        let report = common::validate_gpkg(python, &ws);
        assert!(report.trim().is_empty(), "validate_gpkg:\n{report}");
    }
}
