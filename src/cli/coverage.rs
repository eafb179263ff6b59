//! `linli coverage` and `linli candidates`: the 15-minute life circle from the command line,
//! read-only.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::analysis::coverage::{Coverage, Model, NetworkOptions};
use crate::error::Problem;
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::io::output::{OutputRules, check_output};
use crate::io::table::TableFormat;
use crate::session::coverage::{
    candidates_geojson, coverage_csv, coverage_table_bytes, uncovered_geojson,
};
use crate::session::{CoverageSpec, Session};

use super::{Failure, read_session, refuse};

/// What both commands analyse.
#[derive(Debug, Clone, Args)]
pub struct AnalysisArgs {
    /// The workspace.
    pub workspace: PathBuf,
    /// The areas' layer (the street or community layer).
    #[arg(long, value_name = "LAYER")]
    pub areas: String,
    /// Plan features of this element type are facilities (key or name; repeatable).
    #[arg(long, value_name = "KEY")]
    pub element: Vec<String>,
    /// The features of this layer are facilities (repeatable).
    #[arg(long, value_name = "LAYER")]
    pub facilities: Vec<String>,
    /// The walking threshold: 300, 500, 1000 (5, 10, 15 minutes) or any.
    #[arg(long, value_name = "METRES", allow_negative_numbers = true)]
    pub distance: f64,
    /// Walk along this line layer instead of a straight line.
    #[arg(long, value_name = "LAYER")]
    pub network: Option<String>,
    /// With --network: how far off the network a place still counts, metres.
    #[arg(long, value_name = "METRES", default_value_t = NetworkOptions::default().access_m)]
    pub access: f64,
    /// Weights (residents): points or polygons of this layer.
    #[arg(long, value_name = "LAYER")]
    pub weight: Option<String>,
    /// The weight layer's field holding each feature's weight (1 each without it).
    #[arg(long, value_name = "FIELD")]
    pub weight_field: Option<String>,
    /// Count the features of candidate and archived design alternatives too (else only the
    /// plan).
    #[arg(long)]
    pub alternatives: bool,
}

/// `coverage --format`.
#[derive(Debug, Clone, Copy, PartialEq, ValueEnum)]
pub enum CoverageFormat {
    /// One row per area (UTF-8 with BOM).
    Csv,
    /// The uncovered area as GeoJSON.
    Geojson,
    /// One row per area, as an Excel workbook.
    Xlsx,
}

/// `linli coverage`.
#[derive(Debug, Clone, Args)]
pub struct CoverageArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// Output file (.csv, .xlsx, or .geojson for the uncovered overlay).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Replace the output file if it exists (never the workspace or another GeoPackage).
    #[arg(long)]
    pub force: bool,
    /// Output format; without it, told by the output's extension.
    #[arg(long, value_enum)]
    pub format: Option<CoverageFormat>,
}

/// `linli candidates`.
#[derive(Debug, Clone, Args)]
pub struct CandidatesArgs {
    #[command(flatten)]
    pub analysis: AnalysisArgs,
    /// How many sites.
    #[arg(short = 'n', default_value_t = 20)]
    pub count: usize,
    /// Output file (GeoJSON points, best first).
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Replace the output file if it exists (never the workspace or another GeoPackage).
    #[arg(long)]
    pub force: bool,
}

/// Analyses as `a` says, after checking that the output may be written (so a refused
/// output costs no analysis).
fn analyse(
    a: &AnalysisArgs,
    output: &Path,
    force: bool,
    lang: Lang,
) -> Result<(Session, Coverage), Failure> {
    if !(a.distance.is_finite() && a.distance > 0.0) {
        return Err(refuse(Problem::DistanceNotPositive { value: a.distance }));
    }
    let rules = OutputRules {
        workspace: Some(&a.workspace),
        replace: force,
    };
    check_output(output, rules)?;
    let session = read_session(&a.workspace, lang)?;
    let mut elements = Vec::new();
    for e in &a.element {
        match session.catalog().find(e) {
            Some(t) => elements.push(t.key.clone()),
            None => {
                return Err(refuse(Problem::UnknownElementType { element: e.clone() }));
            }
        }
    }
    let facility_layers = a
        .facilities
        .iter()
        .map(|l| session.analysis().layer_index(l))
        .collect::<crate::error::Result<Vec<_>>>()?;
    let network = a
        .network
        .as_deref()
        .map(|l| session.analysis().layer_index(l))
        .transpose()?;
    let weight = match &a.weight {
        Some(l) => Some((session.analysis().layer_index(l)?, a.weight_field.clone())),
        None => None,
    };
    let model = match network {
        Some(_) => Model::Network(NetworkOptions {
            access_m: a.access.max(0.0),
            ..NetworkOptions::default()
        }),
        None => Model::Straight,
    };
    let spec = CoverageSpec {
        areas: session.analysis().layer_index(&a.areas)?,
        elements,
        facility_layers,
        distance_m: a.distance,
        model,
        network,
        weight,
        alternatives: a.alternatives,
    };
    let coverage = session.analysis().coverage(&spec)?;
    Ok((session, coverage))
}

fn is_geojson(path: &Path) -> bool {
    has_extension(path, "geojson") || has_extension(path, "json")
}

fn has_extension(path: &Path, extension: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(extension))
}

/// Runs `coverage`; returns the lines to print.
pub fn coverage(args: &CoverageArgs, lang: Lang) -> Result<Vec<String>, Failure> {
    let (session, c) = analyse(&args.analysis, &args.output, args.force, lang)?;
    let format = args.format.unwrap_or(if is_geojson(&args.output) {
        CoverageFormat::Geojson
    } else if has_extension(&args.output, "xlsx") {
        CoverageFormat::Xlsx
    } else {
        CoverageFormat::Csv
    });
    let bytes = match format {
        CoverageFormat::Csv => coverage_csv(&c).into_bytes(),
        CoverageFormat::Geojson => uncovered_geojson(&c).into_bytes(),
        CoverageFormat::Xlsx => coverage_table_bytes(&c, TableFormat::Xlsx, lang)
            .map_err(|e| crate::error::Error::io(&args.output, e))?,
    };
    session.write_export(&args.output, &bytes, args.force)?;
    let mut lines = vec![
        CliText::CoverageOverall {
            areas: c.results().len(),
            share: c.overall_share(),
            weight_share: c.overall_weight_share(),
        }
        .get(lang),
    ];
    lines.push(CliText::CoverageWritten { path: &args.output }.get(lang));
    Ok(lines)
}

/// Runs `candidates`; returns the lines to print.
pub fn candidates(args: &CandidatesArgs, lang: Lang) -> Result<Vec<String>, Failure> {
    let (session, c) = analyse(&args.analysis, &args.output, args.force, lang)?;
    let (picks, by_weight) = c.candidates(args.count);
    session.write_export(
        &args.output,
        candidates_geojson(&c, &picks, by_weight).as_bytes(),
        args.force,
    )?;
    Ok(vec![
        CliText::CandidatesWritten {
            count: picks.len(),
            path: &args.output,
        }
        .get(lang),
    ])
}
