//! GCJ-02 ⇄ WGS84 conversion.
//!
//! # Why this exists
//!
//! Maps published in mainland China — Amap (高德), Alibaba DataV and everything derived from
//! them, such as the Vonng/adcode boundaries and points Linli's sample data is built from — use
//! GCJ-02 (国测局坐标, "Mars coordinates"): WGS84 positions pushed through a deliberately
//! obfuscating, position-dependent shift of a few hundred metres (in Shanghai about 0.0044° east
//! and 0.0020° south, roughly 420 m east and 220 m south). Linli stores WGS84 longitude/latitude
//! everywhere (RFC 7946), so GCJ-02 data must be converted once, at import, when the user says
//! the source is GCJ-02. Mixing the two datums silently puts features in the wrong street.
//!
//! # Algorithm
//!
//! This is the standard public GCJ-02 algorithm (the one reproduced by eviltransform,
//! wandergis/coordtransform and most GIS tools): a closed-form polynomial-plus-sine offset
//! scaled on the Krasovsky 1940 ellipsoid (a = 6 378 245 m, e² = 0.006 693 421 622 965 943 23).
//! WGS84 → GCJ-02 is that closed form. GCJ-02 → WGS84 has no closed form; it is solved here by
//! fixed-point iteration, which converges quickly because the offset changes by only about
//! 0.2 % of a degree per degree, so every step gains more than two decimal digits.
//!
//! Outside the rough bounding box of China ([`out_of_china`]) the algorithm applies no shift,
//! exactly as the reference implementations do.
//!
//! # Units
//!
//! Every function takes and returns decimal degrees, longitude first (RFC 7946 order), `f64`.
//!
//! The module depends on `std` only.

use std::f64::consts::PI;

/// Semi-major axis of the Krasovsky 1940 ellipsoid used by GCJ-02, in metres.
const KRASOVSKY_A: f64 = 6_378_245.0;

/// First eccentricity squared of the Krasovsky 1940 ellipsoid (dimensionless). Usually
/// published as `0.00669342162296594323`; the last two digits are beyond `f64` precision and
/// do not change the value.
const KRASOVSKY_EE: f64 = 0.006_693_421_622_965_943;

/// Stop the inverse iteration once the forward image is this close to the target, in degrees
/// (about 0.01 mm): far tighter than the 1e-7° the rest of Linli relies on.
const INVERSE_TOLERANCE_DEG: f64 = 1e-12;

/// Upper bound on inverse iterations. Convergence normally takes 3–5 steps; the bound only
/// guarantees termination for pathological input such as NaN.
const INVERSE_MAX_ITERATIONS: usize = 30;

/// Whether a point lies outside the rough bounding box of China, where GCJ-02 applies no shift.
///
/// The box is the one used by the original public algorithm (longitude 72.004–137.8347,
/// latitude 0.8293–55.8271). It is a rectangle, not a border: parts of neighbouring countries
/// inside it are shifted too, exactly as Amap and the reference implementations do.
///
/// # Units
///
/// `lon` and `lat` in decimal degrees (WGS84 or GCJ-02: near the box edges the two differ by
/// less than the precision that matters here).
pub fn out_of_china(lon: f64, lat: f64) -> bool {
    !(72.004..=137.8347).contains(&lon) || !(0.8293..=55.8271).contains(&lat)
}

/// Converts a WGS84 position to GCJ-02 (the Amap / DataV datum).
///
/// Positions for which [`out_of_china`] is true are returned unchanged.
///
/// # Units
///
/// Input and output are `(longitude, latitude)` in decimal degrees.
pub fn wgs84_to_gcj02(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    let (dlon, dlat) = offset(lon, lat);
    (lon + dlon, lat + dlat)
}

/// Converts a GCJ-02 position (Amap / DataV) back to WGS84.
///
/// The forward transform has no closed-form inverse, so this iterates
/// `wgs ← wgs − (gcj(wgs) − target)` until the forward image of the result is within 1e-12° of
/// the input (at most 30 steps; typically 3–5). The result therefore round-trips through
/// [`wgs84_to_gcj02`] to far better than 1e-7°, unlike the common one-step approximation,
/// which is off by up to about 1e-5° (≈ 1 m).
///
/// Positions for which [`out_of_china`] is true are returned unchanged.
///
/// # Units
///
/// Input and output are `(longitude, latitude)` in decimal degrees.
pub fn gcj02_to_wgs84(lon: f64, lat: f64) -> (f64, f64) {
    if out_of_china(lon, lat) {
        return (lon, lat);
    }
    // First guess: undo the shift as measured at the GCJ-02 position itself.
    let (dlon, dlat) = offset(lon, lat);
    let (mut wlon, mut wlat) = (lon - dlon, lat - dlat);
    for _ in 0..INVERSE_MAX_ITERATIONS {
        let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
        let (elon, elat) = (glon - lon, glat - lat);
        if elon.abs() < INVERSE_TOLERANCE_DEG && elat.abs() < INVERSE_TOLERANCE_DEG {
            break;
        }
        wlon -= elon;
        wlat -= elat;
    }
    (wlon, wlat)
}

/// The GCJ-02 offset `(Δlon, Δlat)` in degrees to add to a WGS84 position.
fn offset(lon: f64, lat: f64) -> (f64, f64) {
    let x = lon - 105.0;
    let y = lat - 35.0;
    let rad_lat = lat / 180.0 * PI;
    let magic = 1.0 - KRASOVSKY_EE * rad_lat.sin() * rad_lat.sin();
    let sqrt_magic = magic.sqrt();
    // The polynomial terms are in metres on the ellipsoid; scale by the meridian and
    // parallel radii of curvature to turn them into degrees.
    let dlat = (offset_lat_m(x, y) * 180.0)
        / ((KRASOVSKY_A * (1.0 - KRASOVSKY_EE)) / (magic * sqrt_magic) * PI);
    let dlon = (offset_lon_m(x, y) * 180.0) / (KRASOVSKY_A / sqrt_magic * rad_lat.cos() * PI);
    (dlon, dlat)
}

