//! The statistics window (项目统计): counts, budget and actual cost of the projects grouped by
//! street, element type, stage, programme or year, over the whole workspace or the projects
//! table's current filter; a table, a bar chart ([`super::stats_chart`]) and CSV export (UTF-8
//! with BOM).
//!
//! The numbers are the core's ([`crate::session::Analysis::stats_of_rows`]), the same as
//! `linli stats`; they are recomputed only when the workspace, the grouping or the filter
//! changed.

use egui::{RichText, Ui};

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::projects::{ProjectText as T, stage_name};
use crate::session::report::{self, GroupBy, GroupStats};

use super::projects::ProjectsWindow;

/// What decides the numbers: revision, grouping, scope and the table's filter text.
type Key = (u64, GroupBy, bool, String);

/// The window's state between frames.
#[derive(Debug)]
pub struct StatsWindow {
    /// Whether the window is shown.
    pub open: bool,
    /// What the groups are.
    pub by: GroupBy,
    /// Only the projects the projects table's filter keeps (else every project).
    pub of_filter: bool,
    /// The numbers, with what they were computed for.
    cache: Option<(Key, Vec<GroupStats>)>,
    /// The CSV export: the "save as" dialog, the "replace?" question, the outcome.
    pub saver: crate::gui::save::ExportSaver,
}

impl Default for StatsWindow {
    fn default() -> Self {
        Self {
            open: false,
            by: GroupBy::Street,
            of_filter: false,
            cache: None,
            saver: Default::default(),
        }
    }
}

/// A grouping's name.
fn group_by_name(lang: Lang, by: GroupBy) -> &'static str {
    match by {
        GroupBy::Street => T::ByStreet,
        GroupBy::Element => T::ByElement,
        GroupBy::Stage => T::ByStage,
        GroupBy::Programme => T::ByProgramme,
        GroupBy::Year => T::ByYear,
    }
    .get(lang)
}

/// A group's value as the planner reads it: element types and stages by name.
pub fn group_label(lang: Lang, session: &Session, by: GroupBy, group: &str) -> String {
    if group.is_empty() {
        return T::NoGroup.get(lang).to_string();
    }
    match by {
        GroupBy::Element => {
            session
                .catalog()
                .get(group)
                .map_or(group.to_string(), |e| match lang {
                    Lang::Zh => e.name_zh.clone(),
                    Lang::En => e.name_en.clone(),
                })
        }
        GroupBy::Stage => {
            let workflow = session
                .workflows()
                .all()
                .iter()
                .find(|w| w.stage(group).is_some());
            stage_name(lang, workflow, group).to_string()
        }
        GroupBy::Street | GroupBy::Programme | GroupBy::Year => group.to_string(),
    }
}

impl StatsWindow {
    /// The numbers shown, recomputed when the workspace, the grouping or the filter changed.
    pub fn stats(&mut self, session: &Session, table: &mut ProjectsWindow) -> &[GroupStats] {
        let key: Key = (
            session.revision(),
            self.by,
            self.of_filter,
            if self.of_filter {
                table.filter.clone()
            } else {
                String::new()
            },
        );
        if self.cache.as_ref().map(|(k, _)| k) != Some(&key) {
            let stats = if self.of_filter {
                let codes: Vec<String> =
                    table.rows(session).iter().map(|p| p.code.clone()).collect();
                session
                    .analysis()
                    .stats_of_rows(&session.analysis().project_rows_of(&codes), self.by)
            } else {
                session
                    .analysis()
                    .project_stats(&Default::default(), self.by)
            };
            self.cache = Some((key, stats));
        }
        self.cache.as_ref().map_or(&[], |(_, s)| s.as_slice())
    }

    /// The window, when open.
    pub fn show(
        &mut self,
        ctx: &egui::Context,
        lang: Lang,
        session: &Session,
        table: &mut ProjectsWindow,
    ) {
        self.saver.show(ctx, lang, session);
        if !self.open {
            return;
        }
        let mut open = self.open;
        egui::Window::new(T::Statistics.get(lang))
            .id(egui::Id::unique("linli-stats-window"))
            .open(&mut open)
            // As wide as the chart (the longest name included) and as tall as the table and
            // the chart, up to the screen's height, where it scrolls.
            .auto_sized()
            .show(ctx, |ui| {
                super::stats_chart::fit_window_width(ui);
                egui::ScrollArea::vertical()
                    .max_height(super::stats_chart::window_max_height(ctx))
                    .show(ui, |ui| self.contents(ui, lang, session, table));
            });
        self.open = open;
    }

    fn contents(&mut self, ui: &mut Ui, lang: Lang, session: &Session, table: &mut ProjectsWindow) {
        ui.horizontal(|ui| {
            ui.label(T::GroupByLabel.get(lang));
            for by in GroupBy::ALL {
                ui.selectable_value(&mut self.by, by, group_by_name(lang, by));
            }
        });
        ui.horizontal(|ui| {
            ui.radio_value(&mut self.of_filter, false, T::WholeWorkspace.get(lang));
            ui.radio_value(&mut self.of_filter, true, T::TableFilter.get(lang));
            if self.of_filter && !table.filter.trim().is_empty() {
                ui.label(RichText::new(format!("“{}”", table.filter.trim())).italics());
            }
        });
        let by = self.by;
        let stats = self.stats(session, table).to_vec();
        let labels: Vec<String> = stats
            .iter()
            .map(|g| group_label(lang, session, by, &g.group))
            .collect();
        ui.horizontal(|ui| {
            if ui
                .add_enabled(
                    !self.saver.busy(),
                    egui::Button::new(T::ExportCsv.get(lang)),
                )
                .clicked()
            {
                let csv =
                    report::csv_text(report::STATS_CSV_COLUMNS, &report::stats_csv_rows(&stats));
                let name = format!(
                    "{}-{}.csv",
                    T::Statistics.get(lang),
                    group_by_name(lang, by)
                );
                self.saver.start(name, csv.into_bytes());
            }
            self.saver.message_label(ui);
        });
        egui::Grid::new("linli-stats-grid")
            .striped(true)
            .num_columns(5)
            .show(ui, |ui| {
                for h in [T::Group, T::ProjectCount, T::Features, T::Budget, T::Actual] {
                    ui.label(RichText::new(h.get(lang)).strong());
                }
                ui.end_row();
                for (g, label) in stats.iter().zip(&labels) {
                    ui.label(label);
                    ui.label(g.projects.to_string());
                    ui.label(g.features.to_string());
                    ui.label(format!("{:.1}", g.budget_wan));
                    ui.label(format!("{:.1}", g.actual_wan));
                    ui.end_row();
                }
            });
        ui.separator();
        super::stats_chart::show(ui, lang, &stats, &labels);
    }

    /// The numbers last shown (tests read them).
    pub fn shown(&self) -> Option<&[GroupStats]> {
        self.cache.as_ref().map(|(_, s)| s.as_slice())
    }
}
