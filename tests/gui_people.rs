//! The project table's pickers, the people table, a person's page and the annual task list on
//! the sample workspace, headless.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{double_click, open_app, sample_workspace, steps};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;

/// Chooses `option` in the combo box labelled `label`.
fn pick(harness: &mut Harness<'static, LinliApp>, label: &str, option: &str) {
    harness.get_by_role_and_label(Role::ComboBox, label).click();
    steps(harness, 2);
    harness.get_by_role_and_label(Role::Button, option).click();
    steps(harness, 3);
}

#[test]
fn the_project_table_filters_by_a_picker() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("PD-2022-TQ-01");
    pick(&mut harness, "人员", "孙立群");
    assert_eq!(
        harness.state().projects_window().pickers.person.as_deref(),
        Some("孙立群")
    );
    harness.get_by_label("PD-2022-TQ-01");
    harness.get_by_label("PD-2024-HM-01");
    assert!(harness.query_by_label("PD-2024-LJZ-01").is_none());
    pick(&mut harness, "年份", "2024");
    harness.get_by_label("PD-2024-HM-01");
    assert!(harness.query_by_label("PD-2022-TQ-01").is_none());
}

#[test]
fn a_persons_page_lists_their_projects_and_the_annual_list_marks_the_overdue() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("人员·会议·任务").click();
    steps(&mut harness, 3);
    // Someone joins the roster through the roster form: one undoable step.
    harness.get_by_label("添加人员").click();
    steps(&mut harness, 3);
    let name = harness.get_by_role_and_label(Role::TextInput, "姓名");
    name.scroll_to_me();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "姓名")
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "姓名")
        .type_text("新规划师");
    steps(&mut harness, 2);
    harness.get_by_label("保存").click_accesskit();
    steps(&mut harness, 3);
    let session = harness.state().session().unwrap();
    let added = session.records().person_named("新规划师").expect("added");
    assert_eq!(added.role, linli::model::people::PersonRole::Planner);
    assert!(session.can_undo());
    // The people table, searched.
    harness.get_by_label("林晓雯");
    let search = harness.get_by_role_and_label(Role::TextInput, "搜索");
    search.focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "搜索")
        .type_text("周");
    steps(&mut harness, 2);
    assert!(harness.query_by_label("林晓雯").is_none());
    double_click(&mut harness, "周启明");
    let session = harness.state().session().unwrap();
    let zhou = session.records().person_named("周启明").unwrap().id;
    assert_eq!(harness.state().records_window().person, Some(zhou));
    harness.get_by_label_contains("崂山乳山片区缤纷社区更新（导师）");
    harness.get_by_label_contains("潍坊新村林荫街道与街角空间");
    harness.get_by_label_contains("联席会议");

    // The annual list of 2024: 塘桥's report, still to do after 31 July, is marked.
    harness.get_by_label("返回列表").click();
    steps(&mut harness, 2);
    harness.get_by_label("年度任务清单").click();
    steps(&mut harness, 3);
    pick(&mut harness, "年份", "2024");
    harness.get_by_label("2024 年度任务清单");
    harness.get_by_label_contains("报送塘桥街道 2024 年度任务清单");
    let marks = harness.query_all_by_label("【逾期】").count();
    let today = linli::model::people::today_local();
    let session = harness.state().session().unwrap();
    let expected: usize = session
        .records()
        .annual_list(2024, &today)
        .iter()
        .map(|s| s.tasks.iter().filter(|(_, o)| *o).count())
        .sum();
    assert!(expected > 0);
    assert_eq!(marks, expected);
}
