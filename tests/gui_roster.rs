//! The roster's forms on the sample workspace, headless: a meeting's attendee picked from the
//! roster by typing and a new name typed in (it joins the roster in the same undo step); a
//! person renamed in their form, the new name following into their meetings; a taken or empty
//! name said beside the field; an organisation added, then deleted after the question that
//! says how many records name it.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{double_click, open_app, sample_workspace, steps};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;
use linli::model::people::{OrgKind, PersonRole};
use linli::model::project::list_items;

/// Types `text` into the text box labelled `label`, brought into view first.
fn type_into(harness: &mut Harness<'static, LinliApp>, label: &str, text: &str) {
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .scroll_to_me();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    steps(harness, 2);
}

/// Clicks the button reading exactly `label` (brought into view first).
fn click(harness: &mut Harness<'static, LinliApp>, label: &str) {
    harness.get_by_label(label).scroll_to_me();
    harness.step();
    harness.get_by_label(label).click_accesskit();
    steps(harness, 3);
}

fn open_records(harness: &mut Harness<'static, LinliApp>) {
    harness.get_by_label("人员·会议·任务").click();
    steps(harness, 3);
}

#[test]
fn a_meeting_attendee_is_picked_from_the_roster_by_typing_and_a_new_name_joins_it() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label("PD-2022-TQ-01").click();
    steps(&mut harness, 3);
    let project = harness.state().projects_window().selected.unwrap();
    let before = harness
        .state()
        .session()
        .unwrap()
        .records()
        .meetings_of(project)
        .len();
    click(&mut harness, "记录会议");
    // Typing filters the roster: only the names containing what was typed are offered.
    type_into(&mut harness, "出席人员", "晓");
    harness.get_by_label("林晓雯（特聘社区规划师）");
    assert!(harness.query_by_label_contains("周启明（").is_none());
    click(&mut harness, "林晓雯（特聘社区规划师）");
    harness.get_by_label("林晓雯 ×");
    // A name not on the roster is typed and taken with Enter.
    type_into(&mut harness, "出席人员", "楼组长老陈");
    harness.get_by_label("新增 “楼组长老陈”");
    harness.key_press(egui::Key::Enter);
    steps(&mut harness, 3);
    harness.get_by_label("楼组长老陈 ×");
    // The chair holds one name: picking another replaces it.
    type_into(&mut harness, "主持人", "周启");
    click(&mut harness, "周启明（导师）");
    harness.get_by_label("周启明 ×");
    click(&mut harness, "保存会议");

    let session = harness.state().session().unwrap();
    let meetings = session.records().meetings_of(project);
    assert_eq!(meetings.len(), before + 1, "{:?}", harness.state().status());
    let m = meetings
        .iter()
        .find(|m| list_items(&m.attendees).contains(&"楼组长老陈"))
        .expect("the new meeting");
    assert_eq!(list_items(&m.attendees), ["林晓雯", "楼组长老陈"]);
    assert_eq!(m.chair, "周启明");
    let newcomer = session
        .records()
        .person_named("楼组长老陈")
        .expect("joined the roster");
    assert_eq!(newcomer.role, PersonRole::Other);

    // One undo step takes back the meeting and the newcomer together.
    click(&mut harness, "撤销");
    let session = harness.state().session().unwrap();
    assert_eq!(session.records().meetings_of(project).len(), before);
    assert!(session.records().person_named("楼组长老陈").is_none());
}

