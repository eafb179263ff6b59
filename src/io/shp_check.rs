//! The sizes a Shapefile's headers declare, checked against the bytes really there before the
//! `shapefile` crate reads them: the crate reserves memory for the counts it reads (parts,
//! points, index entries), so a few bytes of a hostile file could ask for gigabytes. Found by
//! the fuzz harness (`examples/fuzz.rs`, shapefile target).

use std::io::{BufReader, Read};
use std::path::Path;

/// Shape types with a box, a part count and a point count (polyline, polygon, multipatch, in
/// their plain, M and Z forms).
const MULTI_PART: [i32; 7] = [3, 5, 13, 15, 23, 25, 31];
/// Shape types with a box and a point count (multipoint, plain, Z and M).
const MULTI_POINT: [i32; 3] = [8, 18, 28];

/// Checks the `.shx` beside `shx` (when given) and every record header of `shp`; the error
/// names the part (`.shp`, `.shx`) and says what does not fit, in English as the crate's words
/// are.
pub(crate) fn check(shp: &Path, shx: Option<&Path>) -> Result<(), (&'static str, String)> {
    if let Some(shx) = shx {
        check_declared_length(shx).map_err(|d| (".shx", d))?;
    }
    check_records(shp, shx).map_err(|d| (".shp", d))
}

fn file_len(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| e.to_string())
}

/// The header's file length (16-bit words, big-endian, at byte 24) may not exceed the file.
fn check_declared_length(path: &Path) -> Result<(), String> {
    let len = file_len(path)?;
    let mut head = [0u8; 28];
    let mut f = std::fs::File::open(path).map_err(|e| e.to_string())?;
    if f.read_exact(&mut head).is_err() {
        // Too short for a header: the crate says so in its own words.
        return Ok(());
    }
    let words = i32::from_be_bytes([head[24], head[25], head[26], head[27]]);
    let declared = i64::from(words) * 2;
    if declared < 0 || declared as u64 > len {
        return Err(format!(
            "the header declares {declared} bytes but the file has {len}"
        ));
    }
    Ok(())
}

/// Checks the records of `shp`: those met walking the file from its header, and — when there
/// is an index — those at the offsets it lists (the crate seeks to those).
fn check_records(shp: &Path, shx: Option<&Path>) -> Result<(), String> {
    let len = file_len(shp)?;
    if len < 100 {
        return Ok(());
    }
    let mut f = BufReader::new(std::fs::File::open(shp).map_err(|e| e.to_string())?);
    let mut pos: u64 = 100;
    let mut index = 0usize;
    // Where `f` is: seeking relative to it keeps BufReader's buffer (one read per 8 KiB of
    // small records, not one per record).
    let mut at = 0u64;
    while pos + 8 <= len {
        let content = check_record_at(&mut f, &mut at, pos, len, index)?;
        pos += 8 + content;
        index += 1;
    }
    if let Some(shx) = shx {
        let bytes = std::fs::read(shx).map_err(|e| e.to_string())?;
        for (index, entry) in bytes
            .get(100..)
            .unwrap_or_default()
            .chunks_exact(8)
            .enumerate()
        {
            let words = i32::from_be_bytes([entry[0], entry[1], entry[2], entry[3]]);
            let offset = i64::from(words) * 2;
            if offset >= 100 && (offset as u64) + 8 <= len {
                check_record_at(&mut f, &mut at, offset as u64, len, index)?;
            }
        }
    }
    Ok(())
}

