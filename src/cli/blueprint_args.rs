//! `linli blueprint`'s arguments and how they run (the work is [`super::blueprint`]'s).

use std::path::PathBuf;

use clap::builder::TypedValueParser as _;
use clap::{Args, ValueEnum};

use super::Failure;
use super::blueprint::{AreaChoice, write_atlas, write_sheet};
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::print::{AreaKind, Format, PageSpec, Paper};

/// `linli blueprint WS.gpkg (--community NAME | --street NAME | --project CODE | --atlas
/// street|community) [--size A3|A1] [--dpi 150|300] [--landscape] -o OUT`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("area").required(true).args(["community", "street", "project", "atlas"])))]
pub struct BlueprintArgs {
    /// The workspace.
    pub workspace: PathBuf,
    /// The community (居委/村委) to print, by name.
    #[arg(long)]
    pub community: Option<String>,
    /// The street (街道/镇) to print, by name.
    #[arg(long)]
    pub street: Option<String>,
    /// The project to print, by code.
    #[arg(long)]
    pub project: Option<String>,
    /// One sheet per street or per community, into the folder given with -o.
    #[arg(long, value_enum)]
    pub atlas: Option<AtlasArg>,
    /// Paper size.
    #[arg(long, value_enum, default_value_t = SizeArg::A3)]
    pub size: SizeArg,
    /// Resolution of a PNG, dots per inch.
    #[arg(long, default_value_t = 150, value_parser = clap::builder::PossibleValuesParser::new(["150", "300"]).map(|s| s.parse::<u32>().unwrap_or(150)))]
    pub dpi: u32,
    /// Long side across.
    #[arg(long)]
    pub landscape: bool,
    /// The file (.pdf, .png or .svg); with --atlas, the folder.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// The atlas's file format.
    #[arg(long, value_enum, default_value_t = AtlasFormat::Pdf)]
    pub format: AtlasFormat,
    /// Replace output files that exist (never the workspace or another GeoPackage).
    #[arg(long)]
    pub force: bool,
}

/// `--atlas`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AtlasArg {
    /// One sheet per street.
    Street,
    /// One sheet per community.
    Community,
}

/// `--size`.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum SizeArg {
    /// 297 × 420 mm.
    #[value(name = "A3", alias = "a3")]
    A3,
    /// 594 × 841 mm.
    #[value(name = "A1", alias = "a1")]
    A1,
}

/// `--format` of an atlas.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum AtlasFormat {
    /// PDF.
    Pdf,
    /// PNG.
    Png,
    /// SVG.
    Svg,
}

pub(super) fn run(args: BlueprintArgs, lang: Lang) -> Result<(), Failure> {
    let page = PageSpec {
        paper: match args.size {
            SizeArg::A3 => Paper::A3,
            SizeArg::A1 => Paper::A1,
        },
        landscape: args.landscape,
        dpi: args.dpi,
    };
    if let Some(atlas) = args.atlas {
        let format = match args.format {
            AtlasFormat::Pdf => Format::Pdf,
            AtlasFormat::Png => Format::Png,
            AtlasFormat::Svg => Format::Svg,
        };
        let kind = match atlas {
            AtlasArg::Street => AreaKind::Street,
            AtlasArg::Community => AreaKind::Community,
        };
        let session = super::read_session(&args.workspace, lang)?;
        let files = write_atlas(
            &session,
            kind,
            format,
            &page,
            &args.output,
            args.force,
            lang,
        )?;
        let line = CliText::AtlasWritten {
            count: files.len(),
            dir: &args.output,
        };
        out!("{}", line.get(lang));
        return Ok(());
    }
    // The extension is checked before the workspace is opened: a typo costs nothing.
    Format::of_path(&args.output)?;
    let area = match (args.community, args.street, args.project) {
        (Some(c), _, _) => AreaChoice::Community(c),
        (_, Some(s), _) => AreaChoice::Street(s),
        (_, _, Some(p)) => AreaChoice::Project(p),
        // clap's group requires one of them.
        _ => return Ok(()),
    };
    let session = super::read_session(&args.workspace, lang)?;
    let millis = write_sheet(&session, &area, &page, &args.output, args.force, lang)?;
    let line = CliText::BlueprintWritten {
        path: &args.output,
        millis,
    };
    out!("{}", line.get(lang));
    Ok(())
}
