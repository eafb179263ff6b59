//! Writing an imported layer: its schema gathered feature by feature ([`LayerSchema`], a first
//! pass over the file or over a layer in memory), then its rows written one by one through
//! prepared statements ([`LayerWriter`]) inside the caller's transaction. Each row's R-tree box
//! is kept as it is written, and after the rows the R-tree is packed from those boxes in one go
//! (`rtree_bulk`, as GDAL's GeoPackage driver does), the extent and the pyramid computed from
//! them, and the triggers made. Nothing holds the layer whole: a big reference layer streams
//! from the file to the table, and only its boxes (24 bytes a row) stay in memory.

use std::collections::HashSet;

use rustc_hash::{FxHashMap, FxHashSet};

use geopackage_core::triggers;
use rusqlite::{Connection, Statement, params};

use super::extent::set_extent;
use super::geometry::{encode_geometry, geometry_slot, promote_to_multi, type_of_slots};
use super::layers::validate_layer_name;
use super::rtree_bulk::{self, BoxEntry, rtree_box};
use super::schema::{
    create_feature_table, refresh_extent, write_rtree_triggers, write_uuid_triggers,
};
use super::{GEOM_COLUMN, q};
use crate::error::Result;
use crate::io::geojson_in::Progress;
use crate::io::parsed::RowValues;
use crate::model::{Feature, Layer, LayerRole, Properties};

/// What a layer's table needs to know before its first row: its geometry types and its
/// properties' keys and kinds, gathered feature by feature.
#[derive(Debug, Clone, Default)]
pub struct LayerSchema {
    pub(super) seen: [bool; 7],
    keys: Vec<(String, Option<AttributeKind>)>,
    /// Per key (as `keys`), how many features had been taken in before its first.
    first_seen: Vec<u64>,
    index: FxHashMap<String, usize>,
    nested: FxHashSet<String>,
    features: u64,
}

impl LayerSchema {
    /// Takes in one feature's geometry and properties; whether that changed what the
    /// schema knew (a geometry family, a key, a key's kind, a key now nested) — when it did
    /// not, the feature fits every table made for the schema before it.
    pub fn add(&mut self, geometry: &geo::Geometry<f64>, properties: &Properties) -> bool {
        let before = self.features;
        self.features += 1;
        let slot = geometry_slot(geometry);
        let mut changed = !self.seen[slot];
        self.seen[slot] = true;
        for (key, value) in properties {
            if matches!(
                value,
                serde_json::Value::Array(_) | serde_json::Value::Object(_)
            ) && !self.nested.contains(key.as_str())
            {
                self.nested.insert(key.clone());
                changed = true;
            }
            let kind = AttributeKind::of(value);
            match self.index.get(key.as_str()) {
                Some(&i) => {
                    let slot = &mut self.keys[i].1;
                    let widened = match (*slot, kind) {
                        (Some(a), Some(b)) => Some(a.widen(b)),
                        (a, b) => a.or(b),
                    };
                    changed |= widened != *slot;
                    *slot = widened;
                }
                None => {
                    self.index.insert(key.clone(), self.keys.len());
                    self.keys.push((key.clone(), kind));
                    self.first_seen.push(before);
                    changed = true;
                }
            }
        }
        changed
    }

    /// Whether `key` was first seen before the last feature taken in.
    pub(super) fn seen_before_last(&self, key: &str) -> bool {
        self.index
            .get(key)
            .and_then(|&i| self.first_seen.get(i))
            .is_some_and(|&first| first + 1 < self.features)
    }

    /// Features taken in.
    pub fn features(&self) -> u64 {
        self.features
    }

    /// This schema with every property seen only as `null` so far taken as text: the table a
    /// streamed import creates before it has seen every feature (an all-`null` property
    /// keeps a text column).
    pub fn provisional(&self) -> Self {
        let mut out = self.clone();
        for (_, kind) in &mut out.keys {
            kind.get_or_insert(AttributeKind::Text);
        }
        out
    }

    /// The schema of the features of a layer in memory.
    pub fn of(features: &[Feature]) -> Self {
        let mut schema = Self::default();
        for f in features {
            schema.add(&f.geometry, &f.properties);
        }
        schema
    }

