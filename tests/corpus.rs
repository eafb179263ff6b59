//! Every file of `../shared/data/bad-input-corpus` (about 450 malformed and edge-case
//! GeoJSON/JSON files) is either imported or refused with a message naming the file — never a
//! panic, and a refusal leaves the workspace exactly as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
use linli::io::geojson_in::SourceCrs;
use linli::model::LayerRole;
use linli::session::ImportRequest;

fn corpus_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            corpus_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "json" || e == "geojson") {
            out.push(p);
        }
    }
}

#[test]
fn bad_input_corpus_never_panics_and_never_half_imports() {
    let Some(shared) = common::shared() else {
        eprintln!(
            "skipped: ../shared is not beside the repository, so the bad-input corpus is absent"
        );
        return;
    };
    let mut files = Vec::new();
    corpus_files(&shared.join("data/bad-input-corpus"), &mut files);
    assert!(
        files.len() > 400,
        "expected about 450 corpus files, found {}",
        files.len()
    );

    let dir = tempfile::tempdir().unwrap();
    let ws = dir.path().join("w.gpkg");
    let mut session = Session::create(&ws, &linli::model::catalog::Catalog::bundled()).unwrap();
    let mut imported = 0usize;
    let mut refused = 0usize;
    let mut report = String::new();
    for (i, file) in files.iter().enumerate() {
        let before = common::dump(&ws);
        let layers_before = session.layers().len();
        let request = ImportRequest {
            layer: Some(format!("corpus_{i}")),
            role: LayerRole::Reference,
            crs: SourceCrs::Wgs84,
            name_field: None,
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.import_geojson(file, &request, &mut |_| {})
        }));
        let rel = file
            .strip_prefix(&shared)
            .unwrap_or(file)
            .display()
            .to_string();
        match result {
            Err(_) => panic!("PANIC on {rel}"),
            Ok(Ok(r)) => {
                imported += 1;
                assert!(r.features > 0, "{rel}: imported an empty layer");
                assert_eq!(session.layers().len(), layers_before + 1);
                report.push_str(&format!("IMPORTED {rel}: {} features\n", r.features));
            }
            Ok(Err(e)) => {
                refused += 1;
                let message = e.to_string();
                let name = file.file_name().unwrap().to_string_lossy();
                assert!(
                    message.contains(name.as_ref()),
                    "{rel}: the message does not name the file: {message}"
                );
                assert!(!message.trim().is_empty());
                assert_eq!(
                    session.layers().len(),
                    layers_before,
                    "{rel}: a refused import changed the session"
                );
                assert_eq!(
                    before,
                    common::dump(&ws),
                    "{rel}: a refused import changed the workspace"
                );
                report.push_str(&format!("REFUSED  {rel}: {message}\n"));
            }
        }
    }
    let problems = session.check().unwrap();
    assert!(problems.is_empty(), "{problems:?}");
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-report.txt");
    let _ = std::fs::write(&out, &report);
    eprintln!(
        "corpus: {} files, {imported} imported, {refused} refused; report in {}",
        files.len(),
        out.display()
    );
}
