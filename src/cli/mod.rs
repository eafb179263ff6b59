//! The command line: the same core as the window, no window. Exit status 0 on success, 1 with
//! one clear line on stderr for bad input, 2 for bad usage (clap's own convention).
//!
//! It speaks the user's language: Chinese when the locale ([`lang_from_env`]) starts with `zh`,
//! English otherwise. Every line it prints comes from the i18n table ([`crate::i18n::cli`] and
//! [`crate::i18n::errors`]); clap's own usage messages stay English.

use std::ffi::OsString;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand, ValueEnum};

use crate::error::{Error, Problem, Result};
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::i18n::errors::error_message;
use crate::io::geojson_in::{Progress, SourceCrs};
use crate::model::LayerRole;
use crate::model::catalog::Catalog;
use crate::sample;
use crate::session::report::{self, GroupBy, ProjectFilter};
use crate::session::{ImportNote, ImportRequest, Session};

pub mod blueprint;
mod coverage;
mod district;
mod inputs;
mod repairs;
mod server;

/// Linli 邻里 — a GIS workbench for community planners.
#[derive(Debug, Parser)]
#[command(name = "linli", version, about)]
pub struct Cli {
    /// What to do; with none, the window opens on your default workspace.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create an empty workspace, or one holding the sample data.
    New {
        /// The workspace file to create (.gpkg).
        workspace: PathBuf,
        /// Fill it with the sample Pudong data.
        #[arg(long)]
        sample: bool,
        /// Use this element catalog (JSON) instead of the bundled one.
        #[arg(long)]
        catalog: Option<PathBuf>,
    },
    /// Import a GeoJSON file, a Shapefile or a GeoPackage feature table as a layer (one
    /// transaction: the whole layer or nothing). The format is told by the file's content.
    Import {
        /// The workspace.
        workspace: PathBuf,
        /// The file: .geojson/.json, a Shapefile's .shp, or a .gpkg.
        file: PathBuf,
        /// Name of the new layer (not used with --role plan).
        #[arg(long)]
        layer: Option<String>,
        /// What the layer is for.
        #[arg(long, value_enum, default_value_t = RoleArg::Reference)]
        role: RoleArg,
        /// The CRS of the file's coordinates: wgs84, gcj02 (Amap, DataV), cgcs2000 or
        /// EPSG:NNNN (CGCS2000 Gauss-Kruger 4491-4554, UTM 326xx/327xx, 3857). Without it,
        /// the CRS the file declares (GeoJSON crs, .prj, GeoPackage), else WGS84.
        #[arg(long, value_name = "CRS")]
        crs: Option<String>,
        /// The property holding feature names.
        #[arg(long)]
        name_field: Option<String>,
        /// Refuse the file if it needs any repair (unclosed or degenerate rings, repeated
        /// positions) instead of repairing it.
        #[arg(long)]
        strict: bool,
        /// Write every repair made to this CSV file.
        #[arg(long, value_name = "FILE")]
        report: Option<PathBuf>,
        /// Replace the output file if it exists (never the workspace or another GeoPackage).
        #[arg(long)]
        force: bool,
        /// Plan features: import features whose `linli_id` is already in the workspace as new
        /// copies instead of updating them.
        #[arg(long)]
        as_new: bool,
        /// A Shapefile's .dbf text encoding (GBK, UTF-8, Big5...); without it, the .cpg, the
        /// .dbf's language driver, UTF-8 when valid, else GBK.
        #[arg(long)]
        encoding: Option<String>,
        /// The GeoPackage feature table to import; without it, the only one (or a list).
        #[arg(long, value_name = "NAME")]
        source_layer: Option<String>,
    },
    /// Export the plan and its records for the bureau (GeoJSON, CSV, xlsx, GeoPackage).
    Export(export::ExportArgs),
    /// List the projects (tab-separated: code, name, street, stage, year, budget).
    Projects {
        /// The workspace.
        workspace: PathBuf,
        /// Only projects with a feature in this street.
        #[arg(long)]
        street: Option<String>,
        /// Only projects at this stage (key or Chinese name).
        #[arg(long)]
        stage: Option<String>,
        /// Only projects of this batch year.
        #[arg(long)]
        year: Option<i32>,
        /// Only projects this person (or design team) takes part in.
        #[arg(long)]
        person: Option<String>,
        /// Only overdue projects (an overdue task, or a planned stage not started).
        #[arg(long)]
        overdue: bool,
    },
    /// List the tasks (tab-separated: street, due, status, title, owner, project, meeting,
    /// overdue), or write them as CSV.
    Tasks {
        /// The workspace.
        workspace: PathBuf,
        /// Only tasks of this year (due, else decided).
        #[arg(long)]
        year: Option<i32>,
        /// Only tasks in this street.
        #[arg(long)]
        street: Option<String>,
        /// Only overdue tasks (due before today and not done).
        #[arg(long)]
        overdue: bool,
        /// Write CSV (UTF-8 with BOM) instead of printing.
        #[arg(long, value_enum)]
        format: Option<StatsFormatArg>,
        /// Output file (with --format).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (never the workspace or another GeoPackage).
        #[arg(long)]
        force: bool,
    },
    /// List the roster (tab-separated: name, role, organisation, streets, projects, meetings,
    /// tasks) and the organisations.
    People {
        /// The workspace.
        workspace: PathBuf,
    },
    /// Statistics of the projects: one row per group with projects, features, budget and
    /// actual cost (万元).
    Stats {
        /// The workspace.
        workspace: PathBuf,
        /// What to group by.
        #[arg(long, value_enum)]
        by: GroupArg,
        /// Write CSV (UTF-8 with BOM) or an Excel workbook instead of printing.
        #[arg(long, value_enum)]
        format: Option<StatsFormatArg>,
        /// Output file (with --format).
        #[arg(short = 'o', long = "output")]
        output: Option<PathBuf>,
        /// Replace the output file if it exists (never the workspace or another GeoPackage).
        #[arg(long)]
        force: bool,
        /// Only projects with a feature in this street.
        #[arg(long)]
        street: Option<String>,
        /// Only projects of this batch year.
        #[arg(long)]
        year: Option<i32>,
        /// Count the features of candidate and archived design alternatives too (else only
        /// the plan).
        #[arg(long)]
        alternatives: bool,
    },
    /// List layers (role, geometry type, count, extent) and projects.
    Info {
        /// The workspace.
        workspace: PathBuf,
    },
    /// Check the workspace's integrity; exit status 1 on a problem.
    Check {
        /// The workspace.
        workspace: PathBuf,
    },
    /// Print the street and community containing a point.
    Locate {
        /// The workspace.
        workspace: PathBuf,
        /// Longitude, degrees.
        #[arg(allow_negative_numbers = true)]
        lon: f64,
        /// Latitude, degrees.
        #[arg(allow_negative_numbers = true)]
        lat: f64,
        /// The datum of the point.
        #[arg(long, value_enum, default_value_t = CrsArg::Wgs84)]
        crs: CrsArg,
    },
    /// Bring a workspace written by an older Linli up to this program's schema (after a
    /// backup copy beside it). Read-only commands never upgrade a file.
    Upgrade {
        /// The workspace.
        workspace: PathBuf,
    },
    /// Covered share of each area within a walking distance of facilities (read-only):
    /// one CSV row per area, or the uncovered area as GeoJSON.
    Coverage(coverage::CoverageArgs),
    /// Candidate sites that would cover the most uncovered weight (or area), best first, as
    /// GeoJSON points (read-only).
    Candidates(coverage::CandidatesArgs),
    /// Residents' comments and votes (read-only) as CSV (UTF-8 with BOM), xlsx or GeoJSON
    /// points, told by the output's extension.
    Inputs(inputs::InputsArgs),
    /// Print the blueprint of a community, a street or a project (PDF, PNG or SVG), or one
    /// sheet per street or community (--atlas).
    Blueprint(blueprint_args::BlueprintArgs),
    /// Hand out a street workspace from the district's (or every street's, with --all).
    Package(district::PackageArgs),
    /// Merge workspaces into this one, record by record and field by field against the
    /// base both last agreed on; conflicts are kept, nothing is overwritten.
    Merge(district::MergeArgs),
    /// List the merge conflicts (tab-separated), or write them as CSV (UTF-8 with BOM) or
    /// xlsx with -o.
    Conflicts(district::ConflictsArgs),
    /// Resolve a merge conflict: keep ours, take theirs, or give a value.
    Resolve(district::ResolveArgs),
    /// The district server (PostgreSQL with PostGIS): set it up, give its login roles.
    #[command(subcommand)]
    Server(server::ServerCommand),
    /// Sync a street's workspace with the district server: pull the street's rows changed
    /// since the last sync, merge them here (conflicts kept), push this workspace's changes;
    /// one server transaction.
    Sync(server::SyncArgs),
    /// Open a workspace in the window.
    Open {
        /// The workspace.
        workspace: PathBuf,
    },
}

