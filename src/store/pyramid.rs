//! The level-of-detail pyramid of a reference layer, kept in the workspace file beside the
//! layer, so the map draws big layers without loading them.
//!
//! The map shows a layer through square Web Mercator tiles ([`TileId`]) about 256–512 points
//! wide. A layer's features are split by where the centre of their R-tree box falls:
//! - at the **detail zoom** and finer, a tile is read from the layer itself through its
//!   GeoPackage R-tree ([`TileReader::detail`]); the detail zoom is the coarsest at which no
//!   tile holds more than [`DETAIL_MAX`] feature centres;
//! - at coarser zooms (the **overview** bands, from the zoom where the whole layer fits one
//!   tile), a tile is one row of `linli_pyramid`: a density grid of
//!   [`DENSITY_CELLS`]² feature counts (stored whole, or only its filled cells when that is
//!   shorter: see `encode_density`), plus the outlines of the features big enough to be seen
//!   at that zoom, simplified to a point (at most [`LARGE_MAX`], largest first);
//! - features wider than half a detail tile are listed once per layer (the *oversized* row),
//!   so the map keeps them whatever tile their centre falls in.
//!
//! `linli_pyramid_layers` records, per layer, the zooms and the `gpkg_contents.last_change`
//! the pyramid was built from; a layer changed by another program (QGIS) since, or a workspace
//! written before pyramids, is rebuilt when opened for writing. Both are registered attributes
//! tables (as every table of ours is), so GDAL and QGIS list them as plain tables and the
//! GeoPackage stays valid.

use geo::{MapCoords, Simplify};
use geopackage_core::triggers;
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use rustc_hash::FxHashMap;
use std::sync::mpsc::{Receiver, sync_channel};

use super::geometry::{decode_geometry, encode_geometry};
use super::rtree_bulk::BoxEntry;
use super::{GEOM_COLUMN, q};
use crate::analysis::mercator::{
    MAX_TILE_ZOOM, TileId, lon_lat_from_merc, merc_from_lon_lat, tile_size_m, zoom_for_tile_size,
};
use crate::error::{Error, Problem, Result};

pub use crate::analysis::tiles::{
    DENSITY_CELLS, FINEST_DETAIL_ZOOM, OverviewTile, PyramidInfo, TILE_POINTS, TileFeature,
};

/// Most feature centres a detail tile holds (where the data allows).
pub const DETAIL_MAX: usize = 1000;
/// An overview tile keeps the outline of a feature at least this many points wide.
pub const LARGE_POINTS: f64 = 12.0;
/// Most outlines an overview tile keeps.
pub const LARGE_MAX: usize = 3000;
/// The `z` of the oversized row.
const OVERSIZED_Z: i64 = 255;
/// Most features the oversized row lists (the largest kept) and a reader takes from it: the
/// map loads each whole, whatever the view, so a layer (or a hostile row) of millions of
/// them must not all come at once.
pub const OVERSIZED_MAX: usize = 4096;

impl super::Store {
    /// Builds the pyramid of every reference layer whose pyramid is missing or stale (see the
    /// module docs), each in its own transaction; returns their names.
    pub fn refresh_pyramids(&mut self, tables: &[String]) -> Result<Vec<String>> {
        // Every workspace opened for writing has the tables, as a new one does.
        create_tables(&self.conn)?;
        let stale = stale_layers(&self.conn, tables)?;
        for table in &stale {
            // IMMEDIATE, as every write: the build reads the layer and then writes, and a
            // deferred transaction that another program wrote after its read would fail with
            // SQLITE_BUSY_SNAPSHOT instead of waiting its turn.
            let tx = self
                .conn
                .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            build(&tx, table)?;
            tx.commit()?;
        }
        Ok(stale)
    }
}

/// Creates the pyramid tables when they are missing (a workspace from before them).
pub(super) fn create_tables(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS linli_pyramid_layers (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             layer TEXT NOT NULL UNIQUE, min_zoom INTEGER NOT NULL, detail_zoom INTEGER NOT NULL,
             features INTEGER NOT NULL, source_change TEXT, built TEXT NOT NULL);
         CREATE TABLE IF NOT EXISTS linli_pyramid (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             layer TEXT NOT NULL, z INTEGER NOT NULL, x INTEGER NOT NULL, y INTEGER NOT NULL,
             count INTEGER NOT NULL, density BLOB, features BLOB, UNIQUE (layer, z, x, y));",
    )?;
    // Registered attributes tables with an integer key, like every table of ours, so GDAL and
    // QGIS list them as plain tables instead of offering broken sublayers.
    for (table, description) in [
        (
            "linli_pyramid_layers",
            "Linli: which reference layers have a map pyramid (a cache, rebuilt when stale)",
        ),
        (
            "linli_pyramid",
            "Linli: map pyramid of reference layers (density and outlines per tile; a cache)",
        ),
    ] {
        conn.execute(
            "INSERT OR IGNORE INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?1, 'attributes', ?1, ?2)",
            params![table, description],
        )?;
    }
    Ok(())
}

