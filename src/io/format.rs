//! Which reader a file needs, by its content first and its name second: a user's
//! `boundary.json` may be a Shapefile renamed, and a GeoPackage arrives as `.gpkg`, `.sqlite`
//! or `.db`.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::error::{Error, FileKind, Problem, Result};

/// The formats Linli imports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Format {
    /// GeoJSON (and JSON arrays of Features).
    GeoJson,
    /// A Shapefile, by the path of its `.shp` (the user may have picked its `.dbf` or `.shx`).
    Shapefile(PathBuf),
    /// A GeoPackage (an SQLite file).
    GeoPackage,
}

/// The first 16 bytes of every SQLite file.
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// Decides the reader for `path` from its first bytes, then its extension.
pub fn detect(path: &Path) -> Result<Format> {
    if path.is_dir() {
        return Err(Error::input(
            path,
            None,
            Problem::IsFolder {
                expected: FileKind::GeoJson,
            },
        ));
    }
    let mut head = [0u8; 16];
    let mut file = std::fs::File::open(path).map_err(|e| Error::cannot_open(path, e))?;
    let mut read = 0;
    while read < head.len() {
        match file.read(&mut head[read..]) {
            Ok(0) => break,
            Ok(n) => read += n,
            Err(e) => {
                return Err(Error::cannot_read(path, e));
            }
        }
    }
    let head = &head[..read];
    let ext = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    if head.starts_with(SQLITE_MAGIC) {
        return Ok(Format::GeoPackage);
    }
    if crate::io::shapefile_in::looks_like_shp(head) {
        // A `.shx` starts the same way: read the `.shp` beside it.
        return Ok(Format::Shapefile(if ext == "shx" {
            shp_beside(path).unwrap_or_else(|| path.with_extension("shp"))
        } else {
            path.to_path_buf()
        }));
    }
    if matches!(ext.as_str(), "dbf" | "prj" | "cpg" | "shx")
        && let Some(shp) = shp_beside(path)
    {
        return Ok(Format::Shapefile(shp));
    }
    if matches!(ext.as_str(), "shp" | "gpkg") {
        // Named as one, but not one inside: say so rather than parse it as JSON.
        return Err(Error::input(path, None, Problem::UnknownFormat));
    }
    Ok(Format::GeoJson)
}

/// The `.shp` beside a Shapefile's other part, in either case.
fn shp_beside(path: &Path) -> Option<PathBuf> {
    ["shp", "SHP"]
        .iter()
        .map(|e| path.with_extension(e))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_decides_before_the_name() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, bytes: &[u8]| {
            let p = dir.path().join(name);
            std::fs::write(&p, bytes).unwrap();
            p
        };
        let shp = write("roads.json", &[0, 0, 0x27, 0x0A, 0, 0]);
        assert_eq!(detect(&shp).unwrap(), Format::Shapefile(shp.clone()));
        let gpkg = write("data.db", b"SQLite format 3\0rest");
        assert_eq!(detect(&gpkg).unwrap(), Format::GeoPackage);
        let json = write("a.geojson", b"{}");
        assert_eq!(detect(&json).unwrap(), Format::GeoJson);
        let real = write("b.shp", &[0, 0, 0x27, 0x0A]);
        let dbf = write("b.dbf", b"\x03");
        assert_eq!(detect(&dbf).unwrap(), Format::Shapefile(real));
        let fake = write("c.shp", b"{\"type\":1}");
        assert!(matches!(
            detect(&fake).unwrap_err().problem(),
            Some(Problem::UnknownFormat)
        ));
    }
}
