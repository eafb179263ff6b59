//! The seeds of each target: the shared bad-input corpus, and small valid inputs made here —
//! GeoJSON, two shapefile sets, a source GeoPackage, geometry blobs, an MBTiles file and a
//! workspace — with the schema of each SQLite seed, so rows can be mutated.

use std::path::{Path, PathBuf};

use super::mutate::{Rng, Table, mutate_bytes, mutate_json, mutate_rows, quote_ident};
use super::{Input, Target};
use crate::error::{Error, Problem, Result};
use crate::io::sqlite_fixtures;

/// A set of files by name (a shapefile's `.shp`, `.shx`, `.dbf` and `.prj`).
pub type FileSet = Vec<(String, Vec<u8>)>;

/// A SQLite seed: its bytes and its tables.
#[derive(Debug, Clone)]
pub struct SqliteSeed {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Its tables, for row mutations.
    pub tables: Vec<Table>,
}

/// Every target's seeds.
#[derive(Debug, Clone)]
pub struct Seeds {
    /// GeoJSON texts (the corpus and generated ones).
    pub geojson: Vec<Vec<u8>>,
    /// How many of `geojson` are generated (valid) ones, at its start.
    pub generated: usize,
    /// Shapefile sets: file names (`in.shp` first) and bytes.
    pub shapefiles: Vec<FileSet>,
    /// A GeoPackage to import from.
    pub gpkg: SqliteSeed,
    /// GeoPackage geometry blobs.
    pub geometry: Vec<Vec<u8>>,
    /// An MBTiles file.
    pub mbtiles: SqliteSeed,
    /// A workspace.
    pub workspace: SqliteSeed,
}

/// Runs `sql` on the SQLite file at `path`, each statement on its own; failures are ignored
/// (a mutation that does not apply is simply not made).
pub fn apply_sql(path: &Path, sql: &[String]) {
    sqlite_fixtures::run_each(path, sql);
}

/// Statements that make a GeoPackage or MBTiles file hostile: a table replaced by a view
/// that never ends, the spec tables changed.
fn hostile_sql(rng: &mut Rng, table: &str) -> Vec<String> {
    let t = quote_ident(table);
    let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT x";
    let options = [
        format!("ALTER TABLE {t} RENAME TO fuzz_old; CREATE VIEW {t} AS {endless} AS fid FROM c"),
        format!(
            "DROP TABLE gpkg_contents; CREATE VIEW gpkg_contents AS {endless} AS table_name, 'features' AS data_type FROM c"
        ),
        "UPDATE gpkg_geometry_columns SET column_name = 'nope'".to_string(),
        "UPDATE gpkg_geometry_columns SET srs_id = 99999".to_string(),
        "UPDATE gpkg_spatial_ref_sys SET organization = 'EPSG', organization_coordsys_id = -5"
            .to_string(),
        "UPDATE gpkg_contents SET table_name = 'missing'".to_string(),
        format!(
            "DROP TABLE tiles; CREATE VIEW tiles AS {endless} AS zoom_level, x AS tile_column, x AS tile_row, x'00' AS tile_data FROM c"
        ),
        "UPDATE tiles SET zoom_level = 200".to_string(),
        "UPDATE tiles SET tile_row = -1".to_string(),
        "UPDATE metadata SET value = NULL".to_string(),
    ];
    vec![options[rng.below(options.len())].clone()]
}

impl Seeds {
    /// Makes the seeds in `dir` (emptied first), reading the corpus when it is there.
    pub fn make(dir: &Path, corpus: Option<&Path>) -> Result<Self> {
        let _ = std::fs::remove_dir_all(dir);
        std::fs::create_dir_all(dir).map_err(|e| Error::cannot_read(dir, e))?;
        let mut geojson = generated_geojson();
        let generated = geojson.len();
        if let Some(corpus) = corpus {
            let mut files = Vec::new();
            walk(corpus, &mut files);
            files.sort();
            for f in files {
                if let Ok(bytes) = std::fs::read(&f)
                    && bytes.len() <= 256 * 1024
                {
                    geojson.push(bytes);
                }
            }
        }
        let workspace = workspace_seed(dir)?;
        let mut geometry = geometry_seeds()?;
        for table in &workspace.tables {
            for column in table.columns.iter().filter(|c| c.blob && c.name == "geom") {
                geometry.extend(column.samples.iter().cloned());
            }
        }
        Ok(Self {
            geojson,
            generated,
            shapefiles: shapefile_seeds(dir)?,
            gpkg: gpkg_seed(dir)?,
            geometry,
            mbtiles: mbtiles_seed(dir)?,
            workspace,
        })
    }

