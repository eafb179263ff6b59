//! A new layer streamed from a file to its table inside the caller's transaction, read once.
//!
//! The table is made from the first [`GUESS_FEATURES`] features' schema; a later feature that
//! does not fit it (a property first seen late, a number after text, lines after points)
//! widens the table in place before its row is written, so that after the last feature the
//! table is exactly the one a pass over every feature's schema would have made: the same
//! columns in the same order with the same names and types, the same geometry type, the same
//! values. A new column is an `ALTER TABLE ADD COLUMN`; a changed column type or geometry type
//! rewrites the table's `CREATE TABLE` in `sqlite_master` (SQLite's documented
//! `writable_schema` procedure: the rows' format is unchanged) after converting the values the
//! rows hold to the new type, and a geometry type that now promotes (or no longer promotes)
//! single geometries to multi rewrites the rows concerned. Only rows written before a
//! widening are ever touched again, and most files widen a handful of times at most.

use rusqlite::{Connection, params};
use serde_json::value::RawValue;

use super::geometry::{decode_geometry, encode_geometry, promote_to_multi, type_of_slots};
use super::layer_write::{AttributeColumn, AttributeKind, LayerSchema, LayerWriter, column_sql};
use super::schema::feature_table_sql;
use super::{GEOM_COLUMN, q};
use crate::error::{Error, Problem, Result};
use crate::io::parsed::RowValues;
use crate::model::{Feature, LayerRole};

/// Features a stream holds before it makes the layer's table from their schema: enough that
/// most files never widen it.
const GUESS_FEATURES: usize = 1000;

/// Written features a stream keeps for its caller to free, at most.
const WRITTEN_KEPT_AT_MOST: usize = 4096;

/// Rows read back at a time when a widening rewrites rows already written.
const REWRITE_BATCH: i64 = 4096;

/// A new layer's table written feature by feature as a file is read, in the caller's
/// transaction; see the module documentation. [`LayerStream::finish`] completes it (R-tree,
/// triggers, extent, pyramid, the layer list).
pub struct LayerStream<'c> {
    conn: &'c Connection,
    name: String,
    role: LayerRole,
    /// The schema of every feature taken in so far.
    schema: LayerSchema,
    /// The features taken in before the table is made, with their row values.
    held: Vec<(Feature, RowValues)>,
    writer: Option<LayerWriter<'c>>,
    written: Vec<(Feature, RowValues)>,
}

impl<'c> LayerStream<'c> {
    /// Starts layer `name`'s stream in `conn`'s open transaction.
    pub fn new(conn: &'c Connection, name: &str, role: LayerRole) -> Result<Self> {
        // What a restart of the reader takes back.
        conn.execute_batch("SAVEPOINT linli_layer_stream")?;
        Ok(Self {
            conn,
            name: name.to_string(),
            role,
            schema: LayerSchema::default(),
            held: Vec::new(),
            writer: None,
            written: Vec::new(),
        })
    }

    /// Takes in the next feature: held while the table is not made yet, else written, the
    /// table widened first when the feature does not fit it.
    pub fn push(&mut self, feature: Feature) -> Result<()> {
        let row = RowValues::of(&feature.geometry, &feature.properties)?;
        self.push_encoded(feature, row)
    }

    /// [`LayerStream::push`] with the feature's row values already encoded (see
    /// [`RowValues`]).
    pub fn push_encoded(&mut self, feature: Feature, row: RowValues) -> Result<()> {
        let changed = self.schema.add(&feature.geometry, &feature.properties);
        match self.writer.as_mut() {
            None => {
                self.held.push((feature, row));
                if self.held.len() >= GUESS_FEATURES {
                    self.open()?;
                }
            }
            Some(writer) => {
                if changed {
                    writer.widen(&self.schema)?;
                }
                writer.insert_encoded(&feature, &row)?;
                self.keep_written(feature, row);
            }
        }
        Ok(())
    }

