//! A reference layer streamed from the file to the workspace (issue 9, point 4): the same
//! table as a layer written from memory, a problem found late still refuses the whole file
//! and leaves the workspace as it was, and a `crs` member after the features (read twice)
//! leaves no row of the first read behind.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

use linli::Session;
use linli::error::Problem;
use linli::model::LayerRole;
use linli::model::catalog::Catalog;
use linli::session::ImportRequest;
use linli::session::import::read_any;

fn request(layer: &str) -> ImportRequest {
    ImportRequest {
        layer: Some(layer.into()),
        ..Default::default()
    }
}

/// Writes `features` (Feature texts) as a FeatureCollection, joined by `separator`.
fn write_collection(file: &Path, features: &[String], separator: &str) {
    std::fs::write(
        file,
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}]}}",
            features.join(separator)
        ),
    )
    .unwrap();
}

fn square(x: f64, y: f64) -> String {
    format!(
        "[[{x},{y}],[{},{y}],[{},{}],[{x},{}],[{x},{y}]]",
        x + 0.001,
        x + 0.001,
        y + 0.001,
        y + 0.001
    )
}

/// Column names and declared types, then every row but the random uuid, in row order.
fn table(ws: &Path, name: &str) -> (Vec<(String, String)>, Vec<String>) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    let columns: Vec<(String, String)> = conn
        .prepare(&format!("PRAGMA table_info(\"{name}\")"))
        .unwrap()
        .query_map([], |r| Ok((r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kept: Vec<&str> = columns
        .iter()
        .map(|(c, _)| c.as_str())
        .filter(|c| *c != "uuid")
        .collect();
    let select = kept
        .iter()
        .map(|c| format!("quote(\"{c}\")"))
        .collect::<Vec<_>>()
        .join(" || '|' || ");
    let rows = conn
        .prepare(&format!("SELECT {select} FROM \"{name}\" ORDER BY fid"))
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    let kind: String = conn
        .query_row(
            "SELECT geometry_type_name FROM gpkg_geometry_columns WHERE table_name = ?1",
            [name],
            |r| r.get(0),
        )
        .unwrap();
    let mut columns = columns;
    columns.push(("geometry_type_name".into(), kind));
    (columns, rows)
}

#[test]
fn a_streamed_layer_is_the_layer_written_from_memory() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut s = Session::create(&ws, &Catalog::bundled()).unwrap();
    // Kinds that widen late (integer, then real; number, then text), a property nested late,
    // a polygon then multipolygons, a ring to close and one to drop, a repeated id.
    let mut features = Vec::new();
    for i in 0..3000 {
        let x = 121.3 + (i % 60) as f64 * 0.002;
        let y = 31.1 + (i / 60) as f64 * 0.002;
        let area = if i < 2000 {
            format!("{i}")
        } else {
            format!("{i}.5")
        };
        let code = if i == 2999 {
            "\"A9\"".to_string()
        } else {
            i.to_string()
        };
        let tags = if i == 2500 { "[1,2]" } else { "null" };
        let geometry = if i == 0 {
            format!(
                "{{\"type\":\"Polygon\",\"coordinates\":[{}]}}",
                square(x, y)
            )
        } else if i == 1500 {
            // An unclosed ring (closed by repair) and a ring of 3 positions (dropped).
            format!(
                "{{\"type\":\"MultiPolygon\",\"coordinates\":[[[[{x},{y}],[{},{y}],[{},{}],[{x},{}]]],[[[{x},{y}],[{},{y}],[{x},{y}]]]]}}",
                x + 0.001,
                x + 0.001,
                y + 0.001,
                y + 0.001,
                x + 0.001
            )
        } else {
            format!(
                "{{\"type\":\"MultiPolygon\",\"coordinates\":[[{}]]}}",
                square(x, y)
            )
        };
        features.push(format!(
            "{{\"type\":\"Feature\",\"id\":\"7d4f6b0e-3c2a-4e7b-9a55-00000000000{}\",\"properties\":{{\"name\":\"地块{i}\",\"area\":{area},\"code\":{code},\"tags\":{tags},\"ok\":{}}},\"geometry\":{geometry}}}",
            i % 2,
            i % 2 == 0
        ));
    }
    let file = dir.path().join("parcels.geojson");
    write_collection(&file, &features, ",\n");
    let streamed = s
        .import_file(&file, &request("streamed"), &mut |_| {})
        .unwrap();
    // The same file through the in-memory path (read whole, then written).
    let parsed = read_any(&file, &request("whole"), &mut |_| {}).unwrap();
    let whole = s
        .import_parsed(parsed, &file, &request("whole"), &mut |_| {})
        .unwrap();
    assert_eq!(streamed.features, 3000);
    assert_eq!(streamed.features, whole.features);
    assert_eq!(streamed.repairs, whole.repairs);
    assert!(
        !streamed.repairs.is_empty(),
        "the ring closed and the ring dropped are reported"
    );
    let (columns, rows) = table(&ws, "streamed");
    assert_eq!((columns.clone(), rows.clone()), table(&ws, "whole"));
    let kind = |c: &str| {
        columns
            .iter()
            .find(|(n, _)| n == c)
            .map(|(_, t)| t.as_str())
    };
    assert_eq!(kind("area"), Some("REAL"));
    assert_eq!(kind("code"), Some("TEXT"));
    assert_eq!(kind("ok"), Some("BOOLEAN"));
    assert_eq!(kind("tags"), None, "nested somewhere: no column");
    assert_eq!(kind("geometry_type_name"), Some("MULTIPOLYGON"));
    assert!(rows[2999].contains("'A9'"), "{}", rows[2999]);
    // Two features carry each of the two ids: the repeats got new ones.
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let distinct: i64 = conn
        .query_row("SELECT count(DISTINCT uuid) FROM streamed", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(distinct, 3000);
    let stored = &s.layers()[s
        .layers()
        .iter()
        .position(|l| l.name == "streamed")
        .unwrap()];
    assert_eq!(stored.role, LayerRole::Reference);
    assert_eq!(stored.stored.as_ref().unwrap().feature_count, 3000);
    assert!(
        stored.features.is_empty(),
        "a reference layer is not held in memory"
    );
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn a_file_whose_features_all_fit_the_first_ones_table_is_read_once_and_matches() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut s = Session::create(&ws, &Catalog::bundled()).unwrap();
    let features: Vec<String> = (0..2500)
        .map(|i| {
            let x = 121.3 + (i % 50) as f64 * 0.002;
            let y = 31.1 + (i / 50) as f64 * 0.002;
            // `amenity` is null in the first features, text later; `note` is always null.
            let amenity = if i > 1800 { "\"school\"" } else { "null" };
            format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"name\":\"楼{i}\",\"levels\":{},\"amenity\":{amenity},\"note\":null}},\"geometry\":{{\"type\":\"Polygon\",\"coordinates\":[{}]}}}}",
                i % 30,
                square(x, y)
            )
        })
        .collect();
    let file = dir.path().join("b.geojson");
    write_collection(&file, &features, ",");
    let mut reads = 0;
    s.import_file(&file, &request("streamed"), &mut |p| {
        if matches!(p, linli::io::geojson_in::Progress::Parsing { .. }) {
            reads += 1;
        }
    })
    .unwrap();
    assert!(reads > 0);
    let parsed = read_any(&file, &request("whole"), &mut |_| {}).unwrap();
    s.import_parsed(parsed, &file, &request("whole"), &mut |_| {})
        .unwrap();
    let (columns, rows) = table(&ws, "streamed");
    let (whole_columns, whole_rows) = table(&ws, "whole");
    assert_eq!(rows.len(), 2500);
    let kind = |c: &str| {
        columns
            .iter()
            .find(|(n, _)| n == c)
            .map(|(_, t)| t.as_str())
    };
    assert_eq!(kind("levels"), Some("INTEGER"));
    assert_eq!(kind("amenity"), Some("TEXT"));
    assert_eq!(kind("geometry_type_name"), Some("POLYGON"));
    // An all-null property keeps a text column when streamed (the table is made before the
    // last feature is seen); the rest is the same table.
    assert_eq!(kind("note"), Some("TEXT"));
    let without_note: Vec<_> = columns
        .iter()
        .filter(|(n, _)| n != "note")
        .cloned()
        .collect();
    assert_eq!(without_note, whole_columns);
    let strip = |r: &String| r.trim_end_matches("|NULL").to_string();
    assert_eq!(
        rows.iter().map(strip).collect::<Vec<_>>(),
        whole_rows.iter().map(strip).collect::<Vec<_>>()
    );
}

#[test]
fn problems_found_late_refuse_the_file_and_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut s = Session::create(&ws, &Catalog::bundled()).unwrap();
    let features: Vec<String> = (0..5000)
        .map(|i| {
            let x = if i == 4000 || i == 4990 { 999.0 } else { 121.3 + (i % 70) as f64 * 0.001 };
            format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{x},31.2]}}}}"
            )
        })
        .collect();
    let file = dir.path().join("late.geojson");
    write_collection(&file, &features, ",");
    let before = common::dump(&ws);
    let e = s
        .import_file(&file, &request("late"), &mut |_| {})
        .unwrap_err();
    let Some(Problem::Several { listed, total }) = e.problem() else {
        panic!("several expected: {e}")
    };
    assert_eq!(*total, 2);
    assert_eq!(listed[0].0, Some(4000));
    assert_eq!(listed[1].0, Some(4990));
    assert_eq!(before, common::dump(&ws));
    assert!(s.layers().iter().all(|l| l.name != "late"));
}

