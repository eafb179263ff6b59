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
use std::io::Write;
use std::path::{Path, PathBuf};
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
    let styles = styles_of(&sample);
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
        let data = MapData::build(ws.layers(), ws.plan(), ws.catalog(), &mut |_, _| {});
        let t_cache = t0.elapsed();
        let styles = styles_of(&data);
        let order: Vec<usize> = (0..data.layers.len()).collect();
        let view = MapView::fit(
            data.extent.ok_or("the polygon layer is empty")?,
            rect.size(),
            0.0,
        );
        let mut scene = Scene::default();
        let mut paint = PaintCache::default();
        let input = SceneInput {
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
        "time to first map (best of 3): {first_ms:.0} ms = open {open_ms:.0} ms + map cache {cache_ms:.0} ms + first scene and shapes {frame_ms:.0} ms"
    );
    let big = opened.ok_or("no data")?;
    println!(
        "map cache: {} vertices over all levels",
        big.layers[0].geom.vertices.len()
    );
    let styles = styles_of(&big);
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
    let full_ms = run(&ctx, "100k, full extent", &big, &styles, &order, full, rect);
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
        let (scene, paint, _) = frame_times(&ctx, &big, &styles, &order, view, rect, 12);
        println!(
            "  {:>8.2} m/pt: scene {scene:6.2} ms + paint {paint:5.2} ms",
            view.m_per_point
        );
        worst = worst.max(scene + paint);
        view = view.zoomed_around(1.5, rect.center(), rect);
    }
    println!("  worst: {worst:.2} ms per frame (target ≤ 8 ms)");
    hits(&big, &styles, &order, full, rect, "100k, full extent");
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

fn styles_of(data: &MapData) -> Vec<LayerStyle> {
    data.layers
        .iter()
        .map(|l| LayerStyle::for_role(l.role))
        .collect()
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
            street: None,
            community: None,
        })
        .collect();
    let mut data = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
    let mut rebuilt = MapData::build(&[], &plan, &catalog, &mut |_, _| {});
    let styles = styles_of(&data);
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

/// What QGIS measured.
struct Qgis {
    load_ms: f64,
    full_ms: f64,
    zoomed_ms: f64,
}

/// Runs `../shared/bench/qgis_bench.py` on `source` with a Python that has QGIS.
fn qgis(source: &str) -> Result<Qgis, String> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/qgis_bench.py");
    if !script.exists() {
        return Err(format!("{} not found", script.display()));
    }
    let python = ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|py| {
            std::process::Command::new(py)
                .args(["-c", "import qgis.core"])
                .env("QT_QPA_PLATFORM", "offscreen")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .ok_or("no Python with the qgis module: QGIS is not installed")?;
    let out = std::process::Command::new(python)
        .arg(&script)
        .arg(source)
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .map_err(|e| e.to_string())?;
    let text = String::from_utf8_lossy(&out.stdout);
    let figure = |prefix: &str| -> Result<f64, String> {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .and_then(|l| l.rsplit(':').next())
            .and_then(|v| v.trim().trim_end_matches("ms").trim().parse().ok())
            .ok_or_else(|| {
                format!(
                    "qgis_bench.py printed no '{prefix}' line: {}{}",
                    text.trim(),
                    String::from_utf8_lossy(&out.stderr).trim()
                )
            })
    };
    Ok(Qgis {
        load_ms: figure("qgis load")?,
        full_ms: figure("qgis render full extent")?,
        zoomed_ms: figure("qgis render 1/20 extent")?,
    })
}

fn write_geojson(layer: &Layer, path: &Path) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
    write!(out, "{{\"type\": \"FeatureCollection\", \"features\": [")?;
    for (i, f) in layer.features.iter().enumerate() {
        let geo::Geometry::Polygon(p) = &f.geometry else {
            continue;
        };
        if i > 0 {
            write!(out, ",")?;
        }
        let ring: Vec<String> = p
            .exterior()
            .0
            .iter()
            .map(|c| format!("[{}, {}]", c.x, c.y))
            .collect();
        write!(
            out,
            "{{\"type\": \"Feature\", \"properties\": {{\"id\": {i}, \"name\": \"地块{i}\"}}, \"geometry\": {{\"type\": \"Polygon\", \"coordinates\": [[{}]]}}}}",
            ring.join(", ")
        )?;
    }
    writeln!(out, "]}}")?;
    out.flush()
}

