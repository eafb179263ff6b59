//! The first screen, the help window and the coverage window's table and overlay, headless on
//! the sample workspace (issue 21, items 6 and 8): the sample opens on its plan features with
//! the whole district one click away; 帮助 opens a window holding the keys; the gap table sorts
//! by a click on its header and reverses on a second; the overlay can be hidden and cleared
//! from the layers panel after the window is closed.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{mesh_vertices, open_app, sample_workspace, steps};
use egui::Key;
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;
use linli::i18n::Lang;
use linli::i18n::projects::ProjectText;
use linli::model::LayerRole;
use linli::render::projection::MercBox;

/// The map's box in the last frame, Web Mercator metres.
fn view_box(harness: &Harness<'_, LinliApp>) -> MercBox {
    let app = harness.state();
    let rect = app.map_memory().last_rect.unwrap();
    app.view().transform(rect).merc_box_of(rect)
}

fn contains(outer: &MercBox, inner: &MercBox) -> bool {
    outer.min[0] <= inner.min[0]
        && outer.min[1] <= inner.min[1]
        && outer.max[0] >= inner.max[0]
        && outer.max[1] >= inner.max[1]
}

#[test]
fn the_sample_opens_on_its_plan_features_and_the_district_is_one_click_away() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let app = harness.state();
    let data = app.map_data().unwrap();
    let plan_layer = app.layer_with_role(LayerRole::Plan).unwrap();
    let plan = data.layers[plan_layer].geom.extent.unwrap();
    let district = data.extent.unwrap();
    let shown = view_box(&harness);
    assert!(contains(&shown, &plan), "{shown:?} shows the plan {plan:?}");
    // Not the district: the plan features fill the view instead of a few pixels of it.
    assert!(
        shown.width() < 0.5 * district.width() && shown.height() < 0.5 * district.height(),
        "{shown:?} vs the district {district:?}"
    );
    assert!(
        !contains(&shown, &district),
        "the opening view is not the whole district"
    );
    // The plan's box takes most of the view along one side at least.
    assert!(
        plan.width() / shown.width() > 0.5 || plan.height() / shown.height() > 0.5,
        "{plan:?} in {shown:?}"
    );
    // The status bar says where the rest is.
    assert!(
        harness.state().status().is_some_and(|s| s.contains("全图")),
        "{:?}",
        harness.state().status()
    );
    // One click shows the whole district.
    harness.get_by_label("全图").click();
    steps(&mut harness, 3);
    let whole = view_box(&harness);
    assert!(contains(&whole, &district), "{whole:?} vs {district:?}");
}

#[test]
fn help_opens_a_window_with_the_keys_the_tools_and_the_workflow() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    assert!(!harness.state().help_open());
    assert!(
        harness.query_by_label("Ctrl+Z").is_none(),
        "not before asked"
    );
    harness.get_by_label("？帮助").click();
    steps(&mut harness, 3);
    assert!(harness.state().help_open());
    // The keys, each beside what it does.
    harness.get_by_label("快捷键");
    for key in [
        "Ctrl+Z",
        "Ctrl+Shift+Z / Ctrl+Y",
        "Backspace",
        "Esc",
        "Delete",
        "F1",
    ] {
        harness.get_by_label(key);
    }
    harness.get_by_label_contains("撤销（不限步数");
    // The tools, with the workspace's own element types, and the workflow to the blueprint.
    harness.get_by_label("工具");
    harness.get_by_label_contains("口袋花园（面");
    harness.get_by_label_contains("从绘制到一张蓝图");
    harness.get_by_label_contains("由选中要素新建项目");
    harness.get_by_label_contains("记录会议");
    // F1 closes it (and opens it again).
    harness.key_press(Key::F1);
    steps(&mut harness, 3);
    assert!(!harness.state().help_open());
    assert!(harness.query_by_label("Ctrl+Z").is_none());
    // In English too.
    harness.get_by_label("English").click();
    steps(&mut harness, 2);
    harness.key_press(Key::F1);
    steps(&mut harness, 3);
    assert!(harness.state().help_open());
    harness.get_by_label("Keys");
    harness.get_by_label("Ctrl+Z");
    harness.get_by_label_contains("from drawing to the blueprint");
}

/// The gap table's rows as the window shows them: (name, covered share).
fn shown_rows(harness: &Harness<'_, LinliApp>) -> Vec<(String, f64)> {
    let w = harness.state().coverage_window();
    let c = w.result().unwrap();
    w.gap_rows()
        .into_iter()
        .map(|i| (c.results()[i].name.clone(), c.results()[i].covered_share))
        .collect()
}

