//! The coverage window (覆盖分析): facilities (element types and reference layers), areas
//! (communities or streets), the walking distance, straight line or along a network, an
//! optional weight layer; the gap table, candidate sites and exports. It keeps the analysis
//! and its overlay; the app draws the overlay over the map and asks [`CoverageWindow::live`]
//! what a proposal being drawn or moved adds.

use std::collections::BTreeSet;

use egui::{Context, Ui};

use crate::analysis::coverage::candidates::Candidate;
use crate::analysis::coverage::{Coverage, Model, NetworkOptions, PRESETS_M};
use crate::analysis::index::BoxLonLat;
use crate::analysis::mercator::merc_from_lon_lat;
use crate::i18n::Lang;
use crate::i18n::coverage::{CoverageText as T, added_text};
use crate::i18n::screens::ScreensText as S;
use crate::model::LayerRole;
use crate::render::overlay::{CoverageOverlay, Quads};
use crate::render::projection::MercBox;
use crate::session::coverage::{
    candidates_geojson, coverage_csv, overlay_band_m, uncovered_geojson,
};
use crate::session::{CoverageSpec, Session};

use super::table::sort_head;

/// A column of the gap table, to sort it by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GapColumn {
    /// The area's name.
    Area,
    /// The covered share.
    Covered,
    /// The gap (uncovered share).
    Gap,
    /// The covered share of the weight.
    Weight,
}

/// The rows of `results` sorted by `column`, descending when asked; ties by name, so the
/// order never depends on the analysis's internal order.
fn sorted_rows(
    results: &[crate::analysis::coverage::AreaResult],
    (column, descending): (GapColumn, bool),
) -> Vec<usize> {
    let mut rows: Vec<usize> = (0..results.len()).collect();
    rows.sort_by(|&a, &b| {
        let (ra, rb) = (&results[a], &results[b]);
        let by = match column {
            GapColumn::Area => ra.name.cmp(&rb.name),
            GapColumn::Covered => ra.covered_share.total_cmp(&rb.covered_share),
            GapColumn::Gap => ra.gap().total_cmp(&rb.gap()),
            GapColumn::Weight => {
                let w = |r: &crate::analysis::coverage::AreaResult| {
                    r.weight_share().unwrap_or(f64::NEG_INFINITY)
                };
                w(ra).total_cmp(&w(rb))
            }
        };
        let by = if descending { by.reverse() } else { by };
        by.then_with(|| ra.name.cmp(&rb.name))
    });
    rows
}

/// What the window asks the app for.
#[derive(Debug, Clone, PartialEq)]
pub enum CoverageCommand {
    /// Show this box (an area clicked in the gap table).
    ZoomTo(MercBox),
    /// Show or hide the overlay on the map (the layers panel's entry).
    ShowOverlay(bool),
    /// Forget the analysis: its table, candidates and overlay (the window's button or the
    /// layers panel's entry, which stays after the window is closed).
    Clear,
    /// Start drawing `element` with the view centred on a candidate site.
    SketchAt {
        /// The element type's key.
        element: String,
        /// Longitude, degrees.
        lon: f64,
        /// Latitude, degrees.
        lat: f64,
    },
}

/// The window's state and the last analysis.
pub struct CoverageWindow {
    /// Whether it is shown.
    pub open: bool,
    /// Facility element types.
    pub elements: BTreeSet<String>,
    /// Facility layers (indices into the session's layers).
    pub layers: BTreeSet<usize>,
    /// Areas are streets (else communities).
    pub streets: bool,
    /// Walking threshold, metres.
    pub distance_m: f64,
    /// Walk along this line layer (else straight line).
    pub network: Option<usize>,
    /// Weight layer.
    pub weight: Option<usize>,
    result: Option<Coverage>,
    /// What the map draws.
    pub overlay: CoverageOverlay,
    /// Whether the map draws the overlay (the layers panel's checkbox).
    pub overlay_shown: bool,
    /// How the gap table is sorted: the column and whether descending.
    pub gap_sort: (GapColumn, bool),
    candidates: Vec<Candidate>,
    by_weight: bool,
    message: Option<String>,
    /// The exports: the "save as" dialog, the "replace?" question, the outcome.
    pub saver: crate::gui::save::ExportSaver,
    live_for: Option<geo::Geometry<f64>>,
    live: Option<String>,
    /// The analysis last run, whose what-if the alternatives' comparison reuses.
    last_spec: Option<CoverageSpec>,
}

