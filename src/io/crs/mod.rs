//! Coordinate reference systems of imported files and their conversion to WGS84 lon/lat.
//!
//! Linli stores WGS84. A file may come in GCJ-02 (Amap, DataV: only when the user says so,
//! never guessed), in CGCS2000 (treated as WGS84: the two differ by centimetres), or projected
//! in metres: CGCS2000 Gauss-Krüger (3-degree zones EPSG:4513–4554, 6-degree 4491–4512),
//! WGS84 UTM (326xx/327xx) or Web Mercator (3857). Those are reprojected with `proj4rs`, from a
//! table of the EPSG definitions planners meet. Anything else — another datum (Beijing 1954,
//! Xi'an 1980), an unnamed local grid ("Shanghai 2000") — is refused, naming what was found.
//!
//! ```
//! use linli::io::crs::{SourceCrs, Transform};
//! let t = Transform::new(SourceCrs::Epsg(4549)).unwrap();
//! // The Oriental Pearl Tower in CGCS2000 / 3-degree Gauss-Krüger CM 120E, metres.
//! let (lon, lat) = t.to_wgs84(642_875.82, 3_458_520.12).unwrap();
//! assert!((lon - 121.4997).abs() < 1e-6 && (lat - 31.2397).abs() < 1e-6, "{lon} {lat}");
//! ```

pub mod wkt;

use proj4rs::Proj;

use crate::error::{GeometryProblem, Problem};

/// The coordinate reference system of a file's coordinates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceCrs {
    /// WGS84 lon/lat (GPS, OSM, RFC 7946), and CGCS2000 lon/lat. Stored as it is.
    #[default]
    Wgs84,
    /// GCJ-02 lon/lat (Amap, DataV, Tencent). Converted to WGS84 on import.
    Gcj02,
    /// A projected CRS of the table, by EPSG code.
    Epsg(u32),
}

impl SourceCrs {
    /// Parses `wgs84`, `gcj02`, `cgcs2000` or `EPSG:NNNN` (case-insensitive); EPSG codes
    /// outside the table are `None`.
    pub fn from_key(key: &str) -> Option<Self> {
        let key = key.trim().to_ascii_lowercase();
        match key.as_str() {
            "wgs84" | "crs84" | "cgcs2000" => Some(Self::Wgs84),
            "gcj02" | "gcj-02" => Some(Self::Gcj02),
            _ => {
                let code = key.strip_prefix("epsg:")?.trim().parse().ok()?;
                Self::from_epsg(code)
            }
        }
    }

    /// The CRS of EPSG code `code`, when Linli knows it.
    pub fn from_epsg(code: u32) -> Option<Self> {
        match code {
            4326 | 4490 => Some(Self::Wgs84),
            c if proj_string(c).is_some() => Some(Self::Epsg(c)),
            _ => None,
        }
    }

    /// The CRS's name as users write it: `WGS84`, `GCJ-02`, `EPSG:4549`.
    pub fn label(self) -> String {
        match self {
            Self::Wgs84 => "WGS84".into(),
            Self::Gcj02 => "GCJ-02".into(),
            Self::Epsg(code) => format!("EPSG:{code}"),
        }
    }

    /// Converts one lon/lat pair of a geographic CRS (WGS84, GCJ-02) to WGS84; projected
    /// CRSs need a [`Transform`].
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Self::Gcj02 => crate::io::gcj02::gcj02_to_wgs84(lon, lat),
            Self::Wgs84 | Self::Epsg(_) => (lon, lat),
        }
    }
}

