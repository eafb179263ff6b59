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
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
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
        super::contents::register_attributes(
            &tx,
            &[
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
            ],
        )?;
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
        create_schema_tables(&tx)?;
        write_coded_fields(&tx, catalog)?;
        write_project_coded_fields(&tx)?;
        // Schema 5's roster and tasks, by the very step that migrates older files.
        super::people_tables::people_and_tasks(&tx)?;
        // Schema 5's attachments, pins and bookmarks, by the very step that migrates.
        super::media_tables::attachments_and_bookmarks(&tx)?;
        notes_table_and_codes(&tx)?;
        // Schema 7's slides, by the very step that migrates.
        super::meetings::slides_column(&tx)?;
        // Schema 8's residents' input and voting rules, by the very step that migrates.
        inputs_and_vote_rules(&tx)?;
        // Schema 9's design alternatives, by the very step that migrates.
        super::alternative_tables::alternatives(&tx)?;
        // Schema 10's exchange with a district's streets, by the very step that migrates.
        super::sync_tables::sync_tables(&tx)?;
        // Schema 11's provenance, by the very step that migrates.
        super::provenance::provenance_table(&tx)?;
        super::pyramid::create_tables(&tx)?;
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
/// The `CREATE TABLE` of a feature table: `fid`, the geometry column of `geometry_type`, then
/// `columns` (what `sqlite_master` keeps of it).
pub(super) fn feature_table_sql(table: &str, geometry_type: &str, columns: &str) -> Result<String> {
    Ok(format!(
        "CREATE TABLE {t} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, {GEOM_COLUMN} {geometry_type}, {columns})",
        t = q(table)?
    ))
}

pub(super) fn create_feature_table(
    conn: &Connection,
    table: &str,
    geometry_type: &str,
    identifier: &str,
    columns: &str,
) -> Result<()> {
    conn.execute_batch(&feature_table_sql(table, geometry_type, columns)?)?;
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
    write_rtree_triggers(conn, table)?;
    refresh_extent(conn, table)
}

/// The names of the R-tree triggers of GeoPackage 1.2 (Annex N), which [`write_rtree_triggers`]
/// creates and `linli check` expects.
pub(super) const RTREE_TRIGGER_SUFFIXES: [&str; 6] = [
    "insert", "update1", "update2", "update3", "update4", "delete",
];

/// Replaces every R-tree trigger of `table` with the GeoPackage 1.2 set (Annex N, with the
/// 1.2.1 fix of `update3`): the set GDAL 3.6 writes and its validator (`validate_gpkg.py`)
/// requires of a file whose header says 1.2. The `geopackage_core` crate writes the 1.4 set
/// (`update5`…`update7`), which that validator reports missing, so we write our own.
pub(super) fn write_rtree_triggers(conn: &Connection, table: &str) -> Result<()> {
    let base = triggers::rtree_table_name(table, GEOM_COLUMN);
    // Every trigger name of either generation (1.2: update1…4, 1.4: update2, 4…7).
    for suffix in [
        "insert", "update1", "update2", "update3", "update4", "update5", "update6", "update7",
        "delete",
    ] {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS {}",
            q(&format!("{base}_{suffix}"))?
        ))?;
    }
    let (rt, t, c) = (q(&base)?, q(table)?, q(GEOM_COLUMN)?);
    let name = |suffix: &str| q(&format!("{base}_{suffix}"));
    let insert_row = format!(
        "INSERT OR REPLACE INTO {rt} VALUES (NEW.fid, ST_MinX(NEW.{c}), ST_MaxX(NEW.{c}), ST_MinY(NEW.{c}), ST_MaxY(NEW.{c}));"
    );
    let present = format!("(NEW.{c} NOTNULL AND NOT ST_IsEmpty(NEW.{c}))");
    let absent = format!("(NEW.{c} ISNULL OR ST_IsEmpty(NEW.{c}))");
    let statements = [
        format!(
            "CREATE TRIGGER {} AFTER INSERT ON {t} WHEN {present} BEGIN {insert_row} END",
            name("insert")?
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND {present} BEGIN {insert_row} END",
            name("update1")?
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE OF {c} ON {t} WHEN OLD.fid = NEW.fid AND {absent} BEGIN DELETE FROM {rt} WHERE id = OLD.fid; END",
            name("update2")?
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND {present} BEGIN DELETE FROM {rt} WHERE id = OLD.fid; {insert_row} END",
            name("update3")?
        ),
        format!(
            "CREATE TRIGGER {} AFTER UPDATE ON {t} WHEN OLD.fid != NEW.fid AND {absent} BEGIN DELETE FROM {rt} WHERE id IN (OLD.fid, NEW.fid); END",
            name("update4")?
        ),
        format!(
            "CREATE TRIGGER {} AFTER DELETE ON {t} WHEN OLD.{c} NOT NULL BEGIN DELETE FROM {rt} WHERE id = OLD.fid; END",
            name("delete")?
        ),
    ];
    for sql in statements {
        conn.execute_batch(&sql)?;
    }
    Ok(())
}