#[test]
fn a_crs_after_the_features_is_read_again_without_leftover_rows() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut s = Session::create(&ws, &Catalog::bundled()).unwrap();
    // CGCS2000 / 3-degree Gauss-Krüger CM 120E (EPSG:4549), near Shanghai, crs at the end.
    let features: Vec<String> = (0..1500)
        .map(|i| {
            format!(
                "{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{},3456000.0]}}}}",
                350_000.0 + f64::from(i)
            )
        })
        .collect();
    let file = dir.path().join("late_crs.geojson");
    std::fs::write(
        &file,
        format!(
            "{{\"type\":\"FeatureCollection\",\"features\":[{}],\"crs\":{{\"type\":\"name\",\"properties\":{{\"name\":\"urn:ogc:def:crs:EPSG::4549\"}}}}}}",
            features.join(",")
        ),
    )
    .unwrap();
    let report = s.import_file(&file, &request("gk"), &mut |_| {}).unwrap();
    assert_eq!(report.features, 1500);
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let (n, min_x, max_x): (i64, f64, f64) = conn
        .query_row(
            "SELECT count(*), min(minx), max(maxx) FROM rtree_gk_geom",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(n, 1500);
    let rows: i64 = conn
        .query_row("SELECT count(*) FROM gk", [], |r| r.get(0))
        .unwrap();
    assert_eq!(rows, 1500, "no row of the first read is left");
    assert!(
        (118.0..120.0).contains(&min_x) && max_x < 120.0,
        "{min_x} {max_x}"
    );
    assert!(s.check().unwrap().is_empty());
}