/// The proj string of a projected CRS in the table.
fn proj_string(code: u32) -> Option<String> {
    // CGCS2000's ellipsoid is GRS80 to a tenth of a millimetre; its datum is taken as WGS84.
    let gk = |lon_0: u32, x_0: u32| {
        format!(
            "+proj=tmerc +lat_0=0 +lon_0={lon_0} +k=1 +x_0={x_0} +y_0=0 +ellps=GRS80 +units=m +no_defs"
        )
    };
    match code {
        // CGCS2000 / 3-degree Gauss-Kruger zone 25..45 (false easting with the zone number).
        4513..=4533 => {
            let zone = code - 4513 + 25;
            Some(gk(zone * 3, zone * 1_000_000 + 500_000))
        }
        // CGCS2000 / 3-degree Gauss-Kruger CM 75E..135E.
        4534..=4554 => Some(gk(75 + 3 * (code - 4534), 500_000)),
        // CGCS2000 / Gauss-Kruger zone 13..23 (6-degree).
        4491..=4501 => {
            let zone = code - 4491 + 13;
            Some(gk(zone * 6 - 3, zone * 1_000_000 + 500_000))
        }
        // CGCS2000 / Gauss-Kruger CM 75E..135E (6-degree).
        4502..=4512 => Some(gk(75 + 6 * (code - 4502), 500_000)),
        // WGS 84 / UTM zone 1N..60N and 1S..60S.
        32601..=32660 => Some(format!(
            "+proj=utm +zone={} +datum=WGS84 +units=m +no_defs",
            code - 32600
        )),
        32701..=32760 => Some(format!(
            "+proj=utm +zone={} +south +datum=WGS84 +units=m +no_defs",
            code - 32700
        )),
        // Web Mercator and its old aliases.
        3857 | 3785 | 900913 | 102100 => Some(
            "+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs".into(),
        ),
        _ => None,
    }
}

/// A conversion of a file's coordinates to WGS84 lon/lat, made once per file.
pub struct Transform {
    crs: SourceCrs,
    projected: Option<(Proj, Proj)>,
}

impl std::fmt::Debug for Transform {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Transform").field("crs", &self.crs).finish()
    }
}

impl Transform {
    /// The conversion from `crs`; refused when the CRS is not in the table.
    pub fn new(crs: SourceCrs) -> Result<Self, Problem> {
        let unknown = || Problem::ForeignCrs {
            declared: crs.label(),
        };
        let projected = match crs {
            SourceCrs::Wgs84 | SourceCrs::Gcj02 => None,
            SourceCrs::Epsg(code) => {
                let from = proj_string(code).ok_or_else(unknown)?;
                let from = Proj::from_proj_string(&from).map_err(|_| unknown())?;
                // The geographic side on the source's own ellipsoid: CGCS2000 is read as WGS84,
                // with no datum shift.
                let to = if from.is_latlong() {
                    return Err(unknown());
                } else {
                    "+proj=longlat +datum=WGS84 +no_defs"
                };
                let to = Proj::from_proj_string(to).map_err(|_| unknown())?;
                Some((from, to))
            }
        };
        Ok(Self { crs, projected })
    }

    /// The CRS converted from.
    pub fn crs(&self) -> SourceCrs {
        self.crs
    }

    /// Whether the source coordinates are lon/lat degrees (checked as such before conversion).
    pub fn is_lon_lat(&self) -> bool {
        self.projected.is_none()
    }

    /// One position to WGS84 lon/lat.
    ///
    /// # Units
    /// `x`, `y` in the source CRS (degrees, or metres for a projected CRS); the result in
    /// degrees.
    pub fn to_wgs84(&self, x: f64, y: f64) -> Result<(f64, f64), GeometryProblem> {
        if !(x.is_finite() && y.is_finite()) {
            return Err(GeometryProblem::NotFinite { x, y });
        }
        let Some((from, to)) = &self.projected else {
            if x.abs() > 180.0 || y.abs() > 180.0 {
                return Err(GeometryProblem::NotDegrees { x, y });
            }
            if y.abs() > 90.0 {
                return Err(GeometryProblem::LatitudeBeyond90 { x, y });
            }
            return Ok(self.crs.to_wgs84(x, y));
        };
        let mut point = (x, y, 0.0);
        let outside = || GeometryProblem::OutsideCrs {
            x,
            y,
            crs: self.crs.label(),
        };
        proj4rs::transform::transform(from, to, &mut point).map_err(|_| outside())?;
        let (lon, lat) = (point.0.to_degrees(), point.1.to_degrees());
        if !(lon.is_finite() && lat.is_finite()) || lon.abs() > 180.0 || lat.abs() > 90.0 {
            return Err(outside());
        }
        Ok((lon, lat))
    }
}

