//! `linli stats`: the bureau's statistics, as CSV with a BOM or an Excel workbook, or printed
//! tab-separated (`linli export --format csv|xlsx` of the projects is [`super::export`]'s).

use std::path::{Path, PathBuf};

use super::{Failure, read_session};
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::io::csv::Cell;
use crate::session::report::{self, GroupBy, ProjectFilter, TableFormat};

/// `stats`: written to the file when one is given, else printed tab-separated (the groups,
/// then the projects in several groups and the total, as in the file).
pub(super) fn stats(
    workspace: &Path,
    filter: &ProjectFilter,
    by: GroupBy,
    file: Option<(TableFormat, PathBuf)>,
    force: bool,
    lang: Lang,
) -> Result<(), Failure> {
    let session = read_session(workspace, lang)?;
    let analysis = session.analysis();
    let stats = analysis.statistics(&analysis.project_table(filter), by);
    if let Some((format, output)) = file {
        let bytes = report::stats_table_file(&session, by, &stats, lang)
            .bytes(format)
            .map_err(|e| Error::io(&output, e))?;
        session.write_export(&output, &bytes, force)?;
        let line = CliText::StatsWritten {
            groups: stats.groups.len(),
            path: &output,
        };
        out!("{}", line.get(lang));
        return Ok(());
    }
    out!("{}", report::STATS_CSV_COLUMNS.join("\t"));
    for row in report::stats_csv_rows(&session, by, &stats) {
        let cells: Vec<String> = row
            .iter()
            .enumerate()
            .map(|(i, cell)| match cell {
                Cell::Text(s) if i == 0 && s.is_empty() => CliText::NoneGroup.get(lang),
                Cell::Text(s) | Cell::Number(s) => s.clone(),
            })
            .collect();
        out!("{}", cells.join("\t"));
    }
    Ok(())
}