    /// The features written since the last call, for the caller to free where it likes.
    pub fn take_written(&mut self) -> Vec<(Feature, RowValues)> {
        std::mem::take(&mut self.written)
    }

    /// Forgets every feature taken in (the reader starts the file again): the table goes too.
    pub fn restart(&mut self) -> Result<()> {
        self.writer = None;
        self.held.clear();
        self.written.clear();
        self.schema = LayerSchema::default();
        self.conn.execute_batch("ROLLBACK TO linli_layer_stream")?;
        Ok(())
    }

    /// Completes the layer, `source` naming the file it came from; the features written.
    pub fn finish(mut self, source: &str) -> Result<u64> {
        if self.writer.is_none() {
            self.open()?;
        }
        let Some(writer) = self.writer.take() else {
            return Ok(0);
        };
        let written = writer.written;
        writer.finish(source)?;
        self.conn.execute_batch("RELEASE linli_layer_stream")?;
        Ok(written)
    }

    /// Makes the table for the features held and writes them.
    fn open(&mut self) -> Result<()> {
        let mut writer =
            LayerWriter::create(self.conn, &self.name, self.role, &self.schema.provisional())?;
        for (f, row) in std::mem::take(&mut self.held) {
            writer.insert_encoded(&f, &row)?;
            self.keep_written(f, row);
        }
        self.writer = Some(writer);
        Ok(())
    }

    fn keep_written(&mut self, feature: Feature, row: RowValues) {
        if self.written.len() >= WRITTEN_KEPT_AT_MOST {
            // Nobody asked for them: freed here, memory stays bounded.
            self.written.clear();
        }
        self.written.push((feature, row));
    }
}

/// How a widened column's values written so far change.
enum Convert {
    /// Integers become reals (`CAST`, what binding them to a REAL column does).
    ToReal,
    /// Values become what binding the file's value to a column of the new kind gives, read
    /// from the row's `properties`; `all` rows, or only those holding a number.
    FromProperties { all: bool },
}

