//! The tables a new workspace starts with: the GeoPackage spec tables, the app's own tables,
//! feature tables with their R-tree index and triggers, and the `ST_*` SQL functions those
//! triggers call.

use geopackage_core::{ddl, triggers};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, params};

use super::{
    APP_SCHEMA_VERSION, GEOM_COLUMN, PLAN_KINDS, PROJECTS_TABLE, RTREE_DEFINITION, SRS_ID, Store,
    cannot_serialise, plan_table, q,
};
use crate::error::Result;
use crate::model::catalog::{Catalog, GeometryKind};

impl Store {
    pub(super) fn write_schema(&mut self, catalog: &Catalog) -> Result<()> {
        let tx = self.conn.transaction()?;
        for sql in [
            ddl::CREATE_GPKG_SPATIAL_REF_SYS,
            ddl::CREATE_GPKG_CONTENTS,
            ddl::CREATE_GPKG_GEOMETRY_COLUMNS,
            ddl::CREATE_GPKG_EXTENSIONS,
        ] {
            tx.execute_batch(sql)?;
        }
        for sql in ddl::SEED_SPATIAL_REF_SYS {
            tx.execute_batch(sql)?;
        }
        tx.execute_batch(
            "CREATE TABLE linli_meta (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT NOT NULL UNIQUE, value TEXT NOT NULL);
             CREATE TABLE linli_catalog (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, key TEXT NOT NULL UNIQUE,
                 sort_order INTEGER NOT NULL, definition TEXT NOT NULL);
             CREATE TABLE linli_layers (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, name TEXT NOT NULL UNIQUE,
                 role TEXT NOT NULL, source TEXT, sort_order INTEGER NOT NULL);",
        )?;
        tx.execute_batch(PROJECTS_DDL)?;
        tx.execute_batch(PROJECTS_INDEX_DDL)?;
        // Every table of ours is a registered attributes table with an integer key, so GDAL
        // and QGIS list and open each of them cleanly instead of offering broken sublayers.
        for (table, identifier, description) in [
            (
                PROJECTS_TABLE,
                "项目 projects",
                "Linli project records (项目)",
            ),
            (
                "linli_meta",
                "linli_meta",
                "Linli: workspace schema version",
            ),
            (
                "linli_catalog",
                "linli_catalog",
                "Linli: element catalog (要素类型)",
            ),
            ("linli_layers", "linli_layers", "Linli: layer roles"),
        ] {
            tx.execute(
                "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?1, 'attributes', ?2, ?3)",
                params![table, identifier, description],
            )?;
        }
        // Schema 3's project record, by the very step that migrates older files.
        super::project_tables::full_project_records(&tx)?;
        tx.execute(
            "INSERT INTO linli_meta (key, value) VALUES ('schema_version', ?1)",
            params![APP_SCHEMA_VERSION.to_string()],
        )?;
        tx.execute(
            "INSERT INTO linli_meta (key, value) VALUES ('created_by', ?1)",
            params![format!("linli {}", env!("CARGO_PKG_VERSION"))],
        )?;
        write_catalog(&tx, catalog)?;
        for kind in PLAN_KINDS {
            create_plan_table(&tx, kind)?;
        }
        tx.commit()?;
        Ok(())
    }
}

/// The project table of the current schema. A migrated workspace rebuilds its table from this
/// same text, so old and new files end up with identical columns.
pub(super) const PROJECTS_DDL: &str =
    "CREATE TABLE linli_projects (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    uuid TEXT NOT NULL, code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, programme TEXT, year INTEGER,
    stage TEXT, budget_wan REAL);";

/// The unique index on the projects' UUIDs (schema 2).
pub(super) const PROJECTS_INDEX_DDL: &str =
    "CREATE UNIQUE INDEX linli_projects_uuid ON linli_projects (uuid);";