/// Imports `file` as layer `layer` through the in-memory path (read whole, then written).
fn import_whole(s: &mut Session, file: &Path, layer: &str) {
    let parsed = read_any(file, &request(layer), &mut |_| {}).unwrap();
    s.import_parsed(parsed, file, &request(layer), &mut |_| {})
        .unwrap();
}

/// A square as a Polygon, or as a MultiPolygon of one when `multi`.
fn square_geometry(x: f64, y: f64, multi: bool) -> String {
    if multi {
        format!(
            "{{\"type\":\"MultiPolygon\",\"coordinates\":[[{}]]}}",
            square(x, y)
        )
    } else {
        format!(
            "{{\"type\":\"Polygon\",\"coordinates\":[{}]}}",
            square(x, y)
        )
    }
}

/// The declared type of column `c` among `table`'s columns.
fn kind_of<'a>(columns: &'a [(String, String)], c: &str) -> Option<&'a str> {
    columns
        .iter()
        .find(|(n, _)| n == c)
        .map(|(_, t)| t.as_str())
}

/// A new workspace in `dir` and its session.
fn workspace(dir: &Path) -> (std::path::PathBuf, Session) {
    let ws = dir.join("w.gpkg");
    let s = Session::create(&ws, &Catalog::bundled()).unwrap();
    (ws, s)
}

