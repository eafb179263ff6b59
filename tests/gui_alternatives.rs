//! Design alternatives in the window, headless: the comparison shows two alternatives side by
//! side with their figures, its canvases share one camera (a drag on one moves the others),
//! and 采用此方案 then Ctrl+Z restores the plan exactly.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{drag, open_app, sample_workspace, steps};
use egui::{Key, Modifiers};
use egui_kittest::kittest::Queryable;
use linli::Session;
use linli::model::alternative::{Alternative, AlternativeStatus};
use linli::session::{Command, Edit, NewFeature, RecordEdit};
use uuid::Uuid;

/// Two candidate alternatives of a project with features, each with gardens of its own,
/// written into the workspace before the window opens: (project, A, B).
fn prepare(path: &std::path::Path) -> (Uuid, Uuid, Uuid) {
    let mut s = Session::open(path).unwrap();
    let p = s
        .projects()
        .values()
        .find(|p| !s.project_summary(&p.code).features.is_empty())
        .unwrap()
        .clone();
    let a = Alternative {
        team: "甲设计事务所".into(),
        cost_wan: Some(80.0),
        ..Alternative::new(p.id, "方案 A")
    };
    let b = Alternative {
        team: "乙设计工作室".into(),
        cost_wan: Some(120.5),
        ..Alternative::new(p.id, "方案 B")
    };
    let (a_id, b_id) = (a.id, b.id);
    s.apply(RecordEdit::Add(a)).unwrap();
    s.apply(RecordEdit::Add(b)).unwrap();
    let at = s
        .plan_feature(s.project_summary(&p.code).features[0])
        .unwrap();
    let c = geo::BoundingRect::bounding_rect(&at.feature.geometry)
        .unwrap()
        .center();
    for (alt, dx, side) in [(a_id, 0.001, 0.0005), (b_id, -0.002, 0.0004)] {
        let id = Uuid::new_v4();
        let (x, y) = (c.x + dx, c.y);
        let ring = vec![
            (x, y),
            (x + side, y),
            (x + side, y + side),
            (x, y + side),
            (x, y),
        ];
        s.apply(Command::Batch(vec![
            Command::Plan(Edit::Add(NewFeature {
                id,
                element: "pocket_garden".into(),
                geometry: geo::Geometry::Polygon(geo::Polygon::new(ring.into(), vec![])),
                name: "方案花园".into(),
                properties: Default::default(),
                project: None,
            })),
            Command::Plan(Edit::SetAlternative {
                id,
                alternative: Some(alt),
            }),
        ]))
        .unwrap();
    }
    s.close().unwrap();
    (p.id, a_id, b_id)
}

fn plan_state(s: &Session) -> (Vec<linli::model::PlanFeature>, Vec<Alternative>) {
    let mut plan = s.plan().to_vec();
    plan.sort_by_key(|f| f.feature.id);
    (plan, s.alternatives().cloned().collect())
}

#[test]
fn two_alternatives_side_by_side_with_linked_cameras_and_choose_then_undo() {
    let (_dir, path) = sample_workspace();
    let (project, a, b) = prepare(&path);
    let mut harness = open_app(&path);
    let before = plan_state(harness.state().session().unwrap());
    harness.state_mut().open_comparison(project);
    steps(&mut harness, 3);

    // Two canvases, each with its alternative's figures under it.
    let compare = harness.state().comparison();
    assert_eq!(compare.shown(), &[a, b]);
    let figures = compare.figures().to_vec();
    assert_eq!(figures.len(), 2);
    assert_eq!((figures[0].features, figures[1].features), (1, 1));
    assert!(
        figures[0].area_m2 > figures[1].area_m2,
        "A's garden is the larger"
    );
    for label in ["方案 A", "方案 B"] {
        // The picker's toggle and the caption's heading.
        assert_eq!(harness.get_all_by_label(label).count(), 2, "{label}");
    }
    for label in ["甲设计事务所 · 备选", "乙设计工作室 · 备选"] {
        harness.get_by_label(label);
    }
    harness.get_by_label("80.0 万元");
    harness.get_by_label("120.5 万元");
    assert_eq!(harness.get_all_by_label("采用此方案").count(), 2);

    // A drag on the first canvas moves every canvas's camera.
    let drawn = harness.state().comparison().drawn_views();
    assert_eq!(drawn.len(), 2);
    assert_eq!(drawn[0], drawn[1]);
    let canvas = harness.get_by_label("方案比选（并排） · 方案 A").rect();
    drag(
        &mut harness,
        canvas.center(),
        canvas.center() + egui::vec2(-80.0, 40.0),
    );
    let moved = harness.state().comparison().drawn_views();
    assert_ne!(moved[0], drawn[0], "the dragged canvas moved");
    assert_eq!(moved[0], moved[1], "the other canvas moved with it");
    // So does the wheel over the second.
    let second = harness.get_by_label("方案比选（并排） · 方案 B").rect();
    harness.hover_at(second.center());
    harness.event(egui::Event::MouseWheel {
        unit: egui::MouseWheelUnit::Point,
        delta: egui::vec2(0.0, 120.0),
        phase: egui::TouchPhase::Move,
        source: egui::MouseWheelSource::Wheel,
        modifiers: Modifiers::NONE,
    });
    steps(&mut harness, 3);
    let zoomed = harness.state().comparison().drawn_views();
    assert_eq!(zoomed[0], zoomed[1]);
    assert!(
        zoomed[0].unwrap().m_per_point < moved[0].unwrap().m_per_point,
        "zoomed in on both"
    );

    // Choose B: one step; B is the plan, A archived, the original plan kept as 原方案.
    let choose = harness
        .get_all_by_label("采用此方案")
        .nth(1)
        .unwrap()
        .rect();
    common::gui::click_at(&mut harness, choose.center());
    {
        let s = harness.state().session().unwrap();
        assert_eq!(s.alternative(b).unwrap().status, AlternativeStatus::Chosen);
        assert_eq!(
            s.alternative(a).unwrap().status,
            AlternativeStatus::Archived
        );
        assert!(
            s.alternatives_of(project)
                .iter()
                .any(|x| x.label == "原方案")
        );
        let data = harness.state().map_data().unwrap();
        assert!(!data.outside_plan.contains(&b) && data.outside_plan.contains(&a));
    }
    // The chosen one's button is disabled now; the figures follow.
    steps(&mut harness, 2);
    let status = harness.state().comparison().figures()[1].alternative.status;
    assert_eq!(status, AlternativeStatus::Chosen);

    // Ctrl+Z restores the plan exactly.
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Z);
    steps(&mut harness, 2);
    assert_eq!(plan_state(harness.state().session().unwrap()), before);
    let data = harness.state().map_data().unwrap();
    assert!(data.outside_plan.contains(&a) && data.outside_plan.contains(&b));
}
