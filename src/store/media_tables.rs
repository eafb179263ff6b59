//! Schema 5 → 6: project attachments as GeoPackage Related Tables media (OGC 18-000), and
//! meetings' pinned comments and votes with the map view shown.
//!
//! - `linli_media` is a media table (`id INTEGER PRIMARY KEY AUTOINCREMENT`, `data BLOB NOT
//!   NULL`, `content_type TEXT NOT NULL`, then our columns: the attachment's UUID, file name,
//!   caption, kind and day added); `linli_projects_media` maps `linli_projects.id` (base) to
//!   `linli_media.id` (related), with an integer key of its own (the media row's: one link per
//!   attachment) because GeoPackage wants one in every registered attributes table and the
//!   extension allows more columns than `base_id` and `related_id`. Both are registered attributes tables, the relation is a row
//!   of `gpkgext_relations` (`relation_name` `media`), and `gpkg_extensions` names the extension
//!   (`related_tables`) for `gpkgext_relations` and the mapping table, so GDAL (3.6 on) lists
//!   the relationship and QGIS shows the photos in the project's form.
//! - `linli_meeting_notes` is a point feature table (geometry nullable: a comment need not be
//!   pinned), so QGIS draws the pins as an ordinary layer. Each row is one comment or vote
//!   of a meeting, keyed like the project's lists: `meeting row << 20 | position`.
//! - `linli_meetings` gains the bookmark of the view shown: centre (`view_lon`, `view_lat`,
//!   WGS84) and `view_zoom` (Web Mercator zoom).
//!
//! A new workspace runs this same step after the schema-4 tables, so both end identical. The
//! notes' feature table and the coded fields are made by `schema::notes_table_and_codes`
//! (the feature-table and enum-constraint helpers live there); the migration step calls both.

use rusqlite::{Transaction, params};

use super::{MEETINGS_TABLE, PROJECTS_TABLE};
use crate::error::Result;

/// The media table holding attachments' bytes.
pub const MEDIA_TABLE: &str = "linli_media";
/// The mapping table from projects to their media.
pub const PROJECT_MEDIA_TABLE: &str = "linli_projects_media";
/// Meetings' comments and votes, pinned or not (a point feature table).
pub const NOTES_TABLE: &str = "linli_meeting_notes";
/// The Related Tables extension's name in `gpkg_extensions`.
pub const RELATED_TABLES_EXTENSION: &str = "related_tables";
/// Its definition (the OGC standard).
const RELATED_TABLES_DEFINITION: &str = "http://docs.opengeospatial.org/is/18-000/18-000.html";

/// Attachments as Related Tables media and the meeting's view bookmark.
pub(super) fn attachments_and_bookmarks(tx: &Transaction<'_>) -> Result<()> {
    for column in ["view_lon", "view_lat", "view_zoom"] {
        tx.execute_batch(&format!(
            "ALTER TABLE {MEETINGS_TABLE} ADD COLUMN {column} REAL;"
        ))?;
    }
    tx.execute_batch(&format!(
        "CREATE TABLE {MEDIA_TABLE} (id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
             data BLOB NOT NULL, content_type TEXT NOT NULL, uuid TEXT NOT NULL UNIQUE,
             file_name TEXT NOT NULL, caption TEXT, kind TEXT NOT NULL, added TEXT NOT NULL);
         CREATE TABLE {PROJECT_MEDIA_TABLE} (id INTEGER PRIMARY KEY NOT NULL,
             base_id INTEGER NOT NULL, related_id INTEGER NOT NULL, UNIQUE (base_id, related_id));
         CREATE INDEX {PROJECT_MEDIA_TABLE}_related ON {PROJECT_MEDIA_TABLE} (related_id);
         CREATE TABLE IF NOT EXISTS gpkgext_relations (id INTEGER PRIMARY KEY AUTOINCREMENT,
             base_table_name TEXT NOT NULL, base_primary_column TEXT NOT NULL DEFAULT 'id',
             related_table_name TEXT NOT NULL, related_primary_column TEXT NOT NULL DEFAULT 'id',
             relation_name TEXT NOT NULL, mapping_table_name TEXT NOT NULL UNIQUE);"
    ))?;
    super::contents::register_attributes(
        tx,
        &[
            (
                MEDIA_TABLE,
                "项目附件 project attachments",
                "Linli: attachments of projects (photos before and after, drawings, documents)",
            ),
            (
                PROJECT_MEDIA_TABLE,
                "项目附件关联 project attachment links",
                "Linli: which project each attachment belongs to (Related Tables mapping)",
            ),
        ],
    )?;
    tx.execute(
        "INSERT INTO gpkgext_relations (base_table_name, base_primary_column, related_table_name,
             related_primary_column, relation_name, mapping_table_name)
         VALUES (?1, 'id', ?2, 'id', 'media', ?3)",
        params![PROJECTS_TABLE, MEDIA_TABLE, PROJECT_MEDIA_TABLE],
    )?;
    for table in ["gpkgext_relations", PROJECT_MEDIA_TABLE] {
        tx.execute(
            "INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, definition, scope)
             VALUES (?1, NULL, ?2, ?3, 'read-write')",
            params![table, RELATED_TABLES_EXTENSION, RELATED_TABLES_DEFINITION],
        )?;
    }
    Ok(())
}
