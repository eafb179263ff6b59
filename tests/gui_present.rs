//! Presentation mode (issue 22, points 1 and 2) in the real window, headless: F5 enters full
//! screen, Esc and the exit button leave; while presenting, no editing tool is in the UI and
//! every editing shortcut, Delete, undo and a drag over a feature leave the plan and its undo
//! history as they were; slides made in the meeting form are saved in one step and presented,
//! PageDown/PageUp and the arrows step through them with an eased camera move, and a slide
//! shows its layers.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{click_at, drag, open_app, open_project, press, sample_workspace, steps};
use egui::{Key, Modifiers, ViewportCommand};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::Session;
use linli::gui::LinliApp;
use linli::gui::map::hit::FeatureRef;
use linli::model::LayerRole;
use linli::model::meeting::{MapBookmark, Slide};
use linli::render::layers::LayerId;
use linli::render::projection::MapView;
use linli::session::MeetingEdit;

fn key(harness: &mut Harness<'static, LinliApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.step();
    harness.step();
}

/// Whether the last frame asked the window to go full screen (`true`) or back (`false`).
fn fullscreen_asked(harness: &Harness<'static, LinliApp>) -> Option<bool> {
    harness
        .output()
        .viewport_output
        .values()
        .flat_map(|v| v.commands.iter())
        .find_map(|c| match c {
            ViewportCommand::Fullscreen(on) => Some(*on),
            _ => None,
        })
}

/// Presses F5 and checks the window went into presentation mode, full screen.
fn enter_with_f5(harness: &mut Harness<'static, LinliApp>) {
    // Key down and key up are a frame each: the window asks for full screen in the first.
    harness.key_down(Key::F5);
    harness.step();
    assert!(harness.state().presenting().is_some(), "F5 did not present");
    assert_eq!(fullscreen_asked(harness), Some(true));
    harness.key_up(Key::F5);
    steps(harness, 2);
}

/// The editing window's tools and panels, by the labels a person reads.
const EDITING_LABELS: [&str; 6] = ["撤销", "重做", "选择", "吸附", "项目管理", "全图"];

fn assert_no_editing_ui(harness: &Harness<'static, LinliApp>) {
    for label in EDITING_LABELS {
        assert!(
            harness.query_by_label_contains(label).is_none(),
            "{label} is shown while presenting"
        );
    }
    let session = harness.state().session().unwrap();
    for e in &session.catalog().elements {
        assert!(
            harness.query_by_label_contains(&e.name_zh).is_none(),
            "the draw tool {} is shown while presenting",
            e.name_zh
        );
    }
}

#[test]
fn f5_enters_full_screen_and_esc_or_the_exit_button_leave() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    assert!(harness.query_by_label("撤销").is_some());
    enter_with_f5(&mut harness);
    assert_no_editing_ui(&harness);
    // Without slides: the whole area, no step buttons, the arrows do nothing.
    let mode = harness.state().presenting().unwrap();
    assert_eq!(mode.position(), (0, 0));
    assert_eq!(mode.view(), mode.whole());
    assert!(harness.query_by_label("下一页").is_none());
    let before = harness.state().presenting().unwrap().view();
    key(&mut harness, Modifiers::NONE, Key::PageDown);
    key(&mut harness, Modifiers::NONE, Key::ArrowRight);
    assert_eq!(harness.state().presenting().unwrap().view(), before);
    // The exit button is at least 48 points high, for a finger.
    let exit = harness.get_by_label("退出放映").rect();
    assert!(exit.height() >= 48.0, "{exit:?}");
    harness.key_down(Key::Escape);
    harness.step();
    assert!(harness.state().presenting().is_none());
    assert_eq!(fullscreen_asked(&harness), Some(false));
    harness.key_up(Key::Escape);
    steps(&mut harness, 2);
    assert!(harness.query_by_label("撤销").is_some());
    enter_with_f5(&mut harness);
    harness.get_by_label("退出放映").click();
    harness.step();
    assert!(harness.state().presenting().is_none());
    steps(&mut harness, 2);
    assert!(harness.query_by_label("撤销").is_some());
}

/// The plan as it is (every feature with its geometry and fields) and whether undo and redo
/// have something to do.
fn plan_and_history(harness: &Harness<'static, LinliApp>) -> (String, bool, bool, u64) {
    let s = harness.state().session().unwrap();
    (
        format!("{:?}", s.plan()),
        s.can_undo(),
        s.can_redo(),
        s.revision(),
    )
}

