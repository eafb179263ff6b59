//! What every reader gives the session: features already in WGS84, the repairs made, the
//! notes on how the file was read, and progress for a bar.

use serde_json::Value;

use crate::io::crs::SourceCrs;
use crate::io::repair::Repairs;
use crate::model::Properties;

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
    /// The feature's index in the file (0-based); features dropped by repair leave gaps.
    pub index: usize,
    /// The feature's `id` member, as it was.
    pub id: Option<Value>,
    /// The geometry, WGS84 lon/lat.
    pub geometry: geo::Geometry<f64>,
    /// The properties, unchanged and in file order; empty when the file had none or `null`.
    pub properties: Properties,
}

/// A feature's geometry and properties as a feature table's row holds them: GeoPackage
/// binary (with its envelope) and JSON text. A streamed import encodes them on the thread
/// that reads the file, so the thread that writes only binds them.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RowValues {
    /// The geometry as GeoPackage binary, as [`crate::io::gpb::encode_geometry`] writes it.
    pub geometry: Vec<u8>,
    /// Its envelope, as [`crate::io::gpb::encode_geometry`] gives it (`None` for an empty
    /// geometry).
    pub envelope: Option<[f64; 4]>,
    /// The properties as JSON text; `None` when there are none.
    pub properties: Option<String>,
    /// The feature's name, when the encoding thread named it (else the sink does).
    pub name: Option<String>,
}

impl RowValues {
    /// The row values of `geometry` and `properties`.
    pub fn of(
        geometry: &geo::Geometry<f64>,
        properties: &crate::model::Properties,
    ) -> crate::error::Result<Self> {
        let (geometry, envelope) = crate::io::gpb::encode_geometry(geometry)?;
        let properties = if properties.is_empty() {
            None
        } else {
            Some(serde_json::to_string(properties).map_err(|e| {
                crate::error::Error::request(crate::error::Problem::CannotSerialise {
                    what: "properties".into(),
                    detail: e.to_string(),
                })
            })?)
        };
        Ok(Self {
            geometry,
            envelope,
            properties,
            name: None,
        })
    }
}

/// A whole file's features.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ParsedFile {
    /// The FeatureCollection's `name` foreign member, when there is one.
    pub name: Option<String>,
    /// The features in file order.
    pub features: Vec<ParsedFeature>,
    /// What was repaired, in file order (an import report lists them): the first
    /// [`crate::io::repair::LISTED_REPAIRS`] in detail, all counted.
    pub repairs: Repairs,
    /// How the file was read (its CRS, its encoding), for the user.
    pub notes: Vec<ReadNote>,
}

/// How a file was read, for the user to know (none of these stopped the import).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadNote {
    /// The coordinates were converted to WGS84 from `from`.
    Reprojected {
        /// The CRS converted from.
        from: SourceCrs,
        /// Whether the file declared it (else the user gave it).
        declared: bool,
    },
    /// Read as WGS84, but the file looks like an Amap or DataV export, whose coordinates are
    /// GCJ-02: a hint to import it again with GCJ-02 if it lies off the map.
    LooksLikeGcj02 {
        /// What gave it away: `adcode` (an Amap/DataV property) or `array` (DataV's bare array
        /// of features).
        clue: Gcj02Clue,
    },
    /// A Shapefile's `.dbf` text was decoded as `encoding`.
    Encoding {
        /// The encoding's name (`GBK`, `UTF-8`).
        encoding: String,
        /// Where that came from.
        from: EncodingSource,
    },
    /// A Shapefile without a `.dbf`: geometry only, no attributes.
    NoAttributes,
    /// A Shapefile's `.dbf` named several fields alike (GBK names cut to 10 bytes collide):
    /// each kept its values, the later ones under a new name.
    DuplicateFields {
        /// (name in the file, name given), in field order.
        renamed: Vec<(String, String)>,
    },
}

/// What makes a file look like an Amap/DataV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Gcj02Clue {
    /// Features carry an `adcode` property.
    Adcode,
    /// The file is a bare array of features, as DataV writes.
    BareArray,
}

