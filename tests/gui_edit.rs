//! Sketching and editing plan features through the real window, headless (egui_kittest): the
//! pocket garden drawn by clicks, its area in the inspector, undo and redo (checked in the
//! workspace file too), Backspace and Esc while drawing, a vertex drag as one undo step,
//! inserting and deleting vertices, deleting a feature, changing its type, snapping.
#![cfg(feature = "gui")]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::gui::{click_at, drag, open_app, press_release, sample_workspace};
use std::path::Path;

use egui::{Key, Modifiers, Pos2, vec2};
use egui_kittest::Harness;
use egui_kittest::kittest::{NodeT, Queryable};
use geo::{Coord, Distance, Euclidean, InteriorPoint, MapCoords};
use linli::Session;
use linli::analysis::measure;
use linli::gui::LinliApp;
use linli::gui::panels::tools::Tool;
use linli::model::LayerRole;
use linli::render::projection::{MapView, merc_from_lon_lat};
use linli::sketch::vertex::vertices;

/// Two clicks a step apart: a double-click.
fn double_click_at(harness: &mut Harness<'_, LinliApp>, pos: Pos2) {
    harness.hover_at(pos);
    harness.step();
    press_release(harness, pos);
    harness.step();
    press_release(harness, pos);
    harness.step();
    harness.step();
}

fn key(harness: &mut Harness<'_, LinliApp>, modifiers: Modifiers, key: Key) {
    harness.key_press_modifiers(modifiers, key);
    harness.step();
    harness.step();
}

fn merc(c: Coord<f64>) -> Coord<f64> {
    let [x, y] = merc_from_lon_lat(c.x, c.y);
    geo::coord! { x: x, y: y }
}

/// A point inside a community at least `clear_m` (Mercator metres) from every street and
/// community boundary and plan feature, so drawing there snaps to nothing.
fn quiet_spot(session: &Session, clear_m: f64) -> Coord<f64> {
    let mut boundaries: Vec<geo::Geometry<f64>> = Vec::new();
    for layer in session.layers() {
        if matches!(layer.role, LayerRole::Streets | LayerRole::Communities) {
            boundaries.extend(layer.features.iter().map(|f| f.geometry.map_coords(merc)));
        }
    }
    let plan: Vec<geo::Geometry<f64>> = session
        .plan()
        .iter()
        .map(|f| f.feature.geometry.map_coords(merc))
        .collect();
    let communities = session
        .layers()
        .iter()
        .find(|l| l.role == LayerRole::Communities)
        .unwrap();
    for c in &communities.features {
        let Some(p) = c.geometry.interior_point() else {
            continue;
        };
        let pm = geo::Point(merc(p.0));
        let boundary_clear = boundaries.iter().all(|g| {
            let rings: Vec<geo::LineString<f64>> = match g {
                geo::Geometry::Polygon(poly) => std::iter::once(poly.exterior().clone())
                    .chain(poly.interiors().iter().cloned())
                    .collect(),
                geo::Geometry::MultiPolygon(mp) => mp
                    .0
                    .iter()
                    .flat_map(|poly| {
                        std::iter::once(poly.exterior().clone()).chain(poly.interiors().to_vec())
                    })
                    .collect(),
                _ => Vec::new(),
            };
            rings.iter().all(|r| Euclidean.distance(&pm, r) > clear_m)
        });
        let plan_clear = plan.iter().all(|g| Euclidean.distance(&pm, g) > clear_m);
        if boundary_clear && plan_clear {
            return p.0;
        }
    }
    panic!("no quiet spot in the sample");
}

/// Corners of a `side_m` square centred on `c`, counter-clockwise from the south-west.
fn square_around(c: Coord<f64>, side_m: f64) -> Vec<Coord<f64>> {
    let h = side_m / 2.0;
    let dlat = h / 111_320.0;
    let dlon = h / (111_320.0 * c.y.to_radians().cos());
    vec![
        geo::coord! { x: c.x - dlon, y: c.y - dlat },
        geo::coord! { x: c.x + dlon, y: c.y - dlat },
        geo::coord! { x: c.x + dlon, y: c.y + dlat },
        geo::coord! { x: c.x - dlon, y: c.y + dlat },
    ]
}

