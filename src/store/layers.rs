//! Reference, street and community layers: reading them, writing an imported layer, and the
//! typed attribute columns that let QGIS users see properties as columns.

use geopackage_core::triggers;
use rusqlite::{Connection, OptionalExtension, params};

use super::geometry::{decode_geometry, encode_geometry, layer_geometry_type, promote_to_multi};
use super::schema::{create_feature_table, finish_feature_table};
use super::{
    GEOM_COLUMN, LayerInfo, PLAN_KINDS, Store, bbox_from, parse_properties, parse_uuid, plan_table,
    properties_json, q,
};
use crate::error::{Error, Problem, Result};
use crate::io::geojson_in::Progress;
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
                    Problem::UnreadableGeometry {
                        layer: name.to_string(),
                        feature: uuid,
                    },
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
            stored: None,
        })
    }
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
    if layer.role == LayerRole::Reference {
        // Reference layers are drawn from the file: their pyramid is part of the import.
        super::pyramid::build(conn, &layer.name)?;
    }
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

#[cfg(test)]
mod attribute_tests {
    use super::*;
    use uuid::Uuid;

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
