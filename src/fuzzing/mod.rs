//! A fuzz harness over every reader of untrusted bytes, on stable Rust: a seeded mutation loop
//! (no `cargo fuzz`) shared by `examples/fuzz.rs` (long runs) and `tests/fuzz.rs` (a short
//! deterministic run in `cargo test`). Not part of the application: the SQL below writes
//! hostile rows into copies of files, as another program would.
//!
//! Each [`Target`] has seeds — the shared bad-input corpus and small valid inputs made here
//! (a shapefile, a source GeoPackage, a workspace, an MBTiles file, geometry blobs) — and a
//! mutator. An execution writes the mutated input to a scratch folder and reads it with the
//! reader the application uses; an error is a fine answer, a panic (in any thread) is a
//! finding.

mod mutate;
mod seeds;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

pub use mutate::{Rng, Table, mutate_bytes, mutate_json, mutate_rows};
pub use seeds::Seeds;

use crate::error::Result;

/// A reader of untrusted bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Target {
    /// `io::geojson_in::read_file`.
    GeoJson,
    /// `io::shapefile_in::read_file` over a `.shp`/`.shx`/`.dbf`/`.prj` set, one mutated.
    Shapefile,
    /// `io::source::read_source_layer` over a GeoPackage mutated in its bytes or its rows.
    SourceGpkg,
    /// `io::gpb::decode_geometry` (GeoPackage geometry blobs: header and WKB).
    Geometry,
    /// `io::mbtiles` and, with the window, the tile decoder.
    MbTiles,
    /// `Session::open_read_only` and `Session::open` of a workspace with mutated `linli_*` rows.
    Workspace,
}

impl Target {
    /// Every target.
    pub const ALL: [Target; 6] = [
        Target::GeoJson,
        Target::Shapefile,
        Target::SourceGpkg,
        Target::Geometry,
        Target::MbTiles,
        Target::Workspace,
    ];

    /// The target's name on the command line.
    pub fn key(self) -> &'static str {
        match self {
            Target::GeoJson => "geojson",
            Target::Shapefile => "shapefile",
            Target::SourceGpkg => "gpkg",
            Target::Geometry => "geometry",
            Target::MbTiles => "mbtiles",
            Target::Workspace => "workspace",
        }
    }

    /// The target named `key`.
    pub fn from_key(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }
}

/// One input: files by name, and SQL statements run on the SQLite file among them before it
/// is read (ignored when they fail).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Input {
    /// File names (no folders) and their bytes.
    pub files: Vec<(String, Vec<u8>)>,
    /// Statements run on the first file before it is read.
    pub sql: Vec<String>,
}

impl Input {
    /// An input of one file.
    pub fn file(name: &str, bytes: Vec<u8>) -> Self {
        Self {
            files: vec![(name.to_string(), bytes)],
            sql: Vec::new(),
        }
    }

    /// Writes the input into `dir` (made if missing): its files, and `mutations.sql`.
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        std::fs::create_dir_all(dir)?;
        for (name, bytes) in &self.files {
            std::fs::write(dir.join(name), bytes)?;
        }
        if !self.sql.is_empty() {
            std::fs::write(dir.join("mutations.sql"), self.sql.join(";\n") + ";\n")?;
        }
        Ok(())
    }

    /// Reads an input saved by [`Input::save`].
    pub fn load(dir: &Path) -> std::io::Result<Self> {
        let mut input = Input::default();
        let mut names: Vec<PathBuf> = std::fs::read_dir(dir)?
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        names.sort();
        for path in names {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let bytes = std::fs::read(&path)?;
            if name == "mutations.sql" {
                input.sql = String::from_utf8_lossy(&bytes)
                    .split(";\n")
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_string)
                    .collect();
            } else {
                input.files.push((name, bytes));
            }
        }
        Ok(input)
    }

    /// A short description for a log line.
    pub fn describe(&self) -> String {
        let files: Vec<String> = self
            .files
            .iter()
            .map(|(n, b)| format!("{n} ({} bytes)", b.len()))
            .collect();
        format!("{} + {} SQL statements", files.join(", "), self.sql.len())
    }
}

/// How one execution ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The reader accepted the input.
    Accepted,
    /// The reader refused it with an error (a fine answer).
    Refused,
    /// It panicked: a finding.
    Panicked(String),
}

