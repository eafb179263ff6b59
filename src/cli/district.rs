//! The district's exchange on the command line: `linli package` hands out a street
//! workspace, `linli merge` takes workspaces back (or the district's changes into a street),
//! `linli conflicts` lists what merges could not decide, `linli resolve` decides one.

use std::path::PathBuf;

use uuid::Uuid;

use super::{Failure, open_session, read_session, refuse};
use crate::error::{Error, Problem};
use crate::i18n::Lang;
use crate::i18n::district;
use crate::io::table::TableFormat;
use crate::session::sync::Resolution;

/// The arguments of `package`.
#[derive(Debug, clap::Args)]
pub struct PackageArgs {
    /// The district's workspace.
    pub district: PathBuf,
    /// The street to hand out (its name in the streets layer).
    #[arg(long, required_unless_present = "all")]
    pub street: Option<String>,
    /// Hand out every street: `-o` is then a folder, one `STREET.gpkg` each.
    #[arg(long, conflicts_with = "street")]
    pub all: bool,
    /// The street workspace to write (never over an existing file), or the folder with
    /// `--all`.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
}

/// The arguments of `merge`.
#[derive(Debug, clap::Args)]
pub struct MergeArgs {
    /// The workspace to merge into (the district's, or a street's).
    pub target: PathBuf,
    /// The workspaces to merge in, one after another (each only read).
    #[arg(required = true)]
    pub sources: Vec<PathBuf>,
    /// For a workspace merged for the first time that is this one's district: which street's
    /// records to take from it (by default, the street most of this workspace's plan lies in).
    #[arg(long)]
    pub street: Option<String>,
}

/// The arguments of `conflicts`.
#[derive(Debug, clap::Args)]
pub struct ConflictsArgs {
    /// The workspace.
    pub workspace: PathBuf,
    /// Write them to a file instead: .csv (UTF-8 with BOM) or .xlsx.
    #[arg(short = 'o', long = "output")]
    pub output: Option<PathBuf>,
    /// Resolved conflicts too.
    #[arg(long)]
    pub all: bool,
    /// Replace the output file if it exists (never the workspace or another GeoPackage).
    #[arg(long)]
    pub force: bool,
}

/// `resolve --take`.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum Side {
    /// This workspace's value.
    Ours,
    /// The other workspace's value.
    Theirs,
}

/// The arguments of `resolve`.
#[derive(Debug, clap::Args)]
pub struct ResolveArgs {
    /// The workspace.
    pub workspace: PathBuf,
    /// The conflict's id (from `linli conflicts`).
    pub id: Uuid,
    /// Take one side's value.
    #[arg(long, required_unless_present = "value", conflicts_with = "value")]
    pub take: Option<Side>,
    /// Or this value, as JSON (a text in quotes: '"施工"').
    #[arg(long)]
    pub value: Option<String>,
}

/// `linli package`: the lines to print.
pub(super) fn package(args: &PackageArgs, lang: Lang) -> Result<Vec<String>, Failure> {
    let mut session = open_session(&args.district, lang)?;
    let streets = match &args.street {
        Some(s) => vec![(s.clone(), args.output.clone())],
        None => {
            std::fs::create_dir_all(&args.output).map_err(|e| Error::io(&args.output, e))?;
            session
                .street_names()
                .into_iter()
                .map(|s| {
                    let path = args.output.join(format!("{s}.gpkg"));
                    (s, path)
                })
                .collect()
        }
    };
    let reports = session.package_streets(&streets)?;
    Ok(reports
        .iter()
        .map(|r| district::packaged(lang, r))
        .collect())
}

/// `linli merge`: the lines to print, one per workspace merged in.
pub(super) fn merge(args: &MergeArgs, lang: Lang) -> Result<Vec<String>, Failure> {
    let mut session = open_session(&args.target, lang)?;
    let mut lines = Vec::new();
    for source in &args.sources {
        let report = session.merge_file(source, args.street.as_deref())?;
        lines.push(district::merged(lang, &report));
    }
    Ok(lines)
}

/// `linli conflicts`: the lines to print (the table itself, or where it was written).
pub(super) fn conflicts(args: &ConflictsArgs, lang: Lang) -> Result<Vec<String>, Failure> {
    let session = read_session(&args.workspace, lang)?;
    let Some(output) = &args.output else {
        return Ok(session.conflicts_tsv(args.all));
    };
    let ext = output
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let format = match ext.as_deref() {
        Some("csv") => TableFormat::Csv,
        Some("xlsx") => TableFormat::Xlsx,
        _ => {
            return Err(refuse(Problem::UnknownExportFormat {
                name: output.display().to_string(),
            }));
        }
    };
    let (bytes, count) = session
        .conflicts_table_bytes(args.all, format)
        .map_err(|e| Error::io(output, e))?;
    session.write_export(output, &bytes, args.force)?;
    Ok(vec![district::conflicts_written(lang, count, output)])
}

/// `linli resolve`: the line to print.
pub(super) fn resolve(args: &ResolveArgs, lang: Lang) -> Result<String, Failure> {
    let resolution = match (&args.take, &args.value) {
        (Some(Side::Ours), _) => Resolution::Ours,
        (Some(Side::Theirs), _) => Resolution::Theirs,
        (None, Some(text)) => Resolution::Value(
            serde_json::from_str(text).unwrap_or_else(|_| serde_json::Value::String(text.clone())),
        ),
        (None, None) => return Err(refuse(Problem::OutputNeeded)),
    };
    let mut session = open_session(&args.workspace, lang)?;
    session.resolve_conflict(args.id, resolution)?;
    let resolved = session
        .merge_conflict(args.id)
        .map(|c| district::resolved(lang, c))
        .unwrap_or_default();
    Ok(resolved)
}
