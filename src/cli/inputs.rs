//! `linli inputs WS.gpkg [--meeting ID] -o OUT.csv|OUT.geojson|OUT.xlsx`: residents' comments
//! and votes as the bureau's table or as GeoJSON points, the format told by the extension.

use std::path::{Path, PathBuf};

use uuid::Uuid;

use super::{Failure, read_session, refuse};
use crate::error::{Error, Problem};
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::io::table::TableFormat;
use crate::model::local_time::LocalZone;

/// The arguments of `inputs`.
#[derive(Debug, clap::Args)]
pub struct InputsArgs {
    /// The workspace.
    pub workspace: PathBuf,
    /// Only this meeting's input (its id); without it, every meeting's.
    #[arg(long)]
    pub meeting: Option<Uuid>,
    /// Output file: .csv (UTF-8 with BOM), .xlsx or .geojson/.json.
    #[arg(short = 'o', long = "output")]
    pub output: PathBuf,
    /// Replace the output file if it exists (never the workspace or another GeoPackage).
    #[arg(long)]
    pub force: bool,
}

/// What a file name's extension asks for.
enum Format {
    Table(TableFormat),
    GeoJson,
}

fn format_of(path: &Path) -> Option<Format> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "csv" => Some(Format::Table(TableFormat::Csv)),
        "xlsx" => Some(Format::Table(TableFormat::Xlsx)),
        "geojson" | "json" => Some(Format::GeoJson),
        _ => None,
    }
}

/// Writes the inputs to the file; the line to print.
pub(super) fn inputs(args: &InputsArgs, lang: Lang) -> Result<String, Failure> {
    let InputsArgs {
        workspace,
        meeting,
        output,
        force,
    } = args;
    let format = format_of(output).ok_or_else(|| {
        refuse(Problem::UnknownExportFormat {
            name: output.display().to_string(),
        })
    })?;
    let session = read_session(workspace, lang)?;
    let records = session.records();
    if let Some(m) = meeting
        && records.meeting(*m).is_none()
    {
        return Err(refuse(Problem::NoMeetingWithId { id: m.to_string() }));
    }
    let inputs = records.inputs_for_export(*meeting);
    let zone = LocalZone::system();
    let bytes = match format {
        Format::Table(f) => records
            .inputs_table_bytes(&inputs, f, &zone, lang)
            .map_err(|e| Error::io(output, e))?,
        Format::GeoJson => records.inputs_geojson(&inputs, &zone).into_bytes(),
    };
    session.write_export(output, &bytes, *force)?;
    Ok(CliText::ExportedInputs {
        count: inputs.len(),
        path: output,
    }
    .get(lang))
}
