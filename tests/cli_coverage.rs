//! `linli coverage` and `linli candidates` on the sample workspace: the CSV the bureau opens in
//! Excel, the uncovered overlay and candidate sites as GeoJSON, errors naming what is wrong,
//! and the workspace left byte for byte as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

fn sample_ws(dir: &Path) -> String {
    let ws = dir.join("ws.gpkg");
    let out = common::run(&["new", ws.to_str().unwrap(), "--sample"]);
    assert!(out.status.success(), "{out:?}");
    ws.to_str().unwrap().to_string()
}

/// `linli coverage WS --areas 居村委 --element pocket_garden`, to be completed.
fn gardens(ws: &str) -> std::process::Command {
    let mut c = common::linli();
    c.args([
        "coverage",
        ws,
        "--areas",
        "居村委",
        "--element",
        "pocket_garden",
    ]);
    c
}

#[test]
fn coverage_writes_one_row_per_community_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let before = std::fs::read(&ws).unwrap();
    let csv = dir.path().join("cov.csv");
    let out = gardens(&ws)
        .args(["--element", "公共设施", "--distance", "500", "-o"])
        .arg(&csv)
        .env("LANG", "C")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("% of the area covered"), "{stdout}");
    let text = std::fs::read_to_string(&csv).unwrap();
    assert!(text.starts_with('\u{feff}'));
    let mut lines = text.trim_start_matches('\u{feff}').lines();
    assert_eq!(
        lines.next(),
        Some("id,name,area_m2,covered_m2,covered_share")
    );
    let rows: Vec<Vec<String>> = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert!(rows.len() > 10, "{}", rows.len());
    let shares: Vec<f64> = rows.iter().map(|r| r[4].parse().unwrap()).collect();
    assert!(shares.iter().all(|s| (0.0..=1.0).contains(s)));
    assert!(shares.iter().any(|&s| s > 0.0), "some community is covered");
    assert!(shares.iter().any(|&s| s < 1.0), "some community has a gap");
    // Areas are positive and covered area never exceeds them.
    for r in &rows {
        let (a, c): (f64, f64) = (r[2].parse().unwrap(), r[3].parse().unwrap());
        assert!(a > 0.0 && c <= a + 1.0, "{r:?}");
    }
    // The uncovered overlay as GeoJSON, told by the extension.
    let gj = dir.path().join("gap.geojson");
    let out = gardens(&ws)
        .args(["--distance", "300", "-o"])
        .arg(&gj)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&gj).unwrap()).unwrap();
    let features = v["features"].as_array().unwrap();
    assert!(!features.is_empty());
    assert_eq!(features[0]["geometry"]["type"], "MultiPolygon");
    assert_eq!(std::fs::read(&ws).unwrap(), before, "read-only");
    assert!(!Path::new(&format!("{ws}-wal")).exists());
}

#[test]
fn candidates_are_ranked_points() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let out_path = dir.path().join("c.geojson");
    let out = common::linli()
        .args([
            "candidates",
            &ws,
            "--areas",
            "居村委",
            "--element",
            "pocket_garden",
        ])
        .args(["--distance", "500", "-n", "5", "-o"])
        .arg(&out_path)
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("候选地点"));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&out_path).unwrap()).unwrap();
    let f = v["features"].as_array().unwrap();
    assert_eq!(f.len(), 5);
    let gains: Vec<f64> = f
        .iter()
        .map(|x| x["properties"]["gain"].as_f64().unwrap())
        .collect();
    assert!(gains.windows(2).all(|w| w[0] >= w[1]), "{gains:?}");
    assert_eq!(f[0]["properties"]["rank"], 1);
    assert_eq!(f[0]["geometry"]["type"], "Point");
}

#[test]
fn bad_requests_name_the_problem() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let o = dir.path().join("x.csv");
    let run = |extra: &[&str]| {
        common::linli()
            .args(["coverage", &ws])
            .args(extra)
            .arg("-o")
            .arg(&o)
            .env("LANG", "C")
            .output()
            .unwrap()
    };
    let out = run(&[
        "--areas",
        "nowhere",
        "--element",
        "pocket_garden",
        "--distance",
        "500",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("no layer named \"nowhere\"") && err.contains("居村委"),
        "{err}"
    );
    let out = run(&["--areas", "居村委", "--distance", "500"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("no facilities"));
    let out = run(&[
        "--areas",
        "居村委",
        "--element",
        "pocket_garden",
        "--distance",
        "-3",
    ]);
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("positive"),
        "{out:?}"
    );
    assert!(!o.exists());
}
