//! Every workspace Linli writes is a GeoPackage GDAL's own validator accepts: a new one, the
//! sample, one after edits and imports, and one migrated from schema 1. Runs when Debian's
//! python3-gdal is installed, and skips saying so otherwise.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::Path;

fn validator() -> Option<&'static str> {
    let python = common::gpkg_validator_python();
    if python.is_none() {
        eprintln!(
            "skipped: GDAL's GeoPackage validator (Debian python3-gdal, osgeo_utils.samples.validate_gpkg) is not installed"
        );
    }
    python
}

fn assert_valid(python: &str, path: &Path) {
    let report = common::validate_gpkg(python, path);
    assert!(
        report.trim().is_empty(),
        "validate_gpkg on {}:\n{report}",
        path.display()
    );
}

#[test]
fn a_new_and_a_sample_workspace_pass_gdals_validator() {
    let Some(python) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let empty = dir.path().join("empty.gpkg");
    assert!(
        common::run(&["new", empty.to_str().unwrap()])
            .status
            .success()
    );
    assert_valid(python, &empty);
    let sample = dir.path().join("样例.gpkg");
    assert!(
        common::run(&["new", sample.to_str().unwrap(), "--sample"])
            .status
            .success()
    );
    assert_valid(python, &sample);
}

#[test]
fn an_edited_workspace_passes_gdals_validator() {
    let Some(python) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut session =
        linli::sample::create_sample_workspace(&ws, &mut |_| {}).expect("sample workspace");
    let ids: Vec<_> = session.plan().iter().map(|f| f.feature.id).collect();
    session.apply(linli::session::Edit::Delete(ids[0])).unwrap();
    session
        .apply(linli::session::Edit::SetName {
            id: ids[1],
            name: "改名".into(),
        })
        .unwrap();
    session.undo().unwrap();
    drop(session);
    assert_valid(python, &ws);
}

#[test]
fn a_workspace_migrated_from_schema_1_passes_gdals_validator() {
    let Some(python) = validator() else { return };
    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("old.gpkg");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/workspace-v1.gpkg"
        ),
        &ws,
    )
    .unwrap();
    drop(linli::Session::open(&ws).unwrap());
    assert_valid(python, &ws);
}
