//! One error type for the core. An [`Error`] says *where* (file, feature index) and holds a
//! [`Problem`]: *what*, as a kind with its parameters (names, indices, counts, found and
//! expected values) rather than as words, so each interface says it in its own language.
//!
//! The error module depends on nothing else in the crate (roles and geometry kinds are
//! carried as their keys), so every module can use it without an import cycle.
//!
//! The words live in one table, `i18n::errors`: `error_message(&e, lang)` gives the
//! zh-CN or English text, and `Display` (for logs, `anyhow` and tests) is the English text of
//! that same table, implemented there so the two can never drift apart.

use std::path::PathBuf;

mod problem;

pub use problem::Problem;

/// Errors from the core. `Display` is the English text; a user interface shows
/// `i18n::errors::error_message` in the user's language instead.
#[derive(Debug)]
pub enum Error {
    /// An input file (GeoJSON, catalog, sample) could not be used.
    Input {
        /// The file the user gave.
        file: PathBuf,
        /// Index of the offending feature (0-based), when the problem is in one feature.
        feature: Option<usize>,
        /// What is wrong (boxed: a `Result` stays small on the happy path).
        problem: Box<Problem>,
    },
    /// The workspace file could not be opened or is not one Linli can use.
    Workspace {
        /// The workspace path.
        file: PathBuf,
        /// What is wrong.
        problem: Box<Problem>,
    },
    /// The user asked for something the workspace or the command cannot do (a layer name
    /// taken, an unknown element type, a position that is not lon/lat...).
    Request(Box<Problem>),
    /// SQLite failed underneath (made from SQLite's error where SQLite is used, in `io::sqlite`:
    /// this module names no database library).
    Database {
        /// Which failure, as far as the core tells them apart (busy, read-only…).
        code: DatabaseCode,
        /// SQLite's own words.
        message: String,
    },
    /// The file system failed underneath.
    Io {
        /// The path being read or written.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The user cancelled a long operation.
    Cancelled,
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// Which SQLite failure an [`Error::Database`] is, for the few the core treats apart: a file
/// another program holds (wait, or say so), one that cannot be written here (open it
/// read-only), a full disk. Everything else is [`DatabaseCode::Other`]; its words say what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DatabaseCode {
    /// Another connection holds the file (`SQLITE_BUSY`): another program is writing it.
    Busy,
    /// A table is locked (`SQLITE_LOCKED`): held by another statement or connection.
    Locked,
    /// The file cannot be written (`SQLITE_READONLY`).
    ReadOnly,
    /// The file, or its `-wal`/`-shm` beside it, cannot be opened (`SQLITE_CANTOPEN`).
    CannotOpen,
    /// The disk is full (`SQLITE_FULL`).
    DiskFull,
    /// Any other failure.
    Other,
}

/// The kind of file a folder was given for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// A GeoJSON file to import.
    GeoJson,
    /// A workspace (GeoPackage) file.
    Workspace,
}

/// Which member of a multi-geometry a [`GeometryProblem`] is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeometryPart {
    /// Line `0..` of a MultiLineString.
    Line(usize),
    /// Polygon `0..` of a MultiPolygon.
    Polygon(usize),
}

/// What is wrong inside one GeoJSON geometry.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryProblem {
    /// GeometryCollections nested deeper than `max` levels.
    NestedTooDeep {
        /// The deepest nesting accepted.
        max: usize,
    },
    /// A GeometryCollection without a `geometries` array.
    NeedsGeometries,
    /// A GeometryCollection with no members.
    EmptyCollection,
    /// A geometry without a `coordinates` array.
    NeedsCoordinates,
    /// A MultiPoint with no points.
    NoPoints,
    /// A MultiLineString with no lines.
    NoLines,
    /// A MultiPolygon with no polygons.
    NoPolygons,
    /// A line with fewer than 2 positions.
    LineTooShort {
        /// Positions the line has.
        found: usize,
    },
    /// A polygon with no ring.
    NoRings,
    /// A ring with fewer than 4 positions.
    RingTooShort {
        /// The ring's index in its polygon (0 = exterior).
        ring: usize,
        /// Positions the ring has.
        found: usize,
    },
    /// A ring whose first and last positions differ.
    RingNotClosed {
        /// The ring's index in its polygon (0 = exterior).
        ring: usize,
    },
    /// A coordinate that is NaN or infinite.
    NotFinite {
        /// The first number as read.
        x: f64,
        /// The second number as read.
        y: f64,
    },
    /// A coordinate beyond ±180: the file is projected (metres).
    NotDegrees {
        /// The first number as read.
        x: f64,
        /// The second number as read.
        y: f64,
    },
    /// A projected position that does not convert to lon/lat in the CRS: the file's CRS is
    /// not the one declared or given.
    OutsideCrs {
        /// The first number as read.
        x: f64,
        /// The second number as read.
        y: f64,
        /// The CRS converted from (`EPSG:4549`).
        crs: String,
    },
    /// A latitude beyond ±90: lon and lat look swapped.
    LatitudeBeyond90 {
        /// The first number as read.
        x: f64,
        /// The second number as read.
        y: f64,
    },
}

