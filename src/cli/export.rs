//! `linli export WS --format geojson|csv|xlsx|gpkg -o FILE [filters]`: the bureau's exports,
//! every format through the one [`ExportFilter`].

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use super::{Failure, read_session};
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::session::ExportFilter;
use crate::session::report::TableFormat;

/// `--format` of `export`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// RFC 7946 GeoJSON: the plan features.
    Geojson,
    /// CSV (UTF-8 with BOM, for Excel): the projects.
    Csv,
    /// An Excel workbook (.xlsx): the projects.
    Xlsx,
    /// A GeoPackage: the plan features as feature tables, projects, meetings, people and
    /// tasks as related attributes tables.
    Gpkg,
}

/// `linli export`'s arguments.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The workspace.
    pub workspace: PathBuf,
    /// Output format.
    #[arg(long, value_enum)]
    pub format: FormatArg,
    /// Output file.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Only features in this street (街道/镇), and projects with one.
    #[arg(long)]
    pub street: Option<String>,
    /// Only features in this community (居委/村), and projects with one.
    #[arg(long)]
    pub community: Option<String>,
    /// Only projects of this programme (缤纷社区, 童悦空间…), and their features.
    #[arg(long)]
    pub programme: Option<String>,
    /// Only projects of this batch year, and their features.
    #[arg(long)]
    pub year: Option<i32>,
    /// Only projects at this stage (key or Chinese name), and their features.
    #[arg(long)]
    pub stage: Option<String>,
    /// Only features of this element type (key or Chinese name), and projects with one.
    #[arg(long)]
    pub element: Option<String>,
    /// Replace the output file if it exists (never a workspace or another GeoPackage; a
    /// GeoPackage Linli exported may be).
    #[arg(long)]
    pub force: bool,
    /// Include the features of candidate and archived design alternatives (else only the
    /// plan).
    #[arg(long)]
    pub alternatives: bool,
}

/// Runs `export`.
pub fn run(args: ExportArgs, lang: Lang) -> Result<(), Failure> {
    let ExportArgs {
        workspace,
        format,
        output,
        street,
        community,
        programme,
        year,
        stage,
        element,
        force,
        alternatives,
    } = args;
    let filter = ExportFilter {
        street,
        community,
        programme,
        year,
        stage,
        element,
        alternatives,
    };
    let session = read_session(&workspace, lang)?;
    let line = match format {
        FormatArg::Geojson => {
            let (text, count) = session.export_geojson(&filter)?;
            session.write_export(&output, text.as_bytes(), force)?;
            CliText::Exported {
                count,
                path: &output,
            }
            .get(lang)
        }
        FormatArg::Csv | FormatArg::Xlsx => {
            let table_format = if format == FormatArg::Xlsx {
                TableFormat::Xlsx
            } else {
                TableFormat::Csv
            };
            let (table, count) = session.export_project_table(&filter, lang)?;
            let bytes = table
                .bytes(table_format)
                .map_err(|e| Error::io(&output, e))?;
            session.write_export(&output, &bytes, force)?;
            CliText::ExportedProjects {
                count,
                path: &output,
            }
            .get(lang)
        }
        FormatArg::Gpkg => {
            let (bytes, count) = session.export_gpkg(&filter)?;
            session.write_export(&output, &bytes, force)?;
            CliText::ExportedPackage {
                features: count.features,
                projects: count.projects,
                path: &output,
            }
            .get(lang)
        }
    };
    out!("{line}");
    Ok(())
}