/// `--role`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum RoleArg {
    /// Street/town boundaries (街道/镇).
    Streets,
    /// Community boundaries (居委/村).
    Communities,
    /// Any other layer.
    Reference,
    /// Plan features (each with an element_type property).
    Plan,
}

impl From<RoleArg> for LayerRole {
    fn from(r: RoleArg) -> Self {
        match r {
            RoleArg::Streets => LayerRole::Streets,
            RoleArg::Communities => LayerRole::Communities,
            RoleArg::Reference => LayerRole::Reference,
            RoleArg::Plan => LayerRole::Plan,
        }
    }
}

/// `--crs`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum CrsArg {
    /// WGS84 lon/lat.
    Wgs84,
    /// GCJ-02 lon/lat (Amap, DataV).
    Gcj02,
}

impl From<CrsArg> for SourceCrs {
    fn from(c: CrsArg) -> Self {
        match c {
            CrsArg::Wgs84 => SourceCrs::Wgs84,
            CrsArg::Gcj02 => SourceCrs::Gcj02,
        }
    }
}

/// `stats --format`, `tasks --format`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum StatsFormatArg {
    /// CSV (UTF-8 with BOM, for Excel).
    Csv,
    /// An Excel workbook (.xlsx): typed cells, frozen header row.
    Xlsx,
}

