//! The map's CPU work per frame: culling, level of detail, screen meshes, symbols and labels —
//! everything `render::scene::Scene::update` produces as primitives — then the window's egui
//! consumer turning them into shapes (`gui::map::paint::PaintCache`), with the scene forced to
//! rebuild every frame (as while panning), plus egui's own tessellation of those shapes and
//! hit-testing. Then "time to first map": opening a workspace that holds 100,000 polygons until
//! the first frame's shapes are ready, and a plan edit's incremental update against the whole
//! plan layer's rebuild.
//!
//! Peer figures come only from QGIS run in the same run (`../shared/bench/qgis_bench.py` on the
//! same GeoPackage, through Debian's `/usr/bin/python3` with `qgis`); without QGIS only Linli's
//! own figures are printed.
//!
//! `cargo bench --bench frame [-- POLYGONS.geojson]`: with a file (e.g. from
//! `../shared/bench/gen_polygons.py 100000 OUT.geojson`), the big layer is read from it;
//! without, the same 100,000 polygons are generated here with the same algorithm (Python's
//! Mersenne Twister, seed 977) and written to a temporary GeoJSON file.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::time::Instant;

use egui::{Pos2, Rect, vec2};
use linli::Session;
use linli::gui::map::hit::hit_test;
use linli::gui::map::paint::{EguiFonts, PaintCache};
use linli::model::catalog::Catalog;
use linli::model::{Feature, Layer, LayerRole, PlanFeature};
use linli::render::data::MapData;
use linli::render::layers::{LayerStyle, OrderKey, default_order};
use linli::render::projection::{MapView, MercBox};
use linli::render::scene::{Scene, SceneInput};
use linli::session::{ImportRequest, PlanChanges};

mod common;
use common::{
    PyRandom, frame_times, median, ms, qgis, settle_tiles, synthetic_layer, write_geojson,
};

