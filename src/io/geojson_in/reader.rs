//! Reading one feature or geometry from its text: the shape checks, the repairs and the
//! reprojection, and the sink that gathers the kept features, the repairs and the problems.

use std::borrow::Cow;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, SeqAccess, Visitor};
use serde_json::Value;
use serde_json::value::RawValue;

use super::split::Origin;
use super::{ADCODE_LOOKS, GEOMETRY_TYPES, MAX_NESTING, strip_position};
use crate::error::{Error, GeometryPart, GeometryProblem, Problem, Problems, Repair, Result};
use crate::io::crs::Transform;
use crate::io::parsed::{FeatureSink, ParsedFeature, Progress};
use crate::io::repair::{Fixes, Repairs, Xy, is_flat, source_id, without_repeats};
use crate::model::Properties;

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

/// Where the features read go, how many were kept, their repairs, and every problem found.
pub(super) struct Sink<'s> {
    out: &'s mut dyn FeatureSink,
    kept: usize,
    /// One of the first [`ADCODE_LOOKS`] kept features has an `adcode` property.
    adcode: bool,
    repairs: Repairs,
    problems: Problems,
    fixes: Fixes,
}

impl<'s> Sink<'s> {
    pub(super) fn new(file: &Path, out: &'s mut dyn FeatureSink) -> Self {
        Self {
            out,
            kept: 0,
            adcode: false,
            repairs: Repairs::default(),
            problems: Problems::new(file),
            fixes: Fixes::default(),
        }
    }

    /// Feature `i`, its text `raw` read by `reader`: kept (handed on while no problem was
    /// found), dropped or its problem noted.
    pub(super) fn add(&mut self, reader: &Reader<'_>, i: usize, raw: &str) -> Result<()> {
        match reader.feature(i, raw, &mut self.fixes) {
            Ok((source, kept)) => {
                let kept = self.fixes.finish(i, source, kept, &mut self.repairs);
                if let Some(feature) = kept {
                    if self.kept < ADCODE_LOOKS && feature.properties.contains_key("adcode") {
                        self.adcode = true;
                    }
                    self.kept += 1;
                    if self.problems.total() == 0 {
                        self.out.feature(feature)?;
                    }
                }
                Ok(())
            }
            Err(e) => {
                self.fixes = Fixes::default();
                self.problems.absorb(e)
            }
        }
    }

    /// Refused listing every problem; else how many features were kept, whether one of the
    /// first had an `adcode`, and the repairs.
    pub(super) fn finish(self) -> Result<(usize, bool, Repairs)> {
        self.problems.into_result()?;
        Ok((self.kept, self.adcode, self.repairs))
    }
}

pub(super) struct Reader<'a> {
    /// The text errors are placed in: the whole file, or one feature of a streamed one.
    pub(super) text: &'a str,
    /// Where `text` starts in the file.
    pub(super) origin: Origin,
    pub(super) file: &'a Path,
    pub(super) transform: &'a Transform,
}