#[test]
fn presenting_refuses_every_plan_edit_and_shows_no_editing_tool() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let plan = harness.state().layer_with_role(LayerRole::Plan).unwrap();
    // One edit first, so undo has something it could wrongly undo, and a feature selected
    // that Delete could wrongly delete.
    let first = FeatureRef {
        layer: plan,
        feature: 0,
    };
    let at = harness.state().screen_pos_of(first).unwrap();
    click_at(&mut harness, at);
    assert!(harness.state().selected_plan_id().is_some());
    key(&mut harness, Modifiers::NONE, Key::Delete);
    assert!(harness.state().session().unwrap().can_undo());
    let second = FeatureRef {
        layer: plan,
        feature: 0,
    };
    let at = harness.state().screen_pos_of(second).unwrap();
    click_at(&mut harness, at);
    let selected = harness.state().selected_plan_id().unwrap();
    let before = plan_and_history(&harness);

    enter_with_f5(&mut harness);
    assert_no_editing_ui(&harness);
    // Every shortcut of the editing window, and more.
    for (m, k) in [
        (Modifiers::COMMAND, Key::Z),
        (Modifiers::COMMAND, Key::Y),
        (Modifiers::COMMAND | Modifiers::SHIFT, Key::Z),
        (Modifiers::NONE, Key::Delete),
        (Modifiers::NONE, Key::Backspace),
        (Modifiers::NONE, Key::Enter),
        (Modifiers::NONE, Key::S),
        (Modifiers::NONE, Key::F1),
        (Modifiers::NONE, Key::Plus),
        (Modifiers::NONE, Key::Minus),
        (Modifiers::COMMAND, Key::D),
        (Modifiers::COMMAND, Key::S),
    ] {
        key(&mut harness, m, k);
        assert!(harness.state().presenting().is_some(), "{m:?}+{k:?} left");
    }
    for k in [
        Key::Num1,
        Key::Num2,
        Key::Num3,
        Key::Num9,
        Key::P,
        Key::L,
        Key::V,
    ] {
        key(&mut harness, Modifiers::NONE, k);
    }
    // A drag over a feature and clicks on it: the camera moves, nothing else.
    let mode_view = harness.state().presenting().unwrap().view();
    let rect = harness.state().map_memory().last_rect.unwrap();
    let on_feature = MapView::transform(&mode_view, rect);
    let feature_at: egui::Pos2 = {
        let data = harness.state().map_data().unwrap();
        let f = &data.layers[plan].geom.features[0];
        on_feature.screen_from_merc(f.label_at.unwrap()).into()
    };
    drag(
        &mut harness,
        feature_at,
        feature_at + egui::vec2(80.0, 40.0),
    );
    click_at(&mut harness, feature_at);
    click_at(&mut harness, feature_at);
    assert_ne!(harness.state().presenting().unwrap().view(), mode_view);
    assert_eq!(plan_and_history(&harness), before);
    assert_no_editing_ui(&harness);

    key(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(harness.state().presenting().is_none());
    // Back in the editing window: the selection and the history are as they were.
    assert_eq!(harness.state().selected_plan_id(), Some(selected));
    assert_eq!(plan_and_history(&harness), before);
    assert!(!harness.state().help_open());
}

fn near(a: MapView, b: MapView) -> bool {
    (a.center_lon - b.center_lon).abs() < 1e-7
        && (a.center_lat - b.center_lat).abs() < 1e-7
        && (a.m_per_point / b.m_per_point - 1.0).abs() < 1e-6
}

/// Steps until the camera rests (the move takes under a second; a step is 0.05 s).
fn settle(harness: &mut Harness<'static, LinliApp>) {
    for _ in 0..40 {
        harness.step();
        if !harness.state().presenting().unwrap().is_moving() {
            break;
        }
    }
    assert!(!harness.state().presenting().unwrap().is_moving());
    harness.step();
}