/// The `ST_*` functions the GeoPackage R-tree triggers call; SQLite does not have them.
pub(super) fn register_functions(conn: &Connection) -> Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    let envelope = |ctx: &rusqlite::functions::Context<'_>| -> Option<([f64; 4], bool)> {
        let blob = ctx.get_raw(0).as_blob().ok()?;
        let (env, empty) = geopackage_core::geometry::blob_envelope_and_empty(blob).ok()?;
        Some((env.unwrap_or([f64::NAN; 4]), empty))
    };
    for (name, i) in [
        ("ST_MinX", 0usize),
        ("ST_MaxX", 1),
        ("ST_MinY", 2),
        ("ST_MaxY", 3),
    ] {
        conn.create_scalar_function(name, 1, flags, move |ctx| {
            Ok(envelope(ctx)
                .and_then(|(env, empty)| (!empty && env[i].is_finite()).then_some(env[i])))
        })?;
    }
    conn.create_scalar_function("ST_IsEmpty", 1, flags, move |ctx| {
        Ok(envelope(ctx).map(|(_, empty)| i64::from(empty)))
    })?;
    Ok(())
}

pub(super) fn write_catalog(conn: &Connection, catalog: &Catalog) -> Result<()> {
    conn.execute("DELETE FROM linli_catalog", [])?;
    for (i, element) in catalog.elements.iter().enumerate() {
        let definition =
            serde_json::to_string(element).map_err(|e| cannot_serialise("catalog", &e))?;
        conn.execute(
            "INSERT INTO linli_catalog (key, sort_order, definition) VALUES (?1, ?2, ?3)",
            params![element.key, i as i64, definition],
        )?;
    }
    for (key, value) in [
        ("catalog_programme", &catalog.programme),
        ("catalog_district", &catalog.district),
        ("catalog_source", &catalog.source),
    ] {
        conn.execute(
            "INSERT INTO linli_meta (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            params![key, value],
        )?;
    }
    Ok(())
}

/// Creates a feature table with its R-tree index and registers it in the spec tables.
/// The triggers are created after the bulk insert (like GDAL does), by [`finish_feature_table`].
pub(super) fn create_feature_table(
    conn: &Connection,
    table: &str,
    geometry_type: &str,
    identifier: &str,
    columns: &str,
) -> Result<()> {
    conn.execute_batch(&format!(
        "CREATE TABLE {t} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GEOM_COLUMN} {geometry_type}, {columns})",
        t = q(table)?
    ))?;
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id) VALUES (?1, 'features', ?2, '', ?3)",
        params![table, identifier, SRS_ID],
    )?;
    conn.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, ?4, 0, 0)",
        params![table, GEOM_COLUMN, geometry_type, SRS_ID],
    )?;
    let sql = triggers::create_rtree_table_sql(table, GEOM_COLUMN)
        .map_err(|e| cannot_serialise("spatial index", &e))?;
    conn.execute_batch(&sql)?;
    conn.execute(
        "INSERT INTO gpkg_extensions VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            table,
            GEOM_COLUMN,
            triggers::EXTENSION_NAME,
            RTREE_DEFINITION,
            triggers::EXTENSION_SCOPE
        ],
    )?;
    Ok(())
}

pub(super) fn finish_feature_table(conn: &Connection, table: &str) -> Result<()> {
    for sql in triggers::create_triggers_sql(table, GEOM_COLUMN, "fid")
        .map_err(|e| cannot_serialise("triggers", &e))?
    {
        conn.execute_batch(&sql)?;
    }
    refresh_extent(conn, table)
}

/// Sets the table's extent in `gpkg_contents` from its R-tree, and its last change time.
pub fn refresh_extent(conn: &Connection, table: &str) -> Result<()> {
    let rtree = q(&triggers::rtree_table_name(table, GEOM_COLUMN))?;
    conn.execute(
        &format!(
            "UPDATE gpkg_contents SET min_x = (SELECT min(minx) FROM {rtree}), min_y = (SELECT min(miny) FROM {rtree}),
             max_x = (SELECT max(maxx) FROM {rtree}), max_y = (SELECT max(maxy) FROM {rtree}),
             last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?1"
        ),
        [table],
    )?;
    Ok(())
}

const PLAN_COLUMNS: &str = "uuid TEXT NOT NULL UNIQUE, name TEXT, element_type TEXT NOT NULL, element_name TEXT, street TEXT, \
    community TEXT, area_m2 REAL, length_m REAL, project_code TEXT, properties TEXT";

pub(super) fn create_plan_table(conn: &Connection, kind: GeometryKind) -> Result<()> {
    let (table, geometry_type, identifier) = plan_table(kind);
    create_feature_table(conn, table, geometry_type, identifier, PLAN_COLUMNS)?;
    finish_feature_table(conn, table)
}
