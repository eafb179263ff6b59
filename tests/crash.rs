//! Kills and power cuts: a workspace being created appears whole or not at all, and an
//! acknowledged edit survives the loss of everything the OS had not yet written to disk.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use linli::Session;

#[test]
fn a_killed_new_sample_never_leaves_half_a_workspace() {
    let dir = tempfile::tempdir().unwrap();
    let mut whole = 0;
    for (i, delay_ms) in [0u64, 5, 15, 30, 60, 120, 250, 500].into_iter().enumerate() {
        let ws = dir.path().join(format!("w{i}.gpkg"));
        let mut child = common::linli()
            .args(["new", ws.to_str().unwrap(), "--sample"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        if ws.exists() {
            let session = Session::open_read_only(&ws)
                .unwrap_or_else(|e| panic!("after {delay_ms} ms: a broken workspace: {e}"));
            assert_eq!(session.plan().len(), 17, "after {delay_ms} ms");
            assert_eq!(session.layers().len(), 3, "after {delay_ms} ms");
            whole += 1;
        }
    }
    // A later `new` at the same path is not blocked by what a kill left beside it.
    let ws = dir.path().join("w0.gpkg");
    if !ws.exists() {
        assert!(
            common::run(&["new", ws.to_str().unwrap(), "--sample"])
                .status
                .success()
        );
    }
    eprintln!("{whole} of 8 killed runs had finished; none left a partial file");
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
