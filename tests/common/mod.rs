//! Helpers shared by the integration tests.
#![allow(dead_code)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

#[cfg(feature = "gui")]
pub mod gui;
pub mod pg;
pub mod shapefiles;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `linli` binary built for these tests, in the C locale (English), whatever the
/// developer's own locale: tests that read its words read English ones.
pub fn linli() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_linli"));
    command
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env("LANG", "C");
    command
}

/// Runs `linli` with arguments and returns its output.
pub fn run(args: &[&str]) -> Output {
    linli().args(args).output().expect("run linli")
}

/// `../shared` beside the repository, if it is there.
pub fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.join("data").is_dir().then_some(p)
}

/// True when GDAL's ogrinfo is installed.
pub fn has_ogrinfo() -> bool {
    Command::new("ogrinfo")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// True when QGIS's Python (Debian python3-qgis) is installed.
pub fn qgis_python() -> bool {
    Command::new("/usr/bin/python3")
        .args(["-c", "import qgis.core"])
        .env("QT_QPA_PLATFORM", "offscreen")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What `linli ARGS` printed on stdout, asserting it succeeded.
pub fn stdout(args: &[&str]) -> String {
    let out = run(args);
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Every row of every table, sorted: the workspace's content, independent of page layout.
pub fn dump(path: &Path) -> Vec<String> {
    let conn =
        rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .expect("open");
    let mut tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type IN ('table','trigger','index') ORDER BY name")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    tables.retain(|t| !t.starts_with("sqlite_"));
    let mut out = Vec::new();
    for t in tables {
        out.push(format!("== {t}"));
        let is_table: i64 = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
                [&t],
                |r| r.get(0),
            )
            .unwrap();
        if is_table == 0 || t.contains("_node") || t.contains("_parent") || t.contains("_rowid") {
            continue;
        }
        let mut stmt = conn
            .prepare(&format!("SELECT * FROM \"{}\"", t.replace('"', "\"\"")))
            .unwrap();
        let n = stmt.column_count();
        let mut rows: Vec<String> = stmt
            .query_map([], |r| {
                let mut s = String::new();
                for i in 0..n {
                    let v: rusqlite::types::Value = r.get(i)?;
                    s.push_str(&format!("{v:?}|"));
                }
                Ok(s)
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        // last_change is a timestamp: not content.
        if t == "gpkg_contents" {
            rows = rows
                .into_iter()
                .map(|r| {
                    r.split('|')
                        .enumerate()
                        .filter(|(i, _)| *i != 4)
                        .map(|(_, s)| s)
                        .collect()
                })
                .collect();
        }
        rows.sort();
        out.extend(rows);
    }
    out
}

/// SHA-free fingerprint of a file's bytes (length and a simple hash): enough to see "untouched".
pub fn fingerprint(path: &Path) -> (u64, u64) {
    let bytes = std::fs::read(path).unwrap_or_default();
    let mut h: u64 = 0xcbf29ce484222325;
    for b in &bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x100000001b3);
    }
    (bytes.len() as u64, h)
}

/// A Python that has GDAL's GeoPackage validator (Debian `python3-gdal`), if there is one.
pub fn gpkg_validator_python() -> Option<&'static str> {
    ["/usr/bin/python3", "python3"].into_iter().find(|python| {
        Command::new(python)
            .args(["-c", "import osgeo_utils.samples.validate_gpkg"])
            .output()
            .is_ok_and(|o| o.status.success())
    })
}

/// Runs GDAL's `validate_gpkg.py -k` (report every error, not only the first) on a file and
/// returns what it printed; empty when the file conforms.
pub fn validate_gpkg(python: &str, path: &Path) -> String {
    let out = Command::new(python)
        .args(["-m", "osgeo_utils.samples.validate_gpkg", "-k"])
        .arg(path)
        .output()
        .expect("run validate_gpkg");
    let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    if !out.status.success() && text.is_empty() {
        text = format!("validate_gpkg exited with {}", out.status);
    }
    text
}

/// Another program (another process: POSIX locks are per process) opens the workspace, reads
/// and closes it, as GDAL or QGIS does; `false` (with the reason printed) when there is no
/// `/usr/bin/python3` with `sqlite3` to play it.
pub fn another_process_opens_and_closes(ws: &Path) -> bool {
    let has = Command::new("/usr/bin/python3")
        .args(["-c", "import sqlite3"])
        .status()
        .is_ok_and(|s| s.success());
    if !has {
        eprintln!("skipped: no /usr/bin/python3 with sqlite3 to play the other program");
        return false;
    }
    let script = "import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\nc.execute('select count(*) from gpkg_contents').fetchall()\nc.close()";
    let out = Command::new("/usr/bin/python3")
        .args(["-c", script])
        .arg(ws)
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    true
}

/// Takes a fresh workspace back to app schema 10: the provenance table (the step 10 → 11)
/// removed.
#[allow(dead_code)]
pub fn back_to_schema_10(ws: &Path) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    back_to_schema_10_on(&conn);
}