impl Default for CoverageWindow {
    fn default() -> Self {
        Self {
            open: false,
            elements: BTreeSet::from(["pocket_garden".to_string()]),
            layers: BTreeSet::new(),
            streets: false,
            distance_m: 500.0,
            network: None,
            weight: None,
            result: None,
            overlay: CoverageOverlay::default(),
            overlay_shown: true,
            gap_sort: (GapColumn::Gap, true),
            candidates: Vec::new(),
            by_weight: false,
            message: None,
            saver: Default::default(),
            live_for: None,
            live: None,
            last_spec: None,
        }
    }
}

impl CoverageWindow {
    /// What the last analysis that ran was asked for, if any.
    pub fn last_spec(&self) -> Option<&CoverageSpec> {
        self.last_spec.as_ref()
    }

    /// The last analysis.
    pub fn result(&self) -> Option<&Coverage> {
        self.result.as_ref()
    }

    /// The candidate sites found, best first.
    pub fn candidates(&self) -> &[Candidate] {
        &self.candidates
    }

    /// Whether the map has anything of the analysis to draw (and the layers panel an entry).
    pub fn has_overlay(&self) -> bool {
        self.result.is_some()
            || !self.overlay.uncovered.is_empty()
            || !self.overlay.candidates.is_empty()
    }

    /// Forgets the analysis: the table, the candidates, the overlay and the what-if.
    pub fn clear(&mut self) {
        self.result = None;
        self.candidates.clear();
        self.overlay = CoverageOverlay::default();
        self.live_for = None;
        self.live = None;
        self.message = None;
    }

    /// The gap table's rows as shown: indices into the analysis's results, in the order of
    /// [`Self::gap_sort`].
    pub fn gap_rows(&self) -> Vec<usize> {
        self.result
            .as_ref()
            .map_or_else(Vec::new, |c| sorted_rows(c.results(), self.gap_sort))
    }

    fn areas_layer(&self, session: &Session) -> Option<usize> {
        let role = if self.streets {
            LayerRole::Streets
        } else {
            LayerRole::Communities
        };
        session.layers().iter().position(|l| l.role == role)
    }

    /// Runs the analysis with the window's settings.
    pub fn run(&mut self, session: &Session, lang: Lang) {
        self.candidates.clear();
        self.overlay = CoverageOverlay::default();
        self.live_for = None;
        self.live = None;
        let Some(areas) = self.areas_layer(session) else {
            self.result = None;
            return;
        };
        let spec = CoverageSpec {
            areas,
            elements: self.elements.iter().cloned().collect(),
            facility_layers: self.layers.iter().copied().collect(),
            distance_m: self.distance_m,
            model: match self.network {
                Some(_) => Model::Network(NetworkOptions::default()),
                None => Model::Straight,
            },
            network: self.network,
            weight: self.weight.map(|w| (w, Some("weight".to_string()))),
            alternatives: false,
        };
        match session.analysis().coverage(&spec) {
            Ok(c) => {
                self.last_spec = Some(spec.clone());
                self.overlay_shown = true;
                self.overlay.uncovered = Quads::from_bands(&c.uncovered(overlay_band_m(&c)));
                self.result = Some(c);
                self.message = None;
            }
            Err(e) => {
                self.result = None;
                self.message = Some(crate::i18n::errors::error_message(&e, lang));
            }
        }
    }

    /// What `geometry` (a proposal being drawn or moved) adds, as a line for the status bar
    /// and the inspector; the overlay shows it too. `None` clears it.
    pub fn live(&mut self, geometry: Option<&geo::Geometry<f64>>, lang: Lang) -> Option<&str> {
        let c = self.result.as_ref()?;
        match geometry {
            None => {
                if self.live_for.take().is_some() {
                    self.overlay.added = Quads::default();
                    self.live = None;
                }
            }
            Some(g) if self.live_for.as_ref() != Some(g) => {
                let added = c.added(g);
                let name = added
                    .area
                    .and_then(|a| c.results().get(a))
                    .map_or("", |r| r.name.as_str());
                self.live = Some(added_text(
                    lang,
                    added.added_m2,
                    added.area_share,
                    name,
                    added.weight_added,
                ));
                self.overlay.added = Quads::from_bands([&c.added_overlay(g, overlay_band_m(c))]);
                self.live_for = Some(g.clone());
            }
            Some(_) => {}
        }
        self.live.as_deref()
    }

