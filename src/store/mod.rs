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

mod access;
mod alternative_tables;
#[cfg(test)]
mod busy_tests;
mod check;
mod checkpoint;
mod contents;
mod create;
mod extent;
#[cfg(test)]
mod extent_tests;
mod geometry;
mod held;
mod inputs;
mod layer_stream;
mod layer_write;
mod layers;
mod media;
mod media_tables;
mod meetings;
mod migrate;
mod people;
mod people_tables;
mod plan;
mod project_tables;
mod projects;
mod provenance;
pub mod pyramid;
mod records;
mod rtree_bulk;
mod schema;
mod settings;
mod sync_tables;
mod watch;

pub use alternative_tables::ALTERNATIVES_TABLE;
pub use check::check;
pub use create::{create_in_place, remove_with_side_files};
pub use geometry::{decode_geometry, encode_geometry, layer_geometry_type, promote_to_multi};
pub use inputs::INPUTS_TABLE;
pub use layer_stream::LayerStream;
pub use layer_write::{LayerSchema, LayerWriter, write_layer};
pub use layers::validate_layer_name;
pub use media_tables::{MEDIA_TABLE, NOTES_TABLE, PROJECT_MEDIA_TABLE, RELATED_TABLES_EXTENSION};
pub use migrate::Migrated;
pub use people::RosterRow;
pub use people_tables::{ORGANISATIONS_TABLE, PEOPLE_TABLE, TASKS_TABLE};
pub use plan::{
    PlanLoad, StoredPlanRow, delete_plan_feature, refresh_plan_extents, set_plan_location,
    write_plan_feature,
};
pub use project_tables::{FUNDING_TABLE, HISTORY_TABLE, MEETINGS_TABLE, STAGES_TABLE};
pub use projects::insert_project_at;
pub use records::Held;
pub(crate) use records::label_of;
use schema::register_functions;

/// Registers on `conn` the `ST_*` SQL functions the GeoPackage R-tree triggers call, so another
/// connection (a tool, a test standing in for QGIS) can write a workspace's feature tables.
pub fn register_sql_functions(conn: &Connection) -> Result<()> {
    register_functions(conn)
}
pub use provenance::{PROVENANCE_TABLE, stamp_written};
pub use records::{AnyRecord, Conflict, Derive, Refused, Table, Target, Written};
pub use schema::{refresh_extent, write_enum_constraint};
pub use sync_tables::{BASE_TABLE, CONFLICTS_TABLE, PEERS_TABLE, TOMBSTONES_TABLE};
/// The app schema this program writes and the newest it reads.
pub const APP_SCHEMA_VERSION: i64 = 11;
/// The oldest app schema [`Store::open_read_only`] reads as it is: schema 5 added the roster
/// and task tables, schema 6 the attachments, meeting notes and view bookmarks, all of which
/// Linli reads, schema 7 the meetings' slides, schema 8 residents' input and meetings' voting
/// rules, schema 9 design alternatives (the plan tables' `alternative` column), schema 10 the
/// district's exchange (peers, bases, conflicts, tombstones: a schema-9 file read as it is has
/// none, and no identity); an older file is
/// refused with a message naming `linli upgrade`, never changed by a read.
pub const READ_AS_IS_FROM: i64 = 9;
/// How long a write waits for another program's write lock (QGIS saving) before giving up.
pub const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);
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
    /// Opened by [`Store::open_read_only`]: every write is refused before SQLite sees it.
    read_only: bool,
    /// Opened read-only because the file cannot be written here ([`Store::open_or_read_only`]).
    not_writable: bool,
    /// The thread that checkpoints the log at quiet moments (writable stores only).
    checkpointer: Option<checkpoint::Checkpointer>,
    /// This store's hold on its file (last: let go after the connection closed).
    _hold: held::Hold,
}

impl Drop for Store {
    fn drop(&mut self) {
        // The checkpointer's connection closes first, so this store's, the last, folds the
        // log into the file and removes it.
        if self.checkpointer.is_some() {
            checkpoint::Checkpointer::unhook(&mut self.conn);
        }
        drop(self.checkpointer.take());
    }
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

/// The page size of a new workspace, in bytes (see [`Store::create`]).
pub const PAGE_SIZE: u32 = 16384;

impl Store {
    /// Creates a new, empty workspace at `path` seeded with `catalog`, whole or not at all
    /// (built beside it, then moved into place: see [`create_in_place`]). Refuses to overwrite.
    pub fn create(path: &Path, catalog: &Catalog) -> Result<Store> {
        create_in_place(path, |tmp| Self::create_here(tmp, catalog).map(drop))?;
        Self::open(path)
    }

