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

use geopackage_core::{GpbGeometry, ddl, geometry::encode_gpb, ident::quote, triggers};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OpenFlags, OptionalExtension, Transaction, params};
use uuid::Uuid;

use crate::analysis::index::BoxLonLat;
use crate::error::{Error, Result};
use crate::io::geojson_in::Progress;
use crate::model::catalog::{Catalog, ElementType, GeometryKind};
use crate::model::{Feature, Layer, LayerRole, PlanFeature, Project, Properties};

/// The app schema this program writes and the newest it reads.
pub const APP_SCHEMA_VERSION: i64 = 1;
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
            return Err(Error::workspace(
                path,
                "already exists; Linli does not overwrite a workspace",
            ));
        }
        let conn = Connection::open(path)
            .map_err(|e| Error::workspace(path, format!("cannot create: {e}")))?;
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

    fn write_schema(&mut self, catalog: &Catalog) -> Result<()> {
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
                 role TEXT NOT NULL, source TEXT, sort_order INTEGER NOT NULL);
             CREATE TABLE linli_projects (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, code TEXT NOT NULL UNIQUE,
                 name TEXT NOT NULL, programme TEXT, year INTEGER, stage TEXT, budget_wan REAL);",
        )?;
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

    /// Opens an existing workspace, refusing (and leaving untouched) anything that is not a
    /// Linli workspace this program can read.
    pub fn open(path: &Path) -> Result<Store> {
        check_header(path)?;
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags)
            .map_err(|e| Error::workspace(path, format!("cannot open: {e}")))?;
        let damaged = |e: rusqlite::Error| {
            Error::workspace(path, format!("the file is damaged or not a workspace: {e}"))
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
            return Err(Error::workspace(
                path,
                "is a GeoPackage but not a Linli workspace (it has no linli_meta table); create a workspace with `linli new` and import its layers",
            ));
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
            .ok_or_else(|| {
                Error::workspace(path, "has no readable schema version in linli_meta")
            })?;
        if version > APP_SCHEMA_VERSION {
            return Err(Error::workspace(
                path,
                format!(
                    "was written by a newer Linli (workspace schema {version}; this program reads up to {APP_SCHEMA_VERSION}); it was not modified — update Linli to open it"
                ),
            ));
        }
        let check: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(damaged)?;
        if check != "ok" {
            return Err(Error::workspace(
                path,
                format!("the file is damaged: {check}"),
            ));
        }
        register_functions(&conn)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        Ok(store)
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = self
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::workspace(
                &self.path,
                format!("cannot switch the journal to WAL (got {mode})"),
            ));
        }
        self.conn
            .execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
        Ok(())
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

    /// The workspace's catalog.
    pub fn catalog(&self) -> Result<Catalog> {
        let meta = |key: &str| -> Result<String> {
            Ok(self
                .conn
                .query_row("SELECT value FROM linli_meta WHERE key = ?1", [key], |r| {
                    r.get(0)
                })
                .optional()?
                .unwrap_or_default())
        };
        let mut stmt = self
            .conn
            .prepare("SELECT key, definition FROM linli_catalog ORDER BY sort_order, key")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
        let mut elements = Vec::new();
        for row in rows {
            let (key, definition) = row?;
            let element: ElementType = serde_json::from_str(&definition).map_err(|e| {
                Error::workspace(
                    &self.path,
                    format!("catalog entry {key:?} is unreadable: {e}"),
                )
            })?;
            elements.push(element);
        }
        Ok(Catalog {
            programme: meta("catalog_programme")?,
            district: meta("catalog_district")?,
            source: meta("catalog_source")?,
            elements,
        })
    }

    /// The layers, in order, with their counts and extents; plan tables last.
    pub fn layers(&self) -> Result<Vec<LayerInfo>> {
        let mut stmt = self.conn.prepare(
            "SELECT l.name, l.role, g.geometry_type_name, c.min_x, c.min_y, c.max_x, c.max_y
             FROM linli_layers l JOIN gpkg_geometry_columns g ON g.table_name = l.name
             JOIN gpkg_contents c ON c.table_name = l.name ORDER BY l.sort_order, l.name",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                [r.get::<_, Option<f64>>(3)?, r.get(4)?, r.get(5)?, r.get(6)?],
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (name, role, geometry_type, b) = row?;
            let role = LayerRole::from_key(&role).unwrap_or(LayerRole::Reference);
            let feature_count = self.count(&name)?;
            out.push(LayerInfo {
                name,
                role,
                geometry_type,
                feature_count,
                bbox: bbox_from(b),
            });
        }
        for kind in PLAN_KINDS {
            let (table, geometry_type, _) = plan_table(kind);
            let b: [Option<f64>; 4] = self.conn.query_row(
                "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?1",
                [table],
                |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?]),
            )?;
            out.push(LayerInfo {
                name: table.to_string(),
                role: LayerRole::Plan,
                geometry_type: geometry_type.to_string(),
                feature_count: self.count(table)?,
                bbox: bbox_from(b),
            });
        }
        Ok(out)
    }

    fn count(&self, table: &str) -> Result<u64> {
        let n: i64 =
            self.conn
                .query_row(&format!("SELECT count(*) FROM {}", q(table)?), [], |r| {
                    r.get(0)
                })?;
        Ok(n.max(0) as u64)
    }

    /// Loads a reference, street or community layer.
    pub fn load_layer(&self, name: &str, role: LayerRole) -> Result<Layer> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, name, properties, {GEOM_COLUMN} FROM {} ORDER BY fid",
            q(name)?
        ))?;
        let mut rows = stmt.query([])?;
        let mut features = Vec::new();
        while let Some(row) = rows.next()? {
            let uuid: String = row.get(0)?;
            let blob: Option<Vec<u8>> = row.get(3)?;
            let Some(geometry) = blob.as_deref().and_then(decode_geometry) else {
                return Err(Error::workspace(
                    &self.path,
                    format!("layer {name:?}: feature {uuid} has an unreadable geometry"),
                ));
            };
            features.push(Feature {
                id: parse_uuid(&uuid, &self.path)?,
                name: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                geometry,
                properties: parse_properties(row.get::<_, Option<String>>(2)?.as_deref()),
            });
        }
        Ok(Layer {
            name: name.to_string(),
            role,
            features,
        })
    }

    /// Loads every plan feature, ordered by table then row.
    pub fn load_plan(&self) -> Result<Vec<(PlanFeature, i64)>> {
        let mut out = Vec::new();
        for kind in PLAN_KINDS {
            let (table, _, _) = plan_table(kind);
            let mut stmt = self.conn.prepare(&format!(
                "SELECT uuid, name, element_type, street, community, project_code, properties, {GEOM_COLUMN}, fid FROM {} ORDER BY fid",
                q(table)?
            ))?;
            let mut rows = stmt.query([])?;
            while let Some(row) = rows.next()? {
                let uuid: String = row.get(0)?;
                let blob: Option<Vec<u8>> = row.get(7)?;
                let Some(geometry) = blob
                    .as_deref()
                    .and_then(decode_geometry)
                    .map(collapse_single)
                else {
                    return Err(Error::workspace(
                        &self.path,
                        format!("{table}: feature {uuid} has an unreadable geometry"),
                    ));
                };
                let feature = PlanFeature {
                    feature: Feature {
                        id: parse_uuid(&uuid, &self.path)?,
                        name: row.get::<_, Option<String>>(1)?.unwrap_or_default(),
                        geometry,
                        properties: parse_properties(row.get::<_, Option<String>>(6)?.as_deref()),
                    },
                    element: row.get(2)?,
                    street: row.get(3)?,
                    community: row.get(4)?,
                    project: row.get(5)?,
                };
                out.push((feature, row.get(8)?));
            }
        }
        Ok(out)
    }

    /// Every project, by code.
    pub fn projects(&self) -> Result<Vec<Project>> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT code, name, programme, year, stage, budget_wan FROM {PROJECTS_TABLE} ORDER BY code"
        ))?;
        let rows = stmt.query_map([], |r| {
            Ok(Project {
                code: r.get(0)?,
                name: r.get(1)?,
                programme: r.get::<_, Option<String>>(2)?.unwrap_or_default(),
                year: r.get(3)?,
                stage: r.get::<_, Option<String>>(4)?.unwrap_or_default(),
                budget_wan: r.get(5)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<Vec<_>>>()?)
    }
}

/// Reads the 100-byte SQLite header: a file that is not SQLite or not a GeoPackage is refused
/// before SQLite touches it (opening a non-database with SQLite could create journal files).
fn check_header(path: &Path) -> Result<()> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => {
            Error::workspace(path, "no such workspace (create one with `linli new`)")
        }
        _ => Error::workspace(path, format!("cannot open: {e}")),
    })?;
    if meta.is_dir() {
        return Err(Error::workspace(path, "is a folder, not a workspace file"));
    }
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path)
        .map_err(|e| Error::workspace(path, format!("cannot open: {e}")))?;
    let n = file
        .read(&mut header)
        .map_err(|e| Error::workspace(path, format!("cannot read: {e}")))?;
    if n < 100 || &header[..16] != b"SQLite format 3\0" {
        return Err(Error::workspace(
            path,
            "is not a GeoPackage (not an SQLite database)",
        ));
    }
    let be32 = |at: usize| {
        u32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    let application_id = be32(68);
    if application_id != GPKG_APPLICATION_ID {
        return Err(Error::workspace(
            path,
            "is an SQLite database but not a GeoPackage (application_id is not 'GPKG')",
        ));
    }
    Ok(())
}

