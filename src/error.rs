//! One error type for the core. Every variant names what went wrong and where (file, feature
//! index, field) so the CLI can print it as one line and the GUI can show it as it is.

use std::path::PathBuf;

/// Errors from the core. The `Display` text is what a user reads.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file (GeoJSON, catalog, sample) could not be used.
    #[error("{}: {}{problem}", file.display(), location_prefix(.feature))]
    Input {
        /// The file the user gave.
        file: PathBuf,
        /// Index of the offending feature (0-based), when the problem is in one feature.
        feature: Option<usize>,
        /// What is wrong, in words.
        problem: String,
    },
    /// The workspace file could not be opened or is not one Linli can use.
    #[error("{}: {problem}", file.display())]
    Workspace {
        /// The workspace path.
        file: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// The user asked for something the workspace cannot do (a layer name taken, an unknown
    /// element type...).
    #[error("{0}")]
    Invalid(String),
    /// SQLite failed underneath.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    /// The file system failed underneath.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path being read or written.
        path: PathBuf,
        /// The OS error.
        source: std::io::Error,
    },
    /// The user cancelled a long operation.
    #[error("cancelled")]
    Cancelled,
}

fn location_prefix(feature: &Option<usize>) -> String {
    match feature {
        Some(i) => format!("feature {i}: "),
        None => String::new(),
    }
}

impl Error {
    /// A problem in input file `file`, optionally in feature `feature`.
    pub fn input(
        file: impl Into<PathBuf>,
        feature: Option<usize>,
        problem: impl Into<String>,
    ) -> Self {
        Error::Input {
            file: file.into(),
            feature,
            problem: problem.into(),
        }
    }

    /// A problem with workspace `file`.
    pub fn workspace(file: impl Into<PathBuf>, problem: impl Into<String>) -> Self {
        Error::Workspace {
            file: file.into(),
            problem: problem.into(),
        }
    }

    /// An I/O failure on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with the core [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