    /// Shows the window; returns what the user asked the app for.
    pub fn show(&mut self, ctx: &Context, lang: Lang, session: &Session) -> Vec<CoverageCommand> {
        let mut commands = Vec::new();
        self.saver.show(ctx, lang, session);
        let mut open = self.open;
        egui::Window::new(T::Coverage.get(lang))
            .open(&mut open)
            .default_width(440.0)
            .default_pos(egui::pos2(360.0, 90.0))
            .show(ctx, |ui| self.contents(ui, lang, session, &mut commands));
        self.open = open;
        commands
    }

    fn contents(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        commands: &mut Vec<CoverageCommand>,
    ) {
        let before = self.settings();
        self.facility_choice(ui, lang, session);
        ui.horizontal(|ui| {
            ui.label(T::Areas.get(lang));
            ui.radio_value(&mut self.streets, false, T::Communities.get(lang));
            ui.radio_value(&mut self.streets, true, T::Streets.get(lang));
        });
        ui.horizontal(|ui| {
            ui.label(T::Distance.get(lang));
            for p in PRESETS_M {
                if ui
                    .selectable_label(self.distance_m == p, format!("{p:.0}"))
                    .clicked()
                {
                    self.distance_m = p;
                }
            }
            ui.add(
                egui::DragValue::new(&mut self.distance_m)
                    .range(10.0..=5000.0)
                    .speed(10.0),
            );
        });
        ui.small(T::PresetsNote.get(lang));
        let lines: Vec<(usize, String)> = reference_layers(session, "Line");
        let all: Vec<(usize, String)> = reference_layers(session, "");
        ui.horizontal(|ui| {
            let mut network = self.network.is_some();
            ui.radio_value(&mut network, false, T::Straight.get(lang));
            ui.add_enabled_ui(!lines.is_empty(), |ui| {
                ui.radio_value(&mut network, true, T::Network.get(lang));
            });
            if !network {
                self.network = None;
            } else if self.network.is_none() {
                self.network = lines.first().map(|(i, _)| *i);
            }
            if self.network.is_some() {
                layer_combo(ui, "coverage-network", &lines, &mut self.network, None);
            }
        });
        ui.horizontal(|ui| {
            ui.label(T::Weight.get(lang));
            layer_combo(
                ui,
                "coverage-weight",
                &all,
                &mut self.weight,
                Some(T::NoneChosen.get(lang)),
            );
        });
        let (run, clear) = ui
            .horizontal(|ui| {
                let run = ui.button(T::Run.get(lang)).clicked();
                let clear = ui
                    .add_enabled(
                        self.has_overlay(),
                        egui::Button::new(S::ClearAnalysis.get(lang)),
                    )
                    .clicked();
                (run, clear)
            })
            .inner;
        if clear {
            commands.push(CoverageCommand::Clear);
        }
        // The overlay follows the threshold (and every other setting) once shown.
        if run || (self.result.is_some() && self.settings() != before) {
            self.run(session, lang);
        }
        if let Some(m) = &self.message {
            ui.colored_label(ui.visuals().error_fg_color, m);
        }
        self.results(ui, lang, session, commands);
    }

    fn settings(
        &self,
    ) -> (
        BTreeSet<String>,
        BTreeSet<usize>,
        bool,
        u64,
        Option<usize>,
        Option<usize>,
    ) {
        (
            self.elements.clone(),
            self.layers.clone(),
            self.streets,
            self.distance_m.to_bits(),
            self.network,
            self.weight,
        )
    }

    fn facility_choice(&mut self, ui: &mut Ui, lang: Lang, session: &Session) {
        ui.label(T::FacilityElements.get(lang));
        ui.horizontal_wrapped(|ui| {
            for e in &session.catalog().elements {
                let mut on = self.elements.contains(&e.key);
                let name = match lang {
                    Lang::Zh => &e.name_zh,
                    Lang::En => &e.name_en,
                };
                if ui.checkbox(&mut on, name).changed() {
                    if on {
                        self.elements.insert(e.key.clone());
                    } else {
                        self.elements.remove(&e.key);
                    }
                }
            }
        });
        let layers = reference_layers(session, "");
        if !layers.is_empty() {
            ui.label(T::FacilityLayers.get(lang));
            ui.horizontal_wrapped(|ui| {
                for (i, name) in layers {
                    let mut on = self.layers.contains(&i);
                    if ui.checkbox(&mut on, name).changed() {
                        if on {
                            self.layers.insert(i);
                        } else {
                            self.layers.remove(&i);
                        }
                    }
                }
            });
        }
        ui.separator();
    }