    /// The properties worth a column: those whose values are all scalars (nested ones stay in
    /// the JSON), in first-seen order, named as the key unless it would clash
    /// (case-insensitively, as SQLite compares names) with our own columns or an earlier key.
    /// A property called `name` is what the `name` column already shows, so it gets no second
    /// column. The `properties` JSON stays the source of truth; the columns are a copy for
    /// other GIS.
    pub(super) fn columns(&self) -> Vec<AttributeColumn> {
        let mut taken: HashSet<String> = ["fid", GEOM_COLUMN, "uuid", "name", "properties"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let mut out = Vec::new();
        for (key, kind) in &self.keys {
            let Some(kind) = *kind else { continue };
            if self.nested.contains(key.as_str())
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
            out.push(AttributeColumn {
                key: key.clone(),
                column,
                kind,
            });
        }
        out
    }
}

/// Writes a new layer's rows one by one, in the caller's transaction; [`LayerWriter::finish`]
/// completes it (R-tree, triggers, extent, pyramid, the layer list).
pub struct LayerWriter<'c> {
    pub(super) conn: &'c Connection,
    pub(super) name: String,
    role: LayerRole,
    /// The table's geometry type (`gpkg_geometry_columns`) and whether single geometries are
    /// written promoted to multi.
    pub(super) geometry_type: &'static str,
    pub(super) promote: bool,
    pub(super) attributes: Vec<AttributeColumn>,
    /// Each attribute column's index in `attributes`, by its property key.
    column_of: FxHashMap<String, usize>,
    /// The attribute columns the insert statement holds a value for (from the last row); the
    /// others hold NULL. Emptied whenever the statement is prepared again.
    bound: Vec<usize>,
    bound_scratch: Vec<usize>,
    /// Per attribute column, whether a row holds a value in it (not `NULL`).
    pub(super) filled: Vec<bool>,
    /// The rows whose single geometry was written promoted to multi, while the table is
    /// MULTI*: should it become GEOMETRY, they go back to what the file held.
    pub(super) promoted: Vec<i64>,
    pub(super) insert: Statement<'c>,
    pub(super) written: u64,
    /// Each written row's R-tree box, for [`rtree_bulk::bulk_load`]; `None` past
    /// [`BULK_RTREE_MAX`] rows (the R-tree is then filled row by row).
    boxes: Option<Vec<BoxEntry>>,
}

/// Most rows whose boxes a writer holds for a bulk-loaded R-tree: 24 bytes each, 24 MB in all,
/// and for a reference layer's pyramid another 32 bytes a row while it is placed (a peak of
/// 56 MB at this size; 43 MB for the whole import of 400,000 polygons). A bigger layer's
/// R-tree is filled by SQLite row by row and its pyramid read from it, as before.
const BULK_RTREE_MAX: usize = 1_000_000;

impl<'c> LayerWriter<'c> {
    /// Creates the table of layer `name` (checked as a new layer name) for features of
    /// `schema`.
    pub fn create(
        conn: &'c Connection,
        name: &str,
        role: LayerRole,
        schema: &LayerSchema,
    ) -> Result<Self> {
        validate_layer_name(conn, name)?;
        let (geometry_type, promote) = type_of_slots(schema.seen);
        let attributes = schema.columns();
        create_feature_table(conn, name, geometry_type, name, &column_sql(&attributes)?)?;
        let insert = conn.prepare(&insert_sql(name, &attributes)?)?;
        Ok(Self {
            conn,
            name: name.to_string(),
            role,
            geometry_type,
            promote,
            filled: vec![false; attributes.len()],
            column_of: column_index(&attributes),
            bound: Vec::new(),
            bound_scratch: Vec::new(),
            attributes,
            promoted: Vec::new(),
            insert,
            written: 0,
            boxes: Some(Vec::new()),
        })
    }

    /// Makes `attributes` the table's columns after a widening: the lookup by key and the
    /// insert statement (every column NULL in it) follow them.
    pub(super) fn use_columns(&mut self, attributes: Vec<AttributeColumn>) -> Result<()> {
        self.insert = self.conn.prepare(&insert_sql(&self.name, &attributes)?)?;
        self.bound.clear();
        self.column_of = column_index(&attributes);
        self.attributes = attributes;
        Ok(())
    }

    /// Features written so far.
    pub fn written(&self) -> u64 {
        self.written
    }

    /// Removes every row written so far (the reader starts the file again).
    pub fn clear(&mut self) -> Result<()> {
        self.conn
            .execute(&format!("DELETE FROM {}", q(&self.name)?), [])?;
        self.written = 0;
        self.boxes = Some(Vec::new());
        self.filled.fill(false);
        self.promoted.clear();
        Ok(())
    }

    /// Writes one feature's row.
    pub fn insert(&mut self, feature: &Feature) -> Result<()> {
        let row = RowValues::of(&feature.geometry, &feature.properties)?;
        self.insert_encoded(feature, &row)
    }

