//! GeoJSON import: FeatureCollections, bare arrays of Features (DataV exports), single
//! Features and bare Geometries, UTF-8 with or without BOM.
//!
//! The reader is strict where a wrong answer would be silent (coordinates that are not
//! degrees, rings that are not rings, a declared CRS that is not lon/lat) and lenient where
//! nothing is lost (a missing `properties` member, foreign members). Every refusal names the
//! file, the feature index and the problem. Each feature is parsed on its own from a borrowed
//! slice of the file, so an error can say which feature and on which line it sits.

use std::borrow::Cow;
use std::io::Read;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use crate::error::{Error, FileKind, GeometryPart, GeometryProblem, Problem, Result};
use crate::model::Properties;

/// The datum the file's coordinates are in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SourceCrs {
    /// WGS84 lon/lat (GPS, OSM, RFC 7946). Stored as it is.
    #[default]
    Wgs84,
    /// GCJ-02 lon/lat (Amap, DataV, Tencent). Converted to WGS84 on import.
    Gcj02,
}

impl SourceCrs {
    /// Parses `wgs84` / `gcj02` (case-insensitive).
    pub fn from_key(key: &str) -> Option<Self> {
        match key.to_ascii_lowercase().as_str() {
            "wgs84" | "epsg:4326" => Some(Self::Wgs84),
            "gcj02" | "gcj-02" => Some(Self::Gcj02),
            _ => None,
        }
    }

    /// Converts one lon/lat pair from this datum to WGS84.
    pub fn to_wgs84(self, lon: f64, lat: f64) -> (f64, f64) {
        match self {
            Self::Wgs84 => (lon, lat),
            Self::Gcj02 => crate::io::gcj02::gcj02_to_wgs84(lon, lat),
        }
    }
}

/// Where a long import is, for a progress bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Reading the file: bytes read of total.
    Reading {
        /// Bytes read so far.
        done: u64,
        /// File size in bytes.
        total: u64,
    },
    /// Checking and converting features: done of total.
    Parsing {
        /// Features parsed so far.
        done: u64,
        /// Features in the file.
        total: u64,
    },
    /// Writing features to the workspace: done of total.
    Writing {
        /// Features written so far.
        done: u64,
        /// Features to write.
        total: u64,
    },
}

impl Progress {
    /// Fraction done within the current stage, 0..=1.
    pub fn fraction(self) -> f32 {
        let (done, total) = match self {
            Self::Reading { done, total }
            | Self::Parsing { done, total }
            | Self::Writing { done, total } => (done, total),
        };
        if total == 0 {
            1.0
        } else {
            (done as f64 / total as f64).clamp(0.0, 1.0) as f32
        }
    }
}

/// One feature as read from the file, already in WGS84.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFeature {
    /// The feature's `id` member, as it was.
    pub id: Option<Value>,
    /// The geometry, WGS84 lon/lat.
    pub geometry: geo::Geometry<f64>,
    /// The properties, unchanged and in file order; empty when the file had none or `null`.
    pub properties: Properties,
}

/// A whole file's features.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFile {
    /// The FeatureCollection's `name` foreign member, when there is one.
    pub name: Option<String>,
    /// The features in file order.
    pub features: Vec<ParsedFeature>,
}