/// The CRS named in a GeoJSON `crs` member's `properties.name` (`urn:ogc:def:crs:EPSG::4549`,
/// `EPSG:4549`, `urn:ogc:def:crs:OGC:1.3:CRS84`); `Err` with the name when Linli does not
/// know it.
pub fn from_name(name: &str) -> Result<SourceCrs, Problem> {
    let lower = name.trim().to_ascii_lowercase();
    if lower.ends_with("crs84") || lower.ends_with("crs:84") {
        return Ok(SourceCrs::Wgs84);
    }
    let code = lower
        .rfind("epsg")
        .map(|i| &lower[i + 4..])
        .map(|rest| rest.trim_start_matches([':', ':', '/']))
        .map(|rest| rest.rsplit(':').next().unwrap_or(rest).trim())
        .and_then(|digits| digits.parse::<u32>().ok());
    code.and_then(SourceCrs::from_epsg)
        .ok_or_else(|| Problem::ForeignCrs {
            declared: name.to_string(),
        })
}

/// The CRS a WKT text (a `.prj`, a GeoPackage `definition`) describes: by its EPSG code when
/// it carries one, else by its name or its parameters (ESRI's `.prj` carry no code).
/// `Err(ForeignCrs)` naming the CRS when Linli does not know it, `Err(PrjNotWkt)` when the
/// text is not WKT.
pub fn from_wkt(text: &str) -> Result<SourceCrs, Problem> {
    let node = wkt::parse(text).ok_or_else(|| Problem::PrjNotWkt {
        start: text.trim().chars().take(40).collect(),
    })?;
    check_numbers(&node, "")?;
    let unknown = || Problem::ForeignCrs {
        declared: node.name().to_string(),
    };
    if let Some(code) = node.epsg() {
        return SourceCrs::from_epsg(code).ok_or_else(unknown);
    }
    let geographic = ["GEOGCS", "GEOGCRS", "GEODCRS", "BASEGEOGCRS", "BASEGEODCRS"];
    let datum_of = |n: &wkt::Node| -> String {
        n.child(&geographic)
            .or(Some(n))
            .and_then(|g| g.child(&["DATUM", "TRF", "GEODETICDATUM"]))
            .map(|d| d.name().to_ascii_lowercase())
            .unwrap_or_default()
    };
    let datum = datum_of(&node);
    let wgs84 = datum.contains("wgs_1984")
        || datum.contains("wgs 1984")
        || datum.contains("wgs84")
        || datum.contains("world geodetic system 1984")
        || datum.contains("wgs_84")
        || datum.contains("wgs 84");
    let cgcs2000 = datum.contains("2000") && (datum.contains("china") || datum.contains("cgcs"));
    match node.keyword.as_str() {
        k if geographic.contains(&k) => {
            if wgs84 || cgcs2000 {
                Ok(SourceCrs::Wgs84)
            } else {
                Err(unknown())
            }
        }
        "PROJCS" | "PROJCRS" => {
            let name = node.name().to_ascii_lowercase();
            if name.contains("web_mercator")
                || name.contains("pseudo-mercator")
                || name.contains("pseudo_mercator")
            {
                return Ok(SourceCrs::Epsg(3857));
            }
            let method = node
                .child(&["PROJECTION", "CONVERSION"])
                .map(|p| {
                    // WKT2 puts METHOD inside CONVERSION.
                    p.child(&["METHOD"])
                        .unwrap_or(p)
                        .name()
                        .to_ascii_lowercase()
                })
                .unwrap_or_default();
            let conversion = node.child(&["CONVERSION"]).unwrap_or(&node);
            let param = |names: &[&str]| names.iter().find_map(|n| conversion.parameter(n));
            let transverse = method.contains("gauss") || method.contains("transverse");
            let lon_0 = param(&["central_meridian", "longitude of natural origin"]);
            let x_0 = param(&["false_easting", "false easting"]).unwrap_or(0.0);
            let y_0 = param(&["false_northing", "false northing"]).unwrap_or(0.0);
            let k = param(&["scale_factor", "scale factor at natural origin"]).unwrap_or(1.0);
            let lat_0 = param(&["latitude_of_origin", "latitude of natural origin"]).unwrap_or(0.0);
            let (Some(lon_0), true) = (lon_0, transverse && lat_0 == 0.0) else {
                return Err(unknown());
            };
            // Only small whole numbers are codes or zones (the parameters' ranges are checked
            // above, so nothing here can overflow).
            let whole = |v: f64| (v.fract() == 0.0 && v > 0.0 && v <= 1e6).then_some(v as u32);
            if cgcs2000 && k == 1.0 && y_0 == 0.0 {
                let cm = whole(lon_0).ok_or_else(unknown)?;
                let zone_prefix = (x_0 - 500_000.0) / 1_000_000.0;
                let code = match (x_0 == 500_000.0, whole(zone_prefix)) {
                    (true, _) if cm % 3 == 0 && (75..=135).contains(&cm) => 4534 + (cm - 75) / 3,
                    (false, Some(zone))
                        if zone.checked_mul(3) == Some(cm) && (25..=45).contains(&zone) =>
                    {
                        4513 + zone - 25
                    }
                    (false, Some(zone))
                        if zone.checked_mul(6) == cm.checked_add(3)
                            && (13..=23).contains(&zone) =>
                    {
                        4491 + zone - 13
                    }
                    _ => return Err(unknown()),
                };
                return Ok(SourceCrs::Epsg(code));
            }
            if wgs84 && k == 0.9996 && x_0 == 500_000.0 {
                let zone = (lon_0 + 183.0) / 6.0;
                let zone = whole(zone)
                    .filter(|z| (1..=60).contains(z))
                    .ok_or_else(unknown)?;
                let code = if y_0 == 0.0 {
                    32600
                } else if y_0 == 10_000_000.0 {
                    32700
                } else {
                    return Err(unknown());
                };
                return Ok(SourceCrs::Epsg(code + zone));
            }
            Err(unknown())
        }
        _ => Err(unknown()),
    }
}