impl From<StatsFormatArg> for report::TableFormat {
    fn from(f: StatsFormatArg) -> Self {
        match f {
            StatsFormatArg::Csv => Self::Csv,
            StatsFormatArg::Xlsx => Self::Xlsx,
        }
    }
}

/// `stats --by`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GroupArg {
    /// Street (街道/镇).
    Street,
    /// Element type.
    Element,
    /// Lifecycle stage.
    Stage,
    /// Programme.
    Programme,
    /// Batch year.
    Year,
}

impl From<GroupArg> for GroupBy {
    fn from(g: GroupArg) -> Self {
        match g {
            GroupArg::Street => GroupBy::Street,
            GroupArg::Element => GroupBy::Element,
            GroupArg::Stage => GroupBy::Stage,
            GroupArg::Programme => GroupBy::Programme,
            GroupArg::Year => GroupBy::Year,
        }
    }
}

/// How the binary opens a window; the library stays free of the GUI.
pub type GuiLauncher = fn(Option<PathBuf>) -> std::result::Result<(), String>;

/// Runs the command line on `args` (including the program name).
pub fn run(
    args: impl IntoIterator<Item = impl Into<OsString> + Clone>,
    gui: GuiLauncher,
) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let lang = lang_from_env(|name| std::env::var_os(name));
    let outcome = match cli.command {
        None => gui(None).map_err(Failure::Message),
        Some(Command::Open { workspace }) => gui(Some(workspace)).map_err(Failure::Message),
        Some(command) => execute(command, lang),
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Message(m)) => {
            eprintln!("linli: {}", one_line(&m));
            ExitCode::from(1)
        }
        Err(Failure::Core(e)) => {
            eprintln!("linli: {}", one_line(&error_message(&e, lang)));
            ExitCode::from(1)
        }
        Err(Failure::Problems) => ExitCode::from(1),
    }
}

