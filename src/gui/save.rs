//! "Save as" for the window's exports (statistics CSV, coverage CSV and GeoJSON): the system's
//! dialog behind the [`SaveDialog`] trait (tests answer it themselves), then an explicit
//! "replace?" question in the window when the chosen file exists — the system dialog asks on
//! some desktops and not on others — and the write through [`Session::write_export`], which
//! never writes over the workspace or another database and writes atomically.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::RichText;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::errors::error_message;
use crate::i18n::exports::ExportText;
use crate::i18n::projects::ProjectText;
use crate::i18n::sharing::{SharingText, replace_question};
use crate::io::output::{OutputRules, check_output};
use crate::io::table::{Table, TableFormat};

/// Where "save as" answers come from.
pub trait SaveDialog: Send + Sync {
    /// Asks where to save, suggesting `file_name`; the answer (`None`: cancelled) arrives on
    /// the receiver, so a dialog that blocks never blocks the window.
    fn ask(&self, file_name: String) -> Receiver<Option<PathBuf>>;
}

/// The system's dialog (rfd, on its own thread: see [`crate::gui::save_file_as`]).
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemSaveDialog;

impl SaveDialog for SystemSaveDialog {
    fn ask(&self, file_name: String) -> Receiver<Option<PathBuf>> {
        crate::gui::save_file_as(file_name)
    }
}

/// A dialog that answers at once with a given path (tests and scripted tours).
#[derive(Debug, Clone)]
pub struct AnswerWith(pub PathBuf);

impl SaveDialog for AnswerWith {
    fn ask(&self, _file_name: String) -> Receiver<Option<PathBuf>> {
        let (tx, rx) = std::sync::mpsc::channel();
        let _ = tx.send(Some(self.0.clone()));
        rx
    }
}

enum State {
    Idle,
    /// The dialog is open; the bytes wait for its answer.
    Asking(Receiver<Option<PathBuf>>, Vec<u8>),
    /// The chosen file exists: the window asks before replacing it.
    Confirming(PathBuf, Vec<u8>),
}

/// One export's way from a button to a file: dialog, question, write, message.
pub struct ExportSaver {
    dialog: Arc<dyn SaveDialog>,
    state: State,
    /// The outcome shown beside the button: written (true) or why not.
    message: Option<(bool, String)>,
}

impl Default for ExportSaver {
    fn default() -> Self {
        Self {
            dialog: Arc::new(SystemSaveDialog),
            state: State::Idle,
            message: None,
        }
    }
}

impl std::fmt::Debug for ExportSaver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportSaver")
            .field("busy", &self.busy())
            .field("confirming", &self.confirming())
            .field("message", &self.message)
            .finish()
    }
}

impl ExportSaver {
    /// Uses `dialog` to ask where to save from now on.
    pub fn set_dialog(&mut self, dialog: Arc<dyn SaveDialog>) {
        self.dialog = dialog;
    }

    /// Opens the dialog for `bytes`, suggesting `file_name`.
    pub fn start(&mut self, file_name: String, bytes: Vec<u8>) {
        self.message = None;
        self.state = State::Asking(self.dialog.ask(file_name), bytes);
    }

    /// Shows that an export could not be made (its bytes could not be built), as a failure.
    pub fn fail(&mut self, message: String) {
        self.message = Some((false, message));
    }

    /// The two export buttons of a table (导出 CSV… and 导出 Excel…), waiting while an export
    /// is under way, and the last outcome beside them: the format clicked, if any. The
    /// caller builds the table then (only on a click) and hands it to
    /// [`ExportSaver::start_table`].
    pub fn table_buttons(&self, ui: &mut egui::Ui, lang: Lang) -> Option<TableFormat> {
        let mut clicked = None;
        ui.horizontal(|ui| {
            for (label, format) in [
                (ProjectText::ExportCsv.get(lang), TableFormat::Csv),
                (ExportText::ExportXlsx.get(lang), TableFormat::Xlsx),
            ] {
                let button = egui::Button::new(label);
                if ui.add_enabled(!self.busy(), button).clicked() {
                    clicked = Some(format);
                }
            }
            self.message_label(ui);
        });
        clicked
    }

    /// Opens the dialog for `table` written as `format`, suggesting `stem` with the format's
    /// extension.
    pub fn start_table(&mut self, table: &Table<'_>, format: TableFormat, stem: &str) {
        match table.bytes(format) {
            Ok(bytes) => self.start(format!("{stem}.{}", format.extension()), bytes),
            Err(e) => self.fail(e.to_string()),
        }
    }

    /// True while a dialog or the question is open (the export buttons wait).
    pub fn busy(&self) -> bool {
        !matches!(self.state, State::Idle)
    }

    /// The file the window is asking about replacing.
    pub fn confirming(&self) -> Option<&Path> {
        match &self.state {
            State::Confirming(path, _) => Some(path),
            _ => None,
        }
    }

    /// The last outcome: written (true) or why not, in the language it was made in.
    pub fn message(&self) -> Option<&(bool, String)> {
        self.message.as_ref()
    }

    /// Shows the last outcome as a label.
    pub fn message_label(&self, ui: &mut egui::Ui) {
        if let Some((ok, text)) = &self.message {
            let color = if *ok {
                crate::gui::style::OK_TEXT
            } else {
                crate::gui::style::ERROR_TEXT
            };
            ui.label(RichText::new(text).color(color));
        }
    }

    /// Once a frame: takes the dialog's answer, asks before replacing, writes.
    pub fn show(&mut self, ctx: &egui::Context, lang: Lang, session: &Session) {
        match std::mem::replace(&mut self.state, State::Idle) {
            State::Idle => {}
            State::Asking(rx, bytes) => match rx.try_recv() {
                Ok(Some(path)) => self.chosen(path, bytes, lang, session),
                Ok(None) | Err(TryRecvError::Disconnected) => {}
                Err(TryRecvError::Empty) => self.state = State::Asking(rx, bytes),
            },
            State::Confirming(path, bytes) => {
                let mut answer = None;
                egui::Modal::new(egui::Id::unique("linli-replace-file")).show(ctx, |ui| {
                    ui.heading(SharingText::ReplaceTitle.get(lang));
                    ui.label(replace_question(lang, &path));
                    ui.horizontal(|ui| {
                        if ui.button(SharingText::Replace.get(lang)).clicked() {
                            answer = Some(true);
                        }
                        if ui.button(SharingText::KeepFile.get(lang)).clicked() {
                            answer = Some(false);
                        }
                    });
                });
                match answer {
                    Some(true) => self.write(&path, &bytes, true, lang, session),
                    Some(false) => {}
                    None => self.state = State::Confirming(path, bytes),
                }
            }
        }
    }

    /// The dialog chose `path`: refused at once when it is the workspace or a database,
    /// asked about when it exists, written when it does not.
    fn chosen(&mut self, path: PathBuf, bytes: Vec<u8>, lang: Lang, session: &Session) {
        let rules = OutputRules {
            workspace: Some(session.path()),
            replace: true,
        };
        if let Err(e) = check_output(&path, rules) {
            self.message = Some((false, error_message(&e, lang)));
        } else if path.exists() {
            self.state = State::Confirming(path, bytes);
        } else {
            self.write(&path, &bytes, false, lang, session);
        }
    }

    fn write(&mut self, path: &Path, bytes: &[u8], replace: bool, lang: Lang, session: &Session) {
        self.message = Some(match session.write_export(path, bytes, replace) {
            Ok(()) => (true, crate::i18n::coverage::exported_text(lang, path)),
            Err(e) => (false, error_message(&e, lang)),
        });
    }
}