#[test]
fn the_gap_table_sorts_by_its_headers_and_the_overlay_clears_after_the_window_closes() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("覆盖分析").click();
    steps(&mut harness, 3);
    // 1000 m, so the areas' shares differ.
    harness.get_by_label("1000").click();
    steps(&mut harness, 2);
    harness.get_by_label("计算").click();
    steps(&mut harness, 3);
    let c = harness.state().coverage_window().result().unwrap().clone();
    // At first the largest gap first, as before.
    assert_eq!(
        harness.state().coverage_window().gap_rows(),
        c.gap_order(),
        "by gap, descending"
    );
    let distinct: std::collections::BTreeSet<u64> = c
        .results()
        .iter()
        .map(|r| r.covered_share.to_bits())
        .collect();
    assert!(distinct.len() > 2, "the shares differ: {distinct:?}");

    // A click on 覆盖率 sorts by it, ascending; the rows on screen follow.
    let ascending = ProjectText::SortAscending.get(Lang::Zh);
    let descending = ProjectText::SortDescending.get(Lang::Zh);
    harness.get_by_label("覆盖率").click();
    steps(&mut harness, 3);
    let rows = shown_rows(&harness);
    assert_eq!(rows.len(), c.results().len());
    for w in rows.windows(2) {
        assert!(
            w[0].1 < w[1].1 || (w[0].1 == w[1].1 && w[0].0 <= w[1].0),
            "ascending: {w:?}"
        );
    }
    let y =
        |harness: &Harness<'_, LinliApp>, name: &str| harness.get_by_label(name).rect().center().y;
    assert!(
        y(&harness, &rows[0].0) < y(&harness, &rows[1].0),
        "{} is drawn above {}",
        rows[0].0,
        rows[1].0
    );
    // A second click reverses it.
    harness.get_by_label(&format!("覆盖率{ascending}")).click();
    steps(&mut harness, 3);
    let rows = shown_rows(&harness);
    for w in rows.windows(2) {
        assert!(
            w[0].1 > w[1].1 || (w[0].1 == w[1].1 && w[0].0 <= w[1].0),
            "descending: {w:?}"
        );
    }
    harness.get_by_label(&format!("覆盖率{descending}"));
    // By name, from the area column's head.
    harness.get_by_label("单元").click();
    steps(&mut harness, 3);
    let names: Vec<String> = shown_rows(&harness).into_iter().map(|r| r.0).collect();
    let mut sorted = names.clone();
    sorted.sort();
    assert_eq!(names, sorted);

    // Candidates without a weight layer say what they are.
    harness.get_by_label("寻找候选地点").click();
    steps(&mut harness, 3);
    assert!(!harness.state().coverage_window().candidates().is_empty());
    harness.get_by_label_contains("未选权重图层");
    harness.get_by_label_contains("人口或建筑图层");

    // The window closes; the overlay stays, with its entry in the layers panel.
    harness
        .get_by_role_and_label(Role::Button, "覆盖分析")
        .click();
    steps(&mut harness, 3);
    assert!(
        harness.query_by_label("计算").is_none(),
        "the window is closed"
    );
    let w = harness.state().coverage_window();
    assert!(w.has_overlay() && w.overlay_shown && !w.overlay.uncovered.is_empty());
    let with_overlay = mesh_vertices(&harness);
    // Hidden from the entry's checkbox: the map draws it no more...
    harness.get_by_label("覆盖分析结果").click();
    steps(&mut harness, 3);
    assert!(!harness.state().coverage_window().overlay_shown);
    let hidden = mesh_vertices(&harness);
    assert!(hidden < with_overlay, "{hidden} < {with_overlay}");
    harness.get_by_label("覆盖分析结果").click();
    steps(&mut harness, 3);
    assert!(harness.state().coverage_window().overlay_shown);
    assert_eq!(mesh_vertices(&harness), with_overlay);
    // ...and cleared by its button: nothing left to draw, and the entry goes.
    harness.get_by_label("清除").click();
    steps(&mut harness, 3);
    let w = harness.state().coverage_window();
    assert!(!w.has_overlay());
    assert!(w.result().is_none() && w.candidates().is_empty());
    assert!(w.overlay.uncovered.is_empty() && w.overlay.candidates.is_empty());
    assert!(harness.query_by_label("覆盖分析结果").is_none());
    assert_eq!(mesh_vertices(&harness), hidden, "nothing of it is drawn");
}
