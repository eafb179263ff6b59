//! Reading a feature table of a GeoPackage someone else wrote, to import it: opened read-only
//! (the file is never changed, not even its journal mode), the table chosen by name or listed,
//! its CRS read from `gpkg_spatial_ref_sys`, its rows streamed, every column but the geometry
//! and the primary key kept as a property, the geometry decoded by [`super::gpb`] and repaired
//! as every reader's is ([`super::repair`]). A foreign file is a format like any other, so it is
//! read here in `io`, never through the workspace's `store`. The file is foreign SQLite, opened
//! as [`super::foreign`] says: only real tables are read (a `gpkg_contents` entry may name a
//! view whose recursive query never ends), and every read is watched so it can be stopped.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, types::ValueRef};
use serde_json::Value;

use super::foreign::{ReadWatch, open_foreign, read_error, require_format_table, require_table};
use crate::error::{Error, Problem, Result};
use crate::io::crs::{SourceCrs, Transform};
use crate::io::parsed::{FeatureSink, Gather, ParsedFile, Progress, ReadNote};
use crate::io::repair::{Fixes, repair_geometry};
use crate::model::Properties;

/// An SQL identifier quoted, whatever it holds (a foreign file's table may be named anything).
fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// The feature tables of the GeoPackage at `path`, sorted by name.
pub fn source_layers(path: &Path) -> Result<Vec<String>> {
    let watch = ReadWatch::default();
    let conn = open_foreign(path, &watch)?;
    feature_tables(&conn, path)
}

/// The GeoPackage tables a source is read through: each must be a real table.
const SPEC_TABLES: [&str; 3] = [
    "gpkg_contents",
    "gpkg_geometry_columns",
    "gpkg_spatial_ref_sys",
];

fn feature_tables(conn: &Connection, path: &Path) -> Result<Vec<String>> {
    for table in SPEC_TABLES {
        require_format_table(conn, path, table, Problem::NotGeoPackage)?;
    }
    let not_gpkg = |_| Error::input(path, None, Problem::NotGeoPackage);
    let mut stmt = conn
        .prepare(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' \
             ORDER BY table_name",
        )
        .map_err(not_gpkg)?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))
        .map_err(not_gpkg)?
        .collect::<rusqlite::Result<Vec<_>>>()
        .map_err(not_gpkg)?;
    Ok(names)
}