    /// A mutated input for `target`.
    pub fn mutated(&self, target: Target, rng: &mut Rng) -> Input {
        match target {
            Target::GeoJson => {
                // Half the time a valid generated file, so mutations reach deep in the reader.
                let pool = if rng.one_in(2) {
                    &self.geojson[..self.generated]
                } else {
                    &self.geojson[..]
                };
                let mut data = rng.pick(pool).cloned().unwrap_or_default();
                let other = rng.pick(&self.geojson).cloned().unwrap_or_default();
                if !rng.one_in(16) {
                    mutate_json(rng, &mut data, &other);
                }
                Input::file("in.geojson", data)
            }
            Target::Shapefile => {
                let mut files = rng.pick(&self.shapefiles).cloned().unwrap_or_default();
                let n = files.len();
                let which = 1 + rng.below(2);
                for _ in 0..which {
                    let i = rng.below(n);
                    if let Some((_, bytes)) = files.get_mut(i) {
                        mutate_bytes(rng, bytes, &[]);
                    }
                }
                Input {
                    files,
                    sql: Vec::new(),
                }
            }
            Target::SourceGpkg => sqlite_input(rng, &self.gpkg, "source.gpkg", "roads"),
            Target::Geometry => {
                let mut data = rng.pick(&self.geometry).cloned().unwrap_or_default();
                mutate_bytes(rng, &mut data, &[]);
                Input::file("blob.gpb", data)
            }
            Target::MbTiles => sqlite_input(rng, &self.mbtiles, "tiles.mbtiles", "tiles"),
            Target::Workspace => {
                let mut input = Input::file("ws.gpkg", self.workspace.bytes.clone());
                if rng.one_in(16) {
                    // A damaged page now and then; mostly rows, which a reader must survive.
                    mutate_bytes(rng, &mut input.files[0].1, &[]);
                } else {
                    input.sql = mutate_rows(rng, &self.workspace.tables);
                }
                input
            }
        }
    }
}

/// A SQLite input: the seed's bytes mutated (rarely), its rows mutated, or a hostile schema.
fn sqlite_input(rng: &mut Rng, seed: &SqliteSeed, name: &str, table: &str) -> Input {
    let mut input = Input::file(name, seed.bytes.clone());
    match rng.below(8) {
        0 => mutate_bytes(rng, &mut input.files[0].1, &[]),
        1 => input.sql = hostile_sql(rng, table),
        _ => input.sql = mutate_rows(rng, &seed.tables),
    }
    input
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        let path = e.path();
        if path.is_dir() {
            walk(&path, out);
        } else {
            out.push(path);
        }
    }
}

fn generated_geojson() -> Vec<Vec<u8>> {
    let collection = crate::sample::synthetic::mixed_feature_collection(4);
    let late_crs = r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"甲"},"geometry":{"type":"Point","coordinates":[121.5,31.2]}}],"crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::4490"}}}"#;
    let array = r#"[{"type":"Feature","properties":{"adcode":310115},"geometry":{"type":"Polygon","coordinates":[[[121.5,31.2],[121.6,31.2],[121.6,31.3],[121.5,31.2]]]}}]"#;
    let feature = r#"{"type":"Feature","id":7,"properties":null,"geometry":{"type":"MultiPolygon","coordinates":[[[[121.5,31.2],[121.6,31.2],[121.6,31.3],[121.5,31.2]],[[121.52,31.21],[121.55,31.21],[121.55,31.25],[121.52,31.21]]]]}}"#;
    let collection_geometry = r#"{"type":"GeometryCollection","geometries":[{"type":"Point","coordinates":[121.5,31.2]},{"type":"LineString","coordinates":[[121.5,31.2],[121.6,31.3]]}]}"#;
    let projected = r#"{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"EPSG:4549"}},"features":[{"type":"Feature","properties":{},"geometry":{"type":"Point","coordinates":[642875.8,3458520.1]}}]}"#;
    vec![
        collection.into_bytes(),
        late_crs.as_bytes().to_vec(),
        array.as_bytes().to_vec(),
        feature.as_bytes().to_vec(),
        collection_geometry.as_bytes().to_vec(),
        projected.as_bytes().to_vec(),
    ]
}