/// Where an R-tree box puts a feature: its centre and its size (the longer side), Mercator
/// metres. The builder and the reader both place features by this, from the same boxes.
fn placement(min_lon: f64, max_lon: f64, min_lat: f64, max_lat: f64) -> ([f64; 2], f64) {
    let a = merc_from_lon_lat(min_lon, min_lat);
    let b = merc_from_lon_lat(max_lon, max_lat);
    (
        [(a[0] + b[0]) / 2.0, (a[1] + b[1]) / 2.0],
        (b[0] - a[0]).max(b[1] - a[1]),
    )
}

/// Wider than this and a feature is listed in the oversized row instead of its detail tile.
fn oversized_above(detail_zoom: u8) -> f64 {
    tile_size_m(detail_zoom) / 2.0
}

fn tile_key(t: TileId) -> (u8, u32, u32) {
    (t.z, t.x, t.y)
}

/// Builds (or rebuilds) the pyramid of the feature table `table`, in the caller's transaction.
/// Reads the layer's R-tree once for placement, and the geometry only of the features an
/// overview keeps.
pub fn build(conn: &Connection, table: &str) -> Result<PyramidInfo> {
    let rtree = q(&triggers::rtree_table_name(table, GEOM_COLUMN))?;
    let placed =
        Placed::Rtree(conn.prepare(&format!("SELECT id, minx, maxx, miny, maxy FROM {rtree}"))?);
    build_placed(conn, table, placed)
}

/// [`build`] for a layer just written, from the boxes its R-tree was loaded with: the same
/// boxes, so the same pyramid, each feature placed once instead of the R-tree being read and
/// every box projected again on each pass.
pub(super) fn build_from_boxes(
    conn: &Connection,
    table: &str,
    boxes: Vec<BoxEntry>,
) -> Result<PyramidInfo> {
    let places = boxes
        .iter()
        .filter_map(|b| {
            let [min_lon, max_lon, min_lat, max_lat] = b.bounds.map(f64::from);
            Place::new(b.fid, placement(min_lon, max_lon, min_lat, max_lat))
        })
        .collect();
    drop(boxes);
    build_placed(conn, table, Placed::Held(places))
}