/// The largest magnitude any number of a CRS definition may have (semi-major axes are ~6.4e6 m,
/// false eastings with a zone prefix ~4.6e7 m, EPSG codes below 1e6).
const MAX_WKT_NUMBER: f64 = 1e12;

/// The range each projection parameter must lie in, by its name lower case without `_` or
/// spaces: false eastings and northings within 1e8 m (ten times the Earth's circumference),
/// longitudes within ±360°, latitudes within ±90°, scale factors in (0, 10].
fn parameter_range(key: &str) -> Option<(f64, f64)> {
    Some(match key {
        "falseeasting" | "falsenorthing" | "eastingatfalseorigin" | "northingatfalseorigin" => {
            (-1e8, 1e8)
        }
        "centralmeridian"
        | "longitudeofnaturalorigin"
        | "longitudeofcenter"
        | "longitudeoforigin"
        | "longitudeoffalseorigin" => (-360.0, 360.0),
        "latitudeoforigin"
        | "latitudeofnaturalorigin"
        | "latitudeofcenter"
        | "standardparallel1"
        | "standardparallel2"
        | "latitudeoffalseorigin" => (-90.0, 90.0),
        "scalefactor" | "scalefactoratnaturalorigin" => (f64::MIN_POSITIVE, 10.0),
        _ => return None,
    })
}