/// Latitude term of the offset, in metres, at `x = lon − 105`, `y = lat − 35` (degrees).
fn offset_lat_m(x: f64, y: f64) -> f64 {
    let mut ret = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (y * PI).sin() + 40.0 * (y / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (160.0 * (y / 12.0 * PI).sin() + 320.0 * (y * PI / 30.0).sin()) * 2.0 / 3.0;
    ret
}

/// Longitude term of the offset, in metres, at `x = lon − 105`, `y = lat − 35` (degrees).
fn offset_lon_m(x: f64, y: f64) -> f64 {
    let mut ret = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * x.abs().sqrt();
    ret += (20.0 * (6.0 * x * PI).sin() + 20.0 * (2.0 * x * PI).sin()) * 2.0 / 3.0;
    ret += (20.0 * (x * PI).sin() + 40.0 * (x / 3.0 * PI).sin()) * 2.0 / 3.0;
    ret += (150.0 * (x / 12.0 * PI).sin() + 300.0 * (x / 30.0 * PI).sin()) * 2.0 / 3.0;
    ret
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Published example of wandergis/coordtransform (test/app.js):
    /// `wgs84togcj02(116.404, 39.915) = [116.41024449916938, 39.91640428150164]`.
    #[test]
    fn matches_published_reference_in_beijing() {
        let (lon, lat) = wgs84_to_gcj02(116.404, 39.915);
        assert!((lon - 116.410_244_499_169_38).abs() < 1e-9, "lon {lon}");
        assert!((lat - 39.916_404_281_501_64).abs() < 1e-9, "lat {lat}");
    }

    /// Beside the Oriental Pearl Tower. Reference computed with the wandergis/coordtransform
    /// formula (which reproduces the Beijing value above exactly): the shift in Shanghai is
    /// about +0.00443° lon and −0.00201° lat.
    #[test]
    fn matches_reference_in_lujiazui() {
        let (lon, lat) = wgs84_to_gcj02(121.50, 31.24);
        assert!((lon - 121.504_432_056_601_39).abs() < 1e-9, "lon {lon}");
        assert!((lat - 31.237_985_537_716_916).abs() < 1e-9, "lat {lat}");
        let (dlon, dlat) = (lon - 121.50, lat - 31.24);
        assert!((0.004..0.005).contains(&dlon), "dlon {dlon}");
        assert!((-0.0025..-0.0015).contains(&dlat), "dlat {dlat}");
    }

    #[test]
    fn round_trip_over_shanghai_grid() {
        let mut worst: f64 = 0.0;
        for i in 0..=60 {
            for j in 0..=60 {
                let lon = 120.85 + 1.2 * f64::from(i) / 60.0;
                let lat = 30.65 + 1.25 * f64::from(j) / 60.0;
                let (glon, glat) = wgs84_to_gcj02(lon, lat);
                let (wlon, wlat) = gcj02_to_wgs84(glon, glat);
                worst = worst.max((wlon - lon).abs()).max((wlat - lat).abs());
                // The other direction: start from a GCJ-02 position.
                let (wlon, wlat) = gcj02_to_wgs84(lon, lat);
                let (glon, glat) = wgs84_to_gcj02(wlon, wlat);
                worst = worst.max((glon - lon).abs()).max((glat - lat).abs());
            }
        }
        assert!(worst < 1e-7, "worst round-trip error {worst}°");
        assert!(
            worst < 1e-11,
            "iteration should converge far below 1e-7, got {worst}°"
        );
    }

    #[test]
    fn inverse_is_better_than_one_step_approximation() {
        // wandergis' one-step gcj02towgs84(116.404, 39.915) = [116.39775550083061, 39.91359571849836];
        // the exact inverse lies within ~1e-5° of it but round-trips exactly.
        let (lon, lat) = gcj02_to_wgs84(116.404, 39.915);
        assert!((lon - 116.397_755_500_830_61).abs() < 5e-5);
        assert!((lat - 39.913_595_718_498_36).abs() < 5e-5);
        let (glon, glat) = wgs84_to_gcj02(lon, lat);
        assert!((glon - 116.404).abs() < 1e-10 && (glat - 39.915).abs() < 1e-10);
    }

    #[test]
    fn outside_china_is_unchanged() {
        for &(lon, lat) in &[
            (2.3522, 48.8566),    // Paris
            (-74.006, 40.7128),   // New York
            (139.6917, 35.6895),  // Tokyo (east of the box)
            (151.2093, -33.8688), // Sydney
            (72.0, 30.0),         // just west of the box
            (100.0, 56.0),        // just north of the box
            (0.0, 0.0),
        ] {
            assert!(out_of_china(lon, lat), "({lon}, {lat})");
            assert_eq!(wgs84_to_gcj02(lon, lat), (lon, lat));
            assert_eq!(gcj02_to_wgs84(lon, lat), (lon, lat));
        }
        assert!(!out_of_china(121.5, 31.24));
    }

    #[test]
    fn nan_terminates() {
        let (lon, lat) = gcj02_to_wgs84(f64::NAN, 31.0);
        assert!(lon.is_nan() || lat.is_nan());
    }
}
