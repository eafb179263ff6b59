//! A GeoPackage for the bureau (`linli export --format gpkg`): not a workspace, a plain
//! GeoPackage 1.2 of feature tables and attributes tables that GDAL, QGIS and ArcGIS open as
//! they are, with the tables' relations registered through the Related Tables extension.
//!
//! The file is built in an in-memory SQLite database and handed back as bytes
//! ([`geopackage_bytes`]), so it reaches the disk through the one door every export takes
//! (the `output` module's): a temporary file beside the target, renamed into place, never over
//! the workspace or another SQLite file. Tables carry no R-tree: an export is read, not
//! edited, and a spatial index without its triggers would not be valid (GDAL builds one on
//! demand). The input is plain data: this module knows nothing of projects or the session.

use std::path::Path;

use geopackage_core::{ddl, related};
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, params, params_from_iter};

use crate::error::{Error, Problem, Result};
use crate::io::csv::Cell;
use crate::io::foreign::{ReadWatch, is_table, open_foreign};
use crate::io::gpb::{WGS84_SRS_ID, encode_geometry};

/// GeoPackage 1.2, as GDAL 3.6 writes it (QGIS 3.22 opens it without a warning).
const GPKG_USER_VERSION: i32 = 10200;
/// `application_id` 'GPKG'.
const GPKG_APPLICATION_ID: i32 = 0x4750_4B47;
/// Every table's integer key, feature or attributes: GDAL's name for it.
pub const KEY_COLUMN: &str = "fid";
/// The attributes table every export holds (`key`, `value`: who wrote it, when, with which
/// filter), which tells a GeoPackage Linli exported from any other (a workspace has
/// `linli_meta` instead).
pub const EXPORT_MARK_TABLE: &str = "linli_export";
/// The feature tables' geometry column.
pub const GEOMETRY_COLUMN: &str = "geom";

/// The SQLite type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// `TEXT`.
    Text,
    /// `INTEGER`.
    Integer,
    /// `REAL`.
    Real,
}

impl ColumnType {
    fn sql(self) -> &'static str {
        match self {
            Self::Text => "TEXT",
            Self::Integer => "INTEGER",
            Self::Real => "REAL",
        }
    }
}

/// A table of the package: feature table when its rows carry geometries, else attributes.
#[derive(Debug, Clone, PartialEq)]
pub struct GpkgTable {
    /// The table's name (ASCII, e.g. `plan_points`).
    pub name: String,
    /// `gpkg_contents.identifier`, what QGIS lists (unique in the package).
    pub identifier: String,
    /// `gpkg_contents.description`.
    pub description: String,
    /// The geometry type (`MULTIPOINT`…) of a feature table; `None`: an attributes table.
    pub geometry_type: Option<&'static str>,
    /// The columns after the key (and the geometry), with their types.
    pub columns: Vec<(&'static str, ColumnType)>,
    /// The rows: a geometry (feature tables; WGS84 lon/lat, of the declared type) and one
    /// cell per column. An empty cell is written as NULL; a number cell that does not read
    /// as a number of its column's type is refused.
    pub rows: Vec<(Option<geo::Geometry<f64>>, Vec<Cell>)>,
}

/// A relation between two tables of the package (Related Tables extension, OGC 18-000): the
/// writer fills its mapping table (`base_id`, `related_id`: the tables' keys) with every pair
/// of rows where `base.base_column = related.related_column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GpkgRelation {
    /// The base table (e.g. the projects).
    pub base_table: String,
    /// Its column holding the joined value (e.g. `uuid`).
    pub base_column: &'static str,
    /// The related table (e.g. `plan_points`).
    pub related_table: String,
    /// Its column holding the joined value (e.g. `project_uuid`).
    pub related_column: &'static str,
    /// The mapping table to make (e.g. `projects_plan_points`).
    pub mapping_table: String,
}

/// The whole package: its tables in order, then their relations.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct GeoPackage {
    /// Feature and attributes tables.
    pub tables: Vec<GpkgTable>,
    /// Relations between them.
    pub relations: Vec<GpkgRelation>,
}