/// Where feature `i` lies: a grid of 60 a row over west Shanghai.
fn cell(i: usize) -> (f64, f64) {
    (
        121.3 + (i % 60) as f64 * 0.002,
        31.1 + (i / 60) as f64 * 0.002,
    )
}

/// The `Parsing` reports of one import, in order.
fn import_counting_reads(s: &mut Session, file: &Path, layer: &str) -> Vec<u64> {
    let mut done = Vec::new();
    s.import_file(file, &request(layer), &mut |p| {
        if let linli::io::geojson_in::Progress::Parsing { done: d, .. } = p {
            done.push(d);
        }
    })
    .unwrap();
    done
}

/// Writes a file as GDAL writes a mixed OSM extract (see the test below) to `file`.
fn write_mixed_osm(file: &Path) {
    // As GDAL writes a mixed OSM extract: 1,500 points, then 1,500 lines, then polygons and
    // multipolygons; keys first seen with the lines (`z_order`, a number) and the polygons
    // (`building`), `layer` null among the points and a number later, `width` a boolean then
    // a real then text, `ele` a real then text (the values written before become what
    // the file's value bound as text gives, never SQLite's spelling of a float).
    let mut features = Vec::new();
    for i in 0..4500 {
        let (x, y) = cell(i);
        let (geometry, extra) = match i {
            0..1500 => (
                format!("{{\"type\":\"Point\",\"coordinates\":[{x},{y}]}}"),
                format!(
                    "\"highway\":\"traffic_signals\",\"layer\":null,\"width\":{},\"ele\":{i}.25e-1",
                    i % 2 == 0
                ),
            ),
            1500..3000 => (
                format!(
                    "{{\"type\":\"LineString\",\"coordinates\":[[{x},{y}],[{},{}]]}}",
                    x + 0.001,
                    y + 0.001
                ),
                format!(
                    "\"highway\":\"residential\",\"z_order\":{},\"layer\":{},\"width\":{},\"ele\":\"高架\"",
                    i % 7,
                    i % 3,
                    if i < 2000 {
                        "true"
                    } else {
                        "0.10000000000000001"
                    }
                ),
            ),
            _ => (
                square_geometry(x, y, i % 2 == 1),
                format!(
                    "\"building\":\"yes\",\"layer\":2,\"width\":{}",
                    if i == 4499 { "\"3 m\"" } else { "1e300" }
                ),
            ),
        };
        features.push(format!(
            "{{\"type\":\"Feature\",\"properties\":{{\"osm_id\":\"{i}\",\"name\":\"路{i}\",{extra}}},\"geometry\":{geometry}}}"
        ));
    }
    write_collection(file, &features, ",\n");
}

