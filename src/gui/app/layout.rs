//! The parts of the window, in the order egui lays them out: top bar, tool bar, status bar,
//! the side panels (layers and legend, inspector), the map (or the loading screen), and the
//! floating windows. Each reads the app's state and pushes the commands the user gave.

use egui::{ProgressBar, RichText, Ui};

use crate::i18n::Text;

use crate::gui::map::{self, MapState, ZOOM_STEP};
use crate::gui::panels::inspector;
use crate::gui::panels::layers as layers_panel;
use crate::gui::panels::overlays;
use crate::gui::panels::status::{self, StatusInput};
use crate::gui::panels::tools::{self, ToolbarInput};
use crate::gui::style;
use crate::render::data::MapData;
use crate::render::projection::{MapView, MercBox};

use super::LinliApp;
use super::commands::AppCommand;

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
    pub(super) fn tool_bar(&self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
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
            // A file that cannot be written opened read-only: said before any edit is tried.
            if session.is_not_writable() {
                egui::Panel::top("linli-read-only").show(ui, |ui| {
                    let text = crate::i18n::sharing::SharingText::ReadOnlyBanner.get(lang);
                    ui.label(RichText::new(text).strong().color(style::ERROR_TEXT));
                });
            }
        }
    }

    /// The status bar: the last message, the sketch, the cursor, the scale, the frame.
    pub(super) fn status_bar(&self, ui: &mut Ui) {
        let session = self.session();
        let input = StatusInput {
            lang: self.prefs.lang,
            message: self
                .status
                .as_ref()
                .map(|(text, kind)| (text.get(self.prefs.lang), *kind)),
            drawing: self.tool.sketch().zip(session.map(|s| s.catalog())),
            live: self.map.live.as_ref(),
            coverage: self.coverage_live.as_deref(),
            pointer: self.pointer,
            ground_m_per_point: self.view().ground_m_per_point(),
            workspace: self
                .workspace
                .as_ref()
                .map(|ws| (ws.loaded.path.as_path(), self.map.scene.stats())),
        };
        egui::Panel::bottom("linli-status").show(ui, |ui| status::show(ui, &input));
    }

    /// The side panels, once a workspace is open: layers and legend on the left, the
    /// inspector on the right.
    pub(super) fn side_panels(&mut self, ui: &mut Ui, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        let coverage = &self.coverage;
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
                        if coverage.has_overlay() {
                            commands.extend(
                                overlays::coverage_entry(ui, lang, coverage.overlay_shown)
                                    .map(AppCommand::Coverage),
                            );
                        }
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
            let coverage_live = self.coverage_live.as_deref();
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
                        coverage: coverage_live,
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
        let (project_slots, unassigned_slots) = self.project_highlights();
        let pins = self.meeting_pins();
        let taking_input = self.input_hint();
        egui::CentralPanel::no_frame().show(ui, |ui| match self.workspace.as_mut() {
            Some(ws) => {
                if self.fit_pending
                    && let Some((extent, at_plan)) = opening_extent(&ws.loaded.data)
                {
                    self.prefs.view = Some(MapView::fit(extent, ui.available_size(), 24.0));
                    self.fit_pending = false;
                    // Say where the rest is, unless opening had something to say.
                    if at_plan && self.status.is_none() {
                        let text = crate::i18n::screens::ScreensText::OpenedAtPlan;
                        self.status = Some((
                            crate::i18n::Worded::new(move |lang| text.get(lang).to_string()),
                            status::StatusKind::Info,
                        ));
                    }
                }
                stored_layer_tiles(ui, ws, self.prefs.view.unwrap_or_default());
                let ws = &*ws;
                let state = MapState {
                    project_slots: &project_slots,
                    unassigned_slots: &unassigned_slots,
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
                    pins: &pins,
                    placing_pin: self.projects.placing_pin(),
                    taking_input,
                };
                commands.extend(
                    map::show(ui, &state, &mut self.map)
                        .into_iter()
                        .map(AppCommand::Map),
                );
                super::coverage::paint_overlay(ui, &self.coverage, &self.map, state.view);
                if let Some(rect) = self.map.last_rect {
                    crate::gui::meeting_room::paint_tally(
                        ui,
                        rect,
                        &state.view.transform(rect),
                        lang,
                        state.session,
                        &self.input_strip,
                    );
                }
            }
            None => self.loading_or_error(ui, commands),
        });
    }

    /// The floating windows: the basemap, the GeoJSON import and the projects.
    pub(super) fn windows(&mut self, ctx: &egui::Context, commands: &mut Vec<AppCommand>) {
        let lang = self.prefs.lang;
        let basemap = self.basemap_window.show(
            ctx,
            lang,
            self.map.basemap.as_ref(),
            &mut self.prefs.basemap,
        );
        commands.extend(basemap.into_iter().map(AppCommand::Basemap));
        self.show_projects_window(ctx, commands);
        self.show_coverage_window(ctx, commands);
        self.show_input_strip(ctx, commands);
        self.show_comparison(ctx, commands);
        if let Some(ws) = self.workspace.as_ref() {
            let asked = self.records.show(ctx, lang, &ws.loaded.session);
            commands.extend(asked.into_iter().map(AppCommand::Project));
        }
        if let Some(ws) = self.workspace.as_ref() {
            self.stats
                .show(ctx, lang, &ws.loaded.session, &mut self.projects);
            self.print.show(ctx, lang, &ws.loaded.session);
            self.export.show(ctx, lang, &ws.loaded.session);
            let asked = self.district.show(ctx, lang, &ws.loaded.session);
            commands.extend(asked.into_iter().map(AppCommand::District));
        }
        let catalog = self
            .workspace
            .as_ref()
            .map(|ws| ws.loaded.session.catalog());
        self.help.show(ctx, lang, catalog);
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
            ui.label(RichText::new(Text::TopBarTitle.get(lang)).strong());
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
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.projects.open,
                        crate::i18n::projects::ProjectText::Projects.get(lang),
                    ),
                )
                .clicked()
            {
                self.projects.open = !self.projects.open;
                // A window's first frame only measures it: draw the next one too.
                ui.ctx().request_repaint();
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.records.open,
                        crate::i18n::people::PeopleText::RecordsTitle.get(lang),
                    ),
                )
                .clicked()
            {
                self.records.open = !self.records.open;
                ui.ctx().request_repaint();
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.coverage.open,
                        crate::i18n::coverage::CoverageText::Coverage.get(lang),
                    ),
                )
                .clicked()
            {
                self.coverage.open = !self.coverage.open;
                ui.ctx().request_repaint();
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.stats.open,
                        crate::i18n::projects::ProjectText::Statistics.get(lang),
                    ),
                )
                .clicked()
            {
                self.stats.open = !self.stats.open;
                ui.ctx().request_repaint();
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.print.open,
                        crate::i18n::print::PrintText::PrintBlueprint.get(lang),
                    ),
                )
                .clicked()
            {
                self.print.open = !self.print.open;
                ui.ctx().request_repaint();
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.export.open,
                        crate::i18n::exports::ExportText::ExportDialog.get(lang),
                    ),
                )
                .clicked()
            {
                self.export.open = !self.export.open;
                ui.ctx().request_repaint();
            }
            if ui
                .add_enabled(
                    ready,
                    egui::Button::selectable(
                        self.district.open,
                        crate::i18n::district::DistrictText::WindowTitle.get(lang),
                    ),
                )
                .clicked()
            {
                self.district.open = !self.district.open;
                ui.ctx().request_repaint();
            }
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let other = lang.other();
                if ui.button(other.own_name()).clicked() {
                    commands.push(AppCommand::SetLang(other));
                }
            });
        });
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

