//! `linli export --format gpkg`: the sample's plan and records as a GeoPackage that is not a
//! workspace — feature tables per geometry kind, attributes tables for projects, meetings,
//! people and tasks related through the projects' UUIDs — with Chinese intact; GDAL's ogrinfo
//! reads every table and its validator passes (skipped, saying so, without GDAL); the
//! workspace and other GeoPackages are never replaced, even with `--force`, an earlier export
//! only with it.

#![allow(clippy::unwrap_used, clippy::expect_used)] // tests fail loudly by design

mod common;

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OpenFlags};

const FEATURE_TABLES: [&str; 3] = ["plan_points", "plan_lines", "plan_polygons"];
const ATTRIBUTE_TABLES: [&str; 5] = ["projects", "meetings", "people", "project_people", "tasks"];

fn sample(dir: &Path) -> PathBuf {
    let ws = dir.join("w.gpkg");
    let o = common::run(&["new", ws.to_str().unwrap(), "--sample"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    ws
}

fn export(ws: &Path, out: &Path, more: &[&str]) -> std::process::Output {
    let mut args = vec![
        "export",
        ws.to_str().unwrap(),
        "--format",
        "gpkg",
        "-o",
        out.to_str().unwrap(),
    ];
    args.extend(more);
    common::run(&args)
}

fn open(path: &Path) -> Connection {
    Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn the_sample_exports_as_a_geopackage_gdal_reads_whole() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let out = dir.path().join("局.gpkg");
    let o = export(&ws, &out, &[]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(said.contains("17 features and 10 projects"), "{said}");

    // Without GDAL: the tables, their registration, the relations and the Chinese text.
    let conn = open(&out);
    let app: i64 = count(&conn, "PRAGMA application_id");
    assert_eq!(app, 0x4750_4B47);
    assert_eq!(count(&conn, "PRAGMA user_version"), 10200);
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM sqlite_master WHERE name = 'linli_meta'"
        ),
        0,
        "an export is not a workspace"
    );
    let registered = |t: &str| -> String {
        conn.query_row(
            "SELECT data_type || ':' || ifnull(srs_id, '') FROM gpkg_contents WHERE table_name = ?1",
            [t],
            |r| r.get(0),
        )
        .unwrap()
    };
    let mut features = 0;
    for t in FEATURE_TABLES {
        assert_eq!(registered(t), "features:4326", "{t}");
        features += count(&conn, &format!("SELECT count(*) FROM {t}"));
    }
    assert_eq!(features, 17);
    for t in ATTRIBUTE_TABLES {
        assert_eq!(registered(t), "attributes:", "{t}");
    }
    assert_eq!(count(&conn, "SELECT count(*) FROM projects"), 10);
    assert!(count(&conn, "SELECT count(*) FROM meetings") > 0);
    assert!(count(&conn, "SELECT count(*) FROM people") > 0);
    let (name, element, street): (String, String, String) = conn
        .query_row(
            "SELECT p.name, f.element_name_zh, f.street FROM plan_polygons f
             JOIN projects p ON p.uuid = f.project_uuid ORDER BY f.fid LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert!(
        name.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{name}"
    );
    assert!(
        element
            .chars()
            .all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{element}"
    );
    assert!(street.ends_with("街道"), "{street}");
    // Every feature with a project is mapped to it through the Related Tables extension.
    assert_eq!(count(&conn, "SELECT count(*) FROM gpkgext_relations"), 7);
    let mapped: i64 = FEATURE_TABLES
        .iter()
        .map(|t| count(&conn, &format!("SELECT count(*) FROM projects_{t}")))
        .sum();
    let with_project: i64 = FEATURE_TABLES
        .iter()
        .map(|t| {
            count(
                &conn,
                &format!("SELECT count(*) FROM {t} WHERE project_uuid IS NOT NULL"),
            )
        })
        .sum();
    assert!(with_project > 0);
    assert_eq!(mapped, with_project);
    drop(conn);

    // With GDAL: ogrinfo lists and reads every table, the validator has nothing to say.
    if common::has_ogrinfo() {
        let o = std::process::Command::new("ogrinfo")
            .args(["-ro", "-al", "-q"])
            .arg(&out)
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let text = String::from_utf8_lossy(&o.stdout);
        for t in FEATURE_TABLES.iter().chain(&ATTRIBUTE_TABLES) {
            assert!(
                text.contains(&format!("Layer name: {t}")),
                "ogrinfo: no {t}"
            );
        }
        assert!(
            text.contains("element_name_zh (String) = 口袋花园"),
            "{text}"
        );
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(!stderr.contains("ERROR"), "{stderr}");
    } else {
        eprintln!("skipped: GDAL's ogrinfo (Debian gdal-bin) is not installed");
    }
    match common::gpkg_validator_python() {
        Some(python) => {
            let report = common::validate_gpkg(python, &out);
            assert!(report.trim().is_empty(), "validate_gpkg:\n{report}");
        }
        None => {
            eprintln!("skipped: GDAL's GeoPackage validator (Debian python3-gdal) is not installed")
        }
    }
}

#[test]
fn a_filtered_export_holds_only_the_filters_records() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let out = dir.path().join("ljz.gpkg");
    let o = export(&ws, &out, &["--street", "陆家嘴街道", "--year", "2024"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let conn = open(&out);
    let codes: Vec<String> = conn
        .prepare("SELECT code FROM projects")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(codes, ["PD-2024-LJZ-01"]);
    for t in FEATURE_TABLES {
        assert_eq!(
            count(
                &conn,
                &format!("SELECT count(*) FROM {t} WHERE street != '陆家嘴街道' OR year != 2024")
            ),
            0
        );
    }
    // Meetings and tasks only of the exported project.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM meetings WHERE project_code != 'PD-2024-LJZ-01'"
        ),
        0
    );
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM tasks WHERE project_code != 'PD-2024-LJZ-01'"
        ),
        0
    );
    // The people are those the project names.
    assert_eq!(
        count(
            &conn,
            "SELECT count(*) FROM people WHERE uuid NOT IN (SELECT person_uuid FROM project_people WHERE person_uuid IS NOT NULL)"
        ),
        0
    );
}

