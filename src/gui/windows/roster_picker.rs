//! The roster picker: a form field naming people or organisations, picked from the roster by
//! typing (the names shown filter as one types), or typed anew (Enter, or the "add new"
//! button), which the session puts on the roster when the record is saved, in the same undo
//! step. A field that holds several names (`、`-joined) shows each as a button that takes it
//! out.

use egui::Ui;

use crate::Session;
use crate::i18n::Lang;
use crate::i18n::people::{PeopleText as P, org_kind_name, role_name};
use crate::i18n::with_aside;
use crate::model::people::{OrgKind, PersonRole};
use crate::model::project::list_items;

/// How many matching names a picker offers at once.
const MAX_OFFERED: usize = 8;

/// One name a picker offers: the value it writes and what its button reads.
#[derive(Debug, Clone, PartialEq)]
pub struct Choice {
    /// The name written into the field.
    pub value: String,
    /// The name with what they are, as offered.
    pub shown: String,
}

/// Everyone on the roster, those `prefer` keeps first, each shown with their role.
pub fn people(session: &Session, lang: Lang, prefer: impl Fn(PersonRole) -> bool) -> Vec<Choice> {
    let mut people = session.records().people();
    people.sort_by_key(|p| !prefer(p.role));
    people
        .into_iter()
        .map(|p| Choice {
            value: p.name.clone(),
            shown: with_aside(lang, &p.name, role_name(lang, p.role)),
        })
        .collect()
}

/// Every organisation on the roster, those `prefer` keeps first, each shown with its kind.
pub fn organisations(
    session: &Session,
    lang: Lang,
    prefer: impl Fn(OrgKind) -> bool,
) -> Vec<Choice> {
    let mut orgs = session.records().organisations();
    orgs.sort_by_key(|o| !prefer(o.kind));
    orgs.into_iter()
        .map(|o| Choice {
            value: o.name.clone(),
            shown: with_aside(lang, &o.name, org_kind_name(lang, o.kind)),
        })
        .collect()
}

/// People and organisations together (a joint meeting's departments may be either).
pub fn anyone(session: &Session, lang: Lang) -> Vec<Choice> {
    let mut all = organisations(session, lang, |k| k == OrgKind::Department);
    all.extend(people(session, lang, |_| true));
    all
}

/// Whether a field holds one name or several.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Names {
    /// One name (a chair, an owner unit, a person's organisation).
    One,
    /// Several, `、`-joined.
    Many,
}

/// What a picker is labelled and holds.
#[derive(Debug, Clone, Copy)]
pub struct Field<'a> {
    /// The label beside it (its box is labelled by it, and its typed text kept by it).
    pub label: &'a str,
    /// One name or several.
    pub names: Names,
    /// The width of its box, in points.
    pub width: f32,
}

impl<'a> Field<'a> {
    /// A picker labelled `label`, holding `names`, its box `width` points wide.
    pub fn new(label: &'a str, names: Names, width: f32) -> Self {
        Self {
            label,
            names,
            width,
        }
    }
}

/// A form grid's row: the label, then the field `value`, picked from `options` or typed.
/// Returns true when the value changed.
pub fn roster_row(
    ui: &mut Ui,
    lang: Lang,
    field: Field<'_>,
    value: &mut String,
    options: &[Choice],
) -> bool {
    let Field {
        label,
        names,
        width,
    } = field;
    let label_id = ui.label(egui::RichText::new(label).strong()).id;
    let changed = roster_field(ui, lang, (label_id, label), names, width, value, options);
    ui.end_row();
    changed
}

/// The field itself, its box labelled by `label` (an id and the text that keeps its typed
/// text apart from other pickers').
fn roster_field(
    ui: &mut Ui,
    lang: Lang,
    (label, salt): (egui::Id, &str),
    names: Names,
    width: f32,
    value: &mut String,
    options: &[Choice],
) -> bool {
    let id = ui.make_persistent_id(("linli-roster-pick", salt));
    let mut typed: String = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    let mut items: Vec<String> = match names {
        Names::Many => list_items(value).into_iter().map(str::to_string).collect(),
        Names::One => Some(value.trim().to_string())
            .filter(|v| !v.is_empty())
            .into_iter()
            .collect(),
    };
    let mut changed = false;
    ui.vertical(|ui| {
        if !items.is_empty() {
            ui.horizontal_wrapped(|ui| {
                let mut remove = None;
                for (i, item) in items.iter().enumerate() {
                    let r = ui
                        .small_button(format!("{item} ×"))
                        .on_hover_text(P::RemoveName.get(lang));
                    if r.clicked() {
                        remove = Some(i);
                    }
                }
                if let Some(i) = remove {
                    items.remove(i);
                    changed = true;
                }
            });
        }
        let r = ui
            .add(
                egui::TextEdit::singleline(&mut typed)
                    .hint_text(P::PickHint.get(lang))
                    .desired_width(width),
            )
            .labelled_by(label);
        let entered = r.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        let needle = typed.trim().to_string();
        if needle.is_empty() {
            return;
        }
        let lower = needle.to_lowercase();
        let matching: Vec<&Choice> = options
            .iter()
            .filter(|c| !items.contains(&c.value))
            .filter(|c| c.shown.to_lowercase().contains(&lower))
            .take(MAX_OFFERED)
            .collect();
        let mut pick = None;
        ui.horizontal_wrapped(|ui| {
            for c in &matching {
                if ui.button(&c.shown).clicked() {
                    pick = Some(c.value.clone());
                }
            }
            let known = options.iter().any(|c| c.value == needle);
            if !known
                && ui
                    .button(format!("{} “{needle}”", P::AddName.get(lang)))
                    .clicked()
            {
                pick = Some(needle.clone());
            }
        });
        if entered && pick.is_none() {
            // Enter takes the one name offered, else what was typed as it is.
            pick = Some(match matching.as_slice() {
                [only] => only.value.clone(),
                _ => needle.clone(),
            });
        }
        if let Some(name) = pick {
            match names {
                Names::Many if !items.contains(&name) => items.push(name),
                Names::Many => {}
                Names::One => items = vec![name],
            }
            typed.clear();
            changed = true;
        }
    });
    ui.data_mut(|d| d.insert_temp(id, typed));
    if changed {
        *value = items.join("、");
    }
    changed
}
