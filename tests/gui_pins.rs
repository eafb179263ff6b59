//! Meetings' pins in the window, headless: a click on the map places a note's pin where it
//! was clicked, a drag moves a recorded meeting's pin as one undo step, the sample hearing's
//! four pins keep their labels apart at district scale, and what the pin rows show is in the
//! bundled fonts.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{click_at, drag, open_app, open_project, press, sample_workspace, steps};
use egui::{FontId, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use linli::gui::LinliApp;
use linli::i18n::Lang;
use linli::render::primitive::{Primitive, TextRun};
use linli::render::screen::ScreenRect;

/// Opens the projects window on the sample's 牡丹 garden project (its hearing has pins).
fn open_garden_project(harness: &mut Harness<'static, LinliApp>) {
    open_project(harness, "PD-2024-HM-01");
}

/// A place on the map well clear of the floating windows and panels.
fn open_map_spot(harness: &Harness<'static, LinliApp>) -> Pos2 {
    let rect = harness.state().map_memory().last_rect.unwrap();
    Pos2::new(rect.max.x - 160.0, rect.max.y - 180.0)
}

/// The screen distance between a stored lon/lat and a screen position, in points.
fn off_by_px(harness: &Harness<'static, LinliApp>, lon_lat: [f64; 2], pos: Pos2) -> f32 {
    harness
        .state()
        .screen_from_lon_lat(lon_lat[0], lon_lat[1])
        .unwrap()
        .distance(pos)
}

#[test]
fn a_click_places_a_pin_where_it_lands_a_drag_moves_it_and_undo_puts_it_back() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_garden_project(&mut harness);
    press(&mut harness, "记录会议");
    press(&mut harness, "添加意见");
    // The new comment is note 1 of the new meeting: the map waits for its place.
    press(&mut harness, "在地图上点选");
    assert_eq!(harness.state().projects_window().placing_pin(), Some(1));
    harness.get_by_label("请点击地图…");
    let spot = open_map_spot(&harness);
    click_at(&mut harness, spot);
    assert_eq!(harness.state().projects_window().placing_pin(), None);
    let draft = harness.state().projects_window().meeting_draft().unwrap();
    let placed = draft.notes[0].lon_lat.expect("the click placed the pin");
    assert!(
        off_by_px(&harness, placed, spot) < 1.0,
        "the pin is {} points from the click",
        off_by_px(&harness, placed, spot)
    );
    // The click placed the pin only: nothing was selected, no undo step was made.
    assert_eq!(harness.state().selection(), None);
    assert!(!harness.state().session().unwrap().can_undo());

    press(&mut harness, "保存会议");
    let session = harness.state().session().unwrap();
    let meeting = session
        .records()
        .meetings()
        .into_iter()
        .find(|m| m.notes.len() == 1 && m.notes[0].lon_lat == Some(placed))
        .expect("the meeting is recorded with its pin")
        .clone();
    // Recorded, its pin stays on the map, where the scene put it.
    assert_eq!(
        harness.state().projects_window().pinned_meeting,
        Some(meeting.id)
    );
    steps(&mut harness, 2);
    let disc: Pos2 = harness
        .state()
        .map_memory()
        .scene
        .pin_places()
        .iter()
        .find(|p| {
            let pin = &harness.state().map_memory().scene.pins()[p.index];
            pin.meeting == meeting.id
        })
        .expect("the recorded pin is drawn")
        .disc
        .into();
    assert!(disc.distance(spot) < 1.0, "{disc:?} {spot:?}");

    // Dragged 80 points left and 50 up: the pin follows, as one recorded step.
    let to = spot + vec2(-80.0, -50.0);
    drag(&mut harness, disc, to);
    let moved = harness
        .state()
        .session()
        .unwrap()
        .records()
        .meeting(meeting.id)
        .unwrap()
        .notes[0]
        .lon_lat
        .unwrap();
    assert!(
        off_by_px(&harness, moved, to) < 1.0,
        "dropped at {to:?}, stored {} points away",
        off_by_px(&harness, moved, to)
    );
    assert_eq!(harness.state().status(), Some("已保存：标注位置"));
    // The view did not pan under the drag.
    assert!(off_by_px(&harness, placed, spot) < 1.0);

    harness.get_by_label("撤销").click();
    steps(&mut harness, 2);
    let back = harness
        .state()
        .session()
        .unwrap()
        .records()
        .meeting(meeting.id)
        .unwrap()
        .notes[0]
        .lon_lat;
    assert_eq!(back, Some(placed), "undo puts the pin back");
    // One undo more removes the meeting: the move was one step, the recording another.
    harness.get_by_label("撤销").click();
    steps(&mut harness, 2);
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .records()
            .meeting(meeting.id)
            .is_none()
    );
}

#[test]
fn a_pin_of_a_meeting_not_yet_saved_moves_in_the_form_and_makes_no_undo_step() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_garden_project(&mut harness);
    press(&mut harness, "记录会议");
    press(&mut harness, "添加投票");
    press(&mut harness, "在地图上点选");
    let spot = open_map_spot(&harness);
    click_at(&mut harness, spot);
    steps(&mut harness, 2);
    let to = spot + vec2(40.0, -30.0);
    drag(&mut harness, spot, to);
    let draft = harness.state().projects_window().meeting_draft().unwrap();
    let moved = draft.notes[0].lon_lat.unwrap();
    assert!(off_by_px(&harness, moved, to) < 1.0);
    // The draft is saved as a whole later: moving its pin is no step of its own.
    assert!(!harness.state().session().unwrap().can_undo());
}