/// The GK projection ArcGIS writes for CGCS2000 CM 120E.
const GK_PRJ: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

fn shapefile_seeds(dir: &Path) -> Result<Vec<FileSet>> {
    use shapefile::dbase::{self, FieldValue};
    let cannot = |e: &dyn std::fmt::Display| {
        Error::request(Problem::CannotCreate {
            reason: e.to_string(),
        })
    };
    let mut sets = Vec::new();
    for (set, projected) in [("gk", true), ("wgs", false)] {
        let shp = dir.join(format!("{set}.shp"));
        let name = dbase::FieldName::try_from("NAME").map_err(|e| cannot(&format!("{e:?}")))?;
        let code = dbase::FieldName::try_from("CODE").map_err(|e| cannot(&format!("{e:?}")))?;
        let table = dbase::TableWriterBuilder::new()
            .set_encoding(dbase::encoding::EncodingRs::from(if projected {
                encoding_rs::GBK
            } else {
                encoding_rs::UTF_8
            }))
            .add_character_field(name, 40)
            .add_numeric_field(code, 10, 0);
        let mut writer = shapefile::Writer::from_path(&shp, table).map_err(|e| cannot(&e))?;
        let (x0, y0, step) = if projected {
            (642_875.8, 3_458_520.1, 300.0)
        } else {
            (121.49, 31.23, 0.003)
        };
        for i in 0..3 {
            let x = x0 + step * i as f64;
            let ring = vec![
                shapefile::Point::new(x, y0),
                shapefile::Point::new(x, y0 + step / 2.0),
                shapefile::Point::new(x + step / 2.0, y0 + step / 2.0),
                shapefile::Point::new(x + step / 2.0, y0),
                shapefile::Point::new(x, y0),
            ];
            let polygon = shapefile::Polygon::new(shapefile::PolygonRing::Outer(ring));
            let mut record = dbase::Record::default();
            record.insert(
                "NAME".into(),
                FieldValue::Character(Some(format!("街道{i}"))),
            );
            record.insert(
                "CODE".into(),
                FieldValue::Numeric(Some(310_115.0 + i as f64)),
            );
            writer
                .write_shape_and_record(&polygon, &record)
                .map_err(|e| cannot(&e))?;
        }
        drop(writer);
        let mut files = Vec::new();
        for ext in ["shp", "shx", "dbf"] {
            let path = shp.with_extension(ext);
            let bytes = std::fs::read(&path).map_err(|e| Error::cannot_read(&path, e))?;
            files.push((format!("in.{ext}"), bytes));
        }
        if projected {
            files.push(("in.prj".into(), GK_PRJ.as_bytes().to_vec()));
        } else {
            files.push(("in.cpg".into(), b"UTF-8".to_vec()));
        }
        sets.push(files);
    }
    Ok(sets)
}

