//! Foreign SQLite files that try to hang the reader (issue 19, point 11): a GeoPackage whose
//! `gpkg_contents` names a view that never ends is refused at once, and a long read of a
//! source stops when the import is cancelled.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use linli::Session;
use linli::error::Problem;
use linli::io::foreign::ReadWatch;
use linli::model::catalog::Catalog;
use linli::session::ImportRequest;

/// A GeoPackage with one layer `roads` of `n` points, made by Linli itself.
fn source(dir: &Path, n: usize) -> PathBuf {
    let json = dir.join("roads.geojson");
    let features: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"type":"Feature","properties":{{"name":"点{i}"}},"geometry":{{"type":"Point","coordinates":[{},{}]}}}}"#,
                121.4 + (i % 100) as f64 * 0.001,
                31.1 + (i / 100) as f64 * 0.001
            )
        })
        .collect();
    std::fs::write(
        &json,
        format!(
            r#"{{"type":"FeatureCollection","features":[{}]}}"#,
            features.join(",")
        ),
    )
    .unwrap();
    let path = dir.join("source.gpkg");
    let mut s = Session::create(&path, &Catalog::bundled()).unwrap();
    let request = ImportRequest {
        layer: Some("roads".into()),
        ..Default::default()
    };
    s.import_file(&json, &request, &mut |_| {}).unwrap();
    drop(s);
    path
}

#[test]
fn a_contents_entry_naming_an_endless_view_is_refused_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let path = source(dir.path(), 3);
    // The feature table becomes a recursive CTE that never ends, under the same name.
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.execute_batch(
        "ALTER TABLE roads RENAME TO roads_old;
         CREATE VIEW roads AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
         SELECT x AS fid, NULL AS geom, 'x' AS name FROM c;",
    )
    .unwrap();
    drop(conn);
    let target = dir.path().join("target.gpkg");
    let mut s = Session::create(&target, &Catalog::bundled()).unwrap();
    let request = ImportRequest {
        layer: Some("imported".into()),
        source_layer: Some("roads".into()),
        ..Default::default()
    };
    let started = Instant::now();
    let e = s.import_file(&path, &request, &mut |_| {}).unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(
        e.problem(),
        Some(&Problem::NotATable {
            name: "roads".into()
        }),
        "{e}"
    );
    let words = linli::i18n::errors::error_message(&e, linli::i18n::Lang::En);
    assert!(words.contains("not a table"), "{words}");
    // Nothing was written.
    assert_eq!(s.layers().len(), 0);
}

#[test]
fn a_long_read_stops_when_cancelled() {
    let dir = tempfile::tempdir().unwrap();
    let path = source(dir.path(), 3000);
    let cancel = Arc::new(AtomicBool::new(false));
    let watch = ReadWatch::new(Duration::from_secs(3600), cancel.clone());
    let mut features = Vec::new();
    let mut progress_calls = 0;
    // The user cancels once the first progress report comes (after 1,024 rows).
    let e = linli::io::source::read_source_layer_watched(
        &path,
        Some("roads"),
        None,
        &mut |_| {
            progress_calls += 1;
            cancel.store(true, Ordering::Relaxed);
        },
        &mut features,
        &watch,
    )
    .unwrap_err();
    assert_eq!(e.problem(), Some(&Problem::Cancelled), "{e}");
    assert!(progress_calls >= 1);
    assert!(
        features.len() < 3000,
        "the read went on to the end: {}",
        features.len()
    );
    // Without the cancel the same read finishes.
    let mut all = Vec::new();
    linli::io::source::read_source_layer_watched(
        &path,
        Some("roads"),
        None,
        &mut |_| {},
        &mut all,
        &ReadWatch::default(),
    )
    .unwrap();
    assert_eq!(all.len(), 3000);
}

#[test]
fn boundary_and_plan_imports_from_a_geopackage_or_shapefile_have_the_geojson_size_cap() {
    let dir = tempfile::tempdir().unwrap();
    let path = source(dir.path(), 3);
    // A valid GeoPackage grown past the cap with a sparse tail (no disk used): SQLite reads it
    // as it was, but a street or plan import holds every feature, so it is refused unread.
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    let big = linli::io::geojson_in::MAX_FILE_BYTES + 4096;
    file.set_len(big).unwrap();
    drop(file);
    let target = dir.path().join("target.gpkg");
    let mut s = Session::create(&target, &Catalog::bundled()).unwrap();
    for role in [
        linli::model::LayerRole::Streets,
        linli::model::LayerRole::Plan,
    ] {
        let request = ImportRequest {
            layer: Some("streets".into()),
            role,
            source_layer: Some("roads".into()),
            ..Default::default()
        };
        let e = s.import_file(&path, &request, &mut |_| {}).unwrap_err();
        assert_eq!(
            e.problem(),
            Some(&Problem::TooLarge {
                bytes: big,
                limit_gib: 2
            }),
            "{role:?}: {e}"
        );
    }
    // A shapefile whose .dbf is past the cap, likewise.
    let shp_dir = dir.path().join("shp");
    std::fs::create_dir(&shp_dir).unwrap();
    let shp = shp_dir.join("s.shp");
    {
        use shapefile::dbase;
        let table =
            dbase::TableWriterBuilder::new().add_character_field("NAME".try_into().unwrap(), 10);
        let mut w = shapefile::Writer::from_path(&shp, table).unwrap();
        let mut record = dbase::Record::default();
        record.insert(
            "NAME".into(),
            dbase::FieldValue::Character(Some("a".into())),
        );
        w.write_shape_and_record(&shapefile::Point::new(121.5, 31.2), &record)
            .unwrap();
    }
    let dbf = std::fs::OpenOptions::new()
        .write(true)
        .open(shp.with_extension("dbf"))
        .unwrap();
    dbf.set_len(big).unwrap();
    drop(dbf);
    let request = ImportRequest {
        layer: Some("streets".into()),
        role: linli::model::LayerRole::Streets,
        ..Default::default()
    };
    let e = s.import_file(&shp, &request, &mut |_| {}).unwrap_err();
    assert!(matches!(e.problem(), Some(Problem::TooLarge { .. })), "{e}");
}