#[test]
fn esc_stops_waiting_for_the_click_and_the_next_click_places_nothing() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_garden_project(&mut harness);
    press(&mut harness, "记录会议");
    press(&mut harness, "添加投票");
    press(&mut harness, "在地图上点选");
    assert_eq!(harness.state().projects_window().placing_pin(), Some(1));
    // Esc goes to the map, not a text field.
    harness.hover_at(open_map_spot(&harness));
    harness.step();
    harness.key_press(egui::Key::Escape);
    steps(&mut harness, 2);
    assert_eq!(harness.state().projects_window().placing_pin(), None);
    let spot = open_map_spot(&harness);
    click_at(&mut harness, spot);
    let draft = harness.state().projects_window().meeting_draft().unwrap();
    assert_eq!(draft.notes[0].lon_lat, None);
}

/// The box a text run takes, measured as the window measures it.
fn run_rect(harness: &Harness<'static, LinliApp>, run: &TextRun) -> ScreenRect {
    let size = harness.ctx.fonts_mut(|f| {
        f.layout_no_wrap(
            run.text.clone(),
            FontId::proportional(run.size),
            egui::Color32::BLACK,
        )
        .size()
    });
    ScreenRect::from_min_size(run.pos, size.into())
}

#[test]
fn the_sample_hearings_four_pins_keep_their_labels_apart_at_district_scale() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    open_garden_project(&mut harness);
    // The whole district: the hearing's pins lie within 300 m of each other, a few points
    // apart.
    harness.get_by_label("全图").click();
    steps(&mut harness, 2);
    let m_per_point = harness.state().view().m_per_point;
    assert!(m_per_point > 20.0, "{m_per_point}");
    harness.get_by_label("在地图上显示 (4)").click();
    steps(&mut harness, 3);
    let scene = &harness.state().map_memory().scene;
    let places = scene.pin_places();
    assert_eq!(places.len(), 4, "{places:?}");
    let labels: Vec<ScreenRect> = places
        .iter()
        .map(|p| p.label.expect("every pin's text is placed"))
        .collect();
    for (i, a) in labels.iter().enumerate() {
        for b in &labels[i + 1..] {
            assert!(!a.intersects(*b), "{a:?} overlaps {b:?}");
        }
    }
    for (i, a) in places.iter().enumerate() {
        for b in &places[i + 1..] {
            assert!(
                (a.disc - b.disc).length() >= 2.0 * linli::render::style::PIN_RADIUS,
                "two discs cover each other"
            );
        }
    }
    // Every text of the scene, measured with the window's own fonts: the pins' have the halo
    // and no other text covers them.
    let runs: Vec<&TextRun> = scene
        .primitives()
        .iter()
        .chain(scene.pin_primitives())
        .filter_map(|p| match p {
            Primitive::Text(run) => Some(run),
            _ => None,
        })
        .collect();
    let pin_texts: Vec<String> = scene
        .pins()
        .iter()
        .map(|p| linli::render::pins::short_text(&p.text))
        .collect();
    assert!(
        pin_texts.iter().any(|t| t.starts_with("支持")),
        "{pin_texts:?}"
    );
    for run in &runs {
        let r = run_rect(&harness, run);
        if pin_texts.contains(&run.text) {
            assert_eq!(run.halo, Some(linli::render::style::LABEL_HALO));
            assert!(labels.iter().any(|l| l.min == run.pos));
            continue;
        }
        if run.text.parse::<usize>().is_ok() {
            continue; // a disc's number
        }
        for l in &labels {
            assert!(!r.intersects(*l), "“{}” covers a pin's text", run.text);
        }
    }
}

#[test]
fn what_a_pin_row_and_a_pin_show_is_in_the_bundled_fonts() {
    let ctx = egui::Context::default();
    linli::gui::install_fonts(&ctx);
    let mut output = ctx.run_ui(Default::default(), |_| {});
    output.textures_delta.clear();
    let font = FontId::proportional(13.0);
    let mut texts = vec![
        linli::i18n::pins::pin_position(121.54345, 31.20375),
        linli::i18n::pins::pin_position(-0.5, -33.9),
    ];
    for lang in [Lang::Zh, Lang::En] {
        texts.extend(
            linli::i18n::pins::PinText::ALL
                .iter()
                .map(|t| t.get(lang).to_string()),
        );
        texts.push(linli::i18n::pins::picking_hint(lang, 12));
        texts.push(linli::i18n::lon_lat_text(lang, 121.54345, 31.20375));
        texts.push(linli::render::pins::short_text(
            "希望在花园里多放几张长椅，老人可以坐下休息",
        ));
        for t in [
            linli::i18n::projects::ProjectText::PinHere,
            linli::i18n::projects::ProjectText::Unpin,
            linli::i18n::projects::ProjectText::RemoveNote,
            linli::i18n::projects::ProjectText::CommentLabel,
            linli::i18n::projects::ProjectText::Notes,
        ] {
            texts.push(t.get(lang).to_string());
        }
        for v in linli::model::meeting::Vote::ALL {
            let note = linli::model::meeting::MeetingNote {
                kind: linli::model::meeting::NoteKind::Vote,
                text: "夜间照明太亮".into(),
                vote: Some(v),
                lon_lat: Some([121.5, 31.2]),
            };
            texts.push(linli::i18n::pins::note_label(lang, &note));
        }
    }
    ctx.fonts_mut(|fonts| {
        // The check tells: the pin emoji the rows showed before is in none of the fonts.
        assert!(!fonts.has_glyphs(&font, "📍"));
        for t in &texts {
            let missing: String = t.chars().filter(|&c| !fonts.has_glyph(&font, c)).collect();
            assert!(missing.is_empty(), "“{t}” lacks {missing:?}");
        }
    });
}
