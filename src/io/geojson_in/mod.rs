//! GeoJSON import: FeatureCollections, bare arrays of Features (DataV exports), single
//! Features and bare Geometries, UTF-8 with or without BOM.
//!
//! The reader is strict where a wrong answer would be silent (coordinates that are not
//! degrees, rings that are not rings, a declared CRS that is not lon/lat) and lenient where
//! nothing is lost (a missing `properties` member, foreign members). Every refusal names the
//! file, the feature index and the problem. Each feature is parsed on its own from a borrowed
//! slice of the file, so an error can say which feature and on which line it sits.

mod reader;
pub(crate) mod split;

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;
use serde_json::Value;
use serde_json::value::RawValue;

use self::reader::{Reader, Sink};
use self::split::{Origin, SplitError, Top};
use crate::error::{Error, FileKind, Problem, Repair, Result};
pub use crate::io::crs::SourceCrs;
use crate::io::crs::Transform;
use crate::io::parsed::Gcj02Clue;
pub use crate::io::parsed::{FeatureSink, ParsedFeature, ParsedFile, Progress, ReadNote};
use crate::io::repair::Fixes;
pub use crate::io::repair::{RepairEntry, Repairs};
use crate::model::Properties;

/// Files larger than this are refused before reading: a FeatureCollection is read as a stream,
/// and a reference layer is written as it is read, but other roles hold their features.
pub const MAX_FILE_BYTES: u64 = 2 * 1024 * 1024 * 1024;

/// Reads and parses a GeoJSON file, reporting progress; `crs` as for [`parse_bytes`].
pub fn read_file(
    path: &Path,
    crs: Option<SourceCrs>,
    progress: &mut dyn FnMut(Progress),
) -> Result<ParsedFile> {
    let mut features = Vec::new();
    let mut parsed = read_file_into(path, crs, progress, &mut features)?;
    parsed.features = features;
    Ok(parsed)
}

/// Reads and parses a GeoJSON file, handing each kept feature to `sink` as it is read (a
/// FeatureCollection or an array is never held whole); the result holds the name, repairs
/// and notes, no features. Once a problem is found, no further feature goes to the sink.
pub fn read_file_into(
    path: &Path,
    crs: Option<SourceCrs>,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
) -> Result<ParsedFile> {
    let file = std::fs::File::open(path).map_err(|e| Error::cannot_open(path, e))?;
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
    let mut streamed = read_streamed(path, file, crs, None, total, progress, sink)?;
    if let Streamed::LateCrs(found) = streamed {
        // The `crs` member came after the features: read the stream again knowing it, still
        // one feature at a time (never the whole file).
        sink.restart()?;
        let file = std::fs::File::open(path).map_err(|e| Error::cannot_open(path, e))?;
        streamed = read_streamed(path, file, crs, Some(found), total, progress, sink)?;
    }
    match streamed {
        Streamed::Read(parsed) => Ok(parsed),
        // A second `crs` member after the features of the second reading: not GeoJSON
        // anyone writes; read whole as other shapes are.
        Streamed::LateCrs(_) | Streamed::Whole => {
            sink.restart()?;
            whole(path, crs, progress, sink)
        }
    }
}

/// How a streamed reading ended.
enum Streamed {
    /// The file was read.
    Read(ParsedFile),
    /// Not a FeatureCollection or an array: read it whole.
    Whole,
    /// Its `crs` member, declaring this, came after its features: read it again.
    LateCrs(SourceCrs),
}

/// Reads a file that is not a FeatureCollection or an array (a single Feature, a Geometry,
/// something else) whole: small, and read whole for the exact messages.
fn whole(
    path: &Path,
    crs: Option<SourceCrs>,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
) -> Result<ParsedFile> {
    let bytes = std::fs::read(path).map_err(|e| Error::cannot_read(path, e))?;
    let mut parsed = parse_bytes(&bytes, path, crs, progress)?;
    for feature in std::mem::take(&mut parsed.features) {
        sink.feature(feature)?;
    }
    Ok(parsed)
}

