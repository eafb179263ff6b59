//! Importing a GeoJSON file from the window. The file is read, checked and written on a worker
//! thread — the open session travels there and back — so a 50,000-feature file never freezes
//! the window; the map's caches are rebuilt there too. The import is one transaction: on any
//! error the workspace is as it was and the message names the file, the feature and the problem.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError, channel};

use egui::Ui;

use crate::gui::app::loader::Loaded;
use crate::i18n::errors::{repair_entry_message, repair_summary_message};
use crate::i18n::{Lang, Text, role_name};
use crate::io::geojson_in::RepairEntry;
use crate::io::geojson_in::{Progress, SourceCrs};
use crate::model::LayerRole;
use crate::render::data::MapData;
use crate::session::{ImportReport, ImportRequest};

/// What the import worker reports.
pub enum ImportEvent {
    /// Progress of the current stage.
    Progress(Progress),
    /// The end: the session (changed or not) and the outcome.
    Done(Box<Loaded>, Result<ImportReport, crate::Error>),
}

/// Runs the import on a worker thread; `ctx` is asked to repaint on every report.
pub fn spawn(
    mut loaded: Box<Loaded>,
    file: PathBuf,
    request: ImportRequest,
    ctx: egui::Context,
) -> Receiver<ImportEvent> {
    let (tx, rx) = channel();
    let worker_tx = tx.clone();
    let worker_ctx = ctx.clone();
    let job = move || {
        let mut last = std::time::Instant::now();
        let outcome = loaded.session.import_file(&file, &request, &mut |p| {
            if last.elapsed().as_millis() >= 30 {
                last = std::time::Instant::now();
                let _ = worker_tx.send(ImportEvent::Progress(p));
                worker_ctx.request_repaint();
            }
        });
        if outcome.is_ok() {
            let session = &loaded.session;
            loaded.data = MapData::build(
                session.layers(),
                session.plan(),
                session.catalog(),
                &mut |_, _| {},
            );
        }
        let _ = worker_tx.send(ImportEvent::Done(loaded, outcome));
        worker_ctx.request_repaint();
    };
    if let Err(e) = std::thread::Builder::new()
        .name("linli-import".into())
        .spawn(job)
    {
        // The closure (and the session in it) is gone with the failed spawn: say so plainly.
        eprintln!("linli: could not start the import thread: {e}");
    }
    rx
}

/// The CRS choice of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CrsChoice {
    /// As the file declares, WGS84 when it declares none.
    Declared,
    Wgs84,
    Gcj02,
    /// The EPSG code typed in.
    Epsg,
}

/// The import form.
pub struct ImportWindow {
    /// Shown or not.
    pub open: bool,
    path_text: String,
    layer: String,
    role: LayerRole,
    crs: CrsChoice,
    epsg: String,
    name_field: String,
    encoding: String,
    source_layer: String,
    browsing: Option<Receiver<Option<PathBuf>>>,
    /// The last outcome, shown under the form.
    pub message: Option<(bool, String)>,
    /// The last import's repairs, listed under the message.
    pub repairs: Vec<RepairEntry>,
}

impl Default for ImportWindow {
    fn default() -> Self {
        Self {
            open: false,
            path_text: String::new(),
            layer: String::new(),
            role: LayerRole::Reference,
            crs: CrsChoice::Declared,
            epsg: String::new(),
            name_field: String::new(),
            encoding: String::new(),
            source_layer: String::new(),
            browsing: None,
            message: None,
            repairs: Vec::new(),
        }
    }
}

