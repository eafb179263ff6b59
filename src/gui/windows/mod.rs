//! Floating windows: the GeoJSON [`import`] form.

pub mod import;
