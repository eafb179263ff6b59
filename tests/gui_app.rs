//! The real app struct on the sample workspace, headless (egui_kittest, no display, no GPU):
//! the layers panel, clicking the map, hiding a layer, switching language, dragging.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{click_at, mesh_vertices, open_app, sample_workspace};
use std::time::{Duration, Instant};

use egui::{Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::map::hit::FeatureRef;
use linli::gui::{LinliApp, WorkspaceSource};
use linli::model::LayerRole;

#[test]
fn layers_panel_lists_every_layer_with_its_chinese_name() {
    let (_dir, path) = sample_workspace();
    let harness = open_app(&path);
    let session = harness.state().session().unwrap();
    let names: Vec<String> = session.layers().iter().map(|l| l.name.clone()).collect();
    assert!(names.len() >= 3, "{names:?}");
    for name in &names {
        assert!(
            name.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{name} is not Chinese"
        );
        harness.get_by_label(name);
    }
    harness.get_by_label("规划要素");
    harness.get_by_label("图层");
    harness.get_by_label("图例");
}

#[test]
fn clicking_a_plan_feature_selects_it_and_the_inspector_shows_its_street() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let app = harness.state();
    let plan_layer = app.layer_with_role(LayerRole::Plan).unwrap();
    let plan = app.session().unwrap().plan();
    // The plan feature farthest on screen from any other, so the click cannot hit a neighbour.
    let positions: Vec<(usize, Pos2)> = (0..plan.len())
        .filter(|&i| plan[i].street.is_some())
        .filter_map(|i| {
            Some((
                i,
                app.screen_pos_of(FeatureRef {
                    layer: plan_layer,
                    feature: i,
                })?,
            ))
        })
        .collect();
    assert!(
        !positions.is_empty(),
        "the sample has plan features inside streets"
    );
    let all: Vec<Pos2> = (0..plan.len())
        .filter_map(|i| {
            app.screen_pos_of(FeatureRef {
                layer: plan_layer,
                feature: i,
            })
        })
        .collect();
    let isolation = |p: Pos2| {
        all.iter()
            .map(|q| p.distance(*q))
            .filter(|&d| d > 0.0)
            .fold(f32::INFINITY, f32::min)
    };
    let &(target, pos) = positions
        .iter()
        .max_by(|a, b| isolation(a.1).total_cmp(&isolation(b.1)))
        .unwrap();
    let street = plan[target].street.clone().unwrap();

    assert_eq!(harness.state().selection(), None);
    assert!(
        harness.query_by_label("所在街道").is_none(),
        "the inspector shows no feature before the click"
    );
    let street_labels_before = harness.query_all_by_label(&street).count();
    click_at(&mut harness, pos);
    let selected = Some(FeatureRef {
        layer: plan_layer,
        feature: target,
    });
    assert_eq!(harness.state().selection(), selected);
    assert!(
        harness.query_all_by_label(&street).count() > street_labels_before,
        "the inspector shows the street {street}"
    );
    harness.get_by_label("所在街道");

    // Clicking where there is nothing (on the map, outside every layer) clears the selection.
    let nothing = Pos2::new(400.0, 80.0);
    let rect = harness.state().map_memory().last_rect.unwrap();
    assert!(rect.contains(nothing), "{nothing:?} is on the map {rect:?}");
    click_at(&mut harness, nothing);
    assert_eq!(harness.state().selection(), None);
    assert!(
        harness.query_by_label("所在街道").is_none(),
        "the inspector shows no feature any more"
    );
}

#[test]
fn hiding_a_layer_removes_its_shapes() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    // The sample opens on its plan features; the whole district shows every street.
    harness.get_by_label("全图").click();
    harness.step();
    harness.step();
    let streets = harness.state().layer_with_role(LayerRole::Streets).unwrap();
    let name = harness.state().session().unwrap().layers()[streets]
        .name
        .clone();
    let before = harness.state().scene_stats().layers[streets].clone();
    assert!(before.drawn >= 30 && before.vertices > 0, "{before:?}");
    let vertices_before = mesh_vertices(&harness);

    harness.get_by_label(&name).click();
    harness.step();
    harness.step();
    let after = harness.state().scene_stats().layers[streets].clone();
    assert_eq!((after.drawn, after.vertices), (0, 0));
    assert!(mesh_vertices(&harness) + before.vertices <= vertices_before + 1_000);
    assert!(
        !harness
            .state()
            .prefs()
            .layers
            .styles
            .values()
            .all(|s| s.visible),
        "the hidden state is kept in the settings"
    );

    harness.get_by_label(&name).click();
    harness.step();
    harness.step();
    assert_eq!(
        harness.state().scene_stats().layers[streets].drawn,
        before.drawn
    );
}

