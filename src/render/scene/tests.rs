//! The scene's tests: visibility bits, culling, levels of detail, meshes.

use super::*;

#[test]
fn visible_bits_iterate_in_order() {
    let mut bits = vec![0u64; 3];
    for i in [3usize, 64, 65, 130] {
        bits[i / 64] |= 1 << (i % 64);
    }
    assert_eq!(
        visible_indices(&bits, 131).collect::<Vec<_>>(),
        vec![3, 64, 65, 130]
    );
    assert_eq!(visible_indices(&[u64::MAX], 5).count(), 5);
}

#[test]
fn a_screen_point_takes_one_dot() {
    let mut grid = DotGrid::default();
    grid.reset(ScreenRect::from_min_size(
        screen_pos(10.0, 10.0),
        screen_vec(100.0, 50.0),
    ));
    assert!(grid.claim(screen_pos(20.4, 30.0)));
    assert!(!grid.claim(screen_pos(20.6, 30.9)));
    assert!(grid.claim(screen_pos(21.0, 30.0)));
    assert!(!grid.claim(screen_pos(5.0, 30.0)));
}

#[test]
fn an_alternative_outside_the_plan_is_hidden_muted_and_dashed_or_shown_alone() {
    use crate::model::{Feature, PlanFeature};
    use crate::render::data::MapData;
    use crate::render::labels::FixedAdvance;
    use crate::render::layers::AlternativesShown;
    use geo::polygon;
    let (a, b) = (uuid::Uuid::from_u128(10), uuid::Uuid::from_u128(11));
    let garden = |n: u128, x: f64, alternative: Option<uuid::Uuid>| PlanFeature {
        feature: Feature {
            id: uuid::Uuid::from_u128(n),
            name: format!("花园 {n}"),
            geometry: geo::Geometry::Polygon(polygon![
                (x: x, y: 31.22), (x: x + 0.002, y: 31.22),
                (x: x + 0.002, y: 31.222), (x: x, y: 31.222)
            ]),
            properties: Default::default(),
        },
        element: "pocket_garden".into(),
        project: None,
        alternative,
        street: None,
        community: None,
    };
    let plan = vec![
        garden(1, 121.520, None),
        garden(2, 121.524, Some(a)),
        garden(3, 121.528, Some(b)),
    ];
    let catalog = crate::model::catalog::Catalog::bundled();
    let mut data = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
    // A is chosen (the plan), B a candidate.
    data.set_outside_plan([b].into_iter().collect());
    let rect = ScreenRect::from_min_size(ScreenPos::default(), screen_vec(800.0, 600.0));
    let view = MapView::fit(data.extent.unwrap(), rect.size(), 10.0);
    let order = vec![0];
    let drawn = |shown: AlternativesShown| {
        let mut styles = data.role_styles();
        styles[0].alternatives = shown;
        let mut scene = Scene::default();
        scene.update(
            &SceneInput {
                data: &data,
                styles: &styles,
                order: &order,
                view,
                rect,
                palette: Default::default(),
            },
            &mut FixedAdvance::default(),
        );
        let dashed = scene
            .primitives()
            .iter()
            .filter(|p| matches!(p, Primitive::Path { dash: Some(_), .. }))
            .count();
        (scene.stats().layers[0].drawn, dashed)
    };
    assert_eq!(
        drawn(AlternativesShown::Hidden),
        (2, 0),
        "the plan: 1 and A"
    );
    assert_eq!(
        drawn(AlternativesShown::Muted),
        (3, 1),
        "B muted, its outline dashed"
    );
    assert_eq!(
        drawn(AlternativesShown::Only(b)),
        (3, 0),
        "B shown as the plan is"
    );
    assert_eq!(
        drawn(AlternativesShown::Only(a)),
        (2, 0),
        "A is the plan already"
    );
}

/// A square `d` degrees across with its south-west corner at `x`, `y`.
fn square(x: f64, y: f64, d: f64) -> geo::Geometry<f64> {
    use geo::polygon;
    geo::Geometry::Polygon(polygon![
        (x: x, y: y), (x: x + d, y: y), (x: x + d, y: y + d), (x: x, y: y + d)
    ])
}

/// A street layer of one square street, 陆家嘴街道.
fn one_street() -> crate::model::Layer {
    crate::model::Layer {
        name: "街道".into(),
        role: LayerRole::Streets,
        features: vec![crate::model::Feature {
            id: uuid::Uuid::from_u128(1),
            name: "陆家嘴街道".into(),
            geometry: square(121.50, 31.20, 0.05),
            properties: Default::default(),
        }],
        stored: None,
    }
}

