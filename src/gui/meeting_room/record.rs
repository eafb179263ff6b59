//! The meeting record's section 居民意见与投票 / Residents' input: the voting rules editor
//! (saved with the meeting, one meeting edit), the inputs listed (time, kind, participant,
//! text, target), the tally per item, the exports (CSV, GeoJSON) and "记录意见", which shows
//! the strip over the map.

use egui::{RichText, Ui};

use crate::Session;
use crate::gui::save::ExportSaver;
use crate::i18n::Lang;
use crate::i18n::inputs::{InputText as T, item_tally, kind_name};
use crate::io::table::TableFormat;
use crate::model::input::{InputItem, ResidentInput, VoteRules};
use crate::model::local_time::LocalZone;
use crate::model::meeting::Meeting;

/// What the section asked for.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct SectionOut {
    /// Show the strip for this meeting over the map.
    pub record_input: bool,
}

/// The rules editor for a meeting being recorded (its draft's rules).
pub fn rules_editor(ui: &mut Ui, lang: Lang, rules: &mut VoteRules) {
    ui.label(RichText::new(T::Rules.get(lang)).strong());
    ui.horizontal_wrapped(|ui| {
        ui.checkbox(&mut rules.open, T::Open.get(lang));
        let l = ui.label(T::VotesPerParticipant.get(lang));
        ui.add(egui::DragValue::new(&mut rules.votes_per_participant).range(0..=99))
            .labelled_by(l.id);
        let mut capped = rules.per_item_cap.is_some();
        if ui.checkbox(&mut capped, T::CapPerItem.get(lang)).changed() {
            rules.per_item_cap = capped.then_some(rules.per_item_cap.unwrap_or(5));
        }
        match &mut rules.per_item_cap {
            Some(cap) => {
                ui.add(egui::DragValue::new(cap).range(1..=999));
            }
            None => {
                ui.label(RichText::new(T::NoCap.get(lang)).small());
            }
        }
        ui.checkbox(&mut rules.may_stack, T::MayStack.get(lang));
        ui.checkbox(&mut rules.anonymous_numbers, T::AnonymousNumbers.get(lang));
    });
    ui.label(RichText::new(T::RulesSavedWithMeeting.get(lang)).small());
}

/// What an input is on, in words.
fn target(lang: Lang, session: &Session, i: &ResidentInput) -> String {
    let what = match i.item() {
        InputItem::Feature(_) => T::OnFeature,
        InputItem::Alternative(_) => T::OnAlternative,
        InputItem::Place(..) => T::OnPlace,
    };
    crate::i18n::labelled(
        lang,
        what.get(lang),
        &session.records().item_label(i.item()),
    )
}

/// The inputs of a recorded meeting, its tally and exports, and "记录意见".
pub fn section(
    ui: &mut Ui,
    lang: Lang,
    session: &Session,
    meeting: &Meeting,
    saver: &mut ExportSaver,
) -> SectionOut {
    let mut out = SectionOut::default();
    saver.show(ui.ctx(), lang, session);
    let records = session.records();
    let inputs = records.inputs_of(meeting.id);
    let zone = LocalZone::system();
    ui.horizontal(|ui| {
        ui.label(RichText::new(T::Section.get(lang)).strong());
        if ui.button(T::RecordInput.get(lang)).clicked() {
            out.record_input = true;
        }
    });
    if inputs.is_empty() {
        ui.label(T::NoInputs.get(lang));
    } else {
        egui::Grid::new(("linli-inputs", meeting.id))
            .striped(true)
            .show(ui, |ui| {
                for i in &inputs {
                    ui.label(RichText::new(zone.local_text(&i.made)).small());
                    ui.label(kind_name(lang, i.kind));
                    ui.label(i.participant.map(|p| p.to_string()).unwrap_or_default());
                    ui.label(&i.text);
                    ui.label(RichText::new(target(lang, session, i)).small());
                    ui.end_row();
                }
            });
        ui.label(RichText::new(T::Tally.get(lang)).strong());
        let tally = records.tally(meeting.id);
        for (item, t) in &tally.items {
            ui.label(format!(
                "{}：{}",
                records.item_label(*item),
                item_tally(lang, &t.counts)
            ));
        }
        ui.label(RichText::new(item_tally(lang, &tally.totals)).strong());
    }
    ui.horizontal(|ui| {
        let name = format!("{}-{}", meeting.date, T::Section.get(lang));
        if ui
            .add_enabled(
                !saver.busy() && !inputs.is_empty(),
                egui::Button::new(T::ExportCsv.get(lang)),
            )
            .clicked()
        {
            match records.inputs_table_bytes(&inputs, TableFormat::Csv, &zone, lang) {
                Ok(bytes) => saver.start(format!("{name}.csv"), bytes),
                Err(e) => saver.fail(e.to_string()),
            }
        }
        if ui
            .add_enabled(
                !saver.busy() && !inputs.is_empty(),
                egui::Button::new(T::ExportGeoJson.get(lang)),
            )
            .clicked()
        {
            let text = records.inputs_geojson(&inputs, &zone);
            saver.start(format!("{name}.geojson"), text.into_bytes());
        }
    });
    saver.message_label(ui);
    out
}
