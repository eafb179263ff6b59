//! The GeoPackage geometry blob (GPB): a small header (magic, version, flags, SRS id, envelope)
//! then standard WKB. A format, so it lives with the other formats: the store writes and reads
//! its workspace's geometries through it, and the source-GeoPackage reader (`io::source`)
//! decodes a foreign file's. Decoding walks the WKB first and refuses what is not sound, since
//! the bytes may come from any program.

use geopackage_core::{GpbGeometry, geometry::encode_gpb};

use crate::error::{Error, Problem, Result};

/// The `srs_id` every blob Linli writes carries: WGS84 (EPSG:4326), the only CRS a workspace
/// holds.
pub const WGS84_SRS_ID: i32 = 4326;

/// Decodes a GeoPackage geometry blob; `None` when it is not one, or its WKB body is not
/// sound (see [`wkb_is_sound`]: the `wkb` crate trusts some of what it reads).
pub fn decode_geometry(blob: &[u8]) -> Option<geo::Geometry<f64>> {
    let body = blob.get(gpb_header_len(blob)?..)?;
    wkb_is_sound(body, 0, 0)?;
    GpbGeometry::parse(blob).ok()?.to_geo()
}

/// The length of a GeoPackage blob's header (magic, version, flags, SRS id, envelope).
fn gpb_header_len(blob: &[u8]) -> Option<usize> {
    if blob.len() < 8 || &blob[..2] != b"GP" {
        return None;
    }
    let envelope = match (blob[3] >> 1) & 0b111 {
        0 => 0,
        1 => 32,
        2 | 3 => 48,
        4 => 64,
        _ => return None,
    };
    Some(8 + envelope)
}

/// Deepest nesting of geometry collections read.
const MAX_WKB_DEPTH: usize = 32;

/// Walks a WKB geometry at `at` and gives where it ends, or `None` when it is not sound: an
/// unknown byte order or type, a count beyond the bytes left, nesting deeper than
/// [`MAX_WKB_DEPTH`], or — inside a multi-geometry or collection — a member with an EWKB SRID,
/// a member of the wrong type or of other dimensions than its parent (the `wkb` crate steps
/// through such members by the parent's sizes and panics when they differ).
fn wkb_is_sound(buf: &[u8], at: usize, depth: usize) -> Option<usize> {
    wkb_walk(buf, at, depth, None).map(|(end, _, _)| end)
}

/// As [`wkb_is_sound`], also giving the geometry's base type and coordinate count;
/// `parent_dims` is the parent's coordinate count for a member.
fn wkb_walk(
    buf: &[u8],
    at: usize,
    depth: usize,
    parent_dims: Option<u64>,
) -> Option<(usize, u32, u64)> {
    if depth > MAX_WKB_DEPTH {
        return None;
    }
    let little = match *buf.get(at)? {
        0 => false,
        1 => true,
        _ => return None,
    };
    let u32_at = |i: usize| -> Option<u32> {
        let b: [u8; 4] = buf.get(i..i.checked_add(4)?)?.try_into().ok()?;
        Some(if little {
            u32::from_le_bytes(b)
        } else {
            u32::from_be_bytes(b)
        })
    };
    let word = u32_at(at + 1)?;
    let mut pos = at + 5;
    if word & 0x2000_0000 != 0 {
        if parent_dims.is_some() {
            return None;
        }
        pos += 4;
    }
    let ewkb_dims = u64::from(word & 0x8000_0000 != 0) + u64::from(word & 0x4000_0000 != 0);
    let iso = word & 0x0FFF_FFFF;
    let iso_dims = match iso / 1000 {
        0 => 0,
        1 | 2 => 1,
        3 => 2,
        _ => return None,
    };
    let dims = 2 + ewkb_dims.max(iso_dims);
    if ewkb_dims > 0 && iso_dims > 0 {
        return None;
    }
    if parent_dims.is_some_and(|p| p != dims) {
        return None;
    }
    let base = iso % 1000;
    let left = |pos: usize| (buf.len() as u64).saturating_sub(pos as u64);
    let coords = |pos: usize, n: u64| -> Option<usize> {
        let bytes = n.checked_mul(dims * 8)?;
        (bytes <= left(pos)).then(|| pos + bytes as usize)
    };
    let end = match base {
        1 => coords(pos, 1)?,
        2 => coords(pos + 4, u64::from(u32_at(pos)?))?,
        3 => {
            let rings = u64::from(u32_at(pos)?);
            pos += 4;
            if rings.checked_mul(4)? > left(pos) {
                return None;
            }
            for _ in 0..rings {
                pos = coords(pos + 4, u64::from(u32_at(pos)?))?;
            }
            pos
        }
        4..=7 => {
            let members = u64::from(u32_at(pos)?);
            pos += 4;
            // Every member takes at least a byte order, a type and a coordinate or count.
            if members.checked_mul(9)? > left(pos) {
                return None;
            }
            for _ in 0..members {
                let (end, member, _) = wkb_walk(buf, pos, depth + 1, (base != 7).then_some(dims))?;
                if base != 7 && member != base - 3 {
                    return None;
                }
                pos = end;
            }
            pos
        }
        _ => return None,
    };
    Some((end, base, dims))
}