#[test]
fn points_then_lines_then_polygons_widen_the_table_in_one_read() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut s) = workspace(dir.path());
    let file = dir.path().join("mixed_osm.geojson");
    write_mixed_osm(&file);
    let reads = import_counting_reads(&mut s, &file, "streamed");
    // One read: the reports count up to the last feature once, never starting again.
    assert!(reads.windows(2).all(|w| w[0] <= w[1]), "{reads:?}");
    assert_eq!(reads.last(), Some(&4500));
    import_whole(&mut s, &file, "whole");
    let (columns, rows) = table(&ws, "streamed");
    assert_eq!((columns.clone(), rows.clone()), table(&ws, "whole"));
    let kind = |c: &str| kind_of(&columns, c);
    assert_eq!(kind("geometry_type_name"), Some("GEOMETRY"));
    assert_eq!(kind("geom"), Some("GEOMETRY"));
    assert_eq!(kind("z_order"), Some("INTEGER"));
    assert_eq!(kind("layer"), Some("INTEGER"));
    assert_eq!(kind("width"), Some("TEXT"));
    assert_eq!(kind("building"), Some("TEXT"));
    assert!(rows[0].contains("'true'"), "{}", rows[0]);
    assert_eq!(kind("ele"), Some("TEXT"));
    assert!(rows[3].contains("'0.325'"), "{}", rows[3]);
    assert!(rows[2500].contains("'0.1'"), "{}", rows[2500]);
    let conn = rusqlite::Connection::open(&ws).unwrap();
    let sql = |t: &str| -> String {
        conn.query_row(
            "SELECT replace(sql, ?1, '') FROM sqlite_master WHERE name = ?1",
            [t],
            |r| r.get(0),
        )
        .unwrap()
    };
    assert_eq!(sql("streamed"), sql("whole"));
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn polygons_then_multipolygons_then_a_point_keep_each_geometry_as_read() {
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut s) = workspace(dir.path());
    let geometry = |i: usize| {
        let (x, y) = cell(i);
        square_geometry(x, y, i >= 1500)
    };
    let feature = |i: usize, g: String| {
        format!("{{\"type\":\"Feature\",\"properties\":{{\"n\":{i}}},\"geometry\":{g}}}")
    };
    // Polygons, then multipolygons: a MULTIPOLYGON table, the polygons promoted.
    let multi: Vec<String> = (0..2500).map(|i| feature(i, geometry(i))).collect();
    let file = dir.path().join("multi.geojson");
    write_collection(&file, &multi, ",");
    // The same and one point at the end: a GEOMETRY table, every geometry as the file has it.
    let mut any = multi.clone();
    any.push(feature(
        2500,
        "{\"type\":\"Point\",\"coordinates\":[121.4,31.2]}".into(),
    ));
    let any_file = dir.path().join("any.geojson");
    write_collection(&any_file, &any, ",");
    for (file, layer, kind) in [
        (&file, "multi", "MULTIPOLYGON"),
        (&any_file, "any", "GEOMETRY"),
    ] {
        let reads = import_counting_reads(&mut s, file, layer);
        assert!(reads.windows(2).all(|w| w[0] <= w[1]), "{reads:?}");
        let whole = format!("{layer}_whole");
        import_whole(&mut s, file, &whole);
        let (columns, rows) = table(&ws, layer);
        assert_eq!((columns.clone(), rows), table(&ws, &whole));
        assert_eq!(columns.last().map(|(_, t)| t.as_str()), Some(kind));
    }
    assert!(s.check().unwrap().is_empty());
}

#[test]
fn a_widened_layer_passes_gdals_validator_and_ogrinfo_reads_it() {
    let Some(python) = common::gpkg_validator_python() else {
        println!("skipped: GDAL's GeoPackage validator (Debian python3-gdal) is not installed");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let (ws, mut s) = workspace(dir.path());
    let file = dir.path().join("mixed_osm.geojson");
    write_mixed_osm(&file);
    import_counting_reads(&mut s, &file, "osm");
    drop(s);
    let report = common::validate_gpkg(python, &ws);
    assert!(report.trim().is_empty(), "validate_gpkg:\n{report}");
    let Ok(info) = std::process::Command::new("ogrinfo")
        .args(["-so", "-al"])
        .arg(&ws)
        .arg("osm")
        .output()
    else {
        println!("skipped: ogrinfo is not installed");
        return;
    };
    let text = String::from_utf8_lossy(&info.stdout);
    assert!(info.status.success(), "{text}");
    assert!(text.contains("Feature Count: 4500"), "{text}");
    assert!(text.contains("Geometry: Unknown (any)"), "{text}");
    assert!(text.contains("z_order: Integer"), "{text}");
    assert!(text.contains("ele: String"), "{text}");
}