#[test]
fn a_headless_scene_draws_labels_and_is_rebuilt_only_when_its_input_changes() {
    use crate::model::PlanChanges;
    use crate::model::{Feature, PlanFeature};
    use crate::render::data::MapData;
    use crate::render::labels::FixedAdvance;
    let streets = one_street();
    let garden = |x: f64| PlanFeature {
        feature: Feature {
            id: uuid::Uuid::from_u128(2),
            name: "花园".into(),
            geometry: square(x, 31.22, 0.001),
            properties: Default::default(),
        },
        element: "pocket_garden".into(),
        project: None,
        alternative: None,
        street: None,
        community: None,
    };
    let catalog = crate::model::catalog::Catalog::bundled();
    let mut plan = vec![garden(121.52)];
    let mut data = MapData::build(&[streets], &plan, &catalog, &mut |_, _| {});
    let styles: Vec<LayerStyle> = data.role_styles();
    let order = vec![0, 1];
    let rect = ScreenRect::from_min_size(ScreenPos::default(), screen_vec(800.0, 600.0));
    let view = MapView::fit(data.extent.unwrap(), rect.size(), 10.0);
    let mut scene = Scene::default();
    let mut fonts = FixedAdvance::default();
    let input = SceneInput {
        palette: Default::default(),
        data: &data,
        styles: &styles,
        order: &order,
        view,
        rect,
    };
    assert!(scene.update(&input, &mut fonts));
    let texts: Vec<&str> = scene
        .primitives()
        .iter()
        .filter_map(|p| match p {
            Primitive::Text(t) => Some(t.text.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(texts, vec!["陆家嘴街道"]);
    assert!(
        scene
            .primitives()
            .iter()
            .any(|p| matches!(p, Primitive::Mesh(m) if !m.is_empty()))
    );
    let revision = scene.revision();
    assert!(!scene.update(&input, &mut fonts), "same input, same scene");
    assert_eq!(scene.revision(), revision);
    // An edit renews the data's generation: the next frame re-culls.
    plan[0] = garden(121.53);
    let changes = PlanChanges {
        slots: [0].into(),
        len: 1,
    };
    data.update_plan(&plan, &catalog, &changes);
    let input = SceneInput {
        palette: Default::default(),
        data: &data,
        styles: &styles,
        order: &order,
        view,
        rect,
    };
    assert!(scene.update(&input, &mut fonts));
    assert_eq!(scene.revision(), revision + 1);
}

#[test]
fn the_projector_palette_doubles_labels_and_draws_one_symbol_per_cell() {
    use crate::model::{Feature, PlanFeature};
    use crate::render::data::MapData;
    use crate::render::labels::FixedAdvance;
    let streets = one_street();
    // 400 tiny gardens in a clump a few points across at this zoom: symbols all.
    let plan: Vec<PlanFeature> = (0..400u128)
        .map(|i| PlanFeature {
            feature: Feature {
                id: uuid::Uuid::from_u128(100 + i),
                name: format!("花园 {i}"),
                geometry: square(
                    121.52 + (i % 20) as f64 * 0.00002,
                    31.22 + (i / 20) as f64 * 0.00002,
                    0.00001,
                ),
                properties: Default::default(),
            },
            element: "pocket_garden".into(),
            project: None,
            street: None,
            community: None,
            alternative: None,
        })
        .collect();
    let catalog = crate::model::catalog::Catalog::bundled();
    let data = MapData::build(&[streets], &plan, &catalog, &mut |_, _| {});
    let styles: Vec<LayerStyle> = data.role_styles();
    let order = vec![0, 1];
    let rect = ScreenRect::from_min_size(ScreenPos::default(), screen_vec(800.0, 600.0));
    let view = MapView::fit(data.extent.unwrap(), rect.size(), 10.0);
    let built = |palette: style::Palette| {
        let mut scene = Scene::default();
        let input = SceneInput {
            data: &data,
            styles: &styles,
            order: &order,
            view,
            rect,
            palette,
        };
        scene.update(&input, &mut FixedAdvance::default());
        let label = scene.primitives().iter().find_map(|p| match p {
            Primitive::Text(t) => Some(t.size),
            _ => None,
        });
        // Symbols are primitives of their own; fills share one mesh per layer.
        let pieces = scene.primitives().len()
            + scene
                .primitives()
                .iter()
                .map(|p| match p {
                    Primitive::Mesh(m) => m.vertices.len(),
                    _ => 0,
                })
                .sum::<usize>();
        (label, pieces)
    };
    let (normal_label, normal_vertices) = built(style::Palette::Normal);
    let (projector_label, projector_vertices) = built(style::Palette::Projector);
    assert_eq!(normal_label, Some(style::STREET_LABEL_SIZE));
    assert_eq!(projector_label, Some(2.0 * style::STREET_LABEL_SIZE));
    // The clump is a few cells: a few symbols, not 400 of them under each other.
    assert!(
        projector_vertices * 4 < normal_vertices,
        "{projector_vertices} vertices in the projector's scene, {normal_vertices} in the window's"
    );
}