/// Checks record `index` at byte `pos` and gives its declared content length; `at` is where
/// `f` is, and is kept up to date.
fn check_record_at(
    f: &mut BufReader<std::fs::File>,
    at: &mut u64,
    pos: u64,
    len: u64,
    index: usize,
) -> Result<u64, String> {
    f.seek_relative(pos as i64 - *at as i64)
        .map_err(|e| e.to_string())?;
    let mut head = [0u8; 8 + 44];
    let want = (len - pos).min(head.len() as u64) as usize;
    f.read_exact(&mut head[..want]).map_err(|e| e.to_string())?;
    *at = pos + want as u64;
    let words = i32::from_be_bytes([head[4], head[5], head[6], head[7]]);
    if words < 0 {
        return Err(format!("record {index} declares a negative length"));
    }
    let content = u64::from(words.unsigned_abs()) * 2;
    // What the record may hold: its declared content, and never more than the file.
    let room = content.min(len - pos - 8);
    let int_at = |i: usize| -> Option<i64> {
        let b = head.get(8 + i..8 + i + 4)?;
        if 8 + i + 4 > want {
            return None;
        }
        Some(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])))
    };
    let Some(kind) = int_at(0) else {
        return Ok(content);
    };
    let kind = kind as i32;
    let need = if MULTI_PART.contains(&kind) {
        match (int_at(36), int_at(40)) {
            (Some(parts), Some(points)) => {
                if parts < 0 || points < 0 {
                    return Err(format!("record {index} declares a negative count"));
                }
                Some((44 + parts * 4 + points * 16) as u64)
            }
            _ => None,
        }
    } else if MULTI_POINT.contains(&kind) {
        match int_at(36) {
            Some(points) if points < 0 => {
                return Err(format!("record {index} declares a negative count"));
            }
            Some(points) => Some((40 + points * 16) as u64),
            None => None,
        }
    } else {
        None
    };
    if let Some(need) = need
        && need > room
    {
        return Err(format!(
            "record {index} declares {need} bytes of parts and points, but holds {room}"
        ));
    }
    // Each part starts at a point index: within the points, in order (the crate reserves
    // room for the difference of two of them).
    if MULTI_PART.contains(&kind)
        && let (Some(parts), Some(points)) = (int_at(36), int_at(40))
    {
        let mut starts = vec![0u8; parts as usize * 4];
        f.read_exact(&mut starts).map_err(|e| e.to_string())?;
        *at += starts.len() as u64;
        let mut previous = 0i64;
        for start in starts.chunks_exact(4) {
            let start = i64::from(i32::from_le_bytes([start[0], start[1], start[2], start[3]]));
            if start < previous || start > points {
                return Err(format!(
                    "record {index} has a part starting at point {start} of {points}"
                ));
            }
            previous = start;
        }
    }
    Ok(content)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `.shp` header and one polygon record whose counts are `parts` and `points`, with
    /// `bytes` of content after them.
    fn shp(parts: i32, points: i32, bytes: usize) -> Vec<u8> {
        let mut out = vec![0u8; 100];
        out[..4].copy_from_slice(&9994i32.to_be_bytes());
        let content = 44 + bytes;
        let mut record = Vec::new();
        record.extend(1i32.to_be_bytes());
        record.extend(((content / 2) as i32).to_be_bytes());
        record.extend(5i32.to_le_bytes());
        record.extend([0u8; 32]);
        record.extend(parts.to_le_bytes());
        record.extend(points.to_le_bytes());
        record.extend(vec![0u8; bytes]);
        out.extend(record);
        let words = (out.len() / 2) as i32;
        out[24..28].copy_from_slice(&words.to_be_bytes());
        out
    }

    #[test]
    fn counts_beyond_the_record_are_refused_before_the_crate_reserves_them() {
        // Found by the fuzz harness: one record claimed 2^28 points in a 600-byte file, and
        // the crate reserved 4 GiB for them.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.shp");
        std::fs::write(&path, shp(1, 1 << 28, 20)).unwrap();
        let (part, detail) = check(&path, None).unwrap_err();
        assert_eq!(part, ".shp");
        assert!(detail.contains("record 0"), "{detail}");
        // Counts that fit pass.
        std::fs::write(&path, shp(1, 4, 4 + 64)).unwrap();
        assert!(check(&path, None).is_ok());
        // Found by the fuzzer too: a part starting before point 0 (the crate reserved 15 GB
        // for the points between it and the end).
        let mut bytes = shp(1, 5, 4 + 80);
        bytes[100 + 8 + 44..100 + 8 + 48].copy_from_slice(&(-956_000_000i32).to_le_bytes());
        std::fs::write(&path, bytes).unwrap();
        let (_, detail) = check(&path, None).unwrap_err();
        assert!(
            detail.contains("part starting at point -956000000"),
            "{detail}"
        );
        // An index that declares more than it has.
        let shx = dir.path().join("a.shx");
        let mut head = vec![0u8; 100];
        head[24..28].copy_from_slice(&(i32::MAX).to_be_bytes());
        std::fs::write(&shx, head).unwrap();
        let (part, _) = check(&path, Some(&shx)).unwrap_err();
        assert_eq!(part, ".shx");
    }

    #[test]
    fn records_are_checked_where_the_index_points_too() {
        // Found by the fuzz harness (run 2): the first record's length was changed so a walk
        // from the header skips the second record, which the crate still reads through the
        // `.shx` offset, and whose counts ask for gigabytes.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("b.shp");
        let mut bytes = shp(1, 4, 4 + 64);
        let second_at = bytes.len();
        let mut second = shp(1, 1 << 28, 20)[100..].to_vec();
        second[..4].copy_from_slice(&2i32.to_be_bytes());
        bytes.extend(second);
        // The first record now claims to run to the end of the file.
        let words = ((bytes.len() - 108) / 2) as i32;
        bytes[104..108].copy_from_slice(&words.to_be_bytes());
        std::fs::write(&path, &bytes).unwrap();
        assert!(
            check(&path, None).is_ok(),
            "the walk from the header alone misses it"
        );
        let shx = dir.path().join("b.shx");
        let mut index = vec![0u8; 100];
        index[24..28].copy_from_slice(&(116i32 / 2).to_be_bytes());
        index.extend((50i32).to_be_bytes());
        index.extend((40i32).to_be_bytes());
        index.extend(((second_at / 2) as i32).to_be_bytes());
        index.extend((20i32).to_be_bytes());
        std::fs::write(&shx, index).unwrap();
        let (part, detail) = check(&path, Some(&shx)).unwrap_err();
        assert_eq!(part, ".shp");
        assert!(detail.contains("record 1"), "{detail}");
    }
}
