//! The layer boundaries `docs/ARCHITECTURE.md` states, checked on the source text (what
//! `grep -rln` would find), so a change that breaks one fails here rather than in review.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`, as paths relative to the package (`src/…`), sorted.
fn rust_files(root: &Path, dir: &Path, out: &mut Vec<(String, String)>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            rust_files(root, &path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let name = path
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            out.push((name, std::fs::read_to_string(&path).unwrap()));
        }
    }
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = Vec::new();
    rust_files(root, &root.join("src"), &mut out);
    assert!(out.len() > 100, "found only {} files under src/", out.len());
    out
}

/// Files under `under` whose text names any of `names`.
fn naming<'a>(files: &'a [(String, String)], under: &str, names: &[&str]) -> Vec<&'a str> {
    files
        .iter()
        .filter(|(path, text)| path.starts_with(under) && names.iter().any(|n| text.contains(n)))
        .map(|(path, _)| path.as_str())
        .collect()
}

#[test]
fn only_the_store_and_io_name_rusqlite() {
    let files = sources();
    let offenders: Vec<&str> = naming(&files, "src/", &["rusqlite"])
        .into_iter()
        .filter(|p| !p.starts_with("src/store/") && !p.starts_with("src/io/"))
        .collect();
    assert!(
        offenders.is_empty(),
        "SQL lives in src/store (the workspace) and src/io (other programs' files); \
         these name rusqlite: {offenders:?}"
    );
}

#[test]
fn render_knows_nothing_of_the_session_or_the_store() {
    let files = sources();
    let offenders = naming(&files, "src/render/", &["crate::session", "crate::store"]);
    assert!(
        offenders.is_empty(),
        "render draws plain data: {offenders:?}"
    );
}

#[test]
fn io_knows_nothing_of_the_store_or_the_session() {
    let files = sources();
    let offenders = naming(&files, "src/io/", &["crate::session", "crate::store"]);
    assert!(offenders.is_empty(), "io is below the store: {offenders:?}");
}

#[test]
fn print_knows_nothing_of_the_window_the_session_or_the_store() {
    let files = sources();
    let offenders = naming(
        &files,
        "src/print/",
        &[
            "egui::",
            "eframe::",
            "crate::gui",
            "crate::session",
            "crate::store",
            "crate::cli",
        ],
    );
    assert!(
        offenders.is_empty(),
        "print lays out and renders plain data: {offenders:?}"
    );
}