/// Creates the GeoPackage schema extension's tables (`gpkg_data_columns`,
/// `gpkg_data_column_constraints`) when absent and registers them, as GDAL does.
pub(super) fn create_schema_tables(conn: &Connection) -> Result<()> {
    for (table, ddl) in [
        ("gpkg_data_columns", ddl::CREATE_GPKG_DATA_COLUMNS),
        (
            "gpkg_data_column_constraints",
            ddl::CREATE_GPKG_DATA_COLUMN_CONSTRAINTS,
        ),
    ] {
        if !super::has_table(conn, table)? {
            conn.execute_batch(ddl)?;
        }
        conn.execute(
            "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
             SELECT ?1, NULL, 'gpkg_schema', ?2, 'read-write'
             WHERE NOT EXISTS (SELECT 1 FROM gpkg_extensions WHERE table_name = ?1 AND extension_name = 'gpkg_schema')",
            params![table, SCHEMA_DEFINITION],
        )?;
    }
    Ok(())
}

/// Where the schema extension is defined (GeoPackage 1.2.1, as GDAL 3.6 registers it).
const SCHEMA_DEFINITION: &str = "http://www.geopackage.org/spec121/#extension_schema";

/// Makes `table.column` a coded field: an `enum` constraint named `constraint_name` holding
/// `values` as (stored value, description shown) pairs, linked to the column in
/// `gpkg_data_columns`. GDAL reads it as a coded field domain and QGIS shows the column as a
/// drop-down of the descriptions. The constraint's earlier values are replaced (several
/// columns may share one constraint: each call rewrites it whole). The schema extension's
/// tables must exist ([`create_schema_tables`]; every workspace of schema 3 has them). Runs in
/// the caller's transaction.
pub fn write_enum_constraint(
    conn: &Connection,
    table: &str,
    column: &str,
    constraint_name: &str,
    values: &[(&str, &str)],
) -> Result<()> {
    conn.execute(
        "DELETE FROM gpkg_data_column_constraints WHERE constraint_name = ?1 AND constraint_type = 'enum'",
        [constraint_name],
    )?;
    let mut insert = conn.prepare_cached(
        "INSERT INTO gpkg_data_column_constraints (constraint_name, constraint_type, value, description)
         VALUES (?1, 'enum', ?2, ?3)",
    )?;
    for (value, description) in values {
        insert.execute(params![constraint_name, value, description])?;
    }
    conn.execute(
        "INSERT INTO gpkg_data_columns (table_name, column_name, constraint_name) VALUES (?1, ?2, ?3)
         ON CONFLICT (table_name, column_name) DO UPDATE SET constraint_name = excluded.constraint_name",
        params![table, column, constraint_name],
    )?;
    Ok(())
}

/// The coded fields of a workspace: the plan tables' `element_type` (the catalog's keys,
/// shown by their Chinese names) and the projects' `programme` and `stage`.
pub(super) fn write_coded_fields(conn: &Connection, catalog: &Catalog) -> Result<()> {
    let elements: Vec<(&str, &str)> = catalog
        .elements
        .iter()
        .map(|e| (e.key.as_str(), e.name_zh.as_str()))
        .collect();
    for kind in PLAN_KINDS {
        write_enum_constraint(
            conn,
            plan_table(kind).0,
            "element_type",
            "linli_element_type",
            &elements,
        )?;
    }
    let mut programmes: Vec<&str> = crate::model::PROGRAMMES.to_vec();
    if !catalog.programme.is_empty() && !programmes.contains(&catalog.programme.as_str()) {
        programmes.push(&catalog.programme);
    }
    let programmes: Vec<(&str, &str)> = programmes.iter().map(|v| (*v, *v)).collect();
    write_enum_constraint(
        conn,
        PROJECTS_TABLE,
        "programme",
        "linli_programme",
        &programmes,
    )?;
    let workflows = crate::model::workflow::Workflows::bundled();
    let stages = stage_codes(&workflows);
    write_enum_constraint(conn, PROJECTS_TABLE, "stage", "linli_stage", &stages)
}