fn build_placed(conn: &Connection, table: &str, mut placed: Placed<'_>) -> Result<PyramidInfo> {
    create_tables(conn)?;
    conn.execute("DELETE FROM linli_pyramid WHERE layer = ?1", [table])?;
    // The features' extent (a centre ± half its size bounds its box).
    let mut extent: Option<[f64; 4]> = None;
    let mut features = 0u64;
    placed.each(|_, c, s| {
        features += 1;
        let h = s / 2.0;
        let b = [c[0] - h, c[1] - h, c[0] + h, c[1] + h];
        extent = Some(match extent {
            None => b,
            Some(a) => [
                a[0].min(b[0]),
                a[1].min(b[1]),
                a[2].max(b[2]),
                a[3].max(b[3]),
            ],
        });
        Ok(())
    })?;
    let min_zoom = extent.map_or(0, |b| {
        zoom_for_tile_size((b[2] - b[0]).max(b[3] - b[1]))
            .saturating_sub(1)
            .min(FINEST_DETAIL_ZOOM)
    });
    // The detail zoom: the coarsest at which no tile holds too many centres.
    let mut detail_zoom = min_zoom;
    while detail_zoom < FINEST_DETAIL_ZOOM {
        let mut counts: FxHashMap<(u8, u32, u32), usize> = FxHashMap::default();
        let mut worst = 0;
        placed.each(|_, c, _| {
            let n = counts
                .entry(tile_key(TileId::containing(detail_zoom, c)))
                .or_default();
            *n += 1;
            worst = worst.max(*n);
            Ok(())
        })?;
        if worst <= DETAIL_MAX {
            break;
        }
        detail_zoom += 1;
    }
    let mut insert = conn.prepare(
        "INSERT INTO linli_pyramid (layer, z, x, y, count, density, features) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    let mut outlines = Outlines::new(conn, table)?;
    // The overview rows of several zooms are made together, so a feature outlined at each of
    // them is read once; a batch ends when it holds enough for memory to stay bounded.
    let mut batch: Vec<OverviewRow> = Vec::new();
    let mut asked = 0usize;
    for z in min_zoom..detail_zoom {
        let size = tile_size_m(z);
        let cell = size / DENSITY_CELLS as f64;
        let large = LARGE_POINTS * size / TILE_POINTS;
        // Per tile: centres, density grid, and the (size, fid) of features to outline.
        type Building = (u64, Vec<u16>, Vec<(f64, i64)>);
        let mut tiles: FxHashMap<(u8, u32, u32), Building> = FxHashMap::default();
        placed.each(|fid, c, s| {
            let t = TileId::containing(z, c);
            let entry = tiles
                .entry(tile_key(t))
                .or_insert_with(|| (0, vec![0; DENSITY_CELLS * DENSITY_CELLS], Vec::new()));
            let [x0, _, _, y1] = t.bounds();
            let col = (((c[0] - x0) / cell) as usize).min(DENSITY_CELLS - 1);
            let row = (((y1 - c[1]) / cell) as usize).min(DENSITY_CELLS - 1);
            let d = &mut entry.1[row * DENSITY_CELLS + col];
            *d = d.saturating_add(1);
            entry.0 += 1;
            if s >= large && s <= oversized_above(detail_zoom) {
                entry.2.push((s, fid));
                // Only the largest LARGE_MAX are kept: trim as they come.
                if entry.2.len() >= 2 * LARGE_MAX {
                    keep_largest(&mut entry.2);
                }
            }
            Ok(())
        })?;
        let mut keys: Vec<_> = tiles.keys().copied().collect();
        keys.sort_unstable();
        for key in keys {
            let Some((count, density, mut big)) = tiles.remove(&key) else {
                continue;
            };
            keep_largest(&mut big);
            asked += big.len();
            batch.push(OverviewRow {
                key,
                count,
                density,
                parts: vec![Vec::new(); big.len()],
                big,
            });
        }
        if asked >= BATCH_OUTLINES || batch.len() >= BATCH_TILES || z + 1 == detail_zoom {
            outlines.fill(&mut batch)?;
            for row in batch.drain(..) {
                let density_blob = encode_density(&row.density);
                insert.execute(params![
                    table,
                    row.key.0,
                    row.key.1,
                    row.key.2,
                    row.count as i64,
                    density_blob,
                    row.parts.concat()
                ])?;
            }
            asked = 0;
        }
    }
    let mut largest: Vec<(f64, i64)> = Vec::new();
    placed.each(|fid, _, s| {
        if s > oversized_above(detail_zoom) {
            largest.push((s, fid));
            if largest.len() >= 2 * OVERSIZED_MAX {
                keep_largest_n(&mut largest, OVERSIZED_MAX);
            }
        }
        Ok(())
    })?;
    keep_largest_n(&mut largest, OVERSIZED_MAX);
    let oversized: Vec<u8> = largest
        .iter()
        .flat_map(|(_, fid)| fid.to_le_bytes())
        .collect();
    if !oversized.is_empty() {
        insert.execute(params![
            table,
            OVERSIZED_Z,
            0,
            0,
            (oversized.len() / 8) as i64,
            Option::<Vec<u8>>::None,
            oversized
        ])?;
    }
    let info = PyramidInfo {
        min_zoom,
        detail_zoom,
        features,
    };
    conn.execute(
        "INSERT INTO linli_pyramid_layers (layer, min_zoom, detail_zoom, features, source_change, built)
         VALUES (?1, ?2, ?3, ?4, (SELECT last_change FROM gpkg_contents WHERE table_name = ?1),
                 strftime('%Y-%m-%dT%H:%M:%fZ','now'))
         ON CONFLICT(layer) DO UPDATE SET min_zoom = excluded.min_zoom,
             detail_zoom = excluded.detail_zoom, features = excluded.features,
             source_change = excluded.source_change, built = excluded.built",
        params![table, min_zoom, detail_zoom, info.features as i64],
    )?;
    Ok(info)
}

/// A feature placed by its R-tree box ([`placement`]).
#[derive(Debug, Clone, Copy)]
struct Place {
    fid: i64,
    centre: [f64; 2],
    size: f64,
}

impl Place {
    /// `None` for a box without a finite centre (never drawn).
    fn new(fid: i64, (centre, size): ([f64; 2], f64)) -> Option<Self> {
        (centre[0].is_finite() && centre[1].is_finite()).then_some(Self { fid, centre, size })
    }
}

/// The features of a layer placed by their R-tree boxes: read from the R-tree on each pass
/// (never held: a pass sees one row at a time), or placed once from the boxes a new layer's
/// R-tree was just loaded with.
enum Placed<'c> {
    Rtree(rusqlite::Statement<'c>),
    Held(Vec<Place>),
}

impl Placed<'_> {
    /// Calls `f(fid, centre, size)` for every feature with a finite centre, in R-tree order.
    fn each(&mut self, mut f: impl FnMut(i64, [f64; 2], f64) -> Result<()>) -> Result<()> {
        match self {
            Self::Rtree(stmt) => {
                let mut rows = stmt.query([])?;
                while let Some(r) = rows.next()? {
                    let placed = placement(r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?);
                    if let Some(p) = Place::new(r.get(0)?, placed) {
                        f(p.fid, p.centre, p.size)?;
                    }
                }
            }
            Self::Held(places) => {
                for p in places.iter() {
                    f(p.fid, p.centre, p.size)?;
                }
            }
        }
        Ok(())
    }
}

