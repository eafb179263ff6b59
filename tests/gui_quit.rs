//! Issue 19, point 3: after a normal quit the workspace is one whole file. The real app, on the
//! sample workspace (its reference layer drawn by the tile loader, with its own connection),
//! makes an edit; then it quits the ways a user quits it: Ctrl+Q, the window's close button
//! (eframe calls `on_exit` and drops the app), and SIGTERM. Each time no `-wal`/`-shm` is left
//! beside the file, and a copy of the main file alone, opened in another folder, holds the edit.
//!
//! One test runs the three in turn: the signal is process-wide, and an app of another test
//! running meanwhile would take it as its own.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::gui::{click_at, open_app, sample_workspace, steps};
use egui::{Key, Modifiers};
use egui_kittest::Harness;
use linli::Session;
use linli::gui::LinliApp;
use linli::gui::map::hit::FeatureRef;
use uuid::Uuid;

/// Deletes one plan feature through the app (a click on it, then the Delete key); returns its id
/// and how many plan features are left.
fn delete_a_feature(harness: &mut Harness<'static, LinliApp>) -> (Uuid, usize) {
    assert!(
        harness.state().map_data().unwrap().tiles.is_open(),
        "the tile loader runs (the sample has a reference layer)"
    );
    let plan_layer = harness.state().map_data().unwrap().plan_layer().unwrap();
    let count = harness.state().session().unwrap().plan().len();
    let pos = (0..count)
        .find_map(|i| {
            harness.state().screen_pos_of(FeatureRef {
                layer: plan_layer,
                feature: i,
            })
        })
        .expect("a plan feature on screen");
    click_at(harness, pos);
    let id = harness
        .state()
        .selected_plan_id()
        .expect("the click selected a plan feature");
    harness.key_press_modifiers(Modifiers::NONE, Key::Delete);
    steps(harness, 2);
    let left = harness.state().session().unwrap().plan().len();
    assert_eq!(left, count - 1, "the feature is deleted");
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .plan_feature(id)
            .is_none()
    );
    (id, left)
}

/// The workspace is one file holding the edit: nothing beside it, and the main file copied
/// alone into another folder has the feature deleted.
fn assert_one_whole_file(path: &Path, deleted: Uuid, left: usize, how: &str) {
    for suffix in ["-wal", "-shm", "-journal"] {
        let mut side = path.as_os_str().to_owned();
        side.push(suffix);
        assert!(
            !Path::new(&side).exists(),
            "{how}: {} is left beside the workspace",
            Path::new(&side).display()
        );
    }
    let elsewhere = tempfile::tempdir().unwrap();
    let copy = elsewhere.path().join("copy.gpkg");
    std::fs::copy(path, &copy).unwrap();
    let session = Session::open_read_only(&copy).unwrap();
    assert_eq!(session.plan().len(), left, "{how}: the copy holds the edit");
    assert!(session.plan_feature(deleted).is_none(), "{how}");
}

/// Steps until the app has let its workspace go (it quits on the next frame it draws).
fn step_until_closed(harness: &mut Harness<'static, LinliApp>) {
    let started = Instant::now();
    while harness.state().session().is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the app did not quit"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn every_way_of_quitting_leaves_one_whole_file() {
    // Ctrl+Q.
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let (deleted, left) = delete_a_feature(&mut harness);
    harness.key_press_modifiers(Modifiers::COMMAND, Key::Q);
    step_until_closed(&mut harness);
    assert_one_whole_file(&path, deleted, left, "Ctrl+Q");
    drop(harness);

    // The window's close button: eframe calls `on_exit`, then drops the app.
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let (deleted, left) = delete_a_feature(&mut harness);
    eframe::App::on_exit(harness.state_mut());
    drop(harness);
    assert_one_whole_file(&path, deleted, left, "the close button");

    // SIGTERM, through the handler the window installs.
    linli::gui::app::quit::install_signal_handlers();
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let (deleted, left) = delete_a_feature(&mut harness);
    // SAFETY: kill(2) on our own process with a signal whose handler is installed above.
    let sent = unsafe { libc::kill(libc::getpid(), libc::SIGTERM) };
    assert_eq!(sent, 0);
    step_until_closed(&mut harness);
    assert_one_whole_file(&path, deleted, left, "SIGTERM");
}