    /// Writes one feature's row, its geometry and properties already encoded as `row` (a
    /// streamed import's reading thread does it: see [`RowValues`]). A single geometry this
    /// table promotes to multi is encoded again here.
    pub fn insert_encoded(&mut self, feature: &Feature, row: &RowValues) -> Result<()> {
        let promoted = if self.promote {
            promote_to_multi(&feature.geometry)
        } else {
            None
        };
        let single = promoted.is_some() && matches!(geometry_slot(&feature.geometry), 0 | 2 | 4);
        let encoded;
        let (blob, envelope) = match &promoted {
            None => (row.geometry.as_slice(), row.envelope),
            Some(promoted) => {
                encoded = encode_geometry(promoted)?;
                (encoded.0.as_slice(), encoded.1)
            }
        };
        let mut uuid = uuid::Uuid::encode_buffer();
        let uuid = feature.id.hyphenated().encode_lower(&mut uuid);
        let stmt = &mut self.insert;
        stmt.raw_bind_parameter(1, blob)?;
        stmt.raw_bind_parameter(2, &*uuid)?;
        if feature.name.is_empty() {
            stmt.raw_bind_parameter(3, rusqlite::types::Null)?;
        } else {
            stmt.raw_bind_parameter(3, feature.name.as_str())?;
        }
        match &row.properties {
            Some(text) => stmt.raw_bind_parameter(4, text.as_str())?,
            None => stmt.raw_bind_parameter(4, rusqlite::types::Null)?,
        }
        // The feature's own properties in their columns (a feature has a few of the layer's
        // keys, so looking up each of its keys beats looking up every column), then the
        // columns the last row set and this one does not back to NULL: a statement keeps its
        // bindings from one row to the next, and every other column is NULL already.
        let mut bound = std::mem::take(&mut self.bound_scratch);
        bound.clear();
        for (key, value) in &feature.properties {
            let Some(&i) = self.column_of.get(key.as_str()) else {
                continue;
            };
            if AttributeKind::of(value).is_some() {
                self.filled[i] = true;
            }
            self.attributes[i].kind.bind(stmt, i + 5, Some(value))?;
            bound.push(i);
        }
        for &i in &self.bound {
            if !bound.contains(&i) {
                stmt.raw_bind_parameter(i + 5, rusqlite::types::Null)?;
            }
        }
        self.bound_scratch = std::mem::replace(&mut self.bound, bound);
        stmt.raw_execute()?;
        self.written += 1;
        if single {
            self.promoted.push(self.conn.last_insert_rowid());
        }
        if let Some(boxes) = &mut self.boxes {
            if boxes.len() >= BULK_RTREE_MAX {
                self.boxes = None;
            } else if let Some(envelope) = envelope {
                boxes.push(BoxEntry {
                    fid: self.conn.last_insert_rowid(),
                    bounds: rtree_box(envelope),
                });
            }
        }
        Ok(())
    }

    /// Completes the layer: its R-tree from the rows, the R-tree triggers, the extent, the
    /// pyramid (reference layers are drawn from the file) and its place in the layer list,
    /// `source` naming the file it came from.
    pub fn finish(self, source: &str) -> Result<()> {
        let Self {
            conn,
            name,
            role,
            mut boxes,
            ..
        } = self;
        let rtree = triggers::rtree_table_name(&name, GEOM_COLUMN);
        let loaded = match boxes.as_mut() {
            Some(boxes) => rtree_bulk::bulk_load(conn, &rtree, boxes)?,
            None => false,
        };
        if !loaded {
            boxes = None;
            conn.execute(
                &format!(
                    "INSERT INTO {} SELECT fid, ST_MinX({GEOM_COLUMN}), ST_MaxX({GEOM_COLUMN}), \
                     ST_MinY({GEOM_COLUMN}), ST_MaxY({GEOM_COLUMN}) FROM {} \
                     WHERE {GEOM_COLUMN} NOT NULL AND NOT ST_IsEmpty({GEOM_COLUMN})",
                    q(&rtree)?,
                    q(&name)?
                ),
                [],
            )?;
        }
        write_rtree_triggers(conn, &name)?;
        write_uuid_triggers(conn, &name)?;
        match &boxes {
            // The R-tree's extent, as `refresh_extent` would read it back.
            Some(boxes) => set_extent(conn, &name, rtree_bulk::extent(boxes))?,
            None => refresh_extent(conn, &name)?,
        }
        if role == LayerRole::Reference {
            match boxes {
                Some(boxes) => super::pyramid::build_from_boxes(conn, &name, boxes)?,
                None => super::pyramid::build(conn, &name)?,
            };
        }
        let order: i64 = conn.query_row(
            "SELECT coalesce(max(sort_order), 0) + 1 FROM linli_layers",
            [],
            |r| r.get(0),
        )?;
        conn.execute(
            "INSERT INTO linli_layers (name, role, source, sort_order) VALUES (?1, ?2, ?3, ?4)",
            params![name, role.key(), source, order],
        )?;
        Ok(())
    }
}