    /// Creates the workspace at `path` itself, in steps (a kill can leave part of it): for a
    /// caller that builds a whole file inside [`create_in_place`]'s temporary path.
    pub(crate) fn create_unplaced(path: &Path, catalog: &Catalog) -> Result<Store> {
        Self::create_here(path, catalog)
    }

    /// Creates the workspace at `path` itself, in steps (a kill can leave part of it).
    fn create_here(path: &Path, catalog: &Catalog) -> Result<Store> {
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
        // Pages of 16 KiB (SQLite's default is 4 KiB; a WAL workspace keeps the size it was
        // made with): a big import or merge writes each page twice, to the log and then to
        // the file, one system call a page or more, and a quarter of the calls is most of what
        // a 100,000-feature import spends in the kernel. An edit writes a few pages either way.
        conn.execute_batch(&format!(
            "PRAGMA page_size = {PAGE_SIZE}; PRAGMA application_id = {}; PRAGMA user_version = {};",
            GPKG_APPLICATION_ID as i32, GPKG_USER_VERSION
        ))?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            migrated: None,
            read_only: false,
            not_writable: false,
            checkpointer: None,
            _hold: held::Hold::new(path),
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
    /// A file that cannot be written here is refused with [`Problem::WorkspaceNotWritable`]
    /// before anything is written ([`Store::open_or_read_only`] then opens it read-only).
    pub fn open(path: &Path) -> Result<Store> {
        check_header(path)?;
        if !access::writable_here(path) {
            return Err(access::not_writable(path));
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        // The busy timeout before anything reads or writes: a file another program holds busy
        // (QGIS saving) makes the version check, the migration's checkpoint and its
        // transaction wait for it instead of failing the open (and leaving a backup copy per
        // retry). The migration opens the file again this way after its backup.
        let open = || -> Result<Connection> {
            let conn =
                Connection::open_with_flags(path, flags).map_err(|e| cannot_open(path, &e))?;
            conn.busy_timeout(BUSY_TIMEOUT)?;
            register_functions(&conn)?;
            Ok(conn)
        };
        let mut conn = open()?;
        // SQLite opens a file it cannot write for reading only, without saying so.
        if conn.is_readonly(rusqlite::MAIN_DB).unwrap_or(false) {
            return Err(access::not_writable(path));
        }
        let version = checked_version(&conn, path)?;
        let migrated = migrate::migrate(&mut conn, &open, path, version)?;
        let mut store = Store {
            conn,
            path: path.to_path_buf(),
            migrated,
            read_only: false,
            not_writable: false,
            checkpointer: None,
            _hold: held::Hold::new(path),
        };
        store.configure().map_err(|e| {
            if access::error_is_not_writable(&e) {
                access::not_writable(path)
            } else {
                e
            }
        })?;
        store.checkpointer = checkpoint::Checkpointer::start(&mut store.conn, path);
        Ok(store)
    }

    /// Opens a workspace to read it without changing a byte of it or leaving a file beside it:
    /// for `info`, `check`, `locate`, `export` and any file opened only to be read.
    ///
    /// No journal switch and no migration. A workspace at schema [`READ_AS_IS_FROM`] or newer
    /// is read as it is (the later steps change nothing a reader reads); an older one is refused
    /// with [`Problem::OldSchemaReadOnly`], naming `linli upgrade`, rather than read through
    /// guesses. A WAL-mode file with no `-wal` beside it (a workspace at rest: the last writer
    /// folded its WAL in) is opened `immutable`, because SQLite would otherwise create `-wal`
    /// and `-shm` files that a read-only connection cannot remove; when a `-wal` is there,
    /// another program has the file open (or crashed) and it is read through the WAL, as SQLite
    /// must, leaving those files as they were. The one risk of `immutable`, a writer starting
    /// to checkpoint in the middle of our read, gives an error, never a changed file.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        Self::open_reader(path, &read_only_uri(path)?)
    }

    /// The URI a second, read-only connection to this store's file opens it with (the map's
    /// tile loader, the reader of other programs' changes), decided without opening the file:
    /// through the writer's log while a log is there, else `immutable` (a workspace at rest the
    /// window opened read-only).
    ///
    /// Never a header check by `std::fs`: closing any descriptor of a file drops every POSIX
    /// lock this process holds on it, SQLite's included, and another program closing the file
    /// would then take itself for the last connection and delete the write-ahead log under this
    /// session's feet, with every edit written to it since.
    pub fn reader_uri(&self) -> String {
        let at_rest = self.read_only && !side_file(&self.path, "-wal").exists();
        format!(
            "file:{}?{}",
            uri_path(&self.path),
            if at_rest { "immutable=1" } else { "mode=ro" }
        )
    }

    /// Opens `path` read-only through `uri` (see [`Store::open_read_only`],
    /// [`Store::reader_uri`]).
    pub fn open_reader(path: &Path, uri: &str) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| cannot_open(path, &e))?;
        conn.busy_timeout(BUSY_TIMEOUT)?;
        let version = checked_version(&conn, path)?;
        if version < READ_AS_IS_FROM {
            return Err(Error::workspace(
                path,
                Problem::OldSchemaReadOnly {
                    found: version,
                    oldest: READ_AS_IS_FROM,
                },
            ));
        }
        register_functions(&conn)?;
        conn.execute_batch("PRAGMA query_only = ON;")?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            migrated: None,
            read_only: true,
            not_writable: false,
            checkpointer: None,
            _hold: held::Hold::new(path),
        })
    }

    /// True when opened by [`Store::open_read_only`].
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    fn configure(&self) -> Result<()> {
        self.conn.busy_timeout(BUSY_TIMEOUT)?;
        // Room for every per-edit statement of the three plan tables and the project's lists
        // (`prepare_cached`).
        self.conn.set_prepared_statement_cache_capacity(128);
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

    /// Starts a transaction: one user action. It is IMMEDIATE: it takes the write lock at the
    /// start (waiting up to [`BUSY_TIMEOUT`] for another writer, such as QGIS, to finish), so
    /// it never fails half-way with SQLITE_BUSY_SNAPSHOT because another program wrote after it
    /// read. Refused on a read-only store.
    pub fn begin(&mut self) -> Result<Transaction<'_>> {
        self.check_writable()?;
        Ok(self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?)
    }

    /// Refused unless this store may write the file.
    fn check_writable(&self) -> Result<()> {
        if self.not_writable {
            return Err(access::not_writable(&self.path));
        }
        if self.read_only {
            return Err(Error::workspace(&self.path, Problem::WorkspaceReadOnly));
        }
        Ok(())
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Closes the workspace so that the file alone holds everything: stops the checkpoint
    /// thread (closing its connection), folds the whole log into the file
    /// (`wal_checkpoint(TRUNCATE)`), closes this connection — the last one, so SQLite removes
    /// the `-wal` and `-shm` files — and checks that they are gone.
    ///
    /// Every other connection to the file must be closed first (the map's tile reader, any
    /// worker's): SQLite removes the log only when the last connection closes. When one is still
    /// open — another program's, or one this program forgot — the log stays beside the file and
    /// this says so with [`Problem::StillOpenElsewhere`]; nothing is lost (the log holds the
    /// changes and the next close folds them in), but the file alone is not the whole workspace.
    /// A read-only store just closes.
    pub fn close(mut self) -> Result<()> {
        if self.checkpointer.is_some() {
            checkpoint::Checkpointer::unhook(&mut self.conn);
        }
        drop(self.checkpointer.take());
        if !self.read_only {
            // The result row's first column is 1 when another connection kept the checkpoint
            // from finishing; the file check below reports it either way.
            let _: i64 = self
                .conn
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
        }
        // `Store` is `Drop`, so its connection is swapped for an empty one to be closed by value
        // (an error from SQLite's close is reported, not dropped).
        let placeholder = Connection::open_in_memory()?;
        let conn = std::mem::replace(&mut self.conn, placeholder);
        conn.close().map_err(|(_, e)| Error::from(e))?;
        if !self.read_only && side_files_left(&self.path) {
            return Err(Error::workspace(&self.path, Problem::StillOpenElsewhere));
        }
        Ok(())
    }
}

