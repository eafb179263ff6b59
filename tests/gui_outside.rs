//! The window picks up what another program commits to the open workspace: a second
//! connection (standing in for QGIS) renames the selected plan feature; within a second or two
//! of frames the session holds the new name, the inspector shows it, the status line says so,
//! and the map rebuilt only that feature.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{click_at, open_app, sample_workspace};

use egui::Pos2;
use egui_kittest::kittest::Queryable;
use linli::gui::map::hit::FeatureRef;
use linli::model::LayerRole;

#[test]
fn a_rename_by_another_program_shows_in_the_inspector_within_two_seconds() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let app = harness.state();
    let plan_layer = app.layer_with_role(LayerRole::Plan).unwrap();
    let n = app.session().unwrap().plan().len();
    // The plan feature farthest on screen from any other, so the click selects it alone.
    let on_screen: Vec<(usize, Pos2)> = (0..n)
        .filter_map(|i| {
            let f = FeatureRef {
                layer: plan_layer,
                feature: i,
            };
            Some((i, app.screen_pos_of(f)?))
        })
        .collect();
    let isolation = |p: Pos2| {
        on_screen
            .iter()
            .map(|(_, q)| p.distance(*q))
            .filter(|&d| d > 0.0)
            .fold(f32::INFINITY, f32::min)
    };
    let &(target, pos) = on_screen
        .iter()
        .max_by(|a, b| isolation(a.1).total_cmp(&isolation(b.1)))
        .unwrap();
    let feature = app.session().unwrap().plan()[target].clone();
    click_at(&mut harness, pos);
    assert_eq!(harness.state().selected_plan_id(), Some(feature.feature.id));
    assert!(
        harness.query_all_by_value(&feature.feature.name).count() > 0,
        "the inspector's name field shows the name"
    );
    let generation = harness.state().map_data().unwrap().generation;
    let revision = harness.state().session().unwrap().revision();

    let conn = rusqlite::Connection::open(&path).unwrap();
    linli::store::register_sql_functions(&conn).unwrap();
    let table = linli::store::plan_table(feature.kind().unwrap()).0;
    conn.execute(
        &format!("UPDATE {table} SET name = 'QGIS 里改的名字' WHERE uuid = ?1"),
        [feature.feature.id.to_string()],
    )
    .unwrap();

    // The harness steps 50 ms of input time per frame, and the reading runs on a worker in
    // real time: each frame waits 50 ms too, so 40 frames are 2 s of both.
    let mut frames = 0;
    while harness
        .state()
        .session()
        .unwrap()
        .plan_feature(feature.feature.id)
        .unwrap()
        .feature
        .name
        != "QGIS 里改的名字"
    {
        std::thread::sleep(std::time::Duration::from_millis(50));
        harness.step();
        frames += 1;
        assert!(frames <= 40, "not picked up within 2 s of frames");
    }
    harness.step();
    harness.step();
    assert!(
        harness.query_all_by_value("QGIS 里改的名字").count() > 0,
        "the inspector's name field shows the new name"
    );
    assert_eq!(
        harness.state().status(),
        Some("已载入其他程序的更改：1 个要素")
    );
    assert_eq!(
        harness.state().selected_plan_id(),
        Some(feature.feature.id),
        "still selected"
    );
    // The map's plan layer was updated from the change log, which names that one slot.
    assert!(harness.state().map_data().unwrap().generation > generation);
    let changes = harness
        .state()
        .session()
        .unwrap()
        .plan_changes_since(revision)
        .expect("a plan-only change");
    assert_eq!(changes.slots.into_iter().collect::<Vec<_>>(), vec![target]);
}
