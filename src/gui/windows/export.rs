//! The export dialog (导出成果): the format, the filters the CLI's `export` takes (street,
//! community, programme, year, stage, element type — combo boxes filled from the workspace),
//! a live count of what the file will hold, then "save as" and the write through
//! [`crate::gui::save::ExportSaver`]. The file's bytes are the core's, the same as
//! `linli export`'s ([`Session::export_geojson`], [`Session::export_project_table`],
//! [`Session::export_gpkg`]).

use egui::{RichText, Ui};

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::errors::error_message;
use crate::i18n::exports::{ExportText as T, export_preview};
use crate::io::table::TableFormat;
use crate::session::{ExportChoices, ExportCount, ExportFilter};

/// What file the dialog writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// The plan features as GeoJSON.
    Geojson,
    /// The projects table as CSV.
    Csv,
    /// The projects table as an Excel workbook.
    Xlsx,
    /// Features and records as a GeoPackage.
    Gpkg,
}

impl ExportFormat {
    /// Every format, in the dialog's order.
    pub const ALL: [ExportFormat; 4] = [Self::Geojson, Self::Csv, Self::Xlsx, Self::Gpkg];

    fn label(self) -> T {
        match self {
            Self::Geojson => T::FormatGeojson,
            Self::Csv => T::FormatCsv,
            Self::Xlsx => T::FormatXlsx,
            Self::Gpkg => T::FormatGpkg,
        }
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Geojson => "geojson",
            Self::Csv => "csv",
            Self::Xlsx => "xlsx",
            Self::Gpkg => "gpkg",
        }
    }
}

/// What decides the choices and the count: the workspace's revision and the filter.
type Key = (u64, ExportFilter);

/// The dialog's state between frames.
#[derive(Debug)]
pub struct ExportWindow {
    /// Whether the dialog is shown.
    pub open: bool,
    /// The format chosen.
    pub format: ExportFormat,
    /// The filters chosen.
    pub filter: ExportFilter,
    /// The combo boxes' values, of the revision they were read at.
    choices: Option<(u64, ExportChoices)>,
    /// The count shown (or why there is none), of the key it was computed for.
    count: Option<(Key, Result<ExportCount, String>)>,
    /// "Save as", the "replace?" question and the outcome.
    pub saver: crate::gui::save::ExportSaver,
}

impl Default for ExportWindow {
    fn default() -> Self {
        Self {
            open: false,
            format: ExportFormat::Gpkg,
            filter: ExportFilter::default(),
            choices: None,
            count: None,
            saver: Default::default(),
        }
    }
}

/// A combo box of `values` (stored value, shown label) with "all" first, for one filter.
fn filter_combo<V: Clone + PartialEq>(
    ui: &mut Ui,
    lang: Lang,
    label: T,
    chosen: &mut Option<V>,
    values: &[(V, String)],
) {
    ui.label(label.get(lang));
    let shown = chosen
        .as_ref()
        .and_then(|c| values.iter().find(|(v, _)| v == c))
        .map_or(T::FilterAll.get(lang), |(_, l)| l.as_str())
        .to_string();
    egui::ComboBox::from_id_salt(("linli-export-filter", label.get(Lang::En)))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(chosen, None, T::FilterAll.get(lang));
            for (v, l) in values {
                ui.selectable_value(chosen, Some(v.clone()), l);
            }
        });
    ui.end_row();
}

impl ExportWindow {
    /// The count the dialog shows for the current filter, computed again only when the
    /// workspace or the filter changed; `Err` with the words of why the filter is refused.
    pub fn count(&mut self, session: &Session, lang: Lang) -> Result<ExportCount, String> {
        let key: Key = (session.revision(), self.filter.clone());
        if self.count.as_ref().map(|(k, _)| k) != Some(&key) {
            let counted = session
                .export_count(&self.filter)
                .map_err(|e| error_message(&e, lang));
            self.count = Some((key, counted));
        }
        match &self.count {
            Some((_, c)) => c.clone(),
            None => Ok(ExportCount::default()),
        }
    }

    /// The count last shown (tests read it).
    pub fn shown_count(&self) -> Option<ExportCount> {
        self.count
            .as_ref()
            .and_then(|(_, c)| c.as_ref().ok().copied())
    }