/// The outlines of an overview tile, read from the layer through one prepared statement.
struct Outlines<'c> {
    by_fid: rusqlite::Statement<'c>,
}

/// Outlines a batch of overview rows asks for, at most, before they are read and written.
const BATCH_OUTLINES: usize = 200_000;

/// Overview rows in a batch, at most (a density grid is 32 KiB).
const BATCH_TILES: usize = 1024;

/// One overview row being made: its tile, centres and density grid, the (size, fid) of the
/// features it outlines (largest first) and, in the same order, each one's outline as
/// [`push_feature`] writes it (empty for a feature without a readable geometry).
struct OverviewRow {
    key: (u8, u32, u32),
    count: u64,
    density: Vec<u16>,
    big: Vec<(f64, i64)>,
    parts: Vec<Vec<u8>>,
}

impl<'c> Outlines<'c> {
    fn new(conn: &'c Connection, table: &str) -> Result<Self> {
        Ok(Self {
            by_fid: conn.prepare(&by_fid_sql(table)?)?,
        })
    }

    /// Fills every row's outlines: each feature asked for is read once, in `fid` order (which
    /// walks the table's pages in order), and projected once, then simplified to each asking
    /// tile's tolerance (a point of its zoom). This thread reads the rows (SQLite stays on the
    /// thread of the transaction) while a second one decodes, simplifies and encodes them.
    fn fill(&mut self, rows: &mut [OverviewRow]) -> Result<()> {
        let mut wanted: Vec<(i64, u32, u32)> = Vec::new();
        for (r, row) in rows.iter().enumerate() {
            for (k, &(_, fid)) in row.big.iter().enumerate() {
                wanted.push((fid, r as u32, k as u32));
            }
        }
        wanted.sort_unstable();
        let tolerances: Vec<f64> = rows
            .iter()
            .map(|row| tile_size_m(row.key.0) / TILE_POINTS)
            .collect();
        let wanted = &wanted;
        let tolerances = &tolerances;
        let by_fid = &mut self.by_fid;
        let outlined = std::thread::scope(|scope| -> Result<Vec<Outlined>> {
            let (to_worker, rows_read) = sync_channel::<Vec<ReadRow>>(OUTLINE_CHUNKS_IN_FLIGHT);
            let worker = std::thread::Builder::new()
                .name("linli-pyramid".into())
                .spawn_scoped(scope, move || outline_rows(rows_read, wanted, tolerances))
                .map_err(|e| {
                    Error::request(Problem::CannotRead {
                        reason: e.to_string(),
                    })
                })?;
            let read = (|| -> Result<()> {
                let mut chunk = Vec::with_capacity(OUTLINE_CHUNK);
                let mut start = 0;
                for same in wanted.chunk_by(|a, b| a.0 == b.0) {
                    let range = start..start + same.len();
                    start = range.end;
                    let Some((name, blob)) = read_row(by_fid, same[0].0)? else {
                        continue;
                    };
                    chunk.push(ReadRow { range, name, blob });
                    if chunk.len() >= OUTLINE_CHUNK {
                        let full = std::mem::replace(&mut chunk, Vec::with_capacity(OUTLINE_CHUNK));
                        // A worker that stopped says why when joined.
                        if to_worker.send(full).is_err() {
                            return Ok(());
                        }
                    }
                }
                let _ = to_worker.send(chunk);
                Ok(())
            })();
            drop(to_worker);
            let outlined = worker.join().map_err(|_| {
                Error::request(Problem::CannotRead {
                    reason: "the pyramid's outlining thread stopped unexpectedly".into(),
                })
            })?;
            read?;
            outlined
        })?;
        for (r, k, part) in outlined {
            rows[r as usize].parts[k as usize] = part;
        }
        Ok(())
    }
}

/// Rows read for the outlining thread at a time.
const OUTLINE_CHUNK: usize = 256;

/// Chunks waiting for the outlining thread, at most.
const OUTLINE_CHUNKS_IN_FLIGHT: usize = 8;

/// One feature read for its outlines: its requests (`wanted[range]`), name and geometry blob.
struct ReadRow {
    range: std::ops::Range<usize>,
    name: String,
    blob: Vec<u8>,
}

/// An outline made: the row and place in it it goes to, and its bytes.
type Outlined = (u32, u32, Vec<u8>);

/// The outlining thread: each feature read decoded and projected once, simplified to each
/// asking row's tolerance and encoded as [`push_feature`] writes it. A geometry that does
/// not decode is left out, as [`read_feature`] leaves it.
fn outline_rows(
    rows_read: Receiver<Vec<ReadRow>>,
    wanted: &[(i64, u32, u32)],
    tolerances: &[f64],
) -> Result<Vec<Outlined>> {
    let mut out = Vec::new();
    for chunk in rows_read {
        for row in chunk {
            let Some(geometry) = decode_geometry(&row.blob) else {
                continue;
            };
            let merc = to_mercator(&geometry);
            for &(fid, r, k) in &wanted[row.range] {
                let mut part = Vec::new();
                let simple = simplified(&merc, tolerances[r as usize]);
                push_feature(&mut part, fid, &row.name, &simple)?;
                out.push((r, k, part));
            }
        }
    }
    Ok(out)
}

