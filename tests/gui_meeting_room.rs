//! The meeting room in presentation mode, headless: a vote tapped on the projected map is in
//! the meeting record afterwards, the participant's vote count and the per-item cap refuse the
//! next votes visibly, and the meeting's project's design alternatives shown side by side take
//! residents' votes — with no plan edit from any of it.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{
    click_at, open_app, open_project, press_button as press, sample_workspace, steps,
};
use egui::{Key, Pos2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::InteriorPoint;
use linli::Session;
use linli::gui::LinliApp;
use linli::model::alternative::Alternative;
use linli::model::input::{InputKind, VoteRules};
use linli::model::meeting::Slide;
use linli::render::projection::MapView;
use linli::session::{Command, Edit, MeetingEdit, NewFeature, RecordEdit};
use uuid::Uuid;

const PROJECT: &str = "PD-2024-HM-01";

/// The project's first meeting gets one slide centred on `at` and these voting rules;
/// returns the meeting.
fn meeting_with_slide(s: &mut Session, at: [f64; 2], rules: VoteRules) -> Uuid {
    let project = s.projects().get(PROJECT).unwrap().id;
    let mut m = s.records().meetings_of(project)[0].clone();
    m.vote_rules = rules;
    m.slides = vec![Slide {
        title: "口袋花园".into(),
        view: MapView {
            center_lon: at[0],
            center_lat: at[1],
            m_per_point: 0.4,
        }
        .bookmark(),
        layers: Vec::new(),
        highlight: vec![project],
        alternatives: Vec::new(),
    }];
    s.apply(MeetingEdit::Update(m)).unwrap()
}

/// Opens the project in the projects window and presses its meeting's 放映 (the meeting
/// list's button of a meeting with slides).
fn present_first_meeting(harness: &mut Harness<'static, LinliApp>, meeting: Uuid) {
    open_project(harness, PROJECT);
    harness
        .get_all_by_label("放映")
        .next()
        .unwrap()
        .scroll_to_me();
    steps(harness, 2);
    harness
        .get_all_by_label("放映")
        .next()
        .unwrap()
        .click_accesskit();
    steps(harness, 3);
    let mode = harness.state().presenting().expect("放映 presents");
    assert_eq!(mode.meeting(), Some(meeting));
    steps(harness, 2);
}

/// The plan as it is, to compare before and after.
fn plan(harness: &Harness<'static, LinliApp>) -> String {
    format!("{:?}", harness.state().session().unwrap().plan())
}

/// How many residents' inputs the meeting has.
fn count_inputs(harness: &Harness<'static, LinliApp>, meeting: Uuid) -> usize {
    let s = harness.state().session().unwrap();
    s.records().inputs_of(meeting).len()
}

/// Where the presented map's camera centre is on screen: the middle of the map, which ends
/// above the input strip.
fn map_centre(harness: &Harness<'static, LinliApp>) -> Pos2 {
    let view = harness.state().presenting().unwrap().view();
    let size = harness.ctx.content_rect().size();
    let map = egui::Rect::from_min_max(
        Pos2::ZERO,
        egui::pos2(size.x, size.y - linli::gui::present::STRIP_HEIGHT),
    );
    let t = view.transform(map);
    let p = linli::analysis::mercator::merc_from_lon_lat(view.center_lon, view.center_lat);
    let at: Pos2 = t.screen_from_merc(p).into();
    assert!(at.distance(map.center()) < 1.0);
    at
}

#[test]
fn a_vote_placed_in_presentation_mode_is_in_the_meeting_record_and_the_rules_hold() {
    let (_dir, path) = sample_workspace();
    let (meeting, feature) = {
        let mut s = Session::open(&path).unwrap();
        let f = s
            .plan()
            .iter()
            .find(|f| f.project.as_deref() == Some(PROJECT))
            .unwrap()
            .clone();
        let p = f.feature.geometry.interior_point().unwrap();
        let rules = VoteRules {
            votes_per_participant: 1,
            per_item_cap: Some(1),
            ..VoteRules::default()
        };
        let m = meeting_with_slide(&mut s, [p.x(), p.y()], rules);
        s.close().unwrap();
        (m, f.feature.id)
    };
    let mut harness = open_app(&path);
    present_first_meeting(&mut harness, meeting);
    let before = plan(&harness);
    // Two taps: 投票 arms a vote, the tap on the garden makes it.
    press(&mut harness, "投票");
    let centre = map_centre(&harness);
    click_at(&mut harness, centre);
    let s = harness.state().session().unwrap();
    let inputs = s.records().inputs_of(meeting);
    assert_eq!(inputs.len(), 1, "the tap in the mode made one input");
    assert_eq!(inputs[0].kind, InputKind::Vote);
    assert_eq!(inputs[0].feature, Some(feature), "on the garden tapped");
    assert_eq!(inputs[0].participant, Some(1));
    harness.get_by_label_contains("1 号 剩余 0 票");
    // Participant 1 has no vote left: the next one, elsewhere, is refused in the strip.
    press(&mut harness, "投票");
    click_at(&mut harness, centre + egui::vec2(-300.0, 120.0));
    assert_eq!(count_inputs(&harness, meeting), 1);
    harness.get_by_label_contains("1 号参与者");
    // Participant 2 on the same garden: the cap of one refuses.
    press(&mut harness, "+");
    press(&mut harness, "投票");
    click_at(&mut harness, centre);
    assert_eq!(count_inputs(&harness, meeting), 1);
    harness.get_by_label_contains("已达到 1 票的上限");
    // A concern from participant 2 is not limited by the votes; 撤销上一条 takes it back.
    press(&mut harness, "担忧");
    click_at(&mut harness, centre);
    assert_eq!(count_inputs(&harness, meeting), 2);
    press(&mut harness, "撤销上一条");
    assert_eq!(count_inputs(&harness, meeting), 1);
    assert_eq!(
        plan(&harness),
        before,
        "no plan edit came from the meeting room"
    );
    // After the meeting the record lists the vote, with its tally.
    harness.key_press(Key::Escape);
    steps(&mut harness, 3);
    assert!(harness.state().presenting().is_none());
    harness
        .get_all_by_label("编辑")
        .next()
        .unwrap()
        .scroll_to_me();
    steps(&mut harness, 2);
    harness
        .get_all_by_label("编辑")
        .next()
        .unwrap()
        .click_accesskit();
    steps(&mut harness, 3);
    assert!(
        harness.query_all_by_label_contains("1 票 · 支持 0").count() >= 1,
        "the meeting record lists the vote"
    );
}

/// Two candidate alternatives of the project, each with a garden of its own, near `at`.
fn two_alternatives(s: &mut Session, at: [f64; 2]) -> (Uuid, Uuid) {
    let p = s.projects().get(PROJECT).unwrap().id;
    let a = Alternative {
        team: "甲设计事务所".into(),
        cost_wan: Some(80.0),
        ..Alternative::new(p, "方案 A")
    };
    let b = Alternative {
        team: "乙设计工作室".into(),
        cost_wan: Some(120.5),
        ..Alternative::new(p, "方案 B")
    };
    let (a_id, b_id) = (a.id, b.id);
    s.apply(RecordEdit::Add(a)).unwrap();
    s.apply(RecordEdit::Add(b)).unwrap();
    for (alt, dx) in [(a_id, 0.0003), (b_id, -0.0006)] {
        let id = Uuid::new_v4();
        let (x, y, side) = (at[0] + dx, at[1], 0.0002);
        let ring = vec![
            (x, y),
            (x + side, y),
            (x + side, y + side),
            (x, y + side),
            (x, y),
        ];
        s.apply(Command::Batch(vec![
            Command::Plan(Edit::Add(NewFeature {
                id,
                element: "pocket_garden".into(),
                geometry: geo::Geometry::Polygon(geo::Polygon::new(ring.into(), vec![])),
                name: "方案花园".into(),
                properties: Default::default(),
                project: Some(PROJECT.into()),
            })),
            Command::Plan(Edit::SetAlternative {
                id,
                alternative: Some(alt),
            }),
        ]))
        .unwrap();
    }
    (a_id, b_id)
}

#[test]
fn residents_vote_between_two_alternatives_side_by_side_in_presentation_mode() {
    let (_dir, path) = sample_workspace();
    let (meeting, a, b) = {
        let mut s = Session::open(&path).unwrap();
        let f = s
            .plan()
            .iter()
            .find(|f| f.project.as_deref() == Some(PROJECT))
            .unwrap()
            .clone();
        let p = f.feature.geometry.interior_point().unwrap();
        let (a, b) = two_alternatives(&mut s, [p.x(), p.y()]);
        let m = meeting_with_slide(&mut s, [p.x(), p.y()], VoteRules::default());
        s.close().unwrap();
        (m, a, b)
    };
    let mut harness = open_app(&path);
    present_first_meeting(&mut harness, meeting);
    let before = plan(&harness);
    press(&mut harness, "方案比较");
    // Both alternatives, their figures and a vote button each; no way to choose one here.
    assert!(harness.query_all_by_label("方案 A").count() >= 1);
    assert!(harness.query_all_by_label("方案 B").count() >= 1);
    harness.get_by_label_contains("甲设计事务所");
    assert_eq!(harness.query_all_by_label("投票给此方案").count(), 2);
    assert!(harness.query_by_label("采用此方案").is_none());
    let shown = harness.state().presenting().unwrap();
    assert!(shown.body == linli::gui::present::PresentBody::Compare);
    harness
        .get_all_by_label("投票给此方案")
        .nth(1)
        .unwrap()
        .click_accesskit();
    steps(&mut harness, 3);
    let s = harness.state().session().unwrap();
    let inputs = s.records().inputs_of(meeting);
    assert_eq!(inputs.len(), 1);
    assert_eq!(inputs[0].kind, InputKind::Vote);
    assert!(
        inputs[0].alternative == Some(b) || inputs[0].alternative == Some(a),
        "a vote for an alternative shown"
    );
    assert_eq!(plan(&harness), before, "voting chose nothing");
    press(&mut harness, "返回地图");
    assert!(harness.state().presenting().unwrap().body == linli::gui::present::PresentBody::Map);
}
