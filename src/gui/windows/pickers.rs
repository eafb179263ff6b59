//! Pickers (combo boxes) over the record tables: the project table's street, programme, year,
//! stage, element type, person and overdue filters, each offering only values the workspace
//! holds, and the one combo helper the people and meetings tables share.

use std::collections::{BTreeMap, BTreeSet};

use egui::Ui;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::PeopleText as P;
use crate::model::project::list_items;
use crate::session::ProjectSummary;
use crate::session::report::ProjectFilter;

/// A combo box labelled `label` choosing one of `options` (value, shown) or none ("any").
/// Returns true when the choice changed.
pub fn combo(
    ui: &mut Ui,
    lang: Lang,
    label: &str,
    current: &mut Option<String>,
    options: &[(String, String)],
) -> bool {
    let before = current.clone();
    let shown = current
        .as_ref()
        .and_then(|c| options.iter().find(|(v, _)| v == c))
        .map_or_else(|| P::Any.get(lang).to_string(), |(_, s)| s.clone());
    let l = ui.label(label);
    egui::ComboBox::from_id_salt(("linli-picker", label))
        .selected_text(shown)
        .show_ui(ui, |ui| {
            ui.selectable_value(current, None, P::Any.get(lang));
            for (value, text) in options {
                ui.selectable_value(current, Some(value.clone()), text);
            }
        })
        .response
        .labelled_by(l.id);
    *current != before
}

/// Values as (value, shown) pairs, shown as themselves.
fn plain(values: impl IntoIterator<Item = String>) -> Vec<(String, String)> {
    values.into_iter().map(|v| (v.clone(), v)).collect()
}

/// The project table's pickers; `overdue` is the "overdue only" box. Returns true when a
/// choice changed.
pub fn project_pickers(
    ui: &mut Ui,
    lang: Lang,
    session: &Session,
    summaries: &BTreeMap<String, ProjectSummary>,
    filter: &mut ProjectFilter,
    overdue: &mut bool,
) -> bool {
    let streets: BTreeSet<String> = summaries
        .values()
        .flat_map(|s| s.streets.iter().cloned())
        .collect();
    let elements: BTreeSet<String> = summaries
        .values()
        .flat_map(|s| s.elements.iter().cloned())
        .collect();
    let projects = session.projects();
    let programmes: BTreeSet<String> = projects
        .values()
        .flat_map(|p| list_items(&p.programme).into_iter().map(str::to_string))
        .collect();
    let years: BTreeSet<i32> = projects.values().filter_map(|p| p.year).collect();
    let mut stages: Vec<(String, String)> = Vec::new();
    for w in session.workflows().all() {
        for s in &w.stages {
            if projects.values().any(|p| p.stage == s.key) {
                let name = crate::i18n::projects::stage_name(lang, Some(w), &s.key);
                stages.push((s.key.clone(), name.to_string()));
            }
        }
    }
    let elements: Vec<(String, String)> = elements
        .into_iter()
        .map(|key| {
            let name = session.catalog().get(&key).map_or_else(
                || key.clone(),
                |e| match lang {
                    Lang::Zh => e.name_zh.clone(),
                    Lang::En => e.name_en.clone(),
                },
            );
            (key, name)
        })
        .collect();
    let people = plain(
        session
            .records()
            .people()
            .into_iter()
            .map(|p| p.name.clone()),
    );
    let mut year = filter.year.map(|y| y.to_string());
    let mut changed = false;
    ui.horizontal_wrapped(|ui| {
        changed |= combo(
            ui,
            lang,
            P::Street.get(lang),
            &mut filter.street,
            &plain(streets),
        );
        changed |= combo(
            ui,
            lang,
            P::Programme.get(lang),
            &mut filter.programme,
            &plain(programmes),
        );
        let years = plain(years.into_iter().map(|y| y.to_string()));
        changed |= combo(ui, lang, P::Year.get(lang), &mut year, &years);
        changed |= combo(ui, lang, P::Stage.get(lang), &mut filter.stage, &stages);
        changed |= combo(
            ui,
            lang,
            P::Element.get(lang),
            &mut filter.element,
            &elements,
        );
        changed |= combo(ui, lang, P::Person.get(lang), &mut filter.person, &people);
        changed |= ui.checkbox(overdue, P::OverdueOnly.get(lang)).changed();
    });
    filter.year = year.and_then(|y| y.parse().ok());
    changed
}
