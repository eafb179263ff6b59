//! Reference, street and community layers: reading them and checking a new layer's name
//! (writing one is the `layer_write` module).

use geopackage_core::triggers;
use rusqlite::{Connection, OptionalExtension, params};

use super::geometry::decode_geometry;
use super::{
    GEOM_COLUMN, LayerInfo, PLAN_KINDS, Store, bbox_from, parse_properties, parse_uuid, plan_table,
    q,
};
use crate::error::{Error, Problem, Result};
use crate::model::catalog::{Catalog, ElementType};
use crate::model::{Feature, Layer, LayerRole};

impl Store {
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
                    Problem::CatalogEntryUnreadable {
                        key: key.clone(),
                        detail: e.to_string(),
                    },
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

    pub(super) fn count(&self, table: &str) -> Result<u64> {
        let n: i64 =
            self.conn
                .query_row(&format!("SELECT count(*) FROM {}", q(table)?), [], |r| {
                    r.get(0)
                })?;
        Ok(n.max(0) as u64)
    }

    /// Loads a reference, street or community layer whole; refused when a row cannot be read
    /// (a batch job must not work on part of a layer unknowingly).
    pub fn load_layer(&self, name: &str, role: LayerRole) -> Result<Layer> {
        let (layer, notes) = self.load_layer_rows(name, role)?;
        match notes.into_iter().next() {
            Some(problem) => Err(Error::workspace(&self.path, problem)),
            None => Ok(layer),
        }
    }

    /// Loads a reference, street or community layer's readable rows, and an
    /// [`Problem::UnreadablePlanRow`] note for each row another program left unreadable (an
    /// id that is not a UUID, a geometry that cannot be decoded): left out and untouched.
    pub fn load_layer_rows(&self, name: &str, role: LayerRole) -> Result<(Layer, Vec<Problem>)> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT uuid, name, properties, {GEOM_COLUMN}, fid FROM {} ORDER BY fid",
            q(name)?
        ))?;
        let mut rows = stmt.query([])?;
        let (mut features, mut notes) = (Vec::new(), Vec::new());
        while let Some(row) = rows.next()? {
            let fid: i64 = row.get(4)?;
            match layer_feature_of_row(row) {
                Ok(feature) => features.push(feature),
                Err(detail) => notes.push(super::unreadable_row(name, fid, detail)),
            }
        }
        let layer = Layer {
            name: name.to_string(),
            role,
            features,
            stored: None,
        };
        Ok((layer, notes))
    }
}

/// A layer's feature from a row of `uuid, name, properties, geom`, or why it cannot be read.
fn layer_feature_of_row(row: &rusqlite::Row<'_>) -> std::result::Result<Feature, String> {
    let blob: Option<Vec<u8>> = super::column(row, 3)?;
    let geometry = blob
        .as_deref()
        .and_then(decode_geometry)
        .ok_or_else(|| format!("{GEOM_COLUMN}: missing or unreadable geometry"))?;
    Ok(Feature {
        id: super::uuid_column(row, 0)?,
        name: super::text_column(row, 1)?,
        geometry,
        properties: parse_properties(super::column::<Option<String>>(row, 2)?.as_deref()),
    })
}

impl Store {
    /// The features of a layer whose R-tree boxes meet `area`, with their row ids, in row
    /// order; at most `limit`.
    pub fn features_in_box(
        &self,
        name: &str,
        area: crate::analysis::index::BoxLonLat,
        limit: usize,
    ) -> Result<Vec<(i64, Feature)>> {
        let sql = format!(
            "SELECT t.fid, t.uuid, t.name, t.properties, t.{GEOM_COLUMN} FROM {rtree} r
             JOIN {t} t ON t.fid = r.id
             WHERE r.maxx >= ?1 AND r.minx <= ?2 AND r.maxy >= ?3 AND r.miny <= ?4
             ORDER BY t.fid LIMIT ?5",
            rtree = q(&triggers::rtree_table_name(name, GEOM_COLUMN))?,
            t = q(name)?,
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query(params![
            area.min_lon,
            area.max_lon,
            area.min_lat,
            area.max_lat,
            limit.min(i64::MAX as usize) as i64
        ])?;
        let mut out = Vec::new();
        while let Some(row) = rows.next()? {
            if let Some(f) = self.feature_of_row(name, row, 1)? {
                out.push((row.get(0)?, f));
            }
        }
        Ok(out)
    }

    /// One feature of a layer by its row id.
    pub fn load_feature(&self, name: &str, fid: i64) -> Result<Option<Feature>> {
        let sql = format!(
            "SELECT fid, uuid, name, properties, {GEOM_COLUMN} FROM {} WHERE fid = ?1",
            q(name)?
        );
        let mut stmt = self.conn.prepare_cached(&sql)?;
        let mut rows = stmt.query([fid])?;
        match rows.next()? {
            Some(row) => self.feature_of_row(name, row, 1),
            None => Ok(None),
        }
    }

    /// A feature from `uuid, name, properties, geom` starting at column `at`; `None` for an
    /// empty geometry.
    fn feature_of_row(
        &self,
        layer: &str,
        row: &rusqlite::Row<'_>,
        at: usize,
    ) -> Result<Option<Feature>> {
        let uuid: String = row.get(at)?;
        let blob: Option<Vec<u8>> = row.get(at + 3)?;
        let Some(blob) = blob else { return Ok(None) };
        let Some(geometry) = decode_geometry(&blob) else {
            return Err(Error::workspace(
                &self.path,
                Problem::UnreadableGeometry {
                    layer: layer.to_string(),
                    feature: uuid,
                },
            ));
        };
        Ok(Some(Feature {
            id: parse_uuid(&uuid, &self.path)?,
            name: row.get::<_, Option<String>>(at + 1)?.unwrap_or_default(),
            geometry,
            properties: parse_properties(row.get::<_, Option<String>>(at + 2)?.as_deref()),
        }))
    }
}

/// Checks a new layer name: it becomes a table name that GDAL and QGIS show as it is.
pub fn validate_layer_name(conn: &Connection, name: &str) -> Result<()> {
    let lower = name.to_ascii_lowercase();
    if name.trim().is_empty() {
        return Err(Error::request(Problem::LayerNameEmpty));
    }
    if name.chars().count() > 100 || name.chars().any(|c| c.is_control() || c == '"') {
        return Err(Error::request(Problem::LayerNameInvalid {
            name: name.to_string(),
        }));
    }
    if ["gpkg_", "rtree_", "linli_", "sqlite_", "plan_"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return Err(Error::request(Problem::LayerNameReserved {
            name: name.to_string(),
        }));
    }
    let taken: i64 = conn.query_row(
        "SELECT count(*) FROM sqlite_master WHERE lower(name) = lower(?1) OR lower(name) = lower(?2)",
        params![name, triggers::rtree_table_name(name, GEOM_COLUMN)],
        |r| r.get(0),
    )?;
    if taken > 0 {
        return Err(Error::request(Problem::LayerNameTaken {
            name: name.to_string(),
        }));
    }
    Ok(())
}
