//! Kills and power cuts: a workspace being created appears whole or not at all, and an
//! acknowledged edit survives the loss of everything the OS had not yet written to disk.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::Session;

/// The sample workspace at `ws` is whole: it opens read-only with every layer and feature.
fn assert_whole(ws: &std::path::Path, when: &str) {
    let session =
        Session::open_read_only(ws).unwrap_or_else(|e| panic!("{when}: a broken workspace: {e}"));
    assert_eq!(session.plan().len(), 17, "{when}");
    assert_eq!(session.layers().len(), 3, "{when}");
}

#[test]
fn a_killed_new_sample_never_leaves_half_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    // One run left to finish: how long a creation takes here, and what a whole one holds.
    let full = dir.path().join("full.gpkg");
    let started = std::time::Instant::now();
    assert!(
        common::run(&["new", full.to_str().unwrap(), "--sample"])
            .status
            .success()
    );
    let full_run = started.elapsed();
    assert_whole(&full, "an uninterrupted run");
    // Kills spread over that time, the first right at the start.
    let (mut killed_mid_run, mut whole, mut absent) = (0, 0, Vec::new());
    for i in 0..8u32 {
        let delay = full_run * i / 8;
        let ws = dir.path().join(format!("w{i}.gpkg"));
        let mut child = common::linli()
            .args(["new", ws.to_str().unwrap(), "--sample"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delay);
        if child.try_wait().unwrap().is_none() {
            killed_mid_run += 1;
        }
        let _ = child.kill();
        let _ = child.wait();
        let when = format!("killed after {delay:?} of {full_run:?}");
        if ws.exists() {
            assert_whole(&ws, &when);
            whole += 1;
        } else {
            absent.push(ws);
        }
    }
    // The kill at 0 ms lands before the program has even started: the test would prove nothing
    // if no run had been cut short.
    assert!(killed_mid_run >= 1, "no run was killed while it ran");
    assert!(!absent.is_empty(), "no kill came before the file was made");
    // A later `new` at the same path is not blocked by what a kill left beside it.
    for ws in &absent {
        assert!(
            common::run(&["new", ws.to_str().unwrap(), "--sample"])
                .status
                .success(),
            "{}",
            ws.display()
        );
        assert_whole(ws, "created again after a kill");
    }
    eprintln!(
        "{killed_mid_run} of 8 runs killed while running; {whole} had finished, {} left no file",
        absent.len()
    );
}

#[test]
fn a_failed_creation_leaves_nothing_behind() {
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let e = linli::store::create_in_place(&ws, |tmp| {
        let session = Session::create(tmp, &linli::model::catalog::Catalog::bundled())?;
        drop(session);
        Err(linli::Error::request(linli::error::Problem::Cancelled))
    })
    .unwrap_err();
    assert!(e.to_string().contains("cancel"), "{e}");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    // And an existing file is never replaced.
    std::fs::write(&ws, b"mine").unwrap();
    assert!(
        common::run(&["new", ws.to_str().unwrap(), "--sample"])
            .status
            .code()
            == Some(1)
    );
    assert_eq!(std::fs::read(&ws).unwrap(), b"mine");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}
