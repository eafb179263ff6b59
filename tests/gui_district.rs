//! The district window (区街交换), headless: a street workspace merged back from the window,
//! its conflict shown with the three values side by side and resolved by a button, and a
//! street handed out through the save dialog.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{open_app, press_button, sample_workspace, steps};
use egui_kittest::kittest::Queryable;
use linli::Session;
use linli::session::ProjectEdit;

#[test]
fn a_street_is_merged_back_and_its_conflict_resolved_in_the_window() {
    let (dir, path) = sample_workspace();
    // A street handed out; the same project renamed differently on both sides.
    let street_file = dir.path().join("街道.gpkg");
    let street = Session::open_read_only(&path)
        .unwrap()
        .plan()
        .iter()
        .find_map(|f| f.street.clone())
        .unwrap();
    let project = {
        let mut d = Session::open(&path).unwrap();
        d.package_street(&street, &street_file).unwrap();
        let mut s = Session::open(&street_file).unwrap();
        let mut p = s.projects().values().next().unwrap().clone();
        let id = p.id;
        p.name = "街道起的名字".into();
        s.apply(ProjectEdit::Update(p)).unwrap();
        s.close().unwrap();
        let mut p = d.project(id).unwrap().clone();
        p.name = "区里起的名字".into();
        d.apply(ProjectEdit::Update(p)).unwrap();
        d.close().unwrap();
        id
    };
    let mut harness = open_app(&path);
    harness.get_by_label("区街交换").click();
    steps(&mut harness, 3);
    assert!(harness.state().district_window().open);
    harness.get_by_label("没有合并冲突");
    harness.state_mut().district_window_mut().answer = Some(street_file.clone());
    press_button(&mut harness, "合并街道工作空间…");
    steps(&mut harness, 3);
    let status = harness.state().status_text().unwrap_or_default();
    assert!(status.contains("1 个冲突"), "{status}");
    // The conflict, its three values side by side.
    harness.get_by_label("街道起的名字");
    harness.get_by_label("区里起的名字");
    harness.get_by_label("合并冲突（1）");
    press_button(&mut harness, "采用对方");
    steps(&mut harness, 2);
    let session = harness.state().session().unwrap();
    assert_eq!(session.project(project).unwrap().name, "街道起的名字");
    assert!(session.merge_conflicts().iter().all(|c| !c.is_open()));
    harness.get_by_label("合并冲突（0）");
    // A street handed out from the window.
    let out = dir.path().join("分发.gpkg");
    harness.state_mut().district_window_mut().answer = Some(out.clone());
    harness.state_mut().district_window_mut().street = street.clone();
    press_button(&mut harness, "分发…");
    steps(&mut harness, 3);
    assert!(out.exists(), "{:?}", harness.state().status_text());
    let handed = Session::open_read_only(&out).unwrap();
    assert!(!handed.plan().is_empty());
}
