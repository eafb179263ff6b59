//! QGIS — what the bureau opens our files with — opens every layer of a workspace as it is.
//! Runs when Debian's python3-qgis is installed, and skips saying so otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::process::Command;

fn qgis_python() -> bool {
    Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .is_ok_and(|o| o.status.success())
}

#[test]
fn qgis_opens_every_layer_of_the_sample_workspace() {
    if !qgis_python() {
        eprintln!("skipped: QGIS's Python (Debian python3-qgis) is not installed");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    assert!(
        common::run(&["new", ws.to_str().unwrap(), "--sample"])
            .status
            .success()
    );
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/scripts/qgis_open.py");
    let out = Command::new("/usr/bin/python3")
        .arg(script)
        .arg(&ws)
        .env("QT_QPA_PLATFORM", "offscreen")
        .env("XDG_RUNTIME_DIR", dir.path())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let session = linli::Session::open(&ws).unwrap();
    let mut seen = 0;
    for info in session.layer_infos().unwrap() {
        let line = text
            .lines()
            .find(|l| l.split(' ').next() == Some(info.name.as_str()))
            .unwrap_or_else(|| panic!("QGIS does not list {}: {text}", info.name));
        assert!(
            line.contains(&format!(" True {} ", info.feature_count)),
            "{line}"
        );
        assert!(
            line.ends_with("EPSG:4326") || line.contains("EPSG:4326 "),
            "{line}"
        );
        seen += 1;
    }
    assert!(seen >= 6);
    assert!(
        text.lines().all(|l| l.contains(" True ")),
        "a sublayer QGIS cannot open: {text}"
    );
    assert!(
        text.contains(&format!("linli_projects True {}", session.projects().len())),
        "{text}"
    );
}