/// The CLI's language from the locale variables, POSIX precedence: `LC_ALL`, else
/// `LC_MESSAGES`, else `LANG`, an empty (or unset) variable skipped. Chinese when the first
/// set one starts with `zh` (`zh_CN.UTF-8`, `zh_TW`, `zh`), English otherwise (`C`, `en_US`).
///
/// ```
/// use linli::cli::lang_from_env;
/// use linli::i18n::Lang;
/// let env = |vars: &'static [(&'static str, &'static str)]| {
///     move |name: &str| vars.iter().find(|(k, _)| *k == name).map(|(_, v)| v.into())
/// };
/// assert_eq!(lang_from_env(env(&[("LANG", "zh_CN.UTF-8")])), Lang::Zh);
/// assert_eq!(lang_from_env(env(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")])), Lang::En);
/// assert_eq!(lang_from_env(env(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")])), Lang::Zh);
/// ```
pub fn lang_from_env(var: impl Fn(&str) -> Option<OsString>) -> Lang {
    let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|name| var(name))
        .find(|value| !value.is_empty());
    match locale {
        Some(value) if value.to_string_lossy().starts_with("zh") => Lang::Zh,
        _ => Lang::En,
    }
}

enum Failure {
    /// Printed as one line on stderr, as it is (the window launcher's own words).
    Message(String),
    /// A core error, printed as one line in the user's language.
    Core(Error),
    /// Already printed (`check` found problems).
    Problems,
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Failure::Core(e)
    }
}

fn refuse(problem: Problem) -> Failure {
    Failure::Core(Error::request(problem))
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Prints a line on stdout. A closed pipe (`linli info WS | head -1`) ends the command quietly,
/// as other command-line tools do, instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        if let Err(e) = writeln!(std::io::stdout(), $($arg)*) {
            if e.kind() == std::io::ErrorKind::BrokenPipe {
                return Ok(());
            }
            return Err(Failure::Core(Error::io("stdout", e)));
        }
    }};
}

mod blueprint_args;
mod export;
mod people;
mod tables;

/// Opens a workspace to change it, telling the user on stderr when opening upgraded it (and
/// where the copy from before is) and what it found in rows other programs wrote.
fn open_session(workspace: &Path, lang: Lang) -> Result<Session> {
    let session = Session::open(workspace)?;
    if let Some(m) = session.migrated() {
        eprintln!(
            "linli: {}",
            crate::i18n::migrated_text(lang, m.from, crate::store::APP_SCHEMA_VERSION, &m.backup)
        );
    }
    print_notes(&session, workspace, lang);
    Ok(session)
}

/// Opens a workspace to read it only: not a byte of the file changes.
fn read_session(workspace: &Path, lang: Lang) -> Result<Session> {
    let session = Session::open_read_only(workspace)?;
    print_notes(&session, workspace, lang);
    Ok(session)
}

/// What opening found in rows other programs wrote, one line each on stderr.
fn print_notes(session: &Session, workspace: &Path, lang: Lang) {
    for problem in session.notes() {
        let line = CliText::Note {
            path: workspace,
            problem,
        };
        eprintln!("linli: {}", one_line(&line.get(lang)));
    }
}

