//! A reference layer streamed from the file to its table: the sink a reader hands each
//! feature to during `Session::import_file` (see `import_reference`).

use std::collections::HashSet;

use serde_json::Value;
use uuid::Uuid;

use crate::error::Result;
use crate::io::geojson_in::{FeatureSink, ParsedFeature};
use crate::model::{Feature, LayerRole, Properties};
use crate::store;

/// Features a streamed import reads before it makes the layer's table from their schema.
const GUESS_FEATURES: usize = 1000;

/// A streamed import's sink: the first features held until the table is made from their
/// schema, then each feature named, given its id and written; the schema of every feature
/// gathered all along, to see whether they all fit the table.
pub(super) struct StreamSink<'c, 'r> {
    conn: &'c rusqlite::Connection,
    name: &'r str,
    name_field: Option<&'r str>,
    schema: store::LayerSchema,
    /// The schema the table was made for, and its writer, once made.
    table: Option<(store::LayerSchema, store::LayerWriter<'c>)>,
    held: Vec<ParsedFeature>,
    /// The ids taken from the file so far: a repeat gets a new one.
    file_ids: HashSet<Uuid>,
}

impl<'c, 'r> StreamSink<'c, 'r> {
    pub(super) fn new(
        conn: &'c rusqlite::Connection,
        name: &'r str,
        name_field: Option<&'r str>,
    ) -> Self {
        Self {
            conn,
            name,
            name_field,
            schema: store::LayerSchema::default(),
            table: None,
            held: Vec::new(),
            file_ids: HashSet::new(),
        }
    }

    /// Makes the table for `schema` and writes the features held.
    pub(super) fn open(&mut self, schema: &store::LayerSchema) -> Result<()> {
        let writer =
            store::LayerWriter::create(self.conn, self.name, LayerRole::Reference, schema)?;
        self.table = Some((schema.clone(), writer));
        for f in std::mem::take(&mut self.held) {
            self.write(f)?;
        }
        Ok(())
    }

    fn write(&mut self, f: ParsedFeature) -> Result<()> {
        let Some((_, writer)) = self.table.as_mut() else {
            self.held.push(f);
            return Ok(());
        };
        let id = match f
            .id
            .as_ref()
            .and_then(Value::as_str)
            .and_then(|s| Uuid::parse_str(s).ok())
        {
            Some(id) if self.file_ids.insert(id) => id,
            _ => Uuid::new_v4(),
        };
        writer.insert(&Feature {
            id,
            name: feature_name(&f.properties, self.name_field),
            geometry: f.geometry,
            properties: f.properties,
        })
    }

    /// The features written when they all fit the table (which is then finished, `source`
    /// naming the file); else the schema of them all.
    pub(super) fn finish(
        mut self,
        source: &str,
    ) -> Result<std::result::Result<u64, store::LayerSchema>> {
        if self.table.is_none() {
            let schema = self.schema.provisional();
            self.open(&schema)?;
        }
        match self.table {
            Some((table, writer)) if self.schema.fits(&table) => {
                let written = writer.written();
                writer.finish(source)?;
                Ok(Ok(written))
            }
            _ => Ok(Err(self.schema)),
        }
    }
}

impl FeatureSink for StreamSink<'_, '_> {
    fn feature(&mut self, f: ParsedFeature) -> Result<()> {
        self.schema.add(&f.geometry, &f.properties);
        self.write(f)?;
        if self.table.is_none() && self.held.len() >= GUESS_FEATURES {
            let schema = self.schema.provisional();
            self.open(&schema)?;
        }
        Ok(())
    }

    /// A GeoJSON whose `crs` comes after its features is read again from the top: what was
    /// held or written so far goes.
    fn restart(&mut self) -> Result<()> {
        self.held.clear();
        self.file_ids.clear();
        self.schema = store::LayerSchema::default();
        match self.table.as_mut() {
            Some((_, writer)) => writer.clear(),
            None => Ok(()),
        }
    }
}

/// A feature's name: the `name_field` property, else the first of the usual name keys.
pub(super) fn feature_name(properties: &Properties, name_field: Option<&str>) -> String {
    let keys: &[&str] = match name_field {
        Some(field) => &[field][..],
        None => &["name", "名称", "NAME", "Name"][..],
    };
    keys.iter()
        .find_map(|k| match properties.get(*k) {
            Some(Value::String(s)) if !s.trim().is_empty() => Some(s.trim().to_string()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
        .unwrap_or_default()
}
