//! The workspace file: one GeoPackage (SQLite) per workspace.
//!
//! Layout, all readable by GDAL and QGIS as they are:
//! - the GeoPackage spec tables (`gpkg_spatial_ref_sys`, `gpkg_contents`,
//!   `gpkg_geometry_columns`, `gpkg_extensions`), `application_id` 'GPKG' and `user_version`
//!   10200 (GeoPackage 1.2: what GDAL 3.6 — and so the QGIS the bureau runs — reads without
//!   a warning);
//! - one feature table per reference layer, named as the layer (Chinese names included), with
//!   an R-tree spatial index and its triggers;
//! - three plan tables (`plan_points`, `plan_lines`, `plan_polygons`): one per geometry kind, so
//!   QGIS opens each as an ordinary layer instead of asking which geometry type to show;
//! - the app's tables: `linli_meta` (our schema version — `user_version` belongs to the
//!   GeoPackage spec), `linli_catalog`, `linli_layers`, and `linli_projects` (registered as a
//!   GeoPackage attributes table, so QGIS shows the project records too).
//!
//! Every user action is one transaction; the journal is WAL with `synchronous = FULL`, so a
//! crash or power cut leaves the file valid and holding every committed action.

use std::path::{Path, PathBuf};

use geopackage_core::ident::quote;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction};
use uuid::Uuid;

use crate::analysis::index::BoxLonLat;
use crate::error::{Error, FileKind, Problem, Result};
use crate::model::catalog::{Catalog, GeometryKind};
use crate::model::{LayerRole, Properties};

mod check;
mod extent;
#[cfg(test)]
mod extent_tests;
mod geometry;
mod layers;
mod migrate;
mod plan;
mod projects;
mod schema;
mod source;

pub use check::check;
pub use geometry::{decode_geometry, encode_geometry, layer_geometry_type, promote_to_multi};
pub use layers::{validate_layer_name, write_layer};
pub use migrate::Migrated;
pub use plan::{delete_plan_feature, refresh_plan_extents, set_plan_location, write_plan_feature};
pub use projects::{delete_project, insert_project, insert_project_at, update_project};
pub use schema::refresh_extent;
use schema::register_functions;
pub use source::{read_source_layer, source_layers};
/// The app schema this program writes and the newest it reads.
pub const APP_SCHEMA_VERSION: i64 = 2;
/// 'GPKG' (GeoPackage spec requirement 2).
pub const GPKG_APPLICATION_ID: u32 = 0x4750_4B47;
/// GeoPackage 1.2.
pub const GPKG_USER_VERSION: u32 = 10200;
const SRS_ID: i32 = 4326;
const GEOM_COLUMN: &str = "geom";
const RTREE_DEFINITION: &str = "http://www.geopackage.org/spec120/#extension_rtree";
/// The name of the project attributes table.
pub const PROJECTS_TABLE: &str = "linli_projects";

/// The plan table holding features of a geometry kind, its GeoPackage geometry type and its
/// display name.
pub fn plan_table(kind: GeometryKind) -> (&'static str, &'static str, &'static str) {
    match kind {
        GeometryKind::Point => ("plan_points", "MULTIPOINT", "规划要素（点） plan points"),
        GeometryKind::Line => ("plan_lines", "MULTILINESTRING", "规划要素（线） plan lines"),
        GeometryKind::Polygon => (
            "plan_polygons",
            "MULTIPOLYGON",
            "规划要素（面） plan polygons",
        ),
    }
}

const PLAN_KINDS: [GeometryKind; 3] = [
    GeometryKind::Point,
    GeometryKind::Line,
    GeometryKind::Polygon,
];

/// What `linli info` and the layers panel show about a layer.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerInfo {
    /// Layer (and table) name.
    pub name: String,
    /// Role.
    pub role: LayerRole,
    /// GeoPackage geometry type name (`MULTIPOLYGON`, `GEOMETRY`…).
    pub geometry_type: String,
    /// Number of features.
    pub feature_count: u64,
    /// Extent, `None` when empty.
    pub bbox: Option<BoxLonLat>,
}

/// An open workspace file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
    migrated: Option<Migrated>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// The fields of a plan feature row that are computed, not edited.
#[derive(Debug, Clone, Copy)]
pub struct PlanDerived<'a> {
    /// Chinese name of the element type, denormalised for QGIS users.
    pub element_name: &'a str,
    /// Area, square metres on the ellipsoid (polygons).
    pub area_m2: Option<f64>,
    /// Length, metres on the ellipsoid (lines).
    pub length_m: Option<f64>,
}

