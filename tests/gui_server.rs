//! 同步 in the district window, headless, against a real district server: the first sync
//! sends the street's records (the window stays live and shows the step under way), a
//! change made on the server comes back with the next one, and a wrong password is a clear
//! message with nothing changed. Needs PostgreSQL with PostGIS (see `tests/server.rs`);
//! skipped with a printed reason when no server answers.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::time::{Duration, Instant};

use common::gui::{open_app, press_button, sample_workspace, steps};
use common::pg::TestDb;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;
use postgres::{Client, NoTls};

/// Steps until the sync under way ends; its status line.
fn wait_synced(harness: &mut Harness<'static, LinliApp>) -> String {
    let started = Instant::now();
    while harness.state().district_window().syncing.is_some() {
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the sync did not end in time"
        );
        std::thread::sleep(Duration::from_millis(20));
        harness.step();
    }
    harness.step();
    harness.state().status_text().unwrap_or_default()
}

#[test]
fn the_sync_button_sends_a_street_and_takes_the_servers_change_back() {
    let Some(db) = TestDb::new() else { return };
    linli::server::init(&db.url, false).unwrap();
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let street = harness.state().session().unwrap().main_street().unwrap();
    harness.get_by_label("区街交换").click();
    steps(&mut harness, 3);
    // The address without its password; the password typed apart.
    let (address, password) = {
        let shown = linli::server::shown(&db.url);
        let password = db.url.split_once("://").unwrap().1;
        let password = password.split_once('@').unwrap().0;
        let password = password.split_once(':').map_or("", |(_, p)| p).to_string();
        (shown, password)
    };
    {
        let w = harness.state_mut().district_window_mut();
        w.server = address.clone();
        w.password = password.clone();
        w.street = street.clone();
    }
    press_button(&mut harness, "同步");
    // Under way on its worker: the window shows the step and goes on drawing.
    assert!(harness.state().district_window().syncing.is_some());
    let status = wait_synced(&mut harness);
    assert!(
        status.contains("同步") && status.contains("上传新增"),
        "{status}"
    );
    assert!(
        !status.contains(&format!(":{password}@")),
        "no password in {status}"
    );
    let mut c = Client::connect(&db.url, NoTls).unwrap();
    let on_server: i64 = c
        .query_one(
            "SELECT count(*) FROM linli.plan_features WHERE street = $1",
            &[&street],
        )
        .unwrap()
        .get(0);
    let here = harness
        .state()
        .session()
        .unwrap()
        .plan()
        .iter()
        .filter(|f| f.street.as_deref() == Some(street.as_str()))
        .count() as i64;
    assert!(on_server > 0 && on_server == here, "{on_server} vs {here}");
    let projects: i64 = c
        .query_one(
            "SELECT count(*) FROM linli.projects WHERE street = $1",
            &[&street],
        )
        .unwrap()
        .get(0);
    assert!(projects > 0);
    // Renamed on the server (as the street's mentor would from QGIS); the next sync takes it.
    let row = c
        .query_one(
            "SELECT uuid FROM linli.projects WHERE street = $1 ORDER BY code LIMIT 1",
            &[&street],
        )
        .unwrap();
    let id: uuid::Uuid = row.get(0);
    c.execute(
        "UPDATE linli.projects SET fields = fields || '{\"name\": \"服务器上改的名字\"}' WHERE uuid = $1",
        &[&id],
    )
    .unwrap();
    press_button(&mut harness, "同步");
    let status = wait_synced(&mut harness);
    assert!(status.contains("取回 1 条"), "{status}");
    assert_eq!(
        harness.state().session().unwrap().project(id).unwrap().name,
        "服务器上改的名字"
    );
    // A wrong password: a clear message, nothing changed here.
    harness.state_mut().district_window_mut().password = "不对".into();
    press_button(&mut harness, "同步");
    let status = wait_synced(&mut harness);
    assert!(status.contains("同步失败"), "{status}");
    assert!(status.contains(&address), "names the server: {status}");
    assert_eq!(
        harness.state().session().unwrap().project(id).unwrap().name,
        "服务器上改的名字"
    );
    harness.get_by_label("同步");
}