/// Files larger than this are refused before reading: a planner's GeoJSON is megabytes, and
/// the whole file is held in memory while it is parsed.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Reads and parses a GeoJSON file, reporting progress.
pub fn read_file(
    path: &Path,
    crs: SourceCrs,
    progress: &mut dyn FnMut(Progress),
) -> Result<ParsedFile> {
    let mut file = std::fs::File::open(path).map_err(|e| {
        Error::input(
            path,
            None,
            Problem::CannotOpen {
                reason: e.to_string(),
            },
        )
    })?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    if total > MAX_FILE_BYTES {
        return Err(Error::input(
            path,
            None,
            Problem::TooLarge {
                bytes: total,
                limit_gib: MAX_FILE_BYTES >> 30,
            },
        ));
    }
    if file.metadata().is_ok_and(|m| m.is_dir()) {
        return Err(Error::input(
            path,
            None,
            Problem::IsFolder {
                expected: FileKind::GeoJson,
            },
        ));
    }
    let mut bytes = Vec::with_capacity(total as usize);
    let mut chunk = vec![0u8; 1 << 20];
    loop {
        let n = file.read(&mut chunk).map_err(|e| {
            Error::input(
                path,
                None,
                Problem::CannotRead {
                    reason: e.to_string(),
                },
            )
        })?;
        if n == 0 {
            break;
        }
        bytes.extend_from_slice(&chunk[..n]);
        progress(Progress::Reading {
            done: bytes.len() as u64,
            total: total.max(bytes.len() as u64),
        });
    }
    parse_bytes(&bytes, path, crs, progress)
}

/// The top level of a GeoJSON object, with the parts that matter borrowed unparsed.
#[derive(Deserialize)]
struct TopObject<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    features: Option<&'a RawValue>,
    #[serde(borrow)]
    crs: Option<&'a RawValue>,
    #[serde(borrow)]
    name: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct RawFeature<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    geometry: Option<&'a RawValue>,
    properties: Option<Properties>,
    id: Option<Value>,
}

#[derive(Deserialize)]
struct RawGeometry<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow)]
    coordinates: Option<&'a RawValue>,
    #[serde(borrow)]
    geometries: Option<Vec<&'a RawValue>>,
}

/// Parses GeoJSON text already in memory. `file` names the source in error messages.
pub fn parse_bytes(
    bytes: &[u8],
    file: &Path,
    crs: SourceCrs,
    progress: &mut dyn FnMut(Progress),
) -> Result<ParsedFile> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        Error::input(
            file,
            None,
            Problem::NotUtf8 {
                offset: e.valid_up_to(),
            },
        )
    })?;
    let reader = Reader { text, file, crs };
    let first = text.trim_start().chars().next();
    let parsed = match first {
        None => return Err(Error::input(file, None, Problem::EmptyFile)),
        Some('[') => {
            let items: Vec<&RawValue> =
                serde_json::from_str(text).map_err(|e| reader.json_error(None, text, &e))?;
            ParsedFile {
                name: None,
                features: reader.features(&items, progress)?,
            }
        }
        Some('{') => {
            let top: TopObject =
                serde_json::from_str(text).map_err(|e| reader.json_error(None, text, &e))?;
            if let Some(crs_member) = top.crs {
                check_declared_crs(crs_member.get(), file)?;
            }
            let name = top.name.map(Cow::into_owned);
            match top.kind.as_deref() {
                Some("FeatureCollection") => {
                    let raw = top
                        .features
                        .ok_or_else(|| Error::input(file, None, Problem::NoFeaturesArray))?;
                    let items: Vec<&RawValue> = serde_json::from_str(raw.get()).map_err(|e| {
                        Error::input(
                            file,
                            None,
                            Problem::FeaturesNotArray {
                                detail: strip_position(&e),
                            },
                        )
                    })?;
                    ParsedFile {
                        name,
                        features: reader.features(&items, progress)?,
                    }
                }
                Some("Feature") => ParsedFile {
                    name,
                    features: vec![reader.feature(0, text)?],
                },
                Some(kind) if GEOMETRY_TYPES.contains(&kind) => {
                    let geometry = reader.geometry(Some(0), text, 0)?;
                    ParsedFile {
                        name,
                        features: vec![ParsedFeature {
                            id: None,
                            geometry,
                            properties: Properties::new(),
                        }],
                    }
                }
                Some(other) => {
                    return Err(Error::input(
                        file,
                        None,
                        Problem::UnknownGeoJsonType {
                            found: other.to_string(),
                        },
                    ));
                }
                None => {
                    return Err(Error::input(file, None, Problem::NoTopLevelType));
                }
            }
        }
        Some(_) => {
            return Err(Error::input(file, None, Problem::NotJson));
        }
    };
    if parsed.features.is_empty() {
        return Err(Error::input(file, None, Problem::NoFeatures));
    }
    Ok(parsed)
}