/// What an import repaired in one feature: unambiguous fixes made rather than refusing the
/// file (issue 9). Kept beside [`Problem`] because `--strict` turns each into a refusal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Repair {
    /// A ring whose last position differed from its first was closed by repeating the first.
    RingClosed {
        /// The polygon of a MultiPolygon, when the ring is in one.
        part: Option<GeometryPart>,
        /// The ring's index in its polygon (0 = exterior).
        ring: usize,
    },
    /// Repeated consecutive positions were removed.
    RepeatedPositionsRemoved {
        /// How many positions were removed in the feature.
        count: usize,
    },
    /// A ring with fewer than 4 positions (once closed) was dropped.
    ShortRingDropped {
        /// The polygon of a MultiPolygon, when the ring is in one.
        part: Option<GeometryPart>,
        /// The ring's index in its polygon (0 = exterior).
        ring: usize,
        /// Positions the ring had.
        found: usize,
    },
    /// A ring enclosing no area (all its positions on one line) was dropped.
    FlatRingDropped {
        /// The polygon of a MultiPolygon, when the ring is in one.
        part: Option<GeometryPart>,
        /// The ring's index in its polygon (0 = exterior).
        ring: usize,
    },
    /// A polygon whose exterior ring was dropped was dropped with its holes.
    PolygonDropped {
        /// The polygon of a MultiPolygon, when it is one of several.
        part: Option<GeometryPart>,
    },
    /// Nothing of the feature's geometry was left: the feature was not imported.
    FeatureDropped,
}

/// How many problems a refusal lists; the rest are counted.
pub const LISTED_PROBLEMS: usize = 20;

/// Gathers the problems of many features so that a refusal lists them all (up to
/// [`LISTED_PROBLEMS`], and a count) instead of stopping at the first.
#[derive(Debug)]
pub struct Problems {
    file: PathBuf,
    listed: Vec<(Option<usize>, Problem)>,
    total: usize,
}

impl Problems {
    /// An empty list for input file `file`.
    pub fn new(file: impl Into<PathBuf>) -> Self {
        Self {
            file: file.into(),
            listed: Vec::new(),
            total: 0,
        }
    }

    /// Adds a problem of feature `feature` (or of the file).
    pub fn push(&mut self, feature: Option<usize>, problem: Problem) {
        self.total += 1;
        if self.listed.len() < LISTED_PROBLEMS {
            self.listed.push((feature, problem));
        }
    }

    /// Adds an input error's problem; any other error (SQLite, I/O) is returned, since it
    /// stops the import at once.
    pub fn absorb(&mut self, e: Error) -> Result<()> {
        match e {
            Error::Input {
                feature, problem, ..
            } => {
                self.push(feature, *problem);
                Ok(())
            }
            Error::Request(problem) => {
                self.push(None, *problem);
                Ok(())
            }
            other => Err(other),
        }
    }

    /// Problems found so far.
    pub fn total(&self) -> usize {
        self.total
    }

    /// `Ok` when nothing was found; the one error as it is; else one error listing them all.
    pub fn into_result(mut self) -> Result<()> {
        match self.total {
            0 => Ok(()),
            1 => {
                let (feature, problem) = self.listed.remove(0);
                Err(Error::input(self.file, feature, problem))
            }
            total => Err(Error::input(
                self.file,
                None,
                Problem::Several {
                    listed: self.listed,
                    total,
                },
            )),
        }
    }
}

impl Error {
    /// A problem in input file `file`, optionally in feature `feature`.
    pub fn input(
        file: impl Into<PathBuf>,
        feature: Option<usize>,
        problem: impl Into<Problem>,
    ) -> Self {
        Error::Input {
            file: file.into(),
            feature,
            problem: Box::new(problem.into()),
        }
    }

    /// Input file `file` could not be opened; `reason` is the operating system's words.
    pub fn cannot_open(file: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Self {
        Error::input(
            file,
            None,
            Problem::CannotOpen {
                reason: reason.to_string(),
            },
        )
    }

    /// An input file that opened but could not be read to its end.
    pub fn cannot_read(file: impl Into<PathBuf>, reason: impl std::fmt::Display) -> Self {
        Error::input(
            file,
            None,
            Problem::CannotRead {
                reason: reason.to_string(),
            },
        )
    }

    /// A request the workspace or the command refuses.
    pub fn request(problem: Problem) -> Self {
        Error::Request(Box::new(problem))
    }

    /// A problem with workspace `file`.
    pub fn workspace(file: impl Into<PathBuf>, problem: impl Into<Problem>) -> Self {
        Error::Workspace {
            file: file.into(),
            problem: Box::new(problem.into()),
        }
    }

    /// SQLite failed underneath: `code` as far as the core tells failures apart, `message`
    /// SQLite's words.
    pub fn database(code: DatabaseCode, message: impl Into<String>) -> Self {
        Error::Database {
            code,
            message: message.into(),
        }
    }

    /// An I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }

    /// The whole error as a problem, for a problem that carries another as its cause (a
    /// migration step that failed): the place (file, feature) is dropped, SQLite, I/O and
    /// cancellation become [`Problem::Database`], [`Problem::FileSystem`], [`Problem::Cancelled`].
    pub fn to_problem(&self) -> Problem {
        match self {
            Error::Input { problem, .. } | Error::Workspace { problem, .. } => (**problem).clone(),
            Error::Request(problem) => (**problem).clone(),
            Error::Database { message, .. } => Problem::Database {
                detail: message.clone(),
            },
            Error::Io { path, source } => Problem::FileSystem {
                path: path.clone(),
                reason: source.to_string(),
            },
            Error::Cancelled => Problem::Cancelled,
        }
    }

    /// The problem, when the error carries one (not for SQLite, I/O or cancellation).
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Error::Input { problem, .. } | Error::Workspace { problem, .. } => Some(problem),
            Error::Request(problem) => Some(problem),
            Error::Database { .. } | Error::Io { .. } | Error::Cancelled => None,
        }
    }

    /// Which SQLite failure this is, when SQLite failed underneath.
    pub fn database_code(&self) -> Option<DatabaseCode> {
        match self {
            Error::Database { code, .. } => Some(*code),
            _ => None,
        }
    }
}

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