/// Panics seen in any thread since the hook was installed (a reader's worker thread too).
static PANICS: AtomicUsize = AtomicUsize::new(0);

/// Counts every panic in the process from now on, then does what the previous hook did
/// (unless `quiet`).
pub fn install_panic_counter(quiet: bool) {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        PANICS.fetch_add(1, Ordering::SeqCst);
        if !quiet {
            previous(info);
        }
    }));
}

/// Panics counted so far by [`install_panic_counter`]'s hook.
pub fn panics_seen() -> usize {
    PANICS.load(Ordering::SeqCst)
}

/// Runs `input` through `target`'s reader in `scratch` (emptied first), catching panics.
pub fn execute(target: Target, input: &Input, scratch: &Path) -> Outcome {
    let before = panics_seen();
    let _ = std::fs::remove_dir_all(scratch);
    if let Err(e) = std::fs::create_dir_all(scratch) {
        return Outcome::Panicked(format!("cannot make the scratch folder: {e}"));
    }
    let run = std::panic::AssertUnwindSafe(|| run_target(target, input, scratch));
    let result = std::panic::catch_unwind(run);
    match result {
        Err(payload) => {
            let message = payload
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| payload.downcast_ref::<&str>().map(|s| (*s).to_string()))
                .unwrap_or_else(|| "panic".to_string());
            Outcome::Panicked(message)
        }
        // A panic in another thread (a reader's worker) that the reader turned into an error.
        Ok(_) if panics_seen() > before => Outcome::Panicked("panic in another thread".into()),
        Ok(Ok(())) => Outcome::Accepted,
        Ok(Err(_)) => Outcome::Refused,
    }
}

/// Writes the input's files into `dir` and runs its SQL on the first one.
fn materialise(input: &Input, dir: &Path) -> Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for (name, bytes) in &input.files {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| crate::error::Error::cannot_read(&path, e))?;
        paths.push(path);
    }
    if let (Some(first), false) = (paths.first(), input.sql.is_empty()) {
        seeds::apply_sql(first, &input.sql);
    }
    Ok(paths)
}

fn run_target(target: Target, input: &Input, dir: &Path) -> Result<()> {
    use crate::error::{Error, Problem};
    let paths = materialise(input, dir)?;
    let Some(first) = paths.first() else {
        return Ok(());
    };
    let none = &mut |_| {};
    match target {
        Target::GeoJson => {
            crate::io::geojson_in::read_file(first, None, none)?;
        }
        Target::Shapefile => {
            let shp = paths
                .iter()
                .find(|p| p.extension().is_some_and(|e| e == "shp"));
            let Some(first) = shp else {
                return Ok(());
            };
            let options = crate::io::shapefile_in::ShapefileOptions {
                crs: None,
                encoding: None,
            };
            crate::io::shapefile_in::read_file(first, &options, none)?;
        }
        Target::SourceGpkg => {
            let layers = crate::io::source::source_layers(first)?;
            // The seed's own layer when it is still listed, else the first.
            let layer = layers
                .iter()
                .find(|l| l.as_str() == "roads")
                .or(layers.first())
                .cloned();
            crate::io::source::read_source_layer(first, layer.as_deref(), None, none)?;
        }
        Target::Geometry => {
            let Some(g) = crate::io::gpb::decode_geometry(&input.files[0].1) else {
                return Err(Error::request(Problem::NotGeoPackage));
            };
            let _ = crate::store::promote_to_multi(&g);
            let _ = crate::model::catalog::GeometryKind::of(&g);
            if let Ok((blob, _)) = crate::io::gpb::encode_geometry(&g) {
                let _ = crate::io::gpb::decode_geometry(&blob);
            }
        }
        Target::MbTiles => {
            let tiles = crate::io::mbtiles::MbTiles::open(first)?;
            let z = tiles.meta.max_zoom;
            let n = 1u32 << z.min(3);
            for y in 0..n {
                for x in 0..n {
                    if let Some(_bytes) = tiles.tile(z.min(3), x, y)? {
                        #[cfg(feature = "gui")]
                        let _ = crate::gui::map::basemap::decode_tile(&_bytes);
                    }
                }
            }
        }
        Target::Workspace => {
            let session = crate::Session::open_read_only(first)?;
            exercise(&session)?;
            drop(session);
            let session = crate::Session::open(first)?;
            exercise(&session)?;
        }
    }
    Ok(())
}