const GEOMETRY_TYPES: [&str; 7] = [
    "Point",
    "MultiPoint",
    "LineString",
    "MultiLineString",
    "Polygon",
    "MultiPolygon",
    "GeometryCollection",
];

/// The deepest GeometryCollection nesting accepted.
const MAX_NESTING: usize = 16;

/// Refuses a (pre-RFC 7946) `crs` member that names anything but lon/lat degrees.
fn check_declared_crs(raw: &str, file: &Path) -> Result<()> {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    let name = value
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    if value.is_null() || name.is_empty() {
        return Ok(());
    }
    let lower = name.to_ascii_lowercase();
    let lon_lat = [
        "crs84",
        "epsg::4326",
        "epsg:4326",
        "epsg::4490",
        "epsg:4490",
    ];
    if lon_lat.iter().any(|k| lower.ends_with(k)) {
        Ok(())
    } else {
        Err(Error::input(
            file,
            None,
            Problem::ForeignCrs {
                declared: name.to_string(),
            },
        ))
    }
}

/// serde_json's message without its " at line L column C" (for errors inside a sub-slice),
/// in GeoJSON's words rather than the parser's Rust type names.
fn strip_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let text = match text.rfind(" at line ") {
        Some(i) => &text[..i],
        None => &text,
    };
    [
        ("struct RawFeature", "a Feature object"),
        ("struct RawGeometry", "a geometry object"),
        ("struct TopObject", "a GeoJSON object"),
        ("expected f64", "expected a number"),
        ("expected a sequence", "expected an array"),
        ("expected a map", "expected an object"),
        ("invalid type: sequence", "invalid type: array"),
        ("invalid type: map", "invalid type: object"),
        ("floating point", "number"),
        ("integer", "number"),
    ]
    .iter()
    .fold(text.to_string(), |t, (from, to)| t.replace(from, to))
}

struct Reader<'a> {
    text: &'a str,
    file: &'a Path,
    crs: SourceCrs,
}

