//! Shapefile import: the `.shp` (with its `.shx` when there is one), the `.dbf` attributes and
//! the `.prj` CRS, through the `shapefile` and `dbase` crates.
//!
//! The `.dbf` text is decoded by the encoding the user gave (`--encoding`), else the one its
//! `.cpg` names, else its header's language-driver byte, else UTF-8 when the text is valid
//! UTF-8, else GBK (what Chinese Shapefiles without a `.cpg` nearly always are); the choice is
//! reported. A Shapefile without a `.dbf` imports geometry only, saying so. Rings get the same
//! unambiguous repairs as GeoJSON ([`crate::io::repair`]); problems of many features are all
//! listed; a cut-short `.shp` or a `.dbf` whose record count disagrees is refused whole.

use std::io::Read;
use std::path::{Path, PathBuf};

use serde_json::{Number, Value};
use shapefile::dbase;
use shapefile::{PolygonRing, Shape};

use crate::error::{Error, GeometryProblem, Problem, Repair, Result};
use crate::io::crs::{SourceCrs, Transform};
use crate::io::parsed::{EncodingSource, FeatureSink, Gather, ParsedFile, Progress, ReadNote};
use crate::io::repair::{Fixes, closed_ring, is_flat, without_repeats};
use crate::model::Properties;

/// The first four bytes of every `.shp` and `.shx`: file code 9994, big-endian.
pub const MAGIC: [u8; 4] = [0x00, 0x00, 0x27, 0x0A];

/// How to read a Shapefile.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ShapefileOptions {
    /// The CRS the user gave; `None` reads the `.prj` (WGS84 when there is none).
    pub crs: Option<SourceCrs>,
    /// The `.dbf` encoding the user gave (an encoding label: `GBK`, `UTF-8`, `Big5`).
    pub encoding: Option<String>,
}

/// A file beside the `.shp` with extension `ext`, whatever the case of the extension.
fn sidecar(shp: &Path, ext: &str) -> Option<PathBuf> {
    [ext.to_ascii_lowercase(), ext.to_ascii_uppercase()]
        .iter()
        .map(|e| shp.with_extension(e))
        .find(|p| p.is_file())
}

fn broken(file: &Path, part: &str, detail: impl ToString) -> Error {
    Error::input(
        file,
        None,
        Problem::ShapefileBroken {
            part: part.to_string(),
            detail: detail.to_string(),
        },
    )
}