fn screen(harness: &Harness<'_, LinliApp>, c: Coord<f64>) -> Pos2 {
    harness.state().screen_from_lon_lat(c.x, c.y).unwrap()
}

/// Opens the sample zoomed in on a quiet spot: 0.25 Mercator metres per point.
fn zoomed_app(path: &Path) -> (Harness<'static, LinliApp>, Coord<f64>) {
    let mut harness = open_app(path);
    let spot = quiet_spot(harness.state().session().unwrap(), 60.0);
    harness.state_mut().set_view(MapView {
        center_lon: spot.x,
        center_lat: spot.y,
        m_per_point: 0.25,
    });
    harness.step();
    harness.step();
    (harness, spot)
}

fn plan_count(harness: &Harness<'_, LinliApp>) -> usize {
    harness.state().session().unwrap().plan().len()
}

fn selected_geometry(harness: &Harness<'_, LinliApp>) -> geo::Geometry<f64> {
    let id = harness
        .state()
        .selected_plan_id()
        .expect("a plan feature is selected");
    let session = harness.state().session().unwrap();
    session.plan_feature(id).unwrap().feature.geometry.clone()
}

/// Draws a 40 m pocket garden with clicks, finishing with a double-click on the last corner.
fn draw_garden(harness: &mut Harness<'static, LinliApp>, spot: Coord<f64>) -> Vec<Coord<f64>> {
    harness.get_by_label("口袋花园").click();
    harness.step();
    harness.step();
    assert!(
        matches!(harness.state().tool(), Tool::Draw(s) if s.element == "pocket_garden"),
        "{:?}",
        harness.state().tool()
    );
    let corners = square_around(spot, 40.0);
    for &c in &corners[..3] {
        let p = screen(harness, c);
        click_at(harness, p);
    }
    let last = screen(harness, corners[3]);
    double_click_at(harness, last);
    corners
}

fn area_in_inspector(harness: &Harness<'_, LinliApp>) -> f64 {
    let labels: Vec<String> = harness
        .query_all_by_label_contains("平方米")
        // A label's text is its accesskit value.
        .filter_map(|n| n.accesskit_node().value())
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .collect();
    let text = labels
        .first()
        .unwrap_or_else(|| panic!("no area label: {labels:?}"));
    let number: String = text
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == ',' || *c == '.')
        .filter(|c| *c != ',')
        .collect();
    number.parse().unwrap()
}

