//! Shapefiles written for the tests with the `shapefile` crate: Chinese names in a chosen
//! encoding, polygons in CGCS2000 / Gauss-Krüger CM 120E.

use std::path::{Path, PathBuf};

use shapefile::dbase::{self, FieldValue};

/// CGCS2000 / 3-degree Gauss-Krüger CM 120E as ArcGIS writes it (EPSG:4549).
pub const GK_PRJ: &str = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;

/// The Oriental Pearl Tower in EPSG:4549 (GDAL's numbers): 121.4997 E, 31.2397 N.
pub const PEARL: (f64, f64) = (642_875.823_388_848, 3_458_520.115_357_14);

pub const NAMES: [&str; 3] = ["陆家嘴街道", "花木街道", "潍坊新村街道"];

/// Three squares of 200 m around the Pearl Tower, named in Chinese, written with `encoding`.
/// Returns the `.shp`.
pub fn write_streets(dir: &Path, stem: &str, encoding: &'static encoding_rs::Encoding) -> PathBuf {
    let shp = dir.join(format!("{stem}.shp"));
    let table = dbase::TableWriterBuilder::new()
        .set_encoding(dbase::encoding::EncodingRs::from(encoding))
        .add_character_field("NAME".try_into().unwrap(), 40)
        .add_numeric_field("CODE".try_into().unwrap(), 10, 0);
    let mut writer = shapefile::Writer::from_path(&shp, table).unwrap();
    for (i, name) in NAMES.iter().enumerate() {
        let (x, y) = (PEARL.0 + 300.0 * i as f64, PEARL.1);
        // Clockwise: an outer ring to the Shapefile format.
        let ring = vec![
            shapefile::Point::new(x, y),
            shapefile::Point::new(x, y + 200.0),
            shapefile::Point::new(x + 200.0, y + 200.0),
            shapefile::Point::new(x + 200.0, y),
            shapefile::Point::new(x, y),
        ];
        let polygon = shapefile::Polygon::new(shapefile::PolygonRing::Outer(ring));
        let mut record = dbase::Record::default();
        record.insert("NAME".into(), FieldValue::Character(Some(name.to_string())));
        record.insert(
            "CODE".into(),
            FieldValue::Numeric(Some(310_115.0 + i as f64)),
        );
        writer.write_shape_and_record(&polygon, &record).unwrap();
    }
    drop(writer);
    std::fs::write(shp.with_extension("prj"), GK_PRJ).unwrap();
    shp
}

/// Sets the `.dbf` header's language-driver byte.
pub fn set_language_driver(shp: &Path, byte: u8) {
    let dbf = shp.with_extension("dbf");
    let mut bytes = std::fs::read(&dbf).unwrap();
    bytes[29] = byte;
    std::fs::write(&dbf, bytes).unwrap();
}