/// Reads a Shapefile given by its `.shp` path.
pub fn read_file(
    shp: &Path,
    options: &ShapefileOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<ParsedFile> {
    let mut features = Vec::new();
    let mut parsed = read_file_into(shp, options, progress, &mut features)?;
    parsed.features = features;
    Ok(parsed)
}

/// Reads a Shapefile given by its `.shp` path, handing each kept feature to `sink` as it is
/// read; the result holds the repairs and notes, no features.
pub fn read_file_into(
    shp: &Path,
    options: &ShapefileOptions,
    progress: &mut dyn FnMut(Progress),
    sink: &mut dyn FeatureSink,
) -> Result<ParsedFile> {
    let mut notes = Vec::new();
    let crs = match (options.crs, sidecar(shp, "prj")) {
        (Some(crs), _) => {
            if crs != SourceCrs::Wgs84 {
                notes.push(ReadNote::Reprojected {
                    from: crs,
                    declared: false,
                });
            }
            crs
        }
        (None, Some(prj)) => {
            let text = std::fs::read(&prj).map_err(|e| Error::io(&prj, e))?;
            let text = String::from_utf8_lossy(&text);
            let crs = crate::io::crs::from_wkt(&text).map_err(|p| Error::input(&prj, None, p))?;
            if crs != SourceCrs::Wgs84 {
                notes.push(ReadNote::Reprojected {
                    from: crs,
                    declared: true,
                });
            }
            crs
        }
        (None, None) => SourceCrs::Wgs84,
    };
    let transform = Transform::new(crs).map_err(|p| Error::input(shp, None, p))?;

    // Counts the headers declare, checked against the bytes before the crate reserves them.
    crate::io::shp_check::check(shp, sidecar(shp, "shx").as_deref())
        .map_err(|(part, detail)| broken(shp, part, detail))?;
    let mut shapes =
        shapefile::ShapeReader::from_path(shp).map_err(|e| broken(shp, ".shp", shp_error(&e)))?;
    let indexed = shapes.shape_count().ok();
    let mut dbf = match sidecar(shp, "dbf") {
        Some(path) => Some(open_dbf(&path, options, &mut notes)?),
        None => {
            notes.push(ReadNote::NoAttributes);
            None
        }
    };
    if let (Some(shapes), Some((_, dbf))) = (indexed, &dbf) {
        let records = dbf.header().num_records as usize;
        if shapes != records {
            return Err(Error::input(
                shp,
                None,
                Problem::DbfCountMismatch { shapes, records },
            ));
        }
    }
    let total = indexed.unwrap_or(0) as u64;
    let mut gather = Gather::new(shp, sink);
    let mut fields: Vec<String> = Vec::new();
    let mut record_count = 0;
    if let Some((_, reader)) = &dbf {
        let (unique, renamed) = unique_field_names(reader.fields().iter().map(|f| f.name()));
        if !renamed.is_empty() {
            notes.push(ReadNote::DuplicateFields { renamed });
        }
        fields = unique;
        record_count = reader.header().num_records as usize;
    }
    let mut records = dbf
        .as_mut()
        .map(|(path, r)| (path.clone(), r.iter_records_as::<OrderedRecord>()));
    for (index, shape) in shapes.iter_shapes().enumerate() {
        let shape = shape.map_err(|e| broken(shp, ".shp", shp_error_at(&e, index)))?;
        let properties = match records.as_mut() {
            None => Properties::new(),
            Some((path, iter)) => match iter.next() {
                Some(Ok(record)) => properties_of(record, &fields),
                Some(Err(e)) => return Err(broken(path, ".dbf", format!("record {index}: {e}"))),
                None => {
                    return Err(Error::input(
                        shp,
                        None,
                        Problem::DbfCountMismatch {
                            shapes: index + 1,
                            records: index,
                        },
                    ));
                }
            },
        };
        let mut fixes = Fixes::default();
        let outcome = geometry_of(shape, &transform, &mut fixes);
        gather.add(index, outcome, fixes, properties)?;
        if index % 1024 == 1023 {
            progress(Progress::Parsing {
                done: index as u64 + 1,
                total: total.max(index as u64 + 1),
            });
        }
    }
    if let Some((_, iter)) = records.as_mut()
        && iter.next().is_some()
    {
        return Err(Error::input(
            shp,
            None,
            Problem::DbfCountMismatch {
                shapes: gather.read(),
                records: record_count,
            },
        ));
    }
    progress(Progress::Parsing { done: total, total });
    gather.finish(shp, None, notes)
}

/// The shapefile crate's words for a `.shp` that does not read.
fn shp_error(e: &shapefile::Error) -> String {
    match e {
        shapefile::Error::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            "the file is cut short".to_string()
        }
        other => other.to_string(),
    }
}

fn shp_error_at(e: &shapefile::Error, index: usize) -> String {
    format!("record {index}: {}", shp_error(e))
}

type DbfReader = dbase::Reader<std::io::BufReader<std::fs::File>>;

/// Opens the `.dbf` with the encoding chosen as the module says, noting the choice.
fn open_dbf(
    path: &Path,
    options: &ShapefileOptions,
    notes: &mut Vec<ReadNote>,
) -> Result<(PathBuf, DbfReader)> {
    let (encoding, from) = match &options.encoding {
        Some(label) => (
            encoding_for(label).ok_or_else(|| {
                Error::request(Problem::UnknownEncoding {
                    name: label.clone(),
                })
            })?,
            EncodingSource::Given,
        ),
        None => match sidecar(path, "cpg")
            .and_then(|cpg| std::fs::read(cpg).ok())
            .and_then(|bytes| encoding_for(String::from_utf8_lossy(&bytes).trim()))
        {
            Some(encoding) => (encoding, EncodingSource::Cpg),
            None => match language_driver(path)? {
                Some(encoding) => (encoding, EncodingSource::LanguageDriver),
                None if is_utf8(path)? => (encoding_rs::UTF_8, EncodingSource::Utf8),
                None => (encoding_rs::GBK, EncodingSource::GbkFallback),
            },
        },
    };
    notes.push(ReadNote::Encoding {
        encoding: encoding.name().to_string(),
        from,
    });
    let reader = dbase::ReaderBuilder::new()
        .with_encoding(dbase::encoding::EncodingRs::from(encoding))
        .open(path)
        .map_err(|e| broken(path, ".dbf", e))?;
    Ok((path.to_path_buf(), reader))
}

