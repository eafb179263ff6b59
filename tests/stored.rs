//! Big reference layers stay in the workspace file (issue 12): the session keeps only their
//! facts, the pyramid accounts for every feature exactly once, the detail tiles partition the
//! layer, the map draws density far out and shapes close in, and a layer changed by another
//! program gets a fresh pyramid on the next open.
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use linli::Session;
use linli::analysis::index::BoxLonLat;
use linli::analysis::mercator::{TileId, merc_from_lon_lat};
use linli::io::geojson_in::SourceCrs;
use linli::model::LayerRole;
use linli::model::catalog::Catalog;
use linli::render::data::MapData;
use linli::render::labels::FixedAdvance;
use linli::render::layers::LayerStyle;
use linli::render::projection::{MapView, MercBox};
use linli::render::scene::{Scene, SceneInput};
use linli::render::screen::{ScreenRect, screen_pos};
use linli::render::tiles::TileKind;
use linli::session::ImportRequest;
use linli::store::pyramid::TileReader;

/// `n` × `n` small squares (about 25 m) on a 40 m grid, with a few parks of 1.5 km.
fn grid_geojson(path: &Path, n: usize, parks: usize) {
    let (lon0, lat0, step) = (121.50, 31.20, 0.0004);
    let mut features = Vec::new();
    for i in 0..n * n {
        let (x, y) = (lon0 + (i % n) as f64 * step, lat0 + (i / n) as f64 * step);
        let s = step * 0.6;
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"name": format!("楼{i}"), "层数": i % 30},
            "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + s, y], [x + s, y + s], [x, y + s], [x, y]]]}
        }));
    }
    for k in 0..parks {
        let (x, y) = (lon0 + 0.002 + k as f64 * 0.02, lat0 + 0.002);
        features.push(serde_json::json!({
            "type": "Feature",
            "properties": {"name": format!("公园{k}")},
            "geometry": {"type": "Polygon", "coordinates": [[[x, y], [x + 0.015, y], [x + 0.015, y + 0.012], [x, y + 0.012], [x, y]]]}
        }));
    }
    let fc = serde_json::json!({"type": "FeatureCollection", "features": features});
    std::fs::write(path, serde_json::to_string(&fc).unwrap()).unwrap();
}

fn import(ws: &Path, file: &Path, name: &str) -> Session {
    let mut session = Session::create(ws, &Catalog::bundled()).unwrap();
    let request = ImportRequest {
        layer: Some(name.into()),
        role: LayerRole::Reference,
        crs: Some(SourceCrs::Wgs84),
        name_field: None,
        ..Default::default()
    };
    session.import_geojson(file, &request, &mut |_| {}).unwrap();
    session
}

#[test]
fn a_reference_layer_is_held_as_facts_and_its_pyramid_counts_every_feature_once() {
    let dir = tempfile::tempdir().unwrap();
    let (file, ws) = (dir.path().join("grid.geojson"), dir.path().join("ws.gpkg"));
    grid_geojson(&file, 150, 2);
    let total = 150 * 150 + 2;
    let session = import(&ws, &file, "建筑");
    let layer = &session.layers()[0];
    assert!(layer.features.is_empty(), "not held in memory");
    assert_eq!(layer.feature_count(), total as u64);
    drop(session);

    let reader = TileReader::open(&ws).unwrap();
    let info = reader
        .info("建筑")
        .unwrap()
        .expect("a pyramid was built at import");
    assert!(
        info.detail_zoom > info.min_zoom,
        "22,502 features in 6 km need overview zooms: {info:?}"
    );
    assert_eq!(info.features, total as u64);
    // Every overview zoom counts every feature once.
    let extent = [121.499, 31.199, 121.58, 31.27];
    let (a, b) = (
        merc_from_lon_lat(extent[0], extent[1]),
        merc_from_lon_lat(extent[2], extent[3]),
    );
    for z in info.min_zoom..info.detail_zoom {
        let tiles = TileId::covering(z, [a[0], a[1], b[0], b[1]], 10_000);
        let sum: u64 = tiles
            .iter()
            .map(|t| reader.overview("建筑", *t).unwrap().count)
            .sum();
        assert_eq!(sum, total as u64, "zoom {z}");
    }
    // The detail tiles and the oversized list partition the layer.
    let tiles = TileId::covering(info.detail_zoom, [a[0], a[1], b[0], b[1]], 10_000);
    let mut seen = BTreeSet::new();
    let mut detail_features = 0;
    for t in &tiles {
        let features = reader.detail("建筑", *t, info.detail_zoom).unwrap();
        assert!(features.len() <= linli::store::pyramid::DETAIL_MAX);
        detail_features += features.len();
        for f in features {
            assert!(seen.insert(f.fid), "feature {} in two tiles", f.fid);
        }
    }
    let oversized = reader.oversized("建筑").unwrap();
    assert_eq!(
        oversized.len(),
        2,
        "the two parks are wider than half a tile"
    );
    assert!(oversized.iter().all(|f| f.name.starts_with("公园")));
    for f in oversized {
        assert!(seen.insert(f.fid));
    }
    assert_eq!(seen.len(), total);
    assert_eq!(detail_features, total - 2);
}