impl ImportWindow {
    /// Shows the form; returns the file and request when the user presses Import.
    /// `busy` greys the button while an import runs.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        busy: bool,
        progress: Option<Progress>,
    ) -> Option<(PathBuf, ImportRequest)> {
        self.poll_browse();
        let mut open = self.open;
        let mut start = None;
        egui::Window::new(Text::ImportTitle.get(lang))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                start = self.form(ui, lang, busy, progress);
            });
        self.open = open;
        start
    }

    /// A file dropped on the window opens the form with it filled in: the user still says
    /// what the layer is for and in which CRS, then imports through the same path.
    pub fn accept_dropped(&mut self, ctx: &egui::Context) {
        let dropped = ctx.input(|i| i.raw.dropped_files.first().map(|f| f.path().to_path_buf()));
        if let Some(path) = dropped {
            self.set_file(path);
            self.open = true;
            self.message = None;
            self.repairs.clear();
        }
    }

    /// Puts `path` in the form, naming the layer after the file when no name was typed.
    fn set_file(&mut self, path: PathBuf) {
        if self.layer.is_empty()
            && let Some(stem) = path.file_stem()
        {
            self.layer = stem.to_string_lossy().into_owned();
        }
        self.path_text = path.display().to_string();
    }

    fn poll_browse(&mut self) {
        let Some(rx) = &self.browsing else { return };
        match rx.try_recv() {
            Ok(picked) => {
                self.browsing = None;
                if let Some(path) = picked {
                    self.set_file(path);
                }
            }
            Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => self.browsing = None,
        }
    }

    fn form(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        busy: bool,
        progress: Option<Progress>,
    ) -> Option<(PathBuf, ImportRequest)> {
        egui::Grid::new("linli-import-form")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(Text::ImportFile.get(lang));
                ui.horizontal(|ui| {
                    ui.add(egui::TextEdit::singleline(&mut self.path_text).desired_width(280.0));
                    if ui
                        .add_enabled(
                            self.browsing.is_none(),
                            egui::Button::new(Text::Browse.get(lang)),
                        )
                        .clicked()
                    {
                        self.browsing = Some(crate::gui::browse_for_file(
                            "GeoJSON, Shapefile, GeoPackage",
                            &["geojson", "json", "shp", "gpkg"],
                        ));
                    }
                });
                ui.end_row();
                ui.label(Text::ImportRole.get(lang));
                egui::ComboBox::from_id_salt("linli-import-role")
                    .selected_text(role_name(lang, self.role))
                    .show_ui(ui, |ui| {
                        for role in [
                            LayerRole::Reference,
                            LayerRole::Streets,
                            LayerRole::Communities,
                            LayerRole::Plan,
                        ] {
                            ui.selectable_value(&mut self.role, role, role_name(lang, role));
                        }
                    });
                ui.end_row();
                ui.label(Text::ImportLayerName.get(lang));
                ui.add_enabled(
                    self.role != LayerRole::Plan,
                    egui::TextEdit::singleline(&mut self.layer).desired_width(280.0),
                );
                ui.end_row();
                ui.label(Text::ImportCrs.get(lang));
                ui.vertical(|ui| {
                    let crs = &mut self.crs;
                    ui.radio_value(crs, CrsChoice::Declared, Text::CrsDeclared.get(lang));
                    ui.radio_value(crs, CrsChoice::Wgs84, Text::CrsWgs84.get(lang));
                    ui.radio_value(crs, CrsChoice::Gcj02, Text::CrsGcj02.get(lang));
                    ui.horizontal(|ui| {
                        ui.radio_value(crs, CrsChoice::Epsg, Text::CrsEpsg.get(lang));
                        let field = ui.add_enabled(
                            *crs == CrsChoice::Epsg,
                            egui::TextEdit::singleline(&mut self.epsg)
                                .hint_text("4549")
                                .desired_width(80.0),
                        );
                        if field.clicked() {
                            *crs = CrsChoice::Epsg;
                        }
                    });
                });
                ui.end_row();
                ui.label(Text::ImportNameField.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.name_field)
                        .hint_text("name")
                        .desired_width(280.0),
                );
                ui.end_row();
                ui.label(Text::ImportEncoding.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.encoding)
                        .hint_text(Text::ImportEncodingHint.get(lang))
                        .desired_width(280.0),
                );
                ui.end_row();
                ui.label(Text::ImportSourceLayer.get(lang));
                ui.add(
                    egui::TextEdit::singleline(&mut self.source_layer)
                        .hint_text(Text::ImportSourceLayerHint.get(lang))
                        .desired_width(280.0),
                );
                ui.end_row();
            });
        ui.add_space(6.0);
        let ready = !busy
            && !self.path_text.trim().is_empty()
            && (self.role == LayerRole::Plan || !self.layer.trim().is_empty());
        ui.label(egui::RichText::new(Text::ImportNotUndoable.get(lang)).weak());
        let mut start = None;
        if ui
            .add_enabled(ready, egui::Button::new(Text::ImportStart.get(lang)))
            .clicked()
        {
            let crs = match self.crs {
                CrsChoice::Declared => Ok(None),
                CrsChoice::Wgs84 => Ok(Some(SourceCrs::Wgs84)),
                CrsChoice::Gcj02 => Ok(Some(SourceCrs::Gcj02)),
                CrsChoice::Epsg => {
                    let code = self.epsg.trim().trim_start_matches("EPSG:").trim();
                    SourceCrs::from_key(&format!("EPSG:{code}"))
                        .map(Some)
                        .ok_or_else(|| crate::error::Problem::ForeignCrs {
                            declared: format!("EPSG:{code}"),
                        })
                }
            };
            let crs = match crs {
                Ok(crs) => crs,
                Err(problem) => {
                    let text = crate::i18n::errors::problem_message(&problem, lang);
                    self.message = Some((false, text));
                    return None;
                }
            };
            let request = ImportRequest {
                layer: (self.role != LayerRole::Plan).then(|| self.layer.trim().to_string()),
                role: self.role,
                crs,
                name_field: Some(self.name_field.trim().to_string()).filter(|f| !f.is_empty()),
                encoding: Some(self.encoding.trim().to_string()).filter(|e| !e.is_empty()),
                source_layer: Some(self.source_layer.trim().to_string()).filter(|l| !l.is_empty()),
                ..Default::default()
            };
            self.message = None;
            start = Some((PathBuf::from(self.path_text.trim()), request));
        }
        if let Some(p) = progress {
            let stage = match p {
                Progress::Reading { .. } => Text::ImportReading,
                Progress::Parsing { .. } => Text::ImportChecking,
                Progress::Writing { .. } => Text::ImportWriting,
            };
            ui.add(
                egui::ProgressBar::new(p.fraction())
                    .text(stage.get(lang))
                    .desired_width(380.0),
            );
        } else if busy {
            ui.add(
                egui::ProgressBar::new(0.0)
                    .animate(true)
                    .desired_width(380.0),
            );
        }
        if let Some((ok, text)) = &self.message {
            let colour = if *ok {
                crate::gui::style::OK_TEXT
            } else {
                crate::gui::style::ERROR_TEXT
            };
            ui.add(egui::Label::new(egui::RichText::new(text).color(colour)).wrap());
        }
        if !self.repairs.is_empty() {
            repairs_list(ui, lang, &self.repairs);
        }
        start
    }
}

/// The import report: a summary line, then every repair in a scrolled list.
fn repairs_list(ui: &mut Ui, lang: Lang, repairs: &[RepairEntry]) {
    let features: std::collections::BTreeSet<usize> = repairs.iter().map(|r| r.feature).collect();
    let dropped = repairs
        .iter()
        .filter(|r| r.repair == crate::error::Repair::FeatureDropped)
        .count();
    ui.add_space(4.0);
    ui.add(
        egui::Label::new(repair_summary_message(
            repairs.len(),
            features.len(),
            dropped,
            lang,
        ))
        .wrap(),
    );
    egui::ScrollArea::vertical()
        .id_salt("linli-import-repairs")
        .max_height(crate::gui::style::IMPORT_REPORT_HEIGHT)
        .show(ui, |ui| {
            for r in repairs {
                ui.add(
                    egui::Label::new(repair_entry_message(
                        r.feature,
                        r.source_id.as_deref(),
                        &r.repair,
                        lang,
                    ))
                    .wrap(),
                );
            }
        });
}
