//! Helpers for the window tests: the sample workspace and the real app in a headless harness.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use egui::{Event, Modifiers, PointerButton, Pos2, vec2};
use egui_kittest::Harness;
use linli::gui::{LinliApp, WorkspaceSource};

/// A fresh sample workspace in a temporary folder (keep the folder alive).
pub fn sample_workspace() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sample.gpkg");
    linli::sample::create_sample_workspace(&path, &mut |_| {}).unwrap();
    (dir, path)
}

/// The app on `path`, loaded, fitted and drawn.
pub fn open_app(path: &Path) -> Harness<'static, LinliApp> {
    let path = path.to_path_buf();
    let mut harness = Harness::builder()
        .with_size(vec2(1400.0, 900.0))
        // Short steps, so two clicks one step apart make a double-click as a person's would.
        .with_step_dt(0.05)
        .with_context_setup(linli::gui::install_fonts)
        .build_eframe(move |cc| LinliApp::new(cc, WorkspaceSource::Path(path)));
    wait_ready(&mut harness);
    // One frame to fit the view to the data, one to draw it.
    harness.step();
    harness
}

/// Steps until the workspace is loaded (after opening, or after a worker gave it back).
pub fn wait_ready(harness: &mut Harness<'static, LinliApp>) {
    let started = Instant::now();
    loop {
        harness.step();
        if harness.state().is_ready() {
            break;
        }
        assert_eq!(harness.state().load_error(), None);
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the workspace did not load in time"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.step();
    // The reference layers' tiles load on their own thread: wait for the first view's, so what
    // a test measures next does not change under it when they arrive.
    loop {
        let settled = harness
            .state()
            .map_data()
            .is_none_or(|d| d.tiles.is_open() && !d.tiles.loading());
        if settled {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(120),
            "the map's tiles did not load in time"
        );
        std::thread::sleep(Duration::from_millis(10));
        harness.step();
    }
    harness.step();
}

/// A primary-button press and release at `pos`, without stepping.
pub fn press_release(harness: &mut Harness<'_, LinliApp>, pos: Pos2) {
    for pressed in [true, false] {
        harness.event(Event::PointerButton {
            pos,
            button: PointerButton::Primary,
            pressed,
            modifiers: Modifiers::NONE,
        });
    }
}

/// One click at a person's pace: clicks at different places are never a double-click.
pub fn click_at(harness: &mut Harness<'_, LinliApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    press_release(harness, pos);
    for _ in 0..4 {
        harness.step();
    }
}

/// `n` frames.
pub fn steps(harness: &mut Harness<'static, LinliApp>, n: usize) {
    for _ in 0..n {
        harness.step();
    }
}

/// Two clicks a step apart on the node labelled `label`: a double-click.
pub fn double_click(harness: &mut Harness<'static, LinliApp>, label: &str) {
    use egui_kittest::kittest::Queryable;
    let pos = harness.get_by_label(label).rect().center();
    harness.hover_at(pos);
    harness.step();
    press_release(harness, pos);
    harness.step();
    press_release(harness, pos);
    steps(harness, 3);
}

/// A drag with the primary button from `from` to `to`, in five moves, as a hand makes it.
pub fn drag(harness: &mut Harness<'_, LinliApp>, from: Pos2, to: Pos2) {
    harness.hover_at(from);
    harness.step();
    harness.drag_at(from);
    harness.step();
    for k in 1..=5 {
        harness.hover_at(from + (to - from) * (k as f32 / 5.0));
        harness.step();
    }
    harness.drop_at(to);
    harness.step();
    harness.step();
}

/// Vertices of every mesh drawn in the last frame.
pub fn mesh_vertices(harness: &Harness<'_, LinliApp>) -> usize {
    harness
        .output()
        .shapes
        .iter()
        .map(|clipped| match &clipped.shape {
            egui::Shape::Mesh(mesh) => mesh.vertices.len(),
            _ => 0,
        })
        .sum()
}

/// Opens the projects window on the project with code `code`.
pub fn open_project(harness: &mut Harness<'static, LinliApp>, code: &str) {
    use egui_kittest::kittest::Queryable;
    harness.get_by_label("项目管理").click();
    steps(harness, 3);
    harness.get_by_label(code).click();
    steps(harness, 3);
}

/// Clicks a button of the (scrolling) projects window as a planner would: scrolled into view.
pub fn press(harness: &mut Harness<'static, LinliApp>, label: &str) {
    use egui_kittest::kittest::Queryable;
    harness.get_by_label(label).scroll_to_me();
    steps(harness, 2);
    harness.get_by_label(label).click_accesskit();
    steps(harness, 3);
}

/// Clicks the button labelled `label` as a planner would: scrolled into view (a button only,
/// where another widget carries the same words).
pub fn press_button(harness: &mut Harness<'static, LinliApp>, label: &str) {
    use egui_kittest::kittest::Queryable;
    let button = egui::accesskit::Role::Button;
    harness.get_by_role_and_label(button, label).scroll_to_me();
    steps(harness, 2);
    harness
        .get_by_role_and_label(button, label)
        .click_accesskit();
    steps(harness, 3);
}