/// How a `.dbf`'s encoding was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EncodingSource {
    /// The user gave it (`--encoding`).
    Given,
    /// The `.cpg` file named it.
    Cpg,
    /// The `.dbf` header's language-driver byte.
    LanguageDriver,
    /// The text is valid UTF-8.
    Utf8,
    /// The text is not UTF-8 and nothing named an encoding: GBK, the usual one in China.
    GbkFallback,
}

/// Where a reader puts the features it keeps, one at a time, as it reads them: a `Vec`, or a
/// writer that stores each one in the workspace so a big file is never held whole.
pub trait FeatureSink {
    /// Takes the next kept feature (in file order).
    fn feature(&mut self, feature: ParsedFeature) -> crate::error::Result<()>;
    /// Takes the next kept feature with its row values already encoded (by the thread that
    /// read it); a sink that writes no rows takes the feature alone.
    fn encoded(&mut self, feature: ParsedFeature, row: RowValues) -> crate::error::Result<()> {
        drop(row);
        self.feature(feature)
    }
    /// Forgets every feature taken so far: the reader starts the file again from the top
    /// (a GeoJSON whose `crs` member comes after its features).
    fn restart(&mut self) -> crate::error::Result<()>;
    /// The features taken and done with, handed back so that the thread that read (and
    /// allocated) them frees them: glibc's allocator frees memory of another thread's arena
    /// slowly, under that arena's lock. A sink that keeps its features hands back none.
    fn spent(&mut self) -> Vec<(ParsedFeature, RowValues)> {
        Vec::new()
    }
}

impl FeatureSink for Vec<ParsedFeature> {
    fn feature(&mut self, feature: ParsedFeature) -> crate::error::Result<()> {
        self.push(feature);
        Ok(())
    }

    fn restart(&mut self) -> crate::error::Result<()> {
        self.clear();
        Ok(())
    }
}

/// Gathers a reader's features one by one: the kept ones go to the sink, every repair and every
/// problem is kept, so that a refusal lists them all. Once a problem is found no further
/// feature goes to the sink (the file will be refused). Readers of rows (Shapefile,
/// GeoPackage) share it.
pub(crate) struct Gather<'s> {
    sink: &'s mut dyn FeatureSink,
    kept: usize,
    repairs: Repairs,
    problems: crate::error::Problems,
    read: usize,
}

impl<'s> Gather<'s> {
    /// Nothing gathered yet from `file`; kept features go to `sink`.
    pub(crate) fn new(file: &std::path::Path, sink: &'s mut dyn FeatureSink) -> Self {
        Self {
            sink,
            kept: 0,
            repairs: Repairs::default(),
            problems: crate::error::Problems::new(file),
            read: 0,
        }
    }

    /// Features read so far, kept, dropped or refused.
    pub(crate) fn read(&self) -> usize {
        self.read
    }

    /// Adds feature `index`: its geometry as read and repaired (`None` when nothing was
    /// left), or the problem that refuses it. Fails only when the sink does.
    pub(crate) fn add(
        &mut self,
        index: usize,
        outcome: Result<Option<geo::Geometry<f64>>, crate::error::Problem>,
        mut fixes: crate::io::repair::Fixes,
        properties: Properties,
    ) -> crate::error::Result<()> {
        self.read += 1;
        match outcome {
            Ok(geometry) => {
                let kept = fixes.finish(index, None, geometry, &mut self.repairs);
                if let Some(geometry) = kept {
                    self.kept += 1;
                    if self.problems.total() == 0 {
                        self.sink.feature(ParsedFeature {
                            index,
                            id: None,
                            geometry,
                            properties,
                        })?;
                    }
                }
            }
            Err(problem) => self.problems.push(Some(index), problem),
        }
        Ok(())
    }

    /// The file read: refused listing every problem, or with no feature left; else its
    /// repairs and notes (the features went to the sink).
    pub(crate) fn finish(
        self,
        file: &std::path::Path,
        name: Option<String>,
        notes: Vec<ReadNote>,
    ) -> crate::error::Result<ParsedFile> {
        self.problems.into_result()?;
        if self.kept == 0 {
            return Err(crate::error::Error::input(
                file,
                None,
                crate::error::Problem::NoFeatures,
            ));
        }
        Ok(ParsedFile {
            name,
            features: Vec::new(),
            repairs: self.repairs,
            notes,
        })
    }
}
