//! The command line end to end, through the real binary.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use common::{dump, fingerprint, has_ogrinfo, run};
use std::path::Path;

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}
fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn sample_ws(dir: &Path) -> String {
    let ws = dir.join("w.gpkg");
    let o = run(&["new", ws.to_str().unwrap(), "--sample"]);
    assert!(o.status.success(), "{}", stderr(&o));
    ws.to_str().unwrap().to_string()
}

#[test]
fn sample_workspace_info_check_locate() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let info = run(&["info", &ws]);
    assert!(info.status.success());
    let text = stdout(&info);
    assert!(
        text.contains("街道乡镇") && text.contains("role=streets"),
        "{text}"
    );
    assert!(
        text.contains("居村委") && text.contains("plan_polygons"),
        "{text}"
    );
    let check = run(&["check", &ws]);
    assert!(check.status.success(), "{}", stderr(&check));
    assert!(stdout(&check).contains("ok"));

    // Every street's own interior point locates to that street.
    let session = linli::Session::open(Path::new(&ws)).unwrap();
    let streets = session
        .layers()
        .iter()
        .find(|l| l.role == linli::model::LayerRole::Streets)
        .unwrap();
    for f in streets.features.iter().take(5) {
        let p = linli::analysis::index::representative_point(&f.geometry).unwrap();
        let o = run(&["locate", &ws, &p.x().to_string(), &p.y().to_string()]);
        assert!(o.status.success());
        assert!(
            stdout(&o).contains(&format!("street\t{}", f.name)),
            "{} -> {}",
            f.name,
            stdout(&o)
        );
    }
    // Outside Pudong: no street, still success.
    let o = run(&["locate", &ws, "0", "0"]);
    assert!(o.status.success());
    assert!(stdout(&o).contains("street\t-"));
}

#[test]
fn lujiazui_is_where_the_pearl_tower_is() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let session = linli::Session::open(Path::new(&ws)).unwrap();
    let streets = session
        .layers()
        .iter()
        .find(|l| l.role == linli::model::LayerRole::Streets)
        .unwrap();
    if streets.features.len() < 30 {
        eprintln!("skipped: the sample data is a placeholder");
        return;
    }
    let o = run(&["locate", &ws, "121.50", "31.24"]);
    assert!(stdout(&o).contains("陆家嘴街道"), "{}", stdout(&o));
}