#[test]
fn only_an_earlier_export_is_replaced_and_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let ws = sample(dir.path());
    let before = std::fs::read(&ws).unwrap();
    let o = export(&ws, &ws, &["--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("w.gpkg"));
    assert_eq!(std::fs::read(&ws).unwrap(), before);

    let other = dir.path().join("other.gpkg");
    std::fs::copy(&ws, &other).unwrap();
    let o = export(&ws, &other, &["--force"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("other.gpkg"));
    assert_eq!(std::fs::read(&other).unwrap(), before);

    // A GeoPackage Linli exported is replaced, but only with --force and only when no SQLite
    // log sits beside it.
    let earlier = dir.path().join("earlier.gpkg");
    assert!(export(&ws, &earlier, &[]).status.success());
    let first = std::fs::read(&earlier).unwrap();
    let o = export(&ws, &earlier, &["--year", "2024"]);
    assert_eq!(o.status.code(), Some(1), "replaced without --force");
    let wal = dir.path().join("earlier.gpkg-wal");
    std::fs::write(&wal, b"").unwrap();
    assert_eq!(export(&ws, &earlier, &["--force"]).status.code(), Some(1));
    assert_eq!(std::fs::read(&earlier).unwrap(), first);
    std::fs::remove_file(&wal).unwrap();
    let o = export(&ws, &earlier, &["--force", "--year", "2024"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(count(&open(&earlier), "SELECT count(*) FROM projects"), 2);
    // Another program's GeoPackage (here: an export without its mark) is not.
    let foreign = dir.path().join("foreign.gpkg");
    std::fs::copy(&earlier, &foreign).unwrap();
    Connection::open(&foreign)
        .unwrap()
        .execute_batch(
            "DROP TABLE linli_export; DELETE FROM gpkg_contents WHERE table_name = 'linli_export';",
        )
        .unwrap();
    let before = std::fs::read(&foreign).unwrap();
    assert_eq!(export(&ws, &foreign, &["--force"]).status.code(), Some(1));
    assert_eq!(std::fs::read(&foreign).unwrap(), before);

    // A file that is not a database is replaced only with --force, and no temporary file
    // is left beside it.
    let text = dir.path().join("out.gpkg");
    std::fs::write(&text, "not a database").unwrap();
    assert_eq!(export(&ws, &text, &[]).status.code(), Some(1));
    assert!(export(&ws, &text, &["--force"]).status.success());
    assert_eq!(&std::fs::read(&text).unwrap()[..16], b"SQLite format 3\0");
    let names: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("linli-tmp"))
        .collect();
    assert!(names.is_empty(), "{names:?}");
    // An unknown filter value names itself.
    let o = export(
        &ws,
        &dir.path().join("x.gpkg"),
        &["--community", "梅园居委"],
    );
    assert_eq!(o.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&o.stderr).contains("梅园居委"));
}