/// Row `fid`'s name and geometry blob through `stmt` (prepared from [`by_fid_sql`]); `None`
/// when there is no such row or its geometry is null. A geometry that is not a blob is an
/// error, as in [`read_feature`].
fn read_row(stmt: &mut rusqlite::Statement<'_>, fid: i64) -> Result<Option<(String, Vec<u8>)>> {
    use rusqlite::types::{FromSqlError, ValueRef};
    let row = stmt
        .query_row([fid], |r| {
            let name: Option<String> = r.get(0)?;
            let blob = match r.get_ref(1)? {
                ValueRef::Blob(b) => b.to_vec(),
                ValueRef::Null => return Ok(None),
                other => {
                    return Err(rusqlite::Error::FromSqlConversionFailure(
                        1,
                        other.data_type(),
                        Box::new(FromSqlError::InvalidType),
                    ));
                }
            };
            Ok(Some((name.unwrap_or_default(), blob)))
        })
        .optional()?;
    Ok(row.flatten())
}

/// Keeps the [`LARGE_MAX`] largest `(size, fid)`, largest first (ties by fid).
fn keep_largest(big: &mut Vec<(f64, i64)>) {
    keep_largest_n(big, LARGE_MAX);
}

/// Keeps the `n` largest (size, fid) pairs, largest first (ties by fid).
fn keep_largest_n(big: &mut Vec<(f64, i64)>, n: usize) {
    big.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
    big.truncate(n);
}

/// The layers (feature tables of reference layers) whose pyramid is missing or older than the
/// layer: built before pyramids existed, or changed by another program since.
pub fn stale_layers(conn: &Connection, tables: &[String]) -> Result<Vec<String>> {
    if !has_pyramid(conn)? {
        return Ok(tables.to_vec());
    }
    let mut stmt = conn.prepare(
        "SELECT (p.layer IS NULL) OR (p.source_change IS NOT c.last_change)
         FROM gpkg_contents c LEFT JOIN linli_pyramid_layers p ON p.layer = c.table_name
         WHERE c.table_name = ?1",
    )?;
    let mut out = Vec::new();
    for t in tables {
        let stale: Option<bool> = stmt.query_row([t], |r| r.get(0)).optional()?;
        if stale.unwrap_or(true) {
            out.push(t.clone());
        }
    }
    Ok(out)
}

/// Whether the workspace has the pyramid tables (a workspace from before them, opened read-only,
/// has not).
fn has_pyramid(conn: &Connection) -> Result<bool> {
    Ok(super::has_table(conn, "linli_pyramid_layers")?)
}

/// One feature's name and geometry by its row id; `None` when there is no such row or it has no
/// readable geometry.
fn feature_by_fid(conn: &Connection, table: &str, fid: i64) -> Result<Option<TileFeature>> {
    let mut stmt = conn.prepare_cached(&by_fid_sql(table)?)?;
    read_feature(&mut stmt, fid)
}

/// The query [`read_feature`] runs: a row's name and geometry by `fid`.
fn by_fid_sql(table: &str) -> Result<String> {
    Ok(format!(
        "SELECT name, {GEOM_COLUMN} FROM {} WHERE fid = ?1",
        q(table)?
    ))
}

/// Row `fid` through `stmt` (prepared from [`by_fid_sql`]); `None` when there is no such row
/// or its geometry is null or cannot be decoded. A geometry that is not a blob is an error.
fn read_feature(stmt: &mut rusqlite::Statement<'_>, fid: i64) -> Result<Option<TileFeature>> {
    Ok(read_row(stmt, fid)?.and_then(|(name, blob)| {
        decode_geometry(&blob).map(|geometry| TileFeature {
            fid,
            name,
            geometry,
        })
    }))
}

/// The geometry in Web Mercator metres, for [`simplified`].
fn to_mercator(g: &geo::Geometry<f64>) -> geo::Geometry<f64> {
    g.map_coords(|c| {
        let [x, y] = merc_from_lon_lat(c.x, c.y);
        geo::coord! { x: x, y: y }
    })
}