fn execute(command: Command, lang: Lang) -> std::result::Result<(), Failure> {
    let mut progress = TerminalProgress::new(lang);
    match command {
        Command::New {
            workspace,
            sample,
            catalog,
        } => {
            if sample && catalog.is_some() {
                return Err(refuse(Problem::SampleTakesNoCatalog));
            }
            let session = if sample {
                sample::create_sample_workspace(&workspace, &mut |p| progress.show(p))?
            } else {
                let catalog = match catalog {
                    Some(path) => load_catalog(&path)?,
                    None => Catalog::bundled(),
                };
                Session::create(&workspace, &catalog)?
            };
            progress.clear();
            let created = CliText::Created {
                path: &workspace,
                layers: session.layers().len(),
                plan: session.plan().len(),
                projects: session.projects().len(),
            };
            out!("{}", created.get(lang));
        }
        Command::Import {
            workspace,
            file,
            layer,
            role,
            crs,
            name_field,
            strict,
            report,
            as_new,
            encoding,
            source_layer,
            force,
        } => {
            let role = LayerRole::from(role);
            if role == LayerRole::Plan && layer.is_some() {
                return Err(refuse(Problem::PlanTakesNoLayer));
            }
            if role != LayerRole::Plan && layer.is_none() {
                return Err(refuse(Problem::LayerNameNeeded));
            }
            let crs = match crs {
                Some(key) => Some(SourceCrs::from_key(&key).ok_or_else(|| {
                    refuse(Problem::ForeignCrs {
                        declared: key.clone(),
                    })
                })?),
                None => None,
            };
            // The report's file is checked before importing, so a refused report never
            // follows a finished import.
            if let Some(path) = &report {
                let rules = crate::io::output::OutputRules {
                    workspace: Some(&workspace),
                    replace: force,
                };
                crate::io::output::check_output(path, rules)?;
            }
            let mut session = open_session(&workspace, lang)?;
            let request = ImportRequest {
                layer,
                role,
                crs,
                name_field,
                strict,
                as_new,
                encoding,
                source_layer,
            };
            let outcome = session.import_file(&file, &request, &mut |p| progress.show(p));
            progress.clear();
            let outcome = outcome?;
            let imported = CliText::Imported {
                features: outcome.features,
                layer: &outcome.layer,
            };
            out!("{}", imported.get(lang));
            if outcome.updated > 0 {
                let updated = CliText::Updated {
                    count: outcome.updated,
                };
                out!("  {}", updated.get(lang));
            }
            for line in repairs::repair_lines(&outcome.repairs, lang) {
                out!("{line}");
            }
            if let Some(path) = report {
                session.write_export(
                    &path,
                    repairs::repairs_csv(&outcome.repairs, lang).as_bytes(),
                    force,
                )?;
                let written = CliText::ReportWritten {
                    count: outcome.repairs.len(),
                    path: &path,
                };
                out!("{}", written.get(lang));
            }
            let report = outcome;
            for note in &report.notes {
                let line = match note {
                    ImportNote::ProjectCreated { code, name } => {
                        CliText::ProjectCreated { code, name }.get(lang)
                    }
                    ImportNote::Read(note) => crate::i18n::errors::read_note_message(note, lang),
                };
                out!("  {line}");
            }
        }
        Command::Export(args) => export::run(args, lang)?,
        Command::Projects {
            workspace,
            street,
            stage,
            year,
            person,
            overdue,
        } => {
            let session = read_session(&workspace, lang)?;
            let filter = ProjectFilter {
                street,
                stage,
                year,
                person,
                overdue_on: overdue.then(crate::model::people::today_local),
                ..ProjectFilter::default()
            };
            projects_table(&session, &filter, lang)?;
        }
        Command::Tasks {
            workspace,
            year,
            street,
            overdue,
            format,
            output,
            force,
        } => {
            let session = read_session(&workspace, lang)?;
            let today = crate::model::people::today_local();
            let filter = crate::session::TaskFilter {
                year,
                street,
                overdue_on: overdue.then(|| today.clone()),
            };
            let file = match (format, output) {
                (Some(format), Some(output)) => Some((format.into(), output)),
                (Some(_), None) => return Err(refuse(Problem::OutputNeeded)),
                (None, _) => None,
            };
            let file = file.as_ref().map(|(f, p): &(_, PathBuf)| (*f, p.as_path()));
            people::tasks(&session, &filter, &today, file, force, lang)?;
        }
        Command::People { workspace } => {
            let session = read_session(&workspace, lang)?;
            people::people(&session, lang)?;
        }
        Command::Stats {
            workspace,
            by,
            format,
            output,
            force,
            street,
            year,
            alternatives,
        } => {
            let filter = ProjectFilter {
                street,
                year,
                alternatives,
                ..ProjectFilter::default()
            };
            let file = match (format, output) {
                (Some(format), Some(output)) => Some((format.into(), output)),
                (Some(_), None) => return Err(refuse(Problem::OutputNeeded)),
                (None, _) => None,
            };
            tables::stats(&workspace, &filter, by.into(), file, force, lang)?;
        }
        Command::Blueprint(args) => blueprint_args::run(args, lang)?,
        Command::Info { workspace } => {
            let session = read_session(&workspace, lang)?;
            out!("{}", CliText::InfoWorkspace { path: &workspace }.get(lang));
            for info in session.layer_infos()? {
                let line = CliText::InfoLayer {
                    name: &info.name,
                    role: info.role.key(),
                    geometry_type: &info.geometry_type,
                    count: info.feature_count,
                    bbox: info
                        .bbox
                        .map(|b| [b.min_lon, b.min_lat, b.max_lon, b.max_lat]),
                };
                out!("{}", line.get(lang));
            }
            let count = session.projects().len();
            out!("{}", CliText::InfoProjects { count }.get(lang));
            if let Ok(identity) = session.identity() {
                let peers = session.peers().unwrap_or_default();
                let open = session
                    .merge_conflicts()
                    .iter()
                    .filter(|c| c.is_open())
                    .count();
                out!(
                    "{}",
                    crate::i18n::district::info(lang, &identity, &peers, open)
                );
            }
        }
        Command::Check { workspace } => {
            // Looked at before opening: a reader may leave the log as it is, never smaller.
            if let Some(bytes) = crate::store::unsaved_log_bytes(&workspace) {
                let line = CliText::CheckUnsavedLog {
                    path: &workspace,
                    bytes,
                };
                eprintln!("linli: {}", line.get(lang));
            }
            // The findings include what opening noted; they are printed once, as findings.
            let session = Session::open_read_only(&workspace)?;
            let problems = session.check()?;
            if problems.is_empty() {
                out!("{}", CliText::CheckOk { path: &workspace }.get(lang));
            } else {
                for p in &problems {
                    let line = CliText::CheckProblem {
                        path: &workspace,
                        problem: p,
                    };
                    eprintln!("linli: {}", one_line(&line.get(lang)));
                }
                return Err(Failure::Problems);
            }
        }
        Command::Coverage(args) => {
            for line in coverage::coverage(&args, lang)? {
                out!("{line}");
            }
        }
        Command::Candidates(args) => {
            for line in coverage::candidates(&args, lang)? {
                out!("{line}");
            }
        }
        Command::Package(args) => {
            for line in district::package(&args, lang)? {
                out!("{line}");
            }
        }
        Command::Merge(args) => {
            for line in district::merge(&args, lang)? {
                out!("{line}");
            }
        }
        Command::Conflicts(args) => {
            for line in district::conflicts(&args, lang)? {
                out!("{line}");
            }
        }
        Command::Resolve(args) => {
            let line = district::resolve(&args, lang)?;
            out!("{line}");
        }
        Command::Server(command) => {
            let line = server::run(&command, lang)?;
            out!("{line}");
        }
        Command::Sync(args) => {
            let line = server::sync(&args, lang)?;
            out!("{line}");
        }
        Command::Inputs(args) => {
            let line = inputs::inputs(&args, lang)?;
            out!("{line}");
        }
        Command::Locate {
            workspace,
            lon,
            lat,
            crs,
        } => {
            if !(lon.is_finite() && lat.is_finite() && lon.abs() <= 180.0 && lat.abs() <= 90.0) {
                return Err(refuse(Problem::NotLonLat { lon, lat }));
            }
            let session = read_session(&workspace, lang)?;
            let (lon, lat) = SourceCrs::from(crs).to_wgs84(lon, lat);
            let location = session.locate(lon, lat);
            out!("street\t{}", location.street.as_deref().unwrap_or("-"));
            out!(
                "community\t{}",
                location.community.as_deref().unwrap_or("-")
            );
        }
        Command::Upgrade { workspace } => {
            let session = open_session(&workspace, lang)?;
            if session.migrated().is_none() {
                let current = CliText::UpToDate {
                    path: &workspace,
                    version: crate::store::APP_SCHEMA_VERSION,
                };
                out!("{}", current.get(lang));
            }
        }
        Command::Open { .. } => {}
    }
    Ok(())
}

