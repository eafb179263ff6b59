//! Killing `linli import` with SIGKILL midway leaves a workspace that passes `linli check` and
//! holds either the whole layer or none of it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::time::Duration;

#[test]
fn sigkill_midway_leaves_whole_layer_or_none() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let ws_s = ws.to_str().unwrap();
    assert!(common::run(&["new", ws_s]).status.success());
    let n = 30_000;
    let file = dir.path().join("big.geojson");
    std::fs::write(&file, linli::sample::synthetic::mixed_feature_collection(n)).unwrap();

    let mut killed_while_running = 0;
    for (attempt, delay_ms) in [30u64, 150, 400, 800, 1500, 3000].into_iter().enumerate() {
        let layer = format!("层{attempt}");
        let mut child = common::linli()
            .args(["import", ws_s, file.to_str().unwrap(), "--layer", &layer])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(delay_ms));
        if child.try_wait().unwrap().is_none() {
            child.kill().unwrap(); // SIGKILL on Unix
            killed_while_running += 1;
        }
        let _ = child.wait();

        let check = common::run(&["check", ws_s]);
        assert!(
            check.status.success(),
            "after a kill at {delay_ms} ms: {}",
            String::from_utf8_lossy(&check.stderr)
        );
        let session = linli::Session::open(&ws).unwrap();
        match session.layers().iter().position(|l| l.name == layer) {
            None => {}
            Some(i) => assert_eq!(
                session.read_layer(i).unwrap().unwrap().features.len(),
                n,
                "half a layer after a kill at {delay_ms} ms"
            ),
        }
    }
    assert!(
        killed_while_running > 0,
        "every import finished before its kill: the test proved nothing"
    );
    eprintln!("{killed_while_running} of 6 imports were killed midway");
}
