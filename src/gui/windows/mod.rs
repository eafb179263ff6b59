//! Floating windows: the GeoJSON [`import`] form and the [`basemap`] window. Each keeps its own
//! form state and returns what the user asked for.

pub mod basemap;
pub mod import;
