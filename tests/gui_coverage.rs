//! The coverage window on the sample workspace, headless: open it, run 500 m for pocket
//! gardens, read the gap table, find candidates and start a sketch at the best one.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{open_app, sample_workspace};
use egui_kittest::kittest::Queryable;

#[test]
fn run_500_m_see_the_gap_table_and_sketch_at_a_candidate() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("覆盖分析").click();
    for _ in 0..3 {
        harness.step();
    }
    // 500 m is the default; pocket gardens are chosen.
    harness.get_by_label("计算").click();
    for _ in 0..3 {
        harness.step();
    }
    let c = harness
        .state()
        .coverage_window()
        .result()
        .expect("analysed");
    assert!(c.results().len() > 10);
    assert_eq!(c.distance_m(), 500.0);
    assert!(
        !harness
            .state()
            .coverage_window()
            .overlay
            .uncovered
            .is_empty()
    );
    // The gap table: headings, and the community with the largest gap listed first.
    harness.get_by_label("缺口（降序）");
    let worst = &c.results()[c.gap_order()[0]];
    assert!(worst.covered_share < 1.0);
    let worst_name = worst.name.clone();
    harness.get_by_label(&worst_name);
    harness.get_by_label_contains("总覆盖率");
    // Another threshold reruns the analysis and the overlay: every area is covered at least as
    // much as at 500 m, the whole more, and the map's uncovered bands are new ones.
    let shares_500: Vec<(String, f64)> = c
        .results()
        .iter()
        .map(|r| (r.id.clone(), r.covered_share))
        .collect();
    let overall_500 = c.overall_share();
    let uncovered_500 = harness.state().coverage_window().overlay.uncovered.clone();
    harness.get_by_label("1000").click();
    for _ in 0..3 {
        harness.step();
    }
    let c = harness.state().coverage_window().result().unwrap();
    assert_eq!(c.distance_m(), 1000.0);
    assert_eq!(c.results().len(), shares_500.len());
    for (r, (id, share_500)) in c.results().iter().zip(&shares_500) {
        assert_eq!(&r.id, id);
        assert!(
            r.covered_share >= share_500 - 1e-9,
            "{id}: {share_500} -> {}",
            r.covered_share
        );
    }
    // Twice the distance covers about four times the area; at least twice is a safe floor.
    assert!(
        overall_500 > 0.0 && c.overall_share() > 2.0 * overall_500,
        "{overall_500} -> {}",
        c.overall_share()
    );
    let uncovered_1000 = &harness.state().coverage_window().overlay.uncovered;
    assert!(!uncovered_1000.is_empty());
    assert_ne!(uncovered_1000, &uncovered_500, "the overlay was redrawn");
    // Candidates, and a sketch started at the best one.
    harness.get_by_label("寻找候选地点").click();
    for _ in 0..3 {
        harness.step();
    }
    let first = harness.state().coverage_window().candidates()[0].clone();
    assert!(first.gain > 0.0);
    harness.get_all_by_label("在此绘制").next().unwrap().click();
    for _ in 0..3 {
        harness.step();
    }
    let view = harness.state().view();
    assert!(
        (view.center_lon - first.lon).abs() < 1e-9 && (view.center_lat - first.lat).abs() < 1e-9
    );
    assert!(
        harness
            .state()
            .tool()
            .sketch()
            .is_some_and(|s| s.element == "pocket_garden")
    );
}
