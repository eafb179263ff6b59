//! Files in and out: GeoJSON import ([`geojson_in`]) and export ([`geojson_out`]), and the
//! GCJ-02 datum ([`gcj02`]) that much Chinese data comes in. Knows nothing of the store.

pub mod gcj02;
pub mod geojson_in;
pub mod geojson_out;
pub mod repair;
