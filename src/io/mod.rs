//! Files in and out. Readers (`geojson_in`, `shapefile_in`; GeoPackages through `store`, which
//! holds the SQL; chosen by content in [`format`]) give a [`parsed::ParsedFile`] already in WGS84 ([`crs`] reprojects), with the
//! unambiguous [`repair`]s they made; `geojson_out` is the bureau's export, [`output`] the one door every export's file goes through; [`gcj02`] the
//! datum. Knows nothing of the store or the session.

pub mod crs;
pub mod csv;
pub mod foreign;
pub mod format;
pub mod gcj02;
pub mod geojson_in;
pub mod geojson_out;
pub mod mbtiles;
pub mod output;
pub mod parsed;
pub mod repair;
pub mod shapefile_in;
mod shp_check;
pub mod source;
