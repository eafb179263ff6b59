//! The integrity check behind `linli check`.

use geopackage_core::{GpbGeometry, triggers};
use rusqlite::{Connection, params};

use super::{
    GEOM_COLUMN, GPKG_APPLICATION_ID, GPKG_USER_VERSION, PROJECTS_TABLE, SRS_ID, Store, q,
};
use crate::error::{Problem, Result};

/// Integrity problems of a workspace, as data (`i18n::errors::problem_message` says them);
/// empty when it is sound.
pub fn check(store: &Store) -> Result<Vec<Problem>> {
    let conn = &store.conn;
    let mut problems = Vec::new();
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let rows: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if rows != ["ok"] {
        problems.extend(
            rows.into_iter()
                .map(|detail| Problem::IntegrityCheck { detail }),
        );
        return Ok(problems);
    }
    let app_id: i64 = conn.query_row("PRAGMA application_id", [], |r| r.get(0))?;
    let user_version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if app_id as u32 != GPKG_APPLICATION_ID {
        problems.push(Problem::WrongApplicationId { found: app_id });
    }
    if user_version != i64::from(GPKG_USER_VERSION) {
        problems.push(Problem::WrongUserVersion {
            found: user_version,
            expected: i64::from(GPKG_USER_VERSION),
        });
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
        super::FUNDING_TABLE,
        super::STAGES_TABLE,
        super::HISTORY_TABLE,
        super::MEETINGS_TABLE,
    ] {
        if !super::has_table(conn, table)? {
            problems.push(Problem::TableMissing {
                table: table.to_string(),
            });
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
        problems.push(Problem::SpatialRefSysIncomplete);
    }
    let fk: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
        r.get(0)
    })?;
    if fk > 0 {
        problems.push(Problem::ForeignKeyViolations {
            count: fk.max(0) as u64,
        });
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
            problems.push(Problem::LayerWithoutTable {
                layer: name.clone(),
            });
        }
    }
    tables.sort();
    for table in &tables {
        check_feature_table(conn, table, &mut problems)?;
    }
    let catalog = store.catalog()?;
    let codes: std::collections::BTreeSet<String> =
        store.projects()?.into_iter().map(|p| p.code).collect();
    // Rows that cannot be read, ids that are not UUIDs (or repeat another row's: the same
    // feature in two tables), properties kept verbatim: what opening would report.
    let plan = store.read_plan()?;
    problems.extend(plan.notes);
    for f in plan.rows.into_iter().map(|r| r.feature) {
        if catalog.get(&f.element).is_none() {
            problems.push(Problem::PlanFeatureUnknownElement {
                id: f.feature.id.to_string(),
                element: f.element.clone(),
            });
        }
        if let Some(code) = &f.project
            && !codes.contains(code)
        {
            problems.push(Problem::PlanFeatureUnknownProject {
                id: f.feature.id.to_string(),
                code: code.clone(),
            });
        }
    }
    Ok(problems)
}

/// The triggers GeoPackage 1.2's R-tree extension defines per feature table.
const RTREE_TRIGGERS: i64 = super::schema::RTREE_TRIGGER_SUFFIXES.len() as i64;

fn check_feature_table(conn: &Connection, table: &str, problems: &mut Vec<Problem>) -> Result<()> {
    let geom_cols: i64 = conn.query_row(
        "SELECT count(*) FROM gpkg_geometry_columns WHERE table_name = ?1 AND column_name = ?2 AND srs_id = ?3",
        params![table, GEOM_COLUMN, SRS_ID],
        |r| r.get(0),
    )?;
    if geom_cols != 1 {
        problems.push(Problem::NoGeometryColumn {
            table: table.to_string(),
            column: GEOM_COLUMN.to_string(),
        });
        return Ok(());
    }
    let rtree_name = triggers::rtree_table_name(table, GEOM_COLUMN);
    let has_rtree: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE name = ?1",
        [&rtree_name],
        |r| r.get(0),
    )?;
    if has_rtree == 0 {
        problems.push(Problem::SpatialIndexMissing {
            table: table.to_string(),
            index: rtree_name,
        });
        return Ok(());
    }
    let mut triggers: i64 = 0;
    for suffix in super::schema::RTREE_TRIGGER_SUFFIXES {
        triggers += conn.query_row(
            "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = ?1 AND name = ?2",
            params![table, format!("{rtree_name}_{suffix}")],
            |r| r.get::<_, i64>(0),
        )?;
    }
    if triggers < RTREE_TRIGGERS {
        problems.push(Problem::SpatialIndexTriggersMissing {
            table: table.to_string(),
            found: triggers.max(0) as u64,
            expected: RTREE_TRIGGERS as u64,
        });
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
            problems.push(Problem::WrongSrsId {
                table: table.to_string(),
                fid,
                found: i64::from(parsed.header().srs_id),
                expected: i64::from(SRS_ID),
            });
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
        problems.push(Problem::InvalidGeometryBlobs {
            table: table.to_string(),
            count: bad_geometries as u64,
        });
    }
    if mismatched > 0 || indexed != rtree.len() {
        problems.push(Problem::SpatialIndexInconsistent {
            table: table.to_string(),
            geometries: indexed as u64,
            entries: rtree.len() as u64,
            wrong: mismatched as u64,
        });
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::i18n::Lang;
    use crate::i18n::errors::problem_message;
    use crate::model::catalog::Catalog;

    #[test]
    fn findings_are_problems_with_their_parameters_in_both_languages() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("c.gpkg"), &Catalog::bundled()).unwrap();
        assert_eq!(check(&store).unwrap(), Vec::<Problem>::new());
        let trigger: String = store
            .conn
            .query_row(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'plan_points' AND name LIKE 'rtree%' ORDER BY name LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        store
            .conn
            .execute_batch(&format!(
                "DROP TRIGGER {}; DELETE FROM gpkg_spatial_ref_sys WHERE srs_id = 0;",
                q(&trigger).unwrap()
            ))
            .unwrap();
        let found = check(&store).unwrap();
        assert_eq!(
            found,
            vec![
                Problem::SpatialRefSysIncomplete,
                Problem::SpatialIndexTriggersMissing {
                    table: "plan_points".into(),
                    found: 5,
                    expected: RTREE_TRIGGERS as u64,
                },
            ]
        );
        let zh = problem_message(&found[1], Lang::Zh);
        assert_eq!(zh, "plan_points：空间索引触发器不全（5/6）");
        assert!(problem_message(&found[0], Lang::Zh).contains("缺少"));
    }
}