#[allow(dead_code)]
fn back_to_schema_10_on(conn: &rusqlite::Connection) {
    conn.execute_batch(
        "DROP TABLE linli_provenance; ALTER TABLE linli_peers DROP COLUMN high_water;
         DELETE FROM gpkg_contents WHERE table_name = 'linli_provenance';
         UPDATE linli_meta SET value = '10' WHERE key = 'schema_version';",
    )
    .unwrap();
}

/// Takes a fresh workspace back to app schema 9: the district exchange's tables, tombstone
/// triggers and identity (the step 9 → 10) removed.
#[allow(dead_code)]
pub fn back_to_schema_9(ws: &Path) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    back_to_schema_9_on(&conn);
}

#[allow(dead_code)]
fn back_to_schema_9_on(conn: &rusqlite::Connection) {
    back_to_schema_10_on(conn);
    let triggers: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND (name LIKE '%_tombstone' OR name LIKE '%_untombstone')")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    for t in triggers {
        conn.execute_batch(&format!("DROP TRIGGER \"{t}\";"))
            .unwrap();
    }
    conn.execute_batch(
        "DROP TABLE linli_peers; DROP TABLE linli_sync_base; DROP TABLE linli_conflicts;
         DROP TABLE linli_tombstones;
         DELETE FROM gpkg_contents WHERE table_name IN ('linli_peers', 'linli_conflicts',
           'linli_sync_base', 'linli_tombstones');
         DELETE FROM gpkg_data_columns WHERE table_name IN ('linli_peers', 'linli_conflicts');
         DELETE FROM gpkg_data_column_constraints
           WHERE constraint_name IN ('linli_conflict_status', 'linli_peer_role');
         DELETE FROM linli_meta WHERE key IN ('workspace_id', 'workspace_name');
         UPDATE linli_meta SET value = '9' WHERE key = 'schema_version';",
    )
    .unwrap();
}

/// Takes a fresh workspace back to app schema 6: what the steps 6 → 7 (the meetings' slides),
/// 7 → 8 (residents' input, the meetings' voting rules) and 8 → 9 (design alternatives, the
/// plan tables' `alternative` column) add, removed, so opening it runs every one of them.
#[allow(dead_code)]
pub fn back_to_schema_6(ws: &Path) {
    let conn = rusqlite::Connection::open(ws).unwrap();
    back_to_schema_9_on(&conn);
    for t in ["plan_points", "plan_lines", "plan_polygons"] {
        conn.execute_batch(&format!(
            "DROP INDEX {t}_alternative; ALTER TABLE {t} DROP COLUMN alternative;"
        ))
        .unwrap();
    }
    conn.execute_batch(
        "DROP TABLE linli_alternatives;
         DELETE FROM gpkg_contents WHERE table_name = 'linli_alternatives';
         DELETE FROM gpkg_data_columns WHERE table_name = 'linli_alternatives';
         DELETE FROM gpkg_data_column_constraints WHERE constraint_name = 'linli_alternative_status';
         DROP TABLE linli_inputs; DROP TABLE rtree_linli_inputs_geom;
         DELETE FROM gpkg_data_columns WHERE table_name = 'linli_inputs';
         DELETE FROM gpkg_extensions WHERE table_name = 'linli_inputs';
         DELETE FROM gpkg_geometry_columns WHERE table_name = 'linli_inputs';
         DELETE FROM gpkg_contents WHERE table_name = 'linli_inputs';
         DELETE FROM gpkg_data_column_constraints WHERE constraint_name = 'linli_input_kind';
         ALTER TABLE linli_meetings DROP COLUMN vote_rules;
         ALTER TABLE linli_meetings DROP COLUMN slides;
         UPDATE linli_meta SET value = '6' WHERE key = 'schema_version';",
    )
    .unwrap();
}

/// The records of a workspace that travel, as comparable text (kind, id, fields).
#[allow(dead_code)]
pub fn travelling_records(ws: &Path) -> Vec<String> {
    let store = linli::store::Store::open_read_only(ws).unwrap();
    let (held, _) = store.travelling_records().unwrap();
    held.iter()
        .map(|(id, h)| format!("{id:?} {}", serde_json::to_string(&h.fields).unwrap()))
        .collect()
}