fn load_catalog(path: &Path) -> Result<Catalog> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::cannot_read(path, e))?;
    Catalog::from_json(&text, path)
}

/// `linli projects`: a tab-separated table (machine-read column keys, the same in both
/// languages), the stage in the user's language.
fn projects_table(
    session: &Session,
    filter: &ProjectFilter,
    lang: Lang,
) -> std::result::Result<(), Failure> {
    out!("code\tname\tstreet\tstage\tyear\tbudget_wan");
    for row in session.analysis().project_table(filter) {
        let p = row.project;
        let streets: Vec<&str> = row.summary.streets.iter().map(String::as_str).collect();
        let stage =
            crate::i18n::projects::stage_name(lang, session.workflows().of(p), &row.stage_key);
        out!(
            "{}\t{}\t{}\t{stage}\t{}\t{}",
            p.code,
            p.name,
            streets.join("、"),
            p.year.map(|y| y.to_string()).unwrap_or_default(),
            p.budget_wan.map(|b| b.to_string()).unwrap_or_default()
        );
    }
    Ok(())
}

/// Progress on stderr, only when it is a terminal (scripts get clean output).
struct TerminalProgress {
    enabled: bool,
    lang: Lang,
    last: Option<(u8, u32)>,
}

impl TerminalProgress {
    fn new(lang: Lang) -> Self {
        Self {
            enabled: std::io::stderr().is_terminal(),
            lang,
            last: None,
        }
    }

