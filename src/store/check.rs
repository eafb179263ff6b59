//! The integrity check behind `linli check`.

use geopackage_core::{GpbGeometry, triggers};
use rusqlite::{Connection, params};

use super::{
    GEOM_COLUMN, GPKG_APPLICATION_ID, GPKG_USER_VERSION, PROJECTS_TABLE, SRS_ID, Store, q,
};
use crate::error::Result;
/// Integrity problems of a workspace, in words; empty when it is sound.
pub fn check(store: &Store) -> Result<Vec<String>> {
    let conn = &store.conn;
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if rows != ["ok"] {
        problems.extend(rows.into_iter().map(|r| format!("SQLite integrity: {r}")));
        return Ok(problems);
    }
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if app_id as u32 != GPKG_APPLICATION_ID {
        problems.push(format!("application_id is {app_id:#x}, not 'GPKG'"));
    }
    if user_version != i64::from(GPKG_USER_VERSION) {
        problems.push(format!(
            "user_version is {user_version}, expected {GPKG_USER_VERSION} (GeoPackage 1.2)"
        ));
    }
    for table in [
        "gpkg_spatial_ref_sys",
        "gpkg_contents",
        "gpkg_geometry_columns",
        "gpkg_extensions",
        "linli_meta",
        "linli_catalog",
        "linli_layers",
        PROJECTS_TABLE,
    ] {
        let n: i64 = conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |r| r.get(0),
        )?;
        if n == 0 {
            problems.push(format!("table {table} is missing"));
        }
    }
    if !problems.is_empty() {
        return Ok(problems);
    }
    let srs: i64 = conn.query_row(
        "SELECT count(*) FROM gpkg_spatial_ref_sys WHERE srs_id IN (4326, 0, -1)",
        [],
        |r| r.get(0),
    )?;
    if srs != 3 {
        problems
            .push("gpkg_spatial_ref_sys lacks one of the required EPSG:4326, 0 and -1 rows".into());
    }
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if fk > 0 {
        problems.push(format!("{fk} foreign key violations"));
    }
    let mut tables: Vec<String> = conn
        .prepare(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY table_name",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let registered: Vec<String> = conn
        .prepare("SELECT name FROM linli_layers ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for name in &registered {
        if !tables.contains(name) {
            problems.push(format!(
                "layer {name:?} is listed in linli_layers but has no feature table in gpkg_contents"
            ));
        }
    }
    tables.sort();
    for table in &tables {
        check_feature_table(conn, table, &mut problems)?;
    }
    let catalog = store.catalog()?;
    let codes: std::collections::BTreeSet<String> =
        store.projects()?.into_iter().map(|p| p.code).collect();
    let mut seen = std::collections::BTreeSet::new();
    for (f, _) in store.load_plan()? {
        if !seen.insert(f.feature.id) {
            problems.push(format!(
                "plan feature {} appears in more than one plan table",
                f.feature.id
            ));
        }
        if catalog.get(&f.element).is_none() {
            problems.push(format!(
                "plan feature {} has element type {:?}, which is not in the catalog",
                f.feature.id, f.element
            ));
        }
        if let Some(code) = &f.project
            && !codes.contains(code)
        {
            problems.push(format!(
                "plan feature {} links to project {code:?}, which does not exist",
                f.feature.id
            ));
        }
    }
    Ok(problems)
}

fn check_feature_table(conn: &Connection, table: &str, problems: &mut Vec<String>) -> Result<()> {
    let geom_cols: i64 = conn.query_row(
        "SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = ?1 AND column_name = ?2 AND srs_id = ?3",
        params![table, GEOM_COLUMN, SRS_ID],
        |r| r.get(0),
    )?;
    if geom_cols != 1 {
        problems.push(format!(
            "{table}: no gpkg_geometry_columns row for {GEOM_COLUMN} in EPSG:4326"
        ));
        return Ok(());
    }
    let rtree_name = triggers::rtree_table_name(table, GEOM_COLUMN);
    let has_rtree: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = ?1",
        [&rtree_name],
        |r| r.get(0),
    )?;
    if has_rtree == 0 {
        problems.push(format!("{table}: spatial index {rtree_name} is missing"));
        return Ok(());
    }
    let triggers: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND name LIKE ?2",
        params![table, format!("{rtree_name}_%")],
        |r| r.get(0),
    )?;
    if triggers < 7 {
        problems.push(format!(
            "{table}: spatial index triggers are missing ({triggers} of 7)"
        ));
    }
    let mut rtree: std::collections::BTreeMap<i64, [f64; 4]> = std::collections::BTreeMap::new();
    let mut stmt = conn.prepare(&format!(
        "SELECT id, minx, maxx, miny, maxy FROM {}",
        q(&rtree_name)?
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        rtree.insert(r.get(0)?, [r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]);
    }
    let mut stmt = conn.prepare(&format!("SELECT fid, {GEOM_COLUMN} FROM {}", q(table)?))?;
    let mut rows = stmt.query([])?;
    let mut indexed = 0usize;
    let mut bad_geometries = 0usize;
    let mut mismatched = 0usize;
    while let Some(r) = rows.next()? {
        let fid: i64 = r.get(0)?;
        let Some(blob) = r.get::<_, Option<Vec<u8>>>(1)? else {
            continue;
        };
        let Ok(parsed) = GpbGeometry::parse(&blob) else {
            bad_geometries += 1;
            continue;
        };
        if parsed.header().srs_id != SRS_ID {
            problems.push(format!(
                "{table}: feature {fid} has srs_id {} (expected {SRS_ID})",
                parsed.header().srs_id
            ));
        }
        let Some(env) = parsed.xy_envelope() else {
            continue;
        };
        indexed += 1;
        match rtree.get(&fid) {
            None => mismatched += 1,
            // The R-tree stores 32-bit floats rounded outwards: allow that much.
            Some(b) => {
                let close = |a: f64, b: f64| (a - b).abs() <= 1e-4 * a.abs().max(1.0);
                if !(close(b[0], env[0])
                    && close(b[1], env[1])
                    && close(b[2], env[2])
                    && close(b[3], env[3]))
                {
                    mismatched += 1;
                }
            }
        }
    }
    if bad_geometries > 0 {
        problems.push(format!(
            "{table}: {bad_geometries} geometries are not valid GeoPackage blobs"
        ));
    }
    if mismatched > 0 || indexed != rtree.len() {
        problems.push(format!(
            "{table}: spatial index is inconsistent ({indexed} geometries, {} index entries, {mismatched} missing or wrong)",
            rtree.len()
        ));
    }
    Ok(())
}