fn ms(d: std::time::Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Median scene, paint and egui-tessellation times over `frames` frames, panning a point each
/// frame so the scene really rebuilds.
fn frame_times(
    ctx: &egui::Context,
    data: &MapData,
    styles: &[LayerStyle],
    order: &[usize],
    view: MapView,
    rect: Rect,
    frames: usize,
) -> (f64, f64, f64) {
    let mut scene = Scene::default();
    let mut paint = PaintCache::default();
    let (mut build, mut conv, mut tess) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..frames {
        let view = view.panned(vec2(if i % 2 == 0 { 1.0 } else { -1.0 }, 0.0));
        let input = SceneInput {
            data,
            styles,
            order,
            view,
            rect: rect.into(),
        };
        scene.invalidate();
        let t0 = Instant::now();
        ctx.fonts_mut(|fonts| scene.update(&input, &mut EguiFonts(fonts)));
        build.push(ms(t0.elapsed()));
        let t0 = Instant::now();
        ctx.fonts_mut(|fonts| paint.update(&scene, fonts));
        conv.push(ms(t0.elapsed()));
        let shapes: Vec<egui::epaint::ClippedShape> = paint
            .shapes()
            .iter()
            .cloned()
            .map(|shape| egui::epaint::ClippedShape {
                clip_rect: rect,
                shape,
                transform_after_tessellation: egui::emath::TSTransform::IDENTITY,
            })
            .collect();
        let t0 = Instant::now();
        let primitives = ctx.tessellate(shapes, 1.0);
        tess.push(ms(t0.elapsed()));
        drop(primitives);
    }
    (median(build), median(conv), median(tess))
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
    })
}

/// `gen_polygons.py`'s layer: N concave 17-vertex stars on a grid over Pudong.
fn synthetic_layer(n: usize) -> Layer {
    let mut rng = PyRandom::new(977);
    let (lon0, lon1, lat0, lat1) = (121.45, 121.95, 30.85, 31.40);
    let side = (n as f64).sqrt().ceil() as usize;
    let (dx, dy) = ((lon1 - lon0) / side as f64, (lat1 - lat0) / side as f64);
    let round7 = |x: f64| (x * 1e7).round() / 1e7;
    let features = (0..n)
        .map(|i| {
            let cx = lon0 + ((i % side) as f64 + 0.5) * dx;
            let cy = lat0 + ((i / side) as f64 + 0.5) * dy;
            let r = 0.4 * dx.min(dy);
            let mut ring: Vec<(f64, f64)> = (0..16)
                .map(|k| {
                    let a = 2.0 * std::f64::consts::PI * k as f64 / 16.0;
                    let rr = r * if k % 2 == 0 {
                        1.0
                    } else {
                        0.45 + 0.2 * rng.random()
                    };
                    (round7(cx + rr * a.cos()), round7(cy + rr * a.sin()))
                })
                .collect();
            ring.push(ring[0]);
            let geometry =
                geo::Geometry::Polygon(geo::Polygon::new(geo::LineString::from(ring), vec![]));
            Feature {
                id: uuid::Uuid::nil(),
                name: format!("地块{i}"),
                geometry,
                properties: Default::default(),
            }
        })
        .collect();
    Layer {
        name: "polygons".into(),
        role: LayerRole::Reference,
        features,
    }
}

/// CPython's `random.Random(seed).random()`: MT19937 seeded by `init_by_array([seed])`.
struct PyRandom {
    mt: [u32; 624],
    index: usize,
}

impl PyRandom {
    fn new(seed: u32) -> Self {
        let mut mt = [0u32; 624];
        mt[0] = 19_650_218;
        for i in 1..624 {
            mt[i] = 1_812_433_253u32
                .wrapping_mul(mt[i - 1] ^ (mt[i - 1] >> 30))
                .wrapping_add(i as u32);
        }
        let key = [seed];
        let (mut i, mut j) = (1usize, 0usize);
        for _ in 0..624.max(key.len()) {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_664_525))
                .wrapping_add(key[j])
                .wrapping_add(j as u32);
            i += 1;
            j += 1;
            if i >= 624 {
                mt[0] = mt[623];
                i = 1;
            }
            if j >= key.len() {
                j = 0;
            }
        }
        for _ in 0..623 {
            mt[i] = (mt[i] ^ (mt[i - 1] ^ (mt[i - 1] >> 30)).wrapping_mul(1_566_083_941))
                .wrapping_sub(i as u32);
            i += 1;
            if i >= 624 {
                mt[0] = mt[623];
                i = 1;
            }
        }
        mt[0] = 0x8000_0000;
        Self { mt, index: 624 }
    }

    fn next_u32(&mut self) -> u32 {
        if self.index >= 624 {
            for k in 0..624 {
                let y = (self.mt[k] & 0x8000_0000) | (self.mt[(k + 1) % 624] & 0x7fff_ffff);
                let mut v = self.mt[(k + 397) % 624] ^ (y >> 1);
                if y & 1 != 0 {
                    v ^= 0x9908_b0df;
                }
                self.mt[k] = v;
            }
            self.index = 0;
        }
        let mut y = self.mt[self.index];
        self.index += 1;
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c_5680;
        y ^= (y << 15) & 0xefc6_0000;
        y ^ (y >> 18)
    }

    fn random(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }
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