    fn results(
        &mut self,
        ui: &mut Ui,
        lang: Lang,
        session: &Session,
        commands: &mut Vec<CoverageCommand>,
    ) {
        let Some(c) = self.result.as_ref() else {
            return;
        };
        ui.separator();
        let mut overall = format!(
            "{}: {:.1}%",
            T::Overall.get(lang),
            c.overall_share() * 100.0
        );
        if let Some(w) = c.overall_weight_share() {
            overall += &format!(" · {} {:.1}%", T::WeightCovered.get(lang), w * 100.0);
        }
        ui.strong(overall);
        if let Some(live) = &self.live {
            ui.label(format!("{}: {live}", T::Adds.get(lang)));
        }
        let areas = self
            .areas_layer(session)
            .and_then(|i| session.layers().get(i));
        let rows = sorted_rows(c.results(), self.gap_sort);
        let weighted = c.overall_weight_share().is_some();
        let sort = &mut self.gap_sort;
        // A solid scroll bar, beside the table rather than over its last column.
        ui.spacing_mut().scroll = egui::style::ScrollStyle::solid();
        egui::ScrollArea::vertical()
            .max_height(240.0)
            .id_salt("coverage-gaps")
            .show(ui, |ui| {
                egui::Grid::new("coverage-gap-table")
                    .striped(true)
                    .num_columns(if weighted { 4 } else { 3 })
                    .show(ui, |ui| {
                        let mut heads = vec![
                            (GapColumn::Area, T::Area),
                            (GapColumn::Covered, T::Covered),
                            (GapColumn::Gap, T::Gap),
                        ];
                        if weighted {
                            heads.push((GapColumn::Weight, T::WeightCovered));
                        }
                        for (key, text) in heads {
                            sort_head(ui, lang, text.get(lang), key, sort);
                        }
                        ui.end_row();
                        for i in rows {
                            let r = &c.results()[i];
                            if ui.link(&r.name).clicked()
                                && let Some(b) = areas
                                    .and_then(|l| l.features.get(i))
                                    .and_then(|f| BoxLonLat::of(&f.geometry))
                            {
                                commands.push(CoverageCommand::ZoomTo(merc_box(b)));
                            }
                            ui.label(format!("{:.1}%", r.covered_share * 100.0));
                            ui.label(format!("{:.1}%", r.gap() * 100.0));
                            if weighted {
                                ui.label(
                                    r.weight_share()
                                        .map_or(String::new(), |s| format!("{:.1}%", s * 100.0)),
                                );
                            }
                            ui.end_row();
                        }
                    });
            });
        ui.separator();
        ui.horizontal(|ui| {
            ui.strong(T::Candidates.get(lang));
            if ui.button(T::FindCandidates.get(lang)).clicked() {
                let (picks, by_weight) = c.candidates(10);
                self.overlay.candidates = picks.iter().map(|p| [p.lon, p.lat]).collect();
                self.candidates = picks;
                self.by_weight = by_weight;
            }
        });
        let element = self
            .elements
            .iter()
            .next()
            .cloned()
            .unwrap_or_else(|| "pocket_garden".to_string());
        if self.weight.is_none() || (!self.candidates.is_empty() && !self.by_weight) {
            // Without weights the greedy search can only count area: say what it picked.
            ui.add(
                egui::Label::new(
                    egui::RichText::new(S::NoWeightNote.get(lang))
                        .color(crate::gui::style::GUIDANCE_TEXT),
                )
                .wrap(),
            );
        }
        for (k, p) in self.candidates.iter().enumerate() {
            ui.horizontal(|ui| {
                let gain = if self.by_weight {
                    format!("+{:.0}", p.gain)
                } else {
                    format!("+{:.0} m²", p.gain)
                };
                let area = p
                    .area
                    .and_then(|a| c.results().get(a))
                    .map_or("", |r| r.name.as_str());
                ui.label(format!("{}. {area} {gain}", k + 1));
                if ui.button(T::SketchHere.get(lang)).clicked() {
                    commands.push(CoverageCommand::SketchAt {
                        element: element.clone(),
                        lon: p.lon,
                        lat: p.lat,
                    });
                }
            });
        }
        ui.separator();
        ui.horizontal_wrapped(|ui| {
            // Suggested beside the workspace's name; the dialog decides, and asks before
            // replacing (see `gui::save`).
            let base = session
                .path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let exports = [
                (T::ExportCsv, "coverage.csv"),
                (T::ExportGeojson, "uncovered.geojson"),
                (T::ExportCandidates, "candidates.geojson"),
            ];
            for (label, suffix) in exports {
                let clicked = ui
                    .add_enabled(!self.saver.busy(), egui::Button::new(label.get(lang)))
                    .clicked();
                if clicked {
                    let text = match label {
                        T::ExportGeojson => uncovered_geojson(c),
                        T::ExportCandidates => {
                            candidates_geojson(c, &self.candidates, self.by_weight)
                        }
                        _ => coverage_csv(c),
                    };
                    self.saver
                        .start(format!("{base}-{suffix}"), text.into_bytes());
                }
            }
            let xlsx = crate::i18n::exports::ExportText::ExportXlsx.get(lang);
            if ui
                .add_enabled(!self.saver.busy(), egui::Button::new(xlsx))
                .clicked()
            {
                let format = crate::io::table::TableFormat::Xlsx;
                match crate::session::coverage::coverage_table_bytes(c, format, lang) {
                    Ok(bytes) => self.saver.start(format!("{base}-coverage.xlsx"), bytes),
                    Err(e) => self.saver.fail(e.to_string()),
                }
            }
        });
        self.saver.message_label(ui);
    }
}