/// The `ST_*` functions the GeoPackage R-tree triggers call; SQLite does not have them.
fn register_functions(conn: &Connection) -> Result<()> {
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

fn q(ident: &str) -> Result<String> {
    quote(ident).map_err(|e| Error::Invalid(format!("bad table name {ident:?}: {e}")))
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
    Uuid::parse_str(text)
        .map_err(|_| Error::workspace(path, format!("feature id {text:?} is not a UUID")))
}

fn parse_properties(text: Option<&str>) -> Properties {
    text.and_then(|t| serde_json::from_str(t).ok())
        .unwrap_or_default()
}

/// Decodes a GeoPackage geometry blob.
pub fn decode_geometry(blob: &[u8]) -> Option<geo::Geometry<f64>> {
    GpbGeometry::parse(blob).ok()?.to_geo()
}

/// Encodes a geometry as a GeoPackage blob with its envelope `[min_x, max_x, min_y, max_y]`.
pub fn encode_geometry(geometry: &geo::Geometry<f64>) -> Result<(Vec<u8>, Option<[f64; 4]>)> {
    encode_gpb(geometry, SRS_ID).map_err(|e| Error::Invalid(format!("cannot encode geometry: {e}")))
}

/// A multi-geometry of one member read from a plan table becomes that member again: the
/// tables are declared MULTI* for the GeoPackage spec, the planner drew a single shape.
fn collapse_single(geometry: geo::Geometry<f64>) -> geo::Geometry<f64> {
    use geo::Geometry as G;
    match geometry {
        G::MultiPoint(mut m) if m.0.len() == 1 => m.0.pop().map_or(G::MultiPoint(m), G::Point),
        G::MultiLineString(mut m) if m.0.len() == 1 => {
            m.0.pop().map_or(G::MultiLineString(m), G::LineString)
        }
        G::MultiPolygon(mut m) if m.0.len() == 1 => {
            m.0.pop().map_or(G::MultiPolygon(m), G::Polygon)
        }
        other => other,
    }
}

/// Promotes a single geometry to the multi type of its kind (for MULTI* columns).
pub fn promote_to_multi(geometry: &geo::Geometry<f64>) -> Option<geo::Geometry<f64>> {
    use geo::Geometry as G;
    Some(match geometry {
        G::Point(p) => G::MultiPoint(geo::MultiPoint(vec![*p])),
        G::LineString(l) => G::MultiLineString(geo::MultiLineString(vec![l.clone()])),
        G::Line(l) => G::MultiLineString(geo::MultiLineString(vec![geo::LineString(vec![
            l.start, l.end,
        ])])),
        G::Polygon(p) => G::MultiPolygon(geo::MultiPolygon(vec![p.clone()])),
        G::Rect(r) => G::MultiPolygon(geo::MultiPolygon(vec![r.to_polygon()])),
        G::Triangle(t) => G::MultiPolygon(geo::MultiPolygon(vec![t.to_polygon()])),
        G::MultiPoint(_) | G::MultiLineString(_) | G::MultiPolygon(_) => geometry.clone(),
        G::GeometryCollection(gc) => {
            let kind = GeometryKind::of(geometry)?;
            let members: Vec<G<f64>> = gc.iter().map(promote_to_multi).collect::<Option<_>>()?;
            match kind {
                GeometryKind::Point => G::MultiPoint(geo::MultiPoint(
                    members
                        .into_iter()
                        .flat_map(|m| match m {
                            G::MultiPoint(mp) => mp.0,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
                GeometryKind::Line => G::MultiLineString(geo::MultiLineString(
                    members
                        .into_iter()
                        .flat_map(|m| match m {
                            G::MultiLineString(ml) => ml.0,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
                GeometryKind::Polygon => G::MultiPolygon(geo::MultiPolygon(
                    members
                        .into_iter()
                        .flat_map(|m| match m {
                            G::MultiPolygon(mp) => mp.0,
                            _ => Vec::new(),
                        })
                        .collect(),
                )),
            }
        }
    })
}

/// The GeoPackage geometry type of a layer holding these geometries, and whether single
/// geometries must be promoted to multi (Polygon + MultiPolygon → MULTIPOLYGON, as GDAL's
/// GeoJSON reader does).
pub fn layer_geometry_type<'a>(
    geometries: impl IntoIterator<Item = &'a geo::Geometry<f64>>,
) -> (&'static str, bool) {
    use geo::Geometry as G;
    let mut seen = [false; 7];
    for g in geometries {
        let slot = match g {
            G::Point(_) => 0,
            G::MultiPoint(_) => 1,
            G::Line(_) | G::LineString(_) => 2,
            G::MultiLineString(_) => 3,
            G::Polygon(_) | G::Rect(_) | G::Triangle(_) => 4,
            G::MultiPolygon(_) => 5,
            G::GeometryCollection(_) => 6,
        };
        seen[slot] = true;
    }
    let only = |slots: &[usize]| {
        seen.iter()
            .enumerate()
            .all(|(i, s)| !s || slots.contains(&i))
    };
    match seen {
        _ if only(&[0]) => ("POINT", false),
        _ if only(&[2]) => ("LINESTRING", false),
        _ if only(&[4]) => ("POLYGON", false),
        _ if only(&[6]) => ("GEOMETRYCOLLECTION", false),
        _ if only(&[0, 1]) => ("MULTIPOINT", true),
        _ if only(&[2, 3]) => ("MULTILINESTRING", true),
        _ if only(&[4, 5]) => ("MULTIPOLYGON", true),
        _ => ("GEOMETRY", false),
    }
}

/// Checks a new layer name: it becomes a table name that GDAL and QGIS show as it is.
pub fn validate_layer_name(conn: &Connection, name: &str) -> Result<()> {
    let lower = name.to_ascii_lowercase();
    if name.trim().is_empty() {
        return Err(Error::Invalid("the layer name is empty".into()));
    }
    if name.chars().count() > 100 || name.chars().any(|c| c.is_control() || c == '"') {
        return Err(Error::Invalid(format!(
            "layer name {name:?}: use at most 100 characters, no quotes or control characters"
        )));
    }
    if ["gpkg_", "rtree_", "linli_", "sqlite_", "plan_"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Err(Error::Invalid(format!(
            "layer name {name:?} is reserved (it starts with gpkg_, rtree_, linli_, sqlite_ or plan_)"
        )));
    }
    let taken: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE lower(name) = lower(?1) OR lower(name) = lower(?2)",
        params![name, triggers::rtree_table_name(name, GEOM_COLUMN)],
        |r| r.get(0),
    )?;
    if taken > 0 {
        return Err(Error::Invalid(format!(
            "the workspace already has a layer named {name:?}"
        )));
    }
    Ok(())
}

fn write_catalog(conn: &Connection, catalog: &Catalog) -> Result<()> {
    conn.execute("DELETE FROM linli_catalog", [])?;
    for (i, element) in catalog.elements.iter().enumerate() {
        let definition =
            serde_json::to_string(element).map_err(|e| Error::Invalid(format!("catalog: {e}")))?;
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
fn create_feature_table(
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
        .map_err(|e| Error::Invalid(e.to_string()))?;
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

fn finish_feature_table(conn: &Connection, table: &str) -> Result<()> {
    for sql in triggers::create_triggers_sql(table, GEOM_COLUMN, "fid")
        .map_err(|e| Error::Invalid(e.to_string()))?
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

fn create_plan_table(conn: &Connection, kind: GeometryKind) -> Result<()> {
    let (table, geometry_type, identifier) = plan_table(kind);
    create_feature_table(conn, table, geometry_type, identifier, PLAN_COLUMNS)?;
    finish_feature_table(conn, table)
}

/// Writes a new reference, street or community layer, all in the caller's transaction.
pub fn write_layer(
    conn: &Connection,
    layer: &Layer,
    source: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    validate_layer_name(conn, &layer.name)?;
    let (geometry_type, promote) = layer_geometry_type(layer.features.iter().map(|f| &f.geometry));
    let attributes = attribute_columns(&layer.features);
    let mut columns = String::from("uuid TEXT NOT NULL UNIQUE, name TEXT, properties TEXT");
    let mut names = String::new();
    let mut placeholders = String::new();
    for (i, a) in attributes.iter().enumerate() {
        let column = q(&a.column)?;
        columns.push_str(&format!(", {column} {}", a.kind.sql_type()));
        names.push_str(&format!(", {column}"));
        placeholders.push_str(&format!(", ?{}", i + 5));
    }
    create_feature_table(conn, &layer.name, geometry_type, &layer.name, &columns)?;
    let table = q(&layer.name)?;
    let rtree = q(&triggers::rtree_table_name(&layer.name, GEOM_COLUMN))?;
    let mut insert = conn.prepare(&format!(
        "INSERT INTO {table} ({GEOM_COLUMN}, uuid, name, properties{names}) VALUES (?1, ?2, ?3, ?4{placeholders})"
    ))?;
    let mut insert_rtree =
        conn.prepare(&format!("INSERT INTO {rtree} VALUES (?1, ?2, ?3, ?4, ?5)"))?;
    let total = layer.features.len() as u64;
    for (i, feature) in layer.features.iter().enumerate() {
        let promoted = if promote {
            promote_to_multi(&feature.geometry)
        } else {
            None
        };
        let (blob, envelope) = encode_geometry(promoted.as_ref().unwrap_or(&feature.geometry))?;
        let properties = if feature.properties.is_empty() {
            None
        } else {
            Some(properties_json(&feature.properties)?)
        };
        let name = (!feature.name.is_empty()).then_some(feature.name.as_str());
        let mut values: Vec<rusqlite::types::Value> = vec![
            blob.into(),
            feature.id.to_string().into(),
            name.map(str::to_string).into(),
            properties.into(),
        ];
        values.extend(
            attributes
                .iter()
                .map(|a| a.kind.value(feature.properties.get(&a.key))),
        );
        insert.execute(rusqlite::params_from_iter(values))?;
        if let Some([min_x, max_x, min_y, max_y]) = envelope {
            insert_rtree.execute(params![
                conn.last_insert_rowid(),
                min_x,
                max_x,
                min_y,
                max_y
            ])?;
        }
        if i % 1024 == 1023 {
            progress(Progress::Writing {
                done: i as u64 + 1,
                total,
            });
        }
    }
    progress(Progress::Writing { done: total, total });
    finish_feature_table(conn, &layer.name)?;
    let order: i64 = conn.query_row(
        "SELECT coalesce(max(sort_order), 0) + 1 FROM linli_layers",
        [],
        |r| r.get(0),
    )?;
    conn.execute(
        "INSERT INTO linli_layers (name, role, source, sort_order) VALUES (?1, ?2, ?3, ?4)",
        params![layer.name, layer.role.key(), source, order],
    )?;
    Ok(())
}

/// The SQL type of an attribute column, from the values a property takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum AttributeKind {
    Boolean,
    Integer,
    Real,
    Text,
}

impl AttributeKind {
    fn of(value: &serde_json::Value) -> Option<Self> {
        use serde_json::Value as V;
        match value {
            V::Bool(_) => Some(Self::Boolean),
            V::Number(n) if n.is_i64() => Some(Self::Integer),
            V::Number(_) => Some(Self::Real),
            V::String(_) => Some(Self::Text),
            V::Null | V::Array(_) | V::Object(_) => None,
        }
    }

    /// The narrowest kind holding both (integers widen to reals, anything else to text).
    fn widen(self, other: Self) -> Self {
        match (self, other) {
            (a, b) if a == b => a,
            (Self::Integer, Self::Real) | (Self::Real, Self::Integer) => Self::Real,
            _ => Self::Text,
        }
    }

    fn sql_type(self) -> &'static str {
        match self {
            Self::Boolean => "BOOLEAN",
            Self::Integer => "INTEGER",
            Self::Real => "REAL",
            Self::Text => "TEXT",
        }
    }

    fn value(self, value: Option<&serde_json::Value>) -> rusqlite::types::Value {
        use rusqlite::types::Value as S;
        use serde_json::Value as V;
        match (self, value) {
            (_, None | Some(V::Null | V::Array(_) | V::Object(_))) => S::Null,
            (Self::Boolean, Some(V::Bool(b))) => S::Integer(i64::from(*b)),
            (Self::Integer, Some(V::Number(n))) => n.as_i64().map_or(S::Null, S::Integer),
            (Self::Real, Some(V::Number(n))) => n.as_f64().map_or(S::Null, S::Real),
            (_, Some(V::String(t))) => S::Text(t.clone()),
            (_, Some(other)) => S::Text(other.to_string()),
        }
    }
}

/// A property shown as its own column, so QGIS users see attributes rather than one JSON string.
#[derive(Debug, Clone, PartialEq)]
struct AttributeColumn {
    key: String,
    column: String,
    kind: AttributeKind,
}

/// Most columns a layer gets; further properties stay in the `properties` JSON only.
const MAX_ATTRIBUTE_COLUMNS: usize = 200;

/// The properties worth a column: those whose values are all scalars (nested ones stay in the
/// JSON), in first-seen order, named as the key unless it would clash (case-insensitively, as
/// SQLite compares names) with our own columns or an earlier key. A property called `name` is
/// what the `name` column already shows, so it gets no second column. The `properties` JSON
/// stays the source of truth; the columns are a copy for other GIS.
fn attribute_columns(features: &[Feature]) -> Vec<AttributeColumn> {
    let mut kinds: Vec<(String, Option<AttributeKind>)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    let mut nested: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for f in features {
        for (key, value) in &f.properties {
            if matches!(
                value,
                serde_json::Value::Array(_) | serde_json::Value::Object(_)
            ) {
                nested.insert(key.as_str());
            }
            let kind = AttributeKind::of(value);
            match index.get(key.as_str()) {
                Some(&i) => {
                    let slot = &mut kinds[i].1;
                    *slot = match (*slot, kind) {
                        (Some(a), Some(b)) => Some(a.widen(b)),
                        (a, b) => a.or(b),
                    };
                }
                None => {
                    index.insert(key.as_str(), kinds.len());
                    kinds.push((key.clone(), kind));
                }
            }
        }
    }
    let mut taken: std::collections::BTreeSet<String> =
        ["fid", GEOM_COLUMN, "uuid", "name", "properties"]
            .iter()
            .map(|s| s.to_string())
            .collect();
    let mut out = Vec::new();
    for (key, kind) in kinds {
        let Some(kind) = kind else { continue };
        if nested.contains(key.as_str())
            || key.eq_ignore_ascii_case("name")
            || key.trim().is_empty()
            || key.chars().any(char::is_control)
            || out.len() >= MAX_ATTRIBUTE_COLUMNS
        {
            continue;
        }
        let mut column = key.clone();
        let mut n = 1;
        while taken.contains(&column.to_lowercase()) {
            column = format!("{key}_{n}");
            n += 1;
        }
        taken.insert(column.to_lowercase());
        out.push(AttributeColumn { key, column, kind });
    }
    out
}

fn properties_json(properties: &Properties) -> Result<String> {
    serde_json::to_string(properties).map_err(|e| Error::Invalid(format!("properties: {e}")))
}

/// Writes a plan feature (by UUID) and returns its row id: updates its row when it is in the
/// table of its geometry kind, else inserts it there — with row id `fid` when given (undo puts a
/// deleted feature back where it was) — and removes it from the other plan tables.
/// Runs in the caller's transaction.
pub fn write_plan_feature(
    conn: &Connection,
    feature: &PlanFeature,
    derived: PlanDerived<'_>,
    fid: Option<i64>,
) -> Result<i64> {
    let kind = feature.kind().ok_or_else(|| {
        Error::Invalid(format!(
            "plan feature {}: a plan feature is points, lines or polygons, not a mix",
            feature.feature.id
        ))
    })?;
    let (table, _, _) = plan_table(kind);
    let table = q(table)?;
    let id = feature.feature.id.to_string();
    for other in PLAN_KINDS.into_iter().filter(|k| *k != kind) {
        conn.execute(
            &format!("DELETE FROM {} WHERE uuid = ?1", q(plan_table(other).0)?),
            [&id],
        )?;
    }
    let geometry = promote_to_multi(&feature.feature.geometry)
        .ok_or_else(|| Error::Invalid(format!("plan feature {id}: unsupported geometry")))?;
    let (blob, _) = encode_geometry(&geometry)?;
    let properties = if feature.feature.properties.is_empty() {
        None
    } else {
        Some(properties_json(&feature.feature.properties)?)
    };
    let name = (!feature.feature.name.is_empty()).then_some(feature.feature.name.as_str());
    let existing: Option<i64> = conn
        .query_row(
            &format!("SELECT fid FROM {table} WHERE uuid = ?1"),
            [&id],
            |r| r.get(0),
        )
        .optional()?;
    let values = params![
        blob,
        id,
        name,
        feature.element,
        derived.element_name,
        feature.street,
        feature.community,
        derived.area_m2,
        derived.length_m,
        feature.project,
        properties,
        existing.or(fid),
    ];
    if let Some(row) = existing {
        // An UPDATE keeps the row id, so the R-tree update triggers fire as designed.
        conn.execute(
            &format!(
                "UPDATE {table} SET {GEOM_COLUMN} = ?1, uuid = ?2, name = ?3, element_type = ?4, element_name = ?5,
                 street = ?6, community = ?7, area_m2 = ?8, length_m = ?9, project_code = ?10, properties = ?11
                 WHERE fid = ?12"
            ),
            values,
        )?;
        Ok(row)
    } else {
        conn.execute(
            &format!(
                "INSERT INTO {table} ({GEOM_COLUMN}, uuid, name, element_type, element_name, street, community,
                 area_m2, length_m, project_code, properties, fid) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)"
            ),
            values,
        )?;
        Ok(conn.last_insert_rowid())
    }
}

/// Deletes a plan feature (from whichever plan table holds it).
pub fn delete_plan_feature(conn: &Connection, id: Uuid) -> Result<()> {
    for kind in PLAN_KINDS {
        conn.execute(
            &format!("DELETE FROM {} WHERE uuid = ?1", q(plan_table(kind).0)?),
            [id.to_string()],
        )?;
    }
    Ok(())
}

/// Updates the derived street and community of a plan feature.
pub fn set_plan_location(
    conn: &Connection,
    id: Uuid,
    street: Option<&str>,
    community: Option<&str>,
) -> Result<()> {
    for kind in PLAN_KINDS {
        conn.execute(
            &format!(
                "UPDATE {} SET street = ?2, community = ?3 WHERE uuid = ?1",
                q(plan_table(kind).0)?
            ),
            params![id.to_string(), street, community],
        )?;
    }
    Ok(())
}

/// Refreshes the three plan tables' extents after edits.
pub fn refresh_plan_extents(conn: &Connection) -> Result<()> {
    for kind in PLAN_KINDS {
        refresh_extent(conn, plan_table(kind).0)?;
    }
    Ok(())
}

/// Inserts a project, or fails if its code is taken.
pub fn insert_project(conn: &Connection, project: &Project) -> Result<()> {
    conn.execute(
        &format!("INSERT INTO {PROJECTS_TABLE} (code, name, programme, year, stage, budget_wan) VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
        params![project.code, project.name, project.programme, project.year, project.stage, project.budget_wan],
    )
    .map_err(|e| match e {
        rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::ConstraintViolation => {
            Error::Invalid(format!("a project with code {:?} already exists", project.code))
        }
        other => Error::Sqlite(other),
    })?;
    Ok(())
}

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

#[cfg(test)]
mod attribute_tests {
    use super::*;

    fn feature(properties: serde_json::Value) -> Feature {
        Feature {
            id: Uuid::new_v4(),
            name: String::new(),
            geometry: geo::Geometry::Point(geo::Point::new(121.5, 31.2)),
            properties: properties.as_object().cloned().unwrap_or_default(),
        }
    }

    #[test]
    fn scalar_properties_become_typed_columns() {
        let features = [
            feature(
                serde_json::json!({"name": "甲", "code": 1, "面积": 2, "开放": true, "tags": {"a": 1}, "UUID": "x"}),
            ),
            feature(serde_json::json!({"code": "A2", "面积": 2.5, "开放": null, "新": "只在这里"})),
        ];
        let columns = attribute_columns(&features);
        let by_key = |k: &str| {
            columns
                .iter()
                .find(|c| c.key == k)
                .map(|c| (c.column.as_str(), c.kind))
        };
        assert_eq!(by_key("name"), None, "the name column already holds it");
        assert_eq!(by_key("tags"), None, "nested values stay in the JSON");
        assert_eq!(by_key("code"), Some(("code", AttributeKind::Text)));
        assert_eq!(by_key("面积"), Some(("面积", AttributeKind::Real)));
        assert_eq!(by_key("开放"), Some(("开放", AttributeKind::Boolean)));
        assert_eq!(
            by_key("UUID"),
            Some(("UUID_1", AttributeKind::Text)),
            "clashes get a suffix"
        );
        assert_eq!(by_key("新"), Some(("新", AttributeKind::Text)));
        assert_eq!(
            AttributeKind::Text.value(Some(&serde_json::json!(1))),
            rusqlite::types::Value::Text("1".into())
        );
    }
}
