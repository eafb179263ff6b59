//! Project records through the façade: a project over three features with its full record,
//! both workflow templates walked stage by stage with a dated history, validation that names
//! the field, reopening, and undo back to the start.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::Session;
use linli::error::Problem;
use linli::model::Project;
use linli::model::project::{Funding, StageDates};
use linli::model::workflow::GateWarning;
use linli::session::{Command, ProjectEdit};
use uuid::Uuid;

fn sample(dir: &std::path::Path) -> (std::path::PathBuf, Session) {
    let ws = dir.join("w.gpkg");
    let s = linli::sample::create_sample_workspace(&ws, &mut |_| {}).unwrap();
    (ws, s)
}

/// Three plan features of the sample that belong to no project yet, or any three.
fn three_features(s: &Session) -> Vec<Uuid> {
    let mut ids: Vec<Uuid> = s.plan().iter().map(|f| f.feature.id).collect();
    ids.sort();
    ids.truncate(3);
    ids
}

fn record(code: &str, workflow: &str, stage: &str) -> Project {
    Project {
        id: Uuid::new_v4(),
        code: code.into(),
        name: "测试口袋花园".into(),
        programme: "缤纷社区、童悦空间".into(),
        year: Some(2025),
        workflow: workflow.into(),
        stage: stage.into(),
        scope: "拆除围墙，种植乡土树种，增设座椅".into(),
        budget_wan: Some(1.8),
        actual_wan: Some(0.5),
        funding: vec![
            Funding {
                source: "区级财政".into(),
                amount_wan: 1.0,
            },
            Funding {
                source: "自治金".into(),
                amount_wan: 0.8,
            },
        ],
        owner_unit: "陆家嘴街道".into(),
        design_team: "同济设计小组".into(),
        mentor: "王老师".into(),
        planners: "张三、李四".into(),
        departments: "绿化市容局、房管局".into(),
        progress_pct: Some(10.0),
        comments: "希望保留老树".into(),
        ..Project::default()
    }
}

#[test]
fn a_project_over_three_features_walks_both_workflows_reopens_and_undoes_to_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut s) = sample(dir.path());
    drop(s);
    let before = common::dump(&ws);
    s = Session::open(&ws).unwrap();
    s.set_planner("赵规划").unwrap();
    let features = three_features(&s);
    let p = record("T-2025-01", "pudong_1t3h", "demand");
    s.apply(Command::project_from_features(p.clone(), &features))
        .unwrap();
    let summary = s.project_summary(&p.code);
    assert_eq!(summary.features, features);
    assert!(!summary.elements.is_empty());
    assert!(!summary.streets.is_empty(), "derived from the features");
    let mut steps = 1;

    // Walk every Pudong stage, dating each one.
    let pudong = s.workflows().get("pudong_1t3h").unwrap().clone();
    let mut saw_hearing_warning = false;
    for (i, stage) in pudong.stages.iter().enumerate().skip(1) {
        let mut next = s.project(p.id).unwrap().clone();
        next.stage = stage.key.clone();
        next.stage_dates.push(StageDates {
            stage: stage.key.clone(),
            planned: Some(format!("2025-{:02}-01", i)),
            actual: Some(format!("2025-{:02}-15", i)),
        });
        s.apply(ProjectEdit::Update(next)).unwrap();
        steps += 1;
        let warnings = s.gate_warnings(s.project(p.id).unwrap());
        if stage.key == "design" {
            saw_hearing_warning = warnings.iter().any(
                |w| matches!(w, GateWarning::MeetingMissing { stage, .. } if stage == "design"),
            );
        }
    }
    assert!(
        saw_hearing_warning,
        "entering 方案设计 without a hearing warns"
    );
    let walked = s.project(p.id).unwrap().clone();
    assert_eq!(walked.stage, "operation");
    assert_eq!(walked.history.len(), pudong.stages.len());
    assert_eq!(walked.history[0].fields, vec!["created"]);
    let last = walked.history.last().unwrap();
    assert_eq!(last.who, "赵规划");
    assert_eq!(last.stage_from.as_deref(), Some("evaluation"));
    assert_eq!(last.stage_to.as_deref(), Some("operation"));
    assert!(last.at.ends_with('Z') && last.at.len() == 20, "{}", last.at);

    // Then the same project moves to Yangpu's four phases, over the grant cap.
    let yangpu = s.workflows().get("yangpu_4stage").unwrap().clone();
    for stage in &yangpu.stages {
        let mut next = s.project(p.id).unwrap().clone();
        next.workflow = yangpu.key.clone();
        next.stage = stage.key.clone();
        next.stage_dates
            .retain(|d| yangpu.position(&d.stage).is_some());
        next.budget_wan = Some(2.5);
        next.funding.clear();
        s.apply(ProjectEdit::Update(next)).unwrap();
        steps += 1;
    }
    let y = s.project(p.id).unwrap().clone();
    assert_eq!(y.stage, "practice");
    assert!(s.gate_warnings(&y).contains(&GateWarning::OverGrantCap {
        budget_wan: 2.5,
        cap_wan: 2.0
    }));

    // Reopen: everything is there.
    drop(s);
    let mut s = Session::open(&ws).unwrap();
    assert_eq!(s.project(p.id), Some(&y));
    assert_eq!(s.planner(), "赵规划");
    assert_eq!(s.project_summary(&p.code).features, features);

    // Undo is per session: redo the walk in this one, then undo it all back to the start.
    let mut q = record("T-2025-02", "yangpu_4stage", "proposal");
    q.funding.clear();
    s.apply(Command::project_from_features(q.clone(), &features[..1]))
        .unwrap();
    let mut next = s.project(q.id).unwrap().clone();
    next.stage = "preselection".into();
    s.apply(ProjectEdit::Update(next)).unwrap();
    s.apply(ProjectEdit::Delete(p.id)).unwrap();
    s.apply(ProjectEdit::Delete(q.id)).unwrap();
    while s.undo().unwrap() {}
    assert_eq!(s.project(p.id), Some(&y), "back to the reopened state");
    assert!(s.project(q.id).is_none());
    drop(s);
    let _ = steps;
    // The first session's steps are gone with it; the file holds the walked project.
    let after = common::dump(&ws);
    assert_ne!(before, after);
}