/// Whether the SQLite file at `path` is a GeoPackage Linli exported (it has
/// [`EXPORT_MARK_TABLE`] and is no workspace), read-only and watched like any foreign file;
/// `false` when it cannot be read. Only a file in rollback-journal mode, as an export is
/// written, is opened at all: opening one in WAL mode (a workspace) would leave a `-wal` and
/// `-shm` beside it.
pub fn is_linli_export(path: &Path) -> bool {
    let mut head = [0u8; 20];
    let read = std::fs::File::open(path).and_then(|mut f| {
        use std::io::Read as _;
        f.read_exact(&mut head)
    });
    // Bytes 18 and 19: the file format's write and read versions, 1 for a rollback journal.
    if read.is_err() || head[18] != 1 || head[19] != 1 {
        return false;
    }
    let Ok(conn) = open_foreign(path, &ReadWatch::default()) else {
        return false;
    };
    is_table(&conn, EXPORT_MARK_TABLE).unwrap_or(false)
        && !is_table(&conn, "linli_meta").unwrap_or(true)
}

/// An SQL identifier quoted (names are ours; a quote in one is still escaped).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The package as the bytes of a GeoPackage file.
///
/// # Errors
/// [`Problem::CannotEncodeGeometry`] for a geometry the blob encoder refuses,
/// [`Problem::CannotSerialise`] for a cell that does not fit its column or a relation naming a
/// table the package lacks, or SQLite's error.
pub fn geopackage_bytes(package: &GeoPackage) -> Result<Vec<u8>> {
    let mut conn = Connection::open_in_memory()?;
    conn.execute_batch(&format!(
        "PRAGMA application_id = {GPKG_APPLICATION_ID}; PRAGMA user_version = {GPKG_USER_VERSION};"
    ))?;
    let tx = conn.transaction()?;
    // The spec's tables (no data columns, no metadata: an export has none) and their SRSs.
    let spec = [
        ddl::CREATE_GPKG_SPATIAL_REF_SYS,
        ddl::CREATE_GPKG_CONTENTS,
        ddl::CREATE_GPKG_GEOMETRY_COLUMNS,
        ddl::CREATE_GPKG_EXTENSIONS,
    ];
    spec.iter()
        .chain(&ddl::SEED_SPATIAL_REF_SYS)
        .try_for_each(|sql| tx.execute_batch(sql))?;
    for table in &package.tables {
        write_table(&tx, table)?;
    }
    if !package.relations.is_empty() {
        tx.execute_batch(related::CREATE_GPKGEXT_RELATIONS)?;
        register_related_tables(&tx, related::RELATIONS_TABLE)?;
        for relation in &package.relations {
            write_relation(&tx, package, relation)?;
        }
    }
    tx.commit()?;
    let data = conn.serialize(rusqlite::MAIN_DB)?;
    Ok(data.to_vec())
}

fn cannot_write(detail: String) -> Error {
    Error::request(Problem::CannotSerialise {
        what: "GeoPackage".to_string(),
        detail,
    })
}

