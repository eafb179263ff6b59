//! TEMPORARY placeholder, replaced by the real module.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) { (lon - 0.0045, lat + 0.0022) }
