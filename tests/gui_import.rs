//! Importing GeoJSON from the window: the form, the worker thread with its progress, the new
//! layer on the map, and a refused file that leaves the workspace as it was.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{open_app, sample_workspace, wait_ready};
use std::path::Path;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use linli::gui::LinliApp;

fn import(harness: &mut Harness<'static, LinliApp>, file: &Path, layer: &str) {
    harness.get_by_label("导入 GeoJSON").click();
    // A new window sizes itself over its first frames.
    for _ in 0..3 {
        harness.step();
    }
    let fields: Vec<_> = harness.query_all_by_role(Role::TextInput).collect();
    assert!(
        fields.len() >= 3,
        "the import form has file, layer and name-field inputs"
    );
    fields[0].focus();
    harness.step();
    harness
        .query_all_by_role(Role::TextInput)
        .next()
        .unwrap()
        .type_text(&file.display().to_string());
    harness.step();
    let layer_field = harness.query_all_by_role(Role::TextInput).nth(1).unwrap();
    layer_field.focus();
    harness.step();
    harness
        .query_all_by_role(Role::TextInput)
        .nth(1)
        .unwrap()
        .type_text(layer);
    harness.step();
    harness.get_by_label("导入").click();
    harness.step();
    wait_ready(harness);
}

#[test]
fn a_geojson_file_imports_from_the_window() {
    let (dir, path) = sample_workspace();
    let file = dir.path().join("小区出入口.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[
{"type":"Feature","properties":{"name":"东门","备注":"早高峰拥堵"},"geometry":{"type":"Point","coordinates":[121.5296,31.2288]}},
{"type":"Feature","properties":{"name":"西门"},"geometry":{"type":"Point","coordinates":[121.5301,31.2290]}}]}"#,
    )
    .unwrap();
    let mut harness = open_app(&path);
    let layers_before = harness.state().session().unwrap().layers().len();
    import(&mut harness, &file, "出入口");
    let session = harness.state().session().unwrap();
    assert_eq!(session.layers().len(), layers_before + 1);
    let i = session
        .layers()
        .iter()
        .position(|l| l.name == "出入口")
        .unwrap();
    let layer = session.read_layer(i).unwrap().unwrap();
    assert_eq!(layer.features.len(), 2);
    assert_eq!(layer.features[0].properties["备注"], "早高峰拥堵");
    assert!(
        harness
            .query_all_by_label_contains("已导入 2 个要素")
            .next()
            .is_some(),
        "the window says what was imported"
    );
    // The layers panel lists it, and the workspace file holds it.
    harness.get_by_label("出入口");
    let reopened = linli::Session::open(&path).unwrap();
    assert!(reopened.layers().iter().any(|l| l.name == "出入口"));
}

#[test]
fn a_refused_file_leaves_the_workspace_and_the_window_as_they_were() {
    let (dir, path) = sample_workspace();
    let file = dir.path().join("projected.geojson");
    std::fs::write(
        &file,
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[13524000.0,3662000.0]}}]}"#,
    )
    .unwrap();
    let mut harness = open_app(&path);
    let layers_before = harness.state().session().unwrap().layers().len();
    import(&mut harness, &file, "投影");
    assert_eq!(
        harness.state().session().unwrap().layers().len(),
        layers_before
    );
    // One message says both: the file named, and the workspace unchanged.
    let refusals: Vec<String> = harness
        .query_all_by_label_contains("工作空间未改动")
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    assert!(
        refusals.iter().any(|m| m.contains("projected.geojson")),
        "{refusals:?}"
    );
    // The core's refusal in the window's language, not in English.
    assert!(
        refusals.iter().any(|m| m.contains("要素 0：Point：坐标")),
        "{refusals:?}"
    );
    assert!(
        harness.query_by_label_contains("looks projected").is_none(),
        "the Chinese window shows the English message"
    );
    let reopened = linli::Session::open(&path).unwrap();
    assert_eq!(reopened.layers().len(), layers_before);
}
