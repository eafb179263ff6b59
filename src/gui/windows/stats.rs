//! The statistics window (项目统计): counts, budget and actual cost of the projects grouped by
//! street, element type, stage, programme or year, over the whole workspace or the projects
//! table's current filter; a table, a bar chart ([`super::stats_chart`]) and CSV export (UTF-8
//! with BOM).
//!
//! The numbers are the core's ([`crate::session::Analysis::statistics`]), the same as
//! `linli stats`; they are recomputed only when the workspace, the grouping or the filter
//! changed. The table ends with the projects in several groups (counted once) and the true
//! total, and its footnote says why the budget column adds up (item 1 of issue 21).

use egui::{RichText, Ui};

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::exports::ExportText;
use crate::i18n::projects::ProjectText as T;
use crate::session::report::{self, GroupBy, GroupStats, Statistics};

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
    cache: Option<(Key, Statistics)>,
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

pub use crate::session::report::group_label;

impl StatsWindow {
    /// The groups shown, recomputed when the workspace, the grouping or the filter changed.
    pub fn stats(&mut self, session: &Session, table: &mut ProjectsWindow) -> &[GroupStats] {
        &self.statistics(session, table).groups
    }

    /// The whole statistic shown (groups, several groups, total), recomputed when the
    /// workspace, the grouping or the filter changed.
    pub fn statistics(&mut self, session: &Session, table: &mut ProjectsWindow) -> &Statistics {
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
            let analysis = session.analysis();
            let rows = if self.of_filter {
                let codes: Vec<String> =
                    table.rows(session).iter().map(|p| p.code.clone()).collect();
                analysis.project_rows_of(&codes)
            } else {
                analysis.project_table(&Default::default())
            };
            self.cache = Some((key, analysis.statistics(&rows, self.by)));
        }
        match &self.cache {
            Some((_, s)) => s,
            None => &EMPTY,
        }
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
        let all = self.statistics(session, table).clone();
        let stats = all.groups.clone();
        let labels: Vec<String> = stats
            .iter()
            .map(|g| group_label(lang, session, by, &g.group))
            .collect();
        if let Some(format) = self.saver.table_buttons(ui, lang) {
            let file = report::stats_table_file(session, by, &all, lang);
            let stem = format!("{}-{}", T::Statistics.get(lang), group_by_name(lang, by));
            self.saver.start_table(&file, format, &stem);
        }
        table_grid(ui, lang, &all, &labels);
        ui.separator();
        super::stats_chart::show(ui, lang, &stats, &labels);
    }

    /// The groups last shown (tests read them).
    pub fn shown(&self) -> Option<&[GroupStats]> {
        self.cache.as_ref().map(|(_, s)| s.groups.as_slice())
    }

    /// The whole statistic last shown (tests read it).
    pub fn shown_statistics(&self) -> Option<&Statistics> {
        self.cache.as_ref().map(|(_, s)| s)
    }
}

/// The statistic before anything was computed.
static EMPTY: Statistics = Statistics {
    groups: Vec::new(),
    several: GroupStats::EMPTY,
    total: GroupStats::EMPTY,
};

/// The table: a row per group, then the projects in several groups (when there are any) and
/// the total, then the footnote on the money columns.
fn table_grid(ui: &mut Ui, lang: Lang, all: &Statistics, labels: &[String]) {
    egui::Grid::new("linli-stats-grid")
        .striped(true)
        .num_columns(6)
        .show(ui, |ui| {
            let head = [
                T::Group.get(lang),
                T::ProjectCount.get(lang),
                ExportText::SharedProjects.get(lang),
                T::Features.get(lang),
                ExportText::BudgetWhole.get(lang),
                ExportText::ActualWhole.get(lang),
            ];
            for h in head {
                ui.label(RichText::new(h).strong());
            }
            ui.end_row();
            let row = |ui: &mut Ui, label: RichText, g: &GroupStats| {
                ui.label(label);
                ui.label(g.projects.to_string());
                ui.label(g.shared_projects.to_string());
                ui.label(g.features.to_string());
                ui.label(format!("{:.1}", g.budget_wan));
                ui.label(format!("{:.1}", g.actual_wan));
                ui.end_row();
            };
            for (g, label) in all.groups.iter().zip(labels) {
                row(ui, RichText::new(label), g);
            }
            if all.several.projects > 0 {
                let label = ExportText::SeveralGroups.get(lang);
                row(ui, RichText::new(label).italics(), &all.several);
            }
            row(
                ui,
                RichText::new(ExportText::Total.get(lang)).strong(),
                &all.total,
            );
        });
    ui.label(RichText::new(ExportText::MoneyFootnote.get(lang)).weak());
}