    fn choices(&mut self, session: &Session) -> ExportChoices {
        let revision = session.revision();
        if self.choices.as_ref().map(|(r, _)| *r) != Some(revision) {
            self.choices = Some((revision, session.export_choices()));
        }
        self.choices
            .as_ref()
            .map(|(_, c)| c.clone())
            .unwrap_or_default()
    }

    /// The dialog, when open.
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang, session: &Session) {
        self.saver.show(ctx, lang, session);
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new(T::ExportDialog.get(lang))
            .id(egui::Id::unique("linli-export-window"))
            .open(&mut open)
            .auto_sized()
            .show(ctx, |ui| self.contents(ui, lang, session));
        self.open = open;
    }

    fn contents(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        ui.horizontal_wrapped(|ui| {
            ui.label(T::Format.get(lang));
            for format in ExportFormat::ALL {
                ui.radio_value(&mut self.format, format, format.label().get(lang));
            }
        });
        ui.separator();
        let choices = self.choices(session);
        let same = |v: &[String]| -> Vec<(String, String)> {
            v.iter().map(|s| (s.clone(), s.clone())).collect()
        };
        let named = |v: &[(String, String, String)]| -> Vec<(String, String)> {
            v.iter()
                .map(|(k, zh, en)| {
                    let name = match lang {
                        Lang::Zh => zh,
                        Lang::En => en,
                    };
                    (k.clone(), name.clone())
                })
                .collect()
        };
        let years: Vec<(i32, String)> = choices.years.iter().map(|y| (*y, y.to_string())).collect();
        let f = &mut self.filter;
        egui::Grid::new("linli-export-filters")
            .num_columns(2)
            .show(ui, |ui| {
                filter_combo(
                    ui,
                    lang,
                    T::FilterStreet,
                    &mut f.street,
                    &same(&choices.streets),
                );
                filter_combo(
                    ui,
                    lang,
                    T::FilterCommunity,
                    &mut f.community,
                    &same(&choices.communities),
                );
                filter_combo(
                    ui,
                    lang,
                    T::FilterProgramme,
                    &mut f.programme,
                    &same(&choices.programmes),
                );
                filter_combo(ui, lang, T::FilterYear, &mut f.year, &years);
                filter_combo(
                    ui,
                    lang,
                    T::FilterStage,
                    &mut f.stage,
                    &named(&choices.stages),
                );
                filter_combo(
                    ui,
                    lang,
                    T::FilterElement,
                    &mut f.element,
                    &named(&choices.elements),
                );
            });
        ui.checkbox(&mut self.filter.alternatives, T::WithAlternatives.get(lang));
        ui.separator();
        let counted = self.count(session, lang);
        match &counted {
            Ok(c) => {
                ui.label(RichText::new(export_preview(lang, c.features, c.projects)).strong());
            }
            Err(why) => {
                ui.label(RichText::new(why).color(crate::gui::style::ERROR_TEXT));
            }
        }
        ui.horizontal(|ui| {
            let ready = counted.is_ok() && !self.saver.busy();
            if ui
                .add_enabled(ready, egui::Button::new(T::ExportButton.get(lang)))
                .clicked()
            {
                self.start(session, lang);
            }
            self.saver.message_label(ui);
        });
    }

    /// Builds the file's bytes in the chosen format and asks where to save them.
    fn start(&mut self, session: &Session, lang: Lang) {
        let stem = T::FileStem.get(lang);
        let name = format!("{stem}.{}", self.format.extension());
        let bytes = match self.format {
            ExportFormat::Geojson => session
                .export_geojson(&self.filter)
                .map(|(text, _)| text.into_bytes()),
            ExportFormat::Gpkg => session.export_gpkg(&self.filter).map(|(b, _)| b),
            ExportFormat::Csv | ExportFormat::Xlsx => {
                let format = if self.format == ExportFormat::Xlsx {
                    TableFormat::Xlsx
                } else {
                    TableFormat::Csv
                };
                match session.export_project_table(&self.filter, lang) {
                    Ok((table, _)) => {
                        self.saver.start_table(&table, format, stem);
                        return;
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match bytes {
            Ok(bytes) => self.saver.start(name, bytes),
            Err(e) => self.saver.fail(error_message(&e, lang)),
        }
    }
}