/// Refuses a CRS definition holding a number no CRS has: one that is not finite or beyond
/// [`MAX_WKT_NUMBER`], a `PARAMETER` whose value is not a number, or a projection parameter
/// outside [`parameter_range`]. `within` names the enclosing node for the message.
fn check_numbers(node: &wkt::Node, within: &str) -> Result<(), Problem> {
    let here = if node.keyword == "PARAMETER" {
        node.name()
    } else if node.name().is_empty() {
        within
    } else {
        &node.keyword
    };
    let refuse = |value: String| Problem::CrsNumberOutOfRange {
        parameter: here.chars().take(60).collect(),
        value: value.chars().take(40).collect(),
    };
    for arg in &node.args {
        match arg {
            wkt::Arg::Number(n) if !n.is_finite() || n.abs() > MAX_WKT_NUMBER => {
                return Err(refuse(n.to_string()));
            }
            wkt::Arg::Node(child) => check_numbers(child, here)?,
            _ => {}
        }
    }
    if node.keyword == "PARAMETER" {
        let value = node.args.iter().find_map(|a| match a {
            wkt::Arg::Number(n) => Some(*n),
            _ => None,
        });
        let Some(value) = value else {
            let found = node.args.iter().find_map(|a| match a {
                wkt::Arg::Word(w) => Some(w.clone()),
                _ => None,
            });
            return Err(refuse(found.unwrap_or_default()));
        };
        let key = node.name().to_ascii_lowercase().replace([' ', '_'], "");
        if let Some((low, high)) = parameter_range(&key)
            && !(low..=high).contains(&value)
        {
            return Err(refuse(value.to_string()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_codes_in_the_table() {
        assert_eq!(
            from_name("urn:ogc:def:crs:EPSG::4549"),
            Ok(SourceCrs::Epsg(4549))
        );
        assert_eq!(from_name("EPSG:4326"), Ok(SourceCrs::Wgs84));
        assert_eq!(
            from_name("urn:ogc:def:crs:OGC:1.3:CRS84"),
            Ok(SourceCrs::Wgs84)
        );
        assert_eq!(
            from_name("urn:ogc:def:crs:EPSG::4490"),
            Ok(SourceCrs::Wgs84)
        );
        assert!(matches!(
            from_name("urn:ogc:def:crs:EPSG::2385"),
            Err(Problem::ForeignCrs { .. })
        ));
        assert_eq!(
            SourceCrs::from_key("epsg:32651"),
            Some(SourceCrs::Epsg(32651))
        );
        assert_eq!(
            SourceCrs::from_key("EPSG:3857"),
            Some(SourceCrs::Epsg(3857))
        );
        assert_eq!(SourceCrs::from_key("epsg:2000"), None);
    }

    #[test]
    fn every_family_lands_in_shanghai() {
        // The Oriental Pearl Tower, 121.4997 E 31.2397 N, as each CRS writes it (GDAL's
        // gdaltransform from OGC:CRS84): the same place to a centimetre.
        let cases = [
            (4549, 642_875.823_388_848, 3_458_520.115_357_14),
            (4528, 40_642_875.823_388_848, 3_458_520.115_357_14),
            (4499, 21_357_067.008_767_9, 3_458_520.891_728_74),
            (4510, 357_067.008_767_946, 3_458_520.891_728_74),
            (32651, 357_124.181_965_072, 3_457_137.483_470_14),
            (3857, 13_525_284.735_535_5, 3_663_918.033_791_46),
        ];
        for (code, x, y) in cases {
            let t = Transform::new(SourceCrs::Epsg(code)).unwrap();
            let (lon, lat) = t.to_wgs84(x, y).unwrap();
            assert!(
                (lon - 121.4997).abs() < 1e-7 && (lat - 31.2397).abs() < 1e-7,
                "EPSG:{code}: {lon} {lat}"
            );
        }
        let t = Transform::new(SourceCrs::Epsg(4549)).unwrap();
        assert!(t.to_wgs84(f64::NAN, 1.0).is_err());
        assert!(Transform::new(SourceCrs::Epsg(2385)).is_err());
    }

    #[test]
    fn prj_files_as_esri_and_gdal_write_them() {
        let gk = r#"PROJCS["CGCS2000_3_Degree_GK_CM_120E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(from_wkt(gk), Ok(SourceCrs::Epsg(4549)));
        let zone = gk
            .replace("500000.0", "40500000.0")
            .replace("CM_120E", "Zone_40");
        assert_eq!(from_wkt(&zone), Ok(SourceCrs::Epsg(4528)));
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",123.0],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert_eq!(from_wkt(utm), Ok(SourceCrs::Epsg(32651)));
        let geo = r#"GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]]"#;
        assert_eq!(from_wkt(geo), Ok(SourceCrs::Wgs84));
        // A local grid and another datum are refused by name.
        let local = r#"PROJCS["Shanghai_2000",GEOGCS["GCS_Shanghai",DATUM["D_Shanghai",SPHEROID["Krasovsky_1940",6378245.0,298.3]]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",0.0],PARAMETER["Central_Meridian",121.4666],UNIT["Meter",1.0]]"#;
        assert_eq!(
            from_wkt(local),
            Err(Problem::ForeignCrs {
                declared: "Shanghai_2000".into()
            })
        );
        let beijing = gk
            .replace("China_Geodetic_Coordinate_System_2000", "Beijing_1954")
            .replace("D_China_2000", "D_Beijing_1954");
        assert!(matches!(
            from_wkt(&beijing),
            Err(Problem::ForeignCrs { .. })
        ));
        assert!(matches!(from_wkt("hello"), Err(Problem::PrjNotWkt { .. })));
    }

    /// The Gauss-Krüger `.prj` with one parameter's value replaced.
    fn gk_with(parameter: &str, value: &str) -> String {
        let gk = r#"PROJCS["CGCS2000_3_Degree_GK_Zone_40",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",40500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",120.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        let at = gk.find(&format!("PARAMETER[\"{parameter}\",")).unwrap();
        let start = at + parameter.len() + 13;
        let end = start + gk[start..].find(']').unwrap();
        format!("{}{value}{}", &gk[..start], &gk[end..])
    }

    #[test]
    fn absurd_numbers_are_refused_not_overflowed() {
        assert_eq!(
            from_wkt(&gk_with("False_Easting", "40500000.0")),
            Ok(SourceCrs::Epsg(4528))
        );
        // 2e15 + 500 000: a whole "zone" of two thousand million, whose zone * 3 overflowed a
        // u32 (a panic in debug builds) before the ranges were checked.
        for (parameter, value) in [
            ("False_Easting", "2000000000500000"),
            ("False_Easting", "2e15"),
            ("False_Easting", "1e999"),
            ("False_Easting", "-1e999"),
            ("False_Easting", "NaN"),
            ("False_Easting", "inf"),
            ("False_Northing", "1e300"),
            ("Central_Meridian", "4294967296.0"),
            ("Central_Meridian", "1e20"),
            ("Scale_Factor", "0"),
            ("Scale_Factor", "1e9"),
            ("Scale_Factor", "-1"),
            ("Latitude_Of_Origin", "91"),
        ] {
            let wkt = gk_with(parameter, value);
            match from_wkt(&wkt) {
                Err(Problem::CrsNumberOutOfRange { parameter: p, .. }) => {
                    assert_eq!(p, parameter, "{value}")
                }
                other => panic!("{parameter} = {value}: {other:?}"),
            }
        }
        // Enormous numbers of digits: read in linear time, then refused as out of range.
        let digits = format!("{}.0", "9".repeat(100_000));
        assert!(matches!(
            from_wkt(&gk_with("False_Easting", &digits)),
            Err(Problem::CrsNumberOutOfRange { .. })
        ));
        let tiny = format!("0.{}1", "0".repeat(100_000));
        assert_eq!(
            from_wkt(&gk_with("False_Northing", &tiny)),
            Ok(SourceCrs::Epsg(4528)),
            "a northing of 1e-100001 is 0 to a double"
        );
        // Numbers outside parameters too: a semi-major axis of 1e300, an EPSG code of 1e20.
        let gk = gk_with("False_Easting", "500000.0");
        assert!(matches!(
            from_wkt(&gk.replace("6378137.0", "1e300")),
            Err(Problem::CrsNumberOutOfRange { parameter, .. }) if parameter == "SPHEROID"
        ));
        let ogc = r#"PROJCS["x",GEOGCS["WGS 84"],AUTHORITY["EPSG",100000000000000000000]]"#;
        assert!(matches!(
            from_wkt(ogc),
            Err(Problem::CrsNumberOutOfRange { .. })
        ));
        // A UTM central meridian far outside any zone.
        let utm = r#"PROJCS["WGS_1984_UTM_Zone_51N",GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]]],PROJECTION["Transverse_Mercator"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",1e11],PARAMETER["Scale_Factor",0.9996],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]"#;
        assert!(matches!(
            from_wkt(utm),
            Err(Problem::CrsNumberOutOfRange { .. })
        ));
    }
}