/// Each column's index in `attributes`, by its property key.
fn column_index(attributes: &[AttributeColumn]) -> FxHashMap<String, usize> {
    attributes
        .iter()
        .enumerate()
        .map(|(i, a)| (a.key.clone(), i))
        .collect()
}

/// The columns of a feature table after `fid` and the geometry, for `attributes`. The uuid
/// fills itself when another program adds a row without one (QGIS's form leaves it empty), as
/// the plan tables' does: nullable, kept filled by triggers made after the rows.
pub(super) fn column_sql(attributes: &[AttributeColumn]) -> Result<String> {
    let mut columns = String::from("uuid TEXT UNIQUE, name TEXT, properties TEXT");
    for a in attributes {
        columns.push_str(&format!(", {} {}", q(&a.column)?, a.kind.sql_type()));
    }
    Ok(columns)
}

/// The statement inserting one row of table `name` with `attributes`.
fn insert_sql(name: &str, attributes: &[AttributeColumn]) -> Result<String> {
    let mut names = String::new();
    let mut placeholders = String::new();
    for (i, a) in attributes.iter().enumerate() {
        names.push_str(&format!(", {}", q(&a.column)?));
        placeholders.push_str(&format!(", ?{}", i + 5));
    }
    Ok(format!(
        "INSERT INTO {} ({GEOM_COLUMN}, uuid, name, properties{names}) VALUES (?1, ?2, ?3, ?4{placeholders})",
        q(name)?
    ))
}

/// Writes a new reference, street or community layer held in memory, all in the caller's
/// transaction.
pub fn write_layer(
    conn: &Connection,
    layer: &Layer,
    source: &str,
    progress: &mut dyn FnMut(Progress),
) -> Result<()> {
    let schema = LayerSchema::of(&layer.features);
    let mut writer = LayerWriter::create(conn, &layer.name, layer.role, &schema)?;
    let total = layer.features.len() as u64;
    for (i, feature) in layer.features.iter().enumerate() {
        writer.insert(feature)?;
        if i % 1024 == 1023 {
            progress(Progress::Writing {
                done: i as u64 + 1,
                total,
            });
        }
    }
    progress(Progress::Writing { done: total, total });
    writer.finish(source)
}

/// The SQL type of an attribute column, from the values a property takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum AttributeKind {
    Boolean,
    Integer,
    Real,
    Text,
}

impl AttributeKind {
    pub(super) fn of(value: &serde_json::Value) -> Option<Self> {
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

    pub(super) fn sql_type(self) -> &'static str {
        match self {
            Self::Boolean => "BOOLEAN",
            Self::Integer => "INTEGER",
            Self::Real => "REAL",
            Self::Text => "TEXT",
        }
    }

    #[cfg(test)]
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

    /// Binds `value` as this kind to parameter `at` of `stmt` (what [`Self::value`] gives,
    /// without copying text).
    pub(super) fn bind(
        self,
        stmt: &mut Statement<'_>,
        at: usize,
        value: Option<&serde_json::Value>,
    ) -> rusqlite::Result<()> {
        use rusqlite::types::Null;
        use serde_json::Value as V;
        match (self, value) {
            (_, None | Some(V::Null | V::Array(_) | V::Object(_))) => {
                stmt.raw_bind_parameter(at, Null)
            }
            (Self::Boolean, Some(V::Bool(b))) => stmt.raw_bind_parameter(at, i64::from(*b)),
            (Self::Integer, Some(V::Number(n))) => stmt.raw_bind_parameter(at, n.as_i64()),
            (Self::Real, Some(V::Number(n))) => stmt.raw_bind_parameter(at, n.as_f64()),
            (_, Some(V::String(t))) => stmt.raw_bind_parameter(at, t.as_str()),
            (_, Some(other)) => stmt.raw_bind_parameter(at, other.to_string()),
        }
    }
}

/// A property shown as its own column, so QGIS users see attributes rather than one JSON string.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct AttributeColumn {
    pub(super) key: String,
    pub(super) column: String,
    pub(super) kind: AttributeKind,
}

/// Most columns a layer gets; further properties stay in the `properties` JSON only.
const MAX_ATTRIBUTE_COLUMNS: usize = 200;

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
        let columns = LayerSchema::of(&features).columns();
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
