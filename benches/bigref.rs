//! Big reference layers drawn from the workspace file (issue 12): for 100,000, 400,000 and
//! 1,000,000 generated polygons (`../shared/bench/gen_polygons.py`'s layer, generated here to
//! the bit), the import with its pyramid (beside `ogr2ogr -f GPKG` on the same file when GDAL is
//! installed), the time from opening the workspace to the first map, the CPU per frame at every
//! zoom of a sweep from the full extent down to one street (scene + paint, tiles loaded off the
//! thread first, as the window's loader does), the memory held, and QGIS on the same GeoPackage
//! in the same run (`qgis_bench.py`, where `python3-qgis` is installed).
//!
//! `cargo bench --bench bigref` (all three sizes), or `LINLI_BIGREF_SIZES=100000 cargo bench
//! --bench bigref` for some; `LINLI_BIGREF_GPKG=WS.gpkg LINLI_BIGREF_LAYER=NAME` measures an
//! existing workspace's layer instead (no generation or import).

use std::sync::Arc;
use std::time::Instant;

use egui::{Pos2, Rect, vec2};
use linli::Session;
use linli::gui::map::paint::{EguiFonts, PaintCache};
use linli::model::LayerRole;
use linli::model::catalog::Catalog;
use linli::render::data::MapData;
use linli::render::projection::MapView;
use linli::render::scene::{Scene, SceneInput};
use linli::session::ImportRequest;

mod common;
use common::{
    frame_times, ms, qgis, reset_peak, rss_mb, settle_tiles, synthetic_layer, write_geojson,
};

const SCREEN: [f32; 2] = [1600.0, 1000.0];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let sizes: Vec<usize> = std::env::var("LINLI_BIGREF_SIZES")
        .unwrap_or_else(|_| "100000,400000,1000000".into())
        .split(',')
        .filter_map(|s| s.trim().parse().ok())
        .collect();
    let ctx = egui::Context::default();
    linli::gui::install_fonts(&ctx);
    let rect = Rect::from_min_size(Pos2::ZERO, vec2(SCREEN[0], SCREEN[1]));
    let _ = ctx.run_ui(
        egui::RawInput {
            screen_rect: Some(rect),
            ..Default::default()
        },
        |_| {},
    );
    println!(
        "Linli big reference layers: {}x{} points; targets: first map ≤ 500 ms, ≤ 8 ms CPU per frame, window ≤ 400 MB at 1,000,000",
        SCREEN[0], SCREEN[1]
    );
    let mut summary = Vec::new();
    if let Ok(gpkg) = std::env::var("LINLI_BIGREF_GPKG") {
        let layer = std::env::var("LINLI_BIGREF_LAYER").unwrap_or_else(|_| "polygons".into());
        println!("\n== {gpkg}, layer {layer}");
        summary.push(view_workspace(
            &ctx,
            std::path::Path::new(&gpkg),
            &layer,
            rect,
        )?);
    } else {
        for n in sizes {
            summary.push(one_size(&ctx, n, rect)?);
        }
    }
    println!("\nsummary");
    for line in summary {
        println!("  {line}");
    }
    Ok(())
}

fn one_size(
    ctx: &egui::Context,
    n: usize,
    rect: Rect,
) -> Result<String, Box<dyn std::error::Error>> {
    let dir = tempfile::tempdir()?;
    let geojson = dir.path().join("polygons.geojson");
    {
        let layer = synthetic_layer(n);
        write_geojson(&layer, &geojson)?;
    }
    let mb = std::fs::metadata(&geojson)?.len() as f64 / 1e6;
    println!("\n== {n} polygons ({mb:.0} MB GeoJSON)");

    // --- import, with the pyramid ---
    let gpkg = dir.path().join("polygons.gpkg");
    let t0 = Instant::now();
    {
        let mut ws = Session::create(&gpkg, &Catalog::bundled())?;
        let request = ImportRequest {
            layer: Some("polygons".into()),
            role: LayerRole::Reference,
            crs: Some(linli::io::geojson_in::SourceCrs::Wgs84),
            name_field: None,
            ..Default::default()
        };
        ws.import_geojson(&geojson, &request, &mut |_| {})?;
    }
    let import_ms = ms(t0.elapsed());
    let pyramid_ms = {
        let mut conn = rusqlite::Connection::open(&gpkg)?;
        let tx = conn.transaction()?;
        let t0 = Instant::now();
        let info = linli::store::pyramid::build(&tx, "polygons")?;
        let t = ms(t0.elapsed());
        tx.rollback()?;
        println!(
            "pyramid: zooms {}–{} overview, detail from zoom {}",
            info.min_zoom,
            info.detail_zoom.saturating_sub(1),
            info.detail_zoom
        );
        t
    };
    let gpkg_mb = std::fs::metadata(&gpkg)?.len() as f64 / 1e6;
    let ogr = ogr2ogr_ms(&geojson, &dir.path().join("ogr.gpkg"));
    println!(
        "import {import_ms:.0} ms (of which the pyramid {pyramid_ms:.0} ms), workspace {gpkg_mb:.0} MB{}",
        ogr.map_or(String::from("; ogr2ogr not installed"), |o| format!(
            "; ogr2ogr -f GPKG {o:.0} ms, ratio {:.2}x",
            import_ms / o
        ))
    );
    let _ = std::fs::remove_file(&geojson);
    let viewed = view_workspace(ctx, &gpkg, "polygons", rect)?;
    Ok(format!(
        "{n:>9}: import {import_ms:.0} ms (pyramid {pyramid_ms:.0}){}, {viewed}",
        ogr.map_or(String::new(), |o| format!(
            " = {:.2}x ogr2ogr",
            import_ms / o
        ))
    ))
}

