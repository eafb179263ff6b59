//! `linli tasks` and `linli people`: the task list (or its CSV) and the roster, as the
//! bureau's scripts read them (tab-separated, machine-read column keys the same in both
//! languages, coded values in the user's language).

use std::path::Path;

use super::Failure;
use crate::error::Error;
use crate::i18n::Lang;
use crate::i18n::cli::CliText;
use crate::i18n::people::{org_kind_name, role_name, status_name};
use crate::session::report::TableFormat;
use crate::session::{Session, TASK_CSV_COLUMNS, TaskFilter, task_table_file};

/// The tasks the filter keeps: printed, or written to `file` as CSV with a BOM or as an Excel
/// workbook (replacing an existing file only with `force`).
pub(super) fn tasks(
    session: &Session,
    filter: &TaskFilter,
    today: &str,
    file: Option<(TableFormat, &Path)>,
    force: bool,
    lang: Lang,
) -> Result<(), Failure> {
    let rows = session.records().task_table(filter, today);
    if let Some((format, path)) = file {
        let bytes = task_table_file(&rows, lang)
            .bytes(format)
            .map_err(|e| Error::io(path, e))?;
        session.write_export(path, &bytes, force)?;
        let line = CliText::TasksWritten {
            count: rows.len(),
            path,
        };
        out!("{}", line.get(lang));
        return Ok(());
    }
    out!("{}", TASK_CSV_COLUMNS.join("\t"));
    for r in &rows {
        let meeting = r
            .meeting
            .map(|m| {
                let kind = crate::i18n::projects::meeting_kind_name(lang, m.kind);
                format!("{} {kind}", m.date)
            })
            .unwrap_or_default();
        out!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{meeting}\t{}",
            r.streets.join("、"),
            r.task.due,
            status_name(lang, r.task.status),
            r.task.title,
            r.task.owner,
            r.project_code,
            u8::from(r.overdue)
        );
    }
    Ok(())
}

/// The roster: every person with their projects, meetings and tasks counted, then every
/// organisation.
pub(super) fn people(session: &Session, lang: Lang) -> Result<(), Failure> {
    out!("name\trole\torganisation\tstreets\tprojects\tmeetings\ttasks");
    for p in session.records().people() {
        let Some(page) = session.records().person_page(p.id) else {
            continue;
        };
        out!(
            "{}\t{}\t{}\t{}\t{}\t{}\t{}",
            p.name,
            role_name(lang, p.role),
            p.organisation,
            page.streets.join("、"),
            page.projects.len(),
            page.meetings.len(),
            page.tasks.len()
        );
    }
    out!();
    out!("organisation\tkind\tpeople");
    for o in session.records().organisations() {
        let members = session
            .records()
            .people()
            .iter()
            .filter(|p| p.organisation == o.name)
            .count();
        out!("{}\t{}\t{members}", o.name, org_kind_name(lang, o.kind));
    }
    Ok(())
}