/// An encoding by label (`GBK`, `utf-8`) or Windows code page number (`936`).
fn encoding_for(label: &str) -> Option<&'static encoding_rs::Encoding> {
    let label = label.trim().trim_start_matches('\u{feff}');
    let by_page = match label.trim_start_matches("CP").trim_start_matches("cp") {
        "936" => Some("gbk"),
        "54936" => Some("gb18030"),
        "950" => Some("big5"),
        "65001" => Some("utf-8"),
        "1252" => Some("windows-1252"),
        "932" => Some("shift_jis"),
        "949" => Some("euc-kr"),
        _ => None,
    };
    encoding_rs::Encoding::for_label(by_page.unwrap_or(label).as_bytes())
}

/// The encoding named by the `.dbf` header's language-driver byte (offset 29), for the
/// drivers that name one unambiguously.
fn language_driver(path: &Path) -> Result<Option<&'static encoding_rs::Encoding>> {
    let mut header = [0u8; 32];
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    if file.read_exact(&mut header).is_err() {
        return Err(broken(path, ".dbf", "the header is cut short"));
    }
    Ok(match header[29] {
        0x4D | 0x7A => Some(encoding_rs::GBK),
        0x78 => Some(encoding_rs::BIG5),
        0x13 | 0x7B => Some(encoding_rs::SHIFT_JIS),
        0x79 => Some(encoding_rs::EUC_KR),
        _ => None,
    })
}

/// Whether the `.dbf`'s records are valid UTF-8, read in chunks.
fn is_utf8(path: &Path) -> Result<bool> {
    let mut file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let mut chunk = vec![0u8; 1 << 16];
    let mut carry: Vec<u8> = Vec::new();
    loop {
        let n = file.read(&mut chunk).map_err(|e| Error::io(path, e))?;
        if n == 0 {
            return Ok(carry.is_empty());
        }
        carry.extend_from_slice(&chunk[..n]);
        match std::str::from_utf8(&carry) {
            Ok(_) => carry.clear(),
            // A character split across chunks: keep its start for the next one.
            Err(e) if e.error_len().is_none() => {
                let keep = carry.split_off(e.valid_up_to());
                carry = keep;
            }
            Err(_) => return Ok(false),
        }
    }
}

/// The fields' names made unique: a name met again (GBK names cut to 10 bytes collide) gets
/// `_2`, `_3`… — the first suffix no field of the file already has — and is listed as
/// (name, new name), in field order.
fn unique_field_names<'a>(
    names: impl Iterator<Item = &'a str> + Clone,
) -> (Vec<String>, Vec<(String, String)>) {
    let mut taken: std::collections::HashSet<String> = names.clone().map(str::to_string).collect();
    let mut seen = std::collections::HashSet::new();
    let (mut out, mut renamed) = (Vec::new(), Vec::new());
    for name in names {
        if seen.insert(name.to_string()) {
            out.push(name.to_string());
            continue;
        }
        let new = (2..)
            .map(|n| format!("{name}_{n}"))
            .find(|candidate| !taken.contains(candidate))
            .unwrap_or_else(|| name.to_string());
        taken.insert(new.clone());
        seen.insert(new.clone());
        renamed.push((name.to_string(), new.clone()));
        out.push(new);
    }
    (out, renamed)
}

/// A `.dbf` record's values in field order: fields sharing a name each keep their value
/// (`dbase::Record`, a map by name, keeps one of them).
struct OrderedRecord(Vec<dbase::FieldValue>);

impl dbase::ReadableRecord for OrderedRecord {
    fn read_using<Source, MemoSource>(
        fields: &mut dbase::FieldIterator<Source, MemoSource>,
    ) -> std::result::Result<Self, dbase::FieldError>
    where
        Source: Read + std::io::Seek,
        MemoSource: Read + std::io::Seek,
    {
        let mut values = Vec::new();
        for field in fields {
            values.push(field?.value);
        }
        Ok(Self(values))
    }
}

