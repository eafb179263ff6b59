//! Residents' input in the window, headless: the meeting form's "记录意见" shows the strip,
//! tapping 投票 then a plan feature on the map places a vote that is in the meeting record
//! afterwards, and the meeting's per-item cap refuses the next vote with a visible message.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{click_at, open_app, press_button as press, sample_workspace, steps};
use egui::Pos2;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use geo::InteriorPoint;
use linli::Session;
use linli::analysis::mercator::{lon_lat_from_merc, merc_from_lon_lat};
use linli::gui::LinliApp;
use linli::model::input::{InputItem, InputKind, VoteRules};
use linli::render::projection::MapView;
use linli::session::MeetingEdit;
use uuid::Uuid;

const PROJECT: &str = "PD-2024-HM-01";

/// Gives the project's first meeting a cap of one vote per item; returns it and a point
/// inside one of the project's features, with that feature.
fn capped_meeting(path: &std::path::Path) -> (Uuid, Uuid, [f64; 2]) {
    let mut s = Session::open(path).unwrap();
    let project = s.projects().get(PROJECT).unwrap().id;
    let mut m = s.records().meetings_of(project)[0].clone();
    m.vote_rules = VoteRules {
        per_item_cap: Some(1),
        ..VoteRules::default()
    };
    let meeting = s.apply(MeetingEdit::Update(m)).unwrap();
    let f = s
        .plan()
        .iter()
        .find(|f| f.project.as_deref() == Some(PROJECT))
        .unwrap();
    let p = f.feature.geometry.interior_point().unwrap();
    (meeting, f.feature.id, [p.x(), p.y()])
}

/// Brings `lon_lat` to `spot` on screen, zoomed in (0.5 m a point).
fn bring_to(harness: &mut Harness<'static, LinliApp>, lon_lat: [f64; 2], spot: Pos2) {
    let rect = harness.state().map_memory().last_rect.unwrap();
    let m_per_point = 0.5;
    let p = merc_from_lon_lat(lon_lat[0], lon_lat[1]);
    let centre = [
        p[0] - f64::from(spot.x - rect.center().x) * m_per_point,
        p[1] + f64::from(spot.y - rect.center().y) * m_per_point,
    ];
    let (center_lon, center_lat) = lon_lat_from_merc(centre);
    harness.state_mut().set_view(MapView {
        center_lon,
        center_lat,
        m_per_point,
    });
    steps(harness, 3);
    let at = harness
        .state()
        .screen_from_lon_lat(lon_lat[0], lon_lat[1])
        .unwrap();
    assert!(
        at.distance(spot) < 1.0,
        "the feature is at {at:?}, not {spot:?}"
    );
}

#[test]
fn a_vote_tapped_on_the_map_is_in_the_meeting_record_and_the_cap_refuses_the_next() {
    let (_dir, path) = sample_workspace();
    let (meeting, feature, inside) = capped_meeting(&path);
    let mut harness = open_app(&path);
    harness.get_by_label("项目管理").click();
    steps(&mut harness, 3);
    harness.get_by_label(PROJECT).click();
    steps(&mut harness, 3);
    let edit = harness.get_all_by_label("编辑").next().unwrap();
    edit.scroll_to_me();
    steps(&mut harness, 2);
    harness
        .get_all_by_label("编辑")
        .next()
        .unwrap()
        .click_accesskit();
    steps(&mut harness, 3);
    press(&mut harness, "记录意见");
    assert_eq!(harness.state().input_strip().meeting, Some(meeting));
    // The first tap arms the vote; the map says what the next tap does.
    press(&mut harness, "投票");
    assert_eq!(harness.state().input_strip().armed(), Some(InputKind::Vote));
    harness.get_by_label_contains("点击地图上的要素或位置");
    let rect = harness.state().map_memory().last_rect.unwrap();
    let spot = Pos2::new(rect.max.x - 220.0, rect.min.y + 260.0);
    bring_to(&mut harness, inside, spot);
    click_at(&mut harness, spot);
    let session = harness.state().session().unwrap();
    let inputs = session.records().inputs_of(meeting);
    assert_eq!(inputs.len(), 1, "the tap made one input");
    assert_eq!(inputs[0].kind, InputKind::Vote);
    assert_eq!(
        inputs[0].feature,
        Some(feature),
        "on the feature under the tap"
    );
    assert_eq!(inputs[0].participant, Some(1));
    assert_eq!(
        session
            .records()
            .tally(meeting)
            .item(InputItem::Feature(feature))
            .votes,
        1
    );
    assert!(harness.state().input_strip().armed().is_none());
    assert!(harness.state().input_strip().message().is_none());
    // The meeting record lists it, with its tally; the strip shows the votes left.
    steps(&mut harness, 2);
    // The item's line and the total's.
    assert_eq!(
        harness.query_all_by_label_contains("1 票 · 支持 0").count(),
        2
    );
    harness.get_by_label_contains("1 号 剩余 2 票");
    // Participant 2 votes for the same feature: the cap of one refuses, visibly.
    press(&mut harness, "+");
    press(&mut harness, "投票");
    click_at(&mut harness, spot);
    let session = harness.state().session().unwrap();
    assert_eq!(session.records().inputs_of(meeting).len(), 1);
    let message = harness.state().input_strip().message().unwrap().to_string();
    assert!(message.contains("上限"), "{message}");
    harness.get_by_label_contains("已达到 1 票的上限");
    // A comment on the same feature is not limited by the votes; undo last takes it back.
    press(&mut harness, "担忧");
    click_at(&mut harness, spot);
    let session = harness.state().session().unwrap();
    assert_eq!(session.records().inputs_of(meeting).len(), 2);
    assert!(session.last_step_is_input());
    press(&mut harness, "撤销上一条");
    let session = harness.state().session().unwrap();
    assert_eq!(session.records().inputs_of(meeting).len(), 1);
    // No plan edit came from any of it.
    assert!(session.plan().iter().any(|f| f.feature.id == feature));
}