const SCREEN: [f32; 2] = [1600.0, 1000.0];
const FRAMES: usize = 40;
const BIG: usize = 100_000;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let file = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with("--"))
        .map(PathBuf::from);
    let ctx = egui::Context::default();
    linli::gui::install_fonts(&ctx);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(SCREEN[0], SCREEN[1]));
    let raw = egui::RawInput {
        screen_rect: Some(rect),
        ..Default::default()
    };
    let _ = ctx.run_ui(raw, |_| {});

    println!(
        "Linli map frame benchmark: {}x{} points, median of {FRAMES} rebuilt frames",
        SCREEN[0], SCREEN[1]
    );
    println!(
        "(scene = culling + LOD + meshes + labels as primitives; paint = primitives to egui shapes; egui tess = egui tessellating them)\n"
    );

    // --- the sample workspace ---
    let dir = tempfile::tempdir()?;
    let path = dir.path().join("sample.gpkg");
    let t0 = Instant::now();
    let session = linli::sample::create_sample_workspace(&path, &mut |_| {})?;
    let t_create = t0.elapsed();
    let t0 = Instant::now();
    let sample = MapData::build(
        session.layers(),
        session.plan(),
        session.catalog(),
        &mut |_, _| {},
    );
    let features: usize = sample.layers.iter().map(|l| l.geom.features.len()).sum();
    println!(
        "sample: {features} features; workspace created in {:.0} ms, map cache built in {:.0} ms",
        ms(t_create),
        ms(t0.elapsed())
    );
    let styles = sample.role_styles();
    let order = default_order(
        &sample
            .layers
            .iter()
            .map(|l| l.order_key())
            .collect::<Vec<OrderKey>>(),
    );
    let full = MapView::fit(
        sample.extent.ok_or("the sample is empty")?,
        rect.size(),
        0.0,
    );
    let street = median_street_box(&sample).ok_or("the sample has no streets")?;
    let one_street = MapView::fit(street, rect.size(), 0.0);
    run(
        &ctx,
        "sample, whole of Pudong",
        &sample,
        &styles,
        &order,
        full,
        rect,
    );
    run(
        &ctx,
        "sample, one street",
        &sample,
        &styles,
        &order,
        one_street,
        rect,
    );
    hits(&sample, &styles, &order, full, rect, "sample, whole view");

    // --- 100k polygons in a workspace ---
    let t0 = Instant::now();
    let layer = match &file {
        Some(p) => read_layer(p)?,
        None => synthetic_layer(BIG),
    };
    let t_read = t0.elapsed();
    if file.is_some() {
        println!("{}", compare_with_generator(&layer));
    }
    let n = layer.features.len();
    let geojson = match &file {
        Some(p) => p.clone(),
        None => {
            let p = dir.path().join("polygons.geojson");
            write_geojson(&layer, &p)?;
            p
        }
    };
    let gpkg = dir.path().join("polygons.gpkg");
    let t0 = Instant::now();
    {
        let mut ws = Session::create(&gpkg, &Catalog::bundled())?;
        let request = ImportRequest {
            layer: Some("polygons".into()),
            role: LayerRole::Reference,
            name_field: None,
            ..Default::default()
        };
        ws.import_file(&geojson, &request, &mut |_| {})?;
    }
    println!(
        "\n{n} polygons ({}): read/generated in {:.0} ms, imported into a workspace in {:.0} ms",
        file.as_ref()
            .map_or("generated".to_string(), |p| p.display().to_string()),
        ms(t_read),
        ms(t0.elapsed()),
    );

    // Time to first map: open the workspace, build the map's cache, build the first frame's
    // scene and its egui shapes (what the window does before its first map frame).
    let mut first = Vec::new();
    let mut opened = None;
    for _ in 0..3 {
        let t0 = Instant::now();
        let ws = Session::open(&gpkg)?;
        let t_open = t0.elapsed();
        let mut data = MapData::build(ws.layers(), ws.plan(), ws.catalog(), &mut |_, _| {});
        data.attach_tiles(
            || linli::store::pyramid::TileReader::open(&gpkg),
            std::sync::Arc::new(|| {}),
        )?;
        let styles = data.role_styles();
        let order: Vec<usize> = (0..data.layers.len()).collect();
        let view = MapView::fit(
            data.extent.ok_or("the polygon layer is empty")?,
            rect.size(),
            0.0,
        );
        // The reference layer is drawn from the file: its first tiles, read off this thread.
        settle_tiles(&mut data, &styles, view, rect);
        let t_cache = t0.elapsed();
        let mut scene = Scene::default();
        let mut paint = PaintCache::default();
        let input = SceneInput {
            palette: Default::default(),
            data: &data,
            styles: &styles,
            order: &order,
            view,
            rect: rect.into(),
        };
        ctx.fonts_mut(|fonts| {
            scene.update(&input, &mut EguiFonts(fonts));
            paint.update(&scene, fonts);
        });
        let t_total = t0.elapsed();
        first.push((
            ms(t_open),
            ms(t_cache) - ms(t_open),
            ms(t_total) - ms(t_cache),
            ms(t_total),
        ));
        opened = Some(data);
    }
    first.sort_by(|a, b| a.3.total_cmp(&b.3));
    let (open_ms, cache_ms, frame_ms, first_ms) = first[0];
    println!(
        "time to first map (best of 3): {first_ms:.0} ms = open {open_ms:.0} ms + map cache and first tiles {cache_ms:.0} ms + first scene and shapes {frame_ms:.0} ms"
    );
    let mut big = opened.ok_or("no data")?;
    println!(
        "tile cache: {:.1} MB after the first map",
        big.tiles.cached_bytes() as f64 / 1e6
    );
    let styles = big.role_styles();
    let order: Vec<usize> = (0..big.layers.len()).collect();
    let extent = big.extent.ok_or("the polygon layer is empty")?;
    let full = MapView::fit(extent, rect.size(), 0.0);
    // QGIS's "1/20 extent": the centre ± 1/20 of the width and height.
    let c = extent.center();
    let (w, h) = (extent.width() / 20.0, extent.height() / 20.0);
    let zoomed = MapView::fit(
        MercBox {
            min: [c[0] - w, c[1] - h],
            max: [c[0] + w, c[1] + h],
        },
        rect.size(),
        0.0,
    );
    settle_tiles(&mut big, &styles, full, rect);
    let full_ms = run(&ctx, "100k, full extent", &big, &styles, &order, full, rect);
    settle_tiles(&mut big, &styles, zoomed, rect);
    let zoomed_ms = run(
        &ctx,
        "100k, 1/20 extent",
        &big,
        &styles,
        &order,
        zoomed,
        rect,
    );
    println!("\nzoom sweep, 100k (every zoom from the full extent to 1/64 of it):");
    let mut worst: f64 = 0.0;
    let mut view = full;
    while view.m_per_point > full.m_per_point / 64.0 {
        let load = settle_tiles(&mut big, &styles, view, rect);
        let (scene, paint, _) = frame_times(&ctx, &big, &styles, &order, view, rect, 12);
        println!(
            "  {:>8.2} m/pt: scene {scene:6.2} ms + paint {paint:5.2} ms (tiles loaded off-thread in {load:.0} ms)",
            view.m_per_point
        );
        worst = worst.max(scene + paint);
        view = view.zoomed_around(1.5, rect.center(), rect);
    }
    println!("  worst: {worst:.2} ms per frame (target ≤ 8 ms)");
    settle_tiles(&mut big, &styles, full, rect);
    hits(&big, &styles, &order, full, rect, "100k, full extent");
    settle_tiles(&mut big, &styles, zoomed, rect);
    hits(&big, &styles, &order, zoomed, rect, "100k, 1/20 extent");

    plan_edit(&ctx, &layer, rect)?;

    // --- QGIS, in this run, on the same GeoPackage ---
    println!();
    match qgis(&format!("{}|layername=polygons", gpkg.display())) {
        Ok(q) => {
            println!(
                "QGIS (same run, same GeoPackage): open {:.0} ms, full extent {:.0} ms, 1/20 extent {:.0} ms",
                q.load_ms, q.full_ms, q.zoomed_ms
            );
            println!(
                "ratio QGIS/Linli: full extent {:.1}x, 1/20 extent {:.1}x, time to first map {:.1}x (QGIS open + full render {:.0} ms vs Linli {first_ms:.0} ms)",
                q.full_ms / full_ms,
                q.zoomed_ms / zoomed_ms,
                (q.load_ms + q.full_ms) / first_ms,
                q.load_ms + q.full_ms,
            );
        }
        Err(why) => println!("QGIS not run ({why}): Linli's own figures only, no ratio."),
    }
    Ok(())
}