/// What a workspace opened afresh shows: its plan features with a margin (at least
/// [`style::OPENING_MIN_SPAN_M`] across, so one small garden is not shown at 1:200), true; else,
/// with no plan features, everything, false. The whole workspace stays one click away (全图).
pub(super) fn opening_extent(data: &MapData) -> Option<(MercBox, bool)> {
    let plan = data
        .plan_layer()
        .and_then(|i| data.layers.get(i))
        .filter(|l| !l.geom.features.is_empty())
        .and_then(|l| l.geom.extent);
    match plan {
        Some(b) => {
            let span = b.width().max(b.height());
            let pad = (span * style::OPENING_PAD_FRACTION)
                .max((style::OPENING_MIN_SPAN_M - span) / 2.0)
                .max(0.0);
            Some((b.expanded(pad), true))
        }
        None => data.extent.map(|e| (e, false)),
    }
}

/// Keeps the stored (reference) layers' tiles coming: attaches the loader once, takes in what
/// it finished, and asks for what this view needs. Whatever is not ready is drawn from coarser
/// tiles meanwhile; the loader wakes the window when more arrives.
pub(super) fn stored_layer_tiles(ui: &Ui, ws: &mut super::workspace::Workspace, view: MapView) {
    let data = &mut ws.loaded.data;
    if !data.tiles.is_open() {
        let ctx = ui.ctx().clone();
        let wake: std::sync::Arc<dyn Fn() + Send + Sync> =
            std::sync::Arc::new(move || ctx.request_repaint());
        let path = ws.loaded.session.path();
        let uri = ws.loaded.session.reader_uri();
        let open = || crate::store::pyramid::TileReader::open_uri(path, &uri);
        if let Err(e) = data.attach_tiles(open, wake) {
            eprintln!(
                "linli: {}",
                crate::i18n::errors::error_message(&e, crate::i18n::Lang::En)
            );
            data.tiles = crate::render::tiles::TileSet::none();
        }
    }
    data.poll_tiles();
    let rect = ui.available_rect_before_wrap();
    let t = view.transform(rect);
    let view_box = t.merc_box_of(rect);
    let visible: Vec<usize> = (0..data.layers.len())
        .filter(|&li| {
            ws.styles
                .get(li)
                .is_some_and(|s| s.visible && s.opacity > 0.0)
        })
        .collect();
    data.request_tiles(&visible, &view_box, view.m_per_point);
}
