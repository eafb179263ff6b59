//! The statistics window, a project's attachments and a meeting's pins and view bookmark on the
//! sample workspace, headless: the numbers shown are the core's for the table's filter, the
//! photo is listed with its thumbnail, and "回到会议视图" brings the map back to the meeting's
//! view with its pins drawn.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{open_app, sample_workspace};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;
use linli::session::report::{GroupBy, ProjectFilter};

fn steps(harness: &mut Harness<'static, LinliApp>, n: usize) {
    for _ in 0..n {
        harness.step();
    }
}

fn filter_table(harness: &mut Harness<'static, LinliApp>, text: &str) {
    let node = harness.get_by_role_and_label(Role::TextInput, "筛选");
    node.focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "筛选")
        .type_text(text);
    steps(harness, 2);
}

#[test]
fn the_statistics_window_shows_the_cores_numbers_for_the_whole_workspace_and_the_filter() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目统计").click();
    steps(&mut harness, 3);
    let session = harness.state().session().unwrap();
    let whole = session
        .analysis()
        .project_stats(&ProjectFilter::default(), GroupBy::Street);
    assert_eq!(
        harness.state().stats_window().shown(),
        Some(whole.as_slice())
    );
    // Each street is a row of the table (and a bar of the chart).
    for g in &whole {
        if !g.group.is_empty() {
            harness.get_by_label(&g.group);
        }
    }
    harness.get_by_label("导出 CSV…");
    // By stage, names as the planner reads them.
    harness.get_by_label("阶段").click();
    steps(&mut harness, 2);
    let by_stage = harness
        .state()
        .session()
        .unwrap()
        .analysis()
        .project_stats(&ProjectFilter::default(), GroupBy::Stage);
    assert_eq!(
        harness.state().stats_window().shown(),
        Some(by_stage.as_slice())
    );
    harness.get_by_label("实验期");
    // The projects table's filter: only what it keeps.
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("项目表当前筛选").click();
    steps(&mut harness, 2);
    let shown = harness.state().stats_window().shown().unwrap().to_vec();
    let projects: usize = shown.iter().map(|g| g.projects).sum();
    let all = harness.state().session().unwrap().projects().len();
    assert_eq!(projects, all, "an empty filter keeps every project");
    filter_table(&mut harness, "牡丹");
    steps(&mut harness, 2);
    let shown = harness.state().stats_window().shown().unwrap().to_vec();
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].projects, 1);
    assert_eq!(shown[0].group, "hearing");
    assert_eq!(shown[0].budget_wan, 38.0);
}

#[test]
fn a_projects_photo_is_listed_and_the_meeting_view_comes_back_with_its_pins() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("PD-2024-HM-01").click();
    steps(&mut harness, 3);
    harness.get_by_label_contains("改造前照片 · 牡丹七村口袋花园-改造前.png");
    harness.get_by_label("添加附件…");
    harness.get_by_label("另存为…");
    let session = harness.state().session().unwrap();
    let hearing = session
        .records()
        .meetings()
        .into_iter()
        .find(|m| m.view.is_some())
        .unwrap()
        .clone();
    let before = harness.state().view();
    harness.get_by_label("回到会议视图").scroll_to_me();
    steps(&mut harness, 2);
    harness.get_by_label("回到会议视图").click_accesskit();
    steps(&mut harness, 3);
    let view = harness.state().view();
    assert_ne!(view, before);
    let b = view.bookmark();
    let want = hearing.view.unwrap();
    assert!((b.lon - want.lon).abs() < 1e-9 && (b.lat - want.lat).abs() < 1e-9);
    assert!((b.zoom - want.zoom).abs() < 1e-6, "{b:?}");
    assert_eq!(
        harness.state().projects_window().pinned_meeting,
        Some(hearing.id)
    );
    // The pins are on screen, inside the map.
    let pin = hearing.notes.iter().find_map(|n| n.lon_lat).unwrap();
    let at = harness.state().screen_from_lon_lat(pin[0], pin[1]).unwrap();
    assert!(
        at.x > 0.0 && at.y > 0.0 && at.x < 1400.0 && at.y < 900.0,
        "{at:?}"
    );
}

#[test]
fn an_attachment_of_a_type_that_must_not_be_launched_is_not_and_the_window_says_so() {
    let (_dir, path) = sample_workspace();
    // Another program stored an executable under a photo's name.
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let n = conn
            .execute(
                "UPDATE linli_media SET file_name = '../../x.jpg.exe', data = x'4d5a90000300'
                 WHERE file_name = '牡丹七村口袋花园-改造前.png'",
                [],
            )
            .unwrap();
        assert_eq!(n, 1);
    }
    let opened_before = opened_folders();
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("PD-2024-HM-01").click();
    steps(&mut harness, 3);
    harness.get_by_label_contains("改造前照片 · ../../x.jpg.exe");
    let open = harness
        .get_all_by_role_and_label(Role::Button, "打开")
        .last()
        .unwrap();
    open.click_accesskit();
    steps(&mut harness, 2);
    harness.get_by_label_contains("邻里不会打开这种类型的附件");
    assert_eq!(
        opened_folders(),
        opened_before,
        "nothing was written to open"
    );
}

/// The folders Linli made in the temp folder to open attachments from.
fn opened_folders() -> Vec<std::path::PathBuf> {
    let mut out: Vec<_> = std::fs::read_dir(std::env::temp_dir())
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("linli-open-"))
        })
        .collect();
    out.sort();
    out
}
