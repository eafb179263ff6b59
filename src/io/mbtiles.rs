//! Reading an MBTiles raster file (what QGIS's "Generate XYZ tiles (MBTiles)" writes): a
//! foreign SQLite file, so opened as [`super::foreign`] opens one — read-only, `tiles` and
//! `metadata` only when they are real tables, every read watched. MBTiles numbers rows
//! bottom-up (TMS), so a slippy-map row `y` is stored as `2^z − 1 − y`. Decoding the images is
//! the window's business.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension};

use super::foreign::{ReadWatch, open_foreign, read_error, require_format_table};
use crate::error::{Error, Problem, Result};

/// Deepest zoom an MBTiles file is read at (tile numbers then fit `u32`).
pub const MAX_ZOOM: u8 = 30;

/// What the MBTiles file says about itself.
#[derive(Debug, Clone, PartialEq)]
pub struct MbTilesMeta {
    /// `name` metadata.
    pub name: String,
    /// `format`: png or jpg.
    pub format: String,
    /// Lowest zoom with tiles.
    pub min_zoom: u8,
    /// Highest zoom with tiles.
    pub max_zoom: u8,
}

/// An open MBTiles file.
pub struct MbTiles {
    conn: Connection,
    path: PathBuf,
    watch: ReadWatch,
    /// Its metadata.
    pub meta: MbTilesMeta,
}

impl std::fmt::Debug for MbTiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MbTiles").field("meta", &self.meta).finish()
    }
}

impl MbTiles {
    /// Opens a file read-only and reads its metadata.
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_watched(path, ReadWatch::default())
    }

    /// As [`MbTiles::open`], every read stopped by `watch`.
    pub fn open_watched(path: &Path, watch: ReadWatch) -> Result<Self> {
        if !path.is_file() {
            return Err(Error::cannot_open(path, "no such file"));
        }
        let conn = open_foreign(path, &watch)?;
        let sql = |e| read_error(path, &watch, e);
        for table in ["tiles", "metadata"] {
            require_format_table(&conn, path, table, Problem::NotMbTiles)?;
        }
        let meta_value = |key: &str| -> Option<String> {
            conn.query_row("SELECT value FROM metadata WHERE name = ?1", [key], |r| {
                r.get::<_, String>(0)
            })
            .optional()
            .ok()
            .flatten()
        };
        watch.tick();
        let zoom_range: (Option<i64>, Option<i64>) = conn
            .query_row(
                "SELECT min(zoom_level), max(zoom_level) FROM tiles",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .map_err(sql)?;
        let (Some(lo), Some(hi)) = zoom_range else {
            return Err(Error::input(path, None, Problem::NoTiles));
        };
        watch.tick();
        let meta = MbTilesMeta {
            name: meta_value("name").unwrap_or_default(),
            format: meta_value("format").unwrap_or_else(|| "png".into()),
            min_zoom: lo.clamp(0, i64::from(MAX_ZOOM)) as u8,
            max_zoom: hi.clamp(0, i64::from(MAX_ZOOM)) as u8,
        };
        Ok(Self {
            conn,
            path: path.to_path_buf(),
            watch,
            meta,
        })
    }

    /// The encoded tile at slippy-map (XYZ) coordinates, `None` where the file has none (or
    /// where the coordinates are outside zoom `z`'s grid).
    pub fn tile(&self, z: u8, x: u32, y: u32) -> Result<Option<Vec<u8>>> {
        if z > MAX_ZOOM {
            return Ok(None);
        }
        let Some(tms_row) = (1u64 << z).checked_sub(1 + u64::from(y)) else {
            return Ok(None);
        };
        self.watch.tick();
        self.conn
            .query_row(
                "SELECT tile_data FROM tiles WHERE zoom_level = ?1 AND tile_column = ?2 AND tile_row = ?3",
                rusqlite::params![z, x, tms_row as i64],
                |r| r.get::<_, Option<Vec<u8>>>(0),
            )
            .optional()
            .map(Option::flatten)
            .map_err(|e| read_error(&self.path, &self.watch, e))
    }
}

/// Writes an MBTiles file at `path` (for tests and the fuzzer's seed; the application never
/// writes one): `metadata` as name/value pairs, `tiles` as `(zoom, column, row, data)` with the
/// row as the file stores it (TMS, counted from the south).
#[doc(hidden)]
pub fn write_file(
    path: &Path,
    metadata: &[(&str, &str)],
    tiles: &[(u8, u32, u32, &[u8])],
) -> Result<()> {
    let mut conn = Connection::open(path)?;
    let tx = conn.transaction()?;
    tx.execute_batch(
        "CREATE TABLE metadata (name TEXT, value TEXT);
         CREATE TABLE tiles (zoom_level INTEGER, tile_column INTEGER, tile_row INTEGER, tile_data BLOB);
         CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);",
    )?;
    for (name, value) in metadata {
        tx.execute("INSERT INTO metadata VALUES (?1, ?2)", [name, value])?;
    }
    for (z, x, y, data) in tiles {
        tx.execute(
            "INSERT INTO tiles VALUES (?1, ?2, ?3, ?4)",
            rusqlite::params![z, x, y, data],
        )?;
    }
    tx.commit()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tiles_view_is_refused_quickly_and_rows_outside_the_grid_are_none() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("view.mbtiles");
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE metadata (name TEXT, value TEXT);
             CREATE VIEW tiles AS WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c)
             SELECT 1 AS zoom_level, x AS tile_column, x AS tile_row, x'00' AS tile_data FROM c;",
        )
        .unwrap();
        drop(conn);
        let started = std::time::Instant::now();
        let e = MbTiles::open(&path).unwrap_err();
        assert!(started.elapsed().as_secs() < 5);
        assert_eq!(
            e.problem(),
            Some(&Problem::NotATable {
                name: "tiles".into()
            })
        );

        let path = dir.path().join("ok.mbtiles");
        write_file(&path, &[], &[(1, 0, 1, &[1])]).unwrap();
        let tiles = MbTiles::open(&path).unwrap();
        assert_eq!(tiles.tile(1, 0, 0).unwrap(), Some(vec![1]));
        // y beyond the grid: none, not an overflow.
        assert_eq!(tiles.tile(1, 0, 7).unwrap(), None);
        assert_eq!(tiles.tile(200, 0, 0).unwrap(), None);
    }
}