#[test]
fn a_persons_new_name_follows_into_their_meetings_and_a_delete_says_how_many_records_name_them() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_records(&mut harness);
    type_into(&mut harness, "搜索", "何静");
    double_click(&mut harness, "何静");
    let session = harness.state().session().unwrap();
    let id = session.records().person_named("何静").unwrap().id;
    let attended = session
        .records()
        .meetings()
        .iter()
        .filter(|m| list_items(&m.attendees).contains(&"何静"))
        .count();
    assert!(attended >= 2, "the sample has 何静 at two meetings");
    assert_eq!(harness.state().records_window().person, Some(id));
    click(&mut harness, "编辑");
    harness.get_by_label("人员信息");
    let name = harness.get_by_role_and_label(Role::TextInput, "姓名");
    name.focus();
    harness.step();
    for _ in 0..2 {
        harness.key_press(egui::Key::Backspace);
        harness.step();
    }
    harness
        .get_by_role_and_label(Role::TextInput, "姓名")
        .type_text("何静怡");
    steps(&mut harness, 2);
    click(&mut harness, "保存");

    let session = harness.state().session().unwrap();
    assert_eq!(session.records().person(id).unwrap().name, "何静怡");
    let named = |name: &str| {
        session
            .records()
            .meetings()
            .iter()
            .filter(|m| list_items(&m.attendees).contains(&name))
            .count()
    };
    assert_eq!(named("何静怡"), attended);
    assert_eq!(named("何静"), 0);

    // Back on the page (renamed), a delete asks first, saying how many records name them.
    harness.get_by_label_contains("何静怡 ·");
    click(&mut harness, "删除");
    let mentions = harness
        .state()
        .session()
        .unwrap()
        .records()
        .records_naming("何静怡", false);
    assert!(mentions >= attended);
    harness.get_by_label_contains(&format!("有 {mentions} 条记录提到这个名字"));
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .records()
            .person(id)
            .is_some()
    );
    click(&mut harness, "确认删除");
    let session = harness.state().session().unwrap();
    assert!(session.records().person(id).is_none());
    assert_eq!(session.records().records_naming("何静怡", false), 0);
}

#[test]
fn a_taken_or_empty_name_is_said_beside_the_field() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_records(&mut harness);
    click(&mut harness, "添加人员");
    // Empty at first: the message sits between the name and the role.
    let empty = harness.get_by_label_contains("需要名称").rect();
    let name = harness
        .get_by_role_and_label(Role::TextInput, "姓名")
        .rect();
    let role = harness.get_by_role_and_label(Role::ComboBox, "身份").rect();
    assert!(name.bottom() <= empty.top() + 1.0 && empty.bottom() <= role.top() + 1.0);
    type_into(&mut harness, "姓名", "林晓雯");
    harness.get_by_label_contains("名册中已有名为 “林晓雯” 的");
    let people = harness.state().session().unwrap().records().people().len();
    click(&mut harness, "保存");
    assert_eq!(
        harness.state().session().unwrap().records().people().len(),
        people
    );
    assert!(
        harness.state().records_window().form.is_some(),
        "still open"
    );
    harness
        .get_by_role_and_label(Role::TextInput, "姓名")
        .focus();
    harness.step();
    harness.key_press(egui::Key::End);
    harness.key_press(egui::Key::Backspace);
    harness.step();
    harness
        .get_by_role_and_label(Role::TextInput, "姓名")
        .type_text("二");
    steps(&mut harness, 2);
    assert!(harness.query_by_label_contains("名册中已有").is_none());
    click(&mut harness, "保存");
    let session = harness.state().session().unwrap();
    assert_eq!(session.records().people().len(), people + 1);
    assert!(session.records().person_named("林晓二").is_some());
}

#[test]
fn an_organisation_is_added_then_deleted_after_the_question() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_records(&mut harness);
    click(&mut harness, "单位");
    click(&mut harness, "添加单位");
    type_into(&mut harness, "单位名称", "浦东新区民政局");
    harness
        .get_by_role_and_label(Role::ComboBox, "类型")
        .click();
    steps(&mut harness, 2);
    harness
        .get_by_role_and_label(Role::Button, "委办局/部门")
        .click();
    steps(&mut harness, 3);
    let notes = harness.get_by_role_and_label(Role::MultilineTextInput, "备注");
    notes.focus();
    harness.step();
    harness
        .get_by_role_and_label(Role::MultilineTextInput, "备注")
        .type_text("养老设施");
    steps(&mut harness, 2);
    click(&mut harness, "保存");
    let session = harness.state().session().unwrap();
    let org = session
        .records()
        .organisation_named("浦东新区民政局")
        .expect("added");
    assert_eq!(org.kind, OrgKind::Department);
    assert_eq!(org.notes, "养老设施");
    let id = org.id;
    assert!(session.can_undo());

    // Listed in the table; a double-click opens its form, whose delete asks first.
    double_click(&mut harness, "浦东新区民政局");
    harness.get_by_label("单位信息");
    click(&mut harness, "删除");
    harness.get_by_label_contains("没有记录提到这个名字");
    click(&mut harness, "确认删除");
    let session = harness.state().session().unwrap();
    assert!(session.records().organisation(id).is_none());
    assert!(harness.query_by_label("浦东新区民政局").is_none());
}