/// Reads a FeatureCollection or an array of features as a stream: one feature's text at a
/// time, never the whole file. [`Streamed::Whole`] when the file is another kind of GeoJSON;
/// [`Streamed::LateCrs`] when its `crs` came after its features (the caller reads again with
/// `late` set to it).
fn read_streamed(
    path: &Path,
    file: std::fs::File,
    crs: Option<SourceCrs>,
    late: Option<SourceCrs>,
    total: u64,
    progress: &mut dyn FnMut(Progress),
    out: &mut dyn FeatureSink,
) -> Result<Streamed> {
    let at = |p: Problem| Error::input(path, None, p);
    let base = Transform::new(crs.unwrap_or_default()).map_err(at)?;
    // The CRS a `crs` member declares, known before the first feature.
    let declared: std::cell::OnceCell<Transform> = std::cell::OnceCell::new();
    let mut notes = Vec::new();
    if let Some(found) = late {
        let _ = declared.set(Transform::new(found).map_err(at)?);
        if found != SourceCrs::Wgs84 {
            notes.push(ReadNote::Reprojected {
                from: found,
                declared: true,
            });
        }
    }
    let mut sink = Sink::new(path, out);
    let outcome = split::split(
        file,
        &mut |members| {
            let member = members.iter().find(|(k, _)| k == "crs");
            if let Some((_, raw)) = member
                && crs.is_none()
                && let Some(found) = declared_crs(raw)
            {
                let found = found.map_err(at)?;
                let t = Transform::new(found).map_err(at)?;
                if found != SourceCrs::Wgs84 {
                    notes.push(ReadNote::Reprojected {
                        from: found,
                        declared: true,
                    });
                }
                let _ = declared.set(t);
            }
            Ok(())
        },
        &mut |i, text, origin| {
            let reader = Reader {
                text,
                origin,
                file: path,
                transform: declared.get().unwrap_or(&base),
            };
            sink.add(&reader, i, text)
        },
        &mut |done| {
            progress(Progress::Reading {
                done,
                total: total.max(done),
            })
        },
    );
    let top = match outcome {
        Ok(top) => top,
        Err(SplitError::Handler(e)) => return Err(e),
        Err(SplitError::Empty) => return Err(at(Problem::EmptyFile)),
        Err(SplitError::NotJson) => return Err(at(Problem::NotJson)),
        Err(SplitError::NotUtf8 { offset }) => {
            return Err(at(Problem::NotUtf8 {
                offset: offset as usize,
            }));
        }
        Err(SplitError::Io(e)) => {
            return Err(at(Problem::CannotRead {
                reason: e.to_string(),
            }));
        }
        Err(SplitError::Syntax {
            detail,
            line,
            column,
            cut_short,
        }) => {
            return Err(at(Problem::Json {
                detail,
                line,
                column,
                cut_short,
            }));
        }
    };
    let name = match top {
        Top::Array => {
            if crs.is_none() {
                notes.push(ReadNote::LooksLikeGcj02 {
                    clue: Gcj02Clue::BareArray,
                });
            }
            None
        }
        Top::Object { members, streamed } => {
            let member = |key: &str| {
                members
                    .iter()
                    .find(|(k, _)| k == key)
                    .and_then(|(_, v)| serde_json::from_str::<Value>(v).ok())
            };
            let is_collection = member("type").is_some_and(|t| t == "FeatureCollection");
            if !(streamed && is_collection) {
                return Ok(Streamed::Whole);
            }
            // A `crs` after the features came too late to read them by: read the file again.
            if crs.is_none() && declared.get().is_none() {
                let found = members
                    .iter()
                    .find(|(k, _)| k == "crs")
                    .and_then(|(_, v)| declared_crs(v));
                if let Some(found) = found {
                    return Ok(Streamed::LateCrs(found.map_err(at)?));
                }
            }
            member("name").and_then(|n| n.as_str().map(str::to_string))
        }
    };
    let (kept, adcode, repairs) = sink.finish()?;
    progress(Progress::Parsing {
        done: kept as u64,
        total: kept as u64,
    });
    let read_as = declared.get().unwrap_or(&base).crs();
    let parsed = ParsedFile {
        name,
        features: Vec::new(),
        repairs,
        notes,
    };
    with_notes(parsed, path, crs, read_as, kept, adcode).map(Streamed::Read)
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

/// Parses GeoJSON text already in memory. `file` names the source in error messages. `crs`
/// is the user's choice; `None` reads the file's `crs` member, WGS84 when it has none.
pub fn parse_bytes(
    bytes: &[u8],
    file: &Path,
    crs: Option<SourceCrs>,
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
    let base = Transform::new(crs.unwrap_or_default()).map_err(|p| Error::input(file, None, p))?;
    let declared_transform: Transform;
    let mut reader = Reader {
        text,
        origin: Origin::default(),
        file,
        transform: &base,
    };
    let mut notes = Vec::new();
    let first = text.trim_start().chars().next();
    let mut parsed = match first {
        None => return Err(Error::input(file, None, Problem::EmptyFile)),
        Some('[') => {
            let items: Vec<&RawValue> =
                serde_json::from_str(text).map_err(|e| reader.json_error(None, text, &e))?;
            let items: Vec<&str> = items.iter().map(|r| r.get()).collect();
            let (features, repairs) = reader.features(&items, progress)?;
            if crs.is_none() {
                notes.push(ReadNote::LooksLikeGcj02 {
                    clue: Gcj02Clue::BareArray,
                });
            }
            ParsedFile {
                name: None,
                features,
                repairs,
                notes: Vec::new(),
            }
        }
        Some('{') => {
            let top: TopObject =
                serde_json::from_str(text).map_err(|e| reader.json_error(None, text, &e))?;
            if let Some(crs_member) = top.crs
                && crs.is_none()
                && let Some(declared) = declared_crs(crs_member.get())
            {
                let declared = declared.map_err(|p| Error::input(file, None, p))?;
                declared_transform =
                    Transform::new(declared).map_err(|p| Error::input(file, None, p))?;
                reader.transform = &declared_transform;
                if declared != SourceCrs::Wgs84 {
                    notes.push(ReadNote::Reprojected {
                        from: declared,
                        declared: true,
                    });
                }
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
                    let items: Vec<&str> = items.iter().map(|r| r.get()).collect();
                    let (features, repairs) = reader.features(&items, progress)?;
                    ParsedFile {
                        name,
                        features,
                        repairs,
                        notes: Vec::new(),
                    }
                }
                Some("Feature") => {
                    let (features, repairs) = reader.features(&[text], progress)?;
                    ParsedFile {
                        name,
                        features,
                        repairs,
                        notes: Vec::new(),
                    }
                }
                Some(kind) if GEOMETRY_TYPES.contains(&kind) => {
                    let mut fixes = Fixes::default();
                    let geometry = reader.geometry(Some(0), text, 0, &mut fixes)?;
                    let mut repairs = Repairs::default();
                    if geometry.is_none() {
                        fixes.repairs.push(Repair::FeatureDropped);
                    }
                    fixes.drain_into(0, None, &mut repairs);
                    ParsedFile {
                        name,
                        features: geometry
                            .map(|geometry| ParsedFeature {
                                index: 0,
                                id: None,
                                geometry,
                                properties: Properties::new(),
                            })
                            .into_iter()
                            .collect(),
                        repairs,
                        notes: Vec::new(),
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
    let read_as = reader.transform.crs();
    parsed.notes = notes;
    let kept = parsed.features.len();
    let adcode = parsed
        .features
        .iter()
        .take(ADCODE_LOOKS)
        .any(|f| f.properties.contains_key("adcode"));
    with_notes(parsed, file, crs, read_as, kept, adcode)
}

/// How many of the first features are looked at for an `adcode` property (the GCJ-02 hint).
const ADCODE_LOOKS: usize = 100;

/// The end of every GeoJSON read: refused with no feature (`kept` is how many were kept);
/// else the notes on how it was read (the CRS given, the GCJ-02 hint when one of the first
/// features has an `adcode`) after the reader's own.
fn with_notes(
    mut parsed: ParsedFile,
    file: &Path,
    crs: Option<SourceCrs>,
    read_as: SourceCrs,
    kept: usize,
    adcode: bool,
) -> Result<ParsedFile> {
    let mut notes = std::mem::take(&mut parsed.notes);
    if kept == 0 {
        return Err(Error::input(file, None, Problem::NoFeatures));
    }
    if let Some(from) = crs.filter(|c| *c != SourceCrs::Wgs84) {
        notes.push(ReadNote::Reprojected {
            from,
            declared: false,
        });
    }
    if crs.is_none()
        && read_as == SourceCrs::Wgs84
        && !notes
            .iter()
            .any(|n| matches!(n, ReadNote::LooksLikeGcj02 { .. }))
        && adcode
    {
        notes.push(ReadNote::LooksLikeGcj02 {
            clue: Gcj02Clue::Adcode,
        });
    }
    parsed.notes = notes;
    Ok(parsed)
}

/// The CRS a `crs` member names (`None` when it names none), or the problem with it.
fn declared_crs(raw: &str) -> Option<Result<SourceCrs, Problem>> {
    let value: Value = serde_json::from_str(raw).unwrap_or(Value::Null);
    let name = value
        .pointer("/properties/name")
        .and_then(Value::as_str)
        .unwrap_or("");
    (!name.is_empty()).then(|| crate::io::crs::from_name(name))
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

#[cfg(test)]
mod tests;
