//! The window's print dialog (打印蓝图…), headless: it opens from the top bar, prints the
//! chosen community on a worker thread and saves it where the save dialog says, through the
//! same door as every export.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use common::gui::{open_app, sample_workspace, steps};
use egui_kittest::kittest::Queryable;
use linli::gui::save::AnswerWith;

#[test]
fn the_print_dialog_saves_a_blueprint() {
    let (dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("打印蓝图…").click();
    steps(&mut harness, 3);
    let window = harness.state().print_window();
    assert!(window.open);
    assert!(!window.name.is_empty(), "a community is picked");
    let out = dir.path().join("蓝图.pdf");
    harness
        .state_mut()
        .set_save_dialog(Arc::new(AnswerWith(out.clone())));
    harness.get_by_label("保存…").click();
    steps(&mut harness, 2);
    let started = Instant::now();
    while !out.exists() && started.elapsed() < Duration::from_secs(60) {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    let bytes = std::fs::read(&out).expect("the blueprint was saved");
    assert!(bytes.starts_with(b"%PDF-"));
    let (ok, message) = harness
        .state()
        .print_window()
        .saver
        .message()
        .unwrap()
        .clone();
    assert!(ok, "{message}");
    // The workspace is untouched by printing.
    assert!(std::fs::metadata(&path).unwrap().len() > 0);
}