/// Encodes a geometry as a GeoPackage blob with its envelope `[min_x, max_x, min_y, max_y]`.
pub fn encode_geometry(geometry: &geo::Geometry<f64>) -> Result<(Vec<u8>, Option<[f64; 4]>)> {
    encode_gpb(geometry, WGS84_SRS_ID).map_err(|e| {
        Error::request(Problem::CannotEncodeGeometry {
            detail: e.to_string(),
        })
    })
}

#[cfg(test)]
mod sound_tests {
    use super::*;

    #[test]
    fn a_multipoint_member_with_an_ewkb_srid_is_refused_not_a_panic() {
        // Found by the fuzzer (geometry target, seed 1): a MultiPoint whose member point's
        // type word carries the EWKB SRID flag; the wkb crate panicked reading it.
        let mut blob = b"GP\x00\x01\xe6\x10\x00\x00".to_vec();
        blob.extend([1, 4, 0, 0, 0, 1, 0, 0, 0]);
        blob.extend([1, 0x13, 0x61, 0x33, 0x3f]);
        blob.extend([0x40; 16]);
        assert_eq!(decode_geometry(&blob), None);
        // The same MultiPoint with a plain member reads.
        let mut good = b"GP\x00\x01\xe6\x10\x00\x00".to_vec();
        good.extend([1, 4, 0, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 0]);
        good.extend(121.5f64.to_le_bytes());
        good.extend(31.2f64.to_le_bytes());
        assert!(matches!(
            decode_geometry(&good),
            Some(geo::Geometry::MultiPoint(_))
        ));
    }

    #[test]
    fn deep_collections_and_huge_counts_are_refused() {
        let mut blob = b"GP\x00\x01\xe6\x10\x00\x00".to_vec();
        for _ in 0..10_000 {
            blob.extend([1, 7, 0, 0, 0, 1, 0, 0, 0]);
        }
        assert_eq!(decode_geometry(&blob), None);
        let mut huge = b"GP\x00\x01\xe6\x10\x00\x00".to_vec();
        huge.extend([1, 2, 0, 0, 0, 0xff, 0xff, 0xff, 0xff]);
        assert_eq!(decode_geometry(&huge), None);
    }

    #[test]
    fn every_kind_the_store_writes_reads_back() {
        use geo::{line_string, point, polygon};
        let square =
            polygon![(x: 0.0, y: 0.0), (x: 1.0, y: 0.0), (x: 1.0, y: 1.0), (x: 0.0, y: 0.0)];
        let line = line_string![(x: 0.0, y: 0.0), (x: 1.0, y: 1.0)];
        for g in [
            geo::Geometry::Point(point!(x: 1.0, y: 2.0)),
            geo::Geometry::LineString(line.clone()),
            geo::Geometry::Polygon(square.clone()),
            geo::Geometry::MultiPoint(geo::MultiPoint(vec![point!(x: 1.0, y: 2.0)])),
            geo::Geometry::MultiLineString(geo::MultiLineString(vec![line.clone(), line])),
            geo::Geometry::MultiPolygon(geo::MultiPolygon(vec![square.clone(), square])),
        ] {
            let (blob, _) = encode_geometry(&g).unwrap();
            assert_eq!(decode_geometry(&blob), Some(g));
        }
    }
}