impl Store {
    /// Creates a new, empty workspace at `path` seeded with `catalog`. Refuses to overwrite.
    pub fn create(path: &Path, catalog: &Catalog) -> Result<Store> {
        if path.exists() {
            return Err(Error::workspace(path, Problem::WorkspaceExists));
        }
        let conn = Connection::open(path).map_err(|e| {
            Error::workspace(
                path,
                Problem::CannotCreate {
                    reason: e.to_string(),
                },
            )
        })?;
        register_functions(&conn)?;
        // The header (application_id, user_version) and schema are written in rollback-journal
        // mode so they land in the main file itself; `open` reads the header bytes directly.
        conn.execute_batch(&format!(
            "PRAGMA application_id = {}; PRAGMA user_version = {};",
            GPKG_APPLICATION_ID as i32, GPKG_USER_VERSION
        ))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            migrated: None,
        };
        let result = store.write_schema(catalog);
        if let Err(e) = result {
            drop(store);
            let _ = std::fs::remove_file(path);
            return Err(e);
        }
        store.configure()?;
        Ok(store)
    }

    /// Opens an existing workspace, refusing (and leaving untouched) anything that is not a
    /// Linli workspace this program can read. A workspace at an older app schema is backed up
    /// beside itself and migrated (see [`Migrated`]); a newer one is refused unmodified.
    pub fn open(path: &Path) -> Result<Store> {
        check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| cannot_open(path, &e))?;
        let damaged = |e: rusqlite::Error| {
            Error::workspace(
                path,
                Problem::DamagedOrNotWorkspace {
                    detail: e.to_string(),
                },
            )
        };
        let has_meta: bool = conn
            .query_row(
                "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'linli_meta'",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(damaged)?
            > 0;
        if !has_meta {
            return Err(Error::workspace(path, Problem::NotLinliWorkspace));
        }
        let version: Option<String> = conn
            .query_row(
                "SELECT value FROM linli_meta WHERE key = 'schema_version'",
                [],
                |r| r.get(0),
            )
            .optional()
            .map_err(damaged)?;
        let version: i64 = version
            .as_deref()
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Error::workspace(path, Problem::NoSchemaVersion))?;
        if version > APP_SCHEMA_VERSION {
            return Err(Error::workspace(
                path,
                Problem::NewerSchema {
                    found: version,
                    supported: APP_SCHEMA_VERSION,
                },
            ));
        }
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(damaged)?;
        if check != "ok" {
            return Err(Error::workspace(path, Problem::Damaged { detail: check }));
        }
        register_functions(&conn)?;
        let mut conn = conn;
        let migrated = migrate::migrate(&mut conn, path, version)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            migrated,
        };
        store.configure()?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        // Room for every per-edit statement of the three plan tables (`prepare_cached`).
        self.conn.set_prepared_statement_cache_capacity(64);
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::workspace(&self.path, Problem::NoWal { mode }));
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        Ok(())
    }

    /// What opening did to bring an older workspace up to date: `None` when it was current.
    pub fn migrated(&self) -> Option<&Migrated> {
        self.migrated.as_ref()
    }

    /// The workspace path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Starts a transaction: one user action.
    pub fn begin(&mut self) -> Result<Transaction<'_>> {
        Ok(self.conn.transaction()?)
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }
}

/// Reads the 100-byte SQLite header: a file that is not SQLite or not a GeoPackage is refused
/// before SQLite touches it (opening a non-database with SQLite could create journal files).
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => Error::workspace(path, Problem::NoSuchWorkspace),
        _ => cannot_open(path, &e),
    })?;
    if meta.is_dir() {
        return Err(Error::workspace(
            path,
            Problem::IsFolder {
                expected: FileKind::Workspace,
            },
        ));
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|e| cannot_open(path, &e))?;
    let n = file.read(&mut header).map_err(|e| {
        Error::workspace(
            path,
            Problem::CannotRead {
                reason: e.to_string(),
            },
        )
    })?;
    if n < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::workspace(path, Problem::NotSqlite));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let application_id = be32(68);
    if application_id != GPKG_APPLICATION_ID {
        return Err(Error::workspace(path, Problem::NotGeoPackage));
    }
    Ok(())
}

fn q(ident: &str) -> Result<String> {
    quote(ident).map_err(|e| {
        Error::request(Problem::BadTableName {
            name: ident.to_string(),
            detail: e.to_string(),
        })
    })
}

fn bbox_from(b: [Option<f64>; 4]) -> Option<BoxLonLat> {
    Some(BoxLonLat {
        min_lon: b[0]?,
        min_lat: b[1]?,
        max_lon: b[2]?,
        max_lat: b[3]?,
    })
}

fn parse_uuid(text: &str, path: &Path) -> Result<Uuid> {
    Uuid::parse_str(text).map_err(|_| {
        Error::workspace(
            path,
            Problem::FeatureIdNotUuid {
                text: text.to_string(),
            },
        )
    })
}

fn parse_properties(text: Option<&str>) -> Properties {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

fn properties_json(properties: &Properties) -> Result<String> {
    serde_json::to_string(properties).map_err(|e| cannot_serialise("properties", &e))
}

/// `CannotOpen` for `path`, with the OS's or SQLite's words.
fn cannot_open(path: &Path, e: &dyn std::fmt::Display) -> Error {
    Error::workspace(
        path,
        Problem::CannotOpen {
            reason: e.to_string(),
        },
    )
}

/// `CannotSerialise` of `what` ("catalog", "properties", "triggers").
fn cannot_serialise(what: &str, e: &dyn std::fmt::Display) -> Error {
    Error::request(Problem::CannotSerialise {
        what: what.to_string(),
        detail: e.to_string(),
    })
}