/// A record's values under the `.dbf`'s (made unique) field names, in field order.
fn properties_of(record: OrderedRecord, fields: &[String]) -> Properties {
    use dbase::FieldValue as F;
    let number = |f: f64| Number::from_f64(f).map_or(Value::Null, Value::Number);
    let mut out = Properties::new();
    let mut values = record.0.into_iter();
    for name in fields {
        let value = match values.next() {
            None => Value::Null,
            Some(F::Character(s)) => s.map_or(Value::Null, |s| Value::String(s.trim().to_string())),
            Some(F::Memo(s)) => Value::String(s),
            Some(F::Numeric(n)) => match n {
                Some(n) if n.fract() == 0.0 && n.abs() < 9e15 => Value::from(n as i64),
                Some(n) => number(n),
                None => Value::Null,
            },
            Some(F::Float(f)) => f.map_or(Value::Null, |f| number(f64::from(f))),
            Some(F::Double(f)) | Some(F::Currency(f)) => number(f),
            Some(F::Integer(i)) => Value::from(i),
            Some(F::Logical(b)) => b.map_or(Value::Null, Value::Bool),
            Some(F::Date(d)) => d.map_or(Value::Null, |d| {
                Value::String(format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day()))
            }),
            Some(F::DateTime(t)) => {
                let d = t.date();
                let time = t.time();
                Value::String(format!(
                    "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
                    d.year(),
                    d.month(),
                    d.day(),
                    time.hours(),
                    time.minutes(),
                    time.seconds()
                ))
            }
        };
        out.insert(name.clone(), value);
    }
    out
}

/// A point type of the shapefile crate (X, Y and maybe Z and M).
trait Planar {
    fn xy(&self) -> (f64, f64);
}

impl Planar for shapefile::Point {
    fn xy(&self) -> (f64, f64) {
        (self.x, self.y)
    }
}

impl Planar for shapefile::PointM {
    fn xy(&self) -> (f64, f64) {
        (self.x, self.y)
    }
}

impl Planar for shapefile::PointZ {
    fn xy(&self) -> (f64, f64) {
        (self.x, self.y)
    }
}

/// The kind's name as messages say it.
fn kind_name(shape: &Shape) -> &'static str {
    match shape {
        Shape::NullShape => "Null",
        Shape::Point(_) | Shape::PointM(_) | Shape::PointZ(_) => "Point",
        Shape::Multipoint(_) | Shape::MultipointM(_) | Shape::MultipointZ(_) => "MultiPoint",
        Shape::Polyline(_) | Shape::PolylineM(_) | Shape::PolylineZ(_) => "LineString",
        Shape::Polygon(_) | Shape::PolygonM(_) | Shape::PolygonZ(_) => "Polygon",
        Shape::Multipatch(_) => "MultiPatch",
    }
}

/// One shape as geometry in WGS84, repaired; `None` when nothing was left of it.
fn geometry_of(
    shape: Shape,
    transform: &Transform,
    fixes: &mut Fixes,
) -> Result<Option<geo::Geometry<f64>>, Problem> {
    let kind = kind_name(&shape).to_string();
    let bad = |problem: GeometryProblem| Problem::Geometry {
        kind: kind.clone(),
        part: None,
        problem,
    };
    let coord = |(x, y): (f64, f64)| {
        transform
            .to_wgs84(x, y)
            .map(|(x, y)| geo::coord! { x: x, y: y })
    };
    match shape {
        // A record with no shape: there is nothing to import.
        Shape::NullShape => Ok(None),
        Shape::Point(p) => point(p.xy(), &coord).map_err(bad),
        Shape::PointM(p) => point(p.xy(), &coord).map_err(bad),
        Shape::PointZ(p) => point(p.xy(), &coord).map_err(bad),
        Shape::Multipoint(m) => multipoint(m.into_inner(), &coord).map_err(bad),
        Shape::MultipointM(m) => multipoint(m.into_inner(), &coord).map_err(bad),
        Shape::MultipointZ(m) => multipoint(m.into_inner(), &coord).map_err(bad),
        Shape::Polyline(l) => lines(l.into_inner(), &coord, fixes).map_err(bad),
        Shape::PolylineM(l) => lines(l.into_inner(), &coord, fixes).map_err(bad),
        Shape::PolylineZ(l) => lines(l.into_inner(), &coord, fixes).map_err(bad),
        Shape::Polygon(p) => polygons(p.into_inner(), &coord, fixes).map_err(bad),
        Shape::PolygonM(p) => polygons(p.into_inner(), &coord, fixes).map_err(bad),
        Shape::PolygonZ(p) => polygons(p.into_inner(), &coord, fixes).map_err(bad),
        Shape::Multipatch(_) => Err(Problem::UnknownGeometryType { found: kind }),
    }
}

type Coord = geo::Coord<f64>;
type ToCoord<'a> = dyn Fn((f64, f64)) -> Result<Coord, GeometryProblem> + 'a;