impl Reader<'_> {
    fn error(&self, feature: Option<usize>, problem: Problem) -> Error {
        Error::input(self.file, feature, problem)
    }

    /// A JSON syntax or shape error inside `slice` (a sub-slice of the file), with the line
    /// and column in the file as a whole.
    fn json_error(&self, feature: Option<usize>, slice: &str, e: &serde_json::Error) -> Error {
        let start = (slice.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let before = self.text.get(..start).unwrap_or("");
        let line_base = before.matches('\n').count();
        let column = if e.line() <= 1 {
            before.len() - before.rfind('\n').map_or(0, |i| i + 1) + e.column()
        } else {
            e.column()
        };
        let detail = strip_position(e);
        self.error(
            feature,
            Problem::Json {
                cut_short: detail.contains("EOF"),
                detail,
                line: line_base + e.line().max(1),
                column,
            },
        )
    }

    fn features(
        &self,
        items: &[&RawValue],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Vec<ParsedFeature>> {
        let total = items.len() as u64;
        let mut out = Vec::with_capacity(items.len());
        for (i, raw) in items.iter().enumerate() {
            out.push(self.feature(i, raw.get())?);
            if i % 1024 == 1023 {
                progress(Progress::Parsing {
                    done: i as u64 + 1,
                    total,
                });
            }
        }
        progress(Progress::Parsing { done: total, total });
        Ok(out)
    }

    fn feature(&self, index: usize, slice: &str) -> Result<ParsedFeature> {
        let raw: RawFeature =
            serde_json::from_str(slice).map_err(|e| self.json_error(Some(index), slice, &e))?;
        match raw.kind.as_deref() {
            Some("Feature") => {}
            Some(other) => {
                return Err(self.error(
                    Some(index),
                    Problem::NotAFeature {
                        found: other.to_string(),
                    },
                ));
            }
            None => return Err(self.error(Some(index), Problem::FeatureHasNoType)),
        }
        if let Some(id) = &raw.id
            && !(id.is_string() || id.is_number())
        {
            return Err(self.error(Some(index), Problem::BadFeatureId));
        }
        let geometry_raw = raw
            .geometry
            .ok_or_else(|| self.error(Some(index), Problem::NoGeometry))?;
        let geometry = self.geometry(Some(index), geometry_raw.get(), 0)?;
        Ok(ParsedFeature {
            id: raw.id,
            geometry,
            properties: raw.properties.unwrap_or_default(),
        })
    }

    fn geometry(
        &self,
        index: Option<usize>,
        slice: &str,
        depth: usize,
    ) -> Result<geo::Geometry<f64>> {
        let raw: RawGeometry =
            serde_json::from_str(slice).map_err(|e| self.json_error(index, slice, &e))?;
        let kind = raw
            .kind
            .as_deref()
            .ok_or_else(|| self.error(index, Problem::GeometryHasNoType))?;
        let bad_in = |part: Option<GeometryPart>, problem: GeometryProblem| {
            self.error(
                index,
                Problem::Geometry {
                    kind: kind.to_string(),
                    part,
                    problem,
                },
            )
        };
        let bad = |problem: GeometryProblem| bad_in(None, problem);
        let bad_part =
            |(part, problem): (GeometryPart, GeometryProblem)| bad_in(Some(part), problem);
        if kind == "GeometryCollection" {
            if depth >= MAX_NESTING {
                return Err(bad(GeometryProblem::NestedTooDeep { max: MAX_NESTING }));
            }
            let members = raw
                .geometries
                .ok_or_else(|| bad(GeometryProblem::NeedsGeometries))?;
            if members.is_empty() {
                return Err(bad(GeometryProblem::EmptyCollection));
            }
            let members = members
                .iter()
                .map(|m| self.geometry(index, m.get(), depth + 1))
                .collect::<Result<Vec<_>>>()?;
            return Ok(geo::Geometry::GeometryCollection(geo::GeometryCollection(
                members,
            )));
        }
        if !GEOMETRY_TYPES.contains(&kind) {
            return Err(self.error(
                index,
                Problem::UnknownGeometryType {
                    found: kind.to_string(),
                },
            ));
        }
        let coords = raw
            .coordinates
            .ok_or_else(|| bad(GeometryProblem::NeedsCoordinates))?;
        let coords = coords.get();
        let parse_err = |e: serde_json::Error| self.json_error(index, coords, &e);
        let geometry = match kind {
            "Point" => geo::Geometry::Point(
                self.point(serde_json::from_str::<Pos>(coords).map_err(parse_err)?)
                    .map_err(bad)?,
            ),
            "MultiPoint" => {
                let points: Vec<Pos> = serde_json::from_str(coords).map_err(parse_err)?;
                if points.is_empty() {
                    return Err(bad(GeometryProblem::NoPoints));
                }
                let points = points
                    .into_iter()
                    .map(|p| self.point(p))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad)?;
                geo::Geometry::MultiPoint(geo::MultiPoint(points))
            }
            "LineString" => {
                let line: Vec<Pos> = serde_json::from_str(coords).map_err(parse_err)?;
                geo::Geometry::LineString(self.line(line).map_err(bad)?)
            }
            "MultiLineString" => {
                let lines: Vec<Vec<Pos>> = serde_json::from_str(coords).map_err(parse_err)?;
                if lines.is_empty() {
                    return Err(bad(GeometryProblem::NoLines));
                }
                let lines = lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| self.line(l).map_err(|p| (GeometryPart::Line(i), p)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad_part)?;
                geo::Geometry::MultiLineString(geo::MultiLineString(lines))
            }
            "Polygon" => {
                let rings: Vec<Vec<Pos>> = serde_json::from_str(coords).map_err(parse_err)?;
                geo::Geometry::Polygon(self.polygon(rings).map_err(bad)?)
            }
            _ => {
                let polygons: Vec<Vec<Vec<Pos>>> =
                    serde_json::from_str(coords).map_err(parse_err)?;
                if polygons.is_empty() {
                    return Err(bad(GeometryProblem::NoPolygons));
                }
                let polygons = polygons
                    .into_iter()
                    .enumerate()
                    .map(|(i, p)| self.polygon(p).map_err(|e| (GeometryPart::Polygon(i), e)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad_part)?;
                geo::Geometry::MultiPolygon(geo::MultiPolygon(polygons))
            }
        };
        Ok(geometry)
    }

    fn coord(&self, pos: Pos) -> Result<geo::Coord<f64>, GeometryProblem> {
        let Pos(x, y) = pos;
        if !(x.is_finite() && y.is_finite()) {
            return Err(GeometryProblem::NotFinite { x, y });
        }
        if x.abs() > 180.0 || y.abs() > 180.0 {
            return Err(GeometryProblem::NotDegrees { x, y });
        }
        if y.abs() > 90.0 {
            return Err(GeometryProblem::LatitudeBeyond90 { x, y });
        }
        let (lon, lat) = self.crs.to_wgs84(x, y);
        Ok(geo::coord! { x: lon, y: lat })
    }

    fn point(&self, pos: Pos) -> Result<geo::Point<f64>, GeometryProblem> {
        self.coord(pos).map(geo::Point)
    }

    fn line(&self, positions: Vec<Pos>) -> Result<geo::LineString<f64>, GeometryProblem> {
        if positions.len() < 2 {
            return Err(GeometryProblem::LineTooShort {
                found: positions.len(),
            });
        }
        let coords = positions
            .into_iter()
            .map(|p| self.coord(p))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(geo::LineString(coords))
    }

    fn polygon(&self, rings: Vec<Vec<Pos>>) -> Result<geo::Polygon<f64>, GeometryProblem> {
        if rings.is_empty() {
            return Err(GeometryProblem::NoRings);
        }
        let mut out = Vec::with_capacity(rings.len());
        for (i, ring) in rings.into_iter().enumerate() {
            if ring.len() < 4 {
                return Err(GeometryProblem::RingTooShort {
                    ring: i,
                    found: ring.len(),
                });
            }
            if ring.first().map(|p| (p.0, p.1)) != ring.last().map(|p| (p.0, p.1)) {
                return Err(GeometryProblem::RingNotClosed { ring: i });
            }
            let coords = ring
                .into_iter()
                .map(|p| self.coord(p))
                .collect::<Result<Vec<_>, _>>()?;
            out.push(geo::LineString(coords));
        }
        let mut rings = out.into_iter();
        let exterior = rings.next().unwrap_or_else(|| geo::LineString(Vec::new()));
        Ok(geo::Polygon::new(exterior, rings.collect()))
    }
}

/// A GeoJSON position: at least two numbers; altitude and anything after it are ignored.
struct Pos(f64, f64);

impl<'de> Deserialize<'de> for Pos {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct PosVisitor;
        impl<'de> Visitor<'de> for PosVisitor {
            type Value = Pos;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a position: an array of 2 or 3 numbers")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Pos, A::Error> {
                let x: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom("a position needs 2 numbers, found none"))?;
                let y: f64 = seq
                    .next_element()?
                    .ok_or_else(|| de::Error::custom("a position needs 2 numbers, found 1"))?;
                // Altitude (and a measure, which RFC 7946 discourages) are dropped, but they must
                // still be numbers: [1, 2, "f"] is not a position.
                while seq.next_element::<f64>()?.is_some() {}
                Ok(Pos(x, y))
            }
        }
        deserializer.deserialize_seq(PosVisitor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<ParsedFile> {
        parse_bytes(
            text.as_bytes(),
            Path::new("t.geojson"),
            SourceCrs::Wgs84,
            &mut |_| {},
        )
    }

    #[test]
    fn reads_the_four_shapes_of_input() {
        let f = r#"{"type":"Feature","properties":{"名称":"陆家嘴"},"geometry":{"type":"Point","coordinates":[121.5,31.24]}}"#;
        assert_eq!(parse(f).unwrap().features.len(), 1);
        assert_eq!(parse(&format!("[{f},{f}]")).unwrap().features.len(), 2);
        assert_eq!(
            parse(&format!(
                r#"{{"type":"FeatureCollection","features":[{f}]}}"#
            ))
            .unwrap()
            .features
            .len(),
            1
        );
        let g = parse(r#"{"type":"LineString","coordinates":[[121.5,31.2],[121.6,31.3,4.0]]}"#)
            .unwrap();
        assert!(matches!(
            g.features[0].geometry,
            geo::Geometry::LineString(_)
        ));
        let bom = format!("\u{feff}{f}");
        let p = parse(&bom).unwrap();
        assert_eq!(p.features[0].properties["名称"], "陆家嘴");
    }

    #[test]
    fn refusals_name_feature_and_problem() {
        let e = parse(r#"[{"type":"Feature","geometry":{"type":"Point","coordinates":[121,31]}},{"type":"Feature","geometry":{"type":"Point","coordinates":[13524000.0,3662000.0]}}]"#).unwrap_err().to_string();
        assert!(
            e.contains("t.geojson: feature 1:") && e.contains("projected"),
            "{e}"
        );
        let e = parse(r#"{"type":"Polygon","coordinates":[[[0,0],[1,0],[1,1],[0,1]]]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("not closed"), "{e}");
        let e = parse(r#"{"type":"Feature","geometry":null,"properties":{}}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("no geometry"), "{e}");
        let e = parse("{\"type\":\"FeatureCollection\",\n\"features\":[\n{\"type\":\"Feature\",\"geometry\":{\"type\":\"Point\",\"coordinates\":[1,\"a\"]}}]}").unwrap_err().to_string();
        assert!(e.contains("feature 0") && e.contains("line 3"), "{e}");
        let e = parse(r#"{"type":"Point","coordinates":[31.2,121.5]}"#)
            .unwrap_err()
            .to_string();
        assert!(e.contains("swapped"), "{e}");
        let e = parse_bytes(
            b"{\"type\":\"Point\",\"name\":\"\xd6\xd0\"}",
            Path::new("g.json"),
            SourceCrs::Wgs84,
            &mut |_| {},
        )
        .unwrap_err()
        .to_string();
        assert!(e.contains("not UTF-8"), "{e}");
        assert!(parse("").unwrap_err().to_string().contains("empty"));
        assert!(
            parse(r#"{"type":"FeatureCollection","features":[]}"#)
                .unwrap_err()
                .to_string()
                .contains("no features")
        );
    }

    #[test]
    fn gcj02_is_converted_only_when_asked() {
        let text = br#"{"type":"Point","coordinates":[121.5,31.24]}"#;
        let wgs = parse_bytes(text, Path::new("a"), SourceCrs::Wgs84, &mut |_| {}).unwrap();
        let gcj = parse_bytes(text, Path::new("a"), SourceCrs::Gcj02, &mut |_| {}).unwrap();
        let (geo::Geometry::Point(a), geo::Geometry::Point(b)) =
            (&wgs.features[0].geometry, &gcj.features[0].geometry)
        else {
            panic!("points expected")
        };
        assert_eq!(a.x(), 121.5);
        // In Shanghai GCJ-02 lies about 420 m east and 220 m south of WGS84.
        assert!(b.x() < 121.5 && b.x() > 121.49, "{}", b.x());
        assert!(b.y() > 31.24 && b.y() < 31.25, "{}", b.y());
    }
}
