//! `linli import` end to end through the real binary: the repair summary and its first 20
//! entries, `--report FILE` as CSV, and `--strict` refusing with every problem listed.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::{dump, run};

/// 25 polygons, each ring left open (GDAL writes such files from broken OSM relations).
fn open_rings() -> String {
    let features: Vec<String> = (0..25)
        .map(|i| {
            let x = 121.4 + i as f64 * 0.01;
            format!(
                r#"{{"type":"Feature","id":"way/{i}","properties":{{"name":"p{i}"}},"geometry":{{"type":"Polygon","coordinates":[[[{x},31.2],[{},31.2],[{},31.21]]]}}}}"#,
                x + 0.005,
                x + 0.005
            )
        })
        .collect();
    format!(
        r#"{{"type":"FeatureCollection","features":[{}]}}"#,
        features.join(",")
    )
}

#[test]
fn repairs_are_summarised_reported_and_refused_under_strict() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let ws = ws.to_str().unwrap();
    assert!(run(&["new", ws]).status.success());
    let file = dir.path().join("open.geojson");
    std::fs::write(&file, open_rings()).unwrap();
    let file = file.to_str().unwrap();

    let before = dump(std::path::Path::new(ws));
    let o = run(&["import", ws, file, "--layer", "osm", "--strict"]);
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("25 problems found (the first 20 listed)"),
        "{err}"
    );
    assert!(err.contains("feature 19: would need a repair"), "{err}");
    assert!(!err.contains("feature 20:"), "{err}");
    assert_eq!(before, dump(std::path::Path::new(ws)));

    let csv = dir.path().join("report.csv");
    let o = run(&[
        "import",
        ws,
        file,
        "--layer",
        "osm",
        "--report",
        csv.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8_lossy(&o.stdout);
    assert!(out.contains("imported 25 features into osm"), "{out}");
    assert!(out.contains("made 25 repairs in 25 features"), "{out}");
    assert!(
        out.contains("feature 0 (id way/0): ring 0 was not closed"),
        "{out}"
    );
    assert!(out.contains("... and 5 more"), "{out}");
    let report = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(report.lines().count(), 26);
    assert!(report.contains("\r\n24,way/24,ring_closed,"), "{report}");
    assert!(run(&["check", ws]).status.success());
}