impl LayerWriter<'_> {
    /// Makes the table the one `schema` (every feature taken in, the next one included)
    /// makes, converting what the rows written so far hold; see the module documentation.
    pub(super) fn widen(&mut self, schema: &LayerSchema) -> Result<()> {
        let (geometry_type, promote) = type_of_slots(schema.seen);
        let target = schema.provisional().columns();
        if geometry_type == self.geometry_type && target == self.attributes {
            return Ok(());
        }
        let conn = self.conn;
        let table = q(&self.name)?;
        if geometry_type != self.geometry_type {
            if promote && !self.promote {
                // Every row so far holds a single geometry of the family.
                self.promoted = self.rewrite_geometries(None, promote_to_multi)?;
            } else if !promote && self.promote {
                let rows = std::mem::take(&mut self.promoted);
                self.rewrite_geometries(Some(&rows), unpromote)?;
            }
            conn.execute(
                "UPDATE gpkg_geometry_columns SET geometry_type_name = ?1 WHERE table_name = ?2",
                params![geometry_type, self.name],
            )?;
            self.geometry_type = geometry_type;
            self.promote = promote;
        }
        // A column whose key is now nested goes (SQLite rewrites the rows).
        let mut kept = Vec::with_capacity(self.attributes.len());
        let mut filled = Vec::with_capacity(self.attributes.len());
        for (a, f) in std::mem::take(&mut self.attributes)
            .into_iter()
            .zip(std::mem::take(&mut self.filled))
        {
            if target.iter().any(|t| t.key == a.key) {
                kept.push(a);
                filled.push(f);
            } else {
                conn.execute_batch(&format!(
                    "ALTER TABLE {table} DROP COLUMN {}",
                    q(&a.column)?
                ))?;
            }
        }
        // Keys keep their first-seen order, so the columns kept are the target's first ones.
        if kept.len() > target.len() || kept.iter().zip(&target).any(|(a, t)| a.key != t.key) {
            return Err(Error::request(Problem::CannotRead {
                reason: format!("the columns of layer {} could not be widened", self.name),
            }));
        }
        let mut work = Vec::new();
        for (i, t) in target.iter().enumerate() {
            match (kept.get(i), filled.get(i)) {
                (Some(a), Some(true)) if a.kind != t.kind => work.push((
                    i,
                    if t.kind == AttributeKind::Real {
                        Convert::ToReal
                    } else {
                        Convert::FromProperties { all: false }
                    },
                )),
                (Some(_), _) => {}
                // A key seen before but kept out (the column limit) has values to fill in.
                (None, _) if self.written > 0 && schema.seen_before_last(&t.key) => {
                    work.push((i, Convert::FromProperties { all: true }));
                }
                (None, _) => {}
            }
        }
        let sql = feature_table_sql(&self.name, geometry_type, &column_sql(&target)?)?;
        set_table_sql(conn, &self.name, &sql)?;
        filled.resize(target.len(), false);
        self.use_columns(target)?;
        self.filled = filled;
        for (i, how) in work {
            let column = q(&self.attributes[i].column)?;
            match how {
                Convert::ToReal => {
                    conn.execute(
                        &format!(
                            "UPDATE {table} SET {column} = CAST({column} AS REAL) \
                             WHERE typeof({column}) = 'integer'"
                        ),
                        [],
                    )?;
                }
                Convert::FromProperties { all } => {
                    if self.fill_from_properties(&self.attributes[i], all)? {
                        self.filled[i] = true;
                    }
                }
            }
        }
        Ok(())
    }

    /// Rewrites the geometry of the rows `only` names (every row when `None`) through `change`;
    /// the rows changed. Boxes and envelopes stay: a multi geometry of one member has its
    /// member's.
    fn rewrite_geometries(
        &self,
        only: Option<&[i64]>,
        change: fn(&geo::Geometry<f64>) -> Option<geo::Geometry<f64>>,
    ) -> Result<Vec<i64>> {
        let table = q(&self.name)?;
        let mut read = self.conn.prepare(&format!(
            "SELECT fid, {GEOM_COLUMN} FROM {table} WHERE fid > ?1 AND {GEOM_COLUMN} NOT NULL \
             ORDER BY fid LIMIT ?2"
        ))?;
        let mut one = self.conn.prepare(&format!(
            "SELECT fid, {GEOM_COLUMN} FROM {table} WHERE fid = ?1 AND {GEOM_COLUMN} NOT NULL"
        ))?;
        let mut write = self.conn.prepare(&format!(
            "UPDATE {table} SET {GEOM_COLUMN} = ?1 WHERE fid = ?2"
        ))?;
        let mut changed = Vec::new();
        let mut after = i64::MIN;
        let mut next = 0;
        loop {
            let rows: Vec<(i64, Vec<u8>)> = match only {
                None => read
                    .query_map(params![after, REWRITE_BATCH], |r| {
                        Ok((r.get(0)?, r.get(1)?))
                    })?
                    .collect::<rusqlite::Result<_>>()?,
                Some(fids) if next < fids.len() => {
                    let end = (next + REWRITE_BATCH as usize).min(fids.len());
                    let mut rows = Vec::with_capacity(end - next);
                    for fid in &fids[next..end] {
                        rows.extend(
                            one.query_map([fid], |r| Ok((r.get(0)?, r.get(1)?)))?
                                .collect::<rusqlite::Result<Vec<_>>>()?,
                        );
                    }
                    next = end;
                    rows
                }
                Some(_) => break,
            };
            if rows.is_empty() && only.is_none() {
                break;
            }
            for (fid, blob) in rows {
                after = fid;
                let Some(new) = decode_geometry(&blob).as_ref().and_then(change) else {
                    continue;
                };
                let (blob, _) = encode_geometry(&new)?;
                write.execute(params![blob, fid])?;
                changed.push(fid);
            }
        }
        Ok(changed)
    }

    /// Sets column `a` of the rows written so far from each row's `properties` (the file's
    /// values as written), as binding them to a column of its kind does; `all` rows, or only
    /// those holding a number (a column widened to text). Whether any value was set.
    fn fill_from_properties(&self, a: &AttributeColumn, all: bool) -> Result<bool> {
        let table = q(&self.name)?;
        let column = q(&a.column)?;
        let filter = if all {
            "properties NOT NULL".to_string()
        } else {
            format!("typeof({column}) IN ('integer', 'real')")
        };
        let mut read = self.conn.prepare(&format!(
            "SELECT fid, properties FROM {table} WHERE fid > ?1 AND {filter} ORDER BY fid LIMIT ?2"
        ))?;
        let mut write = self
            .conn
            .prepare(&format!("UPDATE {table} SET {column} = ?1 WHERE fid = ?2"))?;
        let mut after = i64::MIN;
        let mut any = false;
        loop {
            let rows: Vec<(i64, String)> = read
                .query_map(params![after, REWRITE_BATCH], |r| {
                    Ok((r.get(0)?, r.get(1)?))
                })?
                .collect::<rusqlite::Result<_>>()?;
            if rows.is_empty() {
                break;
            }
            for (fid, text) in rows {
                after = fid;
                let properties: std::collections::HashMap<String, &RawValue> =
                    serde_json::from_str(&text)
                        .map_err(|e| super::cannot_serialise("properties", &e))?;
                let Some(raw) = properties.get(&a.key) else {
                    continue;
                };
                let raw = raw.get();
                if a.kind == AttributeKind::Text
                    && !raw.starts_with(['"', '[', '{'])
                    && raw != "null"
                {
                    // A number or a boolean as text: the file's own spelling, which is what
                    // binding it gives (`Value::to_string`), never a re-formatted float.
                    write.execute(params![raw, fid])?;
                    any = true;
                    continue;
                }
                let value: serde_json::Value = serde_json::from_str(raw)
                    .map_err(|e| super::cannot_serialise("properties", &e))?;
                any |= AttributeKind::of(&value).is_some();
                a.kind.bind(&mut write, 1, Some(&value))?;
                write.raw_bind_parameter(2, fid)?;
                write.raw_execute()?;
            }
        }
        Ok(any)
    }
}