/// Every stage of the bundled workflow templates: its key, shown by its Chinese name.
fn stage_codes(workflows: &crate::model::workflow::Workflows) -> Vec<(&str, &str)> {
    let mut out: Vec<(&str, &str)> = Vec::new();
    for w in workflows.all() {
        for s in &w.stages {
            if !out.iter().any(|(k, _)| *k == s.key) {
                out.push((s.key.as_str(), s.name_zh.as_str()));
            }
        }
    }
    out
}

/// The coded fields of the project record's tables (schema 4): the workflow template, the
/// stage of a stage-dates row, the kind of a meeting — each shown by its Chinese name.
pub(super) fn write_project_coded_fields(conn: &Connection) -> Result<()> {
    let workflows = crate::model::workflow::Workflows::bundled();
    let templates: Vec<(&str, &str)> = workflows
        .all()
        .iter()
        .map(|w| (w.key.as_str(), w.name_zh.as_str()))
        .collect();
    write_enum_constraint(
        conn,
        PROJECTS_TABLE,
        "workflow",
        "linli_workflow",
        &templates,
    )?;
    let stages = stage_codes(&workflows);
    write_enum_constraint(conn, super::STAGES_TABLE, "stage", "linli_stage", &stages)?;
    // Rewriting `linli_stage` whole keeps `linli_projects.stage` on it too.
    conn.execute(
        "INSERT INTO gpkg_data_columns (table_name, column_name, constraint_name) VALUES (?1, 'stage', 'linli_stage')
         ON CONFLICT (table_name, column_name) DO UPDATE SET constraint_name = excluded.constraint_name",
        [PROJECTS_TABLE],
    )?;
    let kinds: Vec<(&str, &str)> = crate::model::project::MeetingKind::ALL
        .iter()
        .map(|k| (k.key(), k.name_zh()))
        .collect();
    write_enum_constraint(
        conn,
        super::MEETINGS_TABLE,
        "kind",
        "linli_meeting_kind",
        &kinds,
    )
}

/// Schema 5's meeting notes as a point feature table (pins QGIS draws as a layer), with the
/// coded fields of the notes and the attachments (run after `media_tables`).
pub(super) fn notes_table_and_codes(tx: &Connection) -> Result<()> {
    create_feature_table(
        tx,
        super::NOTES_TABLE,
        "POINT",
        "会议意见与投票 meeting comments and votes",
        "meeting_uuid TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT, vote TEXT",
    )?;
    let notes_table = super::NOTES_TABLE;
    tx.execute_batch(&format!(
        "CREATE INDEX {notes_table}_meeting ON {notes_table} (meeting_uuid, seq);"
    ))?;
    finish_feature_table(tx, super::NOTES_TABLE)?;
    let kinds: Vec<(&str, &str)> = crate::model::attachment::AttachmentKind::ALL
        .iter()
        .map(|k| (k.key(), k.name_zh()))
        .collect();
    write_enum_constraint(
        tx,
        super::MEDIA_TABLE,
        "kind",
        "linli_attachment_kind",
        &kinds,
    )?;
    let notes: Vec<(&str, &str)> = crate::model::meeting::NoteKind::ALL
        .iter()
        .map(|k| (k.key(), k.name_zh()))
        .collect();
    write_enum_constraint(tx, super::NOTES_TABLE, "kind", "linli_note_kind", &notes)?;
    let votes: Vec<(&str, &str)> = crate::model::meeting::Vote::ALL
        .iter()
        .map(|k| (k.key(), k.name_zh()))
        .collect();
    write_enum_constraint(tx, super::NOTES_TABLE, "vote", "linli_vote", &votes)
}