/// The path of SQLite's side file `suffix` (`-wal`, `-shm`, `-journal`) of the database at
/// `path`.
pub(crate) fn side_file(path: &Path, suffix: &str) -> std::path::PathBuf {
    let mut side = path.as_os_str().to_owned();
    side.push(suffix);
    side.into()
}

/// Whether SQLite's `-wal` or `-shm` file is beside `path`.
fn side_files_left(path: &Path) -> bool {
    ["-wal", "-shm"]
        .iter()
        .any(|suffix| side_file(path, suffix).exists())
}

/// The size of the write-ahead log beside `path` when it holds committed work the file alone
/// lacks (more than its 32-byte header), else `None`: a file copied alone without it would lose
/// that work (`linli check` warns).
pub fn unsaved_log_bytes(path: &Path) -> Option<u64> {
    std::fs::metadata(side_file(path, "-wal"))
        .ok()
        .map(|m| m.len())
        .filter(|&len| len > 32)
}

/// Checks what every open checks before using a workspace: it is a Linli workspace, with a
/// schema version this program reads (a newer one is refused untouched), and SQLite's quick
/// check passes. Returns the schema version.
fn checked_version(conn: &Connection, path: &Path) -> Result<i64> {
    let damaged = |e: rusqlite::Error| {
        if access::is_not_writable(&e) {
            return access::not_writable(path);
        }
        Error::workspace(
            path,
            Problem::DamagedOrNotWorkspace {
                detail: e.to_string(),
            },
        )
    };
    let has_meta = has_table(conn, "linli_meta").map_err(damaged)?;
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
    for check in quick_checks(conn, path).map_err(damaged)? {
        let found: String = conn.query_row(&check, [], |r| r.get(0)).map_err(damaged)?;
        if found != "ok" {
            return Err(Error::workspace(path, Problem::Damaged { detail: found }));
        }
    }
    Ok(version)
}

