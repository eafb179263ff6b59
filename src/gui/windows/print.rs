//! The print dialog (打印蓝图…): the area (a street, a community or a project, picked by
//! name), the paper, the resolution, the orientation and the format; "Save…" gathers the
//! sheet's data here, renders it on a worker thread (the status says so), then hands the
//! bytes to the usual save dialog, "replace?" question and write ([`ExportSaver`]). The sheet
//! is the command line's (`cli::blueprint`, `print`): one path for both.

use std::sync::mpsc::{Receiver, TryRecvError};

use egui::RichText;

use crate::Session;
use crate::cli::blueprint::{AreaChoice, area_names, gather, safe_file_stem};
use crate::gui::save::ExportSaver;
use crate::i18n::Lang;
use crate::i18n::errors::error_message;
use crate::i18n::print::PrintText as T;
use crate::print::{AreaKind, Format, PageSpec, Paper};

/// What the worker sends back: the file name to suggest and the bytes, or the error's words.
type Rendered = Result<(String, Vec<u8>), String>;

/// The dialog's state between frames.
#[derive(Debug)]
pub struct PrintWindow {
    /// Whether the dialog is shown.
    pub open: bool,
    /// The kind of area.
    pub kind: AreaKind,
    /// The area's name (a project's code).
    pub name: String,
    /// Paper, orientation and resolution.
    pub page: PageSpec,
    /// The format.
    pub format: Format,
    /// The sheet being rendered.
    rendering: Option<Receiver<Rendered>>,
    /// The save dialog, question and write.
    pub saver: ExportSaver,
}

impl Default for PrintWindow {
    fn default() -> Self {
        Self {
            open: false,
            kind: AreaKind::Community,
            name: String::new(),
            page: PageSpec::default(),
            format: Format::Pdf,
            rendering: None,
            saver: ExportSaver::default(),
        }
    }
}

impl PrintWindow {
    /// True while a sheet is rendered.
    pub fn rendering(&self) -> bool {
        self.rendering.is_some()
    }

    /// Once a frame: the dialog, the worker's result, the save flow.
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang, session: &Session) {
        self.poll(ctx);
        self.saver.show(ctx, lang, session);
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new(T::PrintBlueprint.get(lang))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| self.contents(ui, lang, session));
        self.open = open;
    }

    fn contents(&mut self, ui: &mut egui::Ui, lang: Lang, session: &Session) {
        egui::Grid::new("linli-print-grid")
            .num_columns(2)
            .show(ui, |ui| {
                ui.label(T::AreaKind.get(lang));
                ui.horizontal(|ui| {
                    for (kind, label) in [
                        (AreaKind::Street, T::KindStreet),
                        (AreaKind::Community, T::KindCommunity),
                        (AreaKind::Project, T::KindProject),
                    ] {
                        if ui
                            .radio_value(&mut self.kind, kind, label.get(lang))
                            .changed()
                        {
                            self.name.clear();
                        }
                    }
                });
                ui.end_row();
                ui.label(T::Name.get(lang));
                let names = match self.kind {
                    AreaKind::Project => session
                        .projects()
                        .values()
                        .map(|p| p.code.clone())
                        .collect(),
                    kind => area_names(session, kind),
                };
                if self.name.is_empty() || !names.contains(&self.name) {
                    self.name = names.first().cloned().unwrap_or_default();
                }
                egui::ComboBox::from_id_salt("linli-print-area")
                    .selected_text(self.name.clone())
                    .width(220.0)
                    .show_ui(ui, |ui| {
                        for n in names {
                            let label = n.clone();
                            ui.selectable_value(&mut self.name, n, label);
                        }
                    });
                ui.end_row();
                ui.label(T::Paper.get(lang));
                ui.horizontal(|ui| {
                    ui.radio_value(&mut self.page.paper, Paper::A3, "A3");
                    ui.radio_value(&mut self.page.paper, Paper::A1, "A1");
                    ui.checkbox(&mut self.page.landscape, T::Landscape.get(lang));
                });
                ui.end_row();
                ui.label(T::Format.get(lang));
                ui.horizontal(|ui| {
                    for f in Format::ALL {
                        ui.radio_value(&mut self.format, f, f.extension().to_uppercase());
                    }
                });
                ui.end_row();
                ui.label(T::Resolution.get(lang));
                ui.add_enabled_ui(self.format == Format::Png, |ui| {
                    ui.horizontal(|ui| {
                        ui.radio_value(&mut self.page.dpi, 150, "150 dpi");
                        ui.radio_value(&mut self.page.dpi, 300, "300 dpi");
                    });
                });
                ui.end_row();
            });
        ui.horizontal(|ui| {
            let busy = self.rendering() || self.saver.busy();
            if ui
                .add_enabled(
                    !busy && !self.name.is_empty(),
                    egui::Button::new(T::Save.get(lang)),
                )
                .clicked()
            {
                self.start(session, lang, ui.ctx());
            }
            if ui.button(T::Cancel.get(lang)).clicked() {
                self.open = false;
            }
            if self.rendering() {
                ui.spinner();
                ui.label(RichText::new(T::Rendering.get(lang)));
            } else {
                self.saver.message_label(ui);
            }
        });
    }

    /// Gathers the sheet's data here (it borrows the session), renders it on a worker.
    fn start(&mut self, session: &Session, lang: Lang, ctx: &egui::Context) {
        let area = match self.kind {
            AreaKind::Street => AreaChoice::Street(self.name.clone()),
            AreaKind::Community => AreaChoice::Community(self.name.clone()),
            AreaKind::Project => AreaChoice::Project(self.name.clone()),
        };
        let input = match gather(session, &area, lang) {
            Ok(input) => input,
            Err(e) => {
                self.saver.fail(error_message(&e, lang));
                return;
            }
        };
        let (page, format) = (self.page, self.format);
        let file_name = format!("{}.{}", safe_file_stem(&self.name), format.extension());
        let (tx, rx) = std::sync::mpsc::channel();
        let ctx = ctx.clone();
        std::thread::spawn(move || {
            let out = crate::print::render(&input, &page, format, lang)
                .map(|(bytes, _)| (file_name, bytes))
                .map_err(|e| error_message(&e, lang));
            let _ = tx.send(out);
            ctx.request_repaint();
        });
        self.rendering = Some(rx);
    }

    fn poll(&mut self, ctx: &egui::Context) {
        let Some(rx) = &self.rendering else {
            return;
        };
        match rx.try_recv() {
            Ok(Ok((name, bytes))) => {
                self.rendering = None;
                self.saver.start(name, bytes);
            }
            Ok(Err(message)) => {
                self.rendering = None;
                self.saver.fail(message);
            }
            Err(TryRecvError::Empty) => {
                ctx.request_repaint_after(std::time::Duration::from_millis(100))
            }
            Err(TryRecvError::Disconnected) => self.rendering = None,
        }
    }
}
