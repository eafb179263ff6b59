//! What every record table shares: a column head that sorts the table it heads.

use egui::{RichText, Ui};

use crate::i18n::Lang;
use crate::i18n::projects::ProjectText as T;

/// A column head reading `text`, with an arrow when the table is sorted by its `key`. A click
/// sorts by `key` ascending; a second click on the same head reverses it. `sort` is the
/// table's (key, descending).
pub fn sort_head<K: PartialEq + Copy>(
    ui: &mut Ui,
    lang: Lang,
    text: &str,
    key: K,
    sort: &mut (K, bool),
) {
    let arrow = match (sort.0 == key, sort.1) {
        (true, false) => T::SortAscending.get(lang),
        (true, true) => T::SortDescending.get(lang),
        (false, _) => "",
    };
    if ui
        .button(RichText::new(format!("{text}{arrow}")).strong())
        .clicked()
    {
        *sort = (key, sort.0 == key && !sort.1);
    }
}