#[test]
fn undo_of_every_step_restores_the_workspace_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    let before = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let features = three_features(&s);
    let p = record("T-1", "", "demand");
    s.apply(Command::project_from_features(p.clone(), &features))
        .unwrap();
    for stage in ["siting", "approval", "design"] {
        let mut next = s.project(p.id).unwrap().clone();
        next.stage = stage.into();
        next.stage_dates.push(StageDates {
            stage: stage.into(),
            planned: Some("2025-03-01".into()),
            actual: None,
        });
        s.apply(ProjectEdit::Update(next)).unwrap();
    }
    let mut hearing = linli::model::meeting::Meeting::new(
        linli::model::project::MeetingKind::Hearing,
        "2025-03-02",
        Some(p.id),
    );
    s.apply(linli::session::MeetingEdit::Add(hearing.clone()))
        .unwrap();
    hearing.decisions = "通过".into();
    s.apply(linli::session::MeetingEdit::Update(hearing.clone()))
        .unwrap();
    let mut renamed = s.project(p.id).unwrap().clone();
    renamed.code = "T-1-renamed".into();
    s.apply(ProjectEdit::Update(renamed)).unwrap();
    assert_eq!(
        s.project_summary("T-1-renamed").features,
        features,
        "features follow a code change"
    );
    assert_eq!(
        s.records().meetings_of(p.id).len(),
        1,
        "meetings follow by id"
    );
    s.apply(ProjectEdit::Delete(p.id)).unwrap();
    while s.undo().unwrap() {}
    drop(s);
    assert_eq!(common::dump(&ws), before);
}

#[test]
fn a_bad_record_is_refused_naming_the_field_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    let before = common::dump(&ws);
    let mut s = Session::open(&ws).unwrap();
    let mut p = record("T-9", "", "demand");
    p.funding[0].amount_wan = 5.0;
    let e = s.apply(ProjectEdit::Add(p.clone())).unwrap_err();
    let zh = linli::i18n::errors::error_message(&e, linli::i18n::Lang::Zh);
    let en = e.to_string();
    assert!(
        zh.starts_with("预算（万元）：各资金来源合计 5.8 万元"),
        "{zh}"
    );
    assert!(en.contains("budget") && en.contains("5.8"), "{en}");
    let bad_date = Project {
        stage_dates: vec![StageDates {
            stage: "design".into(),
            planned: Some("2025-02-30".into()),
            actual: None,
        }],
        ..record("T-9", "", "demand")
    };
    match s.apply(ProjectEdit::Add(bad_date)).unwrap_err() {
        linli::Error::Request(problem) => match *problem {
            Problem::ProjectFieldInvalid { field, problem } => {
                assert_eq!(field, "stage_dates");
                assert_eq!(
                    *problem,
                    Problem::DateNotValid {
                        text: "2025-02-30".into()
                    }
                );
            }
            other => panic!("{other:?}"),
        },
        other => panic!("{other:?}"),
    }
    assert!(!s.can_undo());
    drop(s);
    assert_eq!(common::dump(&ws), before);
}

