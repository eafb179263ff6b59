//! Sharing through the window, headless: a workspace file that cannot be written opens
//! read-only with a banner and refuses edits clearly (never "damaged"), and an export asks
//! before replacing a file and never writes over the workspace (issue 19, points 1 and 7).
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use common::gui::{open_app, sample_workspace};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;
use linli::gui::save::AnswerWith;

fn steps(harness: &mut Harness<'static, LinliApp>, n: usize) {
    for _ in 0..n {
        harness.step();
    }
}

#[test]
fn a_file_that_cannot_be_written_opens_read_only_with_a_banner_and_refuses_an_edit() {
    let (_dir, path) = sample_workspace();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let mut harness = open_app(&path);
    assert!(harness.state().session().unwrap().is_not_writable());
    harness.get_by_label_contains("只读：此文件无法写入，修改不会保存");

    // A new project, filled in and saved: refused, saying why.
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("新建项目").click();
    steps(&mut harness, 2);
    let name = harness.get_by_role_and_label(Role::TextInput, "项目名称");
    name.focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "项目名称")
        .type_text("只读中的新项目");
    steps(&mut harness, 2);
    harness.get_by_label("保存").click();
    steps(&mut harness, 3);
    let session = harness.state().session().unwrap();
    assert!(
        !session
            .projects()
            .values()
            .any(|p| p.name == "只读中的新项目")
    );
    let said = harness
        .query_all_by_label_contains("已以只读方式打开；修改未保存")
        .count()
        + usize::from(
            harness
                .state()
                .status()
                .is_some_and(|s| s.contains("已以只读方式打开")),
        );
    assert!(
        said > 0,
        "the refusal is shown: {:?}",
        harness.state().status()
    );
    assert!(harness.query_by_label_contains("损坏").is_none());
    drop(harness);
    assert!(std::fs::read(&path).unwrap() == bytes);
}

/// Opens the statistics window and clicks its export, the dialog answering `answer`.
fn export_stats_to(harness: &mut Harness<'static, LinliApp>, answer: &Path) {
    harness
        .state_mut()
        .set_save_dialog(Arc::new(AnswerWith(answer.to_path_buf())));
    harness.get_by_label("导出 CSV…").click();
    // The click, the dialog's answer, then the question's first (sizing) and shown frames.
    steps(harness, 5);
}

#[test]
fn an_export_asks_before_replacing_a_file_and_never_writes_over_the_workspace() {
    let (dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目统计").click();
    steps(&mut harness, 3);

    // A new file is written at once, whole.
    let fresh = dir.path().join("统计.csv");
    export_stats_to(&mut harness, &fresh);
    assert!(harness.query_by_label("替换文件？").is_none());
    let written = std::fs::read(&fresh).unwrap();
    assert!(written.starts_with(b"\xEF\xBB\xBFgroup,group_zh,projects"));

    // An existing file: asked first; "cancel" keeps it, "replace" replaces it.
    let existing = dir.path().join("旧.csv");
    std::fs::write(&existing, "old").unwrap();
    export_stats_to(&mut harness, &existing);
    harness.get_by_label("替换文件？");
    harness.get_by_label_contains("已存在。替换它吗？");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "old");
    harness.get_by_label("取消").click();
    steps(&mut harness, 2);
    assert!(harness.query_by_label("替换文件？").is_none());
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "old");
    export_stats_to(&mut harness, &existing);
    harness.get_by_label("替换").click();
    steps(&mut harness, 2);
    assert!(std::fs::read(&existing).unwrap() == written);

    // The workspace itself (here through another spelling) is refused without a question.
    let bytes = std::fs::read(&path).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    let spelled = dir.path().join("sub/..").join(path.file_name().unwrap());
    export_stats_to(&mut harness, &spelled);
    assert!(harness.query_by_label("替换文件？").is_none());
    harness.get_by_label_contains("是当前打开的工作空间本身");
    assert!(std::fs::read(&path).unwrap() == bytes);
}

#[test]
fn saving_an_attachment_asks_before_replacing_a_file() {
    let (dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("PD-2024-HM-01").click();
    steps(&mut harness, 3);
    // The planner saves the photo over a file that is already there: asked first.
    let existing = dir.path().join("照片.png");
    std::fs::write(&existing, "old").unwrap();
    harness
        .state_mut()
        .set_save_dialog(Arc::new(AnswerWith(existing.clone())));
    harness.get_by_label("另存为…").scroll_to_me();
    steps(&mut harness, 2);
    harness.get_by_label("另存为…").click_accesskit();
    steps(&mut harness, 5);
    harness.get_by_label("替换文件？");
    assert_eq!(std::fs::read_to_string(&existing).unwrap(), "old");
    harness.get_by_label("替换").click();
    steps(&mut harness, 2);
    assert!(harness.query_by_label("替换文件？").is_none());
    let saved = std::fs::read(&existing).unwrap();
    assert!(
        saved.starts_with(b"\x89PNG"),
        "the photo's bytes were written"
    );
    // And never over the workspace, whatever the dialog answers.
    let bytes = std::fs::read(&path).unwrap();
    harness
        .state_mut()
        .set_save_dialog(Arc::new(AnswerWith(path.clone())));
    harness.get_by_label("另存为…").click_accesskit();
    steps(&mut harness, 5);
    assert!(harness.query_by_label("替换文件？").is_none());
    harness.get_by_label_contains("是当前打开的工作空间本身");
    assert!(std::fs::read(&path).unwrap() == bytes);
}