/// A geometry in Mercator metres ([`to_mercator`]) simplified to `tolerance_m` (Douglas–Peucker
/// in Mercator, so the error is the same on screen north and east), back in degrees.
fn simplified(merc: &geo::Geometry<f64>, tolerance_m: f64) -> geo::Geometry<f64> {
    let simple = match merc {
        geo::Geometry::Polygon(p) => geo::Geometry::Polygon(p.simplify(tolerance_m)),
        geo::Geometry::MultiPolygon(p) => geo::Geometry::MultiPolygon(p.simplify(tolerance_m)),
        geo::Geometry::LineString(l) => geo::Geometry::LineString(l.simplify(tolerance_m)),
        geo::Geometry::MultiLineString(l) => {
            geo::Geometry::MultiLineString(l.simplify(tolerance_m))
        }
        other => other.clone(),
    };
    simple.map_coords(|c| {
        let (x, y) = lon_lat_from_merc([c.x, c.y]);
        geo::coord! { x: x, y: y }
    })
}

/// Bytes of a density grid written whole: [`DENSITY_CELLS`]² counts, `u16` little-endian,
/// row by row.
const DENSITY_BYTES: usize = DENSITY_CELLS * DENSITY_CELLS * 2;

/// A tile's density grid as its row stores it: whole ([`DENSITY_BYTES`]) when most cells
/// hold a centre, else only the cells that do, as (`u16` cell index, `u16` count) pairs,
/// little-endian, by index — always shorter than the whole grid, so the length tells the two
/// apart. Most overview tiles have centres in a few cells (an OSM extract's: a fifth of the
/// bytes).
fn encode_density(counts: &[u16]) -> Vec<u8> {
    let filled = counts.iter().filter(|&&c| c > 0).count();
    if filled * 4 >= DENSITY_BYTES || counts.len() != DENSITY_CELLS * DENSITY_CELLS {
        return counts.iter().flat_map(|v| v.to_le_bytes()).collect();
    }
    let mut out = Vec::with_capacity(filled * 4);
    for (i, &c) in counts.iter().enumerate().filter(|(_, c)| **c > 0) {
        out.extend((i as u16).to_le_bytes());
        out.extend(c.to_le_bytes());
    }
    out
}

/// The grid [`encode_density`] wrote; empty when the blob is neither form (no density is
/// drawn, as for a tile without one).
fn decode_density(blob: &[u8]) -> Vec<u16> {
    let cells = DENSITY_CELLS * DENSITY_CELLS;
    if blob.len() == DENSITY_BYTES {
        return blob
            .chunks_exact(2)
            .map(|c| u16::from_le_bytes([c[0], c[1]]))
            .collect();
    }
    if blob.is_empty() || !blob.len().is_multiple_of(4) {
        return Vec::new();
    }
    let mut counts = vec![0u16; cells];
    for pair in blob.chunks_exact(4) {
        let i = usize::from(u16::from_le_bytes([pair[0], pair[1]]));
        let Some(cell) = counts.get_mut(i) else {
            return Vec::new();
        };
        *cell = u16::from_le_bytes([pair[2], pair[3]]);
    }
    counts
}

fn push_feature(blob: &mut Vec<u8>, fid: i64, name: &str, g: &geo::Geometry<f64>) -> Result<()> {
    let (gpb, _) = encode_geometry(g)?;
    blob.extend(fid.to_le_bytes());
    blob.extend((name.len() as u32).to_le_bytes());
    blob.extend(name.as_bytes());
    blob.extend((gpb.len() as u32).to_le_bytes());
    blob.extend(gpb);
    Ok(())
}

/// Reads back what [`push_feature`] wrote; `None` when the blob is damaged.
fn parse_features(blob: &[u8]) -> Option<Vec<TileFeature>> {
    fn take<'a>(rest: &mut &'a [u8], n: usize) -> Option<&'a [u8]> {
        if rest.len() < n {
            return None;
        }
        let (head, tail) = rest.split_at(n);
        *rest = tail;
        Some(head)
    }
    fn u32_at(rest: &mut &[u8]) -> Option<usize> {
        Some(u32::from_le_bytes(take(rest, 4)?.try_into().ok()?) as usize)
    }
    let mut rest = blob;
    let mut out = Vec::new();
    while !rest.is_empty() {
        let fid = i64::from_le_bytes(take(&mut rest, 8)?.try_into().ok()?);
        let n = u32_at(&mut rest)?;
        let name = String::from_utf8_lossy(take(&mut rest, n)?).into_owned();
        let n = u32_at(&mut rest)?;
        let geometry = decode_geometry(take(&mut rest, n)?)?;
        out.push(TileFeature {
            fid,
            name,
            geometry,
        });
    }
    Some(out)
}

/// A read-only connection for the map's tile loader: it runs on its own thread beside the
/// session's connection (WAL lets both read while the session writes) and never writes.
pub struct TileReader {
    conn: Connection,
    path: std::path::PathBuf,
}

impl std::fmt::Debug for TileReader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TileReader")
            .field("path", &self.path)
            .finish()
    }
}

impl TileReader {
    /// Opens the workspace at `path` read-only: through the writer's log while a writer has
    /// it open, else `immutable`, leaving no `-wal`/`-shm` beside a file nobody writes (a
    /// workspace the window opened read-only).
    pub fn open(path: &std::path::Path) -> Result<TileReader> {
        Self::open_uri(path, &super::read_only_uri(path)?)
    }

