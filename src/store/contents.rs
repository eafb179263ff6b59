//! Registering our attributes tables in `gpkg_contents`.

use rusqlite::{Connection, params};

use crate::error::Result;

/// Registers attributes tables in `gpkg_contents`: `(table, identifier, description)` each.
/// Every table of ours is one (with an integer key), so GDAL and QGIS list and open each of
/// them cleanly instead of offering broken sublayers.
pub(super) fn register_attributes(conn: &Connection, tables: &[(&str, &str, &str)]) -> Result<()> {
    let mut insert = conn.prepare(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description) VALUES (?1, 'attributes', ?2, ?3)",
    )?;
    for (table, identifier, description) in tables {
        insert.execute(params![table, identifier, description])?;
    }
    Ok(())
}