/// The reference layers whose geometry type contains `kind` ("" for all), with their names.
fn reference_layers(session: &Session, kind: &str) -> Vec<(usize, String)> {
    session
        .layers()
        .iter()
        .enumerate()
        .filter(|(_, l)| l.role == LayerRole::Reference)
        .filter(|(_, l)| {
            kind.is_empty()
                || l.stored.as_ref().is_some_and(|s| {
                    s.geometry_type
                        .to_ascii_lowercase()
                        .contains(&kind.to_ascii_lowercase())
                })
        })
        .map(|(i, l)| (i, l.name.clone()))
        .collect()
}

fn layer_combo(
    ui: &mut Ui,
    id: &str,
    layers: &[(usize, String)],
    chosen: &mut Option<usize>,
    none: Option<&str>,
) {
    let shown = chosen
        .and_then(|c| layers.iter().find(|(i, _)| *i == c))
        .map_or(none.unwrap_or(""), |(_, n)| n.as_str())
        .to_string();
    egui::ComboBox::from_id_salt(id)
        .selected_text(shown)
        .show_ui(ui, |ui| {
            if let Some(none) = none {
                ui.selectable_value(chosen, None, none);
            }
            for (i, name) in layers {
                ui.selectable_value(chosen, Some(*i), name);
            }
        });
}

fn merc_box(b: BoxLonLat) -> MercBox {
    MercBox {
        min: merc_from_lon_lat(b.min_lon, b.min_lat),
        max: merc_from_lon_lat(b.max_lon, b.max_lat),
    }
}

/// The rule checks in the inspector: nearest feature of the same type, the walking targets,
/// and what the proposal being moved adds.
pub fn rule_lines(
    ui: &mut Ui,
    lang: Lang,
    rules: &crate::session::coverage::RuleChecks,
    added: Option<&str>,
) {
    use crate::analysis::coverage::rules::Target;
    ui.add_space(8.0);
    ui.label(egui::RichText::new(T::RuleChecks.get(lang)).strong());
    let metres =
        |d: Option<f64>| d.map_or(T::NoneNear.get(lang).to_string(), |d| format!("{d:.0} m"));
    ui.label(format!(
        "{}: {}",
        T::NearestSameType.get(lang),
        metres(rules.nearest_same_m)
    ));
    for (target, layer, d) in &rules.targets {
        let label = match target {
            Target::Elder => T::ElderTarget,
            Target::Childcare => T::ChildcareTarget,
        };
        let text = format!("{} · {layer}: {}", label.get(lang), metres(*d));
        if d.is_some_and(|d| d <= target.distance_m()) {
            ui.label(text);
        } else {
            ui.colored_label(crate::gui::style::GUIDANCE_TEXT, text);
        }
    }
    if let Some(added) = added {
        ui.label(egui::RichText::new(added).color(crate::gui::style::OK_TEXT));
    }
}