#[test]
fn slides_made_in_the_meeting_form_are_one_step_and_step_with_a_smooth_move() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let project = harness
        .state()
        .session()
        .unwrap()
        .projects()
        .values()
        .find(|p| p.code == "PD-2024-HM-01")
        .unwrap()
        .id;
    open_project(&mut harness, "PD-2024-HM-01");
    press(&mut harness, "记录会议");
    let a = harness.state().view();
    press(&mut harness, "添加当前视图");
    let b = a.zoomed_around(
        4.0,
        egui::pos2(700.0, 450.0),
        harness.state().map_memory().last_rect.unwrap(),
    );
    harness.state_mut().set_view(b);
    steps(&mut harness, 2);
    press(&mut harness, "添加当前视图");
    let c = b.panned(egui::vec2(300.0, -120.0));
    harness.state_mut().set_view(c);
    steps(&mut harness, 2);
    press(&mut harness, "添加当前视图");
    let revision = harness.state().session().unwrap().revision();
    press(&mut harness, "保存会议");
    let s = harness.state().session().unwrap();
    assert_eq!(s.revision(), revision + 1, "saving is one edit");
    let m = s
        .records()
        .meetings_of(project)
        .into_iter()
        .find(|m| !m.slides.is_empty())
        .unwrap()
        .clone();
    assert_eq!(m.slides.len(), 3);
    assert_eq!(m.slides[0].title, "视图 1");
    assert_eq!(m.slides[1].highlight, vec![project]);
    assert!(!m.slides[0].layers.is_empty());
    let views: Vec<MapView> = m
        .slides
        .iter()
        .map(|s| MapView::of_bookmark(&s.view))
        .collect();
    assert!(near(views[1], MapView::of_bookmark(&b.bookmark())));

    press(&mut harness, "放映");
    let mode = harness.state().presenting().expect("放映 presents");
    assert_eq!(mode.meeting(), Some(m.id));
    assert_eq!(mode.position(), (0, 3));
    assert!(near(mode.view(), views[0].sanitised()));
    harness.get_by_label("视图 1    1 / 3");
    // PageDown (a clicker's "next"): an eased move, then the second slide's view.
    harness.key_press(Key::PageDown);
    harness.step();
    harness.step();
    let mode = harness.state().presenting().unwrap();
    assert_eq!(mode.position(), (1, 3));
    assert!(mode.is_moving(), "the camera jumped instead of moving");
    assert!(!near(mode.view(), views[1].sanitised()));
    settle(&mut harness);
    assert!(near(
        harness.state().presenting().unwrap().view(),
        views[1].sanitised()
    ));
    key(&mut harness, Modifiers::NONE, Key::ArrowRight);
    settle(&mut harness);
    assert_eq!(harness.state().presenting().unwrap().position(), (2, 3));
    assert!(near(
        harness.state().presenting().unwrap().view(),
        views[2].sanitised()
    ));
    // Past the end: stays.
    key(&mut harness, Modifiers::NONE, Key::PageDown);
    settle(&mut harness);
    assert_eq!(harness.state().presenting().unwrap().position(), (2, 3));
    key(&mut harness, Modifiers::NONE, Key::PageUp);
    settle(&mut harness);
    assert_eq!(harness.state().presenting().unwrap().position(), (1, 3));
    key(&mut harness, Modifiers::NONE, Key::ArrowLeft);
    settle(&mut harness);
    assert!(near(
        harness.state().presenting().unwrap().view(),
        views[0].sanitised()
    ));
    // The on-screen buttons step too.
    harness.get_by_label("下一页").click();
    harness.step();
    settle(&mut harness);
    assert_eq!(harness.state().presenting().unwrap().position(), (1, 3));
    // Leaving keeps the editing view where it was.
    key(&mut harness, Modifiers::NONE, Key::Escape);
    assert!(near(harness.state().view(), c));
}

#[test]
fn a_slide_shows_its_layers_only() {
    let (_dir, path) = sample_workspace();
    {
        let mut s = Session::open(&path).unwrap();
        let mut m = s.records().meetings()[0].clone();
        let streets: Vec<String> = s
            .layers()
            .iter()
            .filter(|l| l.role == LayerRole::Streets)
            .map(|l| LayerId::Named(l.name.clone()).key())
            .collect();
        assert!(!streets.is_empty());
        let plan_only = vec![LayerId::Plan.key()];
        let mut with_streets = plan_only.clone();
        with_streets.extend(streets);
        let view = MapBookmark {
            lon: 121.54,
            lat: 31.22,
            zoom: 13.0,
        };
        m.slides = vec![
            Slide {
                title: "街道与方案".into(),
                view,
                layers: with_streets,
                highlight: Vec::new(),
                alternatives: Vec::new(),
            },
            Slide {
                title: "只看方案".into(),
                view,
                layers: plan_only,
                highlight: Vec::new(),
                alternatives: Vec::new(),
            },
        ];
        s.apply(MeetingEdit::Update(m)).unwrap();
    }
    let mut harness = open_app(&path);
    let streets = harness.state().layer_with_role(LayerRole::Streets).unwrap();
    let communities = harness
        .state()
        .layer_with_role(LayerRole::Communities)
        .unwrap();
    let plan = harness.state().layer_with_role(LayerRole::Plan).unwrap();
    // The records window's meeting list is one way in; the meeting form's is another (above):
    // here the mode is entered as the form would, through the projects window.
    let project = {
        let s = harness.state().session().unwrap();
        let m = s.records().meetings()[0];
        m.project
            .and_then(|id| s.project(id))
            .map(|p| p.code.clone())
    };
    let code = project.expect("the sample's first meeting belongs to a project");
    open_project(&mut harness, &code);
    press(&mut harness, "放映");
    steps(&mut harness, 2);
    let drawn = |h: &Harness<'static, LinliApp>, li: usize| {
        h.state().presenting().unwrap().scene_stats().layers[li].drawn
    };
    assert!(drawn(&harness, streets) > 0);
    assert!(drawn(&harness, plan) > 0);
    assert_eq!(
        drawn(&harness, communities),
        0,
        "a layer the slide leaves out"
    );
    key(&mut harness, Modifiers::NONE, Key::PageDown);
    settle(&mut harness);
    assert_eq!(drawn(&harness, streets), 0);
    assert!(drawn(&harness, plan) > 0);
    harness.get_by_label("只看方案    2 / 2");
}