fn geometry_seeds() -> Result<Vec<Vec<u8>>> {
    use geo::{Geometry as G, coord, line_string, point, polygon};
    let square = polygon![
        exterior: [(x: 121.5, y: 31.2), (x: 121.6, y: 31.2), (x: 121.6, y: 31.3), (x: 121.5, y: 31.2)],
        interiors: [[(x: 121.52, y: 31.21), (x: 121.55, y: 31.21), (x: 121.55, y: 31.25), (x: 121.52, y: 31.21)]],
    ];
    let line = line_string![(x: 121.5, y: 31.2), (x: 121.6, y: 31.3), (x: 121.7, y: 31.2)];
    let geometries = vec![
        G::Point(point!(x: 121.5, y: 31.2)),
        G::LineString(line.clone()),
        G::Polygon(square.clone()),
        G::MultiPoint(geo::MultiPoint(vec![
            point!(x: 1.0, y: 2.0),
            point!(x: 3.0, y: 4.0),
        ])),
        G::MultiLineString(geo::MultiLineString(vec![line.clone(), line])),
        G::MultiPolygon(geo::MultiPolygon(vec![square.clone(), square])),
        G::GeometryCollection(geo::GeometryCollection(vec![
            G::Point(point!(x: 121.5, y: 31.2)),
            G::Line(geo::Line::new(
                coord! {x: 0.0, y: 0.0},
                coord! {x: 1.0, y: 1.0},
            )),
        ])),
        G::LineString(geo::LineString(Vec::new())),
    ];
    let mut out = Vec::new();
    for g in &geometries {
        if let Ok((blob, _)) = crate::io::gpb::encode_geometry(g) {
            out.push(blob);
        }
    }
    Ok(out)
}

/// Folds the write-ahead log into the file and reads it with its schema.
fn sqlite_seed(path: &Path) -> Result<SqliteSeed> {
    sqlite_fixtures::fold_log(path)?;
    let tables = sqlite_fixtures::sample_tables(path, 3)?;
    let bytes = std::fs::read(path).map_err(|e| Error::cannot_read(path, e))?;
    Ok(SqliteSeed { bytes, tables })
}

/// A small workspace: the sample's records, its layers cut to a few features.
fn workspace_seed(dir: &Path) -> Result<SqliteSeed> {
    let path = dir.join("workspace.gpkg");
    drop(crate::sample::create_sample_workspace(&path, &mut |_| {})?);
    // Keep a few features of each reference layer so an open stays quick.
    let layers = sqlite_fixtures::texts(
        &path,
        "SELECT table_name FROM gpkg_contents WHERE data_type = 'features'",
    )?;
    let cuts: Vec<String> = layers
        .iter()
        .map(|layer| {
            let t = quote_ident(layer);
            format!("DELETE FROM {t} WHERE fid NOT IN (SELECT fid FROM {t} ORDER BY fid LIMIT 6)")
        })
        .collect();
    sqlite_fixtures::run_each(&path, &cuts);
    sqlite_fixtures::execute_batch(&path, "VACUUM")?;
    // Open once more so the pyramids and extents match the cut layers.
    drop(crate::Session::open(&path)?);
    sqlite_seed(&path)
}

/// A GeoPackage to import from: a workspace with one small reference layer, `roads`.
fn gpkg_seed(dir: &Path) -> Result<SqliteSeed> {
    let path = dir.join("source.gpkg");
    let json = dir.join("roads.geojson");
    std::fs::write(
        &json,
        crate::sample::synthetic::mixed_feature_collection(6).as_bytes(),
    )
    .map_err(|e| Error::cannot_read(&json, e))?;
    {
        let mut s = crate::Session::create(&path, &crate::model::catalog::Catalog::bundled())?;
        let request = crate::session::ImportRequest {
            layer: Some("roads".into()),
            ..Default::default()
        };
        s.import_file(&json, &request, &mut |_| {})?;
    }
    sqlite_seed(&path)
}

/// An MBTiles file of five tiles (the sample photo as PNG, one tile of noise).
fn mbtiles_seed(dir: &Path) -> Result<SqliteSeed> {
    let path = dir.join("tiles.mbtiles");
    let photo = crate::sample::SAMPLE_PHOTO;
    let noise: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
    let mut tiles: Vec<(u8, u32, u32, &[u8])> = [(0, 0, 0), (1, 0, 0), (1, 1, 0), (1, 0, 1)]
        .into_iter()
        .map(|(z, x, y)| (z, x, y, photo))
        .collect();
    tiles.push((1, 1, 1, noise));
    crate::io::mbtiles::write_file(&path, &[("name", "fuzz"), ("format", "png")], &tiles)?;
    sqlite_seed(&path)
}
