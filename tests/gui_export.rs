//! The window's export dialog (导出成果), headless: it opens from the top bar, shows how many
//! features and projects the file will hold, follows its filters, and saves a GeoPackage where
//! the save dialog says, through the same door as every export.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::gui::{open_app, sample_workspace, steps};
use egui_kittest::kittest::Queryable;
use linli::gui::save::AnswerWith;
use linli::gui::windows::export::ExportFormat;
use linli::session::ExportCount;

#[test]
fn the_export_dialog_counts_filters_and_saves_a_geopackage() {
    let (dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("导出成果").click();
    steps(&mut harness, 3);
    assert!(harness.state_mut().export_window().open);
    // The live preview, read from the window as the planner sees it.
    harness.get_by_label("将导出 17 个要素 / 10 个项目");
    assert_eq!(
        harness.state_mut().export_window().shown_count(),
        Some(ExportCount {
            features: 17,
            projects: 10
        })
    );
    // A filter chosen from its drop-down (the fourth: street, community, programme, year)
    // changes the count at once.
    harness
        .get_all_by_role(egui::accesskit::Role::ComboBox)
        .nth(3)
        .unwrap()
        .click();
    steps(&mut harness, 2);
    harness.get_by_label("2024").click();
    steps(&mut harness, 2);
    assert_eq!(harness.state_mut().export_window().filter.year, Some(2024));
    let count = harness.state_mut().export_window().shown_count().unwrap();
    assert_eq!(count.projects, 2);
    assert!(count.features > 0 && count.features < 17);
    harness.get_by_label(&format!("将导出 {} 个要素 / 2 个项目", count.features));

    let out = dir.path().join("区局.gpkg");
    harness
        .state_mut()
        .set_save_dialog(Arc::new(AnswerWith(out.clone())));
    assert_eq!(
        harness.state_mut().export_window().format,
        ExportFormat::Gpkg
    );
    harness.get_by_label("导出…").click();
    let started = Instant::now();
    while !out.exists() && started.elapsed() < Duration::from_secs(30) {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let bytes = std::fs::read(&out).expect("the export was saved");
    assert!(bytes.starts_with(b"SQLite format 3\0"));
    let (ok, message) = harness
        .state_mut()
        .export_window()
        .saver
        .message()
        .unwrap()
        .clone();
    assert!(ok, "{message}");
    let conn = rusqlite::Connection::open(&out).unwrap();
    let codes: i64 = conn
        .query_row("SELECT count(*) FROM projects", [], |r| r.get(0))
        .unwrap();
    assert_eq!(codes, 2);
    // Its words follow the language.
    harness.get_by_label("English").click();
    steps(&mut harness, 3);
    harness.get_by_label(&format!(
        "Will export {} features / 2 projects",
        count.features
    ));
    harness.get_by_label("GeoPackage (features, projects, meetings, people, tasks)");
}