#[test]
fn export_import_export_is_identical_and_gdal_agrees() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let out1 = dir.path().join("out1.geojson");
    let o = run(&[
        "export",
        &ws,
        "--format",
        "geojson",
        "-o",
        out1.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let session = linli::Session::open(Path::new(&ws)).unwrap();
    let n = session.plan().len();
    assert!(
        stdout(&o).contains(&format!("exported {n} features")),
        "{}",
        stdout(&o)
    );

    // Into a second workspace with the same boundaries, then out again.
    let ws2 = dir.path().join("w2.gpkg");
    let o = run(&["new", ws2.to_str().unwrap(), "--sample"]);
    assert!(o.status.success());
    // The second sample already holds the plan features: start from one without them.
    let ws3 = dir.path().join("w3.gpkg");
    assert!(run(&["new", ws3.to_str().unwrap()]).status.success());
    for (layer, role, file) in [
        ("街道乡镇", "streets", "streets.geojson"),
        ("居村委", "communities", "communities.geojson"),
    ] {
        let src = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("sample-data")
            .join(file);
        let o = run(&[
            "import",
            ws3.to_str().unwrap(),
            src.to_str().unwrap(),
            "--layer",
            layer,
            "--role",
            role,
        ]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let o = run(&[
        "import",
        ws3.to_str().unwrap(),
        out1.to_str().unwrap(),
        "--role",
        "plan",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out2 = dir.path().join("out2.geojson");
    let o = run(&[
        "export",
        ws3.to_str().unwrap(),
        "--format",
        "geojson",
        "-o",
        out2.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let a = std::fs::read_to_string(&out1).unwrap();
    let b = std::fs::read_to_string(&out2).unwrap();
    assert_eq!(a, b, "export → import → export changed the output");
    assert!(a.contains("口袋花园"), "Chinese survives");

    // Filters.
    let out3 = dir.path().join("out3.geojson");
    let o = run(&[
        "export",
        &ws,
        "--format",
        "geojson",
        "-o",
        out3.to_str().unwrap(),
        "--element",
        "pocket_garden",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let filtered: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out3).unwrap()).unwrap();
    for f in filtered["features"].as_array().unwrap() {
        assert_eq!(f["properties"]["element_type"], "pocket_garden");
        assert!(f["properties"]["area_m2"].as_f64().unwrap() > 0.0);
    }
    let o = run(&[
        "export",
        &ws,
        "--format",
        "geojson",
        "-o",
        out3.to_str().unwrap(),
        "--street",
        "没有这个街道",
    ]);
    assert_eq!(o.status.code(), Some(1));

    if !has_ogrinfo() {
        eprintln!("skipped the GDAL half: ogrinfo is not installed (apt-get install gdal-bin)");
        return;
    }
    let o = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-so", out1.to_str().unwrap()])
        .output()
        .unwrap();
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{text}");
    assert!(text.contains(&format!("Feature Count: {n}")), "{text}");
    assert!(
        !text.contains("Warning") && !text.contains("ERROR"),
        "{text}"
    );
    let o = std::process::Command::new("ogrinfo")
        .args(["-ro", "-al", "-so", &ws])
        .output()
        .unwrap();
    let text = format!("{}{}", stdout(&o), stderr(&o));
    assert!(o.status.success(), "{text}");
    assert!(
        !text.contains("Warning") && !text.contains("ERROR"),
        "{text}"
    );
    for layer in [
        "街道乡镇",
        "居村委",
        "浦东新区界",
        "plan_points",
        "plan_lines",
        "plan_polygons",
    ] {
        assert!(
            text.contains(&format!("Layer name: {layer}")),
            "{layer} missing in {text}"
        );
    }
    assert!(text.contains("ID[\"EPSG\",4326]"), "{text}");
}

#[test]
fn exit_codes_and_one_line_errors() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    // Bad usage: 2.
    assert_eq!(run(&["import", &ws]).status.code(), Some(2));
    assert_eq!(run(&["frobnicate"]).status.code(), Some(2));
    assert_eq!(run(&["locate", &ws, "abc", "31"]).status.code(), Some(2));
    // Bad input: 1, one line naming the file.
    let bad = dir.path().join("bad.geojson");
    std::fs::write(&bad, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[13500000,3600000]}}]}").unwrap();
    let before = dump(Path::new(&ws));
    let o = run(&["import", &ws, bad.to_str().unwrap(), "--layer", "x"]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    assert!(
        e.contains("bad.geojson") && e.contains("feature 0") && e.contains("projected"),
        "{e}"
    );
    assert_eq!(
        before,
        dump(Path::new(&ws)),
        "a refused import changed the workspace"
    );
    // Missing workspace, duplicate layer, duplicate streets layer.
    assert_eq!(
        run(&["info", dir.path().join("nope.gpkg").to_str().unwrap()])
            .status
            .code(),
        Some(1)
    );
    let streets = Path::new(env!("CARGO_MANIFEST_DIR")).join("sample-data/streets.geojson");
    let o = run(&[
        "import",
        &ws,
        streets.to_str().unwrap(),
        "--layer",
        "街道乡镇",
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already has a layer"), "{}", stderr(&o));
    let o = run(&[
        "import",
        &ws,
        streets.to_str().unwrap(),
        "--layer",
        "街道2",
        "--role",
        "streets",
    ]);
    assert_eq!(o.status.code(), Some(1));
    let o = run(&[
        "import",
        &ws,
        streets.to_str().unwrap(),
        "--layer",
        "街道参考",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        run(&["new", &ws]).status.code(),
        Some(1),
        "new must not overwrite"
    );
    assert_eq!(run(&["locate", &ws, "500", "31"]).status.code(), Some(1));
}

#[test]
fn the_cli_speaks_the_users_language() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let bad = dir.path().join("坏.geojson");
    std::fs::write(&bad, "{\"type\":\"FeatureCollection\",\"features\":[{\"type\":\"Feature\",\"properties\":{},\"geometry\":{\"type\":\"Point\",\"coordinates\":[13500000,3600000]}}]}").unwrap();
    let before = dump(Path::new(&ws));
    let import_in = |lang: &str| {
        common::linli()
            .env("LANG", lang)
            .args(["import", &ws, bad.to_str().unwrap(), "--layer", "x"])
            .output()
            .unwrap()
    };
    let zh = import_in("zh_CN.UTF-8");
    let en = import_in("C");
    assert_eq!(zh.status.code(), Some(1), "{}", stderr(&zh));
    assert_eq!(zh.status.code(), en.status.code());
    assert_eq!(
        before,
        dump(Path::new(&ws)),
        "a refused import changed the workspace"
    );
    let (zh, en) = (stderr(&zh), stderr(&en));
    assert_eq!(zh.trim_end().lines().count(), 1, "{zh}");
    assert!(
        zh.contains("坏.geojson：要素 0：Point：") && zh.contains("投影坐标"),
        "{zh}"
    );
    assert!(!zh.contains("projected"), "{zh}");
    assert!(
        en.contains("坏.geojson: feature 0: Point: ") && en.contains("projected"),
        "{en}"
    );
    assert!(en.replace("坏", "").is_ascii(), "English is ASCII: {en}");
    // LC_ALL wins over LANG; the summary lines speak the same language as the errors.
    let o = common::linli()
        .env("LANG", "C")
        .env("LC_ALL", "zh_CN.UTF-8")
        .args(["check", &ws])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("完好"), "{}", stdout(&o));
    let o = common::linli()
        .env("LANG", "zh_CN.UTF-8")
        .args(["locate", &ws, "500", "31"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("不是以度为单位的经纬度位置"),
        "{}",
        stderr(&o)
    );
    let o = common::linli()
        .env("LANG", "zh_CN.UTF-8")
        .args(["info", &ws])
        .output()
        .unwrap();
    assert!(stdout(&o).contains("工作空间") && stdout(&o).contains("role=streets"));
}

#[test]
fn gcj02_import_and_locate() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    // A GCJ-02 point and its WGS84 twin locate to the same place.
    let (lon, lat) = (121.5296, 31.2288);
    let (glon, glat) = linli::io::gcj02::wgs84_to_gcj02(lon, lat);
    let a = stdout(&run(&["locate", &ws, &lon.to_string(), &lat.to_string()]));
    let b = stdout(&run(&[
        "locate",
        &ws,
        &glon.to_string(),
        &glat.to_string(),
        "--crs",
        "gcj02",
    ]));
    assert_eq!(a, b);
    let file = dir.path().join("gcj.geojson");
    std::fs::write(&file, format!("[{{\"type\":\"Feature\",\"properties\":{{\"名称\":\"测试点\",\"备注\":{{\"嵌套\":[1,2]}}}},\"geometry\":{{\"type\":\"Point\",\"coordinates\":[{glon},{glat}]}}}}]")).unwrap();
    let o = run(&[
        "import",
        &ws,
        file.to_str().unwrap(),
        "--layer",
        "高德点",
        "--crs",
        "gcj02",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let session = linli::Session::open(Path::new(&ws)).unwrap();
    let i = session
        .layers()
        .iter()
        .position(|l| l.name == "高德点")
        .unwrap();
    assert!(
        session.layers()[i].stored.is_some(),
        "a reference layer stays in the file"
    );
    let layer = session.read_layer(i).unwrap().unwrap();
    let f = &layer.features[0];
    assert_eq!(f.name, "测试点");
    assert_eq!(f.properties["备注"]["嵌套"][1], 2);
    let geo::Geometry::Point(p) = f.geometry else {
        panic!()
    };
    assert!(
        (p.x() - lon).abs() < 1e-6 && (p.y() - lat).abs() < 1e-6,
        "{p:?}"
    );
}

#[test]
fn non_workspaces_are_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("text.gpkg", b"hello, not a database".to_vec()),
        ("empty.gpkg", Vec::new()),
        ("truncated.gpkg", {
            let ws = sample_ws(dir.path());
            let mut b = std::fs::read(&ws).unwrap();
            b.truncate(b.len() / 3);
            b
        }),
    ];
    for (name, bytes) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, &bytes).unwrap();
        let before = fingerprint(&p);
        for cmd in ["info", "check"] {
            let o = run(&[cmd, p.to_str().unwrap()]);
            assert_eq!(o.status.code(), Some(1), "{name}: {}", stderr(&o));
            assert!(stderr(&o).contains(name), "{name}: {}", stderr(&o));
        }
        assert_eq!(before, fingerprint(&p), "{name} was modified");
    }
    // A plain SQLite database that is not a GeoPackage.
    let p = dir.path().join("plain.sqlite");
    rusqlite::Connection::open(&p)
        .unwrap()
        .execute_batch("CREATE TABLE t(x); INSERT INTO t VALUES (1);")
        .unwrap();
    let before = fingerprint(&p);
    let o = run(&["info", p.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not a GeoPackage"), "{}", stderr(&o));
    assert_eq!(before, fingerprint(&p));
}

#[test]
fn newer_schema_is_refused_without_being_touched() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.execute(
            "UPDATE linli_meta SET value = '99' WHERE key = 'schema_version'",
            [],
        )
        .unwrap();
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .unwrap();
    }
    let before = fingerprint(Path::new(&ws));
    let o = run(&["info", &ws]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("newer Linli"), "{}", stderr(&o));
    let o = run(&["import", &ws, "sample-data/streets.geojson", "--layer", "x"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        before,
        fingerprint(Path::new(&ws)),
        "the newer workspace was modified"
    );
    assert!(!Path::new(&format!("{ws}-wal")).exists());
}

#[test]
fn a_closed_pipe_ends_the_output_quietly() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    assert!(
        common::run(&["new", ws.to_str().unwrap(), "--sample"])
            .status
            .success()
    );
    // `linli info WS | head -c 1`: the reader goes away after one byte.
    let mut child = common::linli()
        .args(["info", ws.to_str().unwrap()])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut one = [0u8; 1];
    stdout.read_exact(&mut one).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_ne!(output.status.code(), Some(101), "{stderr}");
}

/// Issue 19, point 3: a `-wal` with frames beside a workspace means the file alone lacks
/// committed work (a copy of it alone loses it): `check` warns, and its exit code stays the
/// integrity result.
#[test]
fn check_warns_of_a_log_left_beside_the_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample_ws(dir.path());
    let check = run(&["check", &ws]);
    assert!(check.status.success());
    assert!(
        !stderr(&check).contains("-wal"),
        "no warning for a file at rest: {}",
        stderr(&check)
    );
    // A writer still has the file open with work in its log: copy the three files as they are.
    let left = dir.path().join("left");
    std::fs::create_dir(&left).unwrap();
    {
        let conn = rusqlite::Connection::open(&ws).unwrap();
        conn.execute_batch(
            "PRAGMA wal_autocheckpoint = 0; INSERT INTO linli_meta (key, value) VALUES ('unsaved', 'work');",
        )
        .unwrap();
        for suffix in ["", "-wal", "-shm"] {
            std::fs::copy(
                format!("{ws}{suffix}"),
                left.join(format!("w.gpkg{suffix}")),
            )
            .unwrap();
        }
    }
    let copied = left.join("w.gpkg");
    let wal_len = std::fs::metadata(left.join("w.gpkg-wal")).unwrap().len();
    assert!(wal_len > 32, "the log has frames ({wal_len} bytes)");
    let check = run(&["check", copied.to_str().unwrap()]);
    assert!(
        check.status.success(),
        "the integrity result decides the exit code: {}",
        stderr(&check)
    );
    let warning = stderr(&check);
    assert!(
        warning.contains("warning") && warning.contains("unsaved log") && warning.contains("-wal"),
        "{warning}"
    );
    assert_eq!(warning.lines().count(), 1, "one line: {warning}");
    let zh = common::linli()
        .env("LANG", "zh_CN.UTF-8")
        .args(["check", copied.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(zh.status.success());
    assert!(stderr(&zh).contains("日志"), "{}", stderr(&zh));
}