    fn show(&mut self, p: Progress) {
        if !self.enabled {
            return;
        }
        let (stage, label) = match p {
            Progress::Reading { .. } => (0, CliText::ProgressReading),
            Progress::Parsing { .. } => (1, CliText::ProgressChecking),
            Progress::Writing { .. } => (2, CliText::ProgressWriting),
        };
        let label = label.get(self.lang);
        let percent = (p.fraction() * 100.0) as u32;
        if self.last != Some((stage, percent)) {
            self.last = Some((stage, percent));
            eprint!("\r{label} {percent:3}%   ");
        }
    }

    fn clear(&mut self) {
        if self.enabled && self.last.is_some() {
            eprint!("\r                    \r");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lang(vars: &[(&str, &str)]) -> Lang {
        lang_from_env(|name| {
            vars.iter()
                .find(|(k, _)| *k == name)
                .map(|(_, v)| OsString::from(v))
        })
    }

    #[test]
    fn the_locale_follows_posix_precedence() {
        assert_eq!(lang(&[]), Lang::En);
        assert_eq!(lang(&[("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(lang(&[("LANG", "C")]), Lang::En);
        assert_eq!(lang(&[("LANG", "en_US.UTF-8")]), Lang::En);
        assert_eq!(lang(&[("LANG", "zh_TW.UTF-8")]), Lang::Zh);
        // LC_ALL beats LC_MESSAGES beats LANG...
        assert_eq!(lang(&[("LC_ALL", "C"), ("LANG", "zh_CN.UTF-8")]), Lang::En);
        assert_eq!(lang(&[("LC_ALL", "zh_CN"), ("LANG", "C")]), Lang::Zh);
        assert_eq!(
            lang(&[("LC_MESSAGES", "zh_CN.UTF-8"), ("LANG", "en_GB")]),
            Lang::Zh
        );
        assert_eq!(
            lang(&[("LC_ALL", "en_GB"), ("LC_MESSAGES", "zh_CN.UTF-8")]),
            Lang::En
        );
        // ...and an empty variable is skipped.
        assert_eq!(lang(&[("LC_ALL", ""), ("LANG", "zh_CN.UTF-8")]), Lang::Zh);
        assert_eq!(
            lang(&[("LC_ALL", ""), ("LC_MESSAGES", ""), ("LANG", "")]),
            Lang::En
        );
    }
}
