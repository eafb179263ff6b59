//! The parts of the window, in the order egui lays them out: top bar, tool bar, status bar,
//! the side panels (layers and legend, inspector), the map (or the loading screen), and the
//! floating windows. Each reads the app's state and pushes the commands the user gave.

use std::path::PathBuf;
use std::sync::mpsc::TryRecvError;

use egui::{ProgressBar, RichText, Ui};

use crate::i18n::{self, Text};

use crate::gui::map::projection::MapView;
use crate::gui::map::{self, MapState, ZOOM_STEP};
use crate::gui::panels::inspector;
use crate::gui::panels::layers as layers_panel;
use crate::gui::panels::tools::{self, Tool, ToolbarInput, element_name};
use crate::gui::style;

use super::commands::AppCommand;
use super::{LinliApp, StatusKind};

impl LinliApp {
    /// The window's title, in the interface language.
    pub(super) fn title(&mut self, ctx: &egui::Context) {
        let lang = self.prefs.lang;
        if self.title_lang != Some(lang) {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(
                Text::AppTitle.get(lang).to_string(),
            ));
            self.title_lang = Some(lang);
        }
    }

    /// The top bar: zoom buttons, the import and basemap windows, the language.
    pub(super) fn top_bar(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        egui::Panel::top("linli-top").show(ui, |ui| self.top_bar_contents(ui, commands));
    }

    /// The tool bar, once a workspace is open: select, one draw tool per element type,
    /// undo/redo, snapping.
    pub(super) fn tool_bar(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        if let Some(ws) = self.workspace.as_ref() {
            let session = &ws.loaded.session;
            let input = ToolbarInput {
                lang,
                catalog: session.catalog(),
                tool: &self.tool,
                can_undo: session.can_undo(),
                can_redo: session.can_redo(),
                snap: self.prefs.edit.snap,
            };
            egui::Panel::top("linli-tools").show(ui, |ui| {
                commands.extend(tools::show(ui, &input).into_iter().map(AppCommand::Tool));
            });
        }
    }

    /// The status bar: the last message, the sketch, the cursor, the scale, the frame.
    pub(super) fn status_bar(&self, ui: &mut Ui) {
        egui::Panel::bottom("linli-status").show(ui, |ui| self.status_bar_contents(ui));
    }

    /// The side panels, once a workspace is open: layers and legend on the left, the
    /// inspector on the right.
    pub(super) fn side_panels(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        if let Some(ws) = self.workspace.as_ref() {
            let data = &ws.loaded.data;
            egui::Panel::left("linli-layers")
                .default_size(style::LEFT_PANEL_WIDTH)
                .resizable(true)
                .show(ui, |ui| {
                    egui::ScrollArea::vertical().show(ui, |ui| {
                        commands.extend(
                            layers_panel::show(ui, lang, data, &ws.styles, &ws.order)
                                .into_iter()
                                .map(AppCommand::Layer),
                        );
                        ui.add_space(12.0);
                        ui.separator();
                        layers_panel::legend(
                            ui,
                            lang,
                            ws.loaded.session.catalog(),
                            ws.loaded.session.plan(),
                        );
                    });
                });
            let names: Vec<String> = data
                .layers
                .iter()
                .map(|l| layers_panel::display_name(l, lang))
                .collect();
            let (session, plan_layer, generation) = (
                &ws.loaded.session,
                data.plan_layer(),
                data.generation as usize,
            );
            let (selection, selected_vertex, inspector_cache) =
                (self.selection, self.selected_vertex, &mut self.inspector);
            egui::Panel::right("linli-inspector")
                .default_size(style::RIGHT_PANEL_WIDTH)
                .resizable(true)
                .show(ui, |ui| {
                    let input = inspector::InspectorInput {
                        lang,
                        session,
                        plan_layer,
                        layer_names: &names,
                        selection,
                        data_generation: generation,
                        selected_vertex,
                    };
                    commands.extend(
                        inspector::show(ui, &input, inspector_cache)
                            .into_iter()
                            .map(AppCommand::Inspector),
                    );
                });
        }
    }

    /// The map, fitted to the workspace when it is new here; before that, loading progress or
    /// why loading failed.
    pub(super) fn map_area(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        egui::CentralPanel::no_frame().show(ui, |ui| match self.workspace.as_ref() {
            Some(ws) => {
                if self.fit_pending
                    && let Some(extent) = ws.loaded.data.extent
                {
                    self.prefs.view = Some(MapView::fit(extent, ui.available_size(), 24.0));
                    self.fit_pending = false;
                }
                let state = MapState {
                    data: &ws.loaded.data,
                    session: &ws.loaded.session,
                    styles: &ws.styles,
                    order: &ws.order,
                    view: self.prefs.view.unwrap_or_default(),
                    selection: self.selection,
                    selected_vertex: self.selected_vertex,
                    hover: self.hover,
                    tool: &self.tool,
                    snapping: self.prefs.edit.snap,
                    lang,
                    basemap_prefs: &self.prefs.basemap,
                };
                commands.extend(
                    map::show(ui, &state, &mut self.map)
                        .into_iter()
                        .map(AppCommand::Map),
                );
            }
            None => self.loading_or_error(ui, commands),
        });
    }

    /// The floating windows: the basemap and the GeoJSON import.
    pub(super) fn windows(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        self.basemap_window(ctx, commands);
        if self.import_window.open {
            let progress = self.importing.as_ref().and_then(|i| i.progress);
            if let Some((file, request)) =
                self.import_window
                    .show(ctx, lang, self.importing.is_some(), progress)
            {
                commands.push(AppCommand::Import(file, request));
            }
        }
    }

    fn top_bar_contents(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        ui.horizontal(|ui| {
            ui.label(RichText::new(Text::AppTitle.get(lang)).strong());
            ui.separator();
            let ready = self.workspace.is_some();
            if ui
                .add_enabled(ready, egui::Button::new(Text::ZoomToWorkspace.get(lang)))
                .clicked()
            {
                commands.push(AppCommand::ZoomToWorkspace);
            }
            if ui
                .add_enabled(
                    ready && self.selection.is_some(),
                    egui::Button::new(Text::ZoomToSelection.get(lang)),
                )
                .clicked()
            {
                commands.push(AppCommand::ZoomToSelection);
            }
            if ui
                .add_enabled(ready, egui::Button::new(Text::ZoomIn.get(lang)))
                .clicked()
            {
                commands.push(AppCommand::ZoomBy(ZOOM_STEP));
            }
            if ui
                .add_enabled(ready, egui::Button::new(Text::ZoomOut.get(lang)))
                .clicked()
            {
                commands.push(AppCommand::ZoomBy(1.0 / ZOOM_STEP));
            }
            ui.separator();
            if ui
                .add_enabled(
                    ready || self.importing.is_some(),
                    egui::Button::selectable(self.import_window.open, Text::ImportTitle.get(lang)),
                )
                .clicked()
            {
                self.import_window.open = !self.import_window.open;
            }
            if ui
                .selectable_label(self.basemap_window.open, Text::Basemap.get(lang))
                .clicked()
            {
                self.basemap_window.open = !self.basemap_window.open;
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = lang.other();
                if ui.button(other.own_name()).clicked() {
                    commands.push(AppCommand::SetLang(other));
                }
            });
        });
    }

    fn status_bar_contents(&self, ui: &mut Ui) {
        let lang = self.prefs.lang;
        ui.horizontal(|ui| {
            if let Some((text, kind)) = &self.status {
                let colour = match kind {
                    StatusKind::Ok => style::OK_TEXT,
                    StatusKind::Info => ui.visuals().text_color(),
                    StatusKind::Error => style::ERROR_TEXT,
                };
                ui.label(RichText::new(text).color(colour));
                ui.separator();
            }
            if let (Tool::Draw(sketch), Some(session)) = (&self.tool, self.session()) {
                let mut text = format!(
                    "{} {}（{}）：{} {}",
                    Text::Drawing.get(lang),
                    element_name(session.catalog(), &sketch.element, lang),
                    i18n::kind_name(lang, sketch.kind),
                    sketch.vertices.len(),
                    Text::VerticesSoFar.get(lang)
                );
                if let Some(live) = &self.map.live {
                    if let Some(a) = live.area_m2 {
                        text +=
                            &format!(" · {} {}", Text::Area.get(lang), i18n::area_text(lang, a));
                    }
                    if let Some(l) = live.length_m {
                        text += &format!(
                            " · {} {}",
                            Text::Length.get(lang),
                            i18n::length_text(lang, l)
                        );
                    }
                    if !live.warnings.is_empty() {
                        text +=
                            &format!(" · {} {}", Text::SitingNotes.get(lang), live.warnings.len());
                    }
                }
                ui.label(text);
                ui.separator();
            }
            let cursor = self.pointer.map_or_else(
                || Text::Unknown.get(lang).to_string(),
                |(lon, lat)| i18n::lon_lat_text(lang, lon, lat),
            );
            ui.label(format!("{}: {cursor}", Text::Cursor.get(lang)));
            ui.separator();
            // 1 point ≈ 0.2646 mm at 96 dpi.
            let denominator = self.view().ground_m_per_point() / 0.000_264_6;
            ui.label(format!(
                "{}: {}",
                Text::Scale.get(lang),
                i18n::scale_ratio_text(denominator)
            ));
            if let Some(ws) = &self.workspace {
                ui.separator();
                let drawn: usize = self.scene_stats().layers.iter().map(|l| l.drawn).sum();
                ui.label(format!("{} {}", drawn, Text::Features.get(lang)));
                ui.separator();
                ui.label(format!(
                    "{} {:.1} ms",
                    Text::FrameTime.get(lang),
                    self.scene_stats().build_ms
                ));
                ui.separator();
                ui.label(
                    RichText::new(format!(
                        "{}: {}",
                        Text::Workspace.get(lang),
                        ws.loaded.path.display()
                    ))
                    .weak(),
                );
            }
        });
    }

    fn basemap_window(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        if let Some(rx) = &self.basemap_window.browsing {
            match rx.try_recv() {
                Ok(picked) => {
                    self.basemap_window.browsing = None;
                    if let Some(path) = picked {
                        self.basemap_window.path_text = path.display().to_string();
                        commands.push(AppCommand::OpenBasemap(path));
                    }
                }
                Err(TryRecvError::Disconnected) => self.basemap_window.browsing = None,
                Err(TryRecvError::Empty) => {
                    ctx.request_repaint_after(std::time::Duration::from_millis(200))
                }
            }
        }
        let mut open = self.basemap_window.open;
        egui::Window::new(Text::Basemap.get(lang))
            .open(&mut open)
            .resizable(false)
            .show(ctx, |ui| {
                match &self.map.basemap {
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
                    ui.text_edit_singleline(&mut self.basemap_window.path_text);
                });
                ui.horizontal(|ui| {
                    if ui.button(Text::OpenBasemap.get(lang)).clicked() {
                        commands.push(AppCommand::OpenBasemap(PathBuf::from(
                            self.basemap_window.path_text.trim(),
                        )));
                    }
                    if ui
                        .add_enabled(
                            self.basemap_window.browsing.is_none(),
                            egui::Button::new(Text::Browse.get(lang)),
                        )
                        .clicked()
                    {
                        self.basemap_window.browsing =
                            Some(crate::gui::browse_for_file("MBTiles", &["mbtiles"]));
                    }
                    if ui
                        .add_enabled(
                            self.map.basemap.is_some(),
                            egui::Button::new(Text::RemoveBasemap.get(lang)),
                        )
                        .clicked()
                    {
                        commands.push(AppCommand::RemoveBasemap);
                    }
                });
                ui.checkbox(&mut self.prefs.basemap.gcj02, Text::BasemapGcj02.get(lang));
                ui.horizontal(|ui| {
                    ui.label(Text::Opacity.get(lang));
                    ui.add(egui::Slider::new(
                        &mut self.prefs.basemap.opacity,
                        0.0..=1.0,
                    ));
                });
                if let Some(e) = &self.basemap_window.error {
                    ui.colored_label(
                        ui.visuals().error_fg_color,
                        format!("{}: {e}", Text::BasemapFailed.get(lang)),
                    );
                }
                if let Some(e) = self
                    .map
                    .basemap
                    .as_ref()
                    .and_then(|b| b.last_error.as_ref())
                {
                    ui.colored_label(ui.visuals().warn_fg_color, e);
                }
            });
        self.basemap_window.open = open;
    }

    fn loading_or_error(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        ui.vertical_centered(|ui| {
            ui.add_space(ui.available_height() / 3.0);
            if let Some(importing) = &self.importing {
                ui.label(RichText::new(Text::Importing.get(lang)).size(18.0));
                ui.add_space(8.0);
                let bar = match importing.progress {
                    Some(p) => ProgressBar::new(p.fraction()).show_percentage(),
                    None => ProgressBar::new(0.0).animate(true),
                };
                ui.add(bar.desired_width(420.0));
            } else if let Some(loading) = &self.loading {
                ui.label(RichText::new(loading.stage.text().get(lang)).size(18.0));
                ui.add_space(8.0);
                let bar = match loading.fraction {
                    Some(f) => ProgressBar::new(f).show_percentage(),
                    None => ProgressBar::new(0.0).animate(true),
                };
                ui.add(bar.desired_width(420.0));
            } else if let Some(e) = &self.error {
                ui.label(
                    RichText::new(Text::LoadFailed.get(lang))
                        .size(20.0)
                        .color(ui.visuals().error_fg_color),
                );
                ui.add_space(8.0);
                ui.label(e.message(lang));
                ui.add_space(8.0);
                if ui.button(Text::Retry.get(lang)).clicked() {
                    commands.push(AppCommand::Retry);
                }
            }
        });
    }
}