#[test]
fn meetings_answer_the_gates_survive_reopening_and_undo_away() {
    use linli::model::meeting::Meeting;
    use linli::model::project::MeetingKind;
    use linli::session::MeetingEdit;
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    let mut s = Session::open(&ws).unwrap();
    let p = record("M-1", "pudong_1t3h", "demand");
    s.apply(Command::project_from_features(
        p.clone(),
        &three_features(&s),
    ))
    .unwrap();
    let walk = |s: &mut Session, stage: &str| {
        let mut next = s.project(p.id).unwrap().clone();
        next.stage = stage.into();
        s.apply(ProjectEdit::Update(next)).unwrap();
    };
    walk(&mut s, "design");
    let missing = |s: &Session| -> Vec<MeetingKind> {
        s.gate_warnings(s.project(p.id).unwrap())
            .into_iter()
            .filter_map(|w| match w {
                GateWarning::MeetingMissing { meeting, .. } => Some(meeting),
                _ => None,
            })
            .collect()
    };
    assert_eq!(missing(&s), vec![MeetingKind::Hearing]);
    let mut hearing = Meeting::new(MeetingKind::Hearing, "2025-04-02", Some(p.id));
    hearing.place = "牡丹居委会活动室".into();
    hearing.attendance = Some(42);
    hearing.attendees = "王老师、张三".into();
    hearing.agenda = "方案介绍；居民提问".into();
    hearing.decisions = "保留老树，增加座椅".into();
    hearing.comments = "同意 38 票，反对 2 票".into();
    s.apply(MeetingEdit::Add(hearing.clone())).unwrap();
    assert!(missing(&s).is_empty(), "the hearing answers the gate");
    walk(&mut s, "completion");
    assert_eq!(missing(&s), vec![MeetingKind::Coordination]);
    s.apply(MeetingEdit::Add(Meeting::new(
        MeetingKind::Coordination,
        "2025-06-10",
        Some(p.id),
    )))
    .unwrap();
    walk(&mut s, "evaluation");
    s.apply(MeetingEdit::Add(Meeting::new(
        MeetingKind::Evaluation,
        "2025-09-01",
        Some(p.id),
    )))
    .unwrap();
    assert!(missing(&s).is_empty());
    // A training needs no project; a hearing does, and a bad date is refused.
    let training = Meeting::new(MeetingKind::Training, "2025-05-20", None);
    s.apply(MeetingEdit::Add(training.clone())).unwrap();
    assert!(
        s.apply(MeetingEdit::Add(Meeting::new(
            MeetingKind::Hearing,
            "2025-05-20",
            None
        )))
        .is_err()
    );
    assert!(
        s.apply(MeetingEdit::Add(Meeting::new(
            MeetingKind::Training,
            "5/20",
            None
        )))
        .is_err()
    );
    drop(s);

    let mut s = Session::open(&ws).unwrap();
    assert_eq!(s.records().meetings_of(p.id).len(), 3);
    assert_eq!(s.records().meeting(hearing.id), Some(&hearing));
    assert_eq!(
        s.records().meetings().len(),
        9 + 4,
        "the sample's nine and these four"
    );
    // Deleting the project keeps its meetings, unlinked; undo links them again.
    s.apply(ProjectEdit::Delete(p.id)).unwrap();
    assert_eq!(s.records().meeting(hearing.id).unwrap().project, None);
    s.undo().unwrap();
    assert_eq!(s.records().meeting(hearing.id).unwrap().project, Some(p.id));
}

#[test]
fn the_sample_shows_the_three_meetings_a_joint_meeting_and_a_training() {
    use linli::model::project::MeetingKind as K;
    let dir = tempfile::tempdir().unwrap();
    let (ws, s) = sample(dir.path());
    drop(s);
    let s = Session::open(&ws).unwrap();
    let kinds: std::collections::BTreeSet<K> =
        s.records().meetings().iter().map(|m| m.kind).collect();
    assert_eq!(kinds.len(), 5, "{kinds:?}");
    assert!(s.records().meetings().iter().all(|m| m.problem().is_none()));
    let hm = &s.projects()["PD-2024-HM-01"];
    assert_eq!(s.records().meetings_of(hm.id).len(), 1);
    assert!(s.gate_warnings(hm).is_empty(), "its hearing is recorded");
    let wf = &s.projects()["PD-2023-WF-01"];
    assert!(
        !s.gate_warnings(wf).is_empty(),
        "no hearing recorded for it"
    );
    assert!(
        s.projects()
            .values()
            .all(|p| p.problems(s.workflows()).is_empty()),
        "the sample's records pass their checks"
    );
}