fn point(
    xy: (f64, f64),
    coord: &ToCoord<'_>,
) -> Result<Option<geo::Geometry<f64>>, GeometryProblem> {
    Ok(Some(geo::Geometry::Point(geo::Point(coord(xy)?))))
}

fn multipoint<P: Planar>(
    points: Vec<P>,
    coord: &ToCoord<'_>,
) -> Result<Option<geo::Geometry<f64>>, GeometryProblem> {
    if points.is_empty() {
        return Err(GeometryProblem::NoPoints);
    }
    let points = points
        .iter()
        .map(|p| coord(p.xy()).map(geo::Point))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(geo::Geometry::MultiPoint(geo::MultiPoint(points))))
}

fn lines<P: Planar>(
    parts: Vec<Vec<P>>,
    coord: &ToCoord<'_>,
    fixes: &mut Fixes,
) -> Result<Option<geo::Geometry<f64>>, GeometryProblem> {
    if parts.is_empty() {
        return Err(GeometryProblem::NoLines);
    }
    let mut out = Vec::with_capacity(parts.len());
    for part in parts {
        let xy: Vec<(f64, f64)> = part.iter().map(Planar::xy).collect();
        let xy = without_repeats(xy, 2, fixes);
        if xy.len() < 2 {
            return Err(GeometryProblem::LineTooShort { found: xy.len() });
        }
        let coords = xy.into_iter().map(coord).collect::<Result<Vec<_>, _>>()?;
        out.push(geo::LineString(coords));
    }
    Ok(Some(if out.len() == 1 {
        geo::Geometry::LineString(out.remove(0))
    } else {
        geo::Geometry::MultiLineString(geo::MultiLineString(out))
    }))
}

/// Polygons from a Shapefile's rings: outer rings (clockwise) each start a polygon, inner
/// rings go to the outer ring that contains them. A file with no clockwise ring at all (a
/// writer that got the winding wrong) has its rings taken as outer rings.
fn polygons<P: Planar>(
    rings: Vec<PolygonRing<P>>,
    coord: &ToCoord<'_>,
    fixes: &mut Fixes,
) -> Result<Option<geo::Geometry<f64>>, GeometryProblem> {
    use geo::Contains;
    if rings.is_empty() {
        return Err(GeometryProblem::NoRings);
    }
    let any_outer = rings.iter().any(|r| matches!(r, PolygonRing::Outer(_)));
    let mut outers: Vec<(geo::LineString<f64>, Vec<geo::LineString<f64>>)> = Vec::new();
    let mut inners = Vec::new();
    for (i, ring) in rings.into_iter().enumerate() {
        let (outer, points) = match ring {
            PolygonRing::Outer(points) => (true, points),
            PolygonRing::Inner(points) => (!any_outer, points),
        };
        let xy: Vec<(f64, f64)> = points.iter().map(Planar::xy).collect();
        // Rings are numbered in file order, as a Shapefile has no polygon parts.
        let Some(xy) = closed_ring(xy, None, i, fixes) else {
            continue;
        };
        let coords = xy.into_iter().map(coord).collect::<Result<Vec<_>, _>>()?;
        if is_flat(&coords) {
            fixes.repairs.push(Repair::FlatRingDropped {
                part: None,
                ring: i,
            });
            continue;
        }
        if outer {
            outers.push((geo::LineString(coords), Vec::new()));
        } else {
            inners.push(geo::LineString(coords));
        }
    }
    let shells: Vec<geo::Polygon<f64>> = outers
        .iter()
        .map(|(outer, _)| geo::Polygon::new(outer.clone(), Vec::new()))
        .collect();
    for inner in inners {
        let first = inner.0[0];
        match shells.iter().position(|shell| shell.contains(&first)) {
            Some(k) => outers[k].1.push(inner),
            // A counter-clockwise ring inside no outer ring is a polygon of its own, as GDAL
            // reads it.
            None => outers.push((inner, Vec::new())),
        }
    }
    let mut polygons: Vec<geo::Polygon<f64>> = outers
        .into_iter()
        .map(|(outer, holes)| geo::Polygon::new(outer, holes))
        .collect();
    Ok(match polygons.len() {
        0 => None,
        1 => polygons.pop().map(geo::Geometry::Polygon),
        _ => Some(geo::Geometry::MultiPolygon(geo::MultiPolygon(polygons))),
    })
}

/// Whether the file at `path` starts like a `.shp`.
pub fn looks_like_shp(head: &[u8]) -> bool {
    head.len() >= 4 && head[..4] == MAGIC
}