#[test]
fn switching_to_english_changes_the_labels() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("图层");
    harness.get_by_label("English").click();
    harness.step();
    harness.step();
    harness.get_by_label("Layers");
    harness.get_by_label("Plan features");
    harness.get_by_label("Inspector");
    assert!(harness.query_by_label("图层").is_none());
    assert_eq!(harness.state().lang(), linli::i18n::Lang::En);
    harness.get_by_label("中文").click();
    harness.step();
    harness.step();
    harness.get_by_label("图层");
}

#[test]
fn one_drag_is_one_view_step() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let view_before = harness.state().view();
    let steps_before = harness.state().completed_view_steps();
    let start = Pos2::new(700.0, 450.0);
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    for k in 1..=5 {
        harness.hover_at(start + vec2(20.0 * k as f32, 10.0 * k as f32));
        harness.step();
    }
    harness.drop_at(start + vec2(100.0, 50.0));
    harness.step();
    harness.step();
    assert_ne!(harness.state().view(), view_before);
    assert_eq!(harness.state().completed_view_steps(), steps_before + 1);
}

#[test]
fn a_broken_workspace_shows_a_message_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.gpkg");
    std::fs::write(&path, b"this is not a GeoPackage").unwrap();
    let mut harness = Harness::builder()
        .with_size(vec2(1000.0, 700.0))
        .with_context_setup(linli::gui::install_fonts)
        .build_eframe(move |cc| LinliApp::new(cc, WorkspaceSource::Path(path)));
    let started = Instant::now();
    while harness.state().load_error().is_none() {
        assert!(started.elapsed() < Duration::from_secs(30));
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.step();
    harness.get_by_label("无法打开工作空间");
    let message = harness.state().load_error().unwrap();
    // The store's refusal reads in the window's language (zh-CN by default), not in English.
    assert!(
        message.contains("broken.gpkg")
            && message.contains("不是 GeoPackage（不是 SQLite 数据库）"),
        "{message}"
    );
    assert!(!message.contains("not an SQLite database"), "{message}");
}

#[test]
fn the_basemap_window_reports_a_file_it_cannot_open() {
    let (dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("底图").click();
    harness.step();
    harness.step();
    let missing = dir.path().join("none.mbtiles");
    harness.get_by_label("MBTiles 文件路径");
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    field.type_text(&missing.display().to_string());
    harness.step();
    harness.get_by_label("打开").click();
    harness.step();
    harness.step();
    assert!(harness.query_all_by_label_contains("无法打开底图").count() >= 1);
}

#[test]
fn settings_from_an_older_version_load_with_defaults() {
    // Every settings struct is `#[serde(default)]`: missing fields take their defaults.
    let prefs: linli::gui::app::Prefs =
        serde_json::from_str(r#"{"lang": "En", "basemap": {"gcj02": true}}"#).unwrap();
    assert_eq!(prefs.lang, linli::i18n::Lang::En);
    assert!(prefs.basemap.gcj02 && prefs.basemap.visible && prefs.basemap.path.is_none());
    assert_eq!(prefs.view, None);
    let bad: linli::render::projection::MapView =
        serde_json::from_str(r#"{"center_lon": 500.0}"#).unwrap();
    assert_eq!(
        bad.sanitised(),
        linli::render::projection::MapView::default()
    );
}

/// Issue 19, point 5: a first start that finds the default workspace made meanwhile (a second
/// window started at the same moment, and the planner already edits it) opens it and never
/// replaces it with a fresh sample.
#[test]
fn a_first_start_never_replaces_a_workspace_that_appeared_meanwhile() {
    let (_dir, path) = sample_workspace();
    let mut session = linli::Session::open(&path).unwrap();
    let edited = session.plan().iter().next().unwrap().feature.id;
    session.apply(linli::session::Edit::Delete(edited)).unwrap();
    let left = session.plan().len();
    // The other window still has it open with the edit.
    let created = linli::gui::app::loader::create_from_sample(&path, &mut |_, _| {}).unwrap();
    assert!(
        created.is_none(),
        "the workspace there is opened, not made anew"
    );
    drop(session);
    let reopened = linli::Session::open(&path).unwrap();
    assert_eq!(reopened.plan().len(), left, "the edit is still there");
    assert!(reopened.plan_feature(edited).is_none());
}