/// What a front end asks of a freshly opened workspace.
fn exercise(session: &crate::Session) -> Result<()> {
    let _ = session.projects().len();
    let _ = session.records().meetings().len();
    let _ = session.records().people().len();
    let _ = session.records().tasks().len();
    let _ = session.notes().len();
    for i in 0..session.layers().len() {
        session.read_layer(i)?;
    }
    session.check()?;
    Ok(())
}

/// What a campaign calls before each execution: the target, the input, the totals so far.
pub type Before<'a> = dyn FnMut(Target, &Input, &BTreeMap<Target, TargetTotals>) + 'a;

/// Counts of one target's executions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TargetTotals {
    /// Executions run.
    pub execs: u64,
    /// Inputs the reader accepted.
    pub accepted: u64,
    /// Inputs it refused with an error.
    pub refused: u64,
    /// Panics (findings).
    pub panics: u64,
    /// Executions over the slow limit (findings).
    pub slow: u64,
    /// The slowest execution, milliseconds.
    pub slowest_ms: u64,
}

/// A finding: the target, what happened, and the input.
#[derive(Debug, Clone)]
pub struct Finding {
    /// The reader.
    pub target: Target,
    /// What happened (`panic: …`, `slow: N ms`).
    pub what: String,
    /// The input that did it.
    pub input: Input,
}

/// How long a campaign runs and what it runs.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The PRNG seed.
    pub seed: u64,
    /// The targets, run in turn.
    pub targets: Vec<Target>,
    /// Stop each target after this many executions (`None`: until `until`).
    pub execs_per_target: Option<u64>,
    /// Stop at this moment (`None`: only the count stops it).
    pub until: Option<Instant>,
    /// An execution longer than this is a finding.
    pub slow: Duration,
    /// The bad-input corpus, when present.
    pub corpus: Option<PathBuf>,
    /// A folder for seeds and scratch files.
    pub work: PathBuf,
}

/// Runs a campaign: each turn picks the next target, mutates one of its seeds (or a recent
/// interesting input) and executes it. `before` sees each input before it runs, with the
/// totals so far (the example keeps them for its watchdog and allocator); `found` gets every
/// finding.
pub fn run(
    campaign: &Campaign,
    before: &mut Before<'_>,
    found: &mut dyn FnMut(&Finding),
) -> Result<BTreeMap<Target, TargetTotals>> {
    let seeds = Seeds::make(&campaign.work.join("seeds"), campaign.corpus.as_deref())?;
    Ok(run_seeded(campaign, &seeds, before, found))
}

/// As [`run`], with seeds already made (several campaigns can share them).
pub fn run_seeded(
    campaign: &Campaign,
    seeds: &Seeds,
    before: &mut Before<'_>,
    found: &mut dyn FnMut(&Finding),
) -> BTreeMap<Target, TargetTotals> {
    let scratch = campaign.work.join("scratch");
    let mut rng = Rng::new(campaign.seed);
    let mut totals: BTreeMap<Target, TargetTotals> = BTreeMap::new();
    let mut turn = 0usize;
    loop {
        if campaign.until.is_some_and(|u| Instant::now() >= u) {
            break;
        }
        let active: Vec<Target> = campaign
            .targets
            .iter()
            .copied()
            .filter(|t| {
                campaign
                    .execs_per_target
                    .is_none_or(|n| totals.get(t).map_or(0, |x| x.execs) < n)
            })
            .collect();
        if active.is_empty() {
            break;
        }
        let target = active[turn % active.len()];
        turn += 1;
        let input = seeds.mutated(target, &mut rng);
        before(target, &input, &totals);
        let started = Instant::now();
        let outcome = execute(target, &input, &scratch);
        let elapsed = started.elapsed();
        let t = totals.entry(target).or_default();
        t.execs += 1;
        t.slowest_ms = t.slowest_ms.max(elapsed.as_millis() as u64);
        match outcome {
            Outcome::Accepted => t.accepted += 1,
            Outcome::Refused => t.refused += 1,
            Outcome::Panicked(message) => {
                t.panics += 1;
                found(&Finding {
                    target,
                    what: format!("panic: {message}"),
                    input: input.clone(),
                });
            }
        }
        if elapsed > campaign.slow {
            t.slow += 1;
            found(&Finding {
                target,
                what: format!("slow: {} ms", elapsed.as_millis()),
                input,
            });
        }
    }
    totals
}
