//! Every file of `../shared/data/bad-input-corpus` (about 450 malformed and edge-case
//! GeoJSON/JSON files) is either imported or refused with a message naming the file — never a
//! panic, and a refusal leaves the workspace exactly as it was.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use linli::Session;
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
    let template = dir.path().join("template.gpkg");
    drop(Session::create(&template, &linli::model::catalog::Catalog::bundled()).unwrap());
    let mut report = String::new();
    for role in [
        LayerRole::Reference,
        LayerRole::Streets,
        LayerRole::Communities,
        LayerRole::Plan,
    ] {
        let (imported, refused) = run_role(role, &files, &shared, &template, &mut report);
        eprintln!(
            "corpus as {}: {} files, {imported} imported, {refused} refused",
            role.key(),
            files.len()
        );
    }
    let out = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-report.txt");
    let _ = std::fs::write(&out, &report);
    eprintln!("corpus report in {}", out.display());
}

/// Imports every file under `role` into a copy of `template`; returns (imported, refused).
/// Streets and communities may exist once: after each success the workspace starts afresh.
fn run_role(
    role: LayerRole,
    files: &[PathBuf],
    shared: &Path,
    template: &Path,
    report: &mut String,
) -> (usize, usize) {
    let ws = template.with_file_name(format!("w-{}.gpkg", role.key()));
    let fresh = || {
        std::fs::copy(template, &ws).unwrap();
        Session::open(&ws).unwrap()
    };
    let mut session = fresh();
    let mut imported = 0usize;
    let mut refused = 0usize;
    for (i, file) in files.iter().enumerate() {
        let before = common::dump(&ws);
        let layers_before = session.layers().len();
        let plan_before = session.plan().len();
        let request = ImportRequest {
            layer: (role != LayerRole::Plan).then(|| format!("corpus_{i}")),
            role,
            name_field: None,
            ..Default::default()
        };
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            session.import_file(file, &request, &mut |_| {})
        }));
        let rel = file
            .strip_prefix(shared)
            .unwrap_or(file)
            .display()
            .to_string();
        let role_key = role.key();
        match result {
            Err(_) => panic!("PANIC on {rel} as {role_key}"),
            Ok(Ok(r)) => {
                imported += 1;
                assert!(r.features > 0, "{rel}: imported an empty layer");
                if role == LayerRole::Plan {
                    assert!(session.plan().len() > plan_before, "{rel}: no plan feature");
                } else {
                    assert_eq!(session.layers().len(), layers_before + 1);
                }
                report.push_str(&format!(
                    "IMPORTED {role_key} {rel}: {} features, {} repairs\n",
                    r.features,
                    r.repairs.len()
                ));
                let problems = session.check().unwrap();
                assert!(problems.is_empty(), "{rel} as {role_key}: {problems:?}");
                if matches!(role, LayerRole::Streets | LayerRole::Communities) {
                    session = fresh();
                }
            }
            Ok(Err(e)) => {
                refused += 1;
                let message = e.to_string();
                let name = file.file_name().unwrap().to_string_lossy();
                assert!(
                    message.contains(name.as_ref()),
                    "{rel} as {role_key}: the message does not name the file: {message}"
                );
                assert!(!message.trim().is_empty());
                assert_eq!(
                    (session.layers().len(), session.plan().len()),
                    (layers_before, plan_before),
                    "{rel} as {role_key}: a refused import changed the session"
                );
                assert_eq!(
                    before,
                    common::dump(&ws),
                    "{rel} as {role_key}: a refused import changed the workspace"
                );
                report.push_str(&format!("REFUSED  {role_key} {rel}: {message}\n"));
            }
        }
    }
    (imported, refused)
}