#[test]
fn queries_read_through_the_rtree_and_a_changed_layer_gets_a_new_pyramid() {
    let dir = tempfile::tempdir().unwrap();
    let (file, ws) = (dir.path().join("grid.geojson"), dir.path().join("ws.gpkg"));
    grid_geojson(&file, 60, 0);
    let session = import(&ws, &file, "建筑");
    let near = session
        .stored_features_in_box(
            0,
            BoxLonLat {
                min_lon: 121.5001,
                min_lat: 31.2001,
                max_lon: 121.5002,
                max_lat: 31.2002,
            },
            10,
        )
        .unwrap();
    assert_eq!(near.len(), 1);
    let (fid, feature) = &near[0];
    assert_eq!(feature.name, "楼0");
    assert_eq!(feature.properties["层数"], 0);
    let again = session.stored_feature(0, *fid).unwrap().unwrap();
    assert_eq!(&again, feature);
    assert_eq!(session.read_layer(0).unwrap().unwrap().features.len(), 3600);
    drop(session);

    // Another program (QGIS) deletes rows and marks the layer changed, as GDAL does.
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        let rtree = "rtree_建筑_geom";
        conn.execute_batch(&format!(
            "DELETE FROM \"{rtree}\" WHERE id <= 100; DELETE FROM \"建筑\" WHERE fid <= 100;
             UPDATE gpkg_contents SET last_change = '2030-01-01T00:00:00.000Z' WHERE table_name = '建筑';"
        ))
        .unwrap();
    }
    drop(Session::open(&ws).unwrap());
    let info = TileReader::open(&ws)
        .unwrap()
        .info("建筑")
        .unwrap()
        .unwrap();
    assert_eq!(info.features, 3500, "rebuilt after the outside change");
}

/// Builds the scene until the tiles it needs have arrived (or a few seconds pass).
fn settle(data: &mut MapData, styles: &[LayerStyle], view: MapView, rect: ScreenRect) -> Scene {
    let t = view.transform(rect);
    let view_box: MercBox = t.merc_box_of(rect);
    let visible: Vec<usize> = (0..data.layers.len()).collect();
    let started = Instant::now();
    loop {
        data.poll_tiles();
        data.request_tiles(&visible, &view_box, view.m_per_point);
        if !data.tiles.loading() || started.elapsed() > Duration::from_secs(20) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    let order: Vec<usize> = (0..data.layers.len()).collect();
    let mut scene = Scene::default();
    scene.update(
        &SceneInput {
            palette: Default::default(),
            data,
            styles,
            order: &order,
            view,
            rect,
        },
        &mut FixedAdvance::default(),
    );
    scene
}

#[test]
fn the_map_draws_density_far_out_and_shapes_close_in_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let (file, ws) = (dir.path().join("grid.geojson"), dir.path().join("ws.gpkg"));
    grid_geojson(&file, 150, 1);
    drop(import(&ws, &file, "建筑"));
    let session = Session::open(&ws).unwrap();
    let mut data = MapData::build(
        session.layers(),
        session.plan(),
        session.catalog(),
        &mut |_, _| {},
    );
    assert!(data.layers[0].geom.features.is_empty());
    data.attach_tiles(|| TileReader::open(&ws), Arc::new(|| {}))
        .unwrap();
    let styles: Vec<LayerStyle> = data.role_styles();
    let rect = ScreenRect {
        min: screen_pos(0.0, 0.0),
        max: screen_pos(1200.0, 800.0),
    };
    let extent = data.extent.unwrap();
    let far = MapView::fit(
        extent,
        linli::render::screen::screen_vec(1200.0, 800.0),
        24.0,
    );
    let scene = settle(&mut data, &styles, far, rect);
    let t = far.transform(rect);
    let wanted = data.wanted_tiles(0, &t.merc_box_of(rect), far.m_per_point);
    assert!(wanted.iter().any(|k| k.kind == TileKind::Overview));
    let stats = &scene.stats().layers[0];
    assert!(stats.vertices > 0, "density is drawn: {stats:?}");
    assert!(
        stats.drawn < 100,
        "far out, the small buildings are density, not {} shapes",
        stats.drawn
    );
    // Close in: one street's worth, drawn as shapes from detail tiles.
    let (center_lon, center_lat) = linli::analysis::mercator::lon_lat_from_merc(extent.center());
    let near = MapView {
        center_lon,
        center_lat,
        m_per_point: 0.5,
    };
    let scene = settle(&mut data, &styles, near, rect);
    let stats = &scene.stats().layers[0];
    assert!(stats.drawn > 100, "close in, shapes: {stats:?}");
    assert!(data.tiles.cached_bytes() > 0);
}
