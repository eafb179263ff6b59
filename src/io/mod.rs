//! Files in and out. Readers (`geojson_in`, `shapefile_in`, `gpkg_in`, chosen by content in
//! [`read`]) give a [`parsed::ParsedFile`] already in WGS84 ([`crs`] reprojects), with the
//! unambiguous [`repair`]s they made; `geojson_out` is the bureau's export; [`gcj02`] the
//! datum. Knows nothing of the store or the session.

pub mod crs;
pub mod gcj02;
pub mod geojson_in;
pub mod geojson_out;
pub mod parsed;
pub mod repair;