#[test]
fn draw_a_pocket_garden_see_its_area_undo_and_redo_it() {
    let (_dir, path) = sample_workspace();
    let (mut harness, spot) = zoomed_app(&path);
    let before = plan_count(&harness);

    let corners = draw_garden(&mut harness, spot);
    assert_eq!(plan_count(&harness), before + 1);
    let id = harness
        .state()
        .selected_plan_id()
        .expect("the new garden is selected");
    let session = harness.state().session().unwrap();
    let garden = session.plan_feature(id).unwrap();
    assert_eq!(garden.element, "pocket_garden");
    assert_eq!(vertices(&garden.feature.geometry).len(), 4);
    let expected = measure::area_m2(&geo::Geometry::Polygon(geo::Polygon::new(
        geo::LineString(corners.clone()),
        vec![],
    )));
    let area = measure::area_m2(&garden.feature.geometry);
    assert!(
        (area - expected).abs() < 0.01 * expected,
        "{area} vs {expected}"
    );
    assert!((area - 1600.0).abs() < 30.0, "{area}");
    assert!(garden.community.is_some(), "derived community");
    let shown = area_in_inspector(&harness);
    assert!((shown - area).abs() <= 1.0, "inspector {shown} vs {area}");
    // The tool stays on for the next garden, with an empty sketch.
    assert!(matches!(harness.state().tool(), Tool::Draw(s) if s.vertices.is_empty()));
    assert_eq!(Session::open(&path).unwrap().plan().len(), before + 1);

    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(plan_count(&harness), before);
    assert!(
        harness
            .state()
            .session()
            .unwrap()
            .plan_feature(id)
            .is_none()
    );
    assert_eq!(
        Session::open(&path).unwrap().plan().len(),
        before,
        "the undo is in the workspace file"
    );
    assert!(
        harness
            .query_all_by_label_contains("平方米")
            .next()
            .is_none()
    );

    key(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(plan_count(&harness), before + 1);
    assert_eq!(harness.state().selected_plan_id(), Some(id));
    let reopened = Session::open(&path).unwrap();
    assert_eq!(
        reopened.plan_feature(id).unwrap().feature.geometry,
        harness
            .state()
            .session()
            .unwrap()
            .plan_feature(id)
            .unwrap()
            .feature
            .geometry
    );
    let shown = area_in_inspector(&harness);
    assert!((shown - area).abs() <= 1.0);

    // Ctrl+Y redoes too; nothing is left to redo here, and the status bar says so.
    key(&mut harness, Modifiers::COMMAND, Key::Y);
    assert_eq!(plan_count(&harness), before + 1);
    assert!(harness.state().status().unwrap().contains("没有可重做"));
    // The message on screen follows a switch of language.
    harness.get_by_label("English").click();
    harness.run();
    assert_eq!(harness.state().status(), Some("Nothing to redo"));
}

#[test]
fn backspace_removes_a_vertex_esc_cancels_enter_finishes_and_warnings_show() {
    let (_dir, path) = sample_workspace();
    let (mut harness, spot) = zoomed_app(&path);
    let before = plan_count(&harness);
    harness.get_by_label("口袋花园").click();
    harness.step();
    let corners = square_around(spot, 10.0);
    let sketch_len = |h: &Harness<'_, LinliApp>| h.state().tool().sketch().unwrap().vertices.len();
    for &c in &corners[..3] {
        let p = screen(&harness, c);
        click_at(&mut harness, p);
    }
    assert_eq!(sketch_len(&harness), 3);
    // While drawing, the live measure shows the area, and the 100 m² garden is too small.
    let live = harness.state().map_memory().live.clone().unwrap();
    assert!(live.area_m2.is_some());
    assert!(
        live.warnings
            .iter()
            .any(|w| matches!(w, linli::analysis::siting::Warning::AreaOutOfRange { .. }))
    );

    key(&mut harness, Modifiers::NONE, Key::Backspace);
    assert_eq!(sketch_len(&harness), 2);
    key(&mut harness, Modifiers::NONE, Key::Escape);
    assert_eq!(sketch_len(&harness), 0);
    assert_eq!(plan_count(&harness), before);

    // Clockwise this time: stored by the right-hand rule, so its area is the garden's.
    for &c in corners.iter().rev() {
        let p = screen(&harness, c);
        click_at(&mut harness, p);
    }
    key(&mut harness, Modifiers::NONE, Key::Enter);
    assert_eq!(plan_count(&harness), before + 1);
    let area = measure::area_m2(&selected_geometry(&harness));
    assert!((area - 100.0).abs() < 3.0, "{area}");
    // A soft warning, never a block: saved, and the inspector cites the guidance.
    assert!(
        harness
            .query_all_by_label_contains("400–10,000")
            .next()
            .is_some(),
        "the area warning is in the inspector"
    );
    harness.get_by_label_contains("住建部 2022");

    // Esc on an empty sketch leaves the draw tool.
    key(&mut harness, Modifiers::NONE, Key::Escape);
    assert_eq!(*harness.state().tool(), Tool::Select);
}

#[test]
fn a_vertex_drag_is_one_undo_step_and_vertices_insert_and_delete() {
    let (_dir, path) = sample_workspace();
    let (mut harness, spot) = zoomed_app(&path);
    let before = plan_count(&harness);
    draw_garden(&mut harness, spot);
    harness.get_by_label("选择").click();
    harness.step();
    harness.step();
    assert_eq!(*harness.state().tool(), Tool::Select);
    let drawn = selected_geometry(&harness);
    let corner = vertices(&drawn)[2].1;
    let from = screen(&harness, corner);
    let to = from + vec2(40.0, -30.0);
    drag(&mut harness, from, to);
    let dragged = selected_geometry(&harness);
    assert_eq!(vertices(&dragged).len(), 4, "a move, not an insertion");
    let moved = vertices(&dragged)[2].1;
    assert!((screen(&harness, moved) - to).length() < 0.5, "{moved:?}");
    assert_eq!(harness.state().selected_vertex().map(|v| v.index), Some(2));

    // One drag, one step: one undo brings the drawn shape back, the next removes the garden.
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(selected_geometry(&harness), drawn);
    assert_eq!(
        Session::open(&path)
            .unwrap()
            .plan_feature(harness.state().selected_plan_id().unwrap())
            .unwrap()
            .feature
            .geometry,
        drawn
    );
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(plan_count(&harness), before);
    key(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    key(&mut harness, Modifiers::COMMAND | Modifiers::SHIFT, Key::Z);
    assert_eq!(selected_geometry(&harness), dragged);

    // A click on the middle of an edge inserts a vertex there and selects it.
    let (a, b) = (vertices(&dragged)[0].1, vertices(&dragged)[1].1);
    let mid = screen(&harness, a) + (screen(&harness, b) - screen(&harness, a)) * 0.5;
    click_at(&mut harness, mid + vec2(0.0, 2.0));
    let inserted = selected_geometry(&harness);
    assert_eq!(vertices(&inserted).len(), 5);
    assert_eq!(harness.state().selected_vertex().map(|v| v.index), Some(1));
    // Delete removes the selected vertex, not the feature.
    key(&mut harness, Modifiers::NONE, Key::Delete);
    assert_eq!(plan_count(&harness), before + 1);
    assert_eq!(vertices(&selected_geometry(&harness)).len(), 4);
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(vertices(&selected_geometry(&harness)).len(), 5);
}

#[test]
fn move_delete_duplicate_and_retype_a_feature() {
    let (_dir, path) = sample_workspace();
    let (mut harness, spot) = zoomed_app(&path);
    let before = plan_count(&harness);
    draw_garden(&mut harness, spot);
    harness.get_by_label("选择").click();
    harness.step();
    let id = harness.state().selected_plan_id().unwrap();
    let drawn = selected_geometry(&harness);

    // Dragging the body moves the whole feature, as one step.
    let centre = screen(&harness, spot);
    drag(&mut harness, centre, centre + vec2(60.0, 0.0));
    let moved = selected_geometry(&harness);
    let shift = screen(&harness, vertices(&moved)[0].1) - screen(&harness, vertices(&drawn)[0].1);
    assert!((shift - vec2(60.0, 0.0)).length() < 0.5, "{shift:?}");
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(selected_geometry(&harness), drawn);

    // Change the type in the inspector's combo box (the first; the design alternative's is
    // below it).
    harness
        .query_all_by_role(egui::accesskit::Role::ComboBox)
        .next()
        .expect("the element type's combo box")
        .click();
    harness.step();
    harness.step();
    let option = harness
        .query_all_by_label("运动场所")
        .max_by(|a, b| a.rect().center().y.total_cmp(&b.rect().center().y))
        .expect("the option in the combo box");
    option.click();
    harness.step();
    harness.step();
    let session = harness.state().session().unwrap();
    assert_eq!(session.plan_feature(id).unwrap().element, "sports_venue");
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    let session = harness.state().session().unwrap();
    assert_eq!(session.plan_feature(id).unwrap().element, "pocket_garden");

    // Rename in the inspector: Enter saves; the field keeps its own keys while typing.
    let field = harness.get_by_role(egui::accesskit::Role::TextInput);
    field.focus();
    harness.step();
    harness
        .get_by_role(egui::accesskit::Role::TextInput)
        .type_text("滨江口袋花园");
    harness.step();
    // Backspace edits the text, it does not delete the feature.
    key(&mut harness, Modifiers::NONE, Key::Backspace);
    key(&mut harness, Modifiers::NONE, Key::Enter);
    let session = harness.state().session().unwrap();
    assert_eq!(session.plan_feature(id).unwrap().feature.name, "滨江口袋花");
    assert_eq!(
        Session::open(&path)
            .unwrap()
            .plan_feature(id)
            .unwrap()
            .feature
            .name,
        "滨江口袋花"
    );
    harness.get_by_label("撤销").click();
    harness.step();
    harness.step();
    let session = harness.state().session().unwrap();
    assert_eq!(session.plan_feature(id).unwrap().feature.name, "");
    assert_eq!(
        harness
            .get_by_role(egui::accesskit::Role::TextInput)
            .value()
            .as_deref(),
        Some(""),
        "the field shows the name as it is after the undo"
    );

    // Duplicate, then delete with the inspector's buttons and the Delete key; undo brings back.
    harness.get_by_label("复制要素").click();
    harness.step();
    harness.step();
    assert_eq!(plan_count(&harness), before + 2);
    let copy = harness.state().selected_plan_id().unwrap();
    assert_ne!(copy, id);
    harness.get_by_label("删除要素").click();
    harness.step();
    harness.step();
    assert_eq!(plan_count(&harness), before + 1);
    assert_eq!(harness.state().selection(), None);
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(harness.state().selected_plan_id(), Some(copy));
    key(&mut harness, Modifiers::NONE, Key::Delete);
    assert_eq!(plan_count(&harness), before + 1);
    key(&mut harness, Modifiers::COMMAND, Key::Z);
    assert_eq!(plan_count(&harness), before + 2);
    assert_eq!(Session::open(&path).unwrap().plan().len(), before + 2);
}

#[test]
fn a_click_near_a_street_boundary_vertex_snaps_exactly_onto_it() {
    let (_dir, path) = sample_workspace();
    let mut harness = open_app(&path);
    let session = harness.state().session().unwrap();
    let streets = session
        .layers()
        .iter()
        .find(|l| l.role == LayerRole::Streets)
        .unwrap();
    let others: Vec<Coord<f64>> = session
        .layers()
        .iter()
        .filter(|l| l.role == LayerRole::Communities)
        .flat_map(|l| l.features.iter())
        .map(|f| &f.geometry)
        .chain(session.plan().iter().map(|f| &f.feature.geometry))
        .flat_map(|g| vertices(g).into_iter().map(|(_, c)| merc(c)))
        .collect();
    // A street vertex with no other (different) vertex within 2 m: the snap has one answer.
    let target = streets
        .features
        .iter()
        .flat_map(|f| vertices(&f.geometry))
        .map(|(_, c)| c)
        .find(|&c| {
            let m = merc(c);
            others.iter().all(|o| {
                let d = ((o.x - m.x).powi(2) + (o.y - m.y).powi(2)).sqrt();
                d == 0.0 || d > 2.0
            })
        })
        .expect("a street vertex");
    harness.state_mut().set_view(MapView {
        center_lon: target.x + 0.0001,
        center_lat: target.y,
        m_per_point: 0.05,
    });
    harness.step();
    harness.step();
    let before = plan_count(&harness);
    harness.get_by_label("公共设施").click();
    harness.step();
    let near = screen(&harness, target) + vec2(4.0, 3.0);
    harness.hover_at(near);
    harness.step();
    harness.step();
    let snap = harness.state().map_memory().snap.expect("a snap marker");
    assert_eq!(snap.kind, linli::sketch::snap::SnapKind::Vertex);
    click_at(&mut harness, near);
    assert_eq!(
        plan_count(&harness),
        before + 1,
        "a point finishes on one click"
    );
    let point = selected_geometry(&harness);
    assert_eq!(point, geo::Geometry::Point(geo::Point(target)));

    // With snapping off (S), the same click lands where it was made.
    key(&mut harness, Modifiers::NONE, Key::S);
    click_at(&mut harness, near);
    assert_eq!(plan_count(&harness), before + 2);
    let free = selected_geometry(&harness);
    let geo::Geometry::Point(free) = free else {
        panic!("a point: {free:?}");
    };
    assert_ne!(free, geo::Point(target));
    assert!(
        (screen(&harness, free.0) - near).length() < 0.5,
        "the point is where the click was: {free:?}"
    );
    assert!(harness.state().map_memory().snap.is_none());
}
