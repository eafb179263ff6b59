//! Opening a workspace off the UI thread: find (or on first start create, from the bundled
//! sample) the workspace file, open the session, build the map's tessellation cache, and
//! report progress along the way so the window can show a progress bar.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use crate::Session;
use crate::error::Problem;
use crate::i18n::Worded;
use crate::i18n::errors::error_text;
use crate::i18n::{Lang, Text};

use crate::render::data::MapData;

/// Which workspace to open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkspaceSource {
    /// The user's own, in the platform's data directory; made from the sample on first start.
    Default,
    /// A given file.
    Path(PathBuf),
}

/// Why a workspace could not be opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadError {
    /// The platform has no data directory for the default workspace.
    NoDataDir,
    /// The file is not there.
    Missing(PathBuf),
    /// The core refused it; the message (in both languages) names the file and says why.
    Refused(Worded),
    /// It failed outside the core; the message says why.
    Failed {
        /// The workspace.
        path: PathBuf,
        /// The core's message.
        message: String,
    },
}

impl LoadError {
    /// The message a user reads.
    pub fn message(&self, lang: Lang) -> String {
        match self {
            Self::NoDataDir => Text::NoDataDir.get(lang).to_string(),
            Self::Missing(path) => {
                format!("{}: {}", path.display(), Text::WorkspaceMissing.get(lang))
            }
            Self::Refused(text) => text.get(lang).to_string(),
            Self::Failed { path, message } => format!("{}: {message}", path.display()),
        }
    }
}

/// Where loading is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Creating the default workspace from the sample (first start).
    CreatingSample,
    /// Opening the workspace file.
    Opening,
    /// Building the map's shapes.
    Preparing,
}

impl Stage {
    /// The text shown beside the progress bar.
    pub fn text(self) -> Text {
        match self {
            Self::CreatingSample => Text::LoadingCreateSample,
            Self::Opening => Text::LoadingOpen,
            Self::Preparing => Text::LoadingPrepare,
        }
    }
}

/// An opened workspace.
#[derive(Debug)]
pub struct Loaded {
    /// The file.
    pub path: PathBuf,
    /// The map's data. Declared before the session so that, dropped, its tile loader (a
    /// connection of its own) closes before the session's: the last connection to close folds
    /// the log into the file. [`Loaded::close`] does it in order and says whether it worked.
    pub data: MapData,
    /// The session.
    pub session: Session,
}

impl Loaded {
    /// Closes the workspace so the file alone holds everything: the map's tile loader first
    /// (joined, its connection closed), then the session (see [`Session::close`]).
    pub fn close(self) -> crate::error::Result<()> {
        let Loaded {
            path: _,
            mut data,
            session,
        } = self;
        data.tiles.close();
        drop(data);
        session.close()
    }
}

/// What the loader thread reports.
#[derive(Debug)]
pub enum LoadEvent {
    /// Progress: the stage and, when known, the fraction done in it.
    Progress(Stage, Option<f32>),
    /// The end.
    Done(Result<Box<Loaded>, LoadError>),
}

/// The default workspace's path: `<data dir>/workspace.gpkg`.
pub fn default_workspace_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("cn", "Linli", "linli")
        .map(|d| d.data_dir().join("workspace.gpkg"))
}

/// Opens (creating the default one if needed) and prepares a workspace, on this thread.
pub fn load(
    source: &WorkspaceSource,
    progress: &mut dyn FnMut(Stage, Option<f32>),
) -> Result<Loaded, LoadError> {
    let mut created = None;
    let path = match source {
        WorkspaceSource::Path(p) => {
            if !p.exists() {
                return Err(LoadError::Missing(p.clone()));
            }
            p.clone()
        }
        WorkspaceSource::Default => {
            let path = default_workspace_path().ok_or(LoadError::NoDataDir)?;
            if !path.exists() {
                progress(Stage::CreatingSample, Some(0.0));
                created = create_from_sample(&path, progress)?;
            }
            path
        }
    };
    progress(Stage::Opening, None);
    let failed = |e: crate::Error| LoadError::Refused(error_text(&e));
    let session = match created {
        Some(session) => session,
        None => Session::open(&path).map_err(failed)?,
    };
    progress(Stage::Preparing, Some(0.0));
    let data = MapData::build(
        session.layers(),
        session.plan(),
        session.catalog(),
        &mut |done, total| {
            progress(
                Stage::Preparing,
                Some(if total == 0 {
                    1.0
                } else {
                    done as f32 / total as f32
                }),
            );
        },
    );
    Ok(Loaded {
        path,
        session,
        data,
    })
}

/// Creates the default workspace at `path` from the sample, whole or not at all, and returns
/// it open; `None` when a workspace appeared at `path` meanwhile (a second window starting at
/// the same moment made it, and may be editing it already): that one is opened, never replaced.
///
/// The sample is built in a partial file of its own beside `path` (unique per process and
/// creation) and linked into place only if `path` is still free (see
/// [`crate::store::create_in_place`]).
pub fn create_from_sample(
    path: &Path,
    progress: &mut dyn FnMut(Stage, Option<f32>),
) -> Result<Option<Session>, LoadError> {
    let failed = |e: crate::Error| LoadError::Refused(error_text(&e));
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| {
            let reason = e.to_string();
            failed(crate::Error::input(
                dir,
                None,
                Problem::CannotCreate { reason },
            ))
        })?;
    }
    match crate::sample::create_sample_workspace(path, &mut |p| {
        progress(Stage::CreatingSample, Some(p.fraction()))
    }) {
        Ok(session) => Ok(Some(session)),
        Err(e) if e.problem() == Some(&Problem::WorkspaceExists) => Ok(None),
        Err(e) => Err(failed(e)),
    }
}

/// Loads on a worker thread; `ctx` is asked to repaint whenever something is reported.
pub fn spawn(source: WorkspaceSource, ctx: egui::Context) -> Receiver<LoadEvent> {
    let (tx, rx) = channel();
    let spawned = std::thread::Builder::new()
        .name("linli-load".into())
        .spawn({
            let tx = tx.clone();
            let ctx = ctx.clone();
            move || {
                let mut last = std::time::Instant::now();
                let result = load(&source, &mut |stage, fraction| {
                    // Progress comes thousands of times a second; the bar needs a few dozen.
                    if last.elapsed().as_millis() >= 30 || fraction.is_none() {
                        last = std::time::Instant::now();
                        let _ = tx.send(LoadEvent::Progress(stage, fraction));
                        ctx.request_repaint();
                    }
                });
                let _ = tx.send(LoadEvent::Done(result.map(Box::new)));
                ctx.request_repaint();
            }
        });
    if let Err(e) = spawned {
        let _ = tx.send(LoadEvent::Done(Err(LoadError::Failed {
            path: PathBuf::new(),
            message: format!("could not start loading: {e}"),
        })));
    }
    rx
}