/// Past this size, opening checks every table but the reference layers' (see [`quick_checks`]).
const WHOLE_QUICK_CHECK_BELOW_BYTES: u64 = 64 << 20;

/// The quick checks an open runs: SQLite's `quick_check` of the whole file when it is small;
/// for a big file (a reference layer of a million buildings makes it gigabytes, and a whole
/// check would take seconds), of every table except the reference layers, their R-trees and
/// their pyramid, which are read tile by tile and checked whole by `linli check` (a damaged page
/// there is an error when read, never a panic).
fn quick_checks(conn: &Connection, path: &Path) -> rusqlite::Result<Vec<String>> {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    if size < WHOLE_QUICK_CHECK_BELOW_BYTES {
        return Ok(vec!["PRAGMA quick_check".into()]);
    }
    let reference: Vec<String> = conn
        .prepare("SELECT name FROM linli_layers WHERE role = 'reference'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(tables
        .into_iter()
        .filter(|t| {
            !t.starts_with("linli_pyramid")
                && !reference
                    .iter()
                    .any(|r| t == r || t.starts_with(&format!("rtree_{r}_")))
        })
        .map(|t| format!("PRAGMA quick_check(\"{}\")", t.replace('"', "\"\"")))
        .collect())
}

/// `path` for an SQLite `file:` URI: every byte but unreserved ones and `/` percent-encoded
/// (so `?`, `#`, `%` and Chinese names survive), made absolute on the way.
/// The URI a read-only connection opens `path` with (see [`Store::open_read_only`]):
/// `immutable` when the WAL-mode file is at rest (no `-wal` beside it: no writer has it open),
/// since SQLite would otherwise create `-wal` and `-shm` files that a read-only connection
/// cannot remove; `mode=ro` otherwise. The map's tile reader uses it too, so a workspace the
/// window opened read-only is left with nothing beside it.
pub(crate) fn read_only_uri(path: &Path) -> Result<String> {
    let at_rest = check_header(path)? && !side_file(path, "-wal").exists();
    Ok(format!(
        "file:{}?{}",
        uri_path(path),
        if at_rest { "immutable=1" } else { "mode=ro" }
    ))
}