/// Schema 6 → 7, and a new workspace the same: residents' input as a point feature table
/// (`store::inputs`) with its coded kind, and the meetings' `vote_rules` column (JSON text;
/// NULL: the defaults).
pub(super) fn inputs_and_vote_rules(tx: &Connection) -> Result<()> {
    let (meetings, inputs) = (super::MEETINGS_TABLE, super::INPUTS_TABLE);
    tx.execute_batch(&format!(
        "ALTER TABLE {meetings} ADD COLUMN vote_rules TEXT;"
    ))?;
    create_feature_table(
        tx,
        super::INPUTS_TABLE,
        "POINT",
        "居民意见与投票 residents' input",
        "uuid TEXT NOT NULL UNIQUE, meeting_uuid TEXT NOT NULL, kind TEXT NOT NULL, text TEXT, \
         participant INTEGER, feature_uuid TEXT, alternative_uuid TEXT, made_utc TEXT NOT NULL",
    )?;
    tx.execute_batch(&format!(
        "CREATE INDEX {inputs}_meeting ON {inputs} (meeting_uuid);"
    ))?;
    finish_feature_table(tx, super::INPUTS_TABLE)?;
    let kinds: Vec<(&str, &str)> = crate::model::input::InputKind::ALL
        .iter()
        .map(|k| (k.key(), k.name_zh()))
        .collect();
    write_enum_constraint(tx, super::INPUTS_TABLE, "kind", "linli_input_kind", &kinds)
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

/// A random UUID (version 4) in SQL, for [`write_uuid_triggers`].
const UUID_SQL: &str = "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-4' || \
    substr(lower(hex(randomblob(2))), 2) || '-' || substr('89ab', 1 + (abs(random()) % 4), 1) || \
    substr(lower(hex(randomblob(2))), 2) || '-' || lower(hex(randomblob(6)))";

/// Makes a feature table (a plan table, or a layer written by `layer_write`) fill in its own
/// `uuid`: a row inserted or updated without one (QGIS's
/// form leaves the column empty) gets a random UUID in the same statement.
///
/// Why triggers and not a column `DEFAULT (…)`: GDAL 3.6 reads an expression default as a
/// string literal, and QGIS's form then copies that text into the field, so every feature
/// added in QGIS would get the same bogus id (tried: the second one breaks `UNIQUE`). The
/// column is therefore nullable; these triggers keep it filled.
pub(super) fn write_uuid_triggers(conn: &Connection, table: &str) -> Result<()> {
    let t = q(table)?;
    for (suffix, event) in [("insert", "INSERT"), ("update", "UPDATE OF uuid")] {
        conn.execute_batch(&format!(
            "DROP TRIGGER IF EXISTS {name};
             CREATE TRIGGER {name} AFTER {event} ON {t} WHEN NEW.uuid IS NULL OR trim(NEW.uuid) = ''
             BEGIN UPDATE {t} SET uuid = {UUID_SQL} WHERE fid = NEW.fid; END;",
            name = q(&format!("linli_{table}_uuid_{suffix}"))?
        ))?;
    }
    Ok(())
}

/// The plan tables' columns after `fid` and `geom`, in order.
pub(super) const PLAN_COLUMN_NAMES: &str = "uuid, name, element_type, element_name, street, community, area_m2, length_m, \
    project_code, properties";

const PLAN_COLUMNS_REST: &str = "name TEXT, element_type TEXT NOT NULL, element_name TEXT, street TEXT, \
    community TEXT, area_m2 REAL, length_m REAL, project_code TEXT, properties TEXT";

/// The plan tables' column definitions after `fid` and `geom`.
pub(super) fn plan_columns() -> String {
    format!("uuid TEXT UNIQUE, {PLAN_COLUMNS_REST}")
}

pub(super) fn create_plan_table(conn: &Connection, kind: GeometryKind) -> Result<()> {
    let (table, geometry_type, identifier) = plan_table(kind);
    create_feature_table(conn, table, geometry_type, identifier, &plan_columns())?;
    write_uuid_triggers(conn, table)?;
    finish_feature_table(conn, table)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn an_enum_constraint_is_rewritten_whole_and_linked_to_each_column() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::create(&dir.path().join("e.gpkg"), &Catalog::bundled()).unwrap();
        let conn = &store.conn;
        let values = |name: &str| -> Vec<(String, String)> {
            conn.prepare(
                "SELECT value, description FROM gpkg_data_column_constraints
                 WHERE constraint_name = ?1 AND constraint_type = 'enum' ORDER BY value",
            )
            .unwrap()
            .query_map([name], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap()
        };
        // A new workspace has the catalog's keys, shown by their Chinese names.
        let elements = values("linli_element_type");
        assert_eq!(elements.len(), 9);
        assert!(elements.contains(&("pocket_garden".into(), "口袋花园".into())));
        write_enum_constraint(
            conn,
            PROJECTS_TABLE,
            "stage",
            "linli_stage",
            &[("立项", "立项"), ("施工", "施工")],
        )
        .unwrap();
        write_enum_constraint(
            conn,
            "plan_points",
            "name",
            "linli_stage",
            &[("选址", "选址")],
        )
        .unwrap();
        assert_eq!(values("linli_stage"), vec![("选址".into(), "选址".into())]);
        let linked: Vec<String> = conn
            .prepare(
                "SELECT table_name || '.' || column_name FROM gpkg_data_columns
                 WHERE constraint_name = 'linli_stage' ORDER BY 1",
            )
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            linked,
            vec![
                "linli_project_stages.stage",
                "linli_projects.stage",
                "plan_points.name"
            ]
        );
    }
}
