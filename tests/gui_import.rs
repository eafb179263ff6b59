//! Importing from the window (a GeoJSON through the form, a Shapefile dropped on it): the form, the worker thread with its progress, the new
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
    harness.get_by_label("导入图层").click();
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

/// A file as the window system hands a dropped one to egui.
#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &Path {
        &self.0
    }
    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

#[test]
fn a_gbk_shapefile_in_gauss_kruger_dropped_on_the_map_imports_through_the_form() {
    let (dir, path) = sample_workspace();
    let shp = common::shapefiles::write_streets(dir.path(), "街道GK", encoding_rs::GBK);
    common::shapefiles::set_language_driver(&shp, 0);
    let mut harness = open_app(&path);
    let layers_before = harness.state().session().unwrap().layers().len();
    harness
        .input_mut()
        .dropped_files
        .push(std::sync::Arc::new(Dropped(shp.clone())));
    for _ in 0..3 {
        harness.step();
    }
    // The form opened with the file and a layer name taken from it.
    let values: Vec<String> = harness
        .query_all_by_role(Role::TextInput)
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    assert!(
        values.iter().any(|v| v.ends_with("街道GK.shp")),
        "{values:?}"
    );
    assert!(values.iter().any(|v| v == "街道GK"), "{values:?}");
    harness.get_by_label("导入").click();
    harness.step();
    wait_ready(&mut harness);
    let session = harness.state().session().unwrap();
    assert_eq!(session.layers().len(), layers_before + 1);
    let i = session
        .layers()
        .iter()
        .position(|l| l.name == "街道GK")
        .unwrap();
    let layer = session.read_layer(i).unwrap().unwrap();
    assert_eq!(layer.features[0].properties["NAME"], "陆家嘴街道");
    // The outcome says how the file was read: its CRS and its encoding.
    let said: Vec<String> = harness
        .query_all_by_label_contains("已导入 3 个要素")
        .filter_map(|n| n.accesskit_node().value())
        .collect();
    assert!(
        said.iter()
            .any(|m| m.contains("EPSG:4549") && m.contains("GBK")),
        "{said:?}"
    );
}