impl Reader<'_> {
    fn error(&self, feature: Option<usize>, problem: Problem) -> Error {
        Error::input(self.file, feature, problem)
    }

    /// A JSON syntax or shape error inside `slice` (a sub-slice of the file), with the line
    /// and column in the file as a whole.
    pub(super) fn json_error(
        &self,
        feature: Option<usize>,
        slice: &str,
        e: &serde_json::Error,
    ) -> Error {
        let start = (slice.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize);
        let before = self.text.get(..start).unwrap_or("");
        let line_base = self.origin.lines + before.matches('\n').count();
        let column = if e.line() <= 1 {
            match before.rfind('\n') {
                Some(i) => before.len() - (i + 1) + e.column(),
                None => self.origin.column + before.len() + e.column(),
            }
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

    /// Reads every feature, repairing what is unambiguous; a refusal lists every feature's
    /// problem (up to [`crate::error::LISTED_PROBLEMS`]), not only the first.
    pub(super) fn features(
        &self,
        items: &[&str],
        progress: &mut dyn FnMut(Progress),
    ) -> Result<(Vec<ParsedFeature>, Repairs)> {
        let total = items.len() as u64;
        let mut out = Vec::new();
        let mut sink = Sink::new(self.file, &mut out);
        for (i, raw) in items.iter().enumerate() {
            sink.add(self, i, raw)?;
            if i % 1024 == 1023 {
                progress(Progress::Parsing {
                    done: i as u64 + 1,
                    total,
                });
            }
        }
        progress(Progress::Parsing { done: total, total });
        let (_, _, repairs) = sink.finish()?;
        Ok((out, repairs))
    }

    /// One feature and its id for the report; `None` when repair left it no geometry.
    fn feature(
        &self,
        index: usize,
        slice: &str,
        fixes: &mut Fixes,
    ) -> Result<(Option<String>, Option<ParsedFeature>)> {
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
        let properties = raw.properties.unwrap_or_default();
        let source = source_id(raw.id.as_ref(), &properties);
        let geometry = self.geometry(Some(index), geometry_raw.get(), 0, fixes)?;
        Ok((
            source,
            geometry.map(|geometry| ParsedFeature {
                index,
                id: raw.id,
                geometry,
                properties,
            }),
        ))
    }

    /// A geometry, repaired; `None` when nothing of it was left.
    pub(super) fn geometry(
        &self,
        index: Option<usize>,
        slice: &str,
        depth: usize,
        fixes: &mut Fixes,
    ) -> Result<Option<geo::Geometry<f64>>> {
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
            let mut kept = Vec::with_capacity(members.len());
            for m in &members {
                kept.extend(self.geometry(index, m.get(), depth + 1, fixes)?);
            }
            if kept.is_empty() {
                return Ok(None);
            }
            return Ok(Some(geo::Geometry::GeometryCollection(
                geo::GeometryCollection(kept),
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
                geo::Geometry::LineString(self.line(line, fixes).map_err(bad)?)
            }
            "MultiLineString" => {
                let lines: Vec<Vec<Pos>> = serde_json::from_str(coords).map_err(parse_err)?;
                if lines.is_empty() {
                    return Err(bad(GeometryProblem::NoLines));
                }
                let lines = lines
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| self.line(l, fixes).map_err(|p| (GeometryPart::Line(i), p)))
                    .collect::<Result<Vec<_>, _>>()
                    .map_err(bad_part)?;
                geo::Geometry::MultiLineString(geo::MultiLineString(lines))
            }
            "Polygon" => {
                let rings: Vec<Vec<Pos>> = serde_json::from_str(coords).map_err(parse_err)?;
                match self.polygon(rings, None, fixes).map_err(bad)? {
                    Some(polygon) => geo::Geometry::Polygon(polygon),
                    None => return Ok(None),
                }
            }
            _ => {
                let polygons: Vec<Vec<Vec<Pos>>> =
                    serde_json::from_str(coords).map_err(parse_err)?;
                if polygons.is_empty() {
                    return Err(bad(GeometryProblem::NoPolygons));
                }
                let mut kept = Vec::with_capacity(polygons.len());
                for (i, p) in polygons.into_iter().enumerate() {
                    let part = GeometryPart::Polygon(i);
                    kept.extend(
                        self.polygon(p, Some(part), fixes)
                            .map_err(|e| bad_part((part, e)))?,
                    );
                }
                if kept.is_empty() {
                    return Ok(None);
                }
                geo::Geometry::MultiPolygon(geo::MultiPolygon(kept))
            }
        };
        Ok(Some(geometry))
    }

    fn coord(&self, pos: Pos) -> Result<geo::Coord<f64>, GeometryProblem> {
        let (lon, lat) = self.transform.to_wgs84(pos.0, pos.1)?;
        Ok(geo::coord! { x: lon, y: lat })
    }

    fn point(&self, pos: Pos) -> Result<geo::Point<f64>, GeometryProblem> {
        self.coord(pos).map(geo::Point)
    }

    fn line(
        &self,
        positions: Vec<Pos>,
        fixes: &mut Fixes,
    ) -> Result<geo::LineString<f64>, GeometryProblem> {
        let positions = without_repeats(positions, 2, fixes);
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

    /// A polygon, repaired: repeated positions removed, open rings closed, rings with fewer
    /// than 4 positions or no area dropped. `None` (and the repair noted) when its exterior
    /// ring was dropped. `part` is its place in a MultiPolygon.
    fn polygon(
        &self,
        rings: Vec<Vec<Pos>>,
        part: Option<GeometryPart>,
        fixes: &mut Fixes,
    ) -> Result<Option<geo::Polygon<f64>>, GeometryProblem> {
        if rings.is_empty() {
            return Err(GeometryProblem::NoRings);
        }
        let mut out = Vec::with_capacity(rings.len());
        for (ring, positions) in rings.into_iter().enumerate() {
            let coords = match crate::io::repair::closed_ring(positions, part, ring, fixes) {
                None => None,
                Some(positions) => {
                    let coords = positions
                        .into_iter()
                        .map(|p| self.coord(p))
                        .collect::<Result<Vec<_>, _>>()?;
                    if is_flat(&coords) {
                        fixes.repairs.push(Repair::FlatRingDropped { part, ring });
                        None
                    } else {
                        Some(coords)
                    }
                }
            };
            match coords {
                Some(coords) => out.push(geo::LineString(coords)),
                None if ring == 0 => {
                    // Holes without their exterior mean nothing: the polygon goes.
                    if part.is_some() {
                        fixes.repairs.push(Repair::PolygonDropped { part });
                    }
                    return Ok(None);
                }
                None => {}
            }
        }
        let mut rings = out.into_iter();
        let exterior = rings.next().unwrap_or_else(|| geo::LineString(Vec::new()));
        Ok(Some(geo::Polygon::new(exterior, rings.collect())))
    }
}

/// A GeoJSON position: at least two numbers; altitude and anything after it are ignored.
#[derive(Clone, Copy)]
struct Pos(f64, f64);

impl Xy for Pos {
    fn xy(&self) -> (f64, f64) {
        (self.0, self.1)
    }
}

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