/// One table: created, registered, filled, its extent set.
fn write_table(conn: &Connection, table: &GpkgTable) -> Result<()> {
    let name = quote(&table.name);
    let mut columns = vec![format!(
        "{KEY_COLUMN} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL"
    )];
    if let Some(geometry_type) = table.geometry_type {
        columns.push(format!("{GEOMETRY_COLUMN} {geometry_type}"));
    }
    columns.extend(
        table
            .columns
            .iter()
            .map(|(c, t)| format!("{} {}", quote(c), t.sql())),
    );
    conn.execute_batch(&format!("CREATE TABLE {name} ({})", columns.join(", ")))?;
    let data_type = if table.geometry_type.is_some() {
        "features"
    } else {
        "attributes"
    };
    let srs = table.geometry_type.map(|_| WGS84_SRS_ID);
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            table.name,
            data_type,
            table.identifier,
            table.description,
            srs
        ],
    )?;
    if let Some(geometry_type) = table.geometry_type {
        conn.execute(
            "INSERT INTO gpkg_geometry_columns VALUES (?1, ?2, ?3, ?4, 0, 0)",
            params![table.name, GEOMETRY_COLUMN, geometry_type, WGS84_SRS_ID],
        )?;
    }
    let mut names: Vec<String> = table.columns.iter().map(|(c, _)| quote(c)).collect();
    if table.geometry_type.is_some() {
        names.insert(0, GEOMETRY_COLUMN.to_string());
    }
    let marks = vec!["?"; names.len()].join(", ");
    let mut insert = conn.prepare(&format!(
        "INSERT INTO {name} ({}) VALUES ({marks})",
        names.join(", ")
    ))?;
    // [min_x, max_x, min_y, max_y] over every row.
    let mut extent: Option<[f64; 4]> = None;
    for (i, (geometry, cells)) in table.rows.iter().enumerate() {
        if cells.len() != table.columns.len() {
            return Err(cannot_write(format!(
                "{} row {}: {} cells for {} columns",
                table.name,
                i + 1,
                cells.len(),
                table.columns.len()
            )));
        }
        let mut values = Vec::with_capacity(names.len());
        if table.geometry_type.is_some() {
            let blob = match geometry {
                Some(g) => {
                    let (blob, envelope) = encode_geometry(g)?;
                    if let Some(e) = envelope {
                        extent = Some(extent.map_or(e, |x| {
                            [
                                x[0].min(e[0]),
                                x[1].max(e[1]),
                                x[2].min(e[2]),
                                x[3].max(e[3]),
                            ]
                        }));
                    }
                    SqlValue::Blob(blob)
                }
                None => SqlValue::Null,
            };
            values.push(blob);
        }
        for (cell, (column, kind)) in cells.iter().zip(&table.columns) {
            values.push(sql_value(cell, *kind).ok_or_else(|| {
                cannot_write(format!(
                    "{} row {} column {column}: {cell:?} is not {}",
                    table.name,
                    i + 1,
                    kind.sql()
                ))
            })?);
        }
        insert.execute(params_from_iter(values))?;
    }
    if let Some([min_x, max_x, min_y, max_y]) = extent {
        conn.execute(
            "UPDATE gpkg_contents SET min_x = ?1, min_y = ?2, max_x = ?3, max_y = ?4 WHERE table_name = ?5",
            params![min_x, min_y, max_x, max_y, table.name],
        )?;
    }
    Ok(())
}

/// A cell as the value of a column of `kind`: empty is NULL; `None` when a number cell does
/// not read as one.
fn sql_value(cell: &Cell, kind: ColumnType) -> Option<SqlValue> {
    let (Cell::Text(s) | Cell::Number(s)) = cell;
    if s.is_empty() {
        return Some(SqlValue::Null);
    }
    Some(match (cell, kind) {
        (_, ColumnType::Text) => SqlValue::Text(s.clone()),
        (Cell::Number(_), ColumnType::Integer) => SqlValue::Integer(s.parse().ok()?),
        (Cell::Number(_), ColumnType::Real) => {
            SqlValue::Real(s.parse::<f64>().ok().filter(|v| v.is_finite())?)
        }
        (Cell::Text(_), _) => return None,
    })
}

/// Names `table` in `gpkg_extensions` as part of the Related Tables extension.
fn register_related_tables(conn: &Connection, table: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
         VALUES (?1, NULL, ?2, ?3, ?4)",
        params![
            table,
            related::EXTENSION_NAME,
            related::EXTENSION_DEFINITION,
            related::EXTENSION_SCOPE
        ],
    )?;
    Ok(())
}

