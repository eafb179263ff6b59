//! The basemap window: the offline MBTiles file, its projection and opacity. Opening and
//! removing a file are returned as commands; the checkbox and the slider edit the basemap's
//! settings in place, as the map reads them every frame.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::RichText;

use crate::i18n::{Lang, Text};

use crate::gui::map::basemap::{Basemap, BasemapPrefs};

/// What the basemap window asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BasemapCommand {
    /// Open this MBTiles file as the basemap.
    Open(PathBuf),
    /// Show no basemap.
    Remove,
}

/// The basemap window's state between frames.
#[derive(Default)]
pub struct BasemapWindow {
    /// Shown or not.
    pub open: bool,
    /// The path typed (or picked) in the form.
    pub path_text: String,
    /// Why the last file could not be opened.
    pub error: Option<String>,
    /// The file dialog's answer, while it is open.
    browsing: Option<Receiver<Option<PathBuf>>>,
}

impl BasemapWindow {
    /// Shows the window when it is open, over `basemap` (the one open now) and its settings.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        basemap: Option<&Basemap>,
        prefs: &mut BasemapPrefs,
    ) -> Vec<BasemapCommand> {
        let mut commands = Vec::new();
        if let Some(rx) = &self.browsing {
            match rx.try_recv() {
                Ok(picked) => {
                    self.browsing = None;
                    if let Some(path) = picked {
                        self.path_text = path.display().to_string();
                        commands.push(BasemapCommand::Open(path));
                    }
                }
                Err(TryRecvError::Disconnected) => self.browsing = None,
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(200))
                }
            }
        }
        let mut open = self.open;
        egui::Window::new(Text::Basemap.get(lang))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                match basemap {
                    Some(b) => {
                        ui.label(format!(
                            "{} ({}, z{}–{})",
                            b.path.display(),
                            b.meta.format,
                            b.meta.min_zoom,
                            b.meta.max_zoom
                        ));
                    }
                    None => {
                        ui.label(RichText::new(Text::NoBasemap.get(lang)).weak());
                    }
                }
                ui.horizontal(|ui| {
                    ui.label(Text::BasemapPath.get(lang));
                    ui.text_edit_singleline(&mut self.path_text);
                });
                ui.horizontal(|ui| {
                    if ui.button(Text::OpenBasemap.get(lang)).clicked() {
                        commands.push(BasemapCommand::Open(PathBuf::from(self.path_text.trim())));
                    }
                    if ui
                        .add_enabled(
                            self.browsing.is_none(),
                            egui::Button::new(Text::Browse.get(lang)),
                        )
                        .clicked()
                    {
                        self.browsing = Some(crate::gui::browse_for_file("MBTiles", &["mbtiles"]));
                    }
                    if ui
                        .add_enabled(
                            basemap.is_some(),
                            egui::Button::new(Text::RemoveBasemap.get(lang)),
                        )
                        .clicked()
                    {
                        commands.push(BasemapCommand::Remove);
                    }
                });
                ui.checkbox(&mut prefs.gcj02, Text::BasemapGcj02.get(lang));
                ui.horizontal(|ui| {
                    ui.label(Text::Opacity.get(lang));
                    ui.add(egui::Slider::new(&mut prefs.opacity, 0.0..=1.0));
                });
                if let Some(e) = &self.error {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("{}: {e}", Text::BasemapFailed.get(lang)),
                    );
                }
                if let Some(e) = basemap.and_then(|b| b.last_error.as_ref()) {
                    ui.colored_label(ui.visuals().warn_fg_color, e);
                }
            });
        self.open = open;
        commands
    }
}