    /// Opens it through `uri`: beside a session, the session's [`super::Store::reader_uri`]
    /// (never a header check of a file this process has open).
    pub fn open_uri(path: &std::path::Path, uri: &str) -> Result<TileReader> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(uri, flags).map_err(|e| {
            Error::workspace(
                path,
                Problem::CannotOpen {
                    reason: e.to_string(),
                },
            )
        })?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.set_prepared_statement_cache_capacity(32);
        Ok(TileReader {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The zooms of a layer's pyramid; `None` when it has none (a workspace opened read-only
    /// before its pyramid was built: the layer is then read at [`FINEST_DETAIL_ZOOM`]).
    pub fn info(&self, table: &str) -> Result<Option<PyramidInfo>> {
        if !has_pyramid(&self.conn)? {
            return Ok(None);
        }
        Ok(self
            .conn
            .prepare_cached(
                "SELECT min_zoom, detail_zoom, features FROM linli_pyramid_layers WHERE layer = ?1",
            )?
            .query_row([table], |r| {
                Ok(PyramidInfo {
                    min_zoom: r.get::<_, i64>(0)?.clamp(0, i64::from(MAX_TILE_ZOOM)) as u8,
                    detail_zoom: r.get::<_, i64>(1)?.clamp(0, i64::from(MAX_TILE_ZOOM)) as u8,
                    features: r.get::<_, i64>(2)?.max(0) as u64,
                })
            })
            .optional()?)
    }

    /// An overview tile; an empty one when the pyramid has no row for it (no feature there).
    pub fn overview(&self, table: &str, tile: TileId) -> Result<OverviewTile> {
        type Row = (i64, Option<Vec<u8>>, Option<Vec<u8>>);
        let row: Option<Row> = self
            .conn
            .prepare_cached(
                "SELECT count, density, features FROM linli_pyramid WHERE layer = ?1 AND z = ?2 AND x = ?3 AND y = ?4",
            )?
            .query_row(params![table, tile.z, tile.x, tile.y], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })
            .optional()?;
        let Some((count, density, features)) = row else {
            return Ok(OverviewTile::default());
        };
        let density = decode_density(density.as_deref().unwrap_or_default());
        let features = parse_features(features.as_deref().unwrap_or_default())
            .ok_or_else(|| self.damaged(table))?;
        Ok(OverviewTile {
            count: count.max(0) as u64,
            density,
            features,
        })
    }

    /// The features whose centre lies in a detail tile, read through the layer's R-tree
    /// (oversized ones excepted: see [`TileReader::oversized`]).
    pub fn detail(&self, table: &str, tile: TileId, detail_zoom: u8) -> Result<Vec<TileFeature>> {
        let [min_lon, min_lat, max_lon, max_lat] = tile.bounds_lon_lat();
        let sql = format!(
            "SELECT t.fid, t.name, t.{GEOM_COLUMN}, r.minx, r.maxx, r.miny, r.maxy FROM {rtree} r
             JOIN {t} t ON t.fid = r.id
             WHERE r.maxx >= ?1 AND r.minx <= ?2 AND r.maxy >= ?3 AND r.miny <= ?4",
            rtree = q(&triggers::rtree_table_name(table, GEOM_COLUMN))?,
            t = q(table)?,
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![min_lon, max_lon, min_lat, max_lat])?;
        let too_big = oversized_above(detail_zoom);
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let (centre, size) = placement(r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?);
            if size > too_big || TileId::containing(tile.z, centre) != tile {
                continue;
            }
            let blob: Option<Vec<u8>> = r.get(2)?;
            let Some(geometry) = blob.as_deref().and_then(decode_geometry) else {
                continue;
            };
            out.push(TileFeature {
                fid: r.get(0)?,
                name: r.get::<_, Option<String>>(1)?.unwrap_or_default(),
                geometry,
            });
        }
        Ok(out)
    }

    /// The features wider than half a detail tile, whole: at most [`OVERSIZED_MAX`].
    pub fn oversized(&self, table: &str) -> Result<Vec<TileFeature>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .prepare_cached(
                "SELECT features FROM linli_pyramid WHERE layer = ?1 AND z = ?2 AND x = 0 AND y = 0",
            )?
            .query_row(params![table, OVERSIZED_Z], |r| r.get(0))
            .optional()?
            .flatten();
        let mut out = Vec::new();
        // A row written by another program may list any number: the budget holds here too.
        for fid in blob.unwrap_or_default().chunks_exact(8).take(OVERSIZED_MAX) {
            let fid = i64::from_le_bytes(fid.try_into().map_err(|_| self.damaged(table))?);
            if let Some(f) = self.feature(table, fid)? {
                out.push(f);
            }
        }
        Ok(out)
    }

    /// One feature by its row id.
    pub fn feature(&self, table: &str, fid: i64) -> Result<Option<TileFeature>> {
        feature_by_fid(&self.conn, table, fid)
    }

    fn damaged(&self, table: &str) -> Error {
        Error::workspace(
            &self.path,
            Problem::Damaged {
                detail: format!("linli_pyramid of {table}"),
            },
        )
    }
}