/// One relation: its mapping table made, filled by the join, registered.
fn write_relation(conn: &Connection, package: &GeoPackage, relation: &GpkgRelation) -> Result<()> {
    let table = |name: &str| package.tables.iter().find(|t| t.name == name);
    let (Some(base), Some(related_table)) =
        (table(&relation.base_table), table(&relation.related_table))
    else {
        return Err(cannot_write(format!(
            "relation {}: no table {} or {}",
            relation.mapping_table, relation.base_table, relation.related_table
        )));
    };
    // What the related table is, as the extension names the kinds of relation.
    let relation_name = if related_table.geometry_type.is_some() {
        "features"
    } else {
        "attributes"
    };
    let mapping = quote(&relation.mapping_table);
    conn.execute_batch(&format!(
        "CREATE TABLE {mapping} ({KEY_COLUMN} INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             base_id INTEGER NOT NULL, related_id INTEGER NOT NULL);
         INSERT INTO {mapping} (base_id, related_id)
             SELECT b.{KEY_COLUMN}, r.{KEY_COLUMN} FROM {b} b JOIN {r} r ON b.{bc} = r.{rc}
             ORDER BY b.{KEY_COLUMN}, r.{KEY_COLUMN};",
        b = quote(&base.name),
        r = quote(&related_table.name),
        bc = quote(relation.base_column),
        rc = quote(relation.related_column),
    ))?;
    conn.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
         VALUES (?1, 'attributes', ?1, ?2)",
        params![
            relation.mapping_table,
            format!(
                "{}.{} = {}.{}",
                base.name, relation.base_column, related_table.name, relation.related_column
            )
        ],
    )?;
    conn.execute(
        "INSERT INTO gpkgext_relations (base_table_name, base_primary_column, related_table_name,
             related_primary_column, relation_name, mapping_table_name)
         VALUES (?1, ?2, ?3, ?2, ?4, ?5)",
        params![
            base.name,
            KEY_COLUMN,
            related_table.name,
            relation_name,
            relation.mapping_table
        ],
    )?;
    register_related_tables(conn, &relation.mapping_table)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn package() -> GeoPackage {
        let point =
            geo::Geometry::MultiPoint(geo::MultiPoint(vec![geo::point!(x: 121.5, y: 31.2)]));
        GeoPackage {
            tables: vec![
                GpkgTable {
                    name: "things".into(),
                    identifier: "东西 things".into(),
                    description: String::new(),
                    geometry_type: Some("MULTIPOINT"),
                    columns: vec![("name", ColumnType::Text), ("owner", ColumnType::Text)],
                    rows: vec![(Some(point), vec![Cell::text("口袋花园"), Cell::text("P1")])],
                },
                GpkgTable {
                    name: "owners".into(),
                    identifier: "owners".into(),
                    description: String::new(),
                    geometry_type: None,
                    columns: vec![
                        ("code", ColumnType::Text),
                        ("year", ColumnType::Integer),
                        ("budget", ColumnType::Real),
                    ],
                    rows: vec![(
                        None,
                        vec![
                            Cell::text("P1"),
                            Cell::number(2024),
                            Cell::maybe(None::<f64>),
                        ],
                    )],
                },
            ],
            relations: vec![GpkgRelation {
                base_table: "owners".into(),
                base_column: "code",
                related_table: "things".into(),
                related_column: "owner",
                mapping_table: "owners_things".into(),
            }],
        }
    }

    #[test]
    fn a_package_is_a_geopackage_with_its_rows_and_relations() {
        let bytes = geopackage_bytes(&package()).unwrap();
        assert_eq!(&bytes[..16], b"SQLite format 3\0");
        assert_eq!(&bytes[68..72], b"GPKG");
        let mut conn = Connection::open_in_memory().unwrap();
        conn.deserialize_read_exact(rusqlite::MAIN_DB, &bytes[..], bytes.len(), true)
            .unwrap();
        let name: String = conn
            .query_row("SELECT name FROM things", [], |r| r.get(0))
            .unwrap();
        assert_eq!(name, "口袋花园");
        let (year, budget): (i64, Option<f64>) = conn
            .query_row("SELECT year, budget FROM owners", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!((year, budget), (2024, None));
        let pairs: (i64, i64) = conn
            .query_row("SELECT base_id, related_id FROM owners_things", [], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })
            .unwrap();
        assert_eq!(pairs, (1, 1));
        let min_x: f64 = conn
            .query_row(
                "SELECT min_x FROM gpkg_contents WHERE table_name = 'things'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(min_x, 121.5);
    }

    #[test]
    fn a_cell_that_does_not_fit_its_column_is_an_error_not_a_panic() {
        let mut p = package();
        p.tables[1].rows[0].1[1] = Cell::text("二〇二四");
        let e = geopackage_bytes(&p).unwrap_err();
        assert!(e.to_string().contains("owners row 1 column year"), "{e}");
        let mut p = package();
        p.relations[0].base_table = "nothing".into();
        assert!(geopackage_bytes(&p).is_err());
    }
}