/// A plan of the big layer's polygons, one edited: the incremental update of the one changed
/// feature against today's whole-layer rebuild, each followed by the next frame's scene and
/// shapes.
fn plan_edit(
    ctx: &egui::Context,
    layer: &Layer,
    rect: Rect,
) -> Result<(), Box<dyn std::error::Error>> {
    let catalog = Catalog::bundled();
    let mut plan: Vec<PlanFeature> = layer
        .features
        .iter()
        .enumerate()
        .map(|(i, f)| PlanFeature {
            feature: Feature {
                id: uuid::Uuid::from_u128(i as u128 + 1),
                name: format!("地块{i}"),
                ..f.clone()
            },
            element: ["pocket_garden", "sports_venue", "street_corner"][i % 3].into(),
            project: None,
            alternative: None,
            street: None,
            community: None,
        })
        .collect();
    let mut data = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
    let mut rebuilt = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
    let styles = data.role_styles();
    let order: Vec<usize> = (0..data.layers.len()).collect();
    let extent = data.extent.ok_or("empty plan")?;
    let c = extent.center();
    let (w, h) = (extent.width() / 20.0, extent.height() / 20.0);
    let views = [
        ("full extent", MapView::fit(extent, rect.size(), 0.0)),
        (
            "1/20 extent",
            MapView::fit(
                MercBox {
                    min: [c[0] - w, c[1] - h],
                    max: [c[0] + w, c[1] + h],
                },
                rect.size(),
                0.0,
            ),
        ),
    ];
    let slot = plan.len() / 2;
    let (mut full, mut incremental) = (Vec::new(), Vec::new());
    let mut frames = [Vec::new(), Vec::new()];
    let mut scenes = [Scene::default(), Scene::default()];
    let mut paints = [PaintCache::default(), PaintCache::default()];
    for round in 0..6 {
        // Move one vertex a little.
        if let geo::Geometry::Polygon(p) = &mut plan[slot].feature.geometry {
            p.exterior_mut(|ring| ring.0[1].x += if round % 2 == 0 { 1e-5 } else { -1e-5 });
        }
        let t0 = Instant::now();
        rebuilt.rebuild_plan(&plan, &catalog);
        full.push(ms(t0.elapsed()));
        let changes = PlanChanges {
            slots: BTreeSet::from([slot]),
            len: plan.len(),
        };
        let t0 = Instant::now();
        data.update_plan(&plan, &catalog, &changes);
        incremental.push(ms(t0.elapsed()));
        for (i, (_, view)) in views.iter().enumerate() {
            let input = SceneInput {
                palette: Default::default(),
                data: &data,
                styles: &styles,
                order: &order,
                view: *view,
                rect: rect.into(),
            };
            let t0 = Instant::now();
            ctx.fonts_mut(|fonts| {
                scenes[i].update(&input, &mut EguiFonts(fonts));
                paints[i].update(&scenes[i], fonts);
            });
            frames[i].push(ms(t0.elapsed()));
        }
    }
    println!(
        "\nplan edit, {} plan polygons, one vertex moved (median of 6): whole plan layer rebuilt {:.1} ms; incremental update_plan {:.3} ms",
        plan.len(),
        median(full),
        median(incremental),
    );
    for (i, (label, _)) in views.iter().enumerate() {
        println!(
            "  then the next frame's scene and shapes at {label}: {:.1} ms",
            median(std::mem::take(&mut frames[i]))
        );
    }
    Ok(())
}