/// Opens a workspace, draws its first map, sweeps the zooms and asks QGIS; the summary line.
fn view_workspace(
    ctx: &egui::Context,
    gpkg: &std::path::Path,
    layer: &str,
    rect: Rect,
) -> Result<String, Box<dyn std::error::Error>> {
    // --- open to first map ---
    reset_peak();
    let (rss_before, _) = rss_mb();
    let t0 = Instant::now();
    let session = Session::open(gpkg)?;
    let t_open = ms(t0.elapsed());
    let mut data = MapData::build(
        session.layers(),
        session.plan(),
        session.catalog(),
        &mut |_, _| {},
    );
    data.attach_tiles(
        || linli::store::pyramid::TileReader::open(gpkg),
        Arc::new(|| {}),
    )?;
    let styles = data.role_styles();
    let order: Vec<usize> = (0..data.layers.len()).collect();
    let li = data
        .layers
        .iter()
        .position(|l| l.name == layer)
        .ok_or_else(|| format!("no layer {layer}"))?;
    let extent = data.layers[li].geom.extent.ok_or("the layer is empty")?;
    let full = MapView::fit(extent, rect.size(), 0.0);
    settle_tiles(&mut data, &styles, full, rect);
    let t_tiles = ms(t0.elapsed());
    let mut scene = Scene::default();
    let mut paint = PaintCache::default();
    ctx.fonts_mut(|fonts| {
        scene.update(
            &SceneInput {
                palette: Default::default(),
                data: &data,
                styles: &styles,
                order: &order,
                view: full,
                rect: rect.into(),
            },
            &mut EguiFonts(fonts),
        );
        paint.update(&scene, fonts);
    });
    let first_ms = ms(t0.elapsed());
    println!(
        "first map {first_ms:.0} ms = open {t_open:.0} ms + map data and first tiles {:.0} ms + scene and shapes {:.0} ms",
        t_tiles - t_open,
        first_ms - t_tiles
    );

    // --- zoom sweep, full extent to one street (about 1 m per point) ---
    println!("zoom sweep (scene + paint per rebuilt frame; tiles loaded first, off this thread):");
    let mut worst: f64 = 0.0;
    let mut view = full;
    let mut load_worst: f64 = 0.0;
    loop {
        let load = settle_tiles(&mut data, &styles, view, rect);
        load_worst = load_worst.max(load);
        let (scene_ms, paint_ms, _) = frame_times(ctx, &data, &styles, &order, view, rect, 9);
        worst = worst.max(scene_ms + paint_ms);
        let mut s = Scene::default();
        ctx.fonts_mut(|fonts| {
            s.update(
                &SceneInput {
                    palette: Default::default(),
                    data: &data,
                    styles: &styles,
                    order: &order,
                    view,
                    rect: rect.into(),
                },
                &mut EguiFonts(fonts),
            )
        });
        let st = &s.stats().layers[li];
        println!(
            "  {:>8.2} m/pt: scene {scene_ms:6.2} ms + paint {paint_ms:5.2} ms | {} shapes, {} vertices | tiles {load:5.0} ms, cache {:.0} MB",
            view.m_per_point,
            st.drawn,
            st.vertices,
            data.tiles.cached_bytes() as f64 / 1e6
        );
        if view.m_per_point <= 1.0 {
            break;
        }
        view = view.zoomed_around(1.6, rect.center(), rect);
    }
    let (rss, peak) = rss_mb();
    println!(
        "worst frame {worst:.2} ms; slowest tile set {load_worst:.0} ms; memory now {rss:.0} MB, peak since opening {peak:.0} MB (before opening {rss_before:.0} MB)"
    );

    // --- QGIS on the same GeoPackage ---
    let q = qgis(&format!("{}|layername={layer}", gpkg.display()));
    let peer = match &q {
        Ok(q) => {
            println!(
                "QGIS (same run): open {:.0} ms, full extent {:.0} ms, 1/20 extent {:.0} ms",
                q.load_ms, q.full_ms, q.zoomed_ms
            );
            format!(
                ", QGIS open+full render {:.0} ms ({:.1}x Linli's first map)",
                q.load_ms + q.full_ms,
                (q.load_ms + q.full_ms) / first_ms
            )
        }
        Err(why) => {
            println!("QGIS not run ({why})");
            String::new()
        }
    };
    Ok(format!(
        "first map {first_ms:.0} ms, worst frame {worst:.2} ms, memory since opening {:.0} MB{peer}",
        peak - rss_before
    ))
}

/// `ogr2ogr -f GPKG` on the same file, milliseconds; `None` without GDAL.
fn ogr2ogr_ms(src: &std::path::Path, dst: &std::path::Path) -> Option<f64> {
    let t0 = Instant::now();
    let out = std::process::Command::new("ogr2ogr")
        .args(["-f", "GPKG"])
        .arg(dst)
        .arg(src)
        .output()
        .ok()?;
    let _ = std::fs::remove_file(dst);
    out.status.success().then(|| ms(t0.elapsed()))
}