fn uri_path(path: &Path) -> String {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = absolute.to_string_lossy();
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'/' | b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// Reads the 100-byte SQLite header: a file that is not SQLite or not a GeoPackage is refused
/// before SQLite touches it (opening a non-database with SQLite could create journal files).
/// Returns whether the file is in WAL mode (header bytes 18 and 19 are 2).
fn check_header(path: &Path) -> Result<bool> {
    use std::io::Read;
    // Open as a workspace here already (its header was checked then), and never to be
    // opened and closed through `std::fs` while it is (see [`held`]); a workspace is in WAL.
    if held::is_held(path) {
        return Ok(true);
    }
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
    Ok(header[18] == 2 && header[19] == 2)
}

/// Stamps a table's `gpkg_contents.last_change` with now, as a migration step that changed
/// the table must.
fn mark_changed(tx: &Transaction<'_>, table: &str) -> Result<()> {
    tx.execute(
        "UPDATE gpkg_contents SET last_change = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE table_name = ?1",
        [table],
    )?;
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

/// The note for row `row` of `table` that cannot be read (written by another program): the
/// row is left out and left untouched in the file, the rest of the workspace opens.
/// `WHERE column = 'uuid'` when `only` is given, else nothing: a record's reader reads one
/// record or all. A UUID's text is hex digits and hyphens, so it is safe inline.
pub(crate) fn where_uuid(column: &str, only: Option<Uuid>) -> String {
    only.map(|u| format!("WHERE {column} = '{u}'"))
        .unwrap_or_default()
}

pub(crate) fn unreadable_row(table: &str, row: i64, detail: impl std::fmt::Display) -> Problem {
    Problem::UnreadablePlanRow {
        table: table.to_string(),
        fid: row,
        detail: detail.to_string(),
    }
}

/// What was wrong with a row's column, in words naming the column (SQLite's error names only
/// its index).
pub(crate) fn column_error(row: &rusqlite::Row<'_>, e: &rusqlite::Error) -> String {
    use rusqlite::Error as E;
    let index = match e {
        E::IntegralValueOutOfRange(i, _)
        | E::FromSqlConversionFailure(i, _, _)
        | E::InvalidColumnType(i, _, _) => Some(*i),
        _ => None,
    };
    match index.and_then(|i| row.as_ref().column_name(i).ok()) {
        Some(name) => format!("{name}: {e}"),
        None => e.to_string(),
    }
}

/// A row's text column, or why it is not one (a missing value is empty).
pub(crate) fn text_column(
    row: &rusqlite::Row<'_>,
    i: usize,
) -> std::result::Result<String, String> {
    row.get::<_, Option<String>>(i)
        .map(Option::unwrap_or_default)
        .map_err(|e| column_error(row, &e))
}

/// A column's value of type `T`, or why it is not one.
pub(crate) fn column<T: rusqlite::types::FromSql>(
    row: &rusqlite::Row<'_>,
    i: usize,
) -> std::result::Result<T, String> {
    row.get::<_, T>(i).map_err(|e| column_error(row, &e))
}

/// A column's UUID, or why it is not one.
pub(crate) fn uuid_column(row: &rusqlite::Row<'_>, i: usize) -> std::result::Result<Uuid, String> {
    let text: String = column(row, i)?;
    let name = row.as_ref().column_name(i).unwrap_or("uuid");
    Uuid::parse_str(text.trim()).map_err(|_| format!("{name}: {text:?} is not a UUID"))
}

/// True when the file has table `table`.
fn has_table(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM sqlite_master WHERE type = 'table' AND name = ?1",
        [table],
        |r| r.get(0),
    )
}

/// True when table `table` has column `column`.
fn has_column(conn: &Connection, table: &str, column: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT count(*) > 0 FROM pragma_table_info(?1) WHERE name = ?2",
        [table, column],
        |r| r.get(0),
    )
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

/// The property that holds a row's `properties` text when it is not a JSON object (typed in
/// another program): kept verbatim, shown, and written back unchanged.
pub const UNPARSED_PROPERTIES: &str = "linli_unparsed_properties";

/// A row's `properties`: the JSON object, or — when the text is not one (written by another
/// program) — the text verbatim under [`UNPARSED_PROPERTIES`], never an empty map.
fn parse_properties(text: Option<&str>) -> Properties {
    text.map(|t| properties_or_verbatim(t).0)
        .unwrap_or_default()
}

/// [`parse_properties`] of a text, and whether it was kept verbatim.
fn properties_or_verbatim(text: &str) -> (Properties, bool) {
    match serde_json::from_str(text) {
        Ok(p) => (p, false),
        Err(_) => {
            let mut kept = Properties::new();
            kept.insert(
                UNPARSED_PROPERTIES.into(),
                serde_json::Value::String(text.to_string()),
            );
            (kept, true)
        }
    }
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