/// Reads feature table `layer` (or the only one, when `layer` is `None` and there is one)
/// of the GeoPackage at `path`. `crs` overrides the table's own.
pub fn read_source_layer(
    path: &Path,
    layer: Option<&str>,
    crs: Option<SourceCrs>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ParsedFile> {
    let mut features = Vec::new();
    let mut parsed = read_source_layer_into(path, layer, crs, progress, &mut features)?;
    parsed.features = features;
    Ok(parsed)
}

/// As [`read_source_layer`], handing each kept feature to `sink` as it is read; the result
/// holds the repairs and notes, no features.
pub fn read_source_layer_into(
    path: &Path,
    layer: Option<&str>,
    crs: Option<SourceCrs>,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
) -> Result<ParsedFile> {
    read_source_layer_watched(path, layer, crs, progress, sink, &ReadWatch::default())
}

/// As [`read_source_layer_into`], every read stopped by `watch` (a cancel, or no row for
/// its stall limit).
pub fn read_source_layer_watched(
    path: &Path,
    layer: Option<&str>,
    crs: Option<SourceCrs>,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
    watch: &ReadWatch,
) -> Result<ParsedFile> {
    let conn = open_foreign(path, watch)?;
    let sql = |e| read_error(path, watch, e);
    let layers = feature_tables(&conn, path)?;
    let table = match layer {
        Some(name) => layers
            .iter()
            .find(|l| l.as_str() == name)
            .cloned()
            .ok_or_else(|| {
                Error::input(
                    path,
                    None,
                    Problem::NoSuchSourceLayer {
                        name: name.to_string(),
                        layers: layers.clone(),
                    },
                )
            })?,
        None => match layers.as_slice() {
            [] => return Err(Error::input(path, None, Problem::NoFeatureTables)),
            [only] => only.clone(),
            _ => {
                return Err(Error::input(
                    path,
                    None,
                    Problem::SourceLayerNeeded { layers },
                ));
            }
        },
    };
    // A `gpkg_contents` entry may name a view (whose query may never end): tables only.
    require_table(&conn, path, &table)?;
    let (column, srs_id): (String, i64) = conn
        .query_row(
            "SELECT column_name, srs_id FROM gpkg_geometry_columns WHERE table_name = ?1",
            [&table],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()
        .map_err(sql)?
        .ok_or_else(|| Error::input(path, None, Problem::NotGeoPackage))?;
    let mut notes = Vec::new();
    let crs = match crs {
        Some(crs) => {
            if crs != SourceCrs::Wgs84 {
                notes.push(ReadNote::Reprojected {
                    from: crs,
                    declared: false,
                });
            }
            crs
        }
        None => {
            let crs = declared_crs(&conn, srs_id).map_err(|p| Error::input(path, None, p))?;
            if crs != SourceCrs::Wgs84 {
                notes.push(ReadNote::Reprojected {
                    from: crs,
                    declared: true,
                });
            }
            crs
        }
    };
    let transform = Transform::new(crs).map_err(|p| Error::input(path, None, p))?;

    // Every column but the geometry and the integer primary key, in table order.
    let mut columns: Vec<String> = Vec::new();
    {
        let mut stmt = conn
            .prepare(&format!("PRAGMA table_info({})", quote(&table)))
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, i64>(5)?,
                ))
            })
            .map_err(sql)?;
        for row in rows {
            let (name, kind, pk) = row.map_err(sql)?;
            let integer_key = pk > 0 && kind.eq_ignore_ascii_case("INTEGER");
            if name != column && !integer_key {
                columns.push(name);
            }
        }
    }
    watch.tick();
    let total: i64 = conn
        .query_row(
            &format!("SELECT count(*) FROM {}", quote(&table)),
            [],
            |r| r.get(0),
        )
        .map_err(sql)?;
    let total = total.max(0) as u64;
    let select = std::iter::once(quote(&column))
        .chain(columns.iter().map(|c| quote(c)))
        .collect::<Vec<_>>()
        .join(", ");
    let mut stmt = conn
        .prepare(&format!(
            "SELECT {select} FROM {} ORDER BY rowid",
            quote(&table)
        ))
        .map_err(sql)?;
    watch.tick();
    let mut rows = stmt.query([]).map_err(sql)?;
    let mut gather = Gather::new(path, sink);
    let mut index = 0usize;
    while let Some(row) = rows.next().map_err(sql)? {
        if index.is_multiple_of(256) {
            watch.tick();
        }
        let mut properties = Properties::new();
        for (i, name) in columns.iter().enumerate() {
            properties.insert(name.clone(), json_value(row.get_ref(i + 1).map_err(sql)?));
        }
        let blob = match row.get_ref(0).map_err(sql)? {
            ValueRef::Blob(b) => Some(b),
            _ => None,
        };
        let mut fixes = Fixes::default();
        let outcome = match blob.map(super::gpb::decode_geometry) {
            // A row without geometry (GeoPackage allows it) has nothing to import.
            None => Ok(None),
            Some(None) => Err(Problem::UnreadableGeometry {
                layer: table.clone(),
                feature: format!("#{index}"),
            }),
            Some(Some(g)) => {
                repair_geometry(g, &transform, &mut fixes).map_err(|problem| Problem::Geometry {
                    kind: "GeoPackage".into(),
                    part: None,
                    problem,
                })
            }
        };
        gather.add(index, outcome, fixes, properties)?;
        index += 1;
        if index.is_multiple_of(1024) {
            progress(Progress::Parsing {
                done: index as u64,
                total,
            });
        }
    }
    progress(Progress::Parsing { done: total, total });
    gather.finish(path, Some(table), notes)
}

/// The CRS of `srs_id` in `gpkg_spatial_ref_sys`: its EPSG code, else its WKT definition.
fn declared_crs(conn: &Connection, srs_id: i64) -> Result<SourceCrs, Problem> {
    // 0 is "undefined geographic", -1 "undefined Cartesian": read as lon/lat, checked as such.
    if srs_id == 0 || srs_id == -1 {
        return Ok(SourceCrs::Wgs84);
    }
    let row: Option<(String, i64, String)> = conn
        .query_row(
            "SELECT organization, organization_coordsys_id, definition \
             FROM gpkg_spatial_ref_sys WHERE srs_id = ?1",
            [srs_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()
        .map_err(|e| Problem::Database {
            detail: e.to_string(),
        })?;
    let Some((organization, code, definition)) = row else {
        return Err(Problem::ForeignCrs {
            declared: format!("srs_id {srs_id}"),
        });
    };
    if organization.eq_ignore_ascii_case("EPSG") {
        if let Some(crs) = u32::try_from(code).ok().and_then(SourceCrs::from_epsg) {
            return Ok(crs);
        }
        return Err(Problem::ForeignCrs {
            declared: format!("EPSG:{code}"),
        });
    }
    crate::io::crs::from_wkt(&definition)
}

/// A column value as a JSON property.
fn json_value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::from(i),
        ValueRef::Real(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        ValueRef::Text(t) => Value::String(String::from_utf8_lossy(t).into_owned()),
        // A blob property has no JSON form; say how big it was rather than drop it silently.
        ValueRef::Blob(b) => Value::String(format!("<{} bytes>", b.len())),
    }
}