/// Prints one view's figures; returns scene + paint time, the CPU work of a rebuilt frame.
fn run(
    ctx: &egui::Context,
    label: &str,
    data: &MapData,
    styles: &[LayerStyle],
    order: &[usize],
    view: MapView,
    rect: Rect,
) -> f64 {
    let (build, conv, tess) = frame_times(ctx, data, styles, order, view, rect, FRAMES);
    let mut scene = Scene::default();
    let input = SceneInput {
        palette: Default::default(),
        data,
        styles,
        order,
        view,
        rect: rect.into(),
    };
    ctx.fonts_mut(|fonts| scene.update(&input, &mut EguiFonts(fonts)));
    let s = scene.stats();
    let drawn: usize = s.layers.iter().map(|l| l.drawn).sum();
    let dots: usize = s.layers.iter().map(|l| l.dots).sum();
    let vertices: usize = s.layers.iter().map(|l| l.vertices).sum();
    println!(
        "{label:<28} scene {build:6.2} ms + paint {conv:5.2} ms | egui tess {tess:6.2} ms | {drawn} features ({dots} as dots), {vertices} vertices, {} labels, {:.2} m/pt",
        s.labels, view.m_per_point
    );
    build + conv
}

fn hits(
    data: &MapData,
    styles: &[LayerStyle],
    order: &[usize],
    view: MapView,
    rect: Rect,
    label: &str,
) {
    let t = view.transform(rect);
    let mut rng = PyRandom::new(1);
    let mut times = Vec::new();
    let mut found = 0;
    for _ in 0..2_000 {
        let p = Pos2::new(
            (rng.random() * f64::from(SCREEN[0])) as f32,
            (rng.random() * f64::from(SCREEN[1])) as f32,
        );
        let t0 = Instant::now();
        let hit = hit_test(data, styles, order, &t, p, 6.0);
        times.push(ms(t0.elapsed()));
        found += usize::from(hit.is_some());
    }
    let max = times.iter().copied().fold(0.0, f64::max);
    println!(
        "hit-test, {label:<22} median {:.4} ms, max {max:.3} ms ({found} of 2000 hit)",
        median(times)
    );
}

/// The street whose box has the median area: "one street in view".
fn median_street_box(data: &MapData) -> Option<MercBox> {
    let streets = data.layers.iter().find(|l| l.role == LayerRole::Streets)?;
    let mut boxes: Vec<MercBox> = streets.geom.features.iter().map(|f| f.bbox).collect();
    boxes.sort_by(|a, b| (a.width() * a.height()).total_cmp(&(b.width() * b.height())));
    boxes.get(boxes.len() / 2).copied()
}

fn read_layer(path: &std::path::Path) -> Result<Layer, linli::Error> {
    let parsed = linli::io::geojson_in::read_file(path, None, &mut |_| {})?;
    let features = parsed
        .features
        .into_iter()
        .map(|f| Feature {
            id: uuid::Uuid::nil(),
            name: String::new(),
            geometry: f.geometry,
            properties: f.properties,
        })
        .collect();
    Ok(Layer {
        name: "polygons".into(),
        role: LayerRole::Reference,
        features,
        stored: None,
    })
}

/// Whether the file is what our generator makes (same polygons to 1e-7°).
fn compare_with_generator(layer: &Layer) -> String {
    use geo::CoordsIter;
    let generated = synthetic_layer(layer.features.len());
    let mut max_diff: f64 = 0.0;
    for (a, b) in layer.features.iter().zip(&generated.features) {
        if a.geometry.coords_count() != b.geometry.coords_count() {
            return "the file differs from this generator (vertex counts)".into();
        }
        for (p, q) in a.geometry.coords_iter().zip(b.geometry.coords_iter()) {
            max_diff = max_diff.max((p.x - q.x).abs()).max((p.y - q.y).abs());
        }
    }
    format!("the file matches this benchmark's generator to {max_diff:.1e}°")
}