/// The map's loader reads through this (`render` names no store).
impl crate::analysis::tiles::TileSource for TileReader {
    fn info(&self, layer: &str) -> Result<Option<PyramidInfo>> {
        TileReader::info(self, layer)
    }
    fn overview(&self, layer: &str, tile: TileId) -> Result<OverviewTile> {
        TileReader::overview(self, layer, tile)
    }
    fn detail(&self, layer: &str, tile: TileId, detail_zoom: u8) -> Result<Vec<TileFeature>> {
        TileReader::detail(self, layer, tile, detail_zoom)
    }
    fn oversized(&self, layer: &str) -> Result<Vec<TileFeature>> {
        TileReader::oversized(self, layer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feature_blobs_round_trip_and_damage_is_refused() {
        let g = geo::Geometry::Point(geo::Point::new(121.5, 31.2));
        let mut blob = Vec::new();
        push_feature(&mut blob, 7, "公园", &g).unwrap();
        push_feature(&mut blob, 9, "", &g).unwrap();
        let back = parse_features(&blob).unwrap();
        assert_eq!(back.len(), 2);
        assert_eq!((back[0].fid, back[0].name.as_str()), (7, "公园"));
        assert_eq!(back[1].geometry, g);
        assert!(parse_features(&blob[..blob.len() - 3]).is_none());
    }

    #[test]
    fn density_grids_round_trip_sparse_or_whole_and_damage_reads_as_none() {
        let cells = DENSITY_CELLS * DENSITY_CELLS;
        let mut sparse = vec![0u16; cells];
        sparse[0] = 3;
        sparse[cells - 1] = u16::MAX;
        sparse[4242] = 1;
        let blob = encode_density(&sparse);
        assert_eq!(blob.len(), 12, "three cells, four bytes each");
        assert_eq!(decode_density(&blob), sparse);
        // Most cells filled: written whole, as before, and read as before.
        let full: Vec<u16> = (0..cells).map(|i| (i % 7) as u16).collect();
        let blob = encode_density(&full);
        assert_eq!(blob.len(), DENSITY_BYTES);
        assert_eq!(decode_density(&blob), full);
        // A grid written whole by an earlier version reads the same.
        let whole: Vec<u8> = sparse.iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(decode_density(&whole), sparse);
        // Neither form, or a cell past the grid: no density, never a panic.
        assert!(decode_density(&[1, 2, 3]).is_empty());
        assert!(decode_density(&[0xff, 0xff, 1, 0]).is_empty());
        assert!(decode_density(&[]).is_empty());
    }

    #[test]
    fn the_oversized_list_is_budgeted_when_written_and_when_read() {
        let mut pairs: Vec<(f64, i64)> = (0..3 * OVERSIZED_MAX as i64)
            .map(|i| (i as f64, i))
            .collect();
        keep_largest_n(&mut pairs, OVERSIZED_MAX);
        assert_eq!(pairs.len(), OVERSIZED_MAX);
        assert_eq!(pairs[0].1, 3 * OVERSIZED_MAX as i64 - 1);

        // A hostile oversized row naming 100,000 features: the reader takes the budget.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("w.gpkg");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 1196444487; -- 'GPKG': the reader opens GeoPackages only
             CREATE TABLE roads (fid INTEGER PRIMARY KEY, name TEXT, geom BLOB);
             CREATE TABLE linli_pyramid (layer TEXT, z INTEGER, x INTEGER, y INTEGER,
                 count INTEGER, density BLOB, features BLOB);",
        )
        .unwrap();
        let (blob, _) =
            encode_geometry(&geo::Geometry::Point(geo::Point::new(121.5, 31.2))).unwrap();
        conn.execute_batch("BEGIN").unwrap();
        let mut insert = conn
            .prepare("INSERT INTO roads VALUES (?1, 'x', ?2)")
            .unwrap();
        for fid in 1..=(OVERSIZED_MAX as i64 + 10) {
            insert.execute(params![fid, blob]).unwrap();
        }
        drop(insert);
        conn.execute_batch("COMMIT").unwrap();
        let fids: Vec<u8> = (0..100_000i64)
            .flat_map(|i| (1 + i % 5000).to_le_bytes())
            .collect();
        conn.execute(
            "INSERT INTO linli_pyramid VALUES ('roads', ?1, 0, 0, 100000, NULL, ?2)",
            params![OVERSIZED_Z, fids],
        )
        .unwrap();
        drop(conn);
        let reader = TileReader::open(&path).unwrap();
        let features = reader.oversized("roads").unwrap();
        assert_eq!(features.len(), OVERSIZED_MAX);
    }
}
