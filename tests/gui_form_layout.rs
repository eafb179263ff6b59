//! The project form holds still: a field's problem appears and goes in a line kept for it, so
//! the fields below never move (a click aimed at 实际投入 lands there), and the problem shown
//! is that of the text as it is in the very frame it was typed, not one keystroke behind.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::sample_workspace;
use egui::accesskit::Role;
use egui::{Rect, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::Session;
use linli::gui::windows::project_form::{self, Draft};
use linli::i18n::Lang;
use linli::model::Project;

type State = (Session, Draft);

/// The form alone, over the sample workspace, on a new project's draft.
fn form() -> (tempfile::TempDir, Harness<'static, State>) {
    let (dir, path) = sample_workspace();
    let session = Session::open(&path).unwrap();
    let workflow = session.workflows().all().first().unwrap().clone();
    let project = Project {
        id: uuid::Uuid::new_v4(),
        code: "XM-2026-900".into(),
        name: "滨江口袋花园".into(),
        workflow: workflow.key.clone(),
        stage: workflow.stages.first().unwrap().key.clone(),
        ..Project::default()
    };
    let draft = Draft::of(&project, true);
    let mut harness = Harness::builder()
        .with_size(vec2(640.0, 1600.0))
        .with_context_setup(linli::gui::install_fonts)
        .build_ui_state(
            |ui, (session, draft): &mut State| {
                project_form::show(ui, Lang::Zh, session, draft);
            },
            (session, draft),
        );
    // The grid sizes its columns in its first frame.
    harness.step();
    harness.step();
    (dir, harness)
}

/// The text field labelled `label`.
fn field<'h>(harness: &'h Harness<'static, State>, label: &'h str) -> egui_kittest::Node<'h> {
    harness
        .query_by_role_and_label(Role::TextInput, label)
        .unwrap_or_else(|| harness.get_by_role_and_label(Role::MultilineTextInput, label))
}

/// Where the fields and buttons below 预算 and 批次年份 are.
fn below(harness: &Harness<'static, State>) -> Vec<(&'static str, Rect)> {
    let mut out: Vec<(&'static str, Rect)> = [
        "实际投入（万元）",
        "进度（%）",
        "居民意见",
        "建设内容",
        "预算（万元）",
    ]
    .into_iter()
    .map(|l| (l, field(harness, l).rect()))
    .collect();
    out.push(("添加资金来源", harness.get_by_label("添加资金来源").rect()));
    out
}

/// One key, one frame: what that frame shows is what the test reads.
fn key_in_one_frame(harness: &mut Harness<'static, State>, key: egui::Key) {
    harness.key_press(key);
    harness.step();
}

#[test]
fn a_fields_message_comes_and_goes_without_moving_the_fields_below_and_follows_the_text() {
    let (_dir, mut harness) = form();
    let still = below(&harness);
    assert!(harness.query_by_label_contains("不是数字").is_none());

    field(&harness, "预算（万元）").focus();
    harness.step();
    field(&harness, "预算（万元）").type_text("abc");
    // The very frame that took the keys shows the problem of "abc".
    harness.step();
    harness.get_by_label_contains("“abc” 不是数字");
    assert_eq!(below(&harness), still, "the message moved the form");

    field(&harness, "预算（万元）").type_text("d");
    harness.step();
    harness.get_by_label_contains("“abcd” 不是数字");
    assert!(
        harness.query_by_label_contains("“abc” ").is_none(),
        "the message is a keystroke behind"
    );

    for _ in 0..3 {
        key_in_one_frame(&mut harness, egui::Key::Backspace);
    }
    harness.get_by_label_contains("“a” 不是数字");
    key_in_one_frame(&mut harness, egui::Key::Backspace);
    // Empty again: the message is gone in this frame, and nothing below moved back up.
    assert!(harness.query_by_label_contains("不是数字").is_none());
    assert_eq!(
        below(&harness),
        still,
        "the form moved when the message went"
    );

    // 12 is a number: no message, the same rects; then a year out of range on another field.
    field(&harness, "预算（万元）").type_text("12");
    harness.step();
    assert!(harness.query_by_label_contains("不是数字").is_none());
    assert_eq!(
        harness
            .state()
            .1
            .to_project(harness.state().0.workflows())
            .0
            .budget_wan,
        Some(12.0)
    );
    field(&harness, "批次年份").focus();
    harness.step();
    field(&harness, "批次年份").type_text("19");
    harness.step();
    harness.get_by_label_contains("年份 19 不在");
    assert_eq!(below(&harness), still);
}

#[test]
fn a_funding_rows_problem_keeps_its_line_too() {
    let (_dir, mut harness) = form();
    harness.get_by_label("添加资金来源").click();
    harness.step();
    harness.step();
    // A new row came (the planner's own click moved what is below it): from here nothing
    // moves. An unnamed source is a problem from the start, in the row's kept line.
    let still = below(&harness);
    harness.get_by_label_contains("资金来源需要名称");
    let actual = field(&harness, "实际投入（万元）").rect();
    let add = harness.get_by_label("添加资金来源").rect();
    fn row<'h>(
        harness: &'h Harness<'static, State>,
        actual: Rect,
        add: Rect,
    ) -> Vec<egui_kittest::Node<'h>> {
        let mut row: Vec<_> = harness
            .query_all_by_role(Role::TextInput)
            .filter(|n| n.rect().min.y > actual.max.y && n.rect().max.y < add.min.y)
            .collect();
        row.sort_by(|a, b| a.rect().min.x.total_cmp(&b.rect().min.x));
        row
    }
    assert_eq!(
        row(&harness, actual, add).len(),
        2,
        "the source and amount fields"
    );
    row(&harness, actual, add)[0].focus();
    harness.step();
    row(&harness, actual, add)[0].type_text("区级财政");
    harness.step();
    assert!(
        harness
            .query_by_label_contains("资金来源需要名称")
            .is_none()
    );
    assert_eq!(
        below(&harness),
        still,
        "the form moved when the message went"
    );
    assert_eq!(
        harness
            .state()
            .1
            .to_project(harness.state().0.workflows())
            .0
            .funding[0]
            .source,
        "区级财政"
    );
}
