//! The projects window on the sample workspace, headless: a new project filled in by label,
//! a field's problem shown beside it, saved as one undo step, advanced stage by stage until the
//! 一图三会 guidance appears, and the table filtered.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{open_app, sample_workspace};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;

/// The text field labelled `label` (the label itself is a node with the same name).
fn field<'h>(harness: &'h Harness<'static, LinliApp>, label: &'h str) -> egui_kittest::Node<'h> {
    harness
        .query_by_role_and_label(Role::TextInput, label)
        .unwrap_or_else(|| harness.get_by_role_and_label(Role::MultilineTextInput, label))
}

fn type_into(harness: &mut Harness<'static, LinliApp>, label: &str, text: &str) {
    field(harness, label).scroll_to_me();
    harness.step();
    field(harness, label).focus();
    harness.step();
    field(harness, label).type_text(text);
    harness.step();
    harness.step();
}

fn project_named<'a>(
    harness: &'a Harness<'static, LinliApp>,
    name: &str,
) -> Option<&'a linli::model::Project> {
    harness
        .state()
        .session()
        .unwrap()
        .projects()
        .values()
        .find(|p| p.name == name)
}

#[test]
fn fill_the_form_by_label_save_advance_and_see_the_guidance() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    harness.step();
    harness.step();
    harness.step();
    harness.get_by_label("新建项目").click();
    harness.step();
    harness.step();
    type_into(&mut harness, "项目名称", "滨江口袋花园");
    type_into(&mut harness, "预算（万元）", "abc");
    // The problem is shown beside the field, and saving waits for it to be fixed.
    harness.get_by_label_contains("“abc” 不是数字");
    harness.get_by_label("保存").click();
    harness.step();
    assert!(project_named(&harness, "滨江口袋花园").is_none());
    field(&harness, "预算（万元）").focus();
    harness.step();
    for _ in 0..3 {
        harness.key_press(egui::Key::Backspace);
        harness.step();
    }
    field(&harness, "预算（万元）").type_text("12.5");
    harness.step();
    harness.step();
    assert!(harness.query_by_label_contains("不是数字").is_none());
    assert!(
        !harness.state().session().unwrap().can_undo(),
        "a fresh workspace has nothing to undo"
    );
    harness.get_by_label("保存").click();
    harness.step();
    harness.step();
    let p = project_named(&harness, "滨江口袋花园")
        .unwrap_or_else(|| {
            panic!(
                "not saved: {:?} {:?}",
                harness.state().status(),
                harness.state().projects_window().draft()
            )
        })
        .clone();
    assert_eq!(p.budget_wan, Some(12.5));
    assert_eq!(p.stage, "demand");
    // The record says who made it and where (no planner's name is set: unnamed).
    harness.get_by_label_contains("创建：（未署名） · sample · ");
    harness.get_by_label_contains("最后修改：（未署名） · sample · ");
    // Saving was one undo step: one undo removes the whole project and leaves nothing to
    // undo, one redo brings it back as it was.
    harness.get_by_label("撤销").click();
    harness.step();
    harness.step();
    assert!(project_named(&harness, "滨江口袋花园").is_none());
    assert!(!harness.state().session().unwrap().can_undo());
    harness.get_by_label("重做").click();
    harness.step();
    harness.step();
    assert_eq!(project_named(&harness, "滨江口袋花园"), Some(&p));
    assert!(!harness.state().session().unwrap().can_redo());

    // 需求征集 → 选址 → 立项 → 方案设计: no 事前听证会 is recorded, so the guidance says so.
    for _ in 0..3 {
        harness.get_by_label("进入下一阶段").click();
        harness.step();
        harness.step();
    }
    let p = project_named(&harness, "滨江口袋花园").unwrap();
    assert_eq!(p.stage, "design");
    assert_eq!(p.history.len(), 4, "created, then three stages");
    assert!(
        p.dates_of("design")
            .and_then(|d| d.actual.as_ref())
            .is_some()
    );
    harness.get_by_label_contains("尚未记录事前听证会");

    // Record the 事前听证会: the guidance goes, the meeting is listed, one undo step.
    harness.get_by_label("记录会议").click();
    harness.step();
    harness.step();
    type_into(&mut harness, "地点", "牡丹居委会活动室");
    type_into(&mut harness, "出席人数", "42");
    type_into(&mut harness, "决议", "保留老树");
    // The window scrolls: bring the button into view as a planner would.
    harness.get_by_label("保存会议").scroll_to_me();
    harness.step();
    harness.step();
    harness.get_by_label("保存会议").click_accesskit();
    harness.step();
    harness.step();
    let session = harness.state().session().unwrap();
    let id = project_named(&harness, "滨江口袋花园").unwrap().id;
    let meetings = session.records().meetings_of(id);
    assert_eq!(
        meetings.len(),
        1,
        "status {:?}; save enabled: {:?}",
        harness.state().status(),
        (
            harness
                .query_by_label_contains("不是")
                .map(|n| format!("{n:?}").chars().take(300).collect::<String>()),
            harness.query_by_label_contains("需要").is_some()
        )
    );
    assert_eq!(
        meetings[0].kind,
        linli::model::project::MeetingKind::Hearing
    );
    assert_eq!(meetings[0].attendance, Some(42));
    assert_eq!(meetings[0].place, "牡丹居委会活动室");
    assert!(
        harness
            .query_by_label_contains("尚未记录事前听证会")
            .is_none()
    );
    harness.get_by_label_contains("事前听证会 牡丹居委会活动室");

    // The table filters on names, codes and scope.
    type_into(&mut harness, "筛选", "牡丹");
    harness.get_by_label("PD-2024-HM-01");
    assert!(harness.query_by_label("PD-2019-LJZ-02").is_none());
}
