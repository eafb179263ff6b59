//! Files in and out. Readers (`geojson_in`, `shapefile_in`, [`source`] for a GeoPackage's
//! feature table; chosen by content in [`format`]) give a [`parsed::ParsedFile`] already in
//! WGS84 ([`crs`] reprojects), with the unambiguous [`repair`]s they made; `geojson_out` is the
//! bureau's export, [`output`] the one door every export's file goes through; [`gcj02`] the
//! datum. Other programs' SQLite files are formats too: [`foreign`] opens one so it can neither
//! hang nor flood the program, [`mbtiles`] reads a basemap's tiles, [`gpb`] is the GeoPackage
//! geometry blob (the store's too), and [`sqlite`] turns SQLite's errors into the core's.
//! Knows nothing of the store or the session.

pub mod crs;
pub mod csv;
pub mod foreign;
pub mod format;
pub mod gcj02;
pub mod geojson_in;
pub mod geojson_out;
pub mod gpb;
pub mod gpkg_out;
pub mod mbtiles;
pub mod output;
pub mod parsed;
pub mod repair;
pub mod shapefile_in;
mod shp_check;
pub mod source;
pub mod sqlite;
#[doc(hidden)]
pub mod sqlite_fixtures;
pub mod table;