/// A multi geometry of one member as that member (what the file held before it was promoted).
fn unpromote(geometry: &geo::Geometry<f64>) -> Option<geo::Geometry<f64>> {
    use geo::Geometry as G;
    match geometry {
        G::MultiPoint(m) if m.0.len() == 1 => m.0.first().map(|p| G::Point(*p)),
        G::MultiLineString(m) if m.0.len() == 1 => m.0.first().cloned().map(G::LineString),
        G::MultiPolygon(m) if m.0.len() == 1 => m.0.first().cloned().map(G::Polygon),
        _ => None,
    }
}

/// Replaces table `name`'s `CREATE TABLE` in `sqlite_master` by `sql`, which must describe
/// the rows as they are stored (the same columns in the same places; only names, declared
/// types and the geometry type differ): SQLite's documented procedure for schema changes
/// `ALTER TABLE` cannot make, with the schema version bumped so every statement is prepared
/// again.
fn set_table_sql(conn: &Connection, name: &str, sql: &str) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA schema_version", [], |r| r.get(0))?;
    conn.execute_batch("PRAGMA writable_schema = ON")?;
    let updated = conn
        .execute(
            "UPDATE sqlite_master SET sql = ?1 WHERE type = 'table' AND name = ?2",
            params![sql, name],
        )
        .and_then(|_| conn.execute_batch(&format!("PRAGMA schema_version = {}", version + 1)));
    conn.execute_batch("PRAGMA writable_schema = OFF")?;
    updated?;
    Ok(())
}
